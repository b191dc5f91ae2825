import { MalformedError } from '../errors.ts'
import { lastUserMessage, type Runtime } from './types.ts'

/** Model manifest (spec "Artifacts", schema sahara/model@1). */
export type ModelManifest = {
  schema: 'sahara/model@1'
  name: string
  runtime: 'onnx'
  task: 'classification'
  inputs: { name: string; dtype: 'float32'; shape: number[]; features: string[] }[]
  outputs: { name: string; dtype: string; shape: number[] }[]
  labels: string[]
  normalization?: { mean: number[]; std: number[] }
}

export function parseModelManifest(bytes: Uint8Array): ModelManifest {
  let m: ModelManifest
  try {
    m = JSON.parse(Buffer.from(bytes).toString('utf8')) as ModelManifest
  } catch {
    throw new Error('The model manifest is not JSON.')
  }
  if (m.schema !== 'sahara/model@1' || m.runtime !== 'onnx' || !Array.isArray(m.inputs) || !m.inputs[0] || !Array.isArray(m.labels)) {
    throw new Error('The model manifest is not a sahara/model@1 ONNX classification manifest.')
  }
  return m
}

/** Features from a JSON array, a { name: value } object, or "k=v, k=v" text, in manifest order. */
export function parseFeatures(input: unknown, names: readonly string[]): number[] {
  let v = input
  if (typeof v === 'string') {
    const s = v.trim()
    if (s.startsWith('[') || s.startsWith('{')) {
      try {
        v = JSON.parse(s)
      } catch {
        throw new MalformedError('bad_features', 'The features are not valid JSON.')
      }
    } else {
      // k=v (or k: v) pairs separated by commas, semicolons, newlines or spaces.
      const obj: Record<string, number> = {}
      const pair = /([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(-?[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)/g
      for (const m of s.matchAll(pair)) obj[m[1]!] = Number(m[2])
      const rest = s.replace(pair, '').trim()
      if (rest !== '' && !/^[\s,;]+$/.test(rest)) {
        throw new MalformedError('bad_features', `Cannot read "${rest.replace(/^[\s,;]+|[\s,;]+$/g, '').slice(0, 80)}": use k=v pairs or a JSON array of ${names.length} numbers.`)
      }
      v = obj
    }
  }
  let out: number[]
  if (Array.isArray(v)) out = v.map(Number)
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    out = names.map((n) => {
      if (!(n in o)) throw new MalformedError('bad_features', `Missing feature ${n}.`)
      return Number(o[n])
    })
  } else throw new MalformedError('bad_features', `Expected ${names.length} features.`)
  if (out.length !== names.length || out.some((x) => !Number.isFinite(x))) {
    throw new MalformedError('bad_features', `Expected ${names.length} finite numbers (${names.join(', ')}).`)
  }
  return out
}

function softmaxIfNeeded(xs: number[]): number[] {
  const sum = xs.reduce((a, b) => a + b, 0)
  if (xs.every((x) => x >= 0 && x <= 1) && Math.abs(sum - 1) < 1e-3) return xs
  const max = Math.max(...xs)
  const e = xs.map((x) => Math.exp(x - max))
  const s = e.reduce((a, b) => a + b, 0)
  return e.map((x) => x / s)
}

/** ONNX classifier on onnxruntime-node's CPU backend (loaded lazily: its native binding is large). */
export async function onnxRuntime(modelBytes: Uint8Array, manifest: ModelManifest, o: { threads?: number } = {}): Promise<Runtime> {
  const ort = await import('onnxruntime-node')
  const session = await ort.InferenceSession.create(modelBytes, { intraOpNumThreads: o.threads ?? 1, interOpNumThreads: 1 })
  const input = manifest.inputs[0]!
  const classify = async (raw: unknown) => {
    const x = parseFeatures(raw, input.features)
    const n = manifest.normalization
    const xs = n ? x.map((v, i) => (v - (n.mean[i] ?? 0)) / (n.std[i] || 1)) : x
    const feeds = { [input.name]: new ort.Tensor('float32', Float32Array.from(xs), input.shape) }
    const result = await session.run(feeds)
    // the first float output with one value per label holds scores/probabilities
    let scores: number[] | undefined
    for (const name of session.outputNames) {
      const t = result[name]
      if (t && t.type === 'float32' && (t.data as Float32Array).length === manifest.labels.length) {
        scores = Array.from(t.data as Float32Array)
        break
      }
    }
    if (!scores) throw new Error('The model has no float output with one score per label.')
    const p = softmaxIfNeeded(scores)
    let best = 0
    for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i
    const probabilities: Record<string, number> = {}
    manifest.labels.forEach((l, i) => (probabilities[l] = Number(p[i]!.toFixed(6))))
    return { label: manifest.labels[best]!, probabilities }
  }
  return {
    kind: 'onnx',
    invoke: (body) => classify((body as { features?: unknown } | null)?.features ?? body),
    chat: async (req) => {
      const r = await classify(lastUserMessage(req))
      return { content: JSON.stringify(r) }
    },
    close: async () => {
      await session.release()
    },
  }
}
