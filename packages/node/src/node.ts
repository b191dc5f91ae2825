import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { privateKeyToAccount } from 'viem/accounts'
import { loadAssets, type ServedAsset } from './assets.ts'
import type { ChainAdapter } from './chain/adapter.ts'
import { ChannelCache } from './chain/channelCache.ts'
import { createViemChain } from './chain/viemChain.ts'
import type { NodeConfig } from './config.ts'
import { ConfigError } from './errors.ts'
import { Metrics } from './http/metrics.ts'
import { createNodeServer } from './http/server.ts'
import { ReceiptBatchSigner } from './payments/eip712.ts'
import { GroupCommitter } from './payments/groups.ts'
import { PaymentProcessor } from './payments/processor.ts'
import { laneTotal } from './payments/verify.ts'
import { localContentStore, type ContentStoreLike } from './runtimes/contentStore.ts'
import { Settler } from './settlement/settler.ts'
import { laneRow, Store } from './store/db.ts'
import { inlineWriter, workerWriter } from './store/groupWriter.ts'
import { createLogger, type Logger } from './util/log.ts'

export type StartNodeOptions = {
  /** Chain access; default: viem clients on config.rpcUrl. Tests inject a fake. */
  chain?: ChainAdapter
  contentStore?: ContentStoreLike
  logger?: Logger
  /** Do not run the periodic settler (tests drive `settle()` themselves). */
  manualSettlement?: boolean
}

export type RunningNode = {
  url: string
  port: number
  /** Forces a settlement round now. */
  settle(): Promise<void>
  /** Re-reads channels with unsettled lanes; settles now when a tail is due. True if it settled. */
  sweep(): Promise<boolean>
  /** Stops accepting calls, settles (with chain tails), closes the store. */
  close(options?: { settle?: boolean }): Promise<void>
  /** Internals for tests and benchmarks. */
  readonly internals: { store: Store; processor: PaymentProcessor; committer: GroupCommitter; metrics: Metrics; channels: ChannelCache; assets: ServedAsset[] }
}

/** Starts an execution node: rebuilds lane state from SQLite, loads assets, listens. */
export async function startNode(config: NodeConfig, options: StartNodeOptions = {}): Promise<RunningNode> {
  const log = options.logger ?? createLogger(config.logLevel)
  const ownChain = options.chain ? undefined : config.rpcUrl ? createChain(config) : undefined
  const chain = options.chain ?? ownChain
  if (!chain) throw new ConfigError('The node needs rpcUrl (or an injected chain adapter) to verify channels.')
  const store = new Store(join(config.dataDir, 'node.sqlite'), { synchronous: config.durability === 'full' ? 'FULL' : 'NORMAL', backgroundCheckpoint: true })
  const metrics = new Metrics()
  const channels = new ChannelCache(chain, config.channelMaxAgeMs)
  const domain = { chainId: config.chainId, verifyingContract: config.contracts.PaymentChannels }
  const processor = new PaymentProcessor(channels, {
    nodeId: config.nodeId,
    domain,
    now: () => chain.now(),
    minVoucherLifetime: BigInt(config.minVoucherLifetimeSec),
    closeSafetyMargin: BigInt(config.closeSafetyMarginSec),
  })
  const lanes = store.loadLanes()
  // Lanes rebuilt from group deltas go back into the lanes table now: later snapshots write only
  // the lanes this process touches and move the replay point past every older delta.
  store.snapshotLanes(lanes.map(laneRow), store.lastGroupSeq())
  processor.restore(lanes)
  const dbFile = join(config.dataDir, 'node.sqlite')
  const writer =
    config.groupWriter === 'inline'
      ? inlineWriter(store, new ReceiptBatchSigner(domain, config.signerPrivateKey), config.nodeId)
      : workerWriter({ file: dbFile, synchronous: config.durability === 'full' ? 'FULL' : 'NORMAL', chainId: config.chainId, verifyingContract: config.contracts.PaymentChannels, privateKey: config.signerPrivateKey, nodeId: config.nodeId })
  const committer = new GroupCommitter(store, writer, (err, batch) => {
    log.error('group_commit_failed', { error: err.message, receipts: batch.length })
    // The calls were refunded (newest first). A lane still ahead of SQLite (a call its refund could
    // not undo) goes back to its last committed state, and its channel's total with it.
    const persisted = new Map(store.loadLanes().map((l) => [l.key, l]))
    for (const p of batch) {
      if (!p.lane) continue
      const saved = persisted.get(p.lane.state.key)
      const live = processor.lanes.get(p.lane.state.key)
      if (!live || !saved || (live.units === saved.units && live.voucher.signature === saved.voucher.signature)) continue
      const ch = channels.peek(live.channelId)
      if (ch) ch.owed -= laneTotal(live) - laneTotal(saved)
      Object.assign(live, { voucher: saved.voucher, units: saved.units, head: saved.head })
    }
  })
  metrics.groups = 0
  const settler = new Settler({ chain, store, processor, channels, committer, policy: config.settlement, nodeId: config.nodeId, defaultToken: config.assets[0]!.token, metrics, log })
  await settler.recover().catch((e: unknown) => log.warn('settlement_recover_failed', { error: (e as Error).message }))
  // channels of restored lanes: read once so the first ticket needs no RPC
  await Promise.all([...new Set(lanes.map((l) => l.channelId))].map((id) => channels.refresh(id).catch(() => undefined)))
  const assets = await loadAssets(config, options.chain ?? (config.rpcUrl ? chain : undefined), options.contentStore ?? localContentStore(config.contentDir), log)
  const signerAddress = privateKeyToAccount(config.signerPrivateKey).address
  const server = createNodeServer({
    config,
    log,
    metrics,
    store,
    chain,
    processor,
    committer,
    assets,
    health: () => ({
      ok: true,
      nodeId: config.nodeId.toString(),
      signer: signerAddress,
      chainId: config.chainId,
      lanes: processor.lanes.size,
      unsettledReceipts: committer.stats.unsettledReceipts,
      assets: assets.map((a) => ({ id: a.id, name: a.cfg.name, available: !!a.runtime, ...(a.unavailable ? { reason: a.unavailable } : {}) })),
    }),
    extraGauges: () => ({
      sahara_node_lanes: processor.lanes.size,
      sahara_node_unsettled_receipts: committer.stats.unsettledReceipts,
      sahara_node_receipt_groups_committed: committer.stats.groups,
      sahara_node_last_group_sign_us: committer.stats.lastSignUs,
    }),
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  if (!options.manualSettlement) settler.start()
  log.info('node_started', { url: `http://${config.host}:${port}`, nodeId: config.nodeId, lanes: lanes.length, assets: assets.length })
  let closed = false
  return {
    url: `http://${config.host}:${port}`,
    port,
    settle: () => settler.settleNow(),
    sweep: () => settler.sweep(),
    internals: { store, processor, committer, metrics, channels, assets },
    async close(o = {}) {
      if (closed) return
      closed = true
      if (o.settle === false) await settler.stop()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      await committer.flush()
      if (o.settle !== false) await settler.shutdown()
      await writer.close()
      committer.snapshot()
      for (const a of assets) await a.runtime?.close?.().catch(() => undefined)
      store.close()
      ownChain?.close()
      log.info('node_stopped', {})
    },
  }
}

function createChain(config: NodeConfig) {
  const registry = config.contracts.AssetRegistry
  return createViemChain({
    rpcUrl: config.rpcUrl!,
    chainId: config.chainId,
    privateKey: config.signerPrivateKey,
    paymentChannels: config.contracts.PaymentChannels,
    exactPayments: config.contracts.ExactPayments,
    assetRegistry: registry ?? '0x0000000000000000000000000000000000000000',
  })
}
