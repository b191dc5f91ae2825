import { createRequire } from 'node:module'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { PENGUIN_FEATURES } from './dataset'
import { AGENT_MANIFEST_SCHEMA, validateAgentManifest, type AgentManifest } from './manifest'

const require = createRequire(import.meta.url)

/** Version of the vega-datasets package the dataset bytes come from (pinned in package.json). */
export function vegaDatasetsVersion(): string {
  const main = require.resolve('vega-datasets')
  return (JSON.parse(readFileSync(path.resolve(path.dirname(main), '..', 'package.json'), 'utf8')) as { version: string }).version
}

/** Metadata JSON of the penguins dataset asset (its content is penguins.json as shipped). */
export function penguinsDatasetMetadata(): { name: string; description: string; [key: string]: unknown } {
  return {
    name: 'Palmer penguins',
    description:
      'Body measurements of 344 penguins (Adelie, Chinstrap, Gentoo) from three islands of the Palmer Archipelago, Antarctica, collected by Dr. Kristen Gorman and the Palmer Station LTER.',
    format: 'application/json',
    records: 344,
    columns: ['Species', 'Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex'],
    license: 'CC0-1.0',
    source: `npm vega-datasets@${vegaDatasetsVersion()} data/penguins.json`,
  }
}

export type PenguinsAgentOptions = {
  /** On-chain id of the model asset the agent runs. */
  modelId: bigint | number | string
  /** Price per call in the token's base units (USDT: 6 decimals). */
  unitPrice: bigint
  token?: string
}

/** The `sahara/agent@1` manifest of the demo agent that answers with the penguins model. */
export function penguinsAgentManifest(o: PenguinsAgentOptions): AgentManifest {
  return validateAgentManifest({
    schema: AGENT_MANIFEST_SCHEMA,
    name: 'Penguin species identifier',
    model: { assetId: String(o.modelId) },
    instructions: `Send the four measurements of a penguin (${PENGUIN_FEATURES.join(', ')}) and get its most likely species with the class probabilities.`,
    parameters: { input: 'features', features: [...PENGUIN_FEATURES], returnProbabilities: true },
    price: { token: o.token ?? 'USDT', unitPrice: o.unitPrice.toString(), unitsPerCall: 1 },
  } satisfies AgentManifest)
}

/** Metadata JSON of the demo agent asset (its content is the agent manifest). */
export function penguinsAgentMetadata(): { name: string; description: string } {
  return {
    name: 'Penguin species identifier',
    description: 'Pay-per-use agent: classifies a Palmer penguin from four body measurements with the Sahara penguins model (ONNX).',
  }
}
