// The handover: every admin power of the protocol moves to the DAO timelock, and the deployer's
// temporary timelock roles end, in one timelock batch (so it is all-or-nothing on chain).
import { encodeFunctionData, getAddress, keccak256, toHex, zeroHash, type Abi, type Address, type Hash, type Hex, type PublicClient } from 'viem'
import { MODULE_NAMES, type Deployments } from '@sahara/sdk'
import { loadArtifact } from './artifacts.ts'
import { DeployError } from './deploy.ts'
import { loadUniswapArtifact } from './exchange.ts'
import type { Wallet } from './tx.ts'

export type HandoverOptions = {
  walletClient: Wallet
  publicClient: PublicClient
  /** Deployments with a genesis (deployGenesis). */
  deployments: Deployments
  log?: (message: string) => void
}

export type HandoverResult = { deployments: Deployments; handedOver: boolean }

/** Optional UUPS modules the timelock must own whenever a deployment has them. */
export const OWNED_OPTIONAL_MODULES = ['GrantPool', 'NodeStaking'] as const

/** Everything the timelock must own: the upgradeable modules and the Ownable2Step token contracts. */
export function ownedContracts(d: Deployments): { name: string; address: Address; abi: Abi }[] {
  const list = MODULE_NAMES.map((m) => ({ name: m as string, address: d.contracts[m], abi: loadArtifact(m).abi }))
  if (d.contracts.VestingVault) list.push({ name: 'VestingVault', address: d.contracts.VestingVault, abi: loadArtifact('VestingVault').abi })
  if (d.contracts.MerkleAirdrop) list.push({ name: 'MerkleAirdrop', address: d.contracts.MerkleAirdrop, abi: loadArtifact('MerkleAirdrop').abi })
  // Modules deployed outside deployProtocol (optional names) are governed the same way.
  for (const name of OWNED_OPTIONAL_MODULES) {
    const address = d.contracts[name]
    if (address) list.push({ name, address, abi: loadArtifact(name).abi })
  }
  return list
}

/** The modules the guardian gate may pause (every ProtocolModule: they all implement IPausable). */
export function pausableModules(d: Deployments): { name: string; address: Address; abi: Abi }[] {
  const list = MODULE_NAMES.map((m) => ({ name: m as string, address: d.contracts[m], abi: loadArtifact(m).abi }))
  if (d.contracts.GrantPool) list.push({ name: 'GrantPool', address: d.contracts.GrantPool, abi: loadArtifact('GrantPool').abi })
  if (d.contracts.NodeStaking) list.push({ name: 'NodeStaking', address: d.contracts.NodeStaking, abi: loadArtifact('NodeStaking').abi })
  return list
}

/**
 * Every place protocol money is sent to "the treasury": the fee pool of the vault (every collector's
 * protocol fee), slashed stake, revoked vesting, swept airdrop tokens. Each module's `treasury()` must
 * be the timelock; `setTreasury` is the owner setter that moves it.
 */
export function treasuryDestinations(d: Deployments): { name: string; address: Address; abi: Abi; what: string }[] {
  const list = [{ name: 'RevenueVault', address: d.contracts.RevenueVault, abi: loadArtifact('RevenueVault').abi, what: 'protocol fees' }]
  if (d.contracts.NodeStaking) list.push({ name: 'NodeStaking', address: d.contracts.NodeStaking, abi: loadArtifact('NodeStaking').abi, what: 'slashed stake' })
  if (d.contracts.VestingVault) list.push({ name: 'VestingVault', address: d.contracts.VestingVault, abi: loadArtifact('VestingVault').abi, what: 'revoked vesting' })
  if (d.contracts.MerkleAirdrop) list.push({ name: 'MerkleAirdrop', address: d.contracts.MerkleAirdrop, abi: loadArtifact('MerkleAirdrop').abi, what: 'unclaimed airdrop' })
  return list
}

/** Whether genesis put the liquidity bucket into the SAHARA/USDT pool (so LP tokens exist and are the treasury's). */
function pooledAtGenesis(d: Deployments): boolean {
  const pair = d.contracts.SaharaUsdtPair
  return Boolean(pair && d.genesis?.transfers.some((x) => x.id === 'liquidity' && getAddress(x.recipient) === getAddress(pair)))
}

const lpBalance = async (publicClient: PublicClient, pair: Address, who: Address): Promise<bigint> =>
  (await publicClient.readContract({ address: pair, abi: loadUniswapArtifact('UniswapV2Pair').abi, functionName: 'balanceOf', args: [who] })) as bigint

/**
 * Problems with the treasury: every module's treasury() is the timelock, the deployments file names
 * it, and the LP tokens of the pool seeded at genesis are the timelock's (none left with the deployer).
 */
export async function verifyTreasury(publicClient: PublicClient, d: Deployments): Promise<string[]> {
  const timelock = d.contracts.SaharaTimelock
  if (!timelock) return ['no timelock recorded: the treasury cannot be the DAO']
  const problems: string[] = []
  for (const c of treasuryDestinations(d)) {
    const at = getAddress((await publicClient.readContract({ address: c.address, abi: c.abi, functionName: 'treasury' })) as Address)
    if (at !== timelock) problems.push(`${c.name}.treasury() (${c.what}) is ${at}, not the timelock ${timelock}: call ${c.name}.setTreasury(timelock)`)
  }
  if (getAddress(d.treasury) !== timelock) problems.push(`the deployments file names ${d.treasury} as the treasury, not the timelock ${timelock}`)
  const pair = d.contracts.SaharaUsdtPair
  if (pair && pooledAtGenesis(d)) {
    const left = await lpBalance(publicClient, pair, d.deployer)
    if (left > 0n) problems.push(`the deployer still holds ${left} LP tokens of the SAHARA/USDT pool ${pair}: transfer them to the timelock`)
    if ((await lpBalance(publicClient, pair, timelock)) === 0n) problems.push(`the timelock holds no LP tokens of the SAHARA/USDT pool ${pair}`)
  }
  return problems
}

export type RouteTreasuryResult = { deployments: Deployments; sent: number }

/**
 * Points every treasury destination at the timelock while the deployer still owns the modules
 * (owner setters), and moves the deployer's LP tokens of the genesis pool to it. Run right after
 * genesis (the timelock's deployment) so that nothing paid before the handover (the seeded demo's
 * fees) lands anywhere else; handOver runs it again, so a deployment can never be handed over with
 * a treasury left behind. Idempotent: sends only what is still missing.
 */
export async function routeTreasury(o: HandoverOptions): Promise<RouteTreasuryResult> {
  const { walletClient, publicClient } = o
  const log = o.log ?? (() => {})
  const d = o.deployments
  const timelock = d.contracts.SaharaTimelock
  if (!timelock) throw new DeployError('the treasury is the DAO timelock: run the genesis first')
  const account = walletClient.account
  const deployer = getAddress(account.address)
  const chain = walletClient.chain ?? null
  let sent = 0
  async function send(to: Address, abi: Abi, functionName: string, args: readonly unknown[], what: string): Promise<void> {
    const hash = await walletClient.sendTransaction({ to, data: encodeFunctionData({ abi, functionName, args }), account, chain })
    const r = await publicClient.waitForTransactionReceipt({ hash })
    if (r.status !== 'success') throw new DeployError(`${what} reverted (tx ${hash})`)
    sent++
    log(`${what} (gas ${r.gasUsed})`)
  }
  for (const c of treasuryDestinations(d)) {
    const at = getAddress((await publicClient.readContract({ address: c.address, abi: c.abi, functionName: 'treasury' })) as Address)
    if (at === timelock) continue
    const owner = getAddress((await publicClient.readContract({ address: c.address, abi: c.abi, functionName: 'owner' })) as Address)
    if (owner !== deployer) {
      throw new DeployError(`${c.name}.treasury() is ${at}, not the timelock, and ${c.name} is owned by ${owner}, not the deployer: only a governance proposal calling ${c.name}.setTreasury(timelock) can fix it`)
    }
    await send(c.address, c.abi, 'setTreasury', [timelock], `${c.name}.setTreasury(timelock) (${c.what})`)
  }
  const pair = d.contracts.SaharaUsdtPair
  if (pair && pooledAtGenesis(d)) {
    const lp = await lpBalance(publicClient, pair, deployer)
    if (lp > 0n) await send(pair, loadUniswapArtifact('UniswapV2Pair').abi, 'transfer', [timelock, lp], `SAHARA/USDT LP tokens: ${lp} -> timelock`)
  }
  return { deployments: { ...d, treasury: timelock }, sent }
}

export const ROLES = {
  DEFAULT_ADMIN_ROLE: zeroHash,
  PROPOSER_ROLE: keccak256(toHex('PROPOSER_ROLE')),
  EXECUTOR_ROLE: keccak256(toHex('EXECUTOR_ROLE')),
  CANCELLER_ROLE: keccak256(toHex('CANCELLER_ROLE')),
} as const

export type HandoverCheck = { ok: boolean; problems: string[] }

/**
 * Reads the chain: every owned contract's owner() is the timelock, every treasury destination and
 * the genesis pool's LP tokens are the timelock's (verifyTreasury), the deployer holds no timelock
 * role, the governor proposes and cancels, the guardian gate cancels and may pause every module,
 * the delay is the configured one.
 */
export async function verifyHandover(publicClient: PublicClient, d: Deployments): Promise<HandoverCheck> {
  const problems: string[] = []
  const timelock = d.contracts.SaharaTimelock
  const governor = d.contracts.SaharaGovernor
  const gate = d.contracts.GuardianGate
  if (!timelock || !governor || !gate || !d.governance) return { ok: false, problems: ['no governance contracts recorded'] }
  const tl = loadArtifact('SaharaTimelock').abi
  for (const c of ownedContracts(d)) {
    const owner = getAddress((await publicClient.readContract({ address: c.address, abi: c.abi, functionName: 'owner' })) as Address)
    if (owner !== timelock) problems.push(`${c.name}.owner() is ${owner}, not the timelock`)
  }
  const has = (role: Hex, who: Address) => publicClient.readContract({ address: timelock, abi: tl, functionName: 'hasRole', args: [role, who] }) as Promise<boolean>
  for (const [name, role] of Object.entries(ROLES)) {
    if (await has(role, d.deployer)) problems.push(`the deployer still holds the timelock's ${name}`)
  }
  if (!(await has(ROLES.PROPOSER_ROLE, governor))) problems.push('the governor is not a timelock proposer')
  if (!(await has(ROLES.CANCELLER_ROLE, governor))) problems.push('the governor is not a timelock canceller')
  if (!(await has(ROLES.CANCELLER_ROLE, gate))) problems.push('the guardian gate is not a timelock canceller')
  for (const m of pausableModules(d)) {
    const ok = (await publicClient.readContract({ address: m.address, abi: m.abi, functionName: 'isPauser', args: [gate] })) as boolean
    if (!ok) problems.push(`the guardian gate is not a pauser of ${m.name}`)
  }
  problems.push(...(await verifyTreasury(publicClient, d)))
  const delay = (await publicClient.readContract({ address: timelock, abi: tl, functionName: 'getMinDelay' })) as bigint
  if (delay !== BigInt(d.governance.timelockDelay)) problems.push(`the timelock delay is ${delay}s, not ${d.governance.timelockDelay}s`)
  if (d.contracts.UniswapV2Factory) {
    const abi = loadUniswapArtifact('UniswapV2Factory').abi
    const setter = getAddress((await publicClient.readContract({ address: d.contracts.UniswapV2Factory, abi, functionName: 'feeToSetter' })) as Address)
    if (setter !== timelock && setter === d.deployer) problems.push(`the exchange's feeToSetter is still the deployer`)
  }
  return { ok: problems.length === 0, problems }
}

/**
 * Hands every admin power to the timelock:
 *  0. routeTreasury: every treasury destination and the genesis LP tokens go to the timelock;
 *  1. the deployer calls transferOwnership(timelock) on every module and the vesting vault (pending,
 *     Ownable2Step), and moves the devnet exchange's feeToSetter to the timelock;
 *  2. as the timelock's temporary proposer with delay 0 it schedules and executes ONE batch:
 *     acceptOwnership() everywhere, PROPOSER + CANCELLER to the governor, CANCELLER to the guardian
 *     gate, setPauser(gate) on every module, the deployer's PROPOSER + CANCELLER revoked,
 *     updateDelay(the configured delay);
 *  3. verifies all of it on chain.
 * Idempotent: a recorded, verified handover sends nothing.
 */
export async function handOver(o: HandoverOptions): Promise<HandoverResult> {
  const { walletClient, publicClient } = o
  const log = o.log ?? (() => {})
  const d = o.deployments
  const g = d.governance
  const timelock = d.contracts.SaharaTimelock
  const governor = d.contracts.SaharaGovernor
  const gate = d.contracts.GuardianGate
  if (!g || !timelock || !governor || !gate) throw new DeployError('the handover needs the governance contracts: run the genesis first')
  if (g.handedOver) {
    const check = await verifyHandover(publicClient, d)
    if (check.ok) return { deployments: d, handedOver: false }
    throw new DeployError(`the deployments record a handover but the chain disagrees: ${check.problems.join('; ')}`)
  }
  // The treasury first, while the deployer still owns the modules (their setters are onlyOwner).
  const routed = await routeTreasury(o)
  const d1 = routed.deployments
  const account = walletClient.account
  const deployer = getAddress(account.address)
  const chain = walletClient.chain ?? null
  let nonce = await publicClient.getTransactionCount({ address: deployer, blockTag: 'pending' })
  async function send(to: Address, abi: Abi, functionName: string, args: readonly unknown[], what: string): Promise<Hash> {
    const data = encodeFunctionData({ abi, functionName, args })
    const hash = await walletClient.sendTransaction({ to, data, account, chain, nonce: nonce++ })
    const r = await publicClient.waitForTransactionReceipt({ hash })
    if (r.status !== 'success') throw new DeployError(`${what} reverted (tx ${hash})`)
    log(`${what} (gas ${r.gasUsed})`)
    return hash
  }

  const owned = ownedContracts(d).filter((c) => c.name !== 'MerkleAirdrop') // the airdrop is the timelock's from its constructor
  const targets: Address[] = []
  const payloads: Hex[] = []
  for (const c of owned) {
    const owner = getAddress((await publicClient.readContract({ address: c.address, abi: c.abi, functionName: 'owner' })) as Address)
    if (owner === timelock) continue
    if (owner !== deployer) throw new DeployError(`${c.name}.owner() is ${owner}, neither the deployer nor the timelock: cannot hand it over`)
    await send(c.address, c.abi, 'transferOwnership', [timelock], `${c.name}.transferOwnership(timelock)`)
    targets.push(c.address)
    payloads.push(encodeFunctionData({ abi: c.abi, functionName: 'acceptOwnership' }))
  }
  if (d.contracts.UniswapV2Factory) {
    const abi = loadUniswapArtifact('UniswapV2Factory').abi
    const setter = getAddress((await publicClient.readContract({ address: d.contracts.UniswapV2Factory, abi, functionName: 'feeToSetter' })) as Address)
    if (setter === deployer) await send(d.contracts.UniswapV2Factory, abi, 'setFeeToSetter', [timelock], 'UniswapV2Factory.setFeeToSetter(timelock)')
  }
  // The gate becomes a pauser of every module (after the acceptOwnership calls above: the timelock is then the owner).
  for (const m of pausableModules(d)) {
    const already = (await publicClient.readContract({ address: m.address, abi: m.abi, functionName: 'isPauser', args: [gate] })) as boolean
    if (already) continue
    targets.push(m.address)
    payloads.push(encodeFunctionData({ abi: m.abi, functionName: 'setPauser', args: [gate, true] }))
  }
  const tl = loadArtifact('SaharaTimelock').abi
  const self = (functionName: string, args: readonly unknown[]) => {
    targets.push(timelock)
    payloads.push(encodeFunctionData({ abi: tl, functionName, args }))
  }
  self('grantRole', [ROLES.PROPOSER_ROLE, governor])
  self('grantRole', [ROLES.CANCELLER_ROLE, governor])
  self('grantRole', [ROLES.CANCELLER_ROLE, gate])
  self('revokeRole', [ROLES.PROPOSER_ROLE, deployer])
  self('revokeRole', [ROLES.CANCELLER_ROLE, deployer])
  self('updateDelay', [BigInt(g.timelockDelay)])
  const values = targets.map(() => 0n)
  const salt = keccak256(toHex('sahara genesis handover'))
  await send(timelock, tl, 'scheduleBatch', [targets, values, payloads, zeroHash, salt, 0n], `timelock.scheduleBatch(handover: ${targets.length} calls, delay 0)`)
  const handoverTx = await send(timelock, tl, 'executeBatch', [targets, values, payloads, zeroHash, salt], 'timelock.executeBatch(handover)')

  const out: Deployments = { ...d1, admin: timelock, governance: { ...g, handedOver: true, handoverTx } }
  const check = await verifyHandover(publicClient, out)
  if (!check.ok) throw new DeployError(`the handover did not take: ${check.problems.join('; ')}`)
  log(`handover: every module, the vesting vault, the airdrop, the exchange fee setter, every treasury destination and the pool's LP tokens belong to the timelock ${timelock}; the deployer holds no timelock role; the guardian gate may pause every module`)
  return { deployments: out, handedOver: true }
}
