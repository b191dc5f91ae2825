import { readContract } from 'viem/actions'
import { assetRegistryAbi } from '../abis/generated'
import { run, toBigInt, type ReadContext } from './_internal'
import { toAssetVersion, type AssetVersion } from './getAsset'

/** Every published version of an asset, oldest first. */
export async function getVersions(ctx: ReadContext, assetIdLike: bigint | number): Promise<AssetVersion[]> {
  return run(ctx, { action: 'getVersions' }, async () => {
    const assetId = toBigInt(assetIdLike, 'assetId')
    const address = ctx.deployments.contracts.AssetRegistry
    const info = await readContract(ctx.publicClient, { address, abi: assetRegistryAbi, functionName: 'assetInfo', args: [assetId] })
    const versions = Array.from({ length: info.versionCount }, (_, i) => i + 1)
    return Promise.all(
      versions.map(async (v) =>
        toAssetVersion(v, await readContract(ctx.publicClient, { address, abi: assetRegistryAbi, functionName: 'versionInfo', args: [assetId, v] })),
      ),
    )
  })
}
