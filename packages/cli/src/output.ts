import { formatAmount, type LineageNode } from '@sahara/sdk'

/** Globals every command sees. */
export type GlobalOptions = {
  rpcUrl: string
  privateKey?: string | undefined
  deployments?: string | undefined
  json?: boolean | undefined
  verbose?: boolean | undefined
}

/** JSON with bigints as decimal strings and Uint8Arrays omitted (machine-readable output). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? undefined : v instanceof Map ? Object.fromEntries(v) : v), 2)
}

/** Prints the result: JSON when --json, else the human lines. */
export function emit(opts: GlobalOptions, json: unknown, human: () => string | string[]): void {
  if (opts.json) {
    process.stdout.write(`${toJson(json)}\n`)
    return
  }
  const lines = human()
  process.stdout.write(`${Array.isArray(lines) ? lines.join('\n') : lines}\n`)
}

/** Aligned "key  value" lines. */
export function table(rows: [string, string | number | bigint | boolean | undefined][], indent = ''): string[] {
  const width = Math.max(...rows.map(([k]) => k.length))
  return rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${indent}${k.padEnd(width)}  ${String(v)}`)
}

export function amount(value: bigint, decimals: number, symbol: string): string {
  return formatAmount(value, decimals, symbol)
}

/** Renders a lineage tree with box-drawing characters. */
export function renderTree(root: LineageNode, label: (n: LineageNode) => string): string[] {
  const lines = [label(root)]
  const walk = (node: LineageNode, prefix: string) => {
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${label(child)}`)
      walk(child, prefix + (last ? '   ' : '│  '))
    })
  }
  walk(root, '')
  return lines
}

/** Progress of hashing a file on stderr (large files only): rewrites one line on a terminal. */
export function hashingProgress(file: string, opts: { minBytes?: number } = {}): (done: number, total: number | undefined) => void {
  const minBytes = opts.minBytes ?? 16 * 1024 * 1024
  const tty = process.stderr.isTTY
  let lastPct = -1
  return (done, total) => {
    if (!total || total < minBytes) return
    const pct = Math.floor((done / total) * 100)
    if (pct === lastPct || (!tty && pct % 10 !== 0 && done !== total)) return
    lastPct = pct
    const mib = (n: number) => (n / 1024 / 1024).toFixed(1)
    const line = `hashing ${file}: ${pct}% (${mib(done)} / ${mib(total)} MiB)`
    if (tty) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`)
    else process.stderr.write(`${line}\n`)
  }
}
