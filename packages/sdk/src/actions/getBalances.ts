import { getAddress, type Address } from 'viem'
import { getContractEvents, readContract } from 'viem/actions'
import { contributionSharesAbi, revenueVaultAbi } from '../abis/generated'
import { resolveToken, run, tokenDisplay, type ReadContext, type TokenLike } from './_internal'

export type TokenBalance = {
  token: Address
  symbol: string
  decimals: number
  /** Owner / treasury balance (claimable without asset ids). */
  ownerBalance: bigint
  /** Contributor entitlements, per asset with a non-zero amount. */
  contributions: { assetId: bigint; amount: bigint }[]
  /** ownerBalance + all contributions: what claim() would pay. */
  total: bigint
}

/** Assets in which `account` was ever minted contribution shares (ContributionRecorded logs). */
export async function contributedAssets(ctx: ReadContext, account: Address): Promise<bigint[]> {
  const logs = await getContractEvents(ctx.publicClient, {
    address: ctx.deployments.contracts.ContributionShares,
    abi: contributionSharesAbi,
    eventName: 'ContributionRecorded',
    args: { contributor: account },
    fromBlock: ctx.deployments.startBlock,
    toBlock: 'latest',
    strict: true,
  })
  return [...new Set(logs.map((l) => l.args.assetId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * Everything `account` can claim, per payment token: its owner/treasury balance plus its
 * contributor entitlement in every asset it holds shares in (or only in `assetIds`).
 */
export async function getBalances(
  ctx: ReadContext,
  p: { account: Address; tokens?: readonly TokenLike[] | undefined; assetIds?: readonly (bigint | number)[] | undefined },
): Promise<TokenBalance[]> {
  return run(ctx, { action: 'getBalances' }, async () => {
    const account = getAddress(p.account)
    const vault = ctx.deployments.contracts.RevenueVault
    const tokens = p.tokens
      ? p.tokens.map((t) => resolveToken(ctx.deployments, t))
      : // Tracked = ever allowed: revenue in a token that was later removed stays claimable.
        await readContract(ctx.publicClient, { address: vault, abi: revenueVaultAbi, functionName: 'trackedTokens' })
    const assetIds = p.assetIds ? p.assetIds.map((x) => BigInt(x)) : await contributedAssets(ctx, account)
    return Promise.all(
      tokens.map(async (token) => {
        const [display, ownerBalance, amounts] = await Promise.all([
          tokenDisplay(ctx.publicClient, token),
          readContract(ctx.publicClient, { address: vault, abi: revenueVaultAbi, functionName: 'balanceOf', args: [account, token] }),
          Promise.all(
            assetIds.map((assetId) =>
              readContract(ctx.publicClient, { address: vault, abi: revenueVaultAbi, functionName: 'contributorClaimable', args: [assetId, account, token] }),
            ),
          ),
        ])
        const contributions = assetIds.map((assetId, i) => ({ assetId, amount: amounts[i]! })).filter((c) => c.amount > 0n)
        const total = contributions.reduce((s, c) => s + c.amount, ownerBalance)
        return { token, symbol: display.symbol, decimals: display.decimals, ownerBalance, contributions, total }
      }),
    )
  })
}

export { resolveToken }
export type { TokenLike }
