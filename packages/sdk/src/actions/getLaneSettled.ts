import { readContract } from 'viem/actions'
import { paymentChannelsAbi } from '../abis/execution'
import { executionContract } from '../deployments'
import { run, toBigInt, type ReadContext } from './_internal'

/** Amount already settled on a lane (channelId, assetId, lane). */
export async function getLaneSettled(
  ctx: ReadContext,
  p: { channelId: bigint | number; assetId: bigint | number; lane: bigint | number },
): Promise<bigint> {
  return run(ctx, { action: 'getLaneSettled' }, async () =>
    readContract(ctx.publicClient, {
      address: executionContract(ctx.deployments, 'PaymentChannels'),
      abi: paymentChannelsAbi,
      functionName: 'laneSettled',
      args: [toBigInt(p.channelId, 'channelId'), toBigInt(p.assetId, 'assetId'), toBigInt(p.lane, 'lane')],
    }),
  )
}
