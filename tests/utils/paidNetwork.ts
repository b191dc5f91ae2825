import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { localChain, startDevnet, walletClientFor, type Devnet, type PayPerUseSeed } from '@sahara/devnet'
import { demoNodeConfig, seedExecution, type ExecutionSeed } from '@sahara/network'
import { createSaharaClient, type SaharaClient } from '@sahara/sdk'
import { startNodeProcess, type NodeProcess } from './nodeProcess.ts'

export type PaidNetwork = { dir: string; devnet: Devnet; ppu: PayPerUseSeed; exec: ExecutionSeed; config: Record<string, unknown>; node: NodeProcess; payer: SaharaClient; payerKey: Hex }

/**
 * The pay-per-use network of the end-to-end tests: a fresh seeded devnet (dataset -> model ->
 * agent), a registered node process serving them with `nodeOverrides` on top of the demo config,
 * and a payer (dev account 2) holding 10 USDT. `chainId`: the devnet's chain id (default 31337).
 */
export async function startPaidNetwork(prefix: string, nodeOverrides: Record<string, unknown>, o: { chainId?: number } = {}): Promise<PaidNetwork> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const devnet = await startDevnet({ dataDir: join(dir, 'devnet'), port: 0, fresh: true, seed: true, ...(o.chainId ? { chainId: o.chainId } : {}) })
  const ppu = devnet.seed!.payPerUse!
  const exec = await seedExecution(devnet, ppu, 'http://127.0.0.1:1')
  const config = { ...demoNodeConfig(devnet, ppu, exec, { dataDir: join(dir, 'node'), port: 0 }), ...nodeOverrides }
  const node = await startNodeProcess(config, join(dir, 'node.json'))
  const chain = localChain(devnet.chainId, devnet.rpcUrl)
  const payerKey = devnet.accounts[2]!.privateKey as Hex
  const payer = createSaharaClient({ publicClient: devnet.publicClient, walletClient: walletClientFor(devnet.rpcUrl, payerKey, chain), deployments: devnet.deployments })
  await payer.faucet({ amount: 10_000_000n })
  return { dir, devnet, ppu, exec, config, node, payer, payerKey }
}
