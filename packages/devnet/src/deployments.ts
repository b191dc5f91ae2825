import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { getAddress, isAddress, type Address, type PublicClient } from 'viem'

/** Upgradeable modules, each an ERC-1967 proxy in `contracts` with its logic in `implementations`. */
export const MODULES = ['AssetRegistry', 'LicenseRegistry', 'ContributionShares', 'RevenueVault'] as const
export type ModuleName = (typeof MODULES)[number]

export const CONTRACTS = ['SaharaToken', 'USDT', ...MODULES] as const
export type ContractName = (typeof CONTRACTS)[number]

/** Content of `<dir>/<chainId>.json`; the SDK and CLI read this exact shape. */
export interface Deployments {
  chainId: number
  rpcUrl?: string
  deployer: Address
  admin: Address
  treasury: Address
  /** First block of the deployment: indexers start scanning events here. */
  startBlock: number
  contracts: Record<ContractName, Address>
  implementations: Record<ModuleName, Address>
}

/** A deployments file exists but does not have the expected shape. */
export class InvalidDeploymentsError extends Error {
  override readonly name = 'InvalidDeploymentsError'
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Invalid deployments file ${file}: ${reason}`)
  }
}

export function deploymentsFile(dir: string, chainId: number): string {
  return path.join(dir, `${chainId}.json`)
}

function address(file: string, value: unknown, field: string): Address {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) throw new InvalidDeploymentsError(file, `${field} is not an address`)
  return getAddress(value)
}

/** Validates parsed JSON into Deployments (addresses checksummed). */
export function parseDeployments(json: unknown, file = '<memory>'): Deployments {
  if (typeof json !== 'object' || json === null) throw new InvalidDeploymentsError(file, 'not an object')
  const j = json as Record<string, unknown>
  if (typeof j.chainId !== 'number' || !Number.isSafeInteger(j.chainId)) throw new InvalidDeploymentsError(file, 'chainId is not an integer')
  if (typeof j.startBlock !== 'number' || !Number.isSafeInteger(j.startBlock) || j.startBlock < 0) {
    throw new InvalidDeploymentsError(file, 'startBlock is not a block number')
  }
  if (j.rpcUrl !== undefined && typeof j.rpcUrl !== 'string') throw new InvalidDeploymentsError(file, 'rpcUrl is not a string')
  const c = (j.contracts ?? {}) as Record<string, unknown>
  const impl = (j.implementations ?? {}) as Record<string, unknown>
  const contracts = Object.fromEntries(CONTRACTS.map((n) => [n, address(file, c[n], `contracts.${n}`)])) as Record<ContractName, Address>
  const implementations = Object.fromEntries(MODULES.map((n) => [n, address(file, impl[n], `implementations.${n}`)])) as Record<
    ModuleName,
    Address
  >
  return {
    chainId: j.chainId,
    ...(typeof j.rpcUrl === 'string' ? { rpcUrl: j.rpcUrl } : {}),
    deployer: address(file, j.deployer, 'deployer'),
    admin: address(file, j.admin, 'admin'),
    treasury: address(file, j.treasury, 'treasury'),
    startBlock: j.startBlock,
    contracts,
    implementations,
  }
}

/** Reads `<dir>/<chainId>.json`; undefined when it does not exist. */
export function readDeployments(dir: string, chainId: number): Deployments | undefined {
  const file = deploymentsFile(dir, chainId)
  if (!existsSync(file)) return undefined
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new InvalidDeploymentsError(file, `not JSON (${(err as Error).message})`)
  }
  const d = parseDeployments(json, file)
  if (d.chainId !== chainId) throw new InvalidDeploymentsError(file, `chainId ${d.chainId} does not match the file name`)
  return d
}

/** Writes `<dir>/<chainId>.json` atomically (temp file + rename) and returns its path. */
export function writeDeployments(dir: string, d: Deployments): string {
  mkdirSync(dir, { recursive: true })
  const file = deploymentsFile(dir, d.chainId)
  const tmp = `${file}.${process.pid}.tmp`
  const ordered: Deployments = {
    chainId: d.chainId,
    ...(d.rpcUrl !== undefined ? { rpcUrl: d.rpcUrl } : {}),
    deployer: d.deployer,
    admin: d.admin,
    treasury: d.treasury,
    startBlock: d.startBlock,
    contracts: d.contracts,
    implementations: d.implementations,
  }
  writeFileSync(tmp, `${JSON.stringify(ordered, null, 2)}\n`)
  renameSync(tmp, file)
  return file
}

/** Addresses of `d` that have no code on the chain behind `publicClient` (empty = all present). */
export async function missingCode(publicClient: PublicClient, d: Deployments): Promise<string[]> {
  const entries = [
    ...CONTRACTS.map((n) => [n, d.contracts[n]] as const),
    ...MODULES.map((n) => [`implementations.${n}`, d.implementations[n]] as const),
  ]
  const codes = await Promise.all(entries.map(([, a]) => publicClient.getCode({ address: a })))
  return entries.filter((_, i) => !codes[i] || codes[i] === '0x').map(([n]) => n)
}
