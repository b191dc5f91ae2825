// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Channel, Voucher, SettleEntry, SkipReason} from "../types/ExecutionTypes.sol";

/// @title IPaymentChannels
/// @notice Unidirectional payment channels payer -> node in one token, paid per call with signed
///         vouchers that anchor sha256 hash chains (docs/protocol/payment-channels.md).
///         A channel has any number of lanes, identified by (channelId, assetId, lane); each lane
///         is settled independently up to the highest amount its vouchers allow, and the channel
///         never pays out more than its deposit. Settled amounts go to the RevenueVault (booked to
///         the voucher's asset) minus the node fee (NodeRegistry.serviceOf), paid to the node's
///         operator. The payer can close the channel and withdraw what was not settled after a
///         challenge window during which the node can still settle.
interface IPaymentChannels {
    /// @notice A channel was opened with `deposit`.
    event ChannelOpened(
        uint256 indexed channelId,
        address indexed payer,
        uint256 indexed nodeId,
        address token,
        address signer,
        uint256 deposit
    );
    /// @notice `amount` was added to a channel by `from` (`deposit` is the new total).
    event ChannelToppedUp(uint256 indexed channelId, address indexed from, uint256 amount, uint256 deposit);
    /// @notice The payer asked to close; the node can settle until `closesAt`.
    event ChannelClosing(uint256 indexed channelId, uint64 closesAt);
    /// @notice The node released the channel: the payer may withdraw now.
    event ChannelReleased(uint256 indexed channelId, address indexed by);
    /// @notice The payer withdrew the unsettled remainder `refund`; the channel is Closed.
    event ChannelWithdrawn(uint256 indexed channelId, address indexed payer, uint256 refund);
    /// @notice A voucher moved a lane to `laneTotal` (+`delta`); `nodeFee` of delta went to the
    ///         node operator, the rest to the vault for `assetId`.
    event LaneSettled(
        uint256 indexed channelId, uint256 indexed assetId, uint256 indexed lane, uint256 laneTotal, uint256 delta, uint256 nodeFee
    );
    /// @notice A settlement entry changed nothing (see SkipReason).
    event EntrySkipped(uint256 indexed channelId, uint256 indexed assetId, uint256 indexed lane, SkipReason reason);
    /// @notice A settlement of `nodeId` in `token`: `amount` settled in total, of which `nodeFees`
    ///         went to the operator; `receiptsRoot` (0 = none) covers `receiptCount` receipts.
    event Settled(
        uint256 indexed nodeId,
        address indexed token,
        bytes32 indexed receiptsRoot,
        uint256 receiptCount,
        uint256 amount,
        uint256 nodeFees
    );
    /// @notice Admin setting.
    event ChallengeWindowSet(uint64 window);

    /// @notice An address argument is the zero address.
    error ZeroAddress();
    /// @notice The amount must be greater than zero.
    error ZeroAmount();
    /// @notice The token is not a payment token of the RevenueVault.
    error TokenNotAllowed(address token);
    /// @notice The node does not exist or is not Active.
    error NodeNotActive(uint256 nodeId);
    /// @notice No channel has this id.
    error UnknownChannel(uint256 channelId);
    /// @notice Only the channel's payer may do this.
    error NotPayer(uint256 channelId, address caller);
    /// @notice Only the node's operator or signer may do this.
    error NotNodeAuthority(uint256 nodeId, address caller);
    /// @notice The channel is not Open (top-ups and requestClose need an Open channel).
    error ChannelNotOpen(uint256 channelId);
    /// @notice The channel is already Closed.
    error ChannelAlreadyClosed(uint256 channelId);
    /// @notice The challenge window has not ended (withdraw needs Closing and now >= closesAt).
    error ChallengeWindowNotOver(uint256 channelId, uint64 closesAt);
    /// @notice A settlement entry's channel belongs to another node.
    error ChannelNodeMismatch(uint256 channelId, uint256 nodeId);
    /// @notice A settlement entry's channel is in another token.
    error ChannelTokenMismatch(uint256 channelId, address token);
    /// @notice The voucher signature is not the channel signer's (ECDSA or ERC-1271).
    error InvalidVoucherSignature(uint256 channelId);
    /// @notice The preimage does not hash to the voucher anchor in `units` steps.
    error InvalidPreimage(uint256 channelId, uint256 units);
    /// @notice More units than the voucher (or MAX_UNITS) allows.
    error UnitsAboveMax(uint256 units, uint256 maxUnits);
    /// @notice A settlement with no entries and no receipts root.
    error EmptySettlement();
    /// @notice The node already recorded this receipts root.
    error ReceiptsRootAlreadyRecorded(bytes32 root);
    /// @notice The token took a fee on transfer; such tokens are not supported.
    error FeeOnTransferNotSupported(address token, uint256 expected, uint256 received);
    /// @notice An amount or id does not fit the packed storage.
    error ValueTooLarge(uint256 value);
    /// @notice An admin setting outside its bounds.
    error SettingOutOfRange(uint256 value, uint256 max);

    /// @notice Opens a channel from msg.sender to `nodeId` funded with `amount` of `token`
    ///         (needs an allowance). The node must be Active and the token a vault payment token.
    /// @param signer key that signs vouchers (address(0) = msg.sender); may be an ERC-1271 wallet
    /// @return channelId the new channel id (sequential, starting at 1)
    function open(uint256 nodeId, address token, uint256 amount, address signer) external returns (uint256 channelId);

    /// @notice `open` with an ERC-2612 permit (ignored when it fails and the allowance suffices).
    function openWithPermit(
        uint256 nodeId,
        address token,
        uint256 amount,
        address signer,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 channelId);

    /// @notice `open` funded by an EIP-3009 ReceiveWithAuthorization of msg.sender (from) to this
    ///         contract: only this contract can execute it, so it cannot be front-run.
    function openWithAuthorization(
        uint256 nodeId,
        address token,
        uint256 amount,
        address signer,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external returns (uint256 channelId);

    /// @notice Adds `amount` to an Open channel (anyone; needs an allowance).
    function topUp(uint256 channelId, uint256 amount) external;

    /// @notice `topUp` with an ERC-2612 permit of msg.sender.
    function topUpWithPermit(uint256 channelId, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;

    /// @notice Starts closing an Open channel (payer only): the node can settle until
    ///         now + challengeWindow(), then the payer can withdraw.
    function requestClose(uint256 channelId) external;

    /// @notice Ends the challenge window now (the node's operator or signer): the payer can
    ///         withdraw immediately and nothing can be settled any more.
    function release(uint256 channelId) external;

    /// @notice Pays the unsettled remainder back to the payer once the channel is Closing and
    ///         now >= closesAt (payer only); the channel becomes Closed.
    function withdraw(uint256 channelId) external;

    /// @notice Settles vouchers of channels of `nodeId` in `token` and records a receipts root
    ///         (operator or signer of the node). Stale, expired and closed entries are skipped
    ///         with EntrySkipped; malformed ones revert. An empty `entries` only records the root.
    /// @param receiptsRoot root over the receipt groups this settlement covers (0 = none)
    /// @param receiptCount number of receipts under the root
    function settle(
        uint256 nodeId,
        address token,
        SettleEntry[] calldata entries,
        bytes32 receiptsRoot,
        uint256 receiptCount
    ) external;

    /// @notice Sets the challenge window of later close requests (admin), at most MAX_CHALLENGE_WINDOW.
    function setChallengeWindow(uint64 window) external;

    /// @notice A channel; reverts UnknownChannel.
    function channel(uint256 channelId) external view returns (Channel memory);

    /// @notice Amount already settled on a lane.
    function laneSettled(uint256 channelId, uint256 assetId, uint256 lane) external view returns (uint256);

    /// @notice The EIP-712 digest the channel signer signs for `voucher`.
    function voucherDigest(Voucher calldata voucher) external view returns (bytes32);

    /// @notice The EIP-712 digest a node signer signs for a receipt batch.
    function receiptBatchDigest(uint256 nodeId, bytes32 root, uint256 sequence) external view returns (bytes32);

    /// @notice A recorded receipts root: the first node that submitted it, when, and its receipt
    ///         count (all 0 when not recorded). Only the node's ReceiptBatch signature proves that
    ///         the receipts are the node's: anyone registered as a node can submit any root.
    function receiptsRecorded(bytes32 root) external view returns (uint256 nodeId, uint64 timestamp, uint256 count);

    /// @notice Whether `leaf` is under `root` with the sorted-pair sha256 `proof`.
    function verifyReceipt(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool);

    /// @notice Number of channels opened so far (ids are 1..count).
    function channelCount() external view returns (uint256);

    function DOMAIN_SEPARATOR() external view returns (bytes32);
    function MAX_UNITS() external view returns (uint256);
    function challengeWindow() external view returns (uint64);
    function nodeRegistry() external view returns (address);
    function revenueVault() external view returns (address);
}
