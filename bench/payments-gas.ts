// Gas of the pay-per-use settlement path, from real anvil receipts: what a paid call costs on-chain
// once amortized over a settlement, and what settling many channels in one transaction costs.
import { parseEther, type Address, type Chain, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { waitForTransactionReceipt, writeContract } from 'viem/actions'
import { walletClientFor, type DevAccount } from '@sahara/devnet'
import {
  buildMerkleTree,
  computeCid,
  createHashChain,
  createSaharaClient,
  paymentChannelsAbi,
  paymentsDomain,
  saharaTokenAbi,
  sha256Hex,
  signVoucher,
  type Deployments,
  type SaharaClient,
  type Voucher,
} from '@sahara/sdk'
import type { GasRow } from './gas.ts'

export type PaymentsGasOptions = {
  rpcUrl: string
  publicClient: PublicClient
  chain: Chain
  deployments: Deployments
  accounts: DevAccount[]
  log?: (m: string) => void
}

const TARGET_GAS_PER_CALL_AT_1000 = 300
const UNIT_PRICE = 1_000n // 0.001 USDT per call
const CHAIN_LENGTH = 1024
const ZERO32 = `0x${'00'.repeat(32)}` as Hex

export async function runPaymentsGasBench(o: PaymentsGasOptions): Promise<GasRow[]> {
  const log = o.log ?? (() => {})
  const d = o.deployments
  const channels = d.contracts.PaymentChannels as Address | undefined
  if (!channels) throw new Error('the deployments have no PaymentChannels: deploy the execution contracts first')
  const client = (i: number): SaharaClient =>
    createSaharaClient({ publicClient: o.publicClient, walletClient: walletClientFor(o.rpcUrl, o.accounts[i]!.privateKey, o.chain), deployments: d })
  const admin = client(0)
  const operator = client(1)
  const owner = client(4)
  const payer = client(2)
  const nodeSigner = privateKeyToAccount(o.accounts[3]!.privateKey as Hex)
  const nodeWallet = walletClientFor(o.rpcUrl, o.accounts[3]!.privateKey, o.chain)
  const rows: GasRow[] = []

  const stake = parseEther('1000')
  await wait(o.publicClient, await writeContract(admin.walletClient!, {
    address: d.contracts.SaharaToken, abi: saharaTokenAbi, functionName: 'transfer', args: [operator.account!, stake], account: admin.walletClient!.account!, chain: o.chain,
  }))
  const reg = await operator.registerNode({ endpoint: 'http://127.0.0.1:8090/', signer: nodeSigner.address, stake })
  rows.push({ name: 'node: register with stake (approve excluded)', gas: Number(reg.receipt.gasUsed) })
  const content = await computeCid(new TextEncoder().encode('bench model'))
  const { assetId } = await owner.registerAsset({ kind: 'model', content: content.cid, metadata: { name: 'bench', description: 'bench' } })
  await operator.serveAsset({ nodeId: reg.nodeId, assetId, feeBps: 1000 })
  await payer.faucet({ amount: 100_000n * 10n ** 6n })
  const opened = await payer.openChannel({ nodeId: reg.nodeId, token: 'USDT', amount: 50_000n * 10n ** 6n })
  rows.push({ name: 'channel: open (approve excluded)', gas: Number(opened.receipt.gasUsed) })
  const permitted = await payer.openChannel({ nodeId: reg.nodeId, token: 'USDT', amount: 10n ** 6n, authorization: 'permit' })
  rows.push({ name: 'channel: open with permit (one tx)', gas: Number(permitted.receipt.gasUsed) })
  const topped = await payer.topUpChannel({ channelId: opened.channelId, amount: 10n ** 6n })
  rows.push({ name: 'channel: top up', gas: Number(topped.receipt.gasUsed) })

  const domain = paymentsDomain(d.chainId, channels)
  const now = async () => (await o.publicClient.getBlock()).timestamp
  let lane = 0n
  const settle = async (entries: { voucher: Voucher; units: bigint; preimage: Hex; signature: Hex }[], root: Hex, count: bigint) => {
    const hash = await writeContract(nodeWallet, {
      address: channels, abi: paymentChannelsAbi, functionName: 'settle',
      args: [reg.nodeId, d.contracts.USDT, entries, root, count], account: nodeWallet.account!, chain: o.chain,
    })
    const r = await wait(o.publicClient, hash)
    return Number(r.gasUsed)
  }
  // A lane that served `calls` calls with chains of CHAIN_LENGTH units: vouchers were signed at
  // every chain start; the node settles the latest voucher plus `tail` revealed units on it.
  const laneEntry = async (channelId: bigint, calls: number, settleTail: boolean) => {
    const chains = Math.ceil(calls / CHAIN_LENGTH)
    const covered = BigInt((chains - 1) * CHAIN_LENGTH)
    const tail = calls - Number(covered)
    const chain = createHashChain(CHAIN_LENGTH)
    const voucher: Voucher = {
      channelId, lane: lane++, assetId, cumulative: covered * UNIT_PRICE, anchor: chain.anchor,
      unitPrice: UNIT_PRICE, maxUnits: BigInt(CHAIN_LENGTH), expiresAt: (await now()) + 86_400n,
    }
    const signature = await signVoucher(payer.walletClient!, domain, voucher)
    // Steady state: the previous voucher already covers `covered`; the tail waits for the next
    // voucher. A final settlement reveals the tail's preimage and the contract walks the chain.
    const units = settleTail ? BigInt(tail) : 0n
    return { entry: { voucher, units, preimage: settleTail ? chain.preimageAt(tail) : ZERO32, signature }, calls }
  }
  // Every settlement commits a fresh root (a node never records the same root twice).
  let batch = 0
  const receiptsRoot = (n: number) => buildMerkleTree(Array.from({ length: Math.min(n, 64) }, (_, i) => sha256Hex(`batch ${batch} receipt ${i}`))).root
  const nextRoot = (n: number) => {
    batch++
    return receiptsRoot(n)
  }

  // Warm the lane/asset storage the way a running node would (first settlement on an asset writes
  // fresh vault words); measured separately.
  const first = await laneEntry(opened.channelId, 1, true)
  rows.push({ name: 'settle: first settlement of an asset (fresh vault storage), 1 call', gas: await settle([first.entry], nextRoot(1), 1n) })

  for (const calls of [1, 100, 1_000, 10_000]) {
    if (calls <= CHAIN_LENGTH) {
      // A single chain: no voucher covers these calls alone; the node reveals the tail.
      const e = await laneEntry(opened.channelId, calls, true)
      const gas = await settle([e.entry], nextRoot(calls), BigInt(calls))
      rows.push({ name: `settle: ${calls} call(s) on one lane, one chain (voucher + ${calls}-unit tail)`, gas, note: `${(gas / calls).toFixed(1)} gas/call` })
    } else {
      // Several chains: periodic settlements submit the latest voucher (m = 0).
      const e = await laneEntry(opened.channelId, calls, false)
      const gas = await settle([e.entry], nextRoot(calls), BigInt(calls))
      rows.push({ name: `settle: ${calls} calls on one lane, latest voucher (m = 0)`, gas, note: `${(gas / calls).toFixed(1)} gas/call` })
    }
  }
  // The per-call target: 1,000 calls per settlement spread the way a loaded client sends them,
  // over 8 lanes of 125 calls. First settlement of these lanes: each voucher plus its 125-unit tail
  // (fresh lane storage, 125 sha256 steps each). Then the steady state: the next 1,000 calls, each
  // lane's newer voucher covering all it served (m = 0), on lanes that already have storage.
  {
    const lanes = []
    // A client numbers its lanes of a channel from an aligned base (0, or a random multiple of
    // 2^16 for a resumed channel): take 8 lanes starting at a multiple of 8 like it does.
    lane = (lane + 7n) / 8n * 8n
    for (let i = 0; i < 8; i++) lanes.push((await laneEntry(opened.channelId, 125, true)).entry)
    const gas = await settle(lanes, nextRoot(1000), 1000n)
    rows.push({ name: 'settle: 1,000 calls over 8 new lanes (8 vouchers + 125-unit tails)', gas, note: `${(gas / 1000).toFixed(1)} gas/call` })
    const next = []
    for (const e of lanes) {
      const chain = createHashChain(CHAIN_LENGTH)
      const v: Voucher = { ...e.voucher, cumulative: 250n * UNIT_PRICE, anchor: chain.anchor }
      // m = 0: the node sends a zero preimage (packages/node/src/settlement/plan.ts), not a stale one.
      next.push({ voucher: v, units: 0n, preimage: ZERO32, signature: await signVoucher(payer.walletClient!, domain, v) })
    }
    const steady = await settle(next, nextRoot(1000), 1000n)
    rows.push({ name: 'settle: next 1,000 calls over the same 8 lanes (8 covering vouchers, m = 0)', gas: steady, target: TARGET_GAS_PER_CALL_AT_1000 * 1000, note: `${(steady / 1000).toFixed(1)} gas/call` })
  }
  {
    const e = await laneEntry(opened.channelId, 1000, false)
    // A voucher that covers the 1,000 calls (a later chain's voucher: cumulative = 1,000 calls).
    const chain = createHashChain(CHAIN_LENGTH)
    const v: Voucher = { ...e.entry.voucher, cumulative: 1000n * UNIT_PRICE, anchor: chain.anchor }
    const signature = await signVoucher(payer.walletClient!, domain, v)
    const gas = await settle([{ voucher: v, units: 0n, preimage: ZERO32, signature }], nextRoot(1000), 1000n)
    rows.push({ name: 'settle: 1,000 calls on one lane, covering voucher (m = 0)', gas, target: TARGET_GAS_PER_CALL_AT_1000 * 1000, note: `${(gas / 1000).toFixed(1)} gas/call` })
  }
  rows.push({ name: 'settle: receipts root only (x402 receipts)', gas: await settle([], nextRoot(10), 10n) })

  // N channels in one transaction: each its own payer-side channel, one voucher each.
  for (const n of [1, 10, 100]) {
    log(`opening ${n} channel(s) for the batch settlement`)
    const entries = []
    for (let i = 0; i < n; i++) {
      const c = await payer.openChannel({ nodeId: reg.nodeId, token: 'USDT', amount: 10n ** 6n })
      entries.push((await laneEntry(c.channelId, 10, true)).entry)
    }
    const gas = await settle(entries, nextRoot(10 * n), BigInt(10 * n))
    rows.push({ name: `settle: ${n} channel(s) in one tx (10 calls each, tails revealed)`, gas, note: `${Math.round(gas / n)} gas/channel` })
  }
  return rows
}

async function wait(pc: PublicClient, hash: Hex) {
  const r = await waitForTransactionReceipt(pc, { hash, pollingInterval: 20 })
  if (r.status !== 'success') throw new Error(`transaction ${hash} reverted`)
  return r
}

