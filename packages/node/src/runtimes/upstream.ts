import type { UpstreamConfig } from '../config.ts'
import { NodeHttpError, UnavailableError } from '../errors.ts'
import type { ChatRequest, Runtime } from './types.ts'

/** Proxies to an OpenAI-compatible server (non-streaming). */
export function upstreamRuntime(u: UpstreamConfig, model: string | undefined, instructions?: string, parameters?: Record<string, unknown>): Runtime {
  const post = async (body: unknown): Promise<Record<string, unknown>> => {
    let res: Response
    try {
      res = await fetch(new URL('/v1/chat/completions', u.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(u.apiKey ? { authorization: `Bearer ${u.apiKey}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(u.timeoutMs),
      })
    } catch (e) {
      throw new UnavailableError('upstream_unreachable', `The upstream model server did not answer: ${(e as Error).message}`)
    }
    const text = await res.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new UnavailableError('upstream_bad_response', `The upstream answered ${res.status} with a non-JSON body.`)
    }
    if (!res.ok) throw new NodeHttpError(502, 'upstream_error', `The upstream answered ${res.status}: ${text.slice(0, 300)}`)
    return json as Record<string, unknown>
  }
  const build = (req: ChatRequest) => ({
    ...parameters,
    ...req,
    model: model ?? req.model,
    // the node streams to its client itself (see http/sse.ts); the upstream answers in one piece
    stream: false,
    stream_options: undefined,
    messages: instructions ? [{ role: 'system', content: instructions }, ...req.messages] : req.messages,
  })
  return {
    kind: 'upstream',
    invoke: (input) => post(build(input as ChatRequest)),
    chat: async (req) => ({ completion: await post(build(req)) }),
  }
}
