import { simulateContract } from 'viem/actions'
import { contributionSharesAbi } from '../abis/generated'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/**
 * Sets the contributors' part of an asset's revenue (bps of what remains after the protocol fee
 * and royalties). Once shares exist it can only grow.
 */
export async function setContributorSplit(ctx: WriteContext, p: { assetId: bigint | number; bps: number }): Promise<TxResult> {
  return run(ctx, { action: 'setContributorSplit' }, async () => {
    const account = requireAccount(ctx.walletClient, 'setContributorSplit')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: ctx.deployments.contracts.ContributionShares,
      abi: contributionSharesAbi,
      functionName: 'setContributorSplit',
      args: [toBigInt(p.assetId, 'assetId'), p.bps],
    })
    return submit(ctx, request, 'setContributorSplit')
  })
}
