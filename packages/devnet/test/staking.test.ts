// Node staking on a real devnet: NodeStaking + SaharaVotes deployed and wired by startDevnet, then
// driven end to end through the SDK actions (delegate, rewards, commission, undelegate, withdraw).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { getAddress, parseUnits, type Hex } from 'viem'
import {
  STAKING_CONTRACT_NAMES,
  claimStakingRewards,
  delegateStake,
  devStablecoinAbi,
  getStake,
  nodeRegistryAbi,
  nodeStakingAbi,
  registerNode,
  saharaVotesAbi,
  setNodeCommission,
  undelegateStake,
  withdrawUnbonded,
} from '@sahara/sdk'
import { DEVNET_STAKING, localChain, startDevnet, walletClientFor, type Devnet } from '../src/index.ts'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sahara-staking-test-'))
let devnet: Devnet | undefined
after(async () => {
  await devnet?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

describe('devnet staking', () => {
  it('deploys and wires NodeStaking + SaharaVotes, and the SDK stakes, earns, unbonds and withdraws', async () => {
    devnet = await startDevnet({ dataDir: path.join(tmp, 'devnet'), fresh: true })
    const d = devnet.deployments
    const pc = devnet.publicClient
    for (const n of STAKING_CONTRACT_NAMES) assert.ok(d.contracts[n], `${n} is recorded`)
    const staking = d.contracts.NodeStaking!
    assert.equal(getAddress(await pc.readContract({ address: d.contracts.NodeRegistry, abi: nodeRegistryAbi, functionName: 'staking' })), staking)
    assert.equal(await pc.readContract({ address: staking, abi: nodeStakingAbi, functionName: 'unbondingDelay' }), DEVNET_STAKING.unbondingDelay)
    const tokens = await pc.readContract({ address: staking, abi: nodeStakingAbi, functionName: 'rewardTokens' })
    assert.deepEqual(tokens.map((t) => getAddress(t)), [d.contracts.SaharaToken, d.contracts.USDT])

    const chain = localChain(devnet.chainId, devnet.rpcUrl)
    const wallet = (i: number) => walletClientFor(devnet!.rpcUrl, devnet!.accounts[i]!.privateKey as Hex, chain)
    const admin = wallet(0)
    const [operator, delegator] = [wallet(1), wallet(2)]
    const send = async (hash: Hex) => assert.equal((await pc.waitForTransactionReceipt({ hash })).status, 'success')
    for (const w of [operator, delegator]) {
      await send(await admin.writeContract({ chain, address: d.contracts.SaharaToken, abi: devStablecoinAbi, functionName: 'transfer', args: [w.account.address, parseUnits('10000', 18)] }))
    }
    const op = { publicClient: pc, walletClient: operator, deployments: d }
    const del = { publicClient: pc, walletClient: delegator, deployments: d }
    const { nodeId } = await registerNode(op, { endpoint: 'http://127.0.0.1:1/node', stake: parseUnits('1000', 18) })
    const commission = await setNodeCommission(op, { nodeId, bps: 1000 })
    assert.equal(commission.applied, true, 'no delegators yet: applied at once')

    const { shares } = await delegateStake(del, { nodeId, amount: parseUnits('3000', 18) })
    assert.equal(shares, parseUnits('3000', 18))
    let stake = await getStake(del, { nodeId, account: delegator.account.address })
    assert.equal(stake.value, parseUnits('3000', 18))
    assert.equal(stake.node.selfBond, parseUnits('1000', 18))
    assert.equal(stake.node.weight, parseUnits('4000', 18))
    assert.equal(stake.node.commissionBps, 1000)

    // a 4,000 USDT fee share: 10% commission, then 1,000 : 3,000 between bond and pool
    const fee = parseUnits('4000', 6)
    await send(await admin.writeContract({ chain, address: d.contracts.USDT, abi: devStablecoinAbi, functionName: 'faucet', args: [admin.account.address, fee] }))
    await send(await admin.writeContract({ chain, address: d.contracts.USDT, abi: devStablecoinAbi, functionName: 'approve', args: [staking, fee] }))
    await send(await admin.writeContract({ chain, address: staking, abi: nodeStakingAbi, functionName: 'notifyFees', args: [d.contracts.USDT, fee] }))
    const claimed = await claimStakingRewards(del, { nodeId })
    assert.deepEqual(claimed.paid, [{ token: d.contracts.USDT, amount: parseUnits('2700', 6) }])
    const opClaim = await claimStakingRewards(op, { nodeId })
    assert.deepEqual(opClaim.paid, [{ token: d.contracts.USDT, amount: parseUnits('1300', 6) }])

    // staked votes keep governance weight
    const votesNow = await pc.readContract({ address: d.contracts.SaharaVotes!, abi: saharaVotesAbi, functionName: 'getVotes', args: [delegator.account.address] })
    assert.equal(votesNow, parseUnits('3000', 18))

    const out = await undelegateStake(del, { nodeId, shares: 'all' })
    assert.equal(out.amount, parseUnits('3000', 18))
    stake = await getStake(del, { nodeId, account: delegator.account.address })
    assert.equal(stake.shares, 0n)
    assert.equal(stake.unbonding.length, 1)
    await pc.request({ method: 'evm_increaseTime' as never, params: [Number(DEVNET_STAKING.unbondingDelay) + 1] as never })
    await pc.request({ method: 'evm_mine' as never, params: [] as never })
    const w = await withdrawUnbonded(del, { nodeId })
    assert.equal(w.amount, parseUnits('3000', 18))
    const bal = await pc.readContract({ address: d.contracts.SaharaToken, abi: devStablecoinAbi, functionName: 'balanceOf', args: [delegator.account.address] })
    assert.equal(bal, parseUnits('10000', 18))
  })
})
