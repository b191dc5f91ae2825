import type { Address } from 'viem'
import { simulateContract } from 'viem/actions'
import { devStablecoinAbi } from '../abis/generated'
import { requireAccount, run, submit, tokenDisplay, type TxResult, type WriteContext } from './_internal'
import type { TokenDisplay } from '../errors'

/** Mints devnet USDT (DevStablecoin.faucet, at most 100,000 USDT per call) to `to` (default: the wallet). */
export async function faucet(ctx: WriteContext, p: { amount: bigint; to?: Address | undefined }): Promise<TxResult & { to: Address }> {
  let token: TokenDisplay | undefined
  return run(ctx, () => ({ action: 'faucet', token }), async () => {
    const account = requireAccount(ctx.walletClient, 'faucet')
    const usdt = ctx.deployments.contracts.USDT
    token = await tokenDisplay(ctx.publicClient, usdt)
    const to = p.to ?? account.address
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: usdt,
      abi: devStablecoinAbi,
      functionName: 'faucet',
      args: [to, p.amount],
    })
    return { ...(await submit(ctx, request, 'faucet')), to }
  })
}
