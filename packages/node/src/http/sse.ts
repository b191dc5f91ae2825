/**
 * `stream: true` chat completions as Server-Sent Events. A paid answer needs its receipt in the
 * response headers, and the receipt commits to the response hash, so the node computes the whole
 * completion first and then sends it as one SSE body: the `chat.completion.chunk` events a stock
 * OpenAI client expects (role + content, then finish_reason, then usage when asked), then
 * `data: [DONE]`. The receipt's responseHash covers exactly these bytes.
 */

type Choice = { index?: number; message?: { role?: string; content?: unknown }; finish_reason?: unknown }

export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }

export function completionToSse(completion: Record<string, unknown>, includeUsage: boolean): Buffer {
  const base = {
    id: completion.id ?? `chatcmpl-${Date.now().toString(36)}`,
    object: 'chat.completion.chunk',
    created: completion.created ?? Math.floor(Date.now() / 1000),
    model: completion.model,
    ...(completion.system_fingerprint !== undefined ? { system_fingerprint: completion.system_fingerprint } : {}),
  }
  const choices = Array.isArray(completion.choices) ? (completion.choices as Choice[]) : []
  const events: unknown[] = []
  choices.forEach((c, i) => {
    const index = typeof c.index === 'number' ? c.index : i
    const content = typeof c.message?.content === 'string' ? c.message.content : ''
    events.push({ ...base, choices: [{ index, delta: { role: c.message?.role ?? 'assistant', content }, finish_reason: null }] })
  })
  choices.forEach((c, i) => {
    events.push({ ...base, choices: [{ index: typeof c.index === 'number' ? c.index : i, delta: {}, finish_reason: c.finish_reason ?? 'stop' }] })
  })
  if (includeUsage) events.push({ ...base, choices: [], usage: completion.usage ?? null })
  return Buffer.from(events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n')
}

/** Whether a parsed chat request asks for a stream, and for the final usage chunk. */
export function streamRequested(input: unknown): { stream: boolean; includeUsage: boolean } {
  const o = input as { stream?: unknown; stream_options?: { include_usage?: unknown } } | undefined
  return { stream: o?.stream === true, includeUsage: o?.stream === true && o.stream_options?.include_usage === true }
}
