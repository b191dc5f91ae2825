// The grant pool through the SDK on a real anvil devnet: genesis funds the GrantPool with the
// tokenomics grants bucket, the handover makes the DAO timelock its owner, and account 8 is the
// committee (1,000,000 SAHARA per 30 days). Owner calls are sent as the timelock (anvil
// impersonation: what an executed proposal does; tests/governance.e2e.test.ts runs real proposals).
// Every amount is checked to the wei against balances read here.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createWalletClient, decodeFunctionData, http, type Address } from 'viem'
import { readContract, sendTransaction, waitForTransactionReceipt } from 'viem/actions'
import {
  ContractError,
  DeploymentsError,
  InvalidArgumentError,
  RewardRoundError,
  buildRewardRound,
  encodeGrantPoolCall,
  getGrantPool,
  findRewardEntry,
  grantPoolAbi,
  parseAmount,
  saharaTokenAbi,
  createSaharaClient,
  type SaharaClient,
} from '../src/index'
import { startTestDevnet, type TestDevnet } from './utils/devnet'

const S = (s: string) => parseAmount(s, 18)

describe('grant pool on the devnet', { timeout: 300_000 }, () => {
  let net: TestDevnet
  let admin: SaharaClient, alice: SaharaClient, bob: SaharaClient, carol: SaharaClient, committee: SaharaClient
  /** The DAO timelock (impersonated), the pool's owner. */
  let dao: SaharaClient
  let bucket: bigint
  const gas: Record<string, bigint> = {}

  before(async () => {
    net = await startTestDevnet()
    ;[admin, alice, bob, carol] = net.clients as [SaharaClient, SaharaClient, SaharaClient, SaharaClient]
    committee = net.clients[8]!
    const timelock = net.deployments.contracts.SaharaTimelock!
    await admin.publicClient.request({ method: 'anvil_impersonateAccount', params: [timelock] } as never)
    await admin.publicClient.request({ method: 'anvil_setBalance', params: [timelock, '0x56bc75e2d63100000'] } as never)
    const chain = admin.publicClient.chain!
    dao = createSaharaClient({
      publicClient: admin.publicClient,
      walletClient: createWalletClient({ chain, transport: http(net.rpcUrl), account: timelock }),
      deployments: net.deployments,
    })
    bucket = BigInt(net.deployments.genesis!.transfers.find((x) => x.id === 'community/grants')!.amount)
  })
  after(async () => {
    if (Object.keys(gas).length) console.log(`# grants gas: ${JSON.stringify(gas, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))}`)
    await net?.stop()
  })

  const sahara = (account: Address) =>
    readContract(admin.publicClient, { address: net.deployments.contracts.SaharaToken, abi: saharaTokenAbi, functionName: 'balanceOf', args: [account] })
  const poolBalance = () => sahara(net.deployments.contracts.GrantPool!)
  async function timeTravel(seconds: number) {
    await admin.publicClient.request({ method: 'evm_increaseTime', params: [seconds] } as never)
    await admin.publicClient.request({ method: 'evm_mine', params: [] } as never)
  }
  async function assertAccounting() {
    const s = await admin.getGrantPool()
    assert.equal(await poolBalance(), s.available + s.reservedForGrants + s.reservedForRounds + s.unaccounted)
  }

  it('is funded by genesis, owned by the timelock, with the devnet committee and budget', async () => {
    const s = await admin.getGrantPool()
    assert.equal(s.address, net.deployments.contracts.GrantPool)
    assert.equal(s.token, net.deployments.contracts.SaharaToken)
    assert.equal(s.owner, net.deployments.contracts.SaharaTimelock)
    assert.equal(s.committee, committee.account)
    assert.equal(bucket, S('1200000000'), 'the grants bucket of config/tokenomics.json')
    assert.equal(s.available, bucket)
    assert.equal(s.budget.perPeriod, S('1000000'))
    assert.equal(s.budget.periodSeconds, 30n * 24n * 3600n)
    assert.equal(s.budget.spent, 0n)
    assert.equal(await poolBalance(), bucket)
    assert.equal(net.deployments.implementations.GrantPool !== undefined, true)
  })

  it('applies, lists and reads a grant with its metadata URI', async () => {
    const r = await alice.applyForGrant({ recipient: bob.account!, uri: 'ipfs://bafy-proposal-1', milestones: [S('100'), S('250')] })
    gas.applyForGrant = r.receipt.gasUsed
    assert.equal(r.grantId, 1n)
    assert.equal(r.total, S('350'))
    const g = await admin.getGrant({ grantId: 1 })
    assert.equal(g.applicant, alice.account)
    assert.equal(g.recipient, bob.account)
    assert.equal(g.status, 'Pending')
    assert.equal(g.uri, 'ipfs://bafy-proposal-1')
    assert.deepEqual(g.milestones, [
      { index: 0, amount: S('100'), paid: false },
      { index: 1, amount: S('250'), paid: false },
    ])
    await carol.applyForGrant({ uri: 'ipfs://second', milestones: [S('5')] })
    const all = await admin.listGrants()
    assert.deepEqual(all.map((x) => x.id), [1n, 2n])
    assert.deepEqual((await admin.listGrants({ applicant: carol.account! })).map((x) => [x.id, x.recipient]), [[2n, carol.account]])
    assert.deepEqual((await admin.listGrants({ newestFirst: true, limit: 1 })).map((x) => x.id), [2n])
    await assert.rejects(admin.listGrants({ status: 'Bogus' as never }), InvalidArgumentError)
  })

  it('refuses approval by anyone but the owner or the committee, with a readable error', async () => {
    await assert.rejects(carol.approveGrant({ grantId: 1 }), (err: unknown) => {
      assert.ok(err instanceof ContractError)
      assert.equal(err.errorName, 'NotOwnerOrCommittee')
      assert.match(err.shortMessage, /is neither the grant pool's owner \(governance\) nor its committee\.$/)
      return true
    })
  })

  it('committee approves within budget; milestones pay the recipient; cancel returns the rest', async () => {
    const before = await admin.getGrantPool()
    const bobBefore = await sahara(bob.account!)
    const a = await committee.approveGrant({ grantId: 1 })
    gas.approveGrant = a.receipt.gasUsed
    assert.equal(a.byCommittee, true)
    assert.equal(a.total, S('350'))
    let s = await admin.getGrantPool()
    assert.equal(s.available, before.available - S('350'))
    assert.equal(s.reservedForGrants, S('350'))
    assert.equal(s.budget.spent, S('350'))
    const m = await committee.approveMilestone({ grantId: 1, index: 1 })
    gas.approveMilestone = m.receipt.gasUsed
    assert.deepEqual([m.recipient, m.amount, m.completed], [bob.account, S('250'), false])
    assert.equal(await sahara(bob.account!), bobBefore + S('250'))
    await assert.rejects(committee.approveMilestone({ grantId: 1, index: 1 }), (err: unknown) => {
      assert.ok(err instanceof ContractError)
      assert.equal(err.shortMessage, 'Milestone 1 of grant #1 was already paid.')
      return true
    })
    // The recipient moves; the owner cancels; the unpaid 100 returns to available, not to the budget.
    await bob.setGrantRecipient({ grantId: 1, recipient: carol.account! })
    const c = await dao.cancelGrant({ grantId: 1 })
    assert.equal(c.returned, S('100'))
    s = await admin.getGrantPool()
    assert.equal(s.available, before.available - S('250'))
    assert.equal(s.reservedForGrants, 0n)
    assert.equal(s.budget.spent, S('350'))
    const g = await admin.getGrant({ grantId: 1 })
    assert.deepEqual([g.status, g.paid, g.recipient], ['Cancelled', S('250'), carol.account])
    await assertAccounting()
  })

  it('stops the committee at its budget and names the amounts', async () => {
    const { grantId } = await alice.applyForGrant({ uri: 'ipfs://big', milestones: [S('999999')] })
    await assert.rejects(committee.approveGrant({ grantId }), (err: unknown) => {
      assert.ok(err instanceof ContractError)
      assert.equal(err.errorName, 'BudgetExceeded')
      assert.equal(
        err.shortMessage,
        'The committee has 999650 SAHARA of budget left in this period but 999999 SAHARA is needed; wait for the next period or ask governance.',
      )
      return true
    })
    // Governance is not budget-limited.
    await dao.approveGrant({ grantId })
    const done = await dao.approveMilestone({ grantId, index: 0 })
    assert.equal(done.completed, true)
    assert.equal((await admin.getGrant({ grantId })).status, 'Completed')
  })

  it('rejects and withdraws pending applications', async () => {
    await committee.rejectGrant({ grantId: 2, reason: 'out of scope' })
    assert.equal((await admin.getGrant({ grantId: 2 })).status, 'Rejected')
    const { grantId } = await carol.applyForGrant({ uri: 'ipfs://third', milestones: [1n] })
    await assert.rejects(alice.withdrawGrantApplication({ grantId }), /is not the applicant of grant #4\.$/)
    await carol.withdrawGrantApplication({ grantId })
    assert.equal((await admin.getGrant({ grantId })).status, 'Withdrawn')
    await assert.rejects(admin.getGrant({ grantId: 99 }), /^ContractError: Grant #99 does not exist\.$|Grant #99 does not exist\./)
  })

  it('funds the pool from a wallet (approve + fund)', async () => {
    const before = (await admin.getGrantPool()).available
    await admin.fundGrantPool({ amount: S('1234.5') })
    assert.equal((await admin.getGrantPool()).available, before + S('1234.5'))
    await assertAccounting()
  })

  it('runs a reward round: build, create, claim for others, cap, close after the deadline', async () => {
    const rows = [
      { account: alice.account!, amount: S('10') },
      { account: bob.account!, amount: S('20') },
      { account: carol.account!, amount: S('30') },
    ]
    const tree = buildRewardRound(rows)
    assert.equal(tree.total, S('60'))
    const created = await committee.createRewardRound({ root: tree.root, total: tree.total, durationSeconds: 3600 })
    assert.equal(created.roundId, 1n)
    const bobBefore = await sahara(bob.account!)
    const e = findRewardEntry(tree, bob.account!)
    const claimed = await carol.claimReward({ roundId: 1, account: e.account, amount: e.amount, proof: e.proof })
    gas.claimReward = claimed.receipt.gasUsed
    assert.equal(claimed.amount, S('20'))
    assert.equal(await sahara(bob.account!), bobBefore + S('20'))
    assert.equal(await admin.isRewardClaimed({ roundId: 1, account: bob.account! }), true)
    await assert.rejects(carol.claimReward({ roundId: 1, account: e.account, amount: e.amount, proof: e.proof }), (err: unknown) => {
      assert.ok(err instanceof ContractError)
      assert.equal(err.shortMessage, `${bob.account} already claimed its reward in round #1.`)
      return true
    })
    const ea = findRewardEntry(tree, alice.account!)
    await assert.rejects(carol.claimReward({ roundId: 1, account: ea.account, amount: ea.amount + 1n, proof: ea.proof }), /Merkle proof does not match/)
    assert.throws(() => findRewardEntry(tree, net.clients[5]!.account!), RewardRoundError)
    await assert.rejects(alice.closeRewardRound({ roundId: 1 }), /is open until .*; only governance may close it earlier\.$/)
    await timeTravel(3601)
    const before = (await admin.getGrantPool()).available
    const closed = await alice.closeRewardRound({ roundId: 1 })
    assert.equal(closed.returned, S('40'))
    assert.equal((await admin.getGrantPool()).available, before + S('40'))
    const r = await admin.getRewardRound({ roundId: 1 })
    assert.deepEqual([r.closed, r.remaining, r.total, r.byCommittee], [true, 0n, S('60'), true])
    await assertAccounting()
  })

  it('encodes owner calls as governance calldata that executes as is', async () => {
    const call = encodeGrantPoolCall(net.deployments, 'setCommitteeBudget', [S('5'), 86400])
    assert.equal(call.to, net.deployments.contracts.GrantPool)
    const decoded = decodeFunctionData({ abi: grantPoolAbi, data: call.data })
    assert.deepEqual([decoded.functionName, decoded.args], ['setCommitteeBudget', [S('5'), 86400]])
    // The deployer is no longer the owner; the timelock (what an executed proposal sends from) is.
    await assert.rejects(sendTransaction(admin.walletClient!, { to: call.to, data: call.data, account: admin.walletClient!.account!, chain: null }))
    const hash = await sendTransaction(dao.walletClient!, { to: call.to, data: call.data, account: dao.walletClient!.account!, chain: null })
    assert.equal((await waitForTransactionReceipt(admin.publicClient, { hash })).status, 'success')
    const s = await admin.getGrantPool()
    assert.deepEqual([s.budget.perPeriod, s.budget.periodSeconds, s.budget.spent], [S('5'), 86400n, 0n])
  })

  it('throws DeploymentsError when the deployments have no GrantPool', async () => {
    const { GrantPool: _, ...contracts } = net.deployments.contracts
    const ctx = { publicClient: admin.publicClient, deployments: { ...net.deployments, contracts } }
    await assert.rejects(getGrantPool(ctx), DeploymentsError)
    assert.throws(() => encodeGrantPoolCall(ctx.deployments, 'sync', []), DeploymentsError)
  })
})
