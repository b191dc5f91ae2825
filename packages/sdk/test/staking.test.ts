// Pure staking helpers: finding equivocation among receipts, building the evidence pair (and the
// settlement-contradiction pair), the
// amount -> shares rounding of undelegate, and the staking error sentences.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Hex } from 'viem'
import {
  EquivocationError,
  ReceiptFormatError,
  buildMerkleTree,
  contradictionEvidence,
  describeContractError,
  equivocationEvidence,
  findEquivocation,
  parseSettledReceipt,
  receiptLeaf,
  settledReceipt,
  sharesForAmount,
  type ReceiptFields,
  type SignedReceipt,
} from '../src/index'

const word = (s: string) => `0x${Buffer.from(s).toString('hex').padEnd(64, '0').slice(0, 64)}` as Hex

function fields(o: Partial<ReceiptFields> & { index: bigint }, result = 'a'): ReceiptFields {
  return {
    nodeId: 1n,
    requestHash: word(`req${o.index}`),
    responseHash: word(`res${o.index}${result}`),
    assetId: 3n,
    version: 1n,
    units: 1n,
    price: 5n,
    channelId: 7n,
    lane: 0n,
    cumulative: 5n * (o.index + 1n),
    ...o,
  }
}

/** Receipts committed in one batch with real proofs (the signature is not checked by these helpers). */
function batch(list: ReceiptFields[], sequence = 1n): SignedReceipt[] {
  const leaves = list.map(receiptLeaf)
  const tree = buildMerkleTree(leaves)
  return list.map((f, i) => ({ fields: f, leaf: leaves[i]!, proof: tree.proof(i), groupRoot: tree.root, sequence, signature: `0x${'11'.repeat(65)}` as Hex }))
}

describe('findEquivocation', () => {
  it('finds the first pair of one node for the same channel lane index with different leaves', () => {
    const a = batch([fields({ index: 0n }), fields({ index: 1n }), fields({ index: 2n })])
    const b = batch([fields({ index: 2n }, 'b'), fields({ index: 3n }, 'b')], 2n)
    const pair = findEquivocation([...a, ...b])
    assert.ok(pair)
    assert.equal(pair.a, a[2])
    assert.equal(pair.b, b[0])
  })

  it('ignores identical receipts, other lanes, assets, channels or nodes, and x402 receipts (channel 0)', () => {
    const base = batch([fields({ index: 4n })])
    assert.equal(findEquivocation([...base, ...batch([fields({ index: 4n })], 2n)]), undefined) // same leaf re-sent
    for (const other of [{ lane: 1n }, { assetId: 9n }, { channelId: 8n }, { nodeId: 2n }]) {
      assert.equal(findEquivocation([...base, ...batch([fields({ index: 4n, ...other }, 'b')])]), undefined, JSON.stringify(other, (_k, v) => (typeof v === 'bigint' ? String(v) : v)))
    }
    const x402 = batch([fields({ index: 0n, channelId: 0n }), fields({ index: 0n, channelId: 0n }, 'b')])
    assert.equal(findEquivocation(x402), undefined)
    assert.equal(findEquivocation([]), undefined)
  })
})

describe('equivocationEvidence', () => {
  it('maps each receipt to NodeStaking ReceiptEvidence (fields, group root, sequence, proof, signature)', () => {
    const a = batch([fields({ index: 0n }), fields({ index: 1n })])
    const b = batch([fields({ index: 1n }, 'b')], 5n)
    const [ea, eb] = equivocationEvidence(a[1]!, b[0]!)
    assert.deepEqual(ea, { receipt: a[1]!.fields, root: a[1]!.groupRoot, sequence: 1n, proof: a[1]!.proof, signature: a[1]!.signature })
    assert.deepEqual([eb.root, eb.sequence, eb.proof], [b[0]!.leaf, 5n, []]) // a one-leaf batch: root = leaf
  })

  it('refuses pairs that are not evidence, naming why', () => {
    const r = batch([fields({ index: 1n })])[0]!
    const cases: [SignedReceipt, RegExp][] = [
      [batch([fields({ index: 1n, nodeId: 2n }, 'b')])[0]!, /different nodes \(#1 and #2\)/],
      [batch([fields({ index: 1n, channelId: 8n }, 'b')])[0]!, /same payment channel/],
      [batch([fields({ index: 1n, assetId: 4n }, 'b')])[0]!, /different assets/],
      [batch([fields({ index: 1n, lane: 2n }, 'b')])[0]!, /different lanes/],
      [batch([fields({ index: 2n }, 'b')])[0]!, /different calls \(indexes 1 and 2\)/],
      [batch([fields({ index: 1n })], 9n)[0]!, /identical/],
      [{ ...batch([fields({ index: 1n }, 'b')])[0]!, proof: [word('x')] }, /second receipt does not check out/],
    ]
    for (const [other, message] of cases) assert.throws(() => equivocationEvidence(r, other), (e: unknown) => e instanceof EquivocationError && message.test(e.shortMessage))
    const x402 = batch([fields({ index: 1n, channelId: 0n })])[0]!
    assert.throws(() => equivocationEvidence(x402, batch([fields({ index: 1n, channelId: 0n }, 'b')])[0]!), /x402/)
  })
})

describe('contradictionEvidence', () => {
  // The node signed `signed`; its settlement recorded a root over a group holding `other` instead.
  const signed = batch([fields({ index: 0n }), fields({ index: 1n })])[1]!
  const swapped = batch([fields({ index: 1n }, 'b'), fields({ index: 2n }, 'b')], 2n)
  const top = buildMerkleTree([swapped[0]!.groupRoot, word('another group')])
  const settled = settledReceipt(swapped[0]!, { receiptsRoot: top.root, proof: [...swapped[0]!.proof, ...top.proof(0)] })

  it('maps the signed half like equivocation and the settled half to (fields, receipts root, full proof), no signature', () => {
    const [ea, eb] = contradictionEvidence(signed, settled)
    assert.deepEqual(ea, { receipt: signed.fields, root: signed.groupRoot, sequence: 1n, proof: signed.proof, signature: signed.signature })
    assert.deepEqual(eb, { receipt: swapped[0]!.fields, root: top.root, sequence: 0n, proof: [...swapped[0]!.proof, ...top.proof(0)], signature: '0x' })
  })

  it('refuses pairs that are not evidence, naming why', () => {
    const cases: [typeof settled, RegExp][] = [
      [{ ...settled, fields: { ...settled.fields, index: 2n } }, /different calls/],
      [settledReceipt(signed, { receiptsRoot: signed.groupRoot, proof: signed.proof }), /identical/],
      [{ ...settled, proof: settled.proof.slice(0, 1) }, /settled receipt's proof does not lead to its receipts root/],
    ]
    for (const [s, message] of cases) assert.throws(() => contradictionEvidence(signed, s), (e: unknown) => e instanceof EquivocationError && message.test(e.shortMessage))
    assert.throws(() => contradictionEvidence({ ...signed, proof: [word('x')] }, settled), /signed receipt does not check out/)
  })

  it('parseSettledReceipt reads the JSON form (decimal strings, 0x-hex) and rejects malformed input', () => {
    const json = JSON.parse(
      JSON.stringify({ receipt: settled.fields, receiptsRoot: settled.receiptsRoot, proof: settled.proof }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    ) as unknown
    assert.deepEqual(parseSettledReceipt(json), settled)
    const bad = (o: object) => assert.throws(() => parseSettledReceipt({ ...(json as object), ...o }), ReceiptFormatError)
    bad({ receipt: { ...(json as { receipt: object }).receipt, index: '01' } })
    bad({ receipt: { ...(json as { receipt: object }).receipt, requestHash: '0x12' } })
    bad({ receiptsRoot: 'root' })
    bad({ proof: ['0x1234'] })
    assert.throws(() => parseSettledReceipt(null), ReceiptFormatError)
  })
})

describe('sharesForAmount', () => {
  it('rounds up so at least the amount is undelegated, capped at the shares held', () => {
    assert.equal(sharesForAmount(100n, 1000n, 1000n, 500n), 100n)
    // pool worth 900 for 1000 shares (after a 10% slash): 100 needs ceil(111.1) = 112 shares, worth floor(112*0.9) = 100
    assert.equal(sharesForAmount(100n, 900n, 1000n, 500n), 112n)
    assert.ok((112n * 900n) / 1000n >= 100n && (111n * 900n) / 1000n < 100n)
    assert.equal(sharesForAmount(10_000n, 900n, 1000n, 500n), 500n)
    assert.equal(sharesForAmount(1n, 0n, 0n, 0n), 0n)
    assert.throws(() => sharesForAmount(0n, 1n, 1n, 1n), /greater than zero/)
  })
})

describe('staking error sentences', () => {
  it('explains the NodeStaking reverts in one sentence', () => {
    assert.equal(describeContractError('InvalidEvidence', [4]), 'The two receipts are not equivocation evidence: they have different indexes.')
    assert.equal(describeContractError('RootNotRecordedByNode', [word('r'), 0n]), `The receipts root ${word('r')} was never recorded by a settlement.`)
    assert.equal(describeContractError('RootNotRecordedByNode', [word('r'), 3n]), `The receipts root ${word('r')} was recorded by node #3, not by the node of the receipts.`)
    assert.equal(describeContractError('NodeJailed', [2n]), 'Node #2 is jailed: its bond stays until it has served the jail and unjailed (sahara stake unjail).')
    assert.equal(describeContractError('CommissionTooHigh', [6000, 5000]), 'A commission of 60% is above the maximum of 50%.')
    assert.equal(
      describeContractError('SelfBondTooLow', [900n * 10n ** 18n, 1000n * 10n ** 18n], { token: { symbol: 'SAHARA', decimals: 18 } }),
      "The node's bond of 900 SAHARA is below the registry minimum of 1000 SAHARA: add stake before unjailing.",
    )
    assert.match(describeContractError('StillJailed', [1n, 1_800_000_000n]), /^Node #1 is jailed until 2027-01-15T08:00:00.000Z; unjail after that\.$/)
  })
})
