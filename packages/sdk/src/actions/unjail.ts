import { simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import type { TokenDisplay } from '../errors'
import { requireAccount, run, submit, toBigInt, tokenDisplay, type TxResult, type WriteContext } from './_internal'

/** Unjails node `nodeId` after its jail period (operator only; the bond must be at least the registry minimum). */
export async function unjail(ctx: WriteContext, p: { nodeId: bigint | number }): Promise<TxResult> {
  let token: TokenDisplay | undefined
  return run(ctx, () => ({ action: 'unjail', token }), async () => {
    const account = requireAccount(ctx.walletClient, 'unjail')
    token = await tokenDisplay(ctx.publicClient, ctx.deployments.contracts.SaharaToken)
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
