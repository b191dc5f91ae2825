import { parseArgs } from 'node:util'
import { loadConfig } from './config.ts'
import { startNode } from './node.ts'

/** `node --import tsx packages/node/src/main.ts --config <file>` */
const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } } })
if (!values.config) {
  process.stderr.write('usage: main.ts --config <node config JSON>\n')
  process.exit(2)
}
const node = await startNode(loadConfig(values.config))
process.stdout.write(`sahara node listening on ${node.url}\n`)
let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await node.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
