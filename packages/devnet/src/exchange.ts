// The devnet's SAHARA/USDT exchange: Uniswap v2 deployed from the official compiled artifacts
// shipped in the @uniswap/v2-core and @uniswap/v2-periphery npm packages (used as binaries, never
// rebuilt), seeded from the tokenomics "liquidity" bucket. Real networks use the existing Uniswap
// deployment instead: name its router (and optionally factory and pair) in the deployments file.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { getAddress, keccak256, zeroAddress, type Abi, type Address, type Hex, type PublicClient } from 'viem'
import { devStablecoinAbi, parseTokenomics, type Deployments } from '@sahara/sdk'
import { DeployError } from './deploy.ts'
import { repoRoot } from './paths.ts'
import type { Wallet } from './tx.ts'

/** Liquidity bucket when config/tokenomics.json is absent: 1% of the 10 billion SAHARA supply. */
export const DEFAULT_LIQUIDITY_SAHARA = 100_000_000n * 10n ** 18n
/** Opening price of the devnet pool: 0.001 USDT per SAHARA (as a fraction). */
export const DEVNET_SAHARA_PRICE_USDT = { numerator: 1n, denominator: 1000n } as const
/** DevStablecoin.faucet mints at most this many whole USDT per call. */
const FAUCET_MAX_WHOLE = 100_000n

/** abi + creation bytecode of a Uniswap build artifact. */
export type UniswapArtifact = { readonly contractName: string; readonly abi: Abi; readonly bytecode: Hex }

const require = createRequire(import.meta.url)
const uniswapBuilds = {
  UniswapV2Factory: '@uniswap/v2-core/build/UniswapV2Factory.json',
  UniswapV2Pair: '@uniswap/v2-core/build/UniswapV2Pair.json',
  UniswapV2Router02: '@uniswap/v2-periphery/build/UniswapV2Router02.json',
  WETH9: '@uniswap/v2-periphery/build/WETH9.json',
} as const
export type UniswapContractName = keyof typeof uniswapBuilds

/** Loads one of the official Uniswap v2 artifacts from its npm package. */
export function loadUniswapArtifact(name: UniswapContractName): UniswapArtifact {
  const file = require.resolve(uniswapBuilds[name])
  const j = JSON.parse(readFileSync(file, 'utf8')) as { abi?: unknown; bytecode?: unknown }
  if (!Array.isArray(j.abi) || typeof j.bytecode !== 'string' || j.bytecode.length < 4) {
    throw new DeployError(`${file} lacks the abi or the bytecode of ${name}`)
  }
  const bytecode = (j.bytecode.startsWith('0x') ? j.bytecode : `0x${j.bytecode}`) as Hex
  return { contractName: name, abi: j.abi as Abi, bytecode }
}

/** keccak256 of the pair's creation code: the factory CREATE2s pairs with it, the router assumes it. */
export function pairInitCodeHash(): Hex {
  return keccak256(loadUniswapArtifact('UniswapV2Pair').bytecode)
}

/** SAHARA in the tokenomics "liquidity" bucket (config/tokenomics.json), else DEFAULT_LIQUIDITY_SAHARA. */
export function liquidityBucketSahara(file = path.join(repoRoot, 'config', 'tokenomics.json')): bigint {
  if (!existsSync(file)) return DEFAULT_LIQUIDITY_SAHARA
  const t = parseTokenomics(JSON.parse(readFileSync(file, 'utf8')))
  const bucket = t.buckets.find((b) => b.id === 'liquidity')
  if (!bucket) throw new DeployError(`${file} has no "liquidity" bucket to seed the SAHARA/USDT pool from`)
  return bucket.amount
}

export type ExchangeContracts = {
  UniswapV2Factory: Address
  UniswapV2Router02: Address
  WETH9: Address
  SaharaUsdtPair: Address
}

export type DeployExchangeOptions = {
  walletClient: Wallet
  publicClient: PublicClient
  /** The protocol deployment: its tokens are paired, its admin sets the exchange fee, its treasury gets the LP tokens. */
  deployments: Deployments
  /** SAHARA to seed (default: the tokenomics liquidity bucket). Taken from the deployer's balance. */
  saharaLiquidity?: bigint
  /** USDT to seed (default: saharaLiquidity at 0.001 USDT per SAHARA). Minted with the DevStablecoin faucet when short. */
  usdtLiquidity?: bigint
  log?: (message: string) => void
}

export type DeployExchangeResult = {
  contracts: ExchangeContracts
  /** Seeded reserves (also the pool's reserves right after the deployment). */
  reserves: { sahara: bigint; usdt: bigint }
  /** LP tokens minted to the treasury. */
  liquidity: bigint
  /** The addLiquidity transaction (the genesis "liquidity" bucket's transfer into the pool). */
  liquidityTx: Hex
}

/**
 * Deploys WETH9, UniswapV2Factory (fee-to setter: the admin) and UniswapV2Router02, creates the
 * SAHARA/USDT pool and adds the liquidity bucket at the devnet price, LP tokens to the deployments'
 * treasury. The pool must exist before genesis (genesis proves the deployer holds exactly the supply
 * minus the pooled bucket and records the addLiquidity as that bucket's transfer), and genesis is
 * what deploys the timelock: so the LP tokens are minted to the interim treasury (the deployer) and
 * routeTreasury (handover.ts) moves them to the timelock as soon as it exists.
 * Checks that the router's factory and the factory's pair are the ones deployed, and that the
 * reserves are exactly the amounts seeded.
 */
export async function deployExchange(o: DeployExchangeOptions): Promise<DeployExchangeResult> {
  const { walletClient, publicClient, deployments: d } = o
  const log = o.log ?? (() => {})
  const account = walletClient.account
  const chain = walletClient.chain ?? null
  const sahara = d.contracts.SaharaToken
  const usdt = d.contracts.USDT
  const art = {
    WETH9: loadUniswapArtifact('WETH9'),
    UniswapV2Factory: loadUniswapArtifact('UniswapV2Factory'),
    UniswapV2Router02: loadUniswapArtifact('UniswapV2Router02'),
    UniswapV2Pair: loadUniswapArtifact('UniswapV2Pair'),
  }
  const usdtDecimals = Number(await publicClient.readContract({ address: usdt, abi: devStablecoinAbi, functionName: 'decimals' }))
  const saharaDecimals = Number(await publicClient.readContract({ address: sahara, abi: devStablecoinAbi, functionName: 'decimals' }))
  const saharaAmount = o.saharaLiquidity ?? liquidityBucketSahara()
  const usdtAmount =
    o.usdtLiquidity ??
    (saharaAmount * DEVNET_SAHARA_PRICE_USDT.numerator * 10n ** BigInt(usdtDecimals)) /
      (DEVNET_SAHARA_PRICE_USDT.denominator * 10n ** BigInt(saharaDecimals))
  if (saharaAmount <= 0n || usdtAmount <= 0n) throw new DeployError(`the pool needs positive liquidity (${saharaAmount} SAHARA, ${usdtAmount} USDT wei)`)

  async function confirm(hash: Hex, what: string): Promise<Address | undefined> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new DeployError(`${what} reverted (tx ${hash})`)
    log(`${what}${receipt.contractAddress ? ` at ${getAddress(receipt.contractAddress)}` : ''} (gas ${receipt.gasUsed})`)
    return receipt.contractAddress ? getAddress(receipt.contractAddress) : undefined
  }
  async function create(a: UniswapArtifact, args: readonly unknown[]): Promise<Address> {
    const hash = await walletClient.deployContract({ abi: a.abi, bytecode: a.bytecode, args, account, chain } as Parameters<Wallet['deployContract']>[0])
    const at = await confirm(hash, a.contractName)
    if (!at) throw new DeployError(`${a.contractName} deployment created no contract (tx ${hash})`)
    return at
  }
  async function call(address: Address, abi: Abi, functionName: string, args: readonly unknown[], what: string): Promise<Hex> {
    // Simulate first: a revert then carries its reason instead of failing on-chain.
    const { request } = await publicClient.simulateContract({ address, abi, functionName, args, account })
    const hash = await walletClient.writeContract({ ...(request as object), chain } as Parameters<Wallet['writeContract']>[0])
    await confirm(hash, what)
    return hash
  }

  const saharaBalance = await publicClient.readContract({ address: sahara, abi: devStablecoinAbi, functionName: 'balanceOf', args: [account.address] })
  if (saharaBalance < saharaAmount) {
    throw new DeployError(`the deployer ${account.address} holds ${saharaBalance} SAHARA wei, ${saharaAmount} are needed to seed the pool`)
  }
  let usdtBalance = await publicClient.readContract({ address: usdt, abi: devStablecoinAbi, functionName: 'balanceOf', args: [account.address] })
  const faucetMax = FAUCET_MAX_WHOLE * 10n ** BigInt(usdtDecimals)
  while (usdtBalance < usdtAmount) {
    const mint = usdtAmount - usdtBalance < faucetMax ? usdtAmount - usdtBalance : faucetMax
    await call(usdt, devStablecoinAbi, 'faucet', [account.address, mint], `USDT faucet ${mint}`)
    usdtBalance += mint
  }

  const weth = await create(art.WETH9, [])
  const factory = await create(art.UniswapV2Factory, [d.admin])
  const router = await create(art.UniswapV2Router02, [factory, weth])
  await call(factory, art.UniswapV2Factory.abi, 'createPair', [sahara, usdt], 'factory.createPair(SAHARA, USDT)')
  const pair = getAddress(
    (await publicClient.readContract({ address: factory, abi: art.UniswapV2Factory.abi, functionName: 'getPair', args: [sahara, usdt] })) as Address,
  )
  if (pair === zeroAddress) throw new DeployError('factory.getPair(SAHARA, USDT) is zero after createPair')
  const routerFactory = getAddress((await publicClient.readContract({ address: router, abi: art.UniswapV2Router02.abi, functionName: 'factory' })) as Address)
  if (routerFactory !== factory) throw new DeployError(`router.factory() is ${routerFactory}, not the factory ${factory}`)

  await call(sahara, devStablecoinAbi, 'approve', [router, saharaAmount], 'SAHARA.approve(router)')
  await call(usdt, devStablecoinAbi, 'approve', [router, usdtAmount], 'USDT.approve(router)')
  const block = await publicClient.getBlock({ blockTag: 'latest' })
  // Exact minimums: the pool is new, so anything but exactly these amounts is an error.
  const liquidityTx = await call(
    router,
    art.UniswapV2Router02.abi,
    'addLiquidity',
    [sahara, usdt, saharaAmount, usdtAmount, saharaAmount, usdtAmount, d.treasury, block.timestamp + 600n],
    'router.addLiquidity(SAHARA, USDT)',
  )

  const pairAbi = art.UniswapV2Pair.abi
  const [token0, reserves, liquidity] = await Promise.all([
    publicClient.readContract({ address: pair, abi: pairAbi, functionName: 'token0' }) as Promise<Address>,
    publicClient.readContract({ address: pair, abi: pairAbi, functionName: 'getReserves' }) as Promise<readonly [bigint, bigint, number]>,
    publicClient.readContract({ address: pair, abi: pairAbi, functionName: 'balanceOf', args: [d.treasury] }) as Promise<bigint>,
  ])
  const saharaIs0 = getAddress(token0) === sahara
  const got = { sahara: saharaIs0 ? reserves[0] : reserves[1], usdt: saharaIs0 ? reserves[1] : reserves[0] }
  if (got.sahara !== saharaAmount || got.usdt !== usdtAmount) {
    throw new DeployError(`the SAHARA/USDT pool holds ${got.sahara}/${got.usdt}, not the seeded ${saharaAmount}/${usdtAmount}`)
  }
  log(`SAHARA/USDT pool ${pair}: ${saharaAmount} SAHARA wei / ${usdtAmount} USDT wei, ${liquidity} LP to the treasury ${d.treasury}`)
  return { contracts: { UniswapV2Factory: factory, UniswapV2Router02: router, WETH9: weth, SaharaUsdtPair: pair }, reserves: got, liquidity, liquidityTx }
}

/** Whether the deployments already name the devnet exchange (router and pair). */
export function hasExchange(d: Deployments): boolean {
  return Boolean(d.contracts.UniswapV2Factory && d.contracts.UniswapV2Router02 && d.contracts.WETH9 && d.contracts.SaharaUsdtPair)
}

/**
 * The exchange contracts of an existing Uniswap v2 deployment (a real network's), found from its
 * router: the factory and WETH from the router, the SAHARA/USDT pair from the factory (left out
 * while no such pool exists). Nothing is sent; merge the result into the deployments' contracts.
 */
export async function existingExchange(publicClient: PublicClient, d: Deployments, router: Address): Promise<Partial<ExchangeContracts>> {
  const code = await publicClient.getCode({ address: router })
  if (!code || code === '0x') throw new DeployError(`there is no contract at the Uniswap v2 router address ${router}`)
  const abi = loadUniswapArtifact('UniswapV2Router02').abi
  const factory = getAddress((await publicClient.readContract({ address: router, abi, functionName: 'factory' })) as Address)
  const weth = getAddress((await publicClient.readContract({ address: router, abi, functionName: 'WETH' })) as Address)
  const pair = getAddress(
    (await publicClient.readContract({
      address: factory,
      abi: loadUniswapArtifact('UniswapV2Factory').abi,
      functionName: 'getPair',
      args: [d.contracts.SaharaToken, d.contracts.USDT],
    })) as Address,
  )
  return {
    UniswapV2Factory: factory,
    UniswapV2Router02: getAddress(router),
    WETH9: weth,
    ...(pair !== zeroAddress ? { SaharaUsdtPair: pair } : {}),
  }
}
