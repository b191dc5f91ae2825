import { formatAmount } from '@sahara/sdk'
import type { Command } from 'commander'
import { connect } from '../context'
import { emit, type GlobalOptions } from '../output'
import { parseAddress } from '../parse'

export function faucetCommand(program: Command): void {
  program
    .command('faucet')
    .description('mint devnet USDT (at most 100000 per call)')
    .argument('<amount>', 'amount, e.g. 1000 or 12.5')
    .option('--to <address>', 'recipient (default: you)')
    .action(async (value: string, o: { to?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const to = o.to ? parseAddress(o.to, '--to') : undefined
      const ctx = await connect(opts, true)
      const amt = await ctx.parseTokenAmount(value, 'USDT')
      const r = await ctx.sahara.faucet({ amount: amt.amount, to })
      emit(opts, { to: r.to, token: amt.token, symbol: amt.symbol, amount: amt.amount, tx: r.hash }, () => `Minted ${formatAmount(amt.amount, amt.decimals, amt.symbol)} to ${r.to} (tx ${r.hash})`)
    })
}
