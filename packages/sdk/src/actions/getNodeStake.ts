import type { Address } from 'viem'
import { readContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import { run, toBigInt, type ReadContext } from './_internal'

/** A node's staking state (NodeStaking.nodeStake: as of the node's last on-chain touch). */
export type NodeStakeView = {
  nodeId: bigint
  operator: Address
  /** The operator's bond in NodeRegistry, as last synced. */
  selfBond: bigint
  /** SAHARA value of the delegation pool and its shares. */
  delegated: bigint
  delegatedShares: bigint
  /** SAHARA value of the unbonding pool and its shares. */
  unbonding: bigint
  unbondingShares: bigint
  /** Reward weight: selfBond + delegated while active and not jailed, else 0. */
  weight: bigint
  /** Commission in force, in bps. */
  commissionBps: number
  /** A requested commission and when it applies (0 = none pending). */
  pendingCommissionBps: number
  commissionEffectiveAt: bigint
  jailed: boolean
  /** Earliest unjail time (0 = never jailed). */
  jailedUntil: bigint
  /** Whether the node was Active in NodeRegistry at its last sync. */
  active: boolean
}

/** Staking state of node `nodeId`. A node nobody staked with yet reads as zeros. */
export async function getNodeStake(ctx: ReadContext, nodeId: bigint | number): Promise<NodeStakeView> {
  return run(ctx, { action: 'getNodeStake' }, async () => {
    const id = toBigInt(nodeId, 'nodeId')
    const s = await readContract(ctx.publicClient, {
      address: stakingContract(ctx.deployments, 'NodeStaking'),
      abi: nodeStakingAbi,
      functionName: 'nodeStake',
      args: [id],
    })
    return {
      nodeId: id,
      operator: s.operator,
      selfBond: s.selfBond,
      delegated: s.delegated,
      delegatedShares: s.delegatedShares,
      unbonding: s.unbonding,
      unbondingShares: s.unbondingShares,
      weight: s.weight,
      commissionBps: Number(s.commissionBps),
      pendingCommissionBps: Number(s.pendingCommissionBps),
      commissionEffectiveAt: BigInt(s.commissionEffectiveAt),
      jailed: s.jailed,
      jailedUntil: BigInt(s.jailedUntil),
      active: s.active,
    }
  })
}
