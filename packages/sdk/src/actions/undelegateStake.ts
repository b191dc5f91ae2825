import { parseEventLogs } from 'viem'
import { readContract, simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/execution'
import { stakingContract } from '../deployments'
import { InvalidArgumentError } from '../errors'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/**
 * Undelegates `shares` of the wallet's delegation to a node (`'all'` = every share). The value
 * unbonds until `maturesAt`; `withdrawUnbonded` pays it then.
 */
export async function undelegateStake(
  ctx: WriteContext,
  p: { nodeId: bigint | number; shares: bigint | 'all' },
): Promise<TxResult & { amount: bigint; maturesAt: bigint }> {
  return run(ctx, { action: 'undelegateStake' }, async () => {
    const account = requireAccount(ctx.walletClient, 'undelegateStake')
    const staking = stakingContract(ctx.deployments, 'NodeStaking')
    const nodeId = toBigInt(p.nodeId, 'nodeId')
    let shares = p.shares
    if (shares === 'all') {
      ;[shares] = await readContract(ctx.publicClient, { address: staking, abi: nodeStakingAbi, functionName: 'delegation', args: [nodeId, account.address] })
    }
    if (shares <= 0n) throw new InvalidArgumentError(`${account.address} has no delegation shares to undelegate at node ${nodeId}.`)
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: staking,
      abi: nodeStakingAbi,
      functionName: 'undelegate',
      args: [nodeId, shares],
    })
    const tx = await submit(ctx, request, 'undelegate')
    const [event] = parseEventLogs({ abi: nodeStakingAbi, logs: tx.receipt.logs, eventName: 'Undelegated' })
    return { ...tx, amount: event?.args.amount ?? 0n, maturesAt: BigInt(event?.args.maturesAt ?? 0n) }
  })
}
