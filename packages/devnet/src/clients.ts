import { createPublicClient, createWalletClient, defineChain, http, toHex, type Account, type Chain, type Hex, type PublicClient, type Transport, type WalletClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { estimateGasNextSecond, gasWithHeadroom, type RpcGasRequest } from '@sahara/sdk'

/** A viem chain definition for a local or custom RPC endpoint. */
export function localChain(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: chainId === 31337 ? 'Sahara devnet' : `chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
}

/** Public client for `rpcUrl`, polling fast enough for an automining devnet. */
export function publicClientFor(rpcUrl: string, chain?: Chain): PublicClient {
  return createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 50 }) as PublicClient
}

/** Wallet client signing locally with `privateKey` (works against any RPC, no unlocked accounts needed). */
export function walletClientFor(rpcUrl: string, privateKey: Hex, chain?: Chain): WalletClient<Transport, Chain | undefined, Account> {
  return createWalletClient({ account: privateKeyToAccount(privateKey), chain, transport: withEstimateHeadroom(http(rpcUrl)) })
}

/**
 * The wallet's own gas limits are estimated for the next second and get the SDK's headroom
 * (estimateGasNextSecond, gasWithHeadroom): NodeStaking's gas depends on block.timestamp, and a
 * limit estimated in the same second as its last emission release runs out of gas in the next.
 * viem fills a transaction with `eth_fillTransaction` where the node has it (anvil does), else
 * with `eth_estimateGas`: both get the limit. A gas limit the caller set is kept as it is.
 */
function withEstimateHeadroom(transport: Transport): Transport {
  return (params) => {
    const inner = transport(params)
    const send = inner.request as (a: { method: string; params?: unknown }, o?: unknown) => Promise<unknown>
    const request = (async (args: { method: string; params?: unknown }, options?: unknown) => {
      const [tx, ...rest] = (args.params as [RpcGasRequest | undefined, ...unknown[]] | undefined) ?? []
      if (args.method === 'eth_estimateGas' && tx) {
        const gas = (await estimateGasNextSecond((a) => send(a), tx)) ?? BigInt((await send(args, options)) as Hex)
        return toHex(gasWithHeadroom(gas))
      }
      if (args.method === 'eth_fillTransaction' && tx && tx.gas === undefined) {
        const gas = await estimateGasNextSecond((a) => send(a), tx)
        if (gas !== undefined) return send({ ...args, params: [{ ...tx, gas: toHex(gasWithHeadroom(gas)) }, ...rest] }, options)
        const filled = (await send(args, options)) as { tx?: { gas?: Hex } } | undefined
        return filled?.tx?.gas ? { ...filled, tx: { ...filled.tx, gas: toHex(gasWithHeadroom(BigInt(filled.tx.gas))) } } : filled
      }
      return send(args, options)
    }) as typeof inner.request
    return { ...inner, request }
  }
}
