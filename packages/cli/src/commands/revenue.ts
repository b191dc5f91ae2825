import { formatAmount, revenueVaultAbi } from '@sahara/sdk'
import type { Command } from 'commander'
import { readContract } from 'viem/actions'
import type { Address } from 'viem'
import { connect, type Ctx } from '../context'
import { emit, table, type GlobalOptions } from '../output'
import { parseAddress, parseId, parseIdList } from '../parse'

async function trackedTokens(ctx: Ctx): Promise<Address[]> {
  return [
    ...(await readContract(ctx.sahara.publicClient, {
      address: ctx.sahara.deployments.contracts.RevenueVault,
      abi: revenueVaultAbi,
      functionName: 'trackedTokens',
    })),
  ]
}

export function revenueCommand(program: Command): void {
  const revenue = program.command('revenue').description('pay, flush royalties, check and claim revenue')

  revenue
    .command('pay')
    .description('pay revenue into an asset (split among treasury, parents, owner, contributors)')
    .argument('<assetId>', 'asset id')
    .argument('<amount>', 'amount in token units, e.g. 12.5')
    .requiredOption('--token <token>', 'SAHARA, USDT or a token address')
    .option('--permit', 'sign an ERC-2612 permit instead of sending an approval', false)
    .action(async (id: string, value: string, o: { token: string; permit: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetId = parseId(id, 'The asset id')
      const ctx = await connect(opts, true)
      const amt = await ctx.parseTokenAmount(value, o.token)
      const r = await ctx.sahara.pay({ assetId, token: amt.token, amount: amt.amount, authorization: o.permit ? 'permit' : 'approve' })
      emit(opts, { assetId, token: amt.token, symbol: amt.symbol, amount: amt.amount, tx: r.hash, approvalTx: r.approvalHash }, () => [
        `Paid ${formatAmount(amt.amount, amt.decimals, amt.symbol)} into asset #${assetId}`,
        ...table([['tx', r.hash], ['approval tx', r.approvalHash]], '  '),
      ])
    })

  revenue
    .command('flush')
    .description("forward an asset's pending royalties up its whole lineage (one transaction per token)")
    .argument('<assetId>', 'asset id')
    .option('--token <token>', 'only this token (default: every payment token)')
    .action(async (id: string, o: { token?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetId = parseId(id, 'The asset id')
      const ctx = await connect(opts, true)
      await ctx.sahara.getAsset(assetId)
      const tokens = o.token ? [(await ctx.token(o.token)).address] : await trackedTokens(ctx)
      const results: { token: Address; symbol: string; path: bigint[]; tx: string | undefined }[] = []
      for (const token of tokens) {
        const r = await ctx.sahara.flushRoyalties({ assetId, token })
        results.push({ token, symbol: (await ctx.token(token)).symbol, path: r.path, tx: r.hash })
      }
      emit(opts, results, () => {
        const done = results.filter((r) => r.path.length > 0)
        if (done.length === 0) return `Nothing to flush for asset #${assetId}.`
        return done.map((r) => `Flushed ${r.symbol} royalties through ${r.path.map((x) => `#${x}`).join(' -> ')}  (tx ${r.tx})`)
      })
    })

  revenue
    .command('balance')
    .description('what an account can claim, per token (owner balance + contributor entitlements)')
    .option('--account <address>', 'account to check (default: the key\'s address)')
    .action(async (o: { account?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const explicit = o.account ? parseAddress(o.account, '--account') : undefined
      const ctx = await connect(opts, false)
      const account = explicit ?? ctx.requireAccount()
      const balances = await ctx.sahara.getBalances({ account })
      const owed = balances.filter((b) => b.total > 0n)
      emit(opts, { account, balances }, () => owed.length === 0 ? `Nothing to claim for ${account}.` : [
        `Claimable by ${account}:`,
        ...owed.flatMap((b) => [
          `  ${formatAmount(b.total, b.decimals, b.symbol)}`,
          ...(b.ownerBalance > 0n ? [`    owner/treasury balance  ${formatAmount(b.ownerBalance, b.decimals, b.symbol)}`] : []),
          ...b.contributions.map((c) => `    contributor in #${c.assetId}  ${formatAmount(c.amount, b.decimals, b.symbol)}`),
        ]),
      ])
    })

  revenue
    .command('claim')
    .description('claim your owner balance and contributor entitlements')
    .option('--token <token>', 'only this token (default: every token with something to claim)')
    .option('--assets <ids>', 'comma-separated asset ids to claim contributor entitlements in (default: all yours)')
    .action(async (o: { token?: string; assets?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetIds = o.assets ? parseIdList(o.assets, 'Each --assets id') : undefined
      const ctx = await connect(opts, true)
      const tokens = o.token ? [(await ctx.token(o.token)).address] : await trackedTokens(ctx)
      const results: { token: Address; symbol: string; decimals: number; amount: bigint; assetIds: bigint[]; tx: string | undefined }[] = []
      for (const token of tokens) {
        const info = await ctx.token(token)
        const r = await ctx.sahara.claim({ token, assetIds })
        results.push({ token, symbol: info.symbol, decimals: info.decimals, amount: r.amount, assetIds: r.assetIds, tx: r.hash })
      }
      emit(opts, results.map(({ decimals: _d, ...r }) => r), () => {
        const paid = results.filter((r) => r.amount > 0n)
        if (paid.length === 0) return 'Nothing to claim.'
        return paid.map((r) => `Claimed ${formatAmount(r.amount, r.decimals, r.symbol)}  (tx ${r.tx})`)
      })
    })
}
