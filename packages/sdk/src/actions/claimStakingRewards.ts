import { getAddress, parseEventLogs, type Address } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/** One reward token paid by a claim. */
export type StakingRewardPaid = { token: Address; amount: bigint }

/**
 * Claims the wallet's staking rewards at node `nodeId` in every reward token: as a delegator and,
 * when the wallet is the node's operator, its commission and self-bond rewards. `rewards` lists
 * only the tokens actually paid (empty when there was nothing to claim).
 */
export async function claimStakingRewards(ctx: WriteContext, p: { nodeId: bigint | number }): Promise<TxResult & { rewards: StakingRewardPaid[] }> {
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
    const events = parseEventLogs({ abi: nodeStakingAbi, logs: tx.receipt.logs, eventName: 'RewardsClaimed' })
    return { ...tx, rewards: events.map((e) => ({ token: getAddress(e.args.token), amount: e.args.amount })) }
  })
}
