import { ContributionType } from '@sahara/sdk'
import type { Command } from 'commander'
import { connect } from '../context'
import { UsageError } from '../errors'
import { emit, table, type GlobalOptions } from '../output'
import { parseAddress, parseBps, parseCount, parseId } from '../parse'

export function sharesCommand(program: Command): void {
  const shares = program.command('shares').description('contribution shares (soulbound)')

  shares
    .command('mint')
    .description('mint contribution shares in an asset (its owner or an authorized minter)')
    .argument('<assetId>', 'asset id')
    .argument('<account>', 'contributor address')
    .argument('<shares>', 'number of shares')
    .option('--type <type>', `contribution type: ${Object.keys(ContributionType).join(', ').toLowerCase()} or 0-255`, 'other')
    .option('--evidence <text>', 'evidence: a 32-byte hex hash, or any text (a URL, a CID) that is hashed')
    .action(async (id: string, account: string, n: string, o: { type: string; evidence?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetId = parseId(id, 'The asset id')
      const contributor = parseAddress(account, 'The contributor')
      const count = parseCount(n, 'The number of shares')
      if (count === 0n) throw new UsageError('The number of shares must be greater than zero.')
      const type = /^\d+$/.test(o.type) ? Number(o.type) : (o.type as 'other')
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.mintShares({ assetId, contributor, shares: count, contributionType: type, evidence: o.evidence })
      emit(opts, { contributionId: r.contributionId, assetId, contributor, shares: count, tx: r.hash }, () => [
        `Minted ${count} shares in asset #${assetId} to ${contributor} (contribution #${r.contributionId})`,
        ...table([['tx', r.hash]], '  '),
      ])
    })

  shares
    .command('split')
    .description("set the contributors' part of an asset's revenue (can only grow once shares exist)")
    .argument('<assetId>', 'asset id')
    .argument('<bps>', 'basis points, e.g. 2500 = 25%')
    .action(async (id: string, bpsText: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetId = parseId(id, 'The asset id')
      const bps = parseBps(bpsText, 'The split')
      const ctx = await connect(opts, true)
      const r = await ctx.sahara.setContributorSplit({ assetId, bps })
      emit(opts, { assetId, bps, tx: r.hash }, () => `Contributors of asset #${assetId} now get ${bps / 100}% (tx ${r.hash})`)
    })
}
