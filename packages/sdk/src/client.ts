import type { Address } from 'viem'
import * as actions from './actions'
import type { ReadClient, ReadContext, WalletLike, WriteContext } from './actions/_internal'
import type { Deployments } from './deployments'
import { MissingWalletError } from './errors'

export type SaharaClientConfig = {
  publicClient: ReadClient
  walletClient?: WalletLike | undefined
  deployments: Deployments
}

type VerifyArgs = Parameters<typeof actions.verifyReceiptOnChain>

type Tail<F> = F extends (ctx: never, ...rest: infer R) => infer Ret ? (...rest: R) => Ret : never

/**
 * Bundles the actions with their clients: `sahara.registerAsset({...})` instead of
 * `registerAsset({ publicClient, walletClient, deployments }, {...})`. Write actions throw
 * MissingWalletError when no wallet client (with an account) was given.
 */
export function createSaharaClient(config: SaharaClientConfig) {
  const read: ReadContext = { publicClient: config.publicClient, deployments: config.deployments }
  const write = (name: string): WriteContext => {
    if (!config.walletClient?.account) throw new MissingWalletError(name)
    return { ...read, walletClient: config.walletClient }
  }
  const r = <F extends (ctx: ReadContext, ...args: never[]) => unknown>(f: F) =>
    ((...args: never[]) => f(read, ...args)) as unknown as Tail<F>
  const w = <F extends (ctx: WriteContext, ...args: never[]) => unknown>(name: string, f: F) =>
    (async (...args: never[]) => f(write(name), ...args)) as unknown as Tail<F>
  return {
    ...read,
    walletClient: config.walletClient,
    /** The wallet's address, if a wallet client with an account was given. */
    account: config.walletClient?.account?.address as Address | undefined,
    // reads
    getAsset: r(actions.getAsset),
    getVersions: r(actions.getVersions),
    getAncestors: r(actions.getAncestors),
    getDescendants: r(actions.getDescendants),
    getTerms: r(actions.getTerms),
    listTerms: r(actions.listTerms),
    getBalances: r(actions.getBalances),
    computeFlushPath: r(actions.computeFlushPath),
    getNode: r(actions.getNode),
    getNodeService: r(actions.getNodeService),
    getChannel: r(actions.getChannel),
    getLaneSettled: r(actions.getLaneSettled),
    getPool: r(actions.getPool),
    quoteSwap: r(actions.quoteSwap),
    getNodeStake: r(actions.getNodeStake),
    getDelegation: r(actions.getDelegation),
    getStakedVotes: r(actions.getStakedVotes),
    verifyReceiptOnChain: (receipt: VerifyArgs[2], proof: VerifyArgs[3]) => actions.verifyReceiptOnChain(read.publicClient, read.deployments, receipt, proof),
    // writes
    registerAsset: w('registerAsset', actions.registerAsset),
    registerAssets: w('registerAssets', actions.registerAssets),
    publishVersion: w('publishVersion', actions.publishVersion),
    attachTerms: w('attachTerms', actions.attachTerms),
    stopSales: w('stopSales', actions.stopSales),
    buyLicense: w('buyLicense', actions.buyLicense),
    pay: w('pay', actions.pay),
    flushRoyalties: w('flushRoyalties', actions.flushRoyalties),
    claim: w('claim', actions.claim),
    mintShares: w('mintShares', actions.mintShares),
    setContributorSplit: w('setContributorSplit', actions.setContributorSplit),
    faucet: w('faucet', actions.faucet),
    registerNode: w('registerNode', actions.registerNode),
    serveAsset: w('serveAsset', actions.serveAsset),
    stopServing: w('stopServing', actions.stopServing),
    requestNodeExit: w('requestNodeExit', actions.requestNodeExit),
    withdrawNodeStake: w('withdrawNodeStake', actions.withdrawNodeStake),
    openChannel: w('openChannel', actions.openChannel),
    topUpChannel: w('topUpChannel', actions.topUpChannel),
    requestCloseChannel: w('requestCloseChannel', actions.requestCloseChannel),
    withdrawChannel: w('withdrawChannel', actions.withdrawChannel),
    swap: w('swap', actions.swap),
    delegate: w('delegate', actions.delegate),
    undelegate: w('undelegate', actions.undelegate),
    withdrawUnbonded: w('withdrawUnbonded', actions.withdrawUnbonded),
    claimStakingRewards: w('claimStakingRewards', actions.claimStakingRewards),
    setCommission: w('setCommission', actions.setCommission),
    unjail: w('unjail', actions.unjail),
    proveEquivocation: w('proveEquivocation', actions.proveEquivocation),
  }
}

export type SaharaClient = ReturnType<typeof createSaharaClient>
