import type { Address } from 'viem'
import { readContract } from 'viem/actions'
import { nodeRegistryAbi } from '../abis/execution'
import { executionContract } from '../deployments'
import { run, toBigInt, type ReadContext } from './_internal'

export const NODE_STATUS = ['Active', 'Exiting', 'Exited'] as const
export type NodeStatusName = (typeof NODE_STATUS)[number]

export type NodeView = {
  nodeId: bigint
  operator: Address
  signer: Address
  stake: bigint
  status: NodeStatusName
  /** Unix seconds when an exiting node's stake unlocks (0 while active). */
  unlockAt: bigint
  endpoint: string
}

/** A registered node (throws a ContractError UnknownNode for unknown ids). */
export async function getNode(ctx: ReadContext, nodeId: bigint | number): Promise<NodeView> {
  return run(ctx, { action: 'getNode' }, async () => {
    const id = toBigInt(nodeId, 'nodeId')
    const n = await readContract(ctx.publicClient, {
      address: executionContract(ctx.deployments, 'NodeRegistry'),
      abi: nodeRegistryAbi,
      functionName: 'node',
      args: [id],
    })
    return {
      nodeId: id,
      operator: n.operator,
      signer: n.signer,
      stake: BigInt(n.stake),
      status: NODE_STATUS[n.status] ?? 'Exited',
      unlockAt: BigInt(n.unlockAt),
      endpoint: n.endpoint,
    }
  })
}

/** Whether a node serves an asset now, and the node fee recorded for it (kept after stopServing). */
export async function getNodeService(
  ctx: ReadContext,
  p: { nodeId: bigint | number; assetId: bigint | number },
): Promise<{ serving: boolean; feeBps: number }> {
  return run(ctx, { action: 'getNodeService' }, async () => {
    const [serving, feeBps] = await readContract(ctx.publicClient, {
      address: executionContract(ctx.deployments, 'NodeRegistry'),
      abi: nodeRegistryAbi,
      functionName: 'serviceOf',
      args: [toBigInt(p.nodeId, 'nodeId'), toBigInt(p.assetId, 'assetId')],
    })
    return { serving, feeBps: Number(feeBps) }
  })
}
