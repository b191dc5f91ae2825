import type { Address, Hash, Hex } from 'viem'
import type { ChannelInfo, SignedVoucher } from '../payments/types.ts'

export type SettleEntry = { voucher: SignedVoucher; units: bigint; preimage: Hex }

export type SettleCall = { nodeId: bigint; token: Address; entries: SettleEntry[]; receiptsRoot: Hex; receiptCount: bigint }

export type PayExactCall = {
  nodeId: bigint
  assetId: bigint
  token: Address
  from: Address
  value: bigint
  validAfter: bigint
  validBefore: bigint
  nonce: Hex
  signature: Hex
}

/** A signed transaction, persisted before it is broadcast so a restart can re-send or reconcile it. */
export type SignedTx = { hash: Hash; raw: Hex }

export type TxStatus = 'success' | 'reverted' | 'unknown'

/** Simulating a transaction showed the chain would revert it; `reason` names the revert. */
export class TxWouldRevertError extends Error {
  override readonly name = 'TxWouldRevertError'
  constructor(readonly reason: string) {
    super(`The transaction would revert: ${reason}`)
  }
}

/** Everything the node needs from the chain; the viem implementation lives in viemChain.ts. */
export interface ChainAdapter {
  readonly chainId: number
  readonly paymentChannels: Address
  readonly exactPayments: Address
  getChannel(channelId: bigint): Promise<ChannelInfo>
  laneSettled(channelId: bigint, assetId: bigint, lane: bigint): Promise<bigint>
  /** Whether a receipts root was recorded by a settle (count > 0 or timestamp > 0). */
  receiptsRecorded(root: Hex): Promise<boolean>
  /**
   * The x402 deposit address of (node, asset): ExactPayments.receiverOf. Exact payments must be
   * authorized to it (it binds the money to the asset and the node). Without it (test chains) the
   * ExactPayments address itself is advertised.
   */
  receiverOf?(nodeId: bigint, assetId: bigint): Promise<Address>
  /** Latest on-chain version of an asset and its content CID. */
  assetVersion(assetId: bigint): Promise<{ version: number; contentCid: string; metadataCid: string }>
  signSettle(call: SettleCall): Promise<SignedTx>
  /**
   * Simulates payExact without taking a nonce; throws TxWouldRevertError when the chain would
   * refuse it (unfunded payer, authorization already used on the token, expired ...), so the
   * node refuses the call before running the model.
   */
  checkPayExact(call: PayExactCall): Promise<void>
  /** Signs payExact (simulated first: TxWouldRevertError when it would revert). */
  signPayExact(call: PayExactCall): Promise<SignedTx>
  sendRaw(tx: SignedTx): Promise<void>
  /** Waits up to `timeoutMs` for the receipt. */
  waitTx(hash: Hash, timeoutMs: number): Promise<TxStatus>
  gasUsed(hash: Hash): Promise<bigint | undefined>
  /**
   * The LaneSettled events of a mined settle transaction: each lane's on-chain total after it.
   * Lets the settler skip one laneSettled read per lane after each round.
   */
  settledLanes?(hash: Hash): Promise<{ channelId: bigint; assetId: bigint; lane: bigint; total: bigint }[]>
  /** Block that included a mined transaction (receipt proofs name it); undefined when unknown. */
  txBlockNumber?(hash: Hash): Promise<bigint | undefined>
  /** Chain time in seconds (latest block timestamp, cached briefly). */
  now(): bigint
}
