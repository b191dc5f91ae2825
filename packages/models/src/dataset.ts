import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { computeCid } from '@sahara/sdk'
import { seededRandom, shuffled } from './random'

const require = createRequire(import.meta.url)

/** Model input features, in input-tensor order. */
export const PENGUIN_FEATURES = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'] as const
/** Output classes, in output-tensor order. */
export const PENGUIN_LABELS = ['Adelie', 'Chinstrap', 'Gentoo'] as const

export type PenguinFeature = (typeof PENGUIN_FEATURES)[number]
export type PenguinLabel = (typeof PENGUIN_LABELS)[number]

/** Column of vega-datasets' penguins.json holding each feature (it names bills "beaks"). */
const SOURCE_COLUMNS: Record<PenguinFeature, string> = {
  bill_length_mm: 'Beak Length (mm)',
  bill_depth_mm: 'Beak Depth (mm)',
  flipper_length_mm: 'Flipper Length (mm)',
  body_mass_g: 'Body Mass (g)',
}

export type PenguinRow = {
  /** Index of the record in the source file (stable id for splits). */
  index: number
  features: [number, number, number, number]
  label: number
}

export type PenguinsData = {
  rows: PenguinRow[]
  /** Records in the file. */
  total: number
  /** Records dropped because a feature or the species is missing. */
  dropped: number
}

/** Thrown when the dataset file is missing or not in the expected shape. */
export class DatasetError extends Error {
  override name = 'DatasetError'
}

/**
 * Absolute path of the Palmer penguins file shipped by the `vega-datasets` npm package
 * (`data/penguins.json`, 344 records). These exact bytes are the dataset asset's content.
 */
export function penguinsDatasetPath(): string {
  // The package exports only build/index.js (not package.json): data/ sits next to build/.
  return path.resolve(path.dirname(require.resolve('vega-datasets')), '..', 'data', 'penguins.json')
}

/** The dataset file's bytes, as shipped. */
export function penguinsDatasetBytes(): Uint8Array {
  return new Uint8Array(readFileSync(penguinsDatasetPath()))
}

/** CID (`ipfs add --cid-version 1`) of the dataset file as shipped: the dataset asset's content. */
export async function penguinsDatasetCid(): Promise<string> {
  return (await computeCid(penguinsDatasetBytes())).cid
}

/** Parses the penguins JSON, keeping records that have all four features and a known species. */
export function parsePenguins(bytes: Uint8Array = penguinsDatasetBytes()): PenguinsData {
  let records: unknown
  try {
    records = JSON.parse(new TextDecoder().decode(bytes))
  } catch (err) {
    throw new DatasetError(`The penguins file is not valid JSON: ${(err as Error).message}`)
  }
  if (!Array.isArray(records)) throw new DatasetError('The penguins file must hold a JSON array of records.')
  const rows: PenguinRow[] = []
  records.forEach((record: Record<string, unknown>, index) => {
    const label = PENGUIN_LABELS.indexOf(record?.Species as PenguinLabel)
    const values = PENGUIN_FEATURES.map((f) => record?.[SOURCE_COLUMNS[f]])
    if (label < 0 || !values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return
    rows.push({ index, features: values as PenguinRow['features'], label })
  })
  if (rows.length === 0) throw new DatasetError('The penguins file has no complete records.')
  return { rows, total: records.length, dropped: records.length - rows.length }
}

/**
 * Stratified split: each species is shuffled with the seeded PRNG and its first
 * round(testFraction * n) rows go to the test set. Same seed, same split, on every machine.
 */
export function splitPenguins(rows: readonly PenguinRow[], seed: number, testFraction: number): { train: PenguinRow[]; test: PenguinRow[] } {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`)
  const random = seededRandom(seed)
  const train: PenguinRow[] = []
  const test: PenguinRow[] = []
  for (let label = 0; label < PENGUIN_LABELS.length; label++) {
    const group = shuffled(
      rows.filter((r) => r.label === label),
      random,
    )
    const nTest = Math.round(group.length * testFraction)
    test.push(...group.slice(0, nTest))
    train.push(...group.slice(nTest))
  }
  // Interleave species in the training order so mini-batches are mixed (fit does not shuffle).
  return { train: shuffled(train, random), test: test.sort((a, b) => a.index - b.index) }
}

/** Per-feature mean and (population) standard deviation of `rows`. */
export function featureStats(rows: readonly PenguinRow[]): { mean: number[]; std: number[] } {
  const n = rows.length
  const mean = PENGUIN_FEATURES.map((_, j) => rows.reduce((s, r) => s + r.features[j]!, 0) / n)
  const std = PENGUIN_FEATURES.map((_, j) => Math.sqrt(rows.reduce((s, r) => s + (r.features[j]! - mean[j]!) ** 2, 0) / n))
  return { mean, std }
}
