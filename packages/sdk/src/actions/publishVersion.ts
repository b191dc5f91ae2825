import { parseEventLogs } from 'viem'
import { simulateContract } from 'viem/actions'
import { assetRegistryAbi } from '../abis/generated'
import { cidToString, isContentRef, toContentRef, type CidLike } from '../cid/contentRef'
import { encodeMetadata, type AssetMetadata } from '../cid/metadata'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'
import type { RegisteredMetadata } from './registerAsset'

export type PublishVersionParams = {
  assetId: bigint | number
  content: CidLike
  /** Metadata JSON (CID computed, `content` filled in) or the CID of pinned metadata. */
  metadata: AssetMetadata | CidLike
}

export type PublishVersionResult = TxResult & { version: number; content: string; metadata: RegisteredMetadata }

/** Appends a new version to an asset you own; earlier versions stay readable. */
export async function publishVersion(ctx: WriteContext, p: PublishVersionParams): Promise<PublishVersionResult> {
  return run(ctx, { action: 'publishVersion' }, async () => {
    const account = requireAccount(ctx.walletClient, 'publishVersion')
    const assetId = toBigInt(p.assetId, 'assetId')
    const content = toContentRef(p.content)
    const contentCid = cidToString(content)
    let metadata: RegisteredMetadata
    if (typeof p.metadata === 'object' && !isContentRef(p.metadata) && 'name' in p.metadata && !('multihash' in p.metadata)) {
      const enc = await encodeMetadata({ content: contentCid, ...(p.metadata as AssetMetadata) })
      metadata = { cid: enc.cid, ref: enc.ref, bytes: enc.bytes, json: enc.json }
    } else {
      const ref = toContentRef(p.metadata as CidLike)
      metadata = { cid: cidToString(ref), ref }
    }
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: ctx.deployments.contracts.AssetRegistry,
      abi: assetRegistryAbi,
      functionName: 'publishVersion',
      args: [assetId, content, metadata.ref],
    })
    const tx = await submit(ctx, request, 'publishVersion')
    const [event] = parseEventLogs({ abi: assetRegistryAbi, logs: tx.receipt.logs, eventName: 'VersionPublished' })
    if (!event) throw new Error('The publishVersion transaction emitted no VersionPublished event.')
    return { ...tx, version: Number(event.args.version), content: contentCid, metadata }
  })
}
