import type { Runtime } from './types.ts'

/** Agent manifest (spec "Artifacts", schema sahara/agent@1). */
export type AgentManifest = {
  schema: 'sahara/agent@1'
  name: string
  model: { assetId: string }
  instructions?: string
  parameters?: Record<string, unknown>
  price?: { token: string; unitPrice: string; unitsPerCall: number }
}

export function parseAgentManifest(bytes: Uint8Array): AgentManifest {
  let m: AgentManifest
  try {
    m = JSON.parse(Buffer.from(bytes).toString('utf8')) as AgentManifest
  } catch {
    throw new Error('The agent manifest is not JSON.')
  }
  if (m.schema !== 'sahara/agent@1' || !m.model || typeof m.model.assetId !== 'string') throw new Error('The agent manifest is not a sahara/agent@1 manifest.')
  return m
}

/**
 * An agent = model + instructions + parameters. For a classifier model the instructions do not
 * apply (the last user message carries the features); for chat models the node prepends them.
 */
export function agentRuntime(manifest: AgentManifest, model: Runtime): Runtime {
  return {
    kind: 'agent',
    invoke: (input) => model.invoke(input),
    chat: (req) =>
      model.chat(
        manifest.instructions && model.kind !== 'onnx'
          ? { ...manifest.parameters, ...req, messages: [{ role: 'system', content: manifest.instructions }, ...req.messages] }
          : req,
      ),
  }
}
