// The `npm start` lifecycle: flags, start, summary, clean shutdown on Ctrl-C or when the parent
// npm dies. Other launchers (the local network with an execution node) plug in through `attach`.
import { parseArgs } from 'node:util'
import { describeDevnet } from './describe.ts'
import { startDevnet, type Devnet } from './devnet.ts'

/** What a launcher adds to a running devnet: lines for the summary and how to stop it first. */
export type Attachment = { lines: string[]; stop(): Promise<void> }

export type LaunchOptions = {
  /** Extra flags (parseArgs format) and their help lines. */
  options?: Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>
  help?: string
  /** Runs once the devnet is up; its stop() runs before anvil stops. */
  attach?: (devnet: Devnet, flags: Record<string, string | boolean | undefined>, seed: boolean) => Promise<Attachment | undefined>
}

export async function launchDevnet(o: LaunchOptions = {}): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      port: { type: 'string', default: '8545' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...(o.options ?? {}),
    },
  })
  if (values.help) {
    console.log(`Usage: npm start -- [--seed] [--fresh] [--port 8545] [--data-dir .sahara/devnet]
  --seed      register demo assets (dataset -> model -> agent, licenses, a payment) once, and the
              pay-per-use demo (penguins dataset -> ONNX model -> agent; artifacts in .sahara/content)
  --fresh     discard the saved chain state and deployments first
  --port      RPC port (a free port is used when it is busy)
  --data-dir  where anvil state and deployments/31337.json live${o.help ? `\n${o.help}` : ''}`)
    process.exit(0)
  }
  // `npm start --seed` (without `--`) reaches us as npm config, not as an argument.
  const npmFlag = (name: string) => process.env[`npm_config_${name}`] === 'true'
  const seed = values.seed === true || npmFlag('seed')
  const fresh = values.fresh === true || npmFlag('fresh')
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`invalid --port ${String(values.port)}`)
    process.exit(2)
  }

  const log = (m: string) => console.log(`  ${m}`)
  console.log('Starting the Sahara devnet...')
  let devnet: Devnet
  try {
    devnet = await startDevnet({
      port,
      portFallback: true,
      seed,
      fresh,
      ...(typeof values['data-dir'] === 'string' ? { dataDir: values['data-dir'] } : {}),
      log,
    })
  } catch (err) {
    console.error(`\nCould not start the devnet: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  }

  let attachment: Attachment | undefined
  let shuttingDown = false
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return
    shuttingDown = true
    console.log(`\n${signal}: stopping (chain state is saved in ${devnet.stateFile})...`)
    try {
      await attachment?.stop()
    } finally {
      await devnet.stop()
    }
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  // Started through `npm start`, a SIGKILLed npm would leave us orphaned: follow our parent out.
  const parentPid = process.ppid
  setInterval(() => {
    if (process.ppid !== parentPid) void shutdown('parent process exited')
  }, 1_000).unref()
  devnet.anvil.process.once('exit', (code, sig) => {
    if (shuttingDown) return
    console.error(`anvil exited unexpectedly (code ${code}, signal ${sig})`)
    process.exit(1)
  })

  try {
    attachment = await o.attach?.(devnet, values as Record<string, string | boolean | undefined>, seed)
  } catch (err) {
    console.error(`\nCould not start: ${err instanceof Error ? err.message : String(err)}`)
    await devnet.stop()
    process.exit(1)
  }
  const lines = await describeDevnet(devnet, { requestedPort: port })
  if (attachment) lines.push(...attachment.lines)
  lines.push('')
  lines.push('Press Ctrl-C to stop. State persists across restarts; `npm start -- --fresh` resets it.')
  console.log(lines.join('\n'))
}
