/**
 * A gas limit above an estimate: +25% + 60k, never above 30M (a common block gas limit) unless
 * the estimate itself is. NodeStaking's gas depends on the block time (emissions are released
 * lazily on the first touch of a new second), so an exact estimate made at one second can run out
 * of gas in the block that includes it. Only the gas used is paid.
 */
export function gasWithHeadroom(estimate: bigint): bigint {
  const padded = estimate + estimate / 4n + 60_000n
  const cap = estimate > 30_000_000n ? estimate : 30_000_000n
  return padded < cap ? padded : cap
}
