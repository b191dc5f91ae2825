import { parseEventLogs, zeroAddress, type Address, type Hex } from 'viem'
import { simulateContract } from 'viem/actions'
import { paymentChannelsAbi } from '../abis/execution'
import { executionContract } from '../deployments'
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

export type OpenChannelParams = {
  nodeId: bigint | number
  /** A vault payment token: 'USDT', 'SAHARA' or an address. */
  token: TokenLike
  /** Deposit in token units. */
  amount: bigint
  /** Key that signs vouchers (default: the payer); e.g. a session key kept by the client. */
  signer?: Address | undefined
  /** 'approve' (default) or 'permit' (ERC-2612, one transaction). */
  authorization?: Authorization | undefined
}

/** Opens a payment channel from the wallet to a node with a deposit; returns the channel id. */
export async function openChannel(
  ctx: WriteContext,
  p: OpenChannelParams,
): Promise<TxResult & { channelId: bigint; token: Address; approvalHash?: Hex | undefined }> {
  let token: TokenDisplay | undefined
  return run(ctx, () => ({ action: 'openChannel', token }), async () => {
    const account = requireAccount(ctx.walletClient, 'openChannel')
    if (p.amount <= 0n) throw new InvalidArgumentError('The channel deposit must be greater than zero.')
    const nodeId = toBigInt(p.nodeId, 'nodeId')
    const channels = executionContract(ctx.deployments, 'PaymentChannels')
    const tokenAddress = resolveToken(ctx.deployments, p.token)
    token = await tokenDisplay(ctx.publicClient, tokenAddress)
    await requireBalance(ctx, tokenAddress, p.amount)
    const signer = p.signer ?? zeroAddress
    let tx: TxResult
    let approvalHash: Hex | undefined
    if (p.authorization === 'permit') {
      const permit = await signPermit(ctx, tokenAddress, channels, p.amount, await deadlineIn(ctx.publicClient))
      const { request } = await simulateContract(ctx.publicClient, {
        account,
        address: channels,
        abi: paymentChannelsAbi,
        functionName: 'openWithPermit',
        args: [nodeId, tokenAddress, p.amount, signer, permit.deadline, permit.v, permit.r, permit.s],
      })
      tx = await submit(ctx, request, 'openWithPermit')
    } else {
      approvalHash = (await ensureAllowance(ctx, tokenAddress, channels, p.amount))?.hash
      const { request } = await simulateContract(ctx.publicClient, {
        account,
        address: channels,
        abi: paymentChannelsAbi,
        functionName: 'open',
        args: [nodeId, tokenAddress, p.amount, signer],
      })
      tx = await submit(ctx, request, 'open')
    }
    const [event] = parseEventLogs({ abi: paymentChannelsAbi, logs: tx.receipt.logs, eventName: 'ChannelOpened' })
    if (!event) throw new InvalidArgumentError('The open transaction emitted no ChannelOpened event.')
    return { ...tx, channelId: event.args.channelId, token: tokenAddress, approvalHash }
  })
}
