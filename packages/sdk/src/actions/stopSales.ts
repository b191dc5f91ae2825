import { simulateContract } from 'viem/actions'
import { licenseRegistryAbi } from '../abis/generated'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/** Stops new sales under a terms set (irreversible); licenses already sold stay valid. */
export async function stopSales(ctx: WriteContext, p: { termsId: bigint | number }): Promise<TxResult> {
  return run(ctx, { action: 'stopSales' }, async () => {
    const account = requireAccount(ctx.walletClient, 'stopSales')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: ctx.deployments.contracts.LicenseRegistry,
      abi: licenseRegistryAbi,
      functionName: 'stopSales',
      args: [toBigInt(p.termsId, 'termsId')],
    })
    return submit(ctx, request, 'stopSales')
  })
}
