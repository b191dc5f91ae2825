export { AirdropError, buildAirdrop, parseAirdropCsv, AIRDROP_LEAF_ENCODING, type Airdrop, type AirdropEntry, type AirdropRow, type AirdropTreeDump } from './build'
