import { getAddress, isAddress, type Hex } from 'viem'
import { MalformedError } from '../errors.ts'
import { HEX32, parseU256 } from '../util/u256.ts'
import type { SignedVoucher, Ticket } from './types.ts'

// <channelId>.<assetId>.<lane>.<units>.<index>.<preimageHex64>; canonical decimals only so that one
// lane has exactly one key. units/index are bounded by MAX_UNITS (4096), so 4-5 digits suffice.
const TICKET =
  /^((0|[1-9][0-9]{0,76})\.(0|[1-9][0-9]{0,76})\.(0|[1-9][0-9]{0,76}))\.([1-9][0-9]{0,4})\.(0|[1-9][0-9]{0,4})\.(?:0x)?([0-9a-fA-F]{64})$/

/** Parses X-Sahara-Ticket without JSON (hot path: one regex, three BigInt). */
export function parseTicket(header: string): Ticket {
  const m = TICKET.exec(header)
  if (m === null) {
    throw new MalformedError(
      'malformed_ticket',
      'X-Sahara-Ticket must be <channelId>.<assetId>.<lane>.<units>.<index>.<preimage as 64 hex digits> in canonical decimal.',
    )
  }
  return {
    laneKey: m[1]!,
    channelId: BigInt(m[2]!),
    assetId: BigInt(m[3]!),
    lane: BigInt(m[4]!),
    units: Number(m[5]!),
    index: Number(m[6]!),
    preimage: Buffer.from(m[7]!, 'hex'),
  }
}

export function formatTicket(t: { channelId: bigint; assetId: bigint; lane: bigint; units: number; index: number; preimage: Uint8Array }): string {
  return `${t.channelId}.${t.assetId}.${t.lane}.${t.units}.${t.index}.${Buffer.from(t.preimage).toString('hex')}`
}

const SIG = /^0x[0-9a-fA-F]{130}$/

/** Parses X-Sahara-Voucher: base64url(JSON voucher with decimal strings + signature). */
export function parseVoucherHeader(header: string): SignedVoucher {
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))
  } catch {
    throw new MalformedError('malformed_voucher', 'X-Sahara-Voucher must be base64url-encoded JSON.')
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new MalformedError('malformed_voucher', 'X-Sahara-Voucher must encode a JSON object.')
  const o = json as Record<string, unknown>
  const num = (k: string): bigint => {
    const v = parseU256(o[k])
    if (v === undefined) throw new MalformedError('malformed_voucher', `voucher.${k} must be a canonical decimal string (uint256).`)
    return v
  }
  const anchor = o.anchor
  if (typeof anchor !== 'string' || !HEX32.test(anchor)) throw new MalformedError('malformed_voucher', 'voucher.anchor must be 0x + 64 hex digits.')
  const signature = o.signature
  if (typeof signature !== 'string' || !SIG.test(signature)) throw new MalformedError('malformed_voucher', 'voucher.signature must be a 65-byte 0x-hex signature.')
  return {
    channelId: num('channelId'),
    lane: num('lane'),
    assetId: num('assetId'),
    cumulative: num('cumulative'),
    anchor: anchor.toLowerCase() as Hex,
    unitPrice: num('unitPrice'),
    maxUnits: num('maxUnits'),
    expiresAt: num('expiresAt'),
    signature: signature as Hex,
  }
}

export function voucherToJson(v: SignedVoucher): Record<string, string> {
  return {
    channelId: v.channelId.toString(),
    lane: v.lane.toString(),
    assetId: v.assetId.toString(),
    cumulative: v.cumulative.toString(),
    anchor: v.anchor,
    unitPrice: v.unitPrice.toString(),
    maxUnits: v.maxUnits.toString(),
    expiresAt: v.expiresAt.toString(),
    signature: v.signature,
  }
}

export function formatVoucherHeader(v: SignedVoucher): string {
  return Buffer.from(JSON.stringify(voucherToJson(v))).toString('base64url')
}

export function voucherFromJson(o: Record<string, string>): SignedVoucher {
  return parseVoucherHeader(Buffer.from(JSON.stringify(o)).toString('base64url'))
}

export function checkedAddress(v: unknown, what: string): `0x${string}` {
  if (typeof v !== 'string' || !isAddress(v, { strict: false })) throw new MalformedError('malformed_address', `${what} must be an address.`)
  return getAddress(v)
}
