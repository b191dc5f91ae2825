/** Fixed-width big-endian uint256 helpers for the receipt encoding (no viem on the hot path). */

const TWO48 = 2n ** 48n
const TWO64 = 2n ** 64n
export const MAX_U256 = 2n ** 256n - 1n

/** Writes `v` as a 32-byte big-endian word at `off` (the buffer must be zero-filled there). */
export function writeU256(buf: Buffer, off: number, v: bigint): void {
  if (v < TWO48) {
    buf.writeUIntBE(Number(v), off + 26, 6)
  } else if (v < TWO64) {
    buf.writeBigUInt64BE(v, off + 24)
  } else {
    buf.write(v.toString(16).padStart(64, '0'), off, 32, 'hex')
  }
}

export function readU256(buf: Buffer, off: number): bigint {
  return BigInt('0x' + buf.toString('hex', off, off + 32))
}

/** Canonical decimal uint256 (no sign, no leading zeros): the only form accepted in headers. */
const DEC = /^(0|[1-9][0-9]{0,77})$/
export function parseU256(s: unknown): bigint | undefined {
  if (typeof s !== 'string' || !DEC.test(s)) return undefined
  const v = BigInt(s)
  return v <= MAX_U256 ? v : undefined
}

export const HEX32 = /^0x[0-9a-fA-F]{64}$/
