import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { getAddress, isAddress, isHex, type Address, type Hex } from 'viem'
import { ConfigError } from './errors.ts'
import { defaultX402Network } from './payments/x402.ts'
import type { LogLevel } from './util/log.ts'

export type RuntimeKind = 'echo' | 'onnx' | 'upstream' | 'agent'

export type AssetConfig = {
  /** On-chain asset id. */
  assetId: bigint
  /** Model name in /v1/models and chat requests (besides "sahara:<assetId>"). */
  name: string
  runtime: RuntimeKind
  /** Price per unit in token base units; 0 with `free` serves without payment. */
  unitPrice: bigint
  unitsPerCall: number
  /** Payment token (a vault payment token). */
  token: Address
  /** EIP-712 domain of the token, for the x402 exact requirement (EIP-3009). */
  tokenName: string
  tokenVersion: string
  /** Serve without payment (benchmarks compare paid vs this). */
  free: boolean
  /** On-chain version when no chain is reachable (tests/bench); otherwise read from AssetRegistry. */
  version?: number
  /** upstream runtime: key of `upstreams`, and the model name to send upstream. */
  upstream?: string
  upstreamModel?: string
  /**
   * onnx: intra-op threads of the inference session (default 1). The node serves many calls at
   * once, so it parallelizes across calls; ONNX Runtime's default (a thread per core, spinning
   * while idle) cost ~30 µs of CPU per call of the demo classifier against ~19 µs with one thread.
   * Raise it for large models where one call's latency matters more.
   */
  onnxThreads?: number
  /** onnx/agent: CIDs when not read from the chain (tests); normally from the asset's latest version. */
  contentCid?: string
  metadataCid?: string
  description?: string
}

export type UpstreamConfig = { url: string; apiKey?: string; timeoutMs: number }

export type SettlementPolicy = {
  /** Settle when this many receipts are unsettled. */
  maxReceipts: number
  /** Settle when the oldest unsettled receipt is this old (ms). */
  maxAgeMs: number
  /** Settle the chain tail (m > 0) of lanes whose channel closes or voucher expires within this (s). */
  tailWindowSec: number
  /** Also settle tails of at most this many units (short tails are cheap; long ones wait for the next voucher). */
  maxTailUnits: number
  /** Wait for a settlement receipt this long before trying again later. */
  txTimeoutMs: number
}

export type NodeConfig = {
  dataDir: string
  host: string
  port: number
  rpcUrl?: string
  chainId: number
  contracts: { PaymentChannels: Address; ExactPayments: Address; NodeRegistry?: Address; AssetRegistry?: Address }
  nodeId: bigint
  /** NodeRegistry signer of the node: signs receipt groups and sends settlement transactions. */
  signerPrivateKey: Hex
  assets: AssetConfig[]
  settlement: SettlementPolicy
  bodyLimit: number
  upstreams: Record<string, UpstreamConfig>
  /** Seconds a new voucher must still be valid. */
  minVoucherLifetimeSec: number
  /** Seconds before closesAt under which a Closing channel is refused. */
  closeSafetyMarginSec: number
  /** Channel cache refresh period, ms. */
  channelMaxAgeMs: number
  /** x402 network name advertised in v1 requirements (v2 uses eip155:<chainId>); default defaultX402Network(chainId). */
  x402Network: string
  /** Where ContentStore files live (default <dataDir>/content). */
  contentDir: string
  logLevel: LogLevel | 'silent'
  /**
   * SQLite synchronous mode. 'normal' (default): WAL commits survive a process crash (kill -9) but
   * an OS crash/power loss can drop the last groups (the node's loss, never the payer's). 'full'
   * fsyncs every group commit.
   */
  durability: 'full' | 'normal'
  /**
   * Where receipt groups are signed and committed: the event loop ('inline', default) or a writer
   * thread ('worker': for a disk whose fsync is slow and a machine with cores to spare; on the
   * 2-core dev machine it is slower in both durability modes, see docs/node.md).
   */
  groupWriter: 'worker' | 'inline'
}

export const DEFAULT_SETTLEMENT: SettlementPolicy = { maxReceipts: 10_000, maxAgeMs: 5000, tailWindowSec: 3600, maxTailUnits: 128, txTimeoutMs: 30_000 }

type Json = Record<string, unknown>

const fail = (msg: string): never => {
  throw new ConfigError(`Invalid node config: ${msg}`)
}
const str = (o: Json, k: string, d?: string): string => {
  const v = o[k] ?? d
  if (typeof v !== 'string' || v === '') return fail(`${k} must be a non-empty string`)
  return v
}
const num = (o: Json, k: string, d: number): number => {
  const v = o[k] ?? d
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return fail(`${k} must be a non-negative number`)
  return v
}
const big = (o: Json, k: string, d?: bigint): bigint => {
  const v = o[k] ?? d
  if (typeof v === 'bigint') return v
  if ((typeof v === 'string' && /^[0-9]+$/.test(v)) || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) return BigInt(v)
  return fail(`${k} must be a non-negative integer (decimal string)`)
}
const addr = (v: unknown, k: string): Address => (typeof v === 'string' && isAddress(v, { strict: false }) ? getAddress(v) : fail(`${k} must be an address`))

/** Reads the deployments file written by the devnet (contracts by name + chainId + rpcUrl). */
function readDeploymentsFile(file: string): { chainId?: number; rpcUrl?: string; contracts: Record<string, string> } {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as { chainId?: number; rpcUrl?: string; contracts?: Record<string, string> }
    return { chainId: j.chainId, rpcUrl: j.rpcUrl, contracts: j.contracts ?? {} }
  } catch (e) {
    return fail(`cannot read deployments file ${file}: ${(e as Error).message}`)
  }
}

/** Validates a parsed config object (paths relative to `baseDir`). */
export function parseConfig(raw: unknown, baseDir = process.cwd()): NodeConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return fail('expected a JSON object')
  const o = raw as Json
  const path = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p))
  const dataDir = path(str(o, 'dataDir'))
  const dep = typeof o.deploymentsFile === 'string' ? readDeploymentsFile(path(o.deploymentsFile)) : { contracts: {} as Record<string, string> }
  const c = { ...dep.contracts, ...((o.contracts as Record<string, string> | undefined) ?? {}) }
  const chainId = num(o, 'chainId', dep.chainId ?? 31337)
  const key = o.signerPrivateKey
  if (typeof key !== 'string' || !isHex(key) || key.length !== 66) fail('signerPrivateKey must be a 32-byte 0x-hex private key')
  const assetsRaw = o.assets
  if (!Array.isArray(assetsRaw) || assetsRaw.length === 0) fail('assets must be a non-empty array')
  const defaultToken = c.USDT
  const assets = (assetsRaw as Json[]).map((a, i): AssetConfig => {
    const runtime = str(a, 'runtime') as RuntimeKind
    if (!['echo', 'onnx', 'upstream', 'agent'].includes(runtime)) fail(`assets[${i}].runtime must be echo, onnx, upstream or agent`)
    const assetId = big(a, 'assetId')
    const unitsPerCall = num(a, 'unitsPerCall', 1)
    if (!Number.isInteger(unitsPerCall) || unitsPerCall < 1 || unitsPerCall > 4096) fail(`assets[${i}].unitsPerCall must be an integer in [1, 4096]`)
    const onnxThreads = num(a, 'onnxThreads', 1)
    if (!Number.isInteger(onnxThreads) || onnxThreads < 1 || onnxThreads > 256) fail(`assets[${i}].onnxThreads must be an integer in [1, 256]`)
    return {
      assetId,
      name: str(a, 'name', `asset-${assetId}`),
      runtime,
      unitPrice: big(a, 'unitPrice', 0n),
      unitsPerCall,
      token: addr(a.token ?? defaultToken, `assets[${i}].token`),
      tokenName: str(a, 'tokenName', 'Tether USD'),
      tokenVersion: str(a, 'tokenVersion', '1'),
      free: a.free === true,
      ...(a.onnxThreads !== undefined ? { onnxThreads } : {}),
      ...(typeof a.version === 'number' ? { version: a.version } : {}),
      ...(typeof a.upstream === 'string' ? { upstream: a.upstream } : {}),
      ...(typeof a.upstreamModel === 'string' ? { upstreamModel: a.upstreamModel } : {}),
      ...(typeof a.contentCid === 'string' ? { contentCid: a.contentCid } : {}),
      ...(typeof a.metadataCid === 'string' ? { metadataCid: a.metadataCid } : {}),
      ...(typeof a.description === 'string' ? { description: a.description } : {}),
    }
  })
  const names = new Set<string>()
  for (const a of assets) {
    if (names.has(a.name) || names.has(a.assetId.toString())) fail(`asset ${a.name} (${a.assetId}) is configured twice`)
    names.add(a.name).add(a.assetId.toString())
    if (!a.free && a.unitPrice === 0n) fail(`asset ${a.name} has unitPrice 0: set a price or "free": true`)
  }
  const s = (o.settlement as Json | undefined) ?? {}
  const ups = (o.upstreams as Record<string, Json> | undefined) ?? {}
  const upstreams: Record<string, UpstreamConfig> = {}
  for (const [k, u] of Object.entries(ups)) {
    const url = str(u, 'url')
    const h = new URL(url).hostname
    if (h !== '127.0.0.1' && h !== 'localhost' && h !== '::1' && o.allowRemoteUpstreams !== true) fail(`upstream ${k} must be on 127.0.0.1 (set allowRemoteUpstreams to override)`)
    upstreams[k] = { url, ...(typeof u.apiKey === 'string' ? { apiKey: u.apiKey } : {}), timeoutMs: num(u, 'timeoutMs', 60_000) }
  }
  for (const a of assets) if (a.runtime === 'upstream' && (!a.upstream || !upstreams[a.upstream])) fail(`asset ${a.name} names an unknown upstream`)
  const rpcUrl = typeof o.rpcUrl === 'string' ? o.rpcUrl : dep.rpcUrl
  return {
    dataDir,
    host: str(o, 'host', '127.0.0.1'),
    port: num(o, 'port', 8545 + 1000),
    ...(rpcUrl ? { rpcUrl } : {}),
    chainId,
    contracts: {
      PaymentChannels: addr(c.PaymentChannels, 'contracts.PaymentChannels'),
      ExactPayments: addr(c.ExactPayments, 'contracts.ExactPayments'),
      ...(c.NodeRegistry ? { NodeRegistry: addr(c.NodeRegistry, 'contracts.NodeRegistry') } : {}),
      ...(c.AssetRegistry ? { AssetRegistry: addr(c.AssetRegistry, 'contracts.AssetRegistry') } : {}),
    },
    nodeId: big(o, 'nodeId'),
    signerPrivateKey: key as Hex,
    assets,
    settlement: {
      maxReceipts: num(s, 'maxReceipts', DEFAULT_SETTLEMENT.maxReceipts),
      maxAgeMs: num(s, 'maxAgeMs', DEFAULT_SETTLEMENT.maxAgeMs),
      tailWindowSec: num(s, 'tailWindowSec', DEFAULT_SETTLEMENT.tailWindowSec),
      maxTailUnits: num(s, 'maxTailUnits', DEFAULT_SETTLEMENT.maxTailUnits),
      txTimeoutMs: num(s, 'txTimeoutMs', DEFAULT_SETTLEMENT.txTimeoutMs),
    },
    bodyLimit: num(o, 'bodyLimit', 1 << 20),
    upstreams,
    minVoucherLifetimeSec: num(o, 'minVoucherLifetimeSec', 300),
    closeSafetyMarginSec: num(o, 'closeSafetyMarginSec', 600),
    channelMaxAgeMs: num(o, 'channelMaxAgeMs', 30_000),
    x402Network: str(o, 'x402Network', defaultX402Network(chainId)),
    contentDir: typeof o.contentDir === 'string' ? path(o.contentDir) : resolve(dataDir, 'content'),
    logLevel: (str(o, 'logLevel', 'info') as LogLevel),
    durability: o.durability === 'full' ? 'full' : 'normal',
    groupWriter: o.groupWriter === 'worker' ? 'worker' : 'inline',
  }
}

export function loadConfig(file: string): NodeConfig {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new ConfigError(`Cannot read node config ${file}: ${(e as Error).message}`)
  }
  return parseConfig(raw, dirname(resolve(file)))
}
