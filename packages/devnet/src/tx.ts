import { parseEventLogs, type Abi, type Account, type Address, type Chain, type PublicClient, type TransactionReceipt, type Transport, type WalletClient } from 'viem'

/** A transaction was mined but reverted. */
export class TransactionRevertedError extends Error {
  override readonly name = 'TransactionRevertedError'
  constructor(
    readonly what: string,
    readonly receipt: TransactionReceipt,
  ) {
    super(`${what} reverted (tx ${receipt.transactionHash})`)
  }
}

export type Wallet = WalletClient<Transport, Chain | undefined, Account>

/** Simulates (for a readable revert reason), sends, and waits for a successful receipt. */
export async function write(
  publicClient: PublicClient,
  wallet: Wallet,
  address: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[],
): Promise<TransactionReceipt> {
  const { request } = await publicClient.simulateContract({ address, abi, functionName, args, account: wallet.account })
  const hash = await wallet.writeContract(request as Parameters<Wallet['writeContract']>[0])
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new TransactionRevertedError(`${functionName}`, receipt)
  return receipt
}

/** The args of the first `eventName` log in `receipt` emitted by `address`. */
export function eventArgs(receipt: TransactionReceipt, abi: Abi, eventName: string, address?: Address): Record<string, unknown> {
  const logs = parseEventLogs({ abi, logs: receipt.logs, eventName })
  const log = logs.find((l) => !address || l.address.toLowerCase() === address.toLowerCase())
  if (!log) throw new Error(`no ${eventName} event in tx ${receipt.transactionHash}`)
  return log.args as Record<string, unknown>
}
