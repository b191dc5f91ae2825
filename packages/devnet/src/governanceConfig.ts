// config/governance.json: the governor/timelock/guardian parameters and where the genesis
// buckets go. Validated here with one-sentence errors naming the JSON path.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { getAddress, isAddress, zeroAddress, type Address } from 'viem'
import { repoRoot } from './paths.ts'

/** A genesis recipient: a fixed address, or a role resolved at deployment. */
/**
 * Modules that take a genesis bucket through their own funding function (so the module counts it),
 * and that function's name: the deployer approves the module and calls it.
 */
export const FUNDED_MODULES = { GrantPool: 'fund', NodeStaking: 'fundEmissions' } as const
export type FundedModule = keyof typeof FUNDED_MODULES

export type RecipientRef = Address | 'deployer' | 'timelock' | FundedModule

export type GovernanceConfig = {
  governor: {
    /** Seconds between propose and the snapshot. */
    votingDelay: number
    /** Seconds voting stays open. */
    votingPeriod: number
    /** Votes (wei) needed to propose. */
    proposalThreshold: bigint
    /** Quorum, percent of the votes source's total supply (1-100). */
    quorumPercent: number
    /** Minimum seconds of voting left after a late quorum. */
    lateQuorumExtension: number
  }
  timelock: { minDelay: number }
  guardian: { address: Address; /** unix seconds */ expiry: number }
  genesis: {
    launchpadRecipient: RecipientRef
    /** Seam: the grant pool contract once it exists; the timelock until then. */
    grantsRecipient: RecipientRef
    /** Seam: the staking rewards distributor once it exists; the timelock until then. */
    stakingRewardsRecipient: RecipientRef
    treasuryRecipient: RecipientRef
    airdrop: { /** CSV (address,amount), resolved against the config's directory. */ list: string; claimWindowDays: number; vestingDays: number }
    /** Schedules per VestingVault.createSchedules transaction. */
    vestingBatchSize: number
  }
}

/** config/governance.json is invalid; `path` is the JSON path of the offending value. */
export class GovernanceConfigError extends Error {
  override readonly name = 'GovernanceConfigError'
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message)
  }
}

export const DEFAULT_GOVERNANCE_CONFIG = path.join(repoRoot, 'config', 'governance.json')

type Json = Record<string, unknown>
const fail = (p: string, m: string): never => {
  throw new GovernanceConfigError(p, m)
}

function obj(v: unknown, p: string, keys: readonly string[]): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(p, `${p || 'the config'} must be a JSON object.`)
  for (const k of Object.keys(v as Json)) {
    if (!keys.includes(k)) fail(p ? `${p}.${k}` : k, `${p || 'the config'} has an unknown field "${k}" (allowed: ${keys.filter((x) => x !== '$comment').join(', ')}).`)
  }
  return v as Json
}

function int(v: unknown, p: string, min: number, max: number, unit = 'seconds'): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(p, `${p} must be a whole number of ${unit} from ${min} to ${max}, got ${JSON.stringify(v)}.`)
  return v as number
}

function address(v: unknown, p: string): Address {
  if (typeof v !== 'string' || !isAddress(v)) return fail(p, `${p} ${JSON.stringify(v)} is not a valid address (0x and 40 hex digits, correct checksum if mixed case).`)
  const a = getAddress(v)
  if (a === zeroAddress) fail(p, `${p} is the zero address.`)
  return a
}

function recipient(v: unknown, p: string): RecipientRef {
  if (v === 'deployer' || v === 'timelock') return v
  if (typeof v === 'string' && Object.hasOwn(FUNDED_MODULES, v)) return v as FundedModule
  if (typeof v !== 'string' || !v.startsWith('0x')) {
    return fail(p, `${p} must be "deployer", "timelock", ${Object.keys(FUNDED_MODULES).map((m) => `"${m}"`).join(', ')} or an address, got ${JSON.stringify(v)}.`)
  }
  return address(v, p)
}

/** ISO-8601 date or unix seconds -> unix seconds. */
function timestamp(v: unknown, p: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v
  if (typeof v === 'string') {
    const ms = Date.parse(v)
    if (/^\d{4}-\d{2}-\d{2}/.test(v) && Number.isFinite(ms) && ms % 1000 === 0) return ms / 1000
  }
  return fail(p, `${p} must be unix seconds or an ISO date like "2030-01-01T00:00:00Z", got ${JSON.stringify(v)}.`)
}

const DAY = 24 * 3600
const YEAR = 365 * DAY

/** Validates parsed governance JSON. Throws GovernanceConfigError with one sentence for the first problem. */
export function parseGovernanceConfig(json: unknown): GovernanceConfig {
  const root = obj(json, '', ['$comment', 'governor', 'timelock', 'guardian', 'genesis'])
  for (const k of ['governor', 'timelock', 'guardian', 'genesis']) if (root[k] === undefined) fail(k, `${k} is missing.`)
  const g = obj(root.governor, 'governor', ['votingDelay', 'votingPeriod', 'proposalThreshold', 'quorumPercent', 'lateQuorumExtension'])
  const votingDelay = int(g.votingDelay, 'governor.votingDelay', 0, YEAR)
  const votingPeriod = int(g.votingPeriod, 'governor.votingPeriod', 1, YEAR)
  if (typeof g.proposalThreshold !== 'string' || !/^\d+$/.test(g.proposalThreshold)) {
    fail('governor.proposalThreshold', `governor.proposalThreshold must be votes in wei as a decimal string like "0", got ${JSON.stringify(g.proposalThreshold)}.`)
  }
  const quorumPercent = int(g.quorumPercent, 'governor.quorumPercent', 1, 100, 'percent')
  const lateQuorumExtension = int(g.lateQuorumExtension, 'governor.lateQuorumExtension', 0, YEAR)
  if (lateQuorumExtension > votingPeriod) {
    fail('governor.lateQuorumExtension', `governor.lateQuorumExtension (${lateQuorumExtension}) is longer than governor.votingPeriod (${votingPeriod}).`)
  }
  const t = obj(root.timelock, 'timelock', ['minDelay'])
  const minDelay = int(t.minDelay, 'timelock.minDelay', 1, 30 * DAY)
  const gu = obj(root.guardian, 'guardian', ['address', 'expiry'])
  const guardian = { address: address(gu.address, 'guardian.address'), expiry: timestamp(gu.expiry, 'guardian.expiry') }
  const ge = obj(root.genesis, 'genesis', ['launchpadRecipient', 'grantsRecipient', 'stakingRewardsRecipient', 'treasuryRecipient', 'airdrop', 'vestingBatchSize'])
  const a = obj(ge.airdrop, 'genesis.airdrop', ['list', 'claimWindowDays', 'vestingDays'])
  if (typeof a.list !== 'string' || a.list.trim() === '') fail('genesis.airdrop.list', 'genesis.airdrop.list must name a CSV file (address,amount).')
  return {
    governor: { votingDelay, votingPeriod, proposalThreshold: BigInt(g.proposalThreshold as string), quorumPercent, lateQuorumExtension },
    timelock: { minDelay },
    guardian,
    genesis: {
      launchpadRecipient: recipient(ge.launchpadRecipient, 'genesis.launchpadRecipient'),
      grantsRecipient: recipient(ge.grantsRecipient, 'genesis.grantsRecipient'),
      stakingRewardsRecipient: recipient(ge.stakingRewardsRecipient, 'genesis.stakingRewardsRecipient'),
      treasuryRecipient: recipient(ge.treasuryRecipient, 'genesis.treasuryRecipient'),
      airdrop: {
        list: (a.list as string).trim(),
        claimWindowDays: int(a.claimWindowDays, 'genesis.airdrop.claimWindowDays', 1, 3650, 'days'),
        vestingDays: int(a.vestingDays, 'genesis.airdrop.vestingDays', 0, 3650, 'days'),
      },
      vestingBatchSize: int(ge.vestingBatchSize, 'genesis.vestingBatchSize', 1, 500, 'schedules'),
    },
  }
}

/** Reads and validates a governance config file (default config/governance.json). */
export function loadGovernanceConfig(file = DEFAULT_GOVERNANCE_CONFIG): { config: GovernanceConfig; file: string } {
  if (!existsSync(file)) throw new GovernanceConfigError('', `The governance config ${file} does not exist.`)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new GovernanceConfigError('', `The governance config ${file} is not valid JSON (${(err as Error).message}).`)
  }
  try {
    return { config: parseGovernanceConfig(json), file }
  } catch (err) {
    if (err instanceof GovernanceConfigError) throw new GovernanceConfigError(err.path, `${path.basename(file)}: ${err.message}`)
    throw err
  }
}
