import { MalformedError } from '../errors.ts'

export type ChatMessage = { role: string; content: string }
export type ChatRequest = { model: string; messages: ChatMessage[]; [k: string]: unknown }

/** A served model: generic JSON invoke + OpenAI-style chat. Sync results keep the hot path sync. */
export interface Runtime {
  readonly kind: string
  invoke(input: unknown): unknown | Promise<unknown>
  /** Returns the assistant message content (the HTTP layer wraps the OpenAI envelope). */
  chat(req: ChatRequest): ChatOutput | Promise<ChatOutput>
  close?(): Promise<void>
}

/** Either a content string (wrapped into an OpenAI completion) or a full upstream completion. */
export type ChatOutput = { content: string } | { completion: Record<string, unknown> }

/** Validates the OpenAI chat request shape (messages with string content). */
export function parseChatRequest(body: unknown): ChatRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new MalformedError('malformed_request', 'The chat request must be a JSON object.')
  const o = body as Record<string, unknown>
  if (typeof o.model !== 'string' || o.model === '') throw new MalformedError('malformed_request', 'model must be a non-empty string.')
  if (o.stream !== undefined && typeof o.stream !== 'boolean') throw new MalformedError('malformed_request', 'stream must be a boolean.')
  if (!Array.isArray(o.messages) || o.messages.length === 0) throw new MalformedError('malformed_request', 'messages must be a non-empty array.')
  for (const m of o.messages as unknown[]) {
    const mm = m as Record<string, unknown>
    if (!mm || typeof mm !== 'object' || typeof mm.role !== 'string' || typeof mm.content !== 'string') {
      throw new MalformedError('malformed_request', 'Each message must be { role: string, content: string }.')
    }
  }
  return o as ChatRequest
}

export function lastUserMessage(req: ChatRequest): string {
  for (let i = req.messages.length - 1; i >= 0; i--) if (req.messages[i]!.role === 'user') return req.messages[i]!.content
  throw new MalformedError('malformed_request', 'The conversation has no user message.')
}
