// End-to-end against a real anvil (startDevnet: random port, temporary data dir): the lineage
// scenario dataset -> model (TRAINED_ON, COMMERCIAL_REMIX) -> agent (USES_MODEL), contributors in
// the dataset and the model, revenue in USDT and SAHARA, royalties flushed up the lineage, and
// every party claiming exactly what an independent model of the split rules says.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createWalletClient, getAddress, http, type Address } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { readContract, waitForTransactionReceipt, writeContract } from 'viem/actions'
import {
  ContractError,
  InsufficientBalanceError,
  MissingWalletError,
  assetRegistryAbi,
  computeCid,
  createSaharaClient,
  devStablecoinAbi,
  parseAmount,
  revenueVaultAbi,
  type SaharaClient,
} from '../src/index'
import { startTestDevnet, type TestDevnet } from './utils/devnet'
import { VaultModel } from './utils/vaultModel'

const USDT = (s: string) => parseAmount(s, 6)
const SAHARA = (s: string) => parseAmount(s, 18)
const bytes = (s: string) => new TextEncoder().encode(s)

describe('SDK against a devnet', { timeout: 300_000 }, () => {
  let net: TestDevnet
  let admin: SaharaClient, datasetOwner: SaharaClient, modelOwner: SaharaClient, agentOwner: SaharaClient, payer: SaharaClient
  let dataContrib: [SaharaClient, SaharaClient], modelContrib: [SaharaClient, SaharaClient], treasury: SaharaClient
  let usdt: Address, sahara: Address
  let model: VaultModel
  let D: bigint, M: bigint, A: bigint
  let datasetV1: string

  before(async () => {
    net = await startTestDevnet()
    const c = net.clients
    ;[admin, datasetOwner, modelOwner, agentOwner] = [c[0]!, c[1]!, c[2]!, c[3]!]
    dataContrib = [c[4]!, c[5]!]
    modelContrib = [c[6]!, c[7]!]
    payer = c[8]!
    // The protocol treasury is the DAO timelock. On chain it claims by proposal (tests/governance.e2e
    // covers that flow); here anvil impersonates it so its fee share is checked to the wei like every party's.
    const timelock = net.deployments.contracts.SaharaTimelock!
    assert.equal(getAddress(net.deployments.treasury), timelock)
    await admin.publicClient.request({ method: 'anvil_impersonateAccount' as never, params: [timelock] as never })
    await admin.publicClient.request({ method: 'anvil_setBalance' as never, params: [timelock, '0x56BC75E2D63100000'] as never })
    treasury = createSaharaClient({
      publicClient: admin.publicClient,
      walletClient: createWalletClient({ chain: admin.walletClient!.chain, transport: http(net.rpcUrl), account: timelock }),
      deployments: net.deployments,
    })
    usdt = net.deployments.contracts.USDT
    sahara = net.deployments.contracts.SaharaToken
    assert.equal(treasury.account, timelock)
    const feeBps = await readContract(admin.publicClient, { address: net.deployments.contracts.RevenueVault, abi: revenueVaultAbi, functionName: 'protocolFeeBps' })
    assert.ok(feeBps > 0, 'the scenario needs a non-zero protocol fee')
    model = new VaultModel(BigInt(feeBps), treasury.account!)
  })
  after(async () => {
    await net?.stop()
  })

  it('runs the lineage scenario and every party claims exactly what it is owed', async () => {
    for (const who of [payer, modelOwner, agentOwner]) await who.faucet({ amount: USDT('100000') })

    // Dataset with contributors (30% of what remains after fee and royalties).
    const dataset = await computeCid(bytes('id,text\n1,hello\n2,world\n'))
    datasetV1 = dataset.cid
    const d = await datasetOwner.registerAsset({ kind: 'dataset', content: dataset.cid, metadata: { name: 'Desert corpus', description: 'test data' } })
    D = d.assetId
    assert.equal(D, 1n)
    assert.ok(d.metadata.bytes && JSON.parse(new TextDecoder().decode(d.metadata.bytes)).content === dataset.cid)
    model.addAsset(D, datasetOwner.account!)
    await datasetOwner.setContributorSplit({ assetId: D, bps: 3000 })
    model.setSplit(D, 3000n)
    await datasetOwner.mintShares({ assetId: D, contributor: dataContrib[0].account!, shares: 1n, contributionType: 'data', evidence: 'batch-1' })
    await datasetOwner.mintShares({ assetId: D, contributor: dataContrib[1].account!, shares: 2n, contributionType: 'labeling', evidence: 'batch-2' })
    model.mint(D, dataContrib[0].account!, 1n)
    model.mint(D, dataContrib[1].account!, 2n)
    const dTerms = await datasetOwner.attachTerms({ assetId: D, template: 'COMMERCIAL_REMIX', paymentToken: 'USDT', price: USDT('100'), royaltyBps: 1000 })

    // Model trained on the dataset under a COMMERCIAL_REMIX license (royalty 10%).
    const dLicense = await modelOwner.buyLicense({ termsId: dTerms.termsId })
    assert.equal(dLicense.fee, USDT('100'))
    model.pay(D, usdt, USDT('100'))
    const m = await modelOwner.registerAsset({
      kind: 'model',
      content: (await computeCid(bytes('weights v1'))).cid,
      metadata: { name: 'Dune-7B' },
      parents: [{ parentId: D, relation: 'TRAINED_ON', licenseId: dLicense.licenseId }],
    })
    M = m.assetId
    model.addAsset(M, modelOwner.account!, [{ id: D, bps: 1000n }])
    await modelOwner.setContributorSplit({ assetId: M, bps: 2500 })
    model.setSplit(M, 2500n)
    await modelOwner.mintShares({ assetId: M, contributor: modelContrib[0].account!, shares: 5n, contributionType: 'training' })
    await modelOwner.mintShares({ assetId: M, contributor: modelContrib[1].account!, shares: 6n, contributionType: 'evaluation' })
    model.mint(M, modelContrib[0].account!, 5n)
    model.mint(M, modelContrib[1].account!, 6n)
    const mTerms = await modelOwner.attachTerms({ assetId: M, template: 'COMMERCIAL_REMIX', paymentToken: 'USDT', price: USDT('49.999999'), royaltyBps: 1500 })

    // Agent using the model; its creator buys the model's COMMERCIAL_REMIX license (with a permit).
    const mLicense = await agentOwner.buyLicense({ termsId: mTerms.termsId, authorization: 'permit' })
    assert.equal(mLicense.approvalHash, undefined)
    model.pay(M, usdt, USDT('49.999999'))
    const a = await agentOwner.registerAsset({
      kind: 'agent',
      content: (await computeCid(bytes('{"agent":"scout"}'))).cid,
      metadata: { name: 'Scout' },
      parents: [{ parentId: M, relation: 'USES_MODEL', licenseId: mLicense.licenseId }],
    })
    A = a.assetId
    model.addAsset(A, agentOwner.account!, [{ id: M, bps: 1500n }])
    const agent = await agentOwner.getAsset(A)
    assert.equal(agent.royaltyBps, 1500)
    assert.deepEqual(agent.parents.map((p) => [p.parentId, p.relation, p.royaltyBps]), [[M, 'USES_MODEL', 1500]])

    // Revenue into the agent: USDT by approval, SAHARA by permit; a direct USDT payment into the model too.
    await payer.pay({ assetId: A, token: 'USDT', amount: USDT('1000.123457') })
    model.pay(A, usdt, USDT('1000.123457'))
    await payer.pay({ assetId: M, token: 'USDT', amount: USDT('10.000001'), authorization: 'permit' })
    model.pay(M, usdt, USDT('10.000001'))
    const saharaAmount = SAHARA('333.333333333333333333')
    const tx = await writeContract(admin.walletClient!, { address: sahara, abi: devStablecoinAbi, functionName: 'transfer', args: [payer.account!, saharaAmount], chain: null, account: admin.walletClient!.account! })
    await waitForTransactionReceipt(admin.publicClient, { hash: tx })
    await payer.pay({ assetId: A, token: 'SAHARA', amount: saharaAmount, authorization: 'permit' })
    model.pay(A, sahara, saharaAmount)

    for (const token of [usdt, sahara]) {
      for (const id of [A, M]) assert.equal(await pending(id, token), model.pending(id, token), `pending ${id} before flush`)
    }

    // Flush up the lineage: one batch per token, children first.
    for (const token of [usdt, sahara] as const) {
      assert.deepEqual(await payer.computeFlushPath({ assetId: A, token }), [A, M])
      const r = await payer.flushRoyalties({ assetId: A, token })
      assert.deepEqual(r.path, [A, M])
      model.flush(A, token)
      model.flush(M, token)
      for (const id of [A, M, D]) assert.equal(await pending(id, token), 0n)
      assert.deepEqual(await payer.computeFlushPath({ assetId: A, token }), [])
    }

    // Every party claims exactly the model's amount, per token.
    const parties: [string, SaharaClient][] = [
      ['treasury', treasury],
      ['agent owner', agentOwner],
      ['model owner', modelOwner],
      ['model contributor 1', modelContrib[0]],
      ['model contributor 2', modelContrib[1]],
      ['dataset owner', datasetOwner],
      ['dataset contributor 1', dataContrib[0]],
      ['dataset contributor 2', dataContrib[1]],
    ]
    for (const token of [usdt, sahara]) {
      let claimed = 0n
      for (const [name, client] of parties) {
        const expected = model.claimable(client.account!, token)
        assert.ok(expected > 0n, `${name} should be owed something in ${token}`)
        const [balance] = await client.getBalances({ account: client.account!, tokens: [token] })
        assert.equal(balance!.total, expected, `${name} claimable in ${balance!.symbol}`)
        const before = await tokenBalance(token, client.account!)
        const r = await client.claim({ token })
        assert.equal(r.amount, expected, `${name} claimed in ${balance!.symbol}`)
        assert.equal((await tokenBalance(token, client.account!)) - before, expected)
        const [afterClaim] = await client.getBalances({ account: client.account!, tokens: [token] })
        assert.equal(afterClaim!.total, 0n)
        claimed += expected
      }
      const vault = net.deployments.contracts.RevenueVault
      const reserves = await readContract(admin.publicClient, { address: vault, abi: revenueVaultAbi, functionName: 'reserves', args: [token] })
      assert.equal(await tokenBalance(token, vault), reserves, 'vault balance equals reserves')
      // What stays is only sub-wei dust of the contributor accumulators (< 1 wei per holder).
      assert.equal(reserves, model.inflows.get(token)! - claimed)
      assert.ok(reserves < 4n, `dust ${reserves}`)
    }
    // Nothing left: claim sends no transaction.
    const again = await datasetOwner.claim({ token: 'USDT' })
    assert.equal(again.amount, 0n)
    assert.equal(again.hash, undefined)
  })

  it('reads ancestors and descendants of the lineage', async () => {
    const anc = await payer.getAncestors(A)
    assert.deepEqual(anc.ids, [M, D])
    assert.equal(anc.tree.children[0]!.assetId, M)
    assert.equal(anc.tree.children[0]!.relation, 'USES_MODEL')
    assert.equal(anc.tree.children[0]!.children[0]!.assetId, D)
    assert.equal(anc.tree.children[0]!.children[0]!.relation, 'TRAINED_ON')
    assert.equal(anc.tree.children[0]!.children[0]!.royaltyBps, 1000)
    const desc = await payer.getDescendants(D)
    assert.deepEqual(desc.ids, [M, A])
    assert.deepEqual(desc.links.map((l) => [l.childId, l.parentId, l.relation]), [[M, D, 'TRAINED_ON'], [A, M, 'USES_MODEL']])
    assert.deepEqual((await payer.getDescendants(A)).ids, [])
  })

  it('publishing a version keeps the old versions readable; CIDs match contentId()', async () => {
    const v2 = await computeCid(bytes('id,text\n1,hello\n2,world\n3,again\n'))
    const r = await datasetOwner.publishVersion({ assetId: D, content: v2.cid, metadata: { name: 'Desert corpus', description: 'v2' } })
    assert.equal(r.version, 2)
    const versions = await payer.getVersions(D)
    assert.deepEqual(versions.map((v) => [v.version, v.content]), [[1, datasetV1], [2, v2.cid]])
    for (const v of versions) {
      const onChain = await readContract(payer.publicClient, { address: net.deployments.contracts.AssetRegistry, abi: assetRegistryAbi, functionName: 'contentId', args: [D, v.version] })
      assert.equal(onChain, v.content)
    }
    const asset = await payer.getAsset(D)
    assert.equal(asset.versionCount, 2)
    assert.equal(asset.latest.content, v2.cid)
    assert.equal(asset.latest.tokenURI, `ipfs://${r.metadata.cid}`)
  })

  it('registers a batch with consecutive ids and lists terms', async () => {
    const cid = (await computeCid(bytes('pipeline'))).cid
    const r = await payer.registerAssets([
      { kind: 'pipeline', content: cid, metadata: { name: 'p1' } },
      { kind: 'dataset', content: cid, metadata: { name: 'p2' } },
    ])
    assert.equal(r.assets.length, 2)
    assert.equal(r.assets[1]!.assetId, r.assets[0]!.assetId + 1n)
    const terms = await payer.listTerms(M)
    assert.equal(terms.length, 1)
    assert.equal(terms[0]!.template, 'COMMERCIAL_REMIX')
    assert.equal(terms[0]!.sold, 1n)
    await modelOwner.stopSales({ termsId: terms[0]!.termsId })
    assert.equal((await payer.getTerms(terms[0]!.termsId)).active, false)
  })

  it('turns reverts into readable sentences', async () => {
    const dTerms = (await payer.listTerms(D))[0]!
    await assert.rejects(payer.buyLicense({ termsId: dTerms.termsId, maxFee: USDT('10') }), (e: unknown) => {
      assert.ok(e instanceof ContractError)
      assert.equal(e.errorName, 'FeeAboveMax')
      assert.equal(e.message, 'Fee 100 USDT is above your maximum 10 USDT.')
      return true
    })
    await assert.rejects(payer.getAsset(999), (e: unknown) => e instanceof ContractError && e.errorName === 'UnknownAsset' && e.message === 'Asset #999 does not exist.')
    await assert.rejects(
      payer.registerAsset({ kind: 'model', content: datasetV1, metadata: { name: 'pirate' }, parents: [{ parentId: M, relation: 'FINETUNED_FROM' }] }),
      (e: unknown) => e instanceof ContractError && e.errorName === 'DerivativeNotAllowed' && /may not derive from asset #2 without a license/.test(e.message),
    )
    await assert.rejects(payer.publishVersion({ assetId: D, content: datasetV1, metadata: datasetV1 }), (e: unknown) =>
      e instanceof ContractError && e.errorName === 'NotAssetOwner' && e.message === `${payer.account} is not the owner of asset #1.`,
    )
    await assert.rejects(payer.faucet({ amount: USDT('100001') }), (e: unknown) =>
      e instanceof ContractError && e.message === 'The faucet gives at most 100000 USDT per call; 100001 USDT was requested.',
    )
    // A fresh account: no tokens (and no gas, but the balance check comes before any transaction).
    const broke = createSaharaClient({
      publicClient: payer.publicClient,
      walletClient: createWalletClient({ chain: payer.walletClient!.chain, transport: http(net.rpcUrl), account: privateKeyToAccount(generatePrivateKey()) }),
      deployments: net.deployments,
    })
    await assert.rejects(broke.pay({ assetId: A, token: 'SAHARA', amount: SAHARA('1.5') }), (e: unknown) =>
      e instanceof InsufficientBalanceError && e.message === `${broke.account} has 0 SAHARA but 1.5 SAHARA is needed.`,
    )
    const readOnly = createSaharaClient({ publicClient: payer.publicClient, deployments: net.deployments })
    await assert.rejects(readOnly.claim({ token: 'USDT' }), MissingWalletError)
  })

  it('diamond lineage: flush order is children first and every party gets exactly its share', async () => {
    // E uses the model (15%) and the dataset directly (10%): the dataset is reached twice.
    const dTerms = (await agentOwner.listTerms(D))[0]!
    const dLicense = await agentOwner.buyLicense({ termsId: dTerms.termsId })
    const mLicenseId = (await agentOwner.getAsset(A)).parents[0]!.licenseId
    const before = new Map<string, bigint>()
    const parties = [treasury, agentOwner, modelOwner, modelContrib[0], modelContrib[1], datasetOwner, dataContrib[0], dataContrib[1]]
    for (const p of parties) before.set(p.account!, model.claimable(p.account!, usdt))
    model.pay(D, usdt, dTerms.price)
    const e = await agentOwner.registerAsset({
      kind: 'agent',
      content: (await computeCid(bytes('{"agent":"diamond"}'))).cid,
      metadata: { name: 'Diamond' },
      parents: [
        { parentId: M, relation: 'USES_MODEL', licenseId: mLicenseId },
        { parentId: D, relation: 'USES_DATASET', licenseId: dLicense.licenseId },
      ],
    })
    const E = e.assetId
    model.addAsset(E, agentOwner.account!, [{ id: M, bps: 1500n }, { id: D, bps: 1000n }])

    const anc = await payer.getAncestors(E)
    assert.deepEqual(anc.ids, [M, D])
    assert.deepEqual(anc.tree.children.map((c) => [c.assetId, c.deduped ?? false]), [[M, false], [D, true]])
    assert.equal(anc.tree.children[0]!.children[0]!.assetId, D)
    assert.equal((await payer.getAsset(E)).royaltyBps, 2500)

    await payer.pay({ assetId: E, token: 'USDT', amount: USDT('777.777777') })
    model.pay(E, usdt, USDT('777.777777'))
    assert.deepEqual(await payer.computeFlushPath({ assetId: E, token: usdt }), [E, M])
    await payer.flushRoyalties({ assetId: E, token: usdt })
    model.flush(E, usdt)
    model.flush(M, usdt)
    for (const id of [E, M, D]) assert.equal(await pending(id, usdt), 0n)

    for (const p of parties) {
      const expected = model.claimable(p.account!, usdt) - before.get(p.account!)!
      assert.ok(expected > 0n)
      const r = await p.claim({ token: 'USDT' })
      assert.equal(r.amount, expected, `claim of ${p.account}`)
    }
    const vault = net.deployments.contracts.RevenueVault
    const reserves = await readContract(admin.publicClient, { address: vault, abi: revenueVaultAbi, functionName: 'reserves', args: [usdt] })
    assert.equal(await tokenBalance(usdt, vault), reserves)
    assert.ok(reserves < 4n, `dust ${reserves}`)
  })

  async function pending(id: bigint, token: Address): Promise<bigint> {
    return readContract(admin.publicClient, { address: net.deployments.contracts.RevenueVault, abi: revenueVaultAbi, functionName: 'pendingRoyalties', args: [id, token] })
  }
  async function tokenBalance(token: Address, account: Address): Promise<bigint> {
    return readContract(admin.publicClient, { address: token, abi: devStablecoinAbi, functionName: 'balanceOf', args: [account] })
  }
})
