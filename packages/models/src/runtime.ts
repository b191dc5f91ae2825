import type * as Ort from 'onnxruntime-node'
import type { ModelManifest } from './manifest'

/** The input given to a classifier is not a batch of finite feature rows of the right width. */
export class InferenceInputError extends Error {
  override name = 'InferenceInputError'
}

export type Prediction = { label: string; probabilities: number[] }

/**
 * An ONNX classifier described by a `sahara/model@1` manifest, run with onnxruntime-node (CPU).
 * Feed raw feature rows when `manifest.normalization.inModel` is true (the Sahara models are).
 */
export class OnnxClassifier {
  readonly manifest: ModelManifest
  private readonly ort: typeof Ort
  private readonly session: Ort.InferenceSession
  private readonly inputName: string
  private readonly outputName: string
  private readonly width: number

  private constructor(ort: typeof Ort, session: Ort.InferenceSession, manifest: ModelManifest) {
    this.ort = ort
    this.session = session
    this.manifest = manifest
    this.inputName = manifest.inputs[0]!.name
    this.outputName = manifest.outputs[0]!.name
    this.width = manifest.inputs[0]!.features.length
  }

  static async create(onnx: Uint8Array, manifest: ModelManifest, options: { intraOpNumThreads?: number } = {}): Promise<OnnxClassifier> {
    // Loaded on first use: the native binding is only needed where models actually run.
    const ort = await import('onnxruntime-node')
    const session = await ort.InferenceSession.create(onnx, {
      executionProviders: ['cpu'],
      intraOpNumThreads: options.intraOpNumThreads ?? 1,
      graphOptimizationLevel: 'all',
    })
    return new OnnxClassifier(ort, session, manifest)
  }

  /** Class probabilities for each row, as one flat row-major Float32Array [rows, labels]. */
  async probabilities(rows: readonly (readonly number[])[]): Promise<Float32Array> {
    if (rows.length === 0) throw new InferenceInputError('Give at least one feature row.')
    const data = new Float32Array(rows.length * this.width)
    rows.forEach((row, i) => {
      if (row.length !== this.width) {
        throw new InferenceInputError(`Row ${i} has ${row.length} values; this model takes ${this.width} (${this.manifest.inputs[0]!.features.join(', ')}).`)
      }
      row.forEach((v, j) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new InferenceInputError(`Row ${i}, feature ${this.manifest.inputs[0]!.features[j]} is not a finite number.`)
        data[i * this.width + j] = v
      })
    })
    const feeds = { [this.inputName]: new this.ort.Tensor('float32', data, [rows.length, this.width]) }
    const out = await this.session.run(feeds)
    const t = out[this.outputName]
    if (!t) throw new Error(`The model produced no output named ${this.outputName}.`)
    return t.data as Float32Array
  }

  /** Most likely label and the class probabilities of each row. */
  async predict(rows: readonly (readonly number[])[]): Promise<Prediction[]> {
    const probs = await this.probabilities(rows)
    const k = this.manifest.labels.length
    return rows.map((_, i) => {
      const p = Array.from(probs.subarray(i * k, (i + 1) * k))
      return { label: this.manifest.labels[argmax(p)]!, probabilities: p }
    })
  }

  async release(): Promise<void> {
    await this.session.release()
  }
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i
  return best
}
