// `sahara swap quote` and `sahara swap` end to end: the real bin against a devnet (real anvil,
// random port) and its seeded SAHARA/USDT pool; amounts checked against the constant-product formula.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { devStablecoinAbi, formatAmount, uniswapV2PairAbi } from '@sahara/sdk'
import type { Address } from 'viem'
import { useCliTestDevnet } from './utils/devnet.ts'
import { cliRunner } from './utils/runCli.ts'


function expectedOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  const inWithFee = amountIn * 997n
  return (inWithFee * reserveOut) / (reserveIn * 1000n + inWithFee)
}

describe('sahara swap', { timeout: 300_000 }, () => {
  const net = useCliTestDevnet('sahara-cli-swap-')
  const addr = (i: number) => net.devnet.accounts[i]!.address

  const { sahara, json, fails } = cliRunner(net)
  const c = () => net.devnet.deployments.contracts
  const balance = (token: Address, account: Address) =>
    net.devnet.publicClient.readContract({ address: token, abi: devStablecoinAbi, functionName: 'balanceOf', args: [account] })
  async function reserves(): Promise<{ sahara: bigint; usdt: bigint }> {
    const pair = c().SaharaUsdtPair!
    const pc = net.devnet.publicClient
    const token0 = await pc.readContract({ address: pair, abi: uniswapV2PairAbi, functionName: 'token0' })
    const [r0, r1] = await pc.readContract({ address: pair, abi: uniswapV2PairAbi, functionName: 'getReserves' })
    return token0 === c().SaharaToken ? { sahara: r0, usdt: r1 } : { sahara: r1, usdt: r0 }
  }

  it('quotes, then swaps USDT -> SAHARA and back, printing the exact amounts', async () => {
    assert.equal((await sahara(['faucet', '500'], { key: 3 })).code, 0)
    const r0 = await reserves()
    assert.deepEqual(r0, { sahara: 100_000_000n * 10n ** 18n, usdt: 100_000n * 10n ** 6n })
    const out = expectedOut(250_500_000n, r0.usdt, r0.sahara) // 250.5 USDT

    const q = await json(['swap', 'quote', '250.5', 'USDT', 'SAHARA'])
    assert.equal(q.amountIn, '250500000')
    assert.equal(q.amountOut, out.toString())
    assert.equal(q.pair, c().SaharaUsdtPair)
    assert.deepEqual([q.reserveIn, q.reserveOut], [r0.usdt.toString(), r0.sahara.toString()])
    const human = await sahara(['swap', 'quote', '250.5', 'usdt', 'sahara'])
    assert.equal(human.code, 0)
    assert.equal(human.stdout.split('\n')[0], `250.5 USDT -> ${formatAmount(out, 18, 'SAHARA')}`)

    const s = await json(['swap', '250.5', 'USDT', 'SAHARA'], { key: 3 })
    assert.equal(s.amountOut, out.toString())
    assert.equal(s.minAmountOut, ((out * 9950n) / 10_000n).toString())
    assert.match(s.tx, /^0x[0-9a-f]{64}$/)
    assert.match(s.approvalTx, /^0x[0-9a-f]{64}$/)
    assert.equal(await balance(c().USDT, addr(3)), 249_500_000n)
    assert.equal(await balance(c().SaharaToken, addr(3)), out)
    assert.deepEqual(await reserves(), { usdt: r0.usdt + 250_500_000n, sahara: r0.sahara - out })

    // Back: all the SAHARA just bought, human output with the exact amount received.
    const r1 = await reserves()
    const back = expectedOut(out, r1.sahara, r1.usdt)
    const sold = formatAmount(out, 18)
    const h = await sahara(['swap', sold, 'SAHARA', 'USDT', '--slippage-bps', '0'], { key: 3 })
    assert.equal(h.code, 0, h.stderr)
    assert.equal(h.stdout.split('\n')[0], `Swapped ${sold} SAHARA for ${formatAmount(back, 6, 'USDT')}`)
    assert.match(h.stdout, /^\s+tx\s+0x[0-9a-f]{64}$/m)
    assert.equal(await balance(c().SaharaToken, addr(3)), 0n)
    assert.equal(await balance(c().USDT, addr(3)), 249_500_000n + back)
    // A round trip costs the two 0.3% fees (and the price impact): less than the 250.5 USDT paid.
    assert.ok(back < 250_500_000n)
  })

  it('refuses a --min-out above the quote with one sentence and exit 1, moving nothing', async () => {
    assert.equal((await sahara(['faucet', '10'], { key: 4 })).code, 0)
    const before = { r: await reserves(), u: await balance(c().USDT, addr(4)) }
    await fails(['swap', '10', 'USDT', 'SAHARA', '--min-out', '1000000'], 1, /^The swap would return less than the minimum output \(slippage\): .* SAHARA is quoted but at least 1000000 SAHARA is required\.$/, { key: 4 })
    assert.deepEqual({ r: await reserves(), u: await balance(c().USDT, addr(4)) }, before)
  })

  it('rejects bad input with one sentence and exit 2', async () => {
    await fails(['swap', 'quote', 'ten', 'USDT', 'SAHARA'], 2, '"ten" is not a valid amount; write a decimal number like 12.5.')
    await fails(['swap', 'quote', '0', 'USDT', 'SAHARA'], 2, 'The amount to swap must be greater than zero.')
    await fails(['swap', 'quote', '1.0000001', 'USDT', 'SAHARA'], 2, '"1.0000001" has more than 6 decimal places, the precision of USDT.')
    await fails(['swap', 'quote', '1', 'USDT', 'DOGE'], 2, 'Unknown token "DOGE"; use SAHARA, USDT or a token address.')
    await fails(['swap', 'quote', '1', 'USDT', 'usdt'], 2, 'Cannot swap USDT for itself; name two different tokens.')
    await fails(['swap', '1', 'USDT'], 2, "Missing required argument 'to'.")
    await fails(['swap', '1', 'USDT', 'SAHARA', '--slippage-bps', '20000'], 2, /^--slippage-bps must be a whole number of basis points between 0 and 10000/, { key: 4 })
    await fails(['swap', '1', 'USDT', 'SAHARA', '--slippage-bps', '10', '--min-out', '1'], 2, 'Pass either --min-out or --slippage-bps, not both.', { key: 4 })
    await fails(['swap', '1', 'USDT', 'SAHARA'], 2, 'This command sends a transaction: pass --private-key or set SAHARA_PRIVATE_KEY.')
    await fails(['swap', '1', 'USDT', 'SAHARA'], 1, /^0x[0-9a-fA-F]{40} has 0 USDT but 1 USDT is needed\.$/, { key: 6 })
  })
})
