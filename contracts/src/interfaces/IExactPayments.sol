// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IExactPayments
/// @notice x402 "exact" payments: a client signs an EIP-3009 TransferWithAuthorization of `value`
///         to this contract; the node that served the call submits it with `payExact`, which
///         moves the funds, pays the node fee to the node operator and books the rest in the
///         RevenueVault for the asset. Each authorization is attributed exactly once, also when
///         someone submitted it to the token directly (front-run).
interface IExactPayments {
    /// @notice An authorization of `from` (`nonce`) paid `value` for `assetId` served by `nodeId`;
    ///         `nodeFee` went to the operator, the rest to the vault. `frontRun`: the transfer had
    ///         already been executed by someone else and was attributed here.
    event ExactPaid(
        uint256 indexed nodeId,
        uint256 indexed assetId,
        address indexed from,
        address token,
        bytes32 nonce,
        uint256 value,
        uint256 nodeFee,
        bool frontRun
    );

    /// @notice An address argument is the zero address.
    error ZeroAddress();
    /// @notice The amount must be greater than zero.
    error ZeroAmount();
    /// @notice Only the node's operator or signer may submit payments for it.
    error NotNodeAuthority(uint256 nodeId, address caller);
    /// @notice The node does not serve this asset.
    error AssetNotServed(uint256 nodeId, uint256 assetId);
    /// @notice This authorization was already attributed.
    error AlreadyAttributed(address token, address from, bytes32 nonce);
    /// @notice The authorization was consumed on the token but its signature is not a
    ///         TransferWithAuthorization of these parameters to this contract.
    error InvalidAuthorization(address token, address from, bytes32 nonce);

    /// @notice Executes (or, when already executed, attributes) an EIP-3009 transfer of `value`
    ///         `token` from `from` to this contract and splits it between the node operator (node
    ///         fee) and the RevenueVault (asset `assetId`). Caller: the node's operator or signer;
    ///         the node must serve the asset.
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

    /// @notice Whether the authorization (token, from, nonce) was attributed.
    function attributed(address token, address from, bytes32 nonce) external view returns (bool);

    function nodeRegistry() external view returns (address);
    function revenueVault() external view returns (address);
}
