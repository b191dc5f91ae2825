// Keeps contracts/test/unit/GovernanceBypass.t.sol complete: every state-changing function of every
// governed contract (read from the forge ABIs) must be either in that test's admin list (called
// from non-timelock callers expecting the exact access error) or in the explicit public list below.
// A new admin function without a bypass test fails here.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { contractsDir, loadArtifact } from '../src/index.ts'

/** Functions anyone may call; each is guarded by something other than governance (asset ownership, signatures, its own state machine). */
const PUBLIC: Record<string, string[]> = {
  AssetRegistry: ['register', 'registerBatch', 'publishVersion', 'approve', 'setApprovalForAll', 'transferFrom', 'safeTransferFrom', 'acceptOwnership'],
  LicenseRegistry: ['attachTerms', 'buyLicense', 'buyLicenseWithPermit', 'stopSales', 'approve', 'setApprovalForAll', 'transferFrom', 'safeTransferFrom', 'acceptOwnership'],
  ContributionShares: ['mint', 'mintBatch', 'setContributorSplit', 'acceptOwnership'],
  RevenueVault: ['pay', 'payWithPermit', 'claim', 'checkpoint', 'flushRoyalties', 'flushRoyaltiesBatch', 'syncSplit', 'acceptOwnership'],
  NodeRegistry: ['register', 'registerWithPermit', 'addStake', 'requestExit', 'withdrawStake', 'serveAsset', 'stopServing', 'setEndpoint', 'setSigner', 'acceptOwnership', 'slashBond' /* only NodeStaking (NotStaking) */],
  PaymentChannels: ['open', 'openWithAuthorization', 'openWithPermit', 'topUp', 'topUpWithPermit', 'settle', 'requestClose', 'withdraw', 'release', 'acceptOwnership'],
  ExactPayments: ['payExact', 'sweep', 'acceptOwnership'],
  // approve/reject/approveMilestone/cancelGrant/createRewardRound/closeRewardRound: the owner (the
  // timelock) or the committee the DAO names with setCommittee, within the budget the DAO sets
  // (NotOwnerOrCommittee otherwise; GrantPool.t.sol tests each); closeRewardRound is anyone's after the deadline.
  GrantPool: [
    'fund', 'sync', 'submitApplication', 'withdrawApplication', 'setRecipient', 'claimReward', 'approve', 'reject', 'approveMilestone',
    'cancelGrant', 'createRewardRound', 'closeRewardRound', 'acceptOwnership',
  ],
  // onSelfBondChanged: NodeRegistry only; setCommission/unjail: the node's operator; slashForEquivocation and
  // slashForSettlementContradiction: anyone with valid evidence.
  NodeStaking: [
    'delegate', 'undelegate', 'withdrawUnbonded', 'claimRewards', 'setCommission', 'unjail', 'onSelfBondChanged', 'notifyFees', 'fundEmissions',
    'slashForEquivocation', 'slashForSettlementContradiction', 'acceptOwnership',
  ],
  VestingVault: ['release', 'setBeneficiary', 'acceptOwnership'],
  MerkleAirdrop: ['claim', 'release', 'sweep', 'acceptOwnership'],
  // execute/executeBatch: open executor, only operations the governor scheduled and whose delay passed.
  SaharaTimelock: ['execute', 'executeBatch', 'renounceRole', 'onERC721Received', 'onERC1155Received', 'onERC1155BatchReceived'],
  SaharaGovernor: [
    'propose', 'queue', 'execute', 'cancel', 'castVote', 'castVoteBySig', 'castVoteWithReason', 'castVoteWithReasonAndParams',
    'castVoteWithReasonAndParamsBySig', 'onERC721Received', 'onERC1155Received', 'onERC1155BatchReceived',
  ],
  GuardianGate: [],
}

const source = readFileSync(path.join(contractsDir, 'test', 'unit', 'GovernanceBypass.t.sol'), 'utf8')
const tested = new Set<string>()
for (const m of source.matchAll(/_add\(\s*"(\w+)\.(\w+)"/g)) tested.add(`${m[1]}.${m[2]}`)
for (const m of source.matchAll(/abi\.encodeCall\((\w+)\.initialize\b/g)) tested.add(`${m[1]}.initialize`)

const stateChanging = (name: string): string[] => [
  ...new Set(
    loadArtifact(name)
      .abi.filter((x) => x.type === 'function' && x.stateMutability !== 'view' && x.stateMutability !== 'pure')
      .map((x) => (x as { name: string }).name),
  ),
]

describe('governance bypass coverage', () => {
  it('the bypass test lists a healthy number of admin functions', () => {
    assert.ok(tested.size >= 50, `only ${tested.size} entries parsed from GovernanceBypass.t.sol`)
  })

  for (const contract of Object.keys(PUBLIC)) {
    it(`${contract}: every state-changing function is bypass-tested or explicitly public`, () => {
      const missing = stateChanging(contract).filter((f) => !tested.has(`${contract}.${f}`) && !PUBLIC[contract]!.includes(f))
      assert.deepEqual(missing, [], `${contract} has state-changing functions with no bypass test and not declared public: ${missing.join(', ')}`)
    })
  }

  it('every bypass-tested name exists in its contract ABI, and no function is both admin and public', () => {
    for (const entry of tested) {
      const [contract, fn] = entry.split('.') as [string, string]
      assert.ok(PUBLIC[contract], `${entry}: ${contract} is not a governed contract of this check`)
      assert.ok(loadArtifact(contract).abi.some((x) => x.type === 'function' && x.name === fn), `${entry} is not in the ${contract} ABI`)
      assert.ok(!PUBLIC[contract]!.includes(fn), `${entry} is listed both as admin and as public`)
    }
  })

  it('each upgradeable module has its upgrade and ownership transfer covered', () => {
    for (const m of ['AssetRegistry', 'LicenseRegistry', 'ContributionShares', 'RevenueVault', 'NodeRegistry', 'PaymentChannels', 'ExactPayments', 'GrantPool', 'NodeStaking']) {
      for (const f of ['upgradeToAndCall', 'transferOwnership', 'renounceOwnership', 'initialize']) assert.ok(tested.has(`${m}.${f}`), `${m}.${f}`)
    }
  })
})
