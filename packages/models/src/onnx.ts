import onnxProto from 'onnx-proto'

const { onnx } = onnxProto

/** ONNX IR version written (IR 8 = ONNX 1.10; onnxruntime 1.30 reads IR <= 11). */
export const ONNX_IR_VERSION = 8
/** Default-domain opset the graph is written against. */
export const ONNX_OPSET = 13

export type DenseLayer = {
  /** Row-major [inputs, units] (tfjs Dense kernel layout). */
  kernel: Float32Array
  bias: Float32Array
  inputs: number
  units: number
  activation: 'relu' | 'softmax' | 'linear'
}

export type MlpOnnxOptions = {
  layers: DenseLayer[]
  /** Applied in the graph as (x - mean) / std before the first layer, so the model takes raw features. */
  normalization?: { mean: number[]; std: number[] }
  inputName?: string
  outputName?: string
  /** Free-form key/values stored in ModelProto.metadata_props (e.g. labels). */
  metadata?: Record<string, string>
  docString?: string
  producerVersion?: string
}

/**
 * Serializes a dense MLP as an ONNX ModelProto: [Sub, Div] -> (Gemm, Relu)* -> Gemm -> Softmax.
 * Input `[batch, inputs]` float32 with a symbolic batch dimension; output `[batch, classes]`.
 * Weights are stored as little-endian raw_data, so the same weights always give the same bytes
 * (and the same CID).
 */
export function mlpToOnnx(options: MlpOnnxOptions): Uint8Array {
  const { layers } = options
  if (layers.length === 0) throw new RangeError('An MLP needs at least one layer.')
  const inputName = options.inputName ?? 'features'
  const outputName = options.outputName ?? 'probabilities'
  const nIn = layers[0]!.inputs
  const nOut = layers[layers.length - 1]!.units

  const initializers: InstanceType<typeof onnx.TensorProto>[] = []
  const nodes: InstanceType<typeof onnx.NodeProto>[] = []
  const node = (opType: string, inputs: string[], output: string, attribute: InstanceType<typeof onnx.AttributeProto>[] = []) => {
    nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: [output], name: `${opType.toLowerCase()}_${nodes.length}`, attribute }))
    return output
  }

  let x = inputName
  if (options.normalization) {
    const { mean, std } = options.normalization
    if (mean.length !== nIn || std.length !== nIn) throw new RangeError(`normalization needs ${nIn} means and stds`)
    if (std.some((s) => !(s > 0))) throw new RangeError('every std must be > 0')
    initializers.push(floatTensor('norm_mean', [nIn], Float32Array.from(mean)), floatTensor('norm_std', [nIn], Float32Array.from(std)))
    x = node('Div', [node('Sub', [x, 'norm_mean'], 'centered'), 'norm_std'], 'normalized')
  }

  let width = nIn
  layers.forEach((layer, i) => {
    if (layer.inputs !== width) throw new RangeError(`layer ${i} takes ${layer.inputs} inputs, the previous layer gives ${width}`)
    if (layer.kernel.length !== layer.inputs * layer.units || layer.bias.length !== layer.units) {
      throw new RangeError(`layer ${i}: kernel must be ${layer.inputs}x${layer.units} and bias ${layer.units}`)
    }
    initializers.push(floatTensor(`dense${i}_kernel`, [layer.inputs, layer.units], layer.kernel), floatTensor(`dense${i}_bias`, [layer.units], layer.bias))
    const last = i === layers.length - 1
    const gemmOut = layer.activation === 'linear' && last ? outputName : `dense${i}`
    x = node('Gemm', [x, `dense${i}_kernel`, `dense${i}_bias`], gemmOut)
    if (layer.activation === 'relu') x = node('Relu', [x], last ? outputName : `dense${i}_relu`)
    if (layer.activation === 'softmax') {
      x = node('Softmax', [x], last ? outputName : `dense${i}_softmax`, [onnx.AttributeProto.create({ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 })])
    }
    width = layer.units
  })

  const graph = onnx.GraphProto.create({
    name: 'mlp',
    node: nodes,
    initializer: initializers,
    input: [valueInfo(inputName, nIn)],
    output: [valueInfo(outputName, nOut)],
  })
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: ONNX_OPSET })],
    producerName: 'sahara-models',
    producerVersion: options.producerVersion ?? '0.1.0',
    docString: options.docString ?? '',
    graph,
    metadataProps: Object.entries(options.metadata ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => onnx.StringStringEntryProto.create({ key, value })),
  })
  // protobufjs hands back a Buffer under node; return a plain Uint8Array like every other API here.
  return Uint8Array.from(onnx.ModelProto.encode(model).finish())
}

/** Decodes ONNX bytes (for inspection in tests and tools). */
export function decodeOnnx(bytes: Uint8Array): InstanceType<typeof onnx.ModelProto> {
  return onnx.ModelProto.decode(bytes)
}

function floatTensor(name: string, dims: number[], values: Float32Array) {
  const raw = new Uint8Array(values.length * 4)
  const view = new DataView(raw.buffer)
  values.forEach((v, i) => view.setFloat32(i * 4, v, true))
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw })
}

function valueInfo(name: string, width: number) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: onnx.TensorShapeProto.create({
          dim: [onnx.TensorShapeProto.Dimension.create({ dimParam: 'batch' }), onnx.TensorShapeProto.Dimension.create({ dimValue: width })],
        }),
      }),
    }),
  })
}
