// Runs the walkthrough in docs/cli.md, line by line, with the real bin against a fresh devnet:
// every `sahara ...` line must succeed, so the documented commands keep working.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { useCliTestDevnet } from './utils/devnet.ts'

const here = dirname(fileURLToPath(import.meta.url))
const bin = join(here, '../bin/sahara.mjs')
const docs = join(here, '../../../docs/cli.md')

/** Minimal shell word splitting: whitespace, double or single quotes, `#` comments. */
export function words(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quote: string | undefined
  let started = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quote) {
      if (ch === quote) quote = undefined
      else cur += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      started = true
    } else if (/\s/.test(ch)) {
      if (started) out.push(cur)
      cur = ''
      started = false
    } else if (ch === '#' && !started) {
      break
    } else {
      cur += ch
      started = true
    }
  }
  if (started) out.push(cur)
  return out
}

describe('docs/cli.md walkthrough', { timeout: 300_000 }, () => {
  const net = useCliTestDevnet('sahara-cli-docs-')

  it('every command of the walkthrough succeeds', async () => {
    const text = readFileSync(docs, 'utf8')
    const m = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(text)
    assert.ok(m, 'docs/cli.md needs a walkthrough block')
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      SAHARA_RPC_URL: net.devnet.rpcUrl,
      SAHARA_DEPLOYMENTS: dirname(net.devnet.deploymentsFile),
    }
    let ran = 0
    for (const line of m[1]!.split('\n')) {
      const w = words(line)
      if (w.length === 0) continue
      if (w[0] === 'export') {
        const [name, ...value] = w[1]!.split('=')
        env[name!] = value.join('=')
        continue
      }
      assert.equal(w[0], 'sahara', `unexpected line in the walkthrough: ${line}`)
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, [bin, ...w.slice(1)], { cwd: net.dir, env }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      )
      assert.equal(r.code, 0, `${line}\n${r.stderr}`)
      if (process.env.SHOW_DOCS_OUTPUT) process.stderr.write(`$ ${line}\n${r.stdout}`)
      ran++
    }
    assert.ok(ran >= 15, `only ${ran} commands ran`)
  })
})
