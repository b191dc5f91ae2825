import type { Hex } from 'viem'
import type { Store } from '../store/db.ts'
import type { ReceiptBatchSigner } from './eip712.ts'
import { merkleTree } from './merkle.ts'
import { receiptJson, type ReceiptFields, type ReceiptJson } from './receipt.ts'
import type { LaneState } from './verify.ts'
import type { SignedVoucher } from './types.ts'

/** One paid call waiting for its group to commit. */
export type PendingReceipt = {
  fields: ReceiptFields
  encoded: Buffer
  leaf: Buffer
  /** Lane snapshot taken when the call was accepted (channel calls); persisted with the group. */
  lane?: { state: LaneState; units: number; head: Buffer; voucher: SignedVoucher; newVoucher: boolean }
  done: (err: Error | null, receipt?: ReceiptJson) => void
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

  constructor(
    private readonly store: Store,
    private readonly signer: ReceiptBatchSigner,
    private readonly nodeId: bigint,
    private readonly onFailure: (err: Error, batch: PendingReceipt[]) => void,
    private readonly maxGroup = 4096,
  ) {
    this.seq = store.lastGroupSeq()
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
    if (this.pending.length >= this.maxGroup) {
      void this.flush()
    } else if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.flushCb)
    }
  }

  private readonly flushCb = () => {
    this.scheduled = false
    void this.flush()
  }

  /** Commits what is pending now. Resolves when callbacks have run. */
  async flush(): Promise<void> {
    const batch = this.pending
    if (batch.length === 0) return
    this.pending = []
    const seq = ++this.seq
    try {
      const { root, proofs } = merkleTree(batch.map((p) => p.leaf))
      const rootHex = ('0x' + root.toString('hex')) as Hex
      const t0 = performance.now()
      const signature = await this.signer.sign(this.nodeId, rootHex, BigInt(seq))
      this.stats.lastSignUs = Math.round((performance.now() - t0) * 1000)
      // latest snapshot per lane: the batch is in acceptance order
      const lanes = new Map<string, LaneState>()
      const vouchers: { laneKey: string; voucher: SignedVoucher }[] = []
      for (const p of batch) {
        const l = p.lane
        if (!l) continue
        lanes.set(l.state.key, { ...l.state, units: l.units, head: l.head, voucher: l.voucher })
        if (l.newVoucher) vouchers.push({ laneKey: l.state.key, voucher: l.voucher })
      }
      this.store.commitGroup({ seq, root, signature, receipts: batch.map((p) => ({ leaf: p.leaf, fields: p.encoded })), lanes: [...lanes.values()], vouchers })
      this.stats.groups++
      this.stats.receipts += batch.length
      if (this.stats.unsettledReceipts === 0) this.stats.oldestUnsettledAt = Date.now()
      this.stats.unsettledReceipts += batch.length
      const seqStr = seq.toString()
      for (let i = 0; i < batch.length; i++) {
        const p = batch[i]!
        p.done(null, receiptJson(p.fields, p.leaf, proofs[i]!, rootHex, seqStr, signature))
      }
    } catch (e) {
      this.seq = this.store.lastGroupSeq()
      const err = e instanceof Error ? e : new Error(String(e))
      this.onFailure(err, batch)
      for (const p of batch) p.done(err)
    }
  }

  /** Called by the settler after it took all unsettled groups. */
  settled(count: number): void {
    this.stats.unsettledReceipts = Math.max(0, this.stats.unsettledReceipts - count)
    this.stats.oldestUnsettledAt = this.stats.unsettledReceipts > 0 ? Date.now() : 0
  }
}
