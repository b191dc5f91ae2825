import { parseEventLogs } from 'viem'
import { readContract, simulateContract } from 'viem/actions'
import { nodeStakingAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import { InvalidArgumentError, type TokenDisplay } from '../errors'
import { requireAccount, run, submit, toBigInt, tokenDisplay, type TxResult, type WriteContext } from './_internal'

/** Either an amount of SAHARA (converted to shares at the pool's rate) or an exact number of shares. */
export type UndelegateStakeParams = { nodeId: bigint | number } & (
  | { amount: bigint; shares?: undefined; all?: undefined }
  | { shares: bigint; amount?: undefined; all?: undefined }
  | { all: true; amount?: undefined; shares?: undefined }
)

/**
 * Shares to burn so that at least `amount` is undelegated: ceil(amount * poolShares / pooled)
 * (the contract pays floor(shares * pooled / poolShares)), capped at the shares held.
 */
export function sharesForAmount(amount: bigint, pooled: bigint, poolShares: bigint, held: bigint): bigint {
  if (amount <= 0n) throw new InvalidArgumentError('The amount to undelegate must be greater than zero.')
  if (pooled === 0n || poolShares === 0n) return 0n
  const shares = (amount * poolShares + pooled - 1n) / pooled
  return shares > held ? held : shares
}

/**
 * Undelegates from node `nodeId`: by SAHARA `amount` (rounded up to whole shares, capped at the
 * delegation: asking for more than it is worth undelegates everything), by `shares`, or `all`.
 * The value enters the unbonding queue and is withdrawable after the unbonding delay
 * (withdrawUnbonded). Rewards earned so far stay claimable.
 */
export async function undelegateStake(
  ctx: WriteContext,
  p: UndelegateStakeParams,
): Promise<TxResult & { shares: bigint; amount: bigint; maturesAt: bigint }> {
  let token: TokenDisplay | undefined
  return run(ctx, () => ({ action: 'undelegate', token }), async () => {
    const account = requireAccount(ctx.walletClient, 'undelegate')
    const nodeId = toBigInt(p.nodeId, 'nodeId')
    const staking = stakingContract(ctx.deployments, 'NodeStaking')
    token = await tokenDisplay(ctx.publicClient, ctx.deployments.contracts.SaharaToken)
    const [held, value] = await readContract(ctx.publicClient, { address: staking, abi: nodeStakingAbi, functionName: 'delegation', args: [nodeId, account.address] })
    let shares: bigint
    if (p.all) {
      shares = held
    } else if (p.shares !== undefined) {
      shares = toBigInt(p.shares, 'shares')
      if (shares === 0n) throw new InvalidArgumentError('The shares to undelegate must be greater than zero.')
    } else {
      if (typeof p.amount !== 'bigint') throw new InvalidArgumentError('Pass the amount, the shares or all to undelegate.')
      const s = await readContract(ctx.publicClient, { address: staking, abi: nodeStakingAbi, functionName: 'nodeStake', args: [nodeId] })
      shares = p.amount >= value ? held : sharesForAmount(p.amount, s.delegated, s.delegatedShares, held)
    }
    if (shares === 0n) throw new InvalidArgumentError(`${account.address} has no delegation at node #${nodeId}.`)
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: staking,
      abi: nodeStakingAbi,
      functionName: 'undelegate',
      args: [nodeId, shares],
    })
    const tx = await submit(ctx, request, 'undelegate')
    const [event] = parseEventLogs({ abi: nodeStakingAbi, logs: tx.receipt.logs, eventName: 'Undelegated' })
    if (!event) throw new InvalidArgumentError('The undelegate transaction emitted no Undelegated event.')
    return { ...tx, shares: event.args.shares, amount: event.args.amount, maturesAt: BigInt(event.args.maturesAt) }
  })
}
