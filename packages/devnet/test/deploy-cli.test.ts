// deploy-cli against a fresh plain anvil (not the devnet launcher) on a non-dev chain id: a config
// naming dev accounts is refused before anything is sent; with a config naming plain addresses the
// whole pipeline runs (modules, GrantPool, NodeStaking, genesis, treasury + handover to the
// timelock), verifyHandover passes, the supply sums to 10B to the wei across the recipients, and a
// re-run sends no transaction.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { erc20Abi, getAddress, type Address } from 'viem'
import { loadDeploymentsFile, nodeStakingAbi, revenueVaultAbi, type Deployments } from '@sahara/sdk'
import {
  DEFAULT_EMISSION_DURATION,
  devAccounts,
  loadUniswapArtifact,
  localChain,
  publicClientFor,
  repoRoot,
  startAnvil,
  verifyHandover,
  walletClientFor,
  type AnvilInstance,
} from '../src/index.ts'

const CHAIN_ID = 4242 // not in DEV_CHAIN_IDS: the real-network rules apply
const SUPPLY = 10_000_000_000n * 10n ** 18n
const cli = path.join(repoRoot, 'packages', 'devnet', 'src', 'deploy-cli.ts')
const deployer = devAccounts(1)[0]!
// Plain addresses nobody holds a dev key for.
const plain = (n: number): Address => getAddress(`0x${n.toString(16).padStart(2, '0').repeat(20)}`)

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cli, ...args],
      { cwd: repoRoot, env: { ...process.env, DEPLOYER_PRIVATE_KEY: deployer.privateKey }, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

describe('deploy-cli on a real-network-like chain', { timeout: 300_000 }, () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sahara-deploy-cli-'))
  const out = path.join(tmp, 'deployments')
  const configFile = path.join(tmp, 'governance.json')
  let anvil: AnvilInstance
  const nonce = () => publicClientFor(anvil.rpcUrl).getTransactionCount({ address: deployer.address })

  before(async () => {
    anvil = await startAnvil({ chainId: CHAIN_ID })
    writeFileSync(path.join(tmp, 'airdrop.csv'), `address,amount\n${plain(0xa1)},1000\n${plain(0xa2)},2500.5\n`)
    const base = JSON.parse(readFileSync(path.join(repoRoot, 'config', 'governance.json'), 'utf8'))
    base.guardian.address = plain(0x9a)
    base.genesis.launchpadRecipient = plain(0x1a)
    base.genesis.airdrop.list = 'airdrop.csv'
    writeFileSync(configFile, JSON.stringify(base))
  })
  after(async () => {
    await anvil?.stop()
    rmSync(tmp, { recursive: true, force: true })
  })

  const args = () => ['--rpc-url', anvil.rpcUrl, '--out', out, '--dev-stablecoin']

  it('refuses the devnet config (dev accounts, "deployer") before sending anything', async () => {
    const r = await run([...args(), '--governance-config', path.join(repoRoot, 'config', 'governance.json')])
    assert.equal(r.code, 1, r.stderr)
    assert.match(r.stderr, /error: the governance config: guardian\.address is anvil dev account #8 \(0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f\), whose private key is public; chain 4242 is not a local dev chain: name a real address\./)
    const launchpadOnly = JSON.parse(readFileSync(configFile, 'utf8'))
    launchpadOnly.genesis.launchpadRecipient = 'deployer'
    const other = path.join(tmp, 'deployer-launchpad.json')
    writeFileSync(other, JSON.stringify(launchpadOnly))
    const r2 = await run([...args(), '--governance-config', other])
    assert.equal(r2.code, 1)
    assert.match(r2.stderr, /genesis\.launchpadRecipient is "deployer" .*real deployments name the recipient's address\./)
    const r3 = await run([...args(), '--governance-config', configFile, '--treasury', plain(0x33)])
    assert.equal(r3.code, 2)
    assert.match(r3.stderr, /--treasury is no longer an option: every module's admin and treasury is the DAO timelock/)
    assert.equal(await nonce(), 0)
  })

  let d: Deployments
  it('deploys everything and hands the treasury and every admin power to the timelock', async () => {
    const r = await run([...args(), '--governance-config', configFile])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /No SAHARA\/USDT pool is created \(no --uniswap-router given\): the liquidity bucket goes to the DAO timelock/)
    d = loadDeploymentsFile(path.join(out, `${CHAIN_ID}.json`))
    const pc = publicClientFor(anvil.rpcUrl)
    const timelock = d.contracts.SaharaTimelock!
    assert.ok(timelock && d.contracts.GrantPool && d.contracts.NodeStaking)
    assert.equal(d.admin, timelock)
    assert.equal(d.treasury, timelock)
    assert.equal(d.governance?.handedOver, true)
    assert.equal(await pc.readContract({ address: d.contracts.RevenueVault, abi: revenueVaultAbi, functionName: 'treasury' }), timelock)
    const check = await verifyHandover(pc, d)
    assert.deepEqual(check.problems, [])

    // The supply, to the wei, across the recipients (the deployer keeps nothing).
    const bal = (who: Address) => pc.readContract({ address: d.contracts.SaharaToken, abi: erc20Abi, functionName: 'balanceOf', args: [who] })
    const recipients = [...new Set(d.genesis!.transfers.map((x) => getAddress(x.recipient)))]
    assert.ok(!recipients.includes(d.deployer))
    for (const who of [plain(0x1a), timelock, d.contracts.GrantPool!, d.contracts.NodeStaking!, d.contracts.VestingVault!, d.contracts.MerkleAirdrop!]) {
      assert.ok(recipients.includes(who), `${who} is a genesis recipient`)
    }
    let sum = 0n
    for (const who of recipients) sum += await bal(who)
    assert.equal(sum, SUPPLY)
    assert.equal(await bal(d.deployer), 0n)
    const liquidity = d.genesis!.transfers.find((x) => x.id === 'liquidity')!
    assert.equal(liquidity.recipient, timelock)
    // The staking rewards bucket streams over 48 months from NodeStaking's reserve.
    const staking = { address: d.contracts.NodeStaking!, abi: nodeStakingAbi } as const
    const [rate, start, end] = await pc.readContract({ ...staking, functionName: 'emissionSchedule' })
    const reserve = BigInt(d.genesis!.transfers.find((x) => x.id === 'community/stakingRewards')!.amount)
    assert.equal(end - start, BigInt(DEFAULT_EMISSION_DURATION))
    assert.equal(rate, reserve / BigInt(DEFAULT_EMISSION_DURATION))
  })

  it('a re-run sends no transaction', async () => {
    const before = await nonce()
    const r = await run([...args(), '--governance-config', configFile])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /is complete and verified on chain: nothing was sent\./)
    assert.equal(await nonce(), before)
    assert.deepEqual(loadDeploymentsFile(path.join(out, `${CHAIN_ID}.json`)), d)
  })

  it('--uniswap-router records the network\'s Uniswap v2 deployment; without a SAHARA/USDT pair the liquidity bucket goes to the timelock', async () => {
    // "The network's" Uniswap: deployed by someone else (dev account 1) from the official artifacts.
    const someone = walletClientFor(anvil.rpcUrl, devAccounts(2)[1]!.privateKey, localChain(CHAIN_ID, anvil.rpcUrl))
    const pc = publicClientFor(anvil.rpcUrl)
    const create = async (name: 'WETH9' | 'UniswapV2Factory' | 'UniswapV2Router02', args: readonly unknown[]) => {
      const a = loadUniswapArtifact(name)
      const hash = await someone.deployContract({ abi: a.abi, bytecode: a.bytecode, args, chain: null } as never)
      return getAddress((await pc.waitForTransactionReceipt({ hash })).contractAddress!)
    }
    const weth = await create('WETH9', [])
    const factory = await create('UniswapV2Factory', [someone.account.address])
    const router = await create('UniswapV2Router02', [factory, weth])
    const out2 = path.join(tmp, 'with-router')
    const r = await run(['--rpc-url', anvil.rpcUrl, '--out', out2, '--dev-stablecoin', '--governance-config', configFile, '--uniswap-router', router])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /No SAHARA\/USDT pool is created \(the router has no such pair\)/)
    const d2 = loadDeploymentsFile(path.join(out2, `${CHAIN_ID}.json`))
    assert.deepEqual([d2.contracts.UniswapV2Router02, d2.contracts.UniswapV2Factory, d2.contracts.WETH9, d2.contracts.SaharaUsdtPair], [router, factory, weth, undefined])
    assert.equal(d2.genesis!.transfers.find((x) => x.id === 'liquidity')!.recipient, d2.contracts.SaharaTimelock)
    // The factory is the network's: its fee setter stays with its owner, and the handover verifies.
    assert.deepEqual(await verifyHandover(pc, d2), { ok: true, problems: [] })
  })
})
