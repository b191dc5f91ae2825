import { assetRegistryAbi, exactPaymentsAbi, fromContentRef, paymentChannelsAbi } from '@sahara/sdk'
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  http,
  keccak256,
  nonceManager,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
  zeroAddress,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChannelStatus, type ChannelInfo } from '../payments/types.ts'
import { voucherMessage } from '../payments/eip712.ts'
import type { ChainAdapter, PayExactCall, SettleCall, SignedTx, TxStatus } from './adapter.ts'

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
  const account = privateKeyToAccount(o.privateKey, { nonceManager })
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

  const signTx = async (to: Address, data: Hex): Promise<SignedTx> => {
    const req = await wallet.prepareTransactionRequest({ to, data, account, chain })
    const raw = await wallet.signTransaction(req as Parameters<typeof wallet.signTransaction>[0])
    return { hash: keccak256(raw), raw }
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
      return signTx(o.paymentChannels, data)
    },
    signPayExact(c: PayExactCall) {
      const data = encodeFunctionData({
        abi: exactPaymentsAbi,
        functionName: 'payExact',
        args: [c.nodeId, c.assetId, c.token, c.from, c.value, c.validAfter, c.validBefore, c.nonce, c.signature],
      })
      return signTx(o.exactPayments, data)
    },
    async sendRaw(tx) {
      try {
        await publicClient.sendRawTransaction({ serializedTransaction: tx.raw })
      } catch (e) {
        // re-broadcast of a known or already-mined transaction is fine: the hash is what we track
        const msg = String((e as Error).message ?? e).toLowerCase()
        if (!msg.includes('already') && !msg.includes('nonce too low') && !msg.includes('known')) throw e
      }
    },
    async waitTx(hash: Hash, timeoutMs: number): Promise<TxStatus> {
      try {
        const r = await publicClient.waitForTransactionReceipt({ hash, timeout: timeoutMs, pollingInterval: 100 })
        return r.status === 'success' ? 'success' : 'reverted'
      } catch {
        return 'unknown'
      }
    },
    async gasUsed(hash) {
      try {
        return (await publicClient.getTransactionReceipt({ hash })).gasUsed
      } catch {
        return undefined
      }
    },
    async txBlockNumber(hash) {
      try {
        return (await publicClient.getTransactionReceipt({ hash })).blockNumber
      } catch {
        return undefined
      }
    },
    now: () => {
      const wall = BigInt(Math.floor(Date.now() / 1000))
      return nowCache > wall ? nowCache : wall
    },
    close: () => clearInterval(timer),
  }
}
