import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { keccak256, toHex, type Address, type Hash, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { TxWouldRevertError, type ChainAdapter, type PayExactCall, type SettleCall, type SignedTx, type TxStatus } from '../src/chain/adapter.ts'
import { parseConfig, type NodeConfig } from '../src/config.ts'
import { startNode, type RunningNode } from '../src/node.ts'
import { channelsDomain, voucherTypes } from '../src/payments/eip712.ts'
import { formatTicket, formatVoucherHeader } from '../src/payments/headers.ts'
import { sha256 } from '../src/payments/merkle.ts'
import { ChannelStatus, type ChannelInfo, type SignedVoucher } from '../src/payments/types.ts'
import { encodeReceipt, parseCompactReceiptHeader, receiptJson, receiptLeaf } from '../src/payments/receipt.ts'

export const NODE_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' as Hex
export const PAYER_KEY = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a' as Hex
export const OTHER_KEY = '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6' as Hex
export const CHANNELS = '0x5FbDB2315678afecb367f032d93F642f64180aa3' as Address
export const EXACT = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' as Address
export const TOKEN = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' as Address
export const CHAIN_ID = 31337
export const NODE_ID = 1n
export const ASSET = 7n
export const UNIT_PRICE = 1000n

/** In-memory ChainAdapter that applies settle() with the contract's rules (delta, cap, skip). */
export class FakeChain implements ChainAdapter {
  readonly chainId = CHAIN_ID
  readonly paymentChannels = CHANNELS
  readonly exactPayments = EXACT
  channels = new Map<bigint, ChannelInfo>()
  laneSettledMap = new Map<string, bigint>()
  roots = new Set<string>()
  settles: SettleCall[] = []
  exacts: PayExactCall[] = []
  pendingTx = new Map<string, () => void>()
  mined = new Set<string>()
  /** When false, sendRaw accepts but never mines (crash/restart tests). */
  mining = true
  clock = BigInt(Math.floor(Date.now() / 1000))
  private n = 0

  openChannel(id: bigint, o: Partial<ChannelInfo> = {}): ChannelInfo {
    const payer = privateKeyToAccount(PAYER_KEY).address
    const c: ChannelInfo = { payer, signer: payer, nodeId: NODE_ID, token: TOKEN, deposit: 10n ** 12n, settled: 0n, closesAt: 0n, status: ChannelStatus.Open, ...o }
    this.channels.set(id, c)
    return c
  }
  async getChannel(id: bigint): Promise<ChannelInfo> {
    return { ...(this.channels.get(id) ?? { payer: '0x0000000000000000000000000000000000000000', signer: '0x0000000000000000000000000000000000000000', nodeId: 0n, token: TOKEN, deposit: 0n, settled: 0n, closesAt: 0n, status: 0 }) }
  }
  async laneSettled(c: bigint, a: bigint, l: bigint): Promise<bigint> {
    return this.laneSettledMap.get(`${c}.${a}.${l}`) ?? 0n
  }
  async receiptsRecorded(root: Hex): Promise<boolean> {
    return this.roots.has(root)
  }
  async assetVersion(): Promise<{ version: number; contentCid: string; metadataCid: string }> {
    return { version: 1, contentCid: '', metadataCid: '' }
  }
  /**
   * When set, the next settle carrying receipts finds its root already recorded, as if a settlement
   * transaction the node lost track of had recorded it.
   */
  rootRecordedBehindTheNodesBack = false
  async signSettle(call: SettleCall): Promise<SignedTx> {
    if (call.receiptCount > 0n && this.rootRecordedBehindTheNodesBack) {
      this.rootRecordedBehindTheNodesBack = false
      this.roots.add(call.receiptsRoot)
    }
    // what estimateGas reports for PaymentChannels.settle with a root recorded before
    if (call.receiptCount > 0n && this.roots.has(call.receiptsRoot)) throw new TxWouldRevertError(`ReceiptsRootAlreadyRecorded(${call.receiptsRoot})`)
    const raw = toHex(`settle-${this.n++}`)
    this.pendingTx.set(keccak256(raw), () => this.applySettle(call))
    return { hash: keccak256(raw), raw }
  }
  /** When set, payExact would revert with this reason (what a simulation on a real chain reports). */
  exactRevert: string | undefined
  checks = 0
  async checkPayExact(): Promise<void> {
    this.checks++
    if (this.exactRevert !== undefined) throw new TxWouldRevertError(this.exactRevert)
  }
  async signPayExact(call: PayExactCall): Promise<SignedTx> {
    if (this.exactRevert !== undefined) throw new TxWouldRevertError(this.exactRevert)
    const raw = toHex(`exact-${this.n++}`)
    this.pendingTx.set(keccak256(raw), () => this.exacts.push(call))
    return { hash: keccak256(raw), raw }
  }
  private applySettle(call: SettleCall): void {
    this.settles.push(call)
    if (call.receiptCount > 0n) this.roots.add(call.receiptsRoot)
    for (const e of call.entries) {
      const v = e.voucher
      const ch = this.channels.get(v.channelId)!
      let x: Buffer = Buffer.from(e.preimage.slice(2), "hex")
      for (let i = 0n; i < e.units; i++) x = sha256(x)
      if (e.units > 0n && '0x' + x.toString('hex') !== v.anchor) throw new Error('bad preimage in settle')
      const amount = v.cumulative + e.units * v.unitPrice
      const k = `${v.channelId}.${v.assetId}.${v.lane}`
      const prev = this.laneSettledMap.get(k) ?? 0n
      let delta = amount > prev ? amount - prev : 0n
      if (delta > ch.deposit - ch.settled) delta = ch.deposit - ch.settled
      if (delta === 0n) continue
      this.laneSettledMap.set(k, prev + delta)
      ch.settled += delta
    }
  }
  /** Mines what was sent while `mining` was false. */
  minePending(): void {
    for (const [hash, apply] of this.pendingTx) {
      if (this.mined.has(hash)) continue
      apply()
      this.mined.add(hash)
    }
  }
  async sendRaw(tx: SignedTx): Promise<void> {
    if (!this.mining || this.mined.has(tx.hash)) return
    const f = this.pendingTx.get(tx.hash)
    if (f) {
      f()
      this.mined.add(tx.hash)
    }
  }
  async waitTx(hash: Hash): Promise<TxStatus> {
    return this.mined.has(hash) ? 'success' : 'unknown'
  }
  async gasUsed(): Promise<bigint> {
    return 100_000n
  }
  /** One block per mined transaction, numbered in mining order. */
  async txBlockNumber(hash: Hash): Promise<bigint | undefined> {
    const i = [...this.mined].indexOf(hash)
    return i < 0 ? undefined : BigInt(i + 1)
  }
  now(): bigint {
    return this.clock
  }
}

export function tempDir(prefix = 'sahara-node-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export function testConfig(dataDir: string, extra: Record<string, unknown> = {}): NodeConfig {
  return parseConfig({
    dataDir,
    port: 0,
    chainId: CHAIN_ID,
    contracts: { PaymentChannels: CHANNELS, ExactPayments: EXACT, USDT: TOKEN },
    nodeId: '1',
    signerPrivateKey: NODE_KEY,
    logLevel: 'silent',
    bodyLimit: 64 * 1024,
    assets: [
      { assetId: ASSET.toString(), name: 'echo', runtime: 'echo', unitPrice: UNIT_PRICE.toString(), unitsPerCall: 1, token: TOKEN, version: 1 },
      { assetId: '8', name: 'echo-free', runtime: 'echo', free: true, token: TOKEN, version: 1 },
    ],
    ...extra,
    // These tests drive voucher-only (m = 0) rounds; tails settle only when forced.
    settlement: { maxTailUnits: 0, ...((extra.settlement as Record<string, unknown> | undefined) ?? {}) },
  })
}

/** Client side of a lane: a hash chain, its voucher, and ticket generation. */
export class LaneClient {
  readonly chain: Buffer[] = []
  index = 0
  voucher!: SignedVoucher
  sentVoucher = false
  constructor(
    readonly channelId: bigint,
    readonly assetId: bigint,
    readonly lane: bigint,
    readonly length = 64,
  ) {}

  /** New chain + voucher with `cumulative` (what the lane owes so far). */
  async newChain(
    cumulative: bigint,
    o: { key?: Hex; domain?: { chainId: number; verifyingContract: Address }; unitPrice?: bigint; expiresAt?: bigint; maxUnits?: bigint; sign?: (message: Omit<SignedVoucher, 'signature'>) => Hex } = {},
  ): Promise<void> {
    const s: Buffer = Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256)))
    const chain: Buffer[] = [s]
    for (let i = 0; i < this.length; i++) chain.unshift(sha256(chain[0]!))
    this.chain.splice(0, this.chain.length, ...chain) // chain[0] = anchor, chain[i] = s_i
    this.index = 0
    const message = {
      channelId: this.channelId,
      lane: this.lane,
      assetId: this.assetId,
      cumulative,
      anchor: ('0x' + chain[0]!.toString('hex')) as Hex,
      unitPrice: o.unitPrice ?? UNIT_PRICE,
      maxUnits: o.maxUnits ?? BigInt(this.length),
      expiresAt: o.expiresAt ?? BigInt(Math.floor(Date.now() / 1000) + 86_400),
    }
    const signature = o.sign
      ? o.sign(message)
      : await privateKeyToAccount(o.key ?? PAYER_KEY).signTypedData({
          domain: channelsDomain(o.domain ?? { chainId: CHAIN_ID, verifyingContract: CHANNELS }),
          types: voucherTypes,
          primaryType: 'Voucher',
          message,
        })
    this.voucher = { ...message, signature }
    this.sentVoucher = false
  }

  /** Headers for the next call of `units` units (voucher attached on the first call of a chain). */
  next(units = 1): Record<string, string> {
    this.index += units
    const h: Record<string, string> = {
      'x-sahara-ticket': formatTicket({ channelId: this.channelId, assetId: this.assetId, lane: this.lane, units, index: this.index, preimage: this.chain[this.index]! }),
    }
    if (!this.sentVoucher) {
      h['x-sahara-voucher'] = formatVoucherHeader(this.voucher)
      this.sentVoucher = true
    }
    return h
  }

  ticket(units: number, index: number, preimage?: Buffer): string {
    return formatTicket({ channelId: this.channelId, assetId: this.assetId, lane: this.lane, units, index, preimage: preimage ?? this.chain[index]! })
  }

  total(): bigint {
    return this.voucher.cumulative + BigInt(this.index) * this.voucher.unitPrice
  }
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  const text = await res.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = text
  }
  return { status: res.status, json, headers: res.headers }
}

/** The node's format-2 receipt header as format 1's JSON object (decimal strings, 0x-hex, leaf). */
export function decodeReceiptHeader(h: string | null): any {
  if (!h) throw new Error('no receipt header')
  const r = parseCompactReceiptHeader(h)
  return receiptJson(r.fields, receiptLeaf(encodeReceipt(r.fields)), r.proof, '0x' + r.groupRoot.toString('hex'), r.sequence.toString(), r.signature)
}

/**
 * The usual start of a payment test: a node on a fake chain (manual settlement) with channel 1
 * open, and a client on its lane 0 holding a first voucher for a chain of `chainLength` tickets.
 */
export async function startWithLane(chainLength: number, config: Record<string, unknown> = {}): Promise<{ tmp: ReturnType<typeof tempDir>; chain: FakeChain; lane: LaneClient; node: RunningNode }> {
  const tmp = tempDir()
  const chain = new FakeChain()
  chain.openChannel(1n)
  const lane = new LaneClient(1n, ASSET, 0n, chainLength)
  await lane.newChain(0n)
  const node = await startNode(testConfig(tmp.dir, config), { chain, manualSettlement: true })
  return { tmp, chain, lane, node }
}
