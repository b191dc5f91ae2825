import { formatUnits } from 'viem'
import { grantPoolAbi, uniswapV2PairAbi } from '@sahara/sdk'
import { loadArtifact } from './artifacts.ts'
import type { Devnet } from './devnet.ts'

/** The lines `npm start` prints about a running devnet: RPC, contracts, seeded assets, dev keys. */
export async function describeDevnet(devnet: Devnet, o: { requestedPort: number }): Promise<string[]> {
  const d = devnet.deployments
  const supply = (await devnet.publicClient.readContract({
    address: d.contracts.SaharaToken,
    abi: loadArtifact('SaharaToken').abi,
    functionName: 'totalSupply',
  })) as bigint

  const lines: string[] = []
  lines.push('')
  if (devnet.portFellBack) lines.push(`NOTE: port ${o.requestedPort} was busy; the devnet listens on ${devnet.port} instead.`)
  lines.push(`Sahara devnet ready (${devnet.reused ? 'deployment reused from a previous run' : 'fresh deployment'})`)
  lines.push(`  RPC URL:          ${devnet.rpcUrl}`)
  lines.push(`  Chain id:         ${devnet.chainId}`)
  lines.push(`  Deployments file: ${devnet.deploymentsFile}`)
  lines.push(`  State file:       ${devnet.stateFile}`)
  lines.push(`  Start block:      ${d.startBlock}`)
  lines.push('')
  lines.push('Contracts:')
  for (const [name, address] of Object.entries(d.contracts)) lines.push(`  ${name.padEnd(20)} ${address}`)
  lines.push('Implementations:')
  for (const [name, address] of Object.entries(d.implementations)) lines.push(`  ${name.padEnd(20)} ${address}`)
  lines.push(`  SAHARA total supply ${formatUnits(supply, 18)}${d.genesis ? ` (distributed at genesis in ${d.genesis.transfers.length} allocations)` : ''}`)
  if (d.governance) {
    lines.push(`  Admin              ${d.admin}${d.governance.handedOver ? ' (the DAO timelock: every module, the vesting vault and the airdrop)' : ''}`)
    lines.push(`  Governance         \`npx sahara gov status <id>\`; guardian ${d.governance.guardian} until ${new Date(d.governance.guardianExpiry * 1000).toISOString()}`)
  }
  const daoTreasury = d.contracts.SaharaTimelock && d.treasury === d.contracts.SaharaTimelock
  lines.push(`  Protocol treasury  ${d.treasury}${daoTreasury ? ' (DAO timelock: protocol fees, slashed stake, airdrop sweep, revoked vesting, pool LP tokens; spent by proposal)' : ''}`)
  const pair = d.contracts.SaharaUsdtPair
  if (pair) {
    const pc = devnet.publicClient
    const [token0, [r0, r1]] = await Promise.all([
      pc.readContract({ address: pair, abi: uniswapV2PairAbi, functionName: 'token0' }),
      pc.readContract({ address: pair, abi: uniswapV2PairAbi, functionName: 'getReserves' }),
    ])
    const [sahara, usdt] = token0 === d.contracts.SaharaToken ? [r0, r1] : [r1, r0]
    lines.push(`  SAHARA/USDT pool   ${formatUnits(sahara, 18)} SAHARA / ${formatUnits(usdt, 6)} USDT (Uniswap v2; swap with \`npx sahara swap 100 USDT SAHARA\`)`)
  }
  if (d.contracts.GrantPool) {
    const pc = devnet.publicClient
    const at = { address: d.contracts.GrantPool, abi: grantPoolAbi } as const
    const [available, committee] = await Promise.all([
      pc.readContract({ ...at, functionName: 'available' }),
      pc.readContract({ ...at, functionName: 'committee' }),
    ])
    const member = devnet.accounts.findIndex((a) => a.address === committee)
    lines.push(
      `  Grant pool         ${formatUnits(available, 18)} SAHARA available; committee ${committee}${member >= 0 ? ` (dev account #${member})` : ''} (\`npx sahara grants pool\`)`,
    )
  }
  const staking = d.contracts.NodeStaking
  if (staking) {
    const abi = loadArtifact('NodeStaking').abi
    const pc = devnet.publicClient
    const [reserve, unbonding] = (await Promise.all([
      pc.readContract({ address: staking, abi, functionName: 'emissionReserve' }),
      pc.readContract({ address: staking, abi, functionName: 'unbondingDelay' }),
    ])) as [bigint, bigint]
    lines.push(`  Node staking       ${formatUnits(reserve, 18)} SAHARA emission reserve, ${unbonding} s unbonding (delegate with \`npx sahara stake delegate <nodeId> 100\`)`)
  }
  if (devnet.seed?.created) {
    const s = devnet.seed
    lines.push('')
    lines.push(`Demo assets: dataset #${s.datasetId}, model #${s.modelId} (TRAINED_ON), agent #${s.agentId} (USES_MODEL)`)
  }
  const ppu = devnet.seed?.payPerUse
  if (ppu) {
    lines.push('')
    lines.push(`Pay-per-use demo (content store ${ppu.contentDir}):`)
    lines.push(`  dataset #${ppu.dataset.assetId}  Palmer penguins         ${ppu.dataset.content}`)
    lines.push(`  model   #${ppu.model.assetId}  penguins classifier     ${ppu.model.content} (manifest ${ppu.model.metadata})`)
    lines.push(`  agent   #${ppu.agent.assetId}  penguin identifier      ${ppu.agent.content}`)
    lines.push(`  PAY_PER_USE: agent ${formatUnits(ppu.agent.unitPrice, 6)} USDT/call (terms #${ppu.agent.payPerUseTermsId}), model ${formatUnits(ppu.model.unitPrice, 6)} USDT/call (terms #${ppu.model.payPerUseTermsId})`)
  }
  lines.push('')
  lines.push('Funded dev accounts (anvil public test keys: NEVER use them on a real network):')
  devnet.accounts.slice(0, 5).forEach((a, i) => lines.push(`  (${i}) ${a.address}  ${a.privateKey}${i === 0 ? '  deployer (keeps the launchpad bucket to fund dev accounts)' : ''}`))
  return lines
}
