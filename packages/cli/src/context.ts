import {
  createSaharaClient,
  decodeContractError,
  parseAmount,
  resolveDeployments,
  resolveToken,
  tokenDisplay,
  type SaharaClient,
  type TokenLike,
} from '@sahara/sdk'
import { createPublicClient, createWalletClient, defineChain, http, isHex, type Address } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { getChainId } from 'viem/actions'
import { UsageError } from './errors'
import type { GlobalOptions } from './output'

export type Ctx = {
  sahara: SaharaClient
  /** The signer's address (throws a usage error without a key). */
  requireAccount(): Address
  /** Parses a decimal amount with the token's decimals ("12.5" USDT -> 12500000). */
  parseTokenAmount(value: string, token: TokenLike): Promise<{ amount: bigint; token: Address; symbol: string; decimals: number }>
  token(token: TokenLike): Promise<{ address: Address; symbol: string; decimals: number }>
}

/** Connects to the node, finds the deployments for its chain and (with a key) a wallet. */
export async function connect(opts: GlobalOptions, needsWallet: boolean): Promise<Ctx> {
  const key = opts.privateKey ?? process.env.SAHARA_PRIVATE_KEY
  if (needsWallet && !key) {
    throw new UsageError('This command sends a transaction: pass --private-key or set SAHARA_PRIVATE_KEY.')
  }
  if (key && !(isHex(key) && key.length === 66)) {
    throw new UsageError('The private key must be 0x followed by 64 hex digits.')
  }
  let url: URL
  try {
    url = new URL(opts.rpcUrl)
  } catch {
    throw new UsageError(`"${opts.rpcUrl}" is not a valid RPC URL.`)
  }
  const transport = http(url.toString(), { retryCount: 0, timeout: 15_000 })
  let chainId: number
  try {
    chainId = await getChainId(createPublicClient({ transport }))
  } catch (err) {
    throw decodeContractError(err)
  }
  const deployments = resolveDeployments({ chainId, path: opts.deployments })
  const chain = defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [url.toString()] } },
  })
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 100 })
  const walletClient = key ? createWalletClient({ chain, transport, account: privateKeyToAccount(key as `0x${string}`) }) : undefined
  const sahara = createSaharaClient({ publicClient, walletClient, deployments })
  const token = async (t: TokenLike) => {
    const address = resolveToken(deployments, t)
    try {
      return { address, ...(await tokenDisplay(publicClient, address)) }
    } catch (err) {
      throw decodeContractError(err)
    }
  }
  return {
    sahara,
    requireAccount() {
      if (!sahara.account) throw new UsageError('This command needs an account: pass --private-key or set SAHARA_PRIVATE_KEY.')
      return sahara.account
    },
    token,
    async parseTokenAmount(value, t) {
      const info = await token(t)
      return { amount: parseAmount(value, info.decimals, info.symbol), token: info.address, symbol: info.symbol, decimals: info.decimals }
    },
  }
}
