import { getAddress, type Address } from 'viem'
import { getBlock, getContractEvents, readContract, simulateContract } from 'viem/actions'
import { saharaGovernorAbi, saharaTokenAbi } from '../abis/generated'
import { governanceContract } from '../deployments'
import { ContractError } from '../errors'
import { baseErrorContext, requireAccount, run, submit, toBigInt, type ReadContext, type TxResult, type WriteContext } from '../actions/_internal'
import { GovernanceStateError, ProposalNotFoundError } from './errors'
import { PROPOSAL_STATES, checkShape, descriptionHash, hashProposal, shortId, supportValue, type ProposalActions, type ProposalStateName, type VoteSupport } from './proposal'

export type ProposalInfo = {
  id: bigint
  state: ProposalStateName
  proposer: Address
  /** Unix seconds: votes are counted as of this time; voting opens right after it. */
  snapshot: bigint
  /** Unix seconds: the end of voting (including any late-quorum extension). */
  deadline: bigint
  /** Unix seconds at which a queued proposal becomes executable (0 when not queued). */
  eta: bigint
  votes: { for: bigint; against: bigint; abstain: bigint }
  /** Votes (For + Abstain) needed; known once the snapshot is in the past. */
  quorum?: bigint | undefined
  /** Chain time (latest block) when this was read. */
  now: bigint
}

const governor = (ctx: ReadContext) => ({ address: governanceContract(ctx.deployments, 'SaharaGovernor'), abi: saharaGovernorAbi })
const when = (t: bigint) => new Date(Number(t) * 1000).toISOString()
const errorCtx = (ctx: ReadContext, action: string) => () =>
  baseErrorContext(ctx.deployments, {
    action,
    contracts: {
      ...baseErrorContext(ctx.deployments).contracts,
      [governanceContract(ctx.deployments, 'SaharaGovernor').toLowerCase()]: 'SaharaGovernor',
    },
  })

async function chainTime(ctx: ReadContext): Promise<bigint> {
  return (await getBlock(ctx.publicClient, { blockTag: 'latest' })).timestamp
}

/** The state, timing and tally of a proposal. Throws ProposalNotFoundError for an unknown id. */
export async function getProposal(ctx: ReadContext, p: { proposalId: bigint | number | string }): Promise<ProposalInfo> {
  const id = toBigInt(p.proposalId, 'proposalId')
  const g = governor(ctx)
  return run(ctx, errorCtx(ctx, 'getProposal'), async () => {
    let stateIndex: number
    try {
      stateIndex = Number(await readContract(ctx.publicClient, { ...g, functionName: 'state', args: [id] }))
    } catch (err) {
      throw new ProposalNotFoundError(id, `There is no proposal ${shortId(id)} on the governor ${g.address}.`)
    }
    const [proposer, snapshot, deadline, eta, votes, now] = await Promise.all([
      readContract(ctx.publicClient, { ...g, functionName: 'proposalProposer', args: [id] }),
      readContract(ctx.publicClient, { ...g, functionName: 'proposalSnapshot', args: [id] }),
      readContract(ctx.publicClient, { ...g, functionName: 'proposalDeadline', args: [id] }),
      readContract(ctx.publicClient, { ...g, functionName: 'proposalEta', args: [id] }),
      readContract(ctx.publicClient, { ...g, functionName: 'proposalVotes', args: [id] }),
      chainTime(ctx),
    ])
    const quorum = snapshot < now ? await readContract(ctx.publicClient, { ...g, functionName: 'quorum', args: [snapshot] }) : undefined
    return {
      id,
      state: PROPOSAL_STATES[stateIndex]!,
      proposer: getAddress(proposer),
      snapshot,
      deadline,
      eta,
      votes: { against: votes[0], for: votes[1], abstain: votes[2] },
      quorum,
      now,
    }
  })
}

/** The targets, values, calldatas and description of a proposal, from its ProposalCreated event. */
export async function findProposal(ctx: ReadContext, p: { proposalId: bigint | number | string }): Promise<ProposalActions & { proposalId: bigint }> {
  const id = toBigInt(p.proposalId, 'proposalId')
  const g = governor(ctx)
  const logs = await getContractEvents(ctx.publicClient, { ...g, eventName: 'ProposalCreated', fromBlock: ctx.deployments.startBlock, toBlock: 'latest' })
  const log = logs.find((l) => l.args.proposalId === id)
  if (!log) throw new ProposalNotFoundError(id, `No ProposalCreated event for ${shortId(id)} on the governor ${g.address}.`)
  const a = log.args
  return { proposalId: id, targets: a.targets!, values: a.values!, calldatas: a.calldatas!, description: a.description! }
}

const stateError = (info: ProposalInfo, wanted: string): GovernanceStateError => {
  const id = shortId(info.id)
  switch (info.state) {
    case 'Pending':
      return new GovernanceStateError(info.id, info.state, `Proposal ${id} is Pending until ${when(info.snapshot)}; voting opens right after, so it cannot ${wanted} yet.`, info.snapshot)
    case 'Active':
      return new GovernanceStateError(info.id, info.state, `Proposal ${id} is Active until ${when(info.deadline)} (voting is open), so it cannot ${wanted} yet.`, info.deadline)
    case 'Queued':
      return new GovernanceStateError(info.id, info.state, `Proposal ${id} is Queued until ${when(info.eta)} (the timelock delay), so it cannot ${wanted} yet.`, info.eta)
    case 'Succeeded':
      return new GovernanceStateError(info.id, info.state, `Proposal ${id} has Succeeded but is not queued; queue it first, so it cannot ${wanted} yet.`)
    case 'Defeated':
      return new GovernanceStateError(
        info.id,
        info.state,
        `Proposal ${id} was Defeated at ${when(info.deadline)} (For ${info.votes.for}, Against ${info.votes.against}, Abstain ${info.votes.abstain}${info.quorum !== undefined ? `, quorum ${info.quorum}` : ''}), so it cannot ${wanted}.`,
      )
    default:
      return new GovernanceStateError(info.id, info.state, `Proposal ${id} is ${info.state}, so it cannot ${wanted}.`)
  }
}

/** Creates a proposal. Returns its id (also computable offline with hashProposal). */
export async function propose(ctx: WriteContext, p: ProposalActions): Promise<TxResult & { proposalId: bigint }> {
  checkShape(p)
  const proposalId = hashProposal(p)
  const exists = await getProposal(ctx, { proposalId }).catch((e) => (e instanceof ProposalNotFoundError ? undefined : Promise.reject(e)))
  if (exists) throw new GovernanceStateError(proposalId, exists.state, `Proposal ${shortId(proposalId)} already exists (${exists.state}); change the description to propose the same calls again.`)
  return run(ctx, errorCtx(ctx, 'propose'), async () => {
    const account = requireAccount(ctx.walletClient, 'propose')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      ...governor(ctx),
      functionName: 'propose',
      args: [[...p.targets], [...p.values], [...p.calldatas], p.description],
    })
    return { ...(await submit(ctx, request, 'propose')), proposalId }
  })
}

/** Casts a vote (for / against / abstain, optional reason). Refused with the state when voting is not open. */
export async function castVote(ctx: WriteContext, p: { proposalId: bigint | number | string; support: VoteSupport; reason?: string }): Promise<TxResult> {
  const support = supportValue(p.support)
  const info = await getProposal(ctx, p)
  if (info.state !== 'Active') throw stateError(info, 'take votes')
  const account = requireAccount(ctx.walletClient, 'castVote')
  const voted = await readContract(ctx.publicClient, { ...governor(ctx), functionName: 'hasVoted', args: [info.id, account.address] })
  if (voted) throw new GovernanceStateError(info.id, info.state, `${account.address} has already voted on proposal ${shortId(info.id)}.`)
  return run(ctx, errorCtx(ctx, 'castVote'), async () => {
    const { request } =
      p.reason !== undefined
        ? await simulateContract(ctx.publicClient, { account, ...governor(ctx), functionName: 'castVoteWithReason', args: [info.id, support, p.reason] })
        : await simulateContract(ctx.publicClient, { account, ...governor(ctx), functionName: 'castVote', args: [info.id, support] })
    return submit(ctx, request, 'castVote')
  })
}

/** The proposal's actions: given in full, or read from its ProposalCreated event by id. */
async function actionsOf(ctx: ReadContext, p: ProposalActions | { proposalId: bigint | number | string }): Promise<ProposalActions & { proposalId: bigint }> {
  if ('targets' in p) return { ...p, proposalId: hashProposal(p) }
  return findProposal(ctx, p)
}

/** Queues a succeeded proposal in the timelock (by its actions and description hash). */
export async function queue(ctx: WriteContext, p: ProposalActions | { proposalId: bigint | number | string }): Promise<TxResult & { proposalId: bigint; eta: bigint }> {
  const a = await actionsOf(ctx, p)
  const info = await getProposal(ctx, { proposalId: a.proposalId })
  if (info.state !== 'Succeeded') throw stateError(info, 'be queued')
  const result = await run(ctx, errorCtx(ctx, 'queue'), async () => {
    const account = requireAccount(ctx.walletClient, 'queue')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      ...governor(ctx),
      functionName: 'queue',
      args: [[...a.targets], [...a.values], [...a.calldatas], descriptionHash(a.description)],
    })
    return submit(ctx, request, 'queue')
  })
  const eta = await readContract(ctx.publicClient, { ...governor(ctx), functionName: 'proposalEta', args: [a.proposalId] })
  return { ...result, proposalId: a.proposalId, eta }
}

/** Executes a queued proposal whose timelock delay has passed. */
export async function execute(ctx: WriteContext, p: ProposalActions | { proposalId: bigint | number | string }): Promise<TxResult & { proposalId: bigint }> {
  const a = await actionsOf(ctx, p)
  const info = await getProposal(ctx, { proposalId: a.proposalId })
  if (info.state !== 'Queued') throw stateError(info, 'be executed')
  if (info.eta > info.now) throw stateError(info, 'be executed')
  try {
    return await run(ctx, errorCtx(ctx, 'execute'), async () => {
      const account = requireAccount(ctx.walletClient, 'execute')
      const { request } = await simulateContract(ctx.publicClient, {
        account,
        ...governor(ctx),
        functionName: 'execute',
        args: [[...a.targets], [...a.values], [...a.calldatas], descriptionHash(a.description)],
      })
      return { ...(await submit(ctx, request, 'execute')), proposalId: a.proposalId }
    })
  } catch (err) {
    // The latest block may be older than the eta the next block will have: say so plainly.
    if (err instanceof ContractError && err.errorName === 'TimelockUnexpectedOperationState') throw stateError(info, 'be executed')
    throw err
  }
}

/** The governor's votes source (SaharaToken today). */
export async function votesSource(ctx: ReadContext): Promise<Address> {
  return getAddress(await readContract(ctx.publicClient, { ...governor(ctx), functionName: 'token' }))
}

/**
 * Delegates the wallet's token voting power on SaharaToken (needed once, even to oneself: an
 * undelegated balance has no votes). Staked SAHARA needs no delegation: SaharaVotes counts it for
 * the staker's own account.
 */
export async function delegate(ctx: WriteContext, p: { delegatee: Address }): Promise<TxResult> {
  const source = ctx.deployments.contracts.SaharaToken
  return run(ctx, errorCtx(ctx, 'delegate'), async () => {
    const account = requireAccount(ctx.walletClient, 'delegate')
    const { request } = await simulateContract(ctx.publicClient, { account, address: source, abi: saharaTokenAbi, functionName: 'delegate', args: [getAddress(p.delegatee)] })
    return submit(ctx, request, 'delegate')
  })
}

/** Current votes of `account`, or its votes at a past `timepoint` (unix seconds). */
export async function getVotes(ctx: ReadContext, p: { account: Address; timepoint?: bigint }): Promise<bigint> {
  const source = await votesSource(ctx)
  if (p.timepoint === undefined) return readContract(ctx.publicClient, { address: source, abi: saharaTokenAbi, functionName: 'getVotes', args: [getAddress(p.account)] })
  return readContract(ctx.publicClient, { address: source, abi: saharaTokenAbi, functionName: 'getPastVotes', args: [getAddress(p.account), p.timepoint] })
}
