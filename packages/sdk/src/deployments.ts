import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { getAddress, isAddress, type Address, type Hex } from 'viem'
import { DeploymentsError } from './errors'

/** Upgradeable modules, each an ERC-1967 proxy in `contracts` with its logic in `implementations`. */
export const MODULE_NAMES = [
  'AssetRegistry',
  'LicenseRegistry',
  'ContributionShares',
  'RevenueVault',
  'NodeRegistry',
  'PaymentChannels',
  'ExactPayments',
] as const
export type ModuleName = (typeof MODULE_NAMES)[number]

export const CONTRACT_NAMES = ['SaharaToken', 'USDT', ...MODULE_NAMES] as const
export type ContractName = (typeof CONTRACT_NAMES)[number]

/**
 * Pay-per-use contracts. Optional in a deployments file so deployments made before they existed
 * still load; the payment actions throw DeploymentsError when the one they need is missing.
 */
export const EXECUTION_CONTRACT_NAMES = ['NodeRegistry', 'PaymentChannels', 'ExactPayments'] as const
export type ExecutionContractName = (typeof EXECUTION_CONTRACT_NAMES)[number]

/**
 * The Uniswap v2 exchange used to swap SAHARA and USDT. Optional so deployments made before it
 * existed still load; the swap actions throw DeploymentsError when the router is missing. The devnet
 * deploys all four from the official artifacts; on a real network the file names the existing
 * deployment: the router is enough (the factory and the pair are then read from the chain).
 */
export const EXCHANGE_CONTRACT_NAMES = ['UniswapV2Factory', 'UniswapV2Router02', 'WETH9', 'SaharaUsdtPair'] as const
export type ExchangeContractName = (typeof EXCHANGE_CONTRACT_NAMES)[number]

/**
 * Governance and genesis contracts (devnet genesis): the DAO timelock that owns every module, the
 * governor, the guardian gate, and the vesting vault / airdrop funded at genesis. Optional so
 * deployments made before the governance handover still load; governance actions throw
 * DeploymentsError when the one they need is missing.
 */
export const GOVERNANCE_CONTRACT_NAMES = ['SaharaTimelock', 'SaharaGovernor', 'GuardianGate', 'VestingVault', 'MerkleAirdrop'] as const
export type GovernanceContractName = (typeof GOVERNANCE_CONTRACT_NAMES)[number]

/**
 * The developer grant pool (a UUPS module). Optional so deployments made before it existed still
 * load; the grant actions throw DeploymentsError when it is missing.
 */
export const GRANT_CONTRACT_NAMES = ['GrantPool'] as const
export type GrantContractName = (typeof GRANT_CONTRACT_NAMES)[number]

/**
 * Delegated staking of execution nodes: the NodeStaking module (an ERC-1967 proxy; its logic under
 * `implementations.NodeStaking`) and SaharaVotes (token votes + staked votes, for a governor).
 * Optional so deployments made before staking existed still load; the staking actions throw
 * DeploymentsError when the one they need is missing.
 */
export const STAKING_CONTRACT_NAMES = ['NodeStaking', 'SaharaVotes'] as const
export type StakingContractName = (typeof STAKING_CONTRACT_NAMES)[number]

/** Every optional contract name a deployments file may hold. */
export const OPTIONAL_CONTRACT_NAMES = [
  ...EXECUTION_CONTRACT_NAMES,
  ...EXCHANGE_CONTRACT_NAMES,
  ...GOVERNANCE_CONTRACT_NAMES,
  ...GRANT_CONTRACT_NAMES,
  ...STAKING_CONTRACT_NAMES,
] as const
export type OptionalContractName = (typeof OPTIONAL_CONTRACT_NAMES)[number]

/** `<dir>/<chainId>.json` as written by the devnet deployer. */
export type Deployments = {
  chainId: number
  rpcUrl?: string | undefined
  deployer: Address
  admin: Address
  treasury: Address
  /** First block of the deployment: indexers start scanning events here. */
  startBlock: bigint
  contracts: Record<ContractName, Address> & Partial<Record<OptionalContractName, Address>>
  implementations: Record<string, Address>
  /** The governance parameters deployed at genesis (absent before the handover existed). */
  governance?: GovernanceRecord | undefined
  /** The one-time SAHARA distribution (absent before genesis existed). */
  genesis?: GenesisRecord | undefined
}

/** What the deployment recorded about governance: who votes from where, the guardian, the handover. */
export type GovernanceRecord = {
  /** The ERC-5805 source the governor reads votes from (SaharaToken today). */
  votesSource: Address
  guardian: Address
  /** Unix seconds at which the guardian's powers end. */
  guardianExpiry: number
  /** Timelock minimum delay, in seconds, after the handover. */
  timelockDelay: number
  /** True once every module and owned contract is owned by the timelock and the deployer holds no timelock role. */
  handedOver: boolean
  /** The timelock batch that accepted ownership everywhere and set the real delay. */
  handoverTx?: Hex | undefined
}

/** One bucket or sub-bucket of the genesis distribution and where it went. */
export type GenesisTransfer = {
  /** Allocation id of the tokenomics config ("community/airdrops", "team", "liquidity"...). */
  id: string
  recipient: Address
  /** Wei, as a decimal string (JSON has no bigint). */
  amount: string
  /** Transactions that moved it (a vested bucket may take several batches). */
  txs: Hex[]
}

export type GenesisRecord = {
  /** Total distributed, in wei (decimal string): equals the token's supply. */
  total: string
  transfers: GenesisTransfer[]
}

/** The deployments file for a chain inside a deployments directory. */
export function deploymentsFile(dir: string, chainId: number): string {
  return join(dir, `${chainId}.json`)
}

/**
 * The JSON object stored on disk (inverse of parseDeployments): fixed key order, startBlock as a
 * plain number (block numbers fit; JSON has no bigint).
 */
export function deploymentsToJson(d: Deployments): Record<string, unknown> {
  return {
    chainId: d.chainId,
    ...(d.rpcUrl !== undefined ? { rpcUrl: d.rpcUrl } : {}),
    deployer: d.deployer,
    admin: d.admin,
    treasury: d.treasury,
    startBlock: Number(d.startBlock),
    contracts: d.contracts,
    implementations: d.implementations,
    ...(d.governance ? { governance: d.governance } : {}),
    ...(d.genesis ? { genesis: d.genesis } : {}),
  }
}

/** Validates parsed JSON and normalizes it (checksummed addresses, bigint startBlock). */
export function parseDeployments(json: unknown, source = 'deployments'): Deployments {
  const fail = (what: string): never => {
    throw new DeploymentsError(`${source} is not a valid deployments file: ${what}.`)
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) fail('expected a JSON object')
  const o = json as Record<string, unknown>
  const chainId = o.chainId
  if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId <= 0) fail('chainId must be a positive integer')
  const addr = (value: unknown, field: string): Address => {
    if (typeof value !== 'string' || !isAddress(value, { strict: false })) return fail(`${field} must be an address`)
    return getAddress(value)
  }
  let startBlock: bigint
  const sb = o.startBlock
  if (typeof sb === 'number' && Number.isSafeInteger(sb) && sb >= 0) startBlock = BigInt(sb)
  else if (typeof sb === 'string' && /^(0x[0-9a-fA-F]+|\d+)$/.test(sb)) startBlock = BigInt(sb)
  else if (sb === undefined) startBlock = 0n
  else startBlock = fail('startBlock must be a block number')
  if (o.rpcUrl !== undefined && typeof o.rpcUrl !== 'string') fail('rpcUrl must be a string')
  const c = o.contracts
  if (!c || typeof c !== 'object') fail('contracts is missing')
  const contracts = {} as Deployments['contracts']
  for (const name of CONTRACT_NAMES) contracts[name] = addr((c as Record<string, unknown>)[name], `contracts.${name}`)
  for (const name of OPTIONAL_CONTRACT_NAMES) {
    const value = (c as Record<string, unknown>)[name]
    if (value !== undefined) contracts[name] = addr(value, `contracts.${name}`)
  }
  const implementations: Record<string, Address> = {}
  if (o.implementations !== undefined) {
    if (!o.implementations || typeof o.implementations !== 'object') fail('implementations must be an object')
    for (const [k, v] of Object.entries(o.implementations as Record<string, unknown>)) implementations[k] = addr(v, `implementations.${k}`)
  }
  const hash = (value: unknown, field: string): Hex => {
    if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(value)) return fail(`${field} must be a transaction hash`)
    return value as Hex
  }
  const uint = (value: unknown, field: string): number => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return fail(`${field} must be a non-negative integer`)
    return value
  }
  const wei = (value: unknown, field: string): string => {
    if (typeof value !== 'string' || !/^\d+$/.test(value)) return fail(`${field} must be a wei amount as a decimal string`)
    return value
  }
  let governance: GovernanceRecord | undefined
  if (o.governance !== undefined) {
    const g = o.governance as Record<string, unknown>
    if (!g || typeof g !== 'object') fail('governance must be an object')
    if (typeof g.handedOver !== 'boolean') fail('governance.handedOver must be true or false')
    governance = {
      votesSource: addr(g.votesSource, 'governance.votesSource'),
      guardian: addr(g.guardian, 'governance.guardian'),
      guardianExpiry: uint(g.guardianExpiry, 'governance.guardianExpiry'),
      timelockDelay: uint(g.timelockDelay, 'governance.timelockDelay'),
      handedOver: g.handedOver as boolean,
      ...(g.handoverTx !== undefined ? { handoverTx: hash(g.handoverTx, 'governance.handoverTx') } : {}),
    }
  }
  let genesis: GenesisRecord | undefined
  if (o.genesis !== undefined) {
    const g = o.genesis as Record<string, unknown>
    if (!g || typeof g !== 'object' || !Array.isArray(g.transfers)) fail('genesis.transfers must be an array')
    genesis = {
      total: wei(g.total, 'genesis.total'),
      transfers: (g.transfers as unknown[]).map((raw, i) => {
        const t = (raw ?? {}) as Record<string, unknown>
        if (typeof t.id !== 'string' || t.id === '') fail(`genesis.transfers[${i}].id must be a string`)
        if (!Array.isArray(t.txs)) fail(`genesis.transfers[${i}].txs must be an array`)
        return {
          id: t.id as string,
          recipient: addr(t.recipient, `genesis.transfers[${i}].recipient`),
          amount: wei(t.amount, `genesis.transfers[${i}].amount`),
          txs: (t.txs as unknown[]).map((h, k) => hash(h, `genesis.transfers[${i}].txs[${k}]`)),
        }
      }),
    }
  }
  return {
    chainId: chainId as number,
    ...(typeof o.rpcUrl === 'string' ? { rpcUrl: o.rpcUrl } : {}),
    deployer: addr(o.deployer, 'deployer'),
    admin: addr(o.admin, 'admin'),
    treasury: addr(o.treasury, 'treasury'),
    startBlock,
    contracts,
    implementations,
    ...(governance ? { governance } : {}),
    ...(genesis ? { genesis } : {}),
  }
}

/** The address of a pay-per-use contract, or a DeploymentsError naming what to do. */
export function executionContract(d: Deployments, name: ExecutionContractName): Address {
  const a = d.contracts[name]
  if (!a) {
    throw new DeploymentsError(
      `The deployments for chain ${d.chainId} have no ${name}; redeploy the devnet with the pay-per-use contracts.`,
    )
  }
  return a
}

/** The address of a governance contract, or a DeploymentsError naming what to do. */
export function governanceContract(d: Deployments, name: GovernanceContractName): Address {
  const a = d.contracts[name]
  if (!a) {
    throw new DeploymentsError(
      `The deployments for chain ${d.chainId} have no ${name}: restart the devnet with \`npm start -- --fresh\` to deploy governance and hand the protocol to the timelock.`,
    )
  }
  return a
}

/** The address of a staking contract, or a DeploymentsError naming what to do. */
export function stakingContract(d: Deployments, name: StakingContractName): Address {
  const a = d.contracts[name]
  if (!a) {
    throw new DeploymentsError(
      `The deployments for chain ${d.chainId} have no ${name}: restart the devnet to deploy node staking (\`npm start -- --fresh\` if its NodeRegistry predates staking).`,
    )
  }
  return a
}

/** The address of an exchange contract, or a DeploymentsError naming what to do. */
export function exchangeContract(d: Deployments, name: ExchangeContractName): Address {
  const a = d.contracts[name]
  if (!a) {
    throw new DeploymentsError(
      `The deployments for chain ${d.chainId} have no ${name}: restart the devnet to deploy the SAHARA/USDT exchange, ` +
        `or name the network's existing Uniswap v2 ${name} under "contracts" in the deployments file.`,
    )
  }
  return a
}

/** The GrantPool address, or a DeploymentsError naming what to do. */
export function grantPoolContract(d: Deployments): Address {
  const a = d.contracts.GrantPool
  if (!a) {
    throw new DeploymentsError(
      `The deployments for chain ${d.chainId} have no GrantPool: restart the devnet to deploy it, or name the network's GrantPool under "contracts" in the deployments file.`,
    )
  }
  return a
}

/** Reads and validates one deployments file. */
export function loadDeploymentsFile(path: string): Deployments {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new DeploymentsError(`Cannot read the deployments file ${path}.`, { cause: err })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new DeploymentsError(`The deployments file ${path} is not valid JSON.`, { cause: err })
  }
  return parseDeployments(json, path)
}

export type ResolveDeploymentsOptions = {
  chainId: number
  /** A deployments file, or a directory holding `<chainId>.json`. Searched first. */
  path?: string | undefined
  /** Base for the relative default directories (default: process.cwd()). */
  cwd?: string | undefined
  /** Environment (default: process.env); SAHARA_DEPLOYMENTS names a directory. */
  env?: Record<string, string | undefined> | undefined
}

/** The directories searched for `<chainId>.json`, in order. */
export function deploymentsSearchPath(options: Omit<ResolveDeploymentsOptions, 'chainId'> = {}): string[] {
  const cwd = options.cwd ?? process.cwd()
  const env = options.env ?? process.env
  const dirs: string[] = []
  if (options.path) dirs.push(resolve(cwd, options.path))
  if (env.SAHARA_DEPLOYMENTS) dirs.push(resolve(cwd, env.SAHARA_DEPLOYMENTS))
  dirs.push(resolve(cwd, '.sahara/devnet/deployments'), resolve(cwd, 'deployments'))
  return dirs
}

/**
 * Finds and loads the deployments for a chain: an explicit file (or directory), then
 * $SAHARA_DEPLOYMENTS, ./.sahara/devnet/deployments and ./deployments. A file whose chainId
 * differs from the requested chain is an error (it would point at the wrong contracts).
 */
export function resolveDeployments(options: ResolveDeploymentsOptions): Deployments {
  const tried: string[] = []
  for (const entry of deploymentsSearchPath(options)) {
    const file = existsSync(entry) && statSync(entry).isFile() ? entry : deploymentsFile(entry, options.chainId)
    tried.push(file)
    if (!existsSync(file)) {
      if (options.path && entry === resolve(options.cwd ?? process.cwd(), options.path)) {
        throw new DeploymentsError(`No deployments for chain ${options.chainId} at ${options.path}.`)
      }
      continue
    }
    const d = loadDeploymentsFile(file)
    if (d.chainId !== options.chainId) {
      throw new DeploymentsError(`The deployments file ${file} is for chain ${d.chainId}, but the node is chain ${options.chainId}.`)
    }
    return d
  }
  throw new DeploymentsError(
    `No deployments found for chain ${options.chainId}; looked in ${tried.join(', ')}. Start the devnet or pass --deployments.`,
  )
}
