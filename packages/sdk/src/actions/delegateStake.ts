import { parseEventLogs, type Hex } from 'viem'
import { simulateContract } from 'viem/actions'
import { devStablecoinAbi } from '../abis/generated'
import { nodeStakingAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import { InvalidArgumentError, type TokenDisplay } from '../errors'
import {
  deadlineIn,
  ensureAllowance,
  requireAccount,
  requireBalance,
  run,
  signPermit,
  submit,
  toBigInt,
  tokenDisplay,
  type Authorization,
  type TxResult,
  type WriteContext,
} from './_internal'

export type DelegateStakeParams = {
  nodeId: bigint | number
  /** SAHARA (base units) to delegate. */
  amount: bigint
  /**
   * 'approve' (default): an exact approval when the allowance is short. 'permit': an ERC-2612
   * permit signed by the wallet and submitted before the delegation (NodeStaking has no
   * delegate-with-permit entry point, so this is still two transactions; no standing allowance).
   */
  authorization?: Authorization | undefined
}

/** Delegates `amount` SAHARA to node `nodeId`'s pool; returns the pool shares minted. */
export async function delegateStake(
  ctx: WriteContext,
  p: DelegateStakeParams,
): Promise<TxResult & { shares: bigint; amount: bigint; approvalHash?: Hex | undefined }> {
  let token: TokenDisplay | undefined
  return run(ctx, () => ({ action: 'delegate', token }), async () => {
    const account = requireAccount(ctx.walletClient, 'delegate')
    const nodeId = toBigInt(p.nodeId, 'nodeId')
    if (typeof p.amount !== 'bigint' || p.amount <= 0n) throw new InvalidArgumentError('The amount to delegate must be greater than zero.')
    const staking = stakingContract(ctx.deployments, 'NodeStaking')
    const sahara = ctx.deployments.contracts.SaharaToken
    token = await tokenDisplay(ctx.publicClient, sahara)
    await requireBalance(ctx, sahara, p.amount)
    let approvalHash: Hex | undefined
    if (p.authorization === 'permit') {
      const permit = await signPermit(ctx, sahara, staking, p.amount, await deadlineIn(ctx.publicClient))
      const { request } = await simulateContract(ctx.publicClient, {
        account,
        address: sahara,
        abi: devStablecoinAbi,
        functionName: 'permit',
        args: [account.address, staking, p.amount, permit.deadline, permit.v, permit.r, permit.s],
      })
      approvalHash = (await submit(ctx, request, 'permit')).hash
    } else {
      approvalHash = (await ensureAllowance(ctx, sahara, staking, p.amount))?.hash
    }
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: staking,
      abi: nodeStakingAbi,
      functionName: 'delegate',
      args: [nodeId, p.amount],
    })
    const tx = await submit(ctx, request, 'delegate')
    const [event] = parseEventLogs({ abi: nodeStakingAbi, logs: tx.receipt.logs, eventName: 'Delegated' })
    if (!event) throw new InvalidArgumentError('The delegate transaction emitted no Delegated event.')
    return { ...tx, shares: event.args.shares, amount: event.args.amount, approvalHash }
  })
}
