import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { buildAirdrop, formatAmount, parseAirdropCsv } from '@sahara/sdk'
import type { Command } from 'commander'
import { UsageError } from '../errors'
import { emit, table, toJson, type GlobalOptions } from '../output'

export function airdropCommand(program: Command): void {
  const airdrop = program.command('airdrop').description('build Merkle airdrops for MerkleAirdrop (no node needed)')

  airdrop
    .command('build')
    .description('build the Merkle tree of a CSV (header address,amount; amounts in whole SAHARA, up to 18 decimals)')
    .argument('<csv>', 'the airdrop list')
    .option('--out <dir>', 'where to write tree.json and proofs.json', '.')
    .action(airdropBuildAction)
}

/** Builds a Merkle tree from a CSV into tree.json and proofs.json (also `sahara grants rewards build`). */
export function airdropBuildAction(csv: string, o: { out: string }, cmd: Command): void {
  const opts = cmd.optsWithGlobals<GlobalOptions>()
  let text: string
  try {
    text = readFileSync(csv, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new UsageError(code === 'ENOENT' ? `The CSV file ${csv} does not exist.` : `Cannot read the CSV file ${csv} (${code ?? 'error'}).`)
  }
  const a = buildAirdrop(parseAirdropCsv(text, { decimals: 18 }))
  const out = resolve(o.out)
  const tree = join(out, 'tree.json')
  const proofs = join(out, 'proofs.json')
  try {
    mkdirSync(out, { recursive: true })
    writeFileSync(tree, `${JSON.stringify(a.tree, null, 2)}\n`)
    writeFileSync(proofs, `${toJson({ root: a.root, count: a.count, total: a.total, entries: a.entries })}\n`)
  } catch (err) {
    throw new UsageError(`Cannot write to ${out} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`)
  }
  emit(opts, { root: a.root, count: a.count, total: a.total, tree, proofs }, () =>
    table([
      ['root', a.root],
      ['count', a.count],
      ['total', `${formatAmount(a.total, 18, 'SAHARA')} (${a.total} wei)`],
      ['tree', tree],
      ['proofs', proofs],
    ]),
  )
}
