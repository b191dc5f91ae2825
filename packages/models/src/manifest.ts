import { encodeMetadata } from '@sahara/sdk'

export const MODEL_MANIFEST_SCHEMA = 'sahara/model@1'
export const AGENT_MANIFEST_SCHEMA = 'sahara/agent@1'

export type TensorDType = 'float32'

export type ModelInput = {
  name: string
  dtype: TensorDType
  /** Shape of one call's input, e.g. [1, 4]. The ONNX graph itself accepts any batch size. */
  shape: number[]
  /** Meaning of each column of the last dimension, in order. */
  features: string[]
}

export type ModelOutput = { name: string; dtype: TensorDType; shape: number[] }

/** The model manifest (a model version's `metadata`), see PAYMENTS_SPEC "Artifacts served by a node". */
export type ModelManifest = {
  schema: typeof MODEL_MANIFEST_SCHEMA
  name: string
  description: string
  runtime: 'onnx'
  task: 'classification'
  inputs: ModelInput[]
  outputs: ModelOutput[]
  /** Class names, in the order of the output's last dimension. */
  labels: string[]
  /**
   * Feature scaling fitted on the training split. `inModel: true` means the ONNX graph applies
   * (x - mean) / std itself, so callers send raw feature values and must NOT scale them again.
   */
  normalization: { mean: number[]; std: number[]; inModel?: boolean }
  /** Provenance and held-out metrics of the training run (informative). */
  training?: {
    dataset: { cid: string; name: string; rows: number }
    seed: number
    epochs: number
    trainSize: number
    testSize: number
    testAccuracy: number
  }
}

/** The agent manifest (an agent version's `content`). */
export type AgentManifest = {
  schema: typeof AGENT_MANIFEST_SCHEMA
  name: string
  model: { assetId: string }
  instructions: string
  parameters: Record<string, unknown>
  price: { token: string; unitPrice: string; unitsPerCall: number }
}

/** A manifest does not match its schema; `path` names the offending field (e.g. `inputs[0].shape`). */
export class ManifestError extends Error {
  override name = 'ManifestError'
  readonly path: string
  constructor(path: string, problem: string) {
    super(`Invalid manifest: ${path} ${problem}.`)
    this.path = path
  }
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new ManifestError(path, 'must be an object')
  return v
}
function str(v: unknown, path: string, allowEmpty = false): string {
  if (typeof v !== 'string' || (!allowEmpty && v.trim() === '')) throw new ManifestError(path, allowEmpty ? 'must be a string' : 'must be a non-empty string')
  return v
}
function literal<T extends string>(v: unknown, path: string, expected: T): T {
  if (v !== expected) throw new ManifestError(path, `must be "${expected}"`)
  return expected
}
function arr(v: unknown, path: string, minLength = 1): unknown[] {
  if (!Array.isArray(v) || v.length < minLength) throw new ManifestError(path, `must be an array with at least ${minLength} item(s)`)
  return v
}
function finiteNumbers(v: unknown, path: string, length: number): number[] {
  const a = arr(v, path)
  if (a.length !== length) throw new ManifestError(path, `must have ${length} items (one per feature), has ${a.length}`)
  a.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ManifestError(`${path}[${i}]`, 'must be a finite number')
  })
  return a as number[]
}
function shape(v: unknown, path: string): number[] {
  const a = arr(v, path)
  a.forEach((d, i) => {
    if (!Number.isSafeInteger(d) || (d as number) < 1) throw new ManifestError(`${path}[${i}]`, 'must be a positive integer')
  })
  return a as number[]
}
function dtype(v: unknown, path: string): TensorDType {
  return literal(v, path, 'float32')
}

/**
 * Checks that `value` is a well-formed `sahara/model@1` manifest whose parts agree with each other
 * (feature count = input width = normalization length; label count = output width) and returns it typed.
 * Unknown extra fields are allowed (forward compatibility).
 */
export function validateModelManifest(value: unknown): ModelManifest {
  const m = obj(value, 'manifest')
  literal(m.schema, 'schema', MODEL_MANIFEST_SCHEMA)
  str(m.name, 'name')
  str(m.description, 'description', true)
  literal(m.runtime, 'runtime', 'onnx')
  literal(m.task, 'task', 'classification')
  const inputs = arr(m.inputs, 'inputs').map((x, i) => {
    const p = `inputs[${i}]`
    const input = obj(x, p)
    str(input.name, `${p}.name`)
    dtype(input.dtype, `${p}.dtype`)
    const s = shape(input.shape, `${p}.shape`)
    const features = arr(input.features, `${p}.features`).map((f, j) => str(f, `${p}.features[${j}]`))
    if (s[s.length - 1] !== features.length) throw new ManifestError(`${p}.shape`, `must end with the feature count ${features.length}`)
    if (new Set(features).size !== features.length) throw new ManifestError(`${p}.features`, 'must not repeat a feature')
    return features
  })
  const labels = arr(m.labels, 'labels').map((l, i) => str(l, `labels[${i}]`))
  if (new Set(labels).size !== labels.length) throw new ManifestError('labels', 'must not repeat a label')
  arr(m.outputs, 'outputs').forEach((x, i) => {
    const p = `outputs[${i}]`
    const output = obj(x, p)
    str(output.name, `${p}.name`)
    dtype(output.dtype, `${p}.dtype`)
    const s = shape(output.shape, `${p}.shape`)
    if (i === 0 && s[s.length - 1] !== labels.length) throw new ManifestError(`${p}.shape`, `must end with the label count ${labels.length}`)
  })
  const norm = obj(m.normalization, 'normalization')
  const width = inputs[0]!.length
  finiteNumbers(norm.mean, 'normalization.mean', width)
  const std = finiteNumbers(norm.std, 'normalization.std', width)
  std.forEach((s, i) => {
    if (!(s > 0)) throw new ManifestError(`normalization.std[${i}]`, 'must be > 0')
  })
  if (norm.inModel !== undefined && typeof norm.inModel !== 'boolean') throw new ManifestError('normalization.inModel', 'must be a boolean')
  return m as ModelManifest
}

/** Checks that `value` is a well-formed `sahara/agent@1` manifest and returns it typed. */
export function validateAgentManifest(value: unknown): AgentManifest {
  const m = obj(value, 'manifest')
  literal(m.schema, 'schema', AGENT_MANIFEST_SCHEMA)
  str(m.name, 'name')
  const model = obj(m.model, 'model')
  if (typeof model.assetId !== 'string' || !/^[1-9][0-9]*$/.test(model.assetId)) throw new ManifestError('model.assetId', 'must be a decimal asset id string')
  str(m.instructions, 'instructions', true)
  obj(m.parameters, 'parameters')
  const price = obj(m.price, 'price')
  str(price.token, 'price.token')
  if (typeof price.unitPrice !== 'string' || !/^(0|[1-9][0-9]*)$/.test(price.unitPrice)) {
    throw new ManifestError('price.unitPrice', 'must be a decimal string of base units')
  }
  if (!Number.isSafeInteger(price.unitsPerCall) || (price.unitsPerCall as number) < 1) throw new ManifestError('price.unitsPerCall', 'must be a positive integer')
  return m as AgentManifest
}

/** Canonical bytes (sorted keys, 2-space indent, trailing newline) and CID of a manifest. */
export async function encodeManifest(manifest: ModelManifest | AgentManifest | Record<string, unknown>): Promise<{ bytes: Uint8Array; cid: string }> {
  const { bytes, cid } = await encodeMetadata(manifest as Parameters<typeof encodeMetadata>[0])
  return { bytes, cid }
}

/** Parses manifest bytes as JSON and validates them against their `schema` field. */
export function parseManifest(bytes: Uint8Array): ModelManifest | AgentManifest {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(bytes))
  } catch (err) {
    throw new ManifestError('manifest', `is not valid JSON (${(err as Error).message})`)
  }
  const schema = isObj(value) ? value.schema : undefined
  if (schema === MODEL_MANIFEST_SCHEMA) return validateModelManifest(value)
  if (schema === AGENT_MANIFEST_SCHEMA) return validateAgentManifest(value)
  throw new ManifestError('schema', `must be "${MODEL_MANIFEST_SCHEMA}" or "${AGENT_MANIFEST_SCHEMA}"`)
}
