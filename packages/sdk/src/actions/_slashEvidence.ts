import { parseEventLogs, type Hex } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import type { ReceiptEvidence } from '../payments/equivocation'
import { requireAccount, run, submit, type TxResult, type WriteContext } from './_internal'

export type EquivocationSlash = {
  nodeId: bigint
  /** keccak256 of the sorted leaf pair: the same evidence cannot slash twice. */
  evidenceKey: Hex
  bps: number
  /** Cut from the operator's bond, the delegation pool and the unbonding pool; all sent to `treasury`. */
  selfCut: bigint
  poolCut: bigint
  unbondingCut: bigint
  treasury: Hex
  /** The node is jailed until this Unix time. */
  jailedUntil: bigint
}

/**
 * The two automatic slashing entry points of NodeStaking take a pair of ReceiptEvidence and emit
 * `<kind>Proven` + Slashed + Jailed: builds the pair (local checks throw first), simulates, submits
 * and reads the outcome from the events.
 */
export async function submitSlashEvidence(
  ctx: WriteContext,
  functionName: 'slashForEquivocation' | 'slashForSettlementContradiction',
  provenEvent: 'EquivocationProven' | 'SettlementContradictionProven',
  evidence: () => [ReceiptEvidence, ReceiptEvidence],
): Promise<TxResult & EquivocationSlash> {
  const action = functionName === 'slashForEquivocation' ? 'proveEquivocation' : 'proveSettlementContradiction'
  return run(ctx, { action }, async () => {
    const account = requireAccount(ctx.walletClient, action)
    const [a, b] = evidence()
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: stakingContract(ctx.deployments, 'NodeStaking'),
      abi: nodeStakingAbi,
      functionName,
      args: [a, b],
    })
    const tx = await submit(ctx, request, functionName)
    const logs = tx.receipt.logs
    const [proven] = parseEventLogs({ abi: nodeStakingAbi, logs, eventName: provenEvent })
    const [slashed] = parseEventLogs({ abi: nodeStakingAbi, logs, eventName: 'Slashed' })
    const [jailed] = parseEventLogs({ abi: nodeStakingAbi, logs, eventName: 'Jailed' })
    if (!proven || !slashed || !jailed) throw new Error(`The ${functionName} transaction emitted no ${provenEvent}/Slashed/Jailed event.`)
    return {
      ...tx,
      nodeId: slashed.args.nodeId,
      evidenceKey: proven.args.evidenceKey,
      bps: Number(slashed.args.bps),
      selfCut: slashed.args.selfCut,
      poolCut: slashed.args.poolCut,
      unbondingCut: slashed.args.unbondingCut,
      treasury: slashed.args.treasury,
      jailedUntil: BigInt(jailed.args.until),
    }
  })
}
