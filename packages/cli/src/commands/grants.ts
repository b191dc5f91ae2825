import { readFileSync } from 'node:fs'
import {
  encodeGrantPoolCall,
  findRewardEntry,
  formatAmount,
  GRANT_STATUS_NAMES,
  parseAmount,
  resolveDeployments,
  type Grant,
  type GrantPoolCall,
  type GrantStatus,
} from '@sahara/sdk'
import type { Command } from 'commander'
import { createPublicClient, http, isHex, type Address, type Hex } from 'viem'
import { getChainId } from 'viem/actions'
import { connect } from '../context'
import { UsageError } from '../errors'
import { emit, table, type GlobalOptions } from '../output'
import { parseAddress, parseCount, parseDuration, parseId } from '../parse'
import { airdropBuildAction } from './airdrop'

const S = (v: bigint) => formatAmount(v, 18, 'SAHARA')
const sahara = (value: string, what: string): bigint => {
  try {
    return parseAmount(value, 18, 'SAHARA')
  } catch {
    throw new UsageError(`${what} must be an amount of SAHARA like 1500 or 0.25, got "${value}".`)
  }
}

/**
 * Prints a pool call as a governance proposal action instead of sending it: the DAO timelock owns
 * the pool in production, so owner-only actions go through a proposal carrying this calldata.
 */
async function printCalldata(opts: GlobalOptions, functionName: Parameters<typeof encodeGrantPoolCall>[1], args: readonly unknown[]): Promise<void> {
  let chainId: number
  try {
    chainId = await getChainId(createPublicClient({ transport: http(opts.rpcUrl, { retryCount: 0, timeout: 15_000 }) }))
  } catch {
    throw new UsageError(`Cannot reach the node at ${opts.rpcUrl} to find the deployments for its chain.`)
  }
  const d = resolveDeployments({ chainId, path: opts.deployments })
  const call: GrantPoolCall = encodeGrantPoolCall(d, functionName, args as never)
  emit(opts, { function: functionName, ...call }, () => table([['function', functionName], ['to', call.to], ['value', call.value], ['data', call.data]]))
}

function grantLines(g: Grant): string[] {
  return [
    `Grant #${g.id}: ${g.status.toLowerCase()}${g.approvedByCommittee ? ' (approved by the committee)' : ''}`,
    ...table(
      [
        ['applicant', g.applicant],
        ['recipient', g.recipient],
        ['uri', g.uri],
        ['total', S(g.total)],
        ['paid', S(g.paid)],
      ],
      '  ',
    ),
    ...g.milestones.map((m) => `  milestone ${m.index}  ${S(m.amount)}${m.paid ? '  paid' : ''}`),
  ]
}

type Proofs = { root: Hex; total: string; entries: { account: Address; amount: string; proof: Hex[] }[] }

function readProofs(file: string): Proofs {
  let j: Proofs
  try {
    j = JSON.parse(readFileSync(file, 'utf8')) as Proofs
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new UsageError(code === 'ENOENT' ? `The proofs file ${file} does not exist.` : `The proofs file ${file} is not readable JSON.`)
  }
  if (!j || !isHex(j.root) || typeof j.total !== 'string' || !Array.isArray(j.entries)) {
    throw new UsageError(`${file} is not a proofs.json written by \`sahara grants rewards build\`.`)
  }
  return j
}

export function grantsCommand(program: Command): void {
  const grants = program.command('grants').description('developer grant pool: applications, milestones, committee budget, event rewards')

  /** Sends a pool write with a key, or prints its calldata with --calldata (no key needed). */
  const ownerOption = (c: Command) => c.option('--calldata', 'print the call for a governance proposal instead of sending it', false)

  grants
    .command('apply')
    .description('apply for a grant (amounts in whole SAHARA)')
    .requiredOption('--uri <uri>', 'where the proposal lives (ipfs://..., https://...)')
    .requiredOption('--milestone <amount>', 'amount of one milestone; repeat for each, in order', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--recipient <address>', 'receives the payments (default: your account)')
    .action(async (o: { uri: string; milestone: string[]; recipient?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const milestones = o.milestone.map((m, i) => sahara(m, `Milestone ${i}`))
      const recipient = o.recipient ? parseAddress(o.recipient, '--recipient') : undefined
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.applyForGrant({ uri: o.uri, milestones, recipient })
      emit(opts, { grantId: r.grantId, total: r.total, tx: r.hash }, () => [`Applied: grant #${r.grantId} for ${S(r.total)} in ${milestones.length} milestone(s)`, ...table([['tx', r.hash]], '  ')])
    })

  grants
    .command('list')
    .description('list grants (newest first)')
    .option('--status <status>', `only this status: ${GRANT_STATUS_NAMES.slice(1).join(', ')}`)
    .option('--applicant <address>', 'only this applicant')
    .option('--recipient <address>', 'only this recipient')
    .option('--limit <n>', 'at most this many')
    .action(async (o: { status?: string; applicant?: string; recipient?: string; limit?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      let status: GrantStatus | undefined
      if (o.status !== undefined) {
        status = GRANT_STATUS_NAMES.find((s) => s.toLowerCase() === o.status!.toLowerCase())
        if (!status || status === 'None') throw new UsageError(`Unknown status "${o.status}"; use one of ${GRANT_STATUS_NAMES.slice(1).join(', ')}.`)
      }
      const ctx = await connect(opts, false)
      const list = await ctx.sahara.listGrants({
        status,
        applicant: o.applicant ? parseAddress(o.applicant, '--applicant') : undefined,
        recipient: o.recipient ? parseAddress(o.recipient, '--recipient') : undefined,
        limit: o.limit !== undefined ? Number(parseCount(o.limit, '--limit')) : undefined,
        newestFirst: true,
      })
      emit(opts, list, () =>
        list.length === 0
          ? 'No grants.'
          : list.map((g) => `#${g.id}  ${g.status.padEnd(9)}  ${S(g.paid)} / ${S(g.total)}  ${g.recipient}  ${g.uri ?? ''}`.trimEnd()),
      )
    })

  grants
    .command('show')
    .description('one grant with its milestones')
    .argument('<id>', 'grant id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, false)
      const g = await ctx.sahara.getGrant({ grantId: parseId(id, 'The grant id') })
      emit(opts, g, () => grantLines(g))
    })

  grants
    .command('withdraw')
    .description('withdraw your pending application')
    .argument('<id>', 'grant id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.withdrawGrantApplication({ grantId: parseId(id, 'The grant id') })
      emit(opts, { grantId: BigInt(id), tx: r.hash }, () => `Withdrew application #${id} (tx ${r.hash})`)
    })

  grants
    .command('recipient')
    .description('as the recipient, name a new recipient of a grant')
    .argument('<id>', 'grant id')
    .argument('<address>', 'the new recipient')
    .action(async (id: string, address: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const recipient = parseAddress(address, 'The recipient')
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.setGrantRecipient({ grantId: parseId(id, 'The grant id'), recipient })
      emit(opts, { grantId: BigInt(id), recipient, tx: r.hash }, () => `Grant #${id} now pays ${recipient} (tx ${r.hash})`)
    })

  ownerOption(
    grants
      .command('approve')
      .description('owner or committee: approve a pending application (reserves its total)')
      .argument('<id>', 'grant id'),
  ).action(async (id: string, o: { calldata: boolean }, cmd: Command) => {
    const opts = cmd.optsWithGlobals<GlobalOptions>()
    const grantId = parseId(id, 'The grant id')
    if (o.calldata) return printCalldata(opts, 'approve', [grantId])
    const ctx = await connect(opts, true)
    const r = await ctx.sahara.approveGrant({ grantId })
    emit(opts, { grantId, total: r.total, byCommittee: r.byCommittee, tx: r.hash }, () =>
      `Approved grant #${grantId}: ${S(r.total)} reserved${r.byCommittee ? ' from the committee budget' : ''} (tx ${r.hash})`,
    )
  })

  ownerOption(
    grants
      .command('reject')
      .description('owner or committee: reject a pending application')
      .argument('<id>', 'grant id')
      .option('--reason <text>', 'why (recorded in the event)', ''),
  ).action(async (id: string, o: { calldata: boolean; reason: string }, cmd: Command) => {
    const opts = cmd.optsWithGlobals<GlobalOptions>()
    const grantId = parseId(id, 'The grant id')
    if (o.calldata) return printCalldata(opts, 'reject', [grantId, o.reason])
    const ctx = await connect(opts, true)
    const r = await ctx.sahara.rejectGrant({ grantId, reason: o.reason })
    emit(opts, { grantId, tx: r.hash }, () => `Rejected grant #${grantId} (tx ${r.hash})`)
  })

  ownerOption(
    grants
      .command('milestone')
      .description('owner or committee: approve a milestone and pay it to the recipient')
      .argument('<id>', 'grant id')
      .argument('<index>', 'milestone index (0 = first)'),
  ).action(async (id: string, index: string, o: { calldata: boolean }, cmd: Command) => {
    const opts = cmd.optsWithGlobals<GlobalOptions>()
    const grantId = parseId(id, 'The grant id')
    const i = parseCount(index, 'The milestone index')
    if (o.calldata) return printCalldata(opts, 'approveMilestone', [grantId, i])
    const ctx = await connect(opts, true)
    const r = await ctx.sahara.approveMilestone({ grantId, index: i })
    emit(opts, { grantId, index: i, recipient: r.recipient, amount: r.amount, completed: r.completed, tx: r.hash }, () =>
      `Paid milestone ${i} of grant #${grantId}: ${S(r.amount)} to ${r.recipient}${r.completed ? '; the grant is complete' : ''} (tx ${r.hash})`,
    )
  })

  ownerOption(
    grants
      .command('cancel')
      .description('owner or committee: cancel an approved grant; unpaid milestones return to the pool')
      .argument('<id>', 'grant id'),
  ).action(async (id: string, o: { calldata: boolean }, cmd: Command) => {
    const opts = cmd.optsWithGlobals<GlobalOptions>()
    const grantId = parseId(id, 'The grant id')
    if (o.calldata) return printCalldata(opts, 'cancelGrant', [grantId])
    const ctx = await connect(opts, true)
    const r = await ctx.sahara.cancelGrant({ grantId })
    emit(opts, { grantId, returned: r.returned, tx: r.hash }, () => `Cancelled grant #${grantId}: ${S(r.returned)} returned to the pool (tx ${r.hash})`)
  })

  grants
    .command('pool')
    .description('the pool: available, reserved, committee and its budget')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, false)
      const s = await ctx.sahara.getGrantPool()
      emit(opts, s, () => [
        `GrantPool ${s.address}`,
        ...table(
          [
            ['owner', s.owner],
            ['committee', s.committee],
            ['available', S(s.available)],
            ['reserved for grants', S(s.reservedForGrants)],
            ['reserved for rounds', S(s.reservedForRounds)],
            ['unaccounted', s.unaccounted > 0n ? `${S(s.unaccounted)} (run \`sahara grants sync\`)` : undefined],
            ['budget', `${S(s.budget.perPeriod)} per ${s.budget.periodSeconds} s; ${S(s.budget.spent)} spent, ${S(s.budget.remaining)} left`],
            ['grants', s.grantCount],
            ['reward rounds', s.roundCount],
          ],
          '  ',
        ),
      ])
    })

  ownerOption(
    grants
      .command('budget')
      .description('show the committee budget, or (owner) set it with --set and --period')
      .option('--set <amount>', 'new budget per period in whole SAHARA')
      .option('--period <duration>', 'period length, e.g. 30d'),
  ).action(async (o: { calldata: boolean; set?: string; period?: string }, cmd: Command) => {
    const opts = cmd.optsWithGlobals<GlobalOptions>()
    if ((o.set === undefined) !== (o.period === undefined)) throw new UsageError('Pass both --set and --period to change the budget.')
    if (o.set !== undefined) {
      const budget = sahara(o.set, '--set')
      const period = parseDuration(o.period!)
      if (period === 0) throw new UsageError('The budget period must be longer than zero seconds.')
      if (o.calldata) return printCalldata(opts, 'setCommitteeBudget', [budget, period])
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.setCommitteeBudget({ budget, periodSeconds: period })
      emit(opts, { budget, periodSeconds: period, tx: r.hash }, () => `Committee budget set to ${S(budget)} per ${period} s (tx ${r.hash})`)
      return
    }
    const ctx = await connect(opts, false)
    const b = (await ctx.sahara.getGrantPool()).budget
    emit(opts, b, () =>
      table([
        ['budget', `${S(b.perPeriod)} per ${b.periodSeconds} s`],
        ['period start', b.periodStart === 0n ? 'never set' : new Date(Number(b.periodStart) * 1000).toISOString()],
        ['spent', S(b.spent)],
        ['remaining', S(b.remaining)],
      ]),
    )
  })

  ownerOption(
    grants
      .command('committee')
      .description('owner: set the committee (0x0000000000000000000000000000000000000000 removes it)')
      .argument('<address>', 'the committee, e.g. a multisig elected by the DAO'),
  ).action(async (address: string, o: { calldata: boolean }, cmd: Command) => {
    const opts = cmd.optsWithGlobals<GlobalOptions>()
    const committee = parseAddress(address, 'The committee')
    if (o.calldata) return printCalldata(opts, 'setCommittee', [committee])
    const ctx = await connect(opts, true)
    const r = await ctx.sahara.setGrantCommittee({ committee })
    emit(opts, { committee, tx: r.hash }, () => `Committee set to ${committee} (tx ${r.hash})`)
  })

  grants
    .command('fund')
    .description('move SAHARA from your account into the pool')
    .argument('<amount>', 'whole SAHARA, e.g. 1000')
    .action(async (value: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const amount = sahara(value, 'The amount')
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.fundGrantPool({ amount })
      emit(opts, { amount, tx: r.hash }, () => `Funded the pool with ${S(amount)} (tx ${r.hash})`)
    })

  grants
    .command('sync')
    .description('make SAHARA sent to the pool by plain transfer available')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.syncGrantPool()
      emit(opts, { amount: r.amount, tx: r.hash }, () => `${S(r.amount)} became available (tx ${r.hash})`)
    })

  // ------------------------------------------------------------------ event rewards

  const rewards = grants.command('rewards').description('event rewards paid by Merkle distribution from the pool')

  rewards
    .command('build')
    .description('build the Merkle tree of a CSV (header address,amount; whole SAHARA) into tree.json and proofs.json')
    .argument('<csv>', 'the reward list')
    .option('--out <dir>', 'where to write tree.json and proofs.json', '.')
    .action(airdropBuildAction)

  ownerOption(
    rewards
      .command('create')
      .description('owner or committee: open a reward round reserving the list total')
      .option('--proofs <file>', 'proofs.json from `grants rewards build` (root and total)')
      .option('--root <root>', 'the Merkle root (instead of --proofs)')
      .option('--total <amount>', 'SAHARA to reserve (with --root; default with --proofs: the list total)')
      .option('--duration <duration>', 'claims stay open this long, e.g. 30d', '30d'),
  ).action(async (o: { calldata: boolean; proofs?: string; root?: string; total?: string; duration: string }, cmd: Command) => {
    const opts = cmd.optsWithGlobals<GlobalOptions>()
    if ((o.proofs === undefined) === (o.root === undefined)) throw new UsageError('Pass either --proofs or --root.')
    let root: Hex
    let total: bigint
    if (o.proofs !== undefined) {
      const p = readProofs(o.proofs)
      root = p.root
      total = o.total !== undefined ? sahara(o.total, '--total') : BigInt(p.total)
    } else {
      if (!isHex(o.root) || o.root.length !== 66) throw new UsageError(`--root must be 0x followed by 64 hex digits, got "${o.root}".`)
      if (o.total === undefined) throw new UsageError('Pass --total with --root.')
      root = o.root
      total = sahara(o.total, '--total')
    }
    const duration = parseDuration(o.duration)
    if (duration === 0) throw new UsageError('The claim window must be longer than zero seconds.')
    if (o.calldata) {
      // The deadline is fixed in the calldata: count the duration from now (wall clock).
      const deadline = BigInt(Math.floor(Date.now() / 1000) + duration)
      return printCalldata(opts, 'createRewardRound', [root, total, deadline])
    }
    const ctx = await connect(opts, true)
    const r = await ctx.sahara.createRewardRound({ root, total, durationSeconds: duration })
    emit(opts, { roundId: r.roundId, root, total, deadline: r.deadline, tx: r.hash }, () =>
      `Opened reward round #${r.roundId}: ${S(total)} claimable until ${new Date(Number(r.deadline) * 1000).toISOString()} (tx ${r.hash})`,
    )
  })

  rewards
    .command('claim')
    .description('claim a reward for an account (anyone may send it; the account receives the tokens)')
    .argument('<round>', 'reward round id')
    .requiredOption('--proofs <file>', 'proofs.json of the round')
    .option('--account <address>', 'whose reward (default: your account)')
    .action(async (round: string, o: { proofs: string; account?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const roundId = parseId(round, 'The round id')
      const p = readProofs(o.proofs)
      const ctx = await connect(opts, true)
      const account: Address = o.account ? parseAddress(o.account, '--account') : ctx.requireAccount()
      const entry = findRewardEntry({ root: p.root, entries: p.entries.map((e) => ({ ...e, amount: BigInt(e.amount) })) }, account)
      const r = await ctx.sahara.claimReward({ roundId, account: entry.account, amount: entry.amount, proof: entry.proof })
      emit(opts, { roundId, account: entry.account, amount: r.amount, tx: r.hash }, () => `Claimed ${S(r.amount)} for ${entry.account} from round #${roundId} (tx ${r.hash})`)
    })

  ownerOption(
    rewards
      .command('close')
      .description('close a round (anyone after its deadline, the owner any time); the rest returns to the pool')
      .argument('<round>', 'reward round id'),
  ).action(async (round: string, o: { calldata: boolean }, cmd: Command) => {
    const opts = cmd.optsWithGlobals<GlobalOptions>()
    const roundId = parseId(round, 'The round id')
    if (o.calldata) return printCalldata(opts, 'closeRewardRound', [roundId])
    const ctx = await connect(opts, true)
    const r = await ctx.sahara.closeRewardRound({ roundId })
    emit(opts, { roundId, returned: r.returned, tx: r.hash }, () => `Closed round #${roundId}: ${S(r.returned)} returned to the pool (tx ${r.hash})`)
  })

  rewards
    .command('show')
    .description('one reward round')
    .argument('<round>', 'reward round id')
    .action(async (round: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const ctx = await connect(opts, false)
      const r = await ctx.sahara.getRewardRound({ roundId: parseId(round, 'The round id') })
      emit(opts, r, () => [
        `Reward round #${r.id}${r.closed ? ' (closed)' : ''}`,
        ...table(
          [
            ['root', r.root],
            ['total', S(r.total)],
            ['remaining', S(r.remaining)],
            ['deadline', new Date(Number(r.deadline) * 1000).toISOString()],
            ['created by', r.byCommittee ? 'the committee' : 'governance'],
          ],
          '  ',
        ),
      ])
    })
}
