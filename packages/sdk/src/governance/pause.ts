import { encodeFunctionData, getAddress, isAddress, type Address } from 'viem'
import { readContract, simulateContract } from 'viem/actions'
import { guardianGateAbi, revenueVaultAbi } from '../abis/generated'
import { MODULE_NAMES, governanceContract, type Deployments, type ModuleName } from '../deployments'
import { InvalidArgumentError } from '../errors'
import { baseErrorContext, requireAccount, run, submit, type ReadContext, type TxResult, type WriteContext } from '../actions/_internal'
import type { ProposalCall } from './proposal'

// Pausing (issue 4 §3): every module inherits pause/unpause/setPauser/paused from ProtocolModule,
// so one module ABI (the vault's) encodes them for all.
const moduleAbi = revenueVaultAbi

/** The module's canonical name for a case-insensitive `module`; throws InvalidArgumentError otherwise. */
export function moduleName(module: string): ModuleName {
  const m = MODULE_NAMES.find((n) => n.toLowerCase() === module.toLowerCase())
  if (!m) throw new InvalidArgumentError(`Unknown module "${module}"; use one of ${MODULE_NAMES.join(', ')}.`)
  return m
}

/** Whether `module` is paused. */
export async function isPaused(ctx: ReadContext, p: { module: string }): Promise<boolean> {
  const m = moduleName(p.module)
  return run(ctx, { action: 'isPaused' }, () => readContract(ctx.publicClient, { address: ctx.deployments.contracts[m], abi: moduleAbi, functionName: 'paused' }))
}

/**
 * The guardian pauses `module` through the GuardianGate (the only way it can: the gate is the
 * module's pauser, and its power ends at its expiry). Simulated first, so a non-guardian, an
 * expired gate or an already paused module fail with a decoded error before anything is signed.
 */
export async function pauseModule(ctx: WriteContext, p: { module: string }): Promise<TxResult & { module: ModuleName }> {
  const m = moduleName(p.module)
  const account = requireAccount(ctx.walletClient, 'pauseModule')
  const gate = governanceContract(ctx.deployments, 'GuardianGate')
  const errorCtx = () => baseErrorContext(ctx.deployments, { action: 'pauseModule', contracts: { ...baseErrorContext(ctx.deployments).contracts, [gate.toLowerCase()]: 'GuardianGate' } })
  return run(ctx, errorCtx, async () => {
    const { request } = await simulateContract(ctx.publicClient, { address: gate, abi: guardianGateAbi, functionName: 'pause', args: [ctx.deployments.contracts[m]], account })
    return { ...(await submit(ctx, request, 'pauseModule')), module: m }
  })
}

/** `module`.unpause(): resuming is the timelock's decision, so this is a proposal call. */
export function unpauseCall(d: Deployments, module: string): ProposalCall {
  const m = moduleName(module)
  return { target: d.contracts[m], value: 0n, calldata: encodeFunctionData({ abi: moduleAbi, functionName: 'unpause' }), summary: `${m}.unpause()` }
}

/** `module`.setPauser(account, allowed): grant or revoke the right to pause (a proposal call). */
export function setPauserCall(d: Deployments, module: string, account: string, allowed: boolean): ProposalCall {
  const m = moduleName(module)
  if (!isAddress(account, { strict: false })) throw new InvalidArgumentError(`account must be an address, got "${account}".`)
  const a: Address = getAddress(account)
  return { target: d.contracts[m], value: 0n, calldata: encodeFunctionData({ abi: moduleAbi, functionName: 'setPauser', args: [a, allowed] }), summary: `${m}.setPauser(${a}, ${allowed})` }
}
