import { SaharaError } from '../errors'

/**
 * Root of the pay-per-use errors. `code` is the machine code a node puts in its 4xx JSON body
 * (`{ error: { code, message } }`), so a server can map a thrown error to a response directly.
 */
export class PaymentError extends SaharaError {
  override name = 'PaymentError'
  readonly code: string
  constructor(code: string, shortMessage: string, options: { cause?: unknown; details?: string } = {}) {
    super(shortMessage, options)
    this.code = code
  }
}

/** A hash chain argument is out of range (length, index, seed, step count). */
export class HashChainError extends PaymentError {
  override name = 'HashChainError'
  constructor(message: string) {
    super('invalid_hash_chain', message)
  }
}

/** An X-Sahara-Ticket header is malformed. */
export class TicketFormatError extends PaymentError {
  override name = 'TicketFormatError'
  constructor(message: string) {
    super('malformed_ticket', message)
  }
}

/** An X-Sahara-Voucher header, or a voucher given to the SDK, is malformed or out of bounds. */
export class VoucherFormatError extends PaymentError {
  override name = 'VoucherFormatError'
  constructor(message: string) {
    super('malformed_voucher', message)
  }
}

/** An X-Sahara-Receipt header is malformed. */
export class ReceiptFormatError extends PaymentError {
  override name = 'ReceiptFormatError'
  constructor(message: string) {
    super('malformed_receipt', message)
  }
}

/** A receipt does not verify: its leaf, proof, signature or amounts are not what they should be. */
export class ReceiptVerificationError extends PaymentError {
  override name = 'ReceiptVerificationError'
  constructor(message: string) {
    super('invalid_receipt', message)
  }
}

/** A node asks more per call than the client's maxPricePerCall. Nothing was paid. */
export class PriceAboveMaxError extends PaymentError {
  override name = 'PriceAboveMaxError'
  readonly price: bigint
  readonly maxPrice: bigint
  constructor(price: bigint, maxPrice: bigint, resource: string) {
    super('price_above_max', `${resource} costs ${price} (smallest units) per call, above the maximum of ${maxPrice}; nothing was paid.`)
    this.price = price
    this.maxPrice = maxPrice
  }
}

/** A 402 payment requirement is malformed or points at contracts other than the client's. */
export class PaymentRequirementError extends PaymentError {
  override name = 'PaymentRequirementError'
  constructor(message: string) {
    super('invalid_requirement', message)
  }
}

/** The node has not put a receipt's group in a settlement transaction yet: no on-chain proof exists. */
export class ReceiptNotSettledError extends PaymentError {
  override name = 'ReceiptNotSettledError'
  readonly groupRoot: string
  constructor(groupRoot: string, message?: string) {
    super('receipt_not_settled', message ?? `The node has not settled receipt group ${groupRoot} yet; try again after its next settlement.`)
    this.groupRoot = groupRoot
  }
}

/** A node could not give, or gave a wrong, proof from a receipt's group to a settlement root. */
export class ReceiptProofError extends PaymentError {
  override name = 'ReceiptProofError'
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('receipt_proof_failed', message, options)
  }
}
