import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { sha256 } from 'multiformats/hashes/sha2'
import { bytesToHex, hexToBytes, type Hex } from 'viem'
import { CidError } from '../errors'

/** Multicodec codes the AssetRegistry accepts (mirrors `Codecs` in AssetTypes.sol). */
export const Codecs = {
  RAW: 0x55,
  DAG_PB: 0x70,
  DAG_CBOR: 0x71,
  DAG_JSON: 0x0129,
  JSON: 0x0200,
} as const

const supportedCodecs = new Set<number>(Object.values(Codecs))

/** On-chain content pointer: a CIDv1 with a sha2-256 multihash, stored as (codec, digest). */
export type ContentRef = { codec: number; digest: Hex }

/** Anything that names content: a CID string, a CID object or an on-chain ContentRef. */
export type CidLike = string | CID | ContentRef

/** Parses a CID string; throws CidError with a readable message. */
export function parseCid(cid: string | CID): CID {
  if (typeof cid !== 'string') return cid
  try {
    return CID.parse(cid.trim())
  } catch (err) {
    throw new CidError(`"${cid}" is not a valid CID.`, { cause: err })
  }
}

/**
 * Splits a CID into the on-chain ContentRef. Only CIDv1 with sha2-256 and a codec the registry
 * accepts can be stored; CIDv0 (`Qm...`) is upgraded to v1 dag-pb, which names the same content.
 */
export function toContentRef(cid: CidLike): ContentRef {
  if (isContentRef(cid)) return cid
  const parsed = parseCid(cid)
  if (parsed.multihash.code !== sha256.code) {
    throw new CidError(`CID ${parsed.toString()} does not use a sha2-256 hash; only sha2-256 CIDs can be registered.`)
  }
  if (!supportedCodecs.has(parsed.code)) {
    throw new CidError(`CID ${parsed.toString()} uses codec 0x${parsed.code.toString(16)}, which the registry does not accept.`)
  }
  return { codec: parsed.code, digest: bytesToHex(parsed.multihash.digest) }
}

/** Rebuilds the CIDv1 base32 string (as `contentId()` returns it) from an on-chain ContentRef. */
export function fromContentRef(ref: ContentRef): string {
  const digest = hexToBytes(ref.digest)
  if (digest.length !== 32) throw new CidError(`A sha2-256 digest is 32 bytes, got ${digest.length}.`)
  return CID.createV1(ref.codec, Digest.create(sha256.code, digest)).toString()
}

/** Normalizes any CidLike to the CIDv1 base32 string. */
export function cidToString(cid: CidLike): string {
  return fromContentRef(toContentRef(cid))
}

export function isContentRef(value: unknown): value is ContentRef {
  return typeof value === 'object' && value !== null && 'codec' in value && 'digest' in value && !(value instanceof CID)
}
