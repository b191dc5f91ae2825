// Staking gas (bench/results/staking.json): every NodeStaking path with 1, 1,000 and 100,000
// delegators on one node, each measured call its own transaction (`forge test --isolate`), from
// contracts/test/gas/Staking.gas.t.sol. Target: flat (the cost never grows with delegators), shown
// as max/min per path.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { runIsolatedForgeTests } from './forgeGas.ts'

export type StakingGasRow = { step: string; gas: Record<string, number>; flatRatio: number }

/** Parses the test's `staking N=<n> <step>: <gas>` log lines into one row per step. */
export function parseStakingGasLogs(out: string): StakingGasRow[] {
  const byStep = new Map<string, Record<string, number>>()
  for (const line of out.split('\n')) {
    const hit = /^\s*staking N=(\d+) (\S+): (\d+)$/.exec(line)
    if (!hit) continue
    const row = byStep.get(hit[2]!) ?? {}
    row[hit[1]!] = Number(hit[3])
    byStep.set(hit[2]!, row)
  }
  if (byStep.size === 0) throw new Error(`the staking gas test printed no measurements:\n${out.slice(-2000)}`)
  return [...byStep].map(([step, gas]) => {
    const values = Object.values(gas)
    return { step, gas, flatRatio: Number((Math.max(...values) / Math.min(...values)).toFixed(4)) }
  })
}

export function runStakingBench(o: { here: string; forge: string }): StakingGasRow[] {
  const out = runIsolatedForgeTests(o, ['--match-contract', 'StakingGasTest'])
  const rows = parseStakingGasLogs(out)
  const counts = [...new Set(rows.flatMap((x) => Object.keys(x.gas)))].sort((a, b) => Number(a) - Number(b))
  console.log('\nstaking gas, each call as its own transaction, by number of delegators on the node:')
  console.log(`  ${'step'.padEnd(18)} ${counts.map((c) => c.padStart(9)).join(' ')}  max/min`)
  for (const x of rows) console.log(`  ${x.step.padEnd(18)} ${counts.map((c) => String(x.gas[c] ?? '-').padStart(9)).join(' ')}  ${x.flatRatio.toFixed(4)}`)
  const worst = Math.max(...rows.map((x) => x.flatRatio))
  console.log(`  worst max/min ${worst.toFixed(4)} (target: flat, 1.0)`)
  const file = path.join(o.here, 'results', 'staking.json')
  writeFileSync(
    file,
    JSON.stringify({ measuredWith: 'forge test --isolate (contracts/test/gas/Staking.gas.t.sol)', delegators: counts.map(Number), worstFlatRatio: worst, steps: rows }, null, 2) + '\n',
  )
  console.log(`wrote ${path.relative(process.cwd(), file)}`)
  return rows
}
