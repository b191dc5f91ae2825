// `sahara tokenomics report` and `sahara airdrop build` end to end: the real bin as a child
// process (no node needed), files written, exit codes and one-sentence errors.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, describe, it } from 'node:test'
import { StandardMerkleTree } from '@openzeppelin/merkle-tree'
import { concat, encodeAbiParameters, hexToBigInt, keccak256, type Address, type Hex } from 'viem'

const bin = fileURLToPath(new URL('../bin/sahara.mjs', import.meta.url))
const repoConfig = fileURLToPath(new URL('../../../config/tokenomics.json', import.meta.url))
type Run = { code: number; stdout: string; stderr: string }

const dir = mkdtempSync(join(tmpdir(), 'sahara-tokenomics-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function sahara(args: string[], cwd = dir): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, cwd, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

/** A failure: the given exit code, one sentence on stderr, nothing on stdout. */
async function fails(args: string[], code: number, message: string | RegExp): Promise<void> {
  const r = await sahara(args)
  assert.equal(r.code, code, `expected exit ${code} from sahara ${args.join(' ')}: ${r.stderr}`)
  assert.equal(r.stdout, '')
  const lines = r.stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, `stderr should be one line, got:\n${r.stderr}`)
  const text = lines[0]!.replace(/^error: /, '')
  if (typeof message === 'string') assert.equal(text, message)
  else assert.match(text, message)
}

const leaf = (a: Address, amount: bigint) => keccak256(keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [a, amount])))
function verify(root: Hex, a: Address, amount: bigint, proof: Hex[]): boolean {
  let node = leaf(a, amount)
  for (const s of proof) node = hexToBigInt(node) < hexToBigInt(s) ? keccak256(concat([node, s])) : keccak256(concat([s, node]))
  return node === root
}

describe('sahara tokenomics report', { timeout: 120_000 }, () => {
  it('prints the table and the proof line for the default config', async () => {
    const r = await sahara(['tokenomics', 'report'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, new RegExp(`^Config: ${repoConfig.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'))
    assert.match(r.stdout, /^ {2}team\/0x70997970C51812dc3A010C7d01b50e0d17dc79C8 +6\.00% +600,000,000 +vesting vault +12 mo +48 mo +yes$/m)
    assert.equal(
      r.stdout.trimEnd().split('\n').at(-1),
      'proof: allocations sum to 10000000000000000000000000000 wei = supply (exact); month 60 unlocked 10000000000000000000000000000 wei = supply (fully unlocked from month 60)',
    )
  })

  it('--json gives exact wei per month and the totals', async () => {
    const r = await sahara(['tokenomics', 'report', '--config', repoConfig, '--months', '24', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const j = JSON.parse(r.stdout)
    assert.equal(j.months.length, 25)
    assert.equal(j.allocations.length, 12)
    assert.equal(j.supplyWei, '10000000000000000000000000000')
    assert.equal(j.months[12].buckets.team, (15n * 10n ** 26n / 4n).toString())
    assert.equal(j.totals.allocationsExact, true)
    assert.equal(j.totals.fullyUnlocked, false)
    assert.equal(j.totals.unlockedAtMonth, j.months[24].total)
    assert.match(j.proof, /month 24 unlocked \d+ wei of 10000000000000000000000000000 \(58\.43%; fully unlocked from month 60\)$/)
  })

  it('uses ./config/tokenomics.json when present', async () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'))
    const c = JSON.parse(readFileSync(repoConfig, 'utf8'))
    c.symbol = 'TEST'
    mkdirSync(join(cwd, 'config'))
    writeFileSync(join(cwd, 'config', 'tokenomics.json'), JSON.stringify(c))
    const r = await sahara(['tokenomics', 'report', '--months', '1'], cwd)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^Tokenomics: 10,000,000,000 TEST /m)
  })

  it('bad input: one sentence and exit code 2', async () => {
    const c = JSON.parse(readFileSync(repoConfig, 'utf8'))
    c.buckets[3].percent = '1.5'
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(c))
    await fails(['tokenomics', 'report', '--config', join(dir, 'bad.json')], 2, 'The bucket percents sum to 100.5%, not 100%.')
    c.buckets[3].percent = '1'
    c.buckets[1].vesting.cliffMonths = 60
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(c))
    await fails(['tokenomics', 'report', '--config', join(dir, 'bad.json')], 2, 'buckets[1].vesting.cliffMonths (60) is longer than durationMonths (48); the cliff must end by the end of the schedule.')
    writeFileSync(join(dir, 'broken.json'), '{ "supply": ')
    await fails(['tokenomics', 'report', '--config', join(dir, 'broken.json')], 2, new RegExp(`^The tokenomics config ${join(dir, 'broken.json')} is not valid JSON \\(.+\\)\\.$`))
    await fails(['tokenomics', 'report', '--config', join(dir, 'missing.json')], 2, `The tokenomics config ${join(dir, 'missing.json')} does not exist.`)
    await fails(['tokenomics', 'report', '--months', 'ten'], 2, '--months must be a whole number from 1 to 1200, got "ten".')
    await fails(['tokenomics', 'report', '--months', '0'], 2, '--months must be a whole number from 1 to 1200, got "0".')
  })
})

describe('sahara airdrop build', { timeout: 120_000 }, () => {
  const rows = [
    ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '1500', 1500n * 10n ** 18n],
    ['0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', '0.25', 25n * 10n ** 16n],
    ['0x90F79bf6EB2c4f870365E785982E1f101E93b906', '7', 7n * 10n ** 18n],
  ] as const

  it('writes tree.json and proofs.json and prints root, count and total', async () => {
    writeFileSync(join(dir, 'list.csv'), `address,amount\n${rows.map((r) => `${r[0]},${r[1]}`).join('\n')}\n`)
    const out = join(dir, 'out', 'nested')
    const r = await sahara(['airdrop', 'build', 'list.csv', '--out', out])
    assert.equal(r.code, 0, r.stderr)
    const tree = JSON.parse(readFileSync(join(out, 'tree.json'), 'utf8'))
    const proofs = JSON.parse(readFileSync(join(out, 'proofs.json'), 'utf8'))
    const loaded = StandardMerkleTree.load<[string, string]>(tree)
    assert.equal(tree.format, 'standard-v1')
    assert.equal(proofs.root, loaded.root)
    assert.equal(proofs.count, 3)
    assert.equal(proofs.total, '1507250000000000000000')
    assert.match(r.stdout, new RegExp(`^root +${loaded.root}$`, 'm'))
    assert.match(r.stdout, /^count +3$/m)
    assert.match(r.stdout, /^total +1507\.25 SAHARA \(1507250000000000000000 wei\)$/m)
    proofs.entries.forEach((e: { account: Address; amount: string; proof: Hex[] }, i: number) => {
      assert.equal(e.account, rows[i]![0])
      assert.equal(e.amount, rows[i]![2].toString())
      assert.ok(StandardMerkleTree.verify(proofs.root, ['address', 'uint256'], [e.account, e.amount], e.proof))
      assert.ok(verify(proofs.root, e.account, BigInt(e.amount), e.proof))
    })
    const j = await sahara(['airdrop', 'build', 'list.csv', '--out', join(dir, 'out2'), '--json'])
    assert.equal(j.code, 0, j.stderr)
    assert.deepEqual(JSON.parse(j.stdout), { root: loaded.root, count: 3, total: '1507250000000000000000', tree: join(dir, 'out2', 'tree.json'), proofs: join(dir, 'out2', 'proofs.json') })
  })

  it('bad input: one sentence naming the line and exit code 2, no files', async () => {
    writeFileSync(join(dir, 'dup.csv'), `address,amount\n${rows[0][0]},1\n${rows[1][0]},2\n${rows[0][0].toLowerCase()},3\n`)
    await fails(['airdrop', 'build', 'dup.csv', '--out', join(dir, 'never')], 2, `line 4: ${rows[0][0]} is listed twice (first on line 2); the airdrop allows one allocation per account.`)
    assert.throws(() => readFileSync(join(dir, 'never', 'tree.json')))
    writeFileSync(join(dir, 'zero.csv'), `address,amount\n${rows[0][0]},0\n`)
    await fails(['airdrop', 'build', 'zero.csv'], 2, `line 2: the amount for ${rows[0][0]} must be above zero.`)
    writeFileSync(join(dir, 'addr.csv'), 'address,amount\nbob,1\n')
    await fails(['airdrop', 'build', 'addr.csv'], 2, 'line 2: "bob" is not a valid address (0x and 40 hex digits, correct checksum if mixed case).')
    await fails(['airdrop', 'build', 'nope.csv'], 2, 'The CSV file nope.csv does not exist.')
    await fails(['airdrop', 'build'], 2, "Missing required argument 'csv'.")
  })
})
