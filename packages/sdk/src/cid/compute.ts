import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { BlackHoleBlockstore } from 'blockstore-core/black-hole'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import type { CID } from 'multiformats/cid'
import { CidError } from '../errors'

/** kubo's default chunker (`size-262144`). */
export const CHUNK_SIZE = 262_144
/** kubo's default balanced-DAG width (`helpers.DefaultLinksPerBlock`). */
export const MAX_CHILDREN = 174

export type CidInput = Uint8Array | string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>

export type ComputeCidOptions = {
  /** Called with the running total of bytes hashed so far (and the total when known). */
  onProgress?: (bytesHashed: number, totalBytes: number | undefined) => void
  /** Read buffer when hashing a file from disk. */
  readChunkSize?: number
}

export type CidResult = {
  /** The CID as `ipfs add --cid-version 1` prints it (base32). */
  cid: string
  /** The parsed CID object. */
  cidObject: CID
  /** Number of content bytes hashed. */
  size: number
}

/**
 * Computes the CID that `ipfs add --cid-version 1` (kubo defaults) would print for some content:
 * raw leaves, fixed 256 KiB chunks, balanced DAG with at most 174 links per node, and a file that
 * fits in one chunk collapses to the raw leaf's CID (`bafkrei...`); larger files get a dag-pb root
 * (`bafybei...`). No block is stored: blocks go to a black-hole blockstore, so memory stays
 * bounded by the chunker and importer concurrency even for very large files.
 *
 * `input` is the bytes themselves, a file path (streamed from disk), or an (async) iterable of
 * byte chunks.
 */
export async function computeCid(input: CidInput, options: ComputeCidOptions = {}): Promise<CidResult> {
  let total: number | undefined
  let source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>
  if (typeof input === 'string') {
    try {
      const s = await stat(input)
      if (!s.isFile()) throw new CidError(`${input} is not a regular file.`)
      total = s.size
    } catch (err) {
      if (err instanceof CidError) throw err
      throw new CidError(`Cannot read ${input}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`, { cause: err })
    }
    source = createReadStream(input, { highWaterMark: options.readChunkSize ?? 1 << 20 }) as AsyncIterable<Uint8Array>
  } else if (input instanceof Uint8Array) {
    total = input.byteLength
    source = [input]
  } else {
    source = input
  }

  let hashed = 0
  const onProgress = options.onProgress
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      yield chunk
      hashed += chunk.byteLength
      onProgress?.(hashed, total)
    }
  }

  let root: CID | undefined
  for await (const entry of importer([{ content: counted() }], new BlackHoleBlockstore(), {
    cidVersion: 1,
    rawLeaves: true,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: CHUNK_SIZE }),
    layout: balanced({ maxChildrenPerNode: MAX_CHILDREN }),
    wrapWithDirectory: false,
  })) {
    root = entry.cid
  }
  if (!root) throw new CidError('The importer produced no CID.')
  return { cid: root.toString(), cidObject: root, size: hashed }
}
