import { getAddress, isAddress, zeroAddress, type Address } from 'viem'
import { TokenomicsConfigError } from './errors'
import type { MonthTerms, Tokenomics, TokenomicsBeneficiary, TokenomicsBucket, TokenomicsSubBucket, VestingTerms } from './types'

/** Percents are fixed point with 4 decimals: 100% = 1_000_000 units, so a share is units / 10^6 of the supply. */
const PERCENT_SCALE = 1_000_000n
const MAX_UINT64 = 2n ** 64n - 1n
const MAX_UINT128 = 2n ** 128n - 1n
const MAX_MONTHS = 1200
const ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/

type Json = Record<string, unknown>

const fail = (path: string, message: string): never => {
  throw new TokenomicsConfigError(path, message)
}

const where = (path: string) => (path ? path : 'the config')

function object(value: unknown, path: string, allowed: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, `${where(path)} must be a JSON object.`)
  const obj = value as Json
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(path ? `${path}.${key}` : key, `${where(path)} has an unknown field "${key}" (allowed: ${allowed.join(', ')}).`)
  }
  return obj
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, `${path} must be a non-empty array.`)
  return value as unknown[]
}

function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.trim() === '') fail(path, `${path} must be a non-empty string.`)
  return (value as string).trim()
}

function id(value: unknown, path: string): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    fail(path, `${path} must be an identifier (a letter, then letters, digits, "_" or "-"), got ${JSON.stringify(value)}.`)
  }
  return value as string
}

/** A non-negative integer given as a JSON number or a string of digits. */
function integer(value: unknown, path: string, what: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value)
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value)
  return fail(path, `${path} must be ${what}, got ${JSON.stringify(value)}.`)
}

/** "64.25" -> 642500 units of 10^-4 percent. Strings only: JSON floats would round silently. */
function percent(value: unknown, path: string): bigint {
  if (typeof value !== 'string') return fail(path, `${path} must be a percent written as a string like "64.25", got ${JSON.stringify(value)}.`)
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value.trim())
  if (!m) return fail(path, `${path} must be a decimal percent like "64.25", got "${value}".`)
  const frac = m[2] ?? ''
  if (frac.length > 4) return fail(path, `${path} "${value}" has more than 4 decimals.`)
  const units = BigInt(m[1]!) * 10_000n + BigInt(frac.padEnd(4, '0'))
  if (units === 0n) return fail(path, `${path} must be above zero.`)
  if (units > PERCENT_SCALE) return fail(path, `${path} "${value}" is above 100%.`)
  return units
}

/** Units of 10^-4 percent back to a short decimal string ("642500" -> "64.25"). */
export function formatPercent(units: bigint): string {
  const whole = units / 10_000n
  const frac = (units % 10_000n).toString().padStart(4, '0').replace(/0+$/, '')
  return frac ? `${whole}.${frac}` : `${whole}`
}

/** Whole-token decimal ("1500.5") -> exact wei; more decimals than the token is an error, never rounded. */
function tokenAmount(value: unknown, path: string, decimals: number, symbol: string): bigint {
  if (typeof value !== 'string') return fail(path, `${path} must be an amount of ${symbol} written as a string like "1500000", got ${JSON.stringify(value)}.`)
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value.trim())
  if (!m) return fail(path, `${path} must be a decimal amount of ${symbol} like "1500000.5", got "${value}".`)
  const frac = m[2] ?? ''
  if (frac.length > decimals) return fail(path, `${path} "${value}" has more than ${decimals} decimals, the precision of ${symbol}.`)
  const wei = BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0')
  if (wei === 0n) return fail(path, `${path} must be above zero.`)
  return wei
}

function months(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_MONTHS) {
    return fail(path, `${path} must be a whole number of months between ${min} and ${MAX_MONTHS}, got ${JSON.stringify(value)}.`)
  }
  return value
}

function terms(value: unknown, path: string, withStart: boolean): MonthTerms {
  const o = object(value, path, withStart ? ['startMonths', 'cliffMonths', 'durationMonths'] : ['cliffMonths', 'durationMonths', 'revocable'])
  if (o.durationMonths === undefined) fail(`${path}.durationMonths`, `${path}.durationMonths is missing.`)
  const startMonths = withStart && o.startMonths !== undefined ? months(o.startMonths, `${path}.startMonths`, 0) : 0
  const cliffMonths = o.cliffMonths === undefined ? 0 : months(o.cliffMonths, `${path}.cliffMonths`, 0)
  const durationMonths = months(o.durationMonths, `${path}.durationMonths`, 1)
  if (cliffMonths > durationMonths) {
    fail(`${path}.cliffMonths`, `${path}.cliffMonths (${cliffMonths}) is longer than durationMonths (${durationMonths}); the cliff must end by the end of the schedule.`)
  }
  return { startMonths, cliffMonths, durationMonths }
}

function vesting(value: unknown, path: string): VestingTerms {
  const t = terms(value, path, false)
  const o = value as Json
  if (typeof o.revocable !== 'boolean') fail(`${path}.revocable`, `${path}.revocable must be true or false.`)
  return { ...t, revocable: o.revocable as boolean }
}

/**
 * Splits `total` wei among shares of the supply (units of 10^-4 percent) by floor; the last share
 * takes what is left, so the parts sum exactly to `total` (the "last gets the dust" policy).
 */
function splitDust(total: bigint, supplyWei: bigint, shares: bigint[]): bigint[] {
  const parts = shares.map((u) => (u * supplyWei) / PERCENT_SCALE)
  const rest = parts.slice(0, -1).reduce((a, b) => a + b, 0n)
  parts[parts.length - 1] = total - rest
  return parts
}

/**
 * Validates a tokenomics config (the parsed JSON) and resolves every bucket, sub-bucket and
 * beneficiary to exact wei. Throws TokenomicsConfigError with one sentence for the first problem.
 */
export function parseTokenomics(json: unknown): Tokenomics {
  const root = object(json, '', ['$comment', 'symbol', 'supply', 'decimals', 'tgeTimestamp', 'buckets', 'unlocks'])
  const symbol = optionalString(root.symbol, 'symbol') ?? 'SAHARA'
  if (root.supply === undefined) fail('supply', 'supply is missing (the total supply in whole tokens, e.g. "10000000000").')
  const supply = integer(root.supply, 'supply', 'the total supply in whole tokens (a whole number)')
  if (supply === 0n) fail('supply', 'supply must be above zero.')
  if (typeof root.decimals !== 'number' || !Number.isInteger(root.decimals) || root.decimals < 0 || root.decimals > 36) {
    fail('decimals', `decimals must be a whole number from 0 to 36, got ${JSON.stringify(root.decimals)}.`)
  }
  const decimals = root.decimals as number
  const supplyWei = supply * 10n ** BigInt(decimals)
  if (supplyWei > 2n ** 256n - 1n) fail('supply', 'supply * 10^decimals does not fit in uint256.')
  if (root.tgeTimestamp === undefined) fail('tgeTimestamp', 'tgeTimestamp is missing (unix seconds of the token generation event).')
  const tgeTimestamp = integer(root.tgeTimestamp, 'tgeTimestamp', 'unix seconds (a whole number)')
  if (tgeTimestamp === 0n || tgeTimestamp + BigInt(2 * MAX_MONTHS) * 2_592_000n > MAX_UINT64) {
    fail('tgeTimestamp', `tgeTimestamp must be a positive unix time in seconds, got ${tgeTimestamp}.`)
  }

  const seen = new Map<string, string>()
  const claim = (value: string, path: string) => {
    const prev = seen.get(value)
    if (prev) fail(path, `${path} "${value}" is already used by ${prev}; bucket and sub-bucket ids must be unique.`)
    seen.set(value, path)
  }

  const rawBuckets = array(root.buckets, 'buckets')
  const units: bigint[] = []
  const parsed = rawBuckets.map((raw, i) => {
    const path = `buckets[${i}]`
    const b = object(raw, path, ['id', 'name', 'percent', 'subBuckets', 'vesting', 'beneficiaries'])
    const bucketId = id(b.id, `${path}.id`)
    claim(bucketId, `${path}.id`)
    const label = `bucket "${bucketId}"`
    if (b.percent === undefined) fail(`${path}.percent`, `${path}.percent is missing for ${label}.`)
    units.push(percent(b.percent, `${path}.percent`))
    if (b.subBuckets !== undefined && (b.vesting !== undefined || b.beneficiaries !== undefined)) {
      fail(path, `${label} has subBuckets and vesting; split it into separate buckets.`)
    }
    if ((b.vesting === undefined) !== (b.beneficiaries === undefined)) {
      fail(path, `${label} needs both vesting and beneficiaries, or neither.`)
    }
    return { path, b, bucketId, label }
  })
  const total = units.reduce((a, c) => a + c, 0n)
  if (total !== PERCENT_SCALE) fail('buckets', `The bucket percents sum to ${formatPercent(total)}%, not 100%.`)
  const amounts = splitDust(supplyWei, supplyWei, units)
  amounts.forEach((a, i) => {
    if (a === 0n) fail(`buckets[${i}]`, `Bucket "${parsed[i]!.bucketId}" works out to 0 wei; raise its percent or the supply.`)
  })

  const buckets: TokenomicsBucket[] = parsed.map(({ path, b, bucketId, label }, i) => {
    const bucket: TokenomicsBucket = { id: bucketId, name: optionalString(b.name, `${path}.name`) ?? bucketId, percent: formatPercent(units[i]!), amount: amounts[i]! }
    if (b.subBuckets !== undefined) {
      const raws = array(b.subBuckets, `${path}.subBuckets`)
      const subUnits: bigint[] = []
      const subs = raws.map((raw, j) => {
        const sp = `${path}.subBuckets[${j}]`
        const s = object(raw, sp, ['id', 'name', 'percent'])
        const subId = id(s.id, `${sp}.id`)
        claim(subId, `${sp}.id`)
        if (s.percent === undefined) fail(`${sp}.percent`, `${sp}.percent is missing for sub-bucket "${subId}".`)
        subUnits.push(percent(s.percent, `${sp}.percent`))
        return { id: subId, name: optionalString(s.name, `${sp}.name`) ?? subId }
      })
      const sum = subUnits.reduce((a, c) => a + c, 0n)
      if (sum !== units[i]) {
        fail(`${path}.subBuckets`, `The sub-bucket percents of ${label} sum to ${formatPercent(sum)}% of the supply, not the bucket's ${bucket.percent}%.`)
      }
      const parts = splitDust(bucket.amount, supplyWei, subUnits)
      bucket.subBuckets = subs.map((s, j): TokenomicsSubBucket => ({ ...s, percent: formatPercent(subUnits[j]!), amount: parts[j]! }))
      bucket.subBuckets.forEach((s, j) => {
        if (s.amount === 0n) fail(`${path}.subBuckets[${j}]`, `Sub-bucket "${s.id}" works out to 0 wei; raise its percent or the supply.`)
      })
    }
    if (b.vesting !== undefined) {
      bucket.vesting = vesting(b.vesting, `${path}.vesting`)
      bucket.beneficiaries = beneficiaries(b.beneficiaries, `${path}.beneficiaries`, label, units[i]!, bucket.amount, supplyWei, decimals, symbol)
    }
    return bucket
  })

  if (root.unlocks !== undefined) {
    const u = object(root.unlocks, 'unlocks', Object.keys(root.unlocks ?? {}))
    for (const [key, value] of Object.entries(u)) {
      const path = `unlocks.${key}`
      if (!seen.has(key)) fail(path, `${path} names no bucket or sub-bucket (known ids: ${[...seen.keys()].join(', ')}).`)
      const bucket = buckets.find((b) => b.id === key)
      const sub = buckets.flatMap((b) => b.subBuckets ?? []).find((s) => s.id === key)
      if (bucket?.vesting) fail(path, `${path}: bucket "${key}" already vests through its vesting terms; unlocks are for non-vested buckets.`)
      if (bucket?.subBuckets) fail(path, `${path}: bucket "${key}" is split into sub-buckets; give each sub-bucket its own unlock.`)
      const t = terms(value, path, true)
      if (bucket) bucket.unlock = t
      else if (sub) sub.unlock = t
    }
  }

  return { symbol, supply, decimals, supplyWei, tgeTimestamp, buckets }
}

function beneficiaries(
  value: unknown,
  path: string,
  label: string,
  bucketUnits: bigint,
  bucketWei: bigint,
  supplyWei: bigint,
  decimals: number,
  symbol: string,
): TokenomicsBeneficiary[] {
  const raws = array(value, path)
  const seen = new Map<string, string>()
  const rows = raws.map((raw, k) => {
    const bp = `${path}[${k}]`
    const o = object(raw, bp, ['address', 'label', 'percent', 'amount'])
    if (typeof o.address !== 'string' || !isAddress(o.address)) {
      fail(`${bp}.address`, `${bp}.address ${JSON.stringify(o.address)} is not a valid address (0x and 40 hex digits, correct checksum if mixed case).`)
    }
    const address = getAddress(o.address as string)
    if (address === zeroAddress) fail(`${bp}.address`, `${bp}.address is the zero address.`)
    const prev = seen.get(address.toLowerCase())
    if (prev) fail(`${bp}.address`, `${bp}.address ${address} is listed twice in ${label} (also at ${prev}).`)
    seen.set(address.toLowerCase(), bp)
    if ((o.percent === undefined) === (o.amount === undefined)) fail(bp, `${bp} needs exactly one of percent (of the supply) or amount (whole ${symbol}).`)
    const note = optionalString(o.label, `${bp}.label`)
    if (o.percent !== undefined) {
      const units = percent(o.percent, `${bp}.percent`)
      return { address, label: note, declared: { percent: formatPercent(units) }, units, wei: undefined }
    }
    const wei = tokenAmount(o.amount, `${bp}.amount`, decimals, symbol)
    return { address, label: note, declared: { amount: (o.amount as string).trim() }, units: undefined, wei }
  })
  // Exact check in units of wei * 10^6: sum(percent units * supplyWei) + sum(amount wei * 10^6).
  const declared = rows.reduce((a, r) => a + (r.units !== undefined ? r.units * supplyWei : r.wei! * PERCENT_SCALE), 0n)
  const lastPercent = rows.map((r) => r.units !== undefined).lastIndexOf(true)
  const matches = lastPercent === -1 ? declared === bucketWei * PERCENT_SCALE : declared === bucketUnits * supplyWei
  if (!matches) {
    const approx = declared / supplyWei // units of 10^-4 percent, floored
    fail(path, `The beneficiaries of ${label} add up to ${declared % supplyWei === 0n ? '' : 'about '}${formatPercent(approx)}% of the supply, not the bucket's ${formatPercent(bucketUnits)}%.`)
  }
  const amounts = rows.map((r) => (r.units !== undefined ? (r.units * supplyWei) / PERCENT_SCALE : r.wei!))
  if (lastPercent !== -1) amounts[lastPercent] = bucketWei - amounts.reduce((a, b, k) => (k === lastPercent ? a : a + b), 0n)
  return rows.map((r, k) => {
    const amount = amounts[k]!
    if (amount === 0n) fail(`${path}[${k}]`, `${path}[${k}] works out to 0 wei; raise its share or the supply.`)
    if (amount > MAX_UINT128) fail(`${path}[${k}]`, `${path}[${k}] is ${amount} wei, above the vesting vault's uint128 limit.`)
    return { address: r.address, ...(r.label ? { label: r.label } : {}), declared: r.declared, amount }
  })
}
