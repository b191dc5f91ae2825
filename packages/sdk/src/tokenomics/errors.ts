import { SaharaError } from '../errors'

/** A tokenomics config is invalid; `shortMessage` is one sentence naming the problem and where. */
export class TokenomicsConfigError extends SaharaError {
  override name = 'TokenomicsConfigError'
  /** JSON path of the offending value, e.g. "buckets[1].vesting.cliffMonths" ("" = the whole config). */
  readonly path: string
  constructor(path: string, message: string) {
    super(message)
    this.path = path
  }
}
