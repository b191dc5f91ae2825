import { StandardMerkleTree } from '@openzeppelin/merkle-tree'
import { getAddress, isAddress, zeroAddress, type Address, type Hex } from 'viem'
import { SaharaError } from '../errors'

/** Leaf encoding of MerkleAirdrop: leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount)))). */
export const AIRDROP_LEAF_ENCODING = ['address', 'uint256'] as const

const MAX_UINT256 = 2n ** 256n - 1n

/** An airdrop list is invalid; `line` is the CSV line (1 = header) or undefined for rows given directly. */
export class AirdropError extends SaharaError {
  override name = 'AirdropError'
  readonly line?: number | undefined
  constructor(message: string, line?: number) {
    super(message)
    this.line = line
  }
}

export type AirdropRow = { account: Address; amount: bigint }
export type AirdropEntry = AirdropRow & { proof: Hex[] }
/** The @openzeppelin/merkle-tree dump ("standard-v1"); values are [address, amount as a decimal string]. */
export type AirdropTreeDump = ReturnType<StandardMerkleTree<[string, string]>['dump']>

export type Airdrop = {
  root: Hex
  count: number
  /** Sum of all amounts in wei: what the MerkleAirdrop must be funded with. */
  total: bigint
  /** In input order, each with its proof. */
  entries: AirdropEntry[]
  /** Loadable with StandardMerkleTree.load. */
  tree: AirdropTreeDump
}

function checkRow(account: string, amount: bigint, seen: Map<string, string>, where: string, line?: number): Address {
  if (!isAddress(account)) throw new AirdropError(`${where}: "${account}" is not a valid address (0x and 40 hex digits, correct checksum if mixed case).`, line)
  const a = getAddress(account)
  if (a === zeroAddress) throw new AirdropError(`${where}: the zero address cannot receive an airdrop.`, line)
  const first = seen.get(a)
  if (first) throw new AirdropError(`${where}: ${a} is listed twice (first on ${first}); the airdrop allows one allocation per account.`, line)
  seen.set(a, where)
  if (amount <= 0n) throw new AirdropError(`${where}: the amount for ${a} must be above zero.`, line)
  if (amount > MAX_UINT256) throw new AirdropError(`${where}: the amount for ${a} does not fit in uint256.`, line)
  return a
}

/**
 * Builds the airdrop Merkle tree in the @openzeppelin/merkle-tree StandardMerkleTree format with
 * leaf encoding ["address","uint256"] (amounts in wei), as MerkleAirdrop verifies it.
 * Rejects an empty list, bad or zero addresses, duplicates and zero amounts.
 */
export function buildAirdrop(rows: readonly AirdropRow[]): Airdrop {
  if (rows.length === 0) throw new AirdropError('The airdrop list is empty.')
  const seen = new Map<string, string>()
  const values = rows.map((r, i): [string, string] => [checkRow(r.account, r.amount, seen, `entry ${i + 1}`), r.amount.toString()])
  const tree = StandardMerkleTree.of(values, [...AIRDROP_LEAF_ENCODING])
  const entries = values.map(([account, amount], i) => ({ account: account as Address, amount: BigInt(amount), proof: tree.getProof(i) as Hex[] }))
  return { root: tree.root as Hex, count: entries.length, total: entries.reduce((a, e) => a + e.amount, 0n), entries, tree: tree.dump() }
}

/** Strips one pair of surrounding double quotes (spreadsheet exports quote fields). */
const unquote = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).trim() : s)

/**
 * Parses an airdrop CSV: header `address,amount`, one row per account, amounts in whole tokens
 * as decimals with up to `decimals` fractional digits ("1500", "0.25"), converted to wei exactly
 * (more digits is an error, never rounded). Blank lines are skipped. Errors name the line.
 */
export function parseAirdropCsv(text: string, opts: { decimals?: number } = {}): AirdropRow[] {
  const decimals = opts.decimals ?? 18
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const header = lines[0]?.split(',').map((h) => unquote(h.trim()).toLowerCase())
  if (!header || header.length !== 2 || header[0] !== 'address' || header[1] !== 'amount') {
    throw new AirdropError(`line 1: the header must be "address,amount", got "${(lines[0] ?? '').trim()}".`, 1)
  }
  const rows: AirdropRow[] = []
  const seen = new Map<string, string>()
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim()
    if (raw === '') continue
    const where = `line ${i + 1}`
    const cells = raw.split(',').map((c) => unquote(c.trim()))
    if (cells.length !== 2) throw new AirdropError(`${where}: expected 2 columns (address,amount), got ${cells.length}.`, i + 1)
    const [account, amountText] = cells as [string, string]
    const m = /^(\d+)(?:\.(\d+))?$/.exec(amountText)
    if (!m) throw new AirdropError(`${where}: "${amountText}" is not an amount; write whole tokens as a decimal like 1500 or 0.25.`, i + 1)
    const frac = m[2] ?? ''
    if (frac.length > decimals) throw new AirdropError(`${where}: "${amountText}" has more than ${decimals} decimals, the token's precision.`, i + 1)
    const amount = BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0')
    rows.push({ account: checkRow(account, amount, seen, where, i + 1), amount })
  }
  if (rows.length === 0) throw new AirdropError('The CSV has a header but no rows.')
  return rows
}
