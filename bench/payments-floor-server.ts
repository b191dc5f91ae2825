// The lower bound of the per-call receipt design, for bench/payments-floor.ts: an HTTP echo server
// in its own process with no routing, metrics, channel state or error handling, built from the
// node's own primitives. Four routes, measured one at a time against the same load generator:
//   POST /free      the echo answer alone;
//   POST /receipts  + what every paid call must do under the receipt design: parse the
//                   ticket and hash its preimage, hash the request and the response, encode the
//                   receipt, hash its leaf, build the group's Merkle tree and send the receipt
//                   header (fields, group tail, proof); no signature and no SQLite;
//   POST /durable   + the group's ECDSA signature and its SQLite commit (as the node's inline writer);
//   POST /threaded  the same with the node's writer thread doing the group's work.
// Prints its URL on the first stdout line; GET /stats answers {calls, cpuUs} for per-call CPU.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { Hex } from 'viem'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ReceiptBatchSigner } from '../packages/node/src/payments/eip712.ts'
import { buildGroup } from '../packages/node/src/payments/groupBuild.ts'
import { parseTicket } from '../packages/node/src/payments/headers.ts'
import { sha256 } from '../packages/node/src/payments/merkle.ts'
import { receiptGroupTail, receiptPrefix, type ReceiptFields } from '../packages/node/src/payments/receipt.ts'
import { Store } from '../packages/node/src/store/db.ts'
import { inlineWriter, workerWriter, type GroupWriter } from '../packages/node/src/store/groupWriter.ts'

const dir = mkdtempSync(join(tmpdir(), 'sahara-floor-'))
const store = new Store(join(dir, 'floor.sqlite'), { synchronous: 'NORMAL' })
const domain = { chainId: 31337, verifyingContract: '0x00000000000000000000000000000000000000c4' } as const
const privateKey: Hex = `0x${'07'.repeat(32)}`
const signer = new ReceiptBatchSigner(domain, privateKey)
const UNSIGNED: Hex = `0x${'00'.repeat(65)}`

type Waiting = { res: ServerResponse; body: Buffer; fields: ReceiptFields; laneKey: string; head: Buffer }

/** The receipts route's writer: the node's group build and headers, unsigned and not stored. */
const unsignedWriter: GroupWriter = {
  async write(g) {
    const built = buildGroup(g.receipts)
    const tail = receiptGroupTail(g.seq, built.root, UNSIGNED)
    return { headers: g.receipts.map((r, i) => receiptPrefix(r) + tail + built.tree.proofB64(i)), signUs: 0 }
  },
  close: async () => {},
}

/** Group commit as the node does it: every call of one event-loop turn shares a tree (and a signature). */
class FloorGroups {
  private pending: Waiting[] = []
  private scheduled = false
  private seq = 0
  /** `lanes`: pass the lanes' new heads to the writer (only a writer that stores them needs it). */
  constructor(
    private readonly writer: GroupWriter,
    private readonly lanes: boolean,
  ) {}

  add(w: Waiting): void {
    this.pending.push(w)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => void this.flush())
    }
  }

  private async flush(): Promise<void> {
    this.scheduled = false
    const batch = this.pending
    this.pending = []
    let deltas = '[]'
    if (this.lanes) {
      const heads = new Map<string, Buffer>()
      for (const w of batch) heads.set(w.laneKey, w.head)
      deltas = JSON.stringify([...heads].map(([k, h], i) => [k, i, h.toString('hex')]))
    }
    const { headers } = await this.writer.write({ seq: ++this.seq, receipts: batch.map((w) => w.fields), deltas, vouchers: [] })
    for (let i = 0; i < batch.length; i++) {
      const w = batch[i]!
      w.res.writeHead(200, { 'content-type': 'application/json', 'content-length': w.body.length, 'x-sahara-receipt': headers[i] })
      w.res.end(w.body)
    }
  }
}

const threadedWriter = workerWriter({ file: join(dir, 'threaded.sqlite'), synchronous: 'NORMAL', ...domain, privateKey, nodeId: 1n })
const groups = {
  '/receipts': new FloorGroups(unsignedWriter, false),
  '/durable': new FloorGroups(inlineWriter(store, signer, 1n), true),
  '/threaded': new FloorGroups(threadedWriter, true),
} as const
/** Each lane's last revealed preimage: the ticket's preimage must hash to it (checked, not enforced). */
const heads = new Map<string, Buffer>()
let calls = 0

function answer(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
  const body = Buffer.from(JSON.stringify({ output: JSON.parse(raw.toString('utf8')) }))
  const g = groups[req.url as keyof typeof groups]
  if (!g) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
    res.end(body)
    return
  }
  const t = parseTicket(req.headers['x-sahara-ticket'] as string)
  const reached = sha256(t.preimage).equals(heads.get(t.laneKey) ?? t.preimage)
  heads.set(t.laneKey, t.preimage)
  const fields: ReceiptFields = {
    nodeId: 1n,
    requestHash: sha256(raw),
    responseHash: sha256(body),
    assetId: t.assetId,
    version: 1n,
    units: BigInt(t.units),
    price: BigInt(t.units) * 1000n,
    channelId: t.channelId,
    lane: t.lane,
    cumulative: reached ? BigInt(t.index) * 1000n : 0n,
    index: BigInt(t.index),
  }
  g.add({ res, body, fields, laneKey: t.laneKey, head: t.preimage })
}

const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  if (req.method === 'GET') {
    const c = process.cpuUsage()
    res.end(JSON.stringify({ calls, cpuUs: c.user + c.system }))
    return
  }
  calls++
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => answer(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)))
})
// the writer thread loads its modules first: not during a measured run
const warm: ReceiptFields = { nodeId: 1n, requestHash: Buffer.alloc(32), responseHash: Buffer.alloc(32), assetId: 8n, version: 1n, units: 1n, price: 1n, channelId: 1n, lane: 0n, cumulative: 0n, index: 1n }
await threadedWriter.write({ seq: 1_000_000_000, receipts: [warm], deltas: '[]', vouchers: [] })
server.listen(0, '127.0.0.1', () => {
  const a = server.address()
  process.stdout.write(`http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}\n`)
})
process.on('SIGTERM', async () => {
  server.close()
  store.close()
  await threadedWriter.close()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
})
