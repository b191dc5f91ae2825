import { createRequire } from 'node:module'
import path from 'node:path'
import type * as TF from '@tensorflow/tfjs'

const require = createRequire(import.meta.url)
let ready: Promise<typeof TF> | undefined

/**
 * tfjs on the WASM backend (about 4x faster than the pure-JS CPU backend here), loading the .wasm
 * binaries from the installed package's dist/ folder (no network). One XNNPACK thread, so float
 * reductions run in a fixed order and training is bit-for-bit reproducible. Loaded on first use so
 * importing @sahara/models stays cheap for code that only reads artifacts.
 */
export function tfjsWasm(): Promise<typeof TF> {
  ready ??= (async () => {
    const tf = await import('@tensorflow/tfjs')
    const { setThreadsCount, setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm')
    const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep
    setWasmPaths(dist)
    setThreadsCount(1)
    // The emscripten glue adds process handlers that rethrow every uncaught error and rejection
    // (printing its whole minified source); keep the process's own error handling instead.
    const before = { uncaughtException: process.listeners('uncaughtException'), unhandledRejection: process.listeners('unhandledRejection') }
    try {
      if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not initialize the wasm backend')
      await tf.ready()
    } finally {
      for (const l of process.listeners('uncaughtException')) if (!before.uncaughtException.includes(l)) process.removeListener('uncaughtException', l)
      for (const l of process.listeners('unhandledRejection')) if (!before.unhandledRejection.includes(l)) process.removeListener('unhandledRejection', l)
    }
    return tf
  })()
  return ready
}
