// A real execution node in its own process (packages/node/src/main.ts), as `sahara node start`
// runs it: tests SIGKILL it, restart it on the same data dir, and read its stdout.
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(fileURLToPath(import.meta.url), '..', '..', '..')

export type NodeProcess = { url: string; child: ChildProcess; output: () => string; kill(signal?: NodeJS.Signals): Promise<void> }

/** Writes `config` next to the node's data dir and starts a node process on it; resolves with its URL. */
export async function startNodeProcess(config: Record<string, unknown>, configFile: string): Promise<NodeProcess> {
  writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 })
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'packages/node/src/main.ts'), '--config', configFile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()))
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the node did not start within 60 s:\n${out}`)), 60_000)
    const onData = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        child.stdout!.off('data', onData)
        resolve(m[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the node exited with code ${code} before listening:\n${out}`))
    })
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  return {
    url,
    child,
    output: () => out,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
  }
}
