// Runs the real `sahara` bin as a child process against a devnet (real anvil, random port,
// temporary data dir) and checks --json output, human output and error handling.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { useCliTestDevnet } from './utils/devnet.ts'
import { computeCid } from '@sahara/sdk'

const bin = fileURLToPath(new URL('../bin/sahara.mjs', import.meta.url))
type Run = { code: number; stdout: string; stderr: string }

describe('sahara CLI', { timeout: 600_000 }, () => {
  const net = useCliTestDevnet('sahara-cli-')
  const key = (i: number) => net.devnet.accounts[i]!.privateKey
  const addr = (i: number) => net.devnet.accounts[i]!.address

  function sahara(args: string[], opts: { key?: number; rpc?: string; env?: Record<string, string> } = {}): Promise<Run> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...opts.env }
    const full = ['--rpc-url', opts.rpc ?? net.devnet.rpcUrl, '--deployments', net.devnet.deploymentsFile, ...args]
    if (opts.key !== undefined) full.unshift('--private-key', key(opts.key))
    return new Promise((resolve) => {
      execFile(process.execPath, [bin, ...full], { env, cwd: net.dir, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
      })
    })
  }
  async function json<T = any>(args: string[], opts: Parameters<typeof sahara>[1] = {}): Promise<T> {
    const r = await sahara([...args, '--json'], opts)
    assert.equal(r.code, 0, `sahara ${args.join(' ')} failed: ${r.stderr}`)
    return JSON.parse(r.stdout) as T
  }
  /** A failure: non-zero exit, one sentence on stderr, no stack trace, nothing on stdout. */
  async function fails(args: string[], message: string | RegExp, opts: Parameters<typeof sahara>[1] = {}): Promise<Run> {
    const r = await sahara(args, opts)
    assert.notEqual(r.code, 0, `expected sahara ${args.join(' ')} to fail`)
    assert.equal(r.stdout, '')
    const lines = r.stderr.trimEnd().split('\n')
    assert.equal(lines.length, 1, `stderr should be one line, got:\n${r.stderr}`)
    assert.doesNotMatch(r.stderr, /\n\s+at /)
    const text = lines[0]!.replace(/^error: /, '')
    if (typeof message === 'string') assert.equal(text, message)
    else assert.match(text, message)
    return r
  }

  it('cid prints the same CID as the SDK, with progress on stderr for large files', async () => {
    const file = join(net.dir, 'big.bin')
    writeFileSync(file, Buffer.alloc(20 * 1024 * 1024, 1))
    const r = await sahara(['cid', file])
    assert.equal(r.code, 0)
    assert.equal(r.stdout.trim(), (await computeCid(file)).cid)
    assert.match(r.stderr, /hashing .*big\.bin: 100% \(20\.0 \/ 20\.0 MiB\)/)
    const j = await json(['cid', join(net.dir, 'data.csv')])
    assert.equal(j.cid, (await computeCid(join(net.dir, 'data.csv'))).cid)
    assert.equal(j.size, 22)
  })

  it('registers, licenses, derives, pays, flushes and claims', async () => {
    for (const i of [1, 2, 4]) {
      const f = await json(['faucet', '1000'], { key: i })
      assert.equal(f.amount, '1000000000')
      assert.equal(f.to, addr(i))
    }

    const d = await json(['asset', 'register', 'data.csv', '--kind', 'dataset', '--name', 'Dunes', '--description', 'sand words'], { key: 1 })
    assert.equal(d.assetId, '1')
    assert.equal(d.content, (await computeCid(join(net.dir, 'data.csv'))).cid)
    assert.equal(d.metadataJson.name, 'Dunes')
    assert.equal(d.metadataJson.content, d.content)

    const t = await json(['license', 'attach', '1', '--template', 'COMMERCIAL_REMIX', '--price', '12.5', '--token', 'USDT', '--royalty-bps', '1000'], { key: 1 })
    assert.equal(t.termsId, '1')
    const list = await json(['license', 'list', '1'])
    assert.equal(list.length, 1)
    assert.equal(list[0].price, '12500000')
    assert.equal(list[0].template, 'COMMERCIAL_REMIX')
    assert.equal(list[0].royaltyBps, 1000)

    await fails(['license', 'buy', '1', '--max-fee', '10'], 'Fee 12.5 USDT is above your maximum 10 USDT.', { key: 2 })
    const lic = await json(['license', 'buy', '1', '--max-fee', '12.5'], { key: 2 })
    assert.equal(lic.fee, '12500000')
    assert.equal(lic.assetId, '1')

    const m = await json(['asset', 'register', 'model.bin', '--kind', 'model', '--name', 'Dune-1B', '--parent', `1:TRAINED_ON:${lic.licenseId}`], { key: 2 })
    assert.equal(m.assetId, '2')

    const show = await sahara(['asset', 'show', '2'])
    assert.equal(show.code, 0, show.stderr)
    assert.match(show.stdout, /Asset #2 \(model\)/)
    assert.match(show.stdout, /^  #2 model$/m)
    assert.match(show.stdout, /^  └─ #1 dataset \(TRAINED_ON, royalty 10%, license #1\)$/m)
    const showJson = await json(['asset', 'show', '1'])
    assert.deepEqual(showJson.descendantIds, ['2'])
    assert.equal(showJson.owner, addr(1))

    await json(['shares', 'split', '2', '5000'], { key: 2 })
    const minted = await json(['shares', 'mint', '2', addr(3), '10', '--type', 'training', '--evidence', 'run-42'], { key: 2 })
    assert.equal(minted.shares, '10')

    const paid = await json(['revenue', 'pay', '2', '100', '--token', 'USDT'], { key: 4 })
    assert.equal(paid.amount, '100000000')
    const flushed = await json(['revenue', 'flush', '2', '--token', 'USDT'], { key: 4 })
    assert.deepEqual(flushed[0].path, ['2'])

    // fee 2.5% -> 97.5; royalty 10% -> 9.75 to the dataset; 87.75 split 50/50 owner/contributor.
    // Dataset owner: 12.5 license fee less 2.5% (12.1875) + 9.75 royalty = 21.9375.
    const expect: [number, string][] = [[1, '21937500'], [2, '43875000'], [3, '43875000']]
    for (const [i, amount] of expect) {
      const b = await json(['revenue', 'balance', '--account', addr(i)])
      const usdt = b.balances.find((x: { symbol: string }) => x.symbol === 'USDT')
      assert.equal(usdt.total, amount, `balance of account ${i}`)
    }
    // The 2.5% protocol fee (of 12.5 + 100 USDT) is the treasury's: the DAO timelock (it claims by proposal).
    const treasury = await json(['revenue', 'balance', '--account', net.devnet.deployments.contracts.SaharaTimelock!])
    assert.equal(treasury.balances.find((x: { symbol: string }) => x.symbol === 'USDT').total, '2812500', 'balance of the treasury (timelock)')
    const human = await sahara(['revenue', 'balance'], { key: 3 })
    assert.match(human.stdout, /contributor in #2 {2}43\.875 USDT/)

    for (const [i, amount] of expect) {
      const claimed = await json(['revenue', 'claim'], { key: i })
      const usdt = claimed.find((x: { symbol: string }) => x.symbol === 'USDT')
      assert.equal(usdt.amount, amount, `claim of account ${i}`)
      assert.equal(claimed.find((x: { symbol: string }) => x.symbol === 'SAHARA').amount, '0')
    }
    const nothing = await sahara(['revenue', 'claim', '--token', 'USDT', '--assets', '2'], { key: 3 })
    assert.equal(nothing.code, 0)
    assert.equal(nothing.stdout.trim(), 'Nothing to claim.')
  })

  it('publishes versions and keeps the old ones', async () => {
    const v = await json(['asset', 'publish', '1', 'data-v2.csv', '--name', 'Dunes v2'], { key: 1 })
    assert.equal(v.version, 2)
    const versions = await json(['asset', 'versions', '1'])
    assert.deepEqual(
      versions.map((x: { version: number; content: string }) => [x.version, x.content]),
      [
        [1, (await computeCid(join(net.dir, 'data.csv'))).cid],
        [2, (await computeCid(join(net.dir, 'data-v2.csv'))).cid],
      ],
    )
  })

  it('bad input: one sentence on stderr and a non-zero exit', async () => {
    // Independent failures (nothing is sent): run them concurrently.
    await Promise.all([
      fails(['asset', 'show', '99'], 'Asset #99 does not exist.'),
      fails(['asset', 'show', 'abc'], 'The asset id must be a positive whole number, got "abc".'),
      fails(['revenue', 'pay', '1', '12.5.3', '--token', 'USDT'], '"12.5.3" is not a valid amount; write a decimal number like 12.5.', { key: 4 }),
      fails(['revenue', 'pay', '1', '1.0000001', '--token', 'USDT'], '"1.0000001" has more than 6 decimal places, the precision of USDT.', { key: 4 }),
      fails(['revenue', 'pay', '1', '5', '--token', 'DOGE'], 'Unknown token "DOGE"; use SAHARA, USDT or a token address.', { key: 4 }),
      fails(['faucet', '10'], 'This command sends a transaction: pass --private-key or set SAHARA_PRIVATE_KEY.'),
      fails(['faucet', '10'], 'The private key must be 0x followed by 64 hex digits.', { env: { SAHARA_PRIVATE_KEY: 'nope' } }),
      fails(['faucet', '100001'], 'The faucet gives at most 100000 USDT per call; 100001 USDT was requested.', { key: 5 }),
      fails(['asset', 'publish', '1', 'data.csv'], `${addr(2)} is not the owner of asset #1.`, { key: 2 }),
      fails(['asset', 'register', 'missing.bin', '--kind', 'model', '--name', 'x'], 'Cannot read missing.bin: no such file.', { key: 2 }),
      fails(['asset', 'register', 'data.csv', '--kind', 'robot', '--name', 'x'], /option '--kind <kind>' argument 'robot' is invalid/i, { key: 2 }),
      fails(['asset', 'register', 'data.csv', '--kind', 'model', '--name', 'x', '--parent', '1:STOLE_FROM'], /^Unknown relation "STOLE_FROM"/, { key: 2 }),
      fails(['asset', 'show', '1'], 'Cannot reach the RPC endpoint at http://127.0.0.1:1/: is the node running?', { rpc: 'http://127.0.0.1:1' }),
    ])
    // --verbose adds details after the sentence.
    const v = await sahara(['asset', 'show', '99', '--verbose'])
    assert.notEqual(v.code, 0)
    assert.match(v.stderr, /^error: Asset #99 does not exist\.\n {2}revert: UnknownAsset\(99\)\n/)
  })
})
