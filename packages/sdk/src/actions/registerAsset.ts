import { parseEventLogs, zeroAddress, type Address } from 'viem'
import { simulateContract } from 'viem/actions'
import { assetRegistryAbi } from '../abis/generated'
import { cidToString, isContentRef, toContentRef, type CidLike, type ContentRef } from '../cid/contentRef'
import { encodeMetadata, type AssetMetadata } from '../cid/metadata'
import { kindId, kindName, relationId, type AssetKindName, type RelationName } from '../constants'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

export type ParentInputLike = {
  parentId: bigint | number
  relation: RelationName | number
  /** LicenseNFT held on the parent that allows derivatives; omit when you own the parent or it has OPEN terms. */
  licenseId?: bigint | number | undefined
}

export type RegisterAssetParams = {
  kind: AssetKindName | Lowercase<AssetKindName> | number
  /** CID of the asset bytes (see computeCid). */
  content: CidLike
  /** Metadata JSON (its CID is computed; `kind` and `content` are filled in) or the CID of metadata already pinned. */
  metadata: AssetMetadata | CidLike
  /** Receiver of the OwnershipNFT (default: the sender). */
  owner?: Address | undefined
  parents?: readonly ParentInputLike[] | undefined
}

/** Metadata as registered: its CID and, when the SDK built it, the exact bytes to pin. */
export type RegisteredMetadata = { cid: string; ref: ContentRef; bytes?: Uint8Array | undefined; json?: string | undefined }

export type PreparedRegistration = {
  params: {
    kind: number
    owner: Address
    content: ContentRef
    metadata: ContentRef
    parents: { parentId: bigint; relation: number; licenseId: bigint }[]
  }
  content: string
  metadata: RegisteredMetadata
}

function isMetadataObject(value: AssetMetadata | CidLike): value is AssetMetadata {
  return typeof value === 'object' && value !== null && !isContentRef(value) && 'name' in value && !('multihash' in value)
}

/** Builds the on-chain RegisterParams (computing the metadata CID) without sending anything. */
export async function prepareRegistration(p: RegisterAssetParams): Promise<PreparedRegistration> {
  const kind = kindId(p.kind)
  const content = toContentRef(p.content)
  const contentCid = cidToString(content)
  let metadata: RegisteredMetadata
  if (isMetadataObject(p.metadata)) {
    const enc = await encodeMetadata({ kind: kindName(kind), content: contentCid, ...p.metadata })
    metadata = { cid: enc.cid, ref: enc.ref, bytes: enc.bytes, json: enc.json }
  } else {
    const ref = toContentRef(p.metadata)
    metadata = { cid: cidToString(ref), ref }
  }
  return {
    params: {
      kind,
      owner: p.owner ?? zeroAddress,
      content,
      metadata: metadata.ref,
      parents: (p.parents ?? []).map((x) => ({
        parentId: toBigInt(x.parentId, 'parentId'),
        relation: relationId(x.relation),
        licenseId: toBigInt(x.licenseId ?? 0n, 'licenseId'),
      })),
    },
    content: contentCid,
    metadata,
  }
}

export type RegisterAssetResult = TxResult & { assetId: bigint; content: string; metadata: RegisteredMetadata }

/**
 * Registers one asset (mints its OwnershipNFT, publishes version 1, records its parent links).
 * Deriving from a parent you do not own needs a license on it that allows derivatives.
 */
export async function registerAsset(ctx: WriteContext, p: RegisterAssetParams): Promise<RegisterAssetResult> {
  return run(ctx, { action: 'registerAsset' }, async () => {
    const account = requireAccount(ctx.walletClient, 'registerAsset')
    const prepared = await prepareRegistration(p)
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: ctx.deployments.contracts.AssetRegistry,
      abi: assetRegistryAbi,
      functionName: 'register',
      args: [prepared.params],
    })
    const tx = await submit(ctx, request, 'register')
    const [event] = parseEventLogs({ abi: assetRegistryAbi, logs: tx.receipt.logs, eventName: 'AssetRegistered' })
    if (!event) throw new Error('The register transaction emitted no AssetRegistered event.')
    return { ...tx, assetId: event.args.assetId, content: prepared.content, metadata: prepared.metadata }
  })
}
