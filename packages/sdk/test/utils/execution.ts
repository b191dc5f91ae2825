/**
 * Deploys the pay-per-use contracts (NodeRegistry, PaymentChannels, ExactPayments) on a test devnet
 * whose deployer predates them, and returns deployments that include them. A no-op when the
 * devnet's deployments already have them (once packages/devnet deploys them itself).
 */
import { writeFileSync } from 'node:fs'
import { loadArtifact } from '@sahara/devnet'
import { encodeFunctionData, parseEther, zeroAddress, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createPublicClient, createWalletClient, defineChain, http } from 'viem'
import { deploymentsToJson, type Deployments } from '../../src/index'

export const TEST_MIN_STAKE = parseEther('1000')
export const TEST_UNBONDING = 60n
export const TEST_CHALLENGE_WINDOW = 60n
export const TEST_MAX_FEE_BPS = 3000

export async function ensureExecutionContracts(p: {
  rpcUrl: string
  chainId: number
  deployments: Deployments
  adminKey: Hex
  /** Rewrite this deployments file with the new addresses (for CLI tests). */
  deploymentsFile?: string
}): Promise<Deployments> {
  const d = p.deployments
  if (d.contracts.NodeRegistry && d.contracts.PaymentChannels && d.contracts.ExactPayments) return d
  const chain = defineChain({ id: p.chainId, name: 'devnet', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [p.rpcUrl] } } })
  const account = privateKeyToAccount(p.adminKey)
  const pub = createPublicClient({ chain, transport: http(p.rpcUrl), pollingInterval: 50 })
  const wallet = createWalletClient({ chain, transport: http(p.rpcUrl), account })
  const proxy = loadArtifact('ERC1967Proxy')
  const deploy = async (abi: unknown, bytecode: Hex, args: unknown[]): Promise<Address> => {
    const hash = await wallet.deployContract({ abi: abi as never, bytecode, args: args as never })
    const r = await pub.waitForTransactionReceipt({ hash })
    if (r.status !== 'success' || !r.contractAddress) throw new Error('deployment failed')
    return r.contractAddress
  }
  const module = async (name: string, init: unknown[]): Promise<Address> => {
    const art = loadArtifact(name)
    // ExactPayments takes its receiver implementation; zero deploys a fresh one.
    const impl = await deploy(art.abi, art.bytecode, name === 'ExactPayments' ? [zeroAddress] : [])
    return deploy(proxy.abi, proxy.bytecode, [impl, encodeFunctionData({ abi: art.abi, functionName: 'initialize', args: init } as never)])
  }
  const nodes = await module('NodeRegistry', [account.address, d.contracts.SaharaToken, d.contracts.AssetRegistry, TEST_MIN_STAKE, TEST_UNBONDING, TEST_MAX_FEE_BPS])
  const channels = await module('PaymentChannels', [account.address, nodes, d.contracts.RevenueVault, TEST_CHALLENGE_WINDOW])
  const exact = await module('ExactPayments', [account.address, nodes, d.contracts.RevenueVault])
  const vault = loadArtifact('RevenueVault')
  for (const c of [channels, exact]) {
    const hash = await wallet.sendTransaction({ to: d.contracts.RevenueVault, data: encodeFunctionData({ abi: vault.abi, functionName: 'setCollector', args: [c, true] } as never) })
    await pub.waitForTransactionReceipt({ hash })
  }
  const out: Deployments = { ...d, contracts: { ...d.contracts, NodeRegistry: nodes, PaymentChannels: channels, ExactPayments: exact } }
  if (p.deploymentsFile) writeFileSync(p.deploymentsFile, `${JSON.stringify(deploymentsToJson(out), null, 2)}\n`)
  return out
}
