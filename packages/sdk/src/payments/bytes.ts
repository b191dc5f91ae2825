// Byte helpers for the payment hot paths: Buffers inside, 0x-hex only at the edges.
import * as crypto from 'node:crypto'
import type { Hex } from 'viem'

export const MAX_UINT256 = (1n << 256n) - 1n
export const ZERO_BYTES32 = `0x${'0'.repeat(64)}` as Hex

const HEX32 = /^0x[0-9a-fA-F]{64}$/

// crypto.hash (Node >= 20.12) skips the Hash object: ~0.7 us vs ~1.2 us for 32 bytes.
const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array | string, enc: string) => unknown }).hash

/** sha256 of bytes (node:crypto one-shot when available). */
export const sha256: (data: Uint8Array) => Buffer = oneShot
  ? (data) => oneShot('sha256', data, 'buffer') as Buffer
  : (data) => crypto.createHash('sha256').update(data).digest()

/** sha256 as lowercase hex without 0x. */
const sha256HexRaw: (data: Uint8Array | string) => string = oneShot
  ? (data) => oneShot('sha256', data, 'hex') as string
  : (data) => crypto.createHash('sha256').update(data).digest('hex')

/** sha256 of bytes as 0x-hex (e.g. requestHash / responseHash of a body). */
export function sha256Hex(data: Uint8Array | string): Hex {
  return `0x${sha256HexRaw(data)}` as Hex
}

export function isBytes32Hex(value: unknown): value is Hex {
  return typeof value === 'string' && HEX32.test(value)
}

/** 32 bytes from 0x-hex or a 32-byte array; `null` when malformed (callers throw their own error type). */
export function toBytes32OrNull(value: Hex | Uint8Array): Buffer | null {
  if (typeof value === 'string') {
    if (!HEX32.test(value)) return null
    return Buffer.from(value.slice(2), 'hex')
  }
  if (!(value instanceof Uint8Array) || value.length !== 32) return null
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, 32)
}

export function bytesToHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}` as Hex
}

/** Writes a uint256 big-endian into 32 bytes at `offset` (caller guarantees 0 <= value <= MAX_UINT256). */
export function writeUint256(buf: Buffer, value: bigint, offset: number): void {
  if (value < 0x1000000000000n) {
    // Common case (ids, prices, counters): one 48-bit write, the rest zero.
    buf.fill(0, offset, offset + 26)
    buf.writeUIntBE(Number(value), offset + 26, 6)
    return
  }
  buf.writeBigUInt64BE(value & 0xffffffffffffffffn, offset + 24)
  buf.writeBigUInt64BE((value >> 64n) & 0xffffffffffffffffn, offset + 16)
  buf.writeBigUInt64BE((value >> 128n) & 0xffffffffffffffffn, offset + 8)
  buf.writeBigUInt64BE(value >> 192n, offset)
}

const DECIMAL = /^(0|[1-9][0-9]{0,77})$/

/** Parses a canonical decimal uint256 string (no sign, no leading zeros); `null` when malformed. */
export function parseUint256Decimal(s: unknown): bigint | null {
  if (typeof s !== 'string' || !DECIMAL.test(s)) return null
  const v = BigInt(s)
  return v <= MAX_UINT256 ? v : null
}

/** Strict base64url (RFC 4648 §5, no padding) -> bytes; `null` when malformed. */
export function decodeBase64Url(s: string, maxLength: number): Buffer | null {
  if (s.length === 0 || s.length > maxLength || s.length % 4 === 1) return null
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return null
  const buf = Buffer.from(s, 'base64url')
  // Reject non-canonical trailing bits so a header has exactly one encoding.
  if (buf.toString('base64url') !== s) return null
  return buf
}
