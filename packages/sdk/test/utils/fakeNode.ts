/**
 * A test double of a Sahara node's HTTP payment protocol (402 -> ticket/voucher -> receipt), in
 * process, on 127.0.0.1. It exists only to exercise the paid client's lane logic; the real node
 * lives in packages/node.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getAddress, type Address } from 'viem'
import { generatePrivateKey, privateKeyToAccount, type LocalAccount } from 'viem/accounts'
import {
  TicketFormatError,
  VoucherFormatError,
  buildMerkleTree,
  decodeTicket,
  decodeVoucherHeader,
  encodeReceiptHeader,
  receiptLeaf,
  recoverVoucherSigner,
  sha256,
  sha256Hex,
  signReceiptBatch,
  verifyChainStep,
  type ChannelBackend,
  type PaymentsDomain,
  type ReceiptFields,
  type SignedReceipt,
} from '../../src/index'

type FakeChannel = { payer: Address; signer: Address; nodeId: bigint; token: Address; deposit: bigint; settled: bigint; status: 'Open' | 'Closing' | 'Closed' }

/** In-memory chain side: channels and the node signer. */
export class FakeBackend implements ChannelBackend {
  readonly channels = new Map<bigint, FakeChannel>()
  opens = 0
  topUps = 0
  constructor(
    readonly chainId: number,
    readonly paymentChannels: Address,
    readonly payer: Address,
    readonly nodeSignerAddress: Address,
  ) {}
  async openChannel(p: { nodeId: bigint; token: Address; amount: bigint; signer?: Address | undefined }): Promise<bigint> {
    this.opens++
    const id = BigInt(this.channels.size + 1)
    this.channels.set(id, { payer: this.payer, signer: p.signer ?? this.payer, nodeId: p.nodeId, token: p.token, deposit: p.amount, settled: 0n, status: 'Open' })
    return id
  }
  async topUpChannel(p: { channelId: bigint; amount: bigint }): Promise<void> {
    this.topUps++
    this.channels.get(p.channelId)!.deposit += p.amount
  }
  async getChannel(id: bigint) {
    const c = this.channels.get(id)
    if (!c) throw new Error(`no channel ${id}`)
    return { ...c }
  }
  async getNodeSigner(): Promise<Address> {
    return this.nodeSignerAddress
  }
  async requestClose(id: bigint) {
    this.channels.get(id)!.status = 'Closing'
    return { closesAt: 123n }
  }
}

type LaneState = { total: bigint; sk?: Buffer; k: number; unitPrice: bigint }

export type FakeNodeOptions = {
  /** Where the node looks channels up (a FakeBackend, or the chain through onChainBackend). */
  backend: ChannelBackend
  domain: PaymentsDomain
  nodeId: bigint
  nodeAccount: LocalAccount
  token: Address
  /** assetId -> price */
  assets: Map<bigint, { unitPrice: bigint; unitsPerCall: number; version: bigint }>
}

export class FakeNode {
  server!: Server
  url = ''
  readonly lanes = new Map<string, LaneState>()
  requests = 0
  /** Error codes answered, in order. */
  readonly errors: string[] = []
  paid = 0
  vouchers = 0
  /** Lanes ever used, per channel.asset. */
  readonly laneIndices = new Set<string>()
  /** Serve another asset behind a route (the route's asset changed). */
  readonly remap = new Map<bigint, bigint>()
  tamper: 'price' | 'signature' | 'proof' | undefined
  private readonly impostor = privateKeyToAccount(generatePrivateKey())
  private pending: { fields: ReceiptFields; resolve: (r: SignedReceipt) => void }[] = []
  private sequence = 0n

  constructor(readonly o: FakeNodeOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { code: 'internal', message: String(err) } }))
      })
    })
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  stop(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  /** Simulates a restart that lost the chain state (s_k) of every lane but kept the totals. */
  forgetChains(): void {
    for (const l of this.lanes.values()) l.sk = undefined
  }

  /** Simulates a node that restored an older state: every lane one call behind. */
  rewindLanes(): void {
    for (const l of this.lanes.values()) {
      if (l.k > 0) {
        l.k -= 1
        l.total -= l.unitPrice
        if (l.sk) l.sk = sha256(l.sk) // s_{k-1}
      }
    }
  }

  private error(res: ServerResponse, status: number, code: string, message: string, extra: object = {}) {
    this.errors.push(code)
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { code, message }, ...extra }))
  }

  private requirement(assetId: bigint, resource: string) {
    const a = this.o.assets.get(assetId)!
    return {
      x402Version: 1,
      error: 'payment required',
      accepts: [{ scheme: 'exact', network: 'sahara-devnet', maxAmountRequired: String(a.unitPrice * BigInt(a.unitsPerCall)), resource, payTo: this.o.backend.paymentChannels, asset: this.o.token, extra: { name: 'USDT', version: '1' } }],
      saharaChannel: {
        scheme: 'sahara-channel',
        network: 'sahara-devnet',
        maxAmountRequired: String(a.unitPrice * BigInt(a.unitsPerCall)),
        resource,
        description: `asset ${assetId}`,
        mimeType: 'application/json',
        payTo: this.o.backend.paymentChannels,
        maxTimeoutSeconds: 60,
        asset: this.o.token,
        extra: {
          nodeId: String(this.o.nodeId),
          assetId: String(assetId),
          version: String(a.version),
          unitPrice: String(a.unitPrice),
          unitsPerCall: a.unitsPerCall,
          channels: this.o.backend.paymentChannels,
          chainId: this.o.domain.chainId,
        },
      },
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    let assetId: bigint
    let openai = false
    const m = /^\/(?:assets\/(\d+)\/infer|v1\/invoke\/(\d+))$/.exec(req.url ?? '')
    if (m) assetId = BigInt(m[1] ?? m[2]!)
    else if (req.url === '/v1/chat/completions') {
      openai = true
      assetId = BigInt((JSON.parse(body.toString()) as { model: string }).model)
    } else return this.error(res, 404, 'not_found', 'No such route.')
    assetId = this.remap.get(assetId) ?? assetId
    const asset = this.o.assets.get(assetId)
    if (!asset) return this.error(res, 404, 'unknown_asset', 'Unknown asset.')
    const ticketHeader = req.headers['x-sahara-ticket']
    if (typeof ticketHeader !== 'string') {
      res.writeHead(402, { 'content-type': 'application/json' })
      res.end(JSON.stringify(this.requirement(assetId, req.url!)))
      return
    }
    let t
    try {
      t = decodeTicket(ticketHeader)
    } catch (err) {
      if (err instanceof TicketFormatError) return this.error(res, 400, err.code, err.message)
      throw err
    }
    const ch = await this.o.backend.getChannel(t.channelId).catch(() => undefined)
    if (!ch || ch.nodeId !== this.o.nodeId || ch.status !== 'Open') return this.error(res, 402, 'unknown_channel', 'No open channel.')
    if (t.assetId !== assetId) return this.error(res, 402, 'wrong_asset', 'Ticket for another asset.', this.requirement(assetId, req.url!))
    let lane = this.lanes.get(t.laneKey)
    const voucherHeader = req.headers['x-sahara-voucher']
    if (typeof voucherHeader === 'string') {
      let v
      try {
        v = decodeVoucherHeader(voucherHeader)
      } catch (err) {
        if (err instanceof VoucherFormatError) return this.error(res, 400, err.code, err.message)
        throw err
      }
      if (v.channelId !== t.channelId || v.lane !== t.lane || v.assetId !== t.assetId) return this.error(res, 400, 'voucher_mismatch', 'Voucher for another lane.')
      if (v.unitPrice !== asset.unitPrice) return this.error(res, 402, 'wrong_price', 'Wrong unit price.')
      const signer = await recoverVoucherSigner(this.o.domain, v, v.signature)
      if (getAddress(signer) !== getAddress(ch.signer)) return this.error(res, 402, 'bad_signature', 'Voucher not signed by the channel signer.')
      const total = lane?.total ?? 0n
      if (v.cumulative !== total) return this.error(res, 409, 'stale_voucher', `Voucher cumulative ${v.cumulative} != lane total ${total}.`)
      lane = { total, sk: Buffer.from(v.anchor.slice(2), 'hex'), k: 0, unitPrice: v.unitPrice }
      this.lanes.set(t.laneKey, lane)
      this.vouchers++
    }
    if (!lane?.sk) return this.error(res, 402, 'voucher_required', 'This lane needs a voucher.')
    if (t.units !== asset.unitsPerCall) return this.error(res, 402, 'wrong_units', 'Wrong number of units.')
    if (t.index <= lane.k) return this.error(res, 409, 'ticket_replayed', 'Ticket index is not beyond the revealed one.')
    if (t.index !== lane.k + t.units) return this.error(res, 400, 'ticket_gap', 'Ticket index skips units.')
    if (!verifyChainStep(lane.sk, t.preimageBytes, t.units)) return this.error(res, 402, 'bad_preimage', 'Preimage does not verify.')
    const price = lane.unitPrice * BigInt(t.units)
    let owed = 0n
    for (const [key, l] of this.lanes) if (key.startsWith(`${t.channelId}.`)) owed += l.total
    if (owed + price > ch.deposit) return this.error(res, 402, 'insufficient_deposit', 'Deposit too low.')
    lane.sk = t.preimageBytes
    lane.k = t.index
    lane.total += price
    this.paid++
    this.laneIndices.add(`${t.channelId}.${t.assetId}.${t.lane}`)
    const out = Buffer.from(
      JSON.stringify(
        openai
          ? { id: 'c1', object: 'chat.completion', created: 0, model: String(assetId), choices: [{ index: 0, message: { role: 'assistant', content: `paid call ${this.paid}` }, finish_reason: 'stop' }] }
          : { result: `paid call ${this.paid}` },
      ),
    )
    const fields: ReceiptFields = {
      nodeId: this.o.nodeId,
      requestHash: sha256Hex(body),
      responseHash: sha256Hex(out),
      assetId,
      version: asset.version,
      units: BigInt(t.units),
      price: this.tamper === 'price' ? price + 1n : price,
      channelId: t.channelId,
      lane: t.lane,
      cumulative: lane.total,
      index: BigInt(t.index),
    }
    const receipt = await this.group(fields)
    res.writeHead(200, { 'content-type': 'application/json', 'x-sahara-receipt': encodeReceiptHeader(receipt) })
    res.end(out)
  }

  /** Receipts created in the same tick share one group (one tree, one signature). */
  private group(fields: ReceiptFields): Promise<SignedReceipt> {
    return new Promise((resolve) => {
      this.pending.push({ fields, resolve })
      if (this.pending.length === 1) setImmediate(() => void this.flush())
    })
  }

  private async flush(): Promise<void> {
    const batch = this.pending
    this.pending = []
    const leaves = batch.map((b) => receiptLeaf(b.fields))
    const tree = buildMerkleTree(leaves)
    const sequence = ++this.sequence
    const account = this.tamper === 'signature' ? this.impostor : this.o.nodeAccount
    const signature = await signReceiptBatch(account, this.o.domain, { nodeId: this.o.nodeId, root: tree.root, sequence })
    batch.forEach((b, i) => {
      const proof = tree.proof(i)
      if (this.tamper === 'proof') proof.push(leaves[0]!)
      b.resolve({ fields: b.fields, leaf: leaves[i]!, proof, groupRoot: tree.root, sequence, signature })
    })
  }
}
