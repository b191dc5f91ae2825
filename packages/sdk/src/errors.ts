import {
  BaseError as ViemBaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  HttpRequestError,
  InsufficientFundsError,
  TimeoutError,
  WebSocketRequestError,
  decodeErrorResult,
  formatUnits,
  parseAbi,
  type Abi,
  type Address,
  type Hex,
} from 'viem'
import {
  assetRegistryAbi,
  contributionSharesAbi,
  devStablecoinAbi,
  exactPaymentsAbi,
  guardianGateAbi,
  grantPoolAbi,
  licenseRegistryAbi,
  merkleAirdropAbi,
  nodeRegistryAbi,
  nodeStakingAbi,
  paymentChannelsAbi,
  revenueVaultAbi,
  saharaTokenAbi,
  saharaVotesAbi,
  vestingVaultAbi,
} from './abis/generated'

/** Root of every error the SDK throws. `shortMessage` is one readable sentence. */
export class SaharaError extends Error {
  override name = 'SaharaError'
  readonly shortMessage: string
  readonly details?: string | undefined
  constructor(shortMessage: string, options: { cause?: unknown; details?: string } = {}) {
    super(shortMessage, options.cause === undefined ? undefined : { cause: options.cause })
    this.shortMessage = shortMessage
    this.details = options.details
  }
}

/** A CID could not be computed or parsed, or cannot be stored on-chain. */
export class CidError extends SaharaError {
  override name = 'CidError'
}

/** The deployments file is missing, unreadable or malformed. */
export class DeploymentsError extends SaharaError {
  override name = 'DeploymentsError'
}

/** An argument given to the SDK is malformed (amount, relation, kind, address...). */
export class InvalidArgumentError extends SaharaError {
  override name = 'InvalidArgumentError'
}

/** A write action was called without a wallet client holding an account. */
export class MissingWalletError extends SaharaError {
  override name = 'MissingWalletError'
  constructor(action: string) {
    super(`${action} sends a transaction, so it needs a wallet client with an account (a private key).`)
  }
}

/** A contract call reverted; `errorName` and `args` are the decoded custom error. */
export class ContractError extends SaharaError {
  override name = 'ContractError'
  readonly errorName: string
  readonly args: readonly unknown[]
  constructor(message: string, errorName: string, args: readonly unknown[], cause?: unknown) {
    super(message, { cause, details: `${errorName}(${args.map(formatArg).join(', ')})` })
    this.errorName = errorName
    this.args = args
  }
}

/**
 * A swap would return less than its minimum output: the quote is below `minAmountOut` (refused
 * before anything is sent) or the price moved before the transaction ran (the router reverted).
 */
export class SlippageError extends ContractError {
  override name = 'SlippageError'
}

/**
 * A protocol module is paused (OpenZeppelin's `EnforcedPause()`): the guardian stopped new
 * activity on it, and only a governance proposal (`unpause`) resumes it. Exits, claims and
 * settlement keep working while it is paused. `module` is the paused module's name when known.
 */
export class ModulePausedError extends ContractError {
  override name = 'ModulePausedError'
  readonly module?: string | undefined
  constructor(message: string, module: string | undefined, cause?: unknown) {
    super(message, 'EnforcedPause', [], cause)
    this.module = module
  }
}

/** What stops while a module is paused (what keeps working is in the message's tail). */
const PAUSED_ACTIVITY: Record<string, string> = {
  AssetRegistry: 'new registrations and versions',
  LicenseRegistry: 'new license terms and purchases',
  ContributionShares: 'new contribution shares',
  RevenueVault: 'new payments into the vault',
  NodeRegistry: 'new nodes, added stake and new served assets',
  PaymentChannels: 'new channels and top-ups',
  ExactPayments: 'new exact payments',
}

/** The one sentence of a ModulePausedError for `module` (undefined: not known which). */
export function pausedMessage(module: string | undefined): string {
  const listed = module ? PAUSED_ACTIVITY[module] : undefined
  const what = listed ? `${listed} are` : 'new activity is'
  const who = module ?? 'A protocol module this call uses'
  return `${who} is paused by the guardian; ${what} stopped until a governance proposal unpauses it (exits, claims and settlement still work).`
}

/** The revert string of Uniswap v2's router when the output is below `amountOutMin`. */
export const UNISWAP_SLIPPAGE_REASON = 'UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT'

/** The account does not hold enough of a token for a payment (checked before any approval is sent). */
export class InsufficientBalanceError extends SaharaError {
  override name = 'InsufficientBalanceError'
}

/** The RPC endpoint could not be reached or failed. */
export class RpcError extends SaharaError {
  override name = 'RpcError'
}

/** A transaction was mined but reverted. */
export class TransactionRevertedError extends SaharaError {
  override name = 'TransactionRevertedError'
  readonly hash: Hex
  constructor(hash: Hex, action: string) {
    super(`The ${action} transaction ${hash} was mined but reverted.`)
    this.hash = hash
  }
}

/**
 * Two receipts are not equivocation evidence (different nodes, lanes or indexes, the same leaf, an
 * x402 receipt without a channel, or a proof that does not lead to its group root); found before
 * anything is sent.
 */
export class EquivocationError extends SaharaError {
  override name = 'EquivocationError'
}

/** Token display info used to print amounts in error messages. */
export type TokenDisplay = { symbol: string; decimals: number }

/** What an action knows about its call, so revert messages can name tokens and amounts. */
export type ErrorContext = {
  /** Token of the amounts in the error (fees, allowances, balances). */
  token?: TokenDisplay | undefined
  /** Known tokens by address (lower case), to name a token given by address. */
  tokens?: Record<string, TokenDisplay> | undefined
  /** Names of known contracts by address (lower case), e.g. the RevenueVault. */
  contracts?: Record<string, string> | undefined
  /** What was being done, e.g. "buyLicense"; used in fallbacks. */
  action?: string | undefined
}

// OpenZeppelin 5 errors that the implementation ABIs inherit; listed here as well so they decode
// even while only interface ABIs are available, and for calls into other contracts (tokens).
const openZeppelinErrors = parseAbi([
  'error OwnableUnauthorizedAccount(address account)',
  'error OwnableInvalidOwner(address owner)',
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InvalidSender(address sender)',
  'error ERC20InvalidReceiver(address receiver)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
  'error ERC20InvalidApprover(address approver)',
  'error ERC20InvalidSpender(address spender)',
  'error ERC2612ExpiredSignature(uint256 deadline)',
  'error ERC2612InvalidSigner(address signer, address owner)',
  'error InvalidAccountNonce(address account, uint256 currentNonce)',
  'error ERC721InvalidOwner(address owner)',
  'error ERC721NonexistentToken(uint256 tokenId)',
  'error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner)',
  'error ERC721InvalidSender(address sender)',
  'error ERC721InvalidReceiver(address receiver)',
  'error ERC721InsufficientApproval(address operator, uint256 tokenId)',
  'error ERC721InvalidApprover(address approver)',
  'error ERC721InvalidOperator(address operator)',
  'error SafeERC20FailedOperation(address token)',
  'error ReentrancyGuardReentrantCall()',
  'error InvalidInitialization()',
  'error NotInitializing()',
  'error UUPSUnauthorizedCallContext()',
  'error UUPSUnsupportedProxiableUUID(bytes32 slot)',
  'error ERC1967InvalidImplementation(address implementation)',
  'error AddressEmptyCode(address target)',
  'error FailedCall()',
  'error ECDSAInvalidSignature()',
  'error ECDSAInvalidSignatureLength(uint256 length)',
  'error ECDSAInvalidSignatureS(bytes32 s)',
  'error EnforcedPause()',
  'error ExpectedPause()',
])

function errorsOf(abi: Abi): Abi {
  return abi.filter((item) => item.type === 'error')
}

/** Every custom error the protocol can raise (our contracts, tokens, OpenZeppelin). */
export const saharaErrorsAbi: Abi = dedupe([
  ...errorsOf(assetRegistryAbi as Abi),
  ...errorsOf(licenseRegistryAbi as Abi),
  ...errorsOf(contributionSharesAbi as Abi),
  ...errorsOf(revenueVaultAbi as Abi),
  ...errorsOf(nodeRegistryAbi as Abi),
  ...errorsOf(nodeStakingAbi as Abi),
  ...errorsOf(saharaVotesAbi as Abi),
  ...errorsOf(paymentChannelsAbi as Abi),
  ...errorsOf(exactPaymentsAbi as Abi),
  ...errorsOf(saharaTokenAbi as Abi),
  ...errorsOf(devStablecoinAbi as Abi),
  ...errorsOf(vestingVaultAbi as Abi),
  ...errorsOf(merkleAirdropAbi as Abi),
  ...errorsOf(guardianGateAbi as Abi),
  ...errorsOf(grantPoolAbi as Abi),
  ...errorsOf(nodeStakingAbi as Abi),
  ...openZeppelinErrors,
])

function dedupe(items: Abi): Abi {
  const seen = new Set<string>()
  return items.filter((item) => {
    const key = JSON.stringify(item)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}


function formatArg(value: unknown): string {
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string') return value
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
}

/** GrantPool.GrantStatus names, by enum value. */
export const GRANT_STATUS_NAMES = ['None', 'Pending', 'Withdrawn', 'Rejected', 'Approved', 'Completed', 'Cancelled'] as const

function grantStatusName(status: unknown): string {
  return (GRANT_STATUS_NAMES[Number(status)] ?? String(status)).toLowerCase()
}

function pct(bps: unknown): string {
  const n = Number(bps)
  return `${(n / 100).toString()}%`
}

function shortAddress(a: unknown, ctx: ErrorContext): string {
  const s = String(a)
  const named = ctx.contracts?.[s.toLowerCase()]
  return named ? `the ${named} (${s})` : s
}

function amount(value: unknown, ctx: ErrorContext, token?: unknown): string {
  const info = (typeof token === 'string' ? ctx.tokens?.[token.toLowerCase()] : undefined) ?? ctx.token
  const v = BigInt(value as bigint)
  if (!info) return `${v.toString()} (smallest units)`
  return `${formatUnits(v, info.decimals)} ${info.symbol}`
}

function tokenName(token: unknown, ctx: ErrorContext): string {
  const info = ctx.tokens?.[String(token).toLowerCase()]
  return info ? `${info.symbol} (${String(token)})` : String(token)
}

type Formatter = (args: readonly any[], ctx: ErrorContext) => string

/**
 * One sentence per revert string of the Uniswap v2 contracts (they predate custom errors), so a
 * failed swap reads like every other SDK error.
 */
const revertReasons: Record<string, string> = {
  [UNISWAP_SLIPPAGE_REASON]:
    'The swap would return less than the minimum output (slippage): the price moved or the minimum is above the quote; quote again or allow more slippage.',
  'UniswapV2Router: EXPIRED': 'The swap deadline passed before the transaction was mined; send it again.',
  'UniswapV2Router: EXCESSIVE_INPUT_AMOUNT': 'The swap would cost more than the maximum input (slippage).',
  'UniswapV2Router: INVALID_PATH': 'The swap path is invalid.',
  'UniswapV2Library: INSUFFICIENT_LIQUIDITY': 'The pool has no liquidity for this pair of tokens.',
  'UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT': 'The amount to swap must be greater than zero.',
  'UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT': 'The swap output must be greater than zero.',
  'UniswapV2Library: IDENTICAL_ADDRESSES': 'A token cannot be swapped for itself.',
  'UniswapV2Library: ZERO_ADDRESS': 'The zero address is not a token.',
  'TransferHelper: TRANSFER_FROM_FAILED':
    'The router could not take the input tokens: the balance or the allowance to the router is too low.',
  'TransferHelper: TRANSFER_FAILED': 'A token transfer from the pool failed.',
  'UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT': 'The swap output must be greater than zero.',
  'UniswapV2: INSUFFICIENT_INPUT_AMOUNT': 'The swap input must be greater than zero.',
  'UniswapV2: INSUFFICIENT_LIQUIDITY': 'The pool does not hold enough of the output token.',
  'UniswapV2: K': 'The swap would break the pool invariant (too little input for the output).',
  'UniswapV2: LOCKED': 'The pool is busy with another operation (reentrant call rejected).',
  'UniswapV2: TRANSFER_FAILED': 'A token transfer from the pool failed.',
  'UniswapV2: PAIR_EXISTS': 'The pool for this pair of tokens already exists.',
  'UniswapV2: FORBIDDEN': 'Only the fee-to setter may change the exchange fee settings.',
}

/** One readable sentence per custom error. */
const formatters: Record<string, Formatter> = {
  // AssetRegistry
  UnknownAsset: ([id]) => `Asset #${id} does not exist.`,
  KindNotEnabled: ([kind]) => `Asset kind ${kind} is not enabled in the registry.`,
  TooManyParents: ([count, max]) => `An asset can have at most ${max} parents, but ${count} were given.`,
  DuplicateParent: ([id]) => `Parent asset #${id} is listed more than once.`,
  UnsupportedCodec: ([codec]) => `Content codec 0x${Number(codec).toString(16)} is not accepted by the registry.`,
  EmptyDigest: () => 'The content digest is empty.',
  NotAssetOwner: ([id, caller]) => `${caller} is not the owner of asset #${id}.`,
  RoyaltyTooHigh: ([total, max]) => `The parents' royalties add up to ${pct(total)}, above the maximum of ${pct(max)}.`,
  EmptyBatch: () => 'The batch is empty.',
  UnknownVersion: ([id, version]) => `Asset #${id} has no version ${version}.`,
  InvalidKind: ([kind]) => `${kind} is not a valid asset kind.`,
  // LicenseRegistry
  UnknownTerms: ([id]) => `License terms #${id} do not exist.`,
  UnknownLicense: ([id]) => `License #${id} does not exist.`,
  InvalidTerms: ([reason]) => `The license terms are invalid: ${String(reason).replace(/\.$/, '')}.`,
  SalesClosed: ([id]) => `Sales under license terms #${id} are closed.`,
  SupplyCapReached: ([id, cap]) => `All ${cap} licenses under terms #${id} have been sold.`,
  FeeAboveMax: ([fee, max], ctx) => `Fee ${amount(fee, ctx)} is above your maximum ${amount(max, ctx)}.`,
  LicenseNotTransferable: ([id]) => `License #${id} cannot be transferred.`,
  DerivativeNotAllowed: ([parentId, licenseId, account]) =>
    BigInt(licenseId) === 0n
      ? `${account} may not derive from asset #${parentId} without a license: buy one whose terms allow derivatives (OPEN or COMMERCIAL_REMIX) and pass its id.`
      : `License #${licenseId} does not let ${account} derive from asset #${parentId}: it is for another asset, expired, not held by ${account}, or its terms do not allow derivatives.`,
  PayPerUseNotSoldHere: ([id]) => `License terms #${id} are pay-per-use: they are consumed through a payment channel, not bought.`,
  // ContributionShares
  NotAuthorizedMinter: ([id, caller]) => `${caller} may not mint shares in asset #${id}: only its owner or an authorized minter can.`,
  ZeroShares: () => 'The number of shares must be greater than zero.',
  ZeroAddress: () => 'The zero address is not allowed here.',
  SplitCanOnlyGrow: ([current, requested]) =>
    `The contributors' split can only grow once shares exist: it is ${pct(current)}, ${pct(requested)} was requested.`,
  SplitTooHigh: ([requested]) => `A contributors' split of ${pct(requested)} is above 100%.`,
  Soulbound: () => 'Contribution shares are soulbound and cannot be transferred.',
  TooManyShares: ([id, total]) => `Asset #${id} would have ${total} shares in total, above the per-asset limit.`,
  UnknownContribution: ([id]) => `Contribution #${id} does not exist.`,
  LengthMismatch: () => 'The lists of contributors, shares and evidence hashes have different lengths.',
  // RevenueVault
  TokenNotAllowed: ([token], ctx) => `Token ${tokenName(token, ctx)} is not accepted for payments.`,
  ZeroAmount: () => 'The amount must be greater than zero.',
  FeeOnTransferNotSupported: ([token, expected, received], ctx) =>
    `Token ${tokenName(token, ctx)} took a fee on transfer (expected ${amount(expected, ctx, token)}, received ${amount(received, ctx, token)}); such tokens are not supported.`,
  NotCollector: ([caller]) => `${caller} is not an authorized revenue collector.`,
  NotShares: ([caller]) => `${caller} is not the ContributionShares contract.`,
  ProtocolFeeTooHigh: ([bps, max]) => `A protocol fee of ${pct(bps)} is above the maximum of ${pct(max)}.`,
  TooManyPaymentTokens: ([max]) => `At most ${max} payment tokens can be enabled.`,
  NoRoyaltyParents: ([id]) => `Asset #${id} has pending royalties but no parent with a royalty to forward them to.`,
  UnaccountedBalanceTooLow: ([token, needed, available], ctx) =>
    `The vault holds only ${amount(available, ctx, token)} of unaccounted ${tokenName(token, ctx)}, ${amount(needed, ctx, token)} needed.`,
  // HashChain
  ChainTooLong: ([units, max]) => `A hash chain of ${units} steps is longer than the maximum of ${max}.`,
  // Tokens
  FaucetLimitExceeded: ([requested, max], ctx) => `The faucet gives at most ${amount(max, ctx)} per call; ${amount(requested, ctx)} was requested.`,
  ZeroRecipient: () => 'The recipient is the zero address.',
  InvalidSignature: () => 'The signature is invalid.',
  AuthorizationExpired: () => 'The signed authorization has expired.',
  AuthorizationNotYetValid: () => 'The signed authorization is not valid yet.',
  AuthorizationAlreadyUsed: () => 'The signed authorization was already used or canceled.',
  CallerNotPayee: ([caller, payee]) => `${caller} is not the payee ${payee} of this authorization.`,
  // ProtocolModule (every upgradeable module)
  RenounceOwnershipDisabled: () => 'Ownership of a protocol module cannot be renounced; transfer it instead.',
  NotPauser: ([account]) => `${account} may not pause this module: only its pausers (the guardian gate) and its owner (the timelock) can.`,
  EnforcedPause: () => pausedMessage(undefined),
  // GuardianGate
  NotGuardian: ([caller]) => `${caller} is not the guardian: only the guardian may pause a module or cancel a queued proposal through the GuardianGate.`,
  ExpiryInPast: ([expiry, now]) =>
    `The guardian's expiry ${new Date(Number(expiry) * 1000).toISOString()} is not after the current time ${new Date(Number(now) * 1000).toISOString()}.`,
  GuardianExpired: ([expiry]) => `The guardian's powers ended at ${new Date(Number(expiry) * 1000).toISOString()}; only a governance proposal can act now.`,
  ExpectedPause: () => 'The module is not paused, so there is nothing to unpause.',
  // NodeRegistry
  UnknownNode: ([id]) => `Node #${id} does not exist.`,
  NotNodeOperator: ([id, caller]) => `${caller} is not the operator of node #${id}.`,
  NodeNotActive: ([id]) => `Node #${id} is not active (it does not exist, is exiting or has exited).`,
  NodeNotExiting: ([id]) => `Node #${id} is not exiting; request the exit first.`,
  NodeJailed: ([id]) => `Node #${id} is jailed: its bond stays until it has served the jail and unjailed (sahara stake unjail).`,
  StakeLocked: ([id, unlockAt]) => `The stake of node #${id} is locked until ${new Date(Number(unlockAt) * 1000).toISOString()}.`,
  StakeTooLow: ([stake, min], ctx) => `A stake of ${amount(stake, ctx)} is below the minimum of ${amount(min, ctx)}.`,
  InvalidEndpoint: ([length]) => `The endpoint must be a non-empty URL of bounded length (got ${length} bytes).`,
  NodeFeeTooHigh: ([fee, max]) => `A node fee of ${pct(fee)} is above the maximum of ${pct(max)}.`,
  SettingOutOfRange: ([value, max]) => `The value ${value} is above the maximum ${max}.`,
  // PaymentChannels
  UnknownChannel: ([id]) => `Channel #${id} does not exist.`,
  NotPayer: ([id, caller]) => `${caller} is not the payer of channel #${id}.`,
  NotNodeAuthority: ([id, caller]) => `${caller} is neither the operator nor the signer of node #${id}.`,
  ChannelNotOpen: ([id]) => `Channel #${id} is not open.`,
  ChannelAlreadyClosed: ([id]) => `Channel #${id} is already closed.`,
  ChallengeWindowNotOver: ([id, closesAt]) =>
    BigInt(closesAt) === 0n
      ? `Channel #${id} is still open; request the close first.`
      : `The challenge window of channel #${id} ends at ${new Date(Number(closesAt) * 1000).toISOString()}; withdraw after that.`,
  ChannelNodeMismatch: ([id, nodeId]) => `Channel #${id} does not belong to node #${nodeId}.`,
  ChannelTokenMismatch: ([id, token], ctx) => `Channel #${id} is not in token ${tokenName(token, ctx)}.`,
  InvalidVoucherSignature: ([id]) => `A voucher of channel #${id} is not signed by the channel's signer.`,
  InvalidPreimage: ([id, units]) => `A preimage for channel #${id} does not hash to the voucher anchor in ${units} steps.`,
  UnitsAboveMax: ([units, max]) => `${units} units exceed the voucher's maximum of ${max}.`,
  EmptySettlement: () => 'A settlement needs at least one entry or a receipts root.',
  ReceiptsRootAlreadyRecorded: ([root]) => `The receipts root ${root} was already recorded.`,
  ValueTooLarge: ([value]) => `The value ${value} is too large.`,
  // ExactPayments
  FailedDeployment: () => 'A contract could not be deployed (an ExactPayments deposit address).',
  ReceiverImplementationChanged: ([expected, actual]) =>
    `The new ExactPayments implementation clones receiver implementation ${actual}, not ${expected}; deposit addresses would change.`,
  AssetNotServed: ([nodeId, assetId]) => `Node #${nodeId} does not serve asset #${assetId}.`,
  AlreadyAttributed: ([, from, nonce]) => `The authorization ${nonce} of ${from} was already attributed.`,
  InvalidAuthorization: ([, from, nonce]) => `The authorization ${nonce} of ${from} is invalid.`,
  // VestingVault
  ZeroBeneficiary: () => 'The beneficiary is the zero address.',
  BeneficiaryIsVault: () => 'The vesting vault cannot be its own beneficiary.',
  ZeroDuration: () => 'The vesting duration must be greater than zero.',
  CliffAfterEnd: ([cliff, duration]) => `The cliff (${cliff} s) is after the end of the vesting (${duration} s).`,
  AmountTooLarge: ([value]) => `The amount ${value} does not fit in 128 bits.`,
  UnknownSchedule: ([id]) => `Vesting schedule #${id} does not exist.`,
  // Shared name: VestingVault reports a schedule id, MerkleAirdrop an account.
  NothingToRelease: ([who]) =>
    typeof who === 'bigint' ? `Vesting schedule #${who} has nothing to release now.` : `${who} has nothing to release from the airdrop now.`,
  NotBeneficiary: ([id, caller]) => `${caller} is not the beneficiary of vesting schedule #${id}.`,
  NotRevocable: ([id]) => `Vesting schedule #${id} is not revocable.`,
  AlreadyRevoked: ([id]) => `Vesting schedule #${id} was already revoked.`,
  // MerkleAirdrop
  ZeroRoot: () => 'The Merkle root is zero.',
  DeadlineInPast: ([deadline]) => `The claim deadline ${new Date(Number(deadline) * 1000).toISOString()} is in the past.`,
  AlreadyClaimed: ([account]) => `${account} already claimed its airdrop allocation.`,
  InvalidProof: () => 'The Merkle proof does not match this account and amount.',
  ClaimWindowClosed: ([deadline]) => `Airdrop claims closed at ${new Date(Number(deadline) * 1000).toISOString()}.`,
  ClaimWindowOpen: ([deadline]) =>
    `The airdrop can be swept only after its claim deadline ${new Date(Number(deadline) * 1000).toISOString()}.`,
  NothingToSweep: () => 'The airdrop holds nothing beyond what claimants are still owed.',
  // GrantPool
  NotOwnerOrCommittee: ([caller]) => `${caller} is neither the grant pool's owner (governance) nor its committee.`,
  NotApplicant: ([id, caller]) => `${caller} is not the applicant of grant #${id}.`,
  NotRecipient: ([id, caller]) => `${caller} is not the recipient of grant #${id}.`,
  InvalidMilestoneCount: ([count, max]) => `A grant application needs 1 to ${max} milestones, but ${count} were given.`,
  ZeroMilestoneAmount: ([index]) => `Milestone ${index} has a zero amount.`,
  GrantTooLarge: () => 'The milestones add up to more than the pool can ever account (2^128 - 1).',
  UriTooLong: ([length, max]) => `The metadata URI is ${length} bytes long, above the maximum of ${max}.`,
  UnknownGrant: ([id]) => `Grant #${id} does not exist.`,
  InvalidStatus: ([id, status]) => `Grant #${id} is ${grantStatusName(status)}, which does not allow this action.`,
  MilestoneOutOfRange: ([id, index, count]) => `Grant #${id} has ${count} milestones; there is no milestone ${index}.`,
  MilestoneAlreadyPaid: ([id, index]) => `Milestone ${index} of grant #${id} was already paid.`,
  InsufficientAvailable: ([requested, available], ctx) =>
    `The grant pool has ${amount(available, ctx)} available (unreserved) but ${amount(requested, ctx)} is needed.`,
  BudgetExceeded: ([requested, remaining], ctx) =>
    `The committee has ${amount(remaining, ctx)} of budget left in this period but ${amount(requested, ctx)} is needed; wait for the next period or ask governance.`,
  ZeroPeriod: () => 'The budget period must be longer than zero seconds.',
  NothingToSync: () => 'Nothing was sent to the grant pool since the last sync.',
  TransferShortfall: ([expected, received], ctx) =>
    `The token delivered ${amount(received, ctx)} instead of ${amount(expected, ctx)}; fee-on-transfer tokens are not supported.`,
  UnknownRound: ([id]) => `Reward round #${id} does not exist.`,
  RoundClaimsClosed: ([id]) => `Claims of reward round #${id} are closed (deadline passed or round closed).`,
  RewardAlreadyClaimed: ([id, account]) => `${account} already claimed its reward in round #${id}.`,
  ClaimExceedsRemaining: ([id, requested, remaining], ctx) =>
    `Reward round #${id} has only ${amount(remaining, ctx)} left but the claim is ${amount(requested, ctx)}.`,
  RoundStillOpen: ([id, deadline]) =>
    `Reward round #${id} is open until ${new Date(Number(deadline) * 1000).toISOString()}; only governance may close it earlier.`,
  RoundAlreadyClosed: ([id]) => `Reward round #${id} is already closed.`,
  // NodeStaking
  NodeNotDelegatable: ([id]) => `Node #${id} does not take delegations: it is not active (exiting, exited) or it is jailed.`,
  InsufficientShares: ([requested, held]) => `${requested} delegation shares were requested but only ${held} are held.`,
  AmountRoundsToZero: () => 'The amount is too small: it rounds to zero shares (or zero SAHARA) at the pool\'s current rate.',
  UnbondingQueueFull: ([id, account]) =>
    `${account} already has the maximum number of pending unbondings at node #${id}; withdraw the matured ones or wait.`,
  NothingToWithdraw: () => 'Nothing has finished unbonding yet: wait until the unbonding delay has passed.',
  NotRewardToken: ([token], ctx) => `Token ${tokenName(token, ctx)} is not a staking reward token.`,
  RewardTokenExists: ([token], ctx) => `Token ${tokenName(token, ctx)} is already a staking reward token.`,
  TooManyRewardTokens: () => 'The staking module already has the maximum number of reward tokens.',
  CommissionTooHigh: ([bps, max]) => `A commission of ${pct(bps)} is above the maximum of ${pct(max)}.`,
  InvalidSchedule: ([start, end]) => `The emission schedule ends (${end}) before it starts (${start}).`,
  NotJailed: ([id]) => `Node #${id} is not jailed.`,
  StillJailed: ([id, until]) => `Node #${id} is jailed until ${new Date(Number(until) * 1000).toISOString()}; unjail after that.`,
  SelfBondTooLow: ([bond, min], ctx) =>
    `The node's bond of ${amount(bond, ctx)} is below the registry minimum of ${amount(min, ctx)}: add stake before unjailing.`,
  InvalidEvidence: ([check]) =>
    `The two receipts are not equivocation evidence: ${['they are from different nodes', 'they are not on the same channel (or not on a channel)', 'they are for different assets', 'they are on different lanes', 'they have different indexes', 'they are the same receipt'][Number(check)] ?? `check ${check} failed`}.`,
  InvalidReceiptProof: () => "A receipt's Merkle proof does not lead to its batch root.",
  InvalidBatchSignature: ([recovered]) => `A receipt batch is signed by ${recovered}, neither the node's operator, its signer nor a signer it rotated away within the slashing window.`,
  RootNotRecordedByNode: ([root, by]) =>
    BigInt(by as bigint) === 0n
      ? `The receipts root ${root} was never recorded by a settlement.`
      : `The receipts root ${root} was recorded by node #${by}, not by the node of the receipts.`,
  EvidenceAlreadyUsed: ([key]) => `This evidence (${key}) was already used to slash the node.`,
  NotNodeRegistry: ([caller]) => `${caller} is not the NodeRegistry.`,
  NotStaking: ([caller]) => `${caller} is not the NodeStaking module.`,
  FutureLookup: ([timepoint, clock]) => `Staked votes at ${timepoint} are in the future (now ${clock}).`,
  // OpenZeppelin
  OwnableUnauthorizedAccount: ([account]) => `${account} is not the protocol admin; once the DAO timelock owns the protocol, admin changes go through a governance proposal (sahara gov propose).`,
  OwnableInvalidOwner: ([owner]) => `${owner} cannot be the owner.`,
  ERC20InsufficientBalance: ([sender, balance, needed], ctx) =>
    `${sender} has ${amount(balance, ctx)} but ${amount(needed, ctx)} is needed.`,
  ERC20InsufficientAllowance: ([spender, allowance, needed], ctx) =>
    `The allowance to ${shortAddress(spender, ctx)} is ${amount(allowance, ctx)} but ${amount(needed, ctx)} is needed; approve it first.`,
  ERC20InvalidSender: ([a]) => `${a} cannot send tokens.`,
  ERC20InvalidReceiver: ([a]) => `${a} cannot receive tokens.`,
  ERC20InvalidApprover: ([a]) => `${a} cannot approve.`,
  ERC20InvalidSpender: ([a]) => `${a} cannot be approved as a spender.`,
  ERC2612ExpiredSignature: ([deadline]) => `The permit expired at ${new Date(Number(deadline) * 1000).toISOString()}.`,
  ERC2612InvalidSigner: ([signer, owner]) => `The permit was signed by ${signer}, not by the owner ${owner}.`,
  InvalidAccountNonce: ([account, nonce]) => `The nonce is wrong for ${account} (current nonce ${nonce}).`,
  ERC721InvalidOwner: ([owner]) => `${owner} cannot own tokens.`,
  ERC721NonexistentToken: ([id]) => `Token #${id} does not exist.`,
  ERC721IncorrectOwner: ([sender, id, owner]) => `${sender} does not own token #${id}; ${owner} does.`,
  ERC721InvalidSender: ([a]) => `${a} cannot send this token.`,
  ERC721InvalidReceiver: ([a]) => `${a} cannot receive this token.`,
  ERC721InsufficientApproval: ([operator, id]) => `${operator} is not approved to move token #${id}.`,
  ERC721InvalidApprover: ([a]) => `${a} cannot approve this token.`,
  ERC721InvalidOperator: ([a]) => `${a} cannot be an operator.`,
  SafeERC20FailedOperation: ([token], ctx) => `The token transfer of ${tokenName(token, ctx)} failed.`,
  ReentrancyGuardReentrantCall: () => 'Reentrant call rejected.',
  InvalidInitialization: () => 'The contract is already initialized.',
  NotInitializing: () => 'The contract is not initializing.',
  UUPSUnauthorizedCallContext: () => 'This function must be called through the proxy.',
  UUPSUnsupportedProxiableUUID: () => 'The new implementation is not UUPS-compatible.',
  ERC1967InvalidImplementation: ([impl]) => `${impl} is not a valid implementation.`,
  AddressEmptyCode: ([target]) => `There is no contract at ${target}.`,
  ERC1967NonPayable: () => 'This call does not accept native currency.',
  SafeCastOverflowedUintDowncast: ([bits, value]) => `The value ${value} does not fit in ${bits} bits.`,
  InvalidShortString: () => 'The string is not a valid short string.',
  StringTooLong: ([str]) => `The string "${str}" is too long.`,
  CheckpointUnorderedInsertion: () => 'A vote checkpoint would be written out of order.',
  ERC20ExceededSafeSupply: ([increased, cap]) => `The supply would reach ${increased}, above the safe cap ${cap}.`,
  ERC5805FutureLookup: ([timepoint, clock]) => `Votes at ${timepoint} are in the future (now ${clock}).`,
  VotesExpiredSignature: ([expiry]) => `The delegation signature expired at ${new Date(Number(expiry) * 1000).toISOString()}.`,
  FailedCall: () => 'A low-level call failed.',
  InsufficientBalance: ([balance, needed]) => `The contract holds ${balance} wei of ether but ${needed} is needed.`,
  ECDSAInvalidSignature: () => 'The signature is invalid.',
  ECDSAInvalidSignatureLength: () => 'The signature has the wrong length.',
  ECDSAInvalidSignatureS: () => 'The signature is malleable (high s).',
  Error: ([reason]) => revertReasons[String(reason)] ?? `The contract reverted: ${String(reason).replace(/\.$/, '')}.`,
  Panic: ([code]) => `The contract panicked (code 0x${Number(code).toString(16)}).`,
}

/** Turns a decoded custom error into one English sentence. Unknown names get a generic sentence. */
export function describeContractError(errorName: string, args: readonly unknown[], ctx: ErrorContext = {}): string {
  const f = formatters[errorName]
  if (f) {
    try {
      return f(args, ctx)
    } catch {
      // Arguments of an unexpected shape: fall through to the generic sentence.
    }
  }
  return `The contract reverted with ${errorName}(${args.map(formatArg).join(', ')}).`
}

/** Decodes raw revert data against every protocol error; undefined when it is not one of ours. */
export function decodeRevertData(data: Hex): { errorName: string; args: readonly unknown[] } | undefined {
  try {
    const decoded = decodeErrorResult({ abi: saharaErrorsAbi, data })
    return { errorName: decoded.errorName, args: (decoded.args ?? []) as readonly unknown[] }
  } catch {
    return undefined
  }
}

/**
 * Converts anything thrown by viem (or by us) into a SaharaError with a readable sentence:
 * custom errors of our contracts, OpenZeppelin's ERC-20/721/Ownable errors, require strings and
 * panics become ContractError (raw name in `errorName`); connection failures become RpcError.
 */
export function decodeContractError(err: unknown, ctx: ErrorContext = {}): SaharaError {
  if (err instanceof SaharaError) return err
  if (err instanceof ViemBaseError) {
    const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null
    if (reverted) {
      let decoded = reverted.data ? { errorName: reverted.data.errorName, args: (reverted.data.args ?? []) as readonly unknown[] } : undefined
      if (!decoded && reverted.raw) decoded = decodeRevertData(reverted.raw)
      if (decoded) return contractError(decoded.errorName, decoded.args, ctx, err)
      if (reverted.reason) return contractError('Error', [reverted.reason], ctx, err)
      return new ContractError(
        `The contract reverted without a reason${reverted.signature ? ` (unknown error ${reverted.signature})` : ''}.`,
        reverted.signature ?? 'Unknown',
        [],
        err,
      )
    }
    // Reverts seen outside simulateContract (eth_call / estimateGas) carry raw data somewhere in the chain.
    const withData = err.walk((e) => typeof (e as { data?: unknown }).data === 'string' && /^0x[0-9a-f]{8}/i.test((e as { data: string }).data))
    if (withData) {
      const decoded = decodeRevertData((withData as unknown as { data: Hex }).data)
      if (decoded) return contractError(decoded.errorName, decoded.args, ctx, err)
    }
    if (err.walk((e) => e instanceof ContractFunctionZeroDataError)) {
      return new SaharaError('The contract returned no data: is the deployments file for this chain, and is the node the one it was deployed to?', { cause: err })
    }
    if (err.walk((e) => e instanceof InsufficientFundsError)) {
      return new SaharaError('The account does not have enough native currency to pay for gas.', { cause: err })
    }
    const http = err.walk((e) => e instanceof HttpRequestError || e instanceof WebSocketRequestError || e instanceof TimeoutError)
    if (http) {
      const url = (http as { url?: string }).url
      return new RpcError(`Cannot reach the RPC endpoint${url ? ` at ${url}` : ''}: is the node running?`, { cause: err })
    }
    return new SaharaError(sentence(err.shortMessage), { cause: err, details: err.details })
  }
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ECONNREFUSED') return new RpcError('Cannot reach the RPC endpoint: connection refused.', { cause: err })
    return new SaharaError(sentence(err.message), { cause: err })
  }
  return new SaharaError(sentence(String(err)))
}

function contractError(errorName: string, args: readonly unknown[], ctx: ErrorContext, cause: unknown): ContractError {
  if (errorName === 'EnforcedPause') {
    // Best guess without a chain read: the contract that was called (run() confirms with paused()).
    const called = cause instanceof ViemBaseError ? (cause.walk((e) => typeof (e as { contractAddress?: unknown }).contractAddress === 'string') as { contractAddress?: string } | null)?.contractAddress : undefined
    const name = called ? ctx.contracts?.[called.toLowerCase()] : undefined
    return new ModulePausedError(pausedMessage(name), name, cause)
  }
  const message = describeContractError(errorName, args, ctx)
  if (errorName === 'Error' && args[0] === UNISWAP_SLIPPAGE_REASON) return new SlippageError(message, errorName, args, cause)
  return new ContractError(message, errorName, args, cause)
}

function sentence(s: string): string {
  const first = s.split('\n')[0]?.trim() ?? ''
  if (!first) return 'Unknown error.'
  return /[.!?]$/.test(first) ? first : `${first}.`
}

/** Runs `fn` and rethrows anything as a decoded SaharaError. */
export async function withDecodedErrors<T>(fn: () => Promise<T>, ctx: ErrorContext = {}): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw decodeContractError(err, ctx)
  }
}

export type { Address }
