import { allocations } from './allocations'
import { fullUnlockMonth, monthlySchedule, type MonthRow } from './schedule'
import { MONTH_SECONDS, type Tokenomics } from './types'

export type TokenomicsTotals = {
  supplyWei: bigint
  /** Sum of every allocation in wei. */
  allocatedWei: bigint
  /** allocatedWei == supplyWei. */
  allocationsExact: boolean
  /** The last month of the schedule. */
  month: number
  unlockedAtMonth: bigint
  /** unlockedAtMonth == supplyWei. */
  fullyUnlocked: boolean
  /** First month at which everything is unlocked. */
  fullUnlockMonth: number
}

/** The two checks of the report: allocations sum to the supply, and month `months` has it all unlocked. */
export function tokenomicsTotals(t: Tokenomics, months: number, rows: MonthRow[] = monthlySchedule(t, months)): TokenomicsTotals {
  const allocatedWei = allocations(t).reduce((a, x) => a + x.amount, 0n)
  const unlockedAtMonth = rows[rows.length - 1]!.total
  return {
    supplyWei: t.supplyWei,
    allocatedWei,
    allocationsExact: allocatedWei === t.supplyWei,
    month: months,
    unlockedAtMonth,
    fullyUnlocked: unlockedAtMonth === t.supplyWei,
    fullUnlockMonth: fullUnlockMonth(t),
  }
}

/** Whole tokens (floored) with thousands separators; exact wei is in the JSON output. */
function tokens(wei: bigint, decimals: number): string {
  return (wei / 10n ** BigInt(decimals)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Percent of the supply with 2 decimals, floored. */
function share(wei: bigint, supplyWei: bigint): string {
  const bp = (wei * 10_000n) / supplyWei
  return `${bp / 100n}.${(bp % 100n).toString().padStart(2, '0')}%`
}

function months(seconds: bigint): string {
  return `${seconds / MONTH_SECONDS}${seconds % MONTH_SECONDS === 0n ? '' : '+'} mo`
}

/** The proof line: both totals checks, to the wei. */
export function proofLine(t: Tokenomics, totals: TokenomicsTotals): string {
  const alloc = totals.allocationsExact
    ? `allocations sum to ${totals.allocatedWei} wei = supply (exact)`
    : `allocations sum to ${totals.allocatedWei} wei != supply ${totals.supplyWei} wei (MISMATCH)`
  const unlocked = totals.fullyUnlocked
    ? `month ${totals.month} unlocked ${totals.unlockedAtMonth} wei = supply (fully unlocked from month ${totals.fullUnlockMonth})`
    : `month ${totals.month} unlocked ${totals.unlockedAtMonth} wei of ${totals.supplyWei} (${share(totals.unlockedAtMonth, t.supplyWei)}; fully unlocked from month ${totals.fullUnlockMonth})`
  return `proof: ${alloc}; ${unlocked}`
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd())
}

/**
 * Human report: allocations with their schedules, the unlocked amount per bucket per month
 * (whole tokens, floored) and the proof line.
 */
export function report(t: Tokenomics, opts: { months?: number } = {}): string {
  const n = opts.months ?? 60
  const rows = monthlySchedule(t, n)
  const totals = tokenomicsTotals(t, n, rows)
  const date = (s: bigint) => new Date(Number(s) * 1000).toISOString().slice(0, 10)
  const lines = [
    `Tokenomics: ${tokens(t.supplyWei, t.decimals)} ${t.symbol} (${t.decimals} decimals), TGE ${date(t.tgeTimestamp)} (${t.tgeTimestamp}); a month is 30 days`,
    '',
    'Allocations',
  ]
  const allocRows = [['allocation', 'share', t.symbol, 'release', 'cliff', 'duration', 'revocable']]
  for (const a of allocations(t)) {
    const s = a.schedule
    allocRows.push([
      a.id,
      share(a.amount, t.supplyWei),
      tokens(a.amount, t.decimals),
      a.release === 'tge' ? 'at TGE' : a.release === 'vesting' ? 'vesting vault' : `linear from month ${(s!.start - t.tgeTimestamp) / MONTH_SECONDS}`,
      s ? months(s.cliff) : '-',
      s ? months(s.duration) : '-',
      a.release === 'vesting' ? (a.revocable ? 'yes' : 'no') : '-',
    ])
  }
  lines.push(...pad(allocRows).map((l) => `  ${l}`), '', `Unlocked ${t.symbol} per bucket (whole tokens, floored)`)
  const ids = t.buckets.map((b) => b.id)
  const table = [['month', 'date', ...ids, 'total', 'of supply']]
  for (const r of rows) table.push([String(r.month), date(r.timestamp), ...ids.map((id) => tokens(r.buckets[id]!, t.decimals)), tokens(r.total, t.decimals), share(r.total, t.supplyWei)])
  lines.push(...pad(table).map((l) => `  ${l}`), '', proofLine(t, totals))
  return lines.join('\n')
}
