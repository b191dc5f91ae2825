import { randomBytes } from 'node:crypto'
import { constants as fsConstants } from 'node:fs'
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { cidToString, computeCid, type CidLike } from '@sahara/sdk'
import { ContentMismatchError, ContentNotFoundError, ContentStoreError, InvalidCidError } from './errors'

/** Prefix of in-flight temp files; never a valid CID, and skipped by `list()`. */
const TEMP_PREFIX = '.tmp-'

/**
 * A content-addressed store over one directory: each blob is the file `<dir>/<cid>`, named by the
 * CIDv1 (base32) that `ipfs add --cid-version 1` would print for it (the SDK's `computeCid`).
 *
 * Writes are atomic (temp file in the same directory, fsync, rename), so readers never see a
 * partial blob and a crash leaves at worst a stray temp file. Reads re-hash what they read and
 * throw `ContentMismatchError` when the bytes no longer match their name, so a corrupted or
 * tampered file is never returned as valid content.
 */
export class ContentStore {
  readonly dir: string

  constructor(dir: string) {
    this.dir = path.resolve(dir)
  }

  /** Normalizes a CID (string, CID object or on-chain ContentRef) to the file name used here. */
  static normalize(cid: CidLike): string {
    let s: string
    try {
      s = cidToString(cid)
    } catch (err) {
      throw new InvalidCidError(`${describe(cid)} is not a CID the store can hold: ${(err as Error).message}`, { cause: err })
    }
    // cidToString yields base32 lower-case; guard anyway, since this string becomes a file name.
    if (!/^b[a-z2-7]+$/.test(s)) throw new InvalidCidError(`${describe(cid)} does not normalize to a base32 CIDv1.`)
    return s
  }

  /** Absolute path of the file that holds (or would hold) `cid`. */
  pathOf(cid: CidLike): string {
    return path.join(this.dir, ContentStore.normalize(cid))
  }

  /** Stores `bytes` and returns their CID. Idempotent; rewriting also repairs a corrupted copy. */
  async put(bytes: Uint8Array): Promise<string> {
    const { cid } = await computeCid(bytes)
    const tmp = await this.tempPath()
    try {
      const fh = await open(tmp, 'wx', 0o644)
      try {
        await fh.writeFile(bytes)
        await fh.sync()
      } finally {
        await fh.close()
      }
      await rename(tmp, path.join(this.dir, cid))
    } catch (err) {
      await rm(tmp, { force: true })
      throw wrapIo(err, `Cannot store ${cid} in ${this.dir}`)
    }
    return cid
  }

  /**
   * Copies the file at `file` into the store and returns its CID. The CID is computed from the
   * copy (not the source) so a source that changes meanwhile cannot leave a file under a wrong name.
   */
  async putFile(file: string): Promise<string> {
    const tmp = await this.tempPath()
    try {
      await copyFile(file, tmp, fsConstants.COPYFILE_EXCL)
      const { cid } = await computeCid(tmp)
      const fh = await open(tmp, 'r+')
      try {
        await fh.sync()
      } finally {
        await fh.close()
      }
      await rename(tmp, path.join(this.dir, cid))
      return cid
    } catch (err) {
      await rm(tmp, { force: true })
      throw wrapIo(err, `Cannot store ${file} in ${this.dir}`)
    }
  }

  /** Whether a file exists for `cid` (does not verify it: `get` / `verify` do). */
  async has(cid: CidLike): Promise<boolean> {
    try {
      return (await stat(this.pathOf(cid))).isFile()
    } catch (err) {
      if (isNotFound(err)) return false
      throw err
    }
  }

  /**
   * Reads the bytes of `cid`, re-hashes them and returns them only when they still hash to `cid`.
   * Throws `ContentNotFoundError` or `ContentMismatchError`.
   */
  async get(cid: CidLike): Promise<Uint8Array> {
    const name = ContentStore.normalize(cid)
    const file = path.join(this.dir, name)
    let bytes: Buffer
    try {
      bytes = await readFile(file)
    } catch (err) {
      if (isNotFound(err)) throw new ContentNotFoundError(name, this.dir)
      throw wrapIo(err, `Cannot read ${file}`)
    }
    const actual = (await computeCid(bytes)).cid
    if (actual !== name) throw new ContentMismatchError(name, actual, file)
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  /** Re-hashes the stored file of `cid` from disk (streamed, for large blobs); throws like `get`. */
  async verify(cid: CidLike): Promise<void> {
    const name = ContentStore.normalize(cid)
    const file = path.join(this.dir, name)
    if (!(await this.has(name))) throw new ContentNotFoundError(name, this.dir)
    const actual = (await computeCid(file)).cid
    if (actual !== name) throw new ContentMismatchError(name, actual, file)
  }

  /** Removes `cid` from the store; false when it was not there. */
  async delete(cid: CidLike): Promise<boolean> {
    const file = this.pathOf(cid)
    try {
      await rm(file)
      return true
    } catch (err) {
      if (isNotFound(err)) return false
      throw wrapIo(err, `Cannot delete ${file}`)
    }
  }

  /** CIDs of every stored blob (unverified), sorted. */
  async list(): Promise<string[]> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch (err) {
      if (isNotFound(err)) return []
      throw err
    }
    return names.filter((n) => !n.startsWith(TEMP_PREFIX) && /^b[a-z2-7]+$/.test(n)).sort()
  }

  private async tempPath(): Promise<string> {
    await mkdir(this.dir, { recursive: true })
    return path.join(this.dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`)
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT'
}

function wrapIo(err: unknown, message: string): Error {
  if (err instanceof ContentStoreError) return err
  const code = (err as NodeJS.ErrnoException)?.code
  return new ContentStoreError(`${message}: ${code ?? (err as Error)?.message ?? String(err)}.`, { cause: err })
}

function describe(cid: CidLike): string {
  return typeof cid === 'string' ? `"${cid}"` : 'The given CID'
}
