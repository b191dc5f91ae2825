import { parseEventLogs } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeRegistryAbi } from '../abis/execution'
import { executionContract } from '../deployments'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/** Starts a node's exit (operator only): no new channels; the stake unlocks after the unbonding delay. */
export async function requestNodeExit(ctx: WriteContext, p: { nodeId: bigint | number }): Promise<TxResult & { unlockAt: bigint }> {
  return run(ctx, { action: 'requestNodeExit' }, async () => {
    const account = requireAccount(ctx.walletClient, 'requestNodeExit')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: executionContract(ctx.deployments, 'NodeRegistry'),
      abi: nodeRegistryAbi,
      functionName: 'requestExit',
      args: [toBigInt(p.nodeId, 'nodeId')],
    })
    const tx = await submit(ctx, request, 'requestExit')
    const [event] = parseEventLogs({ abi: nodeRegistryAbi, logs: tx.receipt.logs, eventName: 'ExitRequested' })
    return { ...tx, unlockAt: BigInt(event?.args.unlockAt ?? 0n) }
  })
}
