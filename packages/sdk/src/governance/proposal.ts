import { encodeAbiParameters, keccak256, toHex, type Address, type Hex } from 'viem'
import { InvalidArgumentError } from '../errors'

/** OpenZeppelin IGovernor.ProposalState, in enum order. */
export const PROPOSAL_STATES = ['Pending', 'Active', 'Canceled', 'Defeated', 'Succeeded', 'Queued', 'Expired', 'Executed'] as const
export type ProposalStateName = (typeof PROPOSAL_STATES)[number]

/** GovernorCountingSimple support values. */
export const VOTE_SUPPORT = { against: 0, for: 1, abstain: 2 } as const
export type VoteSupport = keyof typeof VOTE_SUPPORT | 0 | 1 | 2

/** What a proposal executes (through the timelock) and its description. */
export type ProposalActions = {
  targets: readonly Address[]
  values: readonly bigint[]
  calldatas: readonly Hex[]
  description: string
}

/** One call of a proposal; `calldata` helpers return these. */
export type ProposalCall = { target: Address; value: bigint; calldata: Hex; /** human summary */ summary: string }

/** Several calls plus a description -> the arrays propose/queue/execute take. */
export function toProposal(calls: readonly ProposalCall[], description: string): ProposalActions {
  if (calls.length === 0) throw new InvalidArgumentError('A proposal needs at least one call.')
  if (description.trim() === '') throw new InvalidArgumentError('A proposal needs a description (it is part of its id).')
  return { targets: calls.map((c) => c.target), values: calls.map((c) => c.value), calldatas: calls.map((c) => c.calldata), description }
}

/** keccak256 of the description: queue and execute identify a proposal by it. */
export function descriptionHash(description: string): Hex {
  return keccak256(toHex(description))
}

/** The governor's proposal id (Governor.hashProposal), computed locally. */
export function hashProposal(p: ProposalActions): bigint {
  checkShape(p)
  return BigInt(
    keccak256(
      encodeAbiParameters(
        [{ type: 'address[]' }, { type: 'uint256[]' }, { type: 'bytes[]' }, { type: 'bytes32' }],
        [p.targets, p.values, p.calldatas, descriptionHash(p.description)],
      ),
    ),
  )
}

export function checkShape(p: ProposalActions): void {
  if (p.targets.length === 0) throw new InvalidArgumentError('A proposal needs at least one target.')
  if (p.targets.length !== p.values.length || p.targets.length !== p.calldatas.length) {
    throw new InvalidArgumentError(`A proposal needs as many values and calldatas as targets (${p.targets.length} targets, ${p.values.length} values, ${p.calldatas.length} calldatas).`)
  }
}

export function supportValue(s: VoteSupport): 0 | 1 | 2 {
  if (s === 0 || s === 1 || s === 2) return s
  const v = VOTE_SUPPORT[String(s).toLowerCase() as keyof typeof VOTE_SUPPORT]
  if (v === undefined) throw new InvalidArgumentError(`Unknown vote "${String(s)}"; use for, against or abstain.`)
  return v
}

/** Short form of a proposal id for messages: 0x + first 6 and last 4 hex digits. */
export function shortId(id: bigint): string {
  const h = id.toString(16).padStart(64, '0')
  return `0x${h.slice(0, 6)}…${h.slice(-4)}`
}
