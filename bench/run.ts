// `npm run bench`: the protocol gas benchmark (bench/results/gas.json), then the pay-per-use
// benchmark (bench/results/payments.json), each on a fresh anvil, then governance gas against a
// stock OpenZeppelin governor (bench/results/governance.json, from forge), then the genesis token
// paths: vesting release and airdrop claim (bench/results/token.json, from forge).
// Flags: --quick (100 contributors max, lineage depth 10) for a fast smoke run;
// Then staking gas at 1 / 1,000 / 100,000 delegators (bench/results/staking.json, from forge).
// --only=gas, --only=payments, --only=governance, --only=token or --only=staking to run one of them.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { deployProtocol, devAccounts, localChain, publicClientFor, startAnvil, walletClientFor } from '@sahara/devnet'
import { runGasBench, type GasRow } from './gas.ts'
import { runGovernanceBench } from './governance.ts'
import { runPaymentsBench } from './payments.ts'
import { runTokenBench } from './token.ts'
import { runStakingBench } from './staking.ts'
import { printTable } from './table.ts'

const quick = process.argv.includes('--quick')
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length)
const here = path.dirname(fileURLToPath(import.meta.url))
const started = Date.now()

if (only === undefined || only === 'gas') await runGas()
if (only === undefined || only === 'payments') await runPaymentsBench({ quick, here })
if (only === undefined || only === 'governance') runGovernanceBench({ here, forge: forgeBinary() })
if (only === undefined || only === 'token') runTokenBench({ here, forge: forgeBinary() })
if (only === undefined || only === 'staking') runStakingBench({ here, forge: forgeBinary() })

/** The native forge binary (the npm launcher always exits 0). */
function forgeBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  return path.join(here, '..', 'node_modules', '@foundry-rs', `forge-${process.platform}-${arch}`, 'bin', 'forge')
}

async function runGas(): Promise<void> {
  // No block gas limit: bulk setup transactions (mintBatch of 1,000 contributors) are huge.
  // Pruned history: anvil would otherwise keep a state snapshot per block, which after 100k
  // contributors costs seconds and gigabytes per block.
  const anvil = await startAnvil({ blockGasLimit: 'disabled', extraArgs: ['--prune-history', '16'] })
  try {
    const chain = localChain(31337, anvil.rpcUrl)
    const publicClient = publicClientFor(anvil.rpcUrl, chain)
    const accounts = devAccounts(10)
    const { deployments } = await deployProtocol({
      walletClient: walletClientFor(anvil.rpcUrl, accounts[0]!.privateKey, chain),
      publicClient,
      treasury: accounts[9]!.address,
    })
    const rows = await runGasBench({
      publicClient,
      chain,
      deployments,
      accounts,
      ...(quick ? { contributorCounts: [1, 100], lineageDepths: [1, 10] } : {}),
      log: (m) => console.error(`  [${((Date.now() - started) / 1000).toFixed(1)} s] ${m}`),
    })
    const file = path.join(here, 'results', quick ? 'gas.quick.json' : 'gas.json')
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`)
    printTable(rows)
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    console.log(`\nwrote ${path.relative(process.cwd(), file)}; wall time ${seconds} s`)
    const over = rows.filter((r) => r.target !== undefined && r.gas > r.target)
    if (over.length) console.log(`${over.length} row(s) above target: ${over.map((r) => r.name).join('; ')}`)
  } finally {
    await anvil.stop()
  }
}
