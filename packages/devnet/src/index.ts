export { startDevnet, waitForStateDump, dumpedBlockNumber, DEVNET_CHAIN_ID } from './devnet.ts'
export type { Devnet, StartDevnetOptions } from './devnet.ts'
export { startAnvil, anvilBinary, AnvilStartError } from './anvil.ts'
export type { AnvilInstance, StartAnvilOptions } from './anvil.ts'
export { deployProtocol, DeployError, DEFAULT_PROTOCOL_FEE_BPS, DEV_CHAIN_IDS } from './deploy.ts'
export type { DeployProtocolOptions, DeployProtocolResult } from './deploy.ts'
export { readDeployments, writeDeployments, missingCode, staleCode } from './deployments.ts'
export { loadArtifact, protocolArtifacts, ArtifactNotFoundError } from './artifacts.ts'
export type { Artifact } from './artifacts.ts'
export { devAccounts, DEV_MNEMONIC } from './accounts.ts'
export type { DevAccount } from './accounts.ts'
export { localChain, publicClientFor, walletClientFor } from './clients.ts'
export { seedDemo, seedDevnet } from './seed.ts'
export type { SeedResult, SeedOptions } from './seed.ts'
export { seedPayPerUse, DEFAULT_UNIT_PRICE } from './payPerUse.ts'
export type { PayPerUseSeed, PayPerUseSeedOptions, SeededAsset } from './payPerUse.ts'
export { repoRoot, contractsDir, forgeOutDir, defaultDataDir, contentDirFor } from './paths.ts'
export { DataDirBusyError } from './lock.ts'
export { launchDevnet } from './launch.ts'
export type { Attachment, LaunchOptions } from './launch.ts'
export { describeDevnet } from './describe.ts'
export {
  deployExchange,
  existingExchange,
  hasExchange,
  loadUniswapArtifact,
  pairInitCodeHash,
  liquidityBucketSahara,
  DEFAULT_LIQUIDITY_SAHARA,
  DEVNET_SAHARA_PRICE_USDT,
} from './exchange.ts'
export type { DeployExchangeOptions, DeployExchangeResult, ExchangeContracts, UniswapArtifact, UniswapContractName } from './exchange.ts'
export { deployGenesis, hasGenesis, loadTokenomics, votesSourceOf, DEFAULT_TOKENOMICS_CONFIG } from './genesis.ts'
export type { GenesisOptions, GenesisResult } from './genesis.ts'
export { handOver, verifyHandover, verifyTreasury, routeTreasury, treasuryDestinations, ownedContracts, pausableModules, ROLES } from './handover.ts'
export type { HandoverOptions, HandoverResult, HandoverCheck, RouteTreasuryResult } from './handover.ts'
export { deployPipeline, checkRealRecipients, DevRecipientError } from './pipeline.ts'
export type { DeployPipelineOptions, DeployPipelineResult } from './pipeline.ts'
export { parseGovernanceConfig, loadGovernanceConfig, GovernanceConfigError, DEFAULT_GOVERNANCE_CONFIG } from './governanceConfig.ts'
export type { GovernanceConfig, RecipientRef } from './governanceConfig.ts'
export { deployGrantPool, DEVNET_GRANTS_BUDGET, DEVNET_GRANTS_COMMITTEE_INDEX } from './grants.ts'
export type { DeployGrantPoolOptions, DeployGrantPoolResult } from './grants.ts'
export {
  deployStaking,
  fundStakingReserve,
  startEmissions,
  hasStaking,
  emissionRate,
  DEFAULT_STAKING_UNBONDING_DELAY,
  DEFAULT_COMMISSION_DELAY,
  DEFAULT_JAIL_PERIOD,
  DEFAULT_MAX_COMMISSION_BPS,
  DEFAULT_EQUIVOCATION_SLASH_BPS,
  DEFAULT_EMISSION_DURATION,
  DEVNET_STAKING_UNBONDING_DELAY,
  DEVNET_COMMISSION_DELAY,
  DEVNET_JAIL_PERIOD,
} from './staking.ts'
export type { DeployStakingOptions, DeployStakingResult, StakingContracts } from './staking.ts'
