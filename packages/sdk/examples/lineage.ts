// A dataset owner licenses a dataset to a model builder; revenue of the model flows back up as
// royalties. Run against a devnet (`npm start`), from the repository root:
//   node --import tsx packages/sdk/examples/lineage.ts
import { createPublicClient, createWalletClient, http, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { computeCid, createSaharaClient, formatAmount, parseAmount, resolveDeployments } from '@sahara/sdk'

const rpcUrl = process.env.SAHARA_RPC_URL ?? 'http://127.0.0.1:8545'
// Anvil's well-known dev keys #1 and #2: devnet only.
const ownerKey = (process.env.OWNER_KEY ?? '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d') as Hex
const builderKey = (process.env.BUILDER_KEY ?? '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a') as Hex

const publicClient = createPublicClient({ chain: foundry, transport: http(rpcUrl) })
// Finds <chainId>.json via $SAHARA_DEPLOYMENTS, ./.sahara/devnet/deployments or ./deployments.
const deployments = resolveDeployments({ chainId: await publicClient.getChainId() })
const clientFor = (key: Hex) =>
  createSaharaClient({
    publicClient,
    walletClient: createWalletClient({ chain: foundry, transport: http(rpcUrl), account: privateKeyToAccount(key) }),
    deployments,
  })
const owner = clientFor(ownerKey)
const builder = clientFor(builderKey)

// 1. The dataset owner registers a dataset and sells remix licenses: 10 USDT + 10% royalty.
const data = await computeCid(new TextEncoder().encode('id,text\n1,sand\n2,dune\n'))
const dataset = await owner.registerAsset({ kind: 'dataset', content: data.cid, metadata: { name: 'Dunes', description: 'sand words' } })
const { termsId } = await owner.attachTerms({
  assetId: dataset.assetId,
  template: 'COMMERCIAL_REMIX',
  paymentToken: 'USDT',
  price: parseAmount('10', 6),
  royaltyBps: 1000,
})
console.log(`dataset #${dataset.assetId} content ${dataset.content} metadata ipfs://${dataset.metadata.cid}`)

// 2. The builder gets devnet USDT, buys the license and registers a model trained on the dataset.
await builder.faucet({ amount: parseAmount('100', 6) })
const license = await builder.buyLicense({ termsId }) // approves the RevenueVault if needed
const weights = await computeCid(new Uint8Array(1024 * 1024)) // or a file path: computeCid('model.safetensors')
const modelAsset = await builder.registerAsset({
  kind: 'model',
  content: weights.cid,
  metadata: { name: 'Dune-1B' },
  parents: [{ parentId: dataset.assetId, relation: 'TRAINED_ON', licenseId: license.licenseId }],
})
const lineage = await builder.getAncestors(modelAsset.assetId)
console.log(`model #${modelAsset.assetId} derives from ${lineage.ids.map((id) => `#${id}`).join(', ')}`)

// 3. The model earns 50 USDT; 10% of what remains after the protocol fee is owed to the dataset.
await builder.pay({ assetId: modelAsset.assetId, token: 'USDT', amount: parseAmount('50', 6) })
const flushed = await builder.flushRoyalties({ assetId: modelAsset.assetId, token: 'USDT' })
console.log(`royalties flushed through ${flushed.path.map((id) => `#${id}`).join(' -> ')}`)

// 4. Everyone claims.
for (const [who, client] of [['dataset owner', owner], ['model owner', builder]] as const) {
  const [usdt] = await client.getBalances({ account: client.account!, tokens: ['USDT'] })
  const claimed = await client.claim({ token: 'USDT' })
  console.log(`${who} claimable ${formatAmount(usdt!.total, 6, 'USDT')}, claimed ${formatAmount(claimed.amount, 6, 'USDT')}`)
}
