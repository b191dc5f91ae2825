import { randomBytes } from 'node:crypto'
import type { Hex } from 'viem'
import { bytesToHex, sha256, toBytes32OrNull } from './bytes'
import { HashChainError } from './errors'

/** Upper bound on units per voucher (PaymentChannels.MAX_UNITS): bounds on-chain hashing of a chain tail. */
export const MAX_UNITS = 4096
/** Default chain length: units a voucher covers before the client signs the next one. */
export const DEFAULT_CHAIN_LENGTH = 1024

/**
 * A PayWord-style hash chain: s_n random, s_{i-1} = sha256(s_i), anchor = s_0. Revealing s_k proves
 * k units were paid on the voucher that signed the anchor.
 */
export type HashChain = {
  /** n: the number of units the chain can pay. */
  readonly length: number
  /** s_0 as 0x-hex (goes into the voucher). */
  readonly anchor: Hex
  /** s_i as 0x-hex, 0 <= i <= length. */
  preimageAt(i: number): Hex
  /** s_i as a 32-byte view into the chain's storage (do not mutate), 0 <= i <= length. */
  bytesAt(i: number): Buffer
}

/**
 * Builds a chain of `length` units (1..MAX_UNITS). `seed` is s_n (32 bytes); random when omitted.
 * All links live in one (length+1)*32-byte buffer so preimageAt is O(1).
 */
export function createHashChain(length: number = DEFAULT_CHAIN_LENGTH, seed?: Hex | Uint8Array): HashChain {
  if (!Number.isSafeInteger(length) || length < 1 || length > MAX_UNITS) {
    throw new HashChainError(`A hash chain must have between 1 and ${MAX_UNITS} units, got ${String(length)}.`)
  }
  let top: Buffer
  if (seed === undefined) top = randomBytes(32)
  else {
    const s = toBytes32OrNull(seed)
    if (!s) throw new HashChainError('The hash chain seed must be exactly 32 bytes.')
    top = s
  }
  const links = Buffer.allocUnsafe((length + 1) * 32)
  top.copy(links, length * 32)
  for (let i = length; i > 0; i--) {
    sha256(links.subarray(i * 32, i * 32 + 32)).copy(links, (i - 1) * 32)
  }
  const check = (i: number): void => {
    if (!Number.isSafeInteger(i) || i < 0 || i > length) {
      throw new HashChainError(`Chain index ${String(i)} is outside 0..${length}.`)
    }
  }
  const bytesAt = (i: number): Buffer => {
    check(i)
    return links.subarray(i * 32, i * 32 + 32)
  }
  return {
    length,
    anchor: bytesToHex(links.subarray(0, 32)),
    preimageAt: (i) => bytesToHex(bytesAt(i)),
    bytesAt,
  }
}

/** sha256 applied `times` times (times >= 0). */
export function hashChainIterate(value: Uint8Array, times: number): Buffer {
  let x: Buffer = Buffer.isBuffer(value) ? value : Buffer.from(value)
  for (let i = 0; i < times; i++) x = sha256(x)
  return x
}

/**
 * True iff sha256^q(candidate) == known, i.e. `candidate` is s_{k+q} when `known` is s_k.
 * q must be 1..MAX_UNITS. Malformed inputs (not 32 bytes) return false rather than throw: this is
 * the server's per-call check and a bad preimage is simply not a payment.
 */
export function verifyChainStep(known: Hex | Uint8Array, candidate: Hex | Uint8Array, q: number): boolean {
  if (!Number.isSafeInteger(q) || q < 1 || q > MAX_UNITS) return false
  const k = toBytes32OrNull(known)
  const c = toBytes32OrNull(candidate)
  if (!k || !c) return false
  let x = sha256(c)
  for (let i = 1; i < q; i++) x = sha256(x)
  return x.equals(k)
}
