import type { Address, Hex } from 'viem'
import { ConflictError, InvalidProofError, MalformedError, PaymentRequiredError } from '../errors.ts'
import { sha256 } from './merkle.ts'
import { ChannelStatus, MAX_UNITS, type ChannelInfo, type SignedVoucher, type Ticket } from './types.ts'

/** In-memory state of one lane: the voucher in force and how far its hash chain has been revealed. */
export type LaneState = {
  readonly key: string
  readonly channelId: bigint
  readonly assetId: bigint
  readonly lane: bigint
  /** Latest accepted voucher (anchors the current chain). */
  voucher: SignedVoucher
  /** Units revealed on the current chain (k). */
  units: number
  /** s_k: the last revealed preimage (the anchor when k = 0). */
  head: Buffer
  /** laneSettled on-chain as last known by the node. */
  settled: bigint
}

/** Amount the lane owes: cumulative + k * unitPrice. */
export function laneTotal(l: Pick<LaneState, 'voucher' | 'units'>): bigint {
  return l.voucher.cumulative + BigInt(l.units) * l.voucher.unitPrice
}

/** sha256^q(x) == target, q >= 1 (q is bounded by MAX_UNITS through the ticket grammar + checks). */
export function hashChainReaches(x: Buffer, q: number, target: Buffer): boolean {
  let h = x
  for (let i = 0; i < q; i++) h = sha256(h)
  return h.equals(target)
}

export type TicketOutcome = { units: number; head: Buffer; price: bigint; total: bigint }

/**
 * Checks that a ticket extends the lane's chain (pure: does not modify the lane).
 * index <= k -> 409 replay; index != k + units -> 400; index > maxUnits -> 402 (needs a voucher);
 * units < unitsPerCall -> 402; preimage not hashing to s_k -> 401.
 */
export function checkTicket(lane: LaneState, t: Ticket, unitsPerCall: number): TicketOutcome {
  if (t.units < unitsPerCall) {
    throw new PaymentRequiredError('insufficient_units', `This call costs ${unitsPerCall} unit(s); the ticket pays ${t.units}.`)
  }
  if (t.index <= lane.units) {
    throw new ConflictError('ticket_replayed', `Ticket index ${t.index} is not beyond the lane's revealed index ${lane.units} (replayed or stale).`)
  }
  if (t.index !== lane.units + t.units) {
    throw new MalformedError('ticket_gap', `Ticket index ${t.index} must equal the lane index ${lane.units} plus the units paid (${t.units}).`)
  }
  if (BigInt(t.index) > lane.voucher.maxUnits) {
    throw new PaymentRequiredError('chain_exhausted', `The lane's voucher covers ${lane.voucher.maxUnits} units; send a new voucher (X-Sahara-Voucher) with cumulative ${laneTotal(lane)}.`)
  }
  if (!hashChainReaches(t.preimage, t.units, lane.head)) {
    throw new InvalidProofError('bad_preimage', 'The ticket preimage does not hash to the lane chain head.')
  }
  const price = BigInt(t.units) * lane.voucher.unitPrice
  return { units: t.index, head: t.preimage, price, total: lane.voucher.cumulative + BigInt(t.index) * lane.voucher.unitPrice }
}

export type VoucherContext = {
  nodeId: bigint
  /** Token the node accepts for this asset. */
  token: Address
  /** Price per unit the node charges for this asset. */
  unitPrice: bigint
  /** Current time (seconds). */
  now: bigint
  /** Minimum remaining voucher lifetime, seconds (the node must be able to settle it). */
  minVoucherLifetime: bigint
  /** A Closing channel is refused when closesAt - now is less than this, seconds. */
  closeSafetyMargin: bigint
}

/**
 * Static checks of a voucher against the ticket it arrives with, the channel, and the node's terms
 * (no signature: recovered separately since it is the costly part). Throws a typed 4xx error.
 */
export function checkVoucherTerms(v: SignedVoucher, t: Ticket, ch: ChannelInfo, ctx: VoucherContext): void {
  if (v.channelId !== t.channelId || v.assetId !== t.assetId || v.lane !== t.lane) {
    throw new MalformedError('voucher_ticket_mismatch', 'The voucher and the ticket name different channel/asset/lane.')
  }
  if (ch.nodeId !== ctx.nodeId) throw new PaymentRequiredError('channel_wrong_node', `Channel ${v.channelId} belongs to node ${ch.nodeId}, not this node (${ctx.nodeId}).`)
  if (ch.token.toLowerCase() !== ctx.token.toLowerCase()) throw new PaymentRequiredError('channel_wrong_token', `Channel ${v.channelId} is funded in ${ch.token}; this asset is priced in ${ctx.token}.`)
  checkChannelUsable(ch, ctx.now, ctx.closeSafetyMargin, v.channelId)
  if (v.unitPrice !== ctx.unitPrice) throw new PaymentRequiredError('wrong_unit_price', `The unit price of this asset is ${ctx.unitPrice}; the voucher says ${v.unitPrice}.`)
  if (v.maxUnits === 0n || v.maxUnits > MAX_UNITS) throw new MalformedError('bad_max_units', `voucher.maxUnits must be in [1, ${MAX_UNITS}].`)
  if (v.expiresAt < ctx.now + ctx.minVoucherLifetime) {
    throw new PaymentRequiredError('voucher_expiring', `The voucher expires at ${v.expiresAt}; the node needs at least ${ctx.minVoucherLifetime} s to settle it.`)
  }
  if (/^0x0{64}$/.test(v.anchor)) throw new MalformedError('bad_anchor', 'voucher.anchor must not be zero.')
}

export function checkChannelUsable(ch: ChannelInfo, now: bigint, margin: bigint, id: bigint): void {
  if (ch.status === ChannelStatus.Closed) throw new PaymentRequiredError('channel_closed', `Channel ${id} is closed.`)
  if (ch.status === ChannelStatus.Closing && ch.closesAt < now + margin) {
    throw new PaymentRequiredError('channel_closing', `Channel ${id} closes at ${ch.closesAt}, too soon to accept payments on it.`)
  }
}

/** The voucher must carry exactly what the lane owes so far (no gap, no double count). */
export function checkVoucherCumulative(v: SignedVoucher, laneOwed: bigint): void {
  if (v.cumulative !== laneOwed) {
    const code = v.cumulative < laneOwed ? 'voucher_stale' : 'voucher_overclaims'
    throw new ConflictError(code, `voucher.cumulative must equal the lane's amount owed (${laneOwed}); got ${v.cumulative}.`)
  }
}

export function checkVoucherSigner(recovered: Address, ch: ChannelInfo): void {
  if (recovered.toLowerCase() !== ch.signer.toLowerCase()) {
    throw new InvalidProofError('bad_voucher_signature', 'The voucher is not signed by the channel signer for this chain and PaymentChannels contract.')
  }
}

/** The channel-wide amount owed and not yet settled must stay within deposit - settled. */
export function checkDeposit(owedUnsettled: bigint, price: bigint, ch: ChannelInfo, id: bigint): void {
  const available = ch.deposit - ch.settled
  if (owedUnsettled + price > available) {
    throw new PaymentRequiredError('deposit_exhausted', `Channel ${id} has ${available} left; this call would make ${owedUnsettled + price} owed. Top up the channel.`)
  }
}

export function newLane(v: SignedVoucher, key: string): LaneState {
  return { key, channelId: v.channelId, assetId: v.assetId, lane: v.lane, voucher: v, units: 0, head: Buffer.from(v.anchor.slice(2), 'hex'), settled: 0n }
}

export function hexToBuf(h: Hex): Buffer {
  return Buffer.from(h.slice(2), 'hex')
}
