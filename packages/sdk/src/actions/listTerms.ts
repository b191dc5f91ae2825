import type { Address } from 'viem'
import { getContractEvents, readContract } from 'viem/actions'
import { licenseRegistryAbi } from '../abis/generated'
import { templateName, type LicenseTemplateName } from '../constants'
import { run, toBigInt, type ReadContext } from './_internal'

export type TermsView = {
  termsId: bigint
  assetId: bigint
  template: LicenseTemplateName
  paymentToken: Address
  price: bigint
  royaltyBps: number
  duration: number
  transferable: boolean
  active: boolean
  supplyCap: bigint
  sold: bigint
}

/** One terms set by id. */
export async function getTerms(ctx: ReadContext, termsIdLike: bigint | number): Promise<TermsView> {
  return run(ctx, { action: 'getTerms' }, async () => {
    const termsId = toBigInt(termsIdLike, 'termsId')
    const t = await readContract(ctx.publicClient, {
      address: ctx.deployments.contracts.LicenseRegistry,
      abi: licenseRegistryAbi,
      functionName: 'terms',
      args: [termsId],
    })
    return {
      termsId,
      assetId: BigInt(t.assetId),
      template: templateName(t.template),
      paymentToken: t.paymentToken,
      price: t.price,
      royaltyBps: t.royaltyBps,
      duration: Number(t.duration),
      transferable: t.transferable,
      active: t.active,
      supplyCap: BigInt(t.supplyCap),
      sold: BigInt(t.sold),
    }
  })
}

/** Every terms set ever attached to an asset (from TermsAttached logs), with current state. */
export async function listTerms(ctx: ReadContext, assetIdLike: bigint | number): Promise<TermsView[]> {
  return run(ctx, { action: 'listTerms' }, async () => {
    const assetId = toBigInt(assetIdLike, 'assetId')
    const logs = await getContractEvents(ctx.publicClient, {
      address: ctx.deployments.contracts.LicenseRegistry,
      abi: licenseRegistryAbi,
      eventName: 'TermsAttached',
      args: { assetId },
      fromBlock: ctx.deployments.startBlock,
      toBlock: 'latest',
      strict: true,
    })
    return Promise.all(logs.map((l) => getTerms(ctx, l.args.termsId)))
  })
}
