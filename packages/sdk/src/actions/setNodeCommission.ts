import { parseEventLogs } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/execution'
import { stakingContract } from '../deployments'
import { InvalidArgumentError } from '../errors'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/**
 * Requests a node's commission in bps (operator only). Applies at once while nobody delegated,
 * otherwise at `effectiveAt` (after NodeStaking.commissionDelay).
 */
export async function setNodeCommission(
  ctx: WriteContext,
  p: { nodeId: bigint | number; bps: number },
): Promise<TxResult & { applied: boolean; effectiveAt: bigint }> {
  return run(ctx, { action: 'setNodeCommission' }, async () => {
    const account = requireAccount(ctx.walletClient, 'setNodeCommission')
    if (!Number.isInteger(p.bps) || p.bps < 0 || p.bps > 10_000) throw new InvalidArgumentError(`The commission must be 0 to 10000 bps, got ${p.bps}.`)
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: stakingContract(ctx.deployments, 'NodeStaking'),
      abi: nodeStakingAbi,
      functionName: 'setCommission',
      args: [toBigInt(p.nodeId, 'nodeId'), p.bps],
    })
    const tx = await submit(ctx, request, 'setCommission')
    const [requested] = parseEventLogs({ abi: nodeStakingAbi, logs: tx.receipt.logs, eventName: 'CommissionRequested' })
    return { ...tx, applied: requested === undefined, effectiveAt: BigInt(requested?.args.effectiveAt ?? 0n) }
  })
}
