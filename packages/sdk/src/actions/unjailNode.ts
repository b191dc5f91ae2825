import { simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/execution'
import { stakingContract } from '../deployments'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/** Unjails a node after its jail period (operator only; the bond must still be >= minStake). */
export async function unjailNode(ctx: WriteContext, p: { nodeId: bigint | number }): Promise<TxResult> {
  return run(ctx, { action: 'unjailNode' }, async () => {
    const account = requireAccount(ctx.walletClient, 'unjailNode')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: stakingContract(ctx.deployments, 'NodeStaking'),
      abi: nodeStakingAbi,
      functionName: 'unjail',
      args: [toBigInt(p.nodeId, 'nodeId')],
    })
    return submit(ctx, request, 'unjail')
  })
}
