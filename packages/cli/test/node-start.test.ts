// `sahara node start --config <file>` with the real bin: a seeded devnet (real anvil), the demo
// node config written to a file, /health over HTTP, then SIGTERM -> a clean stop with exit 0.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { startDevnet, type Devnet } from '@sahara/devnet'
import { demoNodeConfig, seedExecution } from '@sahara/network'

const bin = fileURLToPath(new URL('../bin/sahara.mjs', import.meta.url))
const env = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' })

function sahara(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: env(), cwd }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

describe('sahara node start', { timeout: 300_000 }, () => {
  let dir: string
  let devnet: Devnet
  let configFile: string
  let nodeId: bigint

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sahara-cli-node-'))
    devnet = await startDevnet({ dataDir: join(dir, 'devnet'), port: 0, fresh: true, seed: true })
    const ppu = devnet.seed!.payPerUse!
    const exec = await seedExecution(devnet, ppu, 'http://127.0.0.1:1')
    nodeId = exec.nodeId
    // a relative dataDir resolves next to the config file
    configFile = join(dir, 'node.json')
    writeFileSync(configFile, JSON.stringify({ ...demoNodeConfig(devnet, ppu, exec, { dataDir: 'node-data', port: 0 }), logLevel: 'warn' }), { mode: 0o600 })
  })
  after(async () => {
    await devnet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('starts from the config, serves /health, stops cleanly on SIGTERM (exit 0)', async () => {
    const child = spawn(process.execPath, [bin, 'node', 'start', '--config', 'node.json'], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (b: Buffer) => (out += b.toString()))
    child.stderr.on('data', (b: Buffer) => (err += b.toString()))
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "listening" line within 60 s:\n${out}\n${err}`)), 60_000)
        child.stdout.on('data', () => {
          const m = /^sahara node listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)
          if (m) {
            clearTimeout(timer)
            resolve(m[1]!)
          }
        })
        void exited.then(({ code }) => {
          clearTimeout(timer)
          reject(new Error(`exited (${code}) before listening:\n${out}\n${err}`))
        })
      })
      const health = (await (await fetch(`${url}/health`)).json()) as { ok: boolean; nodeId: string; assets: { name: string; available: boolean }[] }
      assert.equal(health.ok, true)
      assert.equal(health.nodeId, nodeId.toString())
      assert.deepEqual(health.assets.map((a) => [a.name, a.available]).sort(), [['penguin-agent', true], ['penguins-classifier', true]])
      child.kill('SIGTERM')
      const { code, signal } = await exited
      assert.equal(signal, null, err)
      assert.equal(code, 0, err)
      assert.match(out, /sahara node stopped/)
      assert.match(err, /SIGTERM: stopping the node/)
      // the server is gone
      await assert.rejects(fetch(`${url}/health`))
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  })

  it('usage and config errors: one line, non-zero exit', async () => {
    const noConfig = await sahara(['node', 'start'], dir)
    assert.equal(noConfig.code, 2)
    assert.match(noConfig.stderr, /Required option '--config <file>' not specified/)
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ dataDir: 'x' }))
    const bad = await sahara(['node', 'start', '--config', 'bad.json'], dir)
    assert.equal(bad.code, 1)
    assert.equal(bad.stderr.trimEnd().split('\n').length, 1, bad.stderr)
    const missing = await sahara(['node', 'start', '--config', 'nope.json'], dir)
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /Cannot read node config .*nope\.json/)
  })
})
