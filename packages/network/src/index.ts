export { seedExecution, demoNodeConfig, defaultNodeDataDir, NODE_OPERATOR_ACCOUNT, NODE_SIGNER_ACCOUNT, DEMO_NODE_FEE_BPS } from './execution.ts'
export type { ExecutionSeed } from './execution.ts'
