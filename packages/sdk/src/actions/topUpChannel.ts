import { readContract, simulateContract } from 'viem/actions'
import type { Hex } from 'viem'
import { paymentChannelsAbi } from '../abis/execution'
import { executionContract } from '../deployments'
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

/** Adds `amount` of the channel's token to an open channel (anyone may top up). */
export async function topUpChannel(
  ctx: WriteContext,
  p: { channelId: bigint | number; amount: bigint; authorization?: Authorization | undefined },
): Promise<TxResult & { approvalHash?: Hex | undefined }> {
  let token: TokenDisplay | undefined
  return run(ctx, () => ({ action: 'topUpChannel', token }), async () => {
    const account = requireAccount(ctx.walletClient, 'topUpChannel')
    if (p.amount <= 0n) throw new InvalidArgumentError('The top-up amount must be greater than zero.')
    const channelId = toBigInt(p.channelId, 'channelId')
    const channels = executionContract(ctx.deployments, 'PaymentChannels')
    const ch = await readContract(ctx.publicClient, { address: channels, abi: paymentChannelsAbi, functionName: 'channel', args: [channelId] })
    token = await tokenDisplay(ctx.publicClient, ch.token)
    await requireBalance(ctx, ch.token, p.amount)
    if (p.authorization === 'permit') {
      const permit = await signPermit(ctx, ch.token, channels, p.amount, await deadlineIn(ctx.publicClient))
      const { request } = await simulateContract(ctx.publicClient, {
        account,
        address: channels,
        abi: paymentChannelsAbi,
        functionName: 'topUpWithPermit',
        args: [channelId, p.amount, permit.deadline, permit.v, permit.r, permit.s],
      })
      return submit(ctx, request, 'topUpWithPermit')
    }
    const approval = await ensureAllowance(ctx, ch.token, channels, p.amount)
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: channels,
      abi: paymentChannelsAbi,
      functionName: 'topUp',
      args: [channelId, p.amount],
    })
    return { ...(await submit(ctx, request, 'topUp')), approvalHash: approval?.hash }
  })
}
