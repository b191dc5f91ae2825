// The developer grant pool on the devnet: a GrantPool proxy (UUPS) owned by the deployer until the
// handover gives it to the timelock, with a configurable committee and budget. Genesis funds it
// with the tokenomics "grants" bucket (config/governance.json: grantsRecipient = "GrantPool").
import { encodeFunctionData, getAddress, zeroAddress, type Address, type Hex, type PublicClient } from 'viem'
import { devStablecoinAbi, grantPoolAbi, type Deployments } from '@sahara/sdk'
import { loadArtifact } from './artifacts.ts'
import { DeployError } from './deploy.ts'
import { write, type Wallet } from './tx.ts'

/** Dev account index used as the grant committee on the devnet (a multisig elected by the DAO in production). */
export const DEVNET_GRANTS_COMMITTEE_INDEX = 8
/** Committee budget on the devnet: 1,000,000 SAHARA per 30 days. */
export const DEVNET_GRANTS_BUDGET = { amount: 1_000_000n * 10n ** 18n, periodSeconds: 30 * 24 * 3600 } as const

export type DeployGrantPoolOptions = {
  walletClient: Wallet
  publicClient: PublicClient
  /** The protocol deployment: its SAHARA is the pool token. */
  deployments: Deployments
  /** Owner of the pool (default: the deployments' admin; the DAO timelock in production). */
  owner?: Address | undefined
  /** The committee (default none: only the owner can approve). */
  committee?: Address | undefined
  /** Committee budget; set only when given (the sender must be the owner). */
  budget?: { amount: bigint; periodSeconds: number } | undefined
  /** SAHARA wei moved from the sender into the pool with `fund` (default 0). */
  funding?: bigint | undefined
  log?: (message: string) => void
}

export type DeployGrantPoolResult = { GrantPool: Address; implementation: Address }

/**
 * Deploys the GrantPool implementation and its ERC-1967 proxy, initialized in the proxy's own
 * constructor (never left uninitialized), then optionally sets the committee budget and funds it.
 */
export async function deployGrantPool(o: DeployGrantPoolOptions): Promise<DeployGrantPoolResult> {
  const { walletClient, publicClient, deployments: d } = o
  const log = o.log ?? (() => {})
  const account = walletClient.account
  const chain = walletClient.chain
  const owner = getAddress(o.owner ?? d.admin)
  const committee = o.committee ? getAddress(o.committee) : zeroAddress
  const impl = loadArtifact('GrantPool')
  const proxy = loadArtifact('ERC1967Proxy')

  async function create(abi: typeof impl.abi, bytecode: Hex, args: readonly unknown[], what: string): Promise<Address> {
    const hash = await walletClient.deployContract({ abi, bytecode, args, account, chain } as Parameters<Wallet['deployContract']>[0])
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success' || !receipt.contractAddress) throw new DeployError(`deploying ${what} failed (tx ${hash})`)
    return getAddress(receipt.contractAddress)
  }

  const implementation = await create(impl.abi, impl.bytecode, [], 'GrantPool implementation')
  const init = encodeFunctionData({ abi: grantPoolAbi, functionName: 'initialize', args: [owner, d.contracts.SaharaToken, committee] })
  const pool = await create(proxy.abi, proxy.bytecode, [implementation, init], 'GrantPool proxy')
  log(`GrantPool at ${pool} (owner ${owner}, committee ${committee === zeroAddress ? 'none' : committee})`)
  if (o.budget) {
    await write(publicClient, walletClient, pool, grantPoolAbi, 'setCommitteeBudget', [o.budget.amount, o.budget.periodSeconds])
  }
  if (o.funding && o.funding > 0n) {
    await write(publicClient, walletClient, d.contracts.SaharaToken, devStablecoinAbi, 'approve', [pool, o.funding])
    await write(publicClient, walletClient, pool, grantPoolAbi, 'fund', [o.funding])
    log(`GrantPool funded with ${o.funding / 10n ** 18n} SAHARA`)
  }
  return { GrantPool: pool, implementation }
}
