import { readFileSync } from 'node:fs'
import { AirdropError, ContractError, EquivocationError, InvalidArgumentError, SaharaError, TokenomicsConfigError } from '@sahara/sdk'
import { Command, CommanderError, Option } from 'commander'
import { airdropCommand } from './commands/airdrop'
import { assetCommand } from './commands/asset'
import { callCommand } from './commands/call'
import { channelCommand } from './commands/channel'
import { cidCommand } from './commands/cid'
import { faucetCommand } from './commands/faucet'
import { govCommand } from './commands/gov'
import { grantsCommand } from './commands/grants'
import { licenseCommand } from './commands/license'
import { nodeCommand } from './commands/node'
import { nodeStartCommand } from './commands/nodeStart'
import { receiptCommand } from './commands/receipt'
import { revenueCommand } from './commands/revenue'
import { sharesCommand } from './commands/shares'
import { stakeCommand } from './commands/stake'
import { swapCommand } from './commands/swap'
import { tokenomicsCommand } from './commands/tokenomics'
import { UsageError } from './errors'

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

export function buildProgram(): Command {
  const program = new Command('sahara')
    .version(version, '-V, --version')
    .description('Sahara protocol CLI: register AI assets, license them, route and claim revenue, pay per call')
    .addOption(new Option('--rpc-url <url>', 'JSON-RPC endpoint').default('http://127.0.0.1:8545').env('SAHARA_RPC_URL'))
    .addOption(new Option('--private-key <key>', 'signer key (or set SAHARA_PRIVATE_KEY)'))
    .option('--deployments <file>', 'deployments file or directory (default: search $SAHARA_DEPLOYMENTS, ./.sahara/devnet/deployments, ./deployments)')
    .option('--json', 'machine-readable JSON output', false)
    .option('--verbose', 'show error details and stack traces', false)
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
  assetCommand(program)
  licenseCommand(program)
  revenueCommand(program)
  sharesCommand(program)
  faucetCommand(program)
  swapCommand(program)
  cidCommand(program)
  channelCommand(program)
  callCommand(program)
  receiptCommand(program)
  tokenomicsCommand(program)
  airdropCommand(program)
  govCommand(program)
  grantsCommand(program)
  stakeCommand(program)
  nodeStartCommand(nodeCommand(program))
  for (const cmd of allCommands(program)) cmd.exitOverride().configureOutput({ outputError: () => {} })
  return program
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)])
}

/** One clear sentence on stderr and a non-zero exit; details and stack only with --verbose. */
function fail(err: unknown, verbose: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0
    const msg = err.message.replace(/^error:\s*/, '')
    process.stderr.write(`error: ${msg.charAt(0).toUpperCase()}${msg.slice(1)}${/[.!?]$/.test(msg) ? '' : '.'}\n`)
    return 2
  }
  if (err instanceof SaharaError) {
    process.stderr.write(`error: ${err.shortMessage}\n`)
    if (verbose) {
      if (err instanceof ContractError) process.stderr.write(`  revert: ${err.details}\n`)
      if (err.stack) process.stderr.write(`${err.stack}\n`)
      if (err.cause instanceof Error) process.stderr.write(`caused by: ${err.cause.stack ?? err.cause.message}\n`)
    }
    // a bad config or CSV is bad input too
    const input = err instanceof UsageError || err instanceof InvalidArgumentError || err instanceof TokenomicsConfigError || err instanceof AirdropError || err instanceof EquivocationError
    return input ? 2 : 1
  }
  const e = err as Error
  process.stderr.write(`error: ${e?.message?.split('\n')[0] ?? String(err)}\n`)
  if (verbose && e?.stack) process.stderr.write(`${e.stack}\n`)
  return 1
}

async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose')
  const program = buildProgram()
  try {
    if (argv.length <= 2) {
      program.outputHelp()
      return 0
    }
    await program.parseAsync(argv)
    return 0
  } catch (err) {
    return fail(err, verbose)
  }
}

process.exitCode = await main(process.argv)
