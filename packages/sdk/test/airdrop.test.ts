// Airdrop builder: proofs checked with the library's verify AND with an independent
// implementation of MerkleAirdrop's rule (double-hashed abi.encode leaf, sorted-pair keccak),
// plus CSV parsing with the exact token -> wei conversion and an error naming the line.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { StandardMerkleTree } from '@openzeppelin/merkle-tree'
import { concat, encodeAbiParameters, getAddress, hexToBigInt, keccak256, numberToHex, type Address, type Hex } from 'viem'
import { AirdropError, buildAirdrop, parseAirdropCsv, type AirdropRow } from '../src/index.ts'

const E18 = 10n ** 18n

/** leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount)))), as in the contract. */
function leaf(account: Address, amount: bigint): Hex {
  return keccak256(keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [account, amount])))
}

/** OpenZeppelin MerkleProof.processProof: hash each pair in ascending order. */
function verify(root: Hex, account: Address, amount: bigint, proof: readonly Hex[]): boolean {
  let node = leaf(account, amount)
  for (const sibling of proof) node = hexToBigInt(node) < hexToBigInt(sibling) ? keccak256(concat([node, sibling])) : keccak256(concat([sibling, node]))
  return node === root
}

/** Deterministic distinct addresses. */
const addr = (i: number) => getAddress(keccak256(numberToHex(i, { size: 32 })).slice(0, 42))

describe('buildAirdrop', () => {
  const rows: AirdropRow[] = Array.from({ length: 300 }, (_, i) => ({ account: addr(i), amount: BigInt(i + 1) * E18 + BigInt(i) }))
  const a = buildAirdrop(rows)

  it('every proof verifies with StandardMerkleTree.verify and with the independent rule', () => {
    assert.equal(a.count, 300)
    assert.equal(a.total, rows.reduce((s, r) => s + r.amount, 0n))
    assert.deepEqual(a.entries.map((e) => [e.account, e.amount]), rows.map((r) => [r.account, r.amount]))
    for (const e of a.entries) {
      assert.ok(StandardMerkleTree.verify(a.root, ['address', 'uint256'], [e.account, e.amount], e.proof))
      assert.ok(verify(a.root, e.account, e.amount, e.proof), `independent verify failed for ${e.account}`)
      // 300 leaves: depth 8 or 9
      assert.ok(e.proof.length >= 8 && e.proof.length <= 9)
    }
  })

  it('the independent rule rejects a wrong amount, a wrong account and a wrong proof', () => {
    const e = a.entries[7]!
    assert.equal(verify(a.root, e.account, e.amount + 1n, e.proof), false)
    assert.equal(verify(a.root, a.entries[8]!.account, e.amount, e.proof), false)
    assert.equal(verify(a.root, e.account, e.amount, a.entries[8]!.proof), false)
    assert.equal(verify(a.root, e.account, e.amount, e.proof.slice(1)), false)
  })

  it('dumps the OpenZeppelin standard-v1 format, loadable with the same root and proofs', () => {
    assert.equal(a.tree.format, 'standard-v1')
    assert.deepEqual(a.tree.leafEncoding, ['address', 'uint256'])
    const json = JSON.parse(JSON.stringify(a.tree))
    const loaded = StandardMerkleTree.load<[string, string]>(json)
    assert.equal(loaded.root, a.root)
    loaded.validate()
    assert.deepEqual(loaded.getProof([rows[5]!.account, rows[5]!.amount.toString()]), a.entries[5]!.proof)
    // values are [checksummed address, decimal wei string]
    assert.deepEqual(json.values[0].value, [rows[0]!.account, rows[0]!.amount.toString()])
  })

  it('one entry: the root is the leaf and the proof is empty', () => {
    const one = buildAirdrop([{ account: addr(1), amount: 5n }])
    assert.equal(one.root, leaf(addr(1), 5n))
    assert.deepEqual(one.entries[0]!.proof, [])
    assert.ok(verify(one.root, addr(1), 5n, []))
  })

  it('rejects an empty list, duplicates, bad addresses and zero amounts', () => {
    const err = (rows: AirdropRow[], msg: string) =>
      assert.throws(() => buildAirdrop(rows), (e: unknown) => e instanceof AirdropError && e.shortMessage === msg)
    err([], 'The airdrop list is empty.')
    err([{ account: addr(1), amount: 1n }, { account: addr(1).toLowerCase() as Address, amount: 2n }], `entry 2: ${addr(1)} is listed twice (first on entry 1); the airdrop allows one allocation per account.`)
    err([{ account: addr(1), amount: 0n }], `entry 1: the amount for ${addr(1)} must be above zero.`)
    err([{ account: '0x12' as Address, amount: 1n }], 'entry 1: "0x12" is not a valid address (0x and 40 hex digits, correct checksum if mixed case).')
    err([{ account: '0x0000000000000000000000000000000000000000', amount: 1n }], 'entry 1: the zero address cannot receive an airdrop.')
    err([{ account: addr(1), amount: 2n ** 256n }], `entry 1: the amount for ${addr(1)} does not fit in uint256.`)
  })
})

describe('parseAirdropCsv', () => {
  const A = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
  const B = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'

  it('converts whole-token decimals to wei exactly', () => {
    const csv = `\uFEFFAddress,Amount\r\n${A},1500\r\n\r\n"${B.toLowerCase()}", "0.000000000000000001"\n0x90F79bf6EB2c4f870365E785982E1f101E93b906,12.5\n`
    assert.deepEqual(parseAirdropCsv(csv), [
      { account: A, amount: 1500n * E18 },
      { account: B, amount: 1n },
      { account: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', amount: 12n * E18 + E18 / 2n },
    ])
    assert.deepEqual(parseAirdropCsv(`address,amount\n${A},1.5`, { decimals: 6 }), [{ account: A, amount: 1_500_000n }])
  })

  it('names the line of every problem', () => {
    const err = (csv: string, msg: string, line?: number) =>
      assert.throws(() => parseAirdropCsv(csv), (e: unknown) => e instanceof AirdropError && e.shortMessage === msg && e.line === line)
    err(`account,amount\n${A},1`, 'line 1: the header must be "address,amount", got "account,amount".', 1)
    err(`address,amount\n${A},1\n0xabc,2`, 'line 3: "0xabc" is not a valid address (0x and 40 hex digits, correct checksum if mixed case).', 3)
    err(`address,amount\n${A.replace('C8', 'c8')},1`, `line 2: "${A.replace('C8', 'c8')}" is not a valid address (0x and 40 hex digits, correct checksum if mixed case).`, 2)
    err(`address,amount\n${A},1\n${B},2\n${A.toLowerCase()},3`, `line 4: ${A} is listed twice (first on line 2); the airdrop allows one allocation per account.`, 4)
    err(`address,amount\n${A},0`, `line 2: the amount for ${A} must be above zero.`, 2)
    err(`address,amount\n${A},0.000`, `line 2: the amount for ${A} must be above zero.`, 2)
    err(`address,amount\n${A},-1`, 'line 2: "-1" is not an amount; write whole tokens as a decimal like 1500 or 0.25.', 2)
    err(`address,amount\n${A},1e18`, 'line 2: "1e18" is not an amount; write whole tokens as a decimal like 1500 or 0.25.', 2)
    err(`address,amount\n${A},1,000`, 'line 2: expected 2 columns (address,amount), got 3.', 2)
    err(`address,amount\n${A},0.0000000000000000001`, 'line 2: "0.0000000000000000001" has more than 18 decimals, the token\'s precision.', 2)
    err(`address,amount\n0x0000000000000000000000000000000000000000,1`, 'line 2: the zero address cannot receive an airdrop.', 2)
    err('address,amount\n\n', 'The CSV has a header but no rows.')
    err('', 'line 1: the header must be "address,amount", got "".', 1)
  })
})
