// `npm start`: a persistent local Sahara devnet. Flags: --seed, --fresh, --port N, --data-dir DIR.
import { parseArgs } from 'node:util'
import { formatUnits } from 'viem'
import { loadArtifact } from './artifacts.ts'
import { startDevnet, TREASURY_ACCOUNT_INDEX } from './devnet.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    port: { type: 'string', default: '8545' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

if (values.help) {
  console.log(`Usage: npm start -- [--seed] [--fresh] [--port 8545] [--data-dir .sahara/devnet]
  --seed      register demo assets (dataset -> model -> agent, licenses, a payment) once, and the
              pay-per-use demo (penguins dataset -> ONNX model -> agent; artifacts in .sahara/content)
  --fresh     discard the saved chain state and deployments first
  --port      RPC port (a free port is used when it is busy)
  --data-dir  where anvil state and deployments/31337.json live`)
  process.exit(0)
}

// `npm start --seed` (without `--`) reaches us as npm config, not as an argument.
const npmFlag = (name: string) => process.env[`npm_config_${name}`] === 'true'
const seed = values.seed || npmFlag('seed')
const fresh = values.fresh || npmFlag('fresh')

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`invalid --port ${values.port}`)
  process.exit(2)
}

const log = (m: string) => console.log(`  ${m}`)
console.log('Starting the Sahara devnet...')
let devnet: Awaited<ReturnType<typeof startDevnet>>
try {
  devnet = await startDevnet({
    port,
    portFallback: true,
    seed,
    fresh,
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    log,
  })
} catch (err) {
  console.error(`\nCould not start the devnet: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}

let shuttingDown = false
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return
  shuttingDown = true
  console.log(`\n${signal}: stopping anvil (state is saved in ${devnet.stateFile})...`)
  await devnet.stop()
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

const d = devnet.deployments
const supply = (await devnet.publicClient.readContract({
  address: d.contracts.SaharaToken,
  abi: loadArtifact('SaharaToken').abi,
  functionName: 'totalSupply',
})) as bigint

const lines: string[] = []
lines.push('')
if (devnet.portFellBack) lines.push(`NOTE: port ${port} was busy; the devnet listens on ${devnet.port} instead.`)
lines.push(`Sahara devnet ready (${devnet.reused ? 'deployment reused from a previous run' : 'fresh deployment'})`)
lines.push(`  RPC URL:          ${devnet.rpcUrl}`)
lines.push(`  Chain id:         ${devnet.chainId}`)
lines.push(`  Deployments file: ${devnet.deploymentsFile}`)
lines.push(`  State file:       ${devnet.stateFile}`)
lines.push(`  Start block:      ${d.startBlock}`)
lines.push('')
lines.push('Contracts:')
for (const [name, address] of Object.entries(d.contracts)) lines.push(`  ${name.padEnd(20)} ${address}`)
lines.push('Implementations:')
for (const [name, address] of Object.entries(d.implementations)) lines.push(`  ${name.padEnd(20)} ${address}`)
lines.push(`  SAHARA total supply ${formatUnits(supply, 18)} (held by the admin ${d.admin})`)
lines.push(`  Protocol treasury  ${d.treasury} (dev account #${TREASURY_ACCOUNT_INDEX})`)
if (devnet.seed?.created) {
  const s = devnet.seed
  lines.push('')
  lines.push(`Demo assets: dataset #${s.datasetId}, model #${s.modelId} (TRAINED_ON), agent #${s.agentId} (USES_MODEL)`)
}
const ppu = devnet.seed?.payPerUse
if (ppu) {
  lines.push('')
  lines.push(`Pay-per-use demo (content store ${ppu.contentDir}):`)
  lines.push(`  dataset #${ppu.dataset.assetId}  Palmer penguins         ${ppu.dataset.content}`)
  lines.push(`  model   #${ppu.model.assetId}  penguins classifier     ${ppu.model.content} (manifest ${ppu.model.metadata})`)
  lines.push(`  agent   #${ppu.agent.assetId}  penguin identifier      ${ppu.agent.content}`)
  lines.push(`  PAY_PER_USE: agent ${formatUnits(ppu.agent.unitPrice, 6)} USDT/call (terms #${ppu.agent.payPerUseTermsId}), model ${formatUnits(ppu.model.unitPrice, 6)} USDT/call (terms #${ppu.model.payPerUseTermsId})`)
}
lines.push('')
lines.push('Funded dev accounts (anvil public test keys: NEVER use them on a real network):')
devnet.accounts.slice(0, 5).forEach((a, i) => lines.push(`  (${i}) ${a.address}  ${a.privateKey}${i === 0 ? '  deployer/admin' : ''}`))
lines.push('')
lines.push('Press Ctrl-C to stop. State persists across restarts; `npm start -- --fresh` resets it.')
console.log(lines.join('\n'))
