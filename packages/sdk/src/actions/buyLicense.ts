import { parseEventLogs, zeroAddress, type Address, type Hex } from 'viem'
import { simulateContract } from 'viem/actions'
import { licenseRegistryAbi } from '../abis/generated'
import type { TokenDisplay } from '../errors'
import {
  deadlineIn,
  ensureAllowance,
  requireAccount,
  requireBalance,
  run,
  signPermit,
  submit,
  toBigInt,
  tokenDisplay,
  type Authorization,
  type TxResult,
  type WriteContext,
} from './_internal'
import { getTerms } from './listTerms'

export type BuyLicenseParams = {
  termsId: bigint | number
  /** Receiver of the LicenseNFT (default: the buyer). */
  licensee?: Address | undefined
  /** Slippage guard in token units (default: the current price). */
  maxFee?: bigint | undefined
  /** 'approve' (default) sends an approval to the RevenueVault when needed; 'permit' signs an ERC-2612 permit instead. */
  authorization?: Authorization | undefined
}

export type BuyLicenseResult = TxResult & { licenseId: bigint; fee: bigint; expiresAt: number; approvalHash?: Hex | undefined }

/**
 * Buys a license. The fee is pulled by the RevenueVault (not the LicenseRegistry), so the buyer
 * approves or permits the vault; the fee is then split like any other revenue of the asset.
 */
export async function buyLicense(ctx: WriteContext, p: BuyLicenseParams): Promise<BuyLicenseResult> {
  let token: TokenDisplay | undefined
  return run(ctx, () => ({ action: 'buyLicense', token }), async () => {
    const account = requireAccount(ctx.walletClient, 'buyLicense')
    const termsId = toBigInt(p.termsId, 'termsId')
    const terms = await getTerms(ctx, termsId)
    const paid = terms.price > 0n && terms.paymentToken !== zeroAddress
    if (paid) token = await tokenDisplay(ctx.publicClient, terms.paymentToken)
    const maxFee = p.maxFee ?? terms.price
    const licensee = p.licensee ?? zeroAddress
    const vault = ctx.deployments.contracts.RevenueVault
    const registry = ctx.deployments.contracts.LicenseRegistry
    let approvalHash: Hex | undefined
    let request: unknown
    if (paid && terms.price <= maxFee) await requireBalance(ctx, terms.paymentToken, terms.price)
    // When the price is above maxFee nothing is approved: the simulation reverts with FeeAboveMax.
    if (paid && terms.price <= maxFee && p.authorization === 'permit') {
      const permit = await signPermit(ctx, terms.paymentToken, vault, terms.price, await deadlineIn(ctx.publicClient))
      ;({ request } = await simulateContract(ctx.publicClient, {
        account,
        address: registry,
        abi: licenseRegistryAbi,
        functionName: 'buyLicenseWithPermit',
        args: [termsId, licensee, maxFee, permit.deadline, permit.v, permit.r, permit.s],
      }))
    } else {
      if (paid && terms.price <= maxFee) approvalHash = (await ensureAllowance(ctx, terms.paymentToken, vault, terms.price))?.hash
      ;({ request } = await simulateContract(ctx.publicClient, {
        account,
        address: registry,
        abi: licenseRegistryAbi,
        functionName: 'buyLicense',
        args: [termsId, licensee, maxFee],
      }))
    }
    const tx = await submit(ctx, request, 'buyLicense')
    const [event] = parseEventLogs({ abi: licenseRegistryAbi, logs: tx.receipt.logs, eventName: 'LicenseIssued' })
    if (!event) throw new Error('The buyLicense transaction emitted no LicenseIssued event.')
    return { ...tx, licenseId: event.args.licenseId, fee: event.args.fee, expiresAt: Number(event.args.expiresAt), approvalHash }
  })
}
