import type { Store } from '../store/db.ts'
import { merkleLevels } from './merkle.ts'
import { decodeReceipt, receiptHeader, type ReceiptFields } from './receipt.ts'
import type { Ticket } from './types.ts'

/** A committed receipt found again, with its X-Sahara-Receipt header rebuilt from its group. */
export type StoredReceipt = { fields: ReceiptFields; header: string }

/**
 * The receipt the node committed for this ticket's call, when that call is recent. A client whose
 * answer was lost (the node died after committing, before answering) retries with the same
 * ticket; this is how the node recognizes the call it was already paid for.
 */
export function storedReceipt(store: Store, t: Ticket): StoredReceipt | undefined {
  const found = store.findLaneReceipt({ channelId: t.channelId, assetId: t.assetId, lane: t.lane, index: BigInt(t.index) })
  if (!found) return undefined
  const tree = merkleLevels(found.leaves)
  const fields = decodeReceipt(Buffer.from(found.fields))
  const header = receiptHeader(fields, tree.proof(found.position), found.root, found.seq, found.signature)
  return { fields, header }
}
