import { getContractEvents, readContract } from 'viem/actions'
import { assetRegistryAbi } from '../abis/generated'
import { relationName } from '../constants'
import { run, toBigInt, type ReadContext } from './_internal'
import type { LineageNode } from './getAncestors'

export type DescendantLink = { childId: bigint; parentId: bigint; relation: ReturnType<typeof relationName>; licenseId: bigint; royaltyBps: number }

export type DescendantsResult = {
  /** The asset and, as `children`, the assets derived from it, recursively. */
  tree: LineageNode
  /** Every distinct descendant, nearest first. */
  ids: bigint[]
  links: DescendantLink[]
}

/**
 * Finds the assets derived from an asset. Children are only recorded in ParentLinked events
 * (indexed by parentId), so this reads logs level by level from the deployment block.
 */
export async function getDescendants(
  ctx: ReadContext,
  assetIdLike: bigint | number,
  options: { maxDepth?: number } = {},
): Promise<DescendantsResult> {
  return run(ctx, { action: 'getDescendants' }, async () => {
    const assetId = toBigInt(assetIdLike, 'assetId')
    const registry = ctx.deployments.contracts.AssetRegistry
    const maxDepth = options.maxDepth ?? 64
    await readContract(ctx.publicClient, { address: registry, abi: assetRegistryAbi, functionName: 'assetInfo', args: [assetId] })
    const links: DescendantLink[] = []
    const childrenOf = new Map<bigint, DescendantLink[]>()
    const ids: bigint[] = []
    const seen = new Set<bigint>([assetId])
    let frontier = [assetId]
    for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
      const logs = await getContractEvents(ctx.publicClient, {
        address: registry,
        abi: assetRegistryAbi,
        eventName: 'ParentLinked',
        args: { parentId: frontier },
        fromBlock: ctx.deployments.startBlock,
        toBlock: 'latest',
        strict: true,
      })
      const next: bigint[] = []
      for (const log of logs) {
        const link: DescendantLink = {
          childId: log.args.childId,
          parentId: log.args.parentId,
          relation: relationName(log.args.relation),
          licenseId: log.args.licenseId,
          royaltyBps: log.args.royaltyBps,
        }
        links.push(link)
        const list = childrenOf.get(link.parentId) ?? []
        list.push(link)
        childrenOf.set(link.parentId, list)
        if (!seen.has(link.childId)) {
          seen.add(link.childId)
          ids.push(link.childId)
          next.push(link.childId)
        }
      }
      frontier = next
    }
    const expanded = new Set<bigint>()
    const build = (id: bigint, link: DescendantLink | undefined, depth: number): LineageNode => {
      const node: LineageNode = { assetId: id, relation: link?.relation, royaltyBps: link?.royaltyBps, licenseId: link?.licenseId, children: [] }
      if (expanded.has(id)) return { ...node, deduped: true }
      expanded.add(id)
      if (depth < maxDepth) node.children = (childrenOf.get(id) ?? []).map((l) => build(l.childId, l, depth + 1))
      return node
    }
    return { tree: build(assetId, undefined, 0), ids, links }
  })
}
