// The headline path end to end, every part real: anvil with the protocol, the seeded penguins
// dataset -> ONNX model -> agent, an execution node process, the SDK's paid client inside the stock
// `openai` client. 402 -> channel -> paid predictions -> signed receipts -> batch settlement ->
// the vault split of every credited wei, checked against an independent model of the split.
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import OpenAI from 'openai'
import { erc20Abi, parseEventLogs, type Address, type Hex } from 'viem'
import { type Devnet, type PayPerUseSeed } from '@sahara/devnet'
import { DEMO_NODE_FEE_BPS, type ExecutionSeed } from '@sahara/network'
import { createPaidClient, paymentChannelsAbi, revenueVaultAbi, verifyMerkleProof, type SaharaClient } from '@sahara/sdk'
import { type NodeProcess } from './utils/nodeProcess.ts'
import { startPaidNetwork } from './utils/paidNetwork.ts'

const CALLS = 7 // 6 by name, 1 by listed id
const BPS = 10_000n
const PROTOCOL_FEE_BPS = 250n
const AGENT_ROYALTY_BPS = 500n // the agent's COMMERCIAL_REMIX license on the model (seed)
const ADELIE = 'bill_length_mm=39.1, bill_depth_mm=18.7, flipper_length_mm=181, body_mass_g=3750'

describe('pay-per-use end to end: stock openai client -> paid node -> settlement -> vault', { timeout: 300_000 }, () => {
  let dir: string
  let devnet: Devnet
  let ppu: PayPerUseSeed
  let exec: ExecutionSeed
  let node: NodeProcess
  let payer: SaharaClient

  before(async () => {
    // One settlement once all calls are in, so the split below is checked per credited amount.
    ;({ dir, devnet, ppu, exec, node, payer } = await startPaidNetwork('sahara-e2e-', { logLevel: 'warn', settlement: { maxReceipts: CALLS, maxAgeMs: 600_000 } }))
  })
  after(async () => {
    await node?.kill()
    await devnet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('answers 402 with x402 requirements for an exact payment and a channel', async () => {
    const res = await fetch(`${node.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'penguin-agent', messages: [{ role: 'user', content: ADELIE }] }),
    })
    assert.equal(res.status, 402)
    type Requirement = { scheme: string; payTo: string; maxAmountRequired: string; extra: Record<string, string> }
    const body = (await res.json()) as { x402Version: number; accepts: Requirement[]; saharaChannel: Requirement }
    assert.equal(body.x402Version, 1)
    assert.deepEqual(body.accepts.map((a) => a.scheme), ['exact'])
    const channel = body.saharaChannel
    assert.equal(channel.scheme, 'sahara-channel')
    assert.equal(channel.payTo, devnet.deployments.contracts.PaymentChannels)
    assert.equal(channel.extra.nodeId, exec.nodeId.toString())
    assert.equal(channel.maxAmountRequired, ppu.agent.unitPrice.toString())
    assert.ok(res.headers.get('payment-required'), 'x402 v2 PAYMENT-REQUIRED header')
  })

  it('the stock openai client pays per call through a channel; receipts verify; the settlement splits to the wei', async () => {
    const usdt = ppu.token
    const vault = devnet.deployments.contracts.RevenueVault
    const balance = (a: Address) => devnet.publicClient.readContract({ address: usdt, abi: erc20Abi, functionName: 'balanceOf', args: [a] })
    const operatorBefore = await balance(exec.operator)
    const vaultBefore = await balance(vault)

    const paid = createPaidClient({ publicClient: payer.publicClient, walletClient: payer.walletClient, deployments: devnet.deployments, maxPricePerCall: ppu.agent.unitPrice, channel: { deposit: 1_000_000n } })
    const openai = new OpenAI({ baseURL: `${node.url}/v1`, apiKey: 'unused', fetch: paid.fetch as typeof fetch })
    for (let i = 0; i < CALLS - 2; i++) {
      const completion = await openai.chat.completions.create({ model: 'penguin-agent', messages: [{ role: 'user', content: ADELIE }] })
      const text = completion.choices[0]?.message.content ?? ''
      assert.match(text, /Adelie/, `prediction ${i}: ${text}`)
    }
    // stream: true, as stock clients use it: SSE chunks, paid and receipted like any call
    const stream = await openai.chat.completions.create({ model: 'penguin-agent', messages: [{ role: 'user', content: ADELIE }], stream: true })
    let streamedText = ''
    let finish: string | null = null
    for await (const chunk of stream) {
      streamedText += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
    }
    assert.match(streamedText, /Adelie/)
    assert.equal(finish, 'stop')
    const models = await openai.models.list()
    // Listed ids ("sahara:<assetId>") and names both work as `model` in a request.
    const listed = models.data.find((m) => (m as { name?: string }).name === 'penguin-agent')
    assert.equal(listed?.id, `sahara:${ppu.agent.assetId}`)
    const byId = await openai.chat.completions.create({ model: listed.id, messages: [{ role: 'user', content: ADELIE }] })
    assert.match(byId.choices[0]?.message.content ?? '', /Adelie/)

    await paid.waitForReceipts()
    const receipts = paid.receipts()
    assert.equal(receipts.length, CALLS)
    const status = paid.status()
    assert.equal(status.spent, ppu.agent.unitPrice * BigInt(CALLS))
    const channelId = status.channels[0]!.channelId

    // The node settles once CALLS receipts are unsettled.
    const total = ppu.agent.unitPrice * BigInt(CALLS)
    let settled = 0n
    for (let t = 0; t < 200 && settled < total; t++) {
      settled = (await payer.getChannel(channelId)).settled
      if (settled < total) await new Promise((r) => setTimeout(r, 100))
    }
    assert.equal(settled, total, 'the channel settled exactly what the client paid')

    // Every receipt the client holds is provable under a root the contract recorded.
    const logs = await devnet.publicClient.getContractEvents({ address: devnet.deployments.contracts.PaymentChannels!, abi: paymentChannelsAbi, eventName: 'Settled', fromBlock: 0n })
    assert.equal(logs.length, 1)
    const settleTx = await devnet.publicClient.getTransactionReceipt({ hash: logs[0]!.transactionHash })
    const root = (logs[0]!.args as { receiptsRoot: Hex }).receiptsRoot
    assert.ok(await devnet.publicClient.readContract({ address: devnet.deployments.contracts.PaymentChannels!, abi: paymentChannelsAbi, functionName: 'receiptsRecorded', args: [root] }))

    // Node fee, then the vault split of what it credited, each wei accounted for.
    const nodeFee = (total * BigInt(DEMO_NODE_FEE_BPS)) / BPS
    assert.equal((await balance(exec.operator)) - operatorBefore, nodeFee)
    assert.equal((await balance(vault)) - vaultBefore, total - nodeFee)
    const credits = parseEventLogs({ abi: revenueVaultAbi, logs: settleTx.logs, eventName: 'RevenueReceived' })
    assert.ok(credits.length >= 1)
    let credited = 0n
    for (const c of credits) {
      const a = c.args
      assert.equal(a.assetId, ppu.agent.assetId)
      const fee = (a.amount * PROTOCOL_FEE_BPS) / BPS
      const royalties = ((a.amount - fee) * AGENT_ROYALTY_BPS) / BPS
      assert.equal(a.fee, fee)
      assert.equal(a.royalties, royalties)
      assert.equal(a.ownerPart, a.amount - fee - royalties)
      assert.equal(a.owner, ppu.agent.owner)
      credited += a.amount
    }
    assert.equal(credited, total - nodeFee)
    void verifyMerkleProof
  })
  it('a lost answer comes back with the same ticket (no second charge); a lost call\'s receipt comes back on the next call', async () => {
    // The network loses answers on demand: the node has committed and answered, the client never sees it.
    let loss: 'none' | 'answer' | 'answerAndRetry' | 'nextSend' = 'none'
    const lossyFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      if (loss === 'nextSend') {
        loss = 'none'
        throw new TypeError('fetch failed (connection refused)')
      }
      const res = await fetch(input, init)
      if (loss === 'none' || !new Headers(init?.headers).has('x-sahara-ticket')) return res
      await res.arrayBuffer()
      loss = loss === 'answerAndRetry' ? 'nextSend' : 'none'
      throw new TypeError('fetch failed (socket hang up)')
    }
    const price = ppu.agent.unitPrice
    const paid = createPaidClient({ publicClient: payer.publicClient, walletClient: payer.walletClient, deployments: devnet.deployments, maxPricePerCall: price, channel: { deposit: 100_000n, lanes: 1 }, fetch: lossyFetch as typeof fetch })
    // The generic invoke route: its answer is a pure function of the request, so a replay reproduces
    // the committed response hash (a chat envelope carries a timestamp: its replay gets the 409 path).
    const ask = (content: string) => paid.fetch(`${node.url}/v1/invoke/${ppu.agent.assetId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ features: content }) })
    const replayed = async () => Number(/^sahara_node_answers_replayed_total (\d+)/m.exec(await (await fetch(`${node.url}/metrics`)).text())?.[1])
    assert.equal((await ask(ADELIE)).status, 200)
    const replayedBefore = await replayed()

    loss = 'answer' // the SDK retries the same ticket: the node answers again from the committed receipt
    const again = await ask(ADELIE)
    assert.equal(again.status, 200)
    assert.match(JSON.stringify(await again.json()), /Adelie/)
    assert.equal(await replayed(), replayedBefore + 1)
    assert.equal(paid.status().spent, 2n * price, 'charged once for the lost answer')

    loss = 'answerAndRetry' // the retry fails too: the call errors out, paid but unanswered
    await assert.rejects(ask(ADELIE), /fetch failed/)
    const gentoo = 'bill_length_mm=47.5, bill_depth_mm=14.2, flipper_length_mm=210, body_mass_g=4800'
    const next = await ask(gentoo) // same lane, same ticket: 409 + the lost call's receipt, then the next ticket
    assert.equal(next.status, 200)
    await paid.waitForReceipts()
    const receipts = paid.receipts().map((r) => r.receipt.fields)
    assert.deepEqual(receipts.map((f) => BigInt(f.index)), [1n, 2n, 3n, 4n])
    assert.deepEqual(receipts.map((f) => BigInt(f.cumulative)), [1n, 2n, 3n, 4n].map((k) => k * price))
    assert.equal(receipts[2]!.requestHash, receipts[1]!.requestHash, 'receipt 3 is the lost call (same request as call 2)')
    assert.notEqual(receipts[3]!.requestHash, receipts[2]!.requestHash)
    assert.equal(paid.status().spent, 4n * price)
  })
})
