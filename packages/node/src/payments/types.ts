import type { Address, Hex } from 'viem'

/** EIP-712 Voucher (spec; the SDK owns the type) plus its signature by the channel signer. */
export type { SignedVoucher, Voucher } from '@sahara/sdk'

/** Parsed X-Sahara-Ticket. `laneKey` is the canonical "<channelId>.<assetId>.<lane>" prefix. */
export type Ticket = {
  laneKey: string
  channelId: bigint
  assetId: bigint
  lane: bigint
  units: number
  index: number
  preimage: Buffer
}

export const ChannelStatus = { Open: 0, Closing: 1, Closed: 2 } as const
export type ChannelStatusValue = (typeof ChannelStatus)[keyof typeof ChannelStatus]

/** PaymentChannels.channel(id) as the node sees it. */
export type ChannelInfo = {
  payer: Address
  signer: Address
  nodeId: bigint
  token: Address
  deposit: bigint
  settled: bigint
  closesAt: bigint
  status: ChannelStatusValue
}

/** Spec bound on the units a voucher may cover (PaymentChannels.MAX_UNITS). */
export const MAX_UNITS = 4096n
