import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { ServedAsset } from '../assets.ts'
import type { ChainAdapter } from '../chain/adapter.ts'
import type { NodeConfig } from '../config.ts'
import { AlreadyPaidError, BodyTooLargeError, ConflictError, MalformedError, NodeHttpError, NotFoundError, PaymentRequiredError, TicketAlreadyPaidError, UnavailableError } from '../errors.ts'
import type { GroupCommitter } from '../payments/groups.ts'
import { parseTicket } from '../payments/headers.ts'
import { sha256 } from '../payments/merkle.ts'
import type { Accepted, PaymentProcessor } from '../payments/processor.ts'
import { storedReceipt } from '../payments/replay.ts'
import type { Ticket } from '../payments/types.ts'
import type { ReceiptFields } from '../payments/receipt.ts'
import { paymentRequired, paymentRequiredV2, type RequirementInput } from '../payments/x402.ts'
import { parseChatRequest, type ChatOutput, type ChatRequest } from '../runtimes/types.ts'
import { completionToSse, streamRequested } from './sse.ts'
import { groupProof } from '../settlement/groupProof.ts'
import type { Store } from '../store/db.ts'
import type { Logger } from '../util/log.ts'
import type { Metrics } from './metrics.ts'
import { exactPayments } from './exactCalls.ts'
import { bodyHeaders, PendingAnswer, type Answerer, type Kind, type ReceiptOptions, type RespondWithReceipt } from './types.ts'

export type HttpContext = {
  config: NodeConfig
  log: Logger
  metrics: Metrics
  store: Store
  chain?: ChainAdapter
  processor: PaymentProcessor
  committer: GroupCommitter
  assets: ServedAsset[]
  health: () => Record<string, unknown>
  extraGauges: () => Record<string, number>
}

const JSON_HEADERS = { 'content-type': 'application/json' }
const NO_OPTIONS: ReceiptOptions = {}

function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const buf = Buffer.from(JSON.stringify(body))
  res.writeHead(status, headers ? { ...JSON_HEADERS, ...headers, 'content-length': buf.length } : { ...JSON_HEADERS, 'content-length': buf.length })
  res.end(buf)
}

/** Reads the body up to `limit` bytes; rejects with 413 as soon as it is exceeded. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const len = req.headers['content-length']
  if (len !== undefined && Number(len) > limit) return Promise.reject(new BodyTooLargeError(limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) {
        req.removeAllListeners('data')
        req.resume()
        reject(new BodyTooLargeError(limit))
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
    req.on('error', reject)
  })
}

function parseJson(buf: Buffer): unknown {
  if (buf.length === 0) return {}
  try {
    return JSON.parse(buf.toString('utf8'))
  } catch {
    throw new MalformedError('malformed_json', 'The request body is not valid JSON.')
  }
}

/** Builds the node's HTTP server (node:http, no framework: the paid path is a few function calls). */
export function createNodeServer(ctx: HttpContext): Server {
  const { config, metrics, processor, committer } = ctx
  const byName = new Map<string, ServedAsset>()
  const byId = new Map<string, ServedAsset>()
  for (const a of ctx.assets) {
    byName.set(a.cfg.name, a).set(a.id, a)
    byId.set(a.cfg.assetId.toString(), a)
  }
  const nodeId = config.nodeId

  const requirement = (a: ServedAsset, resource: string): RequirementInput => ({
    resource,
    description: a.cfg.description ?? `${a.cfg.name} (Sahara asset ${a.cfg.assetId})`,
    assetId: a.cfg.assetId,
    version: a.version,
    nodeId,
    price: a.cfg.unitPrice * BigInt(a.cfg.unitsPerCall),
    unitPrice: a.cfg.unitPrice,
    unitsPerCall: a.cfg.unitsPerCall,
    token: a.cfg.token,
    tokenName: a.cfg.tokenName,
    tokenVersion: a.cfg.tokenVersion,
    chainId: config.chainId,
    network: config.x402Network,
    paymentChannels: config.contracts.PaymentChannels,
    exactPayTo: a.payTo,
  })

  const resourceUrl = (req: IncomingMessage) => `http://${req.headers.host ?? `${config.host}:${config.port}`}${req.url ?? '/'}`

  const fail = (res: ServerResponse, route: string, e: unknown, req: IncomingMessage, asset?: ServedAsset) => {
    if (e instanceof NodeHttpError) {
      metrics.request(route, e.status)
      if (e.status === 402 || e.status === 401 || e.status === 409) metrics.rejection(e.code)
      if (e.status === 402 && asset) {
        const r = requirement(asset, resourceUrl(req))
        const v2 = Buffer.from(JSON.stringify(paymentRequiredV2(r, e.message))).toString('base64')
        sendJson(res, 402, { ...paymentRequired(r, e.message), code: e.code }, { 'payment-required': v2 })
      } else {
        const headers: Record<string, string> | undefined = e.status === 413 ? { connection: 'close' } : e instanceof AlreadyPaidError ? { 'x-sahara-receipt': e.receiptHeader } : undefined
        sendJson(res, e.status, { error: { code: e.code, message: e.message } }, headers)
      }
      if (ctx.log.debugEnabled) ctx.log.debug('request_rejected', { route, status: e.status, code: e.code })
      return
    }
    metrics.request(route, 500)
    ctx.log.error('request_failed', { route, error: (e as Error)?.message ?? String(e) })
    if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'The node failed to process the request.' } })
    else res.destroy()
  }

  /** Runs the model and serializes the response body (OpenAI envelope for chat). */
  const run = (a: ServedAsset, kind: Kind, input: unknown): Buffer | Promise<Buffer> => {
    const rt = a.runtime!
    if (kind === 'invoke') {
      const out = rt.invoke(input)
      return out instanceof Promise ? out.then((o) => Buffer.from(JSON.stringify(o))) : Buffer.from(JSON.stringify(out))
    }
    const req = input as ChatRequest
    const { stream, includeUsage } = streamRequested(req)
    const wrap = (o: ChatOutput): Buffer => {
      const completion =
        'completion' in o
          ? o.completion
          : {
              id: `chatcmpl-${Date.now().toString(36)}`,
              object: 'chat.completion',
              created: Math.floor(Date.now() / 1000),
              model: a.id,
              choices: [{ index: 0, message: { role: 'assistant', content: o.content }, finish_reason: 'stop' }],
            }
      return stream ? completionToSse(completion, includeUsage) : Buffer.from(JSON.stringify(completion))
    }
    const out = rt.chat(req)
    return out instanceof Promise ? out.then(wrap) : wrap(out)
  }

  // Called by the group committer for each call of a group once it is durable (or failed).
  const answerer: Answerer = {
    committed(p, receipt) {
      p.o.onReceipt?.(receipt)
      p.res.writeHead(200, { 'content-type': 'application/json', 'content-length': p.body.length, 'x-sahara-receipt': receipt, ...p.o.headers })
      p.res.end(p.body)
      metrics.request(p.route, 200)
      metrics.observe(performance.now() - p.start)
    },
    failed(p) {
      if (p.o.refund) processor.refund(p.o.refund)
      const e = p.o.onError?.()
      fail(p.res, p.route, e ?? new UnavailableError('store_unavailable', 'The node could not record the receipt; the call was not charged.'), p.res.req)
    },
  }
  const respondWithReceipt: RespondWithReceipt = (res, route, body, fields, start, o = NO_OPTIONS) => {
    committer.add(new PendingAnswer(answerer, fields, res, route, body, start, o))
  }

  const exact = exactPayments({ config, store: ctx.store, chain: ctx.chain, metrics, requirement, run, respondWithReceipt })

  const paidChannelCall = async (req: IncomingMessage, res: ServerResponse, route: string, a: ServedAsset, kind: Kind, input: unknown, raw: Buffer, ticketHeader: string, start: number) => {
    const t = parseTicket(ticketHeader)
    const voucherHeader = req.headers['x-sahara-voucher']
    if (typeof voucherHeader === 'string') await processor.acceptVoucher(voucherHeader, t, a.terms)
    let ch = processor.channel(t.channelId)
    if (ch instanceof Promise) ch = await ch
    let acc: Accepted
    try {
      acc = processor.acceptTicket(t, a.terms, ch)
    } catch (e) {
      if (e instanceof ConflictError && e.code === 'ticket_replayed') return replayedCall(res, route, a, kind, input, raw, t, e, start)
      throw e
    }
    let body: Buffer
    try {
      const out = run(a, kind, input)
      body = out instanceof Promise ? await out : out
    } catch (e) {
      processor.refund(acc)
      throw e
    }
    metrics.paidCalls++
    metrics.paidAmount += acc.price
    const fields: ReceiptFields = {
      nodeId,
      requestHash: sha256(raw),
      responseHash: sha256(body),
      assetId: a.cfg.assetId,
      version: BigInt(a.version),
      units: BigInt(t.units),
      price: acc.price,
      channelId: t.channelId,
      lane: t.lane,
      cumulative: acc.total,
      index: BigInt(acc.index),
    }
    respondWithReceipt(res, route, body, fields, start, {
      lane: { state: acc.lane, units: acc.index, head: acc.lane.head, voucher: acc.voucher, newVoucher: acc.newVoucher },
      headers: bodyHeaders(kind, input),
      refund: acc,
    })
  }

  /**
   * A ticket retried after its answer was lost: the node died (or the connection broke) after the
   * call's receipt was committed. Only the lane's latest call qualifies, proven by its preimage.
   * Same request and a reproducible answer (same response hash): the answer again, with the
   * original receipt and no new charge. Otherwise 409 with the stored receipt attached.
   */
  const replayedCall = async (res: ServerResponse, route: string, a: ServedAsset, kind: Kind, input: unknown, raw: Buffer, t: Ticket, replayed: ConflictError, start: number) => {
    const lane = processor.lanes.get(t.laneKey)
    if (!lane || t.index !== lane.units || !t.preimage.equals(lane.head)) throw replayed
    const stored = storedReceipt(ctx.store, t)
    if (!stored) throw replayed
    if (stored.fields.requestHash.equals(sha256(raw))) {
      const out = run(a, kind, input)
      const body = out instanceof Promise ? await out : out
      if (sha256(body).equals(stored.fields.responseHash)) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'x-sahara-receipt': stored.header, ...bodyHeaders(kind, input) })
        res.end(body)
        metrics.request(route, 200)
        metrics.answersReplayed++
        metrics.observe(performance.now() - start)
        return
      }
    }
    throw new TicketAlreadyPaidError(stored.header, t.index)
  }

  const call = async (req: IncomingMessage, res: ServerResponse, route: string, kind: Kind, assetKey: string | undefined, start: number) => {
    let asset = assetKey === undefined ? undefined : (byId.get(assetKey) ?? byName.get(assetKey))
    if (assetKey !== undefined && !asset) {
      req.resume()
      throw new NotFoundError('unknown_asset', `This node does not serve asset ${assetKey}.`)
    }
    const raw = await readBody(req, config.bodyLimit)
    let input = parseJson(raw)
    if (kind === 'chat') {
      const chat = parseChatRequest(input)
      asset = byName.get(chat.model) ?? byId.get(chat.model)
      if (!asset) throw new NotFoundError('unknown_model', `This node does not serve model ${chat.model}; see GET /v1/models.`)
      input = chat
    }
    const a = asset!
    if (!a.runtime) throw new UnavailableError('asset_unavailable', `Asset ${a.cfg.assetId} cannot be served: ${a.unavailable ?? 'not loaded'}.`)
    try {
      if (a.cfg.free) {
        const out = run(a, kind, input)
        const body = out instanceof Promise ? await out : out
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, ...bodyHeaders(kind, input) })
        res.end(body)
        metrics.request(route, 200)
        metrics.observe(performance.now() - start)
        return
      }
      const ticket = req.headers['x-sahara-ticket']
      if (typeof ticket === 'string') return await paidChannelCall(req, res, route, a, kind, input, raw, ticket, start)
      const x1 = req.headers['x-payment']
      if (typeof x1 === 'string') return await exact.call({ res, route, a, kind, input, raw, start }, x1, 1, resourceUrl(req))
      const x2 = req.headers['payment-signature']
      if (typeof x2 === 'string') return await exact.call({ res, route, a, kind, input, raw, start }, x2, 2, resourceUrl(req))
      throw new PaymentRequiredError('payment_required', 'This call requires payment: an X-Sahara-Ticket (channel) or an X-PAYMENT (x402 exact) header.')
    } catch (e) {
      fail(res, route, e, req, a)
    }
  }

  // a confirmed transaction's block never changes: ask the chain once per settlement
  const blockOf = new Map<string, bigint>()
  const GROUP_ROOT = /^0x[0-9a-fA-F]{64}$/

  /** GET /v1/receipts/groups/<groupRoot>: the top proof groupRoot -> receiptsRoot and the settlement tx. */
  const receiptGroup = async (res: ServerResponse, route: string, rootParam: string) => {
    if (!GROUP_ROOT.test(rootParam)) throw new MalformedError('malformed_group_root', 'The group root must be 0x followed by 64 hex digits.')
    const p = groupProof(ctx.store, Buffer.from(rootParam.slice(2), 'hex'))
    if (!p) throw new NotFoundError('unknown_group', `This node committed no receipt group with root ${rootParam.toLowerCase()}.`)
    let blockNumber: bigint | undefined
    if (p.status === 'settled' && p.txHash) {
      blockNumber = blockOf.get(p.txHash)
      if (blockNumber === undefined && ctx.chain?.txBlockNumber) {
        blockNumber = await ctx.chain.txBlockNumber(p.txHash).catch(() => undefined)
        if (blockNumber !== undefined) blockOf.set(p.txHash, blockNumber)
      }
    }
    metrics.request(route, 200)
    sendJson(res, 200, blockNumber === undefined ? p : { ...p, blockNumber: blockNumber.toString() })
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const start = performance.now()
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const path = q === -1 ? url : url.slice(0, q)
    const method = req.method
    let route = path
    let p: Promise<void> | undefined
    try {
      if (method === 'POST' && path === '/v1/chat/completions') {
        p = call(req, res, route, 'chat', undefined, start)
      } else if (method === 'POST' && path.startsWith('/v1/invoke/')) {
        route = '/v1/invoke/:assetId'
        p = call(req, res, route, 'invoke', decodeURIComponent(path.slice('/v1/invoke/'.length)), start)
      } else if (method === 'GET' && path === '/v1/models') {
        metrics.request(route, 200)
        sendJson(res, 200, {
          object: 'list',
          data: ctx.assets.map((a) => ({ id: a.id, object: 'model', created: 0, owned_by: `sahara-node-${nodeId}`, name: a.cfg.name, runtime: a.cfg.runtime, version: a.version, available: !!a.runtime, price: { token: a.cfg.token, unitPrice: a.cfg.unitPrice.toString(), unitsPerCall: a.cfg.unitsPerCall, free: a.cfg.free } })),
        })
      } else if (method === 'GET' && path.startsWith('/v1/receipts/groups/')) {
        route = '/v1/receipts/groups/:root'
        p = receiptGroup(res, route, path.slice('/v1/receipts/groups/'.length))
      } else if (method === 'GET' && path === '/health') {
        metrics.request(route, 200)
        sendJson(res, 200, ctx.health())
      } else if (method === 'GET' && path === '/metrics') {
        metrics.request(route, 200)
        const body = metrics.render(ctx.extraGauges())
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
        res.end(body)
      } else {
        route = 'other'
        req.resume()
        throw new NotFoundError('not_found', `No route ${method} ${path}.`)
      }
    } catch (e) {
      fail(res, route, e, req)
    }
    if (p) p.catch((e: unknown) => fail(res, route, e, req))
  }

  const server = createServer({ keepAliveTimeout: 30_000, requestTimeout: 120_000 }, handle)
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
  })
  return server
}
