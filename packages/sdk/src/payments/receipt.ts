import { getAddress, type Address, type Hex } from 'viem'
import { MAX_UINT256, ZERO_BYTES32, bytesToHex, decodeBase64Url, isBytes32Hex, parseUint256Decimal, sha256, sha256Hex, toBytes32OrNull, writeUint256 } from './bytes'
import { ReceiptFormatError, ReceiptVerificationError } from './errors'
import { recoverReceiptBatchSigner, type PaymentsDomain } from './voucher'

/** The 11 receipt words, in abi.encode order. Hashes are bytes32, everything else uint256. */
export type ReceiptFields = {
  nodeId: bigint
  /** sha256(request body bytes) */
  requestHash: Hex
  /** sha256(response body bytes) */
  responseHash: Hex
  assetId: bigint
  /** On-chain version number of the asset served. */
  version: bigint
  /** Units charged for this call. */
  units: bigint
  /** Amount of this call (units * unitPrice). */
  price: bigint
  /** 0 for x402 exact calls. */
  channelId: bigint
  lane: bigint
  /** Lane total after this call (x402 exact: the value paid). */
  cumulative: bigint
  /** Chain index after this call (k + q); 0 for x402 exact calls. */
  index: bigint
}

export const RECEIPT_FIELD_NAMES = [
  'nodeId',
  'requestHash',
  'responseHash',
  'assetId',
  'version',
  'units',
  'price',
  'channelId',
  'lane',
  'cumulative',
  'index',
] as const satisfies readonly (keyof ReceiptFields)[]

const HASH_FIELDS = new Set<string>(['requestHash', 'responseHash'])
const RECEIPT_WORDS = RECEIPT_FIELD_NAMES.length
export const RECEIPT_ENCODED_LENGTH = RECEIPT_WORDS * 32

/**
 * abi.encode(fields) written straight into 352 bytes (each word big-endian), no ABI encoder on the
 * hot path. Throws ReceiptFormatError on out-of-range values.
 */
export function encodeReceiptFields(f: ReceiptFields, out: Buffer = Buffer.allocUnsafe(RECEIPT_ENCODED_LENGTH)): Buffer {
  for (let i = 0; i < RECEIPT_WORDS; i++) {
    const name = RECEIPT_FIELD_NAMES[i]!
    const value = f[name]
    if (HASH_FIELDS.has(name)) {
      if (typeof value !== 'string' || !isBytes32Hex(value)) throw new ReceiptFormatError(`Receipt ${name} must be 32 bytes of 0x-hex.`)
      out.write(value.slice(2), i * 32, 32, 'hex')
    } else {
      if (typeof value !== 'bigint' || value < 0n || value > MAX_UINT256) throw new ReceiptFormatError(`Receipt ${name} must be a uint256 bigint.`)
      writeUint256(out, value, i * 32)
    }
  }
  return out
}

/** leaf = sha256(abi.encode(fields)) as bytes. */
export function receiptLeafBytes(f: ReceiptFields): Buffer {
  return sha256(encodeReceiptFields(f, scratch))
}

/** leaf = sha256(abi.encode(fields)) as 0x-hex. */
export function receiptLeaf(f: ReceiptFields): Hex {
  return sha256Hex(encodeReceiptFields(f, scratch))
}

// Reused input buffers: JS is single-threaded and hashing is synchronous, so no call can interleave.
const scratch = Buffer.alloc(RECEIPT_ENCODED_LENGTH)
const pair = Buffer.alloc(64)

function hashPair(a: Buffer, b: Buffer): Buffer {
  if (Buffer.compare(a, b) <= 0) {
    a.copy(pair, 0)
    b.copy(pair, 32)
  } else {
    b.copy(pair, 0)
    a.copy(pair, 32)
  }
  return sha256(pair)
}

export type MerkleTree = {
  root: Hex
  /** Number of leaves. */
  size: number
  /** Siblings from leaf i up to the root (empty for a one-leaf tree). */
  proof(i: number): Hex[]
}

/**
 * Sorted-pair sha256 Merkle tree; an odd node is promoted unchanged. Empty tree: root = 0x00..00;
 * one leaf: root = leaf. Leaves are used as given (not re-hashed).
 */
export function buildMerkleTree(leaves: readonly (Hex | Uint8Array)[]): MerkleTree {
  const level0 = leaves.map((l, i) => {
    const b = toBytes32OrNull(l)
    if (!b) throw new ReceiptFormatError(`Merkle leaf ${i} must be 32 bytes.`)
    return b
  })
  const levels: Buffer[][] = [level0]
  while (levels[levels.length - 1]!.length > 1) {
    const cur = levels[levels.length - 1]!
    const next: Buffer[] = []
    for (let i = 0; i + 1 < cur.length; i += 2) next.push(hashPair(cur[i]!, cur[i + 1]!))
    if (cur.length % 2 === 1) next.push(cur[cur.length - 1]!)
    levels.push(next)
  }
  const top = levels[levels.length - 1]!
  const root = top.length === 0 ? ZERO_BYTES32 : bytesToHex(top[0]!)
  return {
    root,
    size: level0.length,
    proof(i: number): Hex[] {
      if (!Number.isSafeInteger(i) || i < 0 || i >= level0.length) throw new ReceiptFormatError(`No leaf ${String(i)} in a tree of ${level0.length}.`)
      const out: Hex[] = []
      let idx = i
      for (let l = 0; l < levels.length - 1; l++) {
        const cur = levels[l]!
        const sib = idx ^ 1
        if (sib < cur.length) out.push(bytesToHex(cur[sib]!))
        idx >>= 1
      }
      return out
    },
  }
}

/** Walks leaf -> root with sorted-pair sha256. Malformed input returns false. */
export function verifyMerkleProof(leaf: Hex | Uint8Array, proof: readonly (Hex | Uint8Array)[], root: Hex | Uint8Array): boolean {
  let x = toBytes32OrNull(leaf)
  const r = toBytes32OrNull(root)
  if (!x || !r || !Array.isArray(proof)) return false
  for (const p of proof) {
    const s = toBytes32OrNull(p)
    if (!s) return false
    x = hashPair(x, s)
  }
  return x.equals(r)
}

/** What a node returns per call in X-Sahara-Receipt. */
export type SignedReceipt = {
  fields: ReceiptFields
  leaf: Hex
  /** Siblings from leaf to groupRoot. */
  proof: Hex[]
  groupRoot: Hex
  sequence: bigint
  /** ReceiptBatch(nodeId, groupRoot, sequence) signed by the node's signer. */
  signature: Hex
}

const MAX_RECEIPT_HEADER = 16384
const MAX_PROOF = 64
const SIGNATURE = /^0x([0-9a-fA-F]{2}){65,1024}$/
const RECEIPT_KEYS = [...RECEIPT_FIELD_NAMES, 'leaf', 'proof', 'groupRoot', 'sequence', 'signature'] as const

/**
 * Format 1 of X-Sahara-Receipt (still decoded; nodes send format 2, encodeCompactReceiptHeader):
 * base64url(JSON) with the 11 fields flat at the top level (uint256 as decimal strings, hashes as
 * 0x-hex) plus leaf, proof, groupRoot, sequence (decimal) and signature.
 */
export function encodeReceiptHeader(r: SignedReceipt): string {
  encodeReceiptFields(r.fields) // validates ranges
  const o: Record<string, unknown> = {}
  for (const name of RECEIPT_FIELD_NAMES) {
    const v = r.fields[name]
    o[name] = typeof v === 'bigint' ? v.toString() : (v as string).toLowerCase()
  }
  if (!isBytes32Hex(r.leaf) || !isBytes32Hex(r.groupRoot)) throw new ReceiptFormatError('Receipt leaf and groupRoot must be 32 bytes of 0x-hex.')
  if (!Array.isArray(r.proof) || r.proof.length > MAX_PROOF || !r.proof.every(isBytes32Hex)) throw new ReceiptFormatError('Receipt proof must be a list of 32-byte 0x-hex siblings.')
  if (typeof r.sequence !== 'bigint' || r.sequence < 0n || r.sequence > MAX_UINT256) throw new ReceiptFormatError('Receipt sequence must be a uint256 bigint.')
  if (typeof r.signature !== 'string' || !SIGNATURE.test(r.signature)) throw new ReceiptFormatError('Receipt signature must be 0x-hex of at least 65 bytes.')
  o.leaf = r.leaf.toLowerCase()
  o.proof = r.proof.map((p) => p.toLowerCase())
  o.groupRoot = r.groupRoot.toLowerCase()
  o.sequence = r.sequence.toString()
  o.signature = r.signature.toLowerCase()
  return Buffer.from(JSON.stringify(o), 'utf8').toString('base64url')
}

/** Compact format-2 header prefix (format 1 is base64url JSON, which never contains a dot). */
const COMPACT_PREFIX = 'r2.'
const COMPACT_FIXED_PARTS = 15 // 'r2', 11 fields, sequence, groupRoot, signature
const B64_32 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/
const B64_SIG_MAX = 1366 // 1024 bytes

/**
 * Format 2 of X-Sahara-Receipt, what nodes send (about 40% of format 1's length):
 * `r2.<nodeId>.<requestHash>.<responseHash>.<assetId>.<version>.<units>.<price>.<channelId>.<lane>.<cumulative>.<index>.<sequence>.<groupRoot>.<signature>[.<sibling>...]`
 * with canonical decimals, and unpadded base64url for the 32-byte hashes, root and siblings and
 * for the signature bytes. The leaf is not sent: it is the hash of the fields.
 */
export function encodeCompactReceiptHeader(r: SignedReceipt): string {
  encodeReceiptFields(r.fields) // validates ranges
  if (!isBytes32Hex(r.groupRoot)) throw new ReceiptFormatError('Receipt groupRoot must be 32 bytes of 0x-hex.')
  if (!Array.isArray(r.proof) || r.proof.length > MAX_PROOF || !r.proof.every(isBytes32Hex)) throw new ReceiptFormatError('Receipt proof must be a list of 32-byte 0x-hex siblings.')
  if (typeof r.sequence !== 'bigint' || r.sequence < 0n || r.sequence > MAX_UINT256) throw new ReceiptFormatError('Receipt sequence must be a uint256 bigint.')
  if (typeof r.signature !== 'string' || !SIGNATURE.test(r.signature)) throw new ReceiptFormatError('Receipt signature must be 0x-hex of at least 65 bytes.')
  const b64 = (h: string) => Buffer.from(h.slice(2), 'hex').toString('base64url')
  const f = r.fields
  const parts = [
    'r2', f.nodeId, b64(f.requestHash), b64(f.responseHash), f.assetId, f.version, f.units, f.price, f.channelId, f.lane, f.cumulative, f.index,
    r.sequence, b64(r.groupRoot), b64(r.signature), ...r.proof.map(b64),
  ]
  return parts.join('.')
}

function decodeCompactReceiptHeader(header: string): SignedReceipt {
  if (header.length > MAX_RECEIPT_HEADER) throw new ReceiptFormatError('The X-Sahara-Receipt header is too long.')
  const parts = header.split('.')
  if (parts.length < COMPACT_FIXED_PARTS || parts.length > COMPACT_FIXED_PARTS + MAX_PROOF) {
    throw new ReceiptFormatError(`A format-2 receipt has ${COMPACT_FIXED_PARTS} dot-separated parts plus at most ${MAX_PROOF} proof siblings.`)
  }
  const u = (i: number, name: string): bigint => {
    const v = parseUint256Decimal(parts[i])
    if (v === null) throw new ReceiptFormatError(`Receipt ${name} must be a canonical decimal uint256.`)
    return v
  }
  const h = (i: number, name: string): Hex => {
    const p = parts[i]!
    if (!B64_32.test(p)) throw new ReceiptFormatError(`Receipt ${name} must be 32 bytes of canonical unpadded base64url.`)
    return bytesToHex(Buffer.from(p, 'base64url'))
  }
  const fields: ReceiptFields = {
    nodeId: u(1, 'nodeId'),
    requestHash: h(2, 'requestHash'),
    responseHash: h(3, 'responseHash'),
    assetId: u(4, 'assetId'),
    version: u(5, 'version'),
    units: u(6, 'units'),
    price: u(7, 'price'),
    channelId: u(8, 'channelId'),
    lane: u(9, 'lane'),
    cumulative: u(10, 'cumulative'),
    index: u(11, 'index'),
  }
  const sig = decodeBase64Url(parts[14]!, B64_SIG_MAX)
  if (!sig || sig.length < 65) throw new ReceiptFormatError('Receipt signature must be canonical unpadded base64url of at least 65 bytes.')
  const proof: Hex[] = []
  for (let i = COMPACT_FIXED_PARTS; i < parts.length; i++) proof.push(h(i, 'proof sibling'))
  return { fields, leaf: receiptLeaf(fields), proof, groupRoot: h(13, 'groupRoot'), sequence: u(12, 'sequence'), signature: bytesToHex(sig) }
}

/**
 * Decodes either format: 2 (compact, `r2.` prefix, what nodes send) or 1 (base64url JSON, the
 * inverse of encodeReceiptHeader). Does not verify the receipt (see verifyReceipt); for format 2
 * the leaf is computed from the fields.
 */
export function decodeReceiptHeader(header: string | null | undefined): SignedReceipt {
  if (typeof header !== 'string' || header.length === 0) throw new ReceiptFormatError('The X-Sahara-Receipt header is missing.')
  if (header.startsWith(COMPACT_PREFIX)) return decodeCompactReceiptHeader(header)
  const bytes = decodeBase64Url(header, MAX_RECEIPT_HEADER)
  if (!bytes) throw new ReceiptFormatError('The X-Sahara-Receipt header is not canonical unpadded base64url or is too long.')
  let o: unknown
  try {
    o = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new ReceiptFormatError('The X-Sahara-Receipt header is not base64url of JSON.')
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new ReceiptFormatError('The receipt must be a JSON object.')
  const rec = o as Record<string, unknown>
  const keys = Object.keys(rec)
  if (keys.length !== RECEIPT_KEYS.length || !RECEIPT_KEYS.every((k) => Object.hasOwn(rec, k))) {
    throw new ReceiptFormatError(`The receipt must have exactly the keys ${RECEIPT_KEYS.join(', ')}.`)
  }
  const u = (k: string): bigint => {
    const v = parseUint256Decimal(rec[k])
    if (v === null) throw new ReceiptFormatError(`Receipt ${k} must be a canonical decimal uint256 string.`)
    return v
  }
  const h = (k: string): Hex => {
    const v = rec[k]
    if (!isBytes32Hex(v)) throw new ReceiptFormatError(`Receipt ${k} must be 32 bytes of 0x-hex.`)
    return v.toLowerCase() as Hex
  }
  const fields = {} as Record<string, unknown>
  for (const name of RECEIPT_FIELD_NAMES) fields[name] = HASH_FIELDS.has(name) ? h(name) : u(name)
  const proof = rec.proof
  if (!Array.isArray(proof) || proof.length > MAX_PROOF || !proof.every(isBytes32Hex)) {
    throw new ReceiptFormatError(`Receipt proof must be a list of at most ${MAX_PROOF} 32-byte 0x-hex siblings.`)
  }
  const signature = rec.signature
  if (typeof signature !== 'string' || !SIGNATURE.test(signature)) throw new ReceiptFormatError('Receipt signature must be 0x-hex of at least 65 bytes.')
  return {
    fields: fields as ReceiptFields,
    leaf: h('leaf'),
    proof: (proof as string[]).map((p) => p.toLowerCase() as Hex),
    groupRoot: h('groupRoot'),
    sequence: u('sequence'),
    signature: signature.toLowerCase() as Hex,
  }
}

export type VerifyReceiptOptions = {
  domain: PaymentsDomain
  /** The node's signer (NodeRegistry.node(nodeId).signer). */
  nodeSigner: Address
  /**
   * Optional cache of verified (groupRoot, sequence, signature) -> signer so the receipts of one
   * group cost one signature recovery in total (a recovery is ~2 ms in JS).
   */
  cache?: Map<string, Address> | undefined
}

/**
 * Checks that leaf == sha256(abi.encode(fields)), that the proof leads from leaf to groupRoot and
 * that ReceiptBatch(fields.nodeId, groupRoot, sequence) is signed by `nodeSigner`. Throws
 * ReceiptVerificationError naming the first check that fails.
 */
export async function verifyReceipt(r: SignedReceipt, opts: VerifyReceiptOptions): Promise<void> {
  checkReceiptProof(r)
  const key = receiptGroupKey(r)
  let signer = opts.cache?.get(key)
  if (signer === undefined) {
    try {
      signer = await recoverReceiptBatchSigner(opts.domain, { nodeId: r.fields.nodeId, root: r.groupRoot, sequence: r.sequence }, r.signature)
    } catch {
      throw new ReceiptVerificationError('The receipt batch signature cannot be recovered.')
    }
    opts.cache?.set(key, signer)
  }
  if (getAddress(signer) !== getAddress(opts.nodeSigner)) {
    throw new ReceiptVerificationError(`The receipt batch is signed by ${signer}, not by the node's signer ${opts.nodeSigner}.`)
  }
}

/** The synchronous half of verifyReceipt (two sha256 walks, no signature): leaf and proof. */
export function checkReceiptProof(r: SignedReceipt): void {
  const leaf = receiptLeaf(r.fields)
  if (leaf !== r.leaf.toLowerCase()) throw new ReceiptVerificationError('The receipt leaf is not the hash of its fields.')
  if (!verifyMerkleProof(leaf, r.proof, r.groupRoot)) throw new ReceiptVerificationError('The receipt proof does not lead to its group root.')
}

/** Identifies a signed receipt group: receipts with the same key share one signature check. */
export function receiptGroupKey(r: SignedReceipt): string {
  return `${r.fields.nodeId}:${r.groupRoot.toLowerCase()}:${r.sequence}:${r.signature.toLowerCase()}`
}
