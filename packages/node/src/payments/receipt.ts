import { readU256, writeU256 } from '../util/u256.ts'
import { sha256 } from './merkle.ts'

/** The 11 receipt fields of the spec, in ABI order. */
export type ReceiptFields = {
  nodeId: bigint
  requestHash: Buffer
  responseHash: Buffer
  assetId: bigint
  version: bigint
  units: bigint
  price: bigint
  channelId: bigint
  lane: bigint
  cumulative: bigint
  index: bigint
}

export const RECEIPT_BYTES = 352

/** abi.encode of the 11 static words (352 bytes), built without viem because it runs per call. */
export function encodeReceipt(r: ReceiptFields): Buffer {
  return encodeReceiptInto(Buffer.alloc(RECEIPT_BYTES), 0, r)
}

/**
 * Writes abi.encode(fields) at `off` of `b`, which must be zero there (the group commit encodes
 * each receipt straight into the group's zero-filled row buffer: no per-call allocation or copy).
 */
export function encodeReceiptInto(b: Buffer, off: number, r: ReceiptFields): Buffer {
  writeU256(b, off, r.nodeId)
  r.requestHash.copy(b, off + 32)
  r.responseHash.copy(b, off + 64)
  writeU256(b, off + 96, r.assetId)
  writeU256(b, off + 128, r.version)
  writeU256(b, off + 160, r.units)
  writeU256(b, off + 192, r.price)
  writeU256(b, off + 224, r.channelId)
  writeU256(b, off + 256, r.lane)
  writeU256(b, off + 288, r.cumulative)
  writeU256(b, off + 320, r.index)
  return b
}

export function decodeReceipt(b: Buffer): ReceiptFields {
  if (b.length !== RECEIPT_BYTES) throw new Error(`a receipt encoding is ${RECEIPT_BYTES} bytes, got ${b.length}`)
  return {
    nodeId: readU256(b, 0),
    requestHash: Buffer.from(b.subarray(32, 64)),
    responseHash: Buffer.from(b.subarray(64, 96)),
    assetId: readU256(b, 96),
    version: readU256(b, 128),
    units: readU256(b, 160),
    price: readU256(b, 192),
    channelId: readU256(b, 224),
    lane: readU256(b, 256),
    cumulative: readU256(b, 288),
    index: readU256(b, 320),
  }
}

/** leaf = sha256(abi.encode(fields)). */
export function receiptLeaf(encoded: Buffer): Buffer {
  return sha256(encoded)
}

/** What the client gets in X-Sahara-Receipt (decimal strings, 0x-hex bytes). */
export type ReceiptJson = {
  nodeId: string
  requestHash: string
  responseHash: string
  assetId: string
  version: string
  units: string
  price: string
  channelId: string
  lane: string
  cumulative: string
  index: string
  leaf: string
  proof: string[]
  groupRoot: string
  sequence: string
  signature: string
}

/**
 * Format 1 of X-Sahara-Receipt: base64url(JSON) with the same keys as receiptJson, in order. The
 * node now sends format 2 (compactReceiptHeader); this stays for tests and tooling that compare.
 */
export function receiptHeaderV1(r: ReceiptFields, leaf: Buffer, proofHex: readonly string[], groupRoot: string, sequence: string, signature: string): string {
  const json =
    `{"nodeId":"${r.nodeId}","requestHash":"0x${r.requestHash.toString('hex')}","responseHash":"0x${r.responseHash.toString('hex')}",` +
    `"assetId":"${r.assetId}","version":"${r.version}","units":"${r.units}","price":"${r.price}","channelId":"${r.channelId}",` +
    `"lane":"${r.lane}","cumulative":"${r.cumulative}","index":"${r.index}","leaf":"0x${leaf.toString('hex')}",` +
    `"proof":[${proofHex.length === 0 ? '' : '"' + proofHex.join('","') + '"'}],"groupRoot":"${groupRoot}","sequence":"${sequence}","signature":"${signature}"}`
  return Buffer.from(json, 'latin1').toString('base64url')
}

export function receiptJson(r: ReceiptFields, leaf: Buffer, proof: readonly Buffer[], groupRoot: string, sequence: string, signature: string): ReceiptJson {
  return {
    nodeId: r.nodeId.toString(),
    requestHash: '0x' + r.requestHash.toString('hex'),
    responseHash: '0x' + r.responseHash.toString('hex'),
    assetId: r.assetId.toString(),
    version: r.version.toString(),
    units: r.units.toString(),
    price: r.price.toString(),
    channelId: r.channelId.toString(),
    lane: r.lane.toString(),
    cumulative: r.cumulative.toString(),
    index: r.index.toString(),
    leaf: '0x' + leaf.toString('hex'),
    proof: proof.map((p) => '0x' + p.toString('hex')),
    groupRoot,
    sequence,
    signature,
  }
}

/**
 * Format 2 of X-Sahara-Receipt (what the node sends), dot-separated, no JSON:
 *   r2.<nodeId>.<requestHash>.<responseHash>.<assetId>.<version>.<units>.<price>.<channelId>.<lane>
 *     .<cumulative>.<index>.<sequence>.<groupRoot>.<signature>[.<sibling>...]
 * Integers are canonical decimals, hashes / groupRoot / siblings unpadded base64url of 32 bytes
 * (43 chars), the signature base64url of its bytes. The leaf is left out: it is sha256 of the
 * fields, which the client recomputes anyway to check it. ~40% of format 1's length, so less for
 * node:http to validate and send; `.<sequence>.<root>.<signature>` is built once per group
 * (receiptGroupTail) and each tree node's `.<sibling>` once (merkleLevels().proofB64).
 */
export function compactReceiptHeader(r: ReceiptFields, groupTail: string, proofB64: string): string {
  return receiptPrefix(r) + groupTail + proofB64
}

/** `r2.<fields>`: the part of a format-2 header known before the group commits. */
export function receiptPrefix(r: ReceiptFields): string {
  return (
    `r2.${r.nodeId}.${r.requestHash.toString('base64url')}.${r.responseHash.toString('base64url')}.${r.assetId}.${r.version}.${r.units}` +
    `.${r.price}.${r.channelId}.${r.lane}.${r.cumulative}.${r.index}`
  )
}

/**
 * Inverse of receiptPrefix for prefixes this node built itself (the group writer thread receives
 * them): no validation beyond the shape, since they never come from the network.
 */
export function parseReceiptPrefix(s: string): ReceiptFields {
  const p = s.split('.')
  if (p.length !== 12 || p[0] !== 'r2') throw new Error(`not a receipt prefix: ${s.slice(0, 40)}`)
  return {
    nodeId: BigInt(p[1]!),
    requestHash: Buffer.from(p[2]!, 'base64url'),
    responseHash: Buffer.from(p[3]!, 'base64url'),
    assetId: BigInt(p[4]!),
    version: BigInt(p[5]!),
    units: BigInt(p[6]!),
    price: BigInt(p[7]!),
    channelId: BigInt(p[8]!),
    lane: BigInt(p[9]!),
    cumulative: BigInt(p[10]!),
    index: BigInt(p[11]!),
  }
}

/** `.<sequence>.<groupRoot>.<signature>` of a group, for compactReceiptHeader. */
export function receiptGroupTail(sequence: number | bigint | string, root: Buffer, signatureHex: string): string {
  const sig = signatureHex.startsWith('0x') ? signatureHex.slice(2) : signatureHex
  return `.${sequence}.${root.toString('base64url')}.${Buffer.from(sig, 'hex').toString('base64url')}`
}

/** The header the node sends: format 2. */
export function receiptHeader(r: ReceiptFields, proof: readonly Buffer[], groupRoot: Buffer, sequence: number | bigint | string, signatureHex: string): string {
  let p = ''
  for (const s of proof) p += '.' + s.toString('base64url')
  return compactReceiptHeader(r, receiptGroupTail(sequence, groupRoot, signatureHex), p)
}

const B64_32 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/
const DEC = /^(0|[1-9][0-9]{0,77})$/

/** Strict inverse of format 2 (node tests and tools); throws on anything non-canonical. */
export function parseCompactReceiptHeader(h: string): { fields: ReceiptFields; proof: Buffer[]; groupRoot: Buffer; sequence: bigint; signature: string } {
  const parts = h.split('.')
  if (parts[0] !== 'r2' || parts.length < 15 || parts.length > 15 + 64) throw new Error('not a format-2 receipt header')
  const u = (i: number): bigint => {
    if (!DEC.test(parts[i]!)) throw new Error(`receipt part ${i} is not a canonical decimal`)
    const v = BigInt(parts[i]!)
    if (v >= 1n << 256n) throw new Error(`receipt part ${i} is above uint256`)
    return v
  }
  const b = (i: number): Buffer => {
    if (!B64_32.test(parts[i]!)) throw new Error(`receipt part ${i} is not 32 bytes of base64url`)
    return Buffer.from(parts[i]!, 'base64url')
  }
  const fields: ReceiptFields = {
    nodeId: u(1),
    requestHash: b(2),
    responseHash: b(3),
    assetId: u(4),
    version: u(5),
    units: u(6),
    price: u(7),
    channelId: u(8),
    lane: u(9),
    cumulative: u(10),
    index: u(11),
  }
  const sig = Buffer.from(parts[14]!, 'base64url')
  if (sig.length < 65 || sig.toString('base64url') !== parts[14]) throw new Error('receipt signature is not canonical base64url of >= 65 bytes')
  return { fields, sequence: u(12), groupRoot: b(13), signature: '0x' + sig.toString('hex'), proof: parts.slice(15).map((_, j) => b(15 + j)) }
}
