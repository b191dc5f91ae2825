import type { Hex } from 'viem'
import { simulateContract } from 'viem/actions'
import { revenueVaultAbi } from '../abis/generated'
import { InvalidArgumentError, type TokenDisplay } from '../errors'
import {
  deadlineIn,
  ensureAllowance,
  requireAccount,
  requireBalance,
  resolveToken,
  run,
  signPermit,
  submit,
  toBigInt,
  tokenDisplay,
  type Authorization,
  type TokenLike,
  type TxResult,
  type WriteContext,
} from './_internal'

export type PayParams = {
  assetId: bigint | number
  token: TokenLike
  /** Amount in token units (see parseAmount for "12.5"-style input). */
  amount: bigint
  /** 'approve' (default) or 'permit' (ERC-2612 signature, one transaction). */
  authorization?: Authorization | undefined
}

/** Pays revenue into an asset; the vault splits it (protocol fee, royalties, owner, contributors). */
export async function pay(ctx: WriteContext, p: PayParams): Promise<TxResult & { approvalHash?: Hex | undefined }> {
  let token: TokenDisplay | undefined
  return run(ctx, () => ({ action: 'pay', token }), async () => {
    const account = requireAccount(ctx.walletClient, 'pay')
    if (p.amount <= 0n) throw new InvalidArgumentError('The amount to pay must be greater than zero.')
    const assetId = toBigInt(p.assetId, 'assetId')
    const tokenAddress = resolveToken(ctx.deployments, p.token)
    token = await tokenDisplay(ctx.publicClient, tokenAddress)
    const vault = ctx.deployments.contracts.RevenueVault
    await requireBalance(ctx, tokenAddress, p.amount)
    if (p.authorization === 'permit') {
      const permit = await signPermit(ctx, tokenAddress, vault, p.amount, await deadlineIn(ctx.publicClient))
      const { request } = await simulateContract(ctx.publicClient, {
        account,
        address: vault,
        abi: revenueVaultAbi,
        functionName: 'payWithPermit',
        args: [assetId, tokenAddress, p.amount, permit.deadline, permit.v, permit.r, permit.s],
      })
      return submit(ctx, request, 'payWithPermit')
    }
    const approval = await ensureAllowance(ctx, tokenAddress, vault, p.amount)
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: vault,
      abi: revenueVaultAbi,
      functionName: 'pay',
      args: [assetId, tokenAddress, p.amount],
    })
    return { ...(await submit(ctx, request, 'pay')), approvalHash: approval?.hash }
  })
}
