import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Address, Hex, PublicClient } from 'viem'
import { devAccounts, type DevAccount } from './accounts.ts'
import { AnvilStartError, startAnvil, type AnvilInstance } from './anvil.ts'
import { localChain, publicClientFor, walletClientFor } from './clients.ts'
import { deployProtocol } from './deploy.ts'
import { deployExchange, hasExchange, type DeployExchangeResult } from './exchange.ts'
import { deployStaking, hasStaking } from './staking.ts'
import type { Deployments } from '@sahara/sdk'
import { staleCode, writeDeployments } from './deployments.ts'
import { contentDirFor, defaultDataDir } from './paths.ts'
import { lockDataDir } from './lock.ts'
import { seedDevnet, type SeedResult } from './seed.ts'

export const DEVNET_CHAIN_ID = 31337
/** Dev account index used as the protocol treasury on the devnet. */
export const TREASURY_ACCOUNT_INDEX = 9
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
    ;({ anvil, portFellBack } = await launch(stateFile, options.port ?? 0, options.portFallback ?? false, log))
  } catch (err) {
    unlock()
    throw err
  }
  anvil.process.once('exit', unlock)
  try {
    const chain = localChain(DEVNET_CHAIN_ID, anvil.rpcUrl)
    const publicClient = publicClientFor(anvil.rpcUrl, chain)
    const chainId = await publicClient.getChainId()
    const accounts = devAccounts(10)
    const deployer = accounts[0]!
    const walletClient = walletClientFor(anvil.rpcUrl, deployer.privateKey, chain)
    const { deployments, file, reused } = await deployProtocol({
      walletClient,
      publicClient,
      treasury: accounts[TREASURY_ACCOUNT_INDEX]!.address,
      // Short waits so exits and channel closes can be tried by hand (defaults: 7 days, 1 day).
      unbondingDelay: DEVNET_UNBONDING_DELAY,
      challengeWindow: DEVNET_CHALLENGE_WINDOW,
      deploymentsDir,
      rpcUrl: anvil.rpcUrl,
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
    // Node staking: deployed with a fresh devnet (a reused one made before staking keeps running without it).
    let staking: Awaited<ReturnType<typeof deployStaking>> | undefined
    if (!reused && !hasStaking(deployments)) staking = await deployStaking({ walletClient, publicClient, deployments, log })
    // A reused file may name an older port: record the live one so tools reading it connect.
    const live: Deployments = {
      ...deployments,
      rpcUrl: anvil.rpcUrl,
      contracts: { ...deployments.contracts, ...exchange?.contracts, ...staking?.contracts },
      implementations: { ...deployments.implementations, ...(staking ? { NodeStaking: staking.implementation } : {}) },
    }
    if (deployments.rpcUrl !== anvil.rpcUrl || exchange || staking) writeDeployments(deploymentsDir, live)
    let seed: SeedResult | undefined
    if (options.seed) seed = await seedDevnet({ rpcUrl: anvil.rpcUrl, chain, deployments: live, accounts, contentDir, log })
    // Anvil dumps its state every second: wait for one dump after our last transaction so a
    // SIGKILL right after startDevnet returns cannot lose the deployment the file points to.
    if (!reused || exchange || staking || seed?.created || seed?.payPerUse?.created) {
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
  log: (m: string) => void,
): Promise<{ anvil: AnvilInstance; portFellBack: boolean }> {
  const start = (p: number) => startAnvil({ port: p, stateFile, stateInterval: 1, chainId: DEVNET_CHAIN_ID })
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
