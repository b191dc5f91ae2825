import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Hex } from 'viem'
import type { ReceiptBatchSigner } from '../payments/eip712.ts'
import type { GroupWrite, Store } from './db.ts'
import type { WriterReply, WriterRequest } from './writerWorker.ts'

/** Signs a receipt group and commits it durably; resolves with the signature once committed. */
export interface GroupWriter {
  write(group: Omit<GroupWrite, 'signature'>): Promise<{ signature: Hex; signUs: number }>
  close(): Promise<void>
}

/** Same thread: simplest, but the fsync and the ECDSA signature block the event loop. */
export function inlineWriter(store: Store, signer: ReceiptBatchSigner, nodeId: bigint): GroupWriter {
  return {
    async write(g) {
      const t0 = performance.now()
      const signature = await signer.sign(nodeId, ('0x' + Buffer.from(g.root).toString('hex')) as Hex, BigInt(g.seq))
      const signUs = Math.round((performance.now() - t0) * 1000)
      store.commitGroup({ ...g, signature })
      return { signature, signUs }
    },
    close: async () => {},
  }
}

export type WorkerWriterOptions = { file: string; synchronous: 'FULL' | 'NORMAL'; chainId: number; verifyingContract: Hex; privateKey: Hex; nodeId: bigint }

/**
 * Writer thread: the event loop keeps parsing and verifying the next calls while the previous
 * group is being signed and fsynced, so groups grow with the disk latency instead of stalling.
 */
export function workerWriter(o: WorkerWriterOptions): GroupWriter {
  const file = fileURLToPath(new URL('./writerWorker.mjs', import.meta.url))
  const worker = new Worker(file, { workerData: o, execArgv: [] })
  const waiting = new Map<number, { resolve: (r: { signature: Hex; signUs: number }) => void; reject: (e: Error) => void }>()
  let next = 0
  let closed: (() => void) | undefined
  let dead: Error | undefined
  worker.on('message', (m: WriterReply | 'closed') => {
    if (m === 'closed') {
      closed?.()
      return
    }
    const w = waiting.get(m.id)
    if (!w) return
    waiting.delete(m.id)
    if (m.error || !m.signature) w.reject(new Error(m.error ?? 'no signature'))
    else w.resolve({ signature: m.signature, signUs: m.signUs ?? 0 })
  })
  const failAll = (e: Error) => {
    dead = e
    for (const w of waiting.values()) w.reject(e)
    waiting.clear()
    closed?.()
  }
  worker.on('error', failAll)
  worker.on('exit', (code) => failAll(new Error(`group writer thread exited (${code})`)))
  return {
    write(group) {
      if (dead) return Promise.reject(dead)
      const id = next++
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        // one string + one transferred buffer: structured clone of nested arrays costs far more
        const receipts = group.receipts.byteOffset === 0 && group.receipts.byteLength === group.receipts.buffer.byteLength ? group.receipts : group.receipts.slice()
        const msg: WriterRequest = { id, seq: group.seq, root: Buffer.from(group.root).toString('hex'), meta: JSON.stringify([group.deltas, group.vouchers]), receipts }
        worker.postMessage(msg, [receipts.buffer as ArrayBuffer])
      })
    },
    close() {
      if (dead) return Promise.resolve()
      return new Promise<void>((resolve) => {
        closed = resolve
        worker.postMessage('close')
      }).then(() => worker.terminate().then(() => undefined))
    },
  }
}
