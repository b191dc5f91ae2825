// Stock x402 clients (nothing from Sahara on the paying side) against a real execution node
// process on a seeded devnet: 402 -> requirements -> EIP-3009 authorization to the asset's deposit
// address -> the node settles it through ExactPayments.payExact -> 200 + the x402 response header.
// On-chain, every wei of the payment is traced: payer -> node fee to the operator + the rest into
// the RevenueVault, split by the vault's formula.
//   - v2 (@x402/fetch + @x402/evm) on the usual devnet (chain 31337, network eip155:31337), next to
//     the SDK's own exact payer and `sahara call --pay exact`, which check what they sign;
//   - v1 (x402-fetch 1.x), which knows chains only by name, on a devnet whose anvil carries Base
//     Sepolia's id 84532, so the node advertises "base-sepolia" as it would on that network.
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { decodePaymentResponseHeader, wrapFetchWithPaymentFromConfig } from '@x402/fetch'
import { ExactEvmScheme } from '@x402/evm'
import { decodeXPaymentResponse, wrapFetchWithPayment } from 'x402-fetch'
import { erc20Abi, parseEventLogs, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { localChain, walletClientFor } from '@sahara/devnet'
import { DEMO_NODE_FEE_BPS } from '@sahara/network'
import { MAX_EXACT_VALIDITY_SECONDS, PaymentRequirementError, PriceAboveMaxError, exactPaymentsAbi, fetchWithExactPayment, revenueVaultAbi } from '@sahara/sdk'
import { startPaidNetwork, type PaidNetwork } from './utils/paidNetwork.ts'
import { runSahara } from './utils/cli.ts'

const BPS = 10_000n
const PROTOCOL_FEE_BPS = 250n
const AGENT_ROYALTY_BPS = 500n // the agent's COMMERCIAL_REMIX license on the model (seed)
const ADELIE = 'bill_length_mm=39.1, bill_depth_mm=18.7, flipper_length_mm=181, body_mass_g=3750'
const CHAT = JSON.stringify({ model: 'penguin-agent', messages: [{ role: 'user', content: ADELIE }] })
/** Base Sepolia's chain id: x402 v1 calls it "base-sepolia". */
const BASE_SEPOLIA_ID = 84532

/** A seeded devnet, the execution node serving it, and a payer funded with devnet USDT. */
type Setup = Omit<PaidNetwork, 'payer'> & { payer: Address }

async function setUp(chainId?: number): Promise<Setup> {
  const net = await startPaidNetwork('sahara-x402-', { logLevel: 'warn' }, chainId ? { chainId } : {})
  // The paying clients below are stock: only the setup used the SDK (the faucet).
  return { ...net, payer: privateKeyToAccount(net.payerKey).address }
}

async function tearDown(s: Setup | undefined): Promise<void> {
  await s?.node.kill()
  await s?.devnet.stop()
  if (s) rmSync(s.dir, { recursive: true, force: true })
}

/** Records what a stock client puts on the wire and gets back; changes nothing. */
function recordingFetch() {
  const wire: { req: Request; res: Response }[] = []
  const transport: typeof fetch = async (input, init) => {
    const req = new Request(input, init)
    const res = await fetch(req.clone())
    wire.push({ req, res: res.clone() })
    return res
  }
  return { wire, transport }
}

/** Balances a payment moves: payer, operator, vault and the asset's deposit address. */
async function balances(s: Setup) {
  const { devnet, ppu, exec } = s
  const depositAddress = await devnet.publicClient.readContract({ address: devnet.deployments.contracts.ExactPayments!, abi: exactPaymentsAbi, functionName: 'receiverOf', args: [exec.nodeId, ppu.agent.assetId] })
  const balance = (a: Address) => devnet.publicClient.readContract({ address: ppu.token, abi: erc20Abi, functionName: 'balanceOf', args: [a] })
  return { depositAddress, payer: await balance(s.payer), operator: await balance(exec.operator), vault: await balance(devnet.deployments.contracts.RevenueVault), deposit: await balance(depositAddress) }
}

/**
 * Checks one settled exact payment to the wei: payer -> deposit address -> node fee + vault, and
 * the vault's split in the settlement transaction's logs.
 */
async function assertExactSettled(s: Setup, before: Awaited<ReturnType<typeof balances>>, transaction: Hex, firstUse: boolean, label: string) {
  const { devnet, ppu } = s
  const price = ppu.agent.unitPrice
  const nodeFee = (price * BigInt(DEMO_NODE_FEE_BPS)) / BPS
  const after = await balances(s)
  assert.equal(before.payer - after.payer, price, 'the payer paid exactly the price')
  assert.equal(after.operator - before.operator, nodeFee, 'the operator got exactly the node fee')
  assert.equal(after.vault - before.vault, price - nodeFee, 'the vault got the rest')
  assert.equal(after.deposit, 0n, 'nothing stays in the deposit address')

  const receipt = await devnet.publicClient.getTransactionReceipt({ hash: transaction })
  assert.equal(receipt.status, 'success')
  assert.equal(parseEventLogs({ abi: exactPaymentsAbi, logs: receipt.logs, eventName: 'ReceiverDeployed' }).length, firstUse ? 1 : 0)
  const swept = parseEventLogs({ abi: exactPaymentsAbi, logs: receipt.logs, eventName: 'Swept' })
  assert.equal(swept.length, 1)
  assert.equal(swept[0]!.args.amount, price)
  assert.equal(swept[0]!.args.nodeFee, nodeFee)
  assert.equal(swept[0]!.args.receiver, before.depositAddress)
  const credits = parseEventLogs({ abi: revenueVaultAbi, logs: receipt.logs, eventName: 'RevenueReceived' })
  assert.equal(credits.length, 1)
  const c = credits[0]!.args
  const amount = price - nodeFee
  const fee = (amount * PROTOCOL_FEE_BPS) / BPS
  const royalties = ((amount - fee) * AGENT_ROYALTY_BPS) / BPS
  assert.equal(c.assetId, ppu.agent.assetId)
  assert.equal(c.token, ppu.token)
  assert.equal(c.payer, devnet.deployments.contracts.ExactPayments)
  assert.equal(c.amount, amount)
  assert.equal(c.fee, fee)
  assert.equal(c.royalties, royalties)
  assert.equal(c.ownerPart, amount - fee - royalties)
  assert.equal(c.contributorsPart, 0n)
  assert.equal(c.owner, ppu.agent.owner)
  console.log(`${label}: price ${price} = node fee ${nodeFee} + vault ${amount} (protocol fee ${fee} + royalties ${royalties} + owner ${c.ownerPart}); payExact gas ${receipt.gasUsed}${firstUse ? ' (deploys the deposit address)' : ''}`)
  return after
}

/**
 * The same payment header sent again: the payment bought one answer, which was given. A chat
 * completion carries its creation time, so the model cannot answer identically: 409 with the
 * original receipt attached, and no money moves.
 */
async function assertReplayRefused(s: Setup, header: string, value: string, receipt: string | null, after: Awaited<ReturnType<typeof balances>>) {
  const replay = await fetch(`${s.node.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', [header]: value }, body: CHAT })
  assert.equal(replay.status, 409)
  const err = (await replay.json()) as { error: { code: string } }
  assert.equal(err.error.code, 'authorization_replayed')
  assert.ok(receipt)
  assert.equal(replay.headers.get('x-sahara-receipt'), receipt, 'the receipt of the answer this payment bought')
  assert.equal(replay.headers.get('payment-response'), null)
  assert.equal(replay.headers.get('x-payment-response'), null)
  assert.deepEqual(await balances(s), after)
}

/**
 * One prediction through a stock client's paying fetch: asserts the answer and that it took two
 * requests (unpaid -> 402, then paid); returns them with the balances before.
 */
async function payThrough(s: Setup, paidFetch: typeof fetch, wire: { req: Request; res: Response }[]) {
  const before = await balances(s)
  wire.length = 0
  const res = await paidFetch(`${s.node.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: CHAT })
  const text = await res.text()
  assert.equal(res.status, 200, text)
  const completion = JSON.parse(text) as { choices: { message: { content: string } }[] }
  assert.match(completion.choices[0]!.message.content, /Adelie/)
  assert.equal(wire.length, 2)
  assert.equal(wire[0]!.res.status, 402)
  return { before, res, unpaid: wire[0]!, paid: wire[1]! }
}

describe('x402 v2 exact end to end: stock @x402/fetch client -> node -> ExactPayments -> vault', { timeout: 300_000 }, () => {
  let s: Setup

  before(async () => {
    s = await setUp()
  })
  after(async () => tearDown(s))

  it('pays predictions with a stock v2 client; every payment reaches the vault to the wei; a replayed header moves nothing', async () => {
    const { devnet, ppu } = s
    const price = ppu.agent.unitPrice
    const { wire, transport } = recordingFetch()
    const paidFetch = wrapFetchWithPaymentFromConfig(transport, {
      schemes: [{ network: `eip155:${devnet.chainId}`, client: new ExactEvmScheme(privateKeyToAccount(s.payerKey)) }],
      // The stock client pays only assets it knows (USDC on public chains) unless told otherwise:
      // devnet USDT is opted in, capped at one call's price.
      spendControls: { allowedAssets: [{ network: `eip155:${devnet.chainId}`, asset: ppu.token, maxAmountPerPayment: price.toString() }] },
    })

    const payOnce = async (firstUse: boolean) => {
      // unpaid (402 + PAYMENT-REQUIRED), then the request carrying PAYMENT-SIGNATURE
      const { before, res, unpaid, paid } = await payThrough(s, paidFetch, wire)
      assert.equal(unpaid.req.headers.get('payment-signature'), null)
      const required = JSON.parse(Buffer.from(unpaid.res.headers.get('payment-required')!, 'base64').toString()) as { accepts: Record<string, unknown>[] }
      assert.deepEqual(required.accepts.map((a) => [a.scheme, a.network, a.amount, a.payTo, a.asset]), [['exact', `eip155:${devnet.chainId}`, price.toString(), before.depositAddress, ppu.token]])
      const signature = paid.req.headers.get('payment-signature')
      assert.ok(signature, 'the stock client sent PAYMENT-SIGNATURE')

      const header = res.headers.get('payment-response')
      assert.ok(header, 'PAYMENT-RESPONSE header')
      const settle = decodePaymentResponseHeader(header)
      assert.equal(settle.success, true)
      assert.equal(settle.network, `eip155:${devnet.chainId}`)
      assert.equal(settle.payer?.toLowerCase(), s.payer.toLowerCase())
      assert.match(settle.transaction, /^0x[0-9a-f]{64}$/i)
      const after = await assertExactSettled(s, before, settle.transaction as Hex, firstUse, 'x402 v2 stock')
      return { signature, receipt: res.headers.get('x-sahara-receipt'), after }
    }

    await payOnce(true)
    const { signature, receipt, after } = await payOnce(false)
    await assertReplayRefused(s, 'payment-signature', signature, receipt, after)
  })
  it("the SDK's exact payer and `sahara call --pay exact` check the deposit address on-chain, pay once, verify the receipt; a node naming another payTo is refused", async () => {
    const { devnet, ppu } = s
    const price = ppu.agent.unitPrice
    const chain = localChain(devnet.chainId, devnet.rpcUrl)
    const ctx = { publicClient: devnet.publicClient, walletClient: walletClientFor(devnet.rpcUrl, s.payerKey, chain), deployments: devnet.deployments }
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: CHAT }

    const before = await balances(s)
    const { response, paid } = await fetchWithExactPayment({ ...ctx, maxPrice: price }, `${s.node.url}/v1/chat/completions`, init)
    assert.equal(response.status, 200)
    assert.match(((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content, /Adelie/)
    assert.ok(paid)
    assert.deepEqual([paid.price, paid.nodeId, paid.assetId, paid.receipt.fields.channelId], [price, s.exec.nodeId, ppu.agent.assetId, 0n])
    let after = await assertExactSettled(s, before, paid.transaction, false, 'SDK exact')

    // above the caller's maximum: refused before signing anything
    await assert.rejects(fetchWithExactPayment({ ...ctx, maxPrice: price - 1n }, `${s.node.url}/v1/chat/completions`, init), PriceAboveMaxError)
    // a node (here a proxy in front of the real one) that names its own address as payTo
    // A node (here a proxy in front of the real one) that rewrites its 402: it names its own address
    // as payTo, or asks for a validity of years. Headers are forwarded, the paid ones recorded.
    const thief = privateKeyToAccount(generatePrivateKey()).address
    let rewrite: (text: string) => string = (t) => t
    const payments: string[] = []
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const payment = req.headers['x-payment']
      if (typeof payment === 'string') payments.push(payment)
      const upstream = await fetch(`${s.node.url}${req.url}`, { method: req.method!, headers: { 'content-type': 'application/json', ...(typeof payment === 'string' ? { 'x-payment': payment } : {}) }, body: Buffer.concat(chunks) })
      const text = await upstream.text()
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      for (const h of ['x-sahara-receipt', 'x-payment-response']) if (upstream.headers.get(h)) headers[h] = upstream.headers.get(h)!
      res.writeHead(upstream.status, headers)
      res.end(upstream.status === 402 ? rewrite(text) : text)
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1/chat/completions`
      rewrite = (t) => t.replace(/"payTo":"0x[0-9a-fA-F]{40}"/, `"payTo":"${thief}"`)
      await assert.rejects(fetchWithExactPayment({ ...ctx, maxPrice: price }, url, init), (e: Error) => e instanceof PaymentRequirementError && e.message.includes(`asks to be paid at ${thief}, not at ${before.depositAddress}`))
      assert.deepEqual(payments, [], 'nothing signed')
      assert.deepEqual(await balances(s), after)
      rewrite = (t) => t.replace(/"maxTimeoutSeconds":\d+/, '"maxTimeoutSeconds":999999999')
      const long = await fetchWithExactPayment({ ...ctx, maxPrice: price }, url, init)
      assert.equal(long.response.status, 200)
      const signed = JSON.parse(Buffer.from(payments[0]!, 'base64').toString()) as { payload: { authorization: { validBefore: string } } }
      const validFor = Number(signed.payload.authorization.validBefore) - Math.floor(Date.now() / 1000)
      assert.ok(validFor <= MAX_EXACT_VALIDITY_SECONDS && validFor > MAX_EXACT_VALIDITY_SECONDS - 60, `signed for ${validFor} s`)
      after = await assertExactSettled(s, after, long.paid!.transaction, false, 'SDK exact, validity capped')
    } finally {
      proxy.close()
    }
    assert.deepEqual(await balances(s), after)

    // the CLI: the same payment as one command, then bad input in one sentence each
    const cli = (args: string[]) => runSahara(devnet, args, { cwd: s.dir, privateKey: s.payerKey })
    const receipts = join(s.dir, 'exact-receipts.jsonl')
    const run = await cli(['call', String(ppu.agent.assetId), '--prompt', ADELIE, '--node', s.node.url, '--pay', 'exact', '--receipts', receipts, '--json'])
    assert.equal(run.code, 0, run.stderr)
    const out = JSON.parse(run.stdout) as { price: string; transaction: Hex; receipt: { price: string; channelId: string } }
    assert.deepEqual([out.price, out.receipt.price, out.receipt.channelId], [price.toString(), price.toString(), '0'])
    after = await assertExactSettled(s, after, out.transaction, false, 'sahara call --pay exact')
    // the inference record: the node settles the receipts root of its exact receipts too
    const verified = await cli(['receipt', 'verify', receipts, '--wait', '60', '--json'])
    assert.equal(verified.code, 0, verified.stderr + verified.stdout)
    for (const [args, code, message] of [
      [['--pay', 'card'], 2, /^error: --pay must be "channel" or "exact", got "card"\.$/],
      [['--pay', 'exact', '--deposit', '5'], 2, /^error: --channel and --deposit are for --pay channel; an exact payment opens no channel\.$/],
      [['--pay', 'exact', '--max-price', '0.0001'], 1, /^error: Asset #\d+ costs .* per call, above --max-price .*; nothing was paid\.$/],
    ] as const) {
      const r = await cli(['call', String(ppu.agent.assetId), '--prompt', ADELIE, '--node', s.node.url, ...args])
      assert.equal(r.code, code, r.stderr)
      assert.equal(r.stdout, '')
      assert.match(r.stderr.trim(), message)
    }
    assert.deepEqual(await balances(s), after)
  })
})

describe('x402 v1 exact end to end: stock x402-fetch 1.x client -> node on a chain v1 names -> vault', { timeout: 300_000 }, () => {
  let s: Setup

  before(async () => {
    s = await setUp(BASE_SEPOLIA_ID)
  })
  after(async () => tearDown(s))

  it('pays predictions with a stock v1 client; every payment reaches the vault to the wei; a replayed header moves nothing', async () => {
    const { devnet, ppu } = s
    const price = ppu.agent.unitPrice
    assert.equal(devnet.chainId, BASE_SEPOLIA_ID)
    const { wire, transport } = recordingFetch()
    // The v1 client learns the network from the wallet's chain id (84532 -> "base-sepolia") and
    // signs for the id that name stands for. Its RPC is this devnet; signing needs no call.
    const wallet = walletClientFor(devnet.rpcUrl, s.payerKey, localChain(devnet.chainId, devnet.rpcUrl))
    const paidFetch = wrapFetchWithPayment(transport, wallet as Parameters<typeof wrapFetchWithPayment>[1], price)

    const payOnce = async (firstUse: boolean) => {
      // unpaid (402, requirements in the body), then the request carrying X-PAYMENT
      const { before, res, unpaid, paid } = await payThrough(s, paidFetch, wire)
      const required = (await unpaid.res.json()) as { x402Version: number; accepts: Record<string, unknown>[] }
      assert.equal(required.x402Version, 1)
      assert.deepEqual(required.accepts.map((a) => [a.scheme, a.network, a.maxAmountRequired, a.payTo, a.asset]), [['exact', 'base-sepolia', price.toString(), before.depositAddress, ppu.token]])
      const payment = paid.req.headers.get('x-payment')
      assert.ok(payment, 'the stock client sent X-PAYMENT')
      const sent = JSON.parse(Buffer.from(payment, 'base64').toString()) as { x402Version: number; network: string; payload: { authorization: { to: string; value: string } } }
      assert.deepEqual([sent.x402Version, sent.network, sent.payload.authorization.to, sent.payload.authorization.value], [1, 'base-sepolia', before.depositAddress, price.toString()])

      const header = res.headers.get('x-payment-response')
      assert.ok(header, 'X-PAYMENT-RESPONSE header')
      const settle = decodeXPaymentResponse(header)
      assert.equal(settle.success, true)
      assert.equal(settle.network, 'base-sepolia')
      assert.equal(settle.payer?.toLowerCase(), s.payer.toLowerCase())
      assert.match(settle.transaction, /^0x[0-9a-f]{64}$/i)
      const after = await assertExactSettled(s, before, settle.transaction as Hex, firstUse, 'x402 v1 stock')
      return { payment, receipt: res.headers.get('x-sahara-receipt'), after }
    }

    await payOnce(true)
    const { payment, receipt, after } = await payOnce(false)
    await assertReplayRefused(s, 'x-payment', payment, receipt, after)
  })

  it('an unfunded payer: the node simulates payExact first and answers 402 payment_rejected with the token error; nothing moves', async () => {
    const { devnet } = s
    const before = await balances(s)
    const { wire, transport } = recordingFetch()
    const broke = walletClientFor(devnet.rpcUrl, generatePrivateKey(), localChain(devnet.chainId, devnet.rpcUrl))
    const paidFetch = wrapFetchWithPayment(transport, broke as Parameters<typeof wrapFetchWithPayment>[1], s.ppu.agent.unitPrice)
    const res = await paidFetch(`${s.node.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: CHAT })
    assert.equal(wire.length, 2, 'the stock client paid once and returned the answer')
    assert.ok(wire[1]!.req.headers.get('x-payment'))
    assert.equal(res.status, 402)
    const body = (await res.json()) as { code: string; error: string }
    assert.equal(body.code, 'payment_rejected')
    assert.match(body.error, /ERC20InsufficientBalance\(.*\).*nothing was charged/)
    assert.deepEqual(await balances(s), before)
  })
})
