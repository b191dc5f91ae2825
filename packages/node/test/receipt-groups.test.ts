// GET /v1/receipts/groups/<root>: the top proof groupRoot -> receiptsRoot of a settlement, derived
// from SQLite (it survives a restart), on the in-memory chain.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { startNode, type RunningNode } from '../src/node.ts'
import { verifyProof } from '../src/payments/merkle.ts'
import { ASSET, FakeChain, LaneClient, decodeReceiptHeader, post, startWithLane, tempDir, testConfig } from './helpers.ts'

type Receipt = { leaf: string; proof: string[]; groupRoot: string; sequence: string }
type GroupJson = { groupRoot: string; sequence: string; status: string; receiptsRoot?: string; proof?: string[]; txHash?: string; blockNumber?: string }

const buf = (h: string) => Buffer.from(h.slice(2), 'hex')

async function group(node: RunningNode, root: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${node.url}/v1/receipts/groups/${root}`)
  return { status: res.status, json: await res.json() }
}

/** Calls on several lanes at once (so groups hold several receipts), then one more per lane. */
async function calls(node: RunningNode, lanes: LaneClient[], rounds: number): Promise<Receipt[]> {
  const out: Receipt[] = []
  for (let r = 0; r < rounds; r++) {
    const res = await Promise.all(lanes.map((l) => post(`${node.url}/v1/invoke/${ASSET}`, { r }, l.next())))
    for (const x of res) {
      assert.equal(x.status, 200)
      out.push(decodeReceiptHeader(x.headers.get('x-sahara-receipt')) as Receipt)
    }
  }
  return out
}

function assertProven(receipts: Receipt[], groups: Map<string, GroupJson>, root: string): void {
  for (const r of receipts) {
    const g = groups.get(r.groupRoot)!
    assert.equal(g.receiptsRoot, root)
    assert.ok(verifyProof(buf(root), buf(r.leaf), [...r.proof, ...g.proof!].map(buf)), `receipt ${r.leaf} of group ${r.sequence}`)
  }
}

describe('receipt group proofs', () => {
  it('answers unsettled, submitted, then settled (after a restart) with a proof to the recorded root', async () => {
    const tmp = tempDir()
    const chain = new FakeChain()
    chain.openChannel(1n)
    const lanes = [0n, 1n, 2n].map((i) => new LaneClient(1n, ASSET, i, 32))
    for (const l of lanes) await l.newChain(0n)
    let node = await startNode(testConfig(tmp.dir), { chain, manualSettlement: true })
    const first = await calls(node, lanes, 3)
    const roots = [...new Set(first.map((r) => r.groupRoot))]
    assert.ok(roots.length >= 2, 'several groups')

    // malformed and unknown roots
    for (const bad of ['0x1234', 'abc', '0x' + 'g'.repeat(64), '0x' + 'a'.repeat(65)]) {
      const r = await group(node, bad)
      assert.equal(r.status, 400, bad)
      assert.equal(r.json.error.code, 'malformed_group_root')
    }
    const unknown = await group(node, '0x' + randomBytes(32).toString('hex'))
    assert.equal(unknown.status, 404)
    assert.equal(unknown.json.error.code, 'unknown_group')
    assert.match(unknown.json.error.message, /no receipt group/)

    // before any settlement
    for (const root of roots) {
      const r = await group(node, root)
      assert.equal(r.status, 200)
      assert.deepEqual(Object.keys(r.json).sort(), ['groupRoot', 'sequence', 'status'])
      assert.equal(r.json.status, 'unsettled')
      assert.equal(r.json.groupRoot, root)
      assert.equal(r.json.sequence, first.find((x) => x.groupRoot === root)!.sequence)
    }
    // upper-case hex is the same root
    assert.equal((await group(node, '0x' + roots[0]!.slice(2).toUpperCase())).json.groupRoot, roots[0])

    // broadcast but not mined: submitted, with the proof already
    chain.mining = false
    await node.settle()
    const submitted = new Map<string, GroupJson>()
    for (const root of roots) {
      const r = await group(node, root)
      assert.equal(r.json.status, 'submitted')
      assert.match(r.json.txHash, /^0x[0-9a-f]{64}$/)
      assert.equal(r.json.blockNumber, undefined)
      submitted.set(root, r.json)
    }
    const root1 = submitted.get(roots[0]!)!.receiptsRoot!
    assertProven(first, submitted, root1)
    await node.close({ settle: false })

    // restart: recover() re-broadcasts the same transaction, which now mines
    chain.mining = true
    node = await startNode(testConfig(tmp.dir), { chain, manualSettlement: true })
    assert.equal(chain.settles.length, 1)
    assert.ok(chain.roots.has(root1 as `0x${string}`), 'the receipts root is recorded')
    const settled = new Map<string, GroupJson>()
    for (const root of roots) {
      const r = await group(node, root)
      assert.equal(r.json.status, 'settled')
      assert.equal(r.json.txHash, submitted.get(root)!.txHash)
      assert.equal(r.json.blockNumber, '1')
      settled.set(root, r.json)
    }
    assertProven(first, settled, root1)

    // a second settlement: its own root; the first groups keep theirs
    const second = await calls(node, lanes, 2)
    await node.settle()
    const roots2 = [...new Set(second.map((r) => r.groupRoot))]
    for (const root of roots2) settled.set(root, (await group(node, root)).json)
    const root2 = settled.get(roots2[0]!)!.receiptsRoot!
    assert.notEqual(root2, root1)
    assert.ok(chain.roots.has(root2 as `0x${string}`))
    assertProven(second, settled, root2)
    assert.equal(settled.get(roots2[0]!)!.blockNumber, '2')
    assert.equal((await group(node, roots[0]!)).json.receiptsRoot, root1)

    // a tampered leaf does not verify with the served proofs
    const r = second[0]!
    const forged = buf(r.leaf)
    forged[0]! ^= 1
    assert.equal(verifyProof(buf(root2), forged, [...r.proof, ...settled.get(r.groupRoot)!.proof!].map(buf)), false)

    const metrics = await (await fetch(`${node.url}/metrics`)).text()
    assert.match(metrics, /route="\/v1\/receipts\/groups\/:root",status="200"/)
    await node.close({ settle: false })
    tmp.cleanup()
  })

  it('a single-group settlement has an empty top proof (receiptsRoot = groupRoot)', async () => {
    const { tmp, lane, node } = await startWithLane(8)
    const [r] = await calls(node, [lane], 1)
    await node.settle()
    const g = (await group(node, r!.groupRoot)).json as GroupJson
    assert.equal(g.status, 'settled')
    assert.equal(g.receiptsRoot, r!.groupRoot)
    assert.deepEqual(g.proof, [])
    await node.close({ settle: false })
    tmp.cleanup()
  })
})
