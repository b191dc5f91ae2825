import { MONTH_SECONDS, type LinearSchedule, type MonthTerms } from './types'

/**
 * Amount vested at `timestamp`, the VestingVault formula with integer math:
 * 0 before start + cliff, everything from start + duration, else floor(amount * (t - start) / duration).
 * Reaching the cliff releases what accrued linearly since start at once.
 */
export function vestedAmount(amount: bigint, schedule: LinearSchedule, timestamp: bigint): bigint {
  const { start, cliff, duration } = schedule
  if (timestamp < start + cliff) return 0n
  if (timestamp >= start + duration) return amount
  return (amount * (timestamp - start)) / duration
}

/** Month terms to the vault's units: start in unix seconds, cliff and duration in seconds after start. */
export function toLinearSchedule(tgeTimestamp: bigint, terms: MonthTerms): LinearSchedule {
  return {
    start: tgeTimestamp + BigInt(terms.startMonths) * MONTH_SECONDS,
    cliff: BigInt(terms.cliffMonths) * MONTH_SECONDS,
    duration: BigInt(terms.durationMonths) * MONTH_SECONDS,
  }
}
