import { parseEventLogs } from 'viem'
import { simulateContract } from 'viem/actions'
import { assetRegistryAbi } from '../abis/generated'
import { InvalidArgumentError } from '../errors'
import { requireAccount, run, submit, type TxResult, type WriteContext } from './_internal'
import { prepareRegistration, type RegisterAssetParams, type RegisteredMetadata } from './registerAsset'

export type RegisterAssetsResult = TxResult & {
  assets: { assetId: bigint; content: string; metadata: RegisteredMetadata }[]
}

/** Registers many assets in one transaction; their ids are consecutive, in input order. */
export async function registerAssets(ctx: WriteContext, items: readonly RegisterAssetParams[]): Promise<RegisterAssetsResult> {
  return run(ctx, { action: 'registerAssets' }, async () => {
    if (items.length === 0) throw new InvalidArgumentError('registerAssets needs at least one asset.')
    const account = requireAccount(ctx.walletClient, 'registerAssets')
    const prepared = await Promise.all(items.map(prepareRegistration))
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: ctx.deployments.contracts.AssetRegistry,
      abi: assetRegistryAbi,
      functionName: 'registerBatch',
      args: [prepared.map((x) => x.params)],
    })
    const tx = await submit(ctx, request, 'registerBatch')
    const events = parseEventLogs({ abi: assetRegistryAbi, logs: tx.receipt.logs, eventName: 'AssetRegistered' })
    if (events.length !== items.length) throw new Error(`Expected ${items.length} AssetRegistered events, got ${events.length}.`)
    return {
      ...tx,
      assets: prepared.map((x, i) => ({ assetId: events[i]!.args.assetId, content: x.content, metadata: x.metadata })),
    }
  })
}
