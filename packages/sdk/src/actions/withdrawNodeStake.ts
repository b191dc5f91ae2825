import { parseEventLogs } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeRegistryAbi } from '../abis/execution'
import { executionContract } from '../deployments'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/** Returns an exited node's stake to its operator once unlocked (operator only). */
export async function withdrawNodeStake(ctx: WriteContext, p: { nodeId: bigint | number }): Promise<TxResult & { amount: bigint }> {
  return run(ctx, { action: 'withdrawNodeStake' }, async () => {
    const account = requireAccount(ctx.walletClient, 'withdrawNodeStake')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: executionContract(ctx.deployments, 'NodeRegistry'),
      abi: nodeRegistryAbi,
      functionName: 'withdrawStake',
      args: [toBigInt(p.nodeId, 'nodeId')],
    })
    const tx = await submit(ctx, request, 'withdrawStake')
    const [event] = parseEventLogs({ abi: nodeRegistryAbi, logs: tx.receipt.logs, eventName: 'StakeWithdrawn' })
    return { ...tx, amount: event?.args.amount ?? 0n }
  })
}
