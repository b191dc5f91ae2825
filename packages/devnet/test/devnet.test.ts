import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { connect } from 'node:net'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { getAddress, parseEther, toHex, type Address, type Hex } from 'viem'
import {
  AnvilStartError,
  ArtifactNotFoundError,
  DataDirBusyError,
  DeployError,
  deployProtocol,
  devAccounts,
  dumpedBlockNumber,
  loadArtifact,
  localChain,
  publicClientFor,
  readDeployments,
  repoRoot,
  staleCode,
  startAnvil,
  startDevnet,
  waitForStateDump,
  walletClientFor,
  contentDirFor,
  seedPayPerUse,
  type Devnet,
} from '../src/index.ts'
import { DeploymentsError, estimateGasNextSecond, gasWithHeadroom, getAsset, getTerms, parseDeployments, registerAsset } from '@sahara/sdk'
import { OnnxClassifier, penguinsDatasetBytes, penguinsDatasetCid, readArtifacts, validateAgentManifest, validateModelManifest } from '@sahara/models'
import { ContentStore } from '@sahara/store'

const exec = promisify(execFile)
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sahara-devnet-test-'))
const cleanups: (() => Promise<void> | void)[] = []
after(async () => {
  for (const c of cleanups.reverse()) await c()
  rmSync(tmp, { recursive: true, force: true })
})

// ERC-1967 implementation slot: bytes32(uint256(keccak256('eip1967.proxy.implementation')) - 1).
const IMPLEMENTATION_SLOT = '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc' as const
const MODULES = [
  'AssetRegistry',
  'LicenseRegistry',
  'ContributionShares',
  'RevenueVault',
  'NodeRegistry',
  'PaymentChannels',
  'ExactPayments',
] as const
const accounts = devAccounts(10)

function castBinary(): string {
  // The stock CLI shipped by @foundry-rs/cast (a node launcher around the native binary).
  return path.join(repoRoot, 'node_modules', '.bin', 'cast')
}

async function start(dataDir: string, extra: Partial<Parameters<typeof startDevnet>[0]> = {}): Promise<Devnet> {
  const d = await startDevnet({ dataDir, ...extra })
  cleanups.push(() => d.stop())
  return d
}

describe('artifacts', () => {
  it('loads abi and creation bytecode from contracts/out independent of the cwd', () => {
    const cwd = process.cwd()
    process.chdir(os.tmpdir())
    try {
      const a = loadArtifact('ERC1967Proxy')
      assert.ok(a.abi.some((e) => e.type === 'constructor'))
      assert.match(a.bytecode, /^0x[0-9a-f]{100,}$/)
    } finally {
      process.chdir(cwd)
    }
  })
  it('names the missing file and the fix', () => {
    assert.throws(() => loadArtifact('NoSuchContract'), (e: unknown) => {
      assert.ok(e instanceof ArtifactNotFoundError)
      assert.match(e.message, /out\/NoSuchContract\.sol\/NoSuchContract\.json/)
      assert.match(e.message, /npm run build/)
      return true
    })
  })
})

describe('deployments file', () => {
  const valid = {
    chainId: 31337,
    deployer: accounts[0]!.address,
    admin: accounts[0]!.address,
    treasury: accounts[9]!.address,
    startBlock: 1,
    contracts: Object.fromEntries(['SaharaToken', 'USDT', ...MODULES].map((n, i) => [n, `0x${(i + 1).toString(16).padStart(40, '0')}`])),
    implementations: Object.fromEntries(MODULES.map((n, i) => [n, `0x${(i + 11).toString(16).padStart(40, '0')}`])),
  }
  it('parses and checksums a valid file', () => {
    const d = parseDeployments({ ...valid, deployer: accounts[0]!.address.toLowerCase() })
    assert.equal(d.deployer, accounts[0]!.address)
    assert.equal(d.contracts.USDT, getAddress(valid.contracts.USDT!))
  })
  it('rejects missing contracts, bad addresses and a chain id that does not match the name', () => {
    const noVault = { ...valid, contracts: { ...valid.contracts, RevenueVault: undefined } }
    assert.throws(() => parseDeployments(noVault), /contracts\.RevenueVault must be an address/)
    assert.throws(() => parseDeployments({ ...valid, admin: '0x1234' }), /admin must be an address/)
    assert.throws(() => parseDeployments({ ...valid, startBlock: -1 }), DeploymentsError)
    const dir = path.join(tmp, 'mismatch')
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, '5.json'), JSON.stringify(valid))
    assert.throws(() => readDeployments(dir, 5), /chainId 31337 does not match/)
    assert.equal(readDeployments(dir, 6), undefined)
  })
})

describe('anvil', () => {
  it('starts on a random port, answers JSON-RPC, and reports a busy port', async () => {
    const a = await startAnvil()
    cleanups.push(() => a.stop())
    assert.notEqual(a.port, 0)
    assert.equal(a.rpcUrl, `http://127.0.0.1:${a.port}`)
    assert.equal(await publicClientFor(a.rpcUrl).getChainId(), 31337)
    await assert.rejects(startAnvil({ port: a.port }), (e: unknown) => e instanceof AnvilStartError && e.addressInUse)
    await a.stop()
    assert.ok(a.process.exitCode !== null || a.process.signalCode !== null)
  })

  it('the devnet wallet pads its gas estimates (NodeStaking gas depends on the block second)', async () => {
    const a = await startAnvil()
    cleanups.push(() => a.stop())
    const [from, to] = devAccounts(2)
    const tx = { from: from!.address, to: to!.address, value: '0x1' } as const
    const raw = BigInt(await publicClientFor(a.rpcUrl).request({ method: 'eth_estimateGas', params: [tx] }))
    const padded = BigInt(await walletClientFor(a.rpcUrl, from!.privateKey as Hex).request({ method: 'eth_estimateGas', params: [tx] }))
    assert.equal(raw, 21_000n)
    assert.equal(padded, gasWithHeadroom(raw))
    assert.equal(padded, 21_000n + 5_250n + 60_000n)
    // what a sent transaction carries (viem fills it with eth_fillTransaction on anvil): padded too,
    // unless the caller set a limit
    const wallet = walletClientFor(a.rpcUrl, from!.privateKey as Hex, localChain(31337, a.rpcUrl))
    const pc = publicClientFor(a.rpcUrl)
    const sent = await wallet.sendTransaction({ to: to!.address, value: 1n, account: wallet.account, chain: wallet.chain })
    assert.equal((await pc.getTransaction({ hash: sent })).gas, padded)
    const fixed = await wallet.sendTransaction({ to: to!.address, value: 1n, account: wallet.account, chain: wallet.chain, gas: 30_000n })
    assert.equal((await pc.getTransaction({ hash: fixed })).gas, 30_000n)
    // never padded past 30M unless the estimate already is
    assert.equal(gasWithHeadroom(29_000_000n), 30_000_000n)
    assert.equal(gasWithHeadroom(40_000_000n), 40_000_000n)
    await a.stop()
  })

  it('the devnet wallet estimates for the next second: a call whose work is lazy per second does not run out of gas', async () => {
    const a = await startAnvil()
    cleanups.push(() => a.stop())
    const [from] = devAccounts(1)
    const pc = publicClientFor(a.rpcUrl)
    const wallet = walletClientFor(a.rpcUrl, from!.privateKey as Hex, localChain(31337, a.rpcUrl))
    const send = async (gas?: bigint) => {
      const hash = await wallet.sendTransaction({ to: lazy, account: wallet.account, chain: wallet.chain, ...(gas ? { gas } : {}) })
      return pc.waitForTransactionReceipt({ hash })
    }
    const nextSecond = async () => {
      const { timestamp } = await pc.getBlock()
      await pc.request({ method: 'evm_setNextBlockTimestamp' as never, params: [toHex(timestamp + 1n)] as never })
    }
    const deployed = await pc.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ data: LAZY_PER_SECOND_INITCODE, account: wallet.account, chain: wallet.chain }) })
    const lazy = deployed.contractAddress!
    assert.equal((await send()).status, 'success') // first touch: this second's work is done

    // A plain estimate runs in the latest block's second, where the work is already done; padded,
    // it is still short of the next second's five fresh storage slots: out of gas.
    const plain = await pc.estimateGas({ account: from!.address, to: lazy })
    assert.ok(plain < 30_000n, `plain estimate ${plain}`)
    await nextSecond()
    const starved = await send(gasWithHeadroom(plain))
    assert.equal(starved.status, 'reverted')
    assert.equal(starved.gasUsed, gasWithHeadroom(plain)) // all of it: out of gas

    // Estimated for the next second, the limit covers the work, and the call succeeds.
    const ahead = await estimateGasNextSecond((args) => pc.request(args as never), { from: from!.address, to: lazy })
    assert.ok(ahead !== undefined && ahead > 5n * 22_100n, `next-second estimate ${ahead}`)
    await nextSecond()
    const ok = await send()
    assert.equal(ok.status, 'success')
    assert.equal((await pc.getTransaction({ hash: ok.transactionHash })).gas, gasWithHeadroom(ahead!))
    assert.ok(ok.gasUsed <= ahead! && ok.gasUsed > gasWithHeadroom(plain), `used ${ok.gasUsed}`)
    await a.stop()
  })
})

/**
 * A contract whose first call in a new second writes five fresh storage slots (keys 8*time + k)
 * and the second's timestamp into slot 0; later calls in the same second do nothing. NodeStaking's
 * lazy emission release has the same shape.
 */
const LAZY_PER_SECOND_INITCODE = ((): Hex => {
  const pushTimestampKey = (k: number) => `6001 42 6008 02 60${k.toString(16).padStart(2, '0')} 01 55` // sstore(8*time + k, 1)
  const work = ['42 6000 55', ...[0, 1, 2, 3, 4].map(pushTimestampKey)].join('').replaceAll(' ', '') // sstore(0, time); ...
  const skipTo = 8 + work.length / 2
  const runtime = `42 6000 54 14 60${skipTo.toString(16)} 57`.replaceAll(' ', '') + work + '5b00' // if sload(0) == time: stop
  const copyAndReturn = `60${(runtime.length / 2).toString(16)} 80 600b 6000 39 6000 f3`.replaceAll(' ', '')
  return `0x${copyAndReturn}${runtime}`
})()

describe('anvil lifetime', () => {
  it('dies with its parent, even when the parent is SIGKILLed', async () => {
    const script = path.join(tmp, 'parent.mts')
    writeFileSync(
      script,
      `import { startAnvil } from ${JSON.stringify(path.join(repoRoot, 'packages/devnet/src/anvil.ts'))}\n` +
        `const a = await startAnvil(); console.log(a.port); setInterval(() => {}, 1000)\n`,
    )
    const parent = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
    const port = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())))
      parent.once('exit', () => reject(new Error('parent exited early')))
    })
    const rpc = `http://127.0.0.1:${port}`
    assert.equal(await publicClientFor(rpc).getChainId(), 31337)
    parent.kill('SIGKILL')
    assert.equal(await portClosed(port, 10_000), true, 'anvil still listening after its parent was killed')
  })
})

describe('npm start entry (main.ts)', () => {
  it('falls back from a busy port, prints the devnet, and stops anvil on SIGTERM', async () => {
    const blocker = await startAnvil()
    cleanups.push(() => blocker.stop())
    const main = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'packages/devnet/src/main.ts'), '--port', String(blocker.port), '--data-dir', path.join(tmp, 'main')],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    await new Promise<void>((resolve, reject) => {
      main.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('Press Ctrl-C')) resolve()
      })
      main.once('exit', (code) => reject(new Error(`main exited early (${code}):\n${out}`)))
    })
    assert.match(out, new RegExp(`port ${blocker.port} was busy`))
    const rpc = /RPC URL:\s+(\S+)/.exec(out)![1]!
    assert.match(out, /Chain id:\s+31337/)
    for (const name of ['SaharaToken', 'USDT', ...MODULES]) {
      assert.match(out, new RegExp(`${name}\\s+0x[0-9a-fA-F]{40}`))
    }
    assert.match(out, /Deployments file:\s+\S+31337\.json/)
    assert.equal((out.match(/^\s+\(\d\) 0x[0-9a-fA-F]{40}\s+0x[0-9a-f]{64}/gm) ?? []).length, 5)
    const port = Number(new URL(rpc).port)
    const exited = new Promise<number | null>((r) => main.once('exit', (code) => r(code)))
    main.kill('SIGTERM')
    assert.equal(await exited, 0)
    assert.equal(await portClosed(port, 5_000), true)
  })
})

describe('startDevnet', () => {
  const dataDir = path.join(tmp, 'devnet')
  let first: Devnet

  it('deploys every contract behind initialized proxies and writes the deployments file', async () => {
    first = await start(dataDir)
    const d = first.deployments
    assert.equal(first.reused, false)
    assert.equal(first.chainId, 31337)
    assert.equal(first.deploymentsFile, path.join(dataDir, 'deployments', '31337.json'))
    const onDisk = JSON.parse(readFileSync(first.deploymentsFile, 'utf8'))
    assert.deepEqual(parseDeployments(onDisk), d)
    // The file keeps startBlock a plain JSON number (the SDK type holds it as a bigint).
    assert.equal(onDisk.startBlock, Number(d.startBlock))
    assert.equal(d.rpcUrl, first.rpcUrl)
    assert.equal(d.deployer, accounts[0]!.address)
    // After genesis every module belongs to the DAO timelock (the deployer only deployed them).
    assert.equal(d.admin, d.contracts.SaharaTimelock)
    // The DAO timelock is the treasury too: protocol fees, slashed stake, sweeps, LP tokens.
    assert.equal(d.treasury, d.contracts.SaharaTimelock)
    assert.ok(d.startBlock >= 1)
    const pc = first.publicClient
    for (const [name, addr] of [...Object.entries(d.contracts), ...Object.entries(d.implementations)]) {
      const code = await pc.getCode({ address: addr })
      assert.ok(code && code.length > 2, `${name} has no code`)
    }
    for (const m of MODULES) {
      const slot = await pc.getStorageAt({ address: d.contracts[m], slot: IMPLEMENTATION_SLOT })
      assert.equal(getAddress(`0x${slot!.slice(-40)}`), d.implementations[m], `${m} proxy points at its implementation`)
      const abi = loadArtifact(m).abi
      assert.equal(await pc.readContract({ address: d.contracts[m], abi, functionName: 'owner' }), d.admin)
      // Initialized in the proxy constructor: a second initialize must fail for anyone.
      await assert.rejects(
        pc.simulateContract({
          address: d.contracts[m],
          abi,
          functionName: 'initialize',
          args: initArgs(m, accounts[5]!.address),
          account: accounts[5]!.address,
        }),
      )
    }
    const vault = { address: d.contracts.RevenueVault, abi: loadArtifact('RevenueVault').abi }
    assert.equal(await pc.readContract({ ...vault, functionName: 'isPaymentToken', args: [d.contracts.SaharaToken] }), true)
    assert.equal(await pc.readContract({ ...vault, functionName: 'isPaymentToken', args: [d.contracts.USDT] }), true)
    // The execution modules: both payment modules are vault collectors; devnet settings.
    for (const m of ['LicenseRegistry', 'PaymentChannels', 'ExactPayments'] as const) {
      assert.equal(await pc.readContract({ ...vault, functionName: 'isCollector', args: [d.contracts[m]] }), true, `${m} is a collector`)
    }
    const nodes = { address: d.contracts.NodeRegistry, abi: loadArtifact('NodeRegistry').abi }
    assert.equal(await pc.readContract({ ...nodes, functionName: 'minStake' }), 1_000n * 10n ** 18n)
    assert.equal(await pc.readContract({ ...nodes, functionName: 'unbondingDelay' }), 3600n)
    assert.equal(await pc.readContract({ ...nodes, functionName: 'maxNodeFeeBps' }), 3000)
    assert.equal(await pc.readContract({ ...nodes, functionName: 'stakeToken' }), d.contracts.SaharaToken)
    const channels = { address: d.contracts.PaymentChannels, abi: loadArtifact('PaymentChannels').abi }
    assert.equal(await pc.readContract({ ...channels, functionName: 'challengeWindow' }), 3600n)
    assert.equal(await pc.readContract({ ...channels, functionName: 'nodeRegistry' }), d.contracts.NodeRegistry)
    assert.equal(await pc.readContract({ ...channels, functionName: 'revenueVault' }), d.contracts.RevenueVault)
    assert.equal(await pc.readContract({ ...vault, functionName: 'protocolFeeBps' }), 250)
    assert.equal(await pc.readContract({ ...vault, functionName: 'treasury' }), d.treasury)
    const supply = await pc.readContract({ address: d.contracts.SaharaToken, abi: loadArtifact('SaharaToken').abi, functionName: 'totalSupply' })
    assert.equal(supply, 10_000_000_000n * 10n ** 18n)
  })

  it('refuses a second devnet on the same data directory', async () => {
    await assert.rejects(startDevnet({ dataDir }), (e: unknown) => e instanceof DataDirBusyError && e.pid === process.pid)
  })

  it('lets stock clients (cast) read the devnet', async () => {
    const { stdout } = await exec(castBinary(), ['call', first.deployments.contracts.SaharaToken, 'totalSupply()(uint256)', '--rpc-url', first.rpcUrl])
    assert.match(stdout.trim(), /^10000000000000000000000000000\b/)
    const { stdout: chainId } = await exec(castBinary(), ['chain-id', '--rpc-url', first.rpcUrl])
    assert.equal(chainId.trim(), '31337')
  })

  it('reuses the deployment after a clean restart', async () => {
    const before = first.deployments
    const block = await first.publicClient.getBlockNumber()
    await first.stop()
    const again = await start(dataDir)
    assert.equal(again.reused, true)
    assert.deepEqual(again.deployments.contracts, before.contracts)
    assert.deepEqual(again.deployments.implementations, before.implementations)
    assert.equal(again.deployments.startBlock, before.startBlock)
    assert.ok((await again.publicClient.getBlockNumber()) >= block)
    // The file now names the live RPC URL.
    assert.equal(readDeployments(path.join(dataDir, 'deployments'), 31337)!.rpcUrl, again.rpcUrl)
    // The reused code is what contracts/out holds now; a module pointing at other code is stale.
    assert.deepEqual(await staleCode(again.publicClient, again.deployments), [])
    const swapped = {
      ...again.deployments,
      implementations: { ...again.deployments.implementations, RevenueVault: again.deployments.implementations.AssetRegistry! },
    }
    assert.deepEqual(await staleCode(again.publicClient, swapped), ['RevenueVault'])
    await again.stop()
  })

  it('keeps deployments and later transactions across a SIGKILL of anvil', async () => {
    const d1 = await start(dataDir)
    assert.equal(d1.reused, true)
    const recipient = '0x000000000000000000000000000000000000dEaD' as Address
    const wallet = walletClientFor(d1.rpcUrl, accounts[0]!.privateKey, localChain(31337, d1.rpcUrl))
    const saharaAbi = loadArtifact('SaharaToken').abi
    const hash = await wallet.writeContract({
      address: d1.deployments.contracts.SaharaToken,
      abi: saharaAbi,
      functionName: 'transfer',
      args: [recipient, parseEther('42')],
      chain: null,
    })
    await d1.publicClient.waitForTransactionReceipt({ hash })
    assert.equal(await waitForStateDump(d1.stateFile, d1.publicClient), true)
    const exited = new Promise((r) => d1.anvil.process.once('exit', r))
    d1.anvil.process.kill('SIGKILL')
    await exited
    assert.ok(dumpedBlockNumber(d1.stateFile)! > 0n)

    const d2 = await start(dataDir)
    assert.equal(d2.reused, true)
    assert.deepEqual(d2.deployments.contracts, d1.deployments.contracts)
    for (const addr of Object.values(d2.deployments.contracts)) {
      assert.ok(((await d2.publicClient.getCode({ address: addr })) ?? '0x').length > 2)
    }
    const bal = await d2.publicClient.readContract({
      address: d2.deployments.contracts.SaharaToken,
      abi: saharaAbi,
      functionName: 'balanceOf',
      args: [recipient],
    })
    assert.equal(bal, parseEther('42'))
    await d2.stop()
  })

  it('moves an unreadable state file aside and starts over', async () => {
    const dir = path.join(tmp, 'corrupt')
    const d1 = await start(dir)
    await d1.stop()
    const state = readFileSync(d1.stateFile, 'utf8')
    writeFileSync(d1.stateFile, state.slice(0, state.length >> 1)) // cut short mid-write
    const d2 = await start(dir)
    assert.equal(d2.reused, false, 'the old addresses have no code on the new chain')
    assert.ok(readdirSync(dir).some((f) => f.startsWith('anvil-state.json.corrupt-')))
    await d2.stop()
  })

  it('--fresh discards the state and deploys again', async () => {
    const d = await start(dataDir, { fresh: true })
    assert.equal(d.reused, false)
    assert.equal(d.deployments.startBlock, 1n)
    await d.stop()
  })
})

describe('seed', () => {
  it('registers the demo lineage once and pays revenue through it', async () => {
    const d = await start(path.join(tmp, 'seeded'), { seed: true })
    assert.equal(d.seed?.created, true)
    const pc = d.publicClient
    const c = d.deployments.contracts
    const registry = { address: c.AssetRegistry, abi: loadArtifact('AssetRegistry').abi }
    // 3 assets of the licensing demo + 3 of the pay-per-use demo.
    assert.equal(await pc.readContract({ ...registry, functionName: 'assetCount' }), 6n)
    const modelParents = (await pc.readContract({ ...registry, functionName: 'parentsOf', args: [d.seed!.modelId!] })) as {
      parentId: bigint
      relation: number
      royaltyBps: number
    }[]
    assert.equal(modelParents.length, 1)
    assert.equal(modelParents[0]!.parentId, d.seed!.datasetId)
    assert.equal(modelParents[0]!.relation, 0) // TRAINED_ON
    assert.equal(modelParents[0]!.royaltyBps, 1_000)
    const agentParents = (await pc.readContract({ ...registry, functionName: 'parentsOf', args: [d.seed!.agentId!] })) as { relation: number }[]
    assert.equal(agentParents[0]!.relation, 5) // USES_MODEL
    const vault = { address: c.RevenueVault, abi: loadArtifact('RevenueVault').abi }
    // The agent received the 1000 USDT payment; the model and the dataset got forwarded royalties.
    assert.ok(((await pc.readContract({ ...vault, functionName: 'totalReceived', args: [d.seed!.agentId!, c.USDT] })) as bigint) >= 1_000_000_000n)
    assert.ok(((await pc.readContract({ ...vault, functionName: 'totalReceived', args: [d.seed!.datasetId!, c.USDT] })) as bigint) > 100_000_000n)
    assert.ok(((await pc.readContract({ ...vault, functionName: 'balanceOf', args: [d.deployments.treasury, c.USDT] })) as bigint) > 0n)
    await d.stop()
    const again = await start(path.join(tmp, 'seeded'), { seed: true })
    assert.equal(again.seed?.created, false)
    assert.equal(again.seed?.payPerUse?.created, false)
    assert.equal(await again.publicClient.readContract({ ...registry, functionName: 'assetCount' }), 6n)
    await again.stop()
  })
})

describe('pay-per-use seed', () => {
  const dataDir = path.join(tmp, 'ppu', 'devnet')
  const contentDir = path.join(tmp, 'ppu', 'content')

  it('stores the penguins dataset, the ONNX model, its manifest and the agent manifest beside the devnet', async () => {
    const d = await start(dataDir, { seed: true })
    assert.equal(d.contentDir, contentDir)
    assert.equal(contentDirFor(dataDir), contentDir)
    const s = d.seed!.payPerUse!
    assert.equal(s.created, true)
    assert.equal(s.contentDir, contentDir)
    const store = new ContentStore(contentDir)
    // Every CID the chain points at is in the store and re-hashes to itself.
    assert.deepEqual(await store.get(s.dataset.content), penguinsDatasetBytes())
    assert.equal(s.dataset.content, await penguinsDatasetCid())
    const artifacts = await readArtifacts()
    assert.deepEqual(await store.get(s.model.content), artifacts.onnx)
    assert.equal(s.model.metadata, artifacts.manifestCid)
    const modelManifest = validateModelManifest(JSON.parse(new TextDecoder().decode(await store.get(s.model.metadata))))
    assert.deepEqual(modelManifest.labels, ['Adelie', 'Chinstrap', 'Gentoo'])
    const agentManifest = validateAgentManifest(JSON.parse(new TextDecoder().decode(await store.get(s.agent.content))))
    assert.equal(agentManifest.model.assetId, s.model.assetId.toString())
    assert.deepEqual(agentManifest.price, { token: 'USDT', unitPrice: '1000', unitsPerCall: 1 })
    assert.deepEqual(agentManifest, s.agent.manifest)
    for (const cid of [s.dataset.metadata, s.agent.metadata]) {
      const meta = JSON.parse(new TextDecoder().decode(await store.get(cid))) as { name: string; content: string }
      assert.ok(meta.name.length > 0)
    }

    // On-chain: kinds, lineage, version CIDs, owners, terms.
    const ctx = { publicClient: d.publicClient, deployments: d.deployments }
    const [dataset, model, agent] = await Promise.all([s.dataset, s.model, s.agent].map((a) => getAsset(ctx, a.assetId)))
    assert.deepEqual([dataset!.kindName, model!.kindName, agent!.kindName].map((k) => k.toUpperCase()), ['DATASET', 'MODEL', 'AGENT'])
    assert.deepEqual(
      [dataset!.latest.content, model!.latest.content, agent!.latest.content],
      [s.dataset.content, s.model.content, s.agent.content],
    )
    assert.deepEqual(
      [dataset!.latest.metadata, model!.latest.metadata, agent!.latest.metadata],
      [s.dataset.metadata, s.model.metadata, s.agent.metadata],
    )
    assert.deepEqual([dataset!.owner, model!.owner, agent!.owner], [accounts[1]!.address, accounts[2]!.address, accounts[3]!.address])
    assert.deepEqual(model!.parents.map((p) => [p.parentId, p.relation, p.licenseId]), [[s.dataset.assetId, 'TRAINED_ON', s.model.datasetLicenseId]])
    assert.deepEqual(agent!.parents.map((p) => [p.parentId, p.relation, p.licenseId]), [[s.model.assetId, 'USES_MODEL', s.agent.modelLicenseId]])
    // Royalties flow up: the agent forwards 5% to the model, the model 10% to the dataset.
    assert.equal(agent!.royaltyBps, 500)
    assert.equal(model!.royaltyBps, 1_000)
    for (const [asset, termsId] of [
      [s.agent, s.agent.payPerUseTermsId],
      [s.model, s.model.payPerUseTermsId],
    ] as const) {
      const t = await getTerms(ctx, termsId)
      assert.deepEqual([t.assetId, t.template, t.paymentToken, t.price, t.active], [asset.assetId, 'PAY_PER_USE', d.deployments.contracts.USDT, 1_000n, true])
    }
    assert.equal(s.token, d.deployments.contracts.USDT)

    // The served model answers from the stored bytes: a 181 mm-flipper, 3.75 kg penguin is an Adelie.
    const classifier = await OnnxClassifier.create(await store.get(s.model.content), modelManifest)
    try {
      const [p] = await classifier.predict([[39.1, 18.7, 181, 3750]])
      assert.equal(p!.label, 'Adelie')
    } finally {
      await classifier.release()
    }
    await d.stop()
  })

  it('is idempotent and restores a wiped content store without sending transactions', async () => {
    rmSync(contentDir, { recursive: true, force: true })
    const d = await start(dataDir, { seed: true })
    const s = d.seed!.payPerUse!
    assert.equal(s.created, false)
    assert.equal(await d.publicClient.readContract({ address: d.deployments.contracts.AssetRegistry, abi: loadArtifact('AssetRegistry').abi, functionName: 'assetCount' }), 6n)
    const store = new ContentStore(contentDir)
    for (const cid of [s.dataset.content, s.dataset.metadata, s.model.content, s.model.metadata, s.agent.content, s.agent.metadata]) await store.verify(cid)
    const block = await d.publicClient.getBlockNumber()
    const again = await seedPayPerUse({ rpcUrl: d.rpcUrl, deployments: d.deployments, accounts, contentDir })
    assert.equal(again.created, false)
    assert.deepEqual(
      [again.dataset.assetId, again.model.assetId, again.agent.assetId, again.agent.payPerUseTermsId, again.model.payPerUseTermsId],
      [s.dataset.assetId, s.model.assetId, s.agent.assetId, s.agent.payPerUseTermsId, s.model.payPerUseTermsId],
    )
    assert.equal(await d.publicClient.getBlockNumber(), block)
    await d.stop()
  })

  it('resumes after a partial run: only the missing assets and terms are sent', async () => {
    const d = await start(path.join(tmp, 'ppu-partial', 'devnet'))
    const partialDir = path.join(tmp, 'ppu-partial', 'content')
    // A run that stopped after the dataset: register it by hand the way the seed does.
    const store = new ContentStore(partialDir)
    const datasetCid = await store.put(penguinsDatasetBytes())
    const wallet = walletClientFor(d.rpcUrl, accounts[1]!.privateKey)
    const { assetId: datasetId } = await registerAsset(
      { publicClient: d.publicClient, walletClient: wallet, deployments: d.deployments },
      { kind: 'DATASET', content: datasetCid, metadata: { name: 'Palmer penguins' } },
    )
    const s = await seedPayPerUse({ rpcUrl: d.rpcUrl, deployments: d.deployments, accounts, contentDir: partialDir, agentUnitPrice: 2_500n })
    assert.equal(s.created, true)
    assert.equal(s.dataset.assetId, datasetId)
    // The dataset found on-chain is reported as registered (its own metadata), not as the seed would have.
    assert.equal(s.dataset.metadata, (await getAsset({ publicClient: d.publicClient, deployments: d.deployments }, datasetId)).latest.metadata)
    assert.equal(s.model.assetId, datasetId + 1n)
    assert.equal(s.agent.assetId, datasetId + 2n)
    assert.equal(s.agent.unitPrice, 2_500n)
    assert.equal((await getTerms({ publicClient: d.publicClient, deployments: d.deployments }, s.agent.payPerUseTermsId)).price, 2_500n)
    assert.equal(s.agent.manifest.price.unitPrice, '2500')
    await d.stop()
  })
})

describe('deployProtocol on another chain', () => {
  it('uses a given stablecoin, hands ownership to a separate admin, and is idempotent via the deployments file', async () => {
    const a = await startAnvil({ chainId: 777 })
    cleanups.push(() => a.stop())
    const chain = localChain(777, a.rpcUrl)
    const publicClient = publicClientFor(a.rpcUrl, chain)
    const walletClient = walletClientFor(a.rpcUrl, accounts[1]!.privateKey, chain)
    // The "real" stablecoin: any ERC-20 already on the chain, deployed by someone else.
    const usdtArt = loadArtifact('DevStablecoin')
    const other = walletClientFor(a.rpcUrl, accounts[4]!.privateKey, chain)
    const usdtTx = await other.deployContract({ abi: usdtArt.abi, bytecode: usdtArt.bytecode, args: [], chain: null })
    const stablecoin = (await publicClient.waitForTransactionReceipt({ hash: usdtTx })).contractAddress!
    const admin = accounts[2]!.address
    const dir = path.join(tmp, 'other-chain')
    const r = await deployProtocol({ walletClient, publicClient, admin, treasury: accounts[3]!.address, protocolFeeBps: 100, stablecoin, deploymentsDir: dir })
    assert.equal(r.reused, false)
    assert.equal(r.file, path.join(dir, '777.json'))
    assert.equal(r.deployments.chainId, 777)
    assert.equal(r.deployments.contracts.USDT, getAddress(stablecoin))
    assert.equal(r.deployments.deployer, accounts[1]!.address)
    // SAHARA, 7 implementations, 7 proxies, 5 vault settings, 7 ownership transfers: no DevStablecoin.
    assert.equal(await publicClient.getTransactionCount({ address: accounts[1]!.address }), 27)
    for (const m of MODULES) {
      const abi = loadArtifact(m).abi
      assert.equal(await publicClient.readContract({ address: r.deployments.contracts[m], abi, functionName: 'pendingOwner' }), admin)
    }
    const vaultAbi = loadArtifact('RevenueVault').abi
    assert.equal(await publicClient.readContract({ address: r.deployments.contracts.RevenueVault, abi: vaultAbi, functionName: 'protocolFeeBps' }), 100)
    // Production defaults outside the devnet: 7-day unbonding, 1-day challenge window.
    const nodesAbi = loadArtifact('NodeRegistry').abi
    assert.equal(await publicClient.readContract({ address: r.deployments.contracts.NodeRegistry, abi: nodesAbi, functionName: 'unbondingDelay' }), 604800n)
    const channelsAbi = loadArtifact('PaymentChannels').abi
    assert.equal(await publicClient.readContract({ address: r.deployments.contracts.PaymentChannels, abi: channelsAbi, functionName: 'challengeWindow' }), 86400n)
    const again = await deployProtocol({ walletClient, publicClient, deploymentsDir: dir })
    assert.equal(again.reused, true)
    assert.deepEqual(again.deployments, r.deployments)
    assert.equal(await publicClient.getTransactionCount({ address: accounts[1]!.address }), 27)
  })

  it('refuses to deploy the open-faucet DevStablecoin as USDT on a non-dev chain unless explicitly allowed', async () => {
    const a = await startAnvil({ chainId: 778 })
    cleanups.push(() => a.stop())
    const chain = localChain(778, a.rpcUrl)
    const publicClient = publicClientFor(a.rpcUrl, chain)
    const walletClient = walletClientFor(a.rpcUrl, accounts[1]!.privateKey, chain)
    await assert.rejects(deployProtocol({ walletClient, publicClient }), (e: unknown) => {
      assert.ok(e instanceof DeployError)
      assert.match(e.message, /chain 778 is not a local dev chain/)
      return true
    })
    // Refused before sending anything.
    assert.equal(await publicClient.getTransactionCount({ address: accounts[1]!.address }), 0)
    const r = await deployProtocol({ walletClient, publicClient, allowDevStablecoin: true })
    const symbol = await publicClient.readContract({ address: r.deployments.contracts.USDT, abi: loadArtifact('DevStablecoin').abi, functionName: 'symbol' })
    assert.equal(symbol, 'USDT')
  })

  it('deploy-cli deploys by RPC URL + key (the whole pipeline, devnet config on a dev chain) and reuses on a second run', async () => {
    const a = await startAnvil()
    cleanups.push(() => a.stop())
    const out = path.join(tmp, 'cli-out')
    const cli = path.join(repoRoot, 'packages', 'devnet', 'src', 'deploy-cli.ts')
    const argv = ['--import', 'tsx', cli, '--rpc-url', a.rpcUrl, '--out', out]
    const env = { ...process.env, DEPLOYER_PRIVATE_KEY: accounts[0]!.privateKey as Hex }
    const first = await exec(process.execPath, argv, { cwd: repoRoot, env })
    const d = parseDeployments(JSON.parse(first.stdout))
    assert.ok(existsSync(path.join(out, '31337.json')))
    assert.equal(d.rpcUrl, a.rpcUrl)
    // On a dev chain the devnet governance config is accepted ("deployer", dev-account guardian).
    assert.equal(d.governance?.handedOver, true)
    assert.equal(d.treasury, d.contracts.SaharaTimelock)
    const second = await exec(process.execPath, argv, { cwd: repoRoot, env })
    assert.match(second.stderr, /reusing deployment/)
    assert.deepEqual(parseDeployments(JSON.parse(second.stdout)), d)
  })
})

/** Polls until nothing accepts connections on 127.0.0.1:port. */
async function portClosed(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port })
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (!open) return true
    await new Promise((r) => setTimeout(r, 200))
  }
  return false
}

function initArgs(m: (typeof MODULES)[number], who: Address): unknown[] {
  switch (m) {
    case 'AssetRegistry':
      return [who, who]
    case 'LicenseRegistry':
    case 'ContributionShares':
      return [who, who, who]
    case 'RevenueVault':
      return [who, who, who, who, 250]
    case 'NodeRegistry':
      return [who, who, who, 1n, 1n, 1]
    case 'PaymentChannels':
      return [who, who, who, 1n]
    case 'ExactPayments':
      return [who, who, who]
  }
}
