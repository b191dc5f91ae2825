import { getAddress, type Address } from 'viem'
import { readContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/execution'
import { stakingContract } from '../deployments'
import { run, toBigInt, type ReadContext } from './_internal'

export type StakeView = {
  nodeId: bigint
  account: Address
  /** The node's staking state (self bond, pools, weight, commission, jail). */
  node: {
    operator: Address
    selfBond: bigint
    delegated: bigint
    unbonding: bigint
    weight: bigint
    commissionBps: number
    pendingCommissionBps: number
    commissionEffectiveAt: bigint
    jailed: boolean
    jailedUntil: bigint
    active: boolean
  }
  /** The account's delegation: pool shares and their SAHARA value now. */
  shares: bigint
  value: bigint
  /** Unbonding entries: SAHARA value now and when each can be withdrawn. */
  unbonding: { value: bigint; maturesAt: bigint }[]
  /** Claimable rewards per reward token (operator rewards included when the account operates the node). */
  rewards: { token: Address; amount: bigint }[]
}

/** The staking position of `account` at a node, with the node's staking state. */
export async function getStake(ctx: ReadContext, p: { nodeId: bigint | number; account: Address }): Promise<StakeView> {
  return run(ctx, { action: 'getStake' }, async () => {
    const nodeId = toBigInt(p.nodeId, 'nodeId')
    const account = getAddress(p.account)
    const address = stakingContract(ctx.deployments, 'NodeStaking')
    const read = <F extends 'nodeStake' | 'delegation' | 'unbondingEntries' | 'pendingRewards' | 'rewardTokens'>(functionName: F, args: readonly unknown[]) =>
      readContract(ctx.publicClient, { address, abi: nodeStakingAbi, functionName, args } as never)
    const [n, [shares, value], [entries, values], rewards, tokens] = (await Promise.all([
      read('nodeStake', [nodeId]),
      read('delegation', [nodeId, account]),
      read('unbondingEntries', [nodeId, account]),
      read('pendingRewards', [nodeId, account]),
      read('rewardTokens', []),
    ])) as [
      {
        operator: Address
        selfBond: bigint
        delegated: bigint
        unbonding: bigint
        weight: bigint
        commissionBps: number
        pendingCommissionBps: number
        commissionEffectiveAt: bigint
        jailedUntil: bigint
        jailed: boolean
        active: boolean
      },
      readonly [bigint, bigint],
      readonly [readonly { shares: bigint; maturesAt: bigint }[], readonly bigint[]],
      readonly bigint[],
      readonly Address[],
    ]
    return {
      nodeId,
      account,
      node: {
        operator: n.operator,
        selfBond: n.selfBond,
        delegated: n.delegated,
        unbonding: n.unbonding,
        weight: n.weight,
        commissionBps: Number(n.commissionBps),
        pendingCommissionBps: Number(n.pendingCommissionBps),
        commissionEffectiveAt: BigInt(n.commissionEffectiveAt),
        jailed: n.jailed,
        jailedUntil: BigInt(n.jailedUntil),
        active: n.active,
      },
      shares,
      value,
      unbonding: entries.map((e, i) => ({ value: values[i] ?? 0n, maturesAt: BigInt(e.maturesAt) })),
      rewards: tokens.map((token, i) => ({ token: getAddress(token), amount: rewards[i] ?? 0n })),
    }
  })
}
