import {
  EquivocationError,
  ReceiptFormatError,
  contradictionEvidence,
  decodeReceiptHeader,
  equivocationEvidence,
  findEquivocation,
  formatAmount,
  parseSettledReceipt,
  receiptLeaf,
  type SettledReceipt,
  type SignedReceipt,
} from '@sahara/sdk'
import { existsSync, readFileSync } from 'node:fs'
import type { Command } from 'commander'
import type { Address } from 'viem'
import { connect, type Ctx } from '../context'
import { UsageError } from '../errors'
import { emit, table, type GlobalOptions } from '../output'
import { parseAddress, parseBps, parseCount, parseId } from '../parse'
import { readInputs } from './receipt'

const date = (s: bigint) => (s === 0n ? '-' : new Date(Number(s) * 1000).toISOString())

/** Symbols and decimals of the reward tokens, by address (lower case). */
async function rewardTokenInfo(ctx: Ctx, tokens: readonly Address[]): Promise<Map<string, { symbol: string; decimals: number }>> {
  const out = new Map<string, { symbol: string; decimals: number }>()
  for (const t of tokens) {
    const info = await ctx.token(t)
    out.set(t.toLowerCase(), { symbol: info.symbol, decimals: info.decimals })
  }
  return out
}

function fmt(info: Map<string, { symbol: string; decimals: number }>, token: Address, value: bigint): string {
  const i = info.get(token.toLowerCase())
  return i ? formatAmount(value, i.decimals, i.symbol) : `${value} (${token})`
}

/** Decodes every receipt of a `sahara call --receipts` file (or one header / header file). */
function readReceipts(arg: string): SignedReceipt[] {
  return readInputs(arg).map((input) => {
    try {
      return decodeReceiptHeader(input.header)
    } catch (err) {
      if (err instanceof ReceiptFormatError) throw new UsageError(`${input.label} is not a receipt: ${err.shortMessage}`)
      throw err
    }
  })
}

const receiptLeafOf = (s: SettledReceipt) => receiptLeaf(s.fields)

/** Reads a settled receipt JSON file (parseSettledReceipt's format). */
function readSettled(arg: string): SettledReceipt {
  if (!existsSync(arg)) throw new UsageError(`${arg} does not exist (a settled receipt JSON file).`)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(arg, 'utf8'))
  } catch {
    throw new UsageError(`${arg} is not JSON.`)
  }
  try {
    return parseSettledReceipt(json)
  } catch (err) {
    if (err instanceof ReceiptFormatError) throw new UsageError(`${arg} is not a settled receipt: ${err.shortMessage}`)
    throw err
  }
}

/** The slash outcome lines shared by `evidence` and `contradiction`. */
function slashLines(r: { nodeId: bigint; bps: number; selfCut: bigint; poolCut: bigint; unbondingCut: bigint; treasury: string; evidenceKey: string; jailedUntil: bigint; hash: string }, offence: string, S: (v: bigint) => string): string[] {
  return [
    `Node #${r.nodeId} slashed ${r.bps / 100}% for ${offence} (${S(r.selfCut + r.poolCut + r.unbondingCut)} to the treasury) and jailed until ${date(r.jailedUntil)}`,
    ...table(
      [
        ['bond cut', S(r.selfCut)],
        ['delegations cut', S(r.poolCut)],
        ['unbonding cut', S(r.unbondingCut)],
        ['treasury', r.treasury],
        ['evidence', r.evidenceKey],
        ['tx', r.hash],
      ],
      '  ',
    ),
  ]
}

/** `sahara stake ...`: delegated staking of execution nodes (NodeStaking). */
export function stakeCommand(program: Command): Command {
  const stake = program.command('stake').description('delegate SAHARA to execution nodes, claim staking rewards, commission, jail and slashing evidence')

  stake
    .command('delegate')
    .description("delegate SAHARA to a node's pool (earns fees and emissions; unbonding takes the unbonding delay)")
    .argument('<nodeId>', 'node id')
    .argument('<amount>', 'SAHARA to delegate (decimals allowed, e.g. 2500.5)')
    .option('--permit', 'sign an ERC-2612 permit instead of sending an approval', false)
    .action(async (n: string, a: string, o: { permit: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(n, 'The node id')
      const ctx = await connect(opts, true)
      const amt = await ctx.parseTokenAmount(a, 'SAHARA')
      const r = await ctx.sahara.delegateStake({ nodeId, amount: amt.amount, authorization: o.permit ? 'permit' : 'approve' })
      emit(opts, { nodeId, amount: r.amount, shares: r.shares, tx: r.hash, approvalTx: r.approvalHash }, () => [
        `Delegated ${formatAmount(r.amount, amt.decimals, amt.symbol)} to node #${nodeId} for ${r.shares} shares`,
        ...table([['tx', r.hash], [o.permit ? 'permit tx' : 'approval tx', r.approvalHash]], '  '),
      ])
    })

  stake
    .command('undelegate')
    .description('start unbonding a delegation: by SAHARA amount, by --shares, or --all')
    .argument('<nodeId>', 'node id')
    .argument('[amount]', 'SAHARA to undelegate (rounded up to whole shares; more than the delegation undelegates all)')
    .option('--shares <shares>', 'undelegate exactly this many pool shares')
    .option('--all', 'undelegate everything', false)
    .action(async (n: string, a: string | undefined, o: { shares?: string; all: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(n, 'The node id')
      const given = [a !== undefined, o.shares !== undefined, o.all].filter(Boolean).length
      if (given !== 1) throw new UsageError('Pass exactly one of an amount, --shares or --all.')
      const shares = o.shares === undefined ? undefined : parseCount(o.shares, '--shares')
      const ctx = await connect(opts, true)
      const info = await ctx.token('SAHARA')
      const r = o.all
        ? await ctx.sahara.undelegateStake({ nodeId, all: true })
        : shares !== undefined
          ? await ctx.sahara.undelegateStake({ nodeId, shares })
          : await ctx.sahara.undelegateStake({ nodeId, amount: (await ctx.parseTokenAmount(a!, 'SAHARA')).amount })
      emit(opts, { nodeId, shares: r.shares, amount: r.amount, maturesAt: r.maturesAt, tx: r.hash }, () => [
        `Undelegated ${formatAmount(r.amount, info.decimals, info.symbol)} (${r.shares} shares) from node #${nodeId}; withdrawable at ${date(r.maturesAt)}`,
        ...table([['tx', r.hash]], '  '),
      ])
    })

  stake
    .command('withdraw')
    .description('withdraw every matured unbonding at a node')
    .argument('<nodeId>', 'node id')
    .action(async (n: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(n, 'The node id')
      const ctx = await connect(opts, true)
      const info = await ctx.token('SAHARA')
      const r = await ctx.sahara.withdrawUnbonded({ nodeId })
      emit(opts, { nodeId, amount: r.amount, entries: r.entries, tx: r.hash }, () => [
        `Withdrew ${formatAmount(r.amount, info.decimals, info.symbol)} of unbonded stake from node #${nodeId} (${r.entries} ${r.entries === 1n ? 'entry' : 'entries'})`,
        ...table([['tx', r.hash]], '  '),
      ])
    })

  stake
    .command('claim')
    .description('claim staking rewards at a node (as a delegator, and as its operator: commission + self-bond rewards)')
    .argument('<nodeId>', 'node id')
    .action(async (n: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(n, 'The node id')
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.claimStakingRewards({ nodeId })
      const info = await rewardTokenInfo(ctx, r.rewards.map((x) => x.token))
      emit(opts, { nodeId, rewards: r.rewards, tx: r.hash }, () => [
        r.rewards.length === 0
          ? `Nothing to claim at node #${nodeId}`
          : `Claimed ${r.rewards.map((x) => fmt(info, x.token, x.amount)).join(' and ')} from node #${nodeId}`,
        ...table([['tx', r.hash]], '  '),
      ])
    })

  stake
    .command('status')
    .description("a node's staking state, and an account's delegation at it (default: your account)")
    .argument('<nodeId>', 'node id')
    .option('--account <address>', 'show this account\'s delegation')
    .action(async (n: string, o: { account?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(n, 'The node id')
      const who = o.account ? parseAddress(o.account, '--account') : undefined
      const ctx = await connect(opts, false)
      const account = who ?? ctx.sahara.account
      const s = await ctx.sahara.getNodeStake(nodeId)
      const d = account ? await ctx.sahara.getDelegation({ nodeId, account }) : undefined
      const votes = account ? await ctx.sahara.getStakedVotes({ account }) : undefined
      const sahara = await ctx.token('SAHARA')
      const info = await rewardTokenInfo(ctx, d?.pendingRewards.map((x) => x.token) ?? [])
      const S = (v: bigint) => formatAmount(v, sahara.decimals, sahara.symbol)
      emit(opts, { node: s, ...(d ? { delegation: d } : {}), ...(votes ? { votes } : {}) }, () => [
        `Node #${nodeId}  ${s.jailed ? `jailed until ${date(s.jailedUntil)}` : s.active ? 'active' : 'not active'}`,
        ...table(
          [
            ['operator', s.operator],
            ['self bond', S(s.selfBond)],
            ['delegated', `${S(s.delegated)} (${s.delegatedShares} shares)`],
            ['unbonding', S(s.unbonding)],
            ['reward weight', S(s.weight)],
            ['commission', `${s.commissionBps / 100}%`],
            ['pending commission', s.commissionEffectiveAt === 0n ? undefined : `${s.pendingCommissionBps / 100}% from ${date(s.commissionEffectiveAt)}`],
          ],
          '  ',
        ),
        ...(d && account
          ? [
              `Delegation of ${account}`,
              ...table(
                [
                  ['shares', d.shares],
                  ['value', S(d.value)],
                  ['claimable', d.pendingRewards.map((x) => fmt(info, x.token, x.amount)).join(', ')],
                  ...d.unbonding.map((u, i): [string, string] => [`unbonding ${i + 1}`, `${S(u.value)} ${u.matured ? 'withdrawable now' : `at ${date(u.maturesAt)}`}`]),
                  ['staked votes', votes ? S(votes.staked) : undefined],
                  ['total votes', votes ? S(votes.total) : undefined],
                ],
                '  ',
              ),
            ]
          : []),
      ])
    })

  stake
    .command('commission')
    .description("set a node's commission (operator; applies after the commission delay once someone has delegated)")
    .argument('<nodeId>', 'node id')
    .argument('<bps>', 'commission in basis points (1000 = 10%)')
    .action(async (n: string, b: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(n, 'The node id')
      const bps = parseBps(b, 'The commission')
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.setCommission({ nodeId, bps })
      emit(opts, { nodeId, bps, applied: r.applied, effectiveAt: r.effectiveAt, tx: r.hash }, () => [
        r.applied
          ? `Node #${nodeId}'s commission is now ${bps / 100}%`
          : `Node #${nodeId}'s commission becomes ${bps / 100}% at ${date(r.effectiveAt)}`,
        ...table([['tx', r.hash]], '  '),
      ])
    })

  stake
    .command('unjail')
    .description('unjail a node after its jail period (operator; the bond must be at least the registry minimum)')
    .argument('<nodeId>', 'node id')
    .action(async (n: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(n, 'The node id')
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.unjail({ nodeId })
      emit(opts, { nodeId, tx: r.hash }, () => [`Node #${nodeId} is unjailed`, ...table([['tx', r.hash]], '  ')])
    })

  stake
    .command('evidence')
    .description('find two conflicting receipts of one node (same channel lane and index) and slash it for equivocation')
    .argument('<receipts>', 'a `sahara call --receipts` file (JSON lines), or a file of receipt headers')
    .argument('[more...]', 'more receipts files or headers to search together')
    .option('--dry-run', 'only report the conflicting pair, send nothing', false)
    .action(async (first: string, more: string[], o: { dryRun: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const receipts = [first, ...more].flatMap(readReceipts)
      const pair = findEquivocation(receipts)
      if (!pair) throw new EquivocationError(`No two of the ${receipts.length} receipts conflict (same node, channel, asset, lane and index with different contents).`)
      equivocationEvidence(pair.a, pair.b) // proofs checked before connecting
      const where = { nodeId: pair.a.fields.nodeId, channelId: pair.a.fields.channelId, assetId: pair.a.fields.assetId, lane: pair.a.fields.lane, index: pair.a.fields.index }
      if (o.dryRun) {
        emit(opts, { ...where, leaves: [pair.a.leaf, pair.b.leaf], sent: false }, () => [
          `Node #${where.nodeId} signed two different receipts for channel #${where.channelId} lane ${where.lane} index ${where.index}`,
          ...table([['leaf a', pair.a.leaf], ['leaf b', pair.b.leaf]], '  '),
        ])
        return
      }
      const ctx = await connect(opts, true)
      const sahara = await ctx.token('SAHARA')
      const r = await ctx.sahara.proveEquivocation(pair.a, pair.b)
      const S = (v: bigint) => formatAmount(v, sahara.decimals, sahara.symbol)
      emit(opts, { ...where, ...r, receipt: undefined, hash: undefined, tx: r.hash, sent: true }, () => slashLines(r, 'equivocation', S))
    })

  stake
    .command('contradiction')
    .description('slash a node whose settlement recorded a receipt that contradicts one it signed (same channel lane and index)')
    .argument('<signed>', 'the receipt the node signed: a receipt header, a file of headers or a `sahara call --receipts` file')
    .argument('<settled>', 'JSON file { receipt: {11 fields}, receiptsRoot, proof }: a receipt under a receipts root the node recorded')
    .option('--dry-run', 'only check the pair locally, send nothing', false)
    .action(async (signedArg: string, settledArg: string, o: { dryRun: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const settled = readSettled(settledArg)
      const f = settled.fields
      // the signed receipt for the same node, channel, asset, lane and index
      const candidates = readReceipts(signedArg)
      const signed =
        candidates.find((r) => r.fields.nodeId === f.nodeId && r.fields.channelId === f.channelId && r.fields.assetId === f.assetId && r.fields.lane === f.lane && r.fields.index === f.index) ??
        candidates[0]
      if (!signed) throw new EquivocationError('No signed receipt was given.')
      contradictionEvidence(signed, settled) // checked before connecting
      const where = { nodeId: f.nodeId, channelId: f.channelId, assetId: f.assetId, lane: f.lane, index: f.index, receiptsRoot: settled.receiptsRoot }
      if (o.dryRun) {
        emit(opts, { ...where, leaves: [signed.leaf, receiptLeafOf(settled)], sent: false }, () => [
          `Node #${where.nodeId} signed one receipt and its settlement proof shows another for channel #${where.channelId} lane ${where.lane} index ${where.index}`,
          ...table([['signed leaf', signed.leaf], ['settled leaf', receiptLeafOf(settled)], ['receipts root', settled.receiptsRoot]], '  '),
        ])
        return
      }
      const ctx = await connect(opts, true)
      const sahara = await ctx.token('SAHARA')
      const r = await ctx.sahara.proveSettlementContradiction(signed, settled)
      const S = (v: bigint) => formatAmount(v, sahara.decimals, sahara.symbol)
      emit(opts, { ...where, ...r, receipt: undefined, hash: undefined, tx: r.hash, sent: true }, () => slashLines(r, 'a settlement contradicting a signed receipt', S))
    })

  return stake
}
