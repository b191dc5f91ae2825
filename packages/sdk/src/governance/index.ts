export { GovernanceStateError, ProposalNotFoundError } from './errors'
export {
  PROPOSAL_STATES,
  VOTE_SUPPORT,
  descriptionHash,
  hashProposal,
  shortId,
  supportValue,
  toProposal,
  type ProposalActions,
  type ProposalCall,
  type ProposalStateName,
  type VoteSupport,
} from './proposal'
export { castVote, delegate, execute, findProposal, getProposal, getVotes, propose, queue, votesSource, type ProposalInfo } from './actions'
export {
  setChallengeWindowCall,
  setMinStakeCall,
  setPaymentTokenCall,
  setProtocolFeeCall,
  setTreasuryCall,
  setUnbondingDelayCall,
  setVotingPeriodCall,
  updateTimelockDelayCall,
  upgradeCall,
} from './calldata'
export { isPaused, moduleName, pauseModule, setPauserCall, unpauseCall } from './pause'
