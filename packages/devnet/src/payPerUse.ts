import { parseUnits, type Address, type Chain, type PublicClient } from 'viem'
import {
  assetRegistryAbi,
  attachTerms,
  buyLicense,
  devStablecoinAbi,
  encodeMetadata,
  faucet,
  fromContentRef,
  kindId,
  listTerms,
  prepareRegistration,
  readParents,
  registerAsset,
  type Deployments,
  type LicenseTemplateName,
  type WriteContext,
} from '@sahara/sdk'
import {
  penguinsAgentManifest,
  penguinsAgentMetadata,
  penguinsDatasetBytes,
  penguinsDatasetMetadata,
  readArtifacts,
  type AgentManifest,
  type ModelManifest,
} from '@sahara/models'
import { ContentStore } from '@sahara/store'
import type { DevAccount } from './accounts.ts'
import { publicClientFor, walletClientFor } from './clients.ts'

/** Default price of one call to the demo agent and to the demo model: 1,000 base units = 0.001 USDT. */
export const DEFAULT_UNIT_PRICE = 1_000n

export interface PayPerUseSeedOptions {
  rpcUrl: string
  chain?: Chain
  deployments: Deployments
  /** Dev accounts; [1] dataset owner, [2] model owner, [3] agent owner (as in seedDemo). */
  accounts: DevAccount[]
  /** The content store directory (the devnet's is `contentDirFor(dataDir)`, i.e. `.sahara/content`). */
  contentDir: string
  /** USDT base units per call of the agent (default 1,000). */
  agentUnitPrice?: bigint
  /** USDT base units per call of the model (default 1,000). */
  modelUnitPrice?: bigint
  log?: (message: string) => void
}

/** One seeded asset: its id, owner and the CIDs of its latest version (all in the content store). */
export interface SeededAsset {
  assetId: bigint
  owner: Address
  version: number
  /** CID of the version content (dataset file / ONNX model / agent manifest). */
  content: string
  /** CID of the version metadata JSON (dataset description / model manifest / agent description). */
  metadata: string
}

/** What a node needs to serve the pay-per-use demo. All bigints; every CID is in `contentDir`. */
export interface PayPerUseSeed {
  /** False when everything already existed on-chain and no transaction was sent. */
  created: boolean
  contentDir: string
  /** Payment token of the PAY_PER_USE terms (devnet USDT). */
  token: Address
  dataset: SeededAsset & { remixTermsId: bigint }
  model: SeededAsset & { remixTermsId: bigint; payPerUseTermsId: bigint; unitPrice: bigint; datasetLicenseId: bigint; manifest: ModelManifest }
  agent: SeededAsset & { payPerUseTermsId: bigint; unitPrice: bigint; modelLicenseId: bigint; manifest: AgentManifest }
}

const usdt = (n: string) => parseUnits(n, 6)
/** Licenses that let the next owner derive (COMMERCIAL_REMIX): fee and royalty on downstream revenue. */
const DATASET_REMIX = { price: usdt('10'), royaltyBps: 1_000 }
const MODEL_REMIX = { price: usdt('5'), royaltyBps: 500 }

/**
 * Pay-per-use demo, resumable and idempotent: puts the Palmer penguins dataset, the committed ONNX
 * model with its manifest, and an agent manifest into the content store, then registers (unless
 * already on-chain) a DATASET, a MODEL TRAINED_ON it and an AGENT USES_MODEL the model, each owned
 * by a different dev account that buys a COMMERCIAL_REMIX license on its parent (so pay-per-use
 * revenue of the agent pays royalties up the lineage), and attaches PAY_PER_USE terms in USDT to the
 * model and the agent. Existing assets are found by (kind, content CID, owner), so a second run, or a
 * run after a crash halfway, only sends what is missing.
 *
 * A later `seedExecution(...)` (NodeRegistry.register + serveAsset for `model.assetId` and
 * `agent.assetId`) takes this result as input.
 */
export async function seedPayPerUse(options: PayPerUseSeedOptions): Promise<PayPerUseSeed> {
  const log = options.log ?? (() => {})
  const { deployments, rpcUrl, chain } = options
  const publicClient = publicClientFor(rpcUrl, chain)
  const agentUnitPrice = options.agentUnitPrice ?? DEFAULT_UNIT_PRICE
  const modelUnitPrice = options.modelUnitPrice ?? DEFAULT_UNIT_PRICE
  const ctx = (i: number): WriteContext & { address: Address } => {
    const a = options.accounts[i]
    if (!a) throw new Error('seedPayPerUse needs at least 4 dev accounts')
    return { publicClient, deployments, walletClient: walletClientFor(rpcUrl, a.privateKey, chain), address: a.address }
  }
  const [alice, bob, carol] = [ctx(1), ctx(2), ctx(3)]
  const store = new ContentStore(options.contentDir)
  let created = false

  // ---- content: everything a node serves goes into the store before anything points at it
  const datasetCid = await store.put(penguinsDatasetBytes())
  const datasetReg = await prepareRegistration({ kind: 'DATASET', content: datasetCid, metadata: penguinsDatasetMetadata() })
  await store.put(datasetReg.metadata.bytes!)
  const model = await readArtifacts()
  await putExpecting(store, model.onnx, model.onnxCid)
  await putExpecting(store, model.manifestBytes, model.manifestCid)

  const index = await indexAssets(publicClient, deployments)

  // ---- dataset (alice)
  let dataset = index.find('DATASET', datasetCid, alice.address)
  if (!dataset) {
    const { assetId } = await registerAsset(alice, { kind: 'DATASET', content: datasetCid, metadata: datasetReg.metadata.cid })
    dataset = { assetId, version: 1, content: datasetCid, metadata: datasetReg.metadata.cid }
    created = true
    log(`seed: penguins dataset #${assetId} registered (content ${datasetCid})`)
  }
  const datasetId = dataset.assetId
  const datasetRemix = await ensureTerms(alice, datasetId, 'COMMERCIAL_REMIX', DATASET_REMIX.price, DATASET_REMIX.royaltyBps)
  created ||= datasetRemix.created

  // ---- model (bob), TRAINED_ON the dataset through a remix license
  let modelAsset = index.find('MODEL', model.onnxCid, bob.address)
  let datasetLicenseId: bigint
  if (!modelAsset) {
    datasetLicenseId = await buyWithFunds(bob, datasetRemix.termsId, DATASET_REMIX.price)
    const { assetId } = await registerAsset(bob, {
      kind: 'MODEL',
      content: model.onnxCid,
      metadata: model.manifestCid,
      parents: [{ parentId: datasetId, relation: 'TRAINED_ON', licenseId: datasetLicenseId }],
    })
    modelAsset = { assetId, version: 1, content: model.onnxCid, metadata: model.manifestCid }
    created = true
    log(`seed: penguins model #${assetId} TRAINED_ON #${datasetId} (license #${datasetLicenseId}); onnx ${model.onnxCid}, manifest ${model.manifestCid}`)
  } else {
    datasetLicenseId = (await readParents(publicClient, deployments.contracts.AssetRegistry, modelAsset.assetId))[0]?.licenseId ?? 0n
  }
  const modelId = modelAsset.assetId
  const modelRemix = await ensureTerms(bob, modelId, 'COMMERCIAL_REMIX', MODEL_REMIX.price, MODEL_REMIX.royaltyBps)
  const modelPpu = await ensureTerms(bob, modelId, 'PAY_PER_USE', modelUnitPrice, 0)
  created ||= modelRemix.created || modelPpu.created

  // ---- agent (carol), USES_MODEL the model through a remix license; its manifest names the model id
  const agentManifest = penguinsAgentManifest({ modelId, unitPrice: agentUnitPrice, token: 'USDT' })
  const agentContent = await encodeMetadata(agentManifest as unknown as Parameters<typeof encodeMetadata>[0])
  await putExpecting(store, agentContent.bytes, agentContent.cid)
  const agentReg = await prepareRegistration({ kind: 'AGENT', content: agentContent.cid, metadata: penguinsAgentMetadata() })
  await store.put(agentReg.metadata.bytes!)
  let agent = index.find('AGENT', agentContent.cid, carol.address)
  let modelLicenseId: bigint
  if (!agent) {
    modelLicenseId = await buyWithFunds(carol, modelRemix.termsId, MODEL_REMIX.price)
    const { assetId } = await registerAsset(carol, {
      kind: 'AGENT',
      content: agentContent.cid,
      metadata: agentReg.metadata.cid,
      parents: [{ parentId: modelId, relation: 'USES_MODEL', licenseId: modelLicenseId }],
    })
    agent = { assetId, version: 1, content: agentContent.cid, metadata: agentReg.metadata.cid }
    created = true
    log(`seed: penguins agent #${assetId} USES_MODEL #${modelId} (license #${modelLicenseId}); manifest ${agentContent.cid}`)
  } else {
    modelLicenseId = (await readParents(publicClient, deployments.contracts.AssetRegistry, agent.assetId))[0]?.licenseId ?? 0n
  }
  const agentId = agent.assetId
  const agentPpu = await ensureTerms(carol, agentId, 'PAY_PER_USE', agentUnitPrice, 0)
  created ||= agentPpu.created
  if (created) {
    log(`seed: PAY_PER_USE terms #${agentPpu.termsId} on agent #${agentId} (${agentUnitPrice} base units/call) and #${modelPpu.termsId} on model #${modelId} (${modelUnitPrice})`)
  }

  return {
    created,
    contentDir: store.dir,
    token: deployments.contracts.USDT,
    dataset: { ...dataset, owner: alice.address, remixTermsId: datasetRemix.termsId },
    model: {
      ...modelAsset,
      owner: bob.address,
      remixTermsId: modelRemix.termsId,
      payPerUseTermsId: modelPpu.termsId,
      unitPrice: modelUnitPrice,
      datasetLicenseId,
      manifest: model.manifest,
    },
    agent: {
      ...agent,
      owner: carol.address,
      payPerUseTermsId: agentPpu.termsId,
      unitPrice: agentUnitPrice,
      modelLicenseId,
      manifest: agentManifest,
    },
  }

  /** Finds active terms of this shape on the asset (paid in USDT), or attaches them. */
  async function ensureTerms(who: WriteContext, assetId: bigint, template: LicenseTemplateName, price: bigint, royaltyBps: number) {
    const existing = (await listTerms(who, assetId)).find(
      (t) => t.active && t.template === template && t.price === price && t.royaltyBps === royaltyBps && t.paymentToken === deployments.contracts.USDT,
    )
    if (existing) return { termsId: existing.termsId, created: false }
    const { termsId } = await attachTerms(who, { assetId, template, paymentToken: 'USDT', price, royaltyBps })
    return { termsId, created: true }
  }

  /** Buys a license, minting devnet USDT first when the buyer is short. */
  async function buyWithFunds(who: WriteContext & { address: Address }, termsId: bigint, price: bigint): Promise<bigint> {
    const balance = await publicClient.readContract({ address: deployments.contracts.USDT, abi: devStablecoinAbi, functionName: 'balanceOf', args: [who.address] })
    if (balance < price) await faucet(who, { amount: price * 10n })
    return (await buyLicense(who, { termsId, maxFee: price })).licenseId
  }
}

/** Stores `bytes` and checks they landed under the CID the caller registers. */
async function putExpecting(store: ContentStore, bytes: Uint8Array, cid: string): Promise<void> {
  const put = await store.put(bytes)
  if (put !== cid) throw new Error(`content store returned ${put} for bytes expected to be ${cid}`)
}

/**
 * Latest content CID, kind and owner of every registered asset, to find what an earlier run
 * registered. One pass over the registry: fine for a devnet (a few assets).
 */
async function indexAssets(publicClient: PublicClient, deployments: Deployments) {
  const registry = { address: deployments.contracts.AssetRegistry, abi: assetRegistryAbi } as const
  const count = await publicClient.readContract({ ...registry, functionName: 'assetCount' })
  const rows = await Promise.all(
    Array.from({ length: Number(count) }, async (_, i) => {
      const assetId = BigInt(i + 1)
      const [info, [v, vinfo], owner] = await Promise.all([
        publicClient.readContract({ ...registry, functionName: 'assetInfo', args: [assetId] }),
        publicClient.readContract({ ...registry, functionName: 'latestVersion', args: [assetId] }),
        publicClient.readContract({ ...registry, functionName: 'ownerOf', args: [assetId] }),
      ])
      return { assetId, kind: Number(info.kind), version: Number(v), content: fromContentRef(vinfo.content), metadata: fromContentRef(vinfo.metadata), owner }
    }),
  )
  return {
    /**
     * Lowest asset id of this kind whose latest content is `cid` and which `owner` still owns, with
     * its on-chain version and CIDs (the metadata may differ from what this seed would register).
     */
    find(kind: 'DATASET' | 'MODEL' | 'AGENT', cid: string, owner: Address): Omit<SeededAsset, 'owner'> | undefined {
      const r = rows.find((r) => r.kind === kindId(kind) && r.content === cid && r.owner.toLowerCase() === owner.toLowerCase())
      return r && { assetId: r.assetId, version: r.version, content: r.content, metadata: r.metadata }
    },
  }
}
