import { getAddress, type Address } from 'viem'
import { getBlock, readContract } from 'viem/actions'
import { nodeStakingAbi, saharaVotesAbi } from '../abis/staking'
import { stakingContract } from '../deployments'
import { run, toBigInt, type ReadContext } from './_internal'

export type StakedVotesView = {
  account: Address
  /** Staked votes (self bonds + delegated principal, lowered by slashes at the account's next action). */
  staked: bigint
  /** SaharaVotes: token votes (ERC20Votes delegation) + staked votes: what a governor on SaharaVotes counts. */
  total: bigint
  /** The timepoint read (undefined = now). */
  timepoint?: bigint | undefined
}

/**
 * `account`'s staked votes and its SaharaVotes total, now or at a past `timepoint` (Unix seconds,
 * strictly before the latest block: a future one reverts FutureLookup).
 */
export async function getStakedVotes(ctx: ReadContext, p: { account: Address; timepoint?: bigint | number | undefined }): Promise<StakedVotesView> {
  return run(ctx, { action: 'getStakedVotes' }, async () => {
    const account = getAddress(p.account)
    const staking = stakingContract(ctx.deployments, 'NodeStaking')
    const votes = stakingContract(ctx.deployments, 'SaharaVotes')
    if (p.timepoint === undefined) {
      // Both reads at one block so the total includes exactly the staked figure.
      const { number: blockNumber } = await getBlock(ctx.publicClient, { blockTag: 'latest' })
      const [staked, total] = await Promise.all([
        readContract(ctx.publicClient, { address: staking, abi: nodeStakingAbi, functionName: 'getStakedVotes', args: [account], blockNumber }),
        readContract(ctx.publicClient, { address: votes, abi: saharaVotesAbi, functionName: 'getVotes', args: [account], blockNumber }),
      ])
      return { account, staked, total }
    }
    const timepoint = toBigInt(p.timepoint, 'timepoint')
    const [staked, total] = await Promise.all([
      readContract(ctx.publicClient, { address: staking, abi: nodeStakingAbi, functionName: 'getPastStakedVotes', args: [account, timepoint] }),
      readContract(ctx.publicClient, { address: votes, abi: saharaVotesAbi, functionName: 'getPastVotes', args: [account, timepoint] }),
    ])
    return { account, staked, total, timepoint }
  })
}
