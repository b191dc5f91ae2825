// The staking contracts' ABIs (generated from contracts/out like the others); one import point for
// the staking actions.
export { nodeStakingAbi, saharaVotesAbi } from './generated'
