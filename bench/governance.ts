// Governance gas (bench/results/governance.json): SaharaGovernor against a stock OpenZeppelin
// Governor on the same token and proposal, each step as its own transaction (`forge test
// --isolate`), measured in the same run by contracts/test/gas/Governor.gas.t.sol. Target: every
// step within 10% of stock.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { runIsolatedForgeTests } from './forgeGas.ts'

export type GovernanceStep = { step: string; sahara: number; stock: number; ratio: number }

/** Parses the test's `<governor> <step>: <gas>` log lines into per-step rows. */
export function parseGovernorGasLogs(out: string): GovernanceStep[] {
  const read = (who: string) => {
    const m = new Map<string, number>()
    for (const line of out.split('\n')) {
      const hit = new RegExp(`^\\s*${who} (.+): (\\d+)$`).exec(line)
      if (hit) m.set(hit[1]!, Number(hit[2]))
    }
    return m
  }
  const ours = read('SaharaGovernor')
  const stock = read('stock OZ Governor')
  const steps = [...ours.keys()].filter((k) => stock.has(k))
  if (steps.length === 0) throw new Error(`the governor gas test printed no measurements:\n${out.slice(-2000)}`)
  return steps.map((step) => ({ step, sahara: ours.get(step)!, stock: stock.get(step)!, ratio: Number((ours.get(step)! / stock.get(step)!).toFixed(4)) }))
}

export function runGovernanceBench(o: { here: string; forge: string }): GovernanceStep[] {
  const out = runIsolatedForgeTests(o, ['--match-test', 'test_gas_governor_ratio'])
  const rows = parseGovernorGasLogs(out)
  const worst = Math.max(...rows.map((x) => x.ratio))
  console.log('\ngovernance gas, each step as its own transaction (SaharaGovernor vs stock OZ Governor):')
  for (const x of rows) console.log(`  ${x.step.padEnd(36)} ${String(x.sahara).padStart(9)} ${String(x.stock).padStart(9)}  ${(x.ratio * 100).toFixed(1)}%`)
  console.log(`  worst step ${(worst * 100).toFixed(1)}% of stock (target <= 110%)`)
  const file = path.join(o.here, 'results', 'governance.json')
  writeFileSync(file, JSON.stringify({ measuredWith: 'forge test --isolate (contracts/test/gas/Governor.gas.t.sol)', targetMaxRatio: 1.1, worstRatio: worst, steps: rows }, null, 2) + '\n')
  console.log(`wrote ${path.relative(process.cwd(), file)}`)
  return rows
}
