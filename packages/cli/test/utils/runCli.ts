import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { CliTestDevnet } from './devnet.ts'

const bin = fileURLToPath(new URL('../../bin/sahara.mjs', import.meta.url))

export type Run = { code: number; stdout: string; stderr: string }
export type RunOptions = { key?: number }

/**
 * Runs the real `sahara` bin against a test devnet (its RPC URL and deployments file), optionally
 * signing with dev account `key`, with a minimal environment so no SAHARA_* variable leaks in.
 */
export function cliRunner(net: CliTestDevnet) {
  function sahara(args: string[], opts: RunOptions = {}): Promise<Run> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }
    const full = ['--rpc-url', net.devnet.rpcUrl, '--deployments', net.devnet.deploymentsFile, ...args]
    if (opts.key !== undefined) full.unshift('--private-key', net.devnet.accounts[opts.key]!.privateKey)
    return new Promise((resolve) => {
      execFile(process.execPath, [bin, ...full], { env, cwd: net.dir }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
      })
    })
  }
  /** Runs with `--json`, asserts exit 0 and parses stdout. */
  async function json<T = any>(args: string[], opts: RunOptions = {}): Promise<T> {
    const r = await sahara([...args, '--json'], opts)
    assert.equal(r.code, 0, `sahara ${args.join(' ')} failed: ${r.stderr}`)
    return JSON.parse(r.stdout) as T
  }
  /** Asserts exit `code`, nothing on stdout and exactly one stderr sentence matching `message`. */
  async function fails(args: string[], code: number, message: string | RegExp, opts: RunOptions = {}): Promise<void> {
    const r = await sahara(args, opts)
    assert.equal(r.code, code, `sahara ${args.join(' ')}: ${r.stderr}`)
    assert.equal(r.stdout, '')
    const lines = r.stderr.trimEnd().split('\n')
    assert.equal(lines.length, 1, `stderr should be one line, got:\n${r.stderr}`)
    const text = lines[0]!.replace(/^error: /, '')
    if (typeof message === 'string') assert.equal(text, message)
    else assert.match(text, message)
  }
  return { sahara, json, fails }
}
