import { parseEventLogs, zeroAddress, type Address, type Hex } from 'viem'
import { simulateContract } from 'viem/actions'
import { nodeRegistryAbi } from '../abis/execution'
import { executionContract } from '../deployments'
import { InvalidArgumentError, type TokenDisplay } from '../errors'
import {
  deadlineIn,
  ensureAllowance,
  requireAccount,
  requireBalance,
  run,
  signPermit,
  submit,
  tokenDisplay,
  type Authorization,
  type TxResult,
  type WriteContext,
} from './_internal'

export type RegisterNodeParams = {
  /** Base URL of the node's HTTP API. */
  endpoint: string
  /** Key that signs receipt batches and may settle (default: the operator, i.e. the wallet). */
  signer?: Address | undefined
  /** SAHARA to bond (at least NodeRegistry.minStake()). */
  stake: bigint
  /** 'approve' (default) or 'permit' (ERC-2612, one transaction). */
  authorization?: Authorization | undefined
}

/** Registers an execution node operated by the wallet, bonding `stake` SAHARA; returns its id. */
export async function registerNode(
  ctx: WriteContext,
  p: RegisterNodeParams,
): Promise<TxResult & { nodeId: bigint; approvalHash?: Hex | undefined }> {
  let token: TokenDisplay | undefined
  return run(ctx, () => ({ action: 'registerNode', token }), async () => {
    const account = requireAccount(ctx.walletClient, 'registerNode')
    if (typeof p.endpoint !== 'string' || p.endpoint.length === 0) throw new InvalidArgumentError('The node endpoint must be a non-empty URL.')
    if (p.stake <= 0n) throw new InvalidArgumentError('The stake must be greater than zero.')
    const registry = executionContract(ctx.deployments, 'NodeRegistry')
    const sahara = ctx.deployments.contracts.SaharaToken
    token = await tokenDisplay(ctx.publicClient, sahara)
    await requireBalance(ctx, sahara, p.stake)
    const signer = p.signer ?? zeroAddress
    let tx: TxResult
    let approvalHash: Hex | undefined
    if (p.authorization === 'permit') {
      const permit = await signPermit(ctx, sahara, registry, p.stake, await deadlineIn(ctx.publicClient))
      const { request } = await simulateContract(ctx.publicClient, {
        account,
        address: registry,
        abi: nodeRegistryAbi,
        functionName: 'registerWithPermit',
        args: [p.endpoint, signer, p.stake, permit.deadline, permit.v, permit.r, permit.s],
      })
      tx = await submit(ctx, request, 'registerWithPermit')
    } else {
      approvalHash = (await ensureAllowance(ctx, sahara, registry, p.stake))?.hash
      const { request } = await simulateContract(ctx.publicClient, {
        account,
        address: registry,
        abi: nodeRegistryAbi,
        functionName: 'register',
        args: [p.endpoint, signer, p.stake],
      })
      tx = await submit(ctx, request, 'register')
    }
    const [event] = parseEventLogs({ abi: nodeRegistryAbi, logs: tx.receipt.logs, eventName: 'NodeRegistered' })
    if (!event) throw new InvalidArgumentError('The register transaction emitted no NodeRegistered event.')
    return { ...tx, nodeId: event.args.nodeId, approvalHash }
  })
}
