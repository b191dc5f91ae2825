import {
  hashTypedData,
  isAddress,
  recoverTypedDataAddress,
  type Account,
  type Address,
  type Hex,
  type TypedDataDomain,
} from 'viem'
import { signTypedData } from 'viem/actions'
import type { WalletLike } from '../actions/_internal'
import { MissingWalletError } from '../errors'
import { MAX_UINT256, isBytes32Hex } from './bytes'
import { VoucherFormatError } from './errors'
import { MAX_UNITS } from './hashChain'

export const PAYMENT_CHANNELS_EIP712_NAME = 'Sahara PaymentChannels'
export const PAYMENT_CHANNELS_EIP712_VERSION = '1'

/** EIP-712 domain of vouchers and receipt batches: the PaymentChannels proxy on `chainId`. */
export type PaymentsDomain = {
  name: typeof PAYMENT_CHANNELS_EIP712_NAME
  version: typeof PAYMENT_CHANNELS_EIP712_VERSION
  chainId: number
  verifyingContract: Address
}

export function paymentsDomain(chainId: number | bigint, verifyingContract: Address): PaymentsDomain {
  const id = Number(chainId)
  if (!Number.isSafeInteger(id) || id <= 0) throw new VoucherFormatError(`chainId must be a positive integer, got ${String(chainId)}.`)
  if (!isAddress(verifyingContract, { strict: false })) {
    throw new VoucherFormatError(`verifyingContract must be an address, got "${String(verifyingContract)}".`)
  }
  return { name: PAYMENT_CHANNELS_EIP712_NAME, version: PAYMENT_CHANNELS_EIP712_VERSION, chainId: id, verifyingContract }
}

export const voucherTypes = {
  Voucher: [
    { name: 'channelId', type: 'uint256' },
    { name: 'lane', type: 'uint256' },
    { name: 'assetId', type: 'uint256' },
    { name: 'cumulative', type: 'uint256' },
    { name: 'anchor', type: 'bytes32' },
    { name: 'unitPrice', type: 'uint256' },
    { name: 'maxUnits', type: 'uint256' },
    { name: 'expiresAt', type: 'uint256' },
  ],
} as const

export const receiptBatchTypes = {
  ReceiptBatch: [
    { name: 'nodeId', type: 'uint256' },
    { name: 'root', type: 'bytes32' },
    { name: 'sequence', type: 'uint256' },
  ],
} as const

/**
 * "I owe `cumulative` on lane (channelId, assetId, lane), plus `unitPrice` per preimage of `anchor`,
 * up to `maxUnits` units, redeemable until `expiresAt` (unix seconds)".
 */
export type Voucher = {
  channelId: bigint
  lane: bigint
  assetId: bigint
  cumulative: bigint
  anchor: Hex
  unitPrice: bigint
  maxUnits: bigint
  expiresAt: bigint
}

export type SignedVoucher = Voucher & { signature: Hex }

export type ReceiptBatch = { nodeId: bigint; root: Hex; sequence: bigint }

/** Who signs: a local account (privateKeyToAccount) or a wallet client holding an account. */
export type TypedDataSigner = Account | WalletLike

const UINT_FIELDS = ['channelId', 'lane', 'assetId', 'cumulative', 'unitPrice', 'maxUnits', 'expiresAt'] as const

/** Throws VoucherFormatError unless every field is in range (uint256, bytes32, maxUnits <= MAX_UNITS). */
export function assertVoucher(v: Voucher): void {
  if (!v || typeof v !== 'object') throw new VoucherFormatError('A voucher must be an object.')
  for (const f of UINT_FIELDS) {
    const x = v[f]
    if (typeof x !== 'bigint' || x < 0n || x > MAX_UINT256) throw new VoucherFormatError(`Voucher ${f} must be a uint256 bigint.`)
  }
  if (!isBytes32Hex(v.anchor)) throw new VoucherFormatError('Voucher anchor must be 32 bytes of 0x-hex.')
  if (v.maxUnits > BigInt(MAX_UNITS)) throw new VoucherFormatError(`Voucher maxUnits ${v.maxUnits} is above MAX_UNITS (${MAX_UNITS}).`)
  // cumulative + maxUnits*unitPrice must stay a uint256 so every redeemable amount can be computed on-chain.
  if (v.cumulative + v.maxUnits * v.unitPrice > MAX_UINT256) throw new VoucherFormatError('Voucher cumulative + maxUnits * unitPrice overflows uint256.')
}

/**
 * What (voucher, m units revealed) is worth: cumulative + m * unitPrice. Throws when m is negative,
 * above maxUnits, or the voucher is out of bounds. (The preimage itself is checked with verifyChainStep.)
 */
export function voucherValue(v: Voucher, units: bigint | number): bigint {
  assertVoucher(v)
  const m = typeof units === 'bigint' ? units : Number.isSafeInteger(units) ? BigInt(units) : -1n
  if (m < 0n) throw new VoucherFormatError(`Units must be a non-negative integer, got ${String(units)}.`)
  if (m > v.maxUnits) throw new VoucherFormatError(`Units ${m} exceed the voucher's maxUnits ${v.maxUnits}.`)
  return v.cumulative + m * v.unitPrice
}

function isClient(s: TypedDataSigner): s is WalletLike {
  return typeof (s as WalletLike).request === 'function' && 'transport' in (s as object)
}

async function signTyped(signer: TypedDataSigner, args: { domain: TypedDataDomain; types: any; primaryType: string; message: any }): Promise<Hex> {
  if (isClient(signer)) {
    if (!signer.account) throw new MissingWalletError('Signing a voucher or receipt batch')
    return signTypedData(signer, { account: signer.account, ...args } as never)
  }
  if (typeof signer.signTypedData !== 'function') {
    throw new MissingWalletError('Signing with a JSON-RPC account (pass the wallet client instead)')
  }
  return signer.signTypedData(args as never)
}

/** EIP-712 digest of a voucher (what PaymentChannels.voucherDigest returns). */
export function voucherDigest(domain: PaymentsDomain, v: Voucher): Hex {
  assertVoucher(v)
  return hashTypedData({ domain, types: voucherTypes, primaryType: 'Voucher', message: voucherMessage(v) })
}

function voucherMessage(v: Voucher) {
  return {
    channelId: v.channelId,
    lane: v.lane,
    assetId: v.assetId,
    cumulative: v.cumulative,
    anchor: v.anchor,
    unitPrice: v.unitPrice,
    maxUnits: v.maxUnits,
    expiresAt: v.expiresAt,
  }
}

/** Signs a voucher as the channel's signer. */
export async function signVoucher(signer: TypedDataSigner, domain: PaymentsDomain, v: Voucher): Promise<Hex> {
  assertVoucher(v)
  return signTyped(signer, { domain, types: voucherTypes, primaryType: 'Voucher', message: voucherMessage(v) })
}

/** The address that signed a voucher (compare with the channel's signer). */
export async function recoverVoucherSigner(domain: PaymentsDomain, v: Voucher, signature: Hex): Promise<Address> {
  assertVoucher(v)
  return recoverTypedDataAddress({ domain, types: voucherTypes, primaryType: 'Voucher', message: voucherMessage(v), signature })
}

function assertBatch(b: ReceiptBatch): void {
  if (typeof b.nodeId !== 'bigint' || b.nodeId < 0n || b.nodeId > MAX_UINT256) throw new VoucherFormatError('ReceiptBatch nodeId must be a uint256 bigint.')
  if (typeof b.sequence !== 'bigint' || b.sequence < 0n || b.sequence > MAX_UINT256) throw new VoucherFormatError('ReceiptBatch sequence must be a uint256 bigint.')
  if (!isBytes32Hex(b.root)) throw new VoucherFormatError('ReceiptBatch root must be 32 bytes of 0x-hex.')
}

export function receiptBatchDigest(domain: PaymentsDomain, b: ReceiptBatch): Hex {
  assertBatch(b)
  return hashTypedData({ domain, types: receiptBatchTypes, primaryType: 'ReceiptBatch', message: { nodeId: b.nodeId, root: b.root, sequence: b.sequence } })
}

/** Signs ReceiptBatch(nodeId, root, sequence) as the node's signer (one signature per receipt group). */
export async function signReceiptBatch(signer: TypedDataSigner, domain: PaymentsDomain, b: ReceiptBatch): Promise<Hex> {
  assertBatch(b)
  return signTyped(signer, {
    domain,
    types: receiptBatchTypes,
    primaryType: 'ReceiptBatch',
    message: { nodeId: b.nodeId, root: b.root, sequence: b.sequence },
  })
}

export async function recoverReceiptBatchSigner(domain: PaymentsDomain, b: ReceiptBatch, signature: Hex): Promise<Address> {
  assertBatch(b)
  return recoverTypedDataAddress({
    domain,
    types: receiptBatchTypes,
    primaryType: 'ReceiptBatch',
    message: { nodeId: b.nodeId, root: b.root, sequence: b.sequence },
    signature,
  })
}
