import type { Address } from 'viem'
import { readContract, simulateContract } from 'viem/actions'
import { revenueVaultAbi } from '../abis/generated'
import { requireAccount, resolveToken, run, submit, toBigInt, type ReadContext, type TokenLike, type TxResult, type WriteContext } from './_internal'
import { getAncestors } from './getAncestors'

/**
 * The assets to flush, children before parents, so that one flushRoyaltiesBatch moves royalties
 * from `assetId` all the way up its lineage: every asset in the ancestor graph that has pending
 * royalties now, or will receive royalties from a flushed child and owes royalties itself.
 */
export async function computeFlushPath(ctx: ReadContext, p: { assetId: bigint | number; token: TokenLike }): Promise<bigint[]> {
  return run(ctx, { action: 'computeFlushPath' }, async () => {
    const assetId = toBigInt(p.assetId, 'assetId')
    const token = resolveToken(ctx.deployments, p.token)
    const { ids, parents } = await getAncestors(ctx, assetId)
    const all = [assetId, ...ids]
    const vault = ctx.deployments.contracts.RevenueVault
    const pending = new Map<bigint, bigint>()
    await Promise.all(
      all.map(async (id) => {
        pending.set(id, await readContract(ctx.publicClient, { address: vault, abi: revenueVaultAbi, functionName: 'pendingRoyalties', args: [id, token] }))
      }),
    )
    // Kahn's algorithm over the ancestor subgraph: an asset comes after all its children in it.
    const childCount = new Map<bigint, number>(all.map((id) => [id, 0]))
    for (const id of all) for (const link of parents.get(id) ?? []) childCount.set(link.parentId, (childCount.get(link.parentId) ?? 0) + 1)
    const ready = all.filter((id) => childCount.get(id) === 0)
    const receives = new Set<bigint>()
    const path: bigint[] = []
    while (ready.length > 0) {
      const id = ready.shift()!
      const links = parents.get(id) ?? []
      const owesRoyalties = links.some((l) => l.royaltyBps > 0)
      if (owesRoyalties && ((pending.get(id) ?? 0n) > 0n || receives.has(id))) {
        path.push(id)
        for (const l of links) if (l.royaltyBps > 0) receives.add(l.parentId)
      }
      for (const l of links) {
        const left = (childCount.get(l.parentId) ?? 0) - 1
        childCount.set(l.parentId, left)
        if (left === 0) ready.push(l.parentId)
      }
    }
    return path
  })
}

export type FlushRoyaltiesResult = Partial<TxResult> & { path: bigint[]; token: Address }

/**
 * Forwards pending royalties from an asset up its whole lineage in one transaction
 * (flushRoyaltiesBatch over computeFlushPath). Does nothing when nothing is pending.
 */
export async function flushRoyalties(ctx: WriteContext, p: { assetId: bigint | number; token: TokenLike }): Promise<FlushRoyaltiesResult> {
  return run(ctx, { action: 'flushRoyalties' }, async () => {
    const account = requireAccount(ctx.walletClient, 'flushRoyalties')
    const token = resolveToken(ctx.deployments, p.token)
    const path = await computeFlushPath(ctx, p)
    if (path.length === 0) return { path, token }
    const vault = ctx.deployments.contracts.RevenueVault
    const { request } =
      path.length === 1
        ? await simulateContract(ctx.publicClient, { account, address: vault, abi: revenueVaultAbi, functionName: 'flushRoyalties', args: [path[0]!, token] })
        : await simulateContract(ctx.publicClient, { account, address: vault, abi: revenueVaultAbi, functionName: 'flushRoyaltiesBatch', args: [path, token] })
    return { ...(await submit(ctx, request, 'flushRoyalties')), path, token }
  })
}
