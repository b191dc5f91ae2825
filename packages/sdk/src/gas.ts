import { toHex, type Address, type Hex } from 'viem'

/**
 * A gas limit above an estimate: +25% + 60k, never above 30M (a common block gas limit) unless
 * the estimate itself is. It covers what an estimate cannot see: the state other transactions
 * change before this one lands. Only the gas used is paid.
 */
export function gasWithHeadroom(estimate: bigint): bigint {
  const padded = estimate + estimate / 4n + 60_000n
  const cap = estimate > 30_000_000n ? estimate : 30_000_000n
  return padded < cap ? padded : cap
}

/** The JSON-RPC request function of a viem client or transport. */
export type RpcRequest = (args: { method: string; params?: unknown }) => Promise<unknown>

/** A transaction as `eth_estimateGas` takes it (hex quantities). */
export type RpcGasRequest = { from?: Address; to?: Address | null; data?: Hex; input?: Hex; value?: Hex; [field: string]: unknown }

/**
 * The gas of a transaction estimated as if it landed one second after the latest block
 * (`eth_estimateGas` with a block override of `time`), or undefined where the RPC refuses block
 * overrides or the call reverts at that time; the caller then falls back to a plain estimate. An
 * RPC that ignores the override answers the plain estimate.
 *
 * Why: some modules' gas depends on block.timestamp. NodeStaking releases emissions lazily, at
 * most once per second, and the first touch of a new second also accrues them into fresh storage
 * slots; an estimate made in the same second as the last release misses all of that (measured:
 * 94k gas short on an undelegate estimated at 148k), and the transaction runs out of gas in the
 * next block. Estimating at the next second takes the path the transaction will take.
 */
export async function estimateGasNextSecond(request: RpcRequest, tx: RpcGasRequest): Promise<bigint | undefined> {
  try {
    const latest = (await request({ method: 'eth_getBlockByNumber', params: ['latest', false] })) as { timestamp?: Hex } | null
    if (!latest?.timestamp) return undefined
    const time = toHex(BigInt(latest.timestamp) + 1n)
    const gas = await request({ method: 'eth_estimateGas', params: [tx, 'latest', {}, { time }] })
    return typeof gas === 'string' ? BigInt(gas) : undefined
  } catch {
    return undefined
  }
}
