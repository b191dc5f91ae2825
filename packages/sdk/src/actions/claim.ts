import { parseEventLogs, type Address } from 'viem'
import { readContract, simulateContract } from 'viem/actions'
import { revenueVaultAbi } from '../abis/generated'
import { requireAccount, resolveToken, run, submit, type TokenLike, type TxResult, type WriteContext } from './_internal'
import { getBalances } from './getBalances'

export type ClaimResult = Partial<TxResult> & { token: Address; amount: bigint; assetIds: bigint[] }

/**
 * Claims the wallet's owner/treasury balance in `token` plus its contributor entitlement in
 * `assetIds` (default: every asset where it has something to claim). No transaction is sent when
 * there is nothing to claim.
 */
export async function claim(
  ctx: WriteContext,
  p: { token: TokenLike; assetIds?: readonly (bigint | number)[] | undefined },
): Promise<ClaimResult> {
  return run(ctx, { action: 'claim' }, async () => {
    const account = requireAccount(ctx.walletClient, 'claim')
    const token = resolveToken(ctx.deployments, p.token)
    let assetIds: bigint[]
    if (p.assetIds) {
      assetIds = p.assetIds.map((x) => BigInt(x))
      const total = await readContract(ctx.publicClient, {
        address: ctx.deployments.contracts.RevenueVault,
        abi: revenueVaultAbi,
        functionName: 'claimable',
        args: [account.address, token, assetIds],
      })
      // The vault reverts ZeroAmount on an empty claim: report 0 without a transaction instead.
      if (total === 0n) return { token, amount: 0n, assetIds }
    } else {
      const [balance] = await getBalances(ctx, { account: account.address, tokens: [token] })
      if (!balance || balance.total === 0n) return { token, amount: 0n, assetIds: [] }
      assetIds = balance.contributions.map((c) => c.assetId)
    }
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: ctx.deployments.contracts.RevenueVault,
      abi: revenueVaultAbi,
      functionName: 'claim',
      args: [token, assetIds],
    })
    const tx = await submit(ctx, request, 'claim')
    const events = parseEventLogs({ abi: revenueVaultAbi, logs: tx.receipt.logs, eventName: 'Claimed' })
    const amount = events.reduce((s, e) => s + e.args.amount, 0n)
    return { ...tx, token, amount, assetIds }
  })
}
