import { createPublicClient, createWalletClient, defineChain, http, toHex, type Account, type Chain, type Hex, type PublicClient, type Transport, type WalletClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { gasWithHeadroom } from '@sahara/sdk'

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
 * The wallet's own gas estimates get the SDK's headroom (gasWithHeadroom). Some
 * modules' gas depends on block.timestamp: NodeStaking releases emissions at most once per second,
 * so an estimate made on a pending block in the same second as the last release is a few thousand
 * gas short when the transaction lands in the next second, and it then runs out of gas.
 * viem fills a transaction with `eth_fillTransaction` where the node has it (anvil does), else
 * with `eth_estimateGas`: both answers are padded.
 */
function withEstimateHeadroom(transport: Transport): Transport {
  return (params) => {
    const inner = transport(params)
    const request = (async (args: { method: string; params?: unknown }, options?: unknown) => {
      const result = await (inner.request as (a: unknown, o?: unknown) => Promise<unknown>)(args, options)
      if (args.method === 'eth_estimateGas') return toHex(gasWithHeadroom(BigInt(result as Hex)))
      const filled = result as { tx?: { gas?: Hex } } | undefined
      const asked = (args.params as { gas?: unknown }[] | undefined)?.[0]?.gas
      // a gas limit the caller set is kept as it is
      if (args.method === 'eth_fillTransaction' && filled?.tx?.gas && asked === undefined) return { ...filled, tx: { ...filled.tx, gas: toHex(gasWithHeadroom(BigInt(filled.tx.gas))) } }
      return result
    }) as typeof inner.request
    return { ...inner, request }
  }
}
