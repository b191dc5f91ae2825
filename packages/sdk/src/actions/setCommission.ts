import { parseEventLogs } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import { InvalidArgumentError } from '../errors'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/**
 * Sets node `nodeId`'s commission to `bps` (operator only, at most the module's maximum). It
 * applies at once while nobody has delegated, otherwise after the commission delay: `effectiveAt`
 * is then the time it applies (0 when it applied immediately).
 */
export async function setCommission(
  ctx: WriteContext,
  p: { nodeId: bigint | number; bps: number },
): Promise<TxResult & { bps: number; applied: boolean; effectiveAt: bigint }> {
  return run(ctx, { action: 'setCommission' }, async () => {
    const account = requireAccount(ctx.walletClient, 'setCommission')
    if (!Number.isInteger(p.bps) || p.bps < 0 || p.bps > 10_000) throw new InvalidArgumentError(`The commission must be 0 to 10000 basis points, got ${p.bps}.`)
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: stakingContract(ctx.deployments, 'NodeStaking'),
      abi: nodeStakingAbi,
      functionName: 'setCommission',
      args: [toBigInt(p.nodeId, 'nodeId'), p.bps],
    })
    const tx = await submit(ctx, request, 'setCommission')
    const [requested] = parseEventLogs({ abi: nodeStakingAbi, logs: tx.receipt.logs, eventName: 'CommissionRequested' })
    if (requested) return { ...tx, bps: p.bps, applied: false, effectiveAt: BigInt(requested.args.effectiveAt) }
    return { ...tx, bps: p.bps, applied: true, effectiveAt: 0n }
  })
}
