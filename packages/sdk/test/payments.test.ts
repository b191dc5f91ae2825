import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { encodeAbiParameters, hashTypedData, keccak256, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import {
  HashChainError,
  MAX_UNITS,
  PaymentError,
  ReceiptFormatError,
  ReceiptVerificationError,
  SaharaError,
  TicketFormatError,
  VoucherFormatError,
  buildMerkleTree,
  createHashChain,
  decodeReceiptHeader,
  decodeTicket,
  decodeVoucherHeader,
  encodeReceiptFields,
  encodeReceiptHeader,
  encodeCompactReceiptHeader,
  encodeTicket,
  encodeVoucherHeader,
  paymentsDomain,
  receiptBatchDigest,
  receiptLeaf,
  recoverReceiptBatchSigner,
  recoverVoucherSigner,
  sha256Hex,
  signReceiptBatch,
  signVoucher,
  verifyChainStep,
  verifyMerkleProof,
  verifyReceipt,
  voucherDigest,
  voucherTypes,
  voucherValue,
  type ReceiptFields,
  type SignedReceipt,
  type Voucher,
} from '../src/index'

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest()
const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}` as Hex
const domain = paymentsDomain(31337, '0x5FbDB2315678afecb367f032d93F642f64180aa3')

const voucher = (over: Partial<Voucher> = {}): Voucher => ({
  channelId: 7n,
  lane: 2n,
  assetId: 3n,
  cumulative: 1_000n,
  anchor: `0x${'ab'.repeat(32)}`,
  unitPrice: 25n,
  maxUnits: 1024n,
  expiresAt: 1_900_000_000n,
  ...over,
})

describe('hash chain', () => {
  it('links: s_{i-1} = sha256(s_i), anchor = s_0, seed = s_n', () => {
    const seed = `0x${'11'.repeat(32)}` as Hex
    const c = createHashChain(16, seed)
    assert.equal(c.length, 16)
    assert.equal(c.preimageAt(16), seed)
    assert.equal(c.anchor, c.preimageAt(0))
    for (let i = 1; i <= 16; i++) assert.equal(c.preimageAt(i - 1), hex(sha(c.bytesAt(i))))
    // deterministic from the seed, random without one
    assert.equal(createHashChain(16, seed).anchor, c.anchor)
    assert.notEqual(createHashChain(16).anchor, createHashChain(16).anchor)
  })

  it('verifyChainStep accepts exactly q steps', () => {
    const c = createHashChain(64)
    assert.equal(verifyChainStep(c.anchor, c.preimageAt(1), 1), true)
    assert.equal(verifyChainStep(c.bytesAt(10), c.bytesAt(13), 3), true)
    assert.equal(verifyChainStep(c.preimageAt(0), c.preimageAt(64), 64), true)
    assert.equal(verifyChainStep(c.bytesAt(10), c.bytesAt(13), 2), false)
    assert.equal(verifyChainStep(c.bytesAt(10), c.bytesAt(13), 4), false)
    assert.equal(verifyChainStep(c.bytesAt(10), c.bytesAt(10), 1), false)
    // going backwards (revealing an already known link) never verifies
    assert.equal(verifyChainStep(c.bytesAt(13), c.bytesAt(10), 3), false)
  })

  it('tampered preimages and bad arguments are rejected', () => {
    const c = createHashChain(8)
    const t = Buffer.from(c.bytesAt(1))
    t[31]! ^= 1
    assert.equal(verifyChainStep(c.anchor, t, 1), false)
    assert.equal(verifyChainStep(c.anchor, c.bytesAt(1).subarray(0, 31), 1), false)
    assert.equal(verifyChainStep(c.anchor, '0x1234' as Hex, 1), false)
    assert.equal(verifyChainStep(c.anchor, c.bytesAt(1), 0), false)
    assert.equal(verifyChainStep(c.anchor, c.bytesAt(1), MAX_UNITS + 1), false)
    assert.equal(verifyChainStep(c.anchor, c.bytesAt(1), 1.5), false)
    assert.throws(() => createHashChain(0), HashChainError)
    assert.throws(() => createHashChain(MAX_UNITS + 1), HashChainError)
    assert.throws(() => createHashChain(4, '0x12' as Hex), HashChainError)
    assert.throws(() => c.preimageAt(9), HashChainError)
    assert.throws(() => c.preimageAt(-1), HashChainError)
    const e = (() => {
      try {
        createHashChain(0)
      } catch (err) {
        return err
      }
    })()
    assert.ok(e instanceof PaymentError && e instanceof SaharaError)
    assert.equal((e as PaymentError).code, 'invalid_hash_chain')
  })
})

describe('voucher', () => {
  it('value = cumulative + units * unitPrice, bounded by maxUnits', () => {
    const v = voucher()
    assert.equal(voucherValue(v, 0), 1_000n)
    assert.equal(voucherValue(v, 4n), 1_100n)
    assert.equal(voucherValue(v, 1024), 1_000n + 1024n * 25n)
    assert.throws(() => voucherValue(v, 1025), VoucherFormatError)
    assert.throws(() => voucherValue(v, -1), VoucherFormatError)
    assert.throws(() => voucherValue(v, 0.5), VoucherFormatError)
    assert.throws(() => voucherValue(voucher({ maxUnits: 4097n }), 1), VoucherFormatError)
    assert.throws(() => voucherValue(voucher({ cumulative: (1n << 256n) - 1n }), 0), VoucherFormatError)
    assert.throws(() => voucherValue(voucher({ anchor: '0x12' }), 0), VoucherFormatError)
  })

  it('EIP-712 types and digest match the spec type string', () => {
    const typeString =
      'Voucher(uint256 channelId,uint256 lane,uint256 assetId,uint256 cumulative,bytes32 anchor,uint256 unitPrice,uint256 maxUnits,uint256 expiresAt)'
    const v = voucher()
    const structHash = keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, ...voucherTypes.Voucher.map((f) => ({ type: f.type }))],
        [keccak256(Buffer.from(typeString)), v.channelId, v.lane, v.assetId, v.cumulative, v.anchor, v.unitPrice, v.maxUnits, v.expiresAt],
      ),
    )
    const domainSeparator = keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }],
        [
          keccak256(Buffer.from('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)')),
          keccak256(Buffer.from('Sahara PaymentChannels')),
          keccak256(Buffer.from('1')),
          31337n,
          domain.verifyingContract,
        ],
      ),
    )
    const expected = keccak256(`0x1901${domainSeparator.slice(2)}${structHash.slice(2)}`)
    assert.equal(voucherDigest(domain, v), expected)
    assert.equal(
      receiptBatchDigest(domain, { nodeId: 1n, root: `0x${'cd'.repeat(32)}`, sequence: 5n }),
      hashTypedData({
        domain,
        types: { ReceiptBatch: [{ name: 'nodeId', type: 'uint256' }, { name: 'root', type: 'bytes32' }, { name: 'sequence', type: 'uint256' }] },
        primaryType: 'ReceiptBatch',
        message: { nodeId: 1n, root: `0x${'cd'.repeat(32)}`, sequence: 5n },
      }),
    )
  })

  it('sign / recover round trip; any change breaks it', async () => {
    const account = privateKeyToAccount(generatePrivateKey())
    const v = voucher()
    const sig = await signVoucher(account, domain, v)
    assert.equal(await recoverVoucherSigner(domain, v, sig), account.address)
    assert.notEqual(await recoverVoucherSigner(domain, { ...v, cumulative: v.cumulative + 1n }, sig), account.address)
    assert.notEqual(await recoverVoucherSigner({ ...domain, chainId: 1 }, v, sig), account.address)
    const b = { nodeId: 4n, root: `0x${'ee'.repeat(32)}` as Hex, sequence: 9n }
    const bs = await signReceiptBatch(account, domain, b)
    assert.equal(await recoverReceiptBatchSigner(domain, b, bs), account.address)
    assert.notEqual(await recoverReceiptBatchSigner(domain, { ...b, sequence: 10n }, bs), account.address)
  })
})

describe('ticket header', () => {
  const pre = `0x${'0f'.repeat(32)}` as Hex
  it('round trip and lane key', () => {
    const t = { channelId: 12n, assetId: 3n, lane: 0n, units: 2, index: 5, preimage: pre }
    const h = encodeTicket(t)
    assert.equal(h, `12.3.0.2.5.${'0f'.repeat(32)}`)
    const d = decodeTicket(h)
    assert.deepEqual({ channelId: d.channelId, assetId: d.assetId, lane: d.lane, units: d.units, index: d.index, preimage: d.preimage }, t)
    assert.equal(d.laneKey, '12.3.0')
    assert.equal(hex(d.preimageBytes), pre)
    const max = ((1n << 256n) - 1n).toString()
    assert.equal(decodeTicket(`${max}.${max}.${max}.4096.4096.${'AB'.repeat(32)}`).preimage, `0x${'ab'.repeat(32)}`)
  })

  it('rejects malformed tickets with TicketFormatError', () => {
    const p = '0f'.repeat(32)
    const bad = [
      undefined,
      '',
      `1.2.3.1.1`,
      `1.2.3.1.1.${p}.9`,
      `01.2.3.1.1.${p}`,
      `1.2.3.0.1.${p}`,
      `1.2.3.2.1.${p}`,
      `1.2.3.1.4097.${p}`,
      `1.2.3.4097.4097.${p}`,
      `1.2.3.1.1.${p.slice(2)}`,
      `1.2.3.1.1.${p}00`,
      `1.2.3.1.1.0x${p.slice(2)}`,
      `1.2.3.1.1.${'g'.repeat(64)}`,
      `-1.2.3.1.1.${p}`,
      `1.2.3.1.1.${p} `,
      ` 1.2.3.1.1.${p}`,
      `1..3.1.1.${p}`,
      `1.2.3.+1.1.${p}`,
      `${(1n << 256n).toString()}.2.3.1.1.${p}`,
      `1.2.${'9'.repeat(79)}.1.1.${p}`,
    ]
    for (const h of bad) assert.throws(() => decodeTicket(h), TicketFormatError, String(h))
    assert.throws(() => encodeTicket({ channelId: 1n, assetId: 1n, lane: 0n, units: 0, index: 1, preimage: pre }), TicketFormatError)
    assert.throws(() => encodeTicket({ channelId: -1n, assetId: 1n, lane: 0n, units: 1, index: 1, preimage: pre }), TicketFormatError)
  })
})

describe('voucher header', () => {
  const sig = `0x${'12'.repeat(65)}` as Hex
  const json = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const plain = () => ({
    channelId: '7',
    lane: '2',
    assetId: '3',
    cumulative: '1000',
    anchor: `0x${'ab'.repeat(32)}`,
    unitPrice: '25',
    maxUnits: '1024',
    expiresAt: '1900000000',
    signature: sig,
  })

  it('round trip', () => {
    const h = encodeVoucherHeader({ ...voucher(), signature: sig })
    assert.match(h, /^[A-Za-z0-9_-]+$/)
    assert.deepEqual(decodeVoucherHeader(h), { ...voucher(), signature: sig })
    assert.deepEqual(decodeVoucherHeader(json(plain())), { ...voucher(), signature: sig })
  })

  it('rejects malformed vouchers with VoucherFormatError', () => {
    const cases: unknown[] = [
      { ...plain(), cumulative: 1000 },
      { ...plain(), cumulative: '01000' },
      { ...plain(), cumulative: '-1' },
      { ...plain(), cumulative: '1e3' },
      { ...plain(), cumulative: (1n << 256n).toString() },
      { ...plain(), anchor: '0x12' },
      { ...plain(), signature: '0x1234' },
      { ...plain(), signature: `0x${'1'.repeat(129)}` },
      { ...plain(), maxUnits: '4097' },
      { ...plain(), extra: '1' },
      (() => {
        const o: Record<string, unknown> = plain()
        delete o.lane
        return o
      })(),
      [plain()],
      null,
    ]
    for (const c of cases) assert.throws(() => decodeVoucherHeader(json(c)), VoucherFormatError, JSON.stringify(c))
    const good = json(plain())
    for (const h of [undefined, '', `${good}=`, `${good}+`, good.replace(/.$/, '.'), Buffer.from('not json').toString('base64url'), 'A'.repeat(5000)]) {
      assert.throws(() => decodeVoucherHeader(h), VoucherFormatError, String(h))
    }
  })
})

const fields = (over: Partial<ReceiptFields> = {}): ReceiptFields => ({
  nodeId: 1n,
  requestHash: sha256Hex('{"input":[1,2,3,4]}'),
  responseHash: sha256Hex('{"label":"Adelie"}'),
  assetId: 3n,
  version: 2n,
  units: 1n,
  price: 25n,
  channelId: 7n,
  lane: 2n,
  cumulative: 1_025n,
  index: 1n,
  ...over,
})

describe('receipt leaf', () => {
  it('equals sha256(abi.encode(11 words)) incl. full-width values', () => {
    const types = ['uint256', 'bytes32', 'bytes32', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256'].map((type) => ({ type }))
    for (const f of [fields(), fields({ cumulative: (1n << 256n) - 1n, price: 1n << 200n, nodeId: 0x20000000000000n, index: 0x1fffffffffffffn })]) {
      const enc = encodeAbiParameters(types, [f.nodeId, f.requestHash, f.responseHash, f.assetId, f.version, f.units, f.price, f.channelId, f.lane, f.cumulative, f.index])
      assert.equal(hex(encodeReceiptFields(f)), enc)
      assert.equal(receiptLeaf(f), sha256Hex(Buffer.from(enc.slice(2), 'hex')))
    }
    assert.throws(() => receiptLeaf(fields({ price: -1n })), ReceiptFormatError)
    assert.throws(() => receiptLeaf(fields({ price: 1n << 256n })), ReceiptFormatError)
    assert.throws(() => receiptLeaf(fields({ requestHash: '0x12' })), ReceiptFormatError)
  })
})

describe('merkle', () => {
  const leafN = (i: number) => sha256Hex(`leaf ${i}`)
  it('empty and single-leaf trees', () => {
    assert.equal(buildMerkleTree([]).root, `0x${'0'.repeat(64)}`)
    const one = buildMerkleTree([leafN(0)])
    assert.equal(one.root, leafN(0))
    assert.deepEqual(one.proof(0), [])
    assert.equal(verifyMerkleProof(leafN(0), [], one.root), true)
  })

  it('sorted pairs: internal node = sha256(min || max)', () => {
    const [a, b] = [leafN(1), leafN(2)]
    const [lo, hi] = a < b ? [a, b] : [b, a]
    const expected = sha256Hex(Buffer.from(lo.slice(2) + hi.slice(2), 'hex'))
    assert.equal(buildMerkleTree([a, b]).root, expected)
    assert.equal(buildMerkleTree([b, a]).root, expected)
    // odd node promoted unchanged: root of 3 = pair(pair(l0,l1), l2)
    const t3 = buildMerkleTree([a, b, leafN(3)])
    const x = [expected, leafN(3)].sort()
    assert.equal(t3.root, sha256Hex(Buffer.from(x[0]!.slice(2) + x[1]!.slice(2), 'hex')))
  })

  it('every proof verifies for 1..33 leaves; tampering fails', () => {
    for (let n = 1; n <= 33; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leafN(i))
      const t = buildMerkleTree(leaves)
      assert.equal(t.size, n)
      for (let i = 0; i < n; i++) {
        const p = t.proof(i)
        assert.ok(p.length <= Math.ceil(Math.log2(n)))
        assert.equal(verifyMerkleProof(leaves[i]!, p, t.root), true, `n=${n} i=${i}`)
        assert.equal(verifyMerkleProof(leafN(1000), p, t.root), false)
        if (p.length > 0) {
          const bad = [...p]
          bad[0] = leafN(999)
          assert.equal(verifyMerkleProof(leaves[i]!, bad, t.root), false)
          assert.equal(verifyMerkleProof(leaves[i]!, p.slice(1), t.root), false)
        }
      }
      assert.throws(() => t.proof(n), ReceiptFormatError)
    }
  })

  it('group proof ++ top proof reaches the settlement root', () => {
    // 5 groups of 1..9 receipts; settlement root = tree over the group roots (not re-hashed)
    const groups = [3, 1, 9, 4, 7].map((size, g) => buildMerkleTree(Array.from({ length: size }, (_, i) => leafN(g * 100 + i))))
    const top = buildMerkleTree(groups.map((g) => g.root))
    groups.forEach((g, gi) => {
      for (let i = 0; i < g.size; i++) {
        const proof = [...g.proof(i), ...top.proof(gi)]
        assert.equal(verifyMerkleProof(leafN(gi * 100 + i), proof, top.root), true)
        assert.equal(verifyMerkleProof(leafN(gi * 100 + i), g.proof(i), top.root), top.size === 1)
      }
    })
  })
})

describe('receipt header and verifyReceipt', () => {
  const node = privateKeyToAccount(generatePrivateKey())

  async function signedGroup(n: number, sequence = 3n): Promise<SignedReceipt[]> {
    const fs = Array.from({ length: n }, (_, i) => fields({ index: BigInt(i + 1), cumulative: 1000n + 25n * BigInt(i + 1) }))
    const leaves = fs.map(receiptLeaf)
    const t = buildMerkleTree(leaves)
    const signature = await signReceiptBatch(node, domain, { nodeId: 1n, root: t.root, sequence })
    return fs.map((f, i) => ({ fields: f, leaf: leaves[i]!, proof: t.proof(i), groupRoot: t.root, sequence, signature }))
  }

  it('round trip and verification (one recovery per group with a cache)', async () => {
    const rs = await signedGroup(5)
    const cache = new Map()
    for (const r of rs) {
      const d = decodeReceiptHeader(encodeReceiptHeader(r))
      assert.deepEqual(d, r)
      await verifyReceipt(d, { domain, nodeSigner: node.address, cache })
    }
    assert.equal(cache.size, 1)
  })

  it('format 2 (compact): round trip, the leaf recomputed, verification; format 1 still decodes', async () => {
    const rs = await signedGroup(5)
    const cache = new Map()
    for (const r of rs) {
      const h = encodeCompactReceiptHeader(r)
      assert.ok(h.startsWith('r2.') && /^[A-Za-z0-9_.-]+$/.test(h))
      assert.ok(h.length * 2 < encodeReceiptHeader(r).length)
      const d = decodeReceiptHeader(h)
      assert.deepEqual(d, r)
      assert.deepEqual(decodeReceiptHeader(encodeReceiptHeader(r)), d)
      await verifyReceipt(d, { domain, nodeSigner: node.address, cache })
    }
    // A tampered field changes the recomputed leaf, so the proof no longer leads to the root.
    const parts = encodeCompactReceiptHeader(rs[0]!).split('.')
    parts[7] = (BigInt(parts[7]!) * 2n).toString()
    await assert.rejects(verifyReceipt(decodeReceiptHeader(parts.join('.')), { domain, nodeSigner: node.address }), /proof does not lead/)
  })

  it('rejects malformed format-2 receipt headers', async () => {
    const [r] = await signedGroup(2)
    const good = encodeCompactReceiptHeader(r!).split('.')
    const withPart = (i: number, v: string) => good.map((p, j) => (j === i ? v : p)).join('.')
    const b64 = good[2]!
    for (const bad of [
      withPart(7, '025'), // non-canonical decimal
      withPart(7, '-1'),
      withPart(7, (1n << 256n).toString()),
      withPart(2, b64.slice(1)), // 31.x bytes
      withPart(2, b64.slice(0, 42) + 'B'), // non-zero trailing bits
      withPart(2, b64 + 'A'),
      withPart(13, '0x' + 'ab'.repeat(32)),
      withPart(14, good[14]!.slice(0, 80)), // signature shorter than 65 bytes
      good.slice(0, 14).join('.'), // missing signature
      [...good, ...Array.from({ length: 64 }, () => b64)].join('.'), // more than 64 siblings
      [...good, ''].join('.'),
      'r2.',
    ]) {
      assert.throws(() => decodeReceiptHeader(bad), ReceiptFormatError, bad.slice(0, 60))
    }
  })

  it('tampered receipts fail with ReceiptVerificationError', async () => {
    const [r] = await signedGroup(4)
    const other = privateKeyToAccount(generatePrivateKey())
    const opts = { domain, nodeSigner: node.address }
    await assert.rejects(verifyReceipt({ ...r!, fields: { ...r!.fields, price: 26n } }, opts), /leaf is not the hash/)
    await assert.rejects(verifyReceipt({ ...r!, proof: r!.proof.slice(1) }, opts), /proof does not lead/)
    await assert.rejects(verifyReceipt({ ...r!, sequence: 4n }, opts), ReceiptVerificationError)
    await assert.rejects(verifyReceipt(r!, { domain, nodeSigner: other.address }), /not by the node's signer/)
    await assert.rejects(verifyReceipt(r!, { domain: { ...domain, chainId: 1 }, nodeSigner: node.address }), ReceiptVerificationError)
  })

  it('rejects malformed receipt headers', async () => {
    const [r] = await signedGroup(2)
    const o = JSON.parse(Buffer.from(encodeReceiptHeader(r!), 'base64url').toString()) as Record<string, unknown>
    const enc = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url')
    for (const bad of [
      { ...o, price: 25 },
      { ...o, price: '025' },
      { ...o, leaf: '0x12' },
      { ...o, proof: ['0x12'] },
      { ...o, proof: 'x' },
      { ...o, extra: 1 },
      { ...o, signature: '0x' },
      (() => {
        const c = { ...o }
        delete c.sequence
        return c
      })(),
    ]) {
      assert.throws(() => decodeReceiptHeader(enc(bad)), ReceiptFormatError)
    }
    assert.throws(() => decodeReceiptHeader('%%%'), ReceiptFormatError)
    assert.throws(() => decodeReceiptHeader(undefined), ReceiptFormatError)
  })
})

describe('micro-benchmarks (printed, not asserted)', () => {
  it('verifyChainStep, decodeTicket and receiptLeaf per call', () => {
    const c = createHashChain(4096)
    const N = 100_000
    const time = (label: string, f: (i: number) => void) => {
      for (let i = 0; i < 2000; i++) f(i) // warm up
      const t0 = process.hrtime.bigint()
      for (let i = 0; i < N; i++) f(i)
      const us = Number(process.hrtime.bigint() - t0) / 1000 / N
      console.log(`# bench ${label}: ${us.toFixed(2)} us/op`)
    }
    let ok = 0
    time('verifyChainStep(q=1, bytes)', (i) => {
      const k = (i % 4095) + 1
      if (verifyChainStep(c.bytesAt(k - 1), c.bytesAt(k), 1)) ok++
    })
    const a = c.preimageAt(0)
    const b = c.preimageAt(1)
    time('verifyChainStep(q=1, hex)', () => {
      if (verifyChainStep(a, b, 1)) ok++
    })
    const ticket = encodeTicket({ channelId: 123n, assetId: 4n, lane: 17n, units: 1, index: 9, preimage: b })
    time('decodeTicket', () => {
      if (decodeTicket(ticket).units === 1) ok++
    })
    const f = fields()
    time('receiptLeaf (352 bytes -> sha256, hex out)', (i) => {
      f.index = BigInt(i)
      receiptLeaf(f)
    })
    assert.ok(ok > 0)
  })
})
