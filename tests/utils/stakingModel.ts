/**
 * A reference model of NodeStaking's reward math, written from the formulas in
 * docs/protocol/staking.md (not from the contract's state): emissions streamed lazily at
 * `rate` per second from `start` to `end` whenever something touches the module, a global index
 * per reward token over the total weight, and per node an index delta turned into
 * commission / self-bond / pool parts, the pool part feeding a reward per share. Every division
 * rounds down, like the contract. The e2e test replays its transactions here at their block times
 * and expects the chain to pay exactly what the model predicts.
 */
export const PRECISION = 10n ** 36n
const BPS = 10_000n

type NodeM = {
  operator: string
  selfBond: bigint
  pooled: bigint
  poolShares: bigint
  weight: bigint
  commissionBps: bigint
  index: bigint[]
  poolRps: bigint[]
  operatorRewards: bigint[]
}

type DelegatorM = { shares: bigint; rps: bigint[]; pending: bigint[] }

export class StakingModel {
  readonly global: bigint[]
  totalWeight = 0n
  emissionLast: bigint
  reserve: bigint
  readonly nodes = new Map<bigint, NodeM>()
  readonly delegators = new Map<string, DelegatorM>()

  constructor(
    readonly tokens: number,
    readonly emission: { rate: bigint; start: bigint; end: bigint },
    reserve: bigint,
    emissionLast: bigint,
  ) {
    this.global = Array.from({ length: tokens }, () => 0n)
    this.reserve = reserve
    this.emissionLast = emissionLast
  }

  private zeros = () => Array.from({ length: this.tokens }, () => 0n)

  node(id: bigint): NodeM {
    let n = this.nodes.get(id)
    if (!n) {
      n = { operator: '', selfBond: 0n, pooled: 0n, poolShares: 0n, weight: 0n, commissionBps: 0n, index: this.zeros(), poolRps: this.zeros(), operatorRewards: this.zeros() }
      this.nodes.set(id, n)
    }
    return n
  }

  private delegator(id: bigint, account: string): DelegatorM {
    const key = `${id}:${account.toLowerCase()}`
    let d = this.delegators.get(key)
    if (!d) {
      d = { shares: 0n, rps: this.zeros(), pending: this.zeros() }
      this.delegators.set(key, d)
    }
    return d
  }

  /** Emission due at time `t` (capped by the reserve; nothing while no weight). */
  private dueEmission(t: bigint): bigint {
    const { rate, start, end } = this.emission
    if (rate === 0n || this.totalWeight === 0n) return 0n
    const from = this.emissionLast > start ? this.emissionLast : start
    const to = t < end ? t : end
    if (to <= from) return 0n
    const amount = (to - from) * rate
    return amount < this.reserve ? amount : this.reserve
  }

  release(t: bigint): void {
    if (this.emissionLast === t) return
    const amount = this.dueEmission(t)
    this.emissionLast = t
    if (amount === 0n) return
    this.reserve -= amount
    this.global[0]! += (amount * PRECISION) / this.totalWeight
  }

  private accrue(n: NodeM): void {
    for (let i = 0; i < this.tokens; i++) {
      const delta = this.global[i]! - n.index[i]!
      n.index[i] = this.global[i]!
      if (delta === 0n || n.weight === 0n) continue
      const reward = (delta * n.weight) / PRECISION
      const commission = (reward * n.commissionBps) / BPS
      const rest = reward - commission
      let self = (rest * n.selfBond) / n.weight
      const pool = rest - self
      if (n.poolShares !== 0n) n.poolRps[i]! += (pool * PRECISION) / n.poolShares
      else self += pool
      n.operatorRewards[i]! += commission + self
    }
  }

  private setWeight(n: NodeM): void {
    const w = n.selfBond + n.pooled
    this.totalWeight = this.totalWeight - n.weight + w
    n.weight = w
  }

  private settle(n: NodeM, d: DelegatorM): void {
    for (let i = 0; i < this.tokens; i++) {
      d.pending[i]! += (d.shares * (n.poolRps[i]! - d.rps[i]!)) / PRECISION
      d.rps[i] = n.poolRps[i]!
    }
  }

  /** A touch of node `id` at time `t` that (re)reads its bond: register, addStake, setCommission... */
  touch(id: bigint, t: bigint, bond?: { operator: string; selfBond: bigint }): void {
    this.release(t)
    const n = this.node(id)
    this.accrue(n)
    if (bond) {
      n.operator = bond.operator.toLowerCase()
      n.selfBond = bond.selfBond
    }
    this.setWeight(n)
  }

  setCommission(id: bigint, t: bigint, bps: bigint): void {
    this.touch(id, t)
    this.node(id).commissionBps = bps
  }

  delegate(id: bigint, account: string, amount: bigint, t: bigint): bigint {
    this.touch(id, t)
    const n = this.node(id)
    const d = this.delegator(id, account)
    this.settle(n, d)
    const shares = n.poolShares === 0n ? amount : (amount * n.poolShares) / n.pooled
    n.pooled += amount
    n.poolShares += shares
    d.shares += shares
    this.setWeight(n)
    return shares
  }

  undelegate(id: bigint, account: string, shares: bigint, t: bigint): bigint {
    this.touch(id, t)
    const n = this.node(id)
    const d = this.delegator(id, account)
    this.settle(n, d)
    const amount = (shares * n.pooled) / n.poolShares
    n.poolShares -= shares
    n.pooled -= amount
    d.shares -= shares
    this.setWeight(n)
    return amount
  }

  notify(i: number, amount: bigint, t: bigint): void {
    this.release(t)
    this.global[i]! += (amount * PRECISION) / this.totalWeight
  }

  /** What a claim by `account` at node `id` at time `t` pays, per token (and zeroes it). */
  claim(id: bigint, account: string, t: bigint): bigint[] {
    this.touch(id, t)
    const n = this.node(id)
    const d = this.delegator(id, account)
    this.settle(n, d)
    const out = this.zeros()
    for (let i = 0; i < this.tokens; i++) {
      out[i] = d.pending[i]!
      d.pending[i] = 0n
      if (account.toLowerCase() === n.operator) {
        out[i]! += n.operatorRewards[i]!
        n.operatorRewards[i] = 0n
      }
    }
    return out
  }
}

/** An independent copy (to predict a view without changing the model). */
export function cloneModel(m: StakingModel): StakingModel {
  const c = new StakingModel(m.tokens, m.emission, m.reserve, m.emissionLast)
  c.global.splice(0, c.global.length, ...m.global)
  c.totalWeight = m.totalWeight
  for (const [k, n] of m.nodes) c.nodes.set(k, { ...n, index: [...n.index], poolRps: [...n.poolRps], operatorRewards: [...n.operatorRewards] })
  for (const [k, d] of m.delegators) c.delegators.set(k, { shares: d.shares, rps: [...d.rps], pending: [...d.pending] })
  return c
}
