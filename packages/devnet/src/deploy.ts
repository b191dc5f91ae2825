import {
  encodeFunctionData,
  getAddress,
  zeroAddress,
  getContractAddress,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Hash,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem'
import { loadArtifact, type Artifact } from './artifacts.ts'
import { DeploymentsError, MODULE_NAMES, deploymentsFile, type Deployments, type ModuleName } from '@sahara/sdk'
import { missingCode, readDeployments, writeDeployments } from './deployments.ts'

export const DEFAULT_PROTOCOL_FEE_BPS = 250
/** Minimum SAHARA stake of an execution node: 1,000 SAHARA. */
export const DEFAULT_NODE_MIN_STAKE = 1_000n * 10n ** 18n
/** Delay between a node's requestExit and withdrawStake: 7 days (the devnet uses 1 hour). */
export const DEFAULT_UNBONDING_DELAY = 7 * 24 * 3600
/** Time a node has to settle after a payer's requestClose: 1 day (the devnet uses 1 hour). */
export const DEFAULT_CHALLENGE_WINDOW = 24 * 3600
/** Largest share of a payment a node may take as its fee: 30%. */
export const DEFAULT_MAX_NODE_FEE_BPS = 3000

/**
 * Chain ids of local development nodes (anvil/hardhat 31337, geth --dev/ganache 1337): the only
 * chains where a DevStablecoin (open faucet, symbol "USDT") is deployed without an explicit opt-in.
 */
export const DEV_CHAIN_IDS: readonly number[] = [31337, 1337]

export interface DeployProtocolOptions {
  walletClient: WalletClient<Transport, Chain | undefined, Account>
  publicClient: PublicClient
  /** Owner of every module (upgrade + admin authority). Default: the deployer. */
  admin?: Address
  /**
   * Receives protocol fees (and is NodeStaking's slash destination). Default: the admin. With a
   * genesis this is interim: routeTreasury points every treasury at the DAO timelock.
   */
  treasury?: Address
  /** Protocol fee in bps. Default 250 (2.5%). */
  protocolFeeBps?: number
  /** An existing stablecoin to use as "USDT" (real networks). When absent a DevStablecoin is deployed. */
  stablecoin?: Address
  /**
   * Deploy the DevStablecoin (anyone can mint it) as the vault's "USDT" on a chain that is not in
   * DEV_CHAIN_IDS, for example a public test network. Without it such a deploy is refused, so a
   * free-mint token named USDT can never be allowlisted by accident where it may pass for money.
   */
  allowDevStablecoin?: boolean
  /** NodeRegistry minimum stake in SAHARA base units. Default DEFAULT_NODE_MIN_STAKE (1,000 SAHARA). */
  nodeMinStake?: bigint
  /** NodeRegistry unbonding delay in seconds. Default DEFAULT_UNBONDING_DELAY (7 days). */
  unbondingDelay?: number
  /** PaymentChannels challenge window in seconds. Default DEFAULT_CHALLENGE_WINDOW (1 day). */
  challengeWindow?: number
  /** NodeRegistry maximum node fee in bps (at most 5000). Default DEFAULT_MAX_NODE_FEE_BPS (3000). */
  maxNodeFeeBps?: number
  /** Receives the fixed SAHARA supply. Default: the admin. */
  tokenRecipient?: Address
  /** Directory of `<chainId>.json`: reused when its contracts have code on this chain, written after a deploy. */
  deploymentsDir?: string
  /** Recorded in the deployments file. */
  rpcUrl?: string
  /** Deploy even when a usable deployments file exists. */
  force?: boolean
  /** Progress messages (default: silent). */
  log?: (message: string) => void
}

export interface DeployProtocolResult {
  deployments: Deployments
  /** Path of the deployments file, when `deploymentsDir` was given. */
  file?: string
  /** True when an existing deployment was found and reused (nothing was sent). */
  reused: boolean
}

/** A deployment transaction reverted or a contract landed at an unexpected address. */
export class DeployError extends Error {
  override readonly name = 'DeployError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/**
 * Deploys the Sahara protocol: SAHARA, a dev stablecoin (unless `stablecoin` is given), the module
 * implementations (the asset, license, shares and revenue modules, and the execution network's
 * NodeRegistry, PaymentChannels and ExactPayments), and one ERC-1967 proxy per module initialized
 * in its own constructor. PaymentChannels and ExactPayments become vault collectors.
 * The modules reference each other, so proxy addresses are predicted from the deployer's nonce;
 * no proxy is ever left uninitialized (which would let anyone front-run `initialize`).
 *
 * Idempotent: with `deploymentsDir`, an existing `<chainId>.json` whose addresses all have code on
 * this chain is returned as is.
 */
export async function deployProtocol(options: DeployProtocolOptions): Promise<DeployProtocolResult> {
  const { walletClient, publicClient } = options
  const log = options.log ?? (() => {})
  const account = walletClient.account
  const chainId = await publicClient.getChainId()

  if (options.deploymentsDir && !options.force) {
    let existing: Deployments | undefined
    try {
      existing = readDeployments(options.deploymentsDir, chainId)
    } catch (err) {
      // A file from an older protocol version (fewer modules) is not reusable: deploy again.
      if (!(err instanceof DeploymentsError)) throw err
      log(`${deploymentsFile(options.deploymentsDir, chainId)} is not usable (${err.shortMessage}); deploying again`)
    }
    if (existing) {
      const missing = await missingCode(publicClient, existing)
      const file = deploymentsFile(options.deploymentsDir, chainId)
      if (missing.length === 0) {
        log(`reusing deployment from ${file}`)
        return { deployments: existing, file, reused: true }
      }
      log(`${file} is stale (no code at ${missing.join(', ')}); deploying again`)
    }
  }

  if (!options.stablecoin && !options.allowDevStablecoin && !DEV_CHAIN_IDS.includes(chainId)) {
    throw new DeployError(
      `chain ${chainId} is not a local dev chain (${DEV_CHAIN_IDS.join(', ')}): pass the real stablecoin, ` +
        'or explicitly allow the open-faucet DevStablecoin (allowDevStablecoin / --dev-stablecoin) on a test network',
    )
  }

  const deployer = account.address
  const admin = getAddress(options.admin ?? deployer)
  const treasury = getAddress(options.treasury ?? admin)
  const feeBps = options.protocolFeeBps ?? DEFAULT_PROTOCOL_FEE_BPS
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) throw new DeployError(`invalid protocolFeeBps ${feeBps}`)
  const minStake = options.nodeMinStake ?? DEFAULT_NODE_MIN_STAKE
  const unbondingDelay = options.unbondingDelay ?? DEFAULT_UNBONDING_DELAY
  const challengeWindow = options.challengeWindow ?? DEFAULT_CHALLENGE_WINDOW
  const maxNodeFeeBps = options.maxNodeFeeBps ?? DEFAULT_MAX_NODE_FEE_BPS
  if (minStake < 0n) throw new DeployError(`invalid nodeMinStake ${minStake}`)
  if (!Number.isInteger(unbondingDelay) || unbondingDelay < 0 || unbondingDelay > 365 * 24 * 3600) {
    throw new DeployError(`invalid unbondingDelay ${unbondingDelay} (0 to 365 days in seconds)`)
  }
  if (!Number.isInteger(challengeWindow) || challengeWindow < 0 || challengeWindow > 30 * 24 * 3600) {
    throw new DeployError(`invalid challengeWindow ${challengeWindow} (0 to 30 days in seconds)`)
  }
  if (!Number.isInteger(maxNodeFeeBps) || maxNodeFeeBps < 0 || maxNodeFeeBps > 5000) {
    throw new DeployError(`invalid maxNodeFeeBps ${maxNodeFeeBps} (0 to 5000)`)
  }

  const art = {
    SaharaToken: loadArtifact('SaharaToken'),
    DevStablecoin: loadArtifact('DevStablecoin'),
    AssetRegistry: loadArtifact('AssetRegistry'),
    LicenseRegistry: loadArtifact('LicenseRegistry'),
    ContributionShares: loadArtifact('ContributionShares'),
    RevenueVault: loadArtifact('RevenueVault'),
    NodeRegistry: loadArtifact('NodeRegistry'),
    PaymentChannels: loadArtifact('PaymentChannels'),
    ExactPayments: loadArtifact('ExactPayments'),
    Proxy: loadArtifact('ERC1967Proxy'),
  }

  // Plan every transaction's nonce up front so the proxies can be given each other's addresses.
  let nonce = await publicClient.getTransactionCount({ address: deployer, blockTag: 'pending' })
  const at = (n: number): Address => getContractAddress({ from: deployer, nonce: BigInt(n) })
  const plan = {
    SaharaToken: nonce,
    USDT: options.stablecoin ? undefined : nonce + 1,
  }
  const implBase = nonce + (options.stablecoin ? 1 : 2)
  const proxyBase = implBase + MODULE_NAMES.length
  const implAddr = Object.fromEntries(MODULE_NAMES.map((m, i) => [m, at(implBase + i)])) as Record<ModuleName, Address>
  const proxyAddr = Object.fromEntries(MODULE_NAMES.map((m, i) => [m, at(proxyBase + i)])) as Record<ModuleName, Address>
  const sahara = at(plan.SaharaToken)
  const usdt = options.stablecoin ? getAddress(options.stablecoin) : at(plan.USDT!)
  // Modules are first owned by the deployer so it can wire them; ownership then moves to `admin`.
  const initialOwner = deployer

  let startBlock: bigint | undefined
  const chain = walletClient.chain ?? null

  async function confirm(hash: Hash, what: string, expected?: Address): Promise<void> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new DeployError(`${what} reverted (tx ${hash})`)
    if (expected && (!receipt.contractAddress || getAddress(receipt.contractAddress) !== expected)) {
      throw new DeployError(
        `${what} landed at ${receipt.contractAddress} instead of the predicted ${expected}: ` +
          `another transaction from ${deployer} was sent during the deployment`,
      )
    }
    startBlock ??= receipt.blockNumber
    log(`${what}${expected ? ` at ${expected}` : ''} (gas ${receipt.gasUsed})`)
  }

  async function create(artifact: Artifact, args: readonly unknown[], what: string): Promise<Address> {
    const expected = at(nonce)
    const hash = await walletClient.deployContract({
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      args,
      account,
      chain,
      nonce: nonce++,
    } as Parameters<typeof walletClient.deployContract>[0])
    await confirm(hash, what, expected)
    return expected
  }

  async function call(addressTo: Address, abi: Abi, functionName: string, args: readonly unknown[], what: string): Promise<void> {
    const hash = await walletClient.sendTransaction({
      to: addressTo,
      data: encodeFunctionData({ abi, functionName, args }),
      account,
      chain,
      nonce: nonce++,
    })
    await confirm(hash, what)
  }

  const recipient = getAddress(options.tokenRecipient ?? admin)
  await create(art.SaharaToken, [recipient], 'SaharaToken')
  if (!options.stablecoin) await create(art.DevStablecoin, [], 'DevStablecoin (USDT)')
  // ExactPayments' constructor takes its receiver implementation; zero deploys a fresh one (from
  // the implementation's own nonce, so the deployer's nonce plan is unchanged).
  const implArgs = (m: ModuleName): readonly unknown[] => (m === 'ExactPayments' ? [zeroAddress] : [])
  for (const m of MODULE_NAMES) await create(art[m], implArgs(m), `${m} implementation`)

  const init: Record<ModuleName, Hex> = {
    AssetRegistry: encodeFunctionData({
      abi: art.AssetRegistry.abi,
      functionName: 'initialize',
      args: [initialOwner, proxyAddr.LicenseRegistry],
    }),
    LicenseRegistry: encodeFunctionData({
      abi: art.LicenseRegistry.abi,
      functionName: 'initialize',
      args: [initialOwner, proxyAddr.AssetRegistry, proxyAddr.RevenueVault],
    }),
    ContributionShares: encodeFunctionData({
      abi: art.ContributionShares.abi,
      functionName: 'initialize',
      args: [initialOwner, proxyAddr.AssetRegistry, proxyAddr.RevenueVault],
    }),
    RevenueVault: encodeFunctionData({
      abi: art.RevenueVault.abi,
      functionName: 'initialize',
      args: [initialOwner, proxyAddr.AssetRegistry, proxyAddr.ContributionShares, treasury, feeBps],
    }),
    NodeRegistry: encodeFunctionData({
      abi: art.NodeRegistry.abi,
      functionName: 'initialize',
      args: [initialOwner, sahara, proxyAddr.AssetRegistry, minStake, BigInt(unbondingDelay), maxNodeFeeBps],
    }),
    PaymentChannels: encodeFunctionData({
      abi: art.PaymentChannels.abi,
      functionName: 'initialize',
      args: [initialOwner, proxyAddr.NodeRegistry, proxyAddr.RevenueVault, BigInt(challengeWindow)],
    }),
    ExactPayments: encodeFunctionData({
      abi: art.ExactPayments.abi,
      functionName: 'initialize',
      args: [initialOwner, proxyAddr.NodeRegistry, proxyAddr.RevenueVault],
    }),
  }
  for (const m of MODULE_NAMES) {
    const got = await create(art.Proxy, [implAddr[m], init[m]], `${m} proxy`)
    if (got !== proxyAddr[m]) throw new DeployError(`${m} proxy address mismatch`)
  }

  const vault = art.RevenueVault.abi
  await call(proxyAddr.RevenueVault, vault, 'setPaymentToken', [sahara, true], 'vault.setPaymentToken(SAHARA)')
  await call(proxyAddr.RevenueVault, vault, 'setPaymentToken', [usdt, true], 'vault.setPaymentToken(USDT)')
  await call(proxyAddr.RevenueVault, vault, 'setCollector', [proxyAddr.LicenseRegistry, true], 'vault.setCollector(LicenseRegistry)')
  await call(proxyAddr.RevenueVault, vault, 'setCollector', [proxyAddr.PaymentChannels, true], 'vault.setCollector(PaymentChannels)')
  await call(proxyAddr.RevenueVault, vault, 'setCollector', [proxyAddr.ExactPayments, true], 'vault.setCollector(ExactPayments)')

  if (admin !== deployer) {
    // Ownable2Step: the admin must call acceptOwnership() on each module to take over.
    for (const m of MODULE_NAMES) {
      await call(proxyAddr[m], art[m].abi, 'transferOwnership', [admin], `${m}.transferOwnership(${admin}) (pending acceptance)`)
    }
  }

  const deployments: Deployments = {
    chainId,
    ...(options.rpcUrl !== undefined ? { rpcUrl: options.rpcUrl } : {}),
    deployer,
    admin,
    treasury,
    startBlock: startBlock ?? 0n,
    contracts: {
      SaharaToken: sahara,
      USDT: usdt,
      AssetRegistry: proxyAddr.AssetRegistry,
      LicenseRegistry: proxyAddr.LicenseRegistry,
      ContributionShares: proxyAddr.ContributionShares,
      RevenueVault: proxyAddr.RevenueVault,
      NodeRegistry: proxyAddr.NodeRegistry,
      PaymentChannels: proxyAddr.PaymentChannels,
      ExactPayments: proxyAddr.ExactPayments,
    },
    implementations: implAddr,
  }
  const file = options.deploymentsDir ? writeDeployments(options.deploymentsDir, deployments) : undefined
  if (file) log(`wrote ${file}`)
  return { deployments, ...(file ? { file } : {}), reused: false }
}
