import {
  formatAmount,
  setChallengeWindowCall,
  setMinStakeCall,
  setPaymentTokenCall,
  setProtocolFeeCall,
  setTreasuryCall,
  setUnbondingDelayCall,
  setPauserCall,
  toProposal,
  unpauseCall,
  upgradeCall,
  type Deployments,
  type ProposalCall,
} from '@sahara/sdk'
import type { Command } from 'commander'
import { isHex, parseUnits, type Address, type Hex } from 'viem'
import { connect } from '../context'
import { UsageError } from '../errors'
import { emit, table, type GlobalOptions } from '../output'
import { parseAddress, parseBps, parseDuration } from '../parse'

/** A proposal id as the governor prints it: decimal or 0x hex. */
function parseProposalId(value: string): bigint {
  const v = value.trim()
  if (!/^(\d+|0x[0-9a-fA-F]{1,64})$/.test(v)) throw new UsageError(`The proposal id must be a decimal or 0x hex number, got "${value}".`)
  return BigInt(v)
}

const when = (t: bigint) => (t === 0n ? '-' : new Date(Number(t) * 1000).toISOString())
const sahara18 = (wei: bigint) => formatAmount(wei, 18, 'SAHARA')

function parseBool(value: string, what: string): boolean {
  if (value === 'true' || value === 'allow') return true
  if (value === 'false' || value === 'deny') return false
  throw new UsageError(`${what} must be true or false, got "${value}".`)
}

/** "<target>:<calldata>" or "<target>:<value>:<calldata>" (value in wei). */
function parseRawCall(value: string): ProposalCall {
  const parts = value.split(':')
  if (parts.length !== 2 && parts.length !== 3) throw new UsageError(`--call "${value}" must look like <target>:<calldata> or <target>:<weiValue>:<calldata>.`)
  const target = parseAddress(parts[0]!, '--call target')
  const data = parts[parts.length - 1]!
  if (!isHex(data)) throw new UsageError(`--call calldata must be 0x hex, got "${data}".`)
  const v = parts.length === 3 ? parts[1]! : '0'
  if (!/^\d+$/.test(v)) throw new UsageError(`--call value must be whole wei, got "${v}".`)
  return { target, value: BigInt(v), calldata: data as Hex, summary: `${target} ${data.slice(0, 10)}` }
}

/** The common actions, shared by `gov calldata <action>` and `gov propose --<action>`. */
const ACTIONS: { name: string; args: string; describe: string; build(d: Deployments, args: string[]): ProposalCall }[] = [
  { name: 'set-protocol-fee', args: '<bps>', describe: 'RevenueVault protocol fee in basis points', build: (d, [bps]) => setProtocolFeeCall(d, parseBps(bps!, 'the fee')) },
  {
    name: 'set-payment-token',
    args: '<token> <true|false>',
    describe: 'allow or remove a payment token (SAHARA, USDT or an address)',
    build: (d, [t, allowed]) => setPaymentTokenCall(d, t!.toUpperCase() === 'SAHARA' ? d.contracts.SaharaToken : t!.toUpperCase() === 'USDT' ? d.contracts.USDT : t!, parseBool(allowed!, 'allowed')),
  },
  { name: 'set-treasury', args: '<address>', describe: 'where RevenueVault protocol fees go', build: (d, [a]) => setTreasuryCall(d, parseAddress(a!, 'treasury')) },
  {
    name: 'set-min-stake',
    args: '<SAHARA>',
    describe: 'NodeRegistry minimum stake in whole SAHARA',
    build: (d, [v]) => {
      if (!/^\d+(\.\d{1,18})?$/.test(v!)) throw new UsageError(`The minimum stake must be whole SAHARA like 1000 or 0.5, got "${v}".`)
      return setMinStakeCall(d, parseUnits(v!, 18))
    },
  },
  { name: 'set-unbonding', args: '<duration>', describe: 'NodeRegistry unbonding delay (e.g. 7d)', build: (d, [v]) => setUnbondingDelayCall(d, BigInt(parseDuration(v!))) },
  { name: 'set-challenge-window', args: '<duration>', describe: 'PaymentChannels challenge window (e.g. 1d)', build: (d, [v]) => setChallengeWindowCall(d, BigInt(parseDuration(v!))) },
  { name: 'unpause', args: '<module>', describe: 'resume a module the guardian paused (only the timelock may)', build: (d, [m]) => unpauseCall(d, m!) },
  {
    name: 'set-pauser',
    args: '<module> <address> <true|false>',
    describe: 'grant or revoke the right to pause a module',
    build: (d, [m, a, allowed]) => setPauserCall(d, m!, parseAddress(a!, 'pauser'), parseBool(allowed!, 'allowed')),
  },
  { name: 'upgrade', args: '<module> <implementation>', describe: 'UUPS upgrade of a module proxy to a deployed implementation', build: (d, [m, impl]) => upgradeCall(d, m!, parseAddress(impl!, 'implementation')) },
]

const callJson = (c: ProposalCall) => ({ target: c.target, value: c.value, calldata: c.calldata, summary: c.summary })

export function govCommand(program: Command): void {
  const gov = program.command('gov').description('DAO governance: propose, vote, queue, execute through the governor and its timelock')

  const calldata = gov.command('calldata').description('print the call a proposal would make for a common action (no transaction)')
  for (const a of ACTIONS) {
    const cmd = calldata.command(a.name).description(a.describe)
    for (const arg of a.args.split(' ')) cmd.argument(arg)
    cmd.action(async (...raw: unknown[]) => {
      const c = raw[raw.length - 1] as Command
      const args = raw.slice(0, a.args.split(' ').length) as string[]
      const opts = c.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, false)
      const call = a.build(ctx.sahara.deployments, args)
      emit(opts, callJson(call), () => table([['call', call.summary], ['target', call.target], ['value', call.value], ['calldata', call.calldata]]))
    })
  }

  gov
    .command('propose')
    .description('create a proposal from common actions and/or raw calls (executed in order by the timelock)')
    .requiredOption('-d, --description <text>', 'what the proposal does (part of its id)')
    .option('--set-protocol-fee <bps>', 'RevenueVault.setProtocolFee')
    .option('--upgrade <module=implementation>', 'upgrade a module proxy (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--call <target:calldata>', 'a raw call, e.g. from `sahara gov calldata` (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (o: { description: string; setProtocolFee?: string; upgrade: string[]; call: string[] }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, true)
      const d = ctx.sahara.deployments
      const calls: ProposalCall[] = []
      if (o.setProtocolFee !== undefined) calls.push(setProtocolFeeCall(d, parseBps(o.setProtocolFee, '--set-protocol-fee')))
      for (const u of o.upgrade) {
        const [m, impl] = u.split('=')
        if (!m || !impl) throw new UsageError(`--upgrade "${u}" must look like <module>=<implementation address>.`)
        calls.push(upgradeCall(d, m, parseAddress(impl, '--upgrade implementation')))
      }
      calls.push(...o.call.map(parseRawCall))
      if (calls.length === 0) throw new UsageError('Give the proposal at least one action: --set-protocol-fee, --upgrade or --call.')
      const p = toProposal(calls, o.description)
      const r = await ctx.sahara.propose(p)
      const info = await ctx.sahara.getProposal({ proposalId: r.proposalId })
      emit(opts, { proposalId: r.proposalId, calls: calls.map(callJson), description: o.description, snapshot: info.snapshot, deadline: info.deadline, tx: r.hash }, () => [
        `Proposed ${r.proposalId}`,
        ...table(
          [
            ...calls.map((c, i): [string, string] => [`call ${i + 1}`, c.summary]),
            ['voting opens', `after ${when(info.snapshot)}`],
            ['voting ends', when(info.deadline)],
            ['tx', r.hash],
          ],
          '  ',
        ),
      ])
    })

  gov
    .command('vote')
    .description('cast a vote on an active proposal')
    .argument('<proposalId>')
    .argument('<support>', 'for, against or abstain')
    .option('--reason <text>', 'reason recorded on chain')
    .action(async (id: string, support: string, o: { reason?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const proposalId = parseProposalId(id)
      if (!['for', 'against', 'abstain'].includes(support.toLowerCase())) throw new UsageError(`The vote must be for, against or abstain, got "${support}".`)
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.castVote({ proposalId, support: support.toLowerCase() as 'for', ...(o.reason !== undefined ? { reason: o.reason } : {}) })
      emit(opts, { proposalId, support: support.toLowerCase(), tx: r.hash }, () => `Voted ${support.toLowerCase()} on ${proposalId} (tx ${r.hash})`)
    })

  gov
    .command('queue')
    .description('queue a succeeded proposal in the timelock')
    .argument('<proposalId>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.queue({ proposalId: parseProposalId(id) })
      emit(opts, { proposalId: r.proposalId, eta: r.eta, tx: r.hash }, () => `Queued ${r.proposalId}; executable from ${when(r.eta)} (tx ${r.hash})`)
    })

  gov
    .command('execute')
    .description('execute a queued proposal once the timelock delay has passed')
    .argument('<proposalId>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.execute({ proposalId: parseProposalId(id) })
      emit(opts, { proposalId: r.proposalId, tx: r.hash }, () => `Executed ${r.proposalId} (tx ${r.hash})`)
    })

  gov
    .command('status')
    .description('state, votes, deadlines and eta of a proposal')
    .argument('<proposalId>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, false)
      const info = await ctx.sahara.getProposal({ proposalId: parseProposalId(id) })
      const actions = await ctx.sahara.findProposal({ proposalId: info.id })
      emit(opts, { ...info, description: actions.description, targets: actions.targets, calldatas: actions.calldatas }, () => [
        `Proposal ${info.id}: ${info.state}`,
        ...table(
          [
            ['description', actions.description],
            ['proposer', info.proposer],
            ['snapshot', when(info.snapshot)],
            ['deadline', when(info.deadline)],
            ['eta', info.eta === 0n ? undefined : when(info.eta)],
            ['for', sahara18(info.votes.for)],
            ['against', sahara18(info.votes.against)],
            ['abstain', sahara18(info.votes.abstain)],
            ['quorum', info.quorum === undefined ? undefined : sahara18(info.quorum)],
            ['calls', String(actions.targets.length)],
          ],
          '  ',
        ),
      ])
    })

  gov
    .command('pause')
    .description('the guardian pauses a module through the GuardianGate (new activity stops; exits keep working); only a proposal unpauses it')
    .argument('<module>', 'AssetRegistry, LicenseRegistry, ContributionShares, RevenueVault, NodeRegistry, PaymentChannels or ExactPayments')
    .action(async (module: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.pauseModule({ module })
      emit(opts, { module: r.module, paused: true, tx: r.hash }, () => `Paused ${r.module} (tx ${r.hash}); resume it with a proposal: sahara gov calldata unpause ${r.module}`)
    })

  gov
    .command('delegate')
    .description('delegate your voting power (to yourself by default); an undelegated balance has no votes')
    .argument('[delegatee]', 'address (default: your own)')
    .action(async (to: string | undefined, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, true)
      const delegatee: Address = to === undefined ? ctx.requireAccount() : parseAddress(to, 'delegatee')
      const r = await ctx.sahara.delegate({ delegatee })
      const votes = await ctx.sahara.getVotes({ account: delegatee })
      emit(opts, { delegatee, votes, tx: r.hash }, () => `Delegated to ${delegatee}; it now has ${sahara18(votes)} of votes (tx ${r.hash})`)
    })

  gov
    .command('votes')
    .description('current voting power of an account')
    .argument('[account]', 'address (default: your own)')
    .action(async (who: string | undefined, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, false)
      const account: Address = who === undefined ? ctx.requireAccount() : parseAddress(who, 'account')
      const votes = await ctx.sahara.getVotes({ account })
      emit(opts, { account, votes }, () => `${account} has ${sahara18(votes)} of votes`)
    })
}
