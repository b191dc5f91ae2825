import type { Address } from 'viem'
import { ChannelCache, type ChannelEntry } from '../chain/channelCache.ts'
import { MalformedError, PaymentRequiredError } from '../errors.ts'
import { VoucherRecoverer, VoucherSignatureError, type ChannelsDomain } from './eip712.ts'
import { parseVoucherHeader } from './headers.ts'
import type { SignedVoucher, Ticket } from './types.ts'
import {
  checkChannelUsable,
  checkDeposit,
  checkTicket,
  checkVoucherCumulative,
  checkVoucherSigner,
  checkVoucherTerms,
  laneTotal,
  newLane,
  type LaneState,
} from './verify.ts'

/** Pricing of one served asset, as the payment layer needs it. */
export type AssetTerms = { assetId: bigint; token: Address; unitPrice: bigint; unitsPerCall: number }

export type Accepted = {
  lane: LaneState
  channel: ChannelEntry
  price: bigint
  total: bigint
  index: number
  prevUnits: number
  prevHead: Buffer
  voucher: SignedVoucher
  newVoucher: boolean
}

export type ProcessorOptions = {
  nodeId: bigint
  domain: ChannelsDomain
  now: () => bigint
  minVoucherLifetime: bigint
  closeSafetyMargin: bigint
}

/**
 * Stateful channel-payment verifier: lanes in a Map, channels in a cache. The ticket path is
 * synchronous (one regex, q sha256, a few bigint ops); vouchers take the async path (chain read +
 * signature recovery) about once per chain of ~1024 calls.
 */
export class PaymentProcessor {
  readonly lanes = new Map<string, LaneState>()
  private readonly freshVoucher = new Set<string>()
  private readonly recoverer: VoucherRecoverer

  constructor(
    private readonly channels: ChannelCache,
    private readonly o: ProcessorOptions,
  ) {
    this.recoverer = new VoucherRecoverer(o.domain)
  }

  /** Startup: installs persisted lanes and seeds the channel totals. */
  restore(lanes: LaneState[]): void {
    for (const l of lanes) {
      this.lanes.set(l.key, l)
      this.channels.seed(l.channelId, laneTotal(l), l.settled)
    }
  }

  /** Verifies and installs a voucher for the ticket's lane (async: chain read + ECDSA recovery). */
  async acceptVoucher(header: string, t: Ticket, terms: AssetTerms): Promise<void> {
    const v = parseVoucherHeader(header)
    const current = this.lanes.get(t.laneKey)
    // clients may resend the voucher in force with every call of a chain: nothing to do
    if (current && current.voucher.signature.toLowerCase() === v.signature.toLowerCase()) return
    const owedBefore = current ? laneTotal(current) : 0n
    checkVoucherCumulative(v, owedBefore)
    const ch = await this.channels.refresh(t.channelId).catch((e: unknown) => {
      throw new PaymentRequiredError('channel_unavailable', `Channel ${t.channelId} could not be read from the chain: ${(e as Error).message?.split('\n')[0] ?? e}`)
    })
    if (ch.info.payer === '0x0000000000000000000000000000000000000000') {
      throw new PaymentRequiredError('unknown_channel', `Channel ${t.channelId} does not exist.`)
    }
    checkVoucherTerms(v, t, ch.info, { nodeId: this.o.nodeId, token: terms.token, unitPrice: terms.unitPrice, now: this.o.now(), minVoucherLifetime: this.o.minVoucherLifetime, closeSafetyMargin: this.o.closeSafetyMargin })
    const signer = await this.recoverer.recover(v).catch((e: unknown) => {
      throw new MalformedError('malformed_voucher', e instanceof VoucherSignatureError ? e.message : 'The voucher signature cannot be recovered.')
    })
    checkVoucherSigner(signer, ch.info)
    // state may have moved while awaiting: the voucher must still carry exactly what is owed
    const now = this.lanes.get(t.laneKey)
    checkVoucherCumulative(v, now ? laneTotal(now) : 0n)
    if (now) {
      now.voucher = v
      now.units = 0
      now.head = Buffer.from(v.anchor.slice(2), 'hex')
    } else {
      this.lanes.set(t.laneKey, newLane(v, t.laneKey))
    }
    this.freshVoucher.add(t.laneKey)
  }

  /** Synchronous ticket acceptance; mutates lane + channel totals on success. */
  acceptTicket(t: Ticket, terms: AssetTerms, ch: ChannelEntry): Accepted {
    if (t.assetId !== terms.assetId) throw new MalformedError('ticket_asset_mismatch', `The ticket pays for asset ${t.assetId}, not ${terms.assetId}.`)
    const lane = this.lanes.get(t.laneKey)
    if (!lane) throw new PaymentRequiredError('voucher_required', `Lane ${t.laneKey} has no voucher yet: send X-Sahara-Voucher with the first ticket of a chain.`)
    checkChannelUsable(ch.info, this.o.now(), this.o.closeSafetyMargin, t.channelId)
    const out = checkTicket(lane, t, terms.unitsPerCall)
    checkDeposit(ch.owed - ch.lanesSettled, out.price, ch.info, t.channelId)
    const prevUnits = lane.units
    const prevHead = lane.head
    lane.units = out.units
    lane.head = out.head
    ch.owed += out.price
    const newVoucher = this.freshVoucher.delete(t.laneKey)
    return { lane, channel: ch, price: out.price, total: out.total, index: out.units, prevUnits, prevHead, voucher: lane.voucher, newVoucher }
  }

  /** Undoes an accepted ticket whose call failed, when nothing moved the lane since. */
  refund(a: Accepted): boolean {
    if (a.lane.units !== a.index || a.lane.voucher !== a.voucher) return false
    a.lane.units = a.prevUnits
    a.lane.head = a.prevHead
    a.channel.owed -= a.price
    if (a.newVoucher) this.freshVoucher.add(a.lane.key)
    return true
  }

  /** Channel entry for the hot path; fetched once per channel when not cached. */
  channel(id: bigint): ChannelEntry | Promise<ChannelEntry> {
    return this.channels.get(id) ?? this.channels.refresh(id)
  }
}
