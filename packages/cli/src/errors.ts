import { SaharaError } from '@sahara/sdk'

/** A mistake in what the user typed (bad option value, missing key): exit code 2. */
export class UsageError extends SaharaError {
  override name = 'UsageError'
}
