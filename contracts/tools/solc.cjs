#!/usr/bin/env node
// Forge runs this file as its solc binary: forge cannot download a native compiler here, so this
// answers `--version` like solc does and compiles standard JSON from stdin with the pinned solc-js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const solc = require('solc');

const args = process.argv.slice(2);
if (args.includes('--version')) {
  // forge parses "Version: <semver>+commit.<hash>" from the second line.
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}

function flagValue(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
const roots = [flagValue('--base-path'), ...(flagValue('--include-path') ? [flagValue('--include-path')] : []), process.cwd(), path.join(process.cwd(), 'node_modules'), path.join(__dirname, '..', 'node_modules'), path.join(__dirname, '..', '..', 'node_modules')].filter(Boolean);

function findImports(importPath) {
  for (const root of roots) {
    const candidate = path.resolve(root, importPath);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, 'utf8') };
  }
  return { error: `file not found: ${importPath}` };
}

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const output = solc.compile(Buffer.concat(chunks).toString('utf8'), { import: findImports });
  process.stdout.write(output);
});
