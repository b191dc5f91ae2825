import { parseEventLogs, zeroAddress, type Address } from 'viem'
import { simulateContract } from 'viem/actions'
import { licenseRegistryAbi } from '../abis/generated'
import { templateId, type LicenseTemplateName } from '../constants'
import { requireAccount, resolveToken, run, submit, toBigInt, type TokenLike, type TxResult, type WriteContext } from './_internal'

export type AttachTermsParams = {
  assetId: bigint | number
  template: LicenseTemplateName | number
  /** SAHARA, USDT or a token address; ignored (zero address) for free templates when omitted. */
  paymentToken?: TokenLike | undefined
  /** One-off fee (COMMERCIAL, COMMERCIAL_REMIX) or price per unit (PAY_PER_USE), in token units. */
  price?: bigint | undefined
  /** Royalty on derivatives' revenue (COMMERCIAL_REMIX). */
  royaltyBps?: number | undefined
  /** Seconds a license lasts; 0 = perpetual. */
  duration?: number | bigint | undefined
  transferable?: boolean | undefined
  /** 0 = unlimited. */
  supplyCap?: bigint | number | undefined
}

/** Attaches an immutable terms set to an asset you own; returns its termsId. */
export async function attachTerms(ctx: WriteContext, p: AttachTermsParams): Promise<TxResult & { termsId: bigint }> {
  return run(ctx, { action: 'attachTerms' }, async () => {
    const account = requireAccount(ctx.walletClient, 'attachTerms')
    const token: Address = p.paymentToken === undefined ? zeroAddress : resolveToken(ctx.deployments, p.paymentToken)
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: ctx.deployments.contracts.LicenseRegistry,
      abi: licenseRegistryAbi,
      functionName: 'attachTerms',
      args: [
        toBigInt(p.assetId, 'assetId'),
        {
          template: templateId(p.template),
          paymentToken: token,
          price: p.price ?? 0n,
          royaltyBps: p.royaltyBps ?? 0,
          duration: Number(p.duration ?? 0),
          transferable: p.transferable ?? false,
          supplyCap: toBigInt(p.supplyCap ?? 0n, 'supplyCap'),
        },
      ],
    })
    const tx = await submit(ctx, request, 'attachTerms')
    const [event] = parseEventLogs({ abi: licenseRegistryAbi, logs: tx.receipt.logs, eventName: 'TermsAttached' })
    if (!event) throw new Error('The attachTerms transaction emitted no TermsAttached event.')
    return { ...tx, termsId: event.args.termsId }
  })
}
