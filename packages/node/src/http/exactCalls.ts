// x402 "exact" calls: one EIP-3009 authorization per call, verified off-chain, simulated on-chain
// before the model runs, submitted by the node (ExactPayments.payExact), answered with a receipt.
// The same payment header again never charges twice and gets a paid answer back (docs/node.md).
import type { Hash } from 'viem'
import type { ServedAsset } from '../assets.ts'
import { TxWouldRevertError, type ChainAdapter, type PayExactCall } from '../chain/adapter.ts'
import type { NodeConfig } from '../config.ts'
import { AlreadyPaidError, PaymentRequiredError, UnavailableError } from '../errors.ts'
import { sha256 } from '../payments/merkle.ts'
import { parseCompactReceiptHeader, type ReceiptFields } from '../payments/receipt.ts'
import { checkExactSignature, decodeExactPayment, replayedExact, verifyExact, type ExactAuthorization, type RequirementInput } from '../payments/x402.ts'
import type { ExactKey, ExactPaymentRow, Store } from '../store/db.ts'
import type { Metrics } from './metrics.ts'
import { bodyHeaders, type CallInput, type Kind, type RespondWithReceipt } from './types.ts'

/** How long a replayed payment header waits for the chain to show whether the node's transaction was mined. */
const REPLAY_TX_WAIT_MS = 3_000

export type ExactDeps = {
  config: NodeConfig
  store: Store
  chain: ChainAdapter | undefined
  metrics: Metrics
  /** What the 402 advertises for an asset (the terms an authorization must meet). */
  requirement(a: ServedAsset, resource: string): RequirementInput
  run(a: ServedAsset, kind: Kind, input: unknown): Buffer | Promise<Buffer>
  respondWithReceipt: RespondWithReceipt
}

/** The exact-payment path of the node's HTTP server: `call` serves one X-PAYMENT / PAYMENT-SIGNATURE call. */
export function exactPayments(d: ExactDeps): { call(c: CallInput, header: string, version: 1 | 2, resource: string): Promise<void> } {
  const nodeId = d.config.nodeId

  /** The x402 response header(s) of a settled exact payment. */
  const responseHeaders = (version: 1 | 2, txHash: string, payer: string): Record<string, string> => {
    const network = version === 1 ? d.config.x402Network : `eip155:${d.config.chainId}`
    const settlement = Buffer.from(JSON.stringify({ success: true, transaction: txHash, network, payer })).toString('base64')
    return version === 1 ? { 'x-payment-response': settlement } : { 'payment-response': settlement, 'x-payment-response': settlement }
  }

  /**
   * An exact call's receipt: channel 0, and as lane the EIP-3009 nonce (as uint256), which names the
   * payment (ExactPaid / AuthorizationUsed on-chain) and makes every exact receipt distinct: two
   * identical calls would otherwise have identical leaves, groups and receipts roots, and the chain
   * records a root once.
   */
  const receiptFields = (a: ServedAsset, raw: Buffer, body: Buffer, auth: ExactAuthorization): ReceiptFields => ({
    nodeId,
    requestHash: sha256(raw),
    responseHash: sha256(body),
    assetId: a.cfg.assetId,
    version: BigInt(a.version),
    units: BigInt(a.cfg.unitsPerCall),
    price: auth.value,
    channelId: 0n,
    lane: BigInt(auth.nonce),
    cumulative: auth.value,
    index: 0n,
  })

  // Exact payments being served now, by authorization: a copy of the header that arrives meanwhile
  // is a replay (409), so one payment never yields two answers or two receipts.
  const exactInFlight = new Set<string>()
  const exactId = (k: ExactKey) => `${k.payer}:${k.token}:${k.nonce}`.toLowerCase()

  const call = async (c: CallInput, header: string, version: 1 | 2, resource: string): Promise<void> => {
    if (!d.chain) throw new UnavailableError('exact_unavailable', 'This node has no chain connection for x402 exact payments.')
    const r = d.requirement(c.a, resource)
    const auth = decodeExactPayment(header, version, { network: d.config.x402Network, chainId: d.config.chainId })
    const key: ExactKey = { payer: auth.from, token: c.a.cfg.token, nonce: auth.nonce }
    const id = exactId(key)
    if (exactInFlight.has(id)) throw replayedExact()
    const paid = d.store.exactPayment(key)
    exactInFlight.add(id)
    try {
      if (paid) await replayed(c, auth, version, r, key, paid)
      else await first(c, auth, version, r, key)
    } catch (e) {
      exactInFlight.delete(id)
      throw e
    }
  }

  const first = async (c: CallInput, auth: ExactAuthorization, version: 1 | 2, r: RequirementInput, key: ExactKey): Promise<void> => {
    const { a, raw } = c
    const chain = d.chain!
    await verifyExact(auth, r, chain.now())
    if (!d.store.reserveExact(key, a.cfg.assetId, auth.value, sha256(raw))) throw replayedExact()
    const payment: PayExactCall = { nodeId, assetId: a.cfg.assetId, token: a.cfg.token, from: auth.from, value: auth.value, validAfter: auth.validAfter, validBefore: auth.validBefore, nonce: auth.nonce, signature: auth.signature }
    /** Nothing was sent: the authorization is marked so and the client learns why in a sentence. */
    const refused = (status: string, e: unknown): never => {
      d.store.setExactStatus(key, status)
      if (e instanceof TxWouldRevertError) throw new PaymentRequiredError('payment_rejected', `The chain would refuse this payment (${e.reason}); nothing was charged. Pay with a funded account and a fresh authorization.`)
      throw new UnavailableError('chain_unavailable', `The node could not reach the chain to submit the payment (${(e as Error)?.message?.split('\n')[0] ?? e}); retry later with a fresh authorization.`)
    }
    // Simulated before the model runs: an authorization the token would refuse costs no inference.
    await chain.checkPayExact(payment).catch((e: unknown) => refused('rejected', e))
    let body: Buffer
    try {
      const out = d.run(a, c.kind, c.input)
      body = out instanceof Promise ? await out : out
    } catch (e) {
      d.store.setExactStatus(key, 'unused')
      throw e
    }
    const tx = await chain.signPayExact(payment).catch((e: unknown) => refused('rejected', e))
    d.store.setExactStatus(key, 'submitted', tx.hash)
    await chain.sendRaw(tx).catch((e: unknown) => refused('unsent', e))
    const status = await chain.waitTx(tx.hash, d.config.settlement.txTimeoutMs)
    d.store.setExactStatus(key, status === 'success' ? 'settled' : status, tx.hash)
    if (status !== 'success') throw new PaymentRequiredError('settlement_failed', `The exact payment transaction ${tx.hash} did not succeed (${status}). If it is mined later, the same payment header gets the answer.`)
    d.metrics.exactCalls++
    answer(c, body, auth, version, key, tx.hash)
  }

  /** Commits the receipt of a paid exact call, records it with the payment, then answers. */
  const answer = (c: CallInput, body: Buffer, auth: ExactAuthorization, version: 1 | 2, key: ExactKey, txHash: string): void => {
    d.respondWithReceipt(c.res, c.route, body, receiptFields(c.a, c.raw, body, auth), c.start, {
      headers: { ...responseHeaders(version, txHash, auth.from), ...bodyHeaders(c.kind, c.input) },
      onReceipt: (h) => {
        d.store.setExactReceipt(key, h)
        exactInFlight.delete(exactId(key))
      },
      onError: () => {
        exactInFlight.delete(exactId(key))
        return new UnavailableError('store_unavailable', 'The node was paid but could not record the receipt; send the same payment header again to get the answer.')
      },
    })
  }

  /**
   * The same payment header again. Paid (on record, or the chain mined the node's transaction
   * after the node stopped waiting or died) and the same request: the answer, run again - with
   * the original receipt when one was given and the model answers the same, or a first receipt
   * when the node never answered. Anything else is a replay: 409, nothing moves.
   */
  const replayed = async (c: CallInput, auth: ExactAuthorization, version: 1 | 2, r: RequirementInput, key: ExactKey, paid: ExactPaymentRow): Promise<void> => {
    const { a, raw } = c
    // the authorization as recorded, not today's price: only its signature is checked again
    await checkExactSignature(auth, r)
    if (paid.assetId !== a.cfg.assetId || paid.value !== auth.value || !paid.requestHash?.equals(sha256(raw)) || !paid.txHash) throw replayedExact()
    let status = paid.status
    // sent (or perhaps sent: the RPC failed mid-call), fate unknown here: the chain knows
    if (status === 'submitted' || status === 'unknown' || status === 'unsent') {
      const mined = await d.chain!.waitTx(paid.txHash as Hash, REPLAY_TX_WAIT_MS)
      if (mined !== 'unknown') {
        status = mined === 'success' ? 'settled' : mined
        d.store.setExactStatus(key, status)
      }
    }
    if (status !== 'settled') throw replayedExact()
    const out = d.run(a, c.kind, c.input)
    const body = out instanceof Promise ? await out : out
    if (!paid.receipt) {
      d.metrics.exactCalls++
      answer(c, body, auth, version, key, paid.txHash)
      return
    }
    if (!parseCompactReceiptHeader(paid.receipt).fields.responseHash.equals(sha256(body))) {
      throw new AlreadyPaidError('authorization_replayed', 'This authorization already paid for an answer that cannot be sent again (the model now answers differently); its receipt is in X-Sahara-Receipt.', paid.receipt)
    }
    exactInFlight.delete(exactId(key))
    c.res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'x-sahara-receipt': paid.receipt, ...responseHeaders(version, paid.txHash, auth.from), ...bodyHeaders(c.kind, c.input) })
    c.res.end(body)
    d.metrics.request(c.route, 200)
    d.metrics.answersReplayed++
    d.metrics.observe(performance.now() - c.start)
  }

  return { call }
}
