// The real-network deployment: the devnet's pipeline minus its dev-only parts (no Uniswap deployment,
// no dev-account committee, no seeding). modules -> exchange (recorded, never deployed) -> GrantPool
// -> NodeStaking -> genesis -> treasury to the timelock -> handover -> verifyHandover. Every step is
// recorded in the deployments file as soon as it is done, so a re-run resumes, and a completed
// deployment sends nothing.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { getAddress, type Address, type PublicClient } from 'viem'
import { parseAirdropCsv, type Deployments, type Tokenomics } from '@sahara/sdk'
import { devAccounts } from './accounts.ts'
import { loadArtifact } from './artifacts.ts'
import { DEV_CHAIN_IDS, DeployError, deployProtocol, type DeployProtocolOptions } from './deploy.ts'
import { writeDeployments } from './deployments.ts'
import { existingExchange, hasExchange } from './exchange.ts'
import { deployGenesis, hasGenesis } from './genesis.ts'
import { FUNDED_MODULES, type GovernanceConfig, type RecipientRef } from './governanceConfig.ts'
import { deployGrantPool } from './grants.ts'
import { handOver, routeTreasury, verifyHandover } from './handover.ts'
import { DEFAULT_EMISSION_DURATION, deployStaking, hasStaking, startEmissions } from './staking.ts'
import type { Wallet } from './tx.ts'

/** How many of anvil's default-mnemonic accounts count as dev accounts (anvil funds 10; tools often derive 20). */
const DEV_ACCOUNTS_CHECKED = 20

/** A governance config that names a dev account (or "deployer") where a real network needs a real address. */
export class DevRecipientError extends Error {
  override readonly name = 'DevRecipientError'
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * On a chain that is not a local dev chain, every address the genesis hands tokens or powers to must
 * be named, and none may be one of anvil's public dev keys: the guardian, each recipient, each
 * airdrop row. "deployer" is refused too (it is dev account #0 on the devnet; on a real network the
 * launchpad bucket goes to a named address, not to a hot deployment key). "timelock" and the funded
 * modules are contracts of the deployment itself and stay allowed.
 * Throws DevRecipientError naming the config path.
 */
export function checkRealRecipients(chainId: number, g: GovernanceConfig, airdropRows: readonly { account: Address }[], file = 'the governance config'): void {
  if (DEV_CHAIN_IDS.includes(chainId)) return
  const dev = new Map(devAccounts(DEV_ACCOUNTS_CHECKED).map((a, i) => [a.address, i]))
  const where = `chain ${chainId} is not a local dev chain`
  const checkAddress = (p: string, a: Address) => {
    const i = dev.get(getAddress(a))
    if (i !== undefined) throw new DevRecipientError(p, `${file}: ${p} is anvil dev account #${i} (${a}), whose private key is public; ${where}: name a real address.`)
  }
  checkAddress('guardian.address', g.guardian.address)
  const refs: [string, RecipientRef][] = [
    ['genesis.launchpadRecipient', g.genesis.launchpadRecipient],
    ['genesis.grantsRecipient', g.genesis.grantsRecipient],
    ['genesis.stakingRewardsRecipient', g.genesis.stakingRewardsRecipient],
    ['genesis.treasuryRecipient', g.genesis.treasuryRecipient],
  ]
  for (const [p, ref] of refs) {
    if (ref === 'timelock' || Object.hasOwn(FUNDED_MODULES, ref)) continue
    if (ref === 'deployer') {
      throw new DevRecipientError(p, `${file}: ${p} is "deployer" (dev account #0 on the devnet); ${where}: real deployments name the recipient's address.`)
    }
    checkAddress(p, ref as Address)
  }
  airdropRows.forEach((r, i) => checkAddress(`genesis.airdrop.list row ${i + 1}`, r.account))
}

export type DeployPipelineOptions = {
  walletClient: Wallet
  publicClient: PublicClient
  /** Holds `<chainId>.json`; reused on a re-run. */
  deploymentsDir: string
  tokenomics: Tokenomics
  governance: GovernanceConfig
  /** Directory the governance config's airdrop list is resolved against (the config file's). */
  configDir: string
  /** An existing Uniswap v2 router to record; without one no pool is created and the liquidity bucket goes to the timelock. */
  uniswapRouter?: Address
  /** The GrantPool committee (default none: only the DAO approves grants until it elects one). */
  grantsCommittee?: Address
  /** Passed to deployProtocol (fee, stablecoin, durations, rpcUrl, force). Never admin/treasury: both end at the timelock. */
  protocol?: Omit<DeployProtocolOptions, 'walletClient' | 'publicClient' | 'deploymentsDir' | 'admin' | 'treasury' | 'log'>
  log?: (message: string) => void
}

export type DeployPipelineResult = {
  deployments: Deployments
  file: string
  /** Transactions sent by this run (0 for a completed deployment). */
  transactions: number
}

/** Runs the whole pipeline (see the file comment) and returns the verified, handed-over deployment. */
export async function deployPipeline(o: DeployPipelineOptions): Promise<DeployPipelineResult> {
  const { walletClient, publicClient } = o
  const log = o.log ?? (() => {})
  const deployer = getAddress(walletClient.account.address)
  const chainId = await publicClient.getChainId()
  const dir = o.deploymentsDir
  // Refuse a config naming dev keys before anything is sent.
  const listFile = path.resolve(o.configDir, o.governance.genesis.airdrop.list)
  const rows = parseAirdropCsv(readFileSync(listFile, 'utf8'), { decimals: o.tokenomics.decimals })
  checkRealRecipients(chainId, o.governance, rows)
  const nonce0 = await publicClient.getTransactionCount({ address: deployer, blockTag: 'pending' })

  const protocol = await deployProtocol({ walletClient, publicClient, deploymentsDir: dir, ...o.protocol, log })
  let d = protocol.deployments
  const file = protocol.file!
  const save = (next: Deployments) => {
    d = next
    writeDeployments(dir, d)
  }

  // Exchange: only recorded. Creating the pool needs USDT at an opening price, a decision for the DAO.
  if (!hasGenesis(d) && !d.contracts.UniswapV2Router02 && o.uniswapRouter) {
    const exchange = await existingExchange(publicClient, d, o.uniswapRouter)
    save({ ...d, contracts: { ...d.contracts, ...exchange } })
    log(`recorded the existing Uniswap v2 deployment: ${JSON.stringify(exchange)}`)
  }
  if (!hasGenesis(d) && !d.contracts.SaharaUsdtPair) {
    log(
      `No SAHARA/USDT pool is created (${o.uniswapRouter ? 'the router has no such pair' : 'no --uniswap-router given'}): ` +
        'the liquidity bucket goes to the DAO timelock, which seeds the pool by proposal at a price it decides.',
    )
  } else if (!hasGenesis(d) && hasExchange(d)) {
    // An existing pool we did not seed: genesis would book the bucket as already inside it, which it is not.
    throw new DeployError(`a SAHARA/USDT pair ${d.contracts.SaharaUsdtPair} already exists and was not seeded by this deployment: genesis cannot book the liquidity bucket into it`)
  }

  if (!d.contracts.GrantPool) {
    if (hasGenesis(d)) throw new DeployError('the deployments record a genesis but no GrantPool: cannot add an unfunded pool now')
    const grants = await deployGrantPool({ walletClient, publicClient, deployments: d, owner: deployer, committee: o.grantsCommittee, log })
    save({ ...d, contracts: { ...d.contracts, GrantPool: grants.GrantPool }, implementations: { ...d.implementations, GrantPool: grants.implementation } })
  }
  if (!hasStaking(d)) {
    if (hasGenesis(d)) throw new DeployError('the deployments record a genesis but no node staking: cannot add it now')
    // The reserve is the genesis staking-rewards bucket; the schedule starts right after genesis.
    const staking = await deployStaking({ walletClient, publicClient, deployments: d, reserve: 0n, log })
    save({ ...d, contracts: { ...d.contracts, ...staking.contracts }, implementations: { ...d.implementations, NodeStaking: staking.implementation } })
  }
  if (!hasGenesis(d)) {
    const g = await deployGenesis({
      walletClient,
      publicClient,
      deployments: d,
      tokenomics: o.tokenomics,
      governance: o.governance,
      configDir: o.configDir,
      liquidityToTimelockWithoutPool: true,
      log,
    })
    save(g.deployments)
  }
  // The staking rewards bucket is in the reserve: publish its 48-month schedule while the deployer
  // still owns NodeStaking (checked on chain, so a run stopped right after genesis resumes here).
  if (!d.governance?.handedOver && d.contracts.NodeStaking) {
    const abi = loadArtifact('NodeStaking').abi
    const at = { address: d.contracts.NodeStaking, abi } as const
    const [[rate], reserve] = (await Promise.all([
      publicClient.readContract({ ...at, functionName: 'emissionSchedule' }),
      publicClient.readContract({ ...at, functionName: 'emissionReserve' }),
    ])) as [readonly [bigint, bigint, bigint, bigint], bigint]
    if (rate === 0n && reserve > 0n) {
      await startEmissions({ owner: walletClient, publicClient, staking: d.contracts.NodeStaking, durationSeconds: DEFAULT_EMISSION_DURATION, log })
    }
  }
  if (!d.governance?.handedOver) save((await routeTreasury({ walletClient, publicClient, deployments: d, log })).deployments)
  const h = await handOver({ walletClient, publicClient, deployments: d, log })
  if (h.handedOver) save(h.deployments)
  const check = await verifyHandover(publicClient, d)
  if (!check.ok) throw new DeployError(`the deployment is not handed over: ${check.problems.join('; ')}`)
  const transactions = (await publicClient.getTransactionCount({ address: deployer, blockTag: 'pending' })) - nonce0
  return { deployments: d, file, transactions }
}
