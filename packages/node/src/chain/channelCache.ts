import type { ChannelInfo } from '../payments/types.ts'
import type { ChainAdapter } from './adapter.ts'

/**
 * Channel state as last read from the chain plus what the node tracks itself: `owed` (sum of its
 * lane totals) and `lanesSettled` (sum of laneSettled over those lanes). owed - lanesSettled is the
 * channel-wide unsettled amount checked against deposit - settled on every call.
 */
export type ChannelEntry = {
  id: bigint
  info: ChannelInfo
  fetchedAt: number
  owed: bigint
  lanesSettled: bigint
}

export class ChannelCache {
  private readonly entries = new Map<bigint, ChannelEntry>()
  private readonly inflight = new Map<bigint, Promise<ChannelEntry>>()
  constructor(
    private readonly chain: ChainAdapter,
    private readonly maxAgeMs: number,
  ) {}

  /** Cached entry for the hot path (undefined when never fetched). */
  peek(id: bigint): ChannelEntry | undefined {
    return this.entries.get(id)
  }

  /** Registers the node's own totals (startup rebuild) without fetching. */
  seed(id: bigint, owed: bigint, lanesSettled: bigint): void {
    const e = this.entries.get(id)
    if (e) {
      e.owed += owed
      e.lanesSettled += lanesSettled
    } else {
      this.pendingSeeds.set(id, { owed: (this.pendingSeeds.get(id)?.owed ?? 0n) + owed, lanesSettled: (this.pendingSeeds.get(id)?.lanesSettled ?? 0n) + lanesSettled })
    }
  }
  private readonly pendingSeeds = new Map<bigint, { owed: bigint; lanesSettled: bigint }>()

  /** Reads the channel from the chain (deduplicated), keeping the node's own totals. */
  refresh(id: bigint): Promise<ChannelEntry> {
    const running = this.inflight.get(id)
    if (running) return running
    const p = this.chain
      .getChannel(id)
      .then((info) => {
        let e = this.entries.get(id)
        if (e) {
          e.info = info
          e.fetchedAt = Date.now()
        } else {
          const s = this.pendingSeeds.get(id)
          this.pendingSeeds.delete(id)
          e = { id, info, fetchedAt: Date.now(), owed: s?.owed ?? 0n, lanesSettled: s?.lanesSettled ?? 0n }
          this.entries.set(id, e)
        }
        return e
      })
      .finally(() => this.inflight.delete(id))
    this.inflight.set(id, p)
    return p
  }

  /** Entry no older than maxAgeMs (hot path returns the cached one and refreshes in background). */
  get(id: bigint): ChannelEntry | undefined {
    const e = this.entries.get(id)
    if (e && Date.now() - e.fetchedAt > this.maxAgeMs) void this.refresh(id).catch(() => undefined)
    return e
  }

  all(): IterableIterator<ChannelEntry> {
    return this.entries.values()
  }
}
