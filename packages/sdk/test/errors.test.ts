import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { ContractFunctionExecutionError, ContractFunctionRevertedError, HttpRequestError, encodeErrorResult, getAddress, parseAbi } from "viem"
import {
  ContractError,
  DeploymentsError,
  ModulePausedError,
  guardianGateAbi,
  InvalidArgumentError,
  RpcError,
  SlippageError,
  decodeContractError,
  uniswapV2RouterAbi,
  formatAmount,
  assetRegistryAbi,
  contributionSharesAbi,
  devStablecoinAbi,
  exactPaymentsAbi,
  licenseRegistryAbi,
  merkleAirdropAbi,
  nodeRegistryAbi,
  paymentChannelsAbi,
  parseAmount,
  revenueVaultAbi,
  saharaTokenAbi,
  vestingVaultAbi,
  parseDeployments,
  resolveDeployments,
} from '../src/index'

const usdt = { symbol: 'USDT', decimals: 6 }

function reverted(abi: readonly unknown[], errorName: string, args: readonly unknown[], decodeWith = abi) {
  const data = encodeErrorResult({ abi: abi as never, errorName, args } as never)
  const inner = new ContractFunctionRevertedError({ abi: decodeWith as never, data, functionName: 'f' })
  return new ContractFunctionExecutionError(inner, { abi: decodeWith as never, functionName: 'f', args: [] })
}

describe('decodeContractError', () => {
  it('FeeAboveMax -> amounts in token units', () => {
    const e = decodeContractError(reverted(licenseRegistryAbi, 'FeeAboveMax', [12_500_000n, 10_000_000n]), { token: usdt })
    assert.ok(e instanceof ContractError)
    assert.equal(e.errorName, 'FeeAboveMax')
    assert.deepEqual(e.args, [12_500_000n, 10_000_000n])
    assert.equal(e.message, 'Fee 12.5 USDT is above your maximum 10 USDT.')
  })

  it('Uniswap v2 revert strings -> one sentence each; the slippage one is a SlippageError', () => {
    const errorAbi = parseAbi(['error Error(string reason)'])
    const slip = decodeContractError(reverted(errorAbi, 'Error', ['UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT'], uniswapV2RouterAbi))
    assert.ok(slip instanceof SlippageError)
    assert.ok(slip instanceof ContractError)
    assert.equal(slip.errorName, 'Error')
    assert.match(slip.message, /^The swap would return less than the minimum output \(slippage\)/)
    const cases: [string, string][] = [
      ['UniswapV2Router: EXPIRED', 'The swap deadline passed before the transaction was mined; send it again.'],
      ['UniswapV2Library: INSUFFICIENT_LIQUIDITY', 'The pool has no liquidity for this pair of tokens.'],
      ['TransferHelper: TRANSFER_FROM_FAILED', 'The router could not take the input tokens: the balance or the allowance to the router is too low.'],
      ['UniswapV2: K', 'The swap would break the pool invariant (too little input for the output).'],
      ['Something else.', 'The contract reverted: Something else.'],
    ]
    for (const [reason, sentence] of cases) {
      const e = decodeContractError(reverted(errorAbi, 'Error', [reason], uniswapV2RouterAbi))
      assert.ok(e instanceof ContractError && !(e instanceof SlippageError), reason)
      assert.equal(e.message, sentence)
    }
  })

  it('decodes OpenZeppelin errors that are missing from the called ABI from raw revert data', () => {
    const oz = parseAbi(['error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)'])
    const vault = '0x00000000000000000000000000000000000000aa'
    const e = decodeContractError(reverted(oz, 'ERC20InsufficientAllowance', [vault, 0n, 5_000_000n], licenseRegistryAbi), {
      token: usdt,
      contracts: { [vault]: 'RevenueVault' },
    })
    assert.ok(e instanceof ContractError)
    assert.equal(e.errorName, 'ERC20InsufficientAllowance')
    assert.equal(e.message, `The allowance to the RevenueVault (${vault}) is 0 USDT but 5 USDT is needed; approve it first.`.replace(vault, getAddress(vault)))
  })

  it('EnforcedPause becomes ModulePausedError naming the called module when known', () => {
    const channels = '0x00000000000000000000000000000000000000c1'
    const err = reverted(paymentChannelsAbi, 'EnforcedPause', [])
    ;(err as unknown as { contractAddress: string }).contractAddress = channels
    const e = decodeContractError(err, { contracts: { [channels]: 'PaymentChannels' } })
    assert.ok(e instanceof ModulePausedError)
    assert.equal(e.module, 'PaymentChannels')
    assert.equal(e.errorName, 'EnforcedPause')
    assert.equal(e.message, 'PaymentChannels is paused by the guardian; new channels and top-ups are stopped until a governance proposal unpauses it (exits, claims and settlement still work).')
    const unknown = decodeContractError(reverted(revenueVaultAbi, 'EnforcedPause', []))
    assert.ok(unknown instanceof ModulePausedError)
    assert.equal(unknown.module, undefined)
    assert.match(unknown.message, /^A protocol module this call uses is paused by the guardian; new activity is stopped/)
  })

  it('every error of every protocol ABI has its own sentence (no generic fallback)', () => {
    const sample = (type: string): unknown =>
      type === 'address' ? '0x0000000000000000000000000000000000000001' : type === 'string' ? 'why' : type === 'bool' ? true : type.startsWith('bytes') ? `0x${'11'.repeat(32)}` : 1n
    let checked = 0
    for (const abi of [
      assetRegistryAbi,
      licenseRegistryAbi,
      contributionSharesAbi,
      revenueVaultAbi,
      nodeRegistryAbi,
      paymentChannelsAbi,
      exactPaymentsAbi,
      saharaTokenAbi,
      devStablecoinAbi,
      vestingVaultAbi,
      merkleAirdropAbi,
      guardianGateAbi,
    ]) {
      for (const item of abi as readonly { type: string; name?: string; inputs?: readonly { type: string }[] }[]) {
        if (item.type !== 'error') continue
        const args = (item.inputs ?? []).map((i) => sample(i.type))
        const e = decodeContractError(reverted(abi as never, item.name!, args))
        assert.ok(e instanceof ContractError, item.name)
        assert.equal(e.errorName, item.name)
        assert.ok(!e.message.startsWith('The contract reverted with'), `${item.name}: ${e.message}`)
        assert.match(e.message, /^[A-Z0-9#].*\.$/, item.name)
        checked++
      }
    }
    assert.ok(checked > 50, `only ${checked} errors checked`)
  })

  it('NothingToRelease: schedule id (VestingVault) vs account (MerkleAirdrop)', () => {
    const account = '0x00000000000000000000000000000000000000bb'
    assert.equal(decodeContractError(reverted(vestingVaultAbi, 'NothingToRelease', [7n])).message, 'Vesting schedule #7 has nothing to release now.')
    assert.equal(
      decodeContractError(reverted(merkleAirdropAbi, 'NothingToRelease', [account])).message,
      `${getAddress(account)} has nothing to release from the airdrop now.`,
    )
  })

  it('unreachable RPC -> RpcError sentence', () => {
    const e = decodeContractError(new HttpRequestError({ url: 'http://127.0.0.1:1', details: 'fetch failed' }))
    assert.ok(e instanceof RpcError)
    assert.equal(e.message, 'Cannot reach the RPC endpoint at http://127.0.0.1:1: is the node running?')
  })
})

describe('amounts', () => {
  it('parses decimals exactly', () => {
    assert.equal(parseAmount('12.5', 6), 12_500_000n)
    assert.equal(parseAmount('0.000001', 6), 1n)
    assert.equal(parseAmount('1000', 18), 1000n * 10n ** 18n)
    assert.equal(parseAmount('.5', 6), 500_000n)
    assert.equal(formatAmount(12_500_000n, 6, 'USDT'), '12.5 USDT')
  })
  it('rejects malformed or too precise amounts', () => {
    for (const bad of ['', '.', 'abc', '1.2.3', '-1', '1e6', '12,5']) {
      assert.throws(() => parseAmount(bad, 6), InvalidArgumentError, bad)
    }
    assert.throws(() => parseAmount('0.0000001', 6, 'USDT'), /more than 6 decimal places, the precision of USDT/)
  })
})

describe('deployments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sahara-dep-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}`
  const valid = {
    chainId: 31337,
    deployer: a(1),
    admin: a(2),
    treasury: a(3),
    startBlock: 5,
    contracts: {
      SaharaToken: a(10),
      USDT: a(11),
      AssetRegistry: a(12),
      LicenseRegistry: a(13),
      ContributionShares: a(14),
      RevenueVault: a(15),
      NodeRegistry: a(16),
      PaymentChannels: a(17),
      ExactPayments: a(18),
    },
    implementations: { AssetRegistry: a(20) },
  }

  it('validates and normalizes', () => {
    const d = parseDeployments(valid)
    assert.equal(d.startBlock, 5n)
    assert.equal(d.contracts.RevenueVault, '0x000000000000000000000000000000000000000F')
    assert.throws(() => parseDeployments({ ...valid, contracts: { ...valid.contracts, USDT: 'nope' } }), /contracts.USDT must be an address/)
    assert.throws(() => parseDeployments({ ...valid, chainId: 'x' }), DeploymentsError)
  })

  it('resolves by chain id along the search path', () => {
    const cwd = join(dir, 'project')
    mkdirSync(join(cwd, '.sahara/devnet/deployments'), { recursive: true })
    mkdirSync(join(cwd, 'deployments'), { recursive: true })
    mkdirSync(join(dir, 'env'), { recursive: true })
    writeFileSync(join(cwd, 'deployments/31337.json'), JSON.stringify({ ...valid, startBlock: 1 }))
    assert.equal(resolveDeployments({ chainId: 31337, cwd, env: {} }).startBlock, 1n)
    writeFileSync(join(cwd, '.sahara/devnet/deployments/31337.json'), JSON.stringify({ ...valid, startBlock: 2 }))
    assert.equal(resolveDeployments({ chainId: 31337, cwd, env: {} }).startBlock, 2n)
    writeFileSync(join(dir, 'env/31337.json'), JSON.stringify({ ...valid, startBlock: 3 }))
    assert.equal(resolveDeployments({ chainId: 31337, cwd, env: { SAHARA_DEPLOYMENTS: join(dir, 'env') } }).startBlock, 3n)
    const explicit = join(dir, 'explicit.json')
    writeFileSync(explicit, JSON.stringify({ ...valid, startBlock: 4 }))
    assert.equal(resolveDeployments({ chainId: 31337, cwd, path: explicit, env: { SAHARA_DEPLOYMENTS: join(dir, 'env') } }).startBlock, 4n)
    assert.throws(() => resolveDeployments({ chainId: 1, cwd, path: explicit, env: {} }), /is for chain 31337, but the node is chain 1/)
    assert.throws(() => resolveDeployments({ chainId: 5, cwd: dir, env: {} }), /No deployments found for chain 5/)
  })
})
