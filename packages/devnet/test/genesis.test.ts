// Genesis on a real anvil: the 10,000,000,000 SAHARA are distributed exactly once, to the wei, per
// config/tokenomics.json; the recorded transfers are the on-chain balances; every admin power is
// the timelock's afterwards and the deployer holds no timelock role; a restart sends nothing.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { encodeFunctionData, erc20Abi, getAddress, type Address } from 'viem'
import { allocations, grantPoolAbi, merkleAirdropAbi, nodeStakingAbi, parseDeployments, saharaGovernorAbi, saharaTimelockAbi, vestingVaultAbi, guardianGateAbi } from '@sahara/sdk'
import {
  GovernanceConfigError,
  ROLES,
  loadGovernanceConfig,
  loadTokenomics,
  ownedContracts,
  pausableModules,
  parseGovernanceConfig,
  startDevnet,
  treasuryDestinations,
  verifyHandover,
  type Devnet,
} from '../src/index.ts'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sahara-genesis-test-'))
let devnet: Devnet
before(async () => {
  devnet = await startDevnet({ dataDir: path.join(tmp, 'devnet'), port: 0, fresh: true })
})
after(async () => {
  await devnet?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

const SUPPLY = 10_000_000_000n * 10n ** 18n

describe('genesis distribution', () => {
  it('records transfers that sum to the supply and match every allocation of the config', () => {
    const d = devnet.deployments
    const g = d.genesis!
    assert.ok(g, 'genesis is recorded')
    assert.equal(BigInt(g.total), SUPPLY)
    assert.equal(g.transfers.reduce((s, x) => s + BigInt(x.amount), 0n), SUPPLY)
    const t = loadTokenomics()
    assert.deepEqual(
      g.transfers.map((x) => [x.id, x.amount]).sort(),
      allocations(t).map((a) => [a.id, a.amount.toString()]).sort(),
    )
    // The file on disk round-trips through the SDK parser.
    assert.deepEqual(parseDeployments(JSON.parse(readFileSync(devnet.deploymentsFile, 'utf8'))), d)
  })

  it('on chain: each recipient holds exactly what the record says; the deployer keeps only the launchpad bucket', async () => {
    const d = devnet.deployments
    const pc = devnet.publicClient
    const bal = (who: Address) => pc.readContract({ address: d.contracts.SaharaToken, abi: erc20Abi, functionName: 'balanceOf', args: [who] })
    const byRecipient = new Map<Address, bigint>()
    for (const x of d.genesis!.transfers) byRecipient.set(x.recipient, (byRecipient.get(x.recipient) ?? 0n) + BigInt(x.amount))
    let sum = 0n
    for (const [who, amount] of byRecipient) {
      assert.equal(await bal(who), amount, `balance of ${who}`)
      sum += amount
    }
    assert.equal(sum, SUPPLY)
    const c = d.contracts
    const launchpad = d.genesis!.transfers.find((x) => x.id === 'community/launchpad')!
    assert.equal(launchpad.recipient, d.deployer, 'config/governance.json gives the launchpad bucket to the deployer (dev account funding)')
    assert.equal(await bal(d.deployer), BigInt(launchpad.amount))
    assert.equal(await bal(c.SaharaTimelock!), 1_525_000_000n * 10n ** 18n, 'treasury')
    // The staking rewards bucket is NodeStaking's emission reserve, streamed on a published schedule.
    const staking = { address: c.NodeStaking!, abi: nodeStakingAbi } as const
    assert.equal(await bal(c.NodeStaking!), 2_000_000_000n * 10n ** 18n, 'staking rewards bucket')
    const [rate, start, end] = await pc.readContract({ ...staking, functionName: 'emissionSchedule' })
    assert.equal(end - start, 48n * 30n * 86_400n, 'emissions over 48 months (config/tokenomics.json)')
    assert.equal(rate, (2_000_000_000n * 10n ** 18n) / (end - start))
    assert.equal(await bal(c.GrantPool!), 1_200_000_000n * 10n ** 18n, 'grants bucket')
    // The pool pulled the bucket through fund(), so all of it is available to grants (nothing unaccounted).
    const pool = { address: c.GrantPool!, abi: grantPoolAbi } as const
    assert.equal(await pc.readContract({ ...pool, functionName: 'available' }), 1_200_000_000n * 10n ** 18n)
    assert.equal(await pc.readContract({ ...pool, functionName: 'unaccounted' }), 0n)
    assert.equal(await bal(c.VestingVault!), (1_500_000_000n + 1_975_000_000n) * 10n ** 18n, 'team + investors')
    assert.equal(await bal(c.MerkleAirdrop!), 1_000_000_000n * 10n ** 18n, 'airdrops bucket')
    assert.equal(await bal(c.SaharaUsdtPair!), 100_000_000n * 10n ** 18n, 'liquidity bucket in the pool')
    // Every non-deployer transfer names its transaction.
    for (const x of d.genesis!.transfers) if (x.recipient !== d.deployer) assert.ok(x.txs.length >= 1, `${x.id} has a tx`)
  })

  it('funds the airdrop tree of the configured list, unclaimed part swept to the timelock', async () => {
    const c = devnet.deployments.contracts
    const pc = devnet.publicClient
    const a = { address: c.MerkleAirdrop!, abi: merkleAirdropAbi }
    assert.equal(await pc.readContract({ ...a, functionName: 'treasury' }), c.SaharaTimelock)
    assert.equal(await pc.readContract({ ...a, functionName: 'owner' }), c.SaharaTimelock)
    assert.equal(await pc.readContract({ ...a, functionName: 'token' }), c.SaharaToken)
  })

  it('deploys the governor on the votes source with the config parameters, and the guardian gate', async () => {
    const { config } = loadGovernanceConfig()
    const d = devnet.deployments
    const pc = devnet.publicClient
    const gov = { address: d.contracts.SaharaGovernor!, abi: saharaGovernorAbi }
    assert.equal(await pc.readContract({ ...gov, functionName: 'token' }), d.governance!.votesSource)
    // Staked and delegated SAHARA keeps its voting power: the governor reads token + staked votes.
    assert.equal(d.governance!.votesSource, d.contracts.SaharaVotes)
    assert.equal(await pc.readContract({ ...gov, functionName: 'votingDelay' }), BigInt(config.governor.votingDelay))
    assert.equal(await pc.readContract({ ...gov, functionName: 'votingPeriod' }), BigInt(config.governor.votingPeriod))
    assert.equal(await pc.readContract({ ...gov, functionName: 'proposalThreshold' }), config.governor.proposalThreshold)
    assert.equal(await pc.readContract({ ...gov, functionName: 'quorumNumerator' }), BigInt(config.governor.quorumPercent))
    assert.equal(await pc.readContract({ ...gov, functionName: 'lateQuorumVoteExtension' }), config.governor.lateQuorumExtension)
    assert.equal(await pc.readContract({ ...gov, functionName: 'timelock' }), d.contracts.SaharaTimelock)
    const gate = { address: d.contracts.GuardianGate!, abi: guardianGateAbi }
    assert.equal(await pc.readContract({ ...gate, functionName: 'guardian' }), config.guardian.address)
    assert.equal(await pc.readContract({ ...gate, functionName: 'expiry' }), BigInt(config.guardian.expiry))
    assert.equal(await pc.readContract({ ...gate, functionName: 'timelock' }), d.contracts.SaharaTimelock)
  })
})

describe('handover', () => {
  it('every owned contract is the timelock\'s; the deployer holds no timelock role; the delay is the configured one', async () => {
    const d = devnet.deployments
    const pc = devnet.publicClient
    assert.equal(d.governance!.handedOver, true)
    assert.equal(d.admin, d.contracts.SaharaTimelock)
    const owned = ownedContracts(d)
    assert.deepEqual(
      owned.map((x) => x.name).slice(7),
      ['VestingVault', 'MerkleAirdrop', 'GrantPool', 'NodeStaking'],
      'seven core modules, the vesting vault, the airdrop, the grant pool and node staking',
    )
    for (const c of owned) {
      assert.equal(getAddress((await pc.readContract({ address: c.address, abi: c.abi, functionName: 'owner' })) as Address), d.contracts.SaharaTimelock, `${c.name}`)
      assert.equal(getAddress((await pc.readContract({ address: c.address, abi: c.abi, functionName: 'pendingOwner' })) as Address), '0x0000000000000000000000000000000000000000', `${c.name} has no pending owner`)
    }
    const tl = { address: d.contracts.SaharaTimelock!, abi: saharaTimelockAbi }
    for (const [name, role] of Object.entries(ROLES)) {
      assert.equal(await pc.readContract({ ...tl, functionName: 'hasRole', args: [role, d.deployer] }), false, `deployer ${name}`)
    }
    assert.equal(await pc.readContract({ ...tl, functionName: 'hasRole', args: [ROLES.PROPOSER_ROLE, d.contracts.SaharaGovernor!] }), true)
    assert.equal(await pc.readContract({ ...tl, functionName: 'hasRole', args: [ROLES.CANCELLER_ROLE, d.contracts.GuardianGate!] }), true)
    assert.equal(await pc.readContract({ ...tl, functionName: 'hasRole', args: [ROLES.PROPOSER_ROLE, d.contracts.GuardianGate!] }), false)
    assert.equal(await pc.readContract({ ...tl, functionName: 'hasRole', args: [ROLES.DEFAULT_ADMIN_ROLE, d.contracts.SaharaTimelock!] }), true)
    assert.equal(await pc.readContract({ ...tl, functionName: 'getMinDelay' }), BigInt(loadGovernanceConfig().config.timelock.minDelay))
    for (const m of pausableModules(d)) {
      assert.equal(await pc.readContract({ address: m.address, abi: m.abi, functionName: 'isPauser', args: [d.contracts.GuardianGate!] }), true, `the gate pauses ${m.name}`)
      assert.equal(await pc.readContract({ address: m.address, abi: m.abi, functionName: 'paused' }), false, `${m.name} starts unpaused`)
    }
    assert.deepEqual(await verifyHandover(pc, d), { ok: true, problems: [] })
    const vault = { address: d.contracts.VestingVault!, abi: vestingVaultAbi }
    assert.equal(await pc.readContract({ ...vault, functionName: 'treasury' }), d.contracts.SaharaTimelock)
  })

  it('a restart distributes nothing and hands over nothing (deployer nonce unchanged)', async () => {
    const pc = devnet.publicClient
    const d = devnet.deployments
    const nonce = await pc.getTransactionCount({ address: d.deployer })
    await devnet.stop()
    devnet = await startDevnet({ dataDir: path.join(tmp, 'devnet'), port: 0 })
    assert.equal(devnet.reused, true)
    assert.equal(await devnet.publicClient.getTransactionCount({ address: d.deployer }), nonce)
    assert.deepEqual(devnet.deployments.genesis, d.genesis)
    assert.deepEqual(devnet.deployments.governance, d.governance)
  })

  it('the timelock is every treasury and holds the LP tokens; verifyHandover names the module and setter of anything left behind', async () => {
    const pc = devnet.publicClient
    const d = devnet.deployments
    const timelock = d.contracts.SaharaTimelock!
    const pair = d.contracts.SaharaUsdtPair!
    assert.equal(d.treasury, timelock)
    for (const c of treasuryDestinations(d)) {
      assert.equal(await pc.readContract({ address: c.address, abi: c.abi, functionName: 'treasury' }), timelock, `${c.name}.treasury()`)
    }
    assert.deepEqual(treasuryDestinations(d).map((c) => c.name), ['RevenueVault', 'NodeStaking', 'VestingVault', 'MerkleAirdrop'])
    const lp = (who: Address) => pc.readContract({ address: pair, abi: erc20Abi, functionName: 'balanceOf', args: [who] })
    assert.equal(await lp(d.deployer), 0n)
    const lpSupply = await pc.readContract({ address: pair, abi: erc20Abi, functionName: 'totalSupply' })
    assert.equal(await lp(timelock), lpSupply - 1000n, 'every LP token but the 1000 Uniswap locks')

    // As the timelock (impersonated: a proposal would do the same), move one destination and one LP wei away.
    const stranger = getAddress('0x00000000000000000000000000000000000c0ffe')
    const asTimelock = async (to: Address, data: `0x${string}`) => {
      const hash = (await pc.request({ method: 'eth_sendTransaction' as never, params: [{ from: timelock, to, data }] as never })) as `0x${string}`
      assert.equal((await pc.waitForTransactionReceipt({ hash })).status, 'success')
    }
    await pc.request({ method: 'anvil_impersonateAccount' as never, params: [timelock] as never })
    await pc.request({ method: 'anvil_setBalance' as never, params: [timelock, '0xDE0B6B3A7640000'] as never })
    const staking = d.contracts.NodeStaking!
    await asTimelock(staking, encodeFunctionData({ abi: nodeStakingAbi, functionName: 'setTreasury', args: [stranger] }))
    await asTimelock(pair, encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [d.deployer, 1n] }))
    const check = await verifyHandover(pc, d)
    assert.equal(check.ok, false)
    assert.deepEqual(check.problems, [
      `NodeStaking.treasury() (slashed stake) is ${stranger}, not the timelock ${timelock}: call NodeStaking.setTreasury(timelock)`,
      `the deployer still holds 1 LP tokens of the SAHARA/USDT pool ${pair}: transfer them to the timelock`,
    ])
    // Restore (the LP wei back from the deployer, the destination by the timelock).
    await asTimelock(staking, encodeFunctionData({ abi: nodeStakingAbi, functionName: 'setTreasury', args: [timelock] }))
    await pc.request({ method: 'anvil_impersonateAccount' as never, params: [d.deployer] as never })
    const hash = (await pc.request({ method: 'eth_sendTransaction' as never, params: [{ from: d.deployer, to: pair, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [timelock, 1n] }) }] as never })) as `0x${string}`
    await pc.waitForTransactionReceipt({ hash })
    await pc.request({ method: 'anvil_stopImpersonatingAccount' as never, params: [timelock] as never })
    assert.deepEqual(await verifyHandover(pc, d), { ok: true, problems: [] })
  })
})

describe('governance config', () => {
  const base = () => JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'config', 'governance.json'), 'utf8'))
  const rejects = (mutate: (j: Record<string, any>) => void, pathRe: string, msg: RegExp) => {
    const j = base()
    mutate(j)
    assert.throws(() => parseGovernanceConfig(j), (e: unknown) => e instanceof GovernanceConfigError && e.path === pathRe && msg.test(e.message))
  }
  it('accepts the repository config', () => {
    const c = parseGovernanceConfig(base())
    assert.equal(c.guardian.expiry, Date.parse('2030-01-01T00:00:00Z') / 1000)
    assert.equal(c.genesis.grantsRecipient, 'GrantPool')
  })
  it('refuses bad values with one sentence naming the path', () => {
    rejects((j) => (j.governor.votingPeriod = 0), 'governor.votingPeriod', /whole number of seconds from 1/)
    rejects((j) => (j.governor.quorumPercent = 101), 'governor.quorumPercent', /from 1 to 100/)
    rejects((j) => (j.governor.proposalThreshold = 5), 'governor.proposalThreshold', /decimal string/)
    rejects((j) => (j.governor.lateQuorumExtension = 61), 'governor.lateQuorumExtension', /longer than governor.votingPeriod/)
    rejects((j) => (j.timelock.minDelay = 0), 'timelock.minDelay', /from 1/)
    rejects((j) => (j.guardian.address = '0x0000000000000000000000000000000000000000'), 'guardian.address', /zero address/)
    rejects((j) => (j.guardian.expiry = 'soon'), 'guardian.expiry', /ISO date/)
    rejects((j) => (j.genesis.grantsRecipient = 'treasury'), 'genesis.grantsRecipient', /"deployer", "timelock", "GrantPool", "NodeStaking" or an address/)
    rejects((j) => (j.governor.extra = 1), 'governor.extra', /unknown field "extra"/)
    rejects((j) => delete j.timelock, 'timelock', /missing/)
  })
})
