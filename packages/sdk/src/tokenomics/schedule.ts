import { allocations } from './allocations'
import { MONTH_SECONDS, type Allocation, type Tokenomics } from './types'
import { vestedAmount } from './vesting'

export type MonthRow = {
  /** 0 = TGE. */
  month: number
  /** tge + month * 30 days. */
  timestamp: bigint
  /** Unlocked (circulating) wei per bucket id, in config order. */
  buckets: Record<string, bigint>
  /** Unlocked wei per sub-bucket id. */
  subBuckets: Record<string, bigint>
  total: bigint
}

/** Unlocked amount of one allocation at `timestamp`: the vault formula, or everything from TGE on. */
export function unlockedAt(a: Allocation, tgeTimestamp: bigint, timestamp: bigint): bigint {
  if (!a.schedule) return timestamp >= tgeTimestamp ? a.amount : 0n
  return vestedAmount(a.amount, a.schedule, timestamp)
}

/** For each month 0..months, the unlocked amount per bucket (same integer math as VestingVault). */
export function monthlySchedule(t: Tokenomics, months: number): MonthRow[] {
  if (!Number.isInteger(months) || months < 0) throw new RangeError(`months must be a whole number >= 0, got ${months}.`)
  const all = allocations(t)
  const rows: MonthRow[] = []
  for (let month = 0; month <= months; month++) {
    const timestamp = t.tgeTimestamp + BigInt(month) * MONTH_SECONDS
    const buckets: Record<string, bigint> = Object.fromEntries(t.buckets.map((b) => [b.id, 0n]))
    const subBuckets: Record<string, bigint> = {}
    let total = 0n
    for (const a of all) {
      const v = unlockedAt(a, t.tgeTimestamp, timestamp)
      buckets[a.bucket] = buckets[a.bucket]! + v
      if (a.subBucket) subBuckets[a.subBucket] = (subBuckets[a.subBucket] ?? 0n) + v
      total += v
    }
    rows.push({ month, timestamp, buckets, subBuckets, total })
  }
  return rows
}

/** First month (counted from TGE, 30 days each) at which every allocation is fully unlocked. */
export function fullUnlockMonth(t: Tokenomics): number {
  let last = 0n
  for (const a of allocations(t)) {
    if (!a.schedule) continue
    const end = a.schedule.start + a.schedule.duration - t.tgeTimestamp
    const m = (end + MONTH_SECONDS - 1n) / MONTH_SECONDS
    if (m > last) last = m
  }
  return Number(last)
}
