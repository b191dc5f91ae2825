import { formatUnits } from 'viem'
import { InvalidArgumentError } from './errors'

/**
 * Parses a decimal amount ("12.5", "1000", "0.000001") into token units. Rejects anything that
 * is not a plain non-negative decimal or that has more fractional digits than the token
 * (rounding money silently would be wrong).
 */
export function parseAmount(value: string, decimals: number, symbol = 'the token'): bigint {
  const s = value.trim().replace(/_/g, '')
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s)
  if (!m || s === '' || s === '.' || (m[1] === '' && (m[2] ?? '') === '')) {
    throw new InvalidArgumentError(`"${value}" is not a valid amount; write a decimal number like 12.5.`)
  }
  const whole = m[1] || '0'
  const frac = m[2] ?? ''
  if (frac.length > decimals) {
    throw new InvalidArgumentError(`"${value}" has more than ${decimals} decimal places, the precision of ${symbol}.`)
  }
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0')
}

/** Formats token units as a decimal string with the symbol ("12.5 USDT"). */
export function formatAmount(value: bigint, decimals: number, symbol?: string): string {
  const s = formatUnits(value, decimals)
  return symbol ? `${s} ${symbol}` : s
}
