// The execution contracts' ABIs (generated from contracts/out like the others); a separate module
// so the payment actions import them from one place.
export { exactPaymentsAbi, nodeRegistryAbi, nodeStakingAbi, paymentChannelsAbi, saharaVotesAbi } from './generated'
