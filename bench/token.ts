// Genesis token paths (bench/results/token.json): VestingVault release / createSchedules and
// MerkleAirdrop claim / release / sweep, each as its own transaction, measured by
// contracts/test/gas/Vesting.gas.t.sol (which also enforces its budgets under --isolate).
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseGasLogs, runIsolatedForgeTests, type ForgeGasRun } from './forgeGas.ts'

export function runTokenBench(o: ForgeGasRun): Record<string, number> {
  const out = runIsolatedForgeTests(o, ['--match-contract', 'VestingGasTest'])
  const rows = Object.fromEntries(parseGasLogs(out))
  if (Object.keys(rows).length === 0) throw new Error(`the vesting gas test printed no measurements:\n${out.slice(-2000)}`)
  console.log('\ngenesis token paths, each as its own transaction:')
  for (const [what, gas] of Object.entries(rows)) console.log(`  ${what.padEnd(60)} ${String(gas).padStart(9)}`)
  const file = path.join(o.here, 'results', 'token.json')
  writeFileSync(
    file,
    JSON.stringify({ measuredWith: 'forge test --isolate (contracts/test/gas/Vesting.gas.t.sol); airdrop proofs have depth 17 (131,072 leaves)', gas: rows }, null, 2) + '\n',
  )
  console.log(`wrote ${path.relative(process.cwd(), file)}`)
  return rows
}
