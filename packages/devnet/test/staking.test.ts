// deployStaking outside startDevnet: production defaults, a separate admin (pending two-step
// ownership), no reserve (the genesis seam funds it later through fundStakingReserve), nodes
// registered before staking synced, and bad settings refused before anything is sent.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { parseEther, type Address } from 'viem'
import {
  DEFAULT_STAKING_UNBONDING_DELAY,
  DeployError,
  deployProtocol,
  deployStaking,
  devAccounts,
  emissionRate,
  fundStakingReserve,
  loadArtifact,
  localChain,
  publicClientFor,
  startAnvil,
  startEmissions,
  walletClientFor,
} from '../src/index.ts'

const accounts = devAccounts(4)
const cleanups: (() => Promise<void>)[] = []
after(async () => {
  for (const c of cleanups) await c()
})

describe('deployStaking', () => {
  it('wires NodeStaking to NodeRegistry with production defaults, a pending admin and no reserve; fundStakingReserve funds it later', async () => {
    const a = await startAnvil({ chainId: 31337 })
    cleanups.push(() => a.stop())
    const chain = localChain(31337, a.rpcUrl)
    const publicClient = publicClientFor(a.rpcUrl, chain)
    const walletClient = walletClientFor(a.rpcUrl, accounts[0]!.privateKey, chain)
    const admin = accounts[1]!.address
    const { deployments } = await deployProtocol({ walletClient, publicClient, admin, treasury: accounts[2]!.address, tokenRecipient: accounts[0]!.address })
    const c = deployments.contracts
    const read = <T>(address: Address, name: string, functionName: string, args: readonly unknown[] = []) =>
      publicClient.readContract({ address, abi: loadArtifact(name).abi, functionName, args }) as Promise<T>
    const send = async (address: Address, name: string, functionName: string, args: readonly unknown[]) => {
      const hash = await walletClient.writeContract({ address, abi: loadArtifact(name).abi, functionName, args, chain: null } as never)
      assert.equal((await publicClient.waitForTransactionReceipt({ hash })).status, 'success')
    }
    // A node registered before staking exists (the deployer runs it).
    await send(c.SaharaToken, 'SaharaToken', 'approve', [c.NodeRegistry, parseEther('1000')])
    await send(c.NodeRegistry!, 'NodeRegistry', 'register', ['http://127.0.0.1:9', accounts[3]!.address, parseEther('1000')])

    const nonce = () => publicClient.getTransactionCount({ address: accounts[0]!.address })
    const before = await nonce()
    await assert.rejects(deployStaking({ walletClient, publicClient, deployments, equivocationSlashBps: 6000 }), DeployError)
    await assert.rejects(deployStaking({ walletClient, publicClient, deployments, unbondingDelay: -1 }), DeployError)
    assert.equal(await nonce(), before, 'refused before sending anything')

    const r = await deployStaking({ walletClient, publicClient, deployments })
    assert.equal(r.emission, undefined)
    assert.equal(r.syncedNodes, 1n)
    const staking = r.contracts.NodeStaking
    assert.equal(await read(c.NodeRegistry!, 'NodeRegistry', 'staking'), staking)
    assert.equal(await read(staking, 'NodeStaking', 'owner'), accounts[0]!.address)
    assert.equal(await read(staking, 'NodeStaking', 'pendingOwner'), admin)
    assert.equal(await read(staking, 'NodeStaking', 'unbondingDelay'), BigInt(DEFAULT_STAKING_UNBONDING_DELAY))
    assert.equal(await read(staking, 'NodeStaking', 'treasury'), accounts[2]!.address)
    assert.deepEqual(await read(staking, 'NodeStaking', 'rewardTokens'), [c.SaharaToken, c.USDT])
    assert.equal(await read(r.contracts.SaharaVotes, 'SaharaVotes', 'staking'), staking)
    // The earlier node's bond carries weight (synced), and its operator's staked votes count it.
    assert.equal(await read(staking, 'NodeStaking', 'totalWeight'), parseEther('1000'))
    assert.equal(await read(staking, 'NodeStaking', 'getStakedVotes', [accounts[0]!.address]), parseEther('1000'))
    assert.equal(await read(staking, 'NodeStaking', 'emissionReserve'), 0n)

    const withStaking = { ...deployments, contracts: { ...c, ...r.contracts } }
    await fundStakingReserve({ funder: walletClient, publicClient, deployments: withStaking, amount: parseEther('123') })
    assert.equal(await read(staking, 'NodeStaking', 'emissionReserve'), parseEther('123'))
    const e = await startEmissions({ owner: walletClient, publicClient, staking, durationSeconds: 1000 })
    assert.deepEqual([e.reserve, e.ratePerSecond, e.end - e.start], [parseEther('123'), parseEther('123') / 1000n, 1000n])
    const [rate, start, end] = await read<readonly [bigint, bigint, bigint, bigint]>(staking, 'NodeStaking', 'emissionSchedule')
    assert.deepEqual([rate, start, end], [e.ratePerSecond, e.start, e.end])
    await assert.rejects(fundStakingReserve({ funder: walletClient, publicClient, deployments, amount: 1n }), /no NodeStaking/)
  })

  it('emissionRate spreads the reserve evenly per second (rounding down)', () => {
    assert.equal(emissionRate(1000n, 3), 333n)
    assert.throws(() => emissionRate(1n, 0), DeployError)
  })
})
