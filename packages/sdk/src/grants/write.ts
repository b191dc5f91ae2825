import { encodeFunctionData, parseEventLogs, type Address, type ContractEventName, type ContractFunctionArgs, type ContractFunctionName, type Hex } from 'viem'
import { simulateContract } from 'viem/actions'
import { grantPoolAbi } from '../abis/generated'
import { grantPoolContract, type Deployments } from '../deployments'
import { InvalidArgumentError } from '../errors'
import { ensureAllowance, requireAccount, requireBalance, run, submit, toBigInt, type TxResult, type WriteContext } from '../actions/_internal'

/** Amounts in GrantPool errors are SAHARA (18 decimals). */
export const GRANT_ERROR_CONTEXT = { token: { symbol: 'SAHARA', decimals: 18 } } as const

type WriteName = ContractFunctionName<typeof grantPoolAbi, 'nonpayable'>

/** A GrantPool call as a governance proposal action (target, value, calldata). */
export type GrantPoolCall = { to: Address; value: bigint; data: Hex }

/**
 * Encodes a GrantPool call without sending it: owner-only actions (and anything else) can be
 * carried by a governance proposal whose executor (the timelock) owns the pool.
 */
export function encodeGrantPoolCall<F extends WriteName>(
  deployments: Deployments,
  functionName: F,
  args: ContractFunctionArgs<typeof grantPoolAbi, 'nonpayable', F>,
): GrantPoolCall {
  const data = encodeFunctionData({ abi: grantPoolAbi, functionName, args } as never)
  return { to: grantPoolContract(deployments), value: 0n, data }
}

/** Simulates (surfacing reverts as decoded errors), sends and waits; reverts become ContractError. */
async function send<F extends WriteName>(
  ctx: WriteContext,
  action: string,
  functionName: F,
  args: ContractFunctionArgs<typeof grantPoolAbi, 'nonpayable', F>,
): Promise<TxResult> {
  return run(ctx, { ...GRANT_ERROR_CONTEXT, action }, async () => {
    const account = requireAccount(ctx.walletClient, action)
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: grantPoolContract(ctx.deployments),
      abi: grantPoolAbi,
      functionName,
      args,
    } as never)
    return submit(ctx, request, action)
  })
}

/** The decoded `eventName` logs of the pool in a receipt. */
function events<const E extends ContractEventName<typeof grantPoolAbi>>(tx: TxResult, eventName: E) {
  return parseEventLogs({ abi: grantPoolAbi, logs: tx.receipt.logs, eventName })
}

const id = (v: bigint | number | string, what = 'grantId') => toBigInt(v, what)

// ------------------------------------------------------------------ applications

export type ApplyForGrantParams = {
  /** Receives the milestone payments (default: the wallet's account). */
  recipient?: Address | undefined
  /** Where the proposal lives (ipfs://..., https://...); the pool stores its keccak256. */
  uri: string
  /** Amount of each milestone in SAHARA wei (1 to 16 milestones, each above zero). */
  milestones: readonly (bigint | number | string)[]
}

/** Submits a grant application; returns its id. */
export async function applyForGrant(ctx: WriteContext, p: ApplyForGrantParams): Promise<TxResult & { grantId: bigint; total: bigint }> {
  const account = requireAccount(ctx.walletClient, 'applyForGrant')
  if (p.milestones.length === 0) throw new InvalidArgumentError('A grant application needs at least one milestone.')
  const milestones = p.milestones.map((m, i) => toBigInt(m, `milestone ${i}`))
  const tx = await send(ctx, 'applyForGrant', 'submitApplication', [p.recipient ?? account.address, p.uri, milestones])
  const [e] = events(tx, 'ApplicationSubmitted')
  return { ...tx, grantId: e!.args.grantId!, total: e!.args.total! }
}

/** The applicant withdraws its pending application. */
export function withdrawGrantApplication(ctx: WriteContext, p: { grantId: bigint | number | string }): Promise<TxResult> {
  return send(ctx, 'withdrawGrantApplication', 'withdrawApplication', [id(p.grantId)])
}

/** Owner or committee: approves a pending application, reserving its total. */
export async function approveGrant(ctx: WriteContext, p: { grantId: bigint | number | string }): Promise<TxResult & { byCommittee: boolean; total: bigint }> {
  const tx = await send(ctx, 'approveGrant', 'approve', [id(p.grantId)])
  const [e] = events(tx, 'GrantApproved')
  return { ...tx, byCommittee: e!.args.byCommittee!, total: e!.args.total! }
}

/** Owner or committee: rejects a pending application. */
export function rejectGrant(ctx: WriteContext, p: { grantId: bigint | number | string; reason?: string | undefined }): Promise<TxResult> {
  return send(ctx, 'rejectGrant', 'reject', [id(p.grantId), p.reason ?? ''])
}

/** Owner or committee: approves milestone `index` and pays it to the recipient. */
export async function approveMilestone(
  ctx: WriteContext,
  p: { grantId: bigint | number | string; index: bigint | number | string },
): Promise<TxResult & { recipient: Address; amount: bigint; completed: boolean }> {
  const tx = await send(ctx, 'approveMilestone', 'approveMilestone', [id(p.grantId), toBigInt(p.index, 'index')])
  const [e] = events(tx, 'MilestonePaid')
  return { ...tx, recipient: e!.args.recipient!, amount: e!.args.amount!, completed: events(tx, 'GrantCompleted').length > 0 }
}

/** Owner or committee: cancels an approved grant; its unpaid reserve returns to the pool. */
export async function cancelGrant(ctx: WriteContext, p: { grantId: bigint | number | string }): Promise<TxResult & { returned: bigint }> {
  const tx = await send(ctx, 'cancelGrant', 'cancelGrant', [id(p.grantId)])
  const [e] = events(tx, 'GrantCancelled')
  return { ...tx, returned: e!.args.returned! }
}

/** The recipient of a pending or approved grant names a new recipient. */
export function setGrantRecipient(ctx: WriteContext, p: { grantId: bigint | number | string; recipient: Address }): Promise<TxResult> {
  return send(ctx, 'setGrantRecipient', 'setRecipient', [id(p.grantId), p.recipient])
}

// ------------------------------------------------------------------ funding and administration

/** Moves `amount` SAHARA wei from the wallet into the pool (approving it first when needed). */
export async function fundGrantPool(ctx: WriteContext, p: { amount: bigint | number | string }): Promise<TxResult> {
  const amount = toBigInt(p.amount, 'amount')
  if (amount === 0n) throw new InvalidArgumentError('The amount to fund must be greater than zero.')
  const pool = grantPoolContract(ctx.deployments)
  await run(ctx, { ...GRANT_ERROR_CONTEXT, action: 'fundGrantPool' }, async () => {
    await requireBalance(ctx, ctx.deployments.contracts.SaharaToken, amount)
    await ensureAllowance(ctx, ctx.deployments.contracts.SaharaToken, pool, amount)
  })
  return send(ctx, 'fundGrantPool', 'fund', [amount])
}

/** Makes SAHARA sent to the pool by plain transfer available. */
export async function syncGrantPool(ctx: WriteContext): Promise<TxResult & { amount: bigint }> {
  const tx = await send(ctx, 'syncGrantPool', 'sync', [])
  return { ...tx, amount: events(tx, 'Synced')[0]!.args.amount! }
}

/** Owner only: sets the committee (the zero address removes it). */
export function setGrantCommittee(ctx: WriteContext, p: { committee: Address }): Promise<TxResult> {
  return send(ctx, 'setGrantCommittee', 'setCommittee', [p.committee])
}

/** Owner only: the committee may commit `budget` SAHARA wei per `periodSeconds`; a new period starts now. */
export function setCommitteeBudget(
  ctx: WriteContext,
  p: { budget: bigint | number | string; periodSeconds: bigint | number | string },
): Promise<TxResult> {
  return send(ctx, 'setCommitteeBudget', 'setCommitteeBudget', [toBigInt(p.budget, 'budget'), Number(toBigInt(p.periodSeconds, 'periodSeconds'))])
}

/** Owner only: moves `amount` of available SAHARA wei to `to`. */
export function withdrawFromGrantPool(ctx: WriteContext, p: { to: Address; amount: bigint | number | string }): Promise<TxResult> {
  return send(ctx, 'withdrawFromGrantPool', 'withdraw', [p.to, toBigInt(p.amount, 'amount')])
}

export { send as _sendGrantPool, events as _grantPoolEvents }
