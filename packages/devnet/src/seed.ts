import { createHash } from 'node:crypto'
import { parseUnits, toHex, zeroAddress, type Address, type Chain, type Hex } from 'viem'
import type { DevAccount } from './accounts.ts'
import { loadArtifact } from './artifacts.ts'
import { publicClientFor, walletClientFor } from './clients.ts'
import type { Deployments } from '@sahara/sdk'
import { eventArgs, write } from './tx.ts'
import { seedPayPerUse, type PayPerUseSeed } from './payPerUse.ts'

// Mirrors contracts/src/types: AssetKinds, Relation, LicenseTemplate, Codecs.
const KIND = { DATASET: 1, MODEL: 2, AGENT: 3 } as const
const RELATION = { TRAINED_ON: 0, USES_MODEL: 5 } as const
const TEMPLATE = { COMMERCIAL_REMIX: 3 } as const
const CODEC = { RAW: 0x55, JSON: 0x0200 } as const

export interface SeedResult {
  /** False when the chain already had assets and nothing was sent. */
  created: boolean
  datasetId?: bigint
  modelId?: bigint
  agentId?: bigint
  datasetLicenseId?: bigint
  modelLicenseId?: bigint
  /** The pay-per-use demo (penguins dataset -> ONNX model -> agent), when a content store was given. */
  payPerUse?: PayPerUseSeed
}

export interface SeedOptions {
  rpcUrl: string
  chain?: Chain
  deployments: Deployments
  /** Dev accounts; [1] dataset owner, [2] model owner, [3] agent owner, [4] payer, [5..6] contributors. */
  accounts: DevAccount[]
  /** Content store directory for the pay-per-use demo's artifacts; without it that demo is skipped. */
  contentDir?: string
  log?: (message: string) => void
}

const sha256 = (s: string): Hex => toHex(createHash('sha256').update(s).digest())

function content(kind: string, name: string) {
  const body = `sahara demo ${kind}: ${name}`
  const metadata = JSON.stringify({ name, description: `Demo ${kind} registered by the devnet seed`, kind })
  return {
    content: { codec: CODEC.RAW, digest: sha256(body) },
    metadata: { codec: CODEC.JSON, digest: sha256(metadata) },
  }
}

/**
 * Registers a small demo economy: a dataset under COMMERCIAL_REMIX terms, a model TRAINED_ON it
 * (through a bought license), an agent USES_MODEL (also licensed), contributors on the model, and
 * a USDT payment into the agent whose royalties are flushed up the lineage. Runs once: skipped when
 * any asset exists.
 */
export async function seedDemo(options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? (() => {})
  const { deployments: d, accounts, rpcUrl, chain } = options
  const publicClient = publicClientFor(rpcUrl, chain)
  const registryAbi = loadArtifact('AssetRegistry').abi
  const licensesAbi = loadArtifact('LicenseRegistry').abi
  const sharesAbi = loadArtifact('ContributionShares').abi
  const vaultAbi = loadArtifact('RevenueVault').abi
  const usdtAbi = loadArtifact('DevStablecoin').abi
  const c = d.contracts

  const count = (await publicClient.readContract({ address: c.AssetRegistry, abi: registryAbi, functionName: 'assetCount' })) as bigint
  if (count > 0n) {
    log(`seed skipped: ${count} asset(s) already registered`)
    return { created: false }
  }

  const [alice, bob, carol, dave, erin, frank] = [1, 2, 3, 4, 5, 6].map((i) => {
    const a = accounts[i]
    if (!a) throw new Error(`seed needs at least 7 dev accounts`)
    return { ...a, wallet: walletClientFor(rpcUrl, a.privateKey, chain) }
  }) as [Actor, Actor, Actor, Actor, Actor, Actor]
  type Actor = DevAccount & { wallet: ReturnType<typeof walletClientFor> }

  const usdt = (n: string) => parseUnits(n, 6)
  const tx = (who: Actor, address: Address, abi: typeof registryAbi, fn: string, args: readonly unknown[]) =>
    write(publicClient, who.wallet, address, abi, fn, args)

  for (const who of [bob, carol, dave]) await tx(who, c.USDT, usdtAbi, 'faucet', [who.address, usdt('10000')])
  for (const who of [bob, carol, dave]) await tx(who, c.USDT, usdtAbi, 'approve', [c.RevenueVault, 2n ** 256n - 1n])

  const register = async (who: Actor, kind: number, name: string, parents: { parentId: bigint; relation: number; licenseId: bigint }[]) => {
    const r = await tx(who, c.AssetRegistry, registryAbi, 'register', [{ kind, owner: zeroAddress, ...content(String(kind), name), parents }])
    return eventArgs(r, registryAbi, 'AssetRegistered', c.AssetRegistry).assetId as bigint
  }
  const remixTerms = async (who: Actor, assetId: bigint, price: string, royaltyBps: number) => {
    const r = await tx(who, c.LicenseRegistry, licensesAbi, 'attachTerms', [
      assetId,
      { template: TEMPLATE.COMMERCIAL_REMIX, paymentToken: c.USDT, price: usdt(price), royaltyBps, duration: 0, transferable: false, supplyCap: 0n },
    ])
    return eventArgs(r, licensesAbi, 'TermsAttached', c.LicenseRegistry).termsId as bigint
  }
  const buy = async (who: Actor, termsId: bigint, maxFee: bigint) => {
    const r = await tx(who, c.LicenseRegistry, licensesAbi, 'buyLicense', [termsId, zeroAddress, maxFee])
    return eventArgs(r, licensesAbi, 'LicenseIssued', c.LicenseRegistry).licenseId as bigint
  }

  const datasetId = await register(alice, KIND.DATASET, 'Sahara demo corpus', [])
  const datasetTerms = await remixTerms(alice, datasetId, '100', 1_000)
  log(`seed: dataset #${datasetId} (owner ${alice.address}) with COMMERCIAL_REMIX terms #${datasetTerms}: 100 USDT + 10% royalty`)

  const datasetLicenseId = await buy(bob, datasetTerms, usdt('100'))
  const modelId = await register(bob, KIND.MODEL, 'Sahara demo model', [{ parentId: datasetId, relation: RELATION.TRAINED_ON, licenseId: datasetLicenseId }])
  await tx(bob, c.ContributionShares, sharesAbi, 'setContributorSplit', [modelId, 2_000])
  await tx(bob, c.ContributionShares, sharesAbi, 'mintBatch', [
    modelId,
    [erin.address, frank.address],
    [600n, 400n],
    1,
    [sha256('labeling batch 1'), sha256('training run 1')],
  ])
  const modelTerms = await remixTerms(bob, modelId, '50', 500)
  log(`seed: model #${modelId} TRAINED_ON #${datasetId} (license #${datasetLicenseId}), 20% to contributors, terms #${modelTerms}: 50 USDT + 5%`)

  const modelLicenseId = await buy(carol, modelTerms, usdt('50'))
  const agentId = await register(carol, KIND.AGENT, 'Sahara demo agent', [{ parentId: modelId, relation: RELATION.USES_MODEL, licenseId: modelLicenseId }])
  log(`seed: agent #${agentId} USES_MODEL #${modelId} (license #${modelLicenseId})`)

  await tx(dave, c.RevenueVault, vaultAbi, 'pay', [agentId, c.USDT, usdt('1000')])
  await tx(dave, c.RevenueVault, vaultAbi, 'flushRoyaltiesBatch', [[agentId, modelId], c.USDT])
  log(`seed: ${dave.address} paid 1000 USDT into agent #${agentId}; royalties flushed to the model and dataset`)

  return { created: true, datasetId, modelId, agentId, datasetLicenseId, modelLicenseId }
}

/**
 * Every devnet seed step, in order: the licensing/revenue demo (once per chain), then the
 * pay-per-use demo (idempotent; needs `contentDir`). A later execution step (register a node in
 * NodeRegistry and serve the pay-per-use assets) slots in after `seedPayPerUse`, taking its result.
 */
export async function seedDevnet(options: SeedOptions): Promise<SeedResult> {
  const demo = await seedDemo(options)
  if (!options.contentDir) return demo
  const payPerUse = await seedPayPerUse({ ...options, contentDir: options.contentDir })
  return { ...demo, payPerUse }
}
