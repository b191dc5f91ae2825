// An independent model of the revenue rules as documented in IRevenueVault / RevenueVault's
// NatSpec, used to compute what every party must be able to claim, to the wei:
//   fee = A*feeBps/1e4; royalties = (A-fee)*royaltyBps/1e4; contributors = M*contributorBps/1e4
//   (0 without shares), M = A-fee-royalties; owner = M-contributors. Flushing splits pending
//   royalties among parents pro rata to link bps (last royalty parent gets the remainder), each
//   part an inflow without protocol fee. Contributors: per-share accumulator scaled by 1e36 with
//   the division remainder carried; a holder gets floor(shares*acc/1e36).
const BPS = 10_000n
const SCALE = 10n ** 36n

type Asset = { owner: string; parents: { id: bigint; bps: bigint }[]; royaltyBps: bigint; contributorBps: bigint; shares: Map<string, bigint> }
type PerToken = { pending: bigint; acc: bigint; carry: bigint }

export class VaultModel {
  readonly assets = new Map<bigint, Asset>()
  private perToken = new Map<string, PerToken>()
  /** Owner balances and protocol fees (under the treasury address), per token. */
  readonly balances = new Map<string, bigint>()
  /** Total that entered the vault per token. */
  readonly inflows = new Map<string, bigint>()

  constructor(
    readonly feeBps: bigint,
    readonly treasury: string,
  ) {}

  addAsset(id: bigint, owner: string, parents: { id: bigint; bps: bigint }[] = []): void {
    this.assets.set(id, { owner: owner.toLowerCase(), parents, royaltyBps: parents.reduce((s, p) => s + p.bps, 0n), contributorBps: 0n, shares: new Map() })
  }
  setSplit(id: bigint, bps: bigint): void {
    this.asset(id).contributorBps = bps
  }
  /** Shares must be minted before any revenue in this model (as in the scenario). */
  mint(id: bigint, holder: string, shares: bigint): void {
    const a = this.asset(id)
    a.shares.set(holder.toLowerCase(), (a.shares.get(holder.toLowerCase()) ?? 0n) + shares)
  }

  pay(id: bigint, token: string, amount: bigint): void {
    this.inflows.set(token, (this.inflows.get(token) ?? 0n) + amount)
    const fee = (amount * this.feeBps) / BPS
    this.credit(this.treasury, token, fee)
    this.split(id, token, amount - fee)
  }

  flush(id: bigint, token: string): void {
    const t = this.token(id, token)
    const pending = t.pending
    if (pending === 0n) return
    t.pending = 0n
    const parents = this.asset(id).parents.filter((p) => p.bps > 0n)
    const total = parents.reduce((s, p) => s + p.bps, 0n)
    let left = pending
    parents.forEach((p, i) => {
      const part = i === parents.length - 1 ? left : (pending * p.bps) / total
      left -= part
      if (part > 0n) this.split(p.id, token, part)
    })
  }

  pending(id: bigint, token: string): bigint {
    return this.token(id, token).pending
  }

  /** What `account` can claim in `token`: owner/treasury balance + contributor entitlements. */
  claimable(account: string, token: string): bigint {
    const acct = account.toLowerCase()
    let total = this.balances.get(`${acct}:${token}`) ?? 0n
    for (const [id, a] of this.assets) {
      const s = a.shares.get(acct)
      if (s) total += (s * this.token(id, token).acc) / SCALE
    }
    return total
  }

  private split(id: bigint, token: string, amount: bigint): void {
    const a = this.asset(id)
    const t = this.token(id, token)
    const royalties = (amount * a.royaltyBps) / BPS
    const rest = amount - royalties
    const totalShares = [...a.shares.values()].reduce((s, x) => s + x, 0n)
    const contributors = totalShares === 0n ? 0n : (rest * a.contributorBps) / BPS
    t.pending += royalties
    if (contributors > 0n) {
      const scaled = contributors * SCALE + t.carry
      t.acc += scaled / totalShares
      t.carry = scaled % totalShares
    }
    this.credit(a.owner, token, rest - contributors)
  }

  private credit(account: string, token: string, amount: bigint): void {
    const key = `${account.toLowerCase()}:${token}`
    this.balances.set(key, (this.balances.get(key) ?? 0n) + amount)
  }
  private asset(id: bigint): Asset {
    const a = this.assets.get(id)
    if (!a) throw new Error(`model: unknown asset ${id}`)
    return a
  }
  private token(id: bigint, token: string): PerToken {
    const key = `${id}:${token}`
    let t = this.perToken.get(key)
    if (!t) this.perToken.set(key, (t = { pending: 0n, acc: 0n, carry: 0n }))
    return t
  }
}
