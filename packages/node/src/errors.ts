/**
 * Typed errors of the node. Every error a client can cause is a NodeHttpError carrying the HTTP
 * status and a machine code; the HTTP layer turns it into `{ error: { code, message } }`.
 */
export class NodeHttpError extends Error {
  override readonly name: string = 'NodeHttpError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** 400: the request or a payment header cannot be parsed or is inconsistent. */
export class MalformedError extends NodeHttpError {
  override readonly name = 'MalformedError'
  constructor(code: string, message: string) {
    super(400, code, message)
  }
}

/** 401: a signature or preimage does not prove what it claims (forged, wrong domain, wrong signer). */
export class InvalidProofError extends NodeHttpError {
  override readonly name = 'InvalidProofError'
  constructor(code: string, message: string) {
    super(401, code, message)
  }
}

/** 402: payment missing, insufficient, over the deposit, or the channel is not usable. */
export class PaymentRequiredError extends NodeHttpError {
  override readonly name = 'PaymentRequiredError'
  constructor(code: string, message: string) {
    super(402, code, message)
  }
}

/** 409: replayed or stale ticket/voucher (same or older index, cumulative not the lane total). */
export class ConflictError extends NodeHttpError {
  override readonly name = 'ConflictError'
  constructor(code: string, message: string) {
    super(409, code, message)
  }
}

/**
 * A payment header sent again whose call was paid and answered, when the answer cannot be sent
 * again (different request, or a model whose answer is not reproducible): 409 with the stored
 * receipt in X-Sahara-Receipt, so the client learns what it paid for.
 */
export class AlreadyPaidError extends ConflictError {
  constructor(
    code: string,
    message: string,
    readonly receiptHeader: string,
  ) {
    super(code, message)
  }
}

/** A retried ticket whose call the node already committed and cannot answer again; the client moves its lane on. */
export class TicketAlreadyPaidError extends AlreadyPaidError {
  constructor(receiptHeader: string, index: number) {
    super('ticket_replayed', `Ticket index ${index} already paid for an earlier call whose answer cannot be sent again; its receipt is in X-Sahara-Receipt. Pay this call with the next ticket.`, receiptHeader)
  }
}

export class NotFoundError extends NodeHttpError {
  override readonly name = 'NotFoundError'
  constructor(code: string, message: string) {
    super(404, code, message)
  }
}

export class BodyTooLargeError extends NodeHttpError {
  override readonly name = 'BodyTooLargeError'
  constructor(limit: number) {
    super(413, 'body_too_large', `The request body exceeds the limit of ${limit} bytes.`)
  }
}

/** 503: the node cannot take the call right now (store failure, shutting down, upstream down). */
export class UnavailableError extends NodeHttpError {
  override readonly name = 'UnavailableError'
  constructor(code: string, message: string) {
    super(503, code, message)
  }
}

/** Invalid node configuration (thrown at startup, never to a client). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** An artifact's bytes do not match the CID the chain names for the served version. */
export class ArtifactMismatchError extends Error {
  override readonly name = 'ArtifactMismatchError'
}
