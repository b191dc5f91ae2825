import { getAddress, isAddress, type Address, type Hex } from 'viem'
import { readContract, signTypedData } from 'viem/actions'
import { exactPaymentsAbi } from '../abis/generated'
import { getNode } from '../actions/getNode'
import { requireAccount, type WriteContext } from '../actions/_internal'
import { executionContract } from '../deployments'
import { bytesToHex, sha256Hex } from './bytes'
import { PaymentRequirementError, PriceAboveMaxError, ReceiptVerificationError } from './errors'
import { decodeReceiptHeader, verifyReceipt, type SignedReceipt } from './receipt'
import { parseChannelRequirement } from './requirements'
import { paymentsDomain } from './voucher'

export const EXACT_SCHEME = 'exact'

/**
 * Longest validity the client signs, whatever the node's maxTimeoutSeconds says: an authorization
 * the node could still submit much later is a payment without an answer in the meantime.
 */
export const MAX_EXACT_VALIDITY_SECONDS = 300

/** The x402 "exact" entry of a 402 body's `accepts` (x402 v1 shape), parsed. */
export type ExactRequirement = {
  network: string
  /** Price of the call in the token's smallest units: the authorization must be for exactly this. */
  amount: bigint
  /** Where the authorization pays: the asset's deposit address on this node. */
  payTo: Address
  /** The EIP-3009 token. */
  asset: Address
  maxTimeoutSeconds: number
  /** The token's EIP-712 domain name and version. */
  tokenName: string
  tokenVersion: string
}

/** Finds and validates the exact requirement of a 402 body; undefined when it offers none. */
export function parseExactRequirement(body: unknown): ExactRequirement | undefined {
  const accepts = (body as { accepts?: unknown } | null)?.accepts
  if (!Array.isArray(accepts)) return undefined
  const e = accepts.find((a) => a && typeof a === 'object' && (a as { scheme?: unknown }).scheme === EXACT_SCHEME) as Record<string, unknown> | undefined
  if (!e) return undefined
  const extra = (e.extra ?? {}) as Record<string, unknown>
  const address = (v: unknown, what: string): Address => {
    if (typeof v !== 'string' || !isAddress(v, { strict: false })) throw new PaymentRequirementError(`The exact requirement's ${what} must be an address.`)
    return getAddress(v)
  }
  if (typeof e.maxAmountRequired !== 'string' || !/^[1-9][0-9]{0,77}$/.test(e.maxAmountRequired)) {
    throw new PaymentRequirementError('The exact requirement\'s maxAmountRequired must be a positive decimal string.')
  }
  if (typeof extra.name !== 'string' || typeof extra.version !== 'string') throw new PaymentRequirementError('The exact requirement names no token EIP-712 domain (extra.name, extra.version).')
  const timeout = typeof e.maxTimeoutSeconds === 'number' && Number.isSafeInteger(e.maxTimeoutSeconds) && e.maxTimeoutSeconds > 0 ? e.maxTimeoutSeconds : 60
  return {
    network: typeof e.network === 'string' ? e.network : '',
    amount: BigInt(e.maxAmountRequired),
    payTo: address(e.payTo, 'payTo'),
    asset: address(e.asset, 'asset'),
    maxTimeoutSeconds: timeout,
    tokenName: extra.name,
    tokenVersion: extra.version,
  }
}

/** EIP-3009 TransferWithAuthorization, the message an x402 exact payment signs. */
export const TRANSFER_WITH_AUTHORIZATION_TYPES = {
  TransferWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
} as const

export type ExactPaymentOptions = WriteContext & {
  /** Refuse to pay more than this per call (smallest units). */
  maxPrice: bigint
  /** HTTP transport (default: global fetch). */
  fetch?: typeof fetch | undefined
  /**
   * Resending the same payment header when the answer may still come (default 5 attempts in all,
   * 1 s apart): after a network error, a 402 `settlement_failed` (mined later?), a 503
   * `store_unavailable` (paid, receipt not recorded), or a 409 without a receipt while an earlier
   * attempt may still be in flight. The node never charges a header twice, so a payment that
   * reached the chain comes back as its answer.
   */
  retry?: { attempts: number; delayMs: number } | undefined
}

export type ExactPaidResponse = {
  /** The node's answer (its body readable again), or its error response. */
  response: Response
  /** Set when the call was paid: the verified receipt, the payment transaction and the price. */
  paid?: { receipt: SignedReceipt; /** X-Sahara-Receipt as sent (what `sahara receipt verify` reads). */ header: string; transaction: Hex; price: bigint; nodeId: bigint; assetId: bigint }
}

type Body = string | Uint8Array | undefined
type Terms = { req: ExactRequirement; nodeId: bigint; assetId: bigint; chainId: number }

/**
 * One call to a Sahara node paid with an x402 "exact" payment: no channel, no gas for the payer,
 * one EIP-3009 authorization that the node submits. Unlike a stock x402 client it checks what it
 * signs: the node's chain, the price against `maxPrice`, and that `payTo` is the asset's deposit
 * address on that node (ExactPayments.receiverOf, read on-chain), so the money can only reach the
 * asset's vault and the node's fee. The answer's receipt is then verified: this request, this
 * response, this price, signed by the node's registered signer.
 * A free resource or an error is returned as it came (`paid` unset).
 */
export async function fetchWithExactPayment(o: ExactPaymentOptions, url: string, init: RequestInit & { body?: Body } = {}): Promise<ExactPaidResponse> {
  const send = o.fetch ?? fetch
  const unpaid = await send(url, init)
  if (unpaid.status !== 402) return { response: unpaid }
  const t = await checkedTerms(o, url, await unpaid.json().catch(() => undefined))
  const { payment, nonce } = await signExactPayment(o, t)
  const response = await sendPayment(send, url, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), 'x-payment': payment } }, o.retry ?? { attempts: 5, delayMs: 1000 })
  if (!response.ok) return { response }
  return verifiedAnswer(o, t, nonce, init.body, response)
}

/** The exact requirement of a 402 body, after checking its chain, its price and its payTo on-chain. */
async function checkedTerms(o: ExactPaymentOptions, url: string, body: unknown): Promise<Terms> {
  const req = parseExactRequirement(body)
  if (!req) throw new PaymentRequirementError(`${url} offers no x402 exact payment.`)
  // Sahara nodes state the asset and node beside x402's fields: what the deposit address must belong to.
  const terms = parseChannelRequirement(body)
  if (!terms) throw new PaymentRequirementError(`${url} does not name its node and asset, so its deposit address cannot be checked; nothing was paid.`)
  if (terms.chainId !== o.deployments.chainId) throw new PaymentRequirementError(`${url} is paid on chain ${terms.chainId}, not on this client's chain ${o.deployments.chainId}; nothing was paid.`)
  if (req.amount > o.maxPrice) throw new PriceAboveMaxError(req.amount, o.maxPrice, url)
  const receiver = await readContract(o.publicClient, {
    address: executionContract(o.deployments, 'ExactPayments'),
    abi: exactPaymentsAbi,
    functionName: 'receiverOf',
    args: [terms.nodeId, terms.assetId],
  })
  if (getAddress(receiver) !== req.payTo) {
    throw new PaymentRequirementError(`${url} asks to be paid at ${req.payTo}, not at ${receiver}, the deposit address of asset #${terms.assetId} on node #${terms.nodeId}; nothing was paid.`)
  }
  return { req, nodeId: terms.nodeId, assetId: terms.assetId, chainId: terms.chainId }
}

/** X-PAYMENT (x402 v1): base64 JSON of a fresh EIP-3009 authorization of exactly the price to payTo. */
async function signExactPayment(o: ExactPaymentOptions, { req, chainId }: Terms): Promise<{ payment: string; nonce: Hex }> {
  const account = requireAccount(o.walletClient, 'fetchWithExactPayment')
  const message = {
    from: account.address,
    to: req.payTo,
    value: req.amount,
    validAfter: 0n,
    validBefore: BigInt(Math.floor(Date.now() / 1000) + Math.min(req.maxTimeoutSeconds, MAX_EXACT_VALIDITY_SECONDS)),
    nonce: bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32))),
  }
  const signature = await signTypedData(o.walletClient, {
    account,
    domain: { name: req.tokenName, version: req.tokenVersion, chainId, verifyingContract: req.asset },
    types: TRANSFER_WITH_AUTHORIZATION_TYPES,
    primaryType: 'TransferWithAuthorization',
    message,
  })
  const authorization = { ...message, value: message.value.toString(), validAfter: '0', validBefore: message.validBefore.toString() }
  const payment = Buffer.from(JSON.stringify({ x402Version: 1, scheme: EXACT_SCHEME, network: req.network, payload: { signature, authorization } })).toString('base64')
  return { payment, nonce: message.nonce }
}

/** Sends the paid request, again with the same header while the answer may still come (see `retry`). */
async function sendPayment(send: typeof fetch, url: string, init: RequestInit, retry: { attempts: number; delayMs: number }): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    let res: Response | undefined
    let error: unknown
    try {
      res = await send(url, init)
    } catch (e) {
      error = e
    }
    if (res && !(await answerMayStillCome(res, attempt))) return res
    if (attempt >= retry.attempts) {
      if (res) return res
      throw error
    }
    await new Promise((r) => setTimeout(r, retry.delayMs))
  }
}

async function answerMayStillCome(res: Response, attempt: number): Promise<boolean> {
  if (res.ok || ![402, 409, 503].includes(res.status)) return false
  const body = (await res.clone().json().catch(() => undefined)) as { code?: unknown; error?: { code?: unknown } } | undefined
  const code = body?.code ?? body?.error?.code
  if (res.status === 402) return code === 'settlement_failed'
  if (res.status === 503) return code === 'store_unavailable'
  // a copy of a header still being served; a 409 with a receipt is final (answered, not reproducible)
  return attempt > 1 && code === 'authorization_replayed' && !res.headers.has('x-sahara-receipt')
}

/**
 * Checks that the receipt is this call's (this payment: lane = the authorization nonce) and signed
 * by the node's signer; returns the answer.
 */
async function verifiedAnswer(o: ExactPaymentOptions, t: Terms, nonce: Hex, requestBody: Body, response: Response): Promise<ExactPaidResponse> {
  const bytes = new Uint8Array(await response.arrayBuffer())
  const header = response.headers.get('x-sahara-receipt') ?? ''
  const receipt = decodeReceiptHeader(header)
  const f = receipt.fields
  const requestBytes = typeof requestBody === 'string' ? new TextEncoder().encode(requestBody) : (requestBody ?? new Uint8Array())
  const mismatch =
    f.nodeId !== t.nodeId ? 'node' : f.assetId !== t.assetId ? 'asset' : f.price !== t.req.amount ? 'price' : f.channelId !== 0n ? 'channel'
      : f.lane !== BigInt(nonce) ? 'payment nonce (lane)' : f.requestHash !== sha256Hex(requestBytes) ? 'request hash' : f.responseHash !== sha256Hex(bytes) ? 'response hash' : undefined
  if (mismatch) throw new ReceiptVerificationError(`The receipt's ${mismatch} is not this call's.`)
  const node = await getNode(o, t.nodeId)
  await verifyReceipt(receipt, { domain: paymentsDomain(t.chainId, executionContract(o.deployments, 'PaymentChannels')), nodeSigner: node.signer })
  const settlement = JSON.parse(Buffer.from(response.headers.get('x-payment-response') ?? '', 'base64').toString() || '{}') as { transaction?: Hex }
  return {
    response: new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers }),
    paid: { receipt, header, transaction: settlement.transaction ?? ('0x' as Hex), price: t.req.amount, nodeId: t.nodeId, assetId: t.assetId },
  }
}
