// Crash safety of the execution node: paid load from concurrent lanes while the node process is
// SIGKILLed again and again and restarted on the same data dir. Afterwards the chain must hold,
// per lane, exactly what the client's receipts add up to — plus at most the calls that were in
// flight at a kill (paid and committed by the node, but the answer never reached the client) —
// and never a wei more; channel and vault totals must match the lanes to the wei.
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { erc20Abi, type Address } from 'viem'
import { type Devnet, type PayPerUseSeed } from '@sahara/devnet'
import { DEMO_NODE_FEE_BPS, type ExecutionSeed } from '@sahara/network'
import { createPaidClient, fetchWithExactPayment, type SaharaClient } from '@sahara/sdk'
import { startNodeProcess, type NodeProcess } from './utils/nodeProcess.ts'
import { startPaidNetwork, type PaidNetwork } from './utils/paidNetwork.ts'

const KILLS = 3

/** A port nothing listens on now (the kernel's pick, released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })
}
const CONCURRENCY = 6

describe('execution node crash safety', { timeout: 600_000 }, () => {
  let dir: string
  let devnet: Devnet
  let ppu: PayPerUseSeed
  let exec: ExecutionSeed
  let config: Record<string, unknown>
  let node: NodeProcess
  let payer: SaharaClient
  // logs of every node process of the run, printed when an assertion fails
  const logs: string[] = []

  before(async () => {
    ;({ dir, devnet, ppu, exec, config, node, payer } = await startPaidNetwork('sahara-crash-', { logLevel: 'info', settlement: { maxReceipts: 50, maxAgeMs: 300 } }))
  })
  after(async () => {
    await node?.kill()
    await devnet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it(`SIGKILL ${KILLS} times under paid load: nothing lost, nothing settled twice`, async () => {
    const price = ppu.agent.unitPrice
    const balance = (a: Address) => devnet.publicClient.readContract({ address: ppu.token, abi: erc20Abi, functionName: 'balanceOf', args: [a] })
    const operatorBefore = await balance(exec.operator)
    const paid = createPaidClient({
      publicClient: payer.publicClient,
      walletClient: payer.walletClient,
      deployments: devnet.deployments,
      maxPricePerCall: price,
      channel: { deposit: 5_000_000n, lanes: CONCURRENCY },
    })
    let url = node.url
    let running = true
    let answered = 0
    let failed = 0
    const body = JSON.stringify({ features: [39.1, 18.7, 181, 3750] })
    let lastError = ''
    const failures = new Map<string, number>()
    const countFailure = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1)
    const worker = async () => {
      while (running) {
        try {
          const res = await paid.fetch(`${url}/v1/invoke/${ppu.agent.assetId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
          const text = await res.text()
          if (res.ok) answered++
          else {
            failed++
            lastError = `${res.status} ${text}`
            countFailure(`${res.status} ${/"code":"(\w+)"/.exec(text)?.[1] ?? text.slice(0, 60)}`)
          }
        } catch (e) {
          lastError = (e as Error).message
          countFailure(lastError.slice(0, 60))
          failed++ // connection refused/reset while the node is down
          await new Promise((r) => setTimeout(r, 20))
        }
      }
    }
    const workers = Array.from({ length: CONCURRENCY }, worker)
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 1_500))
      await node.kill('SIGKILL')
      logs.push(node.output())
      node = await startNodeProcess(config, join(dir, 'node.json'))
      url = node.url
    }
    await new Promise((r) => setTimeout(r, 1_500))
    running = false
    await Promise.all(workers)
    await paid.waitForReceipts()
    // A clean stop settles everything, chain tails included.
    await node.kill('SIGTERM')
    logs.push(node.output())

    try {
      const receipts = paid.receipts()
      console.log(`crash test: ${answered} paid calls answered, ${failed} failed while the node was down or resyncing`)
      assert.ok(answered >= 20, `only ${answered} paid calls were answered (${failed} failed, last: ${lastError})`)
      assert.equal(receipts.length, answered)
      const channelId = paid.status().channels[0]!.channelId
      // Highest cumulative amount the client holds a receipt for, per lane.
      const held = new Map<bigint, bigint>()
      for (const r of receipts) {
        const lane = BigInt(r.receipt.fields.lane)
        const c = BigInt(r.receipt.fields.cumulative)
        if ((held.get(lane) ?? 0n) < c) held.set(lane, c)
      }
      let onChain = 0n
      for (const [lane, cumulative] of held) {
        const settled = await payer.getLaneSettled({ channelId, assetId: ppu.agent.assetId, lane })
        assert.ok(settled >= cumulative, `lane ${lane}: the chain settled ${settled}, below the client's receipts (${cumulative})`)
        // At most one call per lane was in flight at each kill.
        assert.ok(settled <= cumulative + price * BigInt(KILLS), `lane ${lane}: the chain settled ${settled}, more than receipts ${cumulative} + in-flight calls`)
        assert.equal(settled % price, 0n)
        onChain += settled
      }
      const channel = await payer.getChannel(channelId)
      assert.equal(channel.settled, onChain, 'the channel total equals the sum of its lanes')
      // The node's fee and the vault's part add up to what the channel settled, to the wei.
      assert.equal((await balance(exec.operator)) - operatorBefore, (onChain * BigInt(DEMO_NODE_FEE_BPS)) / 10_000n)
    } catch (e) {
      console.error('failures:', Object.fromEntries(failures))
      console.error(`node logs (${logs.length} processes):\n${logs.map((l, i) => `--- process ${i}\n${l}`).join('\n')}`)
      throw e
    }
  })
})

// The same for x402 exact payments: every call is one EIP-3009 authorization that the node submits
// itself. A kill can land after payExact was mined and before the answer went out; the client
// (the SDK's fetchWithExactPayment) sends the same header again once the node is back, and the
// node answers from its record and the chain. Afterwards every payment on-chain has exactly one
// answered call, and no answered call was paid twice.
describe('execution node crash safety: x402 exact payments', { timeout: 600_000 }, () => {
  let net: PaidNetwork
  const logs: string[] = []

  before(async () => {
    // one port for every restart, as an operator's node has: a client retrying a header finds it again
    net = await startPaidNetwork('sahara-crash-exact-', { logLevel: 'info', port: await freePort(), settlement: { maxReceipts: 50, maxAgeMs: 300 } })
  })
  after(async () => {
    await net?.node.kill()
    await net?.devnet.stop()
    if (net) rmSync(net.dir, { recursive: true, force: true })
  })

  it(`SIGKILL ${KILLS} times under exact-paid load: every payment mined is answered once, none is charged twice`, async () => {
    const { devnet, ppu, exec } = net
    const price = ppu.agent.unitPrice
    const balance = (a: Address) => devnet.publicClient.readContract({ address: ppu.token, abi: erc20Abi, functionName: 'balanceOf', args: [a] })
    const payerBefore = await balance(net.payer.account!)
    const operatorBefore = await balance(exec.operator)
    const o = { publicClient: devnet.publicClient, walletClient: net.payer.walletClient!, deployments: devnet.deployments, maxPrice: price, retry: { attempts: 60, delayMs: 250 } }
    const url = net.node.url
    let running = true
    const transactions = new Set<string>()
    let answered = 0
    const failures = new Map<string, number>()
    const body = JSON.stringify({ features: [39.1, 18.7, 181, 3750] })
    const worker = async () => {
      while (running) {
        try {
          const { response, paid } = await fetchWithExactPayment(o, `${url}/v1/invoke/${ppu.agent.assetId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
          const text = await response.text()
          if (paid) {
            answered++
            transactions.add(paid.transaction)
          } else failures.set(`${response.status} ${text.slice(0, 80)}`, (failures.get(`${response.status} ${text.slice(0, 80)}`) ?? 0) + 1)
        } catch (e) {
          // the unpaid probe hit the node while it was down: nothing was signed yet
          const m = (e as Error).message.slice(0, 80)
          failures.set(m, (failures.get(m) ?? 0) + 1)
          await new Promise((r) => setTimeout(r, 50))
        }
      }
    }
    const workers = Array.from({ length: CONCURRENCY }, worker)
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 1_500))
      await net.node.kill('SIGKILL')
      logs.push(net.node.output())
      net.node = await startNodeProcess(net.config, join(net.dir, 'node.json'))
      assert.equal(net.node.url, url)
    }
    await new Promise((r) => setTimeout(r, 1_500))
    running = false
    await Promise.all(workers)
    await net.node.kill('SIGTERM')
    logs.push(net.node.output())

    try {
      console.log(`crash test (exact): ${answered} paid calls answered; not paid: ${JSON.stringify(Object.fromEntries(failures))}`)
      assert.ok(answered >= 10, `only ${answered} exact calls were answered`)
      assert.equal(transactions.size, answered, 'every answered call has its own payment')
      const paidOnChain = payerBefore - (await balance(net.payer.account!))
      assert.equal(paidOnChain % price, 0n)
      assert.equal(paidOnChain / price, BigInt(answered), 'every payment that reached the chain was answered, and only once')
      assert.equal((await balance(exec.operator)) - operatorBefore, BigInt(answered) * ((price * BigInt(DEMO_NODE_FEE_BPS)) / 10_000n))
      // the receipts of identical calls are distinct (lane = nonce): every receipts root was new to the chain
      assert.deepEqual(logs.flatMap((l) => l.split('\n').filter((line) => /settlement_(failed|reverted)/.test(line))), [])
    } catch (e) {
      console.error(`node logs (${logs.length} processes):\n${logs.map((l, i) => `--- process ${i}\n${l}`).join('\n')}`)
      throw e
    }
  })
})
