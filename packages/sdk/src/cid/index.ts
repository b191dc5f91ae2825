export { computeCid, CHUNK_SIZE, MAX_CHILDREN, type CidInput, type CidResult, type ComputeCidOptions } from './compute'
export { Codecs, toContentRef, fromContentRef, cidToString, parseCid, isContentRef, type ContentRef, type CidLike } from './contentRef'
export { encodeMetadata, type AssetMetadata } from './metadata'
