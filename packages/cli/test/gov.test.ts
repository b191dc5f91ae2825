// `sahara gov` end to end: the real bin against a devnet after genesis and the handover. A fee
// change and a module upgrade each go propose -> vote -> queue -> execute through the CLI (time
// advanced with evm_increaseTime); a step in the wrong state is one sentence and exit 1.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { getAddress, numberToHex, type Hex } from 'viem'
import { loadArtifact, localChain, walletClientFor } from '@sahara/devnet'
import { revenueVaultAbi } from '@sahara/sdk'
import { useCliTestDevnet } from './utils/devnet.ts'
import { cliRunner } from './utils/runCli.ts'

const IMPLEMENTATION_SLOT = '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc'

describe('sahara gov', { timeout: 300_000 }, () => {
  const net = useCliTestDevnet('sahara-cli-gov-')
  const key = (i: number) => net.devnet.accounts[i]!.privateKey

  const { sahara, json, fails } = cliRunner(net)
  const advance = async (seconds: number) => {
    const pc = net.devnet.publicClient
    await pc.request({ method: 'evm_increaseTime' as never, params: [numberToHex(seconds)] as never })
    await pc.request({ method: 'evm_mine' as never, params: [] as never })
  }
  const fee = () => net.devnet.publicClient.readContract({ address: net.devnet.deployments.contracts.RevenueVault, abi: revenueVaultAbi, functionName: 'protocolFeeBps' })

  /** vote -> queue -> execute by id through the CLI, checking the wrong-state sentences on the way. */
  async function passById(id: string): Promise<void> {
    await fails(['gov', 'vote', id, 'for'], 1, /^Proposal 0x[0-9a-f]{6}…[0-9a-f]{4} is Pending until \d{4}-\d\d-\d\dT.*; voting opens right after, so it cannot take votes yet\.$/, { key: 0 })
    await advance(2)
    const voted = await json(['gov', 'vote', id, 'for', '--reason', 'cli e2e'], { key: 0 })
    assert.equal(voted.support, 'for')
    await fails(['gov', 'queue', id], 1, /is Active until .*so it cannot be queued yet\.$/, { key: 0 })
    await advance(61)
    const status = await json(['gov', 'status', id])
    assert.equal(status.state, 'Succeeded')
    const q = await json(['gov', 'queue', id], { key: 0 })
    assert.ok(BigInt(q.eta) > 0n)
    await fails(['gov', 'execute', id], 1, /is Queued until .*so it cannot be executed yet\.$/, { key: 0 })
    await advance(61)
    await json(['gov', 'execute', id], { key: 0 })
    assert.equal((await json(['gov', 'status', id])).state, 'Executed')
  }

  it('delegate, then propose a fee change in one command and carry it to execution', async () => {
    const d = await json(['gov', 'delegate'], { key: 0 })
    assert.equal(d.delegatee, net.devnet.accounts[0]!.address)
    assert.equal(d.votes, (700_000_000n * 10n ** 18n).toString())
    await advance(1)
    const p = await json(['gov', 'propose', '--set-protocol-fee', '500', '-d', 'CLI: protocol fee to 5%'], { key: 0 })
    assert.match(p.proposalId, /^\d+$/)
    assert.equal(p.calls[0].summary, 'RevenueVault.setProtocolFee(500)')
    const human = await sahara(['gov', 'status', p.proposalId])
    assert.equal(human.code, 0)
    assert.match(human.stdout, /: Pending\n/)
    assert.match(human.stdout, /description\s+CLI: protocol fee to 5%/)
    await passById(p.proposalId)
    assert.equal(await fee(), 500)
  })

  it('gov calldata + propose --call, and an upgrade of a module through --upgrade', async () => {
    const cd = await json(['gov', 'calldata', 'set-protocol-fee', '150'])
    assert.equal(getAddress(cd.target), net.devnet.deployments.contracts.RevenueVault)
    const v2 = loadArtifact('RevenueVaultV2')
    const wallet = walletClientFor(net.devnet.rpcUrl, key(7) as Hex, localChain(net.devnet.chainId, net.devnet.rpcUrl))
    const hash = await wallet.deployContract({ abi: v2.abi, bytecode: v2.bytecode, chain: null })
    const impl = getAddress((await net.devnet.publicClient.waitForTransactionReceipt({ hash })).contractAddress!)
    const up = await json(['gov', 'calldata', 'upgrade', 'RevenueVault', impl])
    assert.match(up.summary, /^RevenueVault\.upgradeToAndCall\(/)
    const p = await json(['gov', 'propose', '--call', `${cd.target}:${cd.calldata}`, '--upgrade', `revenuevault=${impl}`, '-d', 'CLI: fee 1.5% and vault V2'], { key: 0 })
    assert.equal(p.calls.length, 2)
    await passById(p.proposalId)
    assert.equal(await fee(), 150)
    const slot = await net.devnet.publicClient.getStorageAt({ address: net.devnet.deployments.contracts.RevenueVault, slot: IMPLEMENTATION_SLOT })
    assert.equal(getAddress(`0x${slot!.slice(-40)}`), impl)
  })

  it('the guardian pauses PaymentChannels with `gov pause`; opening a channel is one sentence; a proposal unpauses it', async () => {
    const paused = await json(['gov', 'pause', 'paymentchannels'], { key: 8 })
    assert.equal(paused.module, 'PaymentChannels')
    await json(['faucet', '100'], { key: 3 })
    await fails(['channel', 'open', '1', '10'], 1, /^PaymentChannels is paused by the guardian; new channels and top-ups are stopped until a governance proposal unpauses it \(exits, claims and settlement still work\)\.$/, { key: 3 })
    await fails(['gov', 'pause', 'PaymentChannels'], 1, /^0x[0-9a-fA-F]{40} is not the guardian: only the guardian may pause a module/, { key: 3 })
    const cd = await json(['gov', 'calldata', 'unpause', 'PaymentChannels'])
    assert.equal(cd.summary, 'PaymentChannels.unpause()')
    assert.equal(getAddress(cd.target), net.devnet.deployments.contracts.PaymentChannels)
    const p = await json(['gov', 'propose', '--call', `${cd.target}:${cd.calldata}`, '-d', 'CLI: resume PaymentChannels'], { key: 0 })
    await passById(p.proposalId)
    const pausedNow = await net.devnet.publicClient.readContract({ address: net.devnet.deployments.contracts.PaymentChannels, abi: revenueVaultAbi, functionName: 'paused' })
    assert.equal(pausedNow, false)
  })

  it('one sentence and a non-zero exit for bad input and impossible steps', async () => {
    await fails(['gov', 'status', '12345'], 1, /^There is no proposal 0x000000…3039 on the governor 0x[0-9a-fA-F]{40}\.$/)
    await fails(['gov', 'vote', 'abc', 'for'], 2, /^The proposal id must be a decimal or 0x hex number, got "abc"\.$/, { key: 0 })
    await fails(['gov', 'vote', '1', 'maybe'], 2, /^The vote must be for, against or abstain, got "maybe"\.$/, { key: 0 })
    await fails(['gov', 'propose', '-d', 'nothing'], 2, /^Give the proposal at least one action/, { key: 0 })
    await fails(['gov', 'calldata', 'upgrade', 'Nope', '0x0000000000000000000000000000000000000001'], 2, /^Unknown module "Nope"; use one of AssetRegistry/)
    await fails(['gov', 'calldata', 'unpause', 'Nope'], 2, /^Unknown module "Nope"; use one of AssetRegistry/)
    await fails(['gov', 'propose', '--set-protocol-fee', '1', '-d', 'x'], 2, /^This command sends a transaction: pass --private-key/)
  })
})
