// Governance helpers that need no chain: proposal ids, supports, calldata builders, the
// deployments file's governance and genesis blocks. (The on-chain flow is tests/governance.e2e.test.ts.)
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeFunctionData, encodeAbiParameters, getAddress, keccak256, toHex, type Address } from 'viem'
import {
  DeploymentsError,
  InvalidArgumentError,
  PROPOSAL_STATES,
  descriptionHash,
  hashProposal,
  parseDeployments,
  revenueVaultAbi,
  setPaymentTokenCall,
  setProtocolFeeCall,
  shortId,
  supportValue,
  toProposal,
  upgradeCall,
  updateTimelockDelayCall,
  type Deployments,
} from '../src/index'

const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as Address
const d: Deployments = {
  chainId: 31337,
  deployer: a(1),
  admin: a(2),
  treasury: a(3),
  startBlock: 1n,
  contracts: {
    SaharaToken: a(10), USDT: a(11), AssetRegistry: a(12), LicenseRegistry: a(13), ContributionShares: a(14),
    RevenueVault: a(15), NodeRegistry: a(16), PaymentChannels: a(17), ExactPayments: a(18),
  },
  implementations: {},
}

describe('proposal ids', () => {
  it('hashProposal is keccak256(abi.encode(targets, values, calldatas, keccak256(description)))', () => {
    const p = toProposal([setProtocolFeeCall(d, 300)], 'fee to 3%')
    const expected = BigInt(
      keccak256(
        encodeAbiParameters(
          [{ type: 'address[]' }, { type: 'uint256[]' }, { type: 'bytes[]' }, { type: 'bytes32' }],
          [p.targets, p.values, p.calldatas, keccak256(toHex('fee to 3%'))],
        ),
      ),
    )
    assert.equal(hashProposal(p), expected)
    assert.equal(descriptionHash('fee to 3%'), keccak256(toHex('fee to 3%')))
    // The description is part of the id.
    assert.notEqual(hashProposal({ ...p, description: 'fee to 3% (again)' }), expected)
  })

  it('refuses empty or ragged proposals', () => {
    assert.throws(() => toProposal([], 'x'), InvalidArgumentError)
    assert.throws(() => toProposal([setProtocolFeeCall(d, 1)], '  '), /needs a description/)
    assert.throws(() => hashProposal({ targets: [a(1)], values: [], calldatas: ['0x'], description: 'x' }), /as many values and calldatas as targets/)
  })

  it('support names and the state enum order', () => {
    assert.equal(supportValue('for'), 1)
    assert.equal(supportValue('Against' as 'against'), 0)
    assert.equal(supportValue('abstain'), 2)
    assert.equal(supportValue(2), 2)
    assert.throws(() => supportValue('maybe' as 'for'), /Unknown vote "maybe"/)
    assert.deepEqual(PROPOSAL_STATES, ['Pending', 'Active', 'Canceled', 'Defeated', 'Succeeded', 'Queued', 'Expired', 'Executed'])
    assert.equal(shortId(0x3039n), '0x000000…3039')
  })
})

describe('calldata helpers', () => {
  it('encode the timelock calls', () => {
    const fee = setProtocolFeeCall(d, 400)
    assert.equal(fee.target, d.contracts.RevenueVault)
    assert.deepEqual(decodeFunctionData({ abi: revenueVaultAbi, data: fee.calldata }), { functionName: 'setProtocolFee', args: [400] })
    const up = upgradeCall(d, 'revenuevault', a(99))
    assert.equal(up.target, d.contracts.RevenueVault)
    assert.deepEqual(decodeFunctionData({ abi: revenueVaultAbi, data: up.calldata }), { functionName: 'upgradeToAndCall', args: [a(99), '0x'] })
    assert.equal(upgradeCall(d, 'NodeRegistry', a(99)).target, d.contracts.NodeRegistry)
    const allow = setPaymentTokenCall(d, a(77), false)
    assert.deepEqual(decodeFunctionData({ abi: revenueVaultAbi, data: allow.calldata }).args, [getAddress(a(77)), false])
  })

  it('refuse bad arguments with one sentence', () => {
    assert.throws(() => setProtocolFeeCall(d, 10_001), /whole basis points from 0 to 10000, got 10001/)
    assert.throws(() => upgradeCall(d, 'Vault', a(1)), /Unknown module "Vault"; use one of AssetRegistry/)
    assert.throws(() => upgradeCall(d, 'RevenueVault', 'nope'), /implementation must be an address/)
    assert.throws(() => updateTimelockDelayCall(d, 1n), (e: unknown) => e instanceof DeploymentsError && /no SaharaTimelock/.test(e.shortMessage))
  })
})

describe('deployments file: governance and genesis blocks', () => {
  const tx = `0x${'ab'.repeat(32)}`
  const json = () => ({
    ...JSON.parse(JSON.stringify({ ...d, startBlock: 1 })),
    contracts: { ...d.contracts, SaharaTimelock: a(20), SaharaGovernor: a(21) },
    governance: { votesSource: a(10), guardian: a(8), guardianExpiry: 1893456000, timelockDelay: 60, handedOver: true, handoverTx: tx },
    genesis: { total: '10', transfers: [{ id: 'liquidity', recipient: a(30), amount: '10', txs: [tx] }] },
  })
  it('round-trips them', () => {
    const parsed = parseDeployments(json())
    assert.equal(parsed.contracts.SaharaTimelock, a(20))
    assert.equal(parsed.governance?.handedOver, true)
    assert.equal(parsed.genesis?.transfers[0]?.amount, '10')
  })
  it('names the bad field', () => {
    const bad = json()
    bad.genesis.transfers[0].amount = 10
    assert.throws(() => parseDeployments(bad), /genesis\.transfers\[0\]\.amount must be a wei amount as a decimal string/)
    const bad2 = json()
    bad2.governance.handoverTx = '0x12'
    assert.throws(() => parseDeployments(bad2), /governance\.handoverTx must be a transaction hash/)
  })
})
