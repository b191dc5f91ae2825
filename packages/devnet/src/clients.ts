import { createPublicClient, createWalletClient, defineChain, http, type Account, type Chain, type Hex, type PublicClient, type Transport, type WalletClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

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
  return createWalletClient({ account: privateKeyToAccount(privateKey), chain, transport: http(rpcUrl) })
}
