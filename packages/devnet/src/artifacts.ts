import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Abi, Hex } from 'viem'
import { forgeOutDir } from './paths.ts'

/** The parts of a forge artifact the harness needs. */
export interface Artifact {
  readonly contractName: string
  readonly abi: Abi
  readonly bytecode: Hex
  readonly deployedBytecode: Hex
  /** Byte ranges of `deployedBytecode` filled at construction (immutables). */
  readonly immutableRanges: readonly { start: number; length: number }[]
}

/** Thrown when an artifact is missing or malformed (usually: `forge build` has not run). */
export class ArtifactNotFoundError extends Error {
  override readonly name = 'ArtifactNotFoundError'
  constructor(
    readonly contractName: string,
    readonly file: string,
    cause?: unknown,
  ) {
    super(
      `Forge artifact for ${contractName} not found or unreadable at ${file}. ` +
        `Run \`npm run build\` (or \`npx forge build\` in contracts/) first.`,
      { cause },
    )
  }
}

const cache = new Map<string, Artifact>()

/**
 * Loads `contracts/out/<sourceFile>.sol/<contractName>.json`, resolved relative to this package
 * (never the cwd). `sourceFile` defaults to the contract name, the usual one-contract-per-file case.
 */
export function loadArtifact(contractName: string, sourceFile: string = contractName, outDir: string = forgeOutDir): Artifact {
  const file = path.join(outDir, `${sourceFile}.sol`, `${contractName}.json`)
  const hit = cache.get(file)
  if (hit) return hit
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new ArtifactNotFoundError(contractName, file, err)
  }
  const artifact = parseArtifact(contractName, file, json)
  cache.set(file, artifact)
  return artifact
}

function parseArtifact(contractName: string, file: string, json: unknown): Artifact {
  const j = json as {
    abi?: unknown
    bytecode?: { object?: unknown }
    deployedBytecode?: { object?: unknown; immutableReferences?: Record<string, { start: number; length: number }[]> }
  }
  const bytecode = j.bytecode?.object
  const deployed = j.deployedBytecode?.object
  if (!Array.isArray(j.abi) || typeof bytecode !== 'string' || typeof deployed !== 'string') {
    throw new ArtifactNotFoundError(contractName, file, new Error('artifact lacks abi or bytecode'))
  }
  // Unlinked libraries leave `__$...$__` placeholders; deploying those would fail obscurely.
  if (bytecode.includes('__$')) {
    throw new ArtifactNotFoundError(contractName, file, new Error('bytecode has unlinked library references'))
  }
  return {
    contractName,
    abi: j.abi as Abi,
    bytecode: (bytecode.startsWith('0x') ? bytecode : `0x${bytecode}`) as Hex,
    deployedBytecode: (deployed.startsWith('0x') ? deployed : `0x${deployed}`) as Hex,
    immutableRanges: Object.values(j.deployedBytecode?.immutableReferences ?? {}).flat(),
  }
}

/**
 * Whether `code` (read from a chain) is the runtime code of `artifact`, ignoring the immutables
 * that each deployment fills in differently.
 */
export function isDeployedCodeOf(artifact: Artifact, code: Hex | undefined): boolean {
  if (!code || code.length !== artifact.deployedBytecode.length) return false
  const mask = (hex: Hex) => {
    const chars = hex.slice(2).split('')
    for (const { start, length } of artifact.immutableRanges) chars.fill('0', start * 2, (start + length) * 2)
    return chars.join('').toLowerCase()
  }
  return mask(code) === mask(artifact.deployedBytecode)
}

/** Contract names of the protocol, as used in deployments files and artifact lookups. */
export const protocolArtifacts = {
  SaharaToken: () => loadArtifact('SaharaToken'),
  DevStablecoin: () => loadArtifact('DevStablecoin'),
  AssetRegistry: () => loadArtifact('AssetRegistry'),
  LicenseRegistry: () => loadArtifact('LicenseRegistry'),
  ContributionShares: () => loadArtifact('ContributionShares'),
  RevenueVault: () => loadArtifact('RevenueVault'),
  NodeRegistry: () => loadArtifact('NodeRegistry'),
  PaymentChannels: () => loadArtifact('PaymentChannels'),
  ExactPayments: () => loadArtifact('ExactPayments'),
  GrantPool: () => loadArtifact('GrantPool'),
  ERC1967Proxy: () => loadArtifact('ERC1967Proxy'),
} as const
