import { getAddress, parseEventLogs, type Address } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/execution'
import { stakingContract } from '../deployments'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/**
 * Claims the wallet's staking rewards at a node in every reward token (as a delegator, plus
 * commission and self-bond rewards when the wallet is the node's operator).
 */
export async function claimStakingRewards(
  ctx: WriteContext,
  p: { nodeId: bigint | number },
): Promise<TxResult & { paid: { token: Address; amount: bigint }[] }> {
  return run(ctx, { action: 'claimStakingRewards' }, async () => {
    const account = requireAccount(ctx.walletClient, 'claimStakingRewards')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: stakingContract(ctx.deployments, 'NodeStaking'),
      abi: nodeStakingAbi,
      functionName: 'claimRewards',
      args: [toBigInt(p.nodeId, 'nodeId')],
    })
    const tx = await submit(ctx, request, 'claimRewards')
    const paid = parseEventLogs({ abi: nodeStakingAbi, logs: tx.receipt.logs, eventName: 'RewardsClaimed' }).map((e) => ({
      token: getAddress(e.args.token),
      amount: e.args.amount,
    }))
    return { ...tx, paid }
  })
}
