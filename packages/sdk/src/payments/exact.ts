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
}

export type ExactPaidResponse = {
  /** The node's answer (its body readable again), or its error response. */
  response: Response
  /** Set when the call was paid: the verified receipt, the payment transaction and the price. */
  paid?: { receipt: SignedReceipt; /** X-Sahara-Receipt as sent (what `sahara receipt verify` reads). */ header: string; transaction: Hex; price: bigint; nodeId: bigint; assetId: bigint }
}

/**
 * One call to a Sahara node paid with an x402 "exact" payment: no channel, no gas for the payer,
 * one EIP-3009 authorization that the node submits. Unlike a stock x402 client it checks what it
 * signs: the node's chain, the price against `maxPrice`, and that `payTo` is the asset's deposit
 * address on that node (ExactPayments.receiverOf, read on-chain), so the money can only reach the
 * asset's vault and the node's fee. The answer's receipt is then verified: this request, this
 * response, this price, signed by the node's registered signer.
 * A free resource or an error is returned as it came (`paid` unset).
 */
export async function fetchWithExactPayment(o: ExactPaymentOptions, url: string, init: RequestInit & { body?: string | Uint8Array | undefined } = {}): Promise<ExactPaidResponse> {
  const send = o.fetch ?? fetch
  const unpaid = await send(url, init)
  if (unpaid.status !== 402) return { response: unpaid }
  const body: unknown = await unpaid.json().catch(() => undefined)
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

  const account = requireAccount(o.walletClient, 'fetchWithExactPayment')
  const message = {
    from: account.address,
    to: req.payTo,
    value: req.amount,
    validAfter: 0n,
    validBefore: BigInt(Math.floor(Date.now() / 1000) + req.maxTimeoutSeconds),
    nonce: bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32))),
  }
  const signature = await signTypedData(o.walletClient, {
    account,
    domain: { name: req.tokenName, version: req.tokenVersion, chainId: terms.chainId, verifyingContract: req.asset },
    types: TRANSFER_WITH_AUTHORIZATION_TYPES,
    primaryType: 'TransferWithAuthorization',
    message,
  })
  const authorization = { ...message, value: message.value.toString(), validAfter: '0', validBefore: message.validBefore.toString() }
  const payment = Buffer.from(JSON.stringify({ x402Version: 1, scheme: EXACT_SCHEME, network: req.network, payload: { signature, authorization } })).toString('base64')
  const response = await send(url, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), 'x-payment': payment } })
  if (!response.ok) return { response }

  const bytes = new Uint8Array(await response.arrayBuffer())
  const header = response.headers.get('x-sahara-receipt') ?? ''
  const receipt = decodeReceiptHeader(header)
  const f = receipt.fields
  const requestBytes = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : (init.body ?? new Uint8Array())
  const mismatch =
    f.nodeId !== terms.nodeId ? 'node' : f.assetId !== terms.assetId ? 'asset' : f.price !== req.amount ? 'price' : f.channelId !== 0n ? 'channel'
      : f.requestHash !== sha256Hex(requestBytes) ? 'request hash' : f.responseHash !== sha256Hex(bytes) ? 'response hash' : undefined
  if (mismatch) throw new ReceiptVerificationError(`The receipt's ${mismatch} is not this call's.`)
  const node = await getNode(o, terms.nodeId)
  await verifyReceipt(receipt, { domain: paymentsDomain(terms.chainId, executionContract(o.deployments, 'PaymentChannels')), nodeSigner: node.signer })
  const settlement = JSON.parse(Buffer.from(response.headers.get('x-payment-response') ?? '', 'base64').toString() || '{}') as { transaction?: Hex }
  return {
    response: new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers }),
    paid: { receipt, header, transaction: settlement.transaction ?? ('0x' as Hex), price: req.amount, nodeId: terms.nodeId, assetId: terms.assetId },
  }
}
