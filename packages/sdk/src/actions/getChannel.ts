import type { Address } from 'viem'
import { readContract } from 'viem/actions'
import { paymentChannelsAbi } from '../abis/execution'
import { executionContract } from '../deployments'
import { run, toBigInt, type ReadContext } from './_internal'

export const CHANNEL_STATUS = ['Open', 'Closing', 'Closed'] as const
export type ChannelStatusName = (typeof CHANNEL_STATUS)[number]

export type ChannelView = {
  channelId: bigint
  payer: Address
  /** Key whose vouchers the channel honours. */
  signer: Address
  nodeId: bigint
  token: Address
  /** Everything ever deposited (open + top-ups). */
  deposit: bigint
  /** Everything settled so far. */
  settled: bigint
  /** deposit - settled: the most the node can still settle (or the refund once closed). */
  remaining: bigint
  /** End of the challenge window, unix seconds (0 while open). */
  closesAt: bigint
  status: ChannelStatusName
}

/** A payment channel (throws a ContractError UnknownChannel for unknown ids). */
export async function getChannel(ctx: ReadContext, channelId: bigint | number): Promise<ChannelView> {
  return run(ctx, { action: 'getChannel' }, async () => {
    const id = toBigInt(channelId, 'channelId')
    const c = await readContract(ctx.publicClient, {
      address: executionContract(ctx.deployments, 'PaymentChannels'),
      abi: paymentChannelsAbi,
      functionName: 'channel',
      args: [id],
    })
    const deposit = BigInt(c.deposit)
    const settled = BigInt(c.settled)
    return {
      channelId: id,
      payer: c.payer,
      signer: c.signer,
      nodeId: c.nodeId,
      token: c.token,
      deposit,
      settled,
      remaining: deposit - settled,
      closesAt: BigInt(c.closesAt),
      status: CHANNEL_STATUS[c.status] ?? 'Closed',
    }
  })
}
