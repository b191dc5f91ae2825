// Gas benchmark scenarios: every number is the gasUsed of a real transaction receipt on anvil.
import { createHash } from 'node:crypto'
import {
  encodeFunctionData,
  keccak256,
  parseUnits,
  toHex,
  zeroAddress,
  type Abi,
  type Address,
  type Chain,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from 'viem'
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts'
import { loadArtifact, type DevAccount } from '@sahara/devnet'
import type { Deployments } from '@sahara/sdk'

export interface GasRow {
  name: string
  gas: number
  /** Design target (upper bound) where one exists. */
  target?: number
  note?: string
}

export interface GasBenchOptions {
  publicClient: PublicClient
  chain: Chain
  deployments: Deployments
  accounts: DevAccount[]
  /** Contributor counts to measure pay with (default 1, 1_000, 100_000). */
  contributorCounts?: number[]
  /** Lineage depths to measure pay at (default 1, 10, 100). */
  lineageDepths?: number[]
  /** Contributors minted per mintBatch transaction during setup. */
  mintChunk?: number
  log?: (m: string) => void
}

const TARGET = { register: 150_000, buyLicense: 120_000, pay: 100_000, claim: 80_000 } as const
const KIND_DATASET = 1
const KIND_MODEL = 2
const TRAINED_ON = 0
const COMMERCIAL_REMIX = 3

const sha = (s: string): Hex => toHex(createHash('sha256').update(s).digest())

/**
 * Signs locally and sends with explicit nonces and fees, so bulk setup can keep many
 * transactions in flight without a round trip per nonce.
 */
class Sender {
  readonly account: PrivateKeyAccount
  private nonce = -1

  constructor(
    private readonly pc: PublicClient,
    private readonly chain: Chain,
    privateKey: Hex,
  ) {
    this.account = privateKeyToAccount(privateKey)
  }

  get address(): Address {
    return this.account.address
  }

  private async nextNonce(): Promise<number> {
    if (this.nonce < 0) this.nonce = await this.pc.getTransactionCount({ address: this.address, blockTag: 'pending' })
    return this.nonce++
  }

  /** Sends without waiting; `gas` must be given (no estimation against a moving pending state). */
  async send(to: Address, data: Hex, gas: bigint): Promise<Hash> {
    const nonce = await this.nextNonce()
    // Fixed fees far above anvil's base fee: no fee round trips; only gasUsed is measured.
    const signed = await this.account.signTransaction({
      chainId: this.chain.id,
      type: 'eip1559',
      to,
      data,
      gas,
      nonce,
      maxFeePerGas: 50_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
    })
    return this.pc.request({ method: 'eth_sendRawTransaction', params: [signed] })
  }

  /** Estimates, sends, waits: one measured transaction. */
  async call(to: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<TransactionReceipt> {
    const data = encodeFunctionData({ abi, functionName, args })
    const estimate = await this.pc.estimateGas({ account: this.address, to, data })
    const hash = await this.send(to, data, (estimate * 13n) / 10n + 50_000n)
    const receipt = await this.pc.waitForTransactionReceipt({ hash, pollingInterval: 5 })
    if (receipt.status !== 'success') throw new Error(`${functionName} reverted (tx ${hash})`)
    return receipt
  }
}

/** Deterministic distinct contributor addresses (no keys: they only hold shares). */
function contributorAddress(assetId: bigint, i: number): Address {
  return `0x${keccak256(toHex(`contributor:${assetId}:${i}`)).slice(-40)}` as Address
}

export async function runGasBench(o: GasBenchOptions): Promise<GasRow[]> {
  const log = o.log ?? (() => {})
  const pc = o.publicClient
  const c = o.deployments.contracts
  const abi = {
    registry: loadArtifact('AssetRegistry').abi,
    licenses: loadArtifact('LicenseRegistry').abi,
    shares: loadArtifact('ContributionShares').abi,
    vault: loadArtifact('RevenueVault').abi,
    usdt: loadArtifact('DevStablecoin').abi,
  }
  const key = (i: number): Hex => o.accounts[i]!.privateKey
  const alice = new Sender(pc, o.chain, key(1)) // asset owner
  const bob = new Sender(pc, o.chain, key(2)) // second owner (lineage alternates owners)
  const payer = new Sender(pc, o.chain, key(3))
  const contributor = new Sender(pc, o.chain, key(4)) // holds shares in every benchmark asset
  const rows: GasRow[] = []
  const row = (name: string, r: TransactionReceipt, target?: number, note?: string): void => {
    rows.push({ name, gas: Number(r.gasUsed), ...(target !== undefined ? { target } : {}), ...(note ? { note } : {}) })
    log(`${name}: ${r.gasUsed}`)
  }

  let assets = (await pc.readContract({ address: c.AssetRegistry, abi: abi.registry, functionName: 'assetCount' })) as bigint
  const params = (kind: number, name: string, parents: { parentId: bigint; relation: number; licenseId: bigint }[] = []) => ({
    kind,
    owner: zeroAddress,
    content: { codec: 0x55, digest: sha(`content:${name}`) },
    metadata: { codec: 0x0200, digest: sha(`metadata:${name}`) },
    parents,
  })
  const register = async (who: Sender, name: string, parents: { parentId: bigint; relation: number; licenseId: bigint }[] = [], kind = KIND_DATASET) => {
    const r = await who.call(c.AssetRegistry, abi.registry, 'register', [params(kind, name, parents)])
    assets += 1n
    return { id: assets, receipt: r }
  }
  let termsCount = (await pc.readContract({ address: c.LicenseRegistry, abi: abi.licenses, functionName: 'termsCount' })) as bigint
  const remixTerms = async (who: Sender, assetId: bigint, price: bigint, royaltyBps: number) => {
    const r = await who.call(c.LicenseRegistry, abi.licenses, 'attachTerms', [
      assetId,
      { template: COMMERCIAL_REMIX, paymentToken: price === 0n ? zeroAddress : c.USDT, price, royaltyBps, duration: 0, transferable: false, supplyCap: 0n },
    ])
    termsCount += 1n
    return { id: termsCount, receipt: r }
  }
  let licenses = 0n
  const buy = async (who: Sender, termsId: bigint, maxFee: bigint) => {
    const r = await who.call(c.LicenseRegistry, abi.licenses, 'buyLicense', [termsId, zeroAddress, maxFee])
    licenses += 1n
    return { id: licenses, receipt: r }
  }
  const usdt = (n: string) => parseUnits(n, 6)
  const pay = (assetId: bigint, amount = usdt('100')) => payer.call(c.RevenueVault, abi.vault, 'pay', [assetId, c.USDT, amount])

  // --- funding: USDT for the payer (license fees + payments); approvals to the vault.
  for (let i = 0; i < 3; i++) await payer.call(c.USDT, abi.usdt, 'faucet', [payer.address, usdt('100000')])
  await payer.call(c.USDT, abi.usdt, 'approve', [c.RevenueVault, 2n ** 256n - 1n])

  // --- register
  log('register...')
  const first = await register(alice, 'warm-up')
  if (first.id === 1n) row('register asset: first asset ever (0 parents)', first.receipt, undefined, 'cold counters')
  const plain = await register(alice, 'plain')
  row('register asset (0 parents)', plain.receipt, TARGET.register)
  const parentIds: bigint[] = []
  for (let i = 0; i < 32; i++) parentIds.push((await register(alice, `parent ${i}`)).id)
  for (const n of [1, 8, 32]) {
    const parents = parentIds.slice(0, n).map((parentId) => ({ parentId, relation: TRAINED_ON, licenseId: 0n }))
    const r = await register(alice, `child of ${n}`, parents, KIND_MODEL)
    row(`register asset with ${n} parent${n === 1 ? '' : 's'} (registrant owns them)`, r.receipt)
  }

  // --- licenses
  log('licenses...')
  const sold = await register(alice, 'licensed dataset')
  const terms = await remixTerms(alice, sold.id, usdt('10'), 1_000)
  row('attach terms (COMMERCIAL_REMIX)', terms.receipt)
  const firstBuy = await buy(payer, terms.id, usdt('10'))
  row('buy license: first license of this buyer', firstBuy.receipt, undefined, 'buyer NFT balance 0 -> 1')
  const steadyBuy = await buy(payer, terms.id, usdt('10'))
  row('buy license (COMMERCIAL_REMIX, 10 USDT)', steadyBuy.receipt, TARGET.buyLicense)
  const licensedChild = await register(payer, 'licensed child', [{ parentId: sold.id, relation: TRAINED_ON, licenseId: steadyBuy.id }], KIND_MODEL)
  row('register asset with 1 licensed parent (10% royalty)', licensedChild.receipt)

  // --- lineage: a chain where each asset is a licensed remix (10% royalty) of the previous one.
  const depths = o.lineageDepths ?? [1, 10, 100]
  const maxDepth = Math.max(...depths)
  log(`lineage of depth ${maxDepth}...`)
  const chain: bigint[] = [(await register(alice, 'lineage root')).id]
  const owners = [alice, bob]
  for (let d = 1; d <= maxDepth; d++) {
    const parentOwner = owners[(d - 1) % 2]!
    const childOwner = owners[d % 2]!
    const t = await remixTerms(parentOwner, chain[d - 1]!, 0n, 1_000)
    const l = await buy(childOwner, t.id, 0n)
    const child = await register(childOwner, `lineage ${d}`, [{ parentId: chain[d - 1]!, relation: TRAINED_ON, licenseId: l.id }], KIND_MODEL)
    chain.push(child.id)
  }
  for (const d of depths) {
    row(`pay into asset with lineage depth ${d}: first payment`, await pay(chain[d]!), undefined, 'first inflow of this asset/token')
    row(`pay into asset with lineage depth ${d}`, await pay(chain[d]!), TARGET.pay, 'royalties stay pending: O(1)')
  }
  // Push the deepest asset's pending royalties up the whole lineage.
  const deepest = chain[maxDepth]!
  row('flushRoyalties: one hop (1 parent)', await payer.call(c.RevenueVault, abi.vault, 'flushRoyalties', [deepest, c.USDT]))
  const upward = chain.slice(1, maxDepth).reverse()
  row(
    `flushRoyaltiesBatch: remaining ${upward.length} hops of the depth-${maxDepth} lineage`,
    await payer.call(c.RevenueVault, abi.vault, 'flushRoyaltiesBatch', [upward, c.USDT]),
  )

  // --- pay with N contributors (last: a huge state slows every later block on anvil)
  const chunk = BigInt(o.mintChunk ?? 1_000)
  let claimAsset = 0n
  for (const n of o.contributorCounts ?? [1, 1_000, 100_000]) {
    log(`contributors: ${n}...`)
    const { id } = await register(alice, `shared asset ${n}`)
    await alice.call(c.ContributionShares, abi.shares, 'setContributorSplit', [id, 2_000])
    // Contributor 0 is a real account so the claim below measures a real holder.
    const who = (i: number): Address => (i === 0 ? contributor.address : contributorAddress(id, i))
    const batch = (from: number, to: number) =>
      encodeFunctionData({
        abi: abi.shares,
        functionName: 'mintBatch',
        args: [
          id,
          Array.from({ length: to - from }, (_, k) => who(from + k)),
          Array.from({ length: to - from }, (_, k) => BigInt(1 + ((from + k) % 7))),
          1,
          Array.from({ length: to - from }, (_, k) => sha(`evidence ${from + k}`)),
        ],
      })
    const size = Number(chunk)
    const firstTo = Math.min(n, size)
    const firstData = batch(0, firstTo)
    const est = await pc.estimateGas({ account: alice.address, to: c.ContributionShares, data: firstData })
    const gas = (est * 3n) / 2n + 100_000n
    const hashes: Hash[] = [await alice.send(c.ContributionShares, firstData, gas)]
    for (let from = firstTo; from < n; from += size) hashes.push(await alice.send(c.ContributionShares, batch(from, Math.min(n, from + size)), gas))
    // One sender, consecutive nonces: once the last is mined all are. Fetching every receipt
    // (thousands of logs each) would cost more than the minting; totalShares proves they all ran.
    await pc.waitForTransactionReceipt({ hash: hashes[hashes.length - 1]!, pollingInterval: 50, timeout: 900_000 })
    if (n >= size) {
      const full = await pc.getTransactionReceipt({ hash: hashes[0]! })
      rows.push({ name: `mintBatch: gas per contributor (chunk of ${size}, ${n.toLocaleString('en-US')} total)`, gas: Math.round(Number(full.gasUsed) / size) })
    }
    let expected = 0n
    for (let i = 0; i < n; i++) expected += BigInt(1 + (i % 7))
    const total = (await pc.readContract({ address: c.ContributionShares, abi: abi.shares, functionName: 'totalShares', args: [id] })) as bigint
    if (total !== expected) throw new Error(`mintBatch x${n}: totalShares ${total}, expected ${expected} (a batch reverted)`)
    row(`pay into asset with ${n.toLocaleString('en-US')} contributor${n === 1 ? '' : 's'}: first payment`, await pay(id), undefined, 'first inflow of this asset/token')
    row(`pay into asset with ${n.toLocaleString('en-US')} contributor${n === 1 ? '' : 's'}`, await pay(id), TARGET.pay)
    if (n === 1_000 || claimAsset === 0n) claimAsset = id
  }

  // --- worst case of the split: royalties to a parent and a contributor accumulator in one pay.
  await payer.call(c.ContributionShares, abi.shares, 'setContributorSplit', [licensedChild.id, 2_000])
  await payer.call(c.ContributionShares, abi.shares, 'mint', [licensedChild.id, contributor.address, 100n, 1, sha('mixed')])
  row('pay into asset with 1 royalty parent + contributors: first payment', await pay(licensedChild.id), undefined, 'first inflow of this asset/token')
  row('pay into asset with 1 royalty parent + contributors', await pay(licensedChild.id), TARGET.pay)

  // --- claims. The first claim by an account holding no USDT pays for a fresh balance slot.
  log('claims...')
  row('claim: owner, first (claimer holds no USDT)', await alice.call(c.RevenueVault, abi.vault, 'claim', [c.USDT, []]), undefined, 'token balance slot 0 -> nonzero')
  await pay(plain.id)
  row('claim: owner balance', await alice.call(c.RevenueVault, abi.vault, 'claim', [c.USDT, []]), TARGET.claim)
  row('claim: contributor, first (claimer holds no USDT)', await contributor.call(c.RevenueVault, abi.vault, 'claim', [c.USDT, [claimAsset]]), undefined, 'token balance slot 0 -> nonzero')
  await pay(claimAsset)
  row('claim: contributor in 1 asset', await contributor.call(c.RevenueVault, abi.vault, 'claim', [c.USDT, [claimAsset]]), TARGET.claim)
  return rows
}
