import type { Address, Hex } from 'viem'
import { getContractEvents, readContract } from 'viem/actions'
import { grantPoolAbi } from '../abis/generated'
import { grantPoolContract } from '../deployments'
import { GRANT_STATUS_NAMES, InvalidArgumentError } from '../errors'
import { run, toBigInt, type ReadContext } from '../actions/_internal'

export type GrantStatus = (typeof GRANT_STATUS_NAMES)[number]

export type GrantMilestone = { index: number; amount: bigint; paid: boolean }

export type Grant = {
  id: bigint
  applicant: Address
  recipient: Address
  status: GrantStatus
  approvedByCommittee: boolean
  /** keccak256 of the metadata URI. */
  metadataHash: Hex
  /** The metadata URI from the ApplicationSubmitted event (undefined if the log is out of range). */
  uri?: string | undefined
  total: bigint
  paid: bigint
  milestones: GrantMilestone[]
}

export type GrantPoolState = {
  address: Address
  token: Address
  owner: Address
  committee: Address
  available: bigint
  reservedForGrants: bigint
  reservedForRounds: bigint
  /** Tokens sent by plain transfer that `sync` would make available. */
  unaccounted: bigint
  budget: { perPeriod: bigint; periodSeconds: bigint; periodStart: bigint; spent: bigint; remaining: bigint }
  grantCount: bigint
  roundCount: bigint
}

export type RewardRound = {
  id: bigint
  root: Hex
  total: bigint
  remaining: bigint
  deadline: bigint
  closed: boolean
  byCommittee: boolean
}

type RawGrant = {
  applicant: Address
  recipient: Address
  status: number
  approvedByCommittee: boolean
  paidMask: number
  metadataHash: Hex
  total: bigint
  paid: bigint
  milestones: readonly bigint[]
}

function toGrant(id: bigint, g: RawGrant, uri: string | undefined): Grant {
  return {
    id,
    applicant: g.applicant,
    recipient: g.recipient,
    status: GRANT_STATUS_NAMES[g.status] ?? 'None',
    approvedByCommittee: g.approvedByCommittee,
    metadataHash: g.metadataHash,
    uri,
    total: g.total,
    paid: g.paid,
    milestones: g.milestones.map((amount, index) => ({ index, amount, paid: (g.paidMask & (1 << index)) !== 0 })),
  }
}

/** Every metadata URI by grant id, from the ApplicationSubmitted logs since the deployment block. */
async function grantUris(ctx: ReadContext, pool: Address, grantId?: bigint): Promise<Map<bigint, string>> {
  const logs = await getContractEvents(ctx.publicClient, {
    address: pool,
    abi: grantPoolAbi,
    eventName: 'ApplicationSubmitted',
    ...(grantId !== undefined ? { args: { grantId } } : {}),
    fromBlock: ctx.deployments.startBlock,
    toBlock: 'latest',
  })
  return new Map(logs.map((l) => [l.args.grantId!, l.args.uri!]))
}

/** Balances, reserves, committee and budget of the grant pool. */
export async function getGrantPool(ctx: ReadContext): Promise<GrantPoolState> {
  return run(ctx, { action: 'getGrantPool' }, async () => {
    const address = grantPoolContract(ctx.deployments)
    const at = { address, abi: grantPoolAbi } as const
    const pc = ctx.publicClient
    const [token, owner, committee, available, reservedForGrants, reservedForRounds, unaccounted, grantCount, roundCount, budget] =
      await Promise.all([
        readContract(pc, { ...at, functionName: 'token' }),
        readContract(pc, { ...at, functionName: 'owner' }),
        readContract(pc, { ...at, functionName: 'committee' }),
        readContract(pc, { ...at, functionName: 'available' }),
        readContract(pc, { ...at, functionName: 'reservedForGrants' }),
        readContract(pc, { ...at, functionName: 'reservedForRounds' }),
        readContract(pc, { ...at, functionName: 'unaccounted' }),
        readContract(pc, { ...at, functionName: 'grantCount' }),
        readContract(pc, { ...at, functionName: 'roundCount' }),
        readContract(pc, { ...at, functionName: 'committeeBudget' }),
      ])
    const [perPeriod, periodSeconds, periodStart, spent, remaining] = budget
    return {
      address,
      token,
      owner,
      committee,
      available,
      reservedForGrants,
      reservedForRounds,
      unaccounted,
      budget: { perPeriod, periodSeconds, periodStart, spent, remaining },
      grantCount,
      roundCount,
    }
  })
}

/** One grant with its milestones and metadata URI; ContractError UnknownGrant when it does not exist. */
export async function getGrant(ctx: ReadContext, p: { grantId: bigint | number | string }): Promise<Grant> {
  return run(ctx, { action: 'getGrant' }, async () => {
    const id = toBigInt(p.grantId, 'grantId')
    const address = grantPoolContract(ctx.deployments)
    const [raw, uris] = await Promise.all([
      readContract(ctx.publicClient, { address, abi: grantPoolAbi, functionName: 'getGrant', args: [id] }),
      grantUris(ctx, address, id),
    ])
    return toGrant(id, raw as RawGrant, uris.get(id))
  })
}

export type ListGrantsParams = {
  status?: GrantStatus | undefined
  applicant?: Address | undefined
  recipient?: Address | undefined
  /** Newest first when true (default false: by id). */
  newestFirst?: boolean | undefined
  /** At most this many grants (after filtering). */
  limit?: number | undefined
}

/** Every grant (ids 1..grantCount, read from the pool), filtered. */
export async function listGrants(ctx: ReadContext, p: ListGrantsParams = {}): Promise<Grant[]> {
  if (p.limit !== undefined && (!Number.isSafeInteger(p.limit) || p.limit < 0)) {
    throw new InvalidArgumentError(`limit must be a non-negative integer, got "${String(p.limit)}".`)
  }
  if (p.status !== undefined && !GRANT_STATUS_NAMES.includes(p.status)) {
    throw new InvalidArgumentError(`Unknown grant status "${String(p.status)}"; use one of ${GRANT_STATUS_NAMES.slice(1).join(', ')}.`)
  }
  return run(ctx, { action: 'listGrants' }, async () => {
    const address = grantPoolContract(ctx.deployments)
    const [count, uris] = await Promise.all([
      readContract(ctx.publicClient, { address, abi: grantPoolAbi, functionName: 'grantCount' }),
      grantUris(ctx, address),
    ])
    const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1))
    if (p.newestFirst) ids.reverse()
    const raws = await Promise.all(ids.map((id) => readContract(ctx.publicClient, { address, abi: grantPoolAbi, functionName: 'getGrant', args: [id] })))
    const eq = (a: Address, b: Address | undefined) => b === undefined || a.toLowerCase() === b.toLowerCase()
    const grants = ids
      .map((id, i) => toGrant(id, raws[i] as RawGrant, uris.get(id)))
      .filter((g) => (p.status === undefined || g.status === p.status) && eq(g.applicant, p.applicant) && eq(g.recipient, p.recipient))
    return p.limit === undefined ? grants : grants.slice(0, p.limit)
  })
}

/** One reward round; ContractError UnknownRound when it does not exist. */
export async function getRewardRound(ctx: ReadContext, p: { roundId: bigint | number | string }): Promise<RewardRound> {
  return run(ctx, { action: 'getRewardRound' }, async () => {
    const id = toBigInt(p.roundId, 'roundId')
    const r = await readContract(ctx.publicClient, {
      address: grantPoolContract(ctx.deployments),
      abi: grantPoolAbi,
      functionName: 'getRewardRound',
      args: [id],
    })
    return { id, root: r.root, total: r.total, remaining: r.remaining, deadline: BigInt(r.deadline), closed: r.closed, byCommittee: r.byCommittee }
  })
}

/** Whether `account` already claimed in round `roundId`. */
export async function isRewardClaimed(ctx: ReadContext, p: { roundId: bigint | number | string; account: Address }): Promise<boolean> {
  return run(ctx, { action: 'isRewardClaimed' }, () =>
    readContract(ctx.publicClient, {
      address: grantPoolContract(ctx.deployments),
      abi: grantPoolAbi,
      functionName: 'isClaimed',
      args: [toBigInt(p.roundId, 'roundId'), p.account],
    }),
  )
}
