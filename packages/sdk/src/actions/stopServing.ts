import { simulateContract } from 'viem/actions'
import { nodeRegistryAbi } from '../abis/execution'
import { executionContract } from '../deployments'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/** Stops serving an asset (operator only); its fee stays recorded for settlements of past calls. */
export async function stopServing(ctx: WriteContext, p: { nodeId: bigint | number; assetId: bigint | number }): Promise<TxResult> {
  return run(ctx, { action: 'stopServing' }, async () => {
    const account = requireAccount(ctx.walletClient, 'stopServing')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: executionContract(ctx.deployments, 'NodeRegistry'),
      abi: nodeRegistryAbi,
      functionName: 'stopServing',
      args: [toBigInt(p.nodeId, 'nodeId'), toBigInt(p.assetId, 'assetId')],
    })
    return submit(ctx, request, 'stopServing')
  })
}
