import { fileURLToPath } from 'node:url'
import path from 'node:path'

/** Repository root, found from this file's location so callers may run from any cwd. */
export const repoRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** The Foundry project directory. */
export const contractsDir: string = path.join(repoRoot, 'contracts')

/** Where forge writes its artifacts ($SAHARA_FORGE_OUT overrides, e.g. for a prebuilt set). */
export const forgeOutDir: string = process.env.SAHARA_FORGE_OUT ?? path.join(contractsDir, 'out')

/** Default devnet data directory (anvil state + deployments), ignored by git. */
export const defaultDataDir: string = path.join(repoRoot, '.sahara', 'devnet')

/**
 * The content store directory that goes with a devnet data directory: `content` beside it, so the
 * default `.sahara/devnet` pairs with `.sahara/content`.
 */
export function contentDirFor(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), 'content')
}
