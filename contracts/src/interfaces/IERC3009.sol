// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IERC3009
/// @notice The EIP-3009 surface the execution contracts call on payment tokens: the
///         bytes-signature overloads (EOA and ERC-1271 signers) and the nonce state view.
interface IERC3009 {
    /// @notice Moves `value` from `from` to `to` with `from`'s signed TransferWithAuthorization.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Like transferWithAuthorization, but only `to` may submit it (no front-running).
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Whether `authorizer` already used (or canceled) `nonce`.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);
}
