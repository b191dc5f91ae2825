// The devnet's node staking: NodeStaking behind an ERC-1967 proxy and the SaharaVotes voting power
// source, wired into NodeRegistry (`setStaking`) with USDT as the second reward token and short
// delays so unbonding, commission changes and jails can be tried by hand. Recorded in the
// deployments file under the optional names NodeStaking and SaharaVotes.
import { encodeFunctionData, getAddress, type Abi, type Address, type Hex, type PublicClient } from 'viem'
import type { Deployments } from '@sahara/sdk'
import { loadArtifact } from './artifacts.ts'
import { DeployError } from './deploy.ts'
import type { Wallet } from './tx.ts'

/** Devnet staking settings: short delays (mainnet defaults: 21 days unbonding, 7 days commission delay). */
export const DEVNET_STAKING = {
  unbondingDelay: 3600n,
  commissionDelay: 600n,
  maxCommissionBps: 5000,
  equivocationSlashBps: 1000,
  jailPeriod: 3600n,
} as const

export type StakingContracts = { NodeStaking: Address; SaharaVotes: Address }

export type DeployStakingOptions = {
  walletClient: Wallet
  publicClient: PublicClient
  /** The protocol deployment: its NodeRegistry is wired, its treasury receives slashes. */
  deployments: Deployments
  settings?: Partial<typeof DEVNET_STAKING>
  log?: (message: string) => void
}

export type DeployStakingResult = { contracts: StakingContracts; implementation: Address }

/**
 * Deploys the NodeStaking implementation and its proxy (initialized in the proxy constructor, owner
 * the deployer), SaharaVotes, adds USDT as a reward token and sets NodeRegistry.staking. The
 * deployer must own NodeRegistry (it does on a fresh devnet). Checks the wiring afterwards.
 */
export async function deployStaking(o: DeployStakingOptions): Promise<DeployStakingResult> {
  const { walletClient, publicClient, deployments: d } = o
  const log = o.log ?? (() => {})
  const s = { ...DEVNET_STAKING, ...o.settings }
  const account = walletClient.account
  const chain = walletClient.chain ?? null
  const registry = d.contracts.NodeRegistry
  const channels = d.contracts.PaymentChannels
  if (!registry || !channels) throw new DeployError('staking needs NodeRegistry and PaymentChannels in the deployments')
  const art = {
    NodeStaking: loadArtifact('NodeStaking'),
    SaharaVotes: loadArtifact('SaharaVotes'),
    NodeRegistry: loadArtifact('NodeRegistry'),
    Proxy: loadArtifact('ERC1967Proxy'),
  }

  async function confirm(hash: Hex, what: string): Promise<Address | undefined> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new DeployError(`${what} reverted (tx ${hash})`)
    log(`${what}${receipt.contractAddress ? ` at ${getAddress(receipt.contractAddress)}` : ''} (gas ${receipt.gasUsed})`)
    return receipt.contractAddress ? getAddress(receipt.contractAddress) : undefined
  }
  async function create(abi: Abi, bytecode: Hex, args: readonly unknown[], what: string): Promise<Address> {
    const hash = await walletClient.deployContract({ abi, bytecode, args, account, chain } as Parameters<Wallet['deployContract']>[0])
    const at = await confirm(hash, what)
    if (!at) throw new DeployError(`${what} created no contract (tx ${hash})`)
    return at
  }
  async function call(address: Address, abi: Abi, functionName: string, args: readonly unknown[], what: string): Promise<void> {
    // Simulate first: a revert then carries its reason instead of failing on-chain.
    const { request } = await publicClient.simulateContract({ address, abi, functionName, args, account })
    await confirm(await walletClient.writeContract({ ...(request as object), chain } as Parameters<Wallet['writeContract']>[0]), what)
  }

  const owner = getAddress((await publicClient.readContract({ address: registry, abi: art.NodeRegistry.abi, functionName: 'owner' })) as Address)
  if (owner !== getAddress(account.address)) {
    throw new DeployError(`NodeRegistry is owned by ${owner}, not the deployer ${account.address}: setStaking needs the owner`)
  }

  const impl = await create(art.NodeStaking.abi, art.NodeStaking.bytecode, [], 'NodeStaking implementation')
  const init = encodeFunctionData({
    abi: art.NodeStaking.abi,
    functionName: 'initialize',
    args: [account.address, registry, channels, d.treasury, s.unbondingDelay, s.commissionDelay, s.maxCommissionBps, s.equivocationSlashBps, s.jailPeriod],
  })
  const staking = await create(art.Proxy.abi, art.Proxy.bytecode, [impl, init], 'NodeStaking proxy')
  const votes = await create(art.SaharaVotes.abi, art.SaharaVotes.bytecode, [d.contracts.SaharaToken, staking], 'SaharaVotes')
  await call(staking, art.NodeStaking.abi, 'addRewardToken', [d.contracts.USDT], 'staking.addRewardToken(USDT)')
  await call(registry, art.NodeRegistry.abi, 'setStaking', [staking], 'nodeRegistry.setStaking(NodeStaking)')

  const wired = getAddress((await publicClient.readContract({ address: registry, abi: art.NodeRegistry.abi, functionName: 'staking' })) as Address)
  if (wired !== staking) throw new DeployError(`NodeRegistry.staking() is ${wired}, not ${staking}`)
  return { contracts: { NodeStaking: staking, SaharaVotes: votes }, implementation: impl }
}

/** Whether the deployments already name the staking contracts. */
export function hasStaking(d: Deployments): boolean {
  return Boolean(d.contracts.NodeStaking && d.contracts.SaharaVotes)
}
