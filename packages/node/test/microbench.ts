/** Per-stage cost of the paid path without HTTP (µs per call): node --import tsx test/microbench.ts */
import { ChannelCache } from '../src/chain/channelCache.ts'
import { ReceiptBatchSigner, recoverVoucherSigner, VoucherRecoverer } from '../src/payments/eip712.ts'
import { parseTicket } from '../src/payments/headers.ts'
import { merkleLevels, merkleTree, sha256 } from '../src/payments/merkle.ts'
import { PaymentProcessor } from '../src/payments/processor.ts'
import { compactReceiptHeader, encodeReceipt, receiptGroupTail, receiptHeaderV1, receiptLeaf } from '../src/payments/receipt.ts'
import { Store } from '../src/store/db.ts'
import { GroupCommitter } from '../src/payments/groups.ts'
import { inlineWriter } from '../src/store/groupWriter.ts'
import { ASSET, CHANNELS, CHAIN_ID, FakeChain, LaneClient, NODE_KEY, TOKEN, UNIT_PRICE, tempDir } from './helpers.ts'
import { join } from 'node:path'

const LANES = 64
const PER_LANE = 1000
const chain = new FakeChain()
chain.openChannel(1n, { deposit: 10n ** 30n })
const channels = new ChannelCache(chain, 60_000)
const domain = { chainId: CHAIN_ID, verifyingContract: CHANNELS }
const proc = new PaymentProcessor(channels, { nodeId: 1n, domain, now: () => chain.now(), minVoucherLifetime: 60n, closeSafetyMargin: 60n })
const terms = { assetId: ASSET, token: TOKEN, unitPrice: UNIT_PRICE, unitsPerCall: 1 }
const clients = await Promise.all(Array.from({ length: LANES }, async (_, i) => {
  const c = new LaneClient(1n, ASSET, BigInt(i), PER_LANE)
  await c.newChain(0n)
  return c
}))
for (const c of clients) {
  const h = c.next()
  await proc.acceptVoucher(h['x-sahara-voucher']!, parseTicket(h['x-sahara-ticket']!), terms)
  c.index = 0
}
const ch = await channels.refresh(1n)
const tickets: string[] = []
for (let k = 0; k < PER_LANE - 1; k++) for (const c of clients) tickets.push(c.next()['x-sahara-ticket']!)
const body = Buffer.from(JSON.stringify({ input: 'hello' }))
const resp = Buffer.from(JSON.stringify({ output: { input: 'hello' } }))
const N = tickets.length
const time = (label: string, f: () => void) => {
  const t = performance.now()
  f()
  console.log(label.padEnd(34), ((performance.now() - t) * 1000 / N).toFixed(2), 'us/call')
}
const parsed = tickets.map(parseTicket)
time('parseTicket', () => { for (const t of tickets) parseTicket(t) })
const accs: ReturnType<typeof proc.acceptTicket>[] = []
time('acceptTicket (1 sha256 + checks)', () => { for (const t of parsed) accs.push(proc.acceptTicket(t, terms, ch)) })
const encs: Buffer[] = []
time('request+response sha256', () => { for (let i = 0; i < N; i++) { sha256(body); sha256(resp) } })
time('encodeReceipt', () => { for (const a of accs) encs.push(encodeReceipt({ nodeId: 1n, requestHash: sha256(body), responseHash: sha256(resp), assetId: ASSET, version: 1n, units: 1n, price: a.price, channelId: 1n, lane: a.lane.lane, cumulative: a.total, index: BigInt(a.index) })) })
const leaves: Buffer[] = []
time('leaf sha256', () => { for (const e of encs) leaves.push(receiptLeaf(e)) })
time('merkle (groups of 64)', () => { for (let i = 0; i < N; i += 64) merkleTree(leaves.slice(i, i + 64)) })
const tree = merkleLevels(leaves.slice(0, 64))
const tail = receiptGroupTail(12, leaves[0]!, '0x' + 'cd'.repeat(65))
time('receipt header (format 2)', () => { for (let i = 0; i < N; i++) compactReceiptHeader({ nodeId: 1n, requestHash: leaves[i]!, responseHash: leaves[i]!, assetId: ASSET, version: 1n, units: 1n, price: 1000n, channelId: 1n, lane: 3n, cumulative: 1000n, index: 4n }, tail, tree.proofB64(i % 64)) })
time('receipt header (format 1)', () => { for (let i = 0; i < N; i++) receiptHeaderV1({ nodeId: 1n, requestHash: leaves[i]!, responseHash: leaves[i]!, assetId: ASSET, version: 1n, units: 1n, price: 1000n, channelId: 1n, lane: 3n, cumulative: 1000n, index: 4n }, leaves[i]!, tree.proofHex(i % 64), '0x' + 'ab'.repeat(32), '12', '0x' + 'cd'.repeat(65)) })
{
  // once per chain of ~1024 calls per lane: a new voucher's signer
  const vs = clients.map((c) => c.voucher)
  let t0 = performance.now()
  for (const v of vs) await recoverVoucherSigner(domain, v)
  console.log('voucher recovery (viem, noble)'.padEnd(34), ((performance.now() - t0) * 1000 / vs.length).toFixed(0), 'us/voucher')
  const rec = new VoucherRecoverer(domain)
  t0 = performance.now()
  for (const v of vs) await rec.recover(v)
  console.log('voucher recovery (libsecp256k1)'.padEnd(34), ((performance.now() - t0) * 1000 / vs.length).toFixed(0), 'us/voucher')
}
const signer = new ReceiptBatchSigner(domain, NODE_KEY)
let t = performance.now()
for (let i = 0; i < 200; i++) await signer.sign(1n, ('0x' + leaves[i]!.toString('hex')) as `0x${string}`, BigInt(i))
console.log('sign per group'.padEnd(34), ((performance.now() - t) * 1000 / 200).toFixed(0), 'us/group')
for (const sync of ['NORMAL', 'FULL'] as const) {
  const tmp = tempDir()
  const store = new Store(join(tmp.dir, 'x.sqlite'), { synchronous: sync })
  const committer = new GroupCommitter(store, inlineWriter(store, signer, 1n), () => {})
  t = performance.now()
  let done = 0
  const M = 64 * 200
  await new Promise<void>((resolve) => {
    for (let g = 0; g < 200; g++) {
      setImmediate(() => {
        for (let i = 0; i < 64; i++) {
          const k = g * 64 + i
          const a = accs[k]!
          committer.add({ fields: { nodeId: 1n, requestHash: leaves[k]!, responseHash: leaves[k]!, assetId: ASSET, version: 1n, units: 1n, price: 1000n, channelId: 1n, lane: a.lane.lane, cumulative: a.total, index: BigInt(a.index) }, lane: { state: a.lane, units: a.index, head: a.lane.head, voucher: a.voucher, newVoucher: false }, done: () => { if (++done === M) resolve() } })
        }
      })
    }
  })
  console.log(`group commit (64/group, ${sync})`.padEnd(34), ((performance.now() - t) * 1000 / M).toFixed(2), 'us/call (incl. sign)')
  store.close()
  tmp.cleanup()
}
