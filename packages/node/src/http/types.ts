import type { ServerResponse } from 'node:http'
import type { ServedAsset } from '../assets.ts'
import type { NodeHttpError } from '../errors.ts'
import type { PendingReceipt } from '../payments/groups.ts'
import type { Accepted } from '../payments/processor.ts'
import type { ReceiptFields } from '../payments/receipt.ts'
import { SSE_HEADERS, streamRequested } from './sse.ts'

/** The two call routes: OpenAI chat completions and the generic invoke. */
export type Kind = 'chat' | 'invoke'

/** One call as the HTTP layer hands it to a payment path, its body read and parsed. */
export type CallInput = { res: ServerResponse; route: string; a: ServedAsset; kind: Kind; input: unknown; raw: Buffer; start: number }

export type ReceiptOptions = {
  /** Lane snapshot of a channel call, committed with the receipt. */
  lane?: PendingReceipt['lane']
  headers?: Record<string, string>
  /** A channel call's payment, given back to its lane if the receipt cannot be committed. */
  refund?: Accepted
  /** The receipt could not be committed: undo what the call took; may name the error to send. */
  onError?: () => NodeHttpError | void
  /** The receipt is committed (before the answer goes out). */
  onReceipt?: (header: string) => void
}

/** Commits a paid call's receipt (group commit), then answers with it. */
export type RespondWithReceipt = (res: ServerResponse, route: string, body: Buffer, fields: ReceiptFields, start: number, o?: ReceiptOptions) => void

/** What the server does with a paid call once its receipt's group is durable, or failed. */
export type Answerer = { committed(p: PendingAnswer, receipt: string): void; failed(p: PendingAnswer): void }

/**
 * A paid call waiting for its group commit. A class rather than an object with a `done` closure:
 * the node runs under tsx, whose esbuild keeps function names by wrapping every closure assigned
 * to a property in a defineProperty call, ~1 µs per paid call for two closures (CPU profile).
 */
export class PendingAnswer implements PendingReceipt {
  readonly lane: PendingReceipt['lane']
  constructor(
    private readonly answerer: Answerer,
    readonly fields: ReceiptFields,
    readonly res: ServerResponse,
    readonly route: string,
    readonly body: Buffer,
    readonly start: number,
    readonly o: ReceiptOptions,
  ) {
    this.lane = o.lane
  }

  done(err: Error | null, receiptHeader?: string): void {
    if (err || !receiptHeader) this.answerer.failed(this)
    else this.answerer.committed(this, receiptHeader)
  }
}

const NO_HEADERS = {}

/** Headers that depend on the body's form: SSE for a chat completion asked with stream: true. */
export function bodyHeaders(kind: Kind, input: unknown): Record<string, string> {
  return kind === 'chat' && streamRequested(input).stream ? SSE_HEADERS : NO_HEADERS
}
