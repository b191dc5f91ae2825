import { parseEventLogs } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import { contradictionEvidence, type SettledReceipt } from '../payments/equivocation'
import type { SignedReceipt } from '../payments/receipt'
import { requireAccount, run, submit, withGasHeadroom, type TxResult, type WriteContext } from './_internal'
import type { EquivocationSlash } from './proveEquivocation'

/**
 * Submits a settlement contradiction to NodeStaking.slashForSettlementContradiction: `signed` is a
 * receipt the node signed (its X-Sahara-Receipt), `settled` a different receipt for the same channel
 * lane position proven under a receipts root the node recorded on-chain (see settledReceipt). The
 * node is slashed like for equivocation (bond, delegations and unbonding pro rata, to the treasury)
 * and jailed. The pair is checked locally first (EquivocationError); the batch signature and the
 * root's record (RootNotRecordedByNode) are checked on-chain.
 */
export async function proveSettlementContradiction(
  ctx: WriteContext,
  signed: SignedReceipt,
  settled: SettledReceipt,
): Promise<TxResult & EquivocationSlash> {
  return run(ctx, { action: 'proveSettlementContradiction' }, async () => {
    const account = requireAccount(ctx.walletClient, 'proveSettlementContradiction')
    const [a, b] = contradictionEvidence(signed, settled)
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: stakingContract(ctx.deployments, 'NodeStaking'),
      abi: nodeStakingAbi,
      functionName: 'slashForSettlementContradiction',
      args: [a, b],
    })
    const tx = await submit(ctx, await withGasHeadroom(ctx, request), 'slashForSettlementContradiction')
    const logs = tx.receipt.logs
    const [proven] = parseEventLogs({ abi: nodeStakingAbi, logs, eventName: 'SettlementContradictionProven' })
    const [slashed] = parseEventLogs({ abi: nodeStakingAbi, logs, eventName: 'Slashed' })
    const [jailed] = parseEventLogs({ abi: nodeStakingAbi, logs, eventName: 'Jailed' })
    if (!proven || !slashed || !jailed) {
      throw new Error('The slashForSettlementContradiction transaction emitted no SettlementContradictionProven/Slashed/Jailed event.')
    }
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
