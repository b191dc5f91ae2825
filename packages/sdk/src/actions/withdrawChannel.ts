import { parseEventLogs } from 'viem'
import { simulateContract } from 'viem/actions'
import { paymentChannelsAbi } from '../abis/execution'
import { executionContract } from '../deployments'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/** Refunds the unsettled remainder of a closing channel after its challenge window (payer only). */
export async function withdrawChannel(ctx: WriteContext, p: { channelId: bigint | number }): Promise<TxResult & { refund: bigint }> {
  return run(ctx, { action: 'withdrawChannel' }, async () => {
    const account = requireAccount(ctx.walletClient, 'withdrawChannel')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: executionContract(ctx.deployments, 'PaymentChannels'),
      abi: paymentChannelsAbi,
      functionName: 'withdraw',
      args: [toBigInt(p.channelId, 'channelId')],
    })
    const tx = await submit(ctx, request, 'withdraw')
    const [event] = parseEventLogs({ abi: paymentChannelsAbi, logs: tx.receipt.logs, eventName: 'ChannelWithdrawn' })
    return { ...tx, refund: event?.args.refund ?? 0n }
  })
}
