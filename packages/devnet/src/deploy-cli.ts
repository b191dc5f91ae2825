// Deploys the protocol to any EVM chain:
//   node --import tsx packages/devnet/src/deploy-cli.ts --rpc-url URL --private-key KEY --out deployments/
// The key may also come from $DEPLOYER_PRIVATE_KEY (keeps it out of shell history).
import path from 'node:path'
import { parseArgs } from 'node:util'
import { getAddress, isHex, type Hex } from 'viem'
import { deploymentsToJson } from '@sahara/sdk'
import { localChain, publicClientFor, walletClientFor } from './clients.ts'
import { deployProtocol } from './deploy.ts'
import { writeDeployments } from './deployments.ts'
import { existingExchange } from './exchange.ts'

const { values } = parseArgs({
  options: {
    'rpc-url': { type: 'string' },
    'private-key': { type: 'string' },
    out: { type: 'string', default: 'deployments' },
    admin: { type: 'string' },
    treasury: { type: 'string' },
    'fee-bps': { type: 'string' },
    stablecoin: { type: 'string' },
    'dev-stablecoin': { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    'record-rpc-url': { type: 'boolean', default: false },
    'uniswap-router': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

const usage = `Usage: deploy-cli --rpc-url URL [--private-key 0x..|$DEPLOYER_PRIVATE_KEY] [--out deployments/]
  [--admin 0x..] [--treasury 0x..] [--fee-bps 250] [--stablecoin 0x.. | --dev-stablecoin] [--force]
  [--record-rpc-url] [--uniswap-router 0x..]
Writes <out>/<chainId>.json; an existing file whose contracts have code on the chain is reused
unless --force. Without --stablecoin a DevStablecoin (open faucet) is deployed as USDT: only on
local dev chains (31337, 1337), or on a test network with --dev-stablecoin.
The RPC URL is written into the file only for local endpoints or with --record-rpc-url (hosted
RPC URLs often embed an API key).
--uniswap-router records the network's existing Uniswap v2 router, with its factory, WETH and the
SAHARA/USDT pair when one exists, so swaps work (no exchange is deployed).`

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

const host = new URL(rpcUrl).hostname
const recordRpcUrl = values['record-rpc-url'] || host === '127.0.0.1' || host === 'localhost' || host === '[::1]'
const probe = publicClientFor(rpcUrl)
const chain = localChain(await probe.getChainId(), rpcUrl)
const result = await deployProtocol({
  walletClient: walletClientFor(rpcUrl, key as Hex, chain),
  publicClient: publicClientFor(rpcUrl, chain),
  deploymentsDir: path.resolve(values.out),
  ...(recordRpcUrl ? { rpcUrl } : {}),
  force: values.force,
  ...(values.admin ? { admin: getAddress(values.admin) } : {}),
  ...(values.treasury ? { treasury: getAddress(values.treasury) } : {}),
  ...(values['fee-bps'] ? { protocolFeeBps: Number(values['fee-bps']) } : {}),
  ...(values.stablecoin ? { stablecoin: getAddress(values.stablecoin) } : {}),
  allowDevStablecoin: values['dev-stablecoin'],
  log: (m) => console.error(m),
})
let deployments = result.deployments
if (values['uniswap-router']) {
  const exchange = await existingExchange(publicClientFor(rpcUrl, chain), deployments, getAddress(values['uniswap-router']))
  deployments = { ...deployments, contracts: { ...deployments.contracts, ...exchange } }
  console.error(`recorded the existing Uniswap v2 deployment: ${JSON.stringify(exchange)}`)
  if (!exchange.SaharaUsdtPair) console.error('note: there is no SAHARA/USDT pool on this network yet; create it with the liquidity bucket before swapping')
  writeDeployments(path.resolve(values.out), deployments)
}
console.log(JSON.stringify(deploymentsToJson(deployments), null, 2))
if (deployments.admin !== deployments.deployer && !result.reused) {
  console.error(`Ownership of every module is pending: ${deployments.admin} must call acceptOwnership() on each.`)
}
