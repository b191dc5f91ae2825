// The devnet's SAHARA/USDT exchange on a real anvil: the official Uniswap v2 artifacts deployed,
// the pool seeded with exactly the liquidity bucket, addresses recorded and reused.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { getAddress, getContractAddress, keccak256, type Address } from 'viem'
import { EXCHANGE_CONTRACT_NAMES, devStablecoinAbi, parseDeployments } from '@sahara/sdk'
import {
  DEFAULT_LIQUIDITY_SAHARA,
  describeDevnet,
  existingExchange,
  liquidityBucketSahara,
  loadUniswapArtifact,
  pairInitCodeHash,
  startDevnet,
  type Devnet,
} from '../src/index.ts'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sahara-exchange-test-'))
const cleanups: (() => Promise<void> | void)[] = []
after(async () => {
  for (const c of cleanups.reverse()) await c()
  rmSync(tmp, { recursive: true, force: true })
})

const SAHARA_SEED = 100_000_000n * 10n ** 18n
const USDT_SEED = 100_000n * 10n ** 6n

async function start(dataDir: string, fresh = false): Promise<Devnet> {
  const d = await startDevnet({ dataDir, fresh })
  cleanups.push(() => d.stop())
  return d
}

describe('devnet exchange', () => {
  const dataDir = path.join(tmp, 'devnet')
  let first: Devnet

  it('reads the liquidity bucket from config/tokenomics.json (1% of the supply), else the constant', () => {
    assert.equal(liquidityBucketSahara(), SAHARA_SEED)
    assert.equal(liquidityBucketSahara(path.join(tmp, 'nope.json')), DEFAULT_LIQUIDITY_SAHARA)
    assert.equal(DEFAULT_LIQUIDITY_SAHARA, SAHARA_SEED)
  })

  it('seeds the SAHARA/USDT pool with exactly 100,000,000 SAHARA / 100,000 USDT, LP tokens to the treasury (the timelock)', async () => {
    first = await start(dataDir, true)
    const d = first.deployments
    const c = d.contracts
    for (const n of EXCHANGE_CONTRACT_NAMES) {
      assert.ok(c[n], `${n} is recorded`)
      assert.ok(((await first.publicClient.getCode({ address: c[n]! })) ?? '0x').length > 2, `${n} has code`)
    }
    assert.deepEqual(parseDeployments(JSON.parse(readFileSync(first.deploymentsFile, 'utf8'))).contracts, c)
    assert.deepEqual(first.exchange?.reserves, { sahara: SAHARA_SEED, usdt: USDT_SEED })

    const pc = first.publicClient
    const pair = { address: c.SaharaUsdtPair!, abi: loadUniswapArtifact('UniswapV2Pair').abi }
    const [token0, token1, reserves] = (await Promise.all([
      pc.readContract({ ...pair, functionName: 'token0' }),
      pc.readContract({ ...pair, functionName: 'token1' }),
      pc.readContract({ ...pair, functionName: 'getReserves' }),
    ])) as [Address, Address, readonly [bigint, bigint, number]]
    const saharaIs0 = getAddress(token0) === c.SaharaToken
    assert.deepEqual(new Set([getAddress(token0), getAddress(token1)]), new Set([c.SaharaToken, c.USDT]))
    assert.equal(saharaIs0 ? reserves[0] : reserves[1], SAHARA_SEED)
    assert.equal(saharaIs0 ? reserves[1] : reserves[0], USDT_SEED)
    // The pool holds exactly the reserves (nothing stray to skim).
    const erc20 = devStablecoinAbi
    assert.equal(await pc.readContract({ address: c.SaharaToken, abi: erc20, functionName: 'balanceOf', args: [c.SaharaUsdtPair!] }), SAHARA_SEED)
    assert.equal(await pc.readContract({ address: c.USDT, abi: erc20, functionName: 'balanceOf', args: [c.SaharaUsdtPair!] }), USDT_SEED)
    // LP: sqrt(x*y) minus the 1000 wei Uniswap locks forever at the zero address.
    const lp = (await pc.readContract({ ...pair, functionName: 'balanceOf', args: [d.treasury] })) as bigint
    assert.equal(lp, isqrt(SAHARA_SEED * USDT_SEED) - 1000n)
    assert.equal(first.exchange?.liquidity, lp)
    assert.equal(await pc.readContract({ ...pair, functionName: 'totalSupply' }), lp + 1000n)
    // The admin may set the exchange fee recipient; no protocol fee is switched on.
    const factory = { address: c.UniswapV2Factory!, abi: loadUniswapArtifact('UniswapV2Factory').abi }
    assert.equal(await pc.readContract({ ...factory, functionName: 'feeToSetter' }), d.admin)
    assert.equal(await pc.readContract({ ...factory, functionName: 'feeTo' }), '0x0000000000000000000000000000000000000000')
    assert.equal(await pc.readContract({ ...factory, functionName: 'allPairsLength' }), 1n)
    // `npm start` prints the pool.
    const lines = await describeDevnet(first, { requestedPort: 0 })
    assert.ok(lines.some((l) => /^\s+SAHARA\/USDT pool\s+100000000 SAHARA \/ 100000 USDT \(Uniswap v2/.test(l)), lines.join('\n'))
    for (const n of EXCHANGE_CONTRACT_NAMES) assert.ok(lines.some((l) => l.includes(n) && l.includes(c[n]!)), `${n} is printed`)
    // ... and the treasury, which holds those LP tokens, as the DAO timelock.
    assert.equal(d.treasury, c.SaharaTimelock)
    assert.ok(lines.some((l) => l.startsWith(`  Protocol treasury  ${c.SaharaTimelock} (DAO timelock:`)), lines.join('\n'))
  })

  it('the router, the factory and the pair agree (factory.getPair, router.factory, the init code hash)', async () => {
    const c = first.deployments.contracts
    const pc = first.publicClient
    const router = { address: c.UniswapV2Router02!, abi: loadUniswapArtifact('UniswapV2Router02').abi }
    const factoryAbi = loadUniswapArtifact('UniswapV2Factory').abi
    assert.equal(await pc.readContract({ ...router, functionName: 'factory' }), c.UniswapV2Factory)
    assert.equal(await pc.readContract({ ...router, functionName: 'WETH' }), c.WETH9)
    for (const [a, b] of [[c.SaharaToken, c.USDT], [c.USDT, c.SaharaToken]] as const) {
      assert.equal(await pc.readContract({ address: c.UniswapV2Factory!, abi: factoryAbi, functionName: 'getPair', args: [a, b] }), c.SaharaUsdtPair)
    }
    // The router never asks the factory: it derives pair addresses by CREATE2 from the init code hash
    // compiled into its bytecode. That hash must be the one of the pair code the factory deploys.
    const hash = pairInitCodeHash()
    const routerCode = (await pc.getCode({ address: c.UniswapV2Router02! }))!
    assert.ok(routerCode.toLowerCase().includes(hash.slice(2).toLowerCase()), 'the router embeds the pair init code hash')
    const [t0, t1] = BigInt(c.SaharaToken) < BigInt(c.USDT) ? [c.SaharaToken, c.USDT] : [c.USDT, c.SaharaToken]
    const salt = keccak256(`0x${t0.slice(2)}${t1.slice(2)}`.toLowerCase() as `0x${string}`)
    const predicted = getContractAddress({ opcode: 'CREATE2', from: c.UniswapV2Factory!, salt, bytecodeHash: hash })
    assert.equal(predicted, c.SaharaUsdtPair)
    // And the router's own view of the pool answers from these reserves: 1 USDT in at 1000 SAHARA/USDT.
    const [, out] = (await pc.readContract({ ...router, functionName: 'getAmountsOut', args: [10n ** 6n, [c.USDT, c.SaharaToken]] })) as bigint[]
    const inWithFee = 10n ** 6n * 997n
    assert.equal(out, (inWithFee * SAHARA_SEED) / (USDT_SEED * 1000n + inWithFee))
  })

  it('finds an existing Uniswap deployment from its router (how a real network is recorded)', async () => {
    const d = first.deployments
    const { UniswapV2Factory, UniswapV2Router02, WETH9, SaharaUsdtPair, ...rest } = d.contracts
    const found = await existingExchange(first.publicClient, { ...d, contracts: rest }, UniswapV2Router02!)
    assert.deepEqual(found, { UniswapV2Factory, UniswapV2Router02, WETH9, SaharaUsdtPair })
    // No pool for another pair of tokens: the pair is left out.
    const other = await existingExchange(first.publicClient, { ...d, contracts: { ...rest, USDT: d.contracts.RevenueVault } }, UniswapV2Router02!)
    assert.equal(other.SaharaUsdtPair, undefined)
    await assert.rejects(existingExchange(first.publicClient, d, '0x000000000000000000000000000000000000dEaD'), /no contract at the Uniswap v2 router/)
  })

  it('reuses the recorded exchange on a restart without sending anything', async () => {
    const before = first.deployments.contracts
    const block = await first.publicClient.getBlockNumber()
    await first.stop()
    const again = await start(dataDir)
    assert.equal(again.reused, true)
    assert.equal(again.exchange, undefined)
    assert.deepEqual(again.deployments.contracts, before)
    assert.equal(await again.publicClient.getBlockNumber(), block)
    await again.stop()
  })

  it('adds the exchange to a devnet recorded before it existed', async () => {
    const file = path.join(dataDir, 'deployments', '31337.json')
    const json = JSON.parse(readFileSync(file, 'utf8'))
    const old = { ...json.contracts }
    for (const n of EXCHANGE_CONTRACT_NAMES) delete json.contracts[n]
    writeFileSync(file, JSON.stringify(json))
    const d = await start(dataDir)
    assert.equal(d.reused, true)
    assert.ok(d.exchange, 'the exchange was deployed')
    for (const n of EXCHANGE_CONTRACT_NAMES) {
      assert.ok(d.deployments.contracts[n])
      assert.notEqual(d.deployments.contracts[n], old[n], `${n} is a new deployment`)
    }
    assert.deepEqual(d.exchange!.reserves, { sahara: SAHARA_SEED, usdt: USDT_SEED })
    assert.deepEqual(parseDeployments(JSON.parse(readFileSync(file, 'utf8'))).contracts, d.deployments.contracts)
    await d.stop()
  })
})

function isqrt(n: bigint): bigint {
  if (n < 2n) return n
  let x = n
  let y = (x + 1n) / 2n
  while (y < x) {
    x = y
    y = (x + n / x) / 2n
  }
  return x
}
