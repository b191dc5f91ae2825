// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

/// @title ExactReceiver
/// @notice Implementation of the per-(nodeId, assetId) deposit addresses of ExactPayments. Each
///         receiver is an EIP-1167 clone of this contract deployed with CREATE2 by the
///         ExactPayments proxy (salt = keccak256(abi.encode(nodeId, assetId))); x402 "exact"
///         clients pay to it, and only its deployer can move tokens out of it.
/// @dev Stateless: a clone proves who deployed it without storage or constructor. The caller
///      passes the salt and the clone checks that CREATE2(caller, salt, clone of IMPLEMENTATION)
///      is its own address, which only the deployer can satisfy (an address and a salt cannot be
///      chosen to hit another deployer's CREATE2 address). Called on the implementation itself
///      the check always fails: the implementation was deployed with CREATE, not as a clone.
contract ExactReceiver {
    using SafeERC20 for IERC20;

    /// @notice This implementation's address (what every receiver clone delegates to).
    address public immutable IMPLEMENTATION;

    /// @notice `caller` did not deploy this receiver with `salt`.
    error NotDeployer(address caller, bytes32 salt);

    constructor() {
        IMPLEMENTATION = address(this);
    }

    /// @notice Transfers `amount` of `token` held by this receiver to `to`.
    /// @dev Only the contract that deployed this clone with `salt` (ExactPayments) may call.
    /// @param salt the CREATE2 salt this receiver was deployed with
    /// @param token the ERC-20 to move
    /// @param to the recipient
    /// @param amount the amount to move
    function pay(bytes32 salt, IERC20 token, address to, uint256 amount) external {
        if (Clones.predictDeterministicAddress(IMPLEMENTATION, salt, msg.sender) != address(this)) {
            revert NotDeployer(msg.sender, salt);
        }
        token.safeTransfer(to, amount);
    }
}
