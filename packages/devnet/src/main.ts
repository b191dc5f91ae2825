// The devnet alone (chain + contracts + optional seed), without an execution node:
// `node --import tsx packages/devnet/src/main.ts [--seed] [--fresh] [--port N] [--data-dir DIR]`.
// `npm start` runs packages/network, which adds the node.
import { launchDevnet } from './launch.ts'

await launchDevnet()
