import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { computeCid } from '@sahara/sdk'
import { ARTIFACT_FILES, ARTIFACTS_DIR, encodeManifest, OnnxClassifier, PENGUIN_LABELS, penguinsDatasetCid, readArtifactMetrics, readArtifacts, writeArtifacts } from '../src/index'
import { ONNX_PARITY_TOLERANCE, trainPenguins, type TrainResult } from '../src/train'

/** Held-out accuracy the shipped model must reach (it gets 68/69 = 98.55%). */
const MIN_TEST_ACCURACY = 0.95
const here = path.dirname(fileURLToPath(import.meta.url))
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sahara-models-test-'))
after(() => rmSync(tmp, { recursive: true, force: true }))

let result: TrainResult
let trainWallMs: number
before(async () => {
  const started = performance.now()
  result = await trainPenguins()
  trainWallMs = performance.now() - started
})

describe('trainPenguins', () => {
  it(`reaches >= ${MIN_TEST_ACCURACY * 100}% accuracy on the held-out 20%, within seconds`, () => {
    const m = result.metrics
    assert.equal(m.trainSize, 273)
    assert.equal(m.testSize, 69)
    assert.ok(m.testAccuracy >= MIN_TEST_ACCURACY, `test accuracy ${m.testAccuracy}`)
    assert.ok(m.trainAccuracy >= MIN_TEST_ACCURACY, `train accuracy ${m.trainAccuracy}`)
    // The confusion matrix counts every test row once, and its diagonal is the accuracy.
    assert.equal(m.confusion.flat().reduce((a, b) => a + b, 0), 69)
    assert.equal(m.confusion.reduce((s, row, i) => s + row[i]!, 0) / 69, m.testAccuracy)
    assert.ok(trainWallMs < 60_000, `training took ${trainWallMs} ms`)
    console.log(`# trained in ${(m.trainMs / 1000).toFixed(2)} s (fit), ${(trainWallMs / 1000).toFixed(2)} s total; test accuracy ${m.testAccuracy}; onnx max |dp| ${m.onnxMaxAbsDiff}`)
  })

  it(`the ONNX export matches tfjs on the test set (max |p_onnx - p_tfjs| < ${ONNX_PARITY_TOLERANCE})`, async () => {
    const classifier = await OnnxClassifier.create(result.onnx, result.manifest)
    try {
      const probs = await classifier.probabilities(result.test.features)
      assert.equal(probs.length, result.tfjsProbabilities.length)
      let max = 0
      for (let i = 0; i < probs.length; i++) max = Math.max(max, Math.abs(probs[i]! - result.tfjsProbabilities[i]!))
      assert.ok(max < ONNX_PARITY_TOLERANCE, `max abs diff ${max}`)
      assert.equal(max, result.metrics.onnxMaxAbsDiff)
      assert.equal(result.metrics.onnxAgreement, 1)
      // Probabilities are a distribution per row.
      for (let i = 0; i < result.test.features.length; i++) {
        const row = probs.subarray(i * 3, i * 3 + 3)
        assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5)
      }
    } finally {
      await classifier.release()
    }
  })

  it('is deterministic: retraining reproduces the committed artifacts byte for byte', async () => {
    const committed = await readArtifacts()
    const hint = 'retraining changed the model: if intended, run `npm run train -w @sahara/models` and commit packages/models/artifacts'
    assert.equal((await computeCid(result.onnx)).cid, committed.onnxCid, hint)
    assert.deepEqual(result.onnx, committed.onnx, hint)
    assert.deepEqual((await encodeManifest(result.manifest)).bytes, committed.manifestBytes, hint)
    const { trainMs: _t, ...metrics } = result.metrics
    assert.deepEqual(JSON.parse(JSON.stringify(metrics)), readArtifactMetrics(), hint)
  })

  it('the manifest records the dataset CID, the split and the held-out accuracy', async () => {
    const t = result.manifest.training!
    assert.equal(t.dataset.cid, await penguinsDatasetCid())
    assert.equal(t.dataset.rows, 342)
    assert.deepEqual([t.trainSize, t.testSize, t.seed], [273, 69, 7])
    assert.equal(t.testAccuracy, Number(result.metrics.testAccuracy.toFixed(6)))
  })

  it('a different seed gives a different (still accurate) model', async () => {
    const other = await trainPenguins({ seed: 11, epochs: 40 })
    assert.notDeepEqual(other.onnx, result.onnx)
    assert.ok(other.metrics.testAccuracy >= 0.9, `seed 11 accuracy ${other.metrics.testAccuracy}`)
  })

  it('writeArtifacts writes files that readArtifacts reads back with the same CIDs', async () => {
    const dir = path.join(tmp, 'artifacts')
    const written = await writeArtifacts(dir, result)
    const read = await readArtifacts(dir)
    assert.equal(read.onnxCid, written.onnxCid)
    assert.equal(read.manifestCid, written.manifestCid)
    assert.deepEqual(readFileSync(path.join(dir, ARTIFACT_FILES.onnx)), Buffer.from(result.onnx))
  })
})

describe('committed model artifacts', () => {
  it('are small (nothing binary over 100 KB)', () => {
    for (const f of Object.values(ARTIFACT_FILES)) assert.ok(readFileSync(path.join(ARTIFACTS_DIR, f)).length < 100_000, f)
  })

  it('run in onnxruntime-node in a fresh process and classify the held-out split like tfjs', async () => {
    const child = execFile(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'predict.ts')], { cwd: path.join(here, '..') })
    child.stdin!.end(JSON.stringify(result.test.features))
    const out = await new Promise<string>((resolve, reject) => {
      let stdout = ''
      let stderr = ''
      child.stdout!.on('data', (d) => (stdout += d))
      child.stderr!.on('data', (d) => (stderr += d))
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`predict.ts exited ${code}: ${stderr}`))))
    })
    const { labels, probabilities } = JSON.parse(out) as { labels: string[]; probabilities: number[][] }
    assert.equal(labels.length, 69)
    const correct = labels.filter((l, i) => l === PENGUIN_LABELS[result.test.labels[i]!]).length
    assert.equal(correct / 69, result.metrics.testAccuracy)
    const max = Math.max(...probabilities.flat().map((p, i) => Math.abs(p - result.tfjsProbabilities[i]!)))
    assert.ok(max < ONNX_PARITY_TOLERANCE, `fresh-process max abs diff ${max}`)
  })
})
