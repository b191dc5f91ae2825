import { RECEIPT_ROW } from '../store/db.ts'
import { merkleLevels, sha256, type MerkleLevels } from './merkle.ts'
import { encodeReceiptInto, RECEIPT_BYTES, type ReceiptFields } from './receipt.ts'

export type BuiltGroup = {
  root: Buffer
  /** Rows of leaf (32) | abi.encode(fields) (352), in leaf order: what the store keeps. */
  packed: Buffer
  /** The tree: `tree.proofB64(i)` is the `.<sibling>...` tail of receipt i's format-2 header. */
  tree: MerkleLevels
}

/**
 * Encodes a group's receipts in place into one row buffer, hashes each encoding to its leaf and
 * builds the Merkle tree: the CPU part of a group commit, run by whichever thread commits it.
 */
export function buildGroup(receipts: readonly ReceiptFields[]): BuiltGroup {
  // unpooled: the buffer may be cloned whole to another thread, and zeroed since encodeReceiptInto needs it
  const packed = Buffer.allocUnsafeSlow(receipts.length * RECEIPT_ROW).fill(0)
  const leaves: Buffer[] = new Array(receipts.length)
  for (let i = 0; i < receipts.length; i++) {
    const off = i * RECEIPT_ROW
    encodeReceiptInto(packed, off + 32, receipts[i]!)
    const leaf = sha256(packed.subarray(off + 32, off + 32 + RECEIPT_BYTES))
    leaf.copy(packed, off)
    leaves[i] = leaf
  }
  const tree = merkleLevels(leaves)
  return { root: tree.root, packed, tree }
}
