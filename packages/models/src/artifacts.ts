import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { computeCid } from '@sahara/sdk'
import { encodeManifest, validateModelManifest, type ModelManifest } from './manifest'
import type { TrainMetrics, TrainResult } from './train'

/** The committed output of `npm run train -w @sahara/models` (small: about 1.3 KB of ONNX). */
export const ARTIFACTS_DIR: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts')

export const ARTIFACT_FILES = {
  onnx: 'penguins.onnx',
  manifest: 'penguins.manifest.json',
  metrics: 'penguins.metrics.json',
} as const

export type ModelArtifacts = {
  onnx: Uint8Array
  onnxCid: string
  manifest: ModelManifest
  /** Canonical manifest bytes (sorted keys): the model version's metadata content. */
  manifestBytes: Uint8Array
  manifestCid: string
}

/** Stable metrics written next to the model (no timings, so retraining rewrites identical files). */
export type ArtifactMetrics = Omit<TrainMetrics, 'trainMs'>

/** Writes the ONNX model, its manifest and its metrics to `dir` (each atomically). */
export async function writeArtifacts(dir: string, result: Pick<TrainResult, 'onnx' | 'manifest' | 'metrics'>): Promise<ModelArtifacts> {
  mkdirSync(dir, { recursive: true })
  const { bytes: manifestBytes, cid: manifestCid } = await encodeManifest(result.manifest)
  const { trainMs: _ignored, ...metrics } = result.metrics
  const write = (name: string, bytes: Uint8Array | string) => {
    const tmp = path.join(dir, `.${name}.tmp-${process.pid}`)
    writeFileSync(tmp, bytes)
    renameSync(tmp, path.join(dir, name))
  }
  write(ARTIFACT_FILES.onnx, result.onnx)
  write(ARTIFACT_FILES.manifest, manifestBytes)
  write(ARTIFACT_FILES.metrics, `${JSON.stringify(metrics satisfies ArtifactMetrics, null, 2)}\n`)
  return { onnx: result.onnx, onnxCid: (await computeCid(result.onnx)).cid, manifest: result.manifest, manifestBytes, manifestCid }
}

/** Reads (and validates) the model artifacts in `dir` (default: the committed ones). */
export async function readArtifacts(dir: string = ARTIFACTS_DIR): Promise<ModelArtifacts> {
  const onnx = new Uint8Array(readFileSync(path.join(dir, ARTIFACT_FILES.onnx)))
  const manifestBytes = new Uint8Array(readFileSync(path.join(dir, ARTIFACT_FILES.manifest)))
  const manifest = validateModelManifest(JSON.parse(new TextDecoder().decode(manifestBytes)))
  return {
    onnx,
    onnxCid: (await computeCid(onnx)).cid,
    manifest,
    manifestBytes,
    manifestCid: (await computeCid(manifestBytes)).cid,
  }
}

/** Reads the metrics file written next to the artifacts. */
export function readArtifactMetrics(dir: string = ARTIFACTS_DIR): ArtifactMetrics {
  return JSON.parse(readFileSync(path.join(dir, ARTIFACT_FILES.metrics), 'utf8')) as ArtifactMetrics
}
