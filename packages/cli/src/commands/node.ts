import { formatAmount } from '@sahara/sdk'
import type { Command } from 'commander'
import { connect } from '../context'
import { UsageError } from '../errors'
import { emit, table, type GlobalOptions } from '../output'
import { parseAddress, parseBps, parseId } from '../parse'

const date = (s: bigint) => (s === 0n ? '-' : new Date(Number(s) * 1000).toISOString())

function parseEndpoint(value: string): string {
  try {
    const u = new URL(value)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme')
  } catch {
    throw new UsageError(`The endpoint must be an http(s) URL, got "${value}".`)
  }
  return value
}

/**
 * `sahara node ...`: the on-chain node registry. Returns the command so other subcommands (the
 * daemon's `sahara node start`) can be attached with `nodeCommand(program).command('start')`.
 */
export function nodeCommand(program: Command): Command {
  const node = program.command('node').description('execution nodes: register, serve assets, exit and withdraw the stake')

  node
    .command('register')
    .description('register an execution node operated by your account, bonding SAHARA')
    .argument('<endpoint>', "base URL of the node's HTTP API")
    .requiredOption('--stake <amount>', 'SAHARA to bond, at least the registry minimum')
    .option('--signer <address>', 'key that signs receipts and settles (default: your account)')
    .option('--permit', 'sign an ERC-2612 permit instead of sending an approval', false)
    .action(async (endpoint: string, o: { stake: string; signer?: string; permit: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const url = parseEndpoint(endpoint)
      const signer = o.signer ? parseAddress(o.signer, '--signer') : undefined
      const ctx = await connect(opts, true)
      const stake = await ctx.parseTokenAmount(o.stake, 'SAHARA')
      const r = await ctx.sahara.registerNode({ endpoint: url, signer, stake: stake.amount, authorization: o.permit ? 'permit' : 'approve' })
      emit(opts, { nodeId: r.nodeId, endpoint: url, stake: stake.amount, tx: r.hash, approvalTx: r.approvalHash }, () => [
        `Registered node #${r.nodeId} at ${url} with ${formatAmount(stake.amount, stake.decimals, stake.symbol)} staked`,
        ...table([['tx', r.hash], ['approval tx', r.approvalHash]], '  '),
      ])
    })

  node
    .command('serve')
    .description('declare that a node serves an asset, with its node fee (or stop serving it)')
    .argument('<nodeId>', 'node id')
    .argument('<assetId>', 'asset id')
    .option('--fee-bps <bps>', "node fee: share of each payment for the operator, in basis points", '0')
    .option('--stop', 'stop serving the asset', false)
    .action(async (n: string, a: string, o: { feeBps: string; stop: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(n, 'The node id')
      const assetId = parseId(a, 'The asset id')
      const feeBps = parseBps(o.feeBps, '--fee-bps')
      const ctx = await connect(opts, true)
      const r = o.stop ? await ctx.sahara.stopServing({ nodeId, assetId }) : await ctx.sahara.serveAsset({ nodeId, assetId, feeBps })
      emit(opts, { nodeId, assetId, serving: !o.stop, feeBps: o.stop ? undefined : feeBps, tx: r.hash }, () => [
        o.stop ? `Node #${nodeId} stopped serving asset #${assetId}` : `Node #${nodeId} serves asset #${assetId} with a node fee of ${feeBps / 100}%`,
        ...table([['tx', r.hash]], '  '),
      ])
    })

  node
    .command('exit')
    .description('start the exit of a node: no new channels; the stake unlocks after the unbonding delay')
    .argument('<nodeId>', 'node id')
    .action(async (n: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(n, 'The node id')
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.requestNodeExit({ nodeId })
      emit(opts, { nodeId, unlockAt: r.unlockAt, tx: r.hash }, () => [
        `Node #${nodeId} is exiting; its stake unlocks at ${date(r.unlockAt)}`,
        ...table([['tx', r.hash]], '  '),
      ])
    })

  node
    .command('withdraw')
    .description("return an exited node's stake to its operator")
    .argument('<nodeId>', 'node id')
    .action(async (n: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(n, 'The node id')
      const ctx = await connect(opts, true)
      const info = await ctx.token('SAHARA')
      const r = await ctx.sahara.withdrawNodeStake({ nodeId })
      emit(opts, { nodeId, amount: r.amount, tx: r.hash }, () => [
        `Withdrew ${formatAmount(r.amount, info.decimals, info.symbol)} of stake from node #${nodeId}`,
        ...table([['tx', r.hash]], '  '),
      ])
    })

  node
    .command('status')
    .description('a node as registered on-chain (and whether it serves an asset)')
    .argument('<nodeId>', 'node id')
    .option('--asset <assetId>', 'also show whether the node serves this asset and its fee')
    .action(async (n: string, o: { asset?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const nodeId = parseId(n, 'The node id')
      const assetId = o.asset === undefined ? undefined : parseId(o.asset, '--asset')
      const ctx = await connect(opts, false)
      const v = await ctx.sahara.getNode(nodeId)
      const service = assetId === undefined ? undefined : await ctx.sahara.getNodeService({ nodeId, assetId })
      const info = await ctx.token('SAHARA')
      emit(opts, { ...v, ...(service ? { assetId, ...service } : {}) }, () => [
        `Node #${nodeId}  ${v.status}`,
        ...table(
          [
            ['endpoint', v.endpoint],
            ['operator', v.operator],
            ['signer', v.signer],
            ['stake', formatAmount(v.stake, info.decimals, info.symbol)],
            ['unlocks at', v.status === 'Active' ? undefined : date(v.unlockAt)],
            [`asset #${assetId}`, service ? (service.serving ? `served, fee ${service.feeBps / 100}%` : `not served (fee ${service.feeBps / 100}% kept)`) : undefined],
          ],
          '  ',
        ),
      ])
    })

  return node
}
