import { getAddress, parseEventLogs, zeroAddress, type Address, type Hex } from 'viem'
import { readContract, simulateContract } from 'viem/actions'
import { uniswapV2FactoryAbi, uniswapV2PairAbi, uniswapV2RouterAbi } from '../abis/exchange'
import { formatAmount } from '../amounts'
import { exchangeContract } from '../deployments'
import { InvalidArgumentError, SaharaError, SlippageError, UNISWAP_SLIPPAGE_REASON, type TokenDisplay } from '../errors'
import {
  deadlineIn,
  ensureAllowance,
  requireAccount,
  requireBalance,
  resolveToken,
  run,
  submit,
  toBigInt,
  tokenDisplay,
  type ReadContext,
  type TokenLike,
  type TxResult,
  type WriteContext,
} from './_internal'

/** Default slippage tolerance of `swap`: 0.5%. */
export const DEFAULT_SLIPPAGE_BPS = 50
/** Default swap deadline: 20 minutes of chain time after the latest block. */
export const DEFAULT_SWAP_DEADLINE_SECONDS = 1200

/** No Uniswap v2 pool exists for the pair of tokens. */
export class NoPoolError extends SaharaError {
  override name = 'NoPoolError'
}

export type Pool = {
  pair: Address
  factory: Address
  token0: Address
  token1: Address
  reserve0: bigint
  reserve1: bigint
}

/** The router's factory: from the deployments when recorded, else read from the router. */
async function factoryOf(ctx: ReadContext, router: Address): Promise<Address> {
  return ctx.deployments.contracts.UniswapV2Factory ?? (await readContract(ctx.publicClient, { address: router, abi: uniswapV2RouterAbi, functionName: 'factory' }))
}

/** The Uniswap v2 pool of two tokens ('SAHARA', 'USDT' or addresses) and its reserves. */
export async function getPool(ctx: ReadContext, p: { tokenA: TokenLike; tokenB: TokenLike }): Promise<Pool> {
  return run(ctx, { action: 'getPool' }, async () => {
    const a = resolveToken(ctx.deployments, p.tokenA)
    const b = resolveToken(ctx.deployments, p.tokenB)
    if (a === b) throw new InvalidArgumentError('A token cannot be swapped for itself.')
    const router = exchangeContract(ctx.deployments, 'UniswapV2Router02')
    const factory = await factoryOf(ctx, router)
    const pair = await readContract(ctx.publicClient, { address: factory, abi: uniswapV2FactoryAbi, functionName: 'getPair', args: [a, b] })
    if (pair === zeroAddress) {
      const [da, db] = await Promise.all([tokenDisplay(ctx.publicClient, a), tokenDisplay(ctx.publicClient, b)])
      throw new NoPoolError(`There is no Uniswap v2 pool for ${da.symbol}/${db.symbol} on chain ${ctx.deployments.chainId}.`)
    }
    const [token0, token1, [reserve0, reserve1]] = await Promise.all([
      readContract(ctx.publicClient, { address: pair, abi: uniswapV2PairAbi, functionName: 'token0' }),
      readContract(ctx.publicClient, { address: pair, abi: uniswapV2PairAbi, functionName: 'token1' }),
      readContract(ctx.publicClient, { address: pair, abi: uniswapV2PairAbi, functionName: 'getReserves' }),
    ])
    return { pair, factory, token0: getAddress(token0), token1: getAddress(token1), reserve0, reserve1 }
  })
}

export type QuoteSwapParams = {
  /** Token paid in: 'SAHARA', 'USDT' or an address. */
  from: TokenLike
  /** Token received. */
  to: TokenLike
  /** Amount of `from` in its smallest units. */
  amountIn: bigint | number | string
}

export type SwapQuote = {
  from: Address
  to: Address
  amountIn: bigint
  /** What the router would pay now (after the pool's 0.3% fee). */
  amountOut: bigint
  pair: Address
  /** Pool reserves of `from` and `to` the quote was computed from. */
  reserveIn: bigint
  reserveOut: bigint
}

/** What swapping `amountIn` of `from` for `to` returns at the current reserves (router.getAmountsOut). */
export async function quoteSwap(ctx: ReadContext, p: QuoteSwapParams): Promise<SwapQuote> {
  const { from, to } = resolvePair(ctx, p)
  const amountIn = toBigInt(p.amountIn, 'amountIn')
  if (amountIn === 0n) throw new InvalidArgumentError('The amount to swap must be greater than zero.')
  const pool = await getPool(ctx, { tokenA: from, tokenB: to })
  const router = exchangeContract(ctx.deployments, 'UniswapV2Router02')
  return run(ctx, { action: 'quoteSwap' }, async () => {
    const amounts = await readContract(ctx.publicClient, {
      address: router,
      abi: uniswapV2RouterAbi,
      functionName: 'getAmountsOut',
      args: [amountIn, [from, to]],
    })
    const fromIs0 = pool.token0 === from
    return {
      from,
      to,
      amountIn,
      amountOut: amounts[amounts.length - 1]!,
      pair: pool.pair,
      reserveIn: fromIs0 ? pool.reserve0 : pool.reserve1,
      reserveOut: fromIs0 ? pool.reserve1 : pool.reserve0,
    }
  })
}

export type SwapParams = QuoteSwapParams & {
  /** Least `to` the swap may return, in its smallest units; overrides `slippageBps`. */
  minAmountOut?: bigint | number | string | undefined
  /** Tolerance below the quote when `minAmountOut` is not given, in basis points (default 50 = 0.5%). */
  slippageBps?: number | undefined
  /** The router refuses the swap after this many seconds of chain time (default 1200). */
  deadlineSeconds?: number | undefined
  /** Receiver of the output (default: the wallet). */
  recipient?: Address | undefined
}

export type SwapResult = TxResult & {
  from: Address
  to: Address
  amountIn: bigint
  /** What the pool paid, from its Swap event. */
  amountOut: bigint
  /** The quote just before sending. */
  quoted: bigint
  minAmountOut: bigint
  recipient: Address
  pair: Address
  /** The approval sent to the router first, when the allowance was short. */
  approvalHash?: Hex | undefined
}

/**
 * Swaps exactly `amountIn` of `from` for at least `minAmountOut` of `to` through the Uniswap v2
 * router (one hop, the direct pool). Quotes first and refuses with SlippageError, before any
 * approval, when the quote is already below the minimum; approves the router for exactly
 * `amountIn` when the allowance is short.
 */
export async function swap(ctx: WriteContext, p: SwapParams): Promise<SwapResult> {
  const account = requireAccount(ctx.walletClient, 'swap')
  const slippageBps = p.slippageBps ?? DEFAULT_SLIPPAGE_BPS
  if (!Number.isInteger(slippageBps) || slippageBps < 0 || slippageBps > 10_000) {
    throw new InvalidArgumentError(`slippageBps must be a whole number of basis points between 0 and 10000, got ${slippageBps}.`)
  }
  const deadlineSeconds = p.deadlineSeconds ?? DEFAULT_SWAP_DEADLINE_SECONDS
  if (!Number.isInteger(deadlineSeconds) || deadlineSeconds <= 0) {
    throw new InvalidArgumentError(`deadlineSeconds must be a positive whole number, got ${deadlineSeconds}.`)
  }
  const quote = await quoteSwap(ctx, p)
  const { from, to, amountIn } = quote
  const recipient = p.recipient ? getAddress(p.recipient) : account.address
  const router = exchangeContract(ctx.deployments, 'UniswapV2Router02')
  let token: TokenDisplay | undefined
  return run(ctx, () => ({ action: 'swap', token }), async () => {
    const [inInfo, outInfo] = await Promise.all([tokenDisplay(ctx.publicClient, from), tokenDisplay(ctx.publicClient, to)])
    token = inInfo
    const minAmountOut =
      p.minAmountOut !== undefined ? toBigInt(p.minAmountOut, 'minAmountOut') : (quote.amountOut * BigInt(10_000 - slippageBps)) / 10_000n
    if (quote.amountOut < minAmountOut) {
      throw new SlippageError(
        `The swap would return less than the minimum output (slippage): ${fmt(quote.amountOut, outInfo)} is quoted but at least ${fmt(minAmountOut, outInfo)} is required.`,
        'Error',
        [UNISWAP_SLIPPAGE_REASON],
      )
    }
    await requireBalance(ctx, from, amountIn)
    const approvalHash = (await ensureAllowance(ctx, from, router, amountIn))?.hash
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: router,
      abi: uniswapV2RouterAbi,
      functionName: 'swapExactTokensForTokens',
      args: [amountIn, minAmountOut, [from, to], recipient, await deadlineIn(ctx.publicClient, deadlineSeconds)],
    })
    const tx = await submit(ctx, request, 'swap')
    const event = parseEventLogs({ abi: uniswapV2PairAbi, logs: tx.receipt.logs, eventName: 'Swap' }).find(
      (l) => getAddress(l.address) === quote.pair && getAddress(l.args.to) === recipient,
    )
    if (!event) throw new SaharaError(`The swap transaction ${tx.hash} emitted no Swap event from the pool ${quote.pair}.`)
    const amountOut = event.args.amount0Out + event.args.amount1Out
    return { ...tx, from, to, amountIn, amountOut, quoted: quote.amountOut, minAmountOut, recipient, pair: quote.pair, approvalHash }
  })
}

function resolvePair(ctx: ReadContext, p: { from: TokenLike; to: TokenLike }): { from: Address; to: Address } {
  const from = resolveToken(ctx.deployments, p.from)
  const to = resolveToken(ctx.deployments, p.to)
  if (from === to) throw new InvalidArgumentError('A token cannot be swapped for itself.')
  return { from, to }
}

function fmt(value: bigint, t: TokenDisplay): string {
  return formatAmount(value, t.decimals, t.symbol)
}
