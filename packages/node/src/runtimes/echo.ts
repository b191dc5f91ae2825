import { lastUserMessage, type Runtime } from './types.ts'

/** Trivial model for tests and benchmarks: answers with its input. */
export function echoRuntime(): Runtime {
  return {
    kind: 'echo',
    invoke: (input) => ({ output: input }),
    chat: (req) => ({ content: lastUserMessage(req) }),
  }
}
