#!/usr/bin/env node
// Runs the real forge binary and exits with ITS status. The npm wrapper (node_modules/.bin/forge,
// @foundry-rs/forge 1.7.1) never forwards the child's exit code, so `npx forge test` and
// `npx forge snapshot --check` exit 0 even when tests fail or gas differs; gates must use this.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
const pkg = `@foundry-rs/forge-${process.platform}-${arch}`;
let bin;
try {
  bin = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'bin', process.platform === 'win32' ? 'forge.exe' : 'forge');
} catch {
  console.error(`forge-exec: ${pkg} is not installed (run npm install)`);
  process.exit(127);
}
const res = spawnSync(bin, process.argv.slice(2), { stdio: 'inherit' });
if (res.error) {
  console.error(`forge-exec: cannot run ${bin}: ${res.error.message}`);
  process.exit(127);
}
process.exit(res.status ?? 1);
