// The payment actions against a real anvil devnet, and interop of the SDK's off-chain primitives
// with PaymentChannels: our EIP-712 digests equal the contract's, a voucher + preimage made by the
// SDK settles on-chain, and a receipt proof built by the SDK verifies in the contract's view.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createWalletClient, http, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { readContract, waitForTransactionReceipt, writeContract } from 'viem/actions'
import {
  ContractError,
  buildMerkleTree,
  createHashChain,
  createPaidClient,
  createSaharaClient,
  computeCid,
  parseAmount,
  paymentChannelsAbi,
  paymentsDomain,
  receiptBatchDigest,
  receiptLeaf,
  saharaTokenAbi,
  sha256Hex,
  signVoucher,
  voucherDigest,
  type Deployments,
  type SaharaClient,
} from '../src/index'
import { startTestDevnet, type TestDevnet } from './utils/devnet'
import { TEST_MIN_STAKE, ensureExecutionContracts } from './utils/execution'

const USDT = (s: string) => parseAmount(s, 6)

describe('payment actions against a devnet', { timeout: 300_000 }, () => {
  let net: TestDevnet
  let deployments: Deployments
  let admin: SaharaClient, operator: SaharaClient, payer: SaharaClient, owner: SaharaClient
  let nodeSignerKey: Hex
  let nodeId: bigint, assetId: bigint, channelId: bigint

  before(async () => {
    net = await startTestDevnet()
    const adminKey = net.devnet.accounts[0]!.privateKey as Hex
    deployments = await ensureExecutionContracts({ rpcUrl: net.rpcUrl, chainId: net.devnet.chainId, deployments: net.deployments, adminKey })
    const mk = (i: number) => createSaharaClient({ publicClient: net.clients[i]!.publicClient, walletClient: net.clients[i]!.walletClient, deployments })
    ;[admin, operator, payer, owner] = [mk(0), mk(1), mk(2), mk(4)]
    nodeSignerKey = net.devnet.accounts[3]!.privateKey as Hex
    // The node operator needs SAHARA for its stake.
    const hash = await writeContract(admin.walletClient!, {
      address: deployments.contracts.SaharaToken,
      abi: saharaTokenAbi,
      functionName: 'transfer',
      args: [operator.account!, TEST_MIN_STAKE * 2n],
      account: admin.walletClient!.account!,
      chain: admin.walletClient!.chain,
    })
    await waitForTransactionReceipt(admin.publicClient, { hash })
    const content = await computeCid(new TextEncoder().encode('model bytes'))
    assetId = (await owner.registerAsset({ kind: 'model', content: content.cid, metadata: { name: 'm', description: 'd' } })).assetId
    await payer.faucet({ amount: USDT('1000') })
  })
  after(async () => {
    await net?.stop()
  })

  it('registers a node, serves an asset and reads it back', async () => {
    const signer = privateKeyToAccount(nodeSignerKey).address
    await assert.rejects(operator.registerNode({ endpoint: 'http://127.0.0.1:1/', signer, stake: TEST_MIN_STAKE - 1n }), (e) => e instanceof ContractError && e.errorName === 'StakeTooLow')
    const r = await operator.registerNode({ endpoint: 'http://127.0.0.1:1/', signer, stake: TEST_MIN_STAKE })
    nodeId = r.nodeId
    assert.equal(nodeId, 1n)
    await operator.serveAsset({ nodeId, assetId, feeBps: 1000 })
    const n = await operator.getNode(nodeId)
    assert.equal(n.signer, signer)
    assert.equal(n.operator, operator.account)
    assert.equal(n.status, 'Active')
    assert.equal(n.stake, TEST_MIN_STAKE)
    assert.deepEqual(await operator.getNodeService({ nodeId, assetId }), { serving: true, feeBps: 1000 })
    await assert.rejects(payer.serveAsset({ nodeId, assetId, feeBps: 10 }), (e) => e instanceof ContractError && e.errorName === 'NotNodeOperator')
    await assert.rejects(operator.serveAsset({ nodeId, assetId, feeBps: 5000 }), /node fee of 50% is above the maximum of 30%/)
  })

  it('opens (approve and permit), tops up and reads channels', async () => {
    const opened = await payer.openChannel({ nodeId, token: 'USDT', amount: USDT('10') })
    channelId = opened.channelId
    assert.ok(opened.approvalHash)
    const permitted = await payer.openChannel({ nodeId, token: 'USDT', amount: USDT('1'), authorization: 'permit' })
    assert.equal(permitted.channelId, channelId + 1n)
    await payer.topUpChannel({ channelId, amount: USDT('5') })
    const c = await payer.getChannel(channelId)
    assert.equal(c.deposit, USDT('15'))
    assert.equal(c.settled, 0n)
    assert.equal(c.remaining, USDT('15'))
    assert.equal(c.status, 'Open')
    assert.equal(c.signer, payer.account)
    assert.equal(c.nodeId, nodeId)
    await assert.rejects(payer.getChannel(999n), (e) => e instanceof ContractError && e.errorName === 'UnknownChannel')
  })

  it('SDK vouchers and receipts interoperate with PaymentChannels (digests, settle, verifyReceipt)', async () => {
    const channels = deployments.contracts.PaymentChannels!
    const domain = paymentsDomain(deployments.chainId, channels)
    const chain = createHashChain(16)
    const block = await payer.publicClient.request({ method: 'eth_getBlockByNumber', params: ['latest', false] })
    const v = {
      channelId,
      lane: 7n,
      assetId,
      cumulative: 0n,
      anchor: chain.anchor,
      unitPrice: USDT('0.01'),
      maxUnits: 16n,
      expiresAt: BigInt((block as { timestamp: Hex }).timestamp) + 3600n,
    }
    const onchain = await readContract(payer.publicClient, { address: channels, abi: paymentChannelsAbi, functionName: 'voucherDigest', args: [v] })
    assert.equal(onchain, voucherDigest(domain, v))
    const root = sha256Hex('root')
    assert.equal(
      await readContract(payer.publicClient, { address: channels, abi: paymentChannelsAbi, functionName: 'receiptBatchDigest', args: [nodeId, root, 4n] }),
      receiptBatchDigest(domain, { nodeId, root, sequence: 4n }),
    )
    const signature = await signVoucher(payer.walletClient!, domain, v)
    // 5 units revealed: the node settles 5 * 0.01 with the preimage s_5.
    const fields = Array.from({ length: 5 }, (_, i) => ({
      nodeId,
      requestHash: sha256Hex(`req ${i}`),
      responseHash: sha256Hex(`res ${i}`),
      assetId,
      version: 1n,
      units: 1n,
      price: v.unitPrice,
      channelId,
      lane: 7n,
      cumulative: v.unitPrice * BigInt(i + 1),
      index: BigInt(i + 1),
    }))
    const groupA = buildMerkleTree(fields.slice(0, 3).map(receiptLeaf))
    const groupB = buildMerkleTree(fields.slice(3).map(receiptLeaf))
    const top = buildMerkleTree([groupA.root, groupB.root])
    const nodeWallet = createWalletClient({ chain: payer.walletClient!.chain, transport: http(net.rpcUrl), account: privateKeyToAccount(nodeSignerKey) })
    const hash = await writeContract(nodeWallet, {
      address: channels,
      abi: paymentChannelsAbi,
      functionName: 'settle',
      args: [nodeId, deployments.contracts.USDT, [{ voucher: v, units: 5n, preimage: chain.preimageAt(5), signature }], top.root, 5n],
      account: nodeWallet.account,
      chain: nodeWallet.chain,
    })
    assert.equal((await waitForTransactionReceipt(payer.publicClient, { hash })).status, 'success')
    assert.equal(await payer.getLaneSettled({ channelId, assetId, lane: 7n }), USDT('0.05'))
    assert.equal((await payer.getChannel(channelId)).settled, USDT('0.05'))
    for (let i = 0; i < 5; i++) {
      const proof = i < 3 ? [...groupA.proof(i), ...top.proof(0)] : [...groupB.proof(i - 3), ...top.proof(1)]
      const ok = await readContract(payer.publicClient, { address: channels, abi: paymentChannelsAbi, functionName: 'verifyReceipt', args: [top.root, receiptLeaf(fields[i]!), proof] })
      assert.equal(ok, true, `receipt ${i}`)
    }
    const bad = await readContract(payer.publicClient, { address: channels, abi: paymentChannelsAbi, functionName: 'verifyReceipt', args: [top.root, receiptLeaf({ ...fields[0]!, price: 1n }), [...groupA.proof(0), ...top.proof(0)]] })
    assert.equal(bad, false)
  })

  it('the paid client opens and closes channels through the real actions', async () => {
    const paid = createPaidClient({ publicClient: payer.publicClient, walletClient: payer.walletClient, deployments, maxPricePerCall: USDT('0.01'), channel: { deposit: USDT('2') } })
    const id = await paid.openChannel({ nodeId, token: deployments.contracts.USDT })
    assert.equal((await payer.getChannel(id)).deposit, USDT('2'))
    const closed = await paid.close()
    assert.equal(closed[0]!.channelId, id)
    assert.equal((await payer.getChannel(id)).status, 'Closing')
  })

  it('closes and withdraws after the challenge window; exits a node', async () => {
    const closing = await payer.requestCloseChannel({ channelId })
    assert.ok(closing.closesAt > 0n)
    await assert.rejects(payer.withdrawChannel({ channelId }), (e) => e instanceof ContractError && e.errorName === 'ChallengeWindowNotOver')
    // The devnet deploys the execution modules itself: 1-hour challenge window and unbonding.
    await payer.publicClient.request({ method: 'evm_increaseTime' as never, params: [3700] as never })
    await payer.publicClient.request({ method: 'evm_mine' as never, params: [] as never })
    const w = await payer.withdrawChannel({ channelId })
    assert.equal(w.refund, USDT('15') - USDT('0.05'))
    assert.equal((await payer.getChannel(channelId)).status, 'Closed')

    const exit = await operator.requestNodeExit({ nodeId })
    assert.ok(exit.unlockAt > 0n)
    assert.equal((await operator.getNode(nodeId)).status, 'Exiting')
    await assert.rejects(operator.withdrawNodeStake({ nodeId }), (e) => e instanceof ContractError && e.errorName === 'StakeLocked')
    await payer.publicClient.request({ method: 'evm_increaseTime' as never, params: [3700] as never })
    await payer.publicClient.request({ method: 'evm_mine' as never, params: [] as never })
    const out = await operator.withdrawNodeStake({ nodeId })
    assert.equal(out.amount, TEST_MIN_STAKE)
    assert.equal((await operator.getNode(nodeId)).status, 'Exited')
  })
})
