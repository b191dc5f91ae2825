// `npm start --seed` as a newcomer runs it: the launcher brings up the chain, seeds the demo,
// registers and starts an execution node, and prints how to pay for a prediction; that printed
// command works; Ctrl-C (SIGTERM) stops everything; a plain restart brings the same node back.
import assert from 'node:assert/strict'
import { spawn, execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { after, describe, it } from 'node:test'

const root = join(fileURLToPath(import.meta.url), '..', '..', '..', '..')
const run = promisify(execFile)

function start(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'packages/network/src/main.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()))
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()))
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 120 s:\n${out}`)), 120_000)
    child.stdout!.on('data', () => {
      if (out.includes('Press Ctrl-C')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)))
  })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return { child, ready, exited, output: () => out }
}

describe('npm start (packages/network)', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sahara-start-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const args = ['--port', '0', '--node-port', '0', '--data-dir', join(dir, 'devnet')]

  it('--seed serves the demo agent; the printed `sahara call` pays for a real prediction', async () => {
    const net = start([...args, '--seed'])
    try {
      await net.ready
      const out = net.output()
      const node = /Execution node #(\d+) at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      assert.ok(node, out)
      const health = await fetch(`${node[2]}/health`)
      assert.equal(health.status, 200)
      const call = /npx sahara (.*call .+)$/m.exec(out)
      assert.ok(call, 'the launcher prints a ready-to-run paid call')
      const argv = call[1]!.match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"|"$/g, ''))
      const { stdout } = await run(process.execPath, [join(root, 'packages/cli/bin/sahara.mjs'), '--json', ...argv, '--state', join(dir, 'client.json')], { cwd: root })
      const result = JSON.parse(stdout) as Record<string, unknown>
      assert.match(JSON.stringify(result), /Adelie/)
    } finally {
      net.child.kill('SIGTERM')
      assert.equal(await net.exited, 0)
    }
  })

  it('a plain restart reuses the chain and brings the same node back', async () => {
    const net = start(args)
    try {
      await net.ready
      const node = /Execution node #(\d+) at (http:\/\/127\.0\.0\.1:\d+)/.exec(net.output())
      assert.ok(node, net.output())
      assert.equal(node[1], '1')
      const models = (await (await fetch(`${node[2]}/v1/models`)).json()) as { data: { name: string }[] }
      assert.deepEqual(models.data.map((m) => m.name).sort(), ['penguin-agent', 'penguins-classifier'])
    } finally {
      net.child.kill('SIGTERM')
      assert.equal(await net.exited, 0)
    }
  })
})
