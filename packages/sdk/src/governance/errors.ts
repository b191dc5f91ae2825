import { SaharaError } from '../errors'
import type { ProposalStateName } from './proposal'

/**
 * A governance step is not possible in the proposal's current state, e.g.
 * "proposal 0x12…ab is Pending until 2026-11-26T05:10:00.000Z; voting opens then."
 */
export class GovernanceStateError extends SaharaError {
  override name = 'GovernanceStateError'
  readonly proposalId: bigint
  readonly state: ProposalStateName
  /** Unix seconds at which the state changes, when known (snapshot, deadline or eta). */
  readonly until?: bigint | undefined
  constructor(proposalId: bigint, state: ProposalStateName, message: string, until?: bigint) {
    super(message)
    this.proposalId = proposalId
    this.state = state
    this.until = until
  }
}

/** No proposal with this id was created on this governor (no ProposalCreated event). */
export class ProposalNotFoundError extends SaharaError {
  override name = 'ProposalNotFoundError'
  readonly proposalId: bigint
  constructor(proposalId: bigint, message: string) {
    super(message)
    this.proposalId = proposalId
  }
}
