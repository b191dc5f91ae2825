import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { describe, it } from 'node:test'
import { startNode } from '../src/node.ts'
import { RECEIPT_ROW, Store } from '../src/store/db.ts'
import { recoverAddress, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ReceiptBatchSigner } from '../src/payments/eip712.ts'
import { sha256, verifyProof } from '../src/payments/merkle.ts'
import { encodeReceipt, parseCompactReceiptHeader, type ReceiptFields } from '../src/payments/receipt.ts'
import { inlineWriter, workerWriter } from '../src/store/groupWriter.ts'
import { ASSET, CHAIN_ID, CHANNELS, FakeChain, LaneClient, NODE_KEY, UNIT_PRICE, decodeReceiptHeader, post, startWithLane, tempDir, testConfig } from './helpers.ts'
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

describe('store: restart rebuild and idempotent settlement', () => {
  for (const groupWriter of ['inline', 'worker'] as const)
  it(`rebuilds lanes from SQLite: the chain continues, replays stay refused, receipts persist (${groupWriter} group writer)`, async () => {
    const tmp = tempDir()
    const chain = new FakeChain()
    chain.openChannel(1n)
    const a = new LaneClient(1n, ASSET, 0n, 32)
    const b = new LaneClient(1n, ASSET, 1n, 32)
    await a.newChain(0n)
    await b.newChain(0n)
    const config = () => testConfig(tmp.dir, { groupWriter })
    let node = await startNode(config(), { chain, manualSettlement: true })
    const inv = (h: Record<string, string>) => post(`${node.url}/v1/invoke/${ASSET}`, { q: 1 }, h)
    let last: Record<string, string> = {}
    for (let i = 0; i < 5; i++) assert.equal((await inv((last = a.next()))).status, 200)
    for (let i = 0; i < 3; i++) assert.equal((await inv(b.next())).status, 200)
    const seqBefore = node.internals.store.lastGroupSeq()
    await node.close({ settle: false })

    node = await startNode(config(), { chain, manualSettlement: true })
    assert.equal(node.internals.processor.lanes.size, 2)
    // the last ticket again for another request: refused (the same request would be answered again)
    assert.equal((await post(`${node.url}/v1/invoke/${ASSET}`, { q: 2 }, { 'x-sahara-ticket': last['x-sahara-ticket']! })).status, 409)
    const r = await inv(a.next())
    assert.equal(r.status, 200)
    const rc = decodeReceiptHeader(r.headers.get('x-sahara-receipt'))
    assert.equal(rc.cumulative, (6n * UNIT_PRICE).toString())
    assert.equal(Number(rc.sequence), seqBefore + 1)
    // channel totals were seeded from the lanes: 9 calls owed on channel 1
    assert.equal(node.internals.channels.peek(1n)!.owed, 9n * UNIT_PRICE)
    await node.close({ settle: false })
    const store = new Store(join(tmp.dir, 'node.sqlite'))
    assert.equal((store.db.prepare('SELECT SUM(count) AS n FROM receipt_groups').get() as { n: number }).n, 9)
    assert.equal((store.db.prepare('SELECT COUNT(*) AS n FROM vouchers').get() as { n: number }).n, 2)
    store.close()
    tmp.cleanup()
  })

  it('the inline and the thread group writers store the same rows and hand out the same verifiable receipts', async () => {
    const tmp = tempDir()
    const domain = { chainId: CHAIN_ID, verifyingContract: CHANNELS }
    const big = 2n ** 200n + 12345n // above 64 bits: the slow path of the word encoding
    const receipts: ReceiptFields[] = Array.from({ length: 7 }, (_, i) => ({
      nodeId: 1n, requestHash: sha256(Buffer.from([i])), responseHash: sha256(Buffer.from([i, 1])), assetId: ASSET, version: 3n, units: 1n,
      price: i === 6 ? big : UNIT_PRICE, channelId: 5n + BigInt(i % 2), lane: BigInt(i), cumulative: i === 5 ? 2n ** 64n + 1n : BigInt(i + 1) * UNIT_PRICE, index: BigInt(i + 1),
    }))
    const input = { seq: 4, receipts, deltas: '[]', vouchers: [] as [string, string][] }
    const a = new Store(join(tmp.dir, 'a.sqlite'))
    const inline = await inlineWriter(a, new ReceiptBatchSigner(domain, NODE_KEY), 1n).write(input)
    const worker = workerWriter({ file: join(tmp.dir, 'b.sqlite'), synchronous: 'NORMAL', ...domain, privateKey: NODE_KEY, nodeId: 1n })
    const threaded = await worker.write(input)
    await worker.close()
    // RFC 6979 signatures are deterministic: the two paths must agree byte for byte
    assert.deepEqual(threaded.headers, inline.headers)
    const b = new Store(join(tmp.dir, 'b.sqlite'))
    const row = (s: Store) => s.db.prepare('SELECT seq, root, count, signature, receipts FROM receipt_groups').all()
    assert.deepEqual(row(b), row(a))
    assert.equal(row(a).length, 1)
    for (const [i, h] of inline.headers.entries()) {
      const r = parseCompactReceiptHeader(h)
      assert.deepEqual(r.fields, receipts[i])
      assert.ok(verifyProof(r.groupRoot, sha256(encodeReceipt(r.fields)), r.proof))
      const digest = new ReceiptBatchSigner(domain, NODE_KEY).digest(1n, ('0x' + r.groupRoot.toString('hex')) as Hex, 4n)
      assert.equal(await recoverAddress({ hash: digest, signature: r.signature as Hex }), privateKeyToAccount(NODE_KEY).address)
    }
    a.close()
    b.close()
    tmp.cleanup()
  })

  it('settles vouchers (m = 0), then chain tails on shutdown, to the wei; receipts roots recorded once', async () => {
    const { tmp, chain, lane: c, node } = await startWithLane(4)
    const inv = () => post(`${node.url}/v1/invoke/${ASSET}`, {}, c.next())
    for (let i = 0; i < 4; i++) assert.equal((await inv()).status, 200)
    await c.newChain(c.total()) // cumulative 4000
    for (let i = 0; i < 2; i++) assert.equal((await inv()).status, 200)
    await node.settle()
    assert.equal(chain.settles.length, 1)
    assert.equal(chain.settles[0]!.entries.length, 1)
    assert.equal(chain.settles[0]!.entries[0]!.units, 0n)
    assert.equal(chain.settles[0]!.receiptCount, 6n)
    assert.equal(await chain.laneSettled(1n, ASSET, 0n), 4n * UNIT_PRICE)
    assert.equal(chain.channels.get(1n)!.settled, 4n * UNIT_PRICE)
    await node.settle() // nothing new: no transaction
    assert.equal(chain.settles.length, 1)
    await node.close() // shutdown settles the tail: 2 more units
    assert.equal(chain.settles.length, 2)
    assert.equal(chain.settles[1]!.entries[0]!.units, 2n)
    assert.equal(await chain.laneSettled(1n, ASSET, 0n), 6n * UNIT_PRICE)
    assert.equal(chain.channels.get(1n)!.settled, 6n * UNIT_PRICE)
    assert.equal(chain.roots.size, 1)
    tmp.cleanup()
  })

  it('a receipts root the chain already holds: its groups count as settled and the lanes settle without it', async () => {
    const { tmp, chain, lane: c, node } = await startWithLane(4)
    for (let i = 0; i < 3; i++) assert.equal((await post(`${node.url}/v1/invoke/${ASSET}`, {}, c.next())).status, 200)
    await c.newChain(c.total())
    assert.equal((await post(`${node.url}/v1/invoke/${ASSET}`, {}, c.next())).status, 200)
    chain.rootRecordedBehindTheNodesBack = true
    await node.settle()
    // one transaction: the lane's voucher, no root (the chain has it)
    assert.equal(chain.settles.length, 1)
    assert.equal(chain.settles[0]!.receiptCount, 0n)
    assert.equal(chain.settles[0]!.entries.length, 1)
    assert.equal(await chain.laneSettled(1n, ASSET, 0n), 3n * UNIT_PRICE)
    assert.equal(node.internals.store.unsettledGroups().length, 0, 'the groups under the recorded root are settled')
    assert.equal(node.internals.committer.stats.unsettledReceipts, 0)
    await node.settle() // nothing left, nothing retried
    assert.equal(chain.settles.length, 1)
    await node.close({ settle: false })
    tmp.cleanup()
  })

  it('a settlement broadcast before a crash is re-sent and reconciled on restart, never doubled', async () => {
    const started = await startWithLane(2, { settlement: { txTimeoutMs: 50 } })
    const { tmp, chain, lane: c } = started
    let node = started.node
    const inv = () => post(`${node.url}/v1/invoke/${ASSET}`, {}, c.next())
    for (let i = 0; i < 2; i++) assert.equal((await inv()).status, 200)
    await c.newChain(c.total())
    assert.equal((await inv()).status, 200)
    chain.mining = false
    await node.settle()
    assert.equal(chain.settles.length, 0)
    const open = node.internals.store.openSettlements()
    assert.equal(open.length, 1)
    assert.equal(open[0]!.status, 'submitted')
    await node.close({ settle: false })

    chain.mining = true
    node = await startNode(testConfig(tmp.dir), { chain, manualSettlement: true })
    assert.equal(chain.settles.length, 1)
    assert.equal(node.internals.store.openSettlements().length, 0)
    assert.equal(node.internals.processor.lanes.get(`1.${ASSET}.0`)!.settled, 2n * UNIT_PRICE)
    await node.settle()
    assert.equal(chain.settles.length, 1, 'the same receipts/vouchers are not settled again')
    await node.close({ settle: false })
    tmp.cleanup()
  })
})

describe('store: WAL checkpoints off the committing thread', () => {
  it('the checkpointer thread copies committed groups into the database file while the writer never checkpoints', async () => {
    const tmp = tempDir()
    const file = join(tmp.dir, 'n.sqlite')
    const store = new Store(file, { synchronous: 'NORMAL', backgroundCheckpoint: true })
    assert.equal((store.db.pragma('wal_autocheckpoint') as { wal_autocheckpoint: number }[])[0]!.wal_autocheckpoint, 16384)
    const receipts = Buffer.alloc(40 * RECEIPT_ROW, 7)
    const before = statSync(file).size
    for (let seq = 1; seq <= 200; seq++) store.commitGroup({ seq, root: sha256(Buffer.from([seq & 255, seq >> 8])), signature: '0x00', receipts, deltas: '[]', vouchers: [] })
    // ~3 MB of groups: far below the writer's own 64 MiB threshold, so only the other thread moves them
    let size = before
    for (let i = 0; i < 100 && size < before + 2_000_000; i++) {
      await new Promise((r) => setTimeout(r, 20))
      size = statSync(file).size
    }
    assert.ok(size >= before + 2_000_000, `database file ${before} -> ${size} bytes`)
    store.close()
    // the data is all there after the close
    const again = new Store(file)
    assert.equal(again.lastGroupSeq(), 200)
    again.close()
    tmp.cleanup()
  })
})

describe('store: lane log replay', () => {
  it('rebuilds lanes from snapshot + group deltas (voucher changes inside a group, no snapshot)', async () => {
    const { tmp, chain, lane: c, node } = await startWithLane(3)
    node.internals.committer.snapshotEvery = 2
    const inv = () => post(`${node.url}/v1/invoke/${ASSET}`, {}, c.next())
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 3; i++) assert.equal((await inv()).status, 200)
      await c.newChain(c.total())
    }
    assert.equal((await inv()).status, 200)
    const live = node.internals.processor.lanes.get(`1.${ASSET}.0`)!
    // read the store while the node is running (no close-time snapshot): snapshot + deltas
    const store = new Store(join(tmp.dir, 'node.sqlite'))
    const [lane] = store.loadLanes()
    assert.ok(store.laneSnapshotSeq() > 0)
    assert.equal(lane!.units, live.units)
    assert.ok(lane!.head.equals(live.head))
    assert.equal(lane!.voucher.signature, live.voucher.signature)
    assert.equal(lane!.voucher.cumulative, 12n * UNIT_PRICE)
    assert.equal(store.groupReceipts(1).length, 1)
    store.close()
    await node.close({ settle: false })
    tmp.cleanup()
  })
  it('lanes replayed at startup survive a later snapshot that does not touch them (crash, snapshot, crash)', async () => {
    // A crash image: the database and its WAL as they are on disk while the node runs (what a
    // SIGKILL leaves behind; nothing from close() runs).
    const crashImage = (from: string, to: string) => {
      mkdirSync(to, { recursive: true })
      for (const f of ['node.sqlite', 'node.sqlite-wal']) if (existsSync(join(from, f))) copyFileSync(join(from, f), join(to, f))
    }
    const tmp = tempDir()
    const chain = new FakeChain()
    chain.openChannel(1n)
    const a = new LaneClient(1n, ASSET, 0n, 16)
    const b = new LaneClient(1n, ASSET, 1n, 16)
    await a.newChain(0n)
    await b.newChain(0n)
    const inv = (url: string, h: Record<string, string>) => post(`${url}/v1/invoke/${ASSET}`, {}, h)
    // life 1: lane a gets 3 calls, lane b 1; then the process dies
    let node = await startNode(testConfig(join(tmp.dir, 'life1')), { chain, manualSettlement: true })
    for (let i = 0; i < 3; i++) assert.equal((await inv(node.url, a.next())).status, 200)
    assert.equal((await inv(node.url, b.next())).status, 200)
    crashImage(join(tmp.dir, 'life1'), join(tmp.dir, 'life2'))
    await node.close({ settle: false })
    // life 2: only lane b is used, and the lanes table is snapshotted; then the process dies again
    node = await startNode(testConfig(join(tmp.dir, 'life2')), { chain, manualSettlement: true })
    assert.equal(node.internals.processor.lanes.get(`1.${ASSET}.0`)!.units, 3)
    node.internals.committer.snapshotEvery = 1
    for (let i = 0; i < 2; i++) assert.equal((await inv(node.url, b.next())).status, 200)
    crashImage(join(tmp.dir, 'life2'), join(tmp.dir, 'life3'))
    await node.close({ settle: false })
    // life 3: lane a must still be at 3 units, lane b at 3
    node = await startNode(testConfig(join(tmp.dir, 'life3')), { chain, manualSettlement: true })
    assert.equal(node.internals.processor.lanes.get(`1.${ASSET}.0`)!.units, 3, 'lane a lost the calls of life 1')
    assert.equal(node.internals.processor.lanes.get(`1.${ASSET}.1`)!.units, 3)
    assert.equal((await inv(node.url, a.next())).status, 200, 'lane a continues where it was')
    await node.close({ settle: false })
    tmp.cleanup()
  })
})

/** Sends one POST per header set back to back on one connection (HTTP/1.1 pipelining); the statuses in order. */
async function pipelinedStatuses(url: string, path: string, headerSets: Record<string, string>[]): Promise<number[]> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  const body = '{}'
  const requests = headerSets.map((h) => `POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`)
  socket.write(requests.join(''))
  let text = ''
  for await (const chunk of socket) {
    text += chunk
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]))
    if (statuses.length === headerSets.length && /\r\n\r\n[^]*\}$/.test(text)) {
      socket.destroy()
      return statuses
    }
  }
  throw new Error(`connection closed after: ${text}`)
}

describe('a receipt group that cannot be committed', () => {
  it('answers 503 store_unavailable, gives the unit back to the lane, and the same ticket pays once the store writes again', async () => {
    const { tmp, lane: c, node } = await startWithLane(8)
    const inv = (body: unknown, h: Record<string, string>) => post(`${node.url}/v1/invoke/${ASSET}`, body, h)
    const lane = () => node.internals.processor.lanes.get(`1.${ASSET}.0`)!
    assert.equal((await inv({ q: 0 }, c.next())).status, 200)
    const db = node.internals.store.db
    db.pragma('query_only = ON') // SQLite refuses every write: the group commit fails
    const ticket = c.next()
    const refused = await inv({ q: 1 }, ticket)
    assert.equal(refused.status, 503)
    assert.equal(refused.json.error.code, 'store_unavailable')
    assert.equal(refused.headers.get('x-sahara-receipt'), null)
    assert.equal(lane().units, 1, 'the unit went back to the lane')
    assert.equal(node.internals.channels.peek(1n)!.owed, UNIT_PRICE)
    // two calls of the lane in one failed group (pipelined on one connection, so both are
    // accepted in one event-loop turn): both units go back
    const next = c.next()
    assert.deepEqual(await pipelinedStatuses(node.url, `/v1/invoke/${ASSET}`, [ticket, next]), [503, 503])
    assert.equal(lane().units, 1)
    assert.equal(node.internals.channels.peek(1n)!.owed, UNIT_PRICE)
    db.pragma('query_only = OFF')
    const paid = await inv({ q: 1 }, ticket)
    assert.equal(paid.status, 200)
    const receipt = decodeReceiptHeader(paid.headers.get('x-sahara-receipt'))
    assert.equal(receipt.index, '2')
    assert.equal(receipt.cumulative, (2n * UNIT_PRICE).toString())
    assert.equal((await inv({ q: 2 }, next)).status, 200)
    assert.equal(lane().units, 3)
    assert.equal(node.internals.channels.peek(1n)!.owed, 3n * UNIT_PRICE)
    await node.close({ settle: false })
    tmp.cleanup()
  })
})

describe('retried tickets (answer lost after the receipt was committed)', () => {
  it('same ticket + same request: the same answer and receipt, no new charge, also after a restart; otherwise 409 with the stored receipt', async () => {
    const started = await startWithLane(16)
    const { tmp, chain, lane: c } = started
    let node = started.node
    const inv = (url: string, body: unknown, h: Record<string, string>) => post(`${url}/v1/invoke/${ASSET}`, body, h)
    assert.equal((await inv(node.url, { q: 0 }, c.next())).status, 200)
    const ticket = c.next()
    const first = await inv(node.url, { q: 1 }, ticket)
    assert.equal(first.status, 200)
    const lane = () => node.internals.processor.lanes.get(`1.${ASSET}.0`)!
    const again = await inv(node.url, { q: 1 }, ticket)
    assert.equal(again.status, 200)
    assert.deepEqual(again.json, first.json)
    assert.equal(again.headers.get('x-sahara-receipt'), first.headers.get('x-sahara-receipt'))
    assert.equal(lane().units, 2, 'not charged again')
    assert.equal(node.internals.channels.peek(1n)!.owed, 2n * UNIT_PRICE)
    // another request on the same ticket: 409, and the receipt of the call the ticket paid for
    const other = await inv(node.url, { q: 2 }, ticket)
    assert.equal(other.status, 409)
    assert.equal(other.json.error.code, 'ticket_replayed')
    assert.equal(other.headers.get('x-sahara-receipt'), first.headers.get('x-sahara-receipt'))
    // an older ticket is a plain replay: no receipt
    const older = await inv(node.url, { q: 0 }, { 'x-sahara-ticket': ticket['x-sahara-ticket']!.replace(/\.2\.([0-9a-f]{64})$/, '.1.$1') })
    assert.equal(older.status, 409)
    assert.equal(older.headers.get('x-sahara-receipt'), null)
    await node.close({ settle: false })
    node = await startNode(testConfig(tmp.dir), { chain, manualSettlement: true })
    const afterRestart = await inv(node.url, { q: 1 }, { 'x-sahara-ticket': ticket['x-sahara-ticket']! })
    assert.equal(afterRestart.status, 200)
    assert.equal(afterRestart.headers.get('x-sahara-receipt'), first.headers.get('x-sahara-receipt'))
    assert.equal((await inv(node.url, { q: 3 }, c.next())).status, 200, 'the lane goes on with the next ticket')
    assert.equal(lane().units, 3)
    await node.close({ settle: false })
    tmp.cleanup()
  })
})

describe('settlement sweep', () => {
  it('an idle lane whose channel starts closing gets its chain tail settled', async () => {
    const { tmp, chain, lane: c, node } = await startWithLane(8)
    for (let i = 0; i < 3; i++) assert.equal((await post(`${node.url}/v1/invoke/${ASSET}`, {}, c.next())).status, 200)
    assert.equal(await node.sweep(), false, 'open channel, fresh voucher: nothing due')
    const ch = chain.channels.get(1n)!
    ch.status = 1
    ch.closesAt = chain.clock + 1800n
    assert.equal(await node.sweep(), true)
    assert.equal(await chain.laneSettled(1n, ASSET, 0n), 3n * UNIT_PRICE)
    await node.close({ settle: false })
    tmp.cleanup()
  })
})

describe('store: files written by an older node', () => {
  it('gains the exact_payments columns added since (request hash, receipt) and keeps its rows', async () => {
    const tmp = tempDir()
    const file = join(tmp.dir, 'old.db')
    const { default: Database } = await import('better-sqlite3')
    const old = new Database(file)
    old.exec(`CREATE TABLE exact_payments (
      payer TEXT NOT NULL, nonce TEXT NOT NULL, token TEXT NOT NULL, asset_id TEXT NOT NULL, value TEXT NOT NULL,
      tx_hash TEXT, status TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (payer, token, nonce))`)
    old.prepare(`INSERT INTO exact_payments VALUES ('0xaa', '0x01', '0xbb', '7', '1000', '0xcc', 'settled', 1)`).run()
    old.close()
    const store = new Store(file)
    const before = store.exactPayment({ payer: '0xAA', token: '0xBB', nonce: '0x01' })
    assert.deepEqual(before, { assetId: 7n, value: 1000n, status: 'settled', txHash: '0xcc', requestHash: null, receipt: null })
    const key = { payer: '0xaa', token: '0xbb', nonce: '0x02' }
    assert.equal(store.reserveExact(key, 7n, 1000n, sha256(Buffer.from('req'))), true)
    assert.equal(store.reserveExact(key, 7n, 1000n, sha256(Buffer.from('req'))), false)
    store.setExactReceipt(key, 'r2.receipt')
    const row = store.exactPayment(key)!
    assert.ok(row.requestHash!.equals(sha256(Buffer.from('req'))))
    assert.equal(row.receipt, 'r2.receipt')
    store.close()
    // opening it again adds nothing twice
    new Store(file).close()
    tmp.cleanup()
  })
})
