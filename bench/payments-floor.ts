// How low can the paid/unpaid ratio of a trivial model go under the per-call receipt design? Runs
// bench/payments-floor-server.ts (an echo server with nothing but the design's per-call work, see
// there) against the same load generator as the node, in rounds of free / receipts / durable /
// threaded runs whose order rotates, and reports calls/s and server CPU per call of each.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { paidHeaders, runLoad, type LoadResult } from '../packages/node/test/load.ts'
import { median } from './table.ts'

export type FloorMode = 'free' | 'receipts' | 'durable' | 'threaded'
export type FloorRow = LoadResult & { route: FloorMode; serverCpuUsPerCall: number }
export type FloorResult = {
  rows: FloorRow[]
  /** Medians over the rounds: free calls/s over paid calls/s, and server CPU paid over free. */
  ratios: Record<`${Exclude<FloorMode, 'free'>}${'UnpaidOverPaid' | 'CpuOverFree'}`, number>
}

const MODES: FloorMode[] = ['free', 'receipts', 'durable', 'threaded']

export async function runFloorBench(o: { quick: boolean; log: (m: string) => void }): Promise<FloorResult> {
  const server = fileURLToPath(new URL('./payments-floor-server.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', server], { stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()))
      child.once('exit', (c) => reject(new Error(`the floor server exited with code ${c}`)))
    })
    const stats = async () => (await (await fetch(`${url}/stats`)).json()) as { calls: number; cpuUs: number }
    const connections = 64
    const durationMs = o.quick ? 3_000 : 5_000
    const warmupMs = o.quick ? 1_000 : 1_500
    const body = Buffer.from(JSON.stringify({ input: 'hello' }))
    const rows: FloorRow[] = []
    const rounds = o.quick ? 1 : 3
    let laneBase = 0
    for (let i = 0; i < rounds; i++) {
      // rotate the order so that drift of the shared machine does not favour one route
      for (let k = 0; k < MODES.length; k++) {
        const route = MODES[(i + k) % MODES.length]!
        const headers = route === 'free' ? undefined : paidHeaders(1n, 8n, { laneBase })
        if (headers) laneBase += connections
        const before = await stats()
        const r = await runLoad({ url, path: `/${route}`, connections, durationMs, warmupMs, body, mode: route, client: 'raw', ...(headers ? { headers } : {}) })
        const after = await stats()
        const serverCpuUsPerCall = Math.round(((after.cpuUs - before.cpuUs) / Math.max(1, after.calls - before.calls)) * 10) / 10
        rows.push({ ...r, route, serverCpuUsPerCall })
        o.log(`floor ${route}: ${Math.round(r.rps)} calls/s, server CPU ${serverCpuUsPerCall} µs/call, statuses ${JSON.stringify(r.statuses)}`)
      }
    }
    // per round: the ratios of runs made back to back
    const perRound = (paid: FloorMode, f: (free: FloorRow, p: FloorRow) => number) =>
      Number(
        median(
          Array.from({ length: rounds }, (_, i) => {
            const round = rows.slice(i * MODES.length, (i + 1) * MODES.length)
            return f(round.find((r) => r.route === 'free')!, round.find((r) => r.route === paid)!)
          }),
        ).toFixed(3),
      )
    return {
      rows,
      ratios: {
        receiptsUnpaidOverPaid: perRound('receipts', (f, p) => f.rps / p.rps),
        durableUnpaidOverPaid: perRound('durable', (f, p) => f.rps / p.rps),
        threadedUnpaidOverPaid: perRound('threaded', (f, p) => f.rps / p.rps),
        receiptsCpuOverFree: perRound('receipts', (f, p) => p.serverCpuUsPerCall / f.serverCpuUsPerCall),
        durableCpuOverFree: perRound('durable', (f, p) => p.serverCpuUsPerCall / f.serverCpuUsPerCall),
        threadedCpuOverFree: perRound('threaded', (f, p) => p.serverCpuUsPerCall / f.serverCpuUsPerCall),
      },
    }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)))
  }
}
