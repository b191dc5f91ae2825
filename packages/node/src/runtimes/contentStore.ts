import { computeCid } from '@sahara/sdk'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ArtifactMismatchError } from '../errors.ts'

/**
 * Minimal ContentStore (spec "Artifacts"): files under <dir>/<cid>, and get() refuses bytes whose
 * recomputed CID differs. Replace with packages/store once it lands.
 */
export interface ContentStoreLike {
  get(cid: string): Promise<Uint8Array>
}

export function localContentStore(dir: string): ContentStoreLike {
  return {
    async get(cid) {
      if (!/^[a-z0-9]+$/.test(cid)) throw new ArtifactMismatchError(`Not a CIDv1 base32 string: ${cid}`)
      const bytes = await readFile(join(dir, cid))
      const actual = (await computeCid(bytes)).cid
      if (actual !== cid) throw new ArtifactMismatchError(`Content ${cid} in the store hashes to ${actual}: refusing to serve it.`)
      return bytes
    },
  }
}
