import { toLinearSchedule } from './vesting'
import type { Allocation, Tokenomics, VestingScheduleParams } from './types'

/**
 * Every leaf of the distribution with its exact wei amount and release schedule (vault units:
 * start unix seconds, cliff and duration in seconds, a month = 30 days). Beneficiaries of vested
 * buckets are what the deployment feeds to VestingVault.createSchedules.
 */
export function allocations(t: Tokenomics): Allocation[] {
  const out: Allocation[] = []
  for (const b of t.buckets) {
    if (b.subBuckets) {
      for (const s of b.subBuckets) {
        out.push({
          id: `${b.id}/${s.id}`,
          bucket: b.id,
          subBucket: s.id,
          name: s.name,
          amount: s.amount,
          release: s.unlock ? 'unlock' : 'tge',
          schedule: s.unlock ? toLinearSchedule(t.tgeTimestamp, s.unlock) : undefined,
          revocable: false,
        })
      }
    } else if (b.vesting && b.beneficiaries) {
      const schedule = toLinearSchedule(t.tgeTimestamp, b.vesting)
      for (const x of b.beneficiaries) {
        out.push({
          id: `${b.id}/${x.address}`,
          bucket: b.id,
          name: x.label ?? x.address,
          beneficiary: x.address,
          amount: x.amount,
          release: 'vesting',
          schedule,
          revocable: b.vesting.revocable,
        })
      }
    } else {
      out.push({
        id: b.id,
        bucket: b.id,
        name: b.name,
        amount: b.amount,
        release: b.unlock ? 'unlock' : 'tge',
        schedule: b.unlock ? toLinearSchedule(t.tgeTimestamp, b.unlock) : undefined,
        revocable: false,
      })
    }
  }
  return out
}

/** The VestingVault.createSchedules batch: one schedule per beneficiary of every vested bucket, in config order. */
export function vestingSchedules(t: Tokenomics): VestingScheduleParams[] {
  return allocations(t)
    .filter((a) => a.release === 'vesting')
    .map((a) => ({ beneficiary: a.beneficiary!, start: a.schedule!.start, cliff: a.schedule!.cliff, duration: a.schedule!.duration, amount: a.amount, revocable: a.revocable }))
}
