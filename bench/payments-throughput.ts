// Paid vs unpaid throughput of a real execution node process on a real anvil devnet: the same
// route (/v1/invoke/:assetId) and runtime, once for an asset served free and once for an asset
// paid per call through payment channels (a lane per connection, vouchers + hash-chain tickets,
// receipts signed per group, settlements to anvil running in the background).
import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { type Hex } from 'viem'
import { localChain, startDevnet, walletClientFor } from '@sahara/devnet'
import { demoNodeConfig, seedExecution } from '@sahara/network'
import { computeCid, createSaharaClient } from '@sahara/sdk'
import { paidHeaders, runLoad, type LoadResult } from '../packages/node/test/load.ts'
import { median } from './table.ts'
import { startNodeProcess } from '../tests/utils/nodeProcess.ts'

export type ThroughputRow = LoadResult & { model: string; paid: boolean; nodeCpuUsPerCall: number }

/** The node's CPU time so far (µs) and the calls it answered, from its /metrics. */
async function nodeCounters(url: string): Promise<{ cpuUs: number; calls: number }> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const cpu = Number(/^process_cpu_seconds_total (\S+)$/m.exec(text)?.[1])
  let calls = 0
  for (const m of text.matchAll(/^sahara_node_requests_total\{route="\/v1\/invoke\/:assetId",status="200"\} (\d+)$/gm)) calls += Number(m[1])
  return { cpuUs: cpu * 1e6, calls }
}

export type ThroughputResult = { rows: ThroughputRow[]; ratios: Record<string, number | number[]>; settlement: Record<string, number> }

export async function runThroughputBench(o: { quick: boolean; log: (m: string) => void }): Promise<ThroughputResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sahara-bench-node-'))
  const devnet = await startDevnet({ dataDir: join(dir, 'devnet'), port: 0, fresh: true, seed: true })
  let node: Awaited<ReturnType<typeof startNodeProcess>> | undefined
  try {
    const ppu = devnet.seed!.payPerUse!
    const chain = localChain(devnet.chainId, devnet.rpcUrl)
    const client = (i: number) =>
      createSaharaClient({ publicClient: devnet.publicClient, walletClient: walletClientFor(devnet.rpcUrl, devnet.accounts[i]!.privateKey as Hex, chain), deployments: devnet.deployments })
    const owner = client(4)
    // Three more assets: a trivial (echo) model paid and free, and the ONNX model's bytes registered
    // again to be served free: each pair runs the same runtime on the same route.
    const reg = async (name: string, bytes: Uint8Array) =>
      (await owner.registerAsset({ kind: 'model', content: (await computeCid(bytes)).cid, metadata: { name, description: name } })).assetId
    const echoPaid = await reg('echo (paid)', new TextEncoder().encode('echo paid'))
    const echoFree = await reg('echo (free)', new TextEncoder().encode('echo free'))
    const onnxFree = (await owner.registerAsset({ kind: 'model', content: ppu.model.content, metadata: { name: 'penguins classifier (free copy)', description: 'bench' } })).assetId
    const exec = await seedExecution(devnet, ppu, 'http://127.0.0.1:1')
    const op = client(5)
    await op.serveAsset({ nodeId: exec.nodeId, assetId: echoPaid, feeBps: 1000 })
    const base = demoNodeConfig(devnet, ppu, exec, { dataDir: join(dir, 'node'), port: 0 })
    const token = ppu.token
    const price = ppu.model.unitPrice
    const config = {
      ...base,
      logLevel: 'warn',
      assets: [
        ...(base.assets as object[]),
        { assetId: echoPaid.toString(), name: 'echo-paid', runtime: 'echo', unitPrice: price.toString(), token, tokenName: 'Tether USD (Sahara devnet)' },
        { assetId: echoFree.toString(), name: 'echo-free', runtime: 'echo', free: true, token },
        // The free copy runs the same ONNX bytes with the model's manifest (CIDs given, version pinned).
        { assetId: onnxFree.toString(), name: 'penguins-free', runtime: 'onnx', free: true, token, contentCid: ppu.model.content, metadataCid: ppu.model.metadata, version: 1 },
      ],
    }
    node = await startNodeProcess(config, join(dir, 'node.json'))
    o.log(`node ${node.url} serving echo and ONNX, paid and free`)

    const connections = 64
    const payer = client(2)
    await payer.faucet({ amount: 100_000n * 10n ** 6n })
    const channel = (await payer.openChannel({ nodeId: exec.nodeId, token: 'USDT', amount: 90_000n * 10n ** 6n })).channelId
    const domain = { chainId: devnet.chainId, verifyingContract: devnet.deployments.contracts.PaymentChannels! }
    const key = devnet.accounts[2]!.privateKey as Hex
    const durationMs = o.quick ? 3_000 : 6_000
    const warmupMs = o.quick ? 1_000 : 1_500
    const echoBody = Buffer.from(JSON.stringify({ input: 'hello' }))
    const onnxBody = Buffer.from(JSON.stringify({ features: [39.1, 18.7, 181, 3750] }))
    const rows: ThroughputRow[] = []
    let laneBase = 0
    const run = async (model: string, assetId: bigint, paid: boolean, body: Buffer) => {
      o.log(`${model} ${paid ? 'paid' : 'free'}: ${connections} connections, ${durationMs / 1000} s`)
      const headers = paid ? paidHeaders(channel, assetId, { key, domain, unitPrice: price, laneBase }) : undefined
      if (paid) laneBase += connections
      // the node's CPU per answered call over the whole run (warm-up included)
      const before = await nodeCounters(node!.url)
      const r = await runLoad({ url: node!.url, path: `/v1/invoke/${assetId}`, connections, durationMs, warmupMs, body, mode: paid ? 'paid' : 'free', client: 'raw', ...(headers ? { headers } : {}) })
      const after = await nodeCounters(node!.url)
      const nodeCpuUsPerCall = Math.round((after.cpuUs - before.cpuUs) / Math.max(1, after.calls - before.calls))
      rows.push({ ...r, model, paid, nodeCpuUsPerCall })
      o.log(`  ${Math.round(r.rps)} calls/s, p50 ${r.p50ms.toFixed(2)} ms, p99 ${r.p99ms.toFixed(2)} ms, node CPU ${nodeCpuUsPerCall ?? '?'} µs/call, load generator ${r.clientCpuUsPerCall} µs/call, statuses ${JSON.stringify(r.statuses)}`)
    }
    // Free and paid runs of a model alternate in pairs (free first, then paid first, ...), so that
    // drift of the shared machine hits both modes alike; the overhead is the median of the pairs'
    // unpaid/paid ratios, each measured back to back.
    const pairs = o.quick ? 1 : 5
    const pairRatios: Record<string, number[]> = { echo: [], onnx: [] }
    // node CPU per paid call / per unpaid call: the overhead in work, less sensitive to machine noise
    const cpuRatios: Record<string, number[]> = { echo: [], onnx: [] }
    for (let i = 0; i < pairs; i++) {
      for (const [model, free, paid, body] of [
        ['echo', echoFree, echoPaid, echoBody],
        ['onnx', onnxFree, ppu.model.assetId, onnxBody],
      ] as const) {
        const order = i % 2 === 0 ? [false, true] : [true, false]
        for (const p of order) await run(model, p ? paid : free, p, body)
        const [x, y] = rows.slice(-2)
        const [f, q] = x!.paid ? [y!, x!] : [x!, y!]
        pairRatios[model]!.push(f.rps / q.rps)
        cpuRatios[model]!.push(q.nodeCpuUsPerCall / f.nodeCpuUsPerCall)
      }
    }
    const ratios = {
      echoUnpaidOverPaid: Number(median(pairRatios.echo!).toFixed(3)),
      onnxUnpaidOverPaid: Number(median(pairRatios.onnx!).toFixed(3)),
      echoPairs: pairRatios.echo!.map((r) => Number(r.toFixed(3))),
      onnxPairs: pairRatios.onnx!.map((r) => Number(r.toFixed(3))),
      echoNodeCpuPaidOverUnpaid: Number(median(cpuRatios.echo!).toFixed(3)),
      onnxNodeCpuPaidOverUnpaid: Number(median(cpuRatios.onnx!).toFixed(3)),
    }
    // Let the node settle what it served, then read its settlement counters.
    await new Promise((r) => setTimeout(r, 6_000))
    const metrics = await (await fetch(`${node.url}/metrics`)).text()
    const counter = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0)
    const paidCalls = rows.filter((r) => r.paid).reduce((a, r) => a + r.calls, 0)
    const settlement = {
      batches: counter('sahara_node_settlement_batches_total'),
      gas: counter('sahara_node_settlement_gas_total'),
      paidCallsMeasured: paidCalls,
    }
    return { rows, ratios, settlement }
  } finally {
    await node?.kill()
    await devnet.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
