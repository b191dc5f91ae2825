// The tokenomics config and the VestingVault contract must agree to the wei: the devnet genesis turns
// config/tokenomics.json into the createSchedules batch (the SDK's vestingSchedules), the real contract
// (on anvil) holds it, and at every month boundary, cliff and end the contract's vestedAmount equals
// the SDK's schedule math (what `sahara tokenomics report` prints). A release at a warped chain time
// pays exactly what the SDK predicts for that second.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { erc20Abi, numberToHex, type Address, type Hex } from 'viem'
import { localChain, repoRoot, startDevnet, walletClientFor, type Devnet } from '@sahara/devnet'
import { MONTH_SECONDS, allocations, parseTokenomics, unlockedAt, vestingSchedules, vestingVaultAbi, type Tokenomics } from '@sahara/sdk'

describe('tokenomics config -> VestingVault on anvil', { timeout: 300_000 }, () => {
  let dir: string
  let devnet: Devnet
  let t: Tokenomics
  let vault: Address

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sahara-vesting-'))
    devnet = await startDevnet({ dataDir: join(dir, 'devnet'), port: 0, fresh: true })
    t = parseTokenomics(JSON.parse(readFileSync(join(repoRoot, 'config', 'tokenomics.json'), 'utf8')))
  })
  after(async () => {
    await devnet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('createSchedules takes the SDK batch; vestedAmount equals the SDK math at every boundary; a release pays the predicted amount', async () => {
    const admin = devnet.accounts[0]!
    const wallet = walletClientFor(devnet.rpcUrl, admin.privateKey as Hex, localChain(devnet.chainId, devnet.rpcUrl))
    const pc = devnet.publicClient
    const sahara = devnet.deployments.contracts.SaharaToken
    const mined = async (hash: Hex) => {
      const r = await pc.waitForTransactionReceipt({ hash })
      assert.equal(r.status, 'success')
      return r
    }
    // The genesis deployment created these schedules from the config (no second distribution).
    vault = devnet.deployments.contracts.VestingVault!
    assert.ok(vault)

    const batch = vestingSchedules(t)
    const vested = allocations(t).filter((a) => a.release === 'vesting')
    assert.ok(batch.length >= 2)
    const total = batch.reduce((s, b) => s + b.amount, 0n)
    assert.equal(await pc.readContract({ address: vault, abi: vestingVaultAbi, functionName: 'scheduleCount' }), BigInt(batch.length))
    for (let i = 0; i < batch.length; i++) {
      const onChain = await pc.readContract({ address: vault, abi: vestingVaultAbi, functionName: 'schedule', args: [BigInt(i + 1)] })
      const b = batch[i]!
      assert.deepEqual(
        [onChain.beneficiary, onChain.start, onChain.cliff, onChain.duration, onChain.amount, onChain.revocable],
        [b.beneficiary, b.start, b.cliff, b.duration, b.amount, b.revocable],
        `schedule ${i + 1} is the config's`,
      )
    }
    assert.equal(await pc.readContract({ address: sahara, abi: erc20Abi, functionName: 'balanceOf', args: [vault] }), total)
    // The vault's revocations go to the DAO and its owner is the timelock.
    assert.equal(await pc.readContract({ address: vault, abi: vestingVaultAbi, functionName: 'treasury' }), devnet.deployments.contracts.SaharaTimelock)
    assert.equal(await pc.readContract({ address: vault, abi: vestingVaultAbi, functionName: 'owner' }), devnet.deployments.contracts.SaharaTimelock)

    // SDK side: the per-allocation unlocked amount of the report's month rows, at any second.
    const instants = new Set<bigint>()
    for (let m = 0n; m <= 60n; m++) instants.add(t.tgeTimestamp + m * MONTH_SECONDS)
    for (const b of batch) for (const d of [-1n, 0n, 1n]) for (const edge of [b.start, b.start + b.cliff, b.start + b.duration / 2n, b.start + b.duration]) instants.add(edge + d)
    let checked = 0
    for (let i = 0; i < batch.length; i++) {
      const id = BigInt(i + 1)
      for (const at of instants) {
        const onChain = await pc.readContract({ address: vault, abi: vestingVaultAbi, functionName: 'vestedAmount', args: [id, at] })
        assert.equal(onChain, unlockedAt(vested[i]!, t.tgeTimestamp, at), `schedule ${id} at ${at}`)
        checked++
      }
    }
    assert.equal(checked, batch.length * instants.size)
    assert.ok(instants.size > 61)

    // Release 13 months and 17 seconds after TGE (past the cliff): pays exactly the SDK amount.
    const when = t.tgeTimestamp + 13n * MONTH_SECONDS + 17n
    await pc.request({ method: 'evm_setNextBlockTimestamp' as never, params: [numberToHex(when)] as never })
    const beneficiary = batch[0]!.beneficiary
    const before = await pc.readContract({ address: sahara, abi: erc20Abi, functionName: 'balanceOf', args: [beneficiary] })
    const released = await mined(await wallet.writeContract({ address: vault, abi: vestingVaultAbi, functionName: 'release', args: [1n], account: wallet.account!, chain: wallet.chain }))
    const block = await pc.getBlock({ blockNumber: released.blockNumber })
    assert.equal(block.timestamp, when)
    const paid = (await pc.readContract({ address: sahara, abi: erc20Abi, functionName: 'balanceOf', args: [beneficiary] })) - before
    assert.ok(paid > 0n)
    assert.equal(paid, unlockedAt(vested[0]!, t.tgeTimestamp, when))
  })
})
