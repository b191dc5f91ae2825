// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Lifecycle of an execution node. A node is Active from registration; `requestExit`
///         makes it Exiting (no new channels, settlement still allowed) until its stake unbonds;
///         `withdrawStake` makes it Exited. Unregistered ids have `operator == address(0)`.
enum NodeStatus {
    Active,
    Exiting,
    Exited
}

/// @notice An execution node as returned by `NodeRegistry.node`.
/// @param operator owner of the node: manages it, receives node fees and the stake back
/// @param signer   key that signs receipt batches and may submit settlements (hot key)
/// @param stake    SAHARA bonded by the node
/// @param status   see NodeStatus
/// @param unlockAt when an Exiting node's stake can be withdrawn (0 while Active)
/// @param endpoint base URL of the node's HTTP API
struct Node {
    address operator;
    address signer;
    uint128 stake;
    NodeStatus status;
    uint64 unlockAt;
    string endpoint;
}

/// @notice Lifecycle of a payment channel: Open (settle, top up) -> Closing (settle until
///         `closesAt`) -> Closed (the payer withdrew the remainder). Unknown ids have payer 0.
enum ChannelStatus {
    Open,
    Closing,
    Closed
}

/// @notice A payment channel as returned by `PaymentChannels.channel`.
/// @param payer    who funded the channel and gets the remainder back
/// @param signer   key that signs vouchers (the payer or a session key named at open)
/// @param nodeId   the only node that may settle the channel
/// @param token    the payment token of the deposit
/// @param deposit  everything ever deposited (open + top-ups)
/// @param settled  everything ever settled to the vault and the node
/// @param closesAt end of the challenge window (0 while Open)
/// @param status   see ChannelStatus
struct Channel {
    address payer;
    address signer;
    uint256 nodeId;
    address token;
    uint128 deposit;
    uint128 settled;
    uint64 closesAt;
    ChannelStatus status;
}

/// @notice A signed promise of the channel signer, anchoring a sha256 hash chain (see
///         docs/protocol/payment-channels.md). Worth `cumulative + m * unitPrice` with a preimage
///         `x` such that sha256^m(x) == anchor, m <= maxUnits.
/// @dev EIP-712: Voucher(uint256 channelId,uint256 lane,uint256 assetId,uint256 cumulative,
///      bytes32 anchor,uint256 unitPrice,uint256 maxUnits,uint256 expiresAt)
struct Voucher {
    uint256 channelId;
    uint256 lane;
    uint256 assetId;
    uint256 cumulative;
    bytes32 anchor;
    uint256 unitPrice;
    uint256 maxUnits;
    uint256 expiresAt;
}

/// @notice One voucher redeemed in a settlement.
/// @param voucher   the signed voucher
/// @param units     m: units revealed on the voucher's chain (0 = redeem `cumulative` only)
/// @param preimage  x with sha256^units(x) == anchor (ignored when units == 0)
/// @param signature the channel signer's signature over the voucher (65-byte ECDSA or ERC-1271)
struct SettleEntry {
    Voucher voucher;
    uint256 units;
    bytes32 preimage;
    bytes signature;
}

/// @notice The 11 fields of a call receipt; leaf = sha256(abi.encode(receipt)) (352 bytes).
///         For x402 exact calls channelId = 0, lane = 0, cumulative = value, index = 0.
struct Receipt {
    uint256 nodeId;
    bytes32 requestHash;
    bytes32 responseHash;
    uint256 assetId;
    uint256 version;
    uint256 units;
    uint256 price;
    uint256 channelId;
    uint256 lane;
    uint256 cumulative;
    uint256 index;
}

/// @notice Why a settlement entry was skipped instead of settled (no state change).
enum SkipReason {
    Stale, // nothing new to settle on the lane (or the deposit is used up)
    Expired, // block.timestamp > voucher.expiresAt
    ChannelClosed // the channel is Closed or past closesAt
}
