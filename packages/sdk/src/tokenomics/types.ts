import type { Address } from 'viem'

/** Seconds in a tokenomics month: 30 days (calendar months differ in length; schedules must not). */
export const MONTH_SECONDS = 30n * 24n * 60n * 60n

/** Linear release terms in months, relative to TGE. */
export type MonthTerms = {
  /** Months after TGE at which the linear release starts (always 0 for vesting buckets). */
  startMonths: number
  /** Months after the start before which nothing is released. */
  cliffMonths: number
  /** Months after the start at which everything is released (> 0, >= cliff). */
  durationMonths: number
}

/** Vesting of a bucket held in the VestingVault for named beneficiaries. */
export type VestingTerms = MonthTerms & {
  /** Whether the DAO (the vault owner) may revoke the unvested part. */
  revocable: boolean
}

export type TokenomicsBeneficiary = {
  address: Address
  label?: string | undefined
  /** The share as written: a percent of the supply, or an amount in whole tokens. */
  declared: { percent: string } | { amount: string }
  /** Exact allocation in wei (the last percent-declared beneficiary of a bucket carries the rounding dust). */
  amount: bigint
}

export type TokenomicsSubBucket = {
  id: string
  name: string
  /** Percent of the SUPPLY, normalised ("7.5"). */
  percent: string
  amount: bigint
  /** Linear release; undefined = fully unlocked at TGE. */
  unlock?: MonthTerms | undefined
}

export type TokenomicsBucket = {
  id: string
  name: string
  percent: string
  /** Exact amount in wei (the last bucket carries the rounding dust). */
  amount: bigint
  subBuckets?: TokenomicsSubBucket[] | undefined
  vesting?: VestingTerms | undefined
  beneficiaries?: TokenomicsBeneficiary[] | undefined
  /** Linear release of a bucket without sub-buckets or vesting; undefined = fully unlocked at TGE. */
  unlock?: MonthTerms | undefined
}

/** A validated tokenomics config with every amount resolved to exact wei. */
export type Tokenomics = {
  symbol: string
  /** Supply in whole tokens. */
  supply: bigint
  decimals: number
  /** supply * 10^decimals. */
  supplyWei: bigint
  /** Token generation event, unix seconds: month 0 of every schedule. */
  tgeTimestamp: bigint
  buckets: TokenomicsBucket[]
}

/** How an allocation becomes circulating. */
export type ReleaseKind = 'vesting' | 'unlock' | 'tge'

/** One schedule in the same units as VestingVault: unix seconds and seconds after start. */
export type LinearSchedule = { start: bigint; cliff: bigint; duration: bigint }

/** One leaf of the distribution: a beneficiary of a vested bucket, a sub-bucket, or a plain bucket. */
export type Allocation = {
  /** "team/0xabc...", "community/airdrops", "liquidity". */
  id: string
  bucket: string
  subBucket?: string | undefined
  name: string
  beneficiary?: Address | undefined
  amount: bigint
  release: ReleaseKind
  /** Undefined when the whole amount is unlocked at TGE. */
  schedule?: LinearSchedule | undefined
  revocable: boolean
}

/** Input of VestingVault.createSchedules (IVestingVault.ScheduleParams). */
export type VestingScheduleParams = {
  beneficiary: Address
  start: bigint
  cliff: bigint
  duration: bigint
  amount: bigint
  revocable: boolean
}
