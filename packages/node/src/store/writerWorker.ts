/**
 * Group-commit writer thread: signs each receipt group (ECDSA) and commits it to SQLite with
 * synchronous=FULL, so the fsync and the signature never block the HTTP event loop. Messages are
 * handled in order, so groups commit in sequence order.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { Hex } from 'viem'
import { ReceiptBatchSigner } from '../payments/eip712.ts'
import { Store, type GroupWrite } from './db.ts'

type Init = { file: string; synchronous: 'FULL' | 'NORMAL'; chainId: number; verifyingContract: Hex; privateKey: Hex; nodeId: bigint }
export type WriterRequest = { id: number; seq: number; root: string; meta: string; receipts: Uint8Array }
export type WriterReply = { id: number; signature?: Hex; signUs?: number; error?: string }

const init = workerData as Init
const store = new Store(init.file, { synchronous: init.synchronous })
const signer = new ReceiptBatchSigner({ chainId: init.chainId, verifyingContract: init.verifyingContract }, init.privateKey)

parentPort!.on('message', async (m: WriterRequest | 'close') => {
  if (m === 'close') {
    store.close()
    parentPort!.postMessage('closed')
    return
  }
  try {
    const [deltas, vouchers] = JSON.parse(m.meta) as [string, GroupWrite['vouchers']]
    const t0 = performance.now()
    const signature = await signer.sign(init.nodeId, ('0x' + m.root) as Hex, BigInt(m.seq))
    const signUs = Math.round((performance.now() - t0) * 1000)
    store.commitGroup({ seq: m.seq, root: Buffer.from(m.root, 'hex'), receipts: m.receipts, deltas, vouchers, signature })
    parentPort!.postMessage({ id: m.id, signature, signUs } satisfies WriterReply)
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message } satisfies WriterReply)
  }
})
