import type { Address } from 'viem'
import type { AssetConfig, NodeConfig } from './config.ts'
import type { ChainAdapter } from './chain/adapter.ts'
import type { AssetTerms } from './payments/processor.ts'
import { agentRuntime, parseAgentManifest } from './runtimes/agent.ts'
import type { ContentStoreLike } from './runtimes/contentStore.ts'
import { echoRuntime } from './runtimes/echo.ts'
import { onnxRuntime, parseModelManifest } from './runtimes/onnx.ts'
import type { Runtime } from './runtimes/types.ts'
import { upstreamRuntime } from './runtimes/upstream.ts'
import type { Logger } from './util/log.ts'

/** An asset as served: config + the on-chain version + its runtime (or why it cannot be served). */
export type ServedAsset = {
  cfg: AssetConfig
  id: string
  version: number
  terms: AssetTerms
  /** Where x402 exact payments for this asset go (ExactPayments.receiverOf(nodeId, assetId)). */
  payTo: Address
  runtime?: Runtime
  unavailable?: string
}

type Resolved = { version: number; contentCid?: string; metadataCid?: string }

async function resolveVersion(cfg: AssetConfig, chain: ChainAdapter | undefined): Promise<Resolved> {
  if (chain && cfg.version === undefined) {
    const v = await chain.assetVersion(cfg.assetId)
    return { version: v.version, contentCid: v.contentCid, metadataCid: v.metadataCid }
  }
  return { version: cfg.version ?? 1, ...(cfg.contentCid ? { contentCid: cfg.contentCid } : {}), ...(cfg.metadataCid ? { metadataCid: cfg.metadataCid } : {}) }
}

async function buildRuntime(cfg: AssetConfig, r: Resolved, config: NodeConfig, store: ContentStoreLike, chain: ChainAdapter | undefined): Promise<Runtime> {
  switch (cfg.runtime) {
    case 'echo':
      return echoRuntime()
    case 'upstream':
      return upstreamRuntime(config.upstreams[cfg.upstream!]!, cfg.upstreamModel)
    case 'onnx': {
      if (!r.contentCid || !r.metadataCid) throw new Error('the model has no content/metadata CID')
      // ContentStore.get verifies the bytes against the CID the chain names for this version
      const [model, manifest] = await Promise.all([store.get(r.contentCid), store.get(r.metadataCid)])
      return onnxRuntime(model, parseModelManifest(manifest), { threads: cfg.onnxThreads ?? 1 })
    }
    case 'agent': {
      if (!r.contentCid) throw new Error('the agent has no content CID')
      const manifest = parseAgentManifest(await store.get(r.contentCid))
      const modelCfg = config.assets.find((a) => a.assetId.toString() === manifest.model.assetId)
      const modelAsset: AssetConfig = modelCfg ?? { ...cfg, assetId: BigInt(manifest.model.assetId), runtime: 'onnx', name: `model-${manifest.model.assetId}` }
      const { version: _v, ...fromChain } = await resolveVersion({ ...modelAsset, ...(modelCfg ? {} : { version: undefined }) } as AssetConfig, chain)
      const model = await buildRuntime(modelAsset, { version: 0, ...fromChain }, config, store, chain)
      return agentRuntime(manifest, model)
    }
  }
}

/** Resolves every configured asset; one that fails is kept as unavailable (503), not fatal. */
export async function loadAssets(config: NodeConfig, chain: ChainAdapter | undefined, store: ContentStoreLike, log: Logger): Promise<ServedAsset[]> {
  return Promise.all(
    config.assets.map(async (cfg): Promise<ServedAsset> => {
      const terms = { assetId: cfg.assetId, token: cfg.token, unitPrice: cfg.unitPrice, unitsPerCall: cfg.unitsPerCall }
      const base = { cfg, id: `sahara:${cfg.assetId}`, terms, payTo: config.contracts.ExactPayments }
      let r: Resolved
      try {
        if (chain?.receiverOf) base.payTo = await chain.receiverOf(config.nodeId, cfg.assetId)
        r = await resolveVersion(cfg, chain)
      } catch (e) {
        log.error('asset_unavailable', { assetId: cfg.assetId, reason: (e as Error).message })
        return { ...base, version: 0, unavailable: `The asset's on-chain version cannot be read: ${(e as Error).message.split('\n')[0]}` }
      }
      try {
        const runtime = await buildRuntime(cfg, r, config, store, chain)
        log.info('asset_loaded', { assetId: cfg.assetId, name: cfg.name, runtime: cfg.runtime, version: r.version })
        return { ...base, version: r.version, runtime }
      } catch (e) {
        log.error('asset_unavailable', { assetId: cfg.assetId, reason: (e as Error).message })
        return { ...base, version: r.version, unavailable: (e as Error).message }
      }
    }),
  )
}
