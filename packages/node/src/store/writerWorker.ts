/**
 * Group-commit writer thread: builds each receipt group (encodings, leaves, Merkle tree), signs it
 * (ECDSA) and commits it to SQLite, so none of that blocks the HTTP event loop. Messages are
 * handled in order, so groups commit in sequence order.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { Hex } from 'viem'
import { ReceiptBatchSigner } from '../payments/eip712.ts'
import { buildGroup } from '../payments/groupBuild.ts'
import { parseReceiptPrefix, receiptGroupTail } from '../payments/receipt.ts'
import { Store, type GroupWrite } from './db.ts'

type Init = { file: string; synchronous: 'FULL' | 'NORMAL'; chainId: number; verifyingContract: Hex; privateKey: Hex; nodeId: bigint }
/** prefixes: the receipts' `r2.<fields>` header prefixes joined by newlines; meta: JSON [deltas, vouchers]. */
export type WriterRequest = { id: number; seq: number; prefixes: string; meta: string }
/** tail: `.<seq>.<root>.<signature>`; proofs: each receipt's `.<sibling>...`, joined by newlines. */
export type WriterReply = { id: number; tail?: string; proofs?: string; signUs?: number; error?: string }

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
    const receipts = m.prefixes.split('\n').map(parseReceiptPrefix)
    const built = buildGroup(receipts)
    const t0 = performance.now()
    const signature = await signer.sign(init.nodeId, ('0x' + built.root.toString('hex')) as Hex, BigInt(m.seq))
    const signUs = Math.round((performance.now() - t0) * 1000)
    store.commitGroup({ seq: m.seq, root: built.root, receipts: built.packed, deltas, vouchers, signature })
    const proofs = receipts.map((_, i) => built.tree.proofB64(i)).join('\n')
    parentPort!.postMessage({ id: m.id, tail: receiptGroupTail(m.seq, built.root, signature), proofs, signUs } satisfies WriterReply)
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message } satisfies WriterReply)
  }
})
