import { writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { AssetKind, computeCid, type AssetView, type LineageNode } from '@sahara/sdk'
import { Command, Option } from 'commander'
import { connect } from '../context'
import { emit, hashingProgress, renderTree, table, type GlobalOptions } from '../output'
import { parseAddress, parseId, parseParent } from '../parse'

const kinds = Object.keys(AssetKind).map((k) => k.toLowerCase())

export function assetCommand(program: Command): void {
  const asset = program.command('asset').description('register, inspect and version assets')

  asset
    .command('register')
    .description('hash a file and register it as an asset (version 1)')
    .argument('<file>', 'the asset bytes (weights, dataset archive, agent manifest)')
    .addOption(new Option('--kind <kind>', 'asset kind').choices(kinds).makeOptionMandatory())
    .requiredOption('--name <name>', 'name in the metadata JSON')
    .option('--description <text>', 'description in the metadata JSON')
    .option('--parent <id:RELATION[:licenseId]>', 'a parent link, repeatable (e.g. 1:TRAINED_ON:3)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--owner <address>', 'receiver of the OwnershipNFT (default: you)')
    .option('--metadata-out <file>', 'write the metadata JSON here (pin it so ipfs://<cid> resolves)')
    .action(async (file: string, o: { kind: string; name: string; description?: string; parent: string[]; owner?: string; metadataOut?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const parents = o.parent.map(parseParent)
      const owner = o.owner ? parseAddress(o.owner, '--owner') : undefined
      const ctx = await connect(opts, true)
      const content = await computeCid(file, { onProgress: hashingProgress(file) })
      const r = await ctx.sahara.registerAsset({
        kind: o.kind as 'dataset',
        content: content.cid,
        metadata: { name: o.name, ...(o.description ? { description: o.description } : {}), file: basename(file), size: content.size },
        parents,
        owner,
      })
      if (o.metadataOut && r.metadata.json) writeFileSync(o.metadataOut, r.metadata.json)
      emit(
        opts,
        { assetId: r.assetId, kind: o.kind, content: r.content, size: content.size, metadata: r.metadata.cid, metadataJson: r.metadata.json ? JSON.parse(r.metadata.json) : undefined, tx: r.hash },
        () => [`Registered ${o.kind} #${r.assetId}`, ...table([['content', r.content], ['metadata', r.metadata.cid], ['tx', r.hash]], '  ')],
      )
    })

  asset
    .command('show')
    .description('an asset, its latest version and its lineage')
    .argument('<id>', 'asset id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetId = parseId(id, 'The asset id')
      const ctx = await connect(opts, false)
      const [a, ancestors, descendants] = await Promise.all([
        ctx.sahara.getAsset(assetId),
        ctx.sahara.getAncestors(assetId),
        ctx.sahara.getDescendants(assetId),
      ])
      const kinds = new Map<bigint, string>([[a.assetId, a.kindName]])
      await Promise.all(
        [...ancestors.ids, ...descendants.ids].map(async (x) => kinds.set(x, (await ctx.sahara.getAsset(x)).kindName)),
      )
      const label = (n: LineageNode) =>
        `#${n.assetId} ${kinds.get(n.assetId) ?? ''}${n.relation ? ` (${n.relation}${n.royaltyBps ? `, royalty ${n.royaltyBps / 100}%` : ''}${n.licenseId ? `, license #${n.licenseId}` : ''})` : ''}${n.deduped ? ' (see above)' : ''}`
      emit(opts, { ...a, ancestors: ancestors.tree, ancestorIds: ancestors.ids, descendants: descendants.tree, descendantIds: descendants.ids }, () => [
        ...describe(a),
        '',
        'Lineage (parents up to the roots):',
        ...renderTree(ancestors.tree, label).map((l) => `  ${l}`),
        ...(descendants.ids.length ? ['', 'Derived assets:', ...renderTree(descendants.tree, label).map((l) => `  ${l}`)] : []),
      ])
    })

  asset
    .command('versions')
    .description('every published version of an asset')
    .argument('<id>', 'asset id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetId = parseId(id, 'The asset id')
      const ctx = await connect(opts, false)
      const versions = await ctx.sahara.getVersions(assetId)
      emit(opts, versions, () =>
        versions.map((v) => `v${v.version}  ${new Date(v.publishedAt * 1000).toISOString()}  content ${v.content}  metadata ${v.metadata}`),
      )
    })

  asset
    .command('publish')
    .description('hash a file and publish it as a new version of an asset you own')
    .argument('<id>', 'asset id')
    .argument('<file>', 'the new asset bytes')
    .option('--name <name>', 'name in the metadata JSON (default: the file name)')
    .option('--description <text>', 'description in the metadata JSON')
    .option('--metadata-out <file>', 'write the metadata JSON here')
    .action(async (id: string, file: string, o: { name?: string; description?: string; metadataOut?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetId = parseId(id, 'The asset id')
      const ctx = await connect(opts, true)
      const content = await computeCid(file, { onProgress: hashingProgress(file) })
      const r = await ctx.sahara.publishVersion({
        assetId,
        content: content.cid,
        metadata: { name: o.name ?? basename(file), ...(o.description ? { description: o.description } : {}), file: basename(file), size: content.size },
      })
      if (o.metadataOut && r.metadata.json) writeFileSync(o.metadataOut, r.metadata.json)
      emit(opts, { assetId, version: r.version, content: r.content, metadata: r.metadata.cid, tx: r.hash }, () => [
        `Published version ${r.version} of asset #${assetId}`,
        ...table([['content', r.content], ['metadata', r.metadata.cid], ['tx', r.hash]], '  '),
      ])
    })
}

function describe(a: AssetView): string[] {
  return [
    `Asset #${a.assetId} (${a.kindName})`,
    ...table(
      [
        ['owner', a.owner],
        ['creator', a.creator],
        ['registered', new Date(a.registeredAt * 1000).toISOString()],
        ['versions', a.versionCount],
        ['latest', `v${a.latest.version}`],
        ['content', a.latest.content],
        ['metadata', a.latest.tokenURI],
        ['royalty', `${a.royaltyBps / 100}% to parents`],
      ],
      '  ',
    ),
  ]
}
