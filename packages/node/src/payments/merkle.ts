import { createHash } from 'node:crypto'

/** sha256 of the given bytes (node:crypto: ~1 us for small inputs). */
export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest()
}

/** Internal node: sha256(min(a,b) || max(a,b)) with bytes compared lexicographically. */
export function hashPair(a: Buffer, b: Buffer): Buffer {
  return Buffer.compare(a, b) <= 0 ? sha256(Buffer.concat([a, b], 64)) : sha256(Buffer.concat([b, a], 64))
}

const ZERO32 = Buffer.alloc(32)

/**
 * Root of the sorted-pair tree over `leaves` and, for each leaf, its proof (siblings leaf -> root).
 * An odd node is promoted unchanged. Empty tree: root 0; one leaf: root = leaf, empty proof.
 */
export function merkleTree(leaves: readonly Buffer[]): { root: Buffer; proofs: Buffer[][] } {
  const n = leaves.length
  if (n === 0) return { root: ZERO32, proofs: [] }
  const proofs: Buffer[][] = Array.from({ length: n }, () => [])
  // pos[i] = position of leaf i's ancestor in the current level
  const pos = Array.from({ length: n }, (_, i) => i)
  let level: Buffer[] = leaves.slice()
  while (level.length > 1) {
    for (let i = 0; i < n; i++) {
      const p = pos[i]!
      const sib = p ^ 1
      if (sib < level.length) proofs[i]!.push(level[sib]!)
      pos[i] = p >> 1
    }
    const next: Buffer[] = []
    for (let j = 0; j < level.length; j += 2) {
      next.push(j + 1 < level.length ? hashPair(level[j]!, level[j + 1]!) : level[j]!)
    }
    level = next
  }
  return { root: level[0]!, proofs }
}

/** Root only (settlement root over group roots). */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return ZERO32
  let level: Buffer[] = leaves.slice()
  while (level.length > 1) {
    const next: Buffer[] = []
    for (let j = 0; j < level.length; j += 2) next.push(j + 1 < level.length ? hashPair(level[j]!, level[j + 1]!) : level[j]!)
    level = next
  }
  return level[0]!
}

/** Walks leaf -> root with sorted-pair hashing (mirror of PaymentChannels.verifyReceipt). */
export function verifyProof(root: Buffer, leaf: Buffer, proof: readonly Buffer[]): boolean {
  let h = leaf
  for (const s of proof) h = hashPair(h, s)
  return h.equals(root)
}
