// The pay-per-use benchmark: settlement gas on a fresh anvil (bench/payments-gas.ts), paid vs
// unpaid throughput of a real node process (bench/payments-throughput.ts), and the same ratio for a
// bare server doing only the receipt design's per-call work (bench/payments-floor.ts). Writes
// bench/results/payments.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { deployProtocol, devAccounts, localChain, publicClientFor, startAnvil, walletClientFor } from '@sahara/devnet'
import { runPaymentsGasBench } from './payments-gas.ts'
import { runFloorBench } from './payments-floor.ts'
import { runThroughputBench } from './payments-throughput.ts'
import { printTable } from './table.ts'

export async function runPaymentsBench(o: { quick: boolean; here: string }): Promise<void> {
  const started = Date.now()
  const log = (m: string) => console.error(`  [payments ${((Date.now() - started) / 1000).toFixed(1)} s] ${m}`)
  const anvil = await startAnvil({ blockGasLimit: 'disabled' })
  const result: Record<string, unknown> = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version } }
  try {
    const chain = localChain(31337, anvil.rpcUrl)
    const publicClient = publicClientFor(anvil.rpcUrl, chain)
    const accounts = devAccounts(10)
    const { deployments } = await deployProtocol({
      walletClient: walletClientFor(anvil.rpcUrl, accounts[0]!.privateKey, chain),
      publicClient,
      treasury: accounts[9]!.address,
    })
    const gas = await runPaymentsGasBench({ rpcUrl: anvil.rpcUrl, publicClient, chain, deployments, accounts, log })
    printTable(gas)
    result.gas = gas
  } finally {
    await anvil.stop()
  }
  const throughput = await runThroughputBench({ quick: o.quick, log })
  result.throughput = throughput
  console.log('\nthroughput (one node process, 64 keep-alive connections, load generator in this process):')
  for (const r of throughput.rows) {
    console.log(
      `  ${r.model.padEnd(5)} ${r.paid ? 'paid  ' : 'unpaid'} ${String(Math.round(r.rps)).padStart(7)} calls/s  p50 ${r.p50ms.toFixed(2)} ms  p99 ${r.p99ms.toFixed(2)} ms` +
        `  node CPU ${r.nodeCpuUsPerCall ?? '?'} µs/call  load generator ${r.clientCpuUsPerCall} µs/call  errors ${r.errors}`,
    )
  }
  console.log(`  overhead (unpaid/paid calls/s, median of back-to-back pairs): echo ${throughput.ratios.echoUnpaidOverPaid}x, onnx ${throughput.ratios.onnxUnpaidOverPaid}x (target <= 1.25x)`)
  console.log(`  node CPU per paid call / per unpaid call (median of the pairs): echo ${throughput.ratios.echoNodeCpuPaidOverUnpaid}x, onnx ${throughput.ratios.onnxNodeCpuPaidOverUnpaid}x`)
  const floor = await runFloorBench({ quick: o.quick, log })
  result.floor = floor
  console.log('\nfloor of the receipt design (bench/payments-floor-server.ts: bare echo server, same load generator):')
  for (const r of floor.rows) {
    console.log(`  ${r.route.padEnd(8)} ${String(Math.round(r.rps)).padStart(7)} calls/s  p50 ${r.p50ms.toFixed(2)} ms  p99 ${r.p99ms.toFixed(2)} ms  server CPU ${r.serverCpuUsPerCall} µs/call  errors ${r.errors}`)
  }
  console.log(
    `  unpaid/paid calls/s (median of rounds): receipts only ${floor.ratios.receiptsUnpaidOverPaid}x, + signature and SQLite commit ${floor.ratios.durableUnpaidOverPaid}x` +
      ` (on a writer thread ${floor.ratios.threadedUnpaidOverPaid}x); server CPU paid/unpaid ${floor.ratios.receiptsCpuOverFree}x, ${floor.ratios.durableCpuOverFree}x, ${floor.ratios.threadedCpuOverFree}x`,
  )
  const file = path.join(o.here, 'results', o.quick ? 'payments.quick.json' : 'payments.json')
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
  console.log(`\nwrote ${path.relative(process.cwd(), file)}; wall time ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
