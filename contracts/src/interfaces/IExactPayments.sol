// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IExactPayments
/// @notice x402 "exact" payments to per-(nodeId, assetId) deposit addresses. The x402 requirement's
///         `payTo` is `receiverOf(nodeId, assetId)`: a CREATE2 address (an ExactReceiver clone
///         deployed by this contract on first use). A client signs an EIP-3009
///         TransferWithAuthorization to that address, so the address it paid binds the payment to
///         the node and the asset: whoever submits the authorization (the node, the client, a
///         front-runner) and whoever sweeps, the money can only be booked for that pair.
///         `sweep` moves a receiver's whole balance of a payment token: the node fee (feeBps from
///         NodeRegistry.serviceOf) to the node operator, the rest to the RevenueVault for the asset.
///         `payExact` submits the authorization when it is still unused, then sweeps.
interface IExactPayments {
    /// @notice `payExact` was called for an authorization of `from` (`nonce`, `value` of `token`)
    ///         to `receiverOf(nodeId, assetId)`. `submitted`: this call executed the transfer (so
    ///         the token verified every field); false: the authorization was already used (for
    ///         example submitted to the token by someone else) and the fields are the caller's
    ///         claim. Money moved is reported by `Swept`, never by this event.
    event ExactPaid(
        uint256 indexed nodeId,
        uint256 indexed assetId,
        address indexed from,
        address token,
        bytes32 nonce,
        uint256 value,
        bool submitted
    );

    /// @notice `amount` of `token` left the receiver of (`nodeId`, `assetId`): `nodeFee` to the
    ///         node operator, `amount - nodeFee` booked in the RevenueVault for `assetId`.
    event Swept(
        uint256 indexed nodeId,
        uint256 indexed assetId,
        address indexed token,
        address receiver,
        uint256 amount,
        uint256 nodeFee
    );

    /// @notice The receiver of (`nodeId`, `assetId`) was deployed at `receiver`.
    event ReceiverDeployed(uint256 indexed nodeId, uint256 indexed assetId, address receiver);

    /// @notice An address argument is the zero address.
    error ZeroAddress();
    /// @notice The amount must be greater than zero.
    error ZeroAmount();
    /// @notice The token is not a payment token of the RevenueVault.
    error TokenNotAllowed(address token);
    /// @notice An upgrade must keep the receiver implementation (receiver addresses derive from it).
    error ReceiverImplementationChanged(address expected, address actual);

    /// @notice Submits `from`'s EIP-3009 TransferWithAuthorization of `value` `token` to
    ///         `receiverOf(nodeId, assetId)` unless the token already marks `nonce` used, then
    ///         sweeps that receiver (see `sweep`). Anyone may call. Token errors (expired, bad
    ///         signature, ...) bubble up. Sweeping 0 (a previous sweep already booked
    ///         everything) is not an error, so a repeated or raced call is a no-op.
    function payExact(
        uint256 nodeId,
        uint256 assetId,
        address token,
        address from,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Moves the whole `token` balance of `receiverOf(nodeId, assetId)`, deploying the
    ///         receiver first if needed: the node fee (`serviceOf(nodeId, assetId)` feeBps, also
    ///         after stopServing; 0 for a pair the node never served) to the node operator, the
    ///         rest to the RevenueVault credited to `assetId`. Anyone may call. Returns 0 and
    ///         changes nothing when the balance is 0. Reverts `TokenNotAllowed` for a token that is
    ///         not a vault payment token; reverts (funds stay in the receiver) when the vault
    ///         cannot credit the asset, e.g. an asset id that does not exist yet.
    function sweep(uint256 nodeId, uint256 assetId, address token) external returns (uint256 amount);

    /// @notice The deposit address (x402 `payTo`) of (`nodeId`, `assetId`); it may not have code yet.
    function receiverOf(uint256 nodeId, uint256 assetId) external view returns (address);

    /// @notice The ExactReceiver implementation the receivers are clones of.
    function receiverImplementation() external view returns (address);

    function nodeRegistry() external view returns (address);
    function revenueVault() external view returns (address);
}
