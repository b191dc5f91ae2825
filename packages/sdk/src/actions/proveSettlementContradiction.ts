import { contradictionEvidence, type SettledReceipt } from '../payments/equivocation'
import type { SignedReceipt } from '../payments/receipt'
import type { TxResult, WriteContext } from './_internal'
import { submitSlashEvidence, type EquivocationSlash } from './_slashEvidence'

/**
 * Submits a settlement contradiction to NodeStaking.slashForSettlementContradiction: `signed` is a
 * receipt the node signed (its X-Sahara-Receipt), `settled` a different receipt for the same channel
 * lane position proven under a receipts root the node recorded on-chain (see settledReceipt). The
 * node is slashed like for equivocation (bond, delegations and unbonding pro rata, to the treasury)
 * and jailed. The pair is checked locally first (EquivocationError); the batch signature and the
 * root's record (RootNotRecordedByNode) are checked on-chain.
 */
export async function proveSettlementContradiction(ctx: WriteContext, signed: SignedReceipt, settled: SettledReceipt): Promise<TxResult & EquivocationSlash> {
  return submitSlashEvidence(ctx, 'slashForSettlementContradiction', 'SettlementContradictionProven', () => contradictionEvidence(signed, settled))
}
