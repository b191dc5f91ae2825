import { RELATIONS, relationId, type ParentInputLike } from '@sahara/sdk'
import { getAddress, isAddress, type Address } from 'viem'
import { UsageError } from './errors'

export function parseId(value: string, what: string): bigint {
  if (!/^\d+$/.test(value.trim()) || BigInt(value.trim()) === 0n) throw new UsageError(`${what} must be a positive whole number, got "${value}".`)
  return BigInt(value.trim())
}

export function parseCount(value: string, what: string): bigint {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${what} must be a whole number, got "${value}".`)
  return BigInt(value.trim())
}

export function parseBps(value: string, what: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 10_000) throw new UsageError(`${what} must be a whole number of basis points between 0 and 10000, got "${value}".`)
  return Number(value)
}

export function parseAddress(value: string, what: string): Address {
  if (!isAddress(value, { strict: false })) throw new UsageError(`${what} must be an address (0x followed by 40 hex digits), got "${value}".`)
  return getAddress(value)
}

/** "30d", "12h", "90m", "45s" or plain seconds; "0" = perpetual. */
export function parseDuration(value: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(value.trim())
  if (!m) throw new UsageError(`"${value}" is not a duration; use seconds or a number with s, m, h or d (e.g. 30d).`)
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd']
  return Number(m[1]) * mult
}

/** "<id>:<RELATION>[:<licenseId>]", e.g. "1:TRAINED_ON:3". */
export function parseParent(value: string): ParentInputLike {
  const parts = value.split(':')
  if (parts.length < 2 || parts.length > 3) {
    throw new UsageError(`--parent "${value}" must look like <assetId>:<RELATION>[:<licenseId>], e.g. 1:TRAINED_ON:3.`)
  }
  const [id, rel, lic] = parts as [string, string, string | undefined]
  let relation: number
  try {
    relation = relationId(rel)
  } catch {
    throw new UsageError(`Unknown relation "${rel}" in --parent; use one of ${RELATIONS.join(', ')}.`)
  }
  return { parentId: parseId(id, 'The parent asset id'), relation, licenseId: lic === undefined ? 0n : parseId(lic, 'The license id') }
}

export function parseIdList(value: string, what: string): bigint[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => parseId(s, what))
}
