// The deployments file format (type, contract names, validation) belongs to @sahara/sdk; the devnet
// only writes the file and checks that a recorded deployment still exists (and is current) on its chain.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import type { Address, PublicClient } from 'viem'
import { isDeployedCodeOf, protocolArtifacts, type Artifact } from './artifacts.ts'
import {
  CONTRACT_NAMES,
  DeploymentsError,
  MODULE_NAMES,
  OPTIONAL_CONTRACT_NAMES,
  deploymentsFile,
  deploymentsToJson,
  loadDeploymentsFile,
  type Deployments,
} from '@sahara/sdk'

/** Reads `<dir>/<chainId>.json`; undefined when it does not exist. */
export function readDeployments(dir: string, chainId: number): Deployments | undefined {
  const file = deploymentsFile(dir, chainId)
  if (!existsSync(file)) return undefined
  const d = loadDeploymentsFile(file)
  if (d.chainId !== chainId) throw new DeploymentsError(`Invalid deployments file ${file}: chainId ${d.chainId} does not match the file name`)
  return d
}

/** Writes `<dir>/<chainId>.json` atomically (temp file + rename) and returns its path. */
export function writeDeployments(dir: string, d: Deployments): string {
  mkdirSync(dir, { recursive: true })
  const file = deploymentsFile(dir, d.chainId)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(deploymentsToJson(d), null, 2)}\n`)
  renameSync(tmp, file)
  return file
}

/**
 * Addresses of `d` that have no code on the chain behind `publicClient` (empty = all present).
 * A module without a recorded implementation counts as missing: the devnet always records them.
 * Optional contracts (the exchange) count only when recorded.
 */
export async function missingCode(publicClient: PublicClient, d: Deployments): Promise<string[]> {
  const optional = OPTIONAL_CONTRACT_NAMES.filter((n) => !(CONTRACT_NAMES as readonly string[]).includes(n) && d.contracts[n])
  const entries = [
    ...CONTRACT_NAMES.map((n) => [n, d.contracts[n]] as const),
    ...optional.map((n) => [n, d.contracts[n]] as const),
    ...MODULE_NAMES.map((n) => [`implementations.${n}`, d.implementations[n]] as const),
  ]
  const codes = await Promise.all(entries.map(([, a]) => (a ? publicClient.getCode({ address: a }) : undefined)))
  return entries.filter((_, i) => !codes[i] || codes[i] === '0x').map(([n]) => n)
}

/**
 * Contracts whose code on the chain is not what contracts/out holds now: the deployment was made
 * from older sources. Checks the tokens and each module's implementation (proxies never change).
 */
export async function staleCode(publicClient: PublicClient, d: Deployments): Promise<string[]> {
  const entries: [string, Address | undefined, () => Artifact][] = [
    ['SaharaToken', d.contracts.SaharaToken, protocolArtifacts.SaharaToken],
    ...MODULE_NAMES.map((n): [string, Address | undefined, () => Artifact] => [n, d.implementations[n], protocolArtifacts[n]]),
    // Optional module: checked when recorded.
    ['GrantPool', d.implementations.GrantPool, protocolArtifacts.GrantPool],
  ]
  const stale: string[] = []
  for (const [name, address, artifact] of entries) {
    if (!address) continue
    if (!isDeployedCodeOf(artifact(), await publicClient.getCode({ address }))) stale.push(name)
  }
  return stale
}
