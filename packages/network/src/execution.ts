// Puts an execution node on the devnet for the pay-per-use demo: registers it in NodeRegistry
// (staked), serves the seeded model and agent, and builds the node's config. Idempotent: a node
// the operator already registered is reused, and assets already served are left alone.
import { join } from 'node:path'
import { parseEther, type Address, type Hex } from 'viem'
import { readContract, waitForTransactionReceipt, writeContract } from 'viem/actions'
import { privateKeyToAccount } from 'viem/accounts'
import { walletClientFor, localChain, type Devnet, type PayPerUseSeed } from '@sahara/devnet'
import { parseConfig } from '@sahara/node'
import { createSaharaClient, nodeRegistryAbi, saharaTokenAbi } from '@sahara/sdk'

/** Dev accounts of the demo node: #5 operates it (stake, payouts), #6 signs receipts and settles. */
export const NODE_OPERATOR_ACCOUNT = 5
export const NODE_SIGNER_ACCOUNT = 6
/** The node's share of every paid call of the demo assets (the rest goes to the asset's vault). */
export const DEMO_NODE_FEE_BPS = 1_000

export type ExecutionSeed = { nodeId: bigint; operator: Address; signer: Address; created: boolean }

export async function seedExecution(devnet: Devnet, ppu: PayPerUseSeed, endpoint: string, log: (m: string) => void = () => {}): Promise<ExecutionSeed> {
  const d = devnet.deployments
  const registry = d.contracts.NodeRegistry
  if (!registry) throw new Error('the devnet has no NodeRegistry: restart with --fresh to deploy the execution contracts')
  const chain = localChain(devnet.chainId, devnet.rpcUrl)
  const opKey = devnet.accounts[NODE_OPERATOR_ACCOUNT]!.privateKey as Hex
  const signer = privateKeyToAccount(devnet.accounts[NODE_SIGNER_ACCOUNT]!.privateKey as Hex).address
  const operatorWallet = walletClientFor(devnet.rpcUrl, opKey, chain)
  const operator = operatorWallet.account!.address
  const op = createSaharaClient({ publicClient: devnet.publicClient, walletClient: operatorWallet, deployments: d })

  let nodeId = await findNode(devnet, registry, operator, signer)
  let created = false
  if (nodeId === undefined) {
    const stake = (await readContract(devnet.publicClient, { address: registry, abi: nodeRegistryAbi, functionName: 'minStake' })) as bigint
    const admin = walletClientFor(devnet.rpcUrl, devnet.accounts[0]!.privateKey as Hex, chain)
    const hash = await writeContract(admin, {
      address: d.contracts.SaharaToken, abi: saharaTokenAbi, functionName: 'transfer',
      args: [operator, stake > 0n ? stake : parseEther('1000')], account: admin.account!, chain,
    })
    await waitForTransactionReceipt(devnet.publicClient, { hash })
    nodeId = (await op.registerNode({ endpoint, signer, stake })).nodeId
    created = true
    log(`registered execution node #${nodeId} (operator ${operator}, signer ${signer})`)
  }
  for (const asset of [ppu.model, ppu.agent]) {
    const service = await op.getNodeService({ nodeId, assetId: asset.assetId })
    if (!service.serving) {
      await op.serveAsset({ nodeId, assetId: asset.assetId, feeBps: DEMO_NODE_FEE_BPS })
      created = true
      log(`node #${nodeId} serves asset #${asset.assetId} (node fee ${DEMO_NODE_FEE_BPS / 100}%)`)
    }
  }
  return { nodeId, operator, signer, created }
}

/** The active node registered by `operator` with `signer`, if any (the demo registers one). */
async function findNode(devnet: Devnet, registry: Address, operator: Address, signer: Address): Promise<bigint | undefined> {
  const count = (await readContract(devnet.publicClient, { address: registry, abi: nodeRegistryAbi, functionName: 'nodeCount' })) as bigint
  for (let id = count; id >= 1n; id--) {
    const n = (await readContract(devnet.publicClient, { address: registry, abi: nodeRegistryAbi, functionName: 'node', args: [id] })) as {
      operator: Address
      signer: Address
      status: number
    }
    if (n.operator === operator && n.signer === signer && n.status === 0) return id
  }
  return undefined
}

/**
 * The node config (JSON, as `sahara node start --config` reads it; validate with parseConfig) that
 * serves the seeded ONNX model and agent from the devnet's content store.
 */
export function demoNodeConfig(devnet: Devnet, ppu: PayPerUseSeed, exec: ExecutionSeed, o: { dataDir: string; port: number }): Record<string, unknown> {
  const asset = (a: { assetId: bigint; unitPrice: bigint }, name: string, runtime: 'onnx' | 'agent', description: string) => ({
    assetId: a.assetId.toString(),
    name,
    runtime,
    unitPrice: a.unitPrice.toString(),
    token: ppu.token,
    tokenName: 'Tether USD (Sahara devnet)',
    description,
  })
  const config = {
    dataDir: o.dataDir,
    port: o.port,
    rpcUrl: devnet.rpcUrl,
    deploymentsFile: devnet.deploymentsFile,
    contentDir: devnet.contentDir,
    nodeId: exec.nodeId.toString(),
    signerPrivateKey: devnet.accounts[NODE_SIGNER_ACCOUNT]!.privateKey,
    logLevel: 'info',
    assets: [
      asset(ppu.agent, 'penguin-agent', 'agent', 'Identifies a Palmer penguin species from four body measurements'),
      asset(ppu.model, 'penguins-classifier', 'onnx', 'ONNX MLP trained on the Palmer penguins dataset'),
    ],
  }
  parseConfig(config)
  return config
}

export const defaultNodeDataDir = (devnetDataDir: string) => join(devnetDataDir, '..', 'node')
