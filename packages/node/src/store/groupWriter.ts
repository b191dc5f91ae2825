import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Hex } from 'viem'
import type { ReceiptBatchSigner } from '../payments/eip712.ts'
import { buildGroup } from '../payments/groupBuild.ts'
import { receiptGroupTail, receiptPrefix, type ReceiptFields } from '../payments/receipt.ts'
import type { GroupWrite, Store } from './db.ts'
import type { WriterReply, WriterRequest } from './writerWorker.ts'

/** What a group commit needs from the event loop: the receipts' fields and the lane changes. */
export type GroupInput = {
  seq: number
  receipts: readonly ReceiptFields[]
  /** JSON of LaneDelta[]. */
  deltas: string
  vouchers: GroupWrite['vouchers']
}

/** A committed group: the X-Sahara-Receipt header of each receipt, in input order. */
export type GroupResult = { headers: string[]; signUs: number }

/**
 * Builds (encode, leaves, Merkle tree), signs and durably commits a receipt group; resolves once
 * it is committed.
 */
export interface GroupWriter {
  write(group: GroupInput): Promise<GroupResult>
  close(): Promise<void>
}

/** Same thread: the simplest; the tree, the signature and the SQLite commit run on the event loop. */
export function inlineWriter(store: Store, signer: ReceiptBatchSigner, nodeId: bigint): GroupWriter {
  return {
    async write(g) {
      const built = buildGroup(g.receipts)
      const t0 = performance.now()
      const signature = await signer.sign(nodeId, ('0x' + built.root.toString('hex')) as Hex, BigInt(g.seq))
      const signUs = Math.round((performance.now() - t0) * 1000)
      store.commitGroup({ seq: g.seq, root: built.root, receipts: built.packed, deltas: g.deltas, vouchers: g.vouchers, signature })
      const tail = receiptGroupTail(g.seq, built.root, signature)
      return { headers: g.receipts.map((r, i) => receiptPrefix(r) + tail + built.tree.proofB64(i)), signUs }
    },
    close: async () => {},
  }
}

export type WorkerWriterOptions = { file: string; synchronous: 'FULL' | 'NORMAL'; chainId: number; verifyingContract: Hex; privateKey: Hex; nodeId: bigint }

/**
 * Writer thread: the event loop only turns each receipt into its header prefix (`r2.<fields>`,
 * which the header needs anyway) and posts one string per group; the thread encodes, hashes,
 * builds the tree, signs and commits, and answers with the group tail and the proofs. So the loop
 * keeps serving the next calls meanwhile, and the second core does the group's work.
 */
export function workerWriter(o: WorkerWriterOptions): GroupWriter {
  const file = fileURLToPath(new URL('./writerWorker.mjs', import.meta.url))
  const worker = new Worker(file, { workerData: o, execArgv: [] })
  const waiting = new Map<number, { prefixes: string[]; resolve: (r: GroupResult) => void; reject: (e: Error) => void }>()
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
    if (m.error !== undefined || m.tail === undefined || m.proofs === undefined) return w.reject(new Error(m.error ?? 'the writer thread sent no receipts'))
    const proofs = m.proofs.split('\n')
    w.resolve({ headers: w.prefixes.map((p, i) => p + m.tail + proofs[i]!), signUs: m.signUs ?? 0 })
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
      const prefixes = group.receipts.map(receiptPrefix)
      return new Promise((resolve, reject) => {
        waiting.set(id, { prefixes, resolve, reject })
        // strings only: structured clone of one string is far cheaper than of nested objects
        const msg: WriterRequest = { id, seq: group.seq, prefixes: prefixes.join('\n'), meta: JSON.stringify([group.deltas, group.vouchers]) }
        worker.postMessage(msg)
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
