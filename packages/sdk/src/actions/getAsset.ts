import type { Address } from 'viem'
import { readContract } from 'viem/actions'
import { assetRegistryAbi } from '../abis/generated'
import { fromContentRef, type ContentRef } from '../cid/contentRef'
import { kindName, relationName, type RelationName } from '../constants'
import { run, toBigInt, type ReadClient, type ReadContext } from './_internal'

export type AssetVersion = {
  version: number
  /** CIDv1 of the content, as `contentId()` returns it. */
  content: string
  metadata: string
  contentRef: ContentRef
  metadataRef: ContentRef
  /** Unix seconds. */
  publishedAt: number
  /** ipfs://<metadata cid> */
  tokenURI: string
}

export type AssetParent = { parentId: bigint; relation: RelationName; relationId: number; royaltyBps: number; licenseId: bigint }

export type AssetView = {
  assetId: bigint
  kind: number
  kindName: string
  creator: Address
  owner: Address
  versionCount: number
  registeredAt: number
  /** Sum of the parents' royalties (bps of every inflow forwarded upstream). */
  royaltyBps: number
  parents: AssetParent[]
  latest: AssetVersion
}

type RawVersion = { content: { codec: number; digest: `0x${string}` }; metadata: { codec: number; digest: `0x${string}` }; publishedAt: number }

export function toAssetVersion(version: number, v: RawVersion): AssetVersion {
  const metadata = fromContentRef(v.metadata)
  return {
    version,
    content: fromContentRef(v.content),
    metadata,
    contentRef: { codec: v.content.codec, digest: v.content.digest },
    metadataRef: { codec: v.metadata.codec, digest: v.metadata.digest },
    publishedAt: Number(v.publishedAt),
    tokenURI: `ipfs://${metadata}`,
  }
}

/** The typed parent links of an asset. */
export async function readParents(publicClient: ReadClient, registry: Address, assetId: bigint): Promise<AssetParent[]> {
  const links = await readContract(publicClient, { address: registry, abi: assetRegistryAbi, functionName: 'parentsOf', args: [assetId] })
  return links.map((l) => ({
    parentId: BigInt(l.parentId),
    relation: relationName(l.relation),
    relationId: l.relation,
    royaltyBps: l.royaltyBps,
    licenseId: BigInt(l.licenseId),
  }))
}

/** Everything about one asset: header, owner, parents and latest version. */
export async function getAsset(ctx: ReadContext, assetIdLike: bigint | number): Promise<AssetView> {
  return run(ctx, { action: 'getAsset' }, async () => {
    const assetId = toBigInt(assetIdLike, 'assetId')
    const address = ctx.deployments.contracts.AssetRegistry
    const info = await readContract(ctx.publicClient, { address, abi: assetRegistryAbi, functionName: 'assetInfo', args: [assetId] })
    const [owner, [version, latest], parents] = await Promise.all([
      readContract(ctx.publicClient, { address, abi: assetRegistryAbi, functionName: 'ownerOf', args: [assetId] }),
      readContract(ctx.publicClient, { address, abi: assetRegistryAbi, functionName: 'latestVersion', args: [assetId] }),
      readParents(ctx.publicClient, address, assetId),
    ])
    return {
      assetId,
      kind: info.kind,
      kindName: kindName(info.kind),
      creator: info.creator,
      owner,
      versionCount: info.versionCount,
      registeredAt: Number(info.registeredAt),
      royaltyBps: info.royaltyBps,
      parents,
      latest: toAssetVersion(version, latest),
    }
  })
}
