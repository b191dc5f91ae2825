import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Hex } from 'viem'
import { voucherFromJson, voucherToJson } from '../payments/headers.ts'
import type { LaneState } from '../payments/verify.ts'
import type { SignedVoucher } from '../payments/types.ts'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lanes (
  key TEXT PRIMARY KEY, channel_id TEXT NOT NULL, asset_id TEXT NOT NULL, lane TEXT NOT NULL,
  voucher TEXT NOT NULL, units INTEGER NOT NULL, head BLOB NOT NULL, settled TEXT NOT NULL DEFAULT '0');
CREATE INDEX IF NOT EXISTS lanes_channel ON lanes(channel_id);
CREATE TABLE IF NOT EXISTS vouchers (
  id INTEGER PRIMARY KEY, lane_key TEXT NOT NULL, voucher TEXT NOT NULL, group_seq INTEGER NOT NULL);
-- One row per receipt group: the receipts packed (n * (32-byte leaf + 352-byte ABI fields), in leaf
-- order) and the lane deltas of the group (JSON). The lanes table is a snapshot as of
-- meta.lane_snapshot_seq; startup replays the deltas of later groups. One INSERT per group keeps
-- the commit cost independent of the group size.
CREATE TABLE IF NOT EXISTS receipt_groups (
  seq INTEGER PRIMARY KEY, root BLOB NOT NULL, count INTEGER NOT NULL, signature TEXT NOT NULL,
  created_at INTEGER NOT NULL, settlement_id INTEGER, receipts BLOB NOT NULL, lane_deltas TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS groups_unsettled ON receipt_groups(settlement_id) WHERE settlement_id IS NULL;
-- Lookups of a receipt's group by its root (GET /v1/receipts/groups/<root>) and of the groups of a
-- settlement in order (its receipts root is the tree over their roots).
CREATE INDEX IF NOT EXISTS groups_root ON receipt_groups(root);
CREATE INDEX IF NOT EXISTS groups_settlement ON receipt_groups(settlement_id, seq) WHERE settlement_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS settlements (
  id INTEGER PRIMARY KEY, token TEXT NOT NULL, root BLOB NOT NULL, first_seq INTEGER, last_seq INTEGER,
  receipt_count INTEGER NOT NULL, entries TEXT NOT NULL, status TEXT NOT NULL, tx_hash TEXT, raw_tx TEXT,
  gas_used TEXT, amount TEXT NOT NULL DEFAULT '0', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
-- x402 exact payments, one per EIP-3009 authorization: the request it paid for and, once answered,
-- the receipt, so the same header again gets the paid answer back instead of a second charge.
CREATE TABLE IF NOT EXISTS exact_payments (
  payer TEXT NOT NULL, nonce TEXT NOT NULL, token TEXT NOT NULL, asset_id TEXT NOT NULL, value TEXT NOT NULL,
  tx_hash TEXT, status TEXT NOT NULL, created_at INTEGER NOT NULL, request_hash BLOB, receipt TEXT,
  PRIMARY KEY (payer, token, nonce));
`

/** Columns added after a table first shipped: [table, column, type]; added to older files at open. */
const ADDED_COLUMNS: readonly [string, string, string][] = [
  ['exact_payments', 'request_hash', 'BLOB'],
  ['exact_payments', 'receipt', 'TEXT'],
]

/** Identifies an EIP-3009 authorization: the token refuses a (payer, nonce) pair twice. */
export type ExactKey = { payer: string; token: string; nonce: string }

export type ExactPaymentRow = { assetId: bigint; value: bigint; status: string; txHash: Hex | null; requestHash: Buffer | null; receipt: string | null }

/** One lane row: key, channelId, assetId, lane, voucher JSON, units, head (hex), settled. */
export type LaneRow = [string, string, string, string, string, number, string, string]

/** A lane change in a group: key, units, head (hex), and the voucher JSON when it changed. */
export type LaneDelta = [string, number, string] | [string, number, string, string]

/**
 * A receipt group in a compact, clone-friendly form (it crosses to the writer thread): receipts
 * packed as n * (32-byte leaf + 352-byte fields), lanes and vouchers as strings.
 */
export type GroupWrite = {
  seq: number
  root: Uint8Array
  signature: Hex
  receipts: Uint8Array
  /** JSON of LaneDelta[] (already a string: it is stored as is). */
  deltas: string
  vouchers: [laneKey: string, voucherJson: string][]
}

export const RECEIPT_ROW = 32 + 352

const voucherJsonCache = new WeakMap<SignedVoucher, string>()
/** JSON of a voucher, computed once per voucher object (it is written with every lane update). */
export function voucherJson(v: SignedVoucher): string {
  let j = voucherJsonCache.get(v)
  if (j === undefined) voucherJsonCache.set(v, (j = JSON.stringify(voucherToJson(v))))
  return j
}

export function laneRow(l: LaneState): LaneRow {
  return [l.key, l.channelId.toString(), l.assetId.toString(), l.lane.toString(), voucherJson(l.voucher), l.units, l.head.toString('hex'), l.settled.toString()]
}

export type SettlementStatus = 'prepared' | 'submitted' | 'confirmed' | 'reverted' | 'abandoned'

export type SettlementRow = {
  id: number
  token: string
  root: Buffer
  first_seq: number | null
  last_seq: number | null
  receipt_count: number
  entries: string
  status: SettlementStatus
  tx_hash: string | null
  raw_tx: string | null
  gas_used: string | null
  amount: string
}

/** SQLite store (WAL, prepared statements). Every write path is a single transaction. */
export class Store {
  readonly db: Database.Database
  private readonly st
  readonly commitGroup: (g: GroupWrite) => void
  /** Writes lane rows as the snapshot as of group `seq` (deltas up to seq are then redundant). */
  readonly snapshotLanes: (rows: LaneRow[], seq: number) => void

  private checkpointer: Worker | undefined

  /**
   * `backgroundCheckpoint`: checkpoint the WAL from a thread of its own (see checkpointer.mjs), so
   * this connection's commits never stall on the checkpoint's copy and fsyncs; this connection then
   * checkpoints by itself only past 16,384 WAL pages (64 MiB), as a bound should that thread stop.
   */
  constructor(file: string, opts: { synchronous?: 'FULL' | 'NORMAL'; backgroundCheckpoint?: boolean } = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`)
    if (opts.backgroundCheckpoint && file !== ':memory:') {
      this.db.pragma('wal_autocheckpoint = 16384')
      const worker = new Worker(fileURLToPath(new URL('./checkpointer.mjs', import.meta.url)), { workerData: { file, intervalMs: 20 }, execArgv: [] })
      // a checkpointer thread that dies hands checkpoints back to this connection at SQLite's default
      worker.on('error', () => this.db.open && this.db.pragma('wal_autocheckpoint = 1000'))
      worker.unref()
      this.checkpointer = worker
    }
    this.db.pragma('foreign_keys = ON')
    // the group writer thread and the main thread share the file: wait instead of SQLITE_BUSY
    this.db.pragma('busy_timeout = 5000')
    this.db.exec(SCHEMA)
    for (const [table, column, type] of ADDED_COLUMNS) {
      const has = (this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some((c) => c.name === column)
      if (!has) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`)
    }
    const db = this.db
    this.st = {
      upLane: db.prepare(
        `INSERT INTO lanes (key, channel_id, asset_id, lane, voucher, units, head, settled) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET voucher = excluded.voucher, units = excluded.units, head = excluded.head`,
      ),
      insVoucher: db.prepare('INSERT INTO vouchers (lane_key, voucher, group_seq) VALUES (?, ?, ?)'),
      insGroup: db.prepare('INSERT INTO receipt_groups (seq, root, count, signature, created_at, receipts, lane_deltas) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      deltasAfter: db.prepare('SELECT lane_deltas FROM receipt_groups WHERE seq > ? ORDER BY seq'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      maxSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM receipt_groups'),
      lanes: db.prepare('SELECT key, channel_id, asset_id, lane, voucher, units, head, settled FROM lanes'),
      setLaneSettled: db.prepare('UPDATE lanes SET settled = ? WHERE key = ?'),
      unsettledGroups: db.prepare('SELECT seq, root, count, created_at FROM receipt_groups WHERE settlement_id IS NULL ORDER BY seq'),
      assignGroups: db.prepare('UPDATE receipt_groups SET settlement_id = ? WHERE settlement_id IS NULL AND seq BETWEEN ? AND ?'),
      releaseGroups: db.prepare('UPDATE receipt_groups SET settlement_id = NULL WHERE settlement_id = ?'),
      insSettlement: db.prepare(
        `INSERT INTO settlements (token, root, first_seq, last_seq, receipt_count, entries, status, amount, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'prepared', ?, ?, ?)`,
      ),
      setSubmitted: db.prepare(`UPDATE settlements SET status = 'submitted', tx_hash = ?, raw_tx = ?, updated_at = ? WHERE id = ?`),
      setStatus: db.prepare('UPDATE settlements SET status = ?, gas_used = COALESCE(?, gas_used), updated_at = ? WHERE id = ?'),
      openSettlements: db.prepare(`SELECT * FROM settlements WHERE status IN ('prepared', 'submitted') ORDER BY id`),
      settlement: db.prepare('SELECT * FROM settlements WHERE id = ?'),
      groupReceipts: db.prepare('SELECT receipts FROM receipt_groups WHERE seq = ?'),
      recentGroups: db.prepare('SELECT seq, root, signature, receipts FROM receipt_groups ORDER BY seq DESC LIMIT ?'),
      group: db.prepare('SELECT seq, root, count, signature, settlement_id FROM receipt_groups WHERE seq = ?'),
      groupByRoot: db.prepare('SELECT seq, root, count, signature, settlement_id FROM receipt_groups WHERE root = ? ORDER BY seq LIMIT 1'),
      settlementGroupRoots: db.prepare('SELECT root FROM receipt_groups WHERE settlement_id = ? ORDER BY seq'),
      insExact: db.prepare(
        `INSERT INTO exact_payments (payer, nonce, token, asset_id, value, status, created_at, request_hash) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      ),
      setExact: db.prepare('UPDATE exact_payments SET status = ?, tx_hash = COALESCE(?, tx_hash) WHERE payer = ? AND token = ? AND nonce = ?'),
      setExactReceipt: db.prepare('UPDATE exact_payments SET receipt = ? WHERE payer = ? AND token = ? AND nonce = ?'),
      getExact: db.prepare('SELECT asset_id, value, status, tx_hash, request_hash, receipt FROM exact_payments WHERE payer = ? AND token = ? AND nonce = ?'),
    }
    const st = this.st
    this.commitGroup = db.transaction((g: GroupWrite) => {
      const buf = Buffer.from(g.receipts.buffer, g.receipts.byteOffset, g.receipts.byteLength)
      for (const v of g.vouchers) st.insVoucher.run(v[0], v[1], g.seq)
      st.insGroup.run(g.seq, Buffer.from(g.root), buf.length / RECEIPT_ROW, g.signature, Date.now(), buf, g.deltas)
    })
    this.snapshotLanes = db.transaction((rows: LaneRow[], seq: number) => {
      for (const l of rows) st.upLane.run(l[0], l[1], l[2], l[3], l[4], l[5], Buffer.from(l[6], 'hex'), l[7])
      st.setMeta.run('lane_snapshot_seq', String(seq))
    })
  }

  lastGroupSeq(): number {
    return (this.st.maxSeq.get() as { s: number }).s
  }

  /** Lane states as of the last committed group: the snapshot plus the deltas of later groups. */
  loadLanes(): LaneState[] {
    const rows = this.st.lanes.all() as { key: string; channel_id: string; asset_id: string; lane: string; voucher: string; units: number; head: Buffer; settled: string }[]
    const lanes = new Map<string, LaneState>()
    for (const r of rows) {
      lanes.set(r.key, {
        key: r.key,
        channelId: BigInt(r.channel_id),
        assetId: BigInt(r.asset_id),
        lane: BigInt(r.lane),
        voucher: voucherFromJson(JSON.parse(r.voucher) as Record<string, string>),
        units: r.units,
        head: r.head,
        settled: BigInt(r.settled),
      })
    }
    const since = Number((this.st.getMeta.get('lane_snapshot_seq') as { value: string } | undefined)?.value ?? 0)
    for (const g of this.st.deltasAfter.iterate(since) as Iterable<{ lane_deltas: string }>) {
      for (const d of JSON.parse(g.lane_deltas) as LaneDelta[]) {
        const [key, units, head, vj] = d
        let l = lanes.get(key)
        if (vj !== undefined) {
          const voucher = voucherFromJson(JSON.parse(vj) as Record<string, string>)
          if (!l) {
            l = { key, channelId: voucher.channelId, assetId: voucher.assetId, lane: voucher.lane, voucher, units: 0, head: Buffer.alloc(32), settled: 0n }
            lanes.set(key, l)
          }
          l.voucher = voucher
        }
        if (!l) throw new Error(`store is inconsistent: a delta for lane ${key} precedes its voucher`)
        l.units = units
        l.head = Buffer.from(head, 'hex')
      }
    }
    return [...lanes.values()]
  }

  laneSnapshotSeq(): number {
    return Number((this.st.getMeta.get('lane_snapshot_seq') as { value: string } | undefined)?.value ?? 0)
  }

  setLaneSettled(key: string, settled: bigint): void {
    this.st.setLaneSettled.run(settled.toString(), key)
  }

  unsettledGroups(): { seq: number; root: Buffer; count: number; created_at: number }[] {
    return this.st.unsettledGroups.all() as { seq: number; root: Buffer; count: number; created_at: number }[]
  }

  /** The receipts of a group, in leaf order (the group's Merkle leaves). */
  groupReceipts(seq: number): { leaf: Buffer; fields: Buffer }[] {
    const row = this.st.groupReceipts.get(seq) as { receipts: Buffer } | undefined
    if (!row) return []
    const out: { leaf: Buffer; fields: Buffer }[] = []
    for (let o = 0; o < row.receipts.length; o += RECEIPT_ROW) out.push({ leaf: row.receipts.subarray(o, o + 32), fields: row.receipts.subarray(o + 32, o + RECEIPT_ROW) })
    return out
  }

  /**
   * The receipt of call `index` on a lane, searched in the `maxGroups` latest groups (newest
   * first): the retry of a call whose answer was lost finds its receipt there. Compares the ABI
   * words in place (channelId, lane, assetId, index), without decoding other receipts.
   */
  findLaneReceipt(key: { channelId: bigint; assetId: bigint; lane: bigint; index: bigint }, maxGroups = 64): { seq: number; root: Buffer; signature: string; leaves: Buffer[]; position: number; fields: Buffer } | undefined {
    const word = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex')
    const want = [[224, word(key.channelId)], [256, word(key.lane)], [96, word(key.assetId)], [320, word(key.index)]] as const
    for (const g of this.st.recentGroups.iterate(maxGroups) as Iterable<{ seq: number; root: Buffer; signature: string; receipts: Buffer }>) {
      const r = g.receipts
      for (let o = 0; o < r.length; o += RECEIPT_ROW) {
        const f = o + 32
        if (!want.every(([at, w]) => r.compare(w, 0, 32, f + at, f + at + 32) === 0)) continue
        const leaves: Buffer[] = []
        for (let x = 0; x < r.length; x += RECEIPT_ROW) leaves.push(r.subarray(x, x + 32))
        return { seq: g.seq, root: g.root, signature: g.signature, leaves, position: o / RECEIPT_ROW, fields: r.subarray(f, f + 352) }
      }
    }
    return undefined
  }

  group(seq: number): { seq: number; root: Buffer; count: number; signature: string; settlement_id: number | null } | undefined {
    return this.st.group.get(seq) as { seq: number; root: Buffer; count: number; signature: string; settlement_id: number | null } | undefined
  }

  /** The group whose Merkle root is `root` (the first one, should two groups ever share a root). */
  groupByRoot(root: Buffer): { seq: number; root: Buffer; count: number; signature: string; settlement_id: number | null } | undefined {
    return this.st.groupByRoot.get(root) as { seq: number; root: Buffer; count: number; signature: string; settlement_id: number | null } | undefined
  }

  /** Roots of the groups a settlement covers, in sequence order: the leaves of its receipts root. */
  settlementGroupRoots(settlementId: number): Buffer[] {
    return (this.st.settlementGroupRoots.all(settlementId) as { root: Buffer }[]).map((r) => r.root)
  }

  /** Records a settlement as prepared and assigns its groups, atomically. Returns its id. */
  prepareSettlement(s: { token: string; root: Buffer; firstSeq: number | null; lastSeq: number | null; receiptCount: number; entries: string; amount: bigint }): number {
    return this.db.transaction(() => {
      const now = Date.now()
      const id = Number(this.st.insSettlement.run(s.token, s.root, s.firstSeq, s.lastSeq, s.receiptCount, s.entries, s.amount.toString(), now, now).lastInsertRowid)
      if (s.firstSeq !== null && s.lastSeq !== null) this.st.assignGroups.run(id, s.firstSeq, s.lastSeq)
      return id
    })()
  }

  markSubmitted(id: number, txHash: string, raw: string): void {
    this.st.setSubmitted.run(txHash, raw, Date.now(), id)
  }

  /** Final status; a settlement that did not land releases its groups for the next batch. */
  finishSettlement(id: number, status: 'confirmed' | 'reverted' | 'abandoned', gasUsed?: bigint): void {
    this.db.transaction(() => {
      this.st.setStatus.run(status, gasUsed === undefined ? null : gasUsed.toString(), Date.now(), id)
      if (status !== 'confirmed') this.st.releaseGroups.run(id)
    })()
  }

  openSettlements(): SettlementRow[] {
    return this.st.openSettlements.all() as SettlementRow[]
  }

  settlement(id: number): SettlementRow | undefined {
    return this.st.settlement.get(id) as SettlementRow | undefined
  }

  /** Reserves an EIP-3009 authorization for the request it pays; false when already used here. */
  reserveExact(k: ExactKey, assetId: bigint, value: bigint, requestHash: Buffer): boolean {
    try {
      this.st.insExact.run(k.payer.toLowerCase(), k.nonce.toLowerCase(), k.token.toLowerCase(), assetId.toString(), value.toString(), Date.now(), requestHash)
      return true
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return false
      throw e
    }
  }

  setExactStatus(k: ExactKey, status: string, txHash?: string): void {
    this.st.setExact.run(status, txHash ?? null, k.payer.toLowerCase(), k.token.toLowerCase(), k.nonce.toLowerCase())
  }

  /** The X-Sahara-Receipt of the answer an exact payment bought. */
  setExactReceipt(k: ExactKey, receipt: string): void {
    this.st.setExactReceipt.run(receipt, k.payer.toLowerCase(), k.token.toLowerCase(), k.nonce.toLowerCase())
  }

  exactPayment(k: ExactKey): ExactPaymentRow | undefined {
    const r = this.st.getExact.get(k.payer.toLowerCase(), k.token.toLowerCase(), k.nonce.toLowerCase()) as
      | { asset_id: string; value: string; status: string; tx_hash: Hex | null; request_hash: Buffer | null; receipt: string | null }
      | undefined
    return r && { assetId: BigInt(r.asset_id), value: BigInt(r.value), status: r.status, txHash: r.tx_hash, requestHash: r.request_hash, receipt: r.receipt }
  }

  close(): void {
    // stop the checkpointer first: the last connection to close checkpoints and removes the WAL
    if (this.checkpointer) {
      const w = this.checkpointer
      this.checkpointer = undefined
      void w.terminate()
    }
    this.db.close()
  }
}
