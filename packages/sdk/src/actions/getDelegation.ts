import { getAddress, type Address } from 'viem'
import { getBlock, readContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import { InvalidArgumentError } from '../errors'
import { run, toBigInt, type ReadContext } from './_internal'

/** One pending unbonding of a delegation. */
export type UnbondingView = {
  /** Shares of the node's unbonding pool (their value shrinks with slashes). */
  shares: bigint
  /** SAHARA it is worth now. */
  value: bigint
  /** Unix seconds when withdrawUnbonded pays it. */
  maturesAt: bigint
  /** Whether it has matured at the latest block's time. */
  matured: boolean
}

export type DelegationView = {
  nodeId: bigint
  account: Address
  /** Delegation pool shares held. */
  shares: bigint
  /** SAHARA they are worth now. */
  value: bigint
  /**
   * Rewards claimable now, per reward token (NodeStaking.pendingRewards: includes streamed
   * emissions and, for the node's operator, commission and self-bond rewards).
   */
  pendingRewards: { token: Address; amount: bigint }[]
  unbonding: UnbondingView[]
  /** Sum of the unbonding values. */
  unbondingTotal: bigint
}

/** `account`'s delegation at node `nodeId`: shares, value, claimable rewards and unbonding entries. */
export async function getDelegation(ctx: ReadContext, p: { nodeId: bigint | number; account: Address }): Promise<DelegationView> {
  return run(ctx, { action: 'getDelegation' }, async () => {
    const nodeId = toBigInt(p.nodeId, 'nodeId')
    if (typeof p.account !== 'string') throw new InvalidArgumentError('An account address is needed.')
    const account = getAddress(p.account)
    const address = stakingContract(ctx.deployments, 'NodeStaking')
    // One block for every read, so value, rewards and maturity agree.
    const head = await getBlock(ctx.publicClient, { blockTag: 'latest' })
    const at = { blockNumber: head.number }
    const [[shares, value], rewards, tokens, [entries, values]] = await Promise.all([
      readContract(ctx.publicClient, { address, abi: nodeStakingAbi, functionName: 'delegation', args: [nodeId, account], ...at }),
      readContract(ctx.publicClient, { address, abi: nodeStakingAbi, functionName: 'pendingRewards', args: [nodeId, account], ...at }),
      readContract(ctx.publicClient, { address, abi: nodeStakingAbi, functionName: 'rewardTokens', ...at }),
      readContract(ctx.publicClient, { address, abi: nodeStakingAbi, functionName: 'unbondingEntries', args: [nodeId, account], ...at }),
    ])
    const now = head.timestamp
    const unbonding = entries.map((e, i) => ({ shares: BigInt(e.shares), value: values[i] ?? 0n, maturesAt: BigInt(e.maturesAt), matured: BigInt(e.maturesAt) <= now }))
    return {
      nodeId,
      account,
      shares,
      value,
      pendingRewards: tokens.map((t, i) => ({ token: getAddress(t), amount: rewards[i] ?? 0n })),
      unbonding,
      unbondingTotal: unbonding.reduce((s, u) => s + u.value, 0n),
    }
  })
}
