// `npm start`: the whole local network on one machine — anvil with the protocol deployed, and with
// `--seed` the demo assets plus an execution node (packages/node) serving the seeded ONNX model and
// agent behind the paid OpenAI-compatible API. Later plain starts bring the same node back.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { formatUnits } from 'viem'
import { launchDevnet } from '@sahara/devnet'
import { parseConfig, startNode, type RunningNode } from '@sahara/node'
import { defaultNodeDataDir, demoNodeConfig, seedExecution } from './execution.ts'

await launchDevnet({
  options: { 'node-port': { type: 'string', default: '8546' } },
  help: '  --node-port execution node HTTP port (default 8546; a free port is used when it is busy)',
  attach: async (devnet, flags, seeded) => {
    const nodeDir = defaultNodeDataDir(devnet.dataDir)
    const configFile = join(nodeDir, 'config.json')
    const wanted = Number(flags['node-port'] ?? 8546)
    let raw: Record<string, unknown> | undefined
    const ppu = devnet.seed?.payPerUse
    if (seeded && ppu) {
      const exec = await seedExecution(devnet, ppu, `http://127.0.0.1:${wanted}`, (m) => console.log(`  ${m}`))
      mkdirSync(nodeDir, { recursive: true })
      raw = demoNodeConfig(devnet, ppu, exec, { dataDir: nodeDir, port: wanted })
      writeFileSync(configFile, `${JSON.stringify(raw, null, 2)}\n`, { mode: 0o600 })
    } else if (devnet.reused && existsSync(configFile)) {
      raw = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>
    }
    if (!raw) return { lines: ['', 'No execution node: run `npm start --seed` to serve the demo model and agent.'], stop: async () => {} }
    const node = await startWithFallback(raw, nodeDir)
    const agent = parseConfig(raw, nodeDir).assets[0]!
    // The CLI finds the default devnet by itself; anything else is spelled out.
    const where = [
      ...(devnet.rpcUrl !== 'http://127.0.0.1:8545' ? [`--rpc-url ${devnet.rpcUrl}`] : []),
      ...(relative(process.cwd(), devnet.deploymentsFile) !== join('.sahara', 'devnet', 'deployments', `${devnet.chainId}.json`) ? [`--deployments ${devnet.deploymentsFile}`] : []),
    ].join(' ')
    const lines = [
      '',
      `Execution node #${String(raw.nodeId)} at ${node.url} (OpenAI-compatible: ${node.url}/v1, metrics: ${node.url}/metrics)`,
      `  serves ${parseConfig(raw, nodeDir).assets.map((a) => `${a.name} (asset #${a.assetId}, ${formatUnits(a.unitPrice, 6)} USDT/call)`).join(', ')}`,
      '  Try a paid prediction (dev account #2 pays through a payment channel):',
      `    npx sahara ${where ? `${where} ` : ''}call ${agent.assetId} --node ${node.url} --prompt "bill_length_mm=39.1 bill_depth_mm=18.7 flipper_length_mm=181 body_mass_g=3750" --private-key ${devnet.accounts[2]!.privateKey}`,
    ]
    return { lines, stop: () => node.close() }
  },
})

/** Starts the node on the configured port, or on a free one when that port is busy. */
async function startWithFallback(raw: Record<string, unknown>, nodeDir: string): Promise<RunningNode> {
  try {
    return await startNode(parseConfig(raw, nodeDir))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e
    console.log(`  NOTE: port ${String(raw.port)} is busy; the node listens on a free port instead.`)
    return startNode(parseConfig({ ...raw, port: 0 }, nodeDir))
  }
}
