// Node staking end to end on a real devnet (anvil): the SDK delegates, the treasury notifies fees
// in SAHARA and USDT while emissions stream, and every claim pays exactly what an independent
// model of the reward formulas predicts (tests/utils/stakingModel.ts) at the transactions' block
// times; undelegation unbonds for the devnet delay (evm_increaseTime). A node that signs two
// different receipts for one lane index (real ReceiptBatch EIP-712 signatures, real Merkle proofs)
// is slashed pro rata (bond, delegations, unbonding) to the treasury and jailed, through the SDK
// and through the `sahara stake` CLI (spawned, exit codes and one-line errors checked). A node whose
// settlement records a receipts root over a receipt contradicting one it signed is slashed the same
// way (proveSettlementContradiction, `sahara stake contradiction`).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createPublicClient, createWalletClient, defineChain, encodeFunctionData, http, numberToHex, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { writeContract } from 'viem/actions'
import { DEFAULT_EMISSION_DURATION, DEVNET_JAIL_PERIOD, DEVNET_STAKING_UNBONDING_DELAY, describeDevnet, startDevnet, type Devnet } from '@sahara/devnet'
import {
  ContractError,
  EquivocationError,
  buildMerkleTree,
  createSaharaClient,
  devStablecoinAbi,
  estimateGasNextSecond,
  encodeReceiptHeader,
  equivocationEvidence,
  findEquivocation,
  gasWithHeadroom,
  nodeRegistryAbi,
  nodeStakingAbi,
  paymentChannelsAbi,
  paymentsDomain,
  receiptLeaf,
  signReceiptBatch,
  type ReceiptFields,
  type SaharaClient,
  type SignedReceipt,
} from '@sahara/sdk'
import { StakingModel, cloneModel } from './utils/stakingModel.ts'
import { runSahara } from './utils/cli.ts'

const E18 = 10n ** 18n
const E6 = 10n ** 6n

/**
 * `count` receipts of one node on (channelId, assetId, lane) at indexes first..first+count-1,
 * committed in one batch (sorted-pair sha256 tree) signed as ReceiptBatch(nodeId, root, sequence)
 * by `signerKey`. `variant` changes the response hashes, so two variants conflict at every index.
 */
async function signedBatch(p: {
  domain: ReturnType<typeof paymentsDomain>
  signerKey: Hex
  nodeId: bigint
  channelId: bigint
  assetId: bigint
  lane: bigint
  first: bigint
  count: number
  sequence: bigint
  variant: string
}): Promise<SignedReceipt[]> {
  const fields: ReceiptFields[] = Array.from({ length: p.count }, (_, k) => {
    const index = p.first + BigInt(k)
    const word = (tag: string) => `0x${Buffer.from(`${tag}:${index}`).toString('hex').padEnd(64, '0').slice(0, 64)}` as Hex
    return {
      nodeId: p.nodeId,
      requestHash: word('req'),
      responseHash: word(`res-${p.variant}`),
      assetId: p.assetId,
      version: 1n,
      units: 1n,
      price: 10n ** 15n,
      channelId: p.channelId,
      lane: p.lane,
      cumulative: (index + 1n) * 10n ** 15n,
      index,
    }
  })
  const leaves = fields.map(receiptLeaf)
  const tree = buildMerkleTree(leaves)
  const signature = await signReceiptBatch(privateKeyToAccount(p.signerKey), p.domain, { nodeId: p.nodeId, root: tree.root, sequence: p.sequence })
  return fields.map((f, i) => ({ fields: f, leaf: leaves[i]!, proof: tree.proof(i), groupRoot: tree.root, sequence: p.sequence, signature }))
}

describe('node staking on the devnet (SDK + CLI)', { timeout: 300_000 }, () => {
  let dir: string
  let devnet: Devnet
  let pc: PublicClient
  let clients: SaharaClient[]
  const acct = (i: number) => devnet.accounts[i]!
  // The protocol treasury (slashed stake goes there) is the DAO timelock.
  const treasury = () => devnet.deployments.contracts.SaharaTimelock!
  const c = () => devnet.deployments.contracts
  const staking = () => c().NodeStaking!

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sahara-staking-'))
    devnet = await startDevnet({ dataDir: join(dir, 'devnet'), port: 0, fresh: true })
    const chain = defineChain({
      id: devnet.chainId,
      name: 'devnet',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [devnet.rpcUrl] } },
    })
    pc = createPublicClient({ chain, transport: http(devnet.rpcUrl, { timeout: 60_000 }), pollingInterval: 50 }) as PublicClient
    clients = devnet.accounts.map((a) =>
      createSaharaClient({
        publicClient: pc,
        walletClient: createWalletClient({ chain, transport: http(devnet.rpcUrl, { timeout: 60_000 }), account: privateKeyToAccount(a.privateKey as Hex) }),
        deployments: devnet.deployments,
      }),
    )
    // SAHARA for the operators and delegators (the deployer holds the supply).
    for (const i of [1, 2, 3, 4, 5]) await send(0, c().SaharaToken, devStablecoinAbi, 'transfer', [acct(i).address, 10_000n * E18])
  })
  after(async () => {
    await devnet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  async function send(from: number, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[]) {
    const w = clients[from]!.walletClient!
    const { request } = await pc.simulateContract({ address, abi: abi as never, functionName, args: args as never, account: w.account! })
    // Estimated for the next second, with headroom: NodeStaking's gas depends on the block time
    // (lazy emission release).
    const data = encodeFunctionData({ abi, functionName, args } as never)
    const gas = await estimateGasNextSecond((a) => pc.request(a as never), { from: w.account!.address, to: address, data })
    assert.ok(gas !== undefined, 'anvil estimates with a block override')
    const hash = await writeContract(w, { ...(request as object), gas: gasWithHeadroom(gas) } as never)
    const r = await pc.waitForTransactionReceipt({ hash })
    assert.equal(r.status, 'success', `${functionName} reverted`)
    return r
  }
  /** The emission schedule and reserve as genesis left them (nothing staked yet releases nothing). */
  async function emission() {
    const read = (functionName: string) => pc.readContract({ address: staking(), abi: nodeStakingAbi, functionName: functionName as never })
    const [ratePerSecond, start, end] = (await read('emissionSchedule')) as readonly [bigint, bigint, bigint, bigint]
    return { ratePerSecond, start, end, reserve: (await read('emissionReserve')) as bigint }
  }
  const timeOf = async (r: { blockNumber: bigint }) => (await pc.getBlock({ blockNumber: r.blockNumber })).timestamp
  const balance = (token: Address, who: Address) => pc.readContract({ address: token, abi: devStablecoinAbi, functionName: 'balanceOf', args: [who] })
  async function warp(seconds: number) {
    await pc.request({ method: 'evm_increaseTime' as never, params: [numberToHex(seconds)] as never })
    await pc.request({ method: 'evm_mine' as never, params: [] as never })
  }
  async function rejects(p: Promise<unknown>, errorName: string): Promise<ContractError> {
    try {
      await p
    } catch (err) {
      assert.ok(err instanceof ContractError, `expected ContractError ${errorName}, got ${String(err)}`)
      assert.equal(err.errorName, errorName, err.shortMessage)
      return err
    }
    assert.fail(`expected ${errorName}`)
  }

  it('deploys NodeStaking + SaharaVotes wired to NodeRegistry with the devnet settings and a funded emission schedule', async () => {
    assert.ok(c().NodeStaking && c().SaharaVotes)
    assert.equal(await pc.readContract({ address: c().NodeRegistry!, abi: nodeRegistryAbi, functionName: 'staking' }), staking())
    const read = (functionName: string) => pc.readContract({ address: staking(), abi: nodeStakingAbi, functionName: functionName as never })
    assert.equal(await read('unbondingDelay'), BigInt(DEVNET_STAKING_UNBONDING_DELAY))
    assert.equal(await read('jailPeriod'), BigInt(DEVNET_JAIL_PERIOD))
    assert.equal(await read('treasury'), treasury())
    assert.deepEqual(await read('rewardTokens'), [c().SaharaToken, c().USDT])
    // Genesis funded the reserve with the staking rewards bucket and started a 48-month schedule.
    const e = await emission()
    const bucket = devnet.deployments.genesis!.transfers.find((x) => x.id === 'community/stakingRewards')!
    assert.equal(bucket.recipient, staking())
    assert.equal(e.reserve, BigInt(bucket.amount))
    assert.equal(e.end - e.start, BigInt(DEFAULT_EMISSION_DURATION))
    assert.equal(e.ratePerSecond, e.reserve / (e.end - e.start))
    // `npm start` prints it (nothing staked yet, so nothing has been released).
    const lines = await describeDevnet(devnet, { requestedPort: 0 })
    assert.ok(lines.some((l) => /^\s+Node staking\s+2000000000 SAHARA emission reserve, 60 s unbonding/.test(l)), lines.join('\n'))
  })

  it('delegate -> fees + emissions -> claims pay exactly the predicted amounts -> undelegate -> withdraw after the delay', async () => {
    const [operator, d1, d2] = [clients[1]!, clients[2]!, clients[3]!]
    const e = await emission()
    const reg = await operator.registerNode({ endpoint: 'http://127.0.0.1:9/a', signer: acct(7).address, stake: 1000n * E18 })
    assert.equal(reg.nodeId, 1n)
    const model = new StakingModel(2, { rate: e.ratePerSecond, start: e.start, end: e.end }, e.reserve, 0n)
    // Nothing was staked before this registration, so no emission was due until it.
    model.emissionLast = await timeOf(reg.receipt)
    model.touch(1n, model.emissionLast, { operator: acct(1).address, selfBond: 1000n * E18 })

    const com = await operator.setCommission({ nodeId: 1n, bps: 1000 })
    assert.deepEqual([com.applied, com.effectiveAt], [true, 0n]) // nobody delegated yet: at once
    model.setCommission(1n, await timeOf(com.receipt), 1000n)

    const del1 = await d1.delegateStake({ nodeId: 1n, amount: 3000n * E18 })
    assert.match(del1.approvalHash!, /^0x[0-9a-f]{64}$/)
    assert.equal(del1.shares, model.delegate(1n, acct(2).address, 3000n * E18, await timeOf(del1.receipt)))
    const del2 = await d2.delegateStake({ nodeId: 1n, amount: 1000n * E18, authorization: 'permit' })
    assert.equal(del2.shares, model.delegate(1n, acct(3).address, 1000n * E18, await timeOf(del2.receipt)))
    assert.equal(await balance(c().SaharaToken, acct(3).address), 9000n * E18)

    // The treasury (here the deployer) routes a fee share in both reward tokens.
    await send(0, c().USDT, devStablecoinAbi, 'faucet', [acct(0).address, 1000n * E6])
    await send(0, c().SaharaToken, devStablecoinAbi, 'approve', [staking(), 500n * E18])
    model.notify(0, 500n * E18, await timeOf(await send(0, staking(), nodeStakingAbi, 'notifyFees', [c().SaharaToken, 500n * E18])))
    await send(0, c().USDT, devStablecoinAbi, 'approve', [staking(), 1000n * E6])
    model.notify(1, 1000n * E6, await timeOf(await send(0, staking(), nodeStakingAbi, 'notifyFees', [c().USDT, 1000n * E6])))

    await warp(100) // emissions stream meanwhile
    const view = await d1.getDelegation({ nodeId: 1n, account: acct(2).address })
    const head = await pc.getBlock({ blockTag: 'latest' })
    const predictedView = cloneModel(model).claim(1n, acct(2).address, head.timestamp)
    assert.deepEqual(view.pendingRewards.map((x) => x.amount), predictedView)
    assert.deepEqual(view.pendingRewards.map((x) => x.token), [c().SaharaToken, c().USDT])
    assert.deepEqual([view.shares, view.value], [3000n * E18, 3000n * E18])
    // USDT: 1000 over weight 5000 -> node reward 1000 (one node), 10% commission, 1000/5000 of the rest self-bond:
    // the pool gets 720 USDT for 4000 shares, so 3000 shares earn exactly 540 USDT.
    assert.equal(predictedView[1], 540n * E6)

    const sBefore = await balance(c().SaharaToken, acct(2).address)
    const uBefore = await balance(c().USDT, acct(2).address)
    const claim1 = await d1.claimStakingRewards({ nodeId: 1n })
    const expected1 = model.claim(1n, acct(2).address, await timeOf(claim1.receipt))
    assert.ok(expected1[0]! > 500n * E18 * 3n / 5n * 9n / 10n, 'SAHARA rewards include the fee share and the emissions')
    assert.deepEqual(claim1.rewards, [
      { token: c().SaharaToken, amount: expected1[0] },
      { token: c().USDT, amount: expected1[1] },
    ])
    assert.equal((await balance(c().SaharaToken, acct(2).address)) - sBefore, expected1[0])
    assert.equal((await balance(c().USDT, acct(2).address)) - uBefore, 540n * E6)

    const claimOp = await operator.claimStakingRewards({ nodeId: 1n })
    const expectedOp = model.claim(1n, acct(1).address, await timeOf(claimOp.receipt))
    assert.deepEqual(claimOp.rewards.map((r) => r.amount), expectedOp)
    // 100 USDT commission + 180 USDT for the 1000 SAHARA self bond.
    assert.equal(expectedOp[1], 280n * E6)

    // Staked votes: principal counts for the staker (SaharaVotes adds token votes, none delegated here).
    const votes = await d1.getStakedVotes({ account: acct(2).address })
    assert.deepEqual([votes.staked, votes.total], [3000n * E18, 3000n * E18])
    assert.equal((await operator.getStakedVotes({ account: acct(1).address })).staked, 1000n * E18)

    // Undelegate 1000 SAHARA by amount (converted to shares), then the rest with --all semantics.
    const u1 = await d1.undelegateStake({ nodeId: 1n, amount: 1000n * E18 })
    assert.deepEqual([u1.shares, u1.amount], [1000n * E18, 1000n * E18])
    assert.equal(u1.amount, model.undelegate(1n, acct(2).address, u1.shares, await timeOf(u1.receipt)))
    assert.equal(u1.maturesAt, (await timeOf(u1.receipt)) + BigInt(DEVNET_STAKING_UNBONDING_DELAY))
    const u2 = await d1.undelegateStake({ nodeId: 1n, all: true })
    assert.equal(u2.amount, model.undelegate(1n, acct(2).address, u2.shares, await timeOf(u2.receipt)))
    assert.equal(u2.amount, 2000n * E18)
    const pastVotesAt = await timeOf(u1.receipt)
    const err = await rejects(d1.withdrawUnbonded({ nodeId: 1n }), 'NothingToWithdraw')
    assert.equal(err.shortMessage, 'Nothing has finished unbonding yet: wait until the unbonding delay has passed.')
    const pending = await d1.getDelegation({ nodeId: 1n, account: acct(2).address })
    assert.deepEqual(pending.unbonding.map((x) => [x.value, x.matured]), [[1000n * E18, false], [2000n * E18, false]])

    await warp(DEVNET_STAKING_UNBONDING_DELAY + 1)
    const before = await balance(c().SaharaToken, acct(2).address)
    const w = await d1.withdrawUnbonded({ nodeId: 1n })
    assert.deepEqual([w.amount, w.entries], [3000n * E18, 2n])
    assert.equal((await balance(c().SaharaToken, acct(2).address)) - before, 3000n * E18)
    assert.equal((await d1.getStakedVotes({ account: acct(2).address })).staked, 0n)
    assert.equal((await d1.getStakedVotes({ account: acct(2).address, timepoint: pastVotesAt - 1n })).staked, 3000n * E18)

    // The rewards earned before undelegating stay claimable; nothing more accrues after.
    const late = await d1.claimStakingRewards({ nodeId: 1n })
    assert.deepEqual(late.rewards.map((r) => r.amount), model.claim(1n, acct(2).address, await timeOf(late.receipt)).filter((x) => x !== 0n))
  })

  it('two receipts for one lane index signed by the node key: proveEquivocation slashes pro rata to the treasury and jails', async () => {
    const [operator, d2, reporter] = [clients[1]!, clients[3]!, clients[6]!]
    const domain = paymentsDomain(devnet.chainId, c().PaymentChannels!)
    const base = { domain, signerKey: acct(7).privateKey as Hex, nodeId: 1n, channelId: 7n, assetId: 3n, lane: 0n, first: 10n, count: 3 }
    const honest = await signedBatch({ ...base, sequence: 1n, variant: 'a' })
    const forked = await signedBatch({ ...base, first: 11n, count: 2, sequence: 2n, variant: 'b' })
    const pair = findEquivocation([...honest, ...forked])
    assert.ok(pair)
    assert.equal(pair.a.fields.index, 11n)
    assert.notEqual(pair.a.leaf, pair.b.leaf)
    assert.throws(() => equivocationEvidence(honest[0]!, forked[0]!), EquivocationError) // indexes 10 and 11

    // D2 unbonds 400 of its 1000 first: slashes hit the unbonding pool too.
    const u = await d2.undelegateStake({ nodeId: 1n, amount: 400n * E18 })
    assert.equal(u.amount, 400n * E18)
    const s0 = await operator.getNodeStake(1n)
    assert.deepEqual([s0.selfBond, s0.delegated, s0.unbonding], [1000n * E18, 600n * E18, 400n * E18])
    const treasury0 = await balance(c().SaharaToken, treasury())

    const r = await reporter.proveEquivocation(pair.a, pair.b)
    assert.equal(r.bps, 1000)
    // 10% of each: the bond (via NodeRegistry.slashBond), the delegation pool and the unbonding pool.
    assert.deepEqual([r.selfCut, r.poolCut, r.unbondingCut], [100n * E18, 60n * E18, 40n * E18])
    assert.equal(r.treasury, treasury())
    assert.equal((await balance(c().SaharaToken, treasury())) - treasury0, 200n * E18)
    assert.equal(r.jailedUntil, (await timeOf(r.receipt)) + BigInt(DEVNET_JAIL_PERIOD))
    const s1 = await operator.getNodeStake(1n)
    assert.deepEqual([s1.selfBond, s1.delegated, s1.unbonding, s1.weight, s1.jailed], [900n * E18, 540n * E18, 360n * E18, 0n, true])
    assert.equal((await operator.getNode(1n)).stake, 900n * E18)
    assert.equal(await pc.readContract({ address: c().NodeRegistry!, abi: nodeRegistryAbi, functionName: 'isActive', args: [1n] }), false)
    const dv = await d2.getDelegation({ nodeId: 1n, account: acct(3).address })
    assert.deepEqual([dv.value, dv.unbonding[0]!.value], [540n * E18, 360n * E18])

    await rejects(reporter.proveEquivocation(pair.a, pair.b), 'EvidenceAlreadyUsed')
    await rejects(clients[5]!.delegateStake({ nodeId: 1n, amount: 10n * E18 }), 'NodeNotDelegatable')
    // A pair signed by another key is refused on-chain.
    const foreign = await signedBatch({ ...base, first: 11n, count: 1, sequence: 3n, variant: 'c', signerKey: acct(8).privateKey as Hex })
    await rejects(reporter.proveEquivocation(honest[1]!, foreign[0]!), 'InvalidBatchSignature')

    // Jail: not before jailedUntil, and not with a bond below the registry minimum.
    const still = await rejects(operator.unjail({ nodeId: 1n }), 'StillJailed')
    assert.match(still.shortMessage, /^Node #1 is jailed until \d{4}-\d\d-\d\dT/)
    await warp(DEVNET_JAIL_PERIOD + 1)
    const low = await rejects(operator.unjail({ nodeId: 1n }), 'SelfBondTooLow')
    assert.equal(low.shortMessage, "The node's bond of 900 SAHARA is below the registry minimum of 1000 SAHARA: add stake before unjailing.")
    await send(1, c().SaharaToken, devStablecoinAbi, 'approve', [c().NodeRegistry!, 100n * E18])
    await send(1, c().NodeRegistry!, nodeRegistryAbi, 'addStake', [1n, 100n * E18])
    await operator.unjail({ nodeId: 1n })
    const s2 = await operator.getNodeStake(1n)
    assert.deepEqual([s2.jailed, s2.selfBond, s2.weight], [false, 1000n * E18, 1540n * E18])
  })

  describe('sahara stake (CLI)', () => {
    const sahara = (args: string[], key?: number) => runSahara(devnet, args, { cwd: dir, ...(key !== undefined ? { privateKey: acct(key).privateKey } : {}) })
    async function json<T = any>(args: string[], key?: number): Promise<T> {
      const r = await sahara([...args, '--json'], key)
      assert.equal(r.code, 0, `sahara ${args.join(' ')} failed: ${r.stderr}`)
      return JSON.parse(r.stdout) as T
    }
    async function fails(args: string[], code: number, message: string | RegExp, key?: number): Promise<void> {
      const r = await sahara(args, key)
      assert.equal(r.code, code, `sahara ${args.join(' ')}: ${r.stderr}`)
      assert.equal(r.stdout, '')
      const lines = r.stderr.trimEnd().split('\n')
      assert.equal(lines.length, 1, `stderr should be one line, got:\n${r.stderr}`)
      const text = lines[0]!.replace(/^error: /, '')
      if (typeof message === 'string') assert.equal(text, message)
      else assert.match(text, message)
    }

    it('commission, delegate, status, undelegate, withdraw, claim; errors are one sentence with a non-zero exit', async () => {
      const reg = await clients[4]!.registerNode({ endpoint: 'http://127.0.0.1:9/b', signer: acct(8).address, stake: 1000n * E18 })
      const node = reg.nodeId.toString()
      const com = await json(['stake', 'commission', node, '500'], 4)
      assert.deepEqual([com.bps, com.applied], [500, true])
      await fails(['stake', 'commission', node, '6000'], 1, 'A commission of 60% is above the maximum of 50%.', 4)
      await fails(['stake', 'commission', node, '100'], 1, `${acct(5).address} is not the operator of node #${node}.`, 5)

      const d = await json(['stake', 'delegate', node, '2000.5'], 5)
      assert.deepEqual([d.amount, d.shares], [(20005n * E18 / 10n).toString(), (20005n * E18 / 10n).toString()])
      const human = await sahara(['stake', 'delegate', node, '0.5', '--permit'], 5)
      assert.equal(human.code, 0, human.stderr)
      assert.equal(human.stdout.split('\n')[0], `Delegated 0.5 SAHARA to node #${node} for ${E18 / 2n} shares`)

      const st = await json(['stake', 'status', node, '--account', acct(5).address])
      assert.equal(st.node.delegated, (2001n * E18).toString())
      assert.equal(st.node.commissionBps, 500)
      assert.equal(st.delegation.value, (2001n * E18).toString())
      assert.equal(st.votes.staked, (2001n * E18).toString())

      await fails(['stake', 'undelegate', node], 2, 'Pass exactly one of an amount, --shares or --all.', 5)
      await fails(['stake', 'delegate', node, '10'], 2, 'This command sends a transaction: pass --private-key or set SAHARA_PRIVATE_KEY.')
      const u = await json(['stake', 'undelegate', node, '501'], 5)
      assert.equal(u.amount, (501n * E18).toString())
      await fails(['stake', 'withdraw', node], 1, 'Nothing has finished unbonding yet: wait until the unbonding delay has passed.', 5)
      await warp(DEVNET_STAKING_UNBONDING_DELAY + 1)
      const w = await json(['stake', 'withdraw', node], 5)
      assert.deepEqual([w.amount, w.entries], [(501n * E18).toString(), '1'])

      const cl = await json(['stake', 'claim', node], 5)
      assert.equal(cl.rewards.length, 1) // emissions only (SAHARA): no USDT fees since this node joined
      assert.equal(cl.rewards[0].token, c().SaharaToken)
      assert.ok(BigInt(cl.rewards[0].amount) > 0n)
    })

    it('stake evidence finds the conflicting pair in a receipts file, slashes and jails the node', async () => {
      const nodeId = 2n
      const domain = paymentsDomain(devnet.chainId, c().PaymentChannels!)
      const base = { domain, signerKey: acct(8).privateKey as Hex, nodeId, channelId: 9n, assetId: 4n, lane: 1n, first: 0n, count: 4 }
      const a = await signedBatch({ ...base, sequence: 1n, variant: 'x' })
      const b = await signedBatch({ ...base, first: 3n, count: 1, sequence: 2n, variant: 'y' })
      const file = join(dir, 'receipts.jsonl')
      writeFileSync(file, [...a, ...b].map((r) => `${JSON.stringify({ at: new Date().toISOString(), url: 'http://127.0.0.1:9/b/v1/call', receipt: encodeReceiptHeader(r) })}\n`).join(''))
      const honestOnly = join(dir, 'honest.jsonl')
      writeFileSync(honestOnly, a.map((r) => `${JSON.stringify({ receipt: encodeReceiptHeader(r) })}\n`).join(''))

      await fails(['stake', 'evidence', honestOnly, '--dry-run'], 2, 'No two of the 4 receipts conflict (same node, channel, asset, lane and index with different contents).')
      const dry = await json(['stake', 'evidence', file, '--dry-run'])
      assert.deepEqual([dry.nodeId, dry.index, dry.sent], ['2', '3', false])

      const before = await clients[0]!.getNodeStake(nodeId)
      const treasury0 = await balance(c().SaharaToken, treasury())
      const r = await json(['stake', 'evidence', file], 6)
      const cut = (v: bigint) => (v * 1000n) / 10_000n
      assert.deepEqual([r.selfCut, r.poolCut, r.unbondingCut], [cut(before.selfBond), cut(before.delegated), cut(before.unbonding)].map(String))
      assert.equal((await balance(c().SaharaToken, treasury())) - treasury0, cut(before.selfBond) + cut(before.delegated) + cut(before.unbonding))
      const after = await clients[0]!.getNodeStake(nodeId)
      assert.equal(after.jailed, true)

      await fails(['stake', 'evidence', file], 1, /^This evidence \(0x[0-9a-f]{64}\) was already used to slash the node\.$/, 6)
      await fails(['stake', 'unjail', nodeId.toString()], 1, /^Node #2 is jailed until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z; unjail after that\.$/, 4)
      await fails(['stake', 'delegate', nodeId.toString(), '1'], 1, 'Node #2 does not take delegations: it is not active (exiting, exited) or it is jailed.', 5)
      const st = await sahara(['stake', 'status', nodeId.toString()])
      assert.equal(st.code, 0, st.stderr)
      assert.match(st.stdout.split('\n')[0]!, /^Node #2 {2}jailed until /)
    })

    it('a settlement recording a receipt that contradicts a signed one: SDK and `stake contradiction` slash and jail', async () => {
      // Node 1 (signer acct 7, unjailed above) signs receipts at indexes 30 and 31 of channel 7, then
      // records a receipts root over a group holding other receipts at the same indexes.
      const domain = paymentsDomain(devnet.chainId, c().PaymentChannels!)
      const base = { domain, signerKey: acct(7).privateKey as Hex, nodeId: 1n, channelId: 7n, assetId: 3n, lane: 2n, first: 30n, count: 2 }
      const signed = await signedBatch({ ...base, sequence: 20n, variant: 'told' })
      const swapped = await signedBatch({ ...base, sequence: 21n, variant: 'settled', signerKey: acct(8).privateKey as Hex }) // its signature is never used
      const top = buildMerkleTree([swapped[0]!.groupRoot, `0x${'ab'.repeat(32)}` as Hex])
      const settled = swapped.map((r) => ({ fields: r.fields, receiptsRoot: top.root, proof: [...r.proof, ...top.proof(0)] }))
      const reporter = clients[6]!
      await rejects(reporter.proveSettlementContradiction(signed[0]!, settled[0]!), 'RootNotRecordedByNode')
      await send(7, c().PaymentChannels!, paymentChannelsAbi, 'settle', [1n, c().SaharaToken, [], top.root, 2n])

      const before = await clients[0]!.getNodeStake(1n)
      const treasury0 = await balance(c().SaharaToken, treasury())
      const r = await reporter.proveSettlementContradiction(signed[0]!, settled[0]!)
      const cut = (v: bigint) => (v * 1000n) / 10_000n
      assert.deepEqual([r.nodeId, r.bps, r.selfCut, r.poolCut, r.unbondingCut], [1n, 1000, cut(before.selfBond), cut(before.delegated), cut(before.unbonding)])
      assert.equal((await balance(c().SaharaToken, treasury())) - treasury0, cut(before.selfBond) + cut(before.delegated) + cut(before.unbonding))
      assert.equal((await clients[0]!.getNodeStake(1n)).jailed, true)
      await rejects(reporter.proveSettlementContradiction(signed[0]!, settled[0]!), 'EvidenceAlreadyUsed')

      // The CLI: index 31, the settled receipt as a JSON file.
      const settledFile = join(dir, 'settled.json')
      const f = settled[1]!.fields
      const str = (v: bigint | string) => (typeof v === 'bigint' ? v.toString() : v)
      writeFileSync(settledFile, JSON.stringify({ receipt: Object.fromEntries(Object.entries(f).map(([k, v]) => [k, str(v)])), receiptsRoot: top.root, proof: settled[1]!.proof }))
      const signedFile = join(dir, 'signed.jsonl')
      writeFileSync(signedFile, signed.map((x) => `${JSON.stringify({ receipt: encodeReceiptHeader(x) })}\n`).join(''))
      const dry = await json(['stake', 'contradiction', signedFile, settledFile, '--dry-run'])
      assert.deepEqual([dry.nodeId, dry.index, dry.receiptsRoot, dry.sent], ['1', '31', top.root, false])
      const mid = await clients[0]!.getNodeStake(1n)
      const out = await json(['stake', 'contradiction', signedFile, settledFile], 6)
      assert.deepEqual([out.selfCut, out.poolCut, out.unbondingCut], [cut(mid.selfBond), cut(mid.delegated), cut(mid.unbonding)].map(String))
      assert.equal(out.sent, true)
      await fails(['stake', 'contradiction', signedFile, settledFile], 1, /^This evidence \(0x[0-9a-f]{64}\) was already used to slash the node\.$/, 6)
    })
  })
})
