import { formatAmount } from '@sahara/sdk'
import type { Command } from 'commander'
import { connect } from '../context'
import { emit, table, type GlobalOptions } from '../output'
import { parseAddress, parseCount, parseId } from '../parse'
import { UsageError } from '../errors'

function parseLane(value: string, previous: { assetId: bigint; lane: bigint }[] = []): { assetId: bigint; lane: bigint }[] {
  const m = /^(\d+):(\d+)$/.exec(value.trim())
  if (!m) throw new UsageError(`--lane "${value}" must look like <assetId>:<lane>, e.g. 3:0.`)
  return [...previous, { assetId: parseId(m[1]!, 'The lane asset id'), lane: parseCount(m[2]!, 'The lane index') }]
}

const date = (s: bigint) => (s === 0n ? '-' : new Date(Number(s) * 1000).toISOString())

export function channelCommand(program: Command): void {
  const channel = program.command('channel').description('payment channels to execution nodes (deposit, top up, close, withdraw)')

  channel
    .command('open')
    .description('open a payment channel to a node with a deposit')
    .argument('<nodeId>', 'node id')
    .argument('<amount>', 'deposit in token units, e.g. 25')
    .option('--token <token>', 'SAHARA, USDT or a token address', 'USDT')
    .option('--signer <address>', 'session key that signs vouchers (default: your account)')
    .option('--permit', 'sign an ERC-2612 permit instead of sending an approval', false)
    .action(async (node: string, value: string, o: { token: string; signer?: string; permit: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(node, 'The node id')
      const signer = o.signer ? parseAddress(o.signer, '--signer') : undefined
      const ctx = await connect(opts, true)
      const amt = await ctx.parseTokenAmount(value, o.token)
      const r = await ctx.sahara.openChannel({ nodeId, token: amt.token, amount: amt.amount, signer, authorization: o.permit ? 'permit' : 'approve' })
      emit(opts, { channelId: r.channelId, nodeId, token: amt.token, symbol: amt.symbol, deposit: amt.amount, tx: r.hash, approvalTx: r.approvalHash }, () => [
        `Opened channel #${r.channelId} to node #${nodeId} with ${formatAmount(amt.amount, amt.decimals, amt.symbol)}`,
        ...table([['tx', r.hash], ['approval tx', r.approvalHash]], '  '),
      ])
    })

  channel
    .command('topup')
    .description('add to the deposit of an open channel')
    .argument('<channelId>', 'channel id')
    .argument('<amount>', "amount in the channel token's units")
    .option('--permit', 'sign an ERC-2612 permit instead of sending an approval', false)
    .action(async (id: string, value: string, o: { permit: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const channelId = parseId(id, 'The channel id')
      const ctx = await connect(opts, true)
      const before = await ctx.sahara.getChannel(channelId)
      const amt = await ctx.parseTokenAmount(value, before.token)
      const r = await ctx.sahara.topUpChannel({ channelId, amount: amt.amount, authorization: o.permit ? 'permit' : 'approve' })
      const deposit = before.deposit + amt.amount
      emit(opts, { channelId, amount: amt.amount, deposit, tx: r.hash, approvalTx: r.approvalHash }, () => [
        `Topped up channel #${channelId} by ${formatAmount(amt.amount, amt.decimals, amt.symbol)} (deposit ${formatAmount(deposit, amt.decimals, amt.symbol)})`,
        ...table([['tx', r.hash], ['approval tx', r.approvalHash]], '  '),
      ])
    })

  channel
    .command('close')
    .description('start closing a channel: the node can settle until the challenge window ends, then withdraw')
    .argument('<channelId>', 'channel id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const channelId = parseId(id, 'The channel id')
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.requestCloseChannel({ channelId })
      emit(opts, { channelId, closesAt: r.closesAt, tx: r.hash }, () => [
        `Channel #${channelId} is closing; withdraw after ${date(r.closesAt)}`,
        ...table([['tx', r.hash]], '  '),
      ])
    })

  channel
    .command('withdraw')
    .description('refund what the node did not settle, after the challenge window')
    .argument('<channelId>', 'channel id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const channelId = parseId(id, 'The channel id')
      const ctx = await connect(opts, true)
      const c = await ctx.sahara.getChannel(channelId)
      const info = await ctx.token(c.token)
      const r = await ctx.sahara.withdrawChannel({ channelId })
      emit(opts, { channelId, refund: r.refund, token: c.token, symbol: info.symbol, tx: r.hash }, () => [
        `Withdrew ${formatAmount(r.refund, info.decimals, info.symbol)} from channel #${channelId}`,
        ...table([['tx', r.hash]], '  '),
      ])
    })

  channel
    .command('status')
    .description('deposit, settled amount and state of a channel (and settled amounts of lanes)')
    .argument('<channelId>', 'channel id')
    .option('--lane <assetId:lane>', 'also show what a lane settled (repeatable)', parseLane)
    .action(async (id: string, o: { lane?: { assetId: bigint; lane: bigint }[] }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const channelId = parseId(id, 'The channel id')
      const ctx = await connect(opts, false)
      const c = await ctx.sahara.getChannel(channelId)
      const info = await ctx.token(c.token)
      const lanes: { assetId: bigint; lane: bigint; settled: bigint }[] = []
      for (const l of o.lane ?? []) lanes.push({ ...l, settled: await ctx.sahara.getLaneSettled({ channelId, assetId: l.assetId, lane: l.lane }) })
      const f = (v: bigint) => formatAmount(v, info.decimals, info.symbol)
      emit(opts, { ...c, symbol: info.symbol, lanes }, () => [
        `Channel #${channelId}  ${c.status}`,
        ...table(
          [
            ['payer', c.payer],
            ['signer', c.signer],
            ['node', `#${c.nodeId}`],
            ['deposit', f(c.deposit)],
            ['settled', f(c.settled)],
            ['remaining', f(c.remaining)],
            ['closes at', c.status === 'Open' ? undefined : date(c.closesAt)],
          ],
          '  ',
        ),
        ...lanes.map((l) => `  lane ${l.assetId}:${l.lane} settled ${f(l.settled)}`),
      ])
    })
}
