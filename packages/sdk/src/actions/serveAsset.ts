import { simulateContract } from 'viem/actions'
import { nodeRegistryAbi } from '../abis/execution'
import { executionContract } from '../deployments'
import { InvalidArgumentError } from '../errors'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

export type ServeAssetParams = {
  nodeId: bigint | number
  assetId: bigint | number
  /** Node fee: share of each payment (bps) paid to the node operator; <= NodeRegistry.maxNodeFeeBps(). */
  feeBps: number
}

/** Declares that a node serves an asset with a node fee (operator only; call again to change the fee). */
export async function serveAsset(ctx: WriteContext, p: ServeAssetParams): Promise<TxResult> {
  return run(ctx, { action: 'serveAsset' }, async () => {
    const account = requireAccount(ctx.walletClient, 'serveAsset')
    if (!Number.isInteger(p.feeBps) || p.feeBps < 0 || p.feeBps > 10_000) {
      throw new InvalidArgumentError(`feeBps must be an integer from 0 to 10000, got ${String(p.feeBps)}.`)
    }
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: executionContract(ctx.deployments, 'NodeRegistry'),
      abi: nodeRegistryAbi,
      functionName: 'serveAsset',
      args: [toBigInt(p.nodeId, 'nodeId'), toBigInt(p.assetId, 'assetId'), p.feeBps],
    })
    return submit(ctx, request, 'serveAsset')
  })
}
