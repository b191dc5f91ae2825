import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MONTH_SECONDS, allocations, monthlySchedule, parseTokenomics, proofLine, report, tokenomicsTotals, type Tokenomics } from '@sahara/sdk'
import type { Command } from 'commander'
import { UsageError } from '../errors'
import { emit, type GlobalOptions } from '../output'

/** The repository's default config, used when neither --config nor ./config/tokenomics.json exists. */
const repoConfig = fileURLToPath(new URL('../../../../config/tokenomics.json', import.meta.url))

/** Reads and parses a JSON file, with one sentence for a missing file or bad JSON. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new UsageError(code === 'ENOENT' ? `The ${what} ${file} does not exist.` : `Cannot read the ${what} ${file} (${code ?? 'error'}).`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new UsageError(`The ${what} ${file} is not valid JSON (${(err as Error).message.split('\n')[0]!.replace(/\.$/, '')}).`)
  }
}

function parseMonths(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 1200) {
    throw new UsageError(`--months must be a whole number from 1 to 1200, got "${value}".`)
  }
  return Number(value)
}

function reportJson(t: Tokenomics, months: number, configPath: string) {
  const rows = monthlySchedule(t, months)
  const totals = tokenomicsTotals(t, months, rows)
  return {
    config: configPath,
    symbol: t.symbol,
    decimals: t.decimals,
    supplyWei: t.supplyWei,
    tgeTimestamp: t.tgeTimestamp,
    monthSeconds: MONTH_SECONDS,
    allocations: allocations(t),
    months: rows,
    totals,
    proof: proofLine(t, totals),
  }
}

export function tokenomicsCommand(program: Command): void {
  const tokenomics = program.command('tokenomics').description('genesis token distribution and unlock schedule (no node needed)')

  tokenomics
    .command('report')
    .description('allocations, unlocked amount per bucket per month, and a check that everything sums to the supply')
    .option('--config <file>', 'tokenomics JSON (default: ./config/tokenomics.json, else the repository default)')
    .option('--months <n>', 'months after TGE to show', '60')
    .action((o: { config?: string; months: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const months = parseMonths(o.months)
      const file = o.config ? resolve(o.config) : existsSync(resolve('config/tokenomics.json')) ? resolve('config/tokenomics.json') : repoConfig
      const t = parseTokenomics(readJsonFile(file, 'tokenomics config'))
      emit(opts, reportJson(t, months, file), () => [`Config: ${file}`, report(t, { months })])
    })
}
