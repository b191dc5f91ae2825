import { getAddress, isAddress, type Address } from 'viem'
import { MAX_UINT256 } from './bytes'
import { PaymentRequirementError } from './errors'
import { MAX_UNITS } from './hashChain'

export const CHANNEL_SCHEME = 'sahara-channel'

/** The "sahara-channel" requirement of a 402 body, with its `extra` parsed. */
export type ChannelRequirement = {
  scheme: typeof CHANNEL_SCHEME
  network: string
  resource: string
  description: string
  /** Price of one call (unitPrice * unitsPerCall) in the token's smallest units. */
  maxAmountRequired: bigint
  /** PaymentChannels address. */
  payTo: Address
  /** Payment token. */
  asset: Address
  maxTimeoutSeconds: number
  nodeId: bigint
  assetId: bigint
  version: bigint
  unitPrice: bigint
  unitsPerCall: number
  channels: Address
  chainId: number
}

function uint(v: unknown, what: string): bigint {
  let out: bigint | undefined
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) out = BigInt(v)
  else if (typeof v === 'string' && /^(0|[1-9][0-9]{0,77})$/.test(v)) out = BigInt(v)
  if (out === undefined || out > MAX_UINT256) throw new PaymentRequirementError(`The payment requirement's ${what} must be a non-negative integer.`)
  return out
}

function address(v: unknown, what: string): Address {
  if (typeof v !== 'string' || !isAddress(v, { strict: false })) throw new PaymentRequirementError(`The payment requirement's ${what} must be an address.`)
  return getAddress(v)
}

const isChannelEntry = (a: unknown): a is Record<string, unknown> => !!a && typeof a === 'object' && (a as { scheme?: unknown }).scheme === CHANNEL_SCHEME

/**
 * Finds and validates the sahara-channel requirement of a 402 body: a Sahara node sends it as
 * `saharaChannel` beside x402's `accepts` (stock x402 v1 clients reject unknown schemes inside
 * `accepts`); an entry of `accepts` with that scheme is read too. Returns undefined when the body
 * offers no such scheme; throws PaymentRequirementError when the entry is there but malformed.
 */
export function parseChannelRequirement(body: unknown): ChannelRequirement | undefined {
  if (!body || typeof body !== 'object') return undefined
  const { saharaChannel, accepts } = body as { saharaChannel?: unknown; accepts?: unknown }
  const entry = isChannelEntry(saharaChannel) ? saharaChannel : Array.isArray(accepts) ? accepts.find(isChannelEntry) : undefined
  if (!entry) return undefined
  const extra = entry.extra
  if (!extra || typeof extra !== 'object') throw new PaymentRequirementError('The sahara-channel requirement has no extra object.')
  const x = extra as Record<string, unknown>
  const unitsPerCall = Number(uint(x.unitsPerCall, 'unitsPerCall'))
  if (unitsPerCall < 1 || unitsPerCall > MAX_UNITS) throw new PaymentRequirementError(`unitsPerCall must be 1..${MAX_UNITS}, got ${unitsPerCall}.`)
  const chainId = Number(uint(x.chainId, 'chainId'))
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new PaymentRequirementError('The payment requirement has no valid chainId.')
  const unitPrice = uint(x.unitPrice, 'unitPrice')
  const maxAmountRequired = entry.maxAmountRequired === undefined ? unitPrice * BigInt(unitsPerCall) : uint(entry.maxAmountRequired, 'maxAmountRequired')
  return {
    scheme: CHANNEL_SCHEME,
    network: typeof entry.network === 'string' ? entry.network : '',
    resource: typeof entry.resource === 'string' ? entry.resource : '',
    description: typeof entry.description === 'string' ? entry.description : '',
    maxAmountRequired,
    payTo: address(entry.payTo, 'payTo'),
    asset: address(entry.asset, 'asset'),
    maxTimeoutSeconds: typeof entry.maxTimeoutSeconds === 'number' ? entry.maxTimeoutSeconds : 0,
    nodeId: uint(x.nodeId, 'nodeId'),
    assetId: uint(x.assetId, 'assetId'),
    version: x.version === undefined ? 0n : uint(x.version, 'version'),
    unitPrice,
    unitsPerCall,
    channels: address(x.channels, 'channels'),
    chainId,
  }
}
