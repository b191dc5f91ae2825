// A stock x402 v2 client (@x402/fetch + @x402/evm, nothing from Sahara on the paying side) against
// a real execution node process on the seeded devnet: 402 -> PAYMENT-REQUIRED -> EIP-3009
// authorization to the asset's deposit address -> the node settles it through
// ExactPayments.payExact -> 200 + PAYMENT-RESPONSE. On-chain, every wei of the payment is traced:
// payer -> node fee to the operator + the rest into the RevenueVault, split by the vault's formula.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { decodePaymentResponseHeader, wrapFetchWithPaymentFromConfig } from '@x402/fetch'
import { ExactEvmScheme } from '@x402/evm'
import { erc20Abi, parseEventLogs, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startDevnet, localChain, walletClientFor, type Devnet, type PayPerUseSeed } from '@sahara/devnet'
import { demoNodeConfig, seedExecution, DEMO_NODE_FEE_BPS, type ExecutionSeed } from '@sahara/network'
import { createSaharaClient, exactPaymentsAbi, revenueVaultAbi } from '@sahara/sdk'
import { startNodeProcess, type NodeProcess } from './utils/nodeProcess.ts'

const BPS = 10_000n
const PROTOCOL_FEE_BPS = 250n
const AGENT_ROYALTY_BPS = 500n // the agent's COMMERCIAL_REMIX license on the model (seed)
const ADELIE = 'bill_length_mm=39.1, bill_depth_mm=18.7, flipper_length_mm=181, body_mass_g=3750'
const PAYER_ACCOUNT = 3

describe('x402 exact end to end: stock @x402/fetch client -> node -> ExactPayments -> vault', { timeout: 300_000 }, () => {
  let dir: string
  let devnet: Devnet
  let ppu: PayPerUseSeed
  let exec: ExecutionSeed
  let node: NodeProcess
  let payer: Address
  let payerKey: Hex

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sahara-x402-'))
    devnet = await startDevnet({ dataDir: join(dir, 'devnet'), port: 0, fresh: true, seed: true })
    ppu = devnet.seed!.payPerUse!
    exec = await seedExecution(devnet, ppu, 'http://127.0.0.1:1')
    const config = demoNodeConfig(devnet, ppu, exec, { dataDir: join(dir, 'node'), port: 0 })
    node = await startNodeProcess({ ...config, logLevel: 'warn' }, join(dir, 'node.json'))
    // Setup only: the devnet faucet funds the payer with USDT. The paying client below is stock.
    payerKey = devnet.accounts[PAYER_ACCOUNT]!.privateKey as Hex
    const chain = localChain(devnet.chainId, devnet.rpcUrl)
    const sahara = createSaharaClient({ publicClient: devnet.publicClient, walletClient: walletClientFor(devnet.rpcUrl, payerKey, chain), deployments: devnet.deployments })
    payer = privateKeyToAccount(payerKey).address
    await sahara.faucet({ amount: 10_000_000n })
  })
  after(async () => {
    await node?.kill()
    await devnet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('pays predictions with a stock v2 client; every payment reaches the vault to the wei; a replayed header moves nothing', async () => {
    const usdt = ppu.token
    const vault = devnet.deployments.contracts.RevenueVault
    const exact = devnet.deployments.contracts.ExactPayments!
    const price = ppu.agent.unitPrice
    const nodeFee = (price * BigInt(DEMO_NODE_FEE_BPS)) / BPS
    const balance = (a: Address) => devnet.publicClient.readContract({ address: usdt, abi: erc20Abi, functionName: 'balanceOf', args: [a] })
    const depositAddress = await devnet.publicClient.readContract({ address: exact, abi: exactPaymentsAbi, functionName: 'receiverOf', args: [exec.nodeId, ppu.agent.assetId] })
    const snapshot = async () => ({ payer: await balance(payer), operator: await balance(exec.operator), vault: await balance(vault), deposit: await balance(depositAddress) })

    // Records what the stock client puts on the wire and gets back (for the checks and the
    // replay below); changes nothing.
    const wire: { req: Request; res: Response }[] = []
    const transport: typeof fetch = async (input, init) => {
      const req = new Request(input, init)
      const res = await fetch(req.clone())
      wire.push({ req, res: res.clone() })
      return res
    }
    const paidFetch = wrapFetchWithPaymentFromConfig(transport, {
      schemes: [{ network: `eip155:${devnet.chainId}`, client: new ExactEvmScheme(privateKeyToAccount(payerKey)) }],
      // The stock client pays only assets it knows (USDC on public chains) unless told otherwise:
      // devnet USDT is opted in, capped at one call's price.
      spendControls: { allowedAssets: [{ network: `eip155:${devnet.chainId}`, asset: usdt, maxAmountPerPayment: price.toString() }] },
    })
    const body = JSON.stringify({ model: 'penguin-agent', messages: [{ role: 'user', content: ADELIE }] })

    /** One paid call through the stock client, traced on-chain to the wei. */
    const payOnce = async (firstUse: boolean) => {
      const before = await snapshot()
      wire.length = 0
      const res = await paidFetch(`${node.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      const text = await res.text()
      assert.equal(res.status, 200, text)
      const completion = JSON.parse(text) as { choices: { message: { content: string } }[] }
      assert.match(completion.choices[0]!.message.content, /Adelie/)

      // Two requests: unpaid (402 + PAYMENT-REQUIRED) then the one carrying PAYMENT-SIGNATURE.
      assert.equal(wire.length, 2)
      assert.equal(wire[0]!.res.status, 402)
      assert.equal(wire[0]!.req.headers.get('payment-signature'), null)
      const required = JSON.parse(Buffer.from(wire[0]!.res.headers.get('payment-required')!, 'base64').toString()) as { accepts: Record<string, unknown>[] }
      assert.deepEqual(required.accepts.map((a) => [a.scheme, a.network, a.amount, a.payTo, a.asset]), [['exact', `eip155:${devnet.chainId}`, price.toString(), depositAddress, usdt]])
      const signature = wire[1]!.req.headers.get('payment-signature')
      assert.ok(signature, 'the stock client sent PAYMENT-SIGNATURE')

      const header = res.headers.get('payment-response')
      assert.ok(header, 'PAYMENT-RESPONSE header')
      const settle = decodePaymentResponseHeader(header)
      assert.equal(settle.success, true)
      assert.equal(settle.network, `eip155:${devnet.chainId}`)
      assert.equal(settle.payer?.toLowerCase(), payer.toLowerCase())
      assert.match(settle.transaction, /^0x[0-9a-f]{64}$/i)

      // Money: payer -> deposit address -> node fee + vault, to the wei.
      const after = await snapshot()
      assert.equal(before.payer - after.payer, price, 'the payer paid exactly the price')
      assert.equal(after.operator - before.operator, nodeFee, 'the operator got exactly the node fee')
      assert.equal(after.vault - before.vault, price - nodeFee, 'the vault got the rest')
      assert.equal(after.deposit, 0n, 'nothing stays in the deposit address')

      const receipt = await devnet.publicClient.getTransactionReceipt({ hash: settle.transaction as Hex })
      assert.equal(receipt.status, 'success')
      assert.equal(parseEventLogs({ abi: exactPaymentsAbi, logs: receipt.logs, eventName: 'ReceiverDeployed' }).length, firstUse ? 1 : 0)
      const swept = parseEventLogs({ abi: exactPaymentsAbi, logs: receipt.logs, eventName: 'Swept' })
      assert.equal(swept.length, 1)
      assert.equal(swept[0]!.args.amount, price)
      assert.equal(swept[0]!.args.nodeFee, nodeFee)
      assert.equal(swept[0]!.args.receiver, depositAddress)
      const credits = parseEventLogs({ abi: revenueVaultAbi, logs: receipt.logs, eventName: 'RevenueReceived' })
      assert.equal(credits.length, 1)
      const c = credits[0]!.args
      const amount = price - nodeFee
      const fee = (amount * PROTOCOL_FEE_BPS) / BPS
      const royalties = ((amount - fee) * AGENT_ROYALTY_BPS) / BPS
      assert.equal(c.assetId, ppu.agent.assetId)
      assert.equal(c.token, usdt)
      assert.equal(c.payer, exact)
      assert.equal(c.amount, amount)
      assert.equal(c.fee, fee)
      assert.equal(c.royalties, royalties)
      assert.equal(c.ownerPart, amount - fee - royalties)
      assert.equal(c.contributorsPart, 0n)
      assert.equal(c.owner, ppu.agent.owner)
      console.log(`x402 stock: price ${price} = node fee ${nodeFee} + vault ${amount} (protocol fee ${fee} + royalties ${royalties} + owner ${c.ownerPart}); payExact gas ${receipt.gasUsed}${firstUse ? ' (deploys the deposit address)' : ''}`)
      return { signature, after }
    }

    await payOnce(true)
    const { signature, after } = await payOnce(false)

    // The same payment header again: 409, no money moves.
    const replay = await fetch(`${node.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'payment-signature': signature }, body })
    assert.equal(replay.status, 409)
    const err = (await replay.json()) as { error: { code: string } }
    assert.equal(err.error.code, 'authorization_replayed')
    assert.equal(replay.headers.get('payment-response'), null)
    assert.deepEqual(await snapshot(), after)
  })
})
