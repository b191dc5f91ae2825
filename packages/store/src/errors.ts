import { SaharaError } from '@sahara/sdk'

/** Root of every error the content store throws. */
export class ContentStoreError extends SaharaError {
  override name = 'ContentStoreError'
}

/** No file for this CID in the store. */
export class ContentNotFoundError extends ContentStoreError {
  override name = 'ContentNotFoundError'
  readonly cid: string
  constructor(cid: string, dir: string) {
    super(`Content ${cid} is not in the store at ${dir}.`)
    this.cid = cid
  }
}

/**
 * The bytes stored under a CID hash to a different CID: the file was corrupted or tampered with.
 * Never serve such bytes.
 */
export class ContentMismatchError extends ContentStoreError {
  override name = 'ContentMismatchError'
  readonly expected: string
  readonly actual: string
  readonly path: string
  constructor(expected: string, actual: string, path: string) {
    super(`Stored content ${path} does not match its CID: expected ${expected}, the bytes hash to ${actual}.`, {
      details: 'The file was modified after it was stored. Put the original bytes again to repair it.',
    })
    this.expected = expected
    this.actual = actual
    this.path = path
  }
}

/** The given string is not a CID the store can hold (CIDv1/v0 with a sha2-256 multihash). */
export class InvalidCidError extends ContentStoreError {
  override name = 'InvalidCidError'
}
