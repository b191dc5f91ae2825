import { isHex, keccak256, parseEventLogs, stringToBytes, type Address, type Hex } from 'viem'
import { simulateContract } from 'viem/actions'
import { contributionSharesAbi } from '../abis/generated'
import { InvalidArgumentError } from '../errors'
import { requireAccount, run, submit, toBigInt, type TxResult, type WriteContext } from './_internal'

/** Contribution types used by the SDK and CLI (the contract stores a uint8). */
export const ContributionType = { DATA: 0, LABELING: 1, TRAINING: 2, EVALUATION: 3, CODE: 4, OTHER: 5 } as const
export type ContributionTypeName = keyof typeof ContributionType

export function contributionTypeId(t: ContributionTypeName | Lowercase<ContributionTypeName> | number): number {
  if (typeof t === 'number') {
    if (!Number.isInteger(t) || t < 0 || t > 255) throw new InvalidArgumentError(`${t} is not a valid contribution type.`)
    return t
  }
  const id = ContributionType[t.toUpperCase() as ContributionTypeName]
  if (id === undefined) throw new InvalidArgumentError(`Unknown contribution type "${t}"; use one of ${Object.keys(ContributionType).join(', ').toLowerCase()} or a number.`)
  return id
}

/** A 32-byte hex hash is used as is; any other evidence (a URL, a CID, a note) is hashed with keccak256. */
export function evidenceHash(evidence: string | Hex | undefined): Hex {
  if (evidence === undefined || evidence === '') return `0x${'00'.repeat(32)}`
  if (isHex(evidence) && evidence.length === 66) return evidence
  return keccak256(stringToBytes(evidence))
}

export type MintSharesParams = {
  assetId: bigint | number
  contributor: Address
  shares: bigint | number
  contributionType?: ContributionTypeName | Lowercase<ContributionTypeName> | number | undefined
  evidence?: string | undefined
}

/** Mints soulbound contribution shares in an asset (asset owner or an authorized minter). */
export async function mintShares(ctx: WriteContext, p: MintSharesParams): Promise<TxResult & { contributionId: bigint }> {
  return run(ctx, { action: 'mintShares' }, async () => {
    const account = requireAccount(ctx.walletClient, 'mintShares')
    const shares = toBigInt(p.shares, 'shares')
    const { request } = await simulateContract(ctx.publicClient, {
      account,
      address: ctx.deployments.contracts.ContributionShares,
      abi: contributionSharesAbi,
      functionName: 'mint',
      args: [toBigInt(p.assetId, 'assetId'), p.contributor, shares, contributionTypeId(p.contributionType ?? 'OTHER'), evidenceHash(p.evidence)],
    })
    const tx = await submit(ctx, request, 'mintShares')
    const [event] = parseEventLogs({ abi: contributionSharesAbi, logs: tx.receipt.logs, eventName: 'ContributionRecorded' })
    if (!event) throw new Error('The mint transaction emitted no ContributionRecorded event.')
    return { ...tx, contributionId: event.args.contributionId }
  })
}
