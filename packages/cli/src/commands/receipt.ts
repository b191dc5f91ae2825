import { existsSync, readFileSync } from 'node:fs'
import {
  PaymentError,
  SaharaError,
  ReceiptNotSettledError,
  decodeReceiptHeader,
  executionContract,
  paymentsDomain,
  proveReceipt,
  verifyReceipt,
  verifyReceiptOnChain,
  type SignedReceipt,
} from '@sahara/sdk'
import type { Command } from 'commander'
import { connect } from '../context'
import { UsageError } from '../errors'
import { emit, table, type GlobalOptions } from '../output'

/** The url of a call recorded in a receipts file -> the node's base URL. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

type Input = { header: string; node?: string | undefined; label: string }

/**
 * A receipt header (X-Sahara-Receipt value), or a file holding one, or a receipts file written by
 * `sahara call --receipts` (JSON lines `{ at, url, receipt }`: the node comes from each url).
 */
export function readInputs(arg: string): Input[] {
  if (!existsSync(arg)) return [{ header: arg.trim(), label: 'receipt' }]
  const text = readFileSync(arg, 'utf8').trim()
  if (!text.startsWith('{')) return [{ header: text, label: arg }]
  return text.split('\n').filter((l) => l.trim() !== '').map((line, i) => {
    let o: { receipt?: unknown; url?: unknown }
    try {
      o = JSON.parse(line) as { receipt?: unknown; url?: unknown }
    } catch {
      throw new UsageError(`${arg} line ${i + 1} is not JSON.`)
    }
    if (typeof o.receipt !== 'string') throw new UsageError(`${arg} line ${i + 1} has no "receipt" header string.`)
    return { header: o.receipt, node: typeof o.url === 'string' ? originOf(o.url) : undefined, label: `${arg}:${i + 1}` }
  })
}

type Result = {
  source: string
  recorded: boolean
  leaf?: string
  groupRoot?: string
  sequence?: bigint
  nodeId?: bigint
  signedByNode?: boolean
  status?: string
  receiptsRoot?: string
  txHash?: string
  blockNumber?: bigint
  recordedBy?: bigint
  recordedAt?: bigint
  reason?: string
}

/** `sahara receipt verify`: is a receipt provably recorded on-chain, and where. */
export function receiptCommand(program: Command): Command {
  const receipt = program.command('receipt').description('receipts returned by execution nodes: prove them on-chain')
  receipt
    .command('verify')
    .description('check that a receipt is recorded on-chain: its proof to a settled receipts root (exit 1 when not)')
    .argument('<receipt>', 'X-Sahara-Receipt header value, a file holding one, or a `sahara call --receipts` file')
    .option('--node <url>', "the node's URL (default: the url recorded in a receipts file)")
    .option('--wait <seconds>', 'wait up to this long for the node to settle the receipt', '0')
    .action(async (arg: string, o: { node?: string; wait: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const wait = Number(o.wait)
      if (!Number.isFinite(wait) || wait < 0) throw new UsageError(`--wait must be a number of seconds, got "${o.wait}".`)
      const inputs = readInputs(arg)
      if (inputs.length === 0) throw new UsageError(`${arg} holds no receipt.`)
      const ctx = await connect(opts, false)
      const { publicClient, deployments } = ctx.sahara
      const domain = paymentsDomain(deployments.chainId, executionContract(deployments, 'PaymentChannels'))
      const signers = new Map<bigint, Promise<`0x${string}` | undefined>>()
      const signerOf = (nodeId: bigint) => {
        let s = signers.get(nodeId)
        if (!s) signers.set(nodeId, (s = ctx.sahara.getNode(nodeId).then((n) => n.signer, () => undefined)))
        return s
      }
      const results: Result[] = []
      for (const input of inputs) {
        const nodeUrl = o.node ?? input.node
        let r: SignedReceipt
        try {
          r = decodeReceiptHeader(input.header)
        } catch (e) {
          results.push({ source: input.label, recorded: false, reason: (e as Error).message })
          continue
        }
        const base: Result = { source: input.label, recorded: false, leaf: r.leaf, groupRoot: r.groupRoot, sequence: r.sequence, nodeId: r.fields.nodeId }
        if (!nodeUrl) throw new UsageError('Pass --node <url>: the node that issued the receipt gives its proof to the settlement root.')
        const signer = await signerOf(r.fields.nodeId)
        base.signedByNode = signer === undefined ? false : await verifyReceipt(r, { domain, nodeSigner: signer }).then(() => true, () => false)
        try {
          const p = await proveReceipt(r, { nodeUrl, waitMs: wait * 1000, intervalMs: 500 })
          const c = await verifyReceiptOnChain(publicClient, deployments, r, p)
          results.push({
            ...base,
            recorded: c.ok,
            status: p.status,
            receiptsRoot: p.receiptsRoot,
            txHash: p.txHash,
            blockNumber: p.blockNumber,
            recordedBy: c.recordedBy,
            recordedAt: c.recordedAt,
            ...(c.ok ? {} : { reason: !c.recorded ? 'the receipts root is not recorded on-chain' : 'PaymentChannels.verifyReceipt rejects the proof' }),
          })
        } catch (e) {
          if (!(e instanceof PaymentError)) throw e
          results.push({ ...base, status: e instanceof ReceiptNotSettledError ? 'unsettled' : undefined, reason: e.shortMessage })
        }
      }
      const recorded = results.filter((x) => x.recorded).length
      emit(opts, { recorded: recorded === results.length, count: results.length, receipts: results }, () =>
        results.flatMap((x) => [
          x.recorded
            ? `${x.source}: recorded on-chain (node #${x.nodeId}, group ${x.sequence})`
            : `${x.source}: NOT recorded on-chain${x.reason ? `: ${x.reason}` : ''}`,
          ...table(
            [
              ['leaf', x.leaf],
              ['signed by node', x.signedByNode === undefined ? undefined : x.signedByNode ? 'yes' : 'NO (not the registered signer)'],
              ['receipts root', x.receiptsRoot],
              ['settlement tx', x.txHash],
              ['block', x.blockNumber],
              ['recorded at', x.recordedAt ? new Date(Number(x.recordedAt) * 1000).toISOString() : undefined],
              ['recorded by', x.recordedBy && x.recordedBy !== x.nodeId ? `node #${x.recordedBy} (not the receipt's node)` : undefined],
            ],
            '  ',
          ),
        ]),
      )
      if (recorded !== results.length) throw new SaharaError(`${results.length - recorded} of ${results.length} receipt(s) not recorded on-chain.`)
    })
  return receipt
}
