import { TRANSFER_WITH_AUTHORIZATION_TYPES } from '@sahara/sdk'
import { getAddress, isAddress, recoverTypedDataAddress, type Address, type Hex } from 'viem'
import { ConflictError, InvalidProofError, MalformedError, PaymentRequiredError } from '../errors.ts'
import { HEX32, parseU256 } from '../util/u256.ts'

/** What a 402 advertises about one asset. */
export type RequirementInput = {
  resource: string
  description: string
  assetId: bigint
  version: number
  nodeId: bigint
  price: bigint
  unitPrice: bigint
  unitsPerCall: number
  token: Address
  tokenName: string
  tokenVersion: string
  chainId: number
  network: string
  paymentChannels: Address
  /** x402 exact payTo: the asset's deposit address (ExactPayments.receiverOf). */
  exactPayTo: Address
}

const MAX_TIMEOUT_S = 60

/**
 * x402 v1 names of the EVM chains the stock v1 clients (`x402` / `x402-fetch` 1.x) know: they map
 * the name to the chain id they sign for, so a node on one of these chains must advertise this name.
 */
const X402_V1_NETWORKS: ReadonlyMap<number, string> = new Map([
  [8453, 'base'],
  [84532, 'base-sepolia'],
  [43114, 'avalanche'],
  [43113, 'avalanche-fuji'],
  [137, 'polygon'],
  [80002, 'polygon-amoy'],
  [1329, 'sei'],
  [1328, 'sei-testnet'],
  [4689, 'iotex'],
  [2741, 'abstract'],
  [11124, 'abstract-testnet'],
  [3338, 'peaq'],
  [1514, 'story'],
  [41923, 'educhain'],
])

/** The v1 network name for a chain: its x402 name when v1 has one, else `sahara-<chainId>`. */
export function defaultX402Network(chainId: number): string {
  return X402_V1_NETWORKS.get(chainId) ?? `sahara-${chainId}`
}

/**
 * x402 v1 body: `accepts` holds only the "exact" requirement (EIP-3009 to the asset's deposit
 * address, ExactPayments.receiverOf(nodeId, assetId)); the channel terms travel beside it in
 * `saharaChannel`, because the stock v1 client validates every `accepts` entry against its fixed
 * scheme list and throws on any other scheme before choosing one.
 */
export function paymentRequired(r: RequirementInput, error: string) {
  const common = { resource: r.resource, description: r.description, mimeType: 'application/json', maxTimeoutSeconds: MAX_TIMEOUT_S, asset: r.token, maxAmountRequired: r.price.toString() }
  return {
    x402Version: 1,
    error,
    // No `outputSchema: null`: the stock v1 client's schema allows the field absent, not null.
    accepts: [{ scheme: 'exact', network: r.network, ...common, payTo: r.exactPayTo, extra: { name: r.tokenName, version: r.tokenVersion } }],
    saharaChannel: {
      scheme: 'sahara-channel',
      network: r.network,
      ...common,
      payTo: r.paymentChannels,
      extra: {
        nodeId: r.nodeId.toString(),
        assetId: r.assetId.toString(),
        version: r.version,
        unitPrice: r.unitPrice.toString(),
        unitsPerCall: r.unitsPerCall,
        channels: r.paymentChannels,
        chainId: r.chainId,
      },
    },
  }
}

/** x402 v2 PAYMENT-REQUIRED header payload (CAIP-2 network, `amount`): only the exact scheme. */
export function paymentRequiredV2(r: RequirementInput, error: string) {
  return {
    x402Version: 2,
    error,
    resource: { url: r.resource, description: r.description, mimeType: 'application/json' },
    accepts: [
      { scheme: 'exact', network: `eip155:${r.chainId}`, amount: r.price.toString(), asset: r.token, payTo: r.exactPayTo, maxTimeoutSeconds: MAX_TIMEOUT_S, extra: { name: r.tokenName, version: r.tokenVersion } },
    ],
  }
}

export type ExactAuthorization = { from: Address; to: Address; value: bigint; validAfter: bigint; validBefore: bigint; nonce: Hex; signature: Hex; version: 1 | 2 }

/** Decodes X-PAYMENT (v1) or PAYMENT-SIGNATURE (v2): base64 JSON with payload { signature, authorization }. */
export function decodeExactPayment(header: string, version: 1 | 2, expect: { network: string; chainId: number }): ExactAuthorization {
  let j: Record<string, unknown>
  try {
    j = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, unknown>
  } catch {
    throw new MalformedError('malformed_payment', 'The x402 payment header must be base64-encoded JSON.')
  }
  if (!j || typeof j !== 'object') throw new MalformedError('malformed_payment', 'The x402 payment header must encode an object.')
  const scheme = version === 1 ? j.scheme : (j.accepted as Record<string, unknown> | undefined)?.scheme
  const network = version === 1 ? j.network : (j.accepted as Record<string, unknown> | undefined)?.network
  if (scheme !== 'exact') throw new MalformedError('unsupported_scheme', 'Only the "exact" x402 scheme is accepted in the payment header.')
  const okNetwork = version === 1 ? network === expect.network : network === `eip155:${expect.chainId}`
  if (!okNetwork) throw new MalformedError('wrong_network', `The payment is for network ${String(network)}, this node is on ${version === 1 ? expect.network : `eip155:${expect.chainId}`}.`)
  const p = j.payload as Record<string, unknown> | undefined
  const a = p?.authorization as Record<string, unknown> | undefined
  if (!p || !a) throw new MalformedError('malformed_payment', 'payload.authorization is missing.')
  const address = (v: unknown, k: string): Address => {
    if (typeof v !== 'string' || !isAddress(v, { strict: false })) throw new MalformedError('malformed_payment', `authorization.${k} must be an address.`)
    return getAddress(v)
  }
  const u = (v: unknown, k: string): bigint => {
    const x = parseU256(typeof v === 'number' ? String(v) : v)
    if (x === undefined) throw new MalformedError('malformed_payment', `authorization.${k} must be a decimal uint256.`)
    return x
  }
  if (typeof a.nonce !== 'string' || !HEX32.test(a.nonce)) throw new MalformedError('malformed_payment', 'authorization.nonce must be 32 bytes hex.')
  if (typeof p.signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(p.signature)) throw new MalformedError('malformed_payment', 'payload.signature must be a 65-byte hex signature.')
  return {
    from: address(a.from, 'from'),
    to: address(a.to, 'to'),
    value: u(a.value, 'value'),
    validAfter: u(a.validAfter, 'validAfter'),
    validBefore: u(a.validBefore, 'validBefore'),
    nonce: a.nonce.toLowerCase() as Hex,
    signature: p.signature as Hex,
    version,
  }
}


type ExactTerms = Pick<RequirementInput, 'price' | 'token' | 'tokenName' | 'tokenVersion' | 'chainId' | 'exactPayTo'>

/** Off-chain checks of an EIP-3009 authorization for this call (the token verifies again on-chain). */
export async function verifyExact(a: ExactAuthorization, r: ExactTerms, now: bigint): Promise<void> {
  checkExactTerms(a, r)
  if (a.validAfter > now) throw new PaymentRequiredError('authorization_not_yet_valid', 'The authorization is not valid yet.')
  if (a.validBefore <= now + 10n) throw new PaymentRequiredError('authorization_expired', 'The authorization has expired (or expires within 10 s).')
  await checkExactSignature(a, r)
}

/** Payee and amount: the asset's deposit address, exactly the price. */
function checkExactTerms(a: ExactAuthorization, r: ExactTerms): void {
  if (a.to !== getAddress(r.exactPayTo)) throw new PaymentRequiredError('wrong_pay_to', `The authorization must pay this asset's deposit address ${r.exactPayTo} (payTo of the requirement).`)
  if (a.value < r.price) throw new PaymentRequiredError('insufficient_amount', `This call costs ${r.price}; the authorization is for ${a.value}.`)
  // "exact" means exact (the x402 reference facilitator rejects any other value): an overpaying
  // client is buggy, and its extra would be booked as revenue with no way back.
  if (a.value !== r.price) throw new PaymentRequiredError('amount_mismatch', `This call costs exactly ${r.price}; the authorization is for ${a.value}.`)
}

/** The authorization is signed by `from` for this token and chain. */
export async function checkExactSignature(a: ExactAuthorization, r: ExactTerms): Promise<void> {
  let signer: Address
  try {
    signer = await recoverTypedDataAddress({
      domain: { name: r.tokenName, version: r.tokenVersion, chainId: r.chainId, verifyingContract: r.token },
      types: TRANSFER_WITH_AUTHORIZATION_TYPES,
      primaryType: 'TransferWithAuthorization',
      message: { from: a.from, to: a.to, value: a.value, validAfter: a.validAfter, validBefore: a.validBefore, nonce: a.nonce },
      signature: a.signature,
    })
  } catch {
    throw new MalformedError('malformed_payment', 'The authorization signature cannot be recovered.')
  }
  if (signer !== a.from) throw new InvalidProofError('bad_authorization_signature', 'The authorization is not signed by `from` for this token and chain.')
}

export function replayedExact(): ConflictError {
  return new ConflictError('authorization_replayed', 'This authorization nonce was already used.')
}
