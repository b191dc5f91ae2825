import { resolve } from 'node:path'
import type { Command } from 'commander'

/**
 * `sahara node start --config <file>`: runs the execution node daemon (@sahara/node) in this
 * process until SIGINT/SIGTERM, then stops it cleanly (final settlement with the chain tails,
 * store closed) and exits 0. The node's own config names its RPC and contracts; the CLI's global
 * --rpc-url/--deployments do not apply.
 */
export function nodeStartCommand(node: Command): Command {
  return node
    .command('start')
    .description('run an execution node daemon from its config file until SIGINT/SIGTERM (see docs/node.md)')
    .requiredOption('--config <file>', 'node config JSON (dataDir, rpcUrl, nodeId, signerPrivateKey, assets, ...)')
    .option('--no-settle', 'on stop, do not run the final settlement (unsettled receipts stay in the store)')
    .action(async (o: { config: string; settle: boolean }) => {
      // loaded on demand: SQLite, ONNX runtime and the HTTP server are only needed here
      const { loadConfig, startNode } = await import('@sahara/node')
      const running = await startNode(loadConfig(resolve(o.config)))
      process.stdout.write(`sahara node listening on ${running.url}\n`)
      await new Promise<void>((done, fail) => {
        let stopping = false
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) {
            process.stderr.write(`${signal} again: exiting without waiting for the shutdown\n`)
            process.exit(1)
          }
          stopping = true
          process.stderr.write(`${signal}: stopping the node${o.settle ? ' (final settlement)' : ''}\n`)
          running.close({ settle: o.settle }).then(done, fail)
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      })
      process.stdout.write('sahara node stopped\n')
      // the node closed its server, store and chain clients; nothing should keep the loop alive,
      // but a stray handle in a dependency must not turn a clean stop into a hang
      setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref()
    })
}
