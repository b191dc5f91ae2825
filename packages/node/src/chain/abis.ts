/**
 * Minimal ABIs of the execution contracts, written from PAYMENTS_SPEC.md while the contracts are
 * being built in another branch. Swap for the generated ABIs (@sahara/sdk) once they are merged;
 * the struct layouts below are the node's assumption (see docs/node.md).
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
          { name: 'signature', type: 'bytes' },
          { name: 'units', type: 'uint256' },
          { name: 'preimage', type: 'bytes32' },
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
