import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeAbiParameters, hashTypedData, recoverAddress, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ConflictError, InvalidProofError, MalformedError, PaymentRequiredError } from '../src/errors.ts'
import { channelsDomain, nativeSigning, receiptBatchTypes, ReceiptBatchSigner, VoucherRecoverer, VoucherSignatureError, voucherTypes } from '../src/payments/eip712.ts'
import { formatTicket, parseTicket, parseVoucherHeader } from '../src/payments/headers.ts'
import { merkleLevels, merkleRoot, merkleTree, sha256, verifyProof } from '../src/payments/merkle.ts'
import { compactReceiptHeader, decodeReceipt, encodeReceipt, parseCompactReceiptHeader, receiptGroupTail, receiptHeader, receiptHeaderV1, receiptJson, receiptLeaf, type ReceiptFields } from '../src/payments/receipt.ts'
import { decodeReceiptHeader as sdkDecodeReceiptHeader, encodeCompactReceiptHeader, encodeReceiptHeader as sdkEncodeV1 } from '@sahara/sdk'
import { ChannelStatus, type ChannelInfo } from '../src/payments/types.ts'
import { checkDeposit, checkTicket, checkVoucherCumulative, checkVoucherTerms, laneTotal, newLane } from '../src/payments/verify.ts'
import { bestEntry, needsTail } from '../src/settlement/plan.ts'
import { CHANNELS, CHAIN_ID, LaneClient, NODE_KEY, OTHER_KEY, PAYER_KEY, TOKEN, UNIT_PRICE } from './helpers.ts'

const ch = (o: Partial<ChannelInfo> = {}): ChannelInfo => ({ payer: TOKEN, signer: TOKEN, nodeId: 1n, token: TOKEN, deposit: 10_000n, settled: 0n, closesAt: 0n, status: ChannelStatus.Open, ...o })

describe('ticket header', () => {
  it('parses the compact form and keeps the canonical lane key', () => {
    const pre = Buffer.alloc(32, 0xab)
    const t = parseTicket(formatTicket({ channelId: 12n, assetId: 7n, lane: 3n, units: 2, index: 9, preimage: pre }))
    assert.equal(t.laneKey, '12.7.3')
    assert.deepEqual([t.channelId, t.assetId, t.lane, t.units, t.index], [12n, 7n, 3n, 2, 9])
    assert.ok(t.preimage.equals(pre))
  })
  for (const bad of ['', '1.2.3.1.1', '01.2.3.1.1.' + 'a'.repeat(64), '1.2.3.0.1.' + 'a'.repeat(64), '1.2.3.1.1.' + 'a'.repeat(63), '1.2.3.1.-1.' + 'a'.repeat(64), '1.2.3.1.1.' + 'g'.repeat(64), '1 .2.3.1.1.' + 'a'.repeat(64)]) {
    it(`rejects ${JSON.stringify(bad.slice(0, 20))}`, () => assert.throws(() => parseTicket(bad), MalformedError))
  }
})

describe('voucher header', () => {
  it('rejects non-canonical numbers, bad anchors and bad signatures', () => {
    const ok = { channelId: '1', lane: '0', assetId: '7', cumulative: '0', anchor: '0x' + '11'.repeat(32), unitPrice: '1000', maxUnits: '64', expiresAt: '99999999999', signature: '0x' + '22'.repeat(65) }
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
    assert.equal(parseVoucherHeader(enc(ok)).cumulative, 0n)
    for (const patch of [{ cumulative: '01' }, { cumulative: -1 }, { anchor: '0x11' }, { signature: '0x' }, { unitPrice: '1e3' }, { maxUnits: 2 ** 256 + '' }]) {
      assert.throws(() => parseVoucherHeader(enc({ ...ok, ...patch })), MalformedError, JSON.stringify(patch))
    }
    assert.throws(() => parseVoucherHeader('%%%'), MalformedError)
    assert.throws(() => parseVoucherHeader(enc([1])), MalformedError)
  })
})

describe('checkTicket', async () => {
  const c = new LaneClient(1n, 7n, 0n, 8)
  await c.newChain(0n)
  const lane = newLane(c.voucher, '1.7.0')
  it('accepts s_1 then s_3 for 2 units; total = cumulative + k * unitPrice', () => {
    let out = checkTicket(lane, parseTicket(c.ticket(1, 1)), 1)
    assert.equal(out.total, UNIT_PRICE)
    lane.units = out.units
    lane.head = out.head
    out = checkTicket(lane, parseTicket(c.ticket(2, 3)), 1)
    assert.equal(out.price, 2n * UNIT_PRICE)
    lane.units = out.units
    lane.head = out.head
    assert.equal(laneTotal(lane), 3n * UNIT_PRICE)
  })
  it('replay (same or older index) -> 409', () => {
    assert.throws(() => checkTicket(lane, parseTicket(c.ticket(1, 3)), 1), ConflictError)
    assert.throws(() => checkTicket(lane, parseTicket(c.ticket(1, 2)), 1), ConflictError)
  })
  it('gap -> 400, wrong preimage -> 401, insufficient units -> 402, past maxUnits -> 402', () => {
    assert.throws(() => checkTicket(lane, parseTicket(c.ticket(1, 5)), 1), MalformedError)
    assert.throws(() => checkTicket(lane, parseTicket(c.ticket(1, 4, Buffer.alloc(32, 1))), 1), InvalidProofError)
    assert.throws(() => checkTicket(lane, parseTicket(c.ticket(1, 4)), 2), PaymentRequiredError)
    lane.units = 8
    lane.head = c.chain[8]!
    assert.throws(() => checkTicket(lane, parseTicket(c.ticket(1, 9, sha256(Buffer.alloc(1)))), 1), PaymentRequiredError)
  })
})

describe('voucher checks', async () => {
  const c = new LaneClient(1n, 7n, 0n, 8)
  await c.newChain(0n)
  const t = parseTicket(c.ticket(1, 1))
  const ctx = { nodeId: 1n, token: TOKEN, unitPrice: UNIT_PRICE, now: 1000n, minVoucherLifetime: 60n, closeSafetyMargin: 600n }
  it('terms', () => {
    checkVoucherTerms(c.voucher, t, ch(), ctx)
    assert.throws(() => checkVoucherTerms(c.voucher, t, ch({ nodeId: 2n }), ctx), PaymentRequiredError)
    assert.throws(() => checkVoucherTerms(c.voucher, t, ch({ token: CHANNELS }), ctx), PaymentRequiredError)
    assert.throws(() => checkVoucherTerms(c.voucher, t, ch({ status: ChannelStatus.Closed }), ctx), PaymentRequiredError)
    assert.throws(() => checkVoucherTerms(c.voucher, t, ch({ status: ChannelStatus.Closing, closesAt: 1500n }), ctx), PaymentRequiredError)
    checkVoucherTerms(c.voucher, t, ch({ status: ChannelStatus.Closing, closesAt: 5000n }), ctx)
    assert.throws(() => checkVoucherTerms({ ...c.voucher, unitPrice: 1n }, t, ch(), ctx), PaymentRequiredError)
    assert.throws(() => checkVoucherTerms({ ...c.voucher, maxUnits: 5000n }, t, ch(), ctx), MalformedError)
    assert.throws(() => checkVoucherTerms({ ...c.voucher, expiresAt: 1030n }, t, ch(), ctx), PaymentRequiredError)
    assert.throws(() => checkVoucherTerms({ ...c.voucher, lane: 1n }, t, ch(), ctx), MalformedError)
  })
  it('cumulative must equal the lane total', () => {
    checkVoucherCumulative(c.voucher, 0n)
    assert.throws(() => checkVoucherCumulative(c.voucher, 5n), ConflictError)
    assert.throws(() => checkVoucherCumulative({ ...c.voucher, cumulative: 9n }, 5n), ConflictError)
  })
  it('channel-wide owed stays within deposit - settled', () => {
    checkDeposit(9_000n, 1_000n, ch(), 1n)
    assert.throws(() => checkDeposit(9_001n, 1_000n, ch(), 1n), PaymentRequiredError)
    assert.throws(() => checkDeposit(4_000n, 1_000n, ch({ settled: 5_500n }), 1n), PaymentRequiredError)
  })
})

describe('receipts and Merkle tree', () => {
  const fields: ReceiptFields = {
    nodeId: 1n, requestHash: sha256(Buffer.from('req')), responseHash: sha256(Buffer.from('res')), assetId: 7n, version: 2n, units: 1n,
    price: 10n ** 18n, channelId: 3n, lane: 4n, cumulative: 2n ** 200n, index: 5n,
  }
  it('encodes exactly like abi.encode of 11 words', () => {
    const viem = encodeAbiParameters(
      ['uint256', 'bytes32', 'bytes32', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256'].map((type) => ({ type })),
      [fields.nodeId, ('0x' + fields.requestHash.toString('hex')) as Hex, ('0x' + fields.responseHash.toString('hex')) as Hex, fields.assetId, fields.version, fields.units, fields.price, fields.channelId, fields.lane, fields.cumulative, fields.index],
    )
    const mine = encodeReceipt(fields)
    assert.equal('0x' + mine.toString('hex'), viem)
    assert.deepEqual(decodeReceipt(mine), fields)
  })
  it('proofs verify for every leaf count 0..17 with odd promotion; settlement root over group roots', () => {
    assert.equal(merkleRoot([]).toString('hex'), '00'.repeat(32))
    for (let n = 1; n <= 17; n++) {
      const leaves = Array.from({ length: n }, (_, i) => sha256(Buffer.from([i, n])))
      const { root, proofs } = merkleTree(leaves)
      assert.ok(root.equals(merkleRoot(leaves)))
      if (n === 1) assert.ok(root.equals(leaves[0]!))
      leaves.forEach((l, i) => assert.ok(verifyProof(root, l, proofs[i]!), `n=${n} i=${i}`))
      assert.ok(!verifyProof(root, sha256(Buffer.from('x')), proofs[0]!))
    }
    const g1 = merkleTree([sha256(Buffer.from('a')), sha256(Buffer.from('b')), sha256(Buffer.from('c'))])
    const g2 = merkleTree([sha256(Buffer.from('d'))])
    const top = merkleTree([g1.root, g2.root])
    assert.ok(verifyProof(top.root, sha256(Buffer.from('c')), [...g1.proofs[2]!, ...top.proofs[0]!]))
  })
  it('the hand-built format-1 receipt header is base64url(JSON.stringify(receiptJson))', () => {
    const leaves = Array.from({ length: 5 }, (_, i) => sha256(Buffer.from([i])))
    const t = merkleLevels(leaves)
    for (let i = 0; i < 5; i++) {
      const expected = Buffer.from(JSON.stringify(receiptJson(fields, leaves[i]!, t.proof(i), '0xab', '3', '0xcd'))).toString('base64url')
      assert.equal(receiptHeaderV1(fields, leaves[i]!, t.proofHex(i), '0xab', '3', '0xcd'), expected)
    }
  })
  it('the format-2 receipt header is what the SDK encodes and decodes, with the same leaf, proof and signature', () => {
    const sig = '0x' + 'cd'.repeat(65)
    const f = { ...fields, requestHash: sha256(Buffer.from('req')), responseHash: sha256(Buffer.from('res')) }
    const leaves = [receiptLeaf(encodeReceipt(f)), ...Array.from({ length: 6 }, (_, i) => sha256(Buffer.from([i])))]
    const t = merkleLevels(leaves)
    const tail = receiptGroupTail(7, t.root, sig)
    const h = compactReceiptHeader(f, tail, t.proofB64(0))
    assert.equal(h, receiptHeader(f, t.proof(0), t.root, 7n, sig))
    assert.ok(h.startsWith('r2.') && !/[^A-Za-z0-9_.-]/.test(h))
    const d = sdkDecodeReceiptHeader(h)
    assert.equal(d.leaf, '0x' + leaves[0]!.toString('hex'))
    assert.deepEqual(d.proof, t.proof(0).map((p) => '0x' + p.toString('hex')))
    assert.equal(d.groupRoot, '0x' + t.root.toString('hex'))
    assert.equal(d.sequence, 7n)
    assert.equal(d.signature, sig)
    assert.equal(d.fields.requestHash, '0x' + f.requestHash.toString('hex'))
    assert.equal(d.fields.cumulative, f.cumulative)
    assert.equal(encodeCompactReceiptHeader(d), h)
    // Same receipt in format 1: the SDK decodes both to the same thing.
    assert.deepEqual(sdkDecodeReceiptHeader(sdkEncodeV1(d)), d)
    const back = parseCompactReceiptHeader(h)
    assert.ok(back.groupRoot.equals(t.root) && back.proof.length === t.proof(0).length && back.signature === sig)
    assert.deepEqual(decodeReceipt(encodeReceipt(back.fields)), decodeReceipt(encodeReceipt(f)))
    // Shorter than format 1 by more than half.
    const v1 = receiptHeaderV1(f, leaves[0]!, t.proofHex(0), '0x' + t.root.toString('hex'), '7', sig)
    assert.ok(h.length * 2 < v1.length, `${h.length} vs ${v1.length}`)
  })
  it('ReceiptBatch digest and signature match EIP-712 (viem)', async () => {
    const d = { chainId: CHAIN_ID, verifyingContract: CHANNELS }
    const s = new ReceiptBatchSigner(d, NODE_KEY)
    const root = ('0x' + '12'.repeat(32)) as Hex
    const digest = hashTypedData({ domain: channelsDomain(d), types: receiptBatchTypes, primaryType: 'ReceiptBatch', message: { nodeId: 1n, root, sequence: 9n } })
    assert.equal(s.digest(1n, root, 9n), digest)
    assert.equal(await recoverAddress({ hash: digest, signature: await s.sign(1n, root, 9n) }), privateKeyToAccount(NODE_KEY).address)
  })
})

describe('voucher signer recovery (libsecp256k1)', () => {
  const domain = { chainId: CHAIN_ID, verifyingContract: CHANNELS }
  const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
  const rnd = (bytes: number) => BigInt('0x0' + Buffer.from(Array.from({ length: bytes }, () => Math.floor(Math.random() * 256))).toString('hex'))
  it('uses the native binding on this machine', () => assert.equal(nativeSigning, true))
  it('recovers the signer of random vouchers exactly as viem does, and a digest equal to EIP-712', async () => {
    const r = new VoucherRecoverer(domain)
    for (let i = 0; i < 24; i++) {
      const message = { channelId: rnd(1 + (i % 32)), lane: rnd(i % 3), assetId: rnd(8), cumulative: rnd(1 + (i % 32)), anchor: ('0x' + rnd(32).toString(16).padStart(64, '0')) as Hex, unitPrice: rnd(12), maxUnits: rnd(4), expiresAt: rnd(5) }
      const key = i % 2 ? PAYER_KEY : OTHER_KEY
      const signature = await privateKeyToAccount(key).signTypedData({ domain: channelsDomain(domain), types: voucherTypes, primaryType: 'Voucher', message })
      const hash = hashTypedData({ domain: channelsDomain(domain), types: voucherTypes, primaryType: 'Voucher', message })
      assert.equal('0x' + Buffer.from(r.digest(message)).toString('hex'), hash)
      assert.equal(await r.recover({ ...message, signature }), privateKeyToAccount(key).address)
    }
  })
  it('another chain or contract recovers another address', async () => {
    const c = new LaneClient(1n, 7n, 0n, 4)
    await c.newChain(0n)
    assert.equal(await new VoucherRecoverer(domain).recover(c.voucher), privateKeyToAccount(PAYER_KEY).address)
    assert.notEqual(await new VoucherRecoverer({ ...domain, chainId: CHAIN_ID + 1 }).recover(c.voucher), privateKeyToAccount(PAYER_KEY).address)
    assert.notEqual(await new VoucherRecoverer({ ...domain, verifyingContract: TOKEN }).recover(c.voucher), privateKeyToAccount(PAYER_KEY).address)
  })
  it('refuses what the contract refuses: high s, v other than 27/28', async () => {
    const c = new LaneClient(1n, 7n, 0n, 4)
    await c.newChain(0n)
    const sig = Buffer.from(c.voucher.signature.slice(2), 'hex')
    // (r, n - s, v flipped) is the same point's other valid ECDSA signature: ecrecover accepts it, OpenZeppelin does not
    const s = BigInt('0x' + sig.toString('hex', 32, 64))
    const high = Buffer.concat([sig.subarray(0, 32), Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'), Buffer.from([sig[64] === 27 ? 28 : 27])])
    const r = new VoucherRecoverer(domain)
    await assert.rejects(r.recover({ ...c.voucher, signature: ('0x' + high.toString('hex')) as Hex }), (e: Error) => e instanceof VoucherSignatureError && /high s/.test(e.message))
    for (const v of [0, 1, 29]) {
      const bad = Buffer.from(sig)
      bad[64] = v
      await assert.rejects(r.recover({ ...c.voucher, signature: ('0x' + bad.toString('hex')) as Hex }), (e: Error) => e instanceof VoucherSignatureError && /27 or 28/.test(e.message))
    }
  })
})

describe('settlement plan', async () => {
  const c = new LaneClient(1n, 7n, 0n, 8)
  await c.newChain(5000n)
  const lane = { ...newLane(c.voucher, '1.7.0'), units: 3, head: c.chain[3]! }
  it('m = 0 normally, the tail when closing/expiring/shutting down, nothing when settled', () => {
    const e = bestEntry(lane, false)!
    assert.equal(e.units, 0n)
    assert.equal(e.amount, 5000n)
    const tail = bestEntry(lane, true)!
    assert.equal(tail.units, 3n)
    assert.equal(tail.amount, 5000n + 3n * UNIT_PRICE)
    let x: Buffer = Buffer.from(tail.preimage.slice(2), "hex")
    for (let i = 0; i < 3; i++) x = sha256(x)
    assert.equal('0x' + x.toString('hex'), c.voucher.anchor)
    assert.equal(bestEntry({ ...lane, settled: 5000n }, false), undefined)
    // A short tail settles without being forced; a longer one waits for the next voucher.
    assert.equal(bestEntry({ ...lane, settled: 5000n }, false, 3)!.units, 3n)
    assert.equal(bestEntry({ ...lane, settled: 5000n }, false, 2), undefined)
    assert.equal(needsTail(lane, ch({ status: ChannelStatus.Closing, closesAt: 100n }), 0n, 3600n, false), true)
    assert.equal(needsTail(lane, ch(), 0n, 3600n, false), false)
    assert.equal(needsTail(lane, ch(), 0n, 3600n, true), true)
  })
})
