import type { Hex } from 'viem'
import { readContract } from 'viem/actions'
import { paymentChannelsAbi } from '../abis/execution'
import type { Deployments } from '../deployments'
import { executionContract } from '../deployments'
import { receiptLeaf, type SignedReceipt } from '../payments/receipt'
import { run, type ReadClient } from './_internal'

export type OnChainReceiptCheck = {
  /** True when the receipt is under a root PaymentChannels recorded: `valid && recorded`. */
  ok: boolean
  /** PaymentChannels.verifyReceipt(receiptsRoot, leaf, proof), with the leaf recomputed from the fields. */
  valid: boolean
  /** The receipts root is recorded on-chain (PaymentChannels.receiptsRecorded). */
  recorded: boolean
  receiptsRoot: Hex
  leaf: Hex
  /** The node that recorded the root first (0 when not recorded). */
  recordedBy: bigint
  /** Whether that node is the one named in the receipt. */
  recordedByReceiptNode: boolean
  /** Block timestamp of the recording (seconds; 0 when not recorded). */
  recordedAt: bigint
  /** Receipt count the settlement declared for the root. */
  receiptCount: bigint
}

/**
 * Checks on-chain that a receipt was recorded: recomputes the leaf from the receipt's fields (so a
 * receipt whose fields were altered fails), calls PaymentChannels.verifyReceipt(receiptsRoot, leaf,
 * proof) and reads receiptsRecorded(receiptsRoot). `proof` is what proveReceipt returns. Whether
 * the node signed the receipt is verifyReceipt's (off-chain) job.
 */
export async function verifyReceiptOnChain(
  publicClient: ReadClient,
  deployments: Deployments,
  receipt: SignedReceipt,
  proof: { receiptsRoot: Hex; proof: readonly Hex[] },
): Promise<OnChainReceiptCheck> {
  const leaf = receiptLeaf(receipt.fields)
  const address = executionContract(deployments, 'PaymentChannels')
  return run({ publicClient, deployments }, { action: 'verifyReceiptOnChain' }, async () => {
    const [valid, [recordedBy, recordedAt, receiptCount]] = await Promise.all([
      readContract(publicClient, { address, abi: paymentChannelsAbi, functionName: 'verifyReceipt', args: [proof.receiptsRoot, leaf, [...proof.proof]] }),
      readContract(publicClient, { address, abi: paymentChannelsAbi, functionName: 'receiptsRecorded', args: [proof.receiptsRoot] }),
    ])
    const recorded = recordedBy !== 0n || recordedAt !== 0n || receiptCount !== 0n
    return {
      ok: valid && recorded,
      valid,
      recorded,
      receiptsRoot: proof.receiptsRoot,
      leaf,
      recordedBy,
      recordedByReceiptNode: recorded && recordedBy === receipt.fields.nodeId,
      recordedAt: BigInt(recordedAt),
      receiptCount,
    }
  })
}
