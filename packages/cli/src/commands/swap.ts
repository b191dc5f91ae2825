import { formatAmount } from '@sahara/sdk'
import type { Command } from 'commander'
import { connect, type Ctx } from '../context'
import { UsageError } from '../errors'
import { emit, table, type GlobalOptions } from '../output'
import { parseBps } from '../parse'

/** Resolves both tokens and parses the amount in whole `from` tokens (decimals from the token). */
async function swapInputs(ctx: Ctx, value: string, fromArg: string, toArg: string) {
  const from = await ctx.token(fromArg)
  const to = await ctx.token(toArg)
  if (from.address === to.address) throw new UsageError(`Cannot swap ${from.symbol} for itself; name two different tokens.`)
  const amt = await ctx.parseTokenAmount(value, from.address)
  if (amt.amount === 0n) throw new UsageError('The amount to swap must be greater than zero.')
  return { from, to, amountIn: amt.amount }
}

const price = (amountIn: bigint, inDecimals: number, amountOut: bigint, outDecimals: number, inSymbol: string, outSymbol: string) => {
  // Output per whole input token, to the output's precision.
  const per = (amountOut * 10n ** BigInt(inDecimals)) / amountIn
  return `${formatAmount(per, outDecimals, outSymbol)} per ${inSymbol}`
}

export function swapCommand(program: Command): void {
  const swap = program
    .command('swap')
    .description('swap SAHARA and USDT on the Uniswap v2 pool (amounts in whole tokens, e.g. 12.5)')
    .argument('<amount>', 'amount of <from> to pay, e.g. 100 or 12.5')
    .argument('<from>', 'token paid: SAHARA, USDT or a token address')
    .argument('<to>', 'token received: SAHARA, USDT or a token address')
    .option('--slippage-bps <bps>', 'tolerance below the quote in basis points (default 50 = 0.5%)')
    .option('--min-out <amount>', 'least <to> to accept, in whole tokens (instead of --slippage-bps)')
    .action(async (value: string, fromArg: string, toArg: string, o: { slippageBps?: string; minOut?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      if (o.slippageBps !== undefined && o.minOut !== undefined) throw new UsageError('Pass either --min-out or --slippage-bps, not both.')
      const slippageBps = o.slippageBps !== undefined ? parseBps(o.slippageBps, '--slippage-bps') : undefined
      const ctx = await connect(opts, true)
      const { from, to, amountIn } = await swapInputs(ctx, value, fromArg, toArg)
      const minAmountOut = o.minOut !== undefined ? (await ctx.parseTokenAmount(o.minOut, to.address)).amount : undefined
      const r = await ctx.sahara.swap({ from: from.address, to: to.address, amountIn, minAmountOut, slippageBps })
      emit(
        opts,
        {
          from: r.from,
          to: r.to,
          fromSymbol: from.symbol,
          toSymbol: to.symbol,
          amountIn: r.amountIn,
          amountOut: r.amountOut,
          minAmountOut: r.minAmountOut,
          recipient: r.recipient,
          pair: r.pair,
          tx: r.hash,
          approvalTx: r.approvalHash,
          gasUsed: r.receipt.gasUsed,
        },
        () => [
          `Swapped ${formatAmount(r.amountIn, from.decimals, from.symbol)} for ${formatAmount(r.amountOut, to.decimals, to.symbol)}`,
          ...table(
            [
              ['minimum', formatAmount(r.minAmountOut, to.decimals, to.symbol)],
              ['price', price(r.amountIn, from.decimals, r.amountOut, to.decimals, from.symbol, to.symbol)],
              ['tx', r.hash],
              ['approval tx', r.approvalHash],
            ],
            '  ',
          ),
        ],
      )
    })

  swap
    .command('quote')
    .description('what a swap would return now (no transaction)')
    .argument('<amount>', 'amount of <from> to pay, e.g. 100 or 12.5')
    .argument('<from>', 'token paid: SAHARA, USDT or a token address')
    .argument('<to>', 'token received: SAHARA, USDT or a token address')
    .action(async (value: string, fromArg: string, toArg: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, false)
      const { from, to, amountIn } = await swapInputs(ctx, value, fromArg, toArg)
      const q = await ctx.sahara.quoteSwap({ from: from.address, to: to.address, amountIn })
      emit(
        opts,
        { from: q.from, to: q.to, fromSymbol: from.symbol, toSymbol: to.symbol, amountIn: q.amountIn, amountOut: q.amountOut, pair: q.pair, reserveIn: q.reserveIn, reserveOut: q.reserveOut },
        () => [
          `${formatAmount(q.amountIn, from.decimals, from.symbol)} -> ${formatAmount(q.amountOut, to.decimals, to.symbol)}`,
          ...table(
            [
              ['price', price(q.amountIn, from.decimals, q.amountOut, to.decimals, from.symbol, to.symbol)],
              ['pool', `${q.pair} (${formatAmount(q.reserveIn, from.decimals, from.symbol)} / ${formatAmount(q.reserveOut, to.decimals, to.symbol)})`],
            ],
            '  ',
          ),
        ],
      )
    })
}
