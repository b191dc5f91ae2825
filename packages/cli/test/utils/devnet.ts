import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import { startDevnet, type Devnet } from '@sahara/devnet'

export type CliTestDevnet = {
  readonly devnet: Devnet
  /** Temporary working directory holding the sample files (and the devnet's data dir). */
  readonly dir: string
}

/**
 * Registers before/after hooks in the current suite that start a fresh devnet (real anvil, random
 * port) in a new temporary directory and write the sample files the CLI tests and the docs
 * walkthrough use: data.csv, data-v2.csv (one more row) and model.bin. The fields are readable once
 * the before hook has run.
 */
export function useCliTestDevnet(prefix: string): CliTestDevnet {
  let state: { devnet: Devnet; dir: string } | undefined
  let dir: string | undefined
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix))
    const devnet = await startDevnet({ dataDir: join(dir, 'devnet'), port: 0, fresh: true })
    writeFileSync(join(dir, 'data.csv'), 'id,text\n1,sand\n2,dune\n')
    writeFileSync(join(dir, 'data-v2.csv'), 'id,text\n1,sand\n2,dune\n3,oasis\n')
    writeFileSync(join(dir, 'model.bin'), Buffer.alloc(300_000, 7))
    state = { devnet, dir }
  })
  after(async () => {
    await state?.devnet.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
  const started = () => {
    if (!state) throw new Error('the test devnet is not started (use it inside tests, after the before hook)')
    return state
  }
  return {
    get devnet() {
      return started().devnet
    },
    get dir() {
      return started().dir
    },
  }
}
