import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

export interface StartAnvilOptions {
  /** TCP port; 0 (default) lets the OS pick a free one. */
  port?: number
  /** Load state from this file at start and dump to it every `stateInterval` seconds and on exit. */
  stateFile?: string
  /** Seconds between state dumps (default 1), so a SIGKILL loses at most about a second. */
  stateInterval?: number
  /** Chain id (anvil's default is 31337). */
  chainId?: number
  /** Block gas limit; `'disabled'` removes the limit (useful for bulk benchmark setup). */
  blockGasLimit?: bigint | number | 'disabled'
  /** Number of funded dev accounts (anvil default 10). */
  accounts?: number
  /** Extra raw anvil arguments. */
  extraArgs?: readonly string[]
  /** Milliseconds to wait for "Listening on" (default 30 s). */
  startTimeoutMs?: number
  /** Kill anvil when this process exits, even by SIGKILL (a tiny `sh` watchdog). Default true. */
  killWithParent?: boolean
  /** Anvil binary; defaults to $SAHARA_ANVIL_BIN, then the @foundry-rs platform package. */
  binary?: string
}

export interface AnvilInstance {
  readonly rpcUrl: string
  readonly port: number
  readonly process: ChildProcess
  /** Graceful stop (SIGTERM, so anvil dumps its state), SIGKILL after `timeoutMs`. Idempotent. */
  stop(timeoutMs?: number): Promise<void>
}

/** Anvil exited or printed nothing usable before it started listening. */
export class AnvilStartError extends Error {
  override readonly name = 'AnvilStartError'
  constructor(
    message: string,
    readonly output: string,
    readonly addressInUse: boolean,
  ) {
    super(`${message}${output ? `\n--- anvil output ---\n${output}` : ''}`)
  }
}

const require = createRequire(import.meta.url)

/** Path of the native anvil binary shipped in the @foundry-rs platform package. */
export function anvilBinary(): string {
  const fromEnv = process.env.SAHARA_ANVIL_BIN
  if (fromEnv) return fromEnv
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`
  try {
    const dir = path.dirname(require.resolve(`${pkg}/package.json`))
    const bin = path.join(dir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil')
    if (existsSync(bin)) return bin
  } catch {
    // fall through to PATH
  }
  return 'anvil'
}

const LISTENING = /Listening on ([\d.]+):(\d+)/

// Every anvil this process started; killed when the process goes away.
const live = new Set<ChildProcess>()
let hooksInstalled = false

function installExitHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true
  // 'exit' handlers must be synchronous: signal and let anvil finish its final state dump alone.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGTERM')
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      // When the application handles the signal itself it owns the shutdown; otherwise mimic
      // the default (terminate) after stopping our children cleanly.
      if (process.listenerCount(signal) > 1) return
      void Promise.all([...live].map((c) => stopChild(c, 5_000))).finally(() => {
        process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129)
      })
    })
  }
}

function stopChild(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Starts a sidecar shell that SIGTERMs `childPid` once `parentPid` no longer exists. */
function spawnWatchdog(parentPid: number, childPid: number): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined
  const script = `while kill -0 ${parentPid} 2>/dev/null; do sleep 1; done; kill -TERM ${childPid} 2>/dev/null; exit 0`
  const dog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' })
  dog.on('error', () => {})
  dog.unref()
  return dog
}

function buildArgs(o: StartAnvilOptions): string[] {
  const args = ['--host', '127.0.0.1', '--port', String(o.port ?? 0)]
  if (o.chainId !== undefined) args.push('--chain-id', String(o.chainId))
  if (o.stateFile) args.push('--state', o.stateFile, '--state-interval', String(o.stateInterval ?? 1))
  if (o.blockGasLimit === 'disabled') args.push('--disable-block-gas-limit')
  else if (o.blockGasLimit !== undefined) args.push('--gas-limit', String(o.blockGasLimit))
  if (o.accounts !== undefined) args.push('--accounts', String(o.accounts))
  if (o.extraArgs) args.push(...o.extraArgs)
  return args
}

/**
 * Spawns the anvil binary and resolves once it listens. Anvil is always bound to 127.0.0.1.
 * The child is killed when this process exits (normally, by SIGINT/SIGTERM, or by SIGKILL via a
 * watchdog), so no devnet outlives its owner.
 */
export function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilInstance> {
  const args = buildArgs(options)
  const child = spawn(options.binary ?? anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] })
  installExitHooks()
  live.add(child)

  // Anvil logs every RPC call; keep only a tail for error messages, and always drain the pipes
  // so a chatty anvil never blocks on a full pipe.
  let tail = ''
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-8_000)
  }

  return new Promise<AnvilInstance>((resolve, reject) => {
    let settled = false
    let watchdog: ChildProcess | undefined
    const timer = setTimeout(() => {
      fail(`anvil did not start listening within ${options.startTimeoutMs ?? 30_000} ms`)
      child.kill('SIGKILL')
    }, options.startTimeoutMs ?? 30_000)

    function fail(message: string): void {
      if (settled) return
      settled = true
      clearTimeout(timer)
      reject(new AnvilStartError(message, tail.trim(), /address already in use|os error 98/i.test(tail)))
    }

    const onStdout = (chunk: Buffer): void => {
      keep(chunk)
      if (settled) return
      const m = LISTENING.exec(tail)
      if (!m) return
      settled = true
      clearTimeout(timer)
      const port = Number(m[2])
      if (options.killWithParent !== false && child.pid !== undefined) watchdog = spawnWatchdog(process.pid, child.pid)
      let stopping: Promise<void> | undefined
      resolve({
        rpcUrl: `http://127.0.0.1:${port}`,
        port,
        process: child,
        stop: (timeoutMs = 10_000) => (stopping ??= stopChild(child, timeoutMs)),
      })
    }
    child.stdout!.on('data', onStdout)
    child.stderr!.on('data', keep)
    child.on('error', (err) => fail(`could not spawn anvil (${args.join(' ')}): ${err.message}`))
    child.on('exit', (code, signal) => {
      live.delete(child)
      if (watchdog?.pid !== undefined) {
        try {
          process.kill(watchdog.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      fail(`anvil exited before listening (code ${code}, signal ${signal})`)
    })
  })
}
