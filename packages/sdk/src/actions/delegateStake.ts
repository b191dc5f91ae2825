import { parseEventLogs, type Hex } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/execution'
import { stakingContract } from '../deployments'
import { InvalidArgumentError, type TokenDisplay } from '../errors'
import { ensureAllowance, requireAccount, requireBalance, run, submit, toBigInt, tokenDisplay, type TxResult, type WriteContext } from './_internal'

/** Delegates `amount` SAHARA from the wallet to a node (approving NodeStaking first when needed). */
export async function delegateStake(
  ctx: WriteContext,
  p: { nodeId: bigint | number; amount: bigint },
): Promise<TxResult & { shares: bigint; approvalHash?: Hex | undefined }> {
  let token: TokenDisplay | undefined
  return run(ctx, () => ({ action: 'delegateStake', token }), async () => {
    const account = requireAccount(ctx.walletClient, 'delegateStake')
    if (p.amount <= 0n) throw new InvalidArgumentError('The amount to delegate must be greater than zero.')
    const staking = stakingContract(ctx.deployments, 'NodeStaking')
    const sahara = ctx.deployments.contracts.SaharaToken
    token = await tokenDisplay(ctx.publicClient, sahara)
    await requireBalance(ctx, sahara, p.amount)
    const approvalHash = (await ensureAllowance(ctx, sahara, staking, p.amount))?.hash
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: staking,
      abi: nodeStakingAbi,
      functionName: 'delegate',
      args: [toBigInt(p.nodeId, 'nodeId'), p.amount],
    })
    const tx = await submit(ctx, request, 'delegate')
    const [event] = parseEventLogs({ abi: nodeStakingAbi, logs: tx.receipt.logs, eventName: 'Delegated' })
    return { ...tx, shares: event?.args.shares ?? 0n, ...(approvalHash ? { approvalHash } : {}) }
  })
}
