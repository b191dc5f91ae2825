#!/usr/bin/env node
// Root test orchestration (`npm test` runs `npm run build` first):
//   1. forge tests in contracts/ (benchmark files excluded), then the gas snapshot gate,
//   2. every *.test.ts under packages/*/test/ and tests/ with node's test runner,
// then prints one final line `N passed, N failed` and exits non-zero when anything failed or
// nothing ran. Flags: --no-forge, --no-ts (run one side only).
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = new Set(process.argv.slice(2))
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')

/**
 * Runs a command, keeping a copy of its output for parsing; the output streams through, or with
 * `quiet` is printed as one block when it ends (so two suites running at once do not interleave).
 */
function run(cmd, argv, cwd, title, quiet = false) {
  if (!quiet) console.log(title)
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } })
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      if (!quiet) process.stdout.write(d)
    })
    child.stderr.on('data', (d) => {
      out += d
      if (!quiet) process.stderr.write(d)
    })
    if (quiet) child.on('close', () => process.stdout.write(`${title}\n${out}`))
    child.on('error', (err) => resolve({ code: 127, out: `${out}\n${err.message}` }))
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out: stripAnsi(out) }))
  })
}

/** Every *.test.ts under `dir`, recursively, skipping node_modules. */
function findTests(dir) {
  if (!existsSync(dir)) return []
  const found = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) found.push(...findTests(full))
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) found.push(full)
  }
  return found
}

function tsTestFiles() {
  const files = []
  const packages = path.join(root, 'packages')
  if (existsSync(packages)) {
    for (const pkg of readdirSync(packages).sort()) {
      const dir = path.join(packages, pkg, 'test')
      if (existsSync(dir) && statSync(dir).isDirectory()) files.push(...findTests(dir))
    }
  }
  files.push(...findTests(path.join(root, 'tests')))
  return files.sort().map((f) => path.relative(root, f))
}

const results = []

/** The native forge binary: the npm launcher (node_modules/.bin/forge) always exits 0. */
function forgeBinary() {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const native = path.join(root, 'node_modules', '@foundry-rs', `forge-${process.platform}-${arch}`, 'bin', 'forge')
  return existsSync(native) ? native : path.join(root, 'node_modules', '.bin', 'forge')
}

async function forgeSuite(quiet) {
  const forge = forgeBinary()
  // Beside the TypeScript suite, forge gets one thread: those tests mostly wait on anvil and
  // child processes, so the two overlap well on a 2-core machine.
  const threads = quiet ? ['--threads', '1'] : []
  const { code, out } = await run(forge, ['test', '--no-match-path', 'test/bench/*', ...threads], path.join(root, 'contracts'), '\n=== forge test (contracts/) ===\n', quiet)
  // "Ran 4 test suites in 33.08s (36.21s CPU time): 76 tests passed, 0 failed, 0 skipped (76 total tests)"
  const m = /Ran \d+ test suites? in .*?: (\d+) tests? passed, (\d+) failed, (\d+) skipped/.exec(out)
  const passed = m ? Number(m[1]) : 0
  let failed = m ? Number(m[2]) : 0
  // A compile error prints no summary (and forge may still exit 0): count one failure so a broken
  // build can never pass.
  if (!m) {
    console.log('forge printed no test summary: counting the forge suite as failed')
    failed = Math.max(failed, 1)
  }
  if (code !== 0 && failed === 0) failed = 1
  results.push({ name: 'forge', passed, failed, code })
}

/**
 * Gas gate: the deterministic tests (unit + gas, no fuzzing) must use exactly the gas recorded in
 * the committed contracts/.gas-snapshot. After an intended change: `npm run snapshot -w @sahara/contracts`.
 */
async function gasSnapshotCheck(quiet) {
  const { code } = await run(forgeBinary(), ['snapshot', '--check', '--match-path', 'test/{unit,gas}/*', '--no-match-test', 'testFuzz'], path.join(root, 'contracts'), '\n=== forge snapshot --check (contracts/.gas-snapshot) ===\n', quiet)
  results.push({ name: 'gas snapshot', passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, code })
}

async function tsSuite() {
  const files = tsTestFiles()
  console.log(`\n=== node --test (${files.length} TypeScript test file${files.length === 1 ? '' : 's'}) ===\n`)
  if (files.length === 0) {
    results.push({ name: 'ts', passed: 0, failed: 0, code: 0 })
    return
  }
  for (const f of files) console.log(`  ${f}`)
  const { code, out } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=300000', ...files], root, '')
  const count = (label) => {
    const all = [...out.matchAll(new RegExp(`^\\s*(?:ℹ|#)\\s*${label} (\\d+)\\s*$`, 'gm'))]
    return all.length ? Number(all[all.length - 1][1]) : 0
  }
  const passed = count('pass')
  let failed = count('fail') + count('cancelled')
  if (code !== 0 && failed === 0) failed = 1
  results.push({ name: 'ts', passed, failed, code })
}

// The forge suites and the TypeScript suite run at the same time (forge's output is printed in one
// block when it ends) unless SAHARA_TEST_SERIAL=1.
const forge = !args.has('--no-forge')
const ts = !args.has('--no-ts')
const parallel = forge && ts && process.env.SAHARA_TEST_SERIAL !== '1'
const forgeDone = forge
  ? (async () => {
      await forgeSuite(parallel)
      await gasSnapshotCheck(parallel)
    })()
  : Promise.resolve()
if (!parallel) await forgeDone
if (ts) await tsSuite()
await forgeDone

console.log('\n=== summary ===')
for (const r of results) console.log(`  ${r.name}: ${r.passed} passed, ${r.failed} failed (exit ${r.code})`)
const passed = results.reduce((a, r) => a + r.passed, 0)
const failed = results.reduce((a, r) => a + r.failed, 0)
console.log(`${passed} passed, ${failed} failed`)
if (failed > 0 || passed === 0) {
  if (passed === 0 && failed === 0) console.error('no tests ran')
  process.exit(1)
}
