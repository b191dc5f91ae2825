import { computeCid } from './compute'
import { toContentRef, type ContentRef } from './contentRef'

/** The metadata JSON of an asset version (tokenURI = ipfs://<cid of this JSON>). */
export type AssetMetadata = {
  name: string
  description?: string
  /** Asset kind name ("dataset", "model", ...). */
  kind?: string
  /** CID of the content this metadata describes. */
  content?: string
  [key: string]: unknown
}

/**
 * Serializes metadata deterministically (keys sorted at every level, 2-space indent, trailing
 * newline) so the same metadata always has the same CID, and computes that CID as `ipfs add`
 * would for the resulting file. Pin `bytes` wherever the metadata should be served from.
 */
export async function encodeMetadata(
  metadata: AssetMetadata,
): Promise<{ bytes: Uint8Array; json: string; cid: string; ref: ContentRef }> {
  const json = `${JSON.stringify(sortKeys(metadata), null, 2)}\n`
  const bytes = new TextEncoder().encode(json)
  const { cid } = await computeCid(bytes)
  return { bytes, json, cid, ref: toContentRef(cid) }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (typeof value === 'bigint') return value.toString()
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = sortKeys(v)
    }
    return out
  }
  return value
}
