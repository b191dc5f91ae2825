import { createHash } from 'node:crypto'
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hashTypedData, recoverAddress, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startNode, type RunningNode } from '../src/node.ts'
import { channelsDomain, receiptBatchTypes } from '../src/payments/eip712.ts'
import { sha256, verifyProof } from '../src/payments/merkle.ts'
import { encodeReceipt } from '../src/payments/receipt.ts'
import { ChannelStatus } from '../src/payments/types.ts'
import { ASSET, CHAIN_ID, CHANNELS, EXACT, FakeChain, LaneClient, NODE_KEY, OTHER_KEY, TOKEN, UNIT_PRICE, decodeReceiptHeader, post, tempDir, testConfig } from './helpers.ts'

describe('node HTTP', () => {
  const tmp = tempDir()
  const chain = new FakeChain()
  let node: RunningNode
  const invoke = (body: unknown, headers?: Record<string, string>) => post(`${node.url}/v1/invoke/${ASSET}`, body, headers)
  const alive = async () => {
    const r = await fetch(`${node.url}/health`)
    assert.equal(r.status, 200)
  }
  before(async () => {
    chain.openChannel(1n)
    chain.openChannel(2n, { deposit: 3n * UNIT_PRICE })
    chain.openChannel(3n, { nodeId: 99n })
    chain.openChannel(4n, { status: ChannelStatus.Closing, closesAt: chain.clock + 10n })
    node = await startNode(testConfig(tmp.dir), { chain, manualSettlement: true })
  })
  after(async () => {
    await node.close({ settle: false })
    tmp.cleanup()
  })

  it('lists models in the OpenAI format', async () => {
    const r = (await (await fetch(`${node.url}/v1/models`)).json()) as any
    assert.equal(r.object, 'list')
    assert.deepEqual(r.data.map((m: { id: string }) => m.id), ['sahara:7', 'sahara:8'])
  })

  it('answers an unpaid call with a 402 carrying the exact requirement and, beside it, the channel terms', async () => {
    const r = await invoke({ x: 1 })
    assert.equal(r.status, 402)
    assert.equal(r.json.x402Version, 1)
    // The stock v1 client throws on any scheme but its own in `accepts`: only "exact" is there.
    assert.equal(r.json.accepts.length, 1)
    const [exact] = r.json.accepts
    const channel = r.json.saharaChannel
    assert.equal(exact.scheme, 'exact')
    assert.equal(exact.payTo, EXACT)
    assert.equal(exact.maxAmountRequired, UNIT_PRICE.toString())
    assert.equal(exact.asset, TOKEN)
    // The stock v1 client validates every entry with zod: optional fields are absent, never null.
    assert.ok(Object.values(exact).every((v) => v !== null), JSON.stringify(exact))
    assert.match(exact.resource, /^http:\/\/127\.0\.0\.1:\d+\/v1\/invoke\/7$/)
    assert.equal(channel.scheme, 'sahara-channel')
    assert.equal(channel.payTo, CHANNELS)
    assert.deepEqual(channel.extra, { nodeId: '1', assetId: '7', version: 1, unitPrice: '1000', unitsPerCall: 1, channels: CHANNELS, chainId: CHAIN_ID })
    const v2 = JSON.parse(Buffer.from(r.headers.get('payment-required')!, 'base64').toString())
    assert.equal(v2.x402Version, 2)
    assert.equal(v2.accepts[0].network, `eip155:${CHAIN_ID}`)
    assert.deepEqual(Object.keys(v2).sort(), ['accepts', 'error', 'resource', 'x402Version'])
    assert.deepEqual(v2.accepts[0], { scheme: 'exact', network: `eip155:${CHAIN_ID}`, amount: UNIT_PRICE.toString(), asset: TOKEN, payTo: EXACT, maxTimeoutSeconds: 60, extra: { name: 'Tether USD', version: '1' } })
    assert.equal(v2.resource.url, exact.resource)
  })

  it('serves free assets without payment', async () => {
    const r = await post(`${node.url}/v1/invoke/8`, { hello: 'world' })
    assert.equal(r.status, 200)
    assert.deepEqual(r.json, { output: { hello: 'world' } })
  })

  it('paid calls return a receipt provable to the signed group root', async () => {
    const c = new LaneClient(1n, ASSET, 0n, 16)
    await c.newChain(0n)
    for (let i = 1; i <= 3; i++) {
      const body = { n: i }
      const r = await invoke(body, c.next())
      assert.equal(r.status, 200, JSON.stringify(r.json))
      assert.deepEqual(r.json, { output: body })
      const rc = decodeReceiptHeader(r.headers.get('x-sahara-receipt'))
      assert.equal(rc.cumulative, (BigInt(i) * UNIT_PRICE).toString())
      assert.equal(rc.index, String(i))
      assert.equal(rc.price, UNIT_PRICE.toString())
      assert.equal(rc.requestHash, '0x' + sha256(Buffer.from(JSON.stringify(body))).toString('hex'))
      const fields = { nodeId: 1n, requestHash: Buffer.from(rc.requestHash.slice(2), 'hex'), responseHash: sha256(Buffer.from(JSON.stringify({ output: body }))), assetId: ASSET, version: 1n, units: 1n, price: UNIT_PRICE, channelId: 1n, lane: 0n, cumulative: BigInt(i) * UNIT_PRICE, index: BigInt(i) }
      const leaf = sha256(encodeReceipt(fields))
      assert.equal(rc.leaf, '0x' + leaf.toString('hex'))
      assert.ok(verifyProof(Buffer.from(rc.groupRoot.slice(2), 'hex'), leaf, rc.proof.map((p: string) => Buffer.from(p.slice(2), 'hex'))))
      const digest = hashTypedData({ domain: channelsDomain({ chainId: CHAIN_ID, verifyingContract: CHANNELS }), types: receiptBatchTypes, primaryType: 'ReceiptBatch', message: { nodeId: 1n, root: rc.groupRoot as Hex, sequence: BigInt(rc.sequence) } })
      assert.equal(await recoverAddress({ hash: digest, signature: rc.signature }), privateKeyToAccount(NODE_KEY).address)
    }
  })

  it('concurrent lanes in one event-loop turn share one group (one signature)', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      const c = new LaneClient(1n, ASSET, BigInt(100 + i), 8)
      await c.newChain(0n)
      await invoke({}, c.next()) // voucher
      return c
    }))
    const rs = await Promise.all(clients.map((c) => invoke({}, c.next())))
    const seqs = new Set(rs.map((r) => decodeReceiptHeader(r.headers.get('x-sahara-receipt')).sequence))
    assert.ok(seqs.size < rs.length, `expected shared groups, got ${seqs.size} for ${rs.length}`)
  })

  it('chat completions: OpenAI envelope; stream:true as SSE chunks with the receipt over their bytes; unknown model 404', async () => {
    const c = new LaneClient(1n, ASSET, 7n, 8)
    await c.newChain(0n)
    const r = await post(`${node.url}/v1/chat/completions`, { model: 'sahara:7', messages: [{ role: 'user', content: 'hi' }] }, c.next())
    assert.equal(r.status, 200)
    assert.equal(r.json.choices[0].message.content, 'hi')
    // a paid stream: SSE events, then [DONE]; the receipt's responseHash is sha256 of the SSE bytes
    const streamed = await fetch(`${node.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...c.next() },
      body: JSON.stringify({ model: 'sahara:7', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hello there' }] }),
    })
    assert.equal(streamed.status, 200)
    assert.match(streamed.headers.get('content-type')!, /^text\/event-stream/)
    const bytes = Buffer.from(await streamed.arrayBuffer())
    const rc = decodeReceiptHeader(streamed.headers.get('x-sahara-receipt'))
    assert.equal(rc.responseHash, '0x' + createHash('sha256').update(bytes).digest('hex'))
    const events = bytes.toString().split('\n\n').filter(Boolean)
    assert.equal(events.at(-1), 'data: [DONE]')
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')))
    assert.ok(chunks.every((x) => x.object === 'chat.completion.chunk' && x.id === chunks[0].id))
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: 'hello there' })
    assert.equal(chunks[1].choices[0].finish_reason, 'stop')
    assert.deepEqual(chunks[2].choices, [])
    assert.ok('usage' in chunks[2])
    // free and without include_usage: two chunks and [DONE]
    const free = await fetch(`${node.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo-free', stream: true, messages: [{ role: 'user', content: 'hi' }] }) })
    assert.equal(free.status, 200)
    assert.equal((await free.text()).split('\n\n').filter(Boolean).length, 3)
    const bad = await post(`${node.url}/v1/chat/completions`, { model: 'echo', stream: 'yes', messages: [{ role: 'user', content: 'hi' }] })
    assert.equal(bad.status, 400)
    assert.equal(bad.json.error.code, 'malformed_request')
    const u = await post(`${node.url}/v1/chat/completions`, { model: 'nope', messages: [{ role: 'user', content: 'hi' }] })
    assert.equal(u.status, 404)
    assert.equal(u.json.error.code, 'unknown_model')
  })

  describe('hostile input: each a clear 4xx, and the node keeps serving', () => {
    const expect = async (p: Promise<{ status: number; json: any }>, status: number, code: string) => {
      const r = await p
      assert.equal(r.status, status, JSON.stringify(r.json))
      assert.equal(r.json.code ?? r.json.error?.code, code)
      await alive()
    }
    it('malformed ticket / voucher / JSON', async () => {
      await expect(invoke({}, { 'x-sahara-ticket': 'garbage' }), 400, 'malformed_ticket')
      const c = new LaneClient(1n, ASSET, 20n, 8)
      await c.newChain(0n)
      await expect(invoke({}, { ...c.next(), 'x-sahara-voucher': 'bm90IGpzb24' }), 400, 'malformed_voucher')
      await expect(invoke('{not json', c.next()), 400, 'malformed_json')
    })
    it('ticket without voucher on a new lane -> 402', async () => {
      const c = new LaneClient(1n, ASSET, 21n, 8)
      await c.newChain(0n)
      const h = c.next()
      delete h['x-sahara-voucher']
      await expect(invoke({}, h), 402, 'voucher_required')
    })
    it('forged voucher (other key) and wrong domain (other contract / chain) -> 401', async () => {
      for (const o of [{ key: OTHER_KEY }, { domain: { chainId: CHAIN_ID, verifyingContract: EXACT } }, { domain: { chainId: 1, verifyingContract: CHANNELS } }]) {
        const c = new LaneClient(1n, ASSET, 22n, 8)
        await c.newChain(0n, o)
        await expect(invoke({}, c.next()), 401, 'bad_voucher_signature')
      }
    })
    it('expired voucher, wrong price, other node, closing channel, unknown channel -> 402', async () => {
      const cases: [bigint, object, string][] = [
        [1n, { expiresAt: chain.clock + 5n }, 'voucher_expiring'],
        [1n, { unitPrice: 1n }, 'wrong_unit_price'],
        [3n, {}, 'channel_wrong_node'],
        [4n, {}, 'channel_closing'],
        [55n, {}, 'unknown_channel'],
      ]
      for (const [id, o, code] of cases) {
        const c = new LaneClient(id, ASSET, 23n, 8)
        await c.newChain(0n, o)
        await expect(invoke({}, c.next()), 402, code)
      }
    })
    it('replayed ticket -> 409, bad preimage -> 401, stale voucher -> 409', async () => {
      const c = new LaneClient(1n, ASSET, 24n, 8)
      await c.newChain(0n)
      const h = c.next()
      assert.equal((await invoke({}, h)).status, 200)
      // the same ticket with another request: 409 (the same request would get the same answer again)
      await expect(invoke({ other: true }, { 'x-sahara-ticket': h['x-sahara-ticket']! }), 409, 'ticket_replayed')
      await expect(invoke({}, { 'x-sahara-ticket': c.ticket(1, 2, Buffer.alloc(32, 9)) }), 401, 'bad_preimage')
      const stale = new LaneClient(1n, ASSET, 24n, 8)
      await stale.newChain(0n)
      await expect(invoke({}, { ...stale.next() }), 409, 'voucher_stale')
      // the lane still works with the right chain
      assert.equal((await invoke({}, c.next())).status, 200)
      // a next voucher with exactly what is owed continues the lane
      const owed = c.total()
      await c.newChain(owed)
      assert.equal((await invoke({}, c.next())).status, 200)
    })
    it('over-deposit -> 402 deposit_exhausted (channel-wide, across lanes)', async () => {
      const a = new LaneClient(2n, ASSET, 0n, 8)
      const b = new LaneClient(2n, ASSET, 1n, 8)
      await a.newChain(0n)
      await b.newChain(0n)
      assert.equal((await invoke({}, a.next())).status, 200)
      assert.equal((await invoke({}, a.next())).status, 200)
      assert.equal((await invoke({}, b.next())).status, 200)
      await expect(invoke({}, b.next()), 402, 'deposit_exhausted')
    })
    it('oversized body -> 413, unknown asset -> 404, unknown route -> 404', async () => {
      const big = 'x'.repeat(70 * 1024)
      const r = await post(`${node.url}/v1/invoke/${ASSET}`, big)
      assert.equal(r.status, 413)
      assert.equal(r.json.error.code, 'body_too_large')
      await alive()
      await expect(post(`${node.url}/v1/invoke/999`, {}), 404, 'unknown_asset')
      await expect(post(`${node.url}/nope`, {}), 404, 'not_found')
    })
    it('bad x402 exact header -> 400', async () => {
      await expect(invoke({}, { 'x-payment': 'zzz' }), 400, 'malformed_payment')
      const h = Buffer.from(JSON.stringify({ x402Version: 1, scheme: 'exact', network: 'base', payload: {} })).toString('base64')
      await expect(invoke({}, { 'x-payment': h }), 400, 'wrong_network')
    })
  })

  it('metrics expose requests, paid calls and rejections', async () => {
    const text = await (await fetch(`${node.url}/metrics`)).text()
    assert.match(text, /sahara_node_paid_calls_total [1-9]/)
    assert.match(text, /sahara_node_payment_rejections_total\{reason="ticket_replayed"\} 1/)
    assert.match(text, /sahara_node_requests_total\{route="\/v1\/invoke\/:assetId",status="200"\}/)
  })
})
