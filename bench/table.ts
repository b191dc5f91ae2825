import type { GasRow } from './gas.ts'

/** Prints gas rows as an aligned table with their targets. */
export function printTable(rows: GasRow[]): void {
  const w = Math.max(...rows.map((r) => r.name.length))
  console.log(`\n${'scenario'.padEnd(w)}  ${'gasUsed'.padStart(10)}  ${'target'.padStart(8)}  status`)
  console.log(`${'-'.repeat(w)}  ${'-'.repeat(10)}  ${'-'.repeat(8)}  ------`)
  for (const r of rows) {
    const target = r.target === undefined ? '' : r.target.toLocaleString('en-US')
    const status = r.target === undefined ? '' : r.gas <= r.target ? 'ok' : 'OVER'
    console.log(`${r.name.padEnd(w)}  ${r.gas.toLocaleString('en-US').padStart(10)}  ${target.padStart(8)}  ${status}`)
  }
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
