import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { TRANSFER_WITH_AUTHORIZATION_TYPES } from '@sahara/sdk'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startNode, type RunningNode } from '../src/node.ts'
import { ASSET, CHAIN_ID, EXACT, FakeChain, OTHER_KEY, PAYER_KEY, TOKEN, UNIT_PRICE, decodeReceiptHeader, post, tempDir, testConfig } from './helpers.ts'


/** What a stock x402 "exact" EVM client signs and sends. */
async function authorization(o: { key?: Hex; value?: bigint; to?: Hex; validBefore?: bigint; tokenName?: string } = {}) {
  const payer = privateKeyToAccount(PAYER_KEY)
  const message = {
    from: payer.address,
    to: o.to ?? EXACT,
    value: o.value ?? UNIT_PRICE,
    validAfter: 0n,
    validBefore: o.validBefore ?? BigInt(Math.floor(Date.now() / 1000) + 600),
    nonce: ('0x' + randomBytes(32).toString('hex')) as Hex,
  }
  const signature = await privateKeyToAccount(o.key ?? PAYER_KEY).signTypedData({
    domain: { name: o.tokenName ?? 'Tether USD', version: '1', chainId: CHAIN_ID, verifyingContract: TOKEN },
    types: TRANSFER_WITH_AUTHORIZATION_TYPES,
    primaryType: 'TransferWithAuthorization',
    message,
  })
  const authorization = { from: message.from, to: message.to, value: message.value.toString(), validAfter: '0', validBefore: message.validBefore.toString(), nonce: message.nonce }
  return { signature, authorization }
}
const v1 = (payload: unknown, network = `sahara-${CHAIN_ID}`) => Buffer.from(JSON.stringify({ x402Version: 1, scheme: 'exact', network, payload })).toString('base64')
const v2 = (payload: unknown) => Buffer.from(JSON.stringify({ x402Version: 2, accepted: { scheme: 'exact', network: `eip155:${CHAIN_ID}` }, payload })).toString('base64')

describe('x402 exact', () => {
  const tmp = tempDir()
  const chain = new FakeChain()
  let node: RunningNode
  const invoke = (headers: Record<string, string>) => post(`${node.url}/v1/invoke/${ASSET}`, { q: 1 }, headers)
  before(async () => {
    node = await startNode(testConfig(tmp.dir), { chain, manualSettlement: true })
  })
  after(async () => {
    await node.close({ settle: false })
    tmp.cleanup()
  })

  it('v1 X-PAYMENT: verified off-chain, settled with payExact, X-PAYMENT-RESPONSE + receipt; the same header: the same answer, no second charge; another request -> 409', async () => {
    const payload = await authorization()
    const r = await invoke({ 'x-payment': v1(payload) })
    assert.equal(r.status, 200, JSON.stringify(r.json))
    const resp = JSON.parse(Buffer.from(r.headers.get('x-payment-response')!, 'base64').toString())
    assert.equal(resp.success, true)
    assert.equal(resp.network, `sahara-${CHAIN_ID}`)
    assert.equal(resp.payer, privateKeyToAccount(PAYER_KEY).address)
    assert.equal(chain.exacts.length, 1)
    assert.equal(chain.exacts[0]!.value, UNIT_PRICE)
    assert.equal(chain.exacts[0]!.nonce, payload.authorization.nonce)
    const rc = decodeReceiptHeader(r.headers.get('x-sahara-receipt'))
    // lane = the authorization nonce: the receipt names its payment
    assert.deepEqual([rc.channelId, rc.lane, rc.index, rc.cumulative], ['0', BigInt(payload.authorization.nonce).toString(), '0', UNIT_PRICE.toString()])
    // the answer was lost on the way: the same header and request get it again, with the same receipt
    const again = await invoke({ 'x-payment': v1(payload) })
    assert.equal(again.status, 200, JSON.stringify(again.json))
    assert.deepEqual(again.json, r.json)
    assert.equal(again.headers.get('x-sahara-receipt'), r.headers.get('x-sahara-receipt'))
    assert.equal(again.headers.get('x-payment-response'), r.headers.get('x-payment-response'))
    assert.equal(chain.exacts.length, 1, 'paid once')
    const other = await post(`${node.url}/v1/invoke/${ASSET}`, { q: 2 }, { 'x-payment': v1(payload) })
    assert.equal(other.status, 409)
    assert.equal(other.json.error.code, 'authorization_replayed')
    assert.equal(chain.exacts.length, 1)
  })

  it('a payment mined after the node stopped waiting: 402 settlement_failed, then the same header gets the answer and a receipt, once', async () => {
    chain.mining = false
    const payload = await authorization()
    let r
    try {
      r = await invoke({ 'x-payment': v1(payload) })
    } finally {
      chain.mining = true
    }
    assert.equal(r.status, 402, JSON.stringify(r.json))
    assert.equal(r.json.code, 'settlement_failed')
    // not mined yet: the same header is a replay
    const early = await invoke({ 'x-payment': v1(payload) })
    assert.equal(early.status, 409)
    const exacts = chain.exacts.length
    chain.minePending()
    assert.equal(chain.exacts.length, exacts + 1)
    // and the node restarts in between: what it knows of the payment is in SQLite
    await node.close({ settle: false })
    node = await startNode(testConfig(tmp.dir), { chain, manualSettlement: true })
    const late = await invoke({ 'x-payment': v1(payload) })
    assert.equal(late.status, 200, JSON.stringify(late.json))
    assert.deepEqual(late.json, { output: { q: 1 } })
    const rc = decodeReceiptHeader(late.headers.get('x-sahara-receipt'))
    assert.deepEqual([rc.channelId, rc.lane, rc.index, rc.cumulative], ['0', BigInt(payload.authorization.nonce).toString(), '0', UNIT_PRICE.toString()])
    assert.equal(JSON.parse(Buffer.from(late.headers.get('x-payment-response')!, 'base64').toString()).success, true)
    const receiptsBefore = node.internals.committer.stats.receipts
    const again = await invoke({ 'x-payment': v1(payload) })
    assert.equal(again.status, 200)
    assert.equal(again.headers.get('x-sahara-receipt'), late.headers.get('x-sahara-receipt'))
    assert.equal(node.internals.committer.stats.receipts, receiptsBefore, 'no second receipt')
    assert.equal(chain.exacts.length, exacts + 1, 'paid once')
  })

  it('a forged copy of a used authorization (same payer and nonce, another signature) -> 401, nothing answered', async () => {
    const payload = await authorization()
    assert.equal((await invoke({ 'x-payment': v1(payload) })).status, 200)
    const forged = { ...payload, signature: (await authorization({ key: OTHER_KEY })).signature }
    const r = await invoke({ 'x-payment': v1(forged) })
    assert.equal(r.status, 401)
    assert.equal(r.json.error.code, 'bad_authorization_signature')
  })

  it('v2 PAYMENT-SIGNATURE (CAIP-2 network) -> PAYMENT-RESPONSE', async () => {
    const r = await invoke({ 'payment-signature': v2(await authorization()) })
    assert.equal(r.status, 200, JSON.stringify(r.json))
    const resp = JSON.parse(Buffer.from(r.headers.get('payment-response')!, 'base64').toString())
    assert.equal(resp.network, `eip155:${CHAIN_ID}`)
  })

  it('forged, underpaid, wrong payee, expired, wrong token domain: clear errors, nothing settled', async () => {
    const before = chain.exacts.length
    const cases: [Promise<{ signature: Hex; authorization: unknown }>, number, string][] = [
      [authorization({ key: OTHER_KEY }), 401, 'bad_authorization_signature'],
      [authorization({ tokenName: 'Other' }), 401, 'bad_authorization_signature'],
      [authorization({ value: UNIT_PRICE - 1n }), 402, 'insufficient_amount'],
      [authorization({ value: UNIT_PRICE + 1n }), 402, 'amount_mismatch'],
      [authorization({ to: TOKEN }), 402, 'wrong_pay_to'],
      [authorization({ validBefore: 5n }), 402, 'authorization_expired'],
    ]
    for (const [p, status, code] of cases) {
      const r = await invoke({ 'x-payment': v1(await p) })
      assert.equal(r.status, status, JSON.stringify(r.json))
      assert.equal(r.json.code ?? r.json.error?.code, code)
    }
    assert.equal(chain.exacts.length, before)
  })

  it('an authorization the chain would refuse: 402 payment_rejected with the reason, before the model runs; nothing sent; the node keeps serving', async () => {
    const runtime = node.internals.assets.find((a) => a.cfg.assetId === ASSET)!.runtime!
    const invoke0 = runtime.invoke.bind(runtime)
    let runs = 0
    runtime.invoke = (input: unknown) => {
      runs++
      return invoke0(input)
    }
    const before = chain.exacts.length
    const checks = chain.checks
    chain.exactRevert = 'ERC20InsufficientBalance(0x1111111111111111111111111111111111111111, 0, 1000)'
    try {
      const payload = await authorization()
      const r = await invoke({ 'x-payment': v1(payload) })
      assert.equal(r.status, 402, JSON.stringify(r.json))
      assert.equal(r.json.code, 'payment_rejected')
      assert.match(r.json.error, /ERC20InsufficientBalance.*nothing was charged/)
      assert.equal(chain.checks, checks + 1)
      assert.equal(runs, 0, 'the model did not run')
      assert.equal(chain.exacts.length, before)
      // refused, not paid: the same header again is a replay
      const again = await invoke({ 'x-payment': v1(payload) })
      assert.equal(again.status, 409)
      assert.equal(again.json.error.code, 'authorization_replayed')
    } finally {
      chain.exactRevert = undefined
    }
    const ok = await invoke({ 'x-payment': v1(await authorization()) })
    assert.equal(ok.status, 200, JSON.stringify(ok.json))
    assert.equal(runs, 1)
    assert.equal(chain.exacts.length, before + 1)
  })
})
