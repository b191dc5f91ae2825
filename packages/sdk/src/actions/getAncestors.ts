import { readContract } from 'viem/actions'
import { assetRegistryAbi } from '../abis/generated'
import type { RelationName } from '../constants'
import { run, toBigInt, type ReadContext } from './_internal'
import { readParents, type AssetParent } from './getAsset'

/**
 * One node of the lineage tree. An asset reached through several paths is expanded only the
 * first time; later occurrences have `deduped: true` and no children (the graph is a DAG and a
 * full tree expansion could grow exponentially).
 */
export type LineageNode = {
  assetId: bigint
  /** How this node relates to the node above it (absent at the root). */
  relation?: RelationName | undefined
  royaltyBps?: number | undefined
  licenseId?: bigint | undefined
  deduped?: boolean | undefined
  children: LineageNode[]
}

export type AncestorsResult = {
  /** The asset and, as `children`, its parents, recursively. */
  tree: LineageNode
  /** Every distinct ancestor, nearest first (breadth-first), excluding the asset itself. */
  ids: bigint[]
  /** Parent links of every asset visited. */
  parents: Map<bigint, AssetParent[]>
}

/** Walks parentsOf up the attribution graph (acyclic by construction) to the roots. */
export async function getAncestors(
  ctx: ReadContext,
  assetIdLike: bigint | number,
  options: { maxDepth?: number } = {},
): Promise<AncestorsResult> {
  return run(ctx, { action: 'getAncestors' }, async () => {
    const assetId = toBigInt(assetIdLike, 'assetId')
    const registry = ctx.deployments.contracts.AssetRegistry
    const maxDepth = options.maxDepth ?? 64
    // assetInfo first: reverts with UnknownAsset for a bad id instead of returning no parents.
    await readContract(ctx.publicClient, { address: registry, abi: assetRegistryAbi, functionName: 'assetInfo', args: [assetId] })
    const parents = new Map<bigint, AssetParent[]>()
    const ids: bigint[] = []
    const seen = new Set<bigint>([assetId])
    let frontier = [assetId]
    for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
      const lists = await Promise.all(frontier.map((id) => readParents(ctx.publicClient, registry, id)))
      const next: bigint[] = []
      frontier.forEach((id, i) => parents.set(id, lists[i]!))
      for (const list of lists) {
        for (const p of list) {
          if (seen.has(p.parentId)) continue
          seen.add(p.parentId)
          ids.push(p.parentId)
          next.push(p.parentId)
        }
      }
      frontier = next
    }
    const expanded = new Set<bigint>()
    const build = (id: bigint, link: AssetParent | undefined, depth: number): LineageNode => {
      const node: LineageNode = { assetId: id, relation: link?.relation, royaltyBps: link?.royaltyBps, licenseId: link?.licenseId, children: [] }
      if (expanded.has(id)) return { ...node, deduped: true }
      expanded.add(id)
      if (depth < maxDepth) node.children = (parents.get(id) ?? []).map((p) => build(p.parentId, p, depth + 1))
      return node
    }
    return { tree: build(assetId, undefined, 0), ids, parents }
  })
}
