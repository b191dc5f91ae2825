import { encodeFunctionData, getAddress, isAddress, type Address, type Hex } from 'viem'
import { nodeRegistryAbi, paymentChannelsAbi, revenueVaultAbi, saharaGovernorAbi, saharaTimelockAbi } from '../abis/generated'
import { MODULE_NAMES, governanceContract, type Deployments, type ModuleName } from '../deployments'
import { InvalidArgumentError } from '../errors'
import type { ProposalCall } from './proposal'

// Calldata for the common governance actions, so a proposal is one command. Each returns the
// call the timelock will make (target, value, calldata) and a one-line summary.

const addr = (a: string, what: string): Address => {
  if (!isAddress(a, { strict: false })) throw new InvalidArgumentError(`${what} must be an address, got "${a}".`)
  return getAddress(a)
}

/** RevenueVault.setProtocolFee(bps): the protocol's cut of every payment, 0-10000 bps (the vault enforces its own cap). */
export function setProtocolFeeCall(d: Deployments, bps: number): ProposalCall {
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) throw new InvalidArgumentError(`The protocol fee must be whole basis points from 0 to 10000, got ${bps}.`)
  return { target: d.contracts.RevenueVault, value: 0n, calldata: encodeFunctionData({ abi: revenueVaultAbi, functionName: 'setProtocolFee', args: [bps] }), summary: `RevenueVault.setProtocolFee(${bps})` }
}

/** RevenueVault.setPaymentToken(token, allowed): the payment token allowlist. */
export function setPaymentTokenCall(d: Deployments, token: string, allowed: boolean): ProposalCall {
  const t = addr(token, 'token')
  return { target: d.contracts.RevenueVault, value: 0n, calldata: encodeFunctionData({ abi: revenueVaultAbi, functionName: 'setPaymentToken', args: [t, allowed] }), summary: `RevenueVault.setPaymentToken(${t}, ${allowed})` }
}

/** RevenueVault.setTreasury(treasury): where protocol fees go. */
export function setTreasuryCall(d: Deployments, treasury: string): ProposalCall {
  const t = addr(treasury, 'treasury')
  return { target: d.contracts.RevenueVault, value: 0n, calldata: encodeFunctionData({ abi: revenueVaultAbi, functionName: 'setTreasury', args: [t] }), summary: `RevenueVault.setTreasury(${t})` }
}

/** NodeRegistry.setMinStake(wei). */
export function setMinStakeCall(d: Deployments, wei: bigint): ProposalCall {
  const target = d.contracts.NodeRegistry
  if (!target) throw new InvalidArgumentError(`The deployments for chain ${d.chainId} have no NodeRegistry.`)
  return { target, value: 0n, calldata: encodeFunctionData({ abi: nodeRegistryAbi, functionName: 'setMinStake', args: [wei] }), summary: `NodeRegistry.setMinStake(${wei})` }
}

/** NodeRegistry.setUnbondingDelay(seconds). */
export function setUnbondingDelayCall(d: Deployments, seconds: bigint): ProposalCall {
  const target = d.contracts.NodeRegistry
  if (!target) throw new InvalidArgumentError(`The deployments for chain ${d.chainId} have no NodeRegistry.`)
  return { target, value: 0n, calldata: encodeFunctionData({ abi: nodeRegistryAbi, functionName: 'setUnbondingDelay', args: [seconds] }), summary: `NodeRegistry.setUnbondingDelay(${seconds})` }
}

/** PaymentChannels.setChallengeWindow(seconds). */
export function setChallengeWindowCall(d: Deployments, seconds: bigint): ProposalCall {
  const target = d.contracts.PaymentChannels
  if (!target) throw new InvalidArgumentError(`The deployments for chain ${d.chainId} have no PaymentChannels.`)
  return { target, value: 0n, calldata: encodeFunctionData({ abi: paymentChannelsAbi, functionName: 'setChallengeWindow', args: [seconds] }), summary: `PaymentChannels.setChallengeWindow(${seconds})` }
}

/** upgradeToAndCall(impl, data) on a module's proxy (UUPS; only the timelock may). */
export function upgradeCall(d: Deployments, module: string, implementation: string, data: Hex = '0x'): ProposalCall {
  const m = MODULE_NAMES.find((n) => n.toLowerCase() === module.toLowerCase()) as ModuleName | undefined
  if (!m) throw new InvalidArgumentError(`Unknown module "${module}"; use one of ${MODULE_NAMES.join(', ')}.`)
  const impl = addr(implementation, 'implementation')
  return {
    target: d.contracts[m],
    value: 0n,
    // Every module inherits UUPSUpgradeable.upgradeToAndCall; the vault ABI carries it.
    calldata: encodeFunctionData({ abi: revenueVaultAbi, functionName: 'upgradeToAndCall', args: [impl, data] }),
    summary: `${m}.upgradeToAndCall(${impl}, ${data})`,
  }
}

/** SaharaTimelock.updateDelay(seconds). */
export function updateTimelockDelayCall(d: Deployments, seconds: bigint): ProposalCall {
  return { target: governanceContract(d, 'SaharaTimelock'), value: 0n, calldata: encodeFunctionData({ abi: saharaTimelockAbi, functionName: 'updateDelay', args: [seconds] }), summary: `SaharaTimelock.updateDelay(${seconds})` }
}

/** SaharaGovernor.setVotingPeriod(seconds) (the governor obeys its own executed proposals). */
export function setVotingPeriodCall(d: Deployments, seconds: number): ProposalCall {
  return { target: governanceContract(d, 'SaharaGovernor'), value: 0n, calldata: encodeFunctionData({ abi: saharaGovernorAbi, functionName: 'setVotingPeriod', args: [seconds] }), summary: `SaharaGovernor.setVotingPeriod(${seconds})` }
}
