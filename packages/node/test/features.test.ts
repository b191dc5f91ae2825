import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseFeatures } from '../src/runtimes/onnx.ts'
import { ConfigError } from '../src/errors.ts'
import { TOKEN, tempDir, testConfig } from './helpers.ts'

const NAMES = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'] as const
const ADELIE = [39.1, 18.7, 181, 3750]

describe('classifier inputs', () => {
  it('reads k=v pairs separated by commas, semicolons, newlines or spaces, JSON arrays and objects', () => {
    for (const input of [
      'bill_length_mm=39.1, bill_depth_mm=18.7, flipper_length_mm=181, body_mass_g=3750',
      'bill_length_mm=39.1 bill_depth_mm=18.7 flipper_length_mm=181 body_mass_g=3750',
      'body_mass_g: 3750; flipper_length_mm: 181\nbill_depth_mm=18.7 bill_length_mm=39.1',
      '[39.1, 18.7, 181, 3750]',
      ADELIE,
      { bill_length_mm: 39.1, bill_depth_mm: 18.7, flipper_length_mm: 181, body_mass_g: 3750 },
    ]) {
      assert.deepEqual(parseFeatures(input, NAMES), ADELIE, JSON.stringify(input))
    }
  })
  it('rejects text that is not k=v pairs, with the offending part in the message', () => {
    assert.throws(() => parseFeatures('bill_length_mm=39.1 and then some', NAMES), /Cannot read "and then some"/)
    assert.throws(() => parseFeatures('tell me about penguins', NAMES), /use k=v pairs or a JSON array of 4 numbers/)
  })
})

describe('node config: onnxThreads', () => {
  it('defaults to one intra-op thread and refuses values outside 1..256 with a sentence', () => {
    const tmp = tempDir()
    const base = { runtime: 'onnx', name: 'm', assetId: '21', unitPrice: '5', token: TOKEN, version: 1 }
    assert.equal(testConfig(tmp.dir, { assets: [base] }).assets[0]!.onnxThreads, undefined)
    assert.equal(testConfig(tmp.dir, { assets: [{ ...base, onnxThreads: 4 }] }).assets[0]!.onnxThreads, 4)
    for (const bad of [0, 1.5, 257, -1]) {
      assert.throws(() => testConfig(tmp.dir, { assets: [{ ...base, onnxThreads: bad }] }), (e: Error) => e instanceof ConfigError && /onnxThreads must be/.test(e.message))
    }
    tmp.cleanup()
  })
})

describe('node config: x402Network', () => {
  it('advertises the x402 v1 name of a chain v1 knows, sahara-<chainId> otherwise, and an explicit name as given', () => {
    const tmp = tempDir()
    assert.equal(testConfig(tmp.dir, { chainId: 84532 }).x402Network, 'base-sepolia')
    assert.equal(testConfig(tmp.dir, { chainId: 8453 }).x402Network, 'base')
    assert.equal(testConfig(tmp.dir, { chainId: 31337 }).x402Network, 'sahara-31337')
    assert.equal(testConfig(tmp.dir, { chainId: 84532, x402Network: 'my-net' }).x402Network, 'my-net')
    tmp.cleanup()
  })
})
