import type { ServerResponse } from 'node:http'
import type { ServedAsset } from '../assets.ts'
import type { NodeHttpError } from '../errors.ts'
import type { PendingReceipt } from '../payments/groups.ts'
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
  /** The receipt could not be committed: undo what the call took; may name the error to send. */
  onError?: () => NodeHttpError | void
  /** The receipt is committed (before the answer goes out). */
  onReceipt?: (header: string) => void
}

/** Commits a paid call's receipt (group commit), then answers with it. */
export type RespondWithReceipt = (res: ServerResponse, route: string, body: Buffer, fields: ReceiptFields, start: number, o?: ReceiptOptions) => void

const NO_HEADERS = {}

/** Headers that depend on the body's form: SSE for a chat completion asked with stream: true. */
export function bodyHeaders(kind: Kind, input: unknown): Record<string, string> {
  return kind === 'chat' && streamRequested(input).stream ? SSE_HEADERS : NO_HEADERS
}
