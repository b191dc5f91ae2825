import type { Hex } from 'viem'
import { EquivocationError } from '../errors'
import { isBytes32Hex, parseUint256Decimal } from './bytes'
import { RECEIPT_FIELD_NAMES, checkReceiptProof, encodeReceiptFields, receiptLeaf, verifyMerkleProof, type ReceiptFields, type SignedReceipt } from './receipt'
import { ReceiptFormatError, ReceiptVerificationError } from './errors'

/** Two receipts of one node for the same (channelId, assetId, lane, index) with different leaves. */
export type Equivocation = { a: SignedReceipt; b: SignedReceipt }

/** NodeStaking's ReceiptEvidence: a receipt, its batch root and sequence, its proof and the batch signature. */
export type ReceiptEvidence = {
  receipt: ReceiptFields
  root: Hex
  sequence: bigint
  proof: Hex[]
  signature: Hex
}

const slotKey = (f: ReceiptFields) => `${f.nodeId}:${f.channelId}:${f.assetId}:${f.lane}:${f.index}`

/**
 * The first pair of receipts (in input order) that one node issued for the same channel lane
 * position (nodeId, channelId != 0, assetId, lane, index) with different contents: evidence that
 * it signed two different results for one paid call. x402 receipts (channelId 0) have no lane
 * position and are ignored. Pure: no signature is checked (proveEquivocation's chain call does).
 */
export function findEquivocation(receipts: readonly SignedReceipt[]): Equivocation | undefined {
  const seen = new Map<string, { r: SignedReceipt; leaf: Hex }>()
  for (const r of receipts) {
    if (r.fields.channelId === 0n) continue
    const key = slotKey(r.fields)
    const leaf = receiptLeaf(r.fields)
    const first = seen.get(key)
    if (!first) seen.set(key, { r, leaf })
    else if (first.leaf !== leaf) return { a: first.r, b: r }
  }
  return undefined
}

/**
 * Builds the slashForEquivocation arguments from two receipts as a paid client keeps them, after
 * the checks NodeStaking makes that need no chain (signatures aside): same node, same channel
 * (not 0), asset, lane and index, different leaves, and each proof leading to its group root.
 * Throws EquivocationError naming the first failed check.
 */
export function equivocationEvidence(a: SignedReceipt, b: SignedReceipt): [ReceiptEvidence, ReceiptEvidence] {
  samePosition(a.fields, b.fields)
  for (const [name, r] of [['first', a], ['second', b]] as const) checkSigned(name, r)
  return [signedEvidence(a), signedEvidence(b)]
}

/**
 * A receipt the node committed to on-chain: proven under a receipts root that
 * PaymentChannels.settle recorded for the node (`receiptsRecorded(receiptsRoot)`). It needs no
 * signature: the record is the node's own word. `proof` goes leaf -> group root -> receipts root
 * (a receipt's group proof followed by the top proof the node serves, see proveReceipt).
 */
export type SettledReceipt = { fields: ReceiptFields; receiptsRoot: Hex; proof: Hex[] }

/**
 * Reads a SettledReceipt from JSON: `{ "receipt": { the 11 fields: uint256 as decimal strings,
 * requestHash/responseHash as 0x-hex }, "receiptsRoot": "0x..", "proof": ["0x..", ...] }` (the
 * proof from the leaf to receiptsRoot, at most 128 siblings). Throws ReceiptFormatError.
 */
export function parseSettledReceipt(json: unknown): SettledReceipt {
  const o = json as { receipt?: Record<string, unknown>; receiptsRoot?: unknown; proof?: unknown } | null
  if (!o || typeof o !== 'object' || !o.receipt || typeof o.receipt !== 'object') throw new ReceiptFormatError('A settled receipt is an object with "receipt", "receiptsRoot" and "proof".')
  const fields = {} as Record<string, unknown>
  for (const name of RECEIPT_FIELD_NAMES) {
    const v = o.receipt[name]
    if (name === 'requestHash' || name === 'responseHash') {
      if (!isBytes32Hex(v)) throw new ReceiptFormatError(`Settled receipt ${name} must be 32 bytes of 0x-hex.`)
      fields[name] = (v as string).toLowerCase()
    } else {
      const n = parseUint256Decimal(v)
      if (n === null) throw new ReceiptFormatError(`Settled receipt ${name} must be a canonical decimal uint256 string.`)
      fields[name] = n
    }
  }
  encodeReceiptFields(fields as ReceiptFields) // validates ranges
  if (!isBytes32Hex(o.receiptsRoot)) throw new ReceiptFormatError('Settled receipt receiptsRoot must be 32 bytes of 0x-hex.')
  if (!Array.isArray(o.proof) || o.proof.length > 128 || !o.proof.every(isBytes32Hex)) {
    throw new ReceiptFormatError('Settled receipt proof must be a list of at most 128 siblings of 32 bytes of 0x-hex.')
  }
  return { fields: fields as ReceiptFields, receiptsRoot: o.receiptsRoot, proof: (o.proof as Hex[]).map((p) => p.toLowerCase() as Hex) }
}

/** A signed receipt with its proof to a recorded receipts root (proveReceipt's answer) as a SettledReceipt. */
export function settledReceipt(r: SignedReceipt, p: { receiptsRoot: Hex; proof: readonly Hex[] }): SettledReceipt {
  return { fields: { ...r.fields }, receiptsRoot: p.receiptsRoot, proof: [...p.proof] }
}

/**
 * Builds the slashForSettlementContradiction arguments: `signed` is a receipt the node signed (as a
 * paid client keeps it), `settled` a different receipt for the same (nodeId, channelId != 0,
 * assetId, lane, index) under a receipts root the node recorded in a settlement. Makes the checks
 * NodeStaking makes that need no chain (the batch signature and the on-chain record aside) and
 * throws EquivocationError naming the first failed one.
 */
export function contradictionEvidence(signed: SignedReceipt, settled: SettledReceipt): [ReceiptEvidence, ReceiptEvidence] {
  samePosition(signed.fields, settled.fields)
  checkSigned('signed', signed)
  if (!verifyMerkleProof(receiptLeaf(settled.fields), settled.proof, settled.receiptsRoot)) {
    throw new EquivocationError('The settled receipt\'s proof does not lead to its receipts root.')
  }
  // sequence and signature of the settled half are not read by the contract
  return [signedEvidence(signed), { receipt: { ...settled.fields }, root: settled.receiptsRoot, sequence: 0n, proof: [...settled.proof], signature: '0x' }]
}

const signedEvidence = (r: SignedReceipt): ReceiptEvidence => ({ receipt: { ...r.fields }, root: r.groupRoot, sequence: r.sequence, proof: [...r.proof], signature: r.signature })

function checkSigned(name: string, r: SignedReceipt): void {
  try {
    checkReceiptProof(r)
  } catch (err) {
    if (err instanceof ReceiptVerificationError) throw new EquivocationError(`The ${name} receipt does not check out: ${err.shortMessage}`, { cause: err })
    throw err
  }
}

/** Same node, channel (not 0), asset, lane and index, different contents. */
function samePosition(fa: ReceiptFields, fb: ReceiptFields): void {
  if (fa.nodeId !== fb.nodeId) throw new EquivocationError(`The receipts are from different nodes (#${fa.nodeId} and #${fb.nodeId}).`)
  if (fa.channelId === 0n || fb.channelId !== fa.channelId) {
    throw new EquivocationError('The receipts must be from the same payment channel (x402 receipts without a channel are not evidence).')
  }
  if (fa.assetId !== fb.assetId) throw new EquivocationError(`The receipts are for different assets (#${fa.assetId} and #${fb.assetId}).`)
  if (fa.lane !== fb.lane) throw new EquivocationError(`The receipts are on different lanes (${fa.lane} and ${fb.lane}).`)
  if (fa.index !== fb.index) throw new EquivocationError(`The receipts are for different calls (indexes ${fa.index} and ${fb.index}).`)
  if (receiptLeaf(fa) === receiptLeaf(fb)) throw new EquivocationError('The two receipts are identical: they do not conflict.')
}
