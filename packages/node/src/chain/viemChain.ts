import { assetRegistryAbi, devStablecoinAbi, estimateGasNextSecond, exactPaymentsAbi, fromContentRef, gasWithHeadroom, paymentChannelsAbi } from '@sahara/sdk'
import {
  BaseError,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  defineChain,
  encodeFunctionData,
  http,
  keccak256,
  parseEventLogs,
  type Abi,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  zeroAddress,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChannelStatus, type ChannelInfo } from '../payments/types.ts'
import { voucherMessage } from '../payments/eip712.ts'
import { TxWouldRevertError, type ChainAdapter, type PayExactCall, type SettleCall, type SignedTx, type TxStatus } from './adapter.ts'

export type ViemChainOptions = {
  rpcUrl: string
  chainId: number
  privateKey: Hex
  paymentChannels: Address
  exactPayments: Address
  assetRegistry: Address
}

/** ChainAdapter over viem clients: reads with the public client, signs locally, sends raw. */
export function createViemChain(o: ViemChainOptions): ChainAdapter & { close(): void } {
  const chain = defineChain({ id: o.chainId, name: `chain-${o.chainId}`, nativeCurrency: { name: 'ETH', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [o.rpcUrl] } } })
  const account = privateKeyToAccount(o.privateKey)
  const publicClient = createPublicClient({ chain, transport: http(o.rpcUrl) }) as PublicClient
  const wallet = createWalletClient({ chain, account, transport: http(o.rpcUrl) })
  let nowCache = BigInt(Math.floor(Date.now() / 1000))
  const refreshNow = async () => {
    try {
      const b = await publicClient.getBlock({ blockTag: 'latest' })
      // chain time can run ahead of wall time (devnet warps): use the later one
      const wall = BigInt(Math.floor(Date.now() / 1000))
      nowCache = b.timestamp > wall ? b.timestamp : wall
    } catch {
      /* keep the last value; reads will surface RPC errors */
    }
  }
  void refreshNow()
  const timer = setInterval(refreshNow, 2000)
  timer.unref()

  // Nonces are allocated here, one at a time: settlement rounds and x402 exact payments sign
  // concurrently, and the pending count alone would give both the same nonce. Gas is estimated
  // before a nonce is taken, so a revert never leaves a gap.
  let nextNonce: number | undefined
  let nonceLock: Promise<unknown> = Promise.resolve()
  const allocateNonce = (): Promise<number> => {
    const p = nonceLock.then(async () => {
      const pending = await publicClient.getTransactionCount({ address: account.address, blockTag: 'pending' })
      const n = nextNonce === undefined || pending > nextNonce ? pending : nextNonce
      nextNonce = n + 1
      return n
    })
    nonceLock = p.catch(() => undefined)
    return p
  }
  /** A nonce whose transaction never reached the pool: hand it out again, or resync from the chain. */
  const releaseNonce = (n: number) => {
    nextNonce = nextNonce === n + 1 ? n : undefined
  }
  const sentNonce = new Map<Hash, number>()

  // The receipts of the node's own recent transactions: waitTx fetches each once, and the gas,
  // block and settled lanes are read from it without more RPC calls.
  const recentReceipts = new Map<Hash, TransactionReceipt>()
  const remember = (r: TransactionReceipt): TransactionReceipt => {
    recentReceipts.set(r.transactionHash, r)
    if (recentReceipts.size > 64) recentReceipts.delete(recentReceipts.keys().next().value!)
    return r
  }
  const receiptOf = async (hash: Hash): Promise<TransactionReceipt> => recentReceipts.get(hash) ?? remember(await publicClient.getTransactionReceipt({ hash }))

  const signTx = async (to: Address, data: Hex, abi: Abi): Promise<SignedTx> => {
    // estimated for the next second, with headroom: some calls' gas depends on the block they
    // land in (NodeStaking releases emissions per second)
    const ahead = await estimateGasNextSecond((args) => publicClient.request(args as never), { from: account.address, to, data })
    const estimate =
      ahead ??
      (await publicClient.estimateGas({ account: account.address, to, data }).catch((e: unknown) => {
        throw new TxWouldRevertError(revertReason(e, abi))
      }))
    const gas = gasWithHeadroom(estimate)
    const nonce = await allocateNonce()
    try {
      const req = await wallet.prepareTransactionRequest({ to, data, account, chain, gas, nonce })
      const raw = await wallet.signTransaction(req as Parameters<typeof wallet.signTransaction>[0])
      const hash = keccak256(raw)
      sentNonce.set(hash, nonce)
      return { hash, raw }
    } catch (e) {
      releaseNonce(nonce)
      throw e
    }
  }

  return {
    chainId: o.chainId,
    paymentChannels: o.paymentChannels,
    exactPayments: o.exactPayments,
    async getChannel(channelId) {
      let c
      try {
        c = await publicClient.readContract({ address: o.paymentChannels, abi: paymentChannelsAbi, functionName: 'channel', args: [channelId] })
      } catch (e) {
        // PaymentChannels.channel reverts UnknownChannel(id): report it as the zero channel
        if (/UnknownChannel/.test(String((e as Error).message))) return { payer: zeroAddress, signer: zeroAddress, nodeId: 0n, token: zeroAddress, deposit: 0n, settled: 0n, closesAt: 0n, status: ChannelStatus.Closed }
        throw e
      }
      const status = Number(c.status)
      const info: ChannelInfo = {
        payer: c.payer,
        signer: c.signer,
        nodeId: c.nodeId,
        token: c.token,
        deposit: c.deposit,
        settled: c.settled,
        closesAt: c.closesAt,
        status: (status === 0 ? ChannelStatus.Open : status === 1 ? ChannelStatus.Closing : ChannelStatus.Closed),
      }
      return info
    },
    laneSettled(channelId, assetId, lane) {
      return publicClient.readContract({ address: o.paymentChannels, abi: paymentChannelsAbi, functionName: 'laneSettled', args: [channelId, assetId, lane] })
    },
    async receiptsRecorded(root) {
      const [nodeId, timestamp, count] = await publicClient.readContract({ address: o.paymentChannels, abi: paymentChannelsAbi, functionName: 'receiptsRecorded', args: [root] })
      return nodeId !== 0n || timestamp !== 0n || count !== 0n
    },
    receiverOf(nodeId, assetId) {
      return publicClient.readContract({ address: o.exactPayments, abi: exactPaymentsAbi, functionName: 'receiverOf', args: [nodeId, assetId] })
    },
    async assetVersion(assetId) {
      const [version, info] = await publicClient.readContract({ address: o.assetRegistry, abi: assetRegistryAbi, functionName: 'latestVersion', args: [assetId] })
      return { version: Number(version), contentCid: fromContentRef(info.content), metadataCid: fromContentRef(info.metadata) }
    },
    signSettle(call: SettleCall) {
      const data = encodeFunctionData({
        abi: paymentChannelsAbi,
        functionName: 'settle',
        args: [
          call.nodeId,
          call.token,
          call.entries.map((e) => ({ voucher: voucherMessage(e.voucher), units: e.units, preimage: e.preimage, signature: e.voucher.signature })),
          call.receiptsRoot,
          call.receiptCount,
        ],
      })
      return signTx(o.paymentChannels, data, paymentChannelsAbi)
    },
    async checkPayExact(c: PayExactCall) {
      await publicClient.call({ account: account.address, to: o.exactPayments, data: payExactData(c) }).catch((e: unknown) => {
        throw new TxWouldRevertError(revertReason(e, exactPaymentRevertAbi))
      })
    },
    signPayExact(c: PayExactCall) {
      return signTx(o.exactPayments, payExactData(c), exactPaymentRevertAbi)
    },
    async sendRaw(tx) {
      try {
        await publicClient.sendRawTransaction({ serializedTransaction: tx.raw })
      } catch (e) {
        // re-broadcast of a known or already-mined transaction is fine: the hash is what we track
        const msg = String((e as Error).message ?? e).toLowerCase()
        if (!msg.includes('already') && !msg.includes('nonce too low') && !msg.includes('known')) {
          const n = sentNonce.get(tx.hash)
          if (n !== undefined) releaseNonce(n)
          throw e
        }
      } finally {
        sentNonce.delete(tx.hash)
      }
    },
    async waitTx(hash: Hash, timeoutMs: number): Promise<TxStatus> {
      try {
        const r = remember(await publicClient.waitForTransactionReceipt({ hash, timeout: timeoutMs, pollingInterval: 100 }))
        return r.status === 'success' ? 'success' : 'reverted'
      } catch {
        return 'unknown'
      }
    },
    async gasUsed(hash) {
      return (await receiptOf(hash).catch(() => undefined))?.gasUsed
    },
    async txBlockNumber(hash) {
      return (await receiptOf(hash).catch(() => undefined))?.blockNumber
    },
    async settledLanes(hash) {
      const r = await receiptOf(hash)
      const logs = r.logs.filter((l) => l.address.toLowerCase() === o.paymentChannels.toLowerCase())
      return parseEventLogs({ abi: paymentChannelsAbi, logs, eventName: 'LaneSettled' }).map((e) => ({ channelId: e.args.channelId, assetId: e.args.assetId, lane: e.args.lane, total: e.args.laneTotal }))
    },
    now: () => {
      const wall = BigInt(Math.floor(Date.now() / 1000))
      return nowCache > wall ? nowCache : wall
    },
    close: () => clearInterval(timer),
  }
}

const payExactData = (c: PayExactCall): Hex =>
  encodeFunctionData({
    abi: exactPaymentsAbi,
    functionName: 'payExact',
    args: [c.nodeId, c.assetId, c.token, c.from, c.value, c.validAfter, c.validBefore, c.nonce, c.signature],
  })

/**
 * payExact reverts with its own errors or bubbles up the token's: OpenZeppelin's ERC-20 errors
 * (an unfunded payer) and the EIP-3009 ones of the devnet stablecoin (real stablecoins revert with
 * a reason string, which viem reads without an ABI).
 */
const exactPaymentRevertAbi: Abi = [...exactPaymentsAbi, ...devStablecoinAbi.filter((x) => x.type === 'error')]

/** The custom error a failed call reverted with, decoded against `abi` when it is one of its errors. */
function revertReason(e: unknown, abi: Abi): string {
  const raw = e instanceof BaseError ? e.walk((x) => typeof (x as { data?: unknown }).data === 'string') : undefined
  const data = (raw as { data?: Hex } | undefined)?.data
  if (data) {
    try {
      const d = decodeErrorResult({ abi, data })
      return `${d.errorName}(${(d.args ?? []).map(String).join(', ')})`
    } catch {
      /* not one of the contract's errors */
    }
  }
  return e instanceof BaseError ? e.shortMessage : String(e)
}
