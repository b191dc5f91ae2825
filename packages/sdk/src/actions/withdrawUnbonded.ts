import { parseEventLogs } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/** Pays the wallet every matured unbonding entry at node `nodeId` (after any slash). */
export async function withdrawUnbonded(
  ctx: WriteContext,
  p: { nodeId: bigint | number },
): Promise<TxResult & { amount: bigint; entries: bigint }> {
  return run(ctx, { action: 'withdrawUnbonded' }, async () => {
    const account = requireAccount(ctx.walletClient, 'withdrawUnbonded')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: stakingContract(ctx.deployments, 'NodeStaking'),
      abi: nodeStakingAbi,
      functionName: 'withdrawUnbonded',
      args: [toBigInt(p.nodeId, 'nodeId')],
    })
    const tx = await submit(ctx, request, 'withdrawUnbonded')
    const [event] = parseEventLogs({ abi: nodeStakingAbi, logs: tx.receipt.logs, eventName: 'UnbondedWithdrawn' })
    return { ...tx, amount: event?.args.amount ?? 0n, entries: event?.args.entries ?? 0n }
  })
}
