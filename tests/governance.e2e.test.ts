// Governance end to end on a real anvil devnet (after genesis and the handover): proposal A sets the
// protocol fee, proposal B upgrades the RevenueVault to a V2 implementation (the proxy's
// implementation slot changes, state survives); both go propose -> vote -> queue -> execute
// through the SDK with chain time advanced by evm_increaseTime. The guardian can cancel a queued
// proposal before its expiry and not after, and can do nothing else. The timelock is the treasury:
// proposal F spends treasury SAHARA to a grantee; proposal G changes the governor's voting period. The guardian pauses
// PaymentChannels through its gate: opening a channel fails with one sentence, settlement, close
// and withdraw of an existing channel keep working, and a proposal unpauses it.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { encodeFunctionData, erc20Abi, getAddress, numberToHex, parseEventLogs, type Address, type Hex } from 'viem'
import { loadArtifact, localChain, startDevnet, walletClientFor, type Devnet } from '@sahara/devnet'
import {
  GovernanceStateError,
  ModulePausedError,
  createSaharaClient,
  paymentChannelsAbi,
  paymentsDomain,
  signVoucher,
  unpauseCall,
  guardianGateAbi,
  hashProposal,
  revenueVaultAbi,
  saharaGovernorAbi,
  saharaTimelockAbi,
  setProtocolFeeCall,
  setVotingPeriodCall,
  toProposal,
  upgradeCall,
  type ProposalActions,
  type SaharaClient,
} from '@sahara/sdk'

const IMPLEMENTATION_SLOT = '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc'

describe('governance on the devnet', { timeout: 300_000 }, () => {
  let dir: string
  let devnet: Devnet
  let voter: SaharaClient
  let guardian: SaharaClient
  let stranger: SaharaClient

  const pc = () => devnet.publicClient
  const d = () => devnet.deployments
  const advance = async (seconds: number) => {
    await pc().request({ method: 'evm_increaseTime' as never, params: [numberToHex(seconds)] as never })
    await pc().request({ method: 'evm_mine' as never, params: [] as never })
  }
  const client = (i: number) =>
    createSaharaClient({
      publicClient: devnet.publicClient,
      walletClient: walletClientFor(devnet.rpcUrl, devnet.accounts[i]!.privateKey as Hex, localChain(devnet.chainId, devnet.rpcUrl)),
      deployments: devnet.deployments,
    })

  /** propose -> vote For -> queue -> execute, advancing time past each wait. */
  async function pass(p: ProposalActions): Promise<bigint> {
    const { proposalId } = await voter.propose(p)
    assert.equal(proposalId, hashProposal(p))
    assert.equal((await voter.getProposal({ proposalId })).state, 'Pending')
    await assert.rejects(voter.castVote({ proposalId, support: 'for' }), (e: unknown) => e instanceof GovernanceStateError && e.state === 'Pending' && /is Pending until \d{4}-/.test(e.message))
    await advance(2)
    await voter.castVote({ proposalId, support: 'for', reason: 'e2e' })
    const active = await voter.getProposal({ proposalId })
    assert.equal(active.state, 'Active')
    assert.ok(active.votes.for >= active.quorum!, 'the voter alone reaches quorum')
    await assert.rejects(voter.queue({ proposalId }), (e: unknown) => e instanceof GovernanceStateError && e.state === 'Active')
    await advance(61)
    assert.equal((await voter.getProposal({ proposalId })).state, 'Succeeded')
    const { eta } = await voter.queue({ proposalId })
    assert.ok(eta > 0n)
    await assert.rejects(voter.execute({ proposalId }), (e: unknown) => e instanceof GovernanceStateError && e.state === 'Queued' && /is Queued until/.test(e.message))
    await advance(61)
    await voter.execute(p)
    assert.equal((await voter.getProposal({ proposalId })).state, 'Executed')
    return proposalId
  }

  /** propose -> vote -> queue; returns the timelock operation id. */
  async function queued(p: ProposalActions): Promise<{ proposalId: bigint; operationId: Hex }> {
    const { proposalId } = await voter.propose(p)
    await advance(2)
    await voter.castVote({ proposalId, support: 'for' })
    await advance(61)
    const { receipt } = await voter.queue({ proposalId })
    const scheduled = parseEventLogs({ abi: saharaTimelockAbi, logs: receipt.logs, eventName: 'CallScheduled' })
    assert.ok(scheduled.length >= 1)
    return { proposalId, operationId: scheduled[0]!.args.id }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sahara-gov-e2e-'))
    devnet = await startDevnet({ dataDir: join(dir, 'devnet'), port: 0, fresh: true })
    voter = client(0) // holds the launchpad bucket (700M SAHARA): above the 4% quorum once delegated
    guardian = client(8)
    stranger = client(7)
    assert.equal(getAddress(guardian.account!), d().governance!.guardian)
    await voter.delegate({ delegatee: voter.account! })
    await advance(1)
    assert.equal(await voter.getVotes({ account: voter.account! }), 700_000_000n * 10n ** 18n)
  })
  after(async () => {
    await devnet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('the admin of every module is the timelock: the deployer can no longer set the fee directly', async () => {
    await assert.rejects(
      voter.publicClient.request({ method: 'eth_call', params: [{ from: voter.account!, to: d().contracts.RevenueVault, data: encodeFunctionData({ abi: revenueVaultAbi, functionName: 'setProtocolFee', args: [0] }) }, 'latest'] } as never),
    )
  })

  it('proposal A sets the protocol fee on RevenueVault: propose -> vote -> queue -> execute', async () => {
    const vault = { address: d().contracts.RevenueVault, abi: revenueVaultAbi }
    assert.equal(await pc().readContract({ ...vault, functionName: 'protocolFeeBps' }), 250)
    await pass(toProposal([setProtocolFeeCall(d(), 400)], 'A: protocol fee 2.5% -> 4%'))
    assert.equal(await pc().readContract({ ...vault, functionName: 'protocolFeeBps' }), 400)
  })

  it('proposal B upgrades RevenueVault to V2: implementation slot changes, state survives', async () => {
    const vault = d().contracts.RevenueVault
    const before = await pc().getStorageAt({ address: vault, slot: IMPLEMENTATION_SLOT })
    assert.equal(getAddress(`0x${before!.slice(-40)}`), d().implementations.RevenueVault)
    const fee = await pc().readContract({ address: vault, abi: revenueVaultAbi, functionName: 'protocolFeeBps' })
    const treasury = await pc().readContract({ address: vault, abi: revenueVaultAbi, functionName: 'treasury' })
    const v2 = loadArtifact('RevenueVaultV2')
    const wallet = walletClientFor(devnet.rpcUrl, devnet.accounts[7]!.privateKey as Hex, localChain(devnet.chainId, devnet.rpcUrl))
    const hash = await wallet.deployContract({ abi: v2.abi, bytecode: v2.bytecode, chain: null })
    const impl = getAddress((await pc().waitForTransactionReceipt({ hash })).contractAddress!)
    await pass(toProposal([upgradeCall(d(), 'RevenueVault', impl)], 'B: upgrade RevenueVault to V2'))
    const after = await pc().getStorageAt({ address: vault, slot: IMPLEMENTATION_SLOT })
    assert.equal(getAddress(`0x${after!.slice(-40)}`), impl)
    assert.equal(await pc().readContract({ address: vault, abi: v2.abi, functionName: 'version' }), 2n)
    assert.equal(await pc().readContract({ address: vault, abi: revenueVaultAbi, functionName: 'protocolFeeBps' }), fee)
    assert.equal(await pc().readContract({ address: vault, abi: revenueVaultAbi, functionName: 'treasury' }), treasury)
    assert.equal(await pc().readContract({ address: vault, abi: revenueVaultAbi, functionName: 'isPaymentToken', args: [d().contracts.USDT] }), true)
    assert.equal(await pc().readContract({ address: vault, abi: revenueVaultAbi, functionName: 'owner' }), d().contracts.SaharaTimelock)
  })

  it('spending the treasury is a proposal: the timelock transfers treasury SAHARA to a grantee', async () => {
    const timelock = d().contracts.SaharaTimelock!
    // The timelock is the treasury: fees, slashes, sweeps and the genesis treasury bucket are its.
    assert.equal(d().treasury, timelock)
    assert.equal(await pc().readContract({ address: d().contracts.RevenueVault, abi: revenueVaultAbi, functionName: 'treasury' }), timelock)
    const token = { address: d().contracts.SaharaToken, abi: erc20Abi } as const
    const grantee = getAddress('0x000000000000000000000000000000000000beef')
    const amount = 250_000n * 10n ** 18n
    const [treasury0, grantee0] = await Promise.all([
      pc().readContract({ ...token, functionName: 'balanceOf', args: [timelock] }),
      pc().readContract({ ...token, functionName: 'balanceOf', args: [grantee] }),
    ])
    assert.ok(treasury0 >= amount, `the timelock holds ${treasury0} SAHARA wei`)
    const call = { target: d().contracts.SaharaToken, value: 0n, calldata: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [grantee, amount] }), summary: `SAHARA.transfer(${grantee}, ${amount})` }
    await pass(toProposal([call], 'F: 250,000 SAHARA from the treasury to a grantee'))
    assert.equal(await pc().readContract({ ...token, functionName: 'balanceOf', args: [timelock] }), treasury0 - amount)
    assert.equal(await pc().readContract({ ...token, functionName: 'balanceOf', args: [grantee] }), grantee0 + amount)
  })

  it('a proposal changes a governor setting: setVotingPeriod (onlyGovernance)', async () => {
    const gov = { address: d().contracts.SaharaGovernor!, abi: saharaGovernorAbi } as const
    assert.equal(await pc().readContract({ ...gov, functionName: 'votingPeriod' }), 60n)
    // Nobody but the governance itself may call it, not even the voter holding quorum.
    await assert.rejects(pc().simulateContract({ ...gov, functionName: 'setVotingPeriod', args: [50], account: voter.account! }), /GovernorOnlyExecutor/)
    // 50 s keeps the later proposals' 61 s waits valid.
    await pass(toProposal([setVotingPeriodCall(d(), 50)], 'G: voting period 60 s -> 50 s'))
    assert.equal(await pc().readContract({ ...gov, functionName: 'votingPeriod' }), 50n)
  })

  it('the guardian cancels a queued proposal before its expiry', async () => {
    const p = toProposal([setProtocolFeeCall(d(), 0)], 'C: fee to zero (the guardian stops it)')
    const { proposalId, operationId } = await queued(p)
    const gate = { address: d().contracts.GuardianGate!, abi: guardianGateAbi }
    const { request } = await pc().simulateContract({ ...gate, functionName: 'cancel', args: [operationId], account: guardian.account! })
    const guardianWallet = walletClientFor(devnet.rpcUrl, devnet.accounts[8]!.privateKey as Hex, localChain(devnet.chainId, devnet.rpcUrl))
    await pc().waitForTransactionReceipt({ hash: await guardianWallet.writeContract({ ...request, chain: null } as never) })
    assert.equal((await voter.getProposal({ proposalId })).state, 'Canceled')
    await advance(61)
    await assert.rejects(voter.execute({ proposalId }), (e: unknown) => e instanceof GovernanceStateError && e.state === 'Canceled')
  })

  it('the guardian can do nothing else: no direct admin call, no scheduling, no pause of a module, no cancel for strangers', async () => {
    const g = guardian.account!
    const sim = (address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[], from: Address = g) =>
      pc().simulateContract({ address, abi: abi as never, functionName: functionName as never, args: args as never, account: from })
    const zero = `0x${'00'.repeat(32)}` as Hex
    await assert.rejects(sim(d().contracts.RevenueVault, revenueVaultAbi, 'setProtocolFee', [0]), /OwnableUnauthorizedAccount/)
    await assert.rejects(sim(d().contracts.RevenueVault, revenueVaultAbi, 'upgradeToAndCall', [d().implementations.RevenueVault, '0x']), /OwnableUnauthorizedAccount/)
    await assert.rejects(sim(d().contracts.SaharaTimelock!, saharaTimelockAbi, 'schedule', [d().contracts.RevenueVault, 0n, '0x', zero, zero, 60n]), /AccessControlUnauthorizedAccount/)
    await assert.rejects(sim(d().contracts.SaharaTimelock!, saharaTimelockAbi, 'cancel', [`0x${'11'.repeat(32)}`]), /AccessControlUnauthorizedAccount/)
    await assert.rejects(sim(d().contracts.SaharaTimelock!, saharaTimelockAbi, 'updateDelay', [0n]), /TimelockUnauthorizedCaller/)
    // Pausing only through the gate; resuming only by the timelock.
    await assert.rejects(sim(d().contracts.RevenueVault, revenueVaultAbi, 'pause', []), /NotPauser/)
    await assert.rejects(sim(d().contracts.RevenueVault, revenueVaultAbi, 'unpause', []), /OwnableUnauthorizedAccount/)
    await assert.rejects(sim(d().contracts.RevenueVault, revenueVaultAbi, 'setPauser', [g, true]), /OwnableUnauthorizedAccount/)
    await assert.rejects(sim(d().contracts.GuardianGate!, guardianGateAbi, 'pause', [d().contracts.RevenueVault], stranger.account!), /NotGuardian/)
    await assert.rejects(sim(d().contracts.GuardianGate!, guardianGateAbi, 'cancel', [`0x${'11'.repeat(32)}`], stranger.account!), /NotGuardian/)
  })

  it('the guardian pauses PaymentChannels: no new channel, existing ones settle, close and withdraw; a proposal unpauses it', async () => {
    const operator = voter // holds SAHARA for the stake
    const payer = client(5)
    const { assetId } = await operator.registerAsset({ kind: 'model', content: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', metadata: { name: 'paused-e2e' } })
    const { nodeId } = await operator.registerNode({ endpoint: 'http://127.0.0.1:1/node', stake: 1_000n * 10n ** 18n })
    await operator.serveAsset({ nodeId, assetId, feeBps: 500 })
    await payer.faucet({ amount: 100_000_000n })
    const { channelId } = await payer.openChannel({ nodeId, token: 'USDT', amount: 20_000_000n })

    const r = await guardian.pauseModule({ module: 'PaymentChannels' })
    assert.equal(r.module, 'PaymentChannels')
    assert.equal(await guardian.isPaused({ module: 'PaymentChannels' }), true)
    await assert.rejects(payer.openChannel({ nodeId, token: 'USDT', amount: 1_000_000n }), (e: unknown) =>
      e instanceof ModulePausedError && e.module === 'PaymentChannels' &&
      e.message === 'PaymentChannels is paused by the guardian; new channels and top-ups are stopped until a governance proposal unpauses it (exits, claims and settlement still work).')
    await assert.rejects(guardian.pauseModule({ module: 'PaymentChannels' }), (e: unknown) => e instanceof ModulePausedError)

    // Settlement of the existing channel: the node settles a payer-signed voucher for 5 USDT.
    const channels = d().contracts.PaymentChannels
    const now = (await pc().getBlock()).timestamp
    const voucher = { channelId, lane: 0n, assetId, cumulative: 5_000_000n, anchor: `0x${'00'.repeat(32)}` as Hex, unitPrice: 0n, maxUnits: 0n, expiresAt: now + 3600n }
    const signature = await signVoucher(payer.walletClient!, paymentsDomain(d().chainId, channels), voucher)
    const opWallet = walletClientFor(devnet.rpcUrl, devnet.accounts[0]!.privateKey as Hex, localChain(devnet.chainId, devnet.rpcUrl))
    const { request } = await pc().simulateContract({
      address: channels, abi: paymentChannelsAbi, functionName: 'settle', account: operator.account!,
      args: [nodeId, d().contracts.USDT, [{ voucher, units: 0n, preimage: `0x${'00'.repeat(32)}`, signature }], `0x${'00'.repeat(32)}`, 0n],
    })
    await pc().waitForTransactionReceipt({ hash: await opWallet.writeContract({ ...request, chain: null } as never) })
    assert.equal((await payer.getChannel(channelId)).settled, 5_000_000n)
    // Close and withdraw the rest.
    await payer.requestCloseChannel({ channelId })
    await advance(24 * 3600 + 1)
    const { refund } = await payer.withdrawChannel({ channelId })
    assert.equal(refund, 15_000_000n)

    await pass(toProposal([unpauseCall(d(), 'PaymentChannels')], 'E: resume PaymentChannels'))
    assert.equal(await guardian.isPaused({ module: 'PaymentChannels' }), false)
    const reopened = await payer.openChannel({ nodeId, token: 'USDT', amount: 1_000_000n })
    assert.ok(reopened.channelId > channelId)
  })

  it('after its expiry the guardian can no longer cancel; the proposal then executes', async () => {
    const p = toProposal([setProtocolFeeCall(d(), 300)], 'D: fee to 3% (after the guardian expired)')
    const { proposalId, operationId } = await queued(p)
    const expiry = BigInt(d().governance!.guardianExpiry)
    await pc().request({ method: 'evm_setNextBlockTimestamp' as never, params: [numberToHex(expiry)] as never })
    await pc().request({ method: 'evm_mine' as never, params: [] as never })
    const gate = { address: d().contracts.GuardianGate!, abi: guardianGateAbi }
    assert.equal(await pc().readContract({ ...gate, functionName: 'active' }), false)
    await assert.rejects(pc().simulateContract({ ...gate, functionName: 'cancel', args: [operationId], account: guardian.account! }), /GuardianExpired/)
    await voter.execute({ proposalId })
    assert.equal(await pc().readContract({ address: d().contracts.RevenueVault, abi: revenueVaultAbi, functionName: 'protocolFeeBps' }), 300)
  })
})
