// Delegated staking on a deployment: the NodeStaking module (ERC-1967 proxy, like the other
// modules), SaharaVotes (token + staked votes), NodeRegistry's staking hook, the reward tokens and
// the emission schedule streaming the staking rewards reserve. See docs/protocol/staking.md.
import { encodeFunctionData, getAddress, type Abi, type Address, type Hex, type PublicClient } from 'viem'
import type { Deployments } from '@sahara/sdk'
import { loadArtifact } from './artifacts.ts'
import { DeployError } from './deploy.ts'
import type { Wallet } from './tx.ts'

/** Production defaults (NodeStaking's own documentation): 21-day unbonding, 7-day commission delay. */
export const DEFAULT_STAKING_UNBONDING_DELAY = 21 * 24 * 3600
export const DEFAULT_COMMISSION_DELAY = 7 * 24 * 3600
export const DEFAULT_JAIL_PERIOD = 7 * 24 * 3600
/** Highest operator commission: 50%. */
export const DEFAULT_MAX_COMMISSION_BPS = 5000
/** Slash on equivocation evidence: 10% of the node's stake (bond, pool and unbonding pool). */
export const DEFAULT_EQUIVOCATION_SLASH_BPS = 1000
/** The reserve is streamed over 48 months (config/tokenomics.json "unlocks.stakingRewards"). */
export const DEFAULT_EMISSION_DURATION = 48 * 30 * 24 * 3600

/** Devnet values: short waits so unbonding, commission changes and jail can be tried by hand. */
export const DEVNET_STAKING_UNBONDING_DELAY = 60
export const DEVNET_COMMISSION_DELAY = 60
export const DEVNET_JAIL_PERIOD = 120

/** EIP-170: the largest runtime code a public EVM chain accepts. */
const EIP170_LIMIT = 24_576

export type StakingContracts = { NodeStaking: Address; SaharaVotes: Address }

export type DeployStakingOptions = {
  /** The deployer: must own NodeRegistry (it calls setStaking) and becomes NodeStaking's first owner. */
  walletClient: Wallet
  publicClient: PublicClient
  /** The protocol deployment (NodeRegistry, PaymentChannels, tokens, admin, treasury). */
  deployments: Deployments
  /** Seconds between undelegate and withdrawUnbonded (default 21 days). */
  unbondingDelay?: number
  /** Seconds before a commission change applies (default 7 days). */
  commissionDelay?: number
  /** Seconds a slashed node stays jailed at least (default 7 days). */
  jailPeriod?: number
  maxCommissionBps?: number
  equivocationSlashBps?: number
  /** Reward tokens besides SAHARA (always the first). Default: the deployment's USDT. */
  extraRewardTokens?: readonly Address[]
  /** SAHARA moved into the emission reserve now (default 0: fund later with fundStakingReserve). */
  reserve?: bigint
  /** Who pays the reserve (default: the deployer). The seam for the genesis staking-rewards bucket. */
  reserveFunder?: Wallet
  /** The reserve is streamed evenly over this many seconds from now (default 48 months). */
  emissionDuration?: number
  log?: (message: string) => void
}

export type DeployStakingResult = {
  contracts: StakingContracts
  /** NodeStaking's logic contract (record it under implementations.NodeStaking). */
  implementation: Address
  /** The emission schedule set (absent when no reserve was funded). */
  emission?: { ratePerSecond: bigint; start: bigint; end: bigint; reserve: bigint }
  /** Nodes registered before staking existed, synced into NodeStaking. */
  syncedNodes: bigint
}

/** Whether the deployments name both staking contracts. */
export function hasStaking(d: Deployments): boolean {
  return Boolean(d.contracts.NodeStaking && d.contracts.SaharaVotes)
}

/** `reserve / duration` per second, the rest (under one second's worth) stays in the reserve. */
export function emissionRate(reserve: bigint, durationSeconds: number): bigint {
  if (!Number.isSafeInteger(durationSeconds) || durationSeconds <= 0) throw new DeployError(`invalid emission duration ${durationSeconds} (seconds > 0)`)
  return reserve / BigInt(durationSeconds)
}

function checkSeconds(value: number, what: string, max: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw new DeployError(`invalid ${what} ${value} (0 to ${max} seconds)`)
  return value
}

function checkBps(value: number, what: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new DeployError(`invalid ${what} ${value} (${min} to ${max} bps)`)
  return value
}

/** Sends a simulated call (so a revert carries its reason) and waits for success. */
async function send(
  publicClient: PublicClient,
  wallet: Wallet,
  address: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[],
  what: string,
  log: (m: string) => void,
): Promise<Hex> {
  const { request } = await publicClient.simulateContract({ address, abi, functionName, args, account: wallet.account })
  const hash = await wallet.writeContract({ ...(request as object), chain: wallet.chain ?? null } as Parameters<Wallet['writeContract']>[0])
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') {
    const tx = await publicClient.getTransaction({ hash })
    throw new DeployError(`${what} reverted (tx ${hash}, gas used ${receipt.gasUsed} of limit ${tx.gas}, block ${receipt.blockNumber})`)
  }
  log(`${what} (gas ${receipt.gasUsed})`)
  return hash
}

/**
 * Deploys NodeStaking behind an ERC-1967 proxy (initialized in the proxy's constructor, so it is
 * never left uninitialized) and SaharaVotes, points NodeRegistry's staking hook at it, adds the
 * extra reward tokens, funds the emission reserve (when `reserve` > 0) and publishes an even
 * emission schedule over `emissionDuration`. Nodes registered before staking are synced so their
 * bonds carry reward weight. Ownership moves to `deployments.admin` (pending acceptance) when it is
 * not the deployer, like the other modules.
 */
export async function deployStaking(o: DeployStakingOptions): Promise<DeployStakingResult> {
  const { walletClient, publicClient, deployments: d } = o
  const log = o.log ?? (() => {})
  const account = walletClient.account
  const deployer = getAddress(account.address)
  const chain = walletClient.chain ?? null
  const registry = d.contracts.NodeRegistry
  const channels = d.contracts.PaymentChannels
  if (!registry || !channels) throw new DeployError('staking needs NodeRegistry and PaymentChannels in the deployments')
  const unbondingDelay = checkSeconds(o.unbondingDelay ?? DEFAULT_STAKING_UNBONDING_DELAY, 'unbondingDelay', 365 * 24 * 3600)
  const commissionDelay = checkSeconds(o.commissionDelay ?? DEFAULT_COMMISSION_DELAY, 'commissionDelay', 90 * 24 * 3600)
  const jailPeriod = checkSeconds(o.jailPeriod ?? DEFAULT_JAIL_PERIOD, 'jailPeriod', 365 * 24 * 3600)
  const maxCommissionBps = checkBps(o.maxCommissionBps ?? DEFAULT_MAX_COMMISSION_BPS, 'maxCommissionBps', 0, 10_000)
  const slashBps = checkBps(o.equivocationSlashBps ?? DEFAULT_EQUIVOCATION_SLASH_BPS, 'equivocationSlashBps', 1, 5000)
  const reserve = o.reserve ?? 0n
  if (reserve < 0n) throw new DeployError(`invalid reserve ${reserve}`)
  const duration = o.emissionDuration ?? DEFAULT_EMISSION_DURATION
  if (reserve > 0n) emissionRate(reserve, duration) // validates the duration before anything is sent

  const art = {
    NodeStaking: loadArtifact('NodeStaking'),
    SaharaVotes: loadArtifact('SaharaVotes'),
    NodeRegistry: loadArtifact('NodeRegistry'),
    SaharaToken: loadArtifact('SaharaToken'),
    Proxy: loadArtifact('ERC1967Proxy'),
  }

  // NodeRegistry must have the staking hook (an older implementation has no staking()) and be ours to wire.
  try {
    await publicClient.readContract({ address: registry, abi: art.NodeRegistry.abi, functionName: 'staking' })
  } catch (err) {
    throw new DeployError(`NodeRegistry at ${registry} predates staking (no staking() hook): redeploy the devnet with --fresh`, { cause: err })
  }
  const registryOwner = getAddress((await publicClient.readContract({ address: registry, abi: art.NodeRegistry.abi, functionName: 'owner' })) as Address)
  if (registryOwner !== deployer) throw new DeployError(`NodeRegistry is owned by ${registryOwner}, not the deployer ${deployer}: it cannot be wired to staking`)

  async function create(abi: Abi, bytecode: Hex, args: readonly unknown[], what: string): Promise<Address> {
    const hash = await walletClient.deployContract({ abi, bytecode, args, account, chain } as Parameters<Wallet['deployContract']>[0])
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success' || !receipt.contractAddress) throw new DeployError(`${what} deployment failed (tx ${hash})`)
    const at = getAddress(receipt.contractAddress)
    log(`${what} at ${at} (gas ${receipt.gasUsed})`)
    return at
  }
  const call = (address: Address, abi: Abi, fn: string, args: readonly unknown[], what: string, wallet: Wallet = walletClient) =>
    send(publicClient, wallet, address, abi, fn, args, what, log)

  const runtimeSize = (art.NodeStaking.deployedBytecode.length - 2) / 2
  if (runtimeSize > EIP170_LIMIT) {
    log(`warning: NodeStaking's runtime code is ${runtimeSize} bytes, above EIP-170's ${EIP170_LIMIT}: it deploys only where the limit is off (the devnet)`)
  }
  const impl = await create(art.NodeStaking.abi, art.NodeStaking.bytecode, [], 'NodeStaking implementation')
  const init = encodeFunctionData({
    abi: art.NodeStaking.abi,
    functionName: 'initialize',
    args: [deployer, registry, channels, d.treasury, BigInt(unbondingDelay), BigInt(commissionDelay), maxCommissionBps, slashBps, BigInt(jailPeriod)],
  })
  const staking = await create(art.Proxy.abi, art.Proxy.bytecode, [impl, init], 'NodeStaking proxy')
  const votes = await create(art.SaharaVotes.abi, art.SaharaVotes.bytecode, [d.contracts.SaharaToken, staking], 'SaharaVotes')
  await call(registry, art.NodeRegistry.abi, 'setStaking', [staking], 'NodeRegistry.setStaking')

  const stakingAbi = art.NodeStaking.abi
  for (const token of o.extraRewardTokens ?? [d.contracts.USDT]) {
    await call(staking, stakingAbi, 'addRewardToken', [token], `NodeStaking.addRewardToken(${token})`)
  }

  // Bonds of nodes registered before the hook existed: sync them so they earn from now on.
  const nodeCount = (await publicClient.readContract({ address: registry, abi: art.NodeRegistry.abi, functionName: 'nodeCount' })) as bigint
  for (let id = 1n; id <= nodeCount; id++) {
    await call(staking, stakingAbi, 'onSelfBondChanged', [id], `NodeStaking.onSelfBondChanged(${id})`)
  }

  let emission: DeployStakingResult['emission']
  if (reserve > 0n) {
    const funder = o.reserveFunder ?? walletClient
    await call(d.contracts.SaharaToken, art.SaharaToken.abi, 'approve', [staking, reserve], 'SAHARA.approve(NodeStaking)', funder)
    await call(staking, stakingAbi, 'fundEmissions', [reserve], `NodeStaking.fundEmissions(${reserve})`, funder)
    emission = await startEmissions({ owner: walletClient, publicClient, staking, durationSeconds: duration, log })
  }

  const admin = getAddress(d.admin)
  if (admin !== deployer) {
    await call(staking, stakingAbi, 'transferOwnership', [admin], `NodeStaking.transferOwnership(${admin}) (pending acceptance)`)
  }
  return { contracts: { NodeStaking: staking, SaharaVotes: votes }, implementation: impl, ...(emission ? { emission } : {}), syncedNodes: nodeCount }
}

/**
 * Moves `amount` SAHARA from `funder` into NodeStaking's emission reserve (approve + fundEmissions):
 * the seam for the genesis distribution's staking rewards bucket. Returns the fundEmissions tx.
 */
export async function fundStakingReserve(o: {
  funder: Wallet
  publicClient: PublicClient
  deployments: Deployments
  amount: bigint
  log?: (message: string) => void
}): Promise<Hex> {
  const staking = o.deployments.contracts.NodeStaking
  if (!staking) throw new DeployError('the deployments have no NodeStaking to fund')
  if (o.amount <= 0n) throw new DeployError(`invalid staking reserve amount ${o.amount}`)
  const log = o.log ?? (() => {})
  await send(o.publicClient, o.funder, o.deployments.contracts.SaharaToken, loadArtifact('SaharaToken').abi, 'approve', [staking, o.amount], 'SAHARA.approve(NodeStaking)', log)
  return send(o.publicClient, o.funder, staking, loadArtifact('NodeStaking').abi, 'fundEmissions', [o.amount], `NodeStaking.fundEmissions(${o.amount})`, log)
}

/**
 * Publishes an even emission schedule of NodeStaking's whole current reserve over
 * `durationSeconds` from the latest block (owner only: call it before the governance handover),
 * e.g. right after the genesis staking-rewards bucket was moved in with fundStakingReserve.
 */
export async function startEmissions(o: {
  owner: Wallet
  publicClient: PublicClient
  staking: Address
  durationSeconds: number
  log?: (message: string) => void
}): Promise<{ ratePerSecond: bigint; start: bigint; end: bigint; reserve: bigint }> {
  const abi = loadArtifact('NodeStaking').abi
  const reserve = (await o.publicClient.readContract({ address: o.staking, abi, functionName: 'emissionReserve' })) as bigint
  const rate = emissionRate(reserve, o.durationSeconds)
  const start = (await o.publicClient.getBlock({ blockTag: 'latest' })).timestamp
  const end = start + BigInt(o.durationSeconds)
  await send(o.publicClient, o.owner, o.staking, abi, 'setEmissionSchedule', [rate, start, end], `NodeStaking.setEmissionSchedule(${rate}/s)`, o.log ?? (() => {}))
  return { ratePerSecond: rate, start, end, reserve }
}
