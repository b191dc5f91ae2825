// Genesis: deploy the DAO (timelock, governor, guardian gate), the vesting vault and the airdrop,
// and distribute the whole SAHARA supply exactly once per the tokenomics config. The handover of
// every admin power to the timelock is a separate step (handover.ts) so the devnet can be seeded
// with admin powers in between.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { encodeFunctionData, getAddress, type Abi, type Address, type Hash, type Hex, type PublicClient } from 'viem'
import {
  allocations,
  buildAirdrop,
  parseAirdropCsv,
  parseTokenomics,
  vestingSchedules,
  type Allocation,
  type Deployments,
  type GenesisTransfer,
  type Tokenomics,
} from '@sahara/sdk'
import { loadArtifact, type Artifact } from './artifacts.ts'
import { DeployError } from './deploy.ts'
import { FUNDED_MODULES, loadGovernanceConfig, type FundedModule, type GovernanceConfig, type RecipientRef } from './governanceConfig.ts'
import { missingCode } from './deployments.ts'
import { repoRoot } from './paths.ts'
import type { Wallet } from './tx.ts'

export const DEFAULT_TOKENOMICS_CONFIG = path.join(repoRoot, 'config', 'tokenomics.json')

/**
 * The governor's voting power source: SaharaVotes (token votes + staked votes, so staked and
 * delegated SAHARA keeps its voting power) when the deployment has node staking, else SaharaToken.
 */
export const votesSourceOf = (d: Deployments): Address => d.contracts.SaharaVotes ?? d.contracts.SaharaToken

export type GenesisOptions = {
  walletClient: Wallet
  publicClient: PublicClient
  /** The protocol deployment with its exchange (the liquidity bucket is already in the pool). */
  deployments: Deployments
  /** Default: config/tokenomics.json. */
  tokenomics?: Tokenomics
  /** Default: config/governance.json. */
  governance?: GovernanceConfig
  /** Directory the airdrop list is resolved against (default: the repository's config/). */
  configDir?: string
  /** Overrides votesSourceOf (tests). */
  votesSource?: Address
  /** The addLiquidity transaction that moved the liquidity bucket, when known. */
  liquidityTx?: Hex
  /**
   * Without a SAHARA/USDT pool (a real network where none is created: the opening price is the DAO's
   * decision), send the liquidity bucket to the timelock instead of failing. The DAO seeds the pool
   * by proposal. Default false: genesis needs the pool.
   */
  liquidityToTimelockWithoutPool?: boolean
  log?: (message: string) => void
}

export type GenesisResult = {
  deployments: Deployments
  /** False when the deployments already record a genesis that is present on chain (nothing sent). */
  distributed: boolean
}

const ERC20: Abi = loadArtifact('SaharaToken').abi

/** Tokenomics allocation ids that are not vested, and which config field names their recipient. */
const RECIPIENT_FIELDS: Record<string, keyof GovernanceConfig['genesis'] | 'airdrop' | 'liquidity'> = {
  'community/airdrops': 'airdrop',
  'community/grants': 'grantsRecipient',
  'community/stakingRewards': 'stakingRewardsRecipient',
  'community/treasury': 'treasuryRecipient',
  'community/launchpad': 'launchpadRecipient',
  liquidity: 'liquidity',
}

/** Reads config/tokenomics.json (or `file`). */
export function loadTokenomics(file = DEFAULT_TOKENOMICS_CONFIG): Tokenomics {
  return parseTokenomics(JSON.parse(readFileSync(file, 'utf8')))
}

/** The governance contracts recorded in `d`, when all are present. */
export function hasGenesis(d: Deployments): boolean {
  const c = d.contracts
  return Boolean(d.genesis && d.governance && c.SaharaTimelock && c.SaharaGovernor && c.GuardianGate && c.VestingVault && c.MerkleAirdrop)
}

/**
 * Deploys SaharaTimelock (min delay 0, the deployer as its temporary proposer: handover.ts swaps
 * in the governor and the real delay), GuardianGate, SaharaGovernor, VestingVault (treasury: the
 * timelock) and MerkleAirdrop (owner and sweep receiver: the timelock), then moves every bucket of
 * the tokenomics config to its recipient: team and investors into vault schedules (in batches),
 * airdrops into the airdrop contract, grants / staking rewards / treasury to their seams (the
 * timelock for now), launchpad to its configured recipient. Liquidity is already in the pool.
 * Checks afterwards that the recorded transfers sum to the supply and that the deployer holds
 * exactly what the config leaves it.
 *
 * Idempotent: a deployments file recording a genesis whose contracts have code returns as is; a
 * deployer whose balance is not `supply - liquidity` is refused (a partial or foreign distribution
 * cannot be completed exactly).
 */
export async function deployGenesis(o: GenesisOptions): Promise<GenesisResult> {
  const { walletClient, publicClient } = o
  const log = o.log ?? (() => {})
  const d = o.deployments
  if (hasGenesis(d)) {
    const missing = await missingCode(publicClient, d)
    if (missing.length === 0) return { deployments: d, distributed: false }
    throw new DeployError(`the recorded genesis contracts have no code (${missing.join(', ')}): run with --fresh to deploy again`)
  }
  const t = o.tokenomics ?? loadTokenomics()
  const g = o.governance ?? loadGovernanceConfig().config
  const configDir = o.configDir ?? path.join(repoRoot, 'config')
  const account = walletClient.account
  const deployer = getAddress(account.address)
  const chain = walletClient.chain ?? null
  const sahara = d.contracts.SaharaToken
  const pair = d.contracts.SaharaUsdtPair
  if (!pair && !o.liquidityToTimelockWithoutPool) throw new DeployError('genesis needs the SAHARA/USDT pool (the liquidity bucket goes there): deploy the exchange first')

  const balanceOf = (who: Address) => publicClient.readContract({ address: sahara, abi: ERC20, functionName: 'balanceOf', args: [who] }) as Promise<bigint>
  const supply = (await publicClient.readContract({ address: sahara, abi: ERC20, functionName: 'totalSupply' })) as bigint
  if (supply !== t.supplyWei) throw new DeployError(`SAHARA's supply is ${supply} wei but the tokenomics config distributes ${t.supplyWei}`)
  const all = allocations(t)
  // With a pool the liquidity bucket is in it already; without one genesis moves it to the timelock.
  const liquidity = pair ? all.filter((a) => a.id === 'liquidity').reduce((s, a) => s + a.amount, 0n) : 0n
  const held = await balanceOf(deployer)
  if (held !== supply - liquidity) {
    throw new DeployError(
      `the deployer ${deployer} holds ${held} SAHARA wei, not the undistributed ${supply - liquidity} (${pair ? 'supply minus the liquidity bucket in the pool' : 'the whole supply'}): ` +
        'part of the supply already moved, so genesis cannot distribute it exactly once; run with --fresh',
    )
  }
  const block = await publicClient.getBlock({ blockTag: 'latest' })
  if (BigInt(g.guardian.expiry) <= block.timestamp) {
    throw new DeployError(`guardian.expiry ${new Date(g.guardian.expiry * 1000).toISOString()} is not after the chain time ${new Date(Number(block.timestamp) * 1000).toISOString()}`)
  }

  // Airdrop tree from the configured list: it must fit in the bucket; the rest is swept to the
  // timelock after the claim window.
  const airdropBucket = all.find((a) => a.id === 'community/airdrops')
  const listFile = path.resolve(configDir, g.genesis.airdrop.list)
  const rows = parseAirdropCsv(readFileSync(listFile, 'utf8'), { decimals: t.decimals })
  const tree = buildAirdrop(rows)
  const listed = rows.reduce((s, r) => s + r.amount, 0n)
  if (airdropBucket && listed > airdropBucket.amount) {
    throw new DeployError(`the airdrop list ${listFile} gives ${listed} wei, more than the airdrops bucket's ${airdropBucket.amount}`)
  }

  let nonce = await publicClient.getTransactionCount({ address: deployer, blockTag: 'pending' })
  async function mined(hash: Hash, what: string): Promise<void> {
    const r = await publicClient.waitForTransactionReceipt({ hash })
    if (r.status !== 'success') throw new DeployError(`${what} reverted (tx ${hash})`)
    log(`${what} (gas ${r.gasUsed})`)
  }
  async function create(artifact: Artifact, args: readonly unknown[], what: string): Promise<Address> {
    const hash = await walletClient.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args, account, chain, nonce: nonce++ } as Parameters<Wallet['deployContract']>[0])
    const r = await publicClient.waitForTransactionReceipt({ hash })
    if (r.status !== 'success' || !r.contractAddress) throw new DeployError(`${what} deployment reverted (tx ${hash})`)
    const at = getAddress(r.contractAddress)
    log(`${what} at ${at} (gas ${r.gasUsed})`)
    return at
  }
  async function send(to: Address, abi: Abi, functionName: string, args: readonly unknown[], what: string): Promise<Hash> {
    const hash = await walletClient.sendTransaction({ to, data: encodeFunctionData({ abi, functionName, args }), account, chain, nonce: nonce++ })
    await mined(hash, what)
    return hash
  }

  const art = {
    timelock: loadArtifact('SaharaTimelock'),
    gate: loadArtifact('GuardianGate'),
    governor: loadArtifact('SaharaGovernor'),
    vault: loadArtifact('VestingVault'),
    airdrop: loadArtifact('MerkleAirdrop'),
  }
  const source = o.votesSource ?? votesSourceOf(d)
  const timelock = await create(art.timelock, [0n, deployer, '0x0000000000000000000000000000000000000000'], 'SaharaTimelock (min delay 0 until the handover)')
  const gate = await create(art.gate, [g.guardian.address, timelock, BigInt(g.guardian.expiry)], 'GuardianGate')
  const gv = g.governor
  const governor = await create(
    art.governor,
    [source, timelock, gv.votingDelay, gv.votingPeriod, gv.proposalThreshold, BigInt(gv.quorumPercent), gv.lateQuorumExtension],
    'SaharaGovernor',
  )
  const vault = await create(art.vault, [sahara, timelock, deployer], 'VestingVault')
  const now = Number(block.timestamp)
  const deadline = BigInt(now + g.genesis.airdrop.claimWindowDays * 86_400)
  const airdrop = await create(
    art.airdrop,
    [sahara, tree.root, deadline, timelock, BigInt(now), BigInt(g.genesis.airdrop.vestingDays * 86_400), timelock],
    'MerkleAirdrop',
  )

  const moduleAddress = (name: FundedModule): Address => {
    const at = (d.contracts as Partial<Record<string, Address>>)[name]
    if (!at) throw new DeployError(`config/governance.json sends a genesis bucket to ${name}, but this deployment has no ${name}: deploy it before genesis`)
    return at
  }
  const resolve = (ref: RecipientRef): Address =>
    ref === 'deployer' ? deployer : ref === 'timelock' ? timelock : Object.hasOwn(FUNDED_MODULES, ref) ? moduleAddress(ref as FundedModule) : (ref as Address)
  const transfers: GenesisTransfer[] = []
  const record = (a: Allocation, recipient: Address, txs: Hash[]) => transfers.push({ id: a.id, recipient, amount: a.amount.toString(), txs })

  // Vested buckets: one approval, then createSchedules in batches (each pulls its own total).
  const batch = vestingSchedules(t)
  const vested = all.filter((a) => a.release === 'vesting')
  if (batch.length > 0) {
    const total = batch.reduce((s, b) => s + b.amount, 0n)
    await send(sahara, ERC20, 'approve', [vault, total], `SAHARA.approve(VestingVault, ${total})`)
    const txOf: Hash[] = []
    for (let i = 0; i < batch.length; i += g.genesis.vestingBatchSize) {
      const part = batch.slice(i, i + g.genesis.vestingBatchSize)
      const hash = await send(vault, art.vault.abi, 'createSchedules', [part], `VestingVault.createSchedules(${part.length} schedules)`)
      for (let k = 0; k < part.length; k++) txOf[i + k] = hash
    }
    vested.forEach((a, i) => record(a, vault, [txOf[i]!]))
  }

  for (const a of all) {
    if (a.release === 'vesting') continue
    const field = RECIPIENT_FIELDS[a.id]
    if (!field) throw new DeployError(`the tokenomics allocation "${a.id}" has no genesis recipient (known: ${Object.keys(RECIPIENT_FIELDS).join(', ')})`)
    if (field === 'liquidity' && pair) {
      record(a, pair, o.liquidityTx ? [o.liquidityTx] : [])
      continue
    }
    const ref = field === 'airdrop' ? airdrop : field === 'liquidity' ? 'timelock' : (g.genesis[field] as RecipientRef)
    const to = resolve(ref)
    if (Object.hasOwn(FUNDED_MODULES, ref)) {
      // The module pulls the bucket through its funding function, so it is counted (not a stray balance).
      const fn = FUNDED_MODULES[ref as FundedModule]
      const approveTx = await send(sahara, ERC20, 'approve', [to, a.amount], `SAHARA.approve(${ref}, ${a.amount})`)
      const fundTx = await send(to, loadArtifact(ref).abi, fn, [a.amount], `${ref}.${fn}(${a.amount}) <- ${a.id}`)
      record(a, to, [approveTx, fundTx])
      continue
    }
    // What the config leaves with the deployer stays where it is: no self-transfer.
    const txs = to === deployer ? [] : [await send(sahara, ERC20, 'transfer', [to, a.amount], `SAHARA ${a.id}: ${a.amount} wei -> ${to}`)]
    record(a, to, txs)
  }

  // Proofs: the record sums to the supply; the deployer keeps exactly its named buckets.
  const total = transfers.reduce((s, x) => s + BigInt(x.amount), 0n)
  if (total !== supply) throw new DeployError(`genesis recorded ${total} wei, not the supply ${supply}`)
  const kept = transfers.filter((x) => x.recipient === deployer).reduce((s, x) => s + BigInt(x.amount), 0n)
  const left = await balanceOf(deployer)
  if (left !== kept) throw new DeployError(`after genesis the deployer holds ${left} SAHARA wei, not the ${kept} the config gives it`)
  log(`genesis: ${supply} SAHARA wei distributed in ${transfers.length} allocations; the deployer keeps ${kept}`)

  const out: Deployments = {
    ...d,
    contracts: { ...d.contracts, SaharaTimelock: timelock, SaharaGovernor: governor, GuardianGate: gate, VestingVault: vault, MerkleAirdrop: airdrop },
    governance: { votesSource: source, guardian: g.guardian.address, guardianExpiry: g.guardian.expiry, timelockDelay: g.timelock.minDelay, handedOver: false },
    genesis: { total: supply.toString(), transfers },
  }
  return { deployments: out, distributed: true }
}
