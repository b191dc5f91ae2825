import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { computeCid } from '@sahara/sdk'
import {
  DatasetError,
  featureStats,
  parsePenguins,
  penguinsDatasetBytes,
  penguinsDatasetCid,
  penguinsDatasetPath,
  PENGUIN_LABELS,
  seededRandom,
  splitPenguins,
} from '../src/index'

const utf8 = (s: string) => new TextEncoder().encode(s)

describe('penguins dataset', () => {
  it('is vega-datasets data/penguins.json, and its CID is that of the file bytes as shipped', async () => {
    assert.match(penguinsDatasetPath(), /vega-datasets[/\\]data[/\\]penguins\.json$/)
    const bytes = penguinsDatasetBytes()
    assert.deepEqual(bytes, new Uint8Array(readFileSync(penguinsDatasetPath())))
    const cid = await penguinsDatasetCid()
    assert.equal(cid, (await computeCid(penguinsDatasetPath())).cid)
    assert.match(cid, /^bafkrei/) // 67 KB: one raw chunk
  })

  it('keeps the 342 complete records of 344 and maps species to label indices', () => {
    const { rows, total, dropped } = parsePenguins()
    assert.equal(total, 344)
    assert.equal(dropped, 2)
    assert.equal(rows.length, 342)
    const counts = PENGUIN_LABELS.map((_, l) => rows.filter((r) => r.label === l).length)
    assert.deepEqual(counts, [151, 68, 123])
    // The first record: Adelie, 39.1 mm bill, 18.7 mm deep, 181 mm flipper, 3750 g.
    assert.deepEqual(rows[0], { index: 0, features: [39.1, 18.7, 181, 3750], label: 0 })
  })

  it('drops records with a missing feature or an unknown species, and rejects non-arrays', () => {
    const data = parsePenguins(
      utf8(
        JSON.stringify([
          { Species: 'Gentoo', 'Beak Length (mm)': 1, 'Beak Depth (mm)': 2, 'Flipper Length (mm)': 3, 'Body Mass (g)': 4 },
          { Species: 'Gentoo', 'Beak Length (mm)': null, 'Beak Depth (mm)': 2, 'Flipper Length (mm)': 3, 'Body Mass (g)': 4 },
          { Species: 'Emperor', 'Beak Length (mm)': 1, 'Beak Depth (mm)': 2, 'Flipper Length (mm)': 3, 'Body Mass (g)': 4 },
          { Species: 'Adelie', 'Beak Length (mm)': '1', 'Beak Depth (mm)': 2, 'Flipper Length (mm)': 3, 'Body Mass (g)': 4 },
        ]),
      ),
    )
    assert.deepEqual(data, { rows: [{ index: 0, features: [1, 2, 3, 4], label: 2 }], total: 4, dropped: 3 })
    assert.throws(() => parsePenguins(utf8('{"a":1}')), DatasetError)
    assert.throws(() => parsePenguins(utf8('not json')), DatasetError)
    assert.throws(() => parsePenguins(utf8('[]')), DatasetError)
  })

  it('splits deterministically, stratified by species, without overlap', () => {
    const { rows } = parsePenguins()
    const a = splitPenguins(rows, 7, 0.2)
    const b = splitPenguins(rows, 7, 0.2)
    assert.deepEqual(a, b)
    assert.equal(a.train.length + a.test.length, rows.length)
    const testIds = new Set(a.test.map((r) => r.index))
    assert.equal(testIds.size, a.test.length)
    assert.ok(a.train.every((r) => !testIds.has(r.index)))
    // round(0.2 * n) of each species: 30 Adelie, 14 Chinstrap, 25 Gentoo.
    assert.deepEqual(
      PENGUIN_LABELS.map((_, l) => a.test.filter((r) => r.label === l).length),
      [30, 14, 25],
    )
    const c = splitPenguins(rows, 8, 0.2)
    assert.notDeepEqual(
      c.test.map((r) => r.index),
      a.test.map((r) => r.index),
    )
    assert.throws(() => splitPenguins(rows, 7, 0), RangeError)
    assert.throws(() => splitPenguins(rows, 7, 1), RangeError)
  })

  it('featureStats gives per-feature mean and population std', () => {
    const rows = [
      { index: 0, features: [1, 10, 0, 5] as [number, number, number, number], label: 0 },
      { index: 1, features: [3, 10, 4, 5] as [number, number, number, number], label: 1 },
    ]
    assert.deepEqual(featureStats(rows), { mean: [2, 10, 2, 5], std: [1, 0, 2, 0] })
  })

  it('seededRandom is reproducible and in [0, 1)', () => {
    const r1 = seededRandom(42)
    const r2 = seededRandom(42)
    const xs = Array.from({ length: 1000 }, () => r1())
    assert.deepEqual(xs, Array.from({ length: 1000 }, () => r2()))
    assert.ok(xs.every((x) => x >= 0 && x < 1))
    assert.ok(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5) < 0.05)
  })
})
