// Deploys the whole protocol to any EVM chain, the same pipeline as the devnet minus its dev-only
// parts: modules -> exchange (an existing Uniswap v2 router is recorded; none is deployed) ->
// GrantPool -> NodeStaking -> genesis -> treasury and every admin power to the DAO timelock -> verify.
//   node --import tsx packages/devnet/src/deploy-cli.ts --rpc-url URL --private-key KEY --out deployments/
// The key may also come from $DEPLOYER_PRIVATE_KEY (keeps it out of shell history).
import path from 'node:path'
import { parseArgs } from 'node:util'
import { getAddress, isHex, type Hex } from 'viem'
import { deploymentsToJson } from '@sahara/sdk'
import { localChain, publicClientFor, walletClientFor } from './clients.ts'
import { DEFAULT_TOKENOMICS_CONFIG, loadTokenomics } from './genesis.ts'
import { DEFAULT_GOVERNANCE_CONFIG, loadGovernanceConfig } from './governanceConfig.ts'
import { deployPipeline } from './pipeline.ts'

const usage = `Usage: deploy-cli --rpc-url URL [--private-key 0x..|$DEPLOYER_PRIVATE_KEY] [--out deployments/]
  [--governance-config config/governance.json] [--tokenomics config/tokenomics.json]
  [--fee-bps 250] [--stablecoin 0x.. | --dev-stablecoin] [--uniswap-router 0x..]
  [--grants-committee 0x..] [--force] [--record-rpc-url]
Deploys the modules, GrantPool and NodeStaking, runs the genesis (DAO contracts + the one-time
distribution of the SAHARA supply per the tokenomics and governance configs) and hands every admin
power and every treasury destination (protocol fees, slashed stake, airdrop sweep, revoked vesting,
LP tokens) to the DAO timelock, then verifies all of it on chain. Writes <out>/<chainId>.json after
every step: a re-run resumes, and a finished deployment sends no transaction (--force redeploys).
On a chain other than 31337/1337 the governance config must name real addresses: "deployer" and
anvil's public dev accounts are refused.
Without --stablecoin a DevStablecoin (open faucet) is deployed as USDT: only on local dev chains,
or on a test network with --dev-stablecoin.
--uniswap-router records the network's existing Uniswap v2 router, factory and WETH so swaps work;
no pool is created here (its opening price is the DAO's decision): the liquidity bucket goes to the
timelock, which seeds the pool by proposal.
The RPC URL is written into the file only for local endpoints or with --record-rpc-url (hosted
RPC URLs often embed an API key).`

let values: ReturnType<typeof parse>['values']
function parse() {
  return parseArgs({
    options: {
      'rpc-url': { type: 'string' },
      'private-key': { type: 'string' },
      out: { type: 'string', default: 'deployments' },
      'governance-config': { type: 'string', default: DEFAULT_GOVERNANCE_CONFIG },
      tokenomics: { type: 'string', default: DEFAULT_TOKENOMICS_CONFIG },
      'fee-bps': { type: 'string' },
      stablecoin: { type: 'string' },
      'dev-stablecoin': { type: 'boolean', default: false },
      'uniswap-router': { type: 'string' },
      'grants-committee': { type: 'string' },
      force: { type: 'boolean', default: false },
      'record-rpc-url': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
}
try {
  ;({ values } = parse())
} catch (err) {
  // --admin and --treasury are gone on purpose: the DAO timelock is both.
  const m = /'(--admin|--treasury)'/.exec((err as Error).message)
  console.error(m ? `error: ${m[1]} is no longer an option: every module's admin and treasury is the DAO timelock the genesis deploys.` : `error: ${(err as Error).message}`)
  console.error(usage)
  process.exit(2)
}

if (values.help) {
  console.log(usage)
  process.exit(0)
}
const rpcUrl = values['rpc-url']
const key = values['private-key'] ?? process.env.DEPLOYER_PRIVATE_KEY
if (!rpcUrl || !key || !isHex(key) || key.length !== 66) {
  console.error(usage)
  process.exit(2)
}

try {
  const governanceFile = path.resolve(values['governance-config'])
  const governance = loadGovernanceConfig(governanceFile).config
  const tokenomics = loadTokenomics(path.resolve(values.tokenomics))
  const host = new URL(rpcUrl).hostname
  const recordRpcUrl = values['record-rpc-url'] || host === '127.0.0.1' || host === 'localhost' || host === '[::1]'
  const chain = localChain(await publicClientFor(rpcUrl).getChainId(), rpcUrl)
  const result = await deployPipeline({
    walletClient: walletClientFor(rpcUrl, key as Hex, chain),
    publicClient: publicClientFor(rpcUrl, chain),
    deploymentsDir: path.resolve(values.out),
    tokenomics,
    governance,
    configDir: path.dirname(governanceFile),
    ...(values['uniswap-router'] ? { uniswapRouter: getAddress(values['uniswap-router']) } : {}),
    ...(values['grants-committee'] ? { grantsCommittee: getAddress(values['grants-committee']) } : {}),
    protocol: {
      ...(recordRpcUrl ? { rpcUrl } : {}),
      force: values.force,
      ...(values['fee-bps'] ? { protocolFeeBps: Number(values['fee-bps']) } : {}),
      ...(values.stablecoin ? { stablecoin: getAddress(values.stablecoin) } : {}),
      allowDevStablecoin: values['dev-stablecoin'],
    },
    log: (m) => console.error(m),
  })
  console.log(JSON.stringify(deploymentsToJson(result.deployments), null, 2))
  console.error(
    result.transactions === 0
      ? `${result.file} is complete and verified on chain: nothing was sent.`
      : `${result.file}: ${result.transactions} transactions; the DAO timelock ${result.deployments.contracts.SaharaTimelock} holds every admin power and the treasury (verified).`,
  )
} catch (err) {
  console.error(`error: ${(err as Error).message}`)
  process.exit(1)
}
