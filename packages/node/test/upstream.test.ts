// The upstream runtime: an asset served by proxying to an operator-configured OpenAI-compatible
// server. The upstream here is a real one we can run: a second Sahara node serving a free model on
// its own /v1/chat/completions. Paid calls through the first node get the upstream's completion and
// a receipt; when the upstream is down the call fails with 503 and is not charged.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startNode, type RunningNode } from '../src/node.ts'
import { ASSET, FakeChain, LaneClient, decodeReceiptHeader, post, tempDir, testConfig, TOKEN, UNIT_PRICE } from './helpers.ts'

describe('upstream OpenAI-compatible runtime', () => {
  const upstreamDir = tempDir()
  const proxyDir = tempDir()
  const chain = new FakeChain()
  let upstream: RunningNode
  let proxy: RunningNode
  before(async () => {
    chain.openChannel(1n)
    upstream = await startNode(testConfig(upstreamDir.dir), { chain, manualSettlement: true })
    proxy = await startNode(
      testConfig(proxyDir.dir, {
        upstreams: { local: { url: upstream.url, timeoutMs: 5_000 } },
        assets: [{ assetId: ASSET.toString(), name: 'proxied', runtime: 'upstream', upstream: 'local', upstreamModel: 'echo-free', unitPrice: UNIT_PRICE.toString(), token: TOKEN, version: 1 }],
      }),
      { chain, manualSettlement: true },
    )
  })
  after(async () => {
    await proxy.close({ settle: false })
    await upstream?.close({ settle: false })
    upstreamDir.cleanup()
    proxyDir.cleanup()
  })

  it('proxies paid chat calls to the upstream and answers with its completion and a receipt', async () => {
    const lane = new LaneClient(1n, ASSET, 0n)
    await lane.newChain(0n)
    const chat = { model: 'proxied', messages: [{ role: 'user', content: 'dunes at dawn' }] }
    assert.equal((await post(`${proxy.url}/v1/chat/completions`, chat)).status, 402)
    const r = await post(`${proxy.url}/v1/chat/completions`, chat, lane.next())
    assert.equal(r.status, 200, JSON.stringify(r.json))
    assert.equal(r.json.object, 'chat.completion')
    assert.equal(r.json.choices[0].message.content, 'dunes at dawn')
    const receipt = decodeReceiptHeader(r.headers.get('x-sahara-receipt'))
    assert.equal(receipt.price, UNIT_PRICE.toString())
    assert.equal(receipt.cumulative, UNIT_PRICE.toString())
  })

  it('an unreachable upstream gives 503 and the call is not charged', async () => {
    await upstream.close({ settle: false })
    const lane = new LaneClient(1n, ASSET, 1n)
    await lane.newChain(0n)
    const chat = { model: 'proxied', messages: [{ role: 'user', content: 'hello' }] }
    const down = await post(`${proxy.url}/v1/chat/completions`, chat, lane.next())
    assert.equal(down.status, 503, JSON.stringify(down.json))
    assert.equal(down.json.error.code, 'upstream_unreachable')
    // Refunded: the same ticket index is still unused on the lane.
    lane.index -= 1
    const again = await post(`${proxy.url}/v1/chat/completions`, chat, lane.next())
    assert.equal(again.status, 503)
    assert.equal(again.json.error.code, 'upstream_unreachable')
  })
})
