#!/usr/bin/env node
// Runs the native forge binary with the caller's arguments and passes its exit code on.
// The npm launcher (node_modules/.bin/forge) exits 0 even when compilation or tests fail.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)
const arch = process.arch === 'x64' ? 'amd64' : process.arch
const pkg = require.resolve(`@foundry-rs/forge-${process.platform}-${arch}/package.json`)
const result = spawnSync(path.join(path.dirname(pkg), 'bin', 'forge'), process.argv.slice(2), { stdio: 'inherit' })
if (result.error) {
  console.error(`forge could not start: ${result.error.message}`)
  process.exit(1)
}
process.exit(result.status ?? 1)
