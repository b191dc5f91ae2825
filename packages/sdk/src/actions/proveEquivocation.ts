import { equivocationEvidence } from '../payments/equivocation'
import type { SignedReceipt } from '../payments/receipt'
import type { TxResult, WriteContext } from './_internal'
import { submitSlashEvidence, type EquivocationSlash } from './_slashEvidence'

export type { EquivocationSlash } from './_slashEvidence'

/**
 * Submits two conflicting receipts of one node (see findEquivocation) to
 * NodeStaking.slashForEquivocation: the node is slashed (bond, delegations and unbonding pro rata)
 * to the treasury and jailed. The pair is checked locally first (EquivocationError); the batch
 * signatures are checked on-chain against the node's signer or operator.
 */
export async function proveEquivocation(ctx: WriteContext, receiptA: SignedReceipt, receiptB: SignedReceipt): Promise<TxResult & EquivocationSlash> {
  return submitSlashEvidence(ctx, 'slashForEquivocation', 'EquivocationProven', () => equivocationEvidence(receiptA, receiptB))
}
