// The `sahara` CLI as a user runs it (the real bin in a child process) against a devnet.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Devnet } from '@sahara/devnet'

const bin = fileURLToPath(new URL('../../packages/cli/bin/sahara.mjs', import.meta.url))

export type CliRun = { code: number; stdout: string; stderr: string }

/** Runs `sahara --rpc-url <devnet> --deployments <devnet file> [--private-key key] ...args` in `cwd`. */
export function runSahara(devnet: Pick<Devnet, 'rpcUrl' | 'deploymentsFile'>, args: string[], o: { cwd: string; privateKey?: string }): Promise<CliRun> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }
  const full = ['--rpc-url', devnet.rpcUrl, '--deployments', devnet.deploymentsFile, ...args]
  if (o.privateKey !== undefined) full.unshift('--private-key', o.privateKey)
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...full], { env, cwd: o.cwd }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}
