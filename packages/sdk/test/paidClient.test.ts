import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import OpenAI from 'openai'
import { getAddress, type Address } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import {
  PriceAboveMaxError,
  ReceiptVerificationError,
  createPaidClient,
  decodeReceiptHeader,
  parseChannelRequirement,
  paymentsDomain,
  PaymentRequirementError,
  type PaidClientConfig,
} from '../src/index'
import { FakeBackend, FakeNode } from './utils/fakeNode'

const CHAIN_ID = 31337
const CHANNELS = getAddress('0x00000000000000000000000000000000000000c1')
const TOKEN = getAddress('0x00000000000000000000000000000000000000d7')
const payer = privateKeyToAccount(generatePrivateKey())
const nodeAccount = privateKeyToAccount(generatePrivateKey())
const domain = paymentsDomain(CHAIN_ID, CHANNELS)
const PRICE = 250n

let node: FakeNode
let backend: FakeBackend
const tmp = mkdtempSync(join(tmpdir(), 'sahara-paid-'))

function client(over: Partial<PaidClientConfig> = {}) {
  return createPaidClient({ account: payer, backend, maxPricePerCall: 1_000n, ...over })
}

const infer = (paid: { fetch: typeof fetch }, assetId = 3, input: unknown = { x: [1, 2, 3, 4] }) =>
  paid.fetch(`${node.url}/assets/${assetId}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })

describe('createPaidClient against a fake node', () => {
  before(async () => {
    backend = new FakeBackend(CHAIN_ID, CHANNELS, payer.address, nodeAccount.address)
    node = await new FakeNode({
      backend,
      domain,
      nodeId: 1n,
      nodeAccount,
      token: TOKEN,
      assets: new Map([
        [3n, { unitPrice: PRICE, unitsPerCall: 1, version: 1n }],
        [4n, { unitPrice: 100n, unitsPerCall: 3, version: 2n }],
        [5n, { unitPrice: 5_000n, unitsPerCall: 1, version: 1n }],
      ]),
    }).start()
  })
  after(async () => {
    await node.stop()
    rmSync(tmp, { recursive: true, force: true })
  })
  beforeEach(() => {
    node.tamper = undefined
  })

  it('pays a call: 402, opens a channel, one voucher, verified receipt', async () => {
    const paid = client()
    const res = await infer(paid)
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { result: `paid call ${node.paid}` })
    const r = paid.receipts()
    assert.equal(r.length, 1)
    assert.equal(r[0]!.receipt.fields.price, PRICE)
    assert.equal(r[0]!.receipt.fields.cumulative, PRICE)
    assert.equal(r[0]!.receipt.fields.index, 1n)
    const s = paid.status()
    assert.equal(s.calls, 1)
    assert.equal(s.spent, PRICE)
    assert.equal(s.channels.length, 1)
    assert.equal(s.channels[0]!.owed, PRICE)
    assert.equal(s.channels[0]!.budget, 1_000_000n) // default deposit = 1000 * maxPricePerCall
  })

  it('sequential calls reuse one lane and one voucher; cumulative grows by the price', async () => {
    const paid = client()
    const v0 = node.vouchers
    const req0 = node.requests
    for (let i = 0; i < 10; i++) assert.equal((await infer(paid)).status, 200)
    assert.equal(node.vouchers - v0, 1)
    assert.equal(node.requests - req0, 11) // one unpaid probe, then paid directly
    const fields = paid.receipts().map((r) => r.receipt.fields)
    assert.deepEqual(fields.map((f) => f.index), Array.from({ length: 10 }, (_, i) => BigInt(i + 1)))
    assert.deepEqual(fields.map((f) => f.cumulative), Array.from({ length: 10 }, (_, i) => PRICE * BigInt(i + 1)))
    assert.equal(new Set(fields.map((f) => f.lane)).size, 1)
  })

  it('a used-up chain gets a new voucher whose cumulative is exactly what the lane owes', async () => {
    const paid = client({ channel: { chainLength: 3 } })
    const v0 = node.vouchers
    for (let i = 0; i < 7; i++) assert.equal((await infer(paid)).status, 200)
    assert.equal(node.vouchers - v0, 3) // chains of 3 units: calls 1-3, 4-6, 7
    const f = paid.receipts().map((r) => r.receipt.fields)
    assert.deepEqual(f.map((x) => x.index), [1n, 2n, 3n, 1n, 2n, 3n, 1n])
    assert.equal(f[6]!.cumulative, 7n * PRICE)
  })

  it('multi-unit calls reveal q links at once', async () => {
    const paid = client({ channel: { chainLength: 8 } })
    for (let i = 0; i < 4; i++) assert.equal((await infer(paid, 4)).status, 200)
    const f = paid.receipts().map((r) => r.receipt.fields)
    // 3 units per call on chains of 8: indices 3, 6, then a new chain: 3, 6
    assert.deepEqual(f.map((x) => x.index), [3n, 6n, 3n, 6n])
    assert.deepEqual(f.map((x) => x.cumulative), [300n, 600n, 900n, 1200n])
  })

  it('concurrent calls each get a free lane, bounded by the pool size; receipts share groups', async () => {
    const paid = client({ channel: { lanes: 4 } })
    assert.equal((await infer(paid)).status, 200) // learn the requirement
    const results = await Promise.all(Array.from({ length: 40 }, () => infer(paid)))
    assert.ok(results.every((r) => r.status === 200))
    const s = paid.status()
    assert.equal(s.calls, 41)
    const lanes = s.channels[0]!.lanes
    assert.equal(lanes.length, 4)
    assert.equal(lanes.reduce((a, l) => a + l.total, 0n), 41n * PRICE)
    assert.equal(s.channels[0]!.owed, 41n * PRICE)
    const groups = new Set(paid.receipts().map((r) => r.receipt.groupRoot))
    assert.ok(groups.size < 41, 'concurrent receipts are grouped')
  })

  it('tops the channel up when the deposit runs short', async () => {
    const paid = client({ channel: { deposit: 3n * PRICE } })
    const t0 = backend.topUps
    for (let i = 0; i < 7; i++) assert.equal((await infer(paid)).status, 200)
    assert.equal(backend.topUps - t0, 2)
    assert.equal(paid.status().channels[0]!.budget, 9n * PRICE)
  })

  it('refuses a price above maxPricePerCall before paying anything', async () => {
    const paid = client({ maxPricePerCall: 4_999n })
    const opens = backend.opens
    await assert.rejects(infer(paid, 5), (e) => e instanceof PriceAboveMaxError && e.price === 5_000n && e.code === 'price_above_max')
    assert.equal(backend.opens, opens)
    assert.equal(paid.status().calls, 0)
  })

  it('rejects receipts with a wrong price, a foreign signature or a bad proof', async () => {
    for (const tamper of ['price', 'signature', 'proof'] as const) {
      const paid = client()
      node.tamper = tamper
      await assert.rejects(infer(paid), ReceiptVerificationError, tamper)
      assert.equal(paid.receipts().length, 0)
      node.tamper = undefined
      // the lane that misbehaved is retired; the next call works on a fresh lane
      assert.equal((await infer(paid)).status, 200)
      assert.equal(paid.receipts().length, 1)
    }
  })

  it("background signature checks: calls return first, a bad signature blocks the node", async () => {
    const ok = client({ receiptSignatures: 'background' })
    for (let i = 0; i < 5; i++) assert.equal((await infer(ok)).status, 200)
    await ok.waitForReceipts()
    assert.equal(ok.receipts().length, 5)

    const paid = client({ receiptSignatures: 'background' })
    node.tamper = 'signature'
    assert.equal((await infer(paid)).status, 200) // leaf, proof and fields are fine
    await assert.rejects(paid.waitForReceipts(), /not by the node's signer/)
    assert.equal(paid.receipts().length, 0)
    node.tamper = undefined
    await assert.rejects(infer(paid), /Node #1 returned a receipt that failed verification/)
  })

  it('recovers when the node lost the lane chain state (re-signs at the lane total)', async () => {
    const paid = client()
    for (let i = 0; i < 3; i++) await infer(paid)
    node.forgetChains()
    const res = await infer(paid)
    assert.equal(res.status, 200)
    const last = paid.receipts().at(-1)!.receipt.fields
    assert.equal(last.cumulative, 4n * PRICE)
    assert.equal(last.index, 1n) // a fresh chain
  })

  it('moves to a fresh lane when the node is behind (400 ticket_gap, then 409 on the re-signed voucher)', async () => {
    const paid = client({ channel: { lanes: 1 } })
    for (let i = 0; i < 3; i++) await infer(paid)
    node.rewindLanes()
    const e0 = node.errors.length
    const res = await infer(paid)
    assert.equal(res.status, 200)
    assert.deepEqual(node.errors.slice(e0), ['ticket_gap', 'stale_voucher'])
    const lanes = paid.status().channels[0]!.lanes
    assert.equal(lanes.length, 2) // the old lane (retired, still owed) and a fresh one
    assert.equal(paid.status().channels[0]!.owed, 4n * PRICE)
    const last = paid.receipts().at(-1)!.receipt.fields
    assert.equal(last.cumulative, PRICE)
    assert.notEqual(last.lane, paid.receipts()[0]!.receipt.fields.lane)
  })

  it('a later session resumes saved lanes of a reused channel (same lane, same chain, no new voucher)', async () => {
    const first = client({ channel: { lanes: 1 } })
    for (let i = 0; i < 3; i++) await infer(first)
    const snaps = first.exportLanes()
    assert.equal(snaps.length, 1)
    assert.equal(snaps[0]!.k, 3)
    const channelId = first.status().channels[0]!.channelId
    const v0 = node.vouchers
    const second = client({ channel: { lanes: 1, id: channelId, resume: snaps } })
    assert.equal((await infer(second)).status, 200)
    const f = second.receipts()[0]!.receipt.fields
    assert.equal(f.channelId, channelId)
    assert.equal(f.lane.toString(), snaps[0]!.lane)
    assert.equal(f.index, 4n)
    assert.equal(f.cumulative, 4n * PRICE)
    assert.equal(node.vouchers, v0)
    // a tampered snapshot is ignored: the session starts a fresh lane instead
    const bad = client({ channel: { lanes: 1, id: channelId, resume: [{ ...snaps[0]!, total: '1' }] } })
    assert.equal((await infer(bad)).status, 200)
    assert.notEqual(bad.receipts()[0]!.receipt.fields.lane.toString(), snaps[0]!.lane)
  })

  it('follows a 402 that names another asset for the same route', async () => {
    const paid = client()
    assert.equal((await infer(paid, 3)).status, 200)
    node.remap.set(3n, 4n)
    try {
      const res = await infer(paid, 3)
      assert.equal(res.status, 200)
      const last = paid.receipts().at(-1)!.receipt.fields
      assert.equal(last.assetId, 4n)
      assert.equal(last.price, 300n)
      // both pools are intact: asset 3's lane is idle again, asset 4 got its own
      const lanes = paid.status().channels[0]!.lanes
      assert.deepEqual(lanes.map((l) => l.assetId).sort(), [3n, 4n])
    } finally {
      node.remap.clear()
    }
    assert.equal((await infer(paid, 3)).status, 200)
  })

  it('passes through responses that need no payment or offer no channel scheme', async () => {
    const paid = client()
    const res = await paid.fetch(`${node.url}/nowhere`)
    assert.equal(res.status, 404)
    const other = await paid.fetch(`${node.url}/assets/99/infer`, { method: 'POST', body: '{}' })
    assert.equal(other.status, 404)
  })

  it('rejects a requirement that names other contracts or another chain', async () => {
    const wrong = new FakeBackend(CHAIN_ID, getAddress('0x00000000000000000000000000000000000000c2'), payer.address, nodeAccount.address)
    const paid = createPaidClient({ account: payer, backend: wrong, maxPricePerCall: 1_000n })
    await assert.rejects(infer(paid), PaymentRequirementError)
    const wrongChain = new FakeBackend(1, CHANNELS, payer.address, nodeAccount.address)
    await assert.rejects(infer(createPaidClient({ account: payer, backend: wrongChain, maxPricePerCall: 1_000n })), /chain 31337/)
  })

  it('plugs into the stock openai client and writes receipts to a JSON-lines file', async () => {
    const file = join(tmp, 'receipts.jsonl')
    const paid = client({ receiptsFile: file })
    const openai = new OpenAI({ baseURL: `${node.url}/v1`, apiKey: 'unused', fetch: paid.fetch, maxRetries: 0 })
    for (let i = 0; i < 3; i++) {
      const out = await openai.chat.completions.create({ model: '3', messages: [{ role: 'user', content: `hello ${i}` }] })
      assert.match(out.choices[0]!.message.content ?? '', /^paid call \d+$/)
    }
    assert.equal(paid.status().calls, 3)
    const closed = await paid.close()
    assert.equal(closed.length, 1)
    assert.equal(backend.channels.get(closed[0]!.channelId)!.status, 'Closing')
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { url: string; receipt: string })
    assert.equal(lines.length, 3)
    assert.equal(lines[0]!.url, `${node.url}/v1/chat/completions`)
    assert.equal(decodeReceiptHeader(lines[2]!.receipt).fields.cumulative, 3n * PRICE)
  })

  it('a session key signs vouchers and is named as the channel signer', async () => {
    const session = privateKeyToAccount(generatePrivateKey())
    const fakeWallet = { account: payer, request: async () => undefined, transport: {} } as never
    const paid = createPaidClient({ walletClient: fakeWallet, account: session, backend, maxPricePerCall: 1_000n })
    assert.equal((await infer(paid)).status, 200)
    const id = paid.status().channels[0]!.channelId
    assert.equal(backend.channels.get(id)!.signer, session.address as Address)
  })
})

describe('parseChannelRequirement', () => {
  const base = {
    scheme: 'sahara-channel',
    network: 'sahara-devnet',
    maxAmountRequired: '250',
    resource: '/assets/3/infer',
    payTo: CHANNELS,
    asset: TOKEN,
    extra: { nodeId: '1', assetId: '3', version: '1', unitPrice: '250', unitsPerCall: 1, channels: CHANNELS, chainId: CHAIN_ID },
  }
  it('reads the saharaChannel field a node sends beside accepts', () => {
    const r = parseChannelRequirement({ x402Version: 1, accepts: [{ scheme: 'exact' }], saharaChannel: { ...base, extra: { ...base.extra, unitPrice: '7' } } })!
    assert.equal(r.unitPrice, 7n)
    assert.equal(r.payTo, CHANNELS)
    // a malformed saharaChannel is an error, not a reason to look elsewhere
    assert.throws(() => parseChannelRequirement({ saharaChannel: { ...base, payTo: 'nope' } }), PaymentRequirementError)
  })
  it('parses numbers or decimal strings; ignores bodies without the scheme', () => {
    const r = parseChannelRequirement({ x402Version: 1, accepts: [{ scheme: 'exact' }, base] })!
    assert.equal(r.unitPrice, 250n)
    assert.equal(r.assetId, 3n)
    assert.equal(r.chainId, CHAIN_ID)
    assert.equal(parseChannelRequirement({ accepts: [{ scheme: 'exact' }] }), undefined)
    assert.equal(parseChannelRequirement('nope'), undefined)
  })
  it('rejects malformed entries', () => {
    for (const extra of [{ ...base.extra, unitPrice: '-1' }, { ...base.extra, unitsPerCall: 0 }, { ...base.extra, unitsPerCall: 4097 }, { ...base.extra, channels: 'x' }, { ...base.extra, chainId: 0 }]) {
      assert.throws(() => parseChannelRequirement({ accepts: [{ ...base, extra }] }), PaymentRequirementError)
    }
    assert.throws(() => parseChannelRequirement({ accepts: [{ ...base, payTo: 'nope' }] }), PaymentRequirementError)
  })
})
