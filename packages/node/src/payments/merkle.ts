import { hash } from 'node:crypto'

/** sha256 of the given bytes (one-shot node:crypto: ~1 us, half the cost of createHash). */
export function sha256(data: Uint8Array): Buffer {
  return hash('sha256', data, 'buffer')
}

const PAIR = Buffer.allocUnsafeSlow(64)

/** Internal node: sha256(min(a,b) || max(a,b)) with bytes compared lexicographically. */
export function hashPair(a: Buffer, b: Buffer): Buffer {
  if (Buffer.compare(a, b) <= 0) {
    a.copy(PAIR, 0)
    b.copy(PAIR, 32)
  } else {
    b.copy(PAIR, 0)
    a.copy(PAIR, 32)
  }
  return sha256(PAIR)
}

const ZERO32 = Buffer.alloc(32)

/**
 * Root of the sorted-pair tree over `leaves` and, for each leaf, its proof (siblings leaf -> root).
 * An odd node is promoted unchanged. Empty tree: root 0; one leaf: root = leaf, empty proof.
 */
export function merkleTree(leaves: readonly Buffer[]): { root: Buffer; proofs: Buffer[][] } {
  const t = merkleLevels(leaves)
  return { root: t.root, proofs: leaves.map((_, i) => t.proof(i)) }
}

/**
 * A sorted-pair tree kept level by level (levels[0] = leaves). `proof(i)` reads siblings lazily;
 * `proofHex(i)` and `proofB64(i)` encode each tree node once, so a group's receipts share the
 * encoding work. A class, not closures: built once per receipt group on the paid path.
 */
export class MerkleLevels {
  readonly root: Buffer
  readonly levels: Buffer[][]
  private readonly hex: (string | undefined)[][]
  private readonly b64: (string | undefined)[][]

  constructor(leaves: readonly Buffer[]) {
    const levels: Buffer[][] = [leaves as Buffer[]]
    let level = leaves as Buffer[]
    while (level.length > 1) {
      const next: Buffer[] = new Array((level.length + 1) >> 1)
      for (let j = 0; j < level.length; j += 2) next[j >> 1] = j + 1 < level.length ? hashPair(level[j]!, level[j + 1]!) : level[j]!
      levels.push(next)
      level = next
    }
    this.root = level.length === 0 ? ZERO32 : level[0]!
    this.levels = leaves.length === 0 ? [] : levels
    this.hex = levels.map(() => [])
    this.b64 = levels.map(() => [])
  }

  /** Siblings of leaf `i`, leaf -> root. */
  proof(i: number): Buffer[] {
    const out: Buffer[] = []
    this.walk(i, (d, s) => out.push(this.levels[d]![s]!))
    return out
  }

  /** The proof as 0x-hex strings. */
  proofHex(i: number): string[] {
    const out: string[] = []
    this.walk(i, (d, s) => out.push((this.hex[d]![s] ??= '0x' + this.levels[d]![s]!.toString('hex'))))
    return out
  }

  /** `.<sibling base64url>` per sibling, concatenated (the tail of a format-2 receipt header). */
  proofB64(i: number): string {
    let out = ''
    this.walk(i, (d, s) => (out += this.b64[d]![s] ??= '.' + this.levels[d]![s]!.toString('base64url')))
    return out
  }

  private walk(i: number, visit: (depth: number, sibling: number) => void): void {
    let p = i
    for (let d = 0; d < this.levels.length - 1; d++) {
      const s = p ^ 1
      if (s < this.levels[d]!.length) visit(d, s)
      p >>= 1
    }
  }
}

/** The tree over `leaves` with its levels (see MerkleLevels). Empty: root 0; one leaf: root = leaf. */
export function merkleLevels(leaves: readonly Buffer[]): MerkleLevels {
  return new MerkleLevels(leaves)
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
