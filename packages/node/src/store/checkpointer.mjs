// WAL checkpointer thread (plain JS: no TypeScript loader needed). SQLite's automatic checkpoint
// runs inside the commit that crosses the threshold, on the committing thread, and with
// synchronous=NORMAL it fsyncs the WAL and the database file: a ~30 ms stall of the event loop
// every ~1,000 pages. Here the copy and the fsyncs happen on this thread instead; PASSIVE never
// waits for the writer, and once a pass has copied every frame the writer rewinds the WAL.
import { createRequire } from 'node:module'
import { parentPort, workerData } from 'node:worker_threads'

const Database = createRequire(import.meta.url)('better-sqlite3')
const db = new Database(workerData.file)
db.pragma('busy_timeout = 1000')
let stopped = false
const pass = () => {
  if (stopped) return
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    // retried on the next pass; the writer's own 64 MiB threshold bounds the WAL meanwhile
  }
  setTimeout(pass, workerData.intervalMs)
}
parentPort.on('message', (m) => {
  if (m !== 'close') return
  stopped = true
  db.close()
  parentPort.postMessage('closed')
})
pass()
