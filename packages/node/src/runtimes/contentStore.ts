import { ContentStore } from '@sahara/store'

/** What the node needs from a content store: get(cid) that verifies the bytes against the CID. */
export interface ContentStoreLike {
  get(cid: string): Promise<Uint8Array>
}

/**
 * The local content store (packages/store): files under <dir>/<cid>; `get` recomputes the CID and
 * throws ContentMismatchError when the bytes differ, so the node never serves an artifact that is
 * not the one the chain names.
 */
export function localContentStore(dir: string): ContentStoreLike {
  const store = new ContentStore(dir)
  return { get: (cid) => store.get(cid) }
}
