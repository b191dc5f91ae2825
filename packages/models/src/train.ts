import { computeCid } from '@sahara/sdk'
import { featureStats, parsePenguins, penguinsDatasetBytes, PENGUIN_FEATURES, PENGUIN_LABELS, splitPenguins, type PenguinRow } from './dataset'
import { MODEL_MANIFEST_SCHEMA, validateModelManifest, type ModelManifest } from './manifest'
import { mlpToOnnx, type DenseLayer } from './onnx'
import { argmax, OnnxClassifier } from './runtime'
import { tfjsWasm } from './tfjs'

export type TrainOptions = {
  /** Seeds the split, the weight init and nothing else (fit does not shuffle). Default 7. */
  seed?: number
  epochs?: number
  hiddenUnits?: number
  learningRate?: number
  batchSize?: number
  testFraction?: number
  /** Run the exported ONNX in onnxruntime-node on the test set and compare with tfjs (default true). */
  verifyOnnx?: boolean
  /** Dataset bytes (default: vega-datasets' penguins.json as shipped). */
  dataset?: Uint8Array
}

export type TrainMetrics = {
  trainAccuracy: number
  testAccuracy: number
  trainSize: number
  testSize: number
  /** Records dropped for a missing feature or species. */
  dropped: number
  epochs: number
  finalLoss: number
  /** Wall time of model.fit only. */
  trainMs: number
  /** confusion[actual][predicted] on the test set. */
  confusion: number[][]
  /** Max |p_onnx - p_tfjs| over the test set's class probabilities (when verified). */
  onnxMaxAbsDiff?: number
  /** Test rows where ONNX and tfjs pick the same class (when verified). */
  onnxAgreement?: number
}

export type TrainResult = {
  onnx: Uint8Array
  manifest: ModelManifest
  metrics: TrainMetrics
  /** Raw feature rows and labels of the held-out split (for parity checks). */
  test: { features: number[][]; labels: number[] }
  /** tfjs class probabilities for `test.features`, flat [rows, labels]. */
  tfjsProbabilities: Float32Array
}

export const DEFAULT_TRAIN_OPTIONS = {
  seed: 7,
  epochs: 60,
  hiddenUnits: 16,
  learningRate: 0.02,
  batchSize: 32,
  testFraction: 0.2,
} as const

/** Largest |p_onnx - p_tfjs| accepted by `verifyOnnx`. */
export const ONNX_PARITY_TOLERANCE = 1e-4

/** The ONNX export does not reproduce the tfjs model. */
export class OnnxParityError extends Error {
  override name = 'OnnxParityError'
}

/**
 * Trains a 4-16-3 MLP (ReLU, softmax) on the Palmer penguins (4 measurements -> species) with tfjs
 * on the WASM backend, deterministically: a seeded stratified 80/20 split, seeded Glorot init, no
 * shuffling, one thread. Exports it to ONNX (the graph standardizes raw inputs itself) and, by
 * default, checks the ONNX model against tfjs in onnxruntime-node on the held-out split.
 */
export async function trainPenguins(options: TrainOptions = {}): Promise<TrainResult> {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...stripUndefined(options) }
  const tf = await tfjsWasm()
  const datasetBytes = options.dataset ?? penguinsDatasetBytes()
  const data = parsePenguins(datasetBytes)
  const { train, test } = splitPenguins(data.rows, o.seed, o.testFraction)
  const { mean, std } = featureStats(train)
  const k = PENGUIN_LABELS.length
  const nIn = PENGUIN_FEATURES.length

  const standardize = (rows: PenguinRow[]) => rows.map((r) => r.features.map((v, j) => (v - mean[j]!) / std[j]!))
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [nIn], units: o.hiddenUnits, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed }) }),
      tf.layers.dense({ units: k, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + 1 }) }),
    ],
  })
  try {
    model.compile({ optimizer: tf.train.adam(o.learningRate), loss: 'categoricalCrossentropy' })
    const xTrain = tf.tensor2d(standardize(train), [train.length, nIn], 'float32')
    const yTrain = tf.oneHot(tf.tensor1d(train.map((r) => r.label), 'int32'), k)
    const started = performance.now()
    const history = await model.fit(xTrain, yTrain, { epochs: o.epochs, batchSize: o.batchSize, shuffle: false, verbose: 0 })
    const trainMs = performance.now() - started
    tf.dispose([xTrain, yTrain])

    const predict = (rows: PenguinRow[]): Float32Array =>
      tf.tidy(() => (model.predict(tf.tensor2d(standardize(rows), [rows.length, nIn], 'float32')) as ReturnType<typeof tf.tensor2d>).dataSync() as Float32Array)
    const trainProbs = predict(train)
    const testProbs = predict(test)
    const accuracy = (rows: PenguinRow[], probs: Float32Array) => rows.filter((r, i) => argmax(probs.subarray(i * k, (i + 1) * k)) === r.label).length / rows.length
    const confusion = PENGUIN_LABELS.map(() => PENGUIN_LABELS.map(() => 0))
    test.forEach((r, i) => confusion[r.label]![argmax(testProbs.subarray(i * k, (i + 1) * k))]!++)

    const layers: DenseLayer[] = model.layers.map((layer, i) => {
      const [kernel, bias] = layer.getWeights()
      return {
        kernel: kernel!.dataSync() as Float32Array,
        bias: bias!.dataSync() as Float32Array,
        inputs: kernel!.shape[0]!,
        units: kernel!.shape[1]!,
        activation: i === model.layers.length - 1 ? 'softmax' : 'relu',
      }
    })
    const f32 = (xs: number[]) => Array.from(Float32Array.from(xs))
    // The graph and the manifest carry the float32 values the graph actually computes with.
    const normalization = { mean: f32(mean), std: f32(std) }
    const onnx = mlpToOnnx({
      layers,
      normalization,
      inputName: 'features',
      outputName: 'probabilities',
      docString: 'Palmer penguins species classifier (4-16-3 MLP) trained with tfjs by @sahara/models.',
      metadata: { labels: PENGUIN_LABELS.join(','), features: PENGUIN_FEATURES.join(',') },
    })

    const metrics: TrainMetrics = {
      trainAccuracy: accuracy(train, trainProbs),
      testAccuracy: accuracy(test, testProbs),
      trainSize: train.length,
      testSize: test.length,
      dropped: data.dropped,
      epochs: o.epochs,
      finalLoss: history.history.loss!.at(-1) as number,
      trainMs,
      confusion,
    }
    const manifest = validateModelManifest({
      schema: MODEL_MANIFEST_SCHEMA,
      name: 'Sahara penguins classifier',
      description: 'Predicts the species of a Palmer penguin (Adelie, Chinstrap, Gentoo) from four body measurements.',
      runtime: 'onnx',
      task: 'classification',
      inputs: [{ name: 'features', dtype: 'float32', shape: [1, nIn], features: [...PENGUIN_FEATURES] }],
      outputs: [{ name: 'probabilities', dtype: 'float32', shape: [1, k] }],
      labels: [...PENGUIN_LABELS],
      normalization: { ...normalization, inModel: true },
      training: {
        dataset: { cid: (await computeCid(datasetBytes)).cid, name: 'Palmer penguins (vega-datasets penguins.json)', rows: data.rows.length },
        seed: o.seed,
        epochs: o.epochs,
        trainSize: train.length,
        testSize: test.length,
        testAccuracy: round(metrics.testAccuracy, 6),
      },
    } satisfies ModelManifest)

    const testFeatures = test.map((r) => [...r.features])
    if (options.verifyOnnx ?? true) {
      const parity = await onnxParity(onnx, manifest, testFeatures, testProbs)
      metrics.onnxMaxAbsDiff = parity.maxAbsDiff
      metrics.onnxAgreement = parity.agreement
      if (!(parity.maxAbsDiff < ONNX_PARITY_TOLERANCE) || parity.agreement !== 1) {
        throw new OnnxParityError(`The ONNX export differs from tfjs: max |dp| = ${parity.maxAbsDiff}, argmax agreement ${parity.agreement}.`)
      }
    }
    return { onnx, manifest, metrics, test: { features: testFeatures, labels: test.map((r) => r.label) }, tfjsProbabilities: testProbs }
  } finally {
    model.dispose()
  }
}

/** Runs `onnx` on `rows` in onnxruntime-node and compares with `expected` probabilities. */
export async function onnxParity(
  onnx: Uint8Array,
  manifest: ModelManifest,
  rows: number[][],
  expected: Float32Array,
): Promise<{ maxAbsDiff: number; agreement: number; probabilities: Float32Array }> {
  const classifier = await OnnxClassifier.create(onnx, manifest)
  try {
    const probs = await classifier.probabilities(rows)
    if (probs.length !== expected.length) throw new OnnxParityError(`ONNX gave ${probs.length} probabilities, expected ${expected.length}.`)
    const k = manifest.labels.length
    let maxAbsDiff = 0
    for (let i = 0; i < probs.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(probs[i]! - expected[i]!))
    let same = 0
    for (let i = 0; i < rows.length; i++) if (argmax(probs.subarray(i * k, (i + 1) * k)) === argmax(expected.subarray(i * k, (i + 1) * k))) same++
    return { maxAbsDiff, agreement: same / rows.length, probabilities: probs }
  } finally {
    await classifier.release()
  }
}

const round = (x: number, digits: number) => Number(x.toFixed(digits))

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
