// Gas measured inside forge tests: a test meters one call (`vm.lastCallGas` under `--isolate`, so
// each top-level call is its own transaction) and logs it as `<what>: <gas>`. This runs such tests
// and collects those lines.
import { spawnSync } from 'node:child_process'
import path from 'node:path'

export interface ForgeGasRun {
  /** The native forge binary (the npm launcher always exits 0). */
  forge: string
  /** The bench/ directory; contracts/ is its sibling. */
  here: string
}

/** Runs `forge test --isolate -vv` with the given filter args and returns the raw stdout. */
export function runIsolatedForgeTests(o: ForgeGasRun, filter: string[]): string {
  const contracts = path.join(o.here, '..', 'contracts')
  const r = spawnSync(o.forge, ['test', ...filter, '--isolate', '-vv'], {
    cwd: contracts,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  })
  if (r.status !== 0) throw new Error(`forge test ${filter.join(' ')} failed (${r.status}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`)
  return r.stdout
}

/** `  <what>: <gas>` log lines, in order of appearance (the last value wins for a repeated key). */
export function parseGasLogs(out: string): Map<string, number> {
  const rows = new Map<string, number>()
  for (const line of out.split('\n')) {
    const hit = /^\s{2}(.+): (\d+)$/.exec(line)
    if (hit) rows.set(hit[1]!, Number(hit[2]))
  }
  return rows
}
