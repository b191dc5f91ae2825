import type { Hex } from 'viem'
import { isBytes32Hex, parseUint256Decimal } from './bytes'
import { ReceiptNotSettledError, ReceiptProofError, ReceiptVerificationError } from './errors'
import { checkReceiptProof, verifyMerkleProof, type SignedReceipt } from './receipt'

/** Where a node says a receipt group stands (GET /v1/receipts/groups/<groupRoot>). */
export type ReceiptGroupStatus = 'unsettled' | 'submitted' | 'settled'

/** A receipt's full proof: leaf -> groupRoot (the receipt's own) -> receiptsRoot (the node's). */
export type ReceiptProof = {
  /** The settlement's receipts root, as recorded by PaymentChannels.settle. */
  receiptsRoot: Hex
  /** Siblings from the receipt's leaf to receiptsRoot: the receipt's group proof, then the top proof. */
  proof: Hex[]
  /** The settlement transaction. */
  txHash: Hex
  /** 'submitted' when the transaction is broadcast but not yet confirmed by the node. */
  status: Exclude<ReceiptGroupStatus, 'unsettled'>
  /** Block of the settlement transaction, when the node knows it. */
  blockNumber?: bigint | undefined
}

export type ProveReceiptOptions = {
  /** The node's base URL (as registered; a trailing `/v1` is accepted). */
  nodeUrl: string
  fetch?: typeof fetch | undefined
  /**
   * Poll until the group is settled (or submitted, with `acceptSubmitted`) for up to this long;
   * default 0: ask once.
   */
  waitMs?: number | undefined
  /** Poll interval while waiting (default 500 ms). */
  intervalMs?: number | undefined
  /** Return a proof whose settlement transaction is broadcast but not confirmed yet (default false). */
  acceptSubmitted?: boolean | undefined
}

const MAX_TOP_PROOF = 64

/** The node's group URL: `<nodeUrl>/v1/receipts/groups/<groupRoot>`. */
export function receiptGroupUrl(nodeUrl: string, groupRoot: Hex): string {
  let base: URL
  try {
    base = new URL(nodeUrl)
  } catch {
    throw new ReceiptProofError(`"${nodeUrl}" is not a node URL.`)
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new ReceiptProofError(`The node URL must be http(s), got "${nodeUrl}".`)
  const path = base.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')
  return `${base.origin}${path}/v1/receipts/groups/${groupRoot.toLowerCase()}`
}

type GroupAnswer = { status: ReceiptGroupStatus; receiptsRoot?: Hex; proof?: Hex[]; txHash?: Hex; blockNumber?: bigint }

async function askNode(url: string, r: SignedReceipt, f: typeof fetch): Promise<GroupAnswer> {
  let res: Response
  try {
    res = await f(url, { headers: { accept: 'application/json' } })
  } catch (e) {
    throw new ReceiptProofError(`The node at ${new URL(url).origin} did not answer: ${(e as Error).message}.`, { cause: e })
  }
  let body: unknown
  try {
    body = await res.json()
  } catch {
    throw new ReceiptProofError(`The node answered ${res.status} without JSON for receipt group ${r.groupRoot}.`)
  }
  const o = (body ?? {}) as Record<string, unknown>
  if (res.status === 404) throw new ReceiptProofError(`The node does not know receipt group ${r.groupRoot}: the receipt was not issued by this node.`)
  if (!res.ok) {
    const err = o.error as { message?: unknown } | undefined
    throw new ReceiptProofError(`The node refused the proof request (${res.status}): ${typeof err?.message === 'string' ? err.message : 'no reason given'}`)
  }
  if (typeof o.groupRoot !== 'string' || o.groupRoot.toLowerCase() !== r.groupRoot.toLowerCase() || parseUint256Decimal(o.sequence) !== r.sequence) {
    throw new ReceiptProofError(`The node answered for another group than ${r.groupRoot} (sequence ${r.sequence}).`)
  }
  const status = o.status
  if (status === 'unsettled') return { status }
  if (status !== 'submitted' && status !== 'settled') throw new ReceiptProofError(`The node gave an unknown group status "${String(status)}".`)
  const proof = o.proof
  if (!isBytes32Hex(o.receiptsRoot) || !isBytes32Hex(o.txHash) || !Array.isArray(proof) || proof.length > MAX_TOP_PROOF || !proof.every(isBytes32Hex)) {
    throw new ReceiptProofError('The node gave a malformed proof (receiptsRoot, proof, txHash).')
  }
  const blockNumber = o.blockNumber === undefined ? undefined : parseUint256Decimal(o.blockNumber)
  if (blockNumber === null) throw new ReceiptProofError('The node gave a malformed blockNumber.')
  return {
    status,
    receiptsRoot: o.receiptsRoot.toLowerCase() as Hex,
    proof: (proof as string[]).map((p) => p.toLowerCase() as Hex),
    txHash: o.txHash.toLowerCase() as Hex,
    ...(blockNumber === undefined ? {} : { blockNumber }),
  }
}

/**
 * Asks the node that issued `receipt` for the top proof of its group (groupRoot -> the receipts root
 * of the settlement that covers it) and returns the full proof leaf -> receiptsRoot with the
 * settlement's transaction. Checks the receipt's own leaf and proof and the joined proof locally
 * (sha256 only), so a node cannot hand out a proof that would not verify; whether the root is
 * recorded on-chain is verifyReceiptOnChain's job. Throws ReceiptNotSettledError while the group
 * is not in a settlement, ReceiptProofError when the node errs, ReceiptVerificationError when the
 * receipt itself does not check out.
 */
export async function proveReceipt(receipt: SignedReceipt, options: ProveReceiptOptions): Promise<ReceiptProof> {
  checkReceiptProof(receipt)
  const url = receiptGroupUrl(options.nodeUrl, receipt.groupRoot)
  const f = options.fetch ?? globalThis.fetch
  const deadline = Date.now() + (options.waitMs ?? 0)
  let a = await askNode(url, receipt, f)
  while ((a.status === 'unsettled' || (a.status === 'submitted' && !options.acceptSubmitted)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.max(1, Math.min(options.intervalMs ?? 500, deadline - Date.now()))))
    a = await askNode(url, receipt, f)
  }
  if (a.status === 'unsettled') throw new ReceiptNotSettledError(receipt.groupRoot)
  if (a.status === 'submitted' && !options.acceptSubmitted) {
    throw new ReceiptNotSettledError(receipt.groupRoot, `The settlement of receipt group ${receipt.groupRoot} (tx ${a.txHash}) is not confirmed yet.`)
  }
  const proof = [...receipt.proof, ...a.proof!]
  if (!verifyMerkleProof(receipt.leaf, proof, a.receiptsRoot!)) {
    throw new ReceiptVerificationError(`The node's proof from group ${receipt.groupRoot} does not lead to the receipts root ${a.receiptsRoot}.`)
  }
  return { receiptsRoot: a.receiptsRoot!, proof, txHash: a.txHash!, status: a.status, ...(a.blockNumber === undefined ? {} : { blockNumber: a.blockNumber }) }
}
