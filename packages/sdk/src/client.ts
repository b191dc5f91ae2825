import type { Address } from 'viem'
import * as actions from './actions'
import * as gov from './governance/actions'
import * as pausing from './governance/pause'
import * as grants from './grants'
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
    getProposal: r(gov.getProposal),
    findProposal: r(gov.findProposal),
    getVotes: r(gov.getVotes),
    isPaused: r(pausing.isPaused),
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
    // governance
    propose: w('propose', gov.propose),
    castVote: w('castVote', gov.castVote),
    queue: w('queue', gov.queue),
    execute: w('execute', gov.execute),
    delegate: w('delegate', gov.delegate),
    pauseModule: w('pauseModule', pausing.pauseModule),
    // grant pool
    getGrantPool: r(grants.getGrantPool),
    getGrant: r(grants.getGrant),
    listGrants: r(grants.listGrants),
    getRewardRound: r(grants.getRewardRound),
    isRewardClaimed: r(grants.isRewardClaimed),
    applyForGrant: w('applyForGrant', grants.applyForGrant),
    withdrawGrantApplication: w('withdrawGrantApplication', grants.withdrawGrantApplication),
    approveGrant: w('approveGrant', grants.approveGrant),
    rejectGrant: w('rejectGrant', grants.rejectGrant),
    approveMilestone: w('approveMilestone', grants.approveMilestone),
    cancelGrant: w('cancelGrant', grants.cancelGrant),
    setGrantRecipient: w('setGrantRecipient', grants.setGrantRecipient),
    fundGrantPool: w('fundGrantPool', grants.fundGrantPool),
    syncGrantPool: w('syncGrantPool', grants.syncGrantPool),
    setGrantCommittee: w('setGrantCommittee', grants.setGrantCommittee),
    setCommitteeBudget: w('setCommitteeBudget', grants.setCommitteeBudget),
    withdrawFromGrantPool: w('withdrawFromGrantPool', grants.withdrawFromGrantPool),
    createRewardRound: w('createRewardRound', grants.createRewardRound),
    claimReward: w('claimReward', grants.claimReward),
    closeRewardRound: w('closeRewardRound', grants.closeRewardRound),
    delegateStake: w('delegateStake', actions.delegateStake),
    undelegateStake: w('undelegateStake', actions.undelegateStake),
    withdrawUnbonded: w('withdrawUnbonded', actions.withdrawUnbonded),
    claimStakingRewards: w('claimStakingRewards', actions.claimStakingRewards),
    setCommission: w('setCommission', actions.setCommission),
    unjail: w('unjail', actions.unjail),
    proveEquivocation: w('proveEquivocation', actions.proveEquivocation),
    proveSettlementContradiction: w('proveSettlementContradiction', actions.proveSettlementContradiction),
  }
}

export type SaharaClient = ReturnType<typeof createSaharaClient>
