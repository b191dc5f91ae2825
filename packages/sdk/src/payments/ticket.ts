import type { Hex } from 'viem'
import { MAX_UINT256, decodeBase64Url, parseUint256Decimal } from './bytes'
import { TicketFormatError, VoucherFormatError } from './errors'
import { MAX_UNITS } from './hashChain'
import { assertVoucher, type SignedVoucher } from './voucher'

export const TICKET_HEADER = 'x-sahara-ticket'
export const VOUCHER_HEADER = 'x-sahara-voucher'
export const RECEIPT_HEADER = 'x-sahara-receipt'

/**
 * One paid call on a lane: reveals s_index of the lane's current chain, paying `units` units
 * (the previous revealed index was index - units).
 */
export type Ticket = {
  channelId: bigint
  assetId: bigint
  lane: bigint
  units: number
  index: number
  /** s_index, 32 bytes as 0x-hex. */
  preimage: Hex
}

/** A decoded ticket plus what a server needs without re-deriving it. */
export type DecodedTicket = Ticket & {
  /** `<channelId>.<assetId>.<lane>`: canonical (decimals have no leading zeros), usable as a map key. */
  laneKey: string
  /** The preimage bytes. */
  preimageBytes: Buffer
}

// 78 digits hold any uint256; units/index are 1..4096 (4 digits, range-checked after).
const TICKET = /^(0|[1-9][0-9]{0,77})\.(0|[1-9][0-9]{0,77})\.(0|[1-9][0-9]{0,77})\.([1-9][0-9]{0,3})\.([1-9][0-9]{0,3})\.([0-9a-fA-F]{64})$/
const MAX_TICKET_LENGTH = 78 * 3 + 4 + 4 + 64 + 5

function u256(s: string, what: string): bigint {
  const v = BigInt(s)
  if (s.length === 78 && v > MAX_UINT256) throw new TicketFormatError(`The ticket's ${what} does not fit in a uint256.`)
  return v
}

/** Decodes `<channelId>.<assetId>.<lane>.<units>.<index>.<preimageHex64>`; throws TicketFormatError on anything else. */
export function decodeTicket(header: string | null | undefined): DecodedTicket {
  if (typeof header !== 'string' || header.length === 0) throw new TicketFormatError('The X-Sahara-Ticket header is missing.')
  if (header.length > MAX_TICKET_LENGTH) throw new TicketFormatError('The X-Sahara-Ticket header is too long.')
  const m = TICKET.exec(header)
  if (!m) {
    throw new TicketFormatError(
      'The X-Sahara-Ticket header must be <channelId>.<assetId>.<lane>.<units>.<index>.<64 hex chars> with canonical decimals.',
    )
  }
  const units = Number(m[4])
  const index = Number(m[5])
  if (units > MAX_UNITS) throw new TicketFormatError(`A ticket pays at most ${MAX_UNITS} units, got ${units}.`)
  if (index > MAX_UNITS) throw new TicketFormatError(`A ticket index is at most ${MAX_UNITS}, got ${index}.`)
  if (units > index) throw new TicketFormatError(`A ticket cannot pay ${units} units up to chain index ${index}.`)
  const hex = m[6]!.toLowerCase()
  return {
    channelId: u256(m[1]!, 'channelId'),
    assetId: u256(m[2]!, 'assetId'),
    lane: u256(m[3]!, 'lane'),
    units,
    index,
    preimage: `0x${hex}` as Hex,
    laneKey: `${m[1]}.${m[2]}.${m[3]}`,
    preimageBytes: Buffer.from(hex, 'hex'),
  }
}

/** Encodes a ticket header (validates the same bounds decodeTicket enforces). */
export function encodeTicket(t: Ticket): string {
  for (const f of ['channelId', 'assetId', 'lane'] as const) {
    const v = t[f]
    if (typeof v !== 'bigint' || v < 0n || v > MAX_UINT256) throw new TicketFormatError(`Ticket ${f} must be a uint256 bigint.`)
  }
  if (!Number.isSafeInteger(t.units) || t.units < 1 || t.units > MAX_UNITS) throw new TicketFormatError(`Ticket units must be 1..${MAX_UNITS}.`)
  if (!Number.isSafeInteger(t.index) || t.index < t.units || t.index > MAX_UNITS) throw new TicketFormatError(`Ticket index must be units..${MAX_UNITS}.`)
  if (typeof t.preimage !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(t.preimage)) throw new TicketFormatError('Ticket preimage must be 32 bytes of 0x-hex.')
  return `${t.channelId}.${t.assetId}.${t.lane}.${t.units}.${t.index}.${t.preimage.slice(2).toLowerCase()}`
}

const VOUCHER_KEYS = ['channelId', 'lane', 'assetId', 'cumulative', 'anchor', 'unitPrice', 'maxUnits', 'expiresAt', 'signature'] as const
const MAX_VOUCHER_HEADER = 4096
const SIGNATURE = /^0x([0-9a-fA-F]{2}){65,1024}$/

/** base64url(JSON) of a signed voucher: uint256 fields as decimal strings, anchor and signature as 0x-hex. */
export function encodeVoucherHeader(v: SignedVoucher): string {
  assertVoucher(v)
  if (typeof v.signature !== 'string' || !SIGNATURE.test(v.signature)) throw new VoucherFormatError('The voucher signature must be 0x-hex of at least 65 bytes.')
  const json = JSON.stringify({
    channelId: v.channelId.toString(),
    lane: v.lane.toString(),
    assetId: v.assetId.toString(),
    cumulative: v.cumulative.toString(),
    anchor: v.anchor.toLowerCase(),
    unitPrice: v.unitPrice.toString(),
    maxUnits: v.maxUnits.toString(),
    expiresAt: v.expiresAt.toString(),
    signature: v.signature.toLowerCase(),
  })
  return Buffer.from(json, 'utf8').toString('base64url')
}

/**
 * Decodes an X-Sahara-Voucher header: exactly the nine keys, canonical decimal uint256 strings,
 * 32-byte anchor, signature of >= 65 bytes, maxUnits <= MAX_UNITS. Does NOT check the signature.
 */
export function decodeVoucherHeader(header: string | null | undefined): SignedVoucher {
  if (typeof header !== 'string' || header.length === 0) throw new VoucherFormatError('The X-Sahara-Voucher header is missing.')
  const bytes = decodeBase64Url(header, MAX_VOUCHER_HEADER)
  if (!bytes) throw new VoucherFormatError('The X-Sahara-Voucher header is not canonical unpadded base64url or is too long.')
  let o: unknown
  try {
    o = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new VoucherFormatError('The X-Sahara-Voucher header is not base64url of JSON.')
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new VoucherFormatError('The voucher must be a JSON object.')
  const rec = o as Record<string, unknown>
  const keys = Object.keys(rec)
  if (keys.length !== VOUCHER_KEYS.length || !VOUCHER_KEYS.every((k) => Object.hasOwn(rec, k))) {
    throw new VoucherFormatError(`The voucher must have exactly the keys ${VOUCHER_KEYS.join(', ')}.`)
  }
  const u = (k: string): bigint => {
    const v = parseUint256Decimal(rec[k])
    if (v === null) throw new VoucherFormatError(`Voucher ${k} must be a canonical decimal uint256 string.`)
    return v
  }
  const anchor = rec.anchor
  if (typeof anchor !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(anchor)) throw new VoucherFormatError('Voucher anchor must be 32 bytes of 0x-hex.')
  const signature = rec.signature
  if (typeof signature !== 'string' || !SIGNATURE.test(signature)) throw new VoucherFormatError('The voucher signature must be 0x-hex of at least 65 bytes.')
  const v: SignedVoucher = {
    channelId: u('channelId'),
    lane: u('lane'),
    assetId: u('assetId'),
    cumulative: u('cumulative'),
    anchor: anchor.toLowerCase() as Hex,
    unitPrice: u('unitPrice'),
    maxUnits: u('maxUnits'),
    expiresAt: u('expiresAt'),
    signature: signature.toLowerCase() as Hex,
  }
  assertVoucher(v)
  return v
}
