import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ContentStore } from '@sahara/store'
import { startNode } from '../src/node.ts'
import { FakeChain, post, tempDir, testConfig, TOKEN } from './helpers.ts'

describe('artifacts', () => {
  it('refuses to serve an asset whose bytes do not match its CID (503), keeps serving the others', async () => {
    const tmp = tempDir()
    const contentDir = join(tmp.dir, 'content')
    const store = new ContentStore(contentDir)
    const manifest = { schema: 'sahara/agent@1', name: 'a', model: { assetId: '7' }, instructions: 'be brief' }
    const cid = await store.put(Buffer.from(JSON.stringify(manifest)))
    writeFileSync(join(contentDir, cid), JSON.stringify({ ...manifest, instructions: 'tampered' }))
    const config = testConfig(tmp.dir, {
      contentDir,
      assets: [
        { assetId: '7', name: 'echo', runtime: 'echo', unitPrice: '1000', token: TOKEN, version: 1 },
        { assetId: '9', name: 'agent', runtime: 'agent', free: true, token: TOKEN, version: 1, contentCid: cid },
      ],
    })
    const node = await startNode(config, { chain: new FakeChain(), manualSettlement: true })
    try {
      const health = (await (await fetch(`${node.url}/health`)).json()) as { assets: { name: string; available: boolean; reason?: string }[] }
      const agent = health.assets.find((a) => a.name === 'agent')!
      assert.equal(agent.available, false)
      assert.match(agent.reason!, /mismatch|hash|differ/i)
      const r = await post(`${node.url}/v1/invoke/9`, {})
      assert.equal(r.status, 503)
      assert.equal(r.json.error.code, 'asset_unavailable')
      assert.equal((await post(`${node.url}/v1/invoke/7`, {})).status, 402)
    } finally {
      await node.close({ settle: false })
      tmp.cleanup()
    }
  })
})
