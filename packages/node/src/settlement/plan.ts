import type { Address, Hex } from 'viem'
import type { SettleEntry } from '../chain/adapter.ts'
import type { LaneState } from '../payments/verify.ts'
import { laneTotal } from '../payments/verify.ts'
import type { ChannelInfo } from '../payments/types.ts'

export type PlannedEntry = SettleEntry & { laneKey: string; amount: bigint }
export type TokenBatch = { token: Address; entries: PlannedEntry[] }

/**
 * Best settle entry for a lane (pure). The voucher in force with m = 0 (no hashing on-chain), plus
 * the revealed units of the current chain (m = k, preimage = s_k) when `tail` is forced (channel
 * closing, voucher expiring, shutdown) or when the tail is at most `shortTailUnits` long: a short
 * tail costs ~250 gas per unit on-chain, cheaper than leaving a quiet lane's calls unsettled until
 * its next voucher. Long tails wait for the client's next voucher, which covers them (m = 0).
 * Undefined when it would settle nothing new.
 */
export function bestEntry(lane: LaneState, tail: boolean, shortTailUnits = 0): PlannedEntry | undefined {
  const useTail = lane.units > 0 && (tail || lane.units <= shortTailUnits)
  const amount = useTail ? laneTotal(lane) : lane.voucher.cumulative
  if (amount <= lane.settled) return undefined
  return {
    laneKey: lane.key,
    voucher: lane.voucher,
    units: useTail ? BigInt(lane.units) : 0n,
    preimage: useTail ? (('0x' + lane.head.toString('hex')) as Hex) : (('0x' + '00'.repeat(32)) as Hex),
    amount,
  }
}

/** Whether a lane's tail must be settled now: its channel closes or its voucher expires soon. */
export function needsTail(lane: LaneState, ch: ChannelInfo | undefined, now: bigint, windowSec: bigint, shuttingDown: boolean): boolean {
  if (shuttingDown) return true
  if (lane.voucher.expiresAt <= now + windowSec) return true
  return !!ch && ch.status !== 0 && ch.closesAt <= now + windowSec
}

/** Groups the lanes' best entries by the token of their channel (one settle call per token). */
export function planBatches(
  lanes: Iterable<LaneState>,
  channelOf: (id: bigint) => ChannelInfo | undefined,
  now: bigint,
  windowSec: bigint,
  shuttingDown: boolean,
  maxEntries: number,
  shortTailUnits = 0,
): TokenBatch[] {
  const byToken = new Map<string, TokenBatch>()
  for (const lane of lanes) {
    const ch = channelOf(lane.channelId)
    if (!ch) continue
    // a channel past closesAt would be skipped on-chain: do not spend gas on it
    if (ch.status !== 0 && ch.closesAt <= now) continue
    if (lane.voucher.expiresAt < now) continue
    const e = bestEntry(lane, needsTail(lane, ch, now, windowSec, shuttingDown), shortTailUnits)
    if (!e) continue
    const k = ch.token.toLowerCase()
    let b = byToken.get(k)
    if (!b) byToken.set(k, (b = { token: ch.token, entries: [] }))
    if (b.entries.length < maxEntries) b.entries.push(e)
  }
  return [...byToken.values()]
}
