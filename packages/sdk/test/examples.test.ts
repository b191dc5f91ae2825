// The examples in docs/sdk.md are real files run here against a devnet, and the docs must
// contain them verbatim so the documentation cannot drift from working code.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { dirname, join } from 'node:path'
import { startTestDevnet, type TestDevnet } from './utils/devnet'

const pkg = dirname(dirname(fileURLToPath(import.meta.url)))
const docs = join(pkg, '../../docs/sdk.md')

describe('docs/sdk.md examples', { timeout: 180_000 }, () => {
  let net: TestDevnet
  before(async () => {
    net = await startTestDevnet()
  })
  after(async () => {
    await net?.stop()
  })

  it('examples/lineage.ts is in the docs verbatim and runs', async () => {
    const example = readFileSync(join(pkg, 'examples/lineage.ts'), 'utf8')
    assert.ok(readFileSync(docs, 'utf8').includes(example.trim()), 'docs/sdk.md must contain examples/lineage.ts verbatim')
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', join(pkg, 'examples/lineage.ts')],
        { cwd: pkg, env: { ...process.env, SAHARA_RPC_URL: net.rpcUrl, SAHARA_DEPLOYMENTS: dirname(net.devnet.deploymentsFile) } },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      )
    })
    assert.match(out, /^dataset #1 content bafkrei\w+ metadata ipfs:\/\/bafkrei\w+$/m)
    assert.match(out, /^model #2 derives from #1$/m)
    assert.match(out, /^royalties flushed through #2$/m)
    // Dataset owner: 10 USDT license (less 2.5% fee) + 10% of 50 less fee = 9.75 + 4.875.
    assert.match(out, /^dataset owner claimable 14\.625 USDT, claimed 14\.625 USDT$/m)
    assert.match(out, /^model owner claimable 43\.875 USDT, claimed 43\.875 USDT$/m)
  })
})
