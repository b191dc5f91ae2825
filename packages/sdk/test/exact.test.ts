import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PaymentRequirementError, parseExactRequirement } from '../src/index'

const PAY_TO = '0x1111111111111111111111111111111111111111'
const TOKEN = '0x2222222222222222222222222222222222222222'
const exact = { scheme: 'exact', network: 'base-sepolia', maxAmountRequired: '1000', resource: 'http://127.0.0.1:1/v1/invoke/6', payTo: PAY_TO, asset: TOKEN, maxTimeoutSeconds: 60, extra: { name: 'USD Coin', version: '2' } }

describe('parseExactRequirement', () => {
  it('reads the exact entry of a 402 body, next to other schemes', () => {
    const r = parseExactRequirement({ x402Version: 1, accepts: [{ scheme: 'other' }, exact] })!
    assert.deepEqual(r, { network: 'base-sepolia', amount: 1000n, payTo: PAY_TO, asset: TOKEN, maxTimeoutSeconds: 60, tokenName: 'USD Coin', tokenVersion: '2' })
    // a missing or nonsensical timeout falls back to x402's 60 s
    assert.equal(parseExactRequirement({ accepts: [{ ...exact, maxTimeoutSeconds: -5 }] })!.maxTimeoutSeconds, 60)
  })
  it('undefined for a body without one; a sentence for a malformed one', () => {
    assert.equal(parseExactRequirement({ accepts: [{ scheme: 'sahara-channel' }] }), undefined)
    assert.equal(parseExactRequirement('nope'), undefined)
    assert.equal(parseExactRequirement(null), undefined)
    for (const [bad, message] of [
      [{ payTo: 'me' }, /payTo must be an address/],
      [{ asset: 42 }, /asset must be an address/],
      [{ maxAmountRequired: '0' }, /maxAmountRequired must be a positive decimal string/],
      [{ maxAmountRequired: '1e6' }, /maxAmountRequired must be a positive decimal string/],
      [{ extra: { name: 'USD Coin' } }, /names no token EIP-712 domain/],
    ] as const) {
      assert.throws(() => parseExactRequirement({ accepts: [{ ...exact, ...bad }] }), (e: Error) => e instanceof PaymentRequirementError && message.test(e.message))
    }
  })
})
