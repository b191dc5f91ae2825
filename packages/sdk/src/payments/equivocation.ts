import type { Hex } from 'viem'
import { EquivocationError } from '../errors'
import { checkReceiptProof, receiptLeaf, type ReceiptFields, type SignedReceipt } from './receipt'
import { ReceiptVerificationError } from './errors'

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
  const fa = a.fields
  const fb = b.fields
  if (fa.nodeId !== fb.nodeId) throw new EquivocationError(`The receipts are from different nodes (#${fa.nodeId} and #${fb.nodeId}).`)
  if (fa.channelId === 0n || fb.channelId !== fa.channelId) {
    throw new EquivocationError('The receipts must be from the same payment channel (x402 receipts without a channel are not evidence).')
  }
  if (fa.assetId !== fb.assetId) throw new EquivocationError(`The receipts are for different assets (#${fa.assetId} and #${fb.assetId}).`)
  if (fa.lane !== fb.lane) throw new EquivocationError(`The receipts are on different lanes (${fa.lane} and ${fb.lane}).`)
  if (fa.index !== fb.index) throw new EquivocationError(`The receipts are for different calls (indexes ${fa.index} and ${fb.index}).`)
  if (receiptLeaf(fa) === receiptLeaf(fb)) throw new EquivocationError('The two receipts are identical: they do not conflict.')
  for (const [name, r] of [['first', a], ['second', b]] as const) {
    try {
      checkReceiptProof(r)
    } catch (err) {
      if (err instanceof ReceiptVerificationError) throw new EquivocationError(`The ${name} receipt does not check out: ${err.shortMessage}`, { cause: err })
      throw err
    }
  }
  const evidence = (r: SignedReceipt): ReceiptEvidence => ({ receipt: { ...r.fields }, root: r.groupRoot, sequence: r.sequence, proof: [...r.proof], signature: r.signature })
  return [evidence(a), evidence(b)]
}
