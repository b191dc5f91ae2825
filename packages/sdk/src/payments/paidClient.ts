/**
 * A drop-in `fetch` that pays Sahara nodes per call through payment channels: on a 402 it opens
 * (or reuses, or tops up) a channel to the node, pays each call by revealing the next preimage of
 * a lane's hash chain (one voucher signature per chain, not per call) and verifies the signed
 * receipt the node returns.
 */
import { appendFile } from 'node:fs/promises'
import { getAddress, type Account, type Address, type Hex } from 'viem'
import { randomBytes } from 'node:crypto'
import { getChannel as readChannel } from '../actions/getChannel'
import { getNode } from '../actions/getNode'
import { openChannel as openChannelAction } from '../actions/openChannel'
import { requestCloseChannel } from '../actions/requestCloseChannel'
import { topUpChannel as topUpAction } from '../actions/topUpChannel'
import type { Authorization, ReadClient, WalletLike, WriteContext } from '../actions/_internal'
import { executionContract, type Deployments } from '../deployments'
import { InvalidArgumentError, MissingWalletError } from '../errors'
import { sha256Hex } from './bytes'
import { PaymentError, PaymentRequirementError, PriceAboveMaxError, ReceiptVerificationError } from './errors'
import { DEFAULT_CHAIN_LENGTH, MAX_UNITS, createHashChain, type HashChain } from './hashChain'
import { checkReceiptProof, decodeReceiptHeader, receiptGroupKey, type SignedReceipt } from './receipt'
import { parseChannelRequirement, type ChannelRequirement } from './requirements'
import { RECEIPT_HEADER, TICKET_HEADER, VOUCHER_HEADER, decodeVoucherHeader, encodeTicket, encodeVoucherHeader } from './ticket'
import { paymentsDomain, recoverReceiptBatchSigner, signVoucher, type PaymentsDomain, type SignedVoucher, type TypedDataSigner } from './voucher'

/** What the paid client needs from the chain; `onChainBackend` implements it with the SDK actions. */
export type ChannelBackend = {
  chainId: number
  /** PaymentChannels proxy (the EIP-712 verifying contract). */
  paymentChannels: Address
  openChannel(p: { nodeId: bigint; token: Address; amount: bigint; signer?: Address | undefined }): Promise<bigint>
  topUpChannel(p: { channelId: bigint; amount: bigint }): Promise<void>
  getChannel(channelId: bigint): Promise<{ nodeId: bigint; token: Address; signer: Address; deposit: bigint; settled: bigint; status: string }>
  getNodeSigner(nodeId: bigint): Promise<Address>
  requestClose(channelId: bigint): Promise<{ closesAt: bigint }>
}

/** The chain side of the paid client through the SDK actions. */
export function onChainBackend(ctx: WriteContext, options: { authorization?: Authorization | undefined } = {}): ChannelBackend {
  return {
    chainId: ctx.deployments.chainId,
    paymentChannels: executionContract(ctx.deployments, 'PaymentChannels'),
    openChannel: async (p) => (await openChannelAction(ctx, { ...p, authorization: options.authorization })).channelId,
    topUpChannel: async (p) => {
      await topUpAction(ctx, { ...p, authorization: options.authorization })
    },
    getChannel: (id) => readChannel(ctx, id),
    getNodeSigner: async (nodeId) => (await getNode(ctx, nodeId)).signer,
    requestClose: async (channelId) => ({ closesAt: (await requestCloseChannel(ctx, { channelId })).closesAt }),
  }
}

export type PaidClientConfig = {
  publicClient?: ReadClient | undefined
  /** Pays deposits and top-ups; signs vouchers unless `account` is given. */
  walletClient?: WalletLike | undefined
  /**
   * Voucher signer. When it differs from the wallet's account it is named as the channel's signer
   * at open (a session key: vouchers are signed locally, the wallet only funds).
   */
  account?: Account | undefined
  deployments?: Deployments | undefined
  /** Replaces the on-chain side (tests, custom wallets). */
  backend?: ChannelBackend | undefined
  channel?:
    | {
        /** Deposit of a new channel and amount of each top-up (default: 1000 * maxPricePerCall). */
        deposit?: bigint | undefined
        /** Concurrent lanes per (channel, asset) (default 8). */
        lanes?: number | undefined
        /** Units per voucher (hash chain length, default 1024, at most 4096). */
        chainLength?: number | undefined
        /** Voucher lifetime in seconds (default 7 days): the node must settle before. */
        voucherTtlSeconds?: number | undefined
        /** Reuse this channel (lanes of this session get fresh random indices). */
        id?: bigint | undefined
        /**
         * Lanes of `id` saved by `exportLanes()` in an earlier session: they continue their chains
         * instead of starting new lanes (fewer settlement entries).
         */
        resume?: readonly LaneSnapshot[] | undefined
        /** How deposits are authorized: 'approve' (default) or 'permit'. */
        authorization?: Authorization | undefined
      }
    | undefined
  /** Refuse (throw PriceAboveMaxError) when a call costs more than this. */
  maxPricePerCall: bigint
  /** Append every receipt as a JSON line to this file. */
  receiptsFile?: string | undefined
  /**
   * 'await' (default): a call returns only once its receipt's batch signature is checked.
   * 'background': leaf, proof and fields are checked before returning, the signature (a secp256k1
   * recovery, ~2-8 ms in JS, once per receipt group) right after; a bad one blocks the node for
   * later calls and `waitForReceipts()` throws it. Cuts the latency of sequential calls.
   * 'skip': no signature check at all (load generators); leaf, proof and fields are still checked.
   */
  receiptSignatures?: 'await' | 'background' | 'skip' | undefined
  /** The fetch used underneath (default: globalThis.fetch). */
  fetch?: typeof fetch | undefined
}

/**
 * A lane as `exportLanes()` saves it. `seed` is the top of the hash chain: whoever holds it can
 * reveal the rest of the chain, i.e. spend up to the voucher's maxUnits. Store it like a key.
 */
export type LaneSnapshot = {
  channelId: string
  assetId: string
  lane: string
  /** What the lane owes (decimal). */
  total: string
  /** Units revealed on the current chain. */
  k: number
  /** s_n of the current chain (0x-hex). */
  seed: Hex
  /** X-Sahara-Voucher encoding of the current voucher. */
  voucher: string
  confirmed: boolean
}

/** A verified receipt kept by the client. */
export type PaidReceipt = { url: string; receipt: SignedReceipt; header: string; at: number }

type Lane = {
  index: bigint
  busy: boolean
  retired: boolean
  /** What the lane owes so far (the next voucher's cumulative). */
  total: bigint
  chain?: HashChain | undefined
  voucher?: SignedVoucher | undefined
  /** Units revealed on the current chain. */
  k: number
  /** Whether the node has acknowledged the current voucher (a receipt came back on it). */
  confirmed: boolean
}

type LanePool = { lanes: Lane[]; waiters: ((lane: Lane) => void)[] }

type ChannelState = {
  channelId: bigint
  nodeId: bigint
  token: Address
  /** Deposit available to this client (deposit - settled at open/reuse, + top-ups). */
  budget: bigint
  /** Owed by this client's lanes (confirmed calls). */
  owed: bigint
  /** Prices of calls in flight. */
  reserved: bigint
  pools: Map<string, LanePool>
  nextLane: bigint
  topUp?: Promise<void> | undefined
}

export type PaidClientStatus = {
  calls: number
  spent: bigint
  receipts: number
  channels: {
    channelId: bigint
    nodeId: bigint
    token: Address
    budget: bigint
    owed: bigint
    lanes: { assetId: bigint; lane: bigint; total: bigint; unitsOnChain: number }[]
  }[]
}

export type PaidClient = {
  /** Drop-in fetch (e.g. `new OpenAI({ fetch: paid.fetch })`). */
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>
  /** Opens (or returns the already open) channel to a node for a token. */
  openChannel(p: { nodeId: bigint; token: Address; deposit?: bigint | undefined }): Promise<bigint>
  /** Requests the close of every channel this client opened or used; returns their ids and closesAt. */
  close(): Promise<{ channelId: bigint; closesAt: bigint }[]>
  status(): PaidClientStatus
  /** Verified receipts of this session. */
  receipts(): readonly PaidReceipt[]
  /** Waits for background signature checks; throws the first failure. */
  waitForReceipts(): Promise<void>
  /** Idle lanes with their chains, to resume them in a later session (`channel.resume`). */
  exportLanes(): LaneSnapshot[]
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304])
const MAX_ATTEMPTS = 3
// 400/401 codes (packages/node) that mean the node's view of a lane differs from ours: worth a
// fresh voucher rather than a failure. Other 400s (bad body, ...) are returned as they are.
const LANE_STATE_CODES = new Set(['ticket_gap', 'bad_preimage', 'voucher_required', 'chain_exhausted', 'ticket_replayed'])

export function createPaidClient(config: PaidClientConfig): PaidClient {
  if (typeof config.maxPricePerCall !== 'bigint' || config.maxPricePerCall <= 0n) {
    throw new InvalidArgumentError('maxPricePerCall must be a positive bigint (smallest token units).')
  }
  const baseFetch = config.fetch ?? globalThis.fetch
  const lanesPerPool = config.channel?.lanes ?? 8
  const chainLength = config.channel?.chainLength ?? DEFAULT_CHAIN_LENGTH
  const ttl = config.channel?.voucherTtlSeconds ?? 7 * 24 * 3600
  const depositAmount = config.channel?.deposit ?? config.maxPricePerCall * 1000n
  if (!Number.isSafeInteger(lanesPerPool) || lanesPerPool < 1) throw new InvalidArgumentError('channel.lanes must be a positive integer.')
  if (!Number.isSafeInteger(chainLength) || chainLength < 1 || chainLength > MAX_UNITS) {
    throw new InvalidArgumentError(`channel.chainLength must be 1..${MAX_UNITS}.`)
  }

  const signer: TypedDataSigner | undefined = config.account ?? config.walletClient
  const walletAddress = config.walletClient?.account?.address
  // A voucher key other than the funding wallet is named as the channel's signer.
  const channelSigner =
    config.account && (!walletAddress || getAddress(config.account.address) !== getAddress(walletAddress)) ? config.account.address : undefined

  let backend: ChannelBackend | undefined = config.backend
  const getBackend = (): ChannelBackend => {
    if (backend) return backend
    if (!config.publicClient || !config.deployments) {
      throw new InvalidArgumentError('createPaidClient needs publicClient and deployments (or a backend).')
    }
    if (!config.walletClient?.account) throw new MissingWalletError('Opening a payment channel')
    backend = onChainBackend(
      { publicClient: config.publicClient, walletClient: config.walletClient, deployments: config.deployments },
      { authorization: config.channel?.authorization },
    )
    return backend
  }
  let domain: PaymentsDomain | undefined
  const getDomain = (): PaymentsDomain => (domain ??= paymentsDomain(getBackend().chainId, getBackend().paymentChannels))

  const requirements = new Map<string, ChannelRequirement>()
  const channels = new Map<string, ChannelState>()
  const channelOpens = new Map<string, Promise<ChannelState>>()
  const nodeSigners = new Map<string, Promise<Address>>()
  // One recovery per receipt group, shared by concurrent calls (bounded: oldest groups dropped).
  const groupSigners = new Map<string, Promise<Address>>()
  const background = config.receiptSignatures === 'background'
  const skipSignatures = config.receiptSignatures === 'skip'
  const pendingChecks = new Set<Promise<void>>()
  const blockedNodes = new Map<string, ReceiptVerificationError>()
  const receiptErrors: ReceiptVerificationError[] = []
  const receipts: PaidReceipt[] = []
  let calls = 0
  let spent = 0n
  let fileQueue: Promise<void> = Promise.resolve()

  const channelKey = (nodeId: bigint, token: Address) => `${nodeId}:${token.toLowerCase()}`

  async function newChannelState(nodeId: bigint, token: Address, deposit: bigint): Promise<ChannelState> {
    const b = getBackend()
    const reuse = config.channel?.id
    if (reuse !== undefined) {
      const ch = await b.getChannel(reuse)
      if (ch.nodeId === nodeId && getAddress(ch.token) === getAddress(token) && ch.status === 'Open') {
        // Lanes of an earlier session may hold totals this client does not know: start at a random index.
        const base = BigInt(`0x${randomBytes(6).toString('hex')}`) << 16n
        const st: ChannelState = { channelId: reuse, nodeId, token, budget: ch.deposit - ch.settled, owed: 0n, reserved: 0n, pools: new Map(), nextLane: base }
        for (const snap of config.channel?.resume ?? []) {
          const lane = resumeLane(snap, reuse)
          if (!lane) continue
          let pool = st.pools.get(snap.assetId)
          if (!pool) st.pools.set(snap.assetId, (pool = { lanes: [], waiters: [] }))
          if (pool.lanes.some((l) => l.index === lane.index)) continue
          pool.lanes.push(lane)
        }
        return st
      }
    }
    const channelId = await b.openChannel({ nodeId, token, amount: deposit, signer: channelSigner })
    return { channelId, nodeId, token, budget: deposit, owed: 0n, reserved: 0n, pools: new Map(), nextLane: 0n }
  }

  /** A saved lane, or undefined when it does not check out (then a fresh lane is used instead). */
  function resumeLane(snap: LaneSnapshot, channelId: bigint): Lane | undefined {
    try {
      if (snap.channelId !== channelId.toString()) return undefined
      const voucher = decodeVoucherHeader(snap.voucher)
      const chain = createHashChain(Number(voucher.maxUnits), snap.seed)
      const total = BigInt(snap.total)
      const ok =
        chain.anchor === voucher.anchor &&
        voucher.channelId === channelId &&
        voucher.lane.toString() === snap.lane &&
        voucher.assetId.toString() === snap.assetId &&
        Number.isSafeInteger(snap.k) &&
        snap.k >= 0 &&
        snap.k <= chain.length &&
        total === voucher.cumulative + BigInt(snap.k) * voucher.unitPrice &&
        // a voucher about to expire is worth nothing to the node: start a fresh lane instead
        voucher.expiresAt > BigInt(Math.floor(Date.now() / 1000) + 3600)
      if (!ok) return undefined
      return { index: voucher.lane, busy: false, retired: false, total, chain, voucher, k: snap.k, confirmed: snap.confirmed === true }
    } catch {
      return undefined
    }
  }

  function ensureChannel(nodeId: bigint, token: Address, deposit = depositAmount): Promise<ChannelState> {
    const key = channelKey(nodeId, token)
    const have = channels.get(key)
    if (have) return Promise.resolve(have)
    let pending = channelOpens.get(key)
    if (!pending) {
      pending = newChannelState(nodeId, token, deposit).then(
        (st) => {
          channels.set(key, st)
          channelOpens.delete(key)
          return st
        },
        (err) => {
          channelOpens.delete(key)
          throw err
        },
      )
      channelOpens.set(key, pending)
    }
    return pending
  }

  /** Reserves `price` of the deposit, topping the channel up (once at a time) when it is short. */
  async function reserve(ch: ChannelState, price: bigint): Promise<void> {
    for (;;) {
      if (ch.owed + ch.reserved + price <= ch.budget) {
        ch.reserved += price
        return
      }
      if (!ch.topUp) {
        const shortfall = ch.owed + ch.reserved + price - ch.budget
        const amount = shortfall > depositAmount ? shortfall : depositAmount
        ch.topUp = getBackend()
          .topUpChannel({ channelId: ch.channelId, amount })
          .then(() => {
            ch.budget += amount
          })
          .finally(() => {
            ch.topUp = undefined
          })
      }
      await ch.topUp
    }
  }

  function acquireLane(ch: ChannelState, assetId: bigint): Promise<Lane> {
    const key = assetId.toString()
    let pool = ch.pools.get(key)
    if (!pool) ch.pools.set(key, (pool = { lanes: [], waiters: [] }))
    const free = pool.lanes.find((l) => !l.busy && !l.retired)
    if (free) {
      free.busy = true
      return Promise.resolve(free)
    }
    if (pool.lanes.filter((l) => !l.retired).length < lanesPerPool) {
      const lane: Lane = { index: ch.nextLane++, busy: true, retired: false, total: 0n, k: 0, confirmed: false }
      pool.lanes.push(lane)
      return Promise.resolve(lane)
    }
    return new Promise((resolve) => pool.waiters.push(resolve))
  }

  function releaseLane(ch: ChannelState, assetId: bigint, lane: Lane): void {
    const pool = ch.pools.get(assetId.toString())!
    if (lane.retired) {
      // Replace a retired lane so waiters are not stuck behind it.
      lane.busy = false
      const waiter = pool.waiters.shift()
      if (waiter) {
        const fresh: Lane = { index: ch.nextLane++, busy: true, retired: false, total: 0n, k: 0, confirmed: false }
        pool.lanes.push(fresh)
        waiter(fresh)
      }
      return
    }
    const waiter = pool.waiters.shift()
    if (waiter) waiter(lane)
    else lane.busy = false
  }

  async function startChain(lane: Lane, ch: ChannelState, r: ChannelRequirement): Promise<void> {
    if (!signer) throw new MissingWalletError('Signing a voucher')
    const length = Math.max(chainLength, r.unitsPerCall)
    const chain = createHashChain(length)
    const voucher = {
      channelId: ch.channelId,
      lane: lane.index,
      assetId: r.assetId,
      cumulative: lane.total,
      anchor: chain.anchor,
      unitPrice: r.unitPrice,
      maxUnits: BigInt(length),
      expiresAt: BigInt(Math.floor(Date.now() / 1000) + ttl),
    }
    const signature = await signVoucher(signer, getDomain(), voucher)
    lane.chain = chain
    lane.voucher = { ...voucher, signature }
    lane.k = 0
    lane.confirmed = false
  }

  function nodeSigner(nodeId: bigint): Promise<Address> {
    const key = nodeId.toString()
    let p = nodeSigners.get(key)
    if (!p) {
      p = getBackend().getNodeSigner(nodeId)
      p.catch(() => nodeSigners.delete(key))
      nodeSigners.set(key, p)
    }
    return p
  }

  function recoverGroup(r: SignedReceipt): Promise<Address> {
    const key = receiptGroupKey(r)
    let p = groupSigners.get(key)
    if (!p) {
      p = recoverReceiptBatchSigner(getDomain(), { nodeId: r.fields.nodeId, root: r.groupRoot, sequence: r.sequence }, r.signature)
      groupSigners.set(key, p)
      p.catch(() => groupSigners.delete(key))
      if (groupSigners.size > 1024) groupSigners.delete(groupSigners.keys().next().value!)
    }
    return p
  }

  async function checkSignature(r: SignedReceipt): Promise<void> {
    let signer: Address
    try {
      signer = await recoverGroup(r)
    } catch {
      throw new ReceiptVerificationError('The receipt batch signature cannot be recovered.')
    }
    const expected = await nodeSigner(r.fields.nodeId)
    if (getAddress(signer) !== getAddress(expected)) {
      throw new ReceiptVerificationError(`The receipt batch is signed by ${signer}, not by the node's signer ${expected}.`)
    }
  }

  function record(url: string, receipt: SignedReceipt, header: string): void {
    const entry = { url, receipt, header, at: Date.now() }
    receipts.push(entry)
    if (config.receiptsFile) {
      const line = `${JSON.stringify({ at: new Date(entry.at).toISOString(), url, receipt: header })}\n`
      const file = config.receiptsFile
      fileQueue = fileQueue.then(() => appendFile(file, line)).catch(() => undefined)
    }
  }

  type Prepared = { url: string; method: string; headers: Headers; body: Uint8Array | undefined; signal: AbortSignal | undefined }

  async function prepare(input: string | URL | Request, init?: RequestInit): Promise<Prepared> {
    const b = init?.body
    if ((typeof input === 'string' || input instanceof URL) && (b === undefined || b === null || typeof b === 'string' || b instanceof Uint8Array)) {
      // Common case (e.g. the openai client): no Request object, whose body streams cost more than the call.
      const method = (init?.method ?? 'GET').toUpperCase()
      const body = method === 'GET' || method === 'HEAD' ? undefined : typeof b === 'string' ? Buffer.from(b, 'utf8') : (b ?? new Uint8Array())
      return { url: typeof input === 'string' ? new URL(input).href : input.href, method, headers: new Headers(init?.headers), body, signal: init?.signal ?? undefined }
    }
    const req = new Request(input, init)
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const body = hasBody ? new Uint8Array(await req.arrayBuffer()) : undefined
    return { url: req.url, method: req.method, headers: new Headers(req.headers), body, signal: req.signal }
  }

  function send(p: Prepared, extra: Record<string, string>): Promise<Response> {
    const headers = new Headers(p.headers)
    for (const [k, v] of Object.entries(extra)) headers.set(k, v)
    return baseFetch(p.url, { method: p.method, headers, body: p.body as RequestInit["body"], signal: p.signal, redirect: 'manual' })
  }

  /** The model field of a JSON body distinguishes assets behind one URL (OpenAI-style APIs). */
  function requirementKey(p: Prepared): string {
    let model = ''
    if (p.body && p.body.length > 0 && p.body.length < 1 << 20 && p.body[0] === 0x7b) {
      try {
        const m = (JSON.parse(Buffer.from(p.body).toString('utf8')) as { model?: unknown }).model
        if (typeof m === 'string') model = m
      } catch {
        // not JSON: keyed by URL only
      }
    }
    return `${p.method} ${p.url} ${model}`
  }

  async function readRequirement(res: Response): Promise<{ requirement?: ChannelRequirement; code?: string; body: Uint8Array }> {
    const body = new Uint8Array(await res.arrayBuffer())
    let json: unknown
    try {
      json = JSON.parse(Buffer.from(body).toString('utf8'))
    } catch {
      return { body }
    }
    const err = (json as { error?: unknown } | null)?.error
    const code = err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : undefined
    const requirement = parseChannelRequirement(json)
    return { ...(requirement ? { requirement } : {}), ...(code ? { code } : {}), body }
  }

  function checkRequirement(r: ChannelRequirement): void {
    const b = getBackend()
    const price = r.unitPrice * BigInt(r.unitsPerCall)
    const asked = price > r.maxAmountRequired ? price : r.maxAmountRequired
    if (asked > config.maxPricePerCall) throw new PriceAboveMaxError(asked, config.maxPricePerCall, r.resource || `Asset #${r.assetId}`)
    if (r.chainId !== b.chainId) throw new PaymentRequirementError(`The node asks for payment on chain ${r.chainId}, but the client is on chain ${b.chainId}.`)
    if (getAddress(r.channels) !== getAddress(b.paymentChannels) || getAddress(r.payTo) !== getAddress(b.paymentChannels)) {
      throw new PaymentRequirementError(`The node names PaymentChannels ${r.channels}, not the deployment's ${b.paymentChannels}.`)
    }
  }

  function rebuild(res: Response, body: Uint8Array): Response {
    return new Response(NULL_BODY_STATUS.has(res.status) ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers })
  }

  type ExpectedReceipt = { nodeId: bigint; assetId: bigint; channelId: bigint; lane: bigint; units: number; price: bigint; cumulative: bigint; index: number; version: number | bigint }

  /**
   * Decodes a lane receipt and checks it against the call that was paid: every field, and the
   * request/response hashes when the bytes are known, then its Merkle proof. A receipt that does
   * not check out retires the lane (do not keep paying a node whose receipts fail).
   */
  function acceptLaneReceipt(header: string, e: ExpectedReceipt, bytes: { request: Uint8Array; response: Uint8Array } | undefined, lane: { retired: boolean }): SignedReceipt {
    try {
      const receipt = decodeReceiptHeader(header)
      const f = receipt.fields
      const mismatch =
        f.nodeId !== e.nodeId
          ? 'nodeId'
          : f.assetId !== e.assetId
            ? 'assetId'
            : f.channelId !== e.channelId
              ? 'channelId'
              : f.lane !== e.lane
                ? 'lane'
                : f.units !== BigInt(e.units)
                  ? 'units'
                  : f.price !== e.price
                    ? 'price'
                    : f.cumulative !== e.cumulative
                      ? 'cumulative'
                      : f.index !== BigInt(e.index)
                        ? 'index'
                        : f.version < BigInt(e.version)
                          ? 'version'
                          : bytes && f.requestHash !== sha256Hex(bytes.request)
                            ? 'requestHash'
                            : bytes && f.responseHash !== sha256Hex(bytes.response)
                              ? 'responseHash'
                              : undefined
      if (mismatch) throw new ReceiptVerificationError(`The receipt's ${mismatch} does not match the call that was paid.`)
      checkReceiptProof(receipt)
      return receipt
    } catch (err) {
      lane.retired = true
      throw err instanceof PaymentError ? err : new ReceiptVerificationError('The node returned an unreadable receipt.')
    }
  }

  /** Checks the group signature (now or in the background) and records the receipt. */
  async function finishReceipt(url: string, receipt: SignedReceipt, header: string, nodeId: bigint, lane: { retired: boolean }): Promise<void> {
    if (skipSignatures) return record(url, receipt, header)
    if (!background) {
      try {
        await checkSignature(receipt)
      } catch (err) {
        lane.retired = true
        throw err instanceof PaymentError ? err : new ReceiptVerificationError('The receipt batch signature could not be checked.')
      }
      return record(url, receipt, header)
    }
    const nodeKey = nodeId.toString()
    const check: Promise<void> = checkSignature(receipt)
      .then(
        () => record(url, receipt, header),
        (err: unknown) => {
          const e = err instanceof ReceiptVerificationError ? err : new ReceiptVerificationError('The receipt batch signature could not be checked.')
          receiptErrors.push(e)
          blockedNodes.set(nodeKey, e)
          lane.retired = true
        },
      )
      .finally(() => pendingChecks.delete(check))
    pendingChecks.add(check)
  }

  async function paidCall(p: Prepared, key: string, r: ChannelRequirement): Promise<Response> {
    let requirement = r
    let recoveredLostCall = false
    for (let attempt = 0; ; attempt++) {
      checkRequirement(requirement)
      const blocked = blockedNodes.get(requirement.nodeId.toString())
      if (blocked) throw new ReceiptVerificationError(`Node #${requirement.nodeId} returned a receipt that failed verification; not paying it again: ${blocked.message}`)
      const price = requirement.unitPrice * BigInt(requirement.unitsPerCall)
      const q = requirement.unitsPerCall
      const ch = await ensureChannel(requirement.nodeId, requirement.asset)
      await reserve(ch, price)
      const laneAsset = requirement.assetId // `requirement` may be replaced below, before `finally` runs
      const lane = await acquireLane(ch, laneAsset)
      let reserved = true
      try {
        if (!lane.chain || !lane.voucher || lane.voucher.unitPrice !== requirement.unitPrice || lane.k + q > lane.chain.length) {
          await startChain(lane, ch, requirement)
        }
        const chain = lane.chain!
        const index = lane.k + q
        const headers: Record<string, string> = {
          [TICKET_HEADER]: encodeTicket({
            channelId: ch.channelId,
            assetId: requirement.assetId,
            lane: lane.index,
            units: q,
            index,
            preimage: chain.preimageAt(index),
          }),
        }
        // Until a receipt confirms the voucher, every call on the chain carries it (the call that
        // introduced it may have been lost).
        if (!lane.confirmed) headers[VOUCHER_HEADER] = encodeVoucherHeader(lane.voucher!)
        // A paid call whose connection broke may have been committed by the node: the same ticket
        // again is safe (the node answers it from the stored receipt, or charges it once).
        const res = await send(p, headers).catch(() => send(p, headers))
        const receiptHeader = res.headers.get(RECEIPT_HEADER)
        const expected = { nodeId: requirement.nodeId, assetId: requirement.assetId, channelId: ch.channelId, lane: lane.index, units: q, price, cumulative: lane.total + price, index, version: requirement.version }
        if (receiptHeader && res.status === 409 && !recoveredLostCall) {
          // This ticket already paid for an earlier call whose answer was lost: keep its receipt,
          // move the lane past it, and pay this request with the next ticket.
          await res.arrayBuffer().catch(() => undefined)
          const receipt = acceptLaneReceipt(receiptHeader, expected, undefined, lane)
          lane.k = index
          lane.total = expected.cumulative
          lane.confirmed = true
          ch.owed += price
          calls++
          spent += price
          await finishReceipt(p.url, receipt, receiptHeader, requirement.nodeId, lane)
          recoveredLostCall = true // once per call: a node cannot make a client pay lost calls in a loop
          attempt--
          continue
        }
        if (receiptHeader) {
          // The node took the payment: advance the lane whatever the receipt says, so both sides agree.
          const body = new Uint8Array(await res.arrayBuffer())
          lane.k = index
          lane.total = expected.cumulative
          lane.confirmed = true
          ch.reserved -= price
          ch.owed += price
          reserved = false
          calls++
          spent += price
          const receipt = acceptLaneReceipt(receiptHeader, expected, { request: p.body ?? new Uint8Array(), response: body }, lane)
          await finishReceipt(p.url, receipt, receiptHeader, requirement.nodeId, lane)
          return rebuild(res, body)
        }
        if ((res.status === 402 || res.status === 409 || res.status === 400 || res.status === 401) && attempt + 1 < MAX_ATTEMPTS) {
          // Not paid. Maybe the price changed, or the node lost or rejects this lane's state.
          const { requirement: fresh, code, body } = await readRequirement(res)
          if (res.status !== 402 && res.status !== 409 && !(code && LANE_STATE_CODES.has(code))) return rebuild(res, body)
          if (fresh) {
            requirements.set(key, fresh)
            if (fresh.assetId !== requirement.assetId || fresh.unitPrice !== requirement.unitPrice || fresh.nodeId !== requirement.nodeId) {
              requirement = fresh
              continue
            }
          }
          if (attempt === 0) lane.chain = undefined // re-sign at the lane's total
          else lane.retired = true // give up on this lane; a fresh one starts at 0
          continue
        }
        return res
      } finally {
        if (reserved) ch.reserved -= price
        releaseLane(ch, laneAsset, lane)
      }
    }
  }

  async function paidFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const p = await prepare(input, init)
    const key = requirementKey(p)
    const known = requirements.get(key)
    if (known) return paidCall(p, key, known)
    const res = await send(p, {})
    if (res.status !== 402) return res
    const { requirement, body } = await readRequirement(res)
    if (!requirement) return rebuild(res, body)
    requirements.set(key, requirement)
    return paidCall(p, key, requirement)
  }

  return {
    fetch: paidFetch,
    async openChannel({ nodeId, token, deposit }) {
      return (await ensureChannel(nodeId, getAddress(token), deposit ?? depositAmount)).channelId
    },
    async close() {
      const out: { channelId: bigint; closesAt: bigint }[] = []
      for (const [key, ch] of channels) {
        const { closesAt } = await getBackend().requestClose(ch.channelId)
        channels.delete(key)
        out.push({ channelId: ch.channelId, closesAt })
      }
      await Promise.all([...pendingChecks])
      await fileQueue
      return out
    },
    status() {
      return {
        calls,
        spent,
        receipts: receipts.length,
        channels: [...channels.values()].map((ch) => ({
          channelId: ch.channelId,
          nodeId: ch.nodeId,
          token: ch.token,
          budget: ch.budget,
          owed: ch.owed,
          lanes: [...ch.pools.entries()].flatMap(([assetId, pool]) =>
            pool.lanes.map((l) => ({ assetId: BigInt(assetId), lane: l.index, total: l.total, unitsOnChain: l.k })),
          ),
        })),
      }
    },
    receipts: () => receipts,
    exportLanes() {
      const out: LaneSnapshot[] = []
      for (const ch of channels.values()) {
        for (const [assetId, pool] of ch.pools) {
          for (const l of pool.lanes) {
            if (l.busy || l.retired || !l.chain || !l.voucher) continue
            out.push({
              channelId: ch.channelId.toString(),
              assetId,
              lane: l.index.toString(),
              total: l.total.toString(),
              k: l.k,
              seed: l.chain.preimageAt(l.chain.length),
              voucher: encodeVoucherHeader(l.voucher),
              confirmed: l.confirmed,
            })
          }
        }
      }
      return out
    },
    async waitForReceipts() {
      while (pendingChecks.size > 0) await Promise.all([...pendingChecks])
      if (receiptErrors.length > 0) throw receiptErrors[0]
    },
  }
}
