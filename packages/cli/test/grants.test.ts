// `sahara grants ...` end to end: the real bin against a devnet (real anvil, random port) whose
// GrantPool holds the genesis grants bucket, is owned by the DAO timelock and has account 8 as its
// committee. Amounts checked to the wei.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { decodeFunctionData, type Address } from 'viem'
import { grantPoolAbi, saharaTokenAbi } from '@sahara/sdk'
import { useCliTestDevnet } from './utils/devnet.ts'
import { cliRunner } from './utils/runCli.ts'

const E18 = 10n ** 18n
const COMMITTEE = 8

describe('sahara grants', { timeout: 300_000 }, () => {
  const net = useCliTestDevnet('sahara-cli-grants-')
  const addr = (i: number) => net.devnet.accounts[i]!.address

  const { sahara, json, fails } = cliRunner(net)
  const balance = (account: Address) =>
    net.devnet.publicClient.readContract({ address: net.devnet.deployments.contracts.SaharaToken, abi: saharaTokenAbi, functionName: 'balanceOf', args: [account] })

  it('applies, lists, shows, approves as the committee and pays milestones', async () => {
    const a = await json(['grants', 'apply', '--uri', 'ipfs://proposal', '--milestone', '100', '--milestone', '50.5', '--recipient', addr(2)], { key: 1 })
    assert.equal(a.grantId, '1')
    assert.equal(a.total, (1505n * E18 / 10n).toString())
    const human = await sahara(['grants', 'list'])
    assert.equal(human.code, 0)
    assert.equal(human.stdout, `#1  Pending    0 SAHARA / 150.5 SAHARA  ${addr(2)}  ipfs://proposal\n`)
    const shown = await json(['grants', 'show', '1'])
    assert.deepEqual([shown.applicant, shown.recipient, shown.status, shown.uri], [addr(1), addr(2), 'Pending', 'ipfs://proposal'])
    assert.deepEqual(shown.milestones.map((m: { amount: string }) => m.amount), [(100n * E18).toString(), (505n * E18 / 10n).toString()])

    await fails(['grants', 'approve', '1'], 1, `${addr(3)} is neither the grant pool's owner (governance) nor its committee.`, { key: 3 })
    const approved = await json(['grants', 'approve', '1'], { key: COMMITTEE })
    assert.deepEqual([approved.byCommittee, approved.total], [true, (1505n * E18 / 10n).toString()])
    const before = await balance(addr(2))
    const paid = await json(['grants', 'milestone', '1', '1'], { key: COMMITTEE })
    assert.deepEqual([paid.recipient, paid.amount, paid.completed], [addr(2), (505n * E18 / 10n).toString(), false])
    assert.equal(await balance(addr(2)), before + 505n * E18 / 10n)
    await fails(['grants', 'milestone', '1', '1'], 1, 'Milestone 1 of grant #1 was already paid.', { key: COMMITTEE })
    const cancelled = await json(['grants', 'cancel', '1'], { key: COMMITTEE })
    assert.equal(cancelled.returned, (100n * E18).toString())
    const budget = await json(['grants', 'budget'])
    assert.equal(budget.spent, (1505n * E18 / 10n).toString())
    const pool = await json(['grants', 'pool'])
    assert.equal(pool.reservedForGrants, '0')
    const bucket = BigInt(net.devnet.deployments.genesis!.transfers.find((x) => x.id === 'community/grants')!.amount)
    assert.equal(pool.available, (bucket - 505n * E18 / 10n).toString())
  })

  it('rejects and withdraws applications; filters by status', async () => {
    await json(['grants', 'apply', '--uri', 'ipfs://two', '--milestone', '1'], { key: 3 })
    await json(['grants', 'apply', '--uri', 'ipfs://three', '--milestone', '2'], { key: 3 })
    await json(['grants', 'reject', '2', '--reason', 'duplicate'], { key: COMMITTEE })
    await fails(['grants', 'withdraw', '3'], 1, `${addr(4)} is not the applicant of grant #3.`, { key: 4 })
    await json(['grants', 'withdraw', '3'], { key: 3 })
    const rejected = await json(['grants', 'list', '--status', 'rejected'])
    assert.deepEqual(rejected.map((g: { id: string }) => g.id), ['2'])
    const mine = await json(['grants', 'list', '--applicant', addr(3)])
    assert.deepEqual(mine.map((g: { id: string; status: string }) => [g.id, g.status]), [['3', 'Withdrawn'], ['2', 'Rejected']])
  })

  it('fails with one sentence on bad input', async () => {
    await fails(['grants', 'apply', '--uri', 'x', '--milestone', 'ten'], 2, 'Milestone 0 must be an amount of SAHARA like 1500 or 0.25, got "ten".', { key: 1 })
    await fails(['grants', 'apply', '--uri', 'x', '--milestone', '1'], 2, 'This command sends a transaction: pass --private-key or set SAHARA_PRIVATE_KEY.')
    await fails(['grants', 'show', '0'], 2, 'The grant id must be a positive whole number, got "0".')
    await fails(['grants', 'show', '99'], 1, 'Grant #99 does not exist.')
    await fails(['grants', 'list', '--status', 'done'], 2, /^Unknown status "done"; use one of Pending, /)
    await fails(['grants', 'budget', '--set', '5'], 2, 'Pass both --set and --period to change the budget.')
  })

  it('prints owner calls as governance calldata without a key', async () => {
    const c = await json(['grants', 'budget', '--set', '250000', '--period', '7d', '--calldata'])
    assert.equal(c.to, net.devnet.deployments.contracts.GrantPool)
    assert.equal(c.value, '0')
    const d = decodeFunctionData({ abi: grantPoolAbi, data: c.data })
    assert.deepEqual([d.functionName, d.args], ['setCommitteeBudget', [250_000n * E18, 7 * 86400]])
    const m = await json(['grants', 'milestone', '4', '2', '--calldata'])
    assert.deepEqual(decodeFunctionData({ abi: grantPoolAbi, data: m.data }).args, [4n, 2n])
    // The timelock owns the pool: the deployer can no longer send owner calls (a proposal carries them).
    const r = await sahara(['grants', 'budget', '--set', '250000', '--period', '7d'], { key: 0 })
    assert.equal(r.code, 1, r.stderr)
    assert.equal(r.stderr, `error: ${addr(0)} is not the protocol admin; once the DAO timelock owns the protocol, admin changes go through a governance proposal (sahara gov propose).\n`)
    const b = await json(['grants', 'budget'])
    assert.equal(b.perPeriod, (1_000_000n * E18).toString(), 'the devnet budget is unchanged')
  })

  it('runs event rewards: build, create, claim for another account, close', async () => {
    const csv = join(net.dir, 'rewards.csv')
    writeFileSync(csv, `address,amount\n${addr(4)},12.5\n${addr(5)},7\n`)
    const built = await json(['grants', 'rewards', 'build', csv, '--out', join(net.dir, 'round1')])
    assert.equal(built.total, (195n * E18 / 10n).toString())
    const proofs = join(net.dir, 'round1', 'proofs.json')
    const created = await json(['grants', 'rewards', 'create', '--proofs', proofs, '--duration', '1h'], { key: COMMITTEE })
    assert.equal(created.roundId, '1')
    assert.equal(created.total, (195n * E18 / 10n).toString())
    const before = await balance(addr(4))
    const claimed = await json(['grants', 'rewards', 'claim', '1', '--proofs', proofs, '--account', addr(4)], { key: 6 })
    assert.equal(claimed.amount, (125n * E18 / 10n).toString())
    assert.equal(await balance(addr(4)), before + 125n * E18 / 10n)
    await fails(['grants', 'rewards', 'claim', '1', '--proofs', proofs, '--account', addr(4)], 1, `${addr(4)} already claimed its reward in round #1.`, { key: 6 })
    await fails(['grants', 'rewards', 'claim', '1', '--proofs', proofs], 1, `${addr(6)} has no reward in the round with root ${built.root}.`, { key: 6 })
    await fails(['grants', 'rewards', 'close', '1'], 1, /^Reward round #1 is open until .*; only governance may close it earlier\.$/, { key: 6 })
    // After the deadline anyone may close the round (governance could close it earlier).
    await net.devnet.publicClient.request({ method: 'evm_increaseTime', params: [3601] } as never)
    await net.devnet.publicClient.request({ method: 'evm_mine', params: [] } as never)
    const closed = await json(['grants', 'rewards', 'close', '1'], { key: 6 })
    assert.equal(closed.returned, (7n * E18).toString())
    const round = await json(['grants', 'rewards', 'show', '1'])
    assert.deepEqual([round.closed, round.remaining, round.byCommittee], [true, '0', true])
  })
})
