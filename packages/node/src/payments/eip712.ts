import { getAddress, hashDomain, keccak256, serializeSignature, type Address, type Hex } from 'viem'
import { sign } from 'viem/accounts'
import { createRequire } from 'node:module'
import { paymentsDomain, receiptBatchTypes, recoverVoucherSigner as recoverSigner, voucherTypes } from '@sahara/sdk'
import { writeU256 } from '../util/u256.ts'
import type { SignedVoucher, Voucher } from './types.ts'

type NativeSecp256k1 = {
  ecdsaSign(msg32: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number }
  ecdsaRecover(sig64: Uint8Array, recid: number, msg32: Uint8Array, compressed: false): Uint8Array
}

/**
 * libsecp256k1 through the `secp256k1` package's native binding (prebuilt for linux-x64): ~4x
 * faster than noble for the per-group ReceiptBatch signature. `secp256k1/bindings` throws when the
 * native module is missing (the package's own index would silently fall back to elliptic, in JS).
 */
function loadNative(): NativeSecp256k1 | undefined {
  try {
    return createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp256k1
  } catch {
    return undefined
  }
}
const native = loadNative()
export const nativeSigning = native !== undefined

/**
 * Signs a 32-byte digest with libsecp256k1 as r || s || v, v = 27 + recid (libsecp256k1 returns
 * low-s signatures, as EIP-2 and OpenZeppelin's ECDSA require). Throws without the native binding.
 */
export function signDigestNative(digest: Uint8Array, privateKey: Uint8Array): Hex {
  if (!native) throw new Error('the secp256k1 native binding is not available')
  const { signature, recid } = native.ecdsaSign(digest, privateKey)
  return `0x${Buffer.from(signature).toString('hex')}${(27 + recid).toString(16)}`
}

export type ChannelsDomain = { chainId: number; verifyingContract: Address }

/** The PaymentChannels EIP-712 domain (the SDK owns the name, version and types). */
export function channelsDomain(d: ChannelsDomain) {
  return paymentsDomain(d.chainId, d.verifyingContract)
}

export { voucherTypes, receiptBatchTypes }

/** Recovers the voucher's signer under the PaymentChannels domain (wrong domain -> other address). */
export async function recoverVoucherSigner(domain: ChannelsDomain, v: SignedVoucher): Promise<Address> {
  const { signature, ...message } = v
  return recoverSigner(channelsDomain(domain), message, signature)
}

/** secp256k1 group order / 2: OpenZeppelin's ECDSA (and so PaymentChannels) rejects a larger s. */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n

/** Why a voucher signature cannot be valid on-chain (the contract would reject it at settlement). */
export class VoucherSignatureError extends Error {
  override name = 'VoucherSignatureError'
}

const VOUCHER_TYPEHASH = keccak256(
  new TextEncoder().encode('Voucher(uint256 channelId,uint256 lane,uint256 assetId,uint256 cumulative,bytes32 anchor,uint256 unitPrice,uint256 maxUnits,uint256 expiresAt)'),
  'bytes',
)

function domainSeparator(domain: ChannelsDomain): Uint8Array {
  return Buffer.from(
    hashDomain({
      domain: { ...channelsDomain(domain), chainId: BigInt(domain.chainId) },
      types: { EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ] },
    }).slice(2),
    'hex',
  )
}

/** keccak256(0x1901 || separator || structHash): the EIP-712 digest, from bytes, without hex round trips. */
function typedDigest(separator: Uint8Array, structHash: Uint8Array): Uint8Array {
  const buf = new Uint8Array(66)
  buf[0] = 0x19
  buf[1] = 0x01
  buf.set(separator, 2)
  buf.set(structHash, 34)
  return keccak256(buf, 'bytes')
}

/**
 * Voucher signer recovery for the hot path: the domain separator is computed once and the signer is
 * recovered with libsecp256k1 (~0.1 ms instead of several with noble on this machine, and no dynamic
 * import per call as viem's recoverPublicKey does). It also refuses what the contract refuses, so the
 * node never accepts a voucher it could not settle: v other than 27/28, or s above n/2 (malleable).
 * Falls back to viem when the native binding is missing.
 */
export class VoucherRecoverer {
  private readonly separator: Uint8Array
  constructor(private readonly domain: ChannelsDomain) {
    this.separator = domainSeparator(domain)
  }

  digest(v: Voucher): Uint8Array {
    const struct = Buffer.alloc(9 * 32) // zero-filled, as writeU256 requires
    struct.set(VOUCHER_TYPEHASH, 0)
    writeU256(struct, 32, v.channelId)
    writeU256(struct, 64, v.lane)
    writeU256(struct, 96, v.assetId)
    writeU256(struct, 128, v.cumulative)
    struct.set(Buffer.from(v.anchor.slice(2), 'hex'), 160)
    writeU256(struct, 192, v.unitPrice)
    writeU256(struct, 224, v.maxUnits)
    writeU256(struct, 256, v.expiresAt)
    return typedDigest(this.separator, keccak256(struct, 'bytes'))
  }

  async recover(v: SignedVoucher): Promise<Address> {
    const sig = Buffer.from(v.signature.slice(2), 'hex')
    if (sig.length !== 65) throw new VoucherSignatureError(`The voucher signature must be 65 bytes, got ${sig.length}.`)
    const recovery = sig[64]!
    if (recovery !== 27 && recovery !== 28) throw new VoucherSignatureError(`The voucher signature's v must be 27 or 28, got ${recovery}.`)
    if (BigInt('0x' + sig.toString('hex', 32, 64)) > HALF_N) throw new VoucherSignatureError('The voucher signature has a high s value (malleable); the contract only accepts s <= n/2.')
    if (!native) return recoverVoucherSigner(this.domain, v)
    const pub = native.ecdsaRecover(sig.subarray(0, 64), recovery - 27, this.digest(v), false)
    return getAddress(('0x' + Buffer.from(keccak256(pub.subarray(1), 'bytes')).toString('hex', 12)) as Hex)
  }
}

export function voucherMessage(v: SignedVoucher): Voucher {
  const { signature: _signature, ...message } = v
  return message
}

const RECEIPT_BATCH_TYPEHASH = keccak256(new TextEncoder().encode('ReceiptBatch(uint256 nodeId,bytes32 root,uint256 sequence)'), 'bytes')

/**
 * Signs ReceiptBatch digests with a precomputed domain separator: two keccaks + one ECDSA
 * signature per receipt group (~1 ms with noble), independent of the group size.
 */
export class ReceiptBatchSigner {
  private readonly separator: Uint8Array
  private readonly keyBytes: Buffer
  constructor(
    domain: ChannelsDomain,
    private readonly privateKey: Hex,
  ) {
    this.keyBytes = Buffer.from(privateKey.slice(2), 'hex')
    this.separator = domainSeparator(domain)
  }

  digest(nodeId: bigint, root: Hex, sequence: bigint): Hex {
    return ('0x' + Buffer.from(this.digestBytes(nodeId, root, sequence)).toString('hex')) as Hex
  }

  private digestBytes(nodeId: bigint, root: Hex, sequence: bigint): Uint8Array {
    const struct = Buffer.alloc(4 * 32)
    struct.set(RECEIPT_BATCH_TYPEHASH, 0)
    writeU256(struct, 32, nodeId)
    struct.set(Buffer.from(root.slice(2), 'hex'), 64)
    writeU256(struct, 96, sequence)
    return typedDigest(this.separator, keccak256(struct, 'bytes'))
  }

  async sign(nodeId: bigint, root: Hex, sequence: bigint): Promise<Hex> {
    if (native) return signDigestNative(this.digestBytes(nodeId, root, sequence), this.keyBytes)
    return serializeSignature(await sign({ hash: this.digest(nodeId, root, sequence), privateKey: this.privateKey }))
  }

}
