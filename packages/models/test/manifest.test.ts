import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AGENT_MANIFEST_SCHEMA,
  encodeManifest,
  ManifestError,
  parseManifest,
  readArtifacts,
  validateAgentManifest,
  validateModelManifest,
  type AgentManifest,
  type ModelManifest,
} from '../src/index'

const clone = <T>(v: T): T => structuredClone(v)
const { manifest: committed } = await readArtifacts()

/** Applies `mutate` to a copy of the committed manifest and expects a ManifestError at `path`. */
function rejects(mutate: (m: Record<string, any>) => void, path: string) {
  const m = clone(committed) as Record<string, any>
  mutate(m)
  assert.throws(
    () => validateModelManifest(m),
    (e: unknown) => {
      assert.ok(e instanceof ManifestError, String(e))
      assert.equal(e.path, path)
      return true
    },
  )
}

const agent: AgentManifest = {
  schema: AGENT_MANIFEST_SCHEMA,
  name: 'Penguin identifier',
  model: { assetId: '2' },
  instructions: 'Classify the penguin.',
  parameters: { topK: 1 },
  price: { token: 'USDT', unitPrice: '1000', unitsPerCall: 1 },
}

describe('model manifest', () => {
  it('the committed manifest follows sahara/model@1 and describes the penguins model', () => {
    const m: ModelManifest = validateModelManifest(clone(committed))
    assert.equal(m.schema, 'sahara/model@1')
    assert.equal(m.runtime, 'onnx')
    assert.equal(m.task, 'classification')
    assert.deepEqual(m.inputs, [{ name: 'features', dtype: 'float32', shape: [1, 4], features: ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'] }])
    assert.deepEqual(m.outputs, [{ name: 'probabilities', dtype: 'float32', shape: [1, 3] }])
    assert.deepEqual(m.labels, ['Adelie', 'Chinstrap', 'Gentoo'])
    assert.equal(m.normalization.inModel, true)
    assert.equal(m.normalization.mean.length, 4)
    assert.ok(m.normalization.std.every((s) => s > 0))
  })

  it('rejects each malformed field with its path', () => {
    rejects((m) => (m.schema = 'sahara/model@2'), 'schema')
    rejects((m) => delete m.name, 'name')
    rejects((m) => (m.name = '  '), 'name')
    rejects((m) => (m.runtime = 'pytorch'), 'runtime')
    rejects((m) => (m.task = 'regression'), 'task')
    rejects((m) => (m.inputs = []), 'inputs')
    rejects((m) => (m.inputs[0].dtype = 'float64'), 'inputs[0].dtype')
    rejects((m) => (m.inputs[0].shape = [1, 5]), 'inputs[0].shape')
    rejects((m) => (m.inputs[0].shape = [0, 4]), 'inputs[0].shape[0]')
    rejects((m) => (m.inputs[0].features[1] = m.inputs[0].features[0]), 'inputs[0].features')
    rejects((m) => (m.inputs[0].features[2] = 7), 'inputs[0].features[2]')
    rejects((m) => (m.outputs[0].shape = [1, 2]), 'outputs[0].shape')
    rejects((m) => delete m.outputs[0].name, 'outputs[0].name')
    rejects((m) => (m.labels = ['Adelie', 'Adelie', 'Gentoo']), 'labels')
    rejects((m) => delete m.normalization, 'normalization')
    rejects((m) => m.normalization.mean.pop(), 'normalization.mean')
    rejects((m) => (m.normalization.std[3] = 0), 'normalization.std[3]')
    rejects((m) => (m.normalization.mean[0] = 'NaN'), 'normalization.mean[0]')
    rejects((m) => (m.normalization.inModel = 'yes'), 'normalization.inModel')
    assert.throws(() => validateModelManifest(null), ManifestError)
    assert.throws(() => validateModelManifest([committed]), ManifestError)
  })

  it('accepts unknown extra fields (forward compatible)', () => {
    validateModelManifest({ ...clone(committed), license: 'CC0' })
  })

  it('encodes canonically: key order does not change the bytes or the CID', async () => {
    const reordered = Object.fromEntries(Object.entries(clone(committed)).reverse())
    const a = await encodeManifest(committed)
    const b = await encodeManifest(reordered)
    assert.deepEqual(a, b)
    assert.ok(new TextDecoder().decode(a.bytes).endsWith('}\n'))
  })
})

describe('agent manifest', () => {
  it('accepts a well-formed sahara/agent@1 manifest', () => {
    assert.deepEqual(validateAgentManifest(clone(agent)), agent)
  })

  it('rejects malformed fields with their path', () => {
    const bad: [(m: Record<string, any>) => void, string][] = [
      [(m) => (m.schema = 'sahara/model@1'), 'schema'],
      [(m) => (m.model.assetId = 2), 'model.assetId'],
      [(m) => (m.model.assetId = '0'), 'model.assetId'],
      [(m) => delete m.parameters, 'parameters'],
      [(m) => (m.price.unitPrice = '1e3'), 'price.unitPrice'],
      [(m) => (m.price.unitPrice = 1000), 'price.unitPrice'],
      [(m) => (m.price.unitsPerCall = 0), 'price.unitsPerCall'],
      [(m) => (m.price.token = ''), 'price.token'],
    ]
    for (const [mutate, path] of bad) {
      const m = clone(agent) as Record<string, any>
      mutate(m)
      assert.throws(() => validateAgentManifest(m), (e: unknown) => e instanceof ManifestError && e.path === path, path)
    }
  })

  it('parseManifest dispatches on schema and rejects others', async () => {
    assert.equal(parseManifest((await encodeManifest(agent)).bytes).schema, 'sahara/agent@1')
    assert.equal(parseManifest((await encodeManifest(committed)).bytes).schema, 'sahara/model@1')
    assert.throws(() => parseManifest(new TextEncoder().encode('{"schema":"x"}')), (e: unknown) => e instanceof ManifestError && e.path === 'schema')
    assert.throws(() => parseManifest(new TextEncoder().encode('{')), ManifestError)
  })
})

describe('demo asset documents', () => {
  it('penguinsAgentManifest is a valid agent manifest pointing at the model with the price', async () => {
    const { penguinsAgentManifest, penguinsAgentMetadata, penguinsDatasetMetadata } = await import('../src/index')
    const m = penguinsAgentManifest({ modelId: 5n, unitPrice: 1_000n })
    assert.deepEqual(validateAgentManifest(m), m)
    assert.deepEqual(m.model, { assetId: '5' })
    assert.deepEqual(m.price, { token: 'USDT', unitPrice: '1000', unitsPerCall: 1 })
    assert.throws(() => penguinsAgentManifest({ modelId: 0, unitPrice: 1n }), ManifestError)
    assert.throws(() => penguinsAgentManifest({ modelId: 1, unitPrice: -1n }), ManifestError)
    assert.match(penguinsDatasetMetadata().source as string, /^npm vega-datasets@3\.2\.1 data\/penguins\.json$/)
    assert.ok(penguinsAgentMetadata().name.length > 0)
  })
})
