import { laneRow, voucherJson, type LaneDelta, type Store } from '../store/db.ts'
import type { GroupWriter } from '../store/groupWriter.ts'
import type { ReceiptFields } from './receipt.ts'
import type { LaneState } from './verify.ts'
import type { SignedVoucher } from './types.ts'

type LaneSnap = { state: LaneState; units: number; head: Buffer; voucher: SignedVoucher }

/** One paid call waiting for its group to commit (the writer encodes and hashes it to its leaf). */
export type PendingReceipt = {
  fields: ReceiptFields
  /** Lane snapshot taken when the call was accepted (channel calls); persisted with the group. */
  lane?: { state: LaneState; units: number; head: Buffer; voucher: SignedVoucher; newVoucher: boolean }
  /** Called once the group is durable, with the X-Sahara-Receipt header value. */
  done: (err: Error | null, receiptHeader?: string) => void
}

export type GroupStats = { groups: number; receipts: number; unsettledReceipts: number; oldestUnsettledAt: number; lastSignUs: number }

/**
 * Group commit: every receipt enqueued in one event-loop turn goes into one SQLite transaction
 * (receipts + lane states + new vouchers + the signed group), then the callbacks run, so no client
 * sees a receipt that is not durable, and the ECDSA cost is paid once per group.
 */
export class GroupCommitter {
  private pending: PendingReceipt[] = []
  private scheduled = false
  private seq: number
  readonly stats: GroupStats

  private readonly inflight = new Set<Promise<void>>()
  /** Lane snapshots of the group being built / committed lanes not yet in the lanes table. */
  private committedPending = new Map<string, LaneSnap>()
  private readonly dirty = new Map<string, LaneSnap>()
  private snapshotSeq: number
  /** Lanes table snapshot every this many groups (and on close). */
  snapshotEvery = 512
  private lastCommittedSeq: number

  constructor(
    private readonly store: Store,
    private readonly writer: GroupWriter,
    private readonly onFailure: (err: Error, batch: PendingReceipt[]) => void,
  ) {
    this.seq = store.lastGroupSeq()
    this.snapshotSeq = store.laneSnapshotSeq()
    this.lastCommittedSeq = this.seq
    const unsettled = store.unsettledGroups()
    this.stats = {
      groups: 0,
      receipts: 0,
      unsettledReceipts: unsettled.reduce((a, g) => a + g.count, 0),
      oldestUnsettledAt: unsettled[0]?.created_at ?? 0,
      lastSignUs: 0,
    }
  }

  add(p: PendingReceipt): void {
    this.pending.push(p)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.flushCb)
    }
  }

  /**
   * One group in flight at a time (classic group commit): calls that arrive while a group is being
   * signed and fsynced form the next group, so group size adapts to the commit latency.
   */
  private readonly flushCb = () => {
    this.scheduled = false
    if (this.inflight.size > 0) return
    const p = this.commit()
    if (p) {
      this.inflight.add(p)
      void p.finally(() => {
        this.inflight.delete(p)
        if (this.pending.length > 0 && !this.scheduled) this.flushCb()
      })
    }
  }

  /** Commits what is pending now and waits for every group in flight. */
  async flush(): Promise<void> {
    while (this.inflight.size > 0 || this.pending.length > 0) {
      if (this.inflight.size === 0) this.flushCb()
      await Promise.all([...this.inflight])
    }
  }

  private commit(): Promise<void> | undefined {
    const batch = this.pending
    if (batch.length === 0) return undefined
    this.pending = []
    const seq = ++this.seq
    return this.write(batch, seq)
  }

  private async write(batch: PendingReceipt[], seq: number): Promise<void> {
    try {
      // Latest state per lane (the batch is in acceptance order) and the vouchers first used in it;
      // the delta strings are built once per lane, not once per receipt.
      const latest = new Map<string, { snap: NonNullable<PendingReceipt['lane']>; voucherChanged: boolean }>()
      const vouchers: [string, string][] = []
      for (let i = 0; i < batch.length; i++) {
        const l = batch[i]!.lane
        if (!l) continue
        const key = l.state.key
        if (l.newVoucher) vouchers.push([key, voucherJson(l.voucher)])
        const prev = latest.get(key)
        latest.set(key, { snap: l, voucherChanged: l.newVoucher || (prev !== undefined && prev.voucherChanged && prev.snap.voucher === l.voucher) })
      }
      const deltas: LaneDelta[] = []
      for (const [key, { snap: l, voucherChanged }] of latest) {
        const head = l.head.toString('hex')
        deltas.push(voucherChanged ? [key, l.units, head, voucherJson(l.voucher)] : [key, l.units, head])
        this.committedPending.set(key, { state: l.state, units: l.units, head: l.head, voucher: l.voucher })
      }
      const pendingLanes = this.committedPending
      this.committedPending = new Map()
      const { headers, signUs } = await this.writer.write({ seq, receipts: batch.map((p) => p.fields), deltas: JSON.stringify(deltas), vouchers })
      for (const [k, v] of pendingLanes) this.dirty.set(k, v)
      this.lastCommittedSeq = seq
      if (seq - this.snapshotSeq >= this.snapshotEvery) this.snapshot(seq)
      this.stats.lastSignUs = signUs
      this.stats.groups++
      this.stats.receipts += batch.length
      if (this.stats.unsettledReceipts === 0) this.stats.oldestUnsettledAt = Date.now()
      this.stats.unsettledReceipts += batch.length
      for (let i = 0; i < batch.length; i++) batch[i]!.done(null, headers[i])
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e))
      // newest first: each call gives its units back while its lane still stands where it left it
      for (let i = batch.length - 1; i >= 0; i--) batch[i]!.done(err)
      this.onFailure(err, batch)
    }
  }

  /** Writes committed lane states to the lanes table (bounds the replay at startup). */
  snapshot(seq = this.lastCommittedSeq): void {
    if (this.dirty.size === 0) {
      this.snapshotSeq = seq
      return
    }
    this.store.snapshotLanes([...this.dirty.values()].map((l) => laneRow({ ...l.state, units: l.units, head: l.head, voucher: l.voucher })), seq)
    this.dirty.clear()
    this.snapshotSeq = seq
  }

  /** Called by the settler after it took all unsettled groups. */
  settled(count: number): void {
    this.stats.unsettledReceipts = Math.max(0, this.stats.unsettledReceipts - count)
    this.stats.oldestUnsettledAt = this.stats.unsettledReceipts > 0 ? Date.now() : 0
  }
}
