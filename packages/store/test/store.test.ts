import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { computeCid, toContentRef } from '@sahara/sdk'
import { ContentMismatchError, ContentNotFoundError, ContentStore, ContentStoreError, InvalidCidError } from '../src/index'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sahara-store-test-'))
after(() => rmSync(tmp, { recursive: true, force: true }))
let n = 0
const freshStore = () => new ContentStore(path.join(tmp, `store-${n++}`))
const utf8 = (s: string) => new TextEncoder().encode(s)

// `ipfs add --cid-version 1` of the 5 bytes "hello" (kubo prints this raw-leaf CID).
const HELLO_CID = 'bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq'

describe('ContentStore', () => {
  it('put returns the kubo-compatible CID and stores the bytes under <dir>/<cid>', async () => {
    const store = freshStore()
    const cid = await store.put(utf8('hello'))
    assert.equal(cid, HELLO_CID)
    // One raw leaf: the multihash digest is plain sha256 of the bytes.
    assert.equal(toContentRef(cid).digest, `0x${createHash('sha256').update('hello').digest('hex')}`)
    assert.equal(store.pathOf(cid), path.join(store.dir, HELLO_CID))
    assert.equal(readFileSync(store.pathOf(cid), 'utf8'), 'hello')
    assert.deepEqual(await store.get(cid), utf8('hello'))
    assert.equal(await store.has(cid), true)
    assert.deepEqual(await store.list(), [cid])
  })

  it('uses a dag-pb root for content larger than one 256 KiB chunk, like kubo', async () => {
    const store = freshStore()
    const big = new Uint8Array(600_000).map((_, i) => (i * 31 + 7) & 0xff)
    const cid = await store.put(big)
    assert.equal(cid, (await computeCid(big)).cid)
    assert.match(cid, /^bafybei/)
    assert.deepEqual(await store.get(cid), big)
    await store.verify(cid)
  })

  it('put is idempotent and leaves no temp files behind', async () => {
    const store = freshStore()
    const a = await store.put(utf8('same bytes'))
    const b = await store.put(utf8('same bytes'))
    assert.equal(a, b)
    assert.deepEqual(readdirSync(store.dir), [a])
  })

  it('putFile copies a file and names it by the CID of the copy', async () => {
    const store = freshStore()
    const src = path.join(tmp, 'src.bin')
    writeFileSync(src, 'file contents\n')
    const cid = await store.putFile(src)
    assert.equal(cid, (await computeCid(utf8('file contents\n'))).cid)
    rmSync(src)
    assert.deepEqual(await store.get(cid), utf8('file contents\n'))
    assert.deepEqual(readdirSync(store.dir), [cid])
  })

  it('putFile of a missing file throws ContentStoreError and leaves no temp file', async () => {
    const store = freshStore()
    await assert.rejects(store.putFile(path.join(tmp, 'nope.bin')), (e: unknown) => {
      assert.ok(e instanceof ContentStoreError)
      assert.match((e as Error).message, /ENOENT/)
      return true
    })
    assert.deepEqual(readdirSync(store.dir), [])
  })

  it('get of an unknown CID throws ContentNotFoundError; has is false', async () => {
    const store = freshStore()
    assert.equal(await store.has(HELLO_CID), false)
    await assert.rejects(store.get(HELLO_CID), (e: unknown) => e instanceof ContentNotFoundError && e.cid === HELLO_CID)
    await assert.rejects(store.verify(HELLO_CID), ContentNotFoundError)
  })

  it('detects a tampered file: get and verify throw ContentMismatchError naming both CIDs', async () => {
    const store = freshStore()
    const cid = await store.put(utf8('the original model weights'))
    writeFileSync(store.pathOf(cid), 'the original model weightz')
    const tamperedCid = (await computeCid(utf8('the original model weightz'))).cid
    await assert.rejects(store.get(cid), (e: unknown) => {
      assert.ok(e instanceof ContentMismatchError)
      assert.equal(e.expected, cid)
      assert.equal(e.actual, tamperedCid)
      assert.equal(e.path, store.pathOf(cid))
      return true
    })
    await assert.rejects(store.verify(cid), ContentMismatchError)
    // `has` only says a file is there; `get` is what guarantees the bytes.
    assert.equal(await store.has(cid), true)
    // Putting the original bytes again repairs the entry.
    await store.put(utf8('the original model weights'))
    assert.deepEqual(await store.get(cid), utf8('the original model weights'))
  })

  it('detects a truncated large file', async () => {
    const store = freshStore()
    const big = new Uint8Array(300_000).fill(9)
    const cid = await store.put(big)
    writeFileSync(store.pathOf(cid), big.subarray(0, 299_999))
    await assert.rejects(store.get(cid), ContentMismatchError)
    await assert.rejects(store.verify(cid), ContentMismatchError)
  })

  it('detects a file swapped for another stored blob', async () => {
    const store = freshStore()
    const a = await store.put(utf8('blob a'))
    const b = await store.put(utf8('blob b'))
    writeFileSync(store.pathOf(a), readFileSync(store.pathOf(b)))
    await assert.rejects(store.get(a), (e: unknown) => e instanceof ContentMismatchError && e.actual === b)
  })

  it('accepts an on-chain ContentRef and a CIDv0 for the same content', async () => {
    const store = freshStore()
    const cid = await store.put(utf8('hello'))
    assert.deepEqual(await store.get(toContentRef(cid)), utf8('hello'))
    // A CIDv0 names dag-pb content, so it maps to a different (absent) file, not to a wrong blob.
    const v0 = 'QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u'
    assert.match(ContentStore.normalize(v0), /^bafybei/)
    assert.equal(await store.has(v0), false)
  })

  it('rejects strings that are not CIDs, so no path can escape the directory', async () => {
    const store = freshStore()
    for (const bad of ['../etc/passwd', '', 'bafk', '/absolute', 'bafkrei../../x']) {
      assert.throws(() => store.pathOf(bad), InvalidCidError, bad)
      await assert.rejects(store.get(bad), InvalidCidError)
      await assert.rejects(store.has(bad), InvalidCidError)
    }
  })

  it('list ignores temp files and foreign names; delete removes a blob', async () => {
    const store = freshStore()
    const cid = await store.put(utf8('x'))
    writeFileSync(path.join(store.dir, '.tmp-123-abc'), 'partial')
    writeFileSync(path.join(store.dir, 'README'), 'not content')
    assert.deepEqual(await store.list(), [cid])
    assert.equal(await store.delete(cid), true)
    assert.equal(await store.delete(cid), false)
    assert.deepEqual(await store.list(), [])
  })

  it('concurrent puts of the same and different bytes all land intact', async () => {
    const store = freshStore()
    const blobs = Array.from({ length: 20 }, (_, i) => utf8(`blob ${i % 5}`))
    const cids = await Promise.all(blobs.map((b) => store.put(b)))
    assert.equal(new Set(cids).size, 5)
    for (let i = 0; i < blobs.length; i++) assert.deepEqual(await store.get(cids[i]!), blobs[i])
    assert.equal(readdirSync(store.dir).length, 5)
  })

  it('stores files with mode 0644', async () => {
    const store = freshStore()
    const cid = await store.put(utf8('mode'))
    assert.equal(statSync(store.pathOf(cid)).mode & 0o777, 0o644 & ~process.umask())
  })
})
