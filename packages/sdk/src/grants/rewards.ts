import { getAddress, type Address, type Hex } from 'viem'
import { getBlock } from 'viem/actions'
import { buildAirdrop, type Airdrop, type AirdropEntry, type AirdropRow } from '../airdrop'
import { SaharaError } from '../errors'
import { toBigInt, type TxResult, type WriteContext } from '../actions/_internal'
import { _grantPoolEvents as events, _sendGrantPool as send } from './write'

/** A reward list problem found before anything is sent (e.g. the account is not in the list). */
export class RewardRoundError extends SaharaError {
  override name = 'RewardRoundError'
}

/**
 * Builds the Merkle tree of an event-reward round with the airdrop builder: same leaf encoding
 * ["address","uint256"] as MerkleAirdrop, which GrantPool.claimReward verifies. `total` is what the
 * round must reserve.
 */
export function buildRewardRound(rows: readonly AirdropRow[]): Airdrop {
  return buildAirdrop(rows)
}

/** The entry (amount and proof) of `account` in a built round; RewardRoundError when absent. */
export function findRewardEntry(round: Pick<Airdrop, 'entries' | 'root'>, account: Address): AirdropEntry {
  const a = getAddress(account)
  const e = round.entries.find((x) => x.account === a)
  if (!e) throw new RewardRoundError(`${a} has no reward in the round with root ${round.root}.`)
  return e
}

export type CreateRewardRoundParams = {
  /** The StandardMerkleTree root (from buildRewardRound). */
  root: Hex
  /** SAHARA wei reserved for the round (normally the tree's total). */
  total: bigint | number | string
  /** Last second (unix) at which claims are accepted; or use `durationSeconds`. */
  deadline?: bigint | number | undefined
  /** Claims stay open this long after the latest block (default 30 days when no deadline). */
  durationSeconds?: number | undefined
}

/** Owner or committee (within budget): opens a reward round; returns its id and deadline. */
export async function createRewardRound(ctx: WriteContext, p: CreateRewardRoundParams): Promise<TxResult & { roundId: bigint; deadline: bigint }> {
  const total = toBigInt(p.total, 'total')
  let deadline: bigint
  if (p.deadline !== undefined) deadline = toBigInt(p.deadline, 'deadline')
  else deadline = (await getBlock(ctx.publicClient, { blockTag: 'latest' })).timestamp + BigInt(p.durationSeconds ?? 30 * 24 * 3600)
  const tx = await send(ctx, 'createRewardRound', 'createRewardRound', [p.root, total, deadline])
  const [e] = events(tx, 'RewardRoundCreated')
  return { ...tx, roundId: e!.args.roundId!, deadline }
}

/** Pays `account` its reward of round `roundId` (anyone may submit it). */
export async function claimReward(
  ctx: WriteContext,
  p: { roundId: bigint | number | string; account: Address; amount: bigint | number | string; proof: readonly Hex[] },
): Promise<TxResult & { amount: bigint }> {
  const tx = await send(ctx, 'claimReward', 'claimReward', [toBigInt(p.roundId, 'roundId'), getAddress(p.account), toBigInt(p.amount, 'amount'), p.proof])
  return { ...tx, amount: events(tx, 'RewardClaimed')[0]!.args.amount! }
}

/** Closes a round (anyone after its deadline, the owner any time); returns what went back to the pool. */
export async function closeRewardRound(ctx: WriteContext, p: { roundId: bigint | number | string }): Promise<TxResult & { returned: bigint }> {
  const tx = await send(ctx, 'closeRewardRound', 'closeRewardRound', [toBigInt(p.roundId, 'roundId')])
  return { ...tx, returned: events(tx, 'RewardRoundClosed')[0]!.args.returned! }
}
