import { readFileSync, rmSync, writeFileSync } from 'node:fs'

/** Another live process already runs a devnet on this data directory. */
export class DataDirBusyError extends Error {
  override readonly name = 'DataDirBusyError'
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`Another devnet (pid ${pid}) is using ${dataDir}. Stop it, or pass a different data directory.`)
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes `<dataDir>/devnet.pid` so two anvils never write the same state file. A lock left by a
 * dead process is taken over. Returns the release function (also run at process exit).
 */
export function lockDataDir(dataDir: string, lockFile: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' })
      const release = (): void => {
        process.off('exit', release)
        try {
          if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) rmSync(lockFile, { force: true })
        } catch {
          // already gone
        }
      }
      process.on('exit', release)
      return release
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number(readFileSync(lockFile, 'utf8').trim())
      // Our own pid means a devnet of this very process still holds it (released when its anvil exits).
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DataDirBusyError(dataDir, pid)
      rmSync(lockFile, { force: true })
    }
  }
  throw new Error(`could not lock ${dataDir}`)
}
