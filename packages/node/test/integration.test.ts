/**
 * End to end on a real anvil devnet (seeded: penguins dataset -> ONNX model -> agent in the content
 * store): register a node, open a channel, 402 -> paid ONNX agent calls -> receipts -> settlement,
 * then check laneSettled, channel.settled and the token balances of the vault and the operator to
 * the wei.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startDevnet, walletClientFor, type Devnet } from '@sahara/devnet'
import { createPaidClient, devStablecoinAbi, nodeRegistryAbi, paymentChannelsAbi, saharaTokenAbi } from '@sahara/sdk'
import { defineChain, erc20Abi, parseEventLogs, parseTransaction, zeroAddress, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { parseConfig, type NodeConfig } from '../src/config.ts'
import { startNode, type RunningNode } from '../src/node.ts'
import { createViemChain } from '../src/chain/viemChain.ts'
import { LaneClient, decodeReceiptHeader, post } from './helpers.ts'

const FEE_BPS = 1_000
const DEPOSIT = 1_000_000n

describe('integration: anvil devnet', () => {
  let dir: string
  let devnet: Devnet
  let node: RunningNode
  let channelId: bigint
  let nodeId: bigint
  let agentId: bigint
  let unitPrice: bigint
  let usdt: Address
  let operator: Address
  let payerKey: Hex
  let operatorKey: Hex
  let config: NodeConfig
  let wallet: (key: Hex) => any
  const bal = (a: Address) => devnet.publicClient.readContract({ address: usdt, abi: erc20Abi, functionName: 'balanceOf', args: [a] })

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sahara-node-it-'))
    devnet = await startDevnet({ dataDir: join(dir, 'devnet'), port: 0, fresh: true, seed: true })
    const d = devnet.deployments.contracts as Record<string, Address>
    const chain = defineChain({ id: devnet.chainId, name: 'devnet', nativeCurrency: { name: 'ETH', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [devnet.rpcUrl] } } })
    // the devnet wallet: gas estimated for the next second with headroom (register touches NodeStaking)
    wallet = (key: Hex) => walletClientFor(devnet.rpcUrl, key, chain)
    const send = async (key: Hex, address: Address, abi: readonly unknown[], functionName: string, args: unknown[]) => {
      const hash = await wallet(key).writeContract({ address, abi: abi as never, functionName: functionName as never, args: args as never })
      const r = await devnet.publicClient.waitForTransactionReceipt({ hash })
      assert.equal(r.status, 'success', `${functionName} reverted`)
      return r
    }
    const ppu = devnet.seed!.payPerUse!
    agentId = ppu.agent.assetId
    unitPrice = ppu.agent.unitPrice
    usdt = ppu.token
    const admin = devnet.accounts[0]!
    const op = devnet.accounts[7]!
    const payer = devnet.accounts[4]!
    operator = op.address
    payerKey = payer.privateKey
    operatorKey = op.privateKey
    const stake = 1_000n * 10n ** 18n
    await send(admin.privateKey, d.SaharaToken!, saharaTokenAbi, 'transfer', [op.address, stake])
    await send(op.privateKey, d.SaharaToken!, saharaTokenAbi, 'approve', [d.NodeRegistry!, stake])
    const reg = await send(op.privateKey, d.NodeRegistry!, nodeRegistryAbi, 'register', ['http://127.0.0.1', op.address, stake])
    nodeId = parseEventLogs({ abi: nodeRegistryAbi, logs: reg.logs, eventName: 'NodeRegistered' })[0]!.args.nodeId
    await send(op.privateKey, d.NodeRegistry!, nodeRegistryAbi, 'serveAsset', [nodeId, agentId, FEE_BPS])
    await send(payer.privateKey, usdt, devStablecoinAbi, 'faucet', [payer.address, DEPOSIT])
    await send(payer.privateKey, usdt, erc20Abi, 'approve', [d.PaymentChannels!, DEPOSIT])
    const open = await send(payer.privateKey, d.PaymentChannels!, paymentChannelsAbi, 'open', [nodeId, usdt, DEPOSIT, zeroAddress])
    channelId = parseEventLogs({ abi: paymentChannelsAbi, logs: open.logs, eventName: 'ChannelOpened' })[0]!.args.channelId
    config = parseConfig({
      dataDir: join(dir, 'node'),
      port: 0,
      rpcUrl: devnet.rpcUrl,
      deploymentsFile: devnet.deploymentsFile,
      contentDir: devnet.contentDir,
      nodeId: nodeId.toString(),
      signerPrivateKey: op.privateKey,
      logLevel: 'silent',
      // Tails only when forced, so the round below exercises the voucher-only (m = 0) entry.
      settlement: { maxTailUnits: 0 },
      assets: [{ assetId: agentId.toString(), name: 'penguin-agent', runtime: 'agent', unitPrice: unitPrice.toString(), token: usdt, tokenName: 'Tether USD (Sahara devnet)' }],
    })
    node = await startNode(config, { manualSettlement: true })
  })
  after(async () => {
    await node?.close({ settle: false })
    await devnet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('402 -> channel -> paid ONNX agent calls -> receipts -> settlement, balances to the wei', async () => {
    const health = (await (await fetch(`${node.url}/health`)).json()) as { assets: { available: boolean; reason?: string }[] }
    assert.equal(health.assets[0]!.available, true, health.assets[0]!.reason)
    const chat = { model: 'penguin-agent', messages: [{ role: 'user', content: 'bill_length_mm=39.1, bill_depth_mm=18.7, flipper_length_mm=181, body_mass_g=3750' }] }
    const unpaid = await post(`${node.url}/v1/chat/completions`, chat)
    assert.equal(unpaid.status, 402)
    assert.equal(unpaid.json.saharaChannel.extra.nodeId, nodeId.toString())

    const c = new LaneClient(channelId, agentId, 0n, 8)
    const domain = { chainId: devnet.chainId, verifyingContract: devnet.deployments.contracts.PaymentChannels as Address }
    await c.newChain(0n, { key: payerKey, domain, unitPrice })
    const calls = 11
    for (let i = 0; i < calls; i++) {
      if (c.index === 8) await c.newChain(c.total(), { key: payerKey, domain, unitPrice })
      const r = await post(`${node.url}/v1/chat/completions`, chat, c.next())
      assert.equal(r.status, 200, JSON.stringify(r.json))
      const answer = JSON.parse(r.json.choices[0].message.content)
      assert.equal(typeof answer.label, 'string')
      const rc = decodeReceiptHeader(r.headers.get('x-sahara-receipt'))
      assert.equal(rc.version, String(devnet.seed!.payPerUse!.agent.version))
    }
    const vault = devnet.deployments.contracts.RevenueVault as Address
    const [vault0, op0] = await Promise.all([bal(vault), bal(operator)])
    await node.settle() // voucher 2 (cumulative 8 units) with m = 0
    const pc = devnet.deployments.contracts.PaymentChannels as Address
    const laneSettled = () => devnet.publicClient.readContract({ address: pc, abi: paymentChannelsAbi, functionName: 'laneSettled', args: [channelId, agentId, 0n] })
    assert.equal(await laneSettled(), 8n * unitPrice)
    // the node's view follows the chain (read from the settlement's LaneSettled events)
    assert.equal(node.internals.processor.lanes.get(`${channelId}.${agentId}.0`)!.settled, 8n * unitPrice)
    await node.close() // shutdown: the chain tail (3 units)
    const total = BigInt(calls) * unitPrice
    assert.equal(await laneSettled(), total)
    const ch = await devnet.publicClient.readContract({ address: pc, abi: paymentChannelsAbi, functionName: 'channel', args: [channelId] })
    assert.equal(ch.settled, total)
    const fee1 = (8n * unitPrice * BigInt(FEE_BPS)) / 10_000n
    const fee2 = (3n * unitPrice * BigInt(FEE_BPS)) / 10_000n
    assert.equal((await bal(operator)) - op0, fee1 + fee2)
    assert.equal((await bal(vault)) - vault0, total - fee1 - fee2)
  })

  it('the SDK paid client (createPaidClient) pays this node: 402 -> channel -> vouchers/tickets -> verified receipts', async () => {
    node = await startNode(config, { manualSettlement: true })
    const payer = devnet.accounts[5]!
    const faucet = await wallet(payer.privateKey).writeContract({ address: usdt, abi: devStablecoinAbi, functionName: 'faucet', args: [payer.address, 100_000n], chain: undefined, account: privateKeyToAccount(payer.privateKey) } as never)
    await devnet.publicClient.waitForTransactionReceipt({ hash: faucet })
    const paid = createPaidClient({
      publicClient: devnet.publicClient,
      walletClient: wallet(payer.privateKey) as never,
      deployments: devnet.deployments,
      maxPricePerCall: unitPrice,
      channel: { deposit: 50_000n, lanes: 2, chainLength: 4 },
    })
    const chat = { model: `sahara:${agentId}`, messages: [{ role: 'user', content: '[39.1, 18.7, 181, 3750]' }] }
    for (let i = 0; i < 6; i++) {
      const r = await paid.fetch(`${node.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chat) })
      assert.equal(r.status, 200, await r.clone().text())
      assert.equal(typeof JSON.parse(((await r.json()) as any).choices[0].message.content).label, 'string')
    }
    await paid.waitForReceipts()
    assert.equal(paid.receipts().length, 6)
  })
  it('nonces: a revert in estimation leaves no gap; concurrent signings get distinct nonces; all land', async () => {
    const d = devnet.deployments.contracts as Record<string, Address>
    const chain = createViemChain({ rpcUrl: devnet.rpcUrl, chainId: devnet.chainId, privateKey: operatorKey, paymentChannels: d.PaymentChannels!, exactPayments: d.ExactPayments!, assetRegistry: d.AssetRegistry! })
    try {
      const empty = { nodeId, token: usdt, entries: [], receiptsRoot: `0x${'00'.repeat(32)}` as Hex, receiptCount: 0n }
      await assert.rejects(chain.signSettle(empty), /EmptySettlement/)
      await assert.rejects(chain.signSettle(empty), /EmptySettlement/)
      const pending = await devnet.publicClient.getTransactionCount({ address: operator, blockTag: 'pending' })
      const tx = await chain.signSettle({ ...empty, receiptsRoot: `0x${'ab'.repeat(32)}`, receiptCount: 1n })
      assert.equal(parseTransaction(tx.raw).nonce, pending)
      await chain.sendRaw(tx)
      assert.equal(await chain.waitTx(tx.hash, 10_000), 'success')
      // signed concurrently (a settlement round and an x402 payment do): distinct nonces, all land
      const txs = await Promise.all([1, 2, 3].map((i) => chain.signSettle({ ...empty, receiptsRoot: `0x${i.toString(16).padStart(64, '0')}`, receiptCount: 1n })))
      assert.deepEqual(txs.map((t) => parseTransaction(t.raw).nonce).sort(), [pending + 1, pending + 2, pending + 3])
      for (const t of txs) await chain.sendRaw(t)
      for (const t of txs) assert.equal(await chain.waitTx(t.hash, 10_000), 'success')
    } finally {
      chain.close()
    }
  })
})
