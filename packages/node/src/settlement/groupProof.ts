import type { Hex } from 'viem'
import type { Store } from '../store/db.ts'
import { merkleLevels } from '../payments/merkle.ts'

/**
 * Where a receipt group stands: `unsettled` (not in a batch with a broadcast transaction yet),
 * `submitted` (in a batch whose transaction is broadcast, not confirmed) or `settled` (confirmed:
 * the receipts root is recorded on-chain).
 */
export type GroupStatus = 'unsettled' | 'submitted' | 'settled'

export type GroupProof = {
  groupRoot: Hex
  sequence: string
  status: GroupStatus
  /** The settlement's receipts root (tree over the group roots it covers). */
  receiptsRoot?: Hex
  /** Siblings from groupRoot to receiptsRoot (append to the receipt's own proof). */
  proof?: Hex[]
  txHash?: Hex
}

const hex = (b: Buffer) => ('0x' + b.toString('hex')) as Hex

/**
 * The top proof of a group, derived from SQLite only (so it survives restarts): the settlement row
 * knows its groups (assigned in sequence order), whose roots are the leaves of its receipts root.
 * Returns undefined for a group this node never committed. Throws when the stored groups do not
 * rebuild the stored root (a corrupted store must not hand out proofs that will not verify).
 */
export function groupProof(store: Store, groupRoot: Buffer): GroupProof | undefined {
  const g = store.groupByRoot(groupRoot)
  if (!g) return undefined
  const base = { groupRoot: hex(g.root), sequence: String(g.seq) }
  if (g.settlement_id === null) return { ...base, status: 'unsettled' }
  const s = store.settlement(g.settlement_id)
  // 'prepared': the batch is formed but no transaction exists yet (it may still be abandoned)
  if (!s || !s.tx_hash || (s.status !== 'submitted' && s.status !== 'confirmed')) return { ...base, status: 'unsettled' }
  const roots = store.settlementGroupRoots(s.id)
  const i = roots.findIndex((r) => r.equals(g.root))
  const tree = merkleLevels(roots)
  if (i < 0 || !tree.root.equals(s.root)) throw new Error(`settlement ${s.id}: its groups do not rebuild its receipts root`)
  return {
    ...base,
    status: s.status === 'confirmed' ? 'settled' : 'submitted',
    receiptsRoot: hex(s.root),
    proof: tree.proof(i).map(hex),
    txHash: s.tx_hash as Hex,
  }
}
