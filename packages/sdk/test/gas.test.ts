import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { estimateGasNextSecond, gasWithHeadroom, type RpcRequest } from '../src/gas'

const tx = { from: '0x0000000000000000000000000000000000000001', to: '0x0000000000000000000000000000000000000002', data: '0x' } as const

/** An RPC that records what it was asked and answers from `answer`. */
function rpc(answer: (method: string, params: unknown[]) => unknown) {
  const calls: { method: string; params: unknown[] }[] = []
  const request: RpcRequest = async ({ method, params }) => {
    calls.push({ method, params: params as unknown[] })
    return answer(method, params as unknown[])
  }
  return { request, calls }
}

describe('gas limits', () => {
  it('gasWithHeadroom: +25% + 60k, capped at 30M unless the estimate is above it', () => {
    assert.equal(gasWithHeadroom(100_000n), 185_000n)
    assert.equal(gasWithHeadroom(29_000_000n), 30_000_000n)
    assert.equal(gasWithHeadroom(40_000_000n), 40_000_000n)
  })

  it('estimateGasNextSecond asks eth_estimateGas with the latest block time + 1 s as a block override', async () => {
    const { request, calls } = rpc((method) => (method === 'eth_getBlockByNumber' ? { timestamp: '0x64' } : '0x5208'))
    assert.equal(await estimateGasNextSecond(request, tx), 21_000n)
    assert.deepEqual(calls, [
      { method: 'eth_getBlockByNumber', params: ['latest', false] },
      { method: 'eth_estimateGas', params: [tx, 'latest', {}, { time: '0x65' }] },
    ])
  })

  it('estimateGasNextSecond is undefined where the RPC refuses block overrides or the call reverts, so callers fall back', async () => {
    const refusing = rpc((method) => {
      if (method === 'eth_getBlockByNumber') return { timestamp: '0x64' }
      throw new Error('invalid params: expected at most 3 arguments')
    })
    assert.equal(await estimateGasNextSecond(refusing.request, tx), undefined)
    const noBlock = rpc(() => null)
    assert.equal(await estimateGasNextSecond(noBlock.request, tx), undefined)
    assert.equal(noBlock.calls.length, 1)
  })
})
