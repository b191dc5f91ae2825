#!/usr/bin/env node
// The CLI is written in TypeScript and run through tsx (no build step).
import { register } from 'tsx/esm/api'

// Plain-JS dependencies are loaded before tsx's hooks are registered: the hooks would otherwise
// run for each of their hundreds of modules (about a second per start). Later imports of the
// same specifiers from TypeScript hit the module cache (a failed preload only costs that time).
await Promise.allSettled([
  import('viem'),
  import('viem/actions'),
  import('viem/accounts'),
  import('commander'),
  import('multiformats/cid'),
  import('ipfs-unixfs-importer'),
])
register()
await import(new URL('../src/main.ts', import.meta.url).href)
