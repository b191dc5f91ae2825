// proveReceipt against a scripted node answer (no network): URL building, status handling, and
// the local checks that keep a wrong node answer from passing as a proof.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Hex } from 'viem'
import {
  ReceiptNotSettledError,
  ReceiptProofError,
  ReceiptVerificationError,
  buildMerkleTree,
  proveReceipt,
  receiptGroupUrl,
  receiptLeaf,
  verifyMerkleProof,
  type ReceiptFields,
  type SignedReceipt,
} from '../src/index'

const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex

function receipts(n: number): SignedReceipt[] {
  const fields: ReceiptFields[] = Array.from({ length: n }, (_, i) => ({
    nodeId: 1n, requestHash: h(100 + i), responseHash: h(200 + i), assetId: 3n, version: 1n, units: 1n, price: 1000n, channelId: 1n, lane: 0n, cumulative: 1000n * BigInt(i + 1), index: BigInt(i + 1),
  }))
  const leaves = fields.map(receiptLeaf)
  const tree = buildMerkleTree(leaves)
  return fields.map((f, i) => ({ fields: f, leaf: leaves[i]!, proof: tree.proof(i), groupRoot: tree.root, sequence: 7n, signature: `0x${'11'.repeat(65)}` as Hex }))
}

/** A fetch that answers every URL with `body` (and records the URLs). */
function node(body: unknown, status = 200) {
  const urls: string[] = []
  const f = (async (url: string | URL | Request) => {
    urls.push(String(url))
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  return { f, urls }
}

describe('proveReceipt', () => {
  const group = receipts(3)
  const others = [h(1), h(2), h(3)]
  const top = buildMerkleTree([group[0]!.groupRoot, ...others])
  const settled = { groupRoot: group[0]!.groupRoot, sequence: '7', status: 'settled', receiptsRoot: top.root, proof: top.proof(0), txHash: h(9), blockNumber: '42' }

  it('joins the group proof and the top proof; the result verifies to the receipts root', async () => {
    for (const r of group) {
      const { f, urls } = node(settled)
      const p = await proveReceipt(r, { nodeUrl: 'http://127.0.0.1:9545/', fetch: f })
      assert.equal(urls[0], `http://127.0.0.1:9545/v1/receipts/groups/${r.groupRoot}`)
      assert.deepEqual(p, { receiptsRoot: top.root, proof: [...r.proof, ...top.proof(0)], txHash: h(9), status: 'settled', blockNumber: 42n })
      assert.ok(verifyMerkleProof(r.leaf, p.proof, p.receiptsRoot))
    }
  })

  it('builds the group URL from a base URL, a /v1 base URL or a path prefix', () => {
    const root = group[0]!.groupRoot
    assert.equal(receiptGroupUrl('http://127.0.0.1:1/v1', root), `http://127.0.0.1:1/v1/receipts/groups/${root}`)
    assert.equal(receiptGroupUrl('http://127.0.0.1:1/node/', root), `http://127.0.0.1:1/node/v1/receipts/groups/${root}`)
    assert.throws(() => receiptGroupUrl('ftp://127.0.0.1/', root), ReceiptProofError)
    assert.throws(() => receiptGroupUrl('not a url', root), ReceiptProofError)
  })

  it('unsettled (and submitted unless accepted) -> ReceiptNotSettledError; waitMs polls', async () => {
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: 'http://127.0.0.1:1', fetch: node({ groupRoot: group[0]!.groupRoot, sequence: '7', status: 'unsettled' }).f }), ReceiptNotSettledError)
    const submitted = { ...settled, status: 'submitted', blockNumber: undefined }
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: 'http://127.0.0.1:1', fetch: node(submitted).f }), /not confirmed yet/)
    assert.equal((await proveReceipt(group[0]!, { nodeUrl: 'http://127.0.0.1:1', fetch: node(submitted).f, acceptSubmitted: true })).status, 'submitted')
    let calls = 0
    const later = (async () => {
      calls++
      return new Response(JSON.stringify(calls < 3 ? { groupRoot: group[0]!.groupRoot, sequence: '7', status: 'unsettled' } : settled))
    }) as typeof fetch
    const p = await proveReceipt(group[0]!, { nodeUrl: 'http://127.0.0.1:1', fetch: later, waitMs: 5000, intervalMs: 5 })
    assert.equal(calls, 3)
    assert.equal(p.receiptsRoot, top.root)
  })

  it('refuses wrong answers: a top proof that does not lead to the root, another group, malformed fields, errors', async () => {
    const url = 'http://127.0.0.1:1'
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: url, fetch: node({ ...settled, proof: [h(5)] }).f }), ReceiptVerificationError)
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: url, fetch: node({ ...settled, receiptsRoot: h(77) }).f }), ReceiptVerificationError)
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: url, fetch: node({ ...settled, sequence: '8' }).f }), /another group/)
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: url, fetch: node({ ...settled, groupRoot: h(1) }).f }), /another group/)
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: url, fetch: node({ ...settled, txHash: '0x12' }).f }), /malformed proof/)
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: url, fetch: node({ ...settled, blockNumber: '-1' }).f }), /malformed blockNumber/)
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: url, fetch: node({ ...settled, status: 'done' }).f }), /unknown group status/)
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: url, fetch: node({ error: { code: 'unknown_group', message: 'no' } }, 404).f }), /does not know receipt group/)
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: url, fetch: node({ error: { code: 'x', message: 'broken' } }, 500).f }), /\(500\): broken/)
    const down = (async () => {
      throw new TypeError('fetch failed')
    }) as typeof fetch
    await assert.rejects(proveReceipt(group[0]!, { nodeUrl: url, fetch: down }), /did not answer: fetch failed/)
    // a receipt whose fields do not hash to its leaf is refused before asking anyone
    const { f, urls } = node(settled)
    await assert.rejects(proveReceipt({ ...group[0]!, fields: { ...group[0]!.fields, price: 1n } }, { nodeUrl: url, fetch: f }), ReceiptVerificationError)
    assert.equal(urls.length, 0)
  })
})
