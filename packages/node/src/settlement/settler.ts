import type { Hex } from 'viem'
import { TxWouldRevertError, type ChainAdapter, type SignedTx } from '../chain/adapter.ts'
import type { ChannelCache } from '../chain/channelCache.ts'
import type { Metrics } from '../http/metrics.ts'
import type { GroupCommitter } from '../payments/groups.ts'
import { merkleRoot } from '../payments/merkle.ts'
import type { PaymentProcessor } from '../payments/processor.ts'
import type { SettlementPolicy } from '../config.ts'
import type { Store, SettlementRow } from '../store/db.ts'
import type { Logger } from '../util/log.ts'
import { needsTail, planBatches, type PlannedEntry } from './plan.ts'
import { laneTotal } from '../payments/verify.ts'
import type { Address } from 'viem'

type StoredEntry = { laneKey: string; amount: string; units: string }

/**
 * Batches settlement by size and age. Idempotent across crashes: a batch is stored 'prepared' with
 * its groups, then 'submitted' with the signed raw transaction BEFORE it is broadcast; a restart
 * re-broadcasts the same raw transaction (same nonce: it cannot execute twice) and reconciles with
 * laneSettled / receiptsRecorded.
 */
export class Settler {
  private timer?: NodeJS.Timeout
  private running: Promise<void> | undefined
  private shuttingDown = false

  constructor(
    private readonly o: {
      chain: ChainAdapter
      store: Store
      processor: PaymentProcessor
      channels: ChannelCache
      committer: GroupCommitter
      policy: SettlementPolicy
      nodeId: bigint
      defaultToken: Address
      metrics: Metrics
      log: Logger
    },
  ) {}

  private sweepTimer?: NodeJS.Timeout

  /**
   * Idle lanes get no calls, so nothing refreshes their channels: every `sweepMs` the channels of
   * lanes with unsettled value are re-read, and a round runs when one of them needs its chain tail
   * settled (channel closing, voucher expiring) before the amount becomes unclaimable.
   */
  async sweep(): Promise<boolean> {
    const { processor, channels, chain } = this.o
    const ids = new Set<bigint>()
    for (const l of processor.lanes.values()) if (laneTotal(l) > l.settled) ids.add(l.channelId)
    await Promise.all([...ids].map((id) => channels.refresh(id).catch(() => undefined)))
    const now = chain.now()
    const window = BigInt(this.o.policy.tailWindowSec)
    for (const l of processor.lanes.values()) {
      if (laneTotal(l) <= l.settled) continue
      if (needsTail(l, channels.peek(l.channelId)?.info, now, window, false)) {
        await this.settleNow()
        return true
      }
    }
    return false
  }

  start(sweepMs = 60_000): void {
    this.sweepTimer = setInterval(() => void this.sweep().catch((e: unknown) => this.o.log.error('settlement_sweep_failed', { error: (e as Error).message })), sweepMs)
    this.sweepTimer.unref()
    this.timer = setInterval(() => {
      const s = this.o.committer.stats
      const due = s.unsettledReceipts >= this.o.policy.maxReceipts || (s.unsettledReceipts > 0 && Date.now() - s.oldestUnsettledAt >= this.o.policy.maxAgeMs)
      if (due) void this.settleNow().catch((e: unknown) => this.o.log.error('settlement_failed', { error: (e as Error).message }))
    }, 200)
    this.timer.unref()
  }

  /** Reconciles batches left open by a crash, then refreshes lane settled amounts from the chain. */
  async recover(): Promise<void> {
    for (const row of this.o.store.openSettlements()) {
      if (row.status === 'prepared' || !row.raw_tx || !row.tx_hash) {
        this.o.store.finishSettlement(row.id, 'abandoned')
        this.o.log.warn('settlement_abandoned', { id: row.id, reason: 'never broadcast' })
        continue
      }
      await this.o.chain.sendRaw({ hash: row.tx_hash as Hex, raw: row.raw_tx as Hex }).catch(() => undefined)
      const status = await this.o.chain.waitTx(row.tx_hash as Hex, this.o.policy.txTimeoutMs)
      if (status === 'unknown') {
        const recorded = row.receipt_count > 0 ? await this.o.chain.receiptsRecorded(('0x' + row.root.toString('hex')) as Hex).catch(() => false) : false
        this.o.store.finishSettlement(row.id, recorded ? 'confirmed' : 'abandoned')
      } else {
        this.o.store.finishSettlement(row.id, status === 'success' ? 'confirmed' : 'reverted', await this.o.chain.gasUsed(row.tx_hash as Hex))
      }
      this.o.log.info('settlement_reconciled', { id: row.id, tx: row.tx_hash, status })
    }
    await this.refreshLaneSettled([...this.o.processor.lanes.values()].map((l) => l.key))
  }

  /**
   * Moves the node's view of lanes (lane, channel totals, SQLite) to their on-chain totals: those
   * in `known` (read from a settlement's events), the others read with laneSettled.
   */
  private async refreshLaneSettled(keys: string[], known?: Map<string, bigint>): Promise<void> {
    for (const key of keys) {
      const lane = this.o.processor.lanes.get(key)
      if (!lane) continue
      const onChain = known?.get(key) ?? (await this.o.chain.laneSettled(lane.channelId, lane.assetId, lane.lane))
      const delta = onChain - lane.settled
      if (delta === 0n) continue
      lane.settled = onChain
      this.o.store.setLaneSettled(key, onChain)
      const ch = this.o.channels.peek(lane.channelId)
      if (ch) {
        // keep owed - lanesSettled <= deposit - settled consistent until the refresh lands
        ch.lanesSettled += delta
        ch.info = { ...ch.info, settled: ch.info.settled + delta }
      }
    }
  }

  /** One settlement round (serialized). */
  settleNow(): Promise<void> {
    if (this.running) return this.running
    this.running = this.round().finally(() => (this.running = undefined))
    return this.running
  }

  private async round(): Promise<void> {
    const groups = this.o.store.unsettledGroups()
    const { processor, channels, chain } = this.o
    for (const l of processor.lanes.values()) if (!channels.peek(l.channelId)) await channels.refresh(l.channelId).catch(() => undefined)
    const batches = planBatches(processor.lanes.values(), (id) => channels.peek(id)?.info, chain.now(), BigInt(this.o.policy.tailWindowSec), this.shuttingDown, 200, this.o.policy.maxTailUnits)
    if (groups.length === 0 && batches.length === 0) return
    const root = merkleRoot(groups.map((g) => g.root))
    const receiptCount = groups.reduce((a, g) => a + g.count, 0)
    if (batches.length === 0) batches.push({ token: this.o.defaultToken, entries: [] })
    const firstSeq = groups[0]?.seq ?? null
    const lastSeq = groups[groups.length - 1]?.seq ?? null
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i]!
      // the receipts root is recorded once, with the first token's call
      const withRoot = i === 0 && receiptCount > 0
      await this.submit(b.token, b.entries, withRoot ? root : Buffer.alloc(32), withRoot ? firstSeq : null, withRoot ? lastSeq : null, withRoot ? receiptCount : 0)
    }
    if (receiptCount > 0) this.o.committer.settled(receiptCount)
  }

  private async submit(token: Address, entries: PlannedEntry[], root: Buffer, firstSeq: number | null, lastSeq: number | null, receiptCount: number): Promise<void> {
    const { store, chain, log, metrics } = this.o
    const amount = entries.reduce((a, e) => a + e.amount, 0n)
    const stored: StoredEntry[] = entries.map((e) => ({ laneKey: e.laneKey, amount: e.amount.toString(), units: e.units.toString() }))
    const id = store.prepareSettlement({ token, root, firstSeq, lastSeq, receiptCount, entries: JSON.stringify(stored), amount })
    const receiptsRoot = ('0x' + root.toString('hex')) as Hex
    let tx: SignedTx
    try {
      tx = await chain.signSettle({ nodeId: this.o.nodeId, token, entries, receiptsRoot, receiptCount: BigInt(receiptCount) })
    } catch (e) {
      // The chain already holds this root: a settlement this node lost track of recorded it, so
      // these groups are provable under it. They count as settled, and the lanes must not wait
      // behind a root that can never be recorded again: they go without it.
      if (receiptCount > 0 && e instanceof TxWouldRevertError && e.reason.startsWith('ReceiptsRootAlreadyRecorded') && (await chain.receiptsRecorded(receiptsRoot).catch(() => false))) {
        store.finishSettlement(id, 'confirmed')
        log.warn('settlement_root_already_recorded', { id, root: receiptsRoot, receipts: receiptCount })
        if (entries.length > 0) await this.submit(token, entries, Buffer.alloc(32), null, null, 0)
        return
      }
      store.finishSettlement(id, 'abandoned')
      metrics.settlementFailures++
      throw e
    }
    store.markSubmitted(id, tx.hash, tx.raw)
    await chain.sendRaw(tx).catch((e: unknown) => log.warn('settlement_send_failed', { id, tx: tx.hash, error: (e as Error).message }))
    const status = await chain.waitTx(tx.hash, this.o.policy.txTimeoutMs)
    if (status === 'unknown') {
      // left 'submitted': the next start (or recover()) reconciles it
      log.warn('settlement_pending', { id, tx: tx.hash })
      return
    }
    const gas = await chain.gasUsed(tx.hash)
    store.finishSettlement(id, status === 'success' ? 'confirmed' : 'reverted', gas)
    if (status === 'success') {
      metrics.settlementBatches++
      metrics.settlementGas += gas ?? 0n
      metrics.settledAmount += amount
      metrics.settledReceipts += receiptCount
      await this.refreshLaneSettled(entries.map((e) => e.laneKey), await this.settledByTx(tx.hash))
      log.info('settlement_confirmed', { id, tx: tx.hash, token, entries: entries.length, receipts: receiptCount, amount, gas })
    } else {
      metrics.settlementFailures++
      log.error('settlement_reverted', { id, tx: tx.hash, token, entries: entries.length })
    }
  }

  /** Lane totals from the LaneSettled events of a settle transaction (undefined: read them one by one). */
  private async settledByTx(hash: Hex): Promise<Map<string, bigint> | undefined> {
    const events = await this.o.chain.settledLanes?.(hash).catch(() => undefined)
    return events && new Map(events.map((e) => [`${e.channelId}.${e.assetId}.${e.lane}`, e.total]))
  }

  /** Stops the timers without settling. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    if (this.sweepTimer) clearInterval(this.sweepTimer)
    if (this.running) await this.running.catch(() => undefined)
  }

  /** Final settlement on shutdown: includes every lane's chain tail. */
  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    if (this.sweepTimer) clearInterval(this.sweepTimer)
    if (this.running) await this.running.catch(() => undefined)
    this.shuttingDown = true
    await this.settleNow().catch((e: unknown) => this.o.log.error('settlement_failed', { error: (e as Error).message }))
  }

  pending(): SettlementRow[] {
    return this.o.store.openSettlements()
  }
}
