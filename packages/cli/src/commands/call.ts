import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { SaharaError, createPaidClient, formatAmount, parseChannelRequirement, type PaidReceipt } from '@sahara/sdk'
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
}

/** Channels remembered per (chain, payer, node, token) so later calls reuse them. */
function loadState(file: string): Record<string, string> {
  if (!existsSync(file)) return {}
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as unknown
    return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, string>) : {}
  } catch {
    return {}
  }
}

function saveState(file: string, state: Record<string, string>): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`)
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
    .description('call an asset on an execution node, paying per call through a payment channel')
    .argument('<assetId>', 'asset id')
    .option('--input <json>', 'input of an invoke call (JSON)')
    .option('--prompt <text>', 'prompt of a chat call (OpenAI-compatible /v1/chat/completions)')
    .option('--node <url|id>', 'node URL or on-chain node id (default: $SAHARA_NODE_URL)')
    .option('--max-price <amount>', 'refuse to pay more than this per call, in token units (default: the quoted price)')
    .option('--deposit <amount>', 'deposit of a new channel, in token units (default: 100 calls)')
    .option('--channel <id>', 'pay through this open channel')
    .option('--state <file>', 'where channels are remembered between calls', '.sahara/client/channels.json')
    .option('--receipts <file>', 'append receipts as JSON lines to this file')
    .action(async (id: string, o: CallOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const assetId = parseId(id, 'The asset id')
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
      const requirement = parseChannelRequirement(await probe.json().catch(() => undefined))
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
      const remembered = state[key] === undefined ? undefined : BigInt(state[key]!)
      const paid = createPaidClient({
        publicClient: ctx.sahara.publicClient,
        walletClient: ctx.sahara.walletClient,
        deployments: ctx.sahara.deployments,
        maxPricePerCall: maxPrice,
        channel: { deposit, id: channelOpt ?? remembered, lanes: 1 },
        receiptsFile: o.receipts === undefined ? undefined : resolve(o.receipts),
      })
      const res = await paid.fetch(url, init)
      const status = paid.status()
      const ch = status.channels[0]
      if (ch) {
        state[key] = ch.channelId.toString()
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
