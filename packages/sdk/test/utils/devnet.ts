import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDevnet, type Devnet } from '@sahara/devnet'
import { createPublicClient, createWalletClient, defineChain, http, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createSaharaClient, loadDeploymentsFile, type Deployments, type SaharaClient } from '../../src/index'

export type TestDevnet = {
  devnet: Devnet
  deployments: Deployments
  rpcUrl: string
  /** A Sahara client per dev account (index = anvil account index). */
  clients: SaharaClient[]
  stop(): Promise<void>
}

/** A fresh devnet (real anvil, random port, temporary data dir) with one SDK client per dev account. */
export async function startTestDevnet(): Promise<TestDevnet> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sahara-sdk-devnet-'))
  const devnet = await startDevnet({ dataDir, port: 0, fresh: true })
  // Re-read the file through the SDK's own parser: the file on disk is the contract between the packages.
  const deployments = loadDeploymentsFile(devnet.deploymentsFile)
  const chain = defineChain({
    id: devnet.chainId,
    name: 'Sahara devnet',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [devnet.rpcUrl] } },
  })
  const publicClient = createPublicClient({ chain, transport: http(devnet.rpcUrl), pollingInterval: 50 })
  const clients = devnet.accounts.map((a) =>
    createSaharaClient({
      publicClient,
      walletClient: createWalletClient({ chain, transport: http(devnet.rpcUrl), account: privateKeyToAccount(a.privateKey as Hex) }),
      deployments,
    }),
  )
  return {
    devnet,
    deployments,
    rpcUrl: devnet.rpcUrl,
    clients,
    async stop() {
      await devnet.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
