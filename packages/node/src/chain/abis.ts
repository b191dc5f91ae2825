/**
 * Minimal ABIs of the execution contracts the node calls, matching contracts/src/interfaces
 * IPaymentChannels / IExactPayments and types/ExecutionTypes.sol of the contracts-pay branch
 * (SettleEntry = { voucher, units, preimage, signature }). Swap for the generated ABIs in
 * @sahara/sdk once both branches are merged.
 */
const voucherComponents = [
  { name: 'channelId', type: 'uint256' },
  { name: 'lane', type: 'uint256' },
  { name: 'assetId', type: 'uint256' },
  { name: 'cumulative', type: 'uint256' },
  { name: 'anchor', type: 'bytes32' },
  { name: 'unitPrice', type: 'uint256' },
  { name: 'maxUnits', type: 'uint256' },
  { name: 'expiresAt', type: 'uint256' },
] as const

export const paymentChannelsAbi = [
  { type: 'error', name: 'UnknownChannel', inputs: [{ name: 'channelId', type: 'uint256' }] },
  {
    type: 'function',
    name: 'channel',
    stateMutability: 'view',
    inputs: [{ name: 'channelId', type: 'uint256' }],
    outputs: [
      {
        name: '',
        type: 'tuple',
        components: [
          { name: 'payer', type: 'address' },
          { name: 'signer', type: 'address' },
          { name: 'nodeId', type: 'uint256' },
          { name: 'token', type: 'address' },
          { name: 'deposit', type: 'uint128' },
          { name: 'settled', type: 'uint128' },
          { name: 'closesAt', type: 'uint64' },
          { name: 'status', type: 'uint8' },
        ],
      },
    ],
  },
  {
    type: 'function',
    name: 'laneSettled',
    stateMutability: 'view',
    inputs: [
      { name: 'channelId', type: 'uint256' },
      { name: 'assetId', type: 'uint256' },
      { name: 'lane', type: 'uint256' },
    ],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'receiptsRecorded',
    stateMutability: 'view',
    inputs: [{ name: 'root', type: 'bytes32' }],
    outputs: [
      { name: 'nodeId', type: 'uint256' },
      { name: 'timestamp', type: 'uint64' },
      { name: 'count', type: 'uint256' },
    ],
  },
  {
    type: 'function',
    name: 'settle',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'nodeId', type: 'uint256' },
      { name: 'token', type: 'address' },
      {
        name: 'entries',
        type: 'tuple[]',
        components: [
          { name: 'voucher', type: 'tuple', components: voucherComponents },
          { name: 'units', type: 'uint256' },
          { name: 'preimage', type: 'bytes32' },
          { name: 'signature', type: 'bytes' },
        ],
      },
      { name: 'receiptsRoot', type: 'bytes32' },
      { name: 'receiptCount', type: 'uint256' },
    ],
    outputs: [],
  },
] as const

export const exactPaymentsAbi = [
  {
    type: 'function',
    name: 'payExact',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'nodeId', type: 'uint256' },
      { name: 'assetId', type: 'uint256' },
      { name: 'token', type: 'address' },
      { name: 'from', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'validAfter', type: 'uint256' },
      { name: 'validBefore', type: 'uint256' },
      { name: 'nonce', type: 'bytes32' },
      { name: 'signature', type: 'bytes' },
    ],
    outputs: [],
  },
] as const
