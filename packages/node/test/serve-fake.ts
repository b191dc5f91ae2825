/**
 * Benchmark/test server: a node on an in-memory chain (FakeChain) in its own process, so a load
 * generator in another process gets the other core. Prints the URL as the first stdout line.
 * Usage: node --import tsx test/serve-fake.ts [--durability full|normal]
 */
import { parseArgs } from 'node:util'
import { startNode } from '../src/node.ts'
import { FakeChain, tempDir, testConfig } from './helpers.ts'

const { values } = parseArgs({ options: { durability: { type: 'string', default: 'normal' }, writer: { type: 'string', default: 'inline' }, channels: { type: 'string', default: '4' } } })
const tmp = tempDir('sahara-bench-')
const chain = new FakeChain()
for (let i = 1; i <= Number(values.channels); i++) chain.openChannel(BigInt(i), { deposit: 10n ** 30n })
const node = await startNode(testConfig(tmp.dir, { durability: values.durability, groupWriter: values.writer }), { chain, manualSettlement: true })
const served = () => [...((node.internals.metrics as any).requests as Map<string, number>).values()].reduce((a, b) => a + b, 0)
// (cpu, served) once a second: per-call CPU is computed over the steady state (after warm-up)
const samples: { cpu: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization>; served: number }[] = []
setInterval(() => samples.push({ cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), served: served() }), 1000).unref()
process.stdout.write(node.url + '\n')
const stop = async () => {
  const m = node.internals.committer.stats
  const first = samples.findIndex((x) => x.served > 0)
  const base = samples[Math.min(samples.length - 1, first + 2)] ?? { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), served: 0 }
  const cpu = process.cpuUsage(base.cpu)
  // the event loop's busy time: what bounds throughput when the main thread is the bottleneck
  const elu = performance.eventLoopUtilization(base.elu)
  const n = served() - base.served
  process.stderr.write(JSON.stringify({ served: n, cpuUsPerCall: Math.round((cpu.user + cpu.system) / Math.max(1, n)), loopUsPerCall: Math.round((elu.active * 1000) / Math.max(1, n)), groups: m.groups, receipts: m.receipts, avgGroup: m.groups ? m.receipts / m.groups : 0, lastSignUs: m.lastSignUs }) + '\n')
  await node.close({ settle: false })
  tmp.cleanup()
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
