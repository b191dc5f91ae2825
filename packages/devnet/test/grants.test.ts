// The devnet's GrantPool: deployed with a fresh devnet (committee = dev account 8 or the one given,
// budget), funded by genesis with the tokenomics grants bucket and owned by the timelock after the
// handover, recorded as the optional GrantPool deployment, reused on restart, and added to a devnet
// whose deployments file predates both the pool and governance.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { grantPoolAbi, saharaTokenAbi } from '@sahara/sdk'
import {
  DEVNET_GRANTS_BUDGET,
  DEVNET_GRANTS_COMMITTEE_INDEX,
  describeDevnet,
  staleCode,
  startDevnet,
  type Devnet,
} from '../src/index.ts'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sahara-grants-devnet-test-'))
const cleanups: (() => Promise<void> | void)[] = []
after(async () => {
  for (const c of cleanups.reverse()) await c()
  rmSync(tmp, { recursive: true, force: true })
})

async function start(dataDir: string, o: { fresh?: boolean; grantsCommittee?: `0x${string}` } = {}): Promise<Devnet> {
  const d = await startDevnet({ dataDir, ...o })
  cleanups.push(() => d.stop())
  return d
}

describe('devnet grant pool', () => {
  const dataDir = path.join(tmp, 'devnet')

  it('deploys the pool with the devnet committee and budget; genesis funds it, the timelock owns it', async () => {
    const net = await start(dataDir, { fresh: true })
    const d = net.deployments
    const pool = { address: d.contracts.GrantPool!, abi: grantPoolAbi } as const
    assert.ok(pool.address && d.implementations.GrantPool, 'GrantPool and its implementation are recorded')
    assert.equal(net.grants?.GrantPool, pool.address)
    const pc = net.publicClient
    assert.equal(d.admin, d.contracts.SaharaTimelock, 'after the handover the admin is the timelock')
    assert.equal(await pc.readContract({ ...pool, functionName: 'owner' }), d.contracts.SaharaTimelock)
    const bucket = d.genesis!.transfers.find((x) => x.id === 'community/grants')!
    assert.equal(bucket.recipient, pool.address)
    const funding = BigInt(bucket.amount)
    assert.equal(await pc.readContract({ ...pool, functionName: 'token' }), d.contracts.SaharaToken)
    assert.equal(await pc.readContract({ ...pool, functionName: 'committee' }), net.accounts[DEVNET_GRANTS_COMMITTEE_INDEX]!.address)
    assert.equal(await pc.readContract({ ...pool, functionName: 'available' }), funding)
    assert.equal(
      await pc.readContract({ address: d.contracts.SaharaToken, abi: saharaTokenAbi, functionName: 'balanceOf', args: [pool.address] }),
      funding,
    )
    const [budget, period, , spent] = await pc.readContract({ ...pool, functionName: 'committeeBudget' })
    assert.deepEqual([budget, period, spent], [DEVNET_GRANTS_BUDGET.amount, BigInt(DEVNET_GRANTS_BUDGET.periodSeconds), 0n])
    // The proxy's implementation is the current artifact; a swapped one would be reported stale.
    assert.deepEqual(await staleCode(pc, d), [])
    assert.deepEqual(await staleCode(pc, { ...d, implementations: { ...d.implementations, GrantPool: d.implementations.AssetRegistry! } }), ['GrantPool'])
    const lines = await describeDevnet(net, { requestedPort: 0 })
    assert.ok(
      lines.some((l) => /^\s+Grant pool\s+1200000000 SAHARA available; committee 0x[0-9a-fA-F]{40} \(dev account #8\)/.test(l)),
      lines.join('\n'),
    )
    await net.stop()
  })

  it('reuses the pool on restart and adds one to a devnet recorded before it existed', async () => {
    const again = await start(dataDir)
    assert.equal(again.reused, true)
    assert.equal(again.grants, undefined)
    const pool = again.deployments.contracts.GrantPool!
    await again.stop()
    // Drop GrantPool and governance from the file, as written before either existed: the next start
    // deploys a pool (genesis cannot run any more: the supply has moved, so it warns and goes on).
    const file = again.deploymentsFile
    const json = JSON.parse(readFileSync(file, 'utf8')) as {
      contracts: Record<string, string>
      implementations: Record<string, string>
      genesis?: unknown
      governance?: unknown
      admin: string
      deployer: string
    }
    json.admin = json.deployer
    delete json.contracts.GrantPool
    delete json.implementations.GrantPool
    delete json.genesis
    delete json.governance
    writeFileSync(file, JSON.stringify(json, null, 2))
    const committee = '0x000000000000000000000000000000000000c0DE' as const
    const third = await start(dataDir, { grantsCommittee: committee })
    assert.equal(third.reused, true)
    assert.ok(third.grants)
    assert.notEqual(third.deployments.contracts.GrantPool, pool)
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { contracts: Record<string, string> }
    assert.equal(onDisk.contracts.GrantPool, third.deployments.contracts.GrantPool)
    assert.equal(
      await third.publicClient.readContract({ address: third.deployments.contracts.GrantPool!, abi: grantPoolAbi, functionName: 'committee' }),
      '0x000000000000000000000000000000000000c0DE',
    )
    await third.stop()
  })
})
