export { startDevnet, waitForStateDump, dumpedBlockNumber, DEVNET_CHAIN_ID, TREASURY_ACCOUNT_INDEX } from './devnet.ts'
export type { Devnet, StartDevnetOptions } from './devnet.ts'
export { startAnvil, anvilBinary, AnvilStartError } from './anvil.ts'
export type { AnvilInstance, StartAnvilOptions } from './anvil.ts'
export { deployProtocol, DeployError, DEFAULT_PROTOCOL_FEE_BPS, DEV_CHAIN_IDS } from './deploy.ts'
export type { DeployProtocolOptions, DeployProtocolResult } from './deploy.ts'
export {
  CONTRACTS,
  MODULES,
  deploymentsFile,
  parseDeployments,
  readDeployments,
  writeDeployments,
  missingCode,
  InvalidDeploymentsError,
} from './deployments.ts'
export type { Deployments, ContractName, ModuleName } from './deployments.ts'
export { loadArtifact, protocolArtifacts, ArtifactNotFoundError } from './artifacts.ts'
export type { Artifact } from './artifacts.ts'
export { devAccounts, DEV_MNEMONIC } from './accounts.ts'
export type { DevAccount } from './accounts.ts'
export { localChain, publicClientFor, walletClientFor } from './clients.ts'
export { seedDemo } from './seed.ts'
export type { SeedResult, SeedOptions } from './seed.ts'
export { repoRoot, contractsDir, forgeOutDir, defaultDataDir } from './paths.ts'
export { DataDirBusyError } from './lock.ts'
