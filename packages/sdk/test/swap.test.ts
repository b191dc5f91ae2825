// Swaps through the devnet's Uniswap v2 SAHARA/USDT pool on a real anvil. Every amount is checked
// against the constant-product formula with the 0.3% fee, computed here from the reserves.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Address } from 'viem'
import { getTransactionCount, readContract, simulateContract, waitForTransactionReceipt, writeContract } from 'viem/actions'
import {
  DeploymentsError,
  InsufficientBalanceError,
  InvalidArgumentError,
  SlippageError,
  createSaharaClient,
  decodeContractError,
  devStablecoinAbi,
  parseAmount,
  uniswapV2PairAbi,
  uniswapV2RouterAbi,
  type SaharaClient,
} from '../src/index'
import { startTestDevnet, type TestDevnet } from './utils/devnet'

const USDT = (s: string) => parseAmount(s, 6)
const SAHARA = (s: string) => parseAmount(s, 18)
const SLIPPAGE_SENTENCE = /^The swap would return less than the minimum output \(slippage\)/

/** Uniswap v2's getAmountOut, written from the formula: 0.3% of the input stays in the pool. */
function expectedOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  const inWithFee = amountIn * 997n
  return (inWithFee * reserveOut) / (reserveIn * 1000n + inWithFee)
}

describe('swap SAHARA <-> USDT on the devnet pool', { timeout: 300_000 }, () => {
  let net: TestDevnet
  let trader: SaharaClient
  let usdt: Address, sahara: Address, pair: Address, router: Address
  const gas: Record<string, bigint> = {}

  before(async () => {
    net = await startTestDevnet()
    trader = net.clients[1]!
    usdt = net.deployments.contracts.USDT
    sahara = net.deployments.contracts.SaharaToken
    pair = net.deployments.contracts.SaharaUsdtPair!
    router = net.deployments.contracts.UniswapV2Router02!
    await trader.faucet({ amount: USDT('1000') })
  })
  after(async () => {
    if (Object.keys(gas).length) console.log(`# swap gas: ${JSON.stringify(gas, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))}`)
    await net?.stop()
  })

  const balance = (token: Address, account: Address) =>
    readContract(trader.publicClient, { address: token, abi: devStablecoinAbi, functionName: 'balanceOf', args: [account] })
  async function reserves(): Promise<{ sahara: bigint; usdt: bigint }> {
    const [token0, [r0, r1]] = await Promise.all([
      readContract(trader.publicClient, { address: pair, abi: uniswapV2PairAbi, functionName: 'token0' }),
      readContract(trader.publicClient, { address: pair, abi: uniswapV2PairAbi, functionName: 'getReserves' }),
    ])
    return token0 === sahara ? { sahara: r0, usdt: r1 } : { sahara: r1, usdt: r0 }
  }

  it('starts from the seeded reserves: 100,000,000 SAHARA / 100,000 USDT', async () => {
    assert.deepEqual(await reserves(), { sahara: SAHARA('100000000'), usdt: USDT('100000') })
    const pool = await trader.getPool({ tokenA: 'SAHARA', tokenB: 'USDT' })
    assert.equal(pool.pair, pair)
    assert.equal(pool.factory, net.deployments.contracts.UniswapV2Factory)
  })

  it('quotes with the constant-product formula', async () => {
    const r = await reserves()
    const q = await trader.quoteSwap({ from: 'USDT', to: 'SAHARA', amountIn: USDT('100') })
    assert.equal(q.amountOut, expectedOut(USDT('100'), r.usdt, r.sahara))
    assert.deepEqual([q.from, q.to, q.pair, q.reserveIn, q.reserveOut], [usdt, sahara, pair, r.usdt, r.sahara])
    const back = await trader.quoteSwap({ from: sahara, to: usdt, amountIn: SAHARA('1000') })
    assert.equal(back.amountOut, expectedOut(SAHARA('1000'), r.sahara, r.usdt))
  })

  it('swaps USDT -> SAHARA: exact output, balances and reserves move to the wei', async () => {
    const me = trader.account!
    const amountIn = USDT('1000')
    const r0 = await reserves()
    const [u0, s0] = await Promise.all([balance(usdt, me), balance(sahara, me)])
    const out = expectedOut(amountIn, r0.usdt, r0.sahara)
    const res = await trader.swap({ from: 'USDT', to: 'SAHARA', amountIn })
    gas.usdtToSahara = res.receipt.gasUsed
    assert.equal(res.amountIn, amountIn)
    assert.equal(res.amountOut, out)
    assert.equal(res.quoted, out)
    assert.equal(res.minAmountOut, (out * 9950n) / 10_000n) // default 0.5% slippage
    assert.ok(res.approvalHash, 'the router was approved first')
    assert.equal(res.recipient, me)
    assert.equal(await balance(usdt, me), u0 - amountIn)
    assert.equal(await balance(sahara, me), s0 + out)
    assert.deepEqual(await reserves(), { usdt: r0.usdt + amountIn, sahara: r0.sahara - out })
    // Exactly amountIn was approved, and all of it was used.
    assert.equal(await readContract(trader.publicClient, { address: usdt, abi: devStablecoinAbi, functionName: 'allowance', args: [me, router] }), 0n)
  })

  it('swaps SAHARA -> USDT with an explicit minimum and recipient', async () => {
    const me = trader.account!
    const to = net.devnet.accounts[2]!.address
    const amountIn = SAHARA('250000.123456789')
    const r0 = await reserves()
    const [s0, u2] = await Promise.all([balance(sahara, me), balance(usdt, to)])
    const out = expectedOut(amountIn, r0.sahara, r0.usdt)
    const res = await trader.swap({ from: 'SAHARA', to: 'USDT', amountIn, minAmountOut: out, recipient: to })
    gas.saharaToUsdt = res.receipt.gasUsed
    assert.equal(res.amountOut, out)
    assert.equal(res.minAmountOut, out)
    assert.equal(await balance(sahara, me), s0 - amountIn)
    assert.equal(await balance(usdt, to), u2 + out)
    assert.deepEqual(await reserves(), { sahara: r0.sahara + amountIn, usdt: r0.usdt - out })
    // A second swap with the allowance already in place sends no approval.
    await trader.faucet({ amount: USDT('10') })
    const r1 = await reserves()
    const { request } = await simulateContract(trader.publicClient, {
      account: trader.walletClient!.account!,
      address: usdt,
      abi: devStablecoinAbi,
      functionName: 'approve',
      args: [router, USDT('10')],
    })
    await waitForTransactionReceipt(trader.publicClient, { hash: await writeContract(trader.walletClient!, { ...request, chain: null } as never) })
    const again = await trader.swap({ from: 'USDT', to: 'SAHARA', amountIn: USDT('10'), slippageBps: 0 })
    assert.equal(again.approvalHash, undefined)
    assert.equal(again.amountOut, expectedOut(USDT('10'), r1.usdt, r1.sahara))
    assert.equal(again.minAmountOut, again.amountOut)
    gas.usdtToSaharaNoApproval = again.receipt.gasUsed
  })

  it('refuses a minimum above the quote with SlippageError, before sending anything', async () => {
    const me = trader.account!
    const q = await trader.quoteSwap({ from: 'USDT', to: 'SAHARA', amountIn: USDT('5') })
    const before = { r: await reserves(), u: await balance(usdt, me), s: await balance(sahara, me), nonce: await getTransactionCount(trader.publicClient, { address: me }) }
    await assert.rejects(trader.swap({ from: 'USDT', to: 'SAHARA', amountIn: USDT('5'), minAmountOut: q.amountOut + 1n }), (e: unknown) => {
      assert.ok(e instanceof SlippageError, String(e))
      assert.match(e.shortMessage, SLIPPAGE_SENTENCE)
      assert.match(e.shortMessage, /is quoted but at least .* SAHARA is required\.$/)
      return true
    })
    assert.deepEqual(
      { r: await reserves(), u: await balance(usdt, me), s: await balance(sahara, me), nonce: await getTransactionCount(trader.publicClient, { address: me }) },
      before,
    )
  })

  it("decodes the router's own slippage revert into SlippageError with the same sentence", async () => {
    const me = trader.account!
    const q = await trader.quoteSwap({ from: 'SAHARA', to: 'USDT', amountIn: SAHARA('1') })
    const err = await simulateContract(trader.publicClient, {
      account: me,
      address: router,
      abi: uniswapV2RouterAbi,
      functionName: 'swapExactTokensForTokens',
      args: [SAHARA('1'), q.amountOut + 1n, [sahara, usdt], me, 2n ** 40n],
    }).then(
      () => assert.fail('expected a revert'),
      (e: unknown) => decodeContractError(e),
    )
    assert.ok(err instanceof SlippageError)
    assert.deepEqual(err.args, ['UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT'])
    assert.match(err.shortMessage, SLIPPAGE_SENTENCE)
    // Other Uniswap revert strings read as sentences too.
    const expired = await simulateContract(trader.publicClient, {
      account: me,
      address: router,
      abi: uniswapV2RouterAbi,
      functionName: 'swapExactTokensForTokens',
      args: [SAHARA('1'), 0n, [sahara, usdt], me, 1n],
    }).then(
      () => assert.fail('expected a revert'),
      (e: unknown) => decodeContractError(e),
    )
    assert.equal(expired.shortMessage, 'The swap deadline passed before the transaction was mined; send it again.')
  })

  it('rejects bad input and a short balance with typed errors', async () => {
    await assert.rejects(trader.quoteSwap({ from: 'USDT', to: 'usdt', amountIn: 1n }), InvalidArgumentError)
    await assert.rejects(trader.quoteSwap({ from: 'USDT', to: 'SAHARA', amountIn: 0n }), InvalidArgumentError)
    await assert.rejects(trader.quoteSwap({ from: 'USDT', to: 'DOGE', amountIn: 1n }), /Unknown token "DOGE"/)
    await assert.rejects(trader.swap({ from: 'USDT', to: 'SAHARA', amountIn: 1n, slippageBps: 10_001 }), InvalidArgumentError)
    const poor = net.clients[7]!
    await assert.rejects(poor.swap({ from: 'USDT', to: 'SAHARA', amountIn: USDT('1') }), (e: unknown) => {
      assert.ok(e instanceof InsufficientBalanceError)
      assert.match(e.shortMessage, /has 0 USDT but 1 USDT is needed\.$/)
      return true
    })
  })

  it('needs the router in the deployments: a clear DeploymentsError for older files', async () => {
    const { UniswapV2Router02: _r, UniswapV2Factory: _f, WETH9: _w, SaharaUsdtPair: _p, ...contracts } = net.deployments.contracts
    const old = createSaharaClient({ publicClient: trader.publicClient, deployments: { ...net.deployments, contracts } })
    await assert.rejects(old.quoteSwap({ from: 'USDT', to: 'SAHARA', amountIn: 1n }), (e: unknown) => {
      assert.ok(e instanceof DeploymentsError)
      assert.match(e.shortMessage, /have no UniswapV2Router02/)
      return true
    })
    // A real network's file may name only the router: the factory and the pair are read from it.
    const routerOnly = createSaharaClient({ publicClient: trader.publicClient, deployments: { ...net.deployments, contracts: { ...contracts, UniswapV2Router02: router } } })
    const pool = await routerOnly.getPool({ tokenA: 'USDT', tokenB: 'SAHARA' })
    assert.equal(pool.pair, pair)
    assert.equal(pool.factory, net.deployments.contracts.UniswapV2Factory)
  })
})
