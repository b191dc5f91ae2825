import { computeCid, toContentRef } from '@sahara/sdk'
import type { Command } from 'commander'
import { emit, hashingProgress, table, type GlobalOptions } from '../output'

export function cidCommand(program: Command): void {
  program
    .command('cid')
    .description('print the CID `ipfs add --cid-version 1` would give a file (no node needed)')
    .argument('<file>', 'file to hash')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const r = await computeCid(file, { onProgress: hashingProgress(file) })
      const ref = toContentRef(r.cid)
      emit(opts, { file, cid: r.cid, size: r.size, codec: ref.codec, digest: ref.digest }, () =>
        opts.verbose ? table([['cid', r.cid], ['size', r.size], ['codec', `0x${ref.codec.toString(16)}`], ['digest', ref.digest]]) : r.cid,
      )
    })
}
