import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { SaharaError, createPaidClient, fetchWithExactPayment, formatAmount, parseChannelRequirement, parseExactRequirement, type LaneSnapshot, type PaidReceipt } from '@sahara/sdk'
import type { Command } from 'commander'
import { connect, type Ctx } from '../context'
import { UsageError } from '../errors'
import { emit, table, type GlobalOptions } from '../output'
import { parseId } from '../parse'

type CallOptions = {
  input?: string
  prompt?: string
  node?: string
  maxPrice?: string
  deposit?: string
  channel?: string
  state: string
  receipts?: string
  pay: string
}

/**
 * Channels remembered per (chain, payer, node, token), with their idle lanes, so later calls
 * continue the same lanes. The lanes hold hash-chain seeds (spendable up to their vouchers), so
 * the file is written owner-only.
 */
type CallState = Record<string, { channelId: string; lanes: LaneSnapshot[] }>

function loadState(file: string): CallState {
  if (!existsSync(file)) return {}
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as unknown
    if (!o || typeof o !== 'object' || Array.isArray(o)) return {}
    const out: CallState = {}
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      const e = v as { channelId?: unknown; lanes?: unknown }
      if (e && typeof e.channelId === 'string' && /^\d+$/.test(e.channelId)) out[k] = { channelId: e.channelId, lanes: Array.isArray(e.lanes) ? (e.lanes as LaneSnapshot[]) : [] }
    }
    return out
  } catch {
    return {}
  }
}

function saveState(file: string, state: CallState): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 })
}

/** The node's error sentence from its `{ error: { code, message } }` body, else the status. */
async function nodeError(res: Response): Promise<SaharaError> {
  let message = `${res.status} ${res.statusText}`.trim()
  try {
    const body = (await res.json()) as { error?: { message?: unknown; code?: unknown } | string }
    const m = typeof body.error === 'object' ? body.error?.message : body.error
    if (typeof m === 'string' && m) message = m.replace(/\.$/, '')
  } catch {
    // not JSON
  }
  return new SaharaError(`The node answered ${res.status}: ${message}.`)
}

async function resolveNodeUrl(value: string | undefined, ctx: Ctx): Promise<string> {
  const v = value ?? process.env.SAHARA_NODE_URL
  if (!v) throw new UsageError('Pass --node <url or node id> or set SAHARA_NODE_URL.')
  if (/^\d+$/.test(v)) return (await ctx.sahara.getNode(parseId(v, '--node'))).endpoint
  try {
    const u = new URL(v)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme')
  } catch {
    throw new UsageError(`--node must be an http(s) URL or a node id, got "${v}".`)
  }
  return v
}

export function callCommand(program: Command): void {
  program
    .command('call')
    .description('call an asset on an execution node, paying per call through a payment channel (or one x402 exact payment)')
    .argument('<assetId>', 'asset id')
    .option('--input <json>', 'input of an invoke call (JSON)')
    .option('--prompt <text>', 'prompt of a chat call (OpenAI-compatible /v1/chat/completions)')
    .option('--node <url|id>', 'node URL or on-chain node id (default: $SAHARA_NODE_URL)')
    .option('--max-price <amount>', 'refuse to pay more than this per call, in token units (default: the quoted price)')
    .option('--deposit <amount>', 'deposit of a new channel, in token units (default: 100 calls)')
    .option('--channel <id>', 'pay through this open channel')
    .option('--state <file>', 'where channels are remembered between calls', '.sahara/client/channels.json')
    .option('--receipts <file>', 'append receipts as JSON lines to this file')
    .option('--pay <method>', '"channel" (default): a payment channel, reused by later calls; "exact": one x402 EIP-3009 payment for this call, no channel and no gas', 'channel')
    .action(async (id: string, o: CallOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetId = parseId(id, 'The asset id')
      if (o.pay !== 'channel' && o.pay !== 'exact') throw new UsageError(`--pay must be "channel" or "exact", got "${o.pay}".`)
      if (o.pay === 'exact' && (o.channel !== undefined || o.deposit !== undefined)) throw new UsageError('--channel and --deposit are for --pay channel; an exact payment opens no channel.')
      if ((o.input === undefined) === (o.prompt === undefined)) throw new UsageError('Pass exactly one of --input <json> or --prompt <text>.')
      let input: unknown
      if (o.input !== undefined) {
        try {
          input = JSON.parse(o.input)
        } catch {
          throw new UsageError('--input must be valid JSON.')
        }
      }
      const channelOpt = o.channel === undefined ? undefined : parseId(o.channel, '--channel')
      const ctx = await connect(opts, true)
      const payer = ctx.requireAccount()
      const base = (await resolveNodeUrl(o.node, ctx)).replace(/\/+$/, '')
      const chat = o.prompt !== undefined
      const url = chat ? `${base}/v1/chat/completions` : `${base}/v1/invoke/${assetId}`
      const body = JSON.stringify(chat ? { model: assetId.toString(), messages: [{ role: 'user', content: o.prompt }] } : input)
      const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body }

      // Probe once to learn the price and token, so amounts can be given in token units.
      let probe: Response
      try {
        probe = await fetch(url, init)
      } catch (err) {
        throw new SaharaError(`Cannot reach the node at ${base}.`, { cause: err })
      }
      if (probe.ok) {
        // A free asset: no payment, no receipt.
        const result = await probe.json().catch(() => undefined)
        emit(opts, { assetId, node: base, result, receipt: null }, () => [JSON.stringify(result, null, 2), '(free call: no payment, no receipt)'])
        return
      }
      if (probe.status !== 402) throw await nodeError(probe)
      const required: unknown = await probe.json().catch(() => undefined)
      if (o.pay === 'exact') return callWithExact(ctx, opts, { assetId, base, url, init, chat, maxPrice: o.maxPrice, receipts: o.receipts }, required)
      const requirement = parseChannelRequirement(required)
      if (!requirement) throw new SaharaError(`The node offers no payment-channel scheme for asset #${assetId}.`)
      const token = await ctx.token(requirement.asset)
      const f = (v: bigint) => formatAmount(v, token.decimals, token.symbol)
      const price = requirement.unitPrice * BigInt(requirement.unitsPerCall)
      const maxPrice = o.maxPrice === undefined ? price : (await ctx.parseTokenAmount(o.maxPrice, requirement.asset)).amount
      if (price > maxPrice) throw new SaharaError(`Asset #${assetId} costs ${f(price)} per call, above --max-price ${f(maxPrice)}; nothing was paid.`)
      const deposit = o.deposit === undefined ? price * 100n : (await ctx.parseTokenAmount(o.deposit, requirement.asset)).amount
      if (deposit < price) throw new UsageError(`--deposit ${f(deposit)} does not cover one call (${f(price)}).`)

      const stateFile = resolve(o.state)
      const state = loadState(stateFile)
      const key = `${ctx.sahara.deployments.chainId}:${payer}:${requirement.nodeId}:${requirement.asset}`.toLowerCase()
      const saved = state[key]
      const remembered = saved === undefined ? undefined : BigInt(saved.channelId)
      const channelId = channelOpt ?? remembered
      const paid = createPaidClient({
        publicClient: ctx.sahara.publicClient,
        walletClient: ctx.sahara.walletClient,
        deployments: ctx.sahara.deployments,
        maxPricePerCall: maxPrice,
        channel: { deposit, id: channelId, lanes: 1, resume: channelId !== undefined && channelId === remembered ? saved?.lanes : undefined },
        receiptsFile: o.receipts === undefined ? undefined : resolve(o.receipts),
      })
      const res = await paid.fetch(url, init)
      const status = paid.status()
      const ch = status.channels[0]
      if (ch) {
        state[key] = { channelId: ch.channelId.toString(), lanes: paid.exportLanes() }
        saveState(stateFile, state)
      }
      if (!res.ok) throw await nodeError(res)
      const text = await res.text()
      let result: unknown = text
      try {
        result = JSON.parse(text)
      } catch {
        // plain text result
      }
      const receipt: PaidReceipt | undefined = paid.receipts().at(-1)
      const r = receipt?.receipt
      emit(
        opts,
        {
          assetId,
          node: base,
          result,
          channelId: ch?.channelId,
          token: token.address,
          symbol: token.symbol,
          price: r?.fields.price,
          receipt: r ? { ...r.fields, leaf: r.leaf, proof: r.proof, groupRoot: r.groupRoot, sequence: r.sequence, signature: r.signature } : null,
        },
        () => {
          const content = chat ? (result as { choices?: { message?: { content?: string } }[] })?.choices?.[0]?.message?.content : undefined
          return [
            typeof content === 'string' ? content : typeof result === 'string' ? result : JSON.stringify(result, null, 2),
            '',
            `Paid ${r ? f(r.fields.price) : '?'} to node #${requirement.nodeId} through channel #${ch?.channelId} (receipt verified)`,
            ...(r
              ? table(
                  [
                    ['lane', `${r.fields.assetId}:${r.fields.lane}`],
                    ['lane total', f(r.fields.cumulative)],
                    ['asset version', r.fields.version],
                    ['receipt leaf', r.leaf],
                    ['group root', r.groupRoot],
                    ['sequence', r.sequence],
                  ],
                  '  ',
                )
              : []),
          ]
        },
      )
    })
}

type ExactCall = { assetId: bigint; base: string; url: string; init: { method: string; headers: Record<string, string>; body: string }; chat: boolean; maxPrice: string | undefined; receipts: string | undefined }

/** `sahara call --pay exact`: one EIP-3009 authorization for this call, checked and receipted by the SDK. */
async function callWithExact(ctx: Ctx, opts: GlobalOptions, c: ExactCall, required: unknown): Promise<void> {
  const requirement = parseExactRequirement(required)
  if (!requirement) throw new SaharaError(`The node offers no x402 exact payment for asset #${c.assetId}.`)
  const token = await ctx.token(requirement.asset)
  const f = (v: bigint) => formatAmount(v, token.decimals, token.symbol)
  const maxPrice = c.maxPrice === undefined ? requirement.amount : (await ctx.parseTokenAmount(c.maxPrice, requirement.asset)).amount
  if (requirement.amount > maxPrice) throw new SaharaError(`Asset #${c.assetId} costs ${f(requirement.amount)} per call, above --max-price ${f(maxPrice)}; nothing was paid.`)
  const { publicClient, walletClient, deployments } = ctx.sahara
  if (!walletClient) throw new UsageError('This command needs an account: pass --private-key or set SAHARA_PRIVATE_KEY.')
  const { response, paid } = await fetchWithExactPayment({ publicClient, walletClient, deployments, maxPrice }, c.url, c.init)
  if (!response.ok || !paid) throw await nodeError(response)
  const text = await response.text()
  let result: unknown = text
  try {
    result = JSON.parse(text)
  } catch {
    // plain text result
  }
  const r = paid.receipt
  const receipt = { ...r.fields, leaf: r.leaf, proof: r.proof, groupRoot: r.groupRoot, sequence: r.sequence, signature: r.signature }
  if (c.receipts !== undefined) {
    const file = resolve(c.receipts)
    mkdirSync(dirname(file), { recursive: true })
    // the line format of the channel path (`sahara receipt verify` reads it), plus the payment transaction
    appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), url: c.url, receipt: paid.header, transaction: paid.transaction })}\n`)
  }
  emit(opts, { assetId: c.assetId, node: c.base, result, token: token.address, symbol: token.symbol, price: paid.price, transaction: paid.transaction, receipt }, () => {
    const content = c.chat ? (result as { choices?: { message?: { content?: string } }[] })?.choices?.[0]?.message?.content : undefined
    return [
      typeof content === 'string' ? content : typeof result === 'string' ? result : JSON.stringify(result, null, 2),
      '',
      `Paid ${f(paid.price)} to asset #${paid.assetId} on node #${paid.nodeId} with one x402 exact payment (receipt verified)`,
      ...table(
        [
          ['transaction', paid.transaction],
          ['receipt leaf', r.leaf],
          ['group root', r.groupRoot],
          ['sequence', r.sequence],
        ],
        '  ',
      ),
    ]
  })
}

