// "Anyone holding a receipt can prove it was recorded", every part real: anvil with the protocol,
// the seeded agent, a node process that settles every few receipts, the SDK's paid client. For
// every receipt the client holds: the node's top proof (GET /v1/receipts/groups/<root>) joined to
// the receipt's own proof verifies on-chain (PaymentChannels.verifyReceipt) under a recorded root,
// also after the node was SIGKILLed and restarted; tampered receipts and proofs do not; the CLI's
// `sahara receipt verify` says the same with its exit code.
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { parseEventLogs, type Hex } from 'viem'
import { type Devnet, type PayPerUseSeed } from '@sahara/devnet'
import { type ExecutionSeed } from '@sahara/network'
import {
  ReceiptNotSettledError,
  createPaidClient,
  encodeReceiptHeader,
  paymentChannelsAbi,
  proveReceipt,
  receiptLeaf,
  verifyReceiptOnChain,
  type PaidReceipt,
  type ReceiptProof,
  type SaharaClient,
} from '@sahara/sdk'
import { startNodeProcess, type NodeProcess } from './utils/nodeProcess.ts'
import { startPaidNetwork } from './utils/paidNetwork.ts'
import { runSahara } from './utils/cli.ts'

const ADELIE = 'bill_length_mm=39.1, bill_depth_mm=18.7, flipper_length_mm=181, body_mass_g=3750'

describe('receipt proofs end to end: paid calls -> settlements -> every receipt verifies on-chain', { timeout: 300_000 }, () => {
  let dir: string
  let devnet: Devnet
  let ppu: PayPerUseSeed
  let exec: ExecutionSeed
  let node: NodeProcess
  let payer: SaharaClient
  let config: Record<string, unknown>
  let receipts: readonly PaidReceipt[] = []
  const proofs = new Map<string, ReceiptProof>()

  const sahara = (args: string[]) => runSahara(devnet, args, { cwd: dir })

  before(async () => {
    // Settle every 3 receipts (and anything older than 1 s): several settlements, several roots.
    ;({ dir, devnet, ppu, exec, config, node, payer } = await startPaidNetwork('sahara-e2e-proof-', { logLevel: 'warn', settlement: { maxReceipts: 3, maxAgeMs: 1000 } }))
  })
  after(async () => {
    await node?.kill()
    await devnet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('every receipt the client holds is proven under a recorded receipts root', async () => {
    const paid = createPaidClient({ publicClient: payer.publicClient, walletClient: payer.walletClient, deployments: devnet.deployments, maxPricePerCall: ppu.agent.unitPrice, channel: { deposit: 1_000_000n } })
    const ask = async () => {
      const res = await paid.fetch(`${node.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'penguin-agent', messages: [{ role: 'user', content: ADELIE }] }),
      })
      assert.equal(res.status, 200, await res.clone().text())
      assert.match(await res.text(), /Adelie/)
    }
    for (let i = 0; i < 5; i++) await ask()
    // wait for a settlement before the next calls, so they land in another one
    await paid.waitForReceipts()
    await proveReceipt(paid.receipts().at(-1)!.receipt, { nodeUrl: node.url, waitMs: 30_000, intervalMs: 200 })
    await Promise.all([ask(), ask(), ask()]) // concurrent calls: more lanes, groups of several receipts
    await paid.waitForReceipts()
    receipts = paid.receipts()
    assert.equal(receipts.length, 8)

    const settledLogs = new Map<Hex, { tx: Hex; block: bigint }>()
    for (const { receipt } of receipts) {
      const p = await proveReceipt(receipt, { nodeUrl: node.url, waitMs: 30_000, intervalMs: 200 })
      assert.equal(p.status, 'settled')
      assert.deepEqual(p.proof.slice(0, receipt.proof.length), receipt.proof)
      const check = await verifyReceiptOnChain(devnet.publicClient, devnet.deployments, receipt, p)
      assert.equal(check.valid, true, `verifyReceipt for ${receipt.leaf}`)
      assert.equal(check.recorded, true)
      assert.equal(check.ok, true)
      assert.equal(check.recordedBy, exec.nodeId)
      assert.equal(check.recordedByReceiptNode, true)
      assert.ok(check.receiptCount >= 1n)
      // the transaction the node names is the one that recorded this root, in the block it names
      if (!settledLogs.has(p.receiptsRoot)) {
        const tx = await devnet.publicClient.getTransactionReceipt({ hash: p.txHash })
        const events = parseEventLogs({ abi: paymentChannelsAbi, logs: tx.logs, eventName: 'Settled' })
        assert.ok(events.some((e) => (e.args as { receiptsRoot: Hex }).receiptsRoot === p.receiptsRoot), 'Settled event with the root')
        settledLogs.set(p.receiptsRoot, { tx: p.txHash, block: tx.blockNumber })
      }
      assert.equal(p.blockNumber, settledLogs.get(p.receiptsRoot)!.block)
      proofs.set(receipt.leaf, p)
    }
    assert.ok(settledLogs.size >= 2, `several settlements (${settledLogs.size})`)
  })

  it('tampered receipts and proofs do not verify on-chain', async () => {
    const { receipt } = receipts.find((r) => proofs.get(r.receipt.leaf)!.proof.length > 0)!
    const p = proofs.get(receipt.leaf)!
    const pricier = { ...receipt, fields: { ...receipt.fields, price: receipt.fields.price + 1n } }
    const c1 = await verifyReceiptOnChain(devnet.publicClient, devnet.deployments, pricier, p)
    assert.equal(c1.valid, false)
    assert.equal(c1.ok, false)
    const flipped = p.proof.map((s, i) => (i === 0 ? ((s.slice(0, -1) + (s.endsWith('0') ? '1' : '0')) as Hex) : s))
    assert.equal((await verifyReceiptOnChain(devnet.publicClient, devnet.deployments, receipt, { ...p, proof: flipped })).ok, false)
    // a proof to a root nobody recorded: the walk may succeed, the recording check does not
    const c3 = await verifyReceiptOnChain(devnet.publicClient, devnet.deployments, receipt, { receiptsRoot: receipt.leaf, proof: [] })
    assert.equal(c3.valid, true)
    assert.equal(c3.recorded, false)
    assert.equal(c3.ok, false)
    // a self-consistent receipt (leaf = hash of its fields, a one-leaf group) the node never issued
    const forgedFields = { ...receipt.fields, price: receipt.fields.price + 1n }
    const forgedLeaf = receiptLeaf(forgedFields)
    await assert.rejects(proveReceipt({ ...receipt, fields: forgedFields, leaf: forgedLeaf, groupRoot: forgedLeaf, proof: [] }, { nodeUrl: node.url }), /does not know receipt group/)
    // and a receipt whose leaf is not the hash of its fields is refused before asking
    await assert.rejects(proveReceipt(pricier, { nodeUrl: node.url }), /leaf is not the hash of its fields/)
  })

  it('the proofs survive a crash: SIGKILL, restart on the same store, same answers', async () => {
    await node.kill('SIGKILL')
    node = await startNodeProcess(config, join(dir, 'node.json'))
    for (const { receipt } of receipts) {
      const p = await proveReceipt(receipt, { nodeUrl: `${node.url}/v1` })
      assert.deepEqual(p, proofs.get(receipt.leaf))
    }
  })

  it('a receipt not settled yet is reported as such', async () => {
    // a fresh call on a node that will not settle for a while
    await node.kill('SIGTERM')
    node = await startNodeProcess({ ...config, settlement: { maxReceipts: 1000, maxAgeMs: 600_000 } }, join(dir, 'node.json'))
    const paid = createPaidClient({ publicClient: payer.publicClient, walletClient: payer.walletClient, deployments: devnet.deployments, maxPricePerCall: ppu.agent.unitPrice, channel: { deposit: 100_000n } })
    const res = await paid.fetch(`${node.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'penguin-agent', messages: [{ role: 'user', content: ADELIE }] }),
    })
    assert.equal(res.status, 200, await res.clone().text())
    await paid.waitForReceipts()
    const fresh = paid.receipts()[0]!
    await assert.rejects(proveReceipt(fresh.receipt, { nodeUrl: node.url }), (e: unknown) => e instanceof ReceiptNotSettledError)

    // the CLI: recorded -> exit 0 with where; unsettled or tampered -> exit 1
    const ok = await sahara(['receipt', 'verify', receipts[0]!.header, '--node', node.url, '--json'])
    assert.equal(ok.code, 0, ok.stderr)
    const out = JSON.parse(ok.stdout) as { recorded: boolean; receipts: { recorded: boolean; txHash: string; receiptsRoot: string; blockNumber: string; signedByNode: boolean }[] }
    assert.equal(out.recorded, true)
    const p0 = proofs.get(receipts[0]!.receipt.leaf)!
    assert.equal(out.receipts[0]!.txHash, p0.txHash)
    assert.equal(out.receipts[0]!.receiptsRoot, p0.receiptsRoot)
    assert.equal(out.receipts[0]!.blockNumber, p0.blockNumber!.toString())
    assert.equal(out.receipts[0]!.signedByNode, true)
    const human = await sahara(['receipt', 'verify', receipts[1]!.header, '--node', node.url])
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stdout, /recorded on-chain \(node #\d+, group \d+\)/)
    assert.match(human.stdout, new RegExp(`settlement tx\\s+${proofs.get(receipts[1]!.receipt.leaf)!.txHash}`))

    const unsettled = await sahara(['receipt', 'verify', fresh.header, '--node', node.url, '--json'])
    assert.equal(unsettled.code, 1)
    assert.equal((JSON.parse(unsettled.stdout) as { recorded: boolean }).recorded, false)
    assert.match(unsettled.stderr, /1 of 1 receipt\(s\) not recorded on-chain/)

    const r0 = receipts[0]!.receipt
    const tamperedHeader = encodeReceiptHeader({ ...r0, fields: { ...r0.fields, price: r0.fields.price * 2n } })
    const file = join(dir, 'receipts.jsonl')
    writeFileSync(file, [receipts[2]!, { header: tamperedHeader, url: `${node.url}/v1/chat/completions` }].map((r) => JSON.stringify({ at: 'x', url: `${node.url}/v1/chat/completions`, receipt: r.header })).join('\n') + '\n')
    const tampered = await sahara(['receipt', 'verify', file, '--json'])
    assert.equal(tampered.code, 1)
    const t = JSON.parse(tampered.stdout) as { receipts: { recorded: boolean; signedByNode?: boolean }[] }
    assert.deepEqual(t.receipts.map((x) => x.recorded), [true, false])
    assert.equal(t.receipts[1]!.signedByNode, false)
  })
})
