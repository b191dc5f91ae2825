// Tokenomics config: validation (one typed error per problem), exact wei sums with the dust
// policy, and the monthly schedule checked against an independent copy of the VestingVault formula.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { mnemonicToAccount } from 'viem/accounts'
import {
  MONTH_SECONDS,
  TokenomicsConfigError,
  allocations,
  fullUnlockMonth,
  monthlySchedule,
  parseTokenomics,
  proofLine,
  report,
  tokenomicsTotals,
  vestedAmount,
  vestingSchedules,
} from '../src/index.ts'

const defaultJson = JSON.parse(readFileSync(new URL('../../../config/tokenomics.json', import.meta.url), 'utf8'))
const clone = (): any => structuredClone(defaultJson)
const E18 = 10n ** 18n
const SUPPLY_WEI = 10_000_000_000n * E18
/** wei of a percent of the default supply, computed independently: 1% = 10^8 tokens. */
const pct = (p: number | bigint) => (BigInt(p) * SUPPLY_WEI) / 100n

/** The VestingVault formula written out again for the test (not imported from the SDK). */
function contractVested(amount: bigint, start: bigint, cliff: bigint, duration: bigint, t: bigint): bigint {
  if (t < start + cliff) return 0n
  if (t >= start + duration) return amount
  return (amount * (t - start)) / duration
}

function rejects(mutate: (c: any) => unknown, path: string, message: string | RegExp) {
  const c = clone()
  const replaced = mutate(c)
  const input = replaced === undefined ? c : replaced
  assert.throws(
    () => parseTokenomics(input),
    (err: unknown) => {
      assert.ok(err instanceof TokenomicsConfigError, `expected TokenomicsConfigError, got ${err}`)
      assert.equal(err.path, path)
      if (typeof message === 'string') assert.equal(err.shortMessage, message)
      else assert.match(err.shortMessage, message)
      // one sentence: ends with a period, no line breaks
      assert.match(err.shortMessage, /^[^\n]+\.$/)
      return true
    },
  )
}

describe('default config', () => {
  const t = parseTokenomics(defaultJson)

  it('has the documented buckets, exact to the wei', () => {
    assert.equal(t.supplyWei, SUPPLY_WEI)
    assert.deepEqual(
      t.buckets.map((b) => [b.id, b.percent, b.amount]),
      [
        ['community', '64.25', (6425n * SUPPLY_WEI) / 10_000n],
        ['team', '15', pct(15)],
        ['investors', '19.75', (1975n * SUPPLY_WEI) / 10_000n],
        ['liquidity', '1', pct(1)],
      ],
    )
    assert.equal(t.buckets.reduce((a, b) => a + b.amount, 0n), SUPPLY_WEI)
    const community = t.buckets[0]!.subBuckets!
    assert.deepEqual(community.map((s) => s.id), ['airdrops', 'grants', 'stakingRewards', 'treasury', 'launchpad'])
    assert.equal(community.reduce((a, s) => a + s.amount, 0n), t.buckets[0]!.amount)
    for (const b of t.buckets.slice(1, 3)) assert.equal(b.beneficiaries!.reduce((a, x) => a + x.amount, 0n), b.amount)
    assert.equal(allocations(t).reduce((a, x) => a + x.amount, 0n), SUPPLY_WEI)
  })

  it('team and investor placeholders are anvil dev accounts #1-#6 of the test mnemonic', () => {
    const mnemonic = 'test test test test test test test test test test test junk'
    const want = [1, 2, 3, 4, 5, 6].map((i) => mnemonicToAccount(mnemonic, { addressIndex: i }).address)
    assert.deepEqual(vestingSchedules(t).map((s) => s.beneficiary), want)
  })

  it('feeds VestingVault.createSchedules: team 12/48 months revocable, investors not revocable', () => {
    const s = vestingSchedules(t)
    assert.equal(s.length, 6)
    for (const x of s.slice(0, 3)) assert.deepEqual([x.start, x.cliff, x.duration, x.revocable], [1798761600n, 12n * 2_592_000n, 48n * 2_592_000n, true])
    for (const x of s.slice(3)) assert.deepEqual([x.start, x.cliff, x.duration, x.revocable], [1798761600n, 12n * 2_592_000n, 36n * 2_592_000n, false])
    assert.equal(s.reduce((a, x) => a + x.amount, 0n), pct(15) + (1975n * SUPPLY_WEI) / 10_000n)
  })

  it('monthly schedule equals the contract formula for every allocation and month', () => {
    const rows = monthlySchedule(t, 60)
    assert.equal(rows.length, 61)
    // schedule terms written out from the documented config, not read back from allocations()
    const terms: Record<string, [number, number] | 'tge'> = {
      airdrops: 'tge', liquidity: 'tge', grants: [0, 48], stakingRewards: [0, 48], treasury: [0, 60], launchpad: [0, 36], team: [12, 48], investors: [12, 36],
    }
    const tge = 1798761600n
    for (const r of rows) {
      assert.equal(r.timestamp, tge + BigInt(r.month) * 2_592_000n)
      const byBucket: Record<string, bigint> = { community: 0n, team: 0n, investors: 0n, liquidity: 0n }
      for (const a of allocations(t)) {
        const term = terms[a.subBucket ?? a.bucket]!
        const v = term === 'tge' ? a.amount : contractVested(a.amount, tge, BigInt(term[0]) * 2_592_000n, BigInt(term[1]) * 2_592_000n, r.timestamp)
        byBucket[a.bucket] = byBucket[a.bucket]! + v
      }
      assert.deepEqual(r.buckets, byBucket, `month ${r.month}`)
      assert.equal(r.total, Object.values(byBucket).reduce((a, b) => a + b, 0n))
    }
  })

  it('schedule boundaries: nothing before the cliff, the accrued quarter at the cliff, everything at the end', () => {
    const rows = monthlySchedule(t, 60)
    assert.equal(rows[0]!.total, pct(10) + pct(1)) // airdrops + liquidity at TGE
    assert.equal(rows[11]!.buckets.team, 0n)
    assert.equal(rows[11]!.buckets.investors, 0n)
    // at the cliff: floor(amount * 12/48) per beneficiary (6%, 5%, 4% of supply, all divisible by 4)
    assert.equal(rows[12]!.buckets.team, pct(15) / 4n)
    assert.equal(rows[12]!.buckets.investors, [950n, 625n, 400n].reduce((a, bp) => a + (bp * SUPPLY_WEI) / 10_000n / 3n, 0n))
    assert.equal(rows[36]!.buckets.investors, (1975n * SUPPLY_WEI) / 10_000n)
    assert.ok(rows[47]!.buckets.team! < pct(15))
    assert.equal(rows[48]!.buckets.team, pct(15))
    assert.equal(rows[48]!.subBuckets.stakingRewards, pct(20))
    assert.ok(rows[59]!.subBuckets.treasury! < (1525n * SUPPLY_WEI) / 10_000n)
    assert.equal(rows[60]!.total, SUPPLY_WEI)
    assert.equal(fullUnlockMonth(t), 60)
    // one second around the team cliff and end, on the vault's own units
    const team = allocations(t).find((a) => a.bucket === 'team')!
    const s = team.schedule!
    assert.equal(vestedAmount(team.amount, s, s.start + s.cliff - 1n), 0n)
    assert.equal(vestedAmount(team.amount, s, s.start + s.cliff), team.amount / 4n)
    assert.equal(vestedAmount(team.amount, s, s.start + s.duration - 1n), (team.amount * (s.duration - 1n)) / s.duration)
    assert.equal(vestedAmount(team.amount, s, s.start + s.duration), team.amount)
    assert.equal(vestedAmount(team.amount, s, s.start - 1n), 0n)
  })

  it('report: totals and the proof line', () => {
    const totals = tokenomicsTotals(t, 60)
    assert.deepEqual(totals, {
      supplyWei: SUPPLY_WEI,
      allocatedWei: SUPPLY_WEI,
      allocationsExact: true,
      month: 60,
      unlockedAtMonth: SUPPLY_WEI,
      fullyUnlocked: true,
      fullUnlockMonth: 60,
    })
    const text = report(t, { months: 60 })
    const last = text.split('\n').at(-1)!
    assert.equal(
      last,
      'proof: allocations sum to 10000000000000000000000000000 wei = supply (exact); month 60 unlocked 10000000000000000000000000000 wei = supply (fully unlocked from month 60)',
    )
    assert.match(text, /^ {2}60 +2031-12-06 +6,425,000,000 +1,500,000,000 +1,975,000,000 +100,000,000 +10,000,000,000 +100\.00%$/m)
    assert.match(text, /^ {2}12 +2027-12-27 .* 375,000,000 /m)
    const partial = tokenomicsTotals(t, 24)
    assert.equal(partial.fullyUnlocked, false)
    assert.equal(partial.unlockedAtMonth, monthlySchedule(t, 24)[24]!.total)
    assert.match(proofLine(t, partial), /month 24 unlocked \d+ wei of 10000000000000000000000000000 \(58\.43%; fully unlocked from month 60\)$/)
  })
})

describe('dust policy', () => {
  it('the last bucket, sub-bucket and percent beneficiary take the rounding remainder', () => {
    const t = parseTokenomics({
      supply: '10',
      decimals: 0,
      tgeTimestamp: 1,
      buckets: [
        { id: 'a', percent: '33.3333', subBuckets: [{ id: 'a1', percent: '11.1111' }, { id: 'a2', percent: '22.2222' }] },
        {
          id: 'b',
          percent: '33.3333',
          vesting: { cliffMonths: 0, durationMonths: 1, revocable: false },
          beneficiaries: [
            { address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', percent: '13.3333' },
            { address: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', percent: '10' },
            { address: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', amount: '1' },
          ],
        },
        { id: 'c', percent: '33.3334' },
      ],
    })
    // floor(3.33333) = 3, 3, last = 10 - 6 = 4
    assert.deepEqual(t.buckets.map((b) => b.amount), [3n, 3n, 4n])
    // a1 = floor(1.11111) = 1, a2 = 3 - 1 = 2
    assert.deepEqual(t.buckets[0]!.subBuckets!.map((s) => s.amount), [1n, 2n])
    // b: 1.33333 -> 1, then the last percent beneficiary takes 3 - 1 - 1 (the amount one) = 1, amount one exact
    assert.deepEqual(t.buckets[1]!.beneficiaries!.map((x) => x.amount), [1n, 1n, 1n])
    assert.equal(allocations(t).reduce((a, x) => a + x.amount, 0n), 10n)
    assert.equal(monthlySchedule(t, 1)[1]!.total, 10n)
  })

  it('amount beneficiaries are exact and must add up to the bucket', () => {
    const base = {
      supply: '1000',
      decimals: 18,
      tgeTimestamp: 1,
      buckets: [
        { id: 'x', percent: '100', vesting: { cliffMonths: 0, durationMonths: 2, revocable: true }, beneficiaries: [
          { address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', amount: '999.999999999999999999' },
          { address: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', amount: '0.000000000000000001' },
        ] },
      ],
    }
    assert.deepEqual(parseTokenomics(base).buckets[0]!.beneficiaries!.map((x) => x.amount), [1000n * E18 - 1n, 1n])
    const short = structuredClone(base)
    short.buckets[0]!.beneficiaries[1]!.amount = '0.000000000000000002'
    assert.throws(() => parseTokenomics(short), /beneficiaries of bucket "x" add up to about 100% of the supply, not the bucket's 100%/)
  })
})

describe('validation errors', () => {
  it('the config shape', () => {
    rejects(() => [], '', 'the config must be a JSON object.')
    rejects((c) => void (c.supplly = '1'), 'supplly', 'the config has an unknown field "supplly" (allowed: $comment, symbol, supply, decimals, tgeTimestamp, buckets, unlocks).')
    rejects((c) => void delete c.supply, 'supply', 'supply is missing (the total supply in whole tokens, e.g. "10000000000").')
    rejects((c) => void (c.supply = '0'), 'supply', 'supply must be above zero.')
    rejects((c) => void (c.supply = '1.5'), 'supply', 'supply must be the total supply in whole tokens (a whole number), got "1.5".')
    rejects((c) => void (c.decimals = 18.5), 'decimals', 'decimals must be a whole number from 0 to 36, got 18.5.')
    rejects((c) => void delete c.tgeTimestamp, 'tgeTimestamp', 'tgeTimestamp is missing (unix seconds of the token generation event).')
    rejects((c) => void (c.tgeTimestamp = -5), 'tgeTimestamp', 'tgeTimestamp must be unix seconds (a whole number), got -5.')
    rejects((c) => void (c.buckets = []), 'buckets', 'buckets must be a non-empty array.')
  })

  it('percents', () => {
    rejects((c) => void (c.buckets[3].percent = '2'), 'buckets', 'The bucket percents sum to 101%, not 100%.')
    rejects((c) => void (c.buckets[3].percent = '0.99999'), 'buckets[3].percent', 'buckets[3].percent "0.99999" has more than 4 decimals.')
    rejects((c) => void (c.buckets[3].percent = 1), 'buckets[3].percent', 'buckets[3].percent must be a percent written as a string like "64.25", got 1.')
    rejects((c) => void (c.buckets[3].percent = '-1'), 'buckets[3].percent', 'buckets[3].percent must be a decimal percent like "64.25", got "-1".')
    rejects((c) => void (c.buckets[3].percent = '0'), 'buckets[3].percent', 'buckets[3].percent must be above zero.')
    rejects((c) => void (c.buckets[3].percent = '100.0001'), 'buckets[3].percent', 'buckets[3].percent "100.0001" is above 100%.')
    rejects((c) => void delete c.buckets[3].percent, 'buckets[3].percent', 'buckets[3].percent is missing for bucket "liquidity".')
    rejects(
      (c) => void (c.buckets[0].subBuckets[4].percent = '6.9999'),
      'buckets[0].subBuckets',
      'The sub-bucket percents of bucket "community" sum to 64.2499% of the supply, not the bucket\'s 64.25%.',
    )
    rejects(
      (c) => void (c.buckets[1].beneficiaries[2].percent = '3'),
      'buckets[1].beneficiaries',
      'The beneficiaries of bucket "team" add up to 14% of the supply, not the bucket\'s 15%.',
    )
  })

  it('ids', () => {
    rejects((c) => void (c.buckets[3].id = 'team'), 'buckets[3].id', 'buckets[3].id "team" is already used by buckets[1].id; bucket and sub-bucket ids must be unique.')
    rejects(
      (c) => void (c.buckets[0].subBuckets[1].id = 'liquidity'),
      'buckets[0].subBuckets[1].id',
      'buckets[0].subBuckets[1].id "liquidity" is already used by buckets[3].id; bucket and sub-bucket ids must be unique.',
    )
    rejects((c) => void (c.buckets[0].subBuckets[1].id = 'airdrops'), 'buckets[0].subBuckets[1].id', /"airdrops" is already used by buckets\[0\]\.subBuckets\[0\]\.id/)
    rejects((c) => void (c.buckets[3].id = '1st'), 'buckets[3].id', 'buckets[3].id must be an identifier (a letter, then letters, digits, "_" or "-"), got "1st".')
  })

  it('beneficiaries', () => {
    rejects((c) => void (c.buckets[1].beneficiaries[0].address = '0x1234'), 'buckets[1].beneficiaries[0].address', /"0x1234" is not a valid address/)
    // a one-letter case change breaks the EIP-55 checksum: probably a typo
    rejects((c) => void (c.buckets[1].beneficiaries[0].address = '0x70997970c51812dc3A010C7d01b50e0d17dc79C8'), 'buckets[1].beneficiaries[0].address', /is not a valid address/)
    rejects((c) => void (c.buckets[1].beneficiaries[0].address = '0x0000000000000000000000000000000000000000'), 'buckets[1].beneficiaries[0].address', 'buckets[1].beneficiaries[0].address is the zero address.')
    rejects(
      (c) => void (c.buckets[1].beneficiaries[2].address = c.buckets[1].beneficiaries[0].address.toLowerCase()),
      'buckets[1].beneficiaries[2].address',
      'buckets[1].beneficiaries[2].address 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 is listed twice in bucket "team" (also at buckets[1].beneficiaries[0]).',
    )
    rejects((c) => void (c.buckets[1].beneficiaries[0].amount = '1'), 'buckets[1].beneficiaries[0]', 'buckets[1].beneficiaries[0] needs exactly one of percent (of the supply) or amount (whole SAHARA).')
    rejects((c) => void delete c.buckets[1].beneficiaries[0].percent, 'buckets[1].beneficiaries[0]', /needs exactly one of percent/)
    rejects(
      (c) => {
        delete c.buckets[1].beneficiaries[0].percent
        c.buckets[1].beneficiaries[0].amount = '600000000.0000000000000000001'
      },
      'buckets[1].beneficiaries[0].amount',
      'buckets[1].beneficiaries[0].amount "600000000.0000000000000000001" has more than 18 decimals, the precision of SAHARA.',
    )
    rejects((c) => void delete c.buckets[1].beneficiaries, 'buckets[1]', 'bucket "team" needs both vesting and beneficiaries, or neither.')
    rejects((c) => void (c.buckets[0].vesting = c.buckets[1].vesting), 'buckets[0]', 'bucket "community" has subBuckets and vesting; split it into separate buckets.')
    rejects(
      () => ({
        supply: '1' + '0'.repeat(30),
        decimals: 18,
        tgeTimestamp: 1,
        buckets: [{ id: 'x', percent: '100', vesting: { cliffMonths: 0, durationMonths: 1, revocable: false }, beneficiaries: [{ address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', percent: '100' }] }],
      }),
      'buckets[0].beneficiaries[0]',
      /is 1000000000000000000000000000000000000000000000000 wei, above the vesting vault's uint128 limit\.$/,
    )
    rejects(
      () => ({ supply: '1', decimals: 0, tgeTimestamp: 1, buckets: [{ id: 'x', percent: '50' }, { id: 'y', percent: '50' }] }),
      'buckets[0]',
      'Bucket "x" works out to 0 wei; raise its percent or the supply.',
    )
  })

  it('vesting and unlock terms', () => {
    rejects((c) => void (c.buckets[1].vesting.cliffMonths = 49), 'buckets[1].vesting.cliffMonths', 'buckets[1].vesting.cliffMonths (49) is longer than durationMonths (48); the cliff must end by the end of the schedule.')
    rejects((c) => void (c.buckets[1].vesting.durationMonths = 0), 'buckets[1].vesting.durationMonths', 'buckets[1].vesting.durationMonths must be a whole number of months between 1 and 1200, got 0.')
    rejects((c) => void (c.buckets[1].vesting.durationMonths = -12), 'buckets[1].vesting.durationMonths', /between 1 and 1200, got -12\.$/)
    rejects((c) => void (c.buckets[1].vesting.cliffMonths = -1), 'buckets[1].vesting.cliffMonths', 'buckets[1].vesting.cliffMonths must be a whole number of months between 0 and 1200, got -1.')
    rejects((c) => void (c.buckets[1].vesting.durationMonths = 12.5), 'buckets[1].vesting.durationMonths', /got 12\.5\.$/)
    rejects((c) => void delete c.buckets[1].vesting.durationMonths, 'buckets[1].vesting.durationMonths', 'buckets[1].vesting.durationMonths is missing.')
    rejects((c) => void delete c.buckets[1].vesting.revocable, 'buckets[1].vesting.revocable', 'buckets[1].vesting.revocable must be true or false.')
    rejects((c) => void (c.buckets[1].vesting.startMonths = 1), 'buckets[1].vesting.startMonths', /buckets\[1\]\.vesting has an unknown field "startMonths"/)
    rejects((c) => void (c.unlocks.treasury.durationMonths = 0), 'unlocks.treasury.durationMonths', /between 1 and 1200, got 0\.$/)
    rejects((c) => void (c.unlocks.treasury.cliffMonths = 61), 'unlocks.treasury.cliffMonths', /\(61\) is longer than durationMonths \(60\)/)
    rejects((c) => void (c.unlocks.nope = { durationMonths: 1 }), 'unlocks.nope', /^unlocks\.nope names no bucket or sub-bucket \(known ids: community, team, investors, liquidity, airdrops, grants, stakingRewards, treasury, launchpad\)\.$/)
    rejects((c) => void (c.unlocks.team = { durationMonths: 1 }), 'unlocks.team', 'unlocks.team: bucket "team" already vests through its vesting terms; unlocks are for non-vested buckets.')
    rejects((c) => void (c.unlocks.community = { durationMonths: 1 }), 'unlocks.community', 'unlocks.community: bucket "community" is split into sub-buckets; give each sub-bucket its own unlock.')
  })

  it('unlock with a start delay and a cliff follows the same formula', () => {
    const c = clone()
    c.unlocks.liquidity = { startMonths: 2, cliffMonths: 1, durationMonths: 4 }
    const t = parseTokenomics(c)
    const rows = monthlySchedule(t, 7)
    const start = t.tgeTimestamp + 2n * MONTH_SECONDS
    assert.deepEqual(
      rows.map((r) => r.buckets.liquidity),
      rows.map((r) => contractVested(pct(1), start, MONTH_SECONDS, 4n * MONTH_SECONDS, r.timestamp)),
    )
    assert.deepEqual(rows.map((r) => r.buckets.liquidity), [0n, 0n, 0n, pct(1) / 4n, pct(1) / 2n, (pct(1) * 3n) / 4n, pct(1), pct(1)])
  })
})
