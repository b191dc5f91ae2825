// `sahara node ...`, `sahara channel ...` and `sahara call` with the real bin against a devnet
// (real anvil) with the pay-per-use contracts. `call` talks to an in-process test double of the
// node's HTTP payment protocol that looks channels and the node signer up on the same chain.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import {
  createSaharaClient,
  loadDeploymentsFile,
  onChainBackend,
  parseAmount,
  paymentsDomain,
  saharaTokenAbi,
  type Deployments,
} from '@sahara/sdk'
import { createPublicClient, createWalletClient, defineChain, http, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { waitForTransactionReceipt, writeContract } from 'viem/actions'
import { FakeNode } from '../../sdk/test/utils/fakeNode.ts'
import { TEST_MIN_STAKE, ensureExecutionContracts } from '../../sdk/test/utils/execution.ts'
import { useCliTestDevnet } from './utils/devnet.ts'

const bin = fileURLToPath(new URL('../bin/sahara.mjs', import.meta.url))
type Run = { code: number; stdout: string; stderr: string }

describe('sahara node / channel / call', { timeout: 600_000 }, () => {
  const net = useCliTestDevnet('sahara-cli-pay-')
  const key = (i: number) => net.devnet.accounts[i]!.privateKey
  const addr = (i: number) => net.devnet.accounts[i]!.address
  let deployments: Deployments
  let node: FakeNode
  let rpc: (method: string, params: unknown[]) => Promise<unknown>

  function sahara(args: string[], opts: { key?: number; env?: Record<string, string> } = {}): Promise<Run> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...opts.env }
    const full = ['--rpc-url', net.devnet.rpcUrl, '--deployments', net.devnet.deploymentsFile, ...args]
    if (opts.key !== undefined) full.unshift('--private-key', key(opts.key))
    return new Promise((resolve) => {
      execFile(process.execPath, [bin, ...full], { env, cwd: net.dir, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
      })
    })
  }
  async function json<T = any>(args: string[], opts: Parameters<typeof sahara>[1] = {}): Promise<T> {
    const r = await sahara([...args, '--json'], opts)
    assert.equal(r.code, 0, `sahara ${args.join(' ')} failed: ${r.stderr}`)
    return JSON.parse(r.stdout) as T
  }
  async function fails(args: string[], code: number, message: RegExp, opts: Parameters<typeof sahara>[1] = {}): Promise<void> {
    const r = await sahara(args, opts)
    assert.equal(r.code, code, `sahara ${args.join(' ')}: ${r.stderr}`)
    assert.equal(r.stdout, '')
    const lines = r.stderr.trimEnd().split('\n')
    assert.equal(lines.length, 1, `stderr should be one line, got:\n${r.stderr}`)
    assert.match(lines[0]!, message)
  }

  before(async () => {
    const d = loadDeploymentsFile(net.devnet.deploymentsFile)
    deployments = await ensureExecutionContracts({
      rpcUrl: net.devnet.rpcUrl,
      chainId: net.devnet.chainId,
      deployments: d,
      adminKey: key(0) as Hex,
      deploymentsFile: net.devnet.deploymentsFile,
    })
    const chain = defineChain({ id: net.devnet.chainId, name: 'devnet', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [net.devnet.rpcUrl] } } })
    const publicClient = createPublicClient({ chain, transport: http(net.devnet.rpcUrl), pollingInterval: 50 })
    const admin = createWalletClient({ chain, transport: http(net.devnet.rpcUrl), account: privateKeyToAccount(key(0) as Hex) })
    rpc = (method, params) => publicClient.request({ method: method as never, params: params as never })
    const hash = await writeContract(admin, { address: deployments.contracts.SaharaToken, abi: saharaTokenAbi, functionName: 'transfer', args: [addr(1), TEST_MIN_STAKE * 2n], account: admin.account, chain })
    await waitForTransactionReceipt(publicClient, { hash })
    const ctx = { publicClient, walletClient: admin, deployments }
    node = new FakeNode({
      backend: onChainBackend(ctx),
      domain: paymentsDomain(deployments.chainId, deployments.contracts.PaymentChannels!),
      nodeId: 1n,
      nodeAccount: privateKeyToAccount(key(3) as Hex),
      token: deployments.contracts.USDT,
      assets: new Map([[1n, { unitPrice: parseAmount('0.25', 6), unitsPerCall: 1, version: 1n }]]),
    })
    await node.start()
    void createSaharaClient
  })
  after(async () => {
    await node?.stop()
  })

  it('registers a node, serves an asset and shows its status', async () => {
    await fails(['node', 'register', 'not a url', '--stake', '1000'], 2, /^error: The endpoint must be an http\(s\) URL, got "not a url"\.$/, { key: 1 })
    await fails(['node', 'register', 'http://127.0.0.1:1/', '--stake', '1'], 1, /^error: A stake of 1 SAHARA is below the minimum of 1000 SAHARA\.$/, { key: 1 })
    await fails(['node', 'register', 'http://127.0.0.1:1/', '--stake', '1000'], 2, /--private-key/)
    const r = await json(['node', 'register', node.url, '--stake', '1000', '--signer', addr(3)], { key: 1 })
    assert.equal(r.nodeId, '1')
    const a = await json(['asset', 'register', 'model.bin', '--kind', 'model', '--name', 'Penguins', '--description', 'classifier'], { key: 4 })
    assert.equal(a.assetId, '1')
    await fails(['node', 'serve', '1', '1', '--fee-bps', '1000'], 1, /is not the operator of node #1\./, { key: 2 })
    const s = await json(['node', 'serve', '1', '1', '--fee-bps', '1000'], { key: 1 })
    assert.equal(s.serving, true)
    const st = await json(['node', 'status', '1', '--asset', '1'])
    assert.equal(st.status, 'Active')
    assert.equal(st.signer, addr(3))
    assert.equal(st.endpoint, node.url)
    assert.equal(st.serving, true)
    assert.equal(st.feeBps, 1000)
    const human = await sahara(['node', 'status', '1', '--asset', '1'])
    assert.match(human.stdout, /Node #1 {2}Active/)
    assert.match(human.stdout, /asset #1 +served, fee 10%/)
    await fails(['node', 'status', '7'], 1, /^error: Node #7 does not exist\.$/)
  })

  it('opens, tops up and shows a channel', async () => {
    await json(['faucet', '1000'], { key: 2 })
    const o = await json(['channel', 'open', '1', '10', '--token', 'USDT'], { key: 2 })
    assert.equal(o.channelId, '1')
    assert.equal(o.deposit, '10000000')
    await fails(['channel', 'open', 'x', '10'], 2, /The node id must be a positive whole number/, { key: 2 })
    const t = await json(['channel', 'topup', '1', '5', '--permit'], { key: 2 })
    assert.equal(t.deposit, '15000000')
    const s = await json(['channel', 'status', '1', '--lane', '1:0'])
    assert.equal(s.status, 'Open')
    assert.equal(s.deposit, '15000000')
    assert.equal(s.remaining, '15000000')
    assert.deepEqual(s.lanes, [{ assetId: '1', lane: '0', settled: '0' }])
    await fails(['channel', 'status', '1', '--lane', '1-0'], 2, /--lane "1-0" must look like <assetId>:<lane>/)
  })

  it('calls an asset, paying through a channel it then reuses', async () => {
    await fails(['call', '1', '--node', node.url], 2, /^error: Pass exactly one of --input <json> or --prompt <text>\.$/, { key: 2 })
    await fails(['call', '1', '--input', '{bad', '--node', node.url], 2, /--input must be valid JSON/, { key: 2 })
    await fails(['call', '1', '--input', '{}', '--node', node.url, '--max-price', '0.1'], 1, /^error: Asset #1 costs 0\.25 USDT per call, above --max-price 0\.1 USDT; nothing was paid\.$/, { key: 2 })
    const receipts = join(net.dir, 'receipts.jsonl')
    const first = await json(['call', '1', '--input', '{"x":[1,2,3,4]}', '--node', node.url, '--receipts', receipts, '--deposit', '2'], { key: 2 })
    assert.deepEqual(first.result, { result: `paid call ${node.paid}` })
    assert.equal(first.price, '250000')
    assert.equal(first.receipt.price, '250000')
    assert.equal(first.receipt.cumulative, '250000')
    const channelId = first.channelId
    assert.equal(channelId, '2') // a new channel (#1 was opened with `channel open` above)
    // The second call reuses the remembered channel (the node id can stand for its endpoint).
    const second = await sahara(['call', '1', '--prompt', 'hello', '--node', '1', '--receipts', receipts], { key: 2 })
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stdout, /^paid call \d+\n/)
    assert.match(second.stdout, new RegExp(`Paid 0\\.25 USDT to node #1 through channel #${channelId} \\(receipt verified\\)`))
    // ... and continues the same lane and hash chain: the lane total grows, no new voucher.
    assert.match(second.stdout, /lane total +0\.5 USDT/)
    const third = await json(['call', '1', '--input', '{"x":[1]}', '--node', node.url], { key: 2 })
    assert.equal(third.channelId, channelId)
    assert.equal(third.receipt.lane, first.receipt.lane)
    assert.equal(third.receipt.index, '3')
    assert.equal(third.receipt.cumulative, '750000')
    const stateFile = join(net.dir, '.sahara/client/channels.json')
    assert.ok(existsSync(stateFile))
    assert.equal(statSync(stateFile).mode & 0o777, 0o600)
    assert.equal(readFileSync(receipts, 'utf8').trim().split('\n').length, 2)
    await fails(['call', '2', '--input', '{}', '--node', node.url], 1, /^error: The node answered 404: Unknown asset\.$/, { key: 2 })
  })

  it('closes and withdraws a channel; exits a node and withdraws its stake', async () => {
    const c = await json(['channel', 'close', '1'], { key: 2 })
    assert.ok(BigInt(c.closesAt) > 0n)
    await fails(['channel', 'withdraw', '1'], 1, /^error: The challenge window of channel #1 ends at .*; withdraw after that\.$/, { key: 2 })
    await fails(['channel', 'close', '1'], 1, /^error: Channel #1 is not open\.$/, { key: 2 })
    // The devnet's challenge window and unbonding delay are 1 hour.
    await rpc('evm_increaseTime', [3700])
    await rpc('evm_mine', [])
    const w = await json(['channel', 'withdraw', '1'], { key: 2 })
    assert.equal(w.refund, '15000000')
    assert.equal((await json(['channel', 'status', '1'])).status, 'Closed')

    const e = await json(['node', 'exit', '1'], { key: 1 })
    assert.ok(BigInt(e.unlockAt) > 0n)
    await fails(['node', 'withdraw', '1'], 1, /^error: The stake of node #1 is locked until /, { key: 1 })
    await rpc('evm_increaseTime', [3700])
    await rpc('evm_mine', [])
    const out = await json(['node', 'withdraw', '1'], { key: 1 })
    assert.equal(out.amount, TEST_MIN_STAKE.toString())
    assert.equal((await json(['node', 'status', '1'])).status, 'Exited')
  })
})
