// `npm run train -w @sahara/models [-- --out DIR --seed N --epochs N]`: trains the penguins
// classifier, checks the ONNX export against tfjs and writes the artifacts (default: artifacts/).
import { parseArgs } from 'node:util'
import { ARTIFACTS_DIR, writeArtifacts } from './artifacts'
import { penguinsDatasetCid } from './dataset'
import { trainPenguins } from './train'

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: ARTIFACTS_DIR },
    seed: { type: 'string' },
    epochs: { type: 'string' },
  },
})
const int = (s: string | undefined, name: string) => {
  if (s === undefined) return undefined
  if (!/^\d+$/.test(s)) throw new Error(`--${name} must be a non-negative integer, got ${s}`)
  return Number(s)
}

const started = performance.now()
const result = await trainPenguins({ seed: int(values.seed, 'seed'), epochs: int(values.epochs, 'epochs') })
const written = await writeArtifacts(values.out!, result)
const m = result.metrics
console.log(`dataset   ${await penguinsDatasetCid()} (${m.trainSize + m.testSize} rows kept, ${m.dropped} dropped)`)
console.log(`training  ${m.epochs} epochs in ${(m.trainMs / 1000).toFixed(2)} s (total ${((performance.now() - started) / 1000).toFixed(2)} s)`)
console.log(`accuracy  train ${(m.trainAccuracy * 100).toFixed(2)}%, test ${(m.testAccuracy * 100).toFixed(2)}% (${m.testSize} held out)`)
console.log(`onnx      max |p_onnx - p_tfjs| = ${m.onnxMaxAbsDiff?.toExponential(2)}, argmax agreement ${m.onnxAgreement}`)
console.log(`model     ${written.onnxCid} (${written.onnx.length} bytes)`)
console.log(`manifest  ${written.manifestCid} (${written.manifestBytes.length} bytes)`)
console.log(`written   ${values.out}`)
