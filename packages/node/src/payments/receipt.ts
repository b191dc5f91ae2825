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
  const b = Buffer.alloc(RECEIPT_BYTES)
  writeU256(b, 0, r.nodeId)
  r.requestHash.copy(b, 32)
  r.responseHash.copy(b, 64)
  writeU256(b, 96, r.assetId)
  writeU256(b, 128, r.version)
  writeU256(b, 160, r.units)
  writeU256(b, 192, r.price)
  writeU256(b, 224, r.channelId)
  writeU256(b, 256, r.lane)
  writeU256(b, 288, r.cumulative)
  writeU256(b, 320, r.index)
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
 * The X-Sahara-Receipt header value, built as a string (same JSON as receiptJson, key order
 * included) because it runs once per paid call.
 */
export function receiptHeader(r: ReceiptFields, leaf: Buffer, proofHex: readonly string[], groupRoot: string, sequence: string, signature: string): string {
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
