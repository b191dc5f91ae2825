import { parseEventLogs } from 'viem'
import { simulateContract } from 'viem/actions'
import { paymentChannelsAbi } from '../abis/execution'
import { executionContract } from '../deployments'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/**
 * Starts closing a channel (payer only): the node can settle until `closesAt`, then
 * withdrawChannel refunds what was not settled.
 */
export async function requestCloseChannel(ctx: WriteContext, p: { channelId: bigint | number }): Promise<TxResult & { closesAt: bigint }> {
  return run(ctx, { action: 'requestCloseChannel' }, async () => {
    const account = requireAccount(ctx.walletClient, 'requestCloseChannel')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: executionContract(ctx.deployments, 'PaymentChannels'),
      abi: paymentChannelsAbi,
      functionName: 'requestClose',
      args: [toBigInt(p.channelId, 'channelId')],
    })
    const tx = await submit(ctx, request, 'requestClose')
    const [event] = parseEventLogs({ abi: paymentChannelsAbi, logs: tx.receipt.logs, eventName: 'ChannelClosing' })
    return { ...tx, closesAt: BigInt(event?.args.closesAt ?? 0n) }
  })
}
