import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeOnnx, InferenceInputError, mlpToOnnx, OnnxClassifier, ONNX_IR_VERSION, ONNX_OPSET, type DenseLayer, type ModelManifest } from '../src/index'

// A hand-made 2-3-2 network whose outputs are computed below in float64 JS.
const layers: DenseLayer[] = [
  { inputs: 2, units: 3, kernel: Float32Array.from([0.5, -1, 2, 1.5, 0.25, -0.75]), bias: Float32Array.from([0.1, 0.2, -0.3]), activation: 'relu' },
  { inputs: 3, units: 2, kernel: Float32Array.from([1, -1, 0.5, 2, -1.25, 0.75]), bias: Float32Array.from([0.05, -0.05]), activation: 'softmax' },
]
const normalization = { mean: [10, -2], std: [4, 0.5] }
const manifest: ModelManifest = {
  schema: 'sahara/model@1',
  name: 'tiny',
  description: '',
  runtime: 'onnx',
  task: 'classification',
  inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2], features: ['a', 'b'] }],
  outputs: [{ name: 'p', dtype: 'float32', shape: [1, 2] }],
  labels: ['no', 'yes'],
  normalization: { ...normalization, inModel: true },
}

function reference(row: number[]): number[] {
  let x = row.map((v, j) => (v - normalization.mean[j]!) / normalization.std[j]!)
  for (const l of layers) {
    const y = Array.from({ length: l.units }, (_, u) => l.bias[u]! + x.reduce((s, v, i) => s + v * l.kernel[i * l.units + u]!, 0))
    if (l.activation === 'relu') x = y.map((v) => Math.max(0, v))
    else {
      const e = y.map((v) => Math.exp(v - Math.max(...y)))
      x = e.map((v) => v / e.reduce((s, w) => s + w, 0))
    }
  }
  return x
}

describe('mlpToOnnx', () => {
  const onnx = mlpToOnnx({ layers, normalization, inputName: 'x', outputName: 'p', metadata: { labels: 'no,yes' } })

  it('writes IR 8 / opset 13 with Sub, Div, Gemm, Relu, Gemm, Softmax and a symbolic batch', () => {
    const model = decodeOnnx(onnx)
    assert.equal(Number(model.irVersion), ONNX_IR_VERSION)
    assert.equal(Number(model.opsetImport[0]!.version), ONNX_OPSET)
    const graph = model.graph!
    assert.deepEqual(
      graph.node!.map((n) => n.opType),
      ['Sub', 'Div', 'Gemm', 'Relu', 'Gemm', 'Softmax'],
    )
    assert.equal(graph.input![0]!.name, 'x')
    assert.equal(graph.output![0]!.name, 'p')
    assert.equal(graph.input![0]!.type!.tensorType!.shape!.dim![0]!.dimParam, 'batch')
    assert.deepEqual(model.metadataProps.map((p) => [p.key, p.value]), [['labels', 'no,yes']])
  })

  it('is byte-for-byte deterministic', () => {
    assert.deepEqual(mlpToOnnx({ layers, normalization, inputName: 'x', outputName: 'p', metadata: { labels: 'no,yes' } }), onnx)
  })

  it('runs in onnxruntime-node and matches a float64 reference within 1e-6', async () => {
    const classifier = await OnnxClassifier.create(onnx, manifest)
    try {
      const rows = [
        [11, -2],
        [14, -1.5],
        [3, -4],
        [25, 1],
      ]
      const preds = await classifier.predict(rows)
      rows.forEach((row, i) => {
        const ref = reference(row)
        preds[i]!.probabilities.forEach((p, k) => assert.ok(Math.abs(p - ref[k]!) < 1e-6, `row ${i} class ${k}: ${p} vs ${ref[k]}`))
        assert.equal(preds[i]!.label, ref[0]! > ref[1]! ? 'no' : 'yes')
      })
      await assert.rejects(classifier.predict([[1, 2, 3]]), InferenceInputError)
      await assert.rejects(classifier.predict([[1, Number.NaN]]), InferenceInputError)
      await assert.rejects(classifier.predict([]), InferenceInputError)
    } finally {
      await classifier.release()
    }
  })

  it('rejects inconsistent layer shapes and bad normalization', () => {
    assert.throws(() => mlpToOnnx({ layers: [] }), RangeError)
    assert.throws(() => mlpToOnnx({ layers: [layers[1]!] , normalization: { mean: [0, 0, 0], std: [1, 1, 0] } }), RangeError)
    assert.throws(() => mlpToOnnx({ layers: [layers[0]!, layers[0]!] }), RangeError)
    assert.throws(() => mlpToOnnx({ layers: [{ ...layers[0]!, bias: new Float32Array(2) }] }), RangeError)
  })
})
