import {
  concatHex,
  encodeFunctionData,
  formatUnits,
  getAddress,
  isAddress,
  maxUint256,
  parseSignature,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Client,
  type Hex,
  toHex,
  type TransactionReceipt,
  type Transport,
} from 'viem'
import { estimateGasNextSecond, gasWithHeadroom } from '../gas'
import { estimateContractGas, getBlock, readContract, signTypedData, simulateContract, waitForTransactionReceipt, writeContract } from 'viem/actions'
import { devStablecoinAbi, revenueVaultAbi } from '../abis/generated'
import { MODULE_NAMES, type Deployments, type ModuleName } from '../deployments'
import {
  InsufficientBalanceError,
  InvalidArgumentError,
  MissingWalletError,
  ModulePausedError,
  pausedMessage,
  TransactionRevertedError,
  decodeContractError,
  type ErrorContext,
  type TokenDisplay,
} from '../errors'

/** Any viem client that can read (a PublicClient). */
export type ReadClient = Client<Transport, Chain | undefined>
/** Any viem client that can sign and send (a WalletClient with an account). */
export type WalletLike = Client<Transport, Chain | undefined, Account | undefined>

/** What read actions need. */
export type ReadContext = { publicClient: ReadClient; deployments: Deployments }
/** What write actions need. */
export type WriteContext = ReadContext & { walletClient: WalletLike }

/** Token names the SDK resolves from the deployments. */
export type TokenLike = 'SAHARA' | 'USDT' | Address | (string & {})

export function toBigInt(value: bigint | number | string, what: string): bigint {
  try {
    const v = typeof value === 'bigint' ? value : BigInt(value)
    if (v < 0n) throw new Error('negative')
    return v
  } catch {
    throw new InvalidArgumentError(`${what} must be a non-negative integer, got "${String(value)}".`)
  }
}

export function requireAccount(walletClient: WalletLike | undefined, action: string): Account {
  if (!walletClient?.account) throw new MissingWalletError(action)
  return walletClient.account
}

/** Resolves "SAHARA", "USDT" or an address to a checksummed address. */
export function resolveToken(deployments: Deployments, token: TokenLike): Address {
  const upper = token.toUpperCase()
  if (upper === 'SAHARA') return deployments.contracts.SaharaToken
  if (upper === 'USDT') return deployments.contracts.USDT
  if (isAddress(token, { strict: false })) return getAddress(token)
  throw new InvalidArgumentError(`Unknown token "${token}"; use SAHARA, USDT or a token address.`)
}

const tokenCache = new WeakMap<object, Map<string, TokenDisplay>>()

/** Symbol and decimals of an ERC-20 (cached per client). */
export async function tokenDisplay(publicClient: ReadClient, token: Address): Promise<TokenDisplay> {
  let cache = tokenCache.get(publicClient)
  if (!cache) tokenCache.set(publicClient, (cache = new Map()))
  const hit = cache.get(token.toLowerCase())
  if (hit) return hit
  const [symbol, decimals] = await Promise.all([
    readContract(publicClient, { address: token, abi: devStablecoinAbi, functionName: 'symbol' }),
    readContract(publicClient, { address: token, abi: devStablecoinAbi, functionName: 'decimals' }),
  ])
  const info = { symbol, decimals: Number(decimals) }
  cache.set(token.toLowerCase(), info)
  return info
}

/** Error context naming the protocol's contracts and tokens. */
export function baseErrorContext(deployments: Deployments, extra: ErrorContext = {}): ErrorContext {
  const c = deployments.contracts
  return {
    contracts: {
      [c.RevenueVault.toLowerCase()]: 'RevenueVault',
      [c.LicenseRegistry.toLowerCase()]: 'LicenseRegistry',
      [c.AssetRegistry.toLowerCase()]: 'AssetRegistry',
      [c.ContributionShares.toLowerCase()]: 'ContributionShares',
      ...(c.NodeRegistry ? { [c.NodeRegistry.toLowerCase()]: 'NodeRegistry' } : {}),
      ...(c.PaymentChannels ? { [c.PaymentChannels.toLowerCase()]: 'PaymentChannels' } : {}),
      ...(c.ExactPayments ? { [c.ExactPayments.toLowerCase()]: 'ExactPayments' } : {}),
      ...(c.UniswapV2Router02 ? { [c.UniswapV2Router02.toLowerCase()]: 'UniswapV2Router02' } : {}),
      ...(c.GrantPool ? { [c.GrantPool.toLowerCase()]: 'GrantPool' } : {}),
      ...(c.NodeStaking ? { [c.NodeStaking.toLowerCase()]: 'NodeStaking' } : {}),
    },
    ...extra,
  }
}

/** Result of every write action. */
export type TxResult = { hash: Hex; receipt: TransactionReceipt }

/**
 * Sends a write that was already simulated (`simulateContract(...).request`: simulating first
 * surfaces reverts as decoded custom errors before anything is signed) and waits for the receipt.
 * Its gas limit, unless the request sets one, is estimated for the next second with headroom
 * (see estimateGasNextSecond and gasWithHeadroom).
 */
export async function submit(ctx: WriteContext, request: unknown, action: string): Promise<TxResult> {
  const account = requireAccount(ctx.walletClient, action)
  const req = request as ContractRequest
  const gas = req.gas ?? gasWithHeadroom(await estimateWriteGas(ctx, req, account))
  const hash = await writeContract(ctx.walletClient, { ...req, gas, chain: ctx.walletClient.chain ?? null } as never)
  const receipt = await waitForTransactionReceipt(ctx.publicClient, { hash })
  if (receipt.status !== 'success') throw new TransactionRevertedError(hash, action)
  return { hash, receipt }
}

type ContractRequest = { address: Address; abi: Abi; functionName: string; args?: readonly unknown[]; value?: bigint; dataSuffix?: Hex; gas?: bigint }

async function estimateWriteGas(ctx: WriteContext, req: ContractRequest, account: Account): Promise<bigint> {
  const data = concatHex([encodeFunctionData({ abi: req.abi, functionName: req.functionName, args: req.args } as never), req.dataSuffix ?? '0x'])
  const tx = { from: account.address, to: req.address, data, ...(req.value ? { value: toHex(req.value) } : {}) }
  const ahead = await estimateGasNextSecond((args) => ctx.publicClient.request(args as never), tx)
  return ahead ?? estimateContractGas(ctx.publicClient, { ...req, account } as never)
}

/** Runs an action body, turning any failure into a readable SaharaError. */
export async function run<T>(ctx: ReadContext, errorCtx: ErrorContext | (() => ErrorContext), fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    const extra = typeof errorCtx === 'function' ? errorCtx() : errorCtx
    const decoded = decodeContractError(err, baseErrorContext(ctx.deployments, extra))
    if (decoded instanceof ModulePausedError) throw await namePausedModule(ctx, decoded)
    throw decoded
  }
}

/**
 * EnforcedPause carries no address and bubbles up through calls between modules (a paused vault
 * stops a license purchase), so the paused module is read from the chain: the first module whose
 * paused() is true, preferring the one the error already names.
 */
async function namePausedModule(ctx: ReadContext, e: ModulePausedError): Promise<ModulePausedError> {
  const names = MODULE_NAMES.filter((m) => ctx.deployments.contracts[m])
  const order = e.module ? [e.module, ...names.filter((m) => m !== e.module)] : names
  for (const m of order) {
    const address = ctx.deployments.contracts[m as ModuleName]
    try {
      const paused = await readContract(ctx.publicClient, { address, abi: revenueVaultAbi, functionName: 'paused' })
      if (paused) return m === e.module ? e : new ModulePausedError(pausedMessage(m), m, e.cause)
    } catch {
      // An older deployment without paused(): keep the best guess.
    }
  }
  return e
}

/** How to authorize the vault to pull tokens: an on-chain approval or an ERC-2612 permit. */
export type Authorization = 'approve' | 'permit'

/**
 * Throws InsufficientBalanceError when the wallet holds less than `amount` of `token`, so no
 * approval or permit is wasted on a payment that would revert anyway.
 */
export async function requireBalance(ctx: WriteContext, token: Address, amount: bigint): Promise<void> {
  const account = requireAccount(ctx.walletClient, 'payment')
  const balance = await readContract(ctx.publicClient, { address: token, abi: devStablecoinAbi, functionName: 'balanceOf', args: [account.address] })
  if (balance >= amount) return
  const { symbol, decimals } = await tokenDisplay(ctx.publicClient, token)
  throw new InsufficientBalanceError(
    `${account.address} has ${formatUnits(balance, decimals)} ${symbol} but ${formatUnits(amount, decimals)} ${symbol} is needed.`,
  )
}

/**
 * Makes sure `spender` may pull `amount` of `token` from the wallet's account, sending an approve
 * for exactly `amount` when the allowance is short (an exact approval leaves nothing standing).
 */
export async function ensureAllowance(
  ctx: WriteContext,
  token: Address,
  spender: Address,
  amount: bigint,
  options: { infinite?: boolean } = {},
): Promise<TxResult | undefined> {
  const account = requireAccount(ctx.walletClient, 'approve')
  const allowance = await readContract(ctx.publicClient, {
    address: token,
    abi: devStablecoinAbi,
    functionName: 'allowance',
    args: [account.address, spender],
  })
  if (allowance >= amount) return undefined
  const { request } = await simulateContract(ctx.publicClient, {
    account,
    address: token,
    abi: devStablecoinAbi,
    functionName: 'approve',
    args: [spender, options.infinite ? maxUint256 : amount],
  })
  return submit(ctx, request, 'approve')
}

/** Signs an ERC-2612 permit for `spender` over `value` using the token's ERC-5267 domain. */
export async function signPermit(
  ctx: WriteContext,
  token: Address,
  spender: Address,
  value: bigint,
  deadline: bigint,
): Promise<{ deadline: bigint; v: number; r: Hex; s: Hex }> {
  const account = requireAccount(ctx.walletClient, 'permit')
  const [domain, nonce] = await Promise.all([
    readContract(ctx.publicClient, { address: token, abi: devStablecoinAbi, functionName: 'eip712Domain' }),
    readContract(ctx.publicClient, { address: token, abi: devStablecoinAbi, functionName: 'nonces', args: [account.address] }),
  ])
  const [, name, version, chainId, verifyingContract] = domain
  const signature = await signTypedData(ctx.walletClient, {
    account,
    domain: { name, version, chainId, verifyingContract },
    types: {
      Permit: [
        { name: 'owner', type: 'address' },
        { name: 'spender', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'Permit',
    message: { owner: account.address, spender, value, nonce, deadline },
  })
  const { r, s, v, yParity } = parseSignature(signature)
  return { deadline, v: Number(v ?? BigInt(yParity + 27)), r, s }
}

/** A deadline `seconds` after the latest block's time (chain time, which may differ from the wall clock). */
export async function deadlineIn(publicClient: ReadClient, seconds = 3600): Promise<bigint> {
  const block = await getBlock(publicClient, { blockTag: 'latest' })
  return block.timestamp + BigInt(seconds)
}
