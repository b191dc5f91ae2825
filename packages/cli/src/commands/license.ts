import { LICENSE_TEMPLATES, formatAmount, type TermsView } from '@sahara/sdk'
import { Command, Option } from 'commander'
import { zeroAddress } from 'viem'
import { connect, type Ctx } from '../context'
import { UsageError } from '../errors'
import { emit, table, type GlobalOptions } from '../output'
import { parseAddress, parseBps, parseCount, parseDuration, parseId } from '../parse'

export function licenseCommand(program: Command): void {
  const license = program.command('license').description('license terms and LicenseNFTs')

  license
    .command('attach')
    .description('attach immutable license terms to an asset you own')
    .argument('<assetId>', 'asset id')
    .addOption(new Option('--template <template>', 'license template').choices([...LICENSE_TEMPLATES]).makeOptionMandatory())
    .option('--price <amount>', 'fee (per unit for PAY_PER_USE) in token units, e.g. 12.5', '0')
    .option('--token <token>', 'payment token: SAHARA, USDT or an address (needed when the price is not 0)')
    .option('--royalty-bps <bps>', 'royalty on derivatives, COMMERCIAL_REMIX only (1000 = 10%)', '0')
    .option('--duration <duration>', 'license lifetime: seconds or 30d/12h/...; 0 = perpetual', '0')
    .option('--transferable', 'licenses can be transferred', false)
    .option('--supply-cap <n>', 'licenses that can ever be sold; 0 = unlimited', '0')
    .action(async (id: string, o: { template: string; price: string; token?: string; royaltyBps: string; duration: string; transferable: boolean; supplyCap: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetId = parseId(id, 'The asset id')
      const royaltyBps = parseBps(o.royaltyBps, '--royalty-bps')
      const duration = parseDuration(o.duration)
      const supplyCap = parseCount(o.supplyCap, '--supply-cap')
      const free = /^0*(\.0*)?$/.test(o.price.trim())
      if (!free && !o.token) throw new UsageError('A priced license needs --token SAHARA, USDT or a token address.')
      const ctx = await connect(opts, true)
      const priced = o.token && !free ? await ctx.parseTokenAmount(o.price, o.token) : undefined
      const r = await ctx.sahara.attachTerms({
        assetId,
        template: o.template as 'OPEN',
        paymentToken: priced?.token,
        price: priced?.amount ?? 0n,
        royaltyBps,
        duration,
        transferable: o.transferable,
        supplyCap,
      })
      emit(opts, { termsId: r.termsId, assetId, tx: r.hash }, () => [`Attached terms #${r.termsId} to asset #${assetId}`, ...table([['tx', r.hash]], '  ')])
    })

  license
    .command('buy')
    .description('buy a license (the fee goes to the asset through the RevenueVault)')
    .argument('<termsId>', 'terms id')
    .option('--max-fee <amount>', 'refuse to pay more than this (token units); default: the current price')
    .option('--licensee <address>', 'receiver of the LicenseNFT (default: you)')
    .option('--permit', 'sign an ERC-2612 permit instead of sending an approval', false)
    .action(async (id: string, o: { maxFee?: string; licensee?: string; permit: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const termsId = parseId(id, 'The terms id')
      const licensee = o.licensee ? parseAddress(o.licensee, '--licensee') : undefined
      const ctx = await connect(opts, true)
      const terms = await ctx.sahara.getTerms(termsId)
      // Free terms have no token: the fee is 0 whatever --max-fee says.
      const maxFee = o.maxFee !== undefined && terms.paymentToken !== zeroAddress ? (await ctx.parseTokenAmount(o.maxFee, terms.paymentToken)).amount : undefined
      const r = await ctx.sahara.buyLicense({ termsId, maxFee, licensee, authorization: o.permit ? 'permit' : 'approve' })
      const fee = await feeText(ctx, terms, r.fee)
      emit(opts, { licenseId: r.licenseId, termsId, assetId: terms.assetId, fee: r.fee, expiresAt: r.expiresAt, tx: r.hash, approvalTx: r.approvalHash }, () => [
        `Bought license #${r.licenseId} on asset #${terms.assetId} for ${fee}`,
        ...table([['expires', r.expiresAt ? new Date(r.expiresAt * 1000).toISOString() : 'never'], ['tx', r.hash], ['approval tx', r.approvalHash]], '  '),
      ])
    })

  license
    .command('list')
    .description('license terms attached to an asset')
    .argument('<assetId>', 'asset id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetId = parseId(id, 'The asset id')
      const ctx = await connect(opts, false)
      await ctx.sahara.getAsset(assetId) // UnknownAsset for a bad id rather than an empty list
      const list = await ctx.sahara.listTerms(assetId)
      const lines = await Promise.all(
        list.map(async (t) => {
          const price = await feeText(ctx, t, t.price)
          const extra = [
            t.royaltyBps ? `royalty ${t.royaltyBps / 100}%` : '',
            t.duration ? `lasts ${t.duration}s` : 'perpetual',
            t.transferable ? 'transferable' : '',
            `sold ${t.sold}${t.supplyCap ? `/${t.supplyCap}` : ''}`,
            t.active ? '' : 'SALES STOPPED',
          ].filter(Boolean)
          return `#${t.termsId}  ${t.template.padEnd(16)}  ${price.padEnd(14)}  ${extra.join(', ')}`
        }),
      )
      emit(opts, list, () => (lines.length ? lines : [`Asset #${assetId} has no license terms.`]))
    })
}

async function feeText(ctx: Ctx, t: TermsView, value: bigint): Promise<string> {
  if (t.paymentToken === zeroAddress) return 'free'
  const info = await ctx.token(t.paymentToken)
  return formatAmount(value, info.decimals, info.symbol)
}
