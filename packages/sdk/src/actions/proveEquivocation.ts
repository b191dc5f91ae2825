import { parseEventLogs, type Hex } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import { equivocationEvidence } from '../payments/equivocation'
import type { SignedReceipt } from '../payments/receipt'
import { requireAccount, run, submit, withGasHeadroom, type TxResult, type WriteContext } from './_internal'

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
 * Submits two conflicting receipts of one node (see findEquivocation) to
 * NodeStaking.slashForEquivocation: the node is slashed (bond, delegations and unbonding pro rata)
 * to the treasury and jailed. The pair is checked locally first (EquivocationError); the batch
 * signatures are checked on-chain against the node's signer or operator.
 */
export async function proveEquivocation(ctx: WriteContext, receiptA: SignedReceipt, receiptB: SignedReceipt): Promise<TxResult & EquivocationSlash> {
  return run(ctx, { action: 'proveEquivocation' }, async () => {
    const account = requireAccount(ctx.walletClient, 'proveEquivocation')
    const [a, b] = equivocationEvidence(receiptA, receiptB)
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: stakingContract(ctx.deployments, 'NodeStaking'),
      abi: nodeStakingAbi,
      functionName: 'slashForEquivocation',
      args: [a, b],
    })
    const tx = await submit(ctx, await withGasHeadroom(ctx, request), 'slashForEquivocation')
    const logs = tx.receipt.logs
    const [proven] = parseEventLogs({ abi: nodeStakingAbi, logs, eventName: 'EquivocationProven' })
    const [slashed] = parseEventLogs({ abi: nodeStakingAbi, logs, eventName: 'Slashed' })
    const [jailed] = parseEventLogs({ abi: nodeStakingAbi, logs, eventName: 'Jailed' })
    if (!proven || !slashed || !jailed) throw new Error('The slashForEquivocation transaction emitted no EquivocationProven/Slashed/Jailed event.')
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
