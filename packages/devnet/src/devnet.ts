import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Address, Hex, PublicClient } from 'viem'
import { devAccounts, type DevAccount } from './accounts.ts'
import { AnvilStartError, startAnvil, type AnvilInstance } from './anvil.ts'
import { localChain, publicClientFor, walletClientFor } from './clients.ts'
import { DeployError, deployProtocol } from './deploy.ts'
import { deployExchange, hasExchange, type DeployExchangeResult } from './exchange.ts'
import { DEVNET_GRANTS_BUDGET, DEVNET_GRANTS_COMMITTEE_INDEX, deployGrantPool, type DeployGrantPoolResult } from './grants.ts'
import type { Deployments } from '@sahara/sdk'
import { staleCode, writeDeployments } from './deployments.ts'
import { contentDirFor, defaultDataDir } from './paths.ts'
import { lockDataDir } from './lock.ts'
import { seedDevnet, type SeedResult } from './seed.ts'
import { deployGenesis, hasGenesis } from './genesis.ts'
import { handOver, routeTreasury } from './handover.ts'
import {
  DEVNET_COMMISSION_DELAY,
  DEVNET_JAIL_PERIOD,
  DEVNET_STAKING_UNBONDING_DELAY,
  DEFAULT_EMISSION_DURATION,
  deployStaking,
  hasStaking,
  startEmissions,
  type DeployStakingResult,
} from './staking.ts'

export const DEVNET_CHAIN_ID = 31337
/** NodeRegistry unbonding delay on the devnet: 1 hour (production default 7 days). */
export const DEVNET_UNBONDING_DELAY = 3600
/** PaymentChannels challenge window on the devnet: 1 hour (production default 1 day). */
export const DEVNET_CHALLENGE_WINDOW = 3600

export interface StartDevnetOptions {
  /** Holds `anvil-state.json` and `deployments/<chainId>.json`. Default `<repo>/.sahara/devnet`. */
  dataDir?: string
  /** RPC port; 0 (default) = any free port. */
  port?: number
  /** When `port` is taken, use a free port instead of failing (default false). */
  portFallback?: boolean
  /** Register the demo assets (the licensing demo once; the pay-per-use demo whenever missing). */
  seed?: boolean
  /** Content store for seeded artifacts. Default `contentDirFor(dataDir)` (`.sahara/content`). */
  contentDir?: string
  /** Discard the saved chain state and deployments first. */
  fresh?: boolean
  /** The GrantPool committee (default: dev account DEVNET_GRANTS_COMMITTEE_INDEX). */
  grantsCommittee?: Address
  /**
   * Chain id of the anvil chain (default DEVNET_CHAIN_ID). Another id lets a test stand in for a
   * chain that clients know by id, such as 84532 (x402 v1's "base-sepolia"); the devnet still
   * deploys its own open-faucet stablecoin there.
   */
  chainId?: number
  /** Progress messages (default: silent). */
  log?: (message: string) => void
}

export interface Devnet {
  readonly rpcUrl: string
  readonly port: number
  readonly chainId: number
  readonly deployments: Deployments
  readonly deploymentsFile: string
  readonly dataDir: string
  readonly stateFile: string
  /** Content store directory (seeded artifacts live here; a node serves from it). */
  readonly contentDir: string
  /** Anvil's funded dev accounts (public keys from the default mnemonic: never use on a real chain). */
  readonly accounts: DevAccount[]
  /** Whether the deployment was reused from a previous run. */
  readonly reused: boolean
  /** True when `port` was busy and another one was chosen. */
  readonly portFellBack: boolean
  readonly seed?: SeedResult
  /** The SAHARA/USDT exchange deployed by this start (absent when it was already recorded). */
  readonly exchange?: DeployExchangeResult
  /** The GrantPool deployed by this start (absent when it was already recorded). */
  readonly grants?: DeployGrantPoolResult
  /** Node staking deployed by this start (absent when it was already recorded). */
  readonly staking?: DeployStakingResult
  readonly anvil: AnvilInstance
  readonly publicClient: PublicClient
  /** Stops anvil (it writes its final state first). */
  stop(): Promise<void>
}

/**
 * Starts a persistent local devnet: anvil with its state in `dataDir`, the protocol deployed once
 * (reused on every later start), optionally seeded with demo assets.
 */
export async function startDevnet(options: StartDevnetOptions = {}): Promise<Devnet> {
  const log = options.log ?? (() => {})
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir)
  const stateFile = path.join(dataDir, 'anvil-state.json')
  const deploymentsDir = path.join(dataDir, 'deployments')
  const contentDir = path.resolve(options.contentDir ?? contentDirFor(dataDir))
  mkdirSync(dataDir, { recursive: true })
  const unlock = lockDataDir(dataDir, path.join(dataDir, 'devnet.pid'))
  if (options.fresh) {
    rmSync(stateFile, { force: true })
    rmSync(deploymentsDir, { recursive: true, force: true })
  }

  let anvil: AnvilInstance
  let portFellBack: boolean
  try {
    ;({ anvil, portFellBack } = await launch(stateFile, options.port ?? 0, options.portFallback ?? false, options.chainId ?? DEVNET_CHAIN_ID, log))
  } catch (err) {
    unlock()
    throw err
  }
  anvil.process.once('exit', unlock)
  try {
    const chain = localChain(options.chainId ?? DEVNET_CHAIN_ID, anvil.rpcUrl)
    const publicClient = publicClientFor(anvil.rpcUrl, chain)
    const chainId = await publicClient.getChainId()
    const accounts = devAccounts(10)
    const deployer = accounts[0]!
    const walletClient = walletClientFor(anvil.rpcUrl, deployer.privateKey, chain)
    const { deployments, file, reused } = await deployProtocol({
      walletClient,
      publicClient,
      // No treasury here: the deployer holds it until genesis deploys the timelock, which then
      // becomes every module's treasury (routeTreasury) before anything is paid.
      // Short waits so exits and channel closes can be tried by hand (defaults: 7 days, 1 day).
      unbondingDelay: DEVNET_UNBONDING_DELAY,
      challengeWindow: DEVNET_CHALLENGE_WINDOW,
      deploymentsDir,
      rpcUrl: anvil.rpcUrl,
      // a devnet always runs on its own anvil, whatever id that chain carries
      allowDevStablecoin: true,
      log,
    })
    if (reused) {
      const stale = await staleCode(publicClient, deployments)
      if (stale.length > 0) {
        log(
          `warning: this devnet was deployed from older contract code (${stale.join(', ')}); ` +
            'run `npm start -- --fresh` to redeploy the current contracts (discards the devnet chain state)',
        )
      }
    }
    // The SAHARA/USDT exchange: deployed with a fresh devnet, or added to one recorded before it existed.
    let exchange: DeployExchangeResult | undefined
    if (!hasExchange(deployments)) {
      if (reused) log('this devnet has no SAHARA/USDT exchange yet; deploying it')
      exchange = await deployExchange({ walletClient, publicClient, deployments, log })
    }
    // The developer grant pool: deployed with a fresh devnet, or added to one recorded before it existed.
    // Genesis funds it with the tokenomics "grants" bucket (config/governance.json: grantsRecipient) and
    // the handover gives it to the timelock like every module.
    let grants: DeployGrantPoolResult | undefined
    if (!deployments.contracts.GrantPool && hasGenesis(deployments)) {
      // Its genesis has passed and the timelock owns everything: a pool added now would be unfunded and the deployer's.
      log('warning: this devnet has no GrantPool; run `npm start -- --fresh` to deploy one')
    } else if (!deployments.contracts.GrantPool) {
      if (reused) log('this devnet has no GrantPool yet; deploying it')
      grants = await deployGrantPool({
        walletClient,
        publicClient,
        deployments,
        committee: options.grantsCommittee ?? accounts[DEVNET_GRANTS_COMMITTEE_INDEX]!.address,
        budget: DEVNET_GRANTS_BUDGET,
        log,
      })
    }
    // Node staking: deployed with a fresh devnet (before seeding, so seeded nodes go through the
    // staking hook, and before genesis, which funds its emission reserve with the staking rewards
    // bucket and votes through its SaharaVotes), or added to an older devnet without governance.
    let staking: DeployStakingResult | undefined
    if (!hasStaking(deployments) && hasGenesis(deployments)) {
      log('warning: this devnet has no node staking; run `npm start -- --fresh` to deploy it')
    } else if (!hasStaking(deployments)) {
      if (reused) log('this devnet has no node staking yet; deploying it')
      try {
        staking = await deployStaking({
          walletClient,
          publicClient,
          deployments,
          unbondingDelay: DEVNET_STAKING_UNBONDING_DELAY,
          commissionDelay: DEVNET_COMMISSION_DELAY,
          jailPeriod: DEVNET_JAIL_PERIOD,
          // The reserve is the genesis staking-rewards bucket (config/governance.json: stakingRewardsRecipient).
          reserve: 0n,
          log,
        })
      } catch (err) {
        if (!(reused && err instanceof DeployError)) throw err
        log(`warning: no node staking on this devnet (${err.message}); run \`npm start -- --fresh\` to deploy it`)
      }
    }
    // A reused file may name an older port: record the live one so tools reading it connect.
    let live: Deployments = {
      ...deployments,
      rpcUrl: anvil.rpcUrl,
      contracts: { ...deployments.contracts, ...exchange?.contracts, ...(grants ? { GrantPool: grants.GrantPool } : {}), ...staking?.contracts },
      implementations: {
        ...deployments.implementations,
        ...(grants ? { GrantPool: grants.implementation } : {}),
        ...(staking ? { NodeStaking: staking.implementation } : {}),
      },
    }
    if (deployments.rpcUrl !== anvil.rpcUrl || exchange || grants || staking) writeDeployments(deploymentsDir, live)
    // Genesis: the DAO contracts and the one-time distribution of the supply (recorded, so a
    // restart sends nothing). A devnet recorded before genesis existed cannot be distributed
    // exactly any more: it keeps running as it was.
    let genesisSent = false
    if (!hasGenesis(live)) {
      try {
        const g = await deployGenesis({ walletClient, publicClient, deployments: live, ...(exchange ? { liquidityTx: exchange.liquidityTx } : {}), log })
        live = g.deployments
        genesisSent = g.distributed
        writeDeployments(deploymentsDir, live)
        // The timelock exists now: it becomes the treasury (fees, slashes, sweeps, LP tokens) before
        // the seeded demo pays anything.
        live = (await routeTreasury({ walletClient, publicClient, deployments: live, log })).deployments
        writeDeployments(deploymentsDir, live)
        // The staking rewards bucket is in NodeStaking's reserve now: stream it on the published schedule.
        if (genesisSent && live.contracts.NodeStaking) {
          await startEmissions({ owner: walletClient, publicClient, staking: live.contracts.NodeStaking, durationSeconds: DEFAULT_EMISSION_DURATION, log })
        }
      } catch (err) {
        if (!(reused && err instanceof DeployError)) throw err
        log(`warning: no governance on this devnet (${err.message}); run \`npm start -- --fresh\` to deploy it`)
      }
    }
    let seed: SeedResult | undefined
    if (options.seed) seed = await seedDevnet({ rpcUrl: anvil.rpcUrl, chain, deployments: live, accounts, contentDir, log })
    // Seeded with admin powers where needed; now every admin power goes to the timelock.
    let handedOver = false
    if (hasGenesis(live)) {
      try {
        const h = await handOver({ walletClient, publicClient, deployments: live, log })
        live = h.deployments
        handedOver = h.handedOver
        if (handedOver) writeDeployments(deploymentsDir, live)
      } catch (err) {
        // A devnet handed over before the timelock was the treasury cannot be fixed without a proposal.
        if (!(reused && err instanceof DeployError)) throw err
        log(`warning: ${err.message}; run \`npm start -- --fresh\` to redeploy`)
      }
    }
    // Anvil dumps its state every second: wait for one dump after our last transaction so a
    // SIGKILL right after startDevnet returns cannot lose the deployment the file points to.
    if (!reused || exchange || grants || staking || genesisSent || handedOver || seed?.created || seed?.payPerUse?.created) {
      if (!(await waitForStateDump(stateFile, publicClient))) log(`warning: anvil has not saved its state to ${stateFile} yet`)
    }
    return {
      rpcUrl: anvil.rpcUrl,
      port: anvil.port,
      chainId,
      deployments: live,
      deploymentsFile: file!,
      dataDir,
      stateFile,
      contentDir,
      accounts,
      reused,
      portFellBack,
      ...(seed ? { seed } : {}),
      ...(exchange ? { exchange } : {}),
      ...(grants ? { grants } : {}),
      ...(staking ? { staking } : {}),
      anvil,
      publicClient,
      stop: () => anvil.stop(),
    }
  } catch (err) {
    await anvil.stop()
    throw err
  }
}

async function launch(
  stateFile: string,
  port: number,
  portFallback: boolean,
  chainId: number,
  log: (m: string) => void,
): Promise<{ anvil: AnvilInstance; portFellBack: boolean }> {
  // Code size limit off: NodeStaking's runtime code is over EIP-170's 24,576 bytes (a contract issue
  // reported in stakets-contract-issues.md); remove once it fits, so the devnet matches real networks.
  const start = (p: number) => startAnvil({ port: p, stateFile, stateInterval: 1, chainId })
  try {
    return { anvil: await start(port), portFellBack: false }
  } catch (err) {
    if (!(err instanceof AnvilStartError)) throw err
    if (err.addressInUse && portFallback && port !== 0) {
      log(`port ${port} is busy; using a free port instead`)
      return { anvil: await start(0), portFellBack: true }
    }
    // A state file cut short (e.g. disk full) would block every later start: keep it aside.
    if (existsSync(stateFile) && /state/i.test(err.output) && !err.addressInUse) {
      const aside = `${stateFile}.corrupt-${Date.now()}`
      renameSync(stateFile, aside)
      log(`anvil could not load ${stateFile}; moved it to ${aside} and starting from an empty chain`)
      return { anvil: await start(port), portFellBack: false }
    }
    throw err
  }
}

/** Block number recorded in an anvil state dump (its `block.number`, the latest mined block). */
export function dumpedBlockNumber(file: string): bigint | undefined {
  let head: string
  try {
    // The block env is the first key of the dump; 4 KiB is plenty to find it.
    const fd = openSync(file, 'r')
    try {
      const buf = Buffer.alloc(4096)
      head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return undefined
  }
  const m = /"number"\s*:\s*"(0x[0-9a-fA-F]+)"/.exec(head)
  return m ? BigInt(m[1]!) : undefined
}

/**
 * Resolves true once anvil's periodic dump in `file` includes the chain's latest block, so a
 * SIGKILL afterwards cannot lose it; false after `timeoutMs`.
 */
export async function waitForStateDump(file: string, publicClient: PublicClient, timeoutMs = 10_000): Promise<boolean> {
  const latest = await publicClient.getBlockNumber({ cacheTime: 0 })
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const dumped = dumpedBlockNumber(file)
    if (dumped !== undefined && dumped >= latest) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return false
}

export type { Address, Hex }
