/**
 * Reusable HTTP load generator: N keep-alive connections, each sending requests back to back.
 * Paid mode gives every connection its own lane (sequential calls per lane, concurrency = lanes)
 * with a 1024-unit hash chain, renewing the voucher when a chain is used up.
 *
 *   node --import tsx test/load.ts [--url http://127.0.0.1:PORT] [--mode paid|free|both]
 *        [--connections 64] [--duration 10] [--warmup 2] [--durability full|normal]
 * Without --url it spawns test/serve-fake.ts (node on an in-memory chain) in a child process.
 */
import { spawn } from 'node:child_process'
import { Agent, request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { Address, Hex } from 'viem'
import { signDigestNative, VoucherRecoverer } from '../src/payments/eip712.ts'
import type { SignedVoucher } from '../src/payments/types.ts'
import { ASSET, CHAIN_ID, CHANNELS, LaneClient, PAYER_KEY } from './helpers.ts'

/**
 * The load generator signs its vouchers with libsecp256k1 (as a native client would): it shares the
 * machine with the node, and noble's ~4 ms per signature would be charged to the paid runs only.
 */
function nativeVoucherSigner(domain: { chainId: number; verifyingContract: Address }, key: Hex) {
  const digest = new VoucherRecoverer(domain)
  const keyBytes = Buffer.from(key.slice(2), 'hex')
  return (message: Omit<SignedVoucher, 'signature'>): Hex => signDigestNative(digest.digest(message), keyBytes)
}

export type LoadResult = {
  mode: string
  connections: number
  seconds: number
  calls: number
  rps: number
  errors: number
  p50ms: number
  p90ms: number
  p99ms: number
  statuses: Record<number, number>
  /** CPU time of the load generator's process per measured call (µs): the client's share of the machine. */
  clientCpuUsPerCall: number
}

export type LoadOptions = {
  url: string
  path: string
  connections: number
  durationMs: number
  warmupMs?: number
  body: Buffer
  /** Per-connection header source; return undefined for none. */
  headers?: (conn: number) => Promise<(() => Promise<Record<string, string>> | Record<string, string>) | undefined>
  mode?: string
  /** 'raw': hand-written HTTP/1.1 over net sockets (~10x cheaper per request than node:http). */
  client?: 'raw' | 'http'
}

/**
 * One keep-alive connection speaking minimal HTTP/1.1: writes a request, reads exactly one response
 * (status line + headers + content-length body), calls back with the status.
 */
class RawConnection {
  private buf: Buffer = Buffer.alloc(0)
  private waiting: ((status: number) => void) | undefined
  constructor(private readonly sock: Socket) {
    sock.setNoDelay(true)
    sock.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d])
      this.tryParse()
    })
  }
  static open(host: string, port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = connect(port, host, () => resolve(new RawConnection(s)))
      s.once('error', reject)
    })
  }
  private tryParse(): void {
    const end = this.buf.indexOf('\r\n\r\n')
    if (end === -1) return
    const head = this.buf.toString('latin1', 0, end)
    const m = /\r\ncontent-length: *(\d+)/i.exec(head)
    const len = m ? Number(m[1]) : 0
    if (this.buf.length < end + 4 + len) return
    const status = Number(head.slice(9, 12))
    this.buf = this.buf.subarray(end + 4 + len)
    const w = this.waiting
    this.waiting = undefined
    w?.(status)
  }
  send(req: Buffer): Promise<number> {
    return new Promise((resolve) => {
      this.waiting = resolve
      this.sock.write(req)
    })
  }
  close(): void {
    this.sock.destroy()
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections })
  const u = new URL(o.url)
  const lat: number[] = []
  const statuses: Record<number, number> = {}
  let errors = 0
  let measuring = false
  let stop = false
  const one = (headers: Record<string, string>): Promise<void> =>
    new Promise((resolve) => {
      const t0 = performance.now()
      const req = request(
        { host: u.hostname, port: u.port, path: o.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': o.body.length, ...headers } },
        (res) => {
          res.on('data', () => {})
          res.on('end', () => {
            if (measuring) {
              lat.push(performance.now() - t0)
              statuses[res.statusCode!] = (statuses[res.statusCode!] ?? 0) + 1
            }
            if (res.statusCode !== 200) errors++
            resolve()
          })
        },
      )
      req.on('error', () => {
        errors++
        resolve()
      })
      req.end(o.body)
    })
  const workers = await Promise.all(Array.from({ length: o.connections }, async (_, i) => (o.headers ? await o.headers(i) : undefined)))
  const raw = o.client !== 'http'
  const conns = raw ? await Promise.all(workers.map(() => RawConnection.open(u.hostname, Number(u.port)))) : []
  const prefix = `POST ${o.path} HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: application/json\r\ncontent-length: ${o.body.length}\r\n`
  const rawOne = async (c: RawConnection, headers: Record<string, string>): Promise<void> => {
    let h = prefix
    for (const k in headers) h += `${k}: ${headers[k]}\r\n`
    const t0 = performance.now()
    const status = await c.send(Buffer.concat([Buffer.from(h + '\r\n', 'latin1'), o.body]))
    if (measuring) {
      lat.push(performance.now() - t0)
      statuses[status] = (statuses[status] ?? 0) + 1
    }
    if (status !== 200) errors++
  }
  const loops = workers.map(async (h, i) => {
    if (raw) while (!stop) await rawOne(conns[i]!, h ? await h() : {})
    else while (!stop) await one(h ? await h() : {})
  })
  await new Promise((r) => setTimeout(r, o.warmupMs ?? 1000))
  errors = 0
  measuring = true
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  await new Promise((r) => setTimeout(r, o.durationMs))
  measuring = false
  const cpu = process.cpuUsage(cpu0)
  const seconds = (performance.now() - t0) / 1000
  stop = true
  await Promise.all(loops)
  agent.destroy()
  for (const c of conns) c.close()
  const sorted = Float64Array.from(lat).sort()
  return {
    mode: o.mode ?? '',
    connections: o.connections,
    seconds: Number(seconds.toFixed(2)),
    calls: lat.length,
    rps: Math.round(lat.length / seconds),
    errors,
    p50ms: Number(percentile(sorted, 50).toFixed(2)),
    p90ms: Number(percentile(sorted, 90).toFixed(2)),
    p99ms: Number(percentile(sorted, 99).toFixed(2)),
    statuses,
    clientCpuUsPerCall: Math.round((cpu.user + cpu.system) / Math.max(1, lat.length)),
  }
}

export type PaidHeadersOptions = {
  /** Hash chain length per voucher (default 1024). */
  chainLength?: number
  /** Channel signer key (default: the test payer of helpers.ts). */
  key?: Hex
  /** EIP-712 domain of PaymentChannels (default: the FakeChain constants of helpers.ts). */
  domain?: { chainId: number; verifyingContract: Address }
  unitPrice?: bigint
  /** First lane index (lanes are laneBase + connection index). */
  laneBase?: number
}

/**
 * Headers for paid calls on lane `laneBase + conn` of channel `channelId`: each connection owns a
 * lane, its first call carries the voucher, a new voucher (cumulative = lane total) every chain.
 */
export function paidHeaders(channelId: bigint, assetId: bigint, o: PaidHeadersOptions = {}) {
  const chainLength = o.chainLength ?? 1024
  const sign = {
    ...(o.key ? { key: o.key } : {}),
    ...(o.domain ? { domain: o.domain } : {}),
    ...(o.unitPrice !== undefined ? { unitPrice: o.unitPrice } : {}),
    sign: nativeVoucherSigner(o.domain ?? { chainId: CHAIN_ID, verifyingContract: CHANNELS }, o.key ?? PAYER_KEY),
  }
  return async (conn: number) => {
    const c = new LaneClient(channelId, assetId, BigInt((o.laneBase ?? 0) + conn), chainLength)
    await c.newChain(0n, sign)
    return async () => {
      if (c.index >= chainLength) await c.newChain(c.total(), sign)
      return c.next()
    }
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      mode: { type: 'string', default: 'both' },
      connections: { type: 'string', default: '64' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      durability: { type: 'string', default: 'full' },
      client: { type: 'string', default: 'raw' },
      writer: { type: 'string', default: 'worker' },
    },
  })
  let url = values.url
  let child: ReturnType<typeof spawn> | undefined
  if (!url) {
    child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./serve-fake.ts', import.meta.url)), '--durability', values.durability!, '--writer', values.writer!], { stdio: ['ignore', 'pipe', 'inherit'] })
    url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()))
      child!.once('exit', (c) => reject(new Error(`server exited ${c}`)))
    })
  }
  const connections = Number(values.connections)
  const durationMs = Number(values.duration) * 1000
  const warmupMs = Number(values.warmup) * 1000
  const body = Buffer.from(JSON.stringify({ input: 'hello' }))
  const results: LoadResult[] = []
  try {
    if (values.mode === 'free' || values.mode === 'both') results.push(await runLoad({ url, path: '/v1/invoke/8', connections, durationMs, warmupMs, body, mode: 'free', client: values.client as 'raw' | 'http' }))
    if (values.mode === 'paid' || values.mode === 'both') results.push(await runLoad({ url, path: `/v1/invoke/${ASSET}`, connections, durationMs, warmupMs, body, headers: paidHeaders(1n, ASSET), mode: 'paid', client: values.client as 'raw' | 'http' }))
  } finally {
    if (child) {
      child.kill('SIGTERM')
      await new Promise((r) => child!.once('exit', r))
    }
  }
  for (const r of results) process.stdout.write(JSON.stringify(r) + '\n')
  const free = results.find((r) => r.mode === 'free')
  const paid = results.find((r) => r.mode === 'paid')
  if (free && paid) process.stdout.write(JSON.stringify({ paidOverFree: Number((paid.rps / free.rps).toFixed(3)) }) + '\n')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
