// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Ownable2StepUpgradeable} from "@openzeppelin/contracts-upgradeable/access/Ownable2StepUpgradeable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title ProtocolModule
/// @notice Base of every upgradeable Sahara module: deployed behind an ERC-1967 UUPS proxy whose
///         upgrade and admin authority is one owner (the deployer on the devnet, the DAO timelock
///         once governance takes over). Ownership moves in two steps so it cannot be handed to a
///         wrong address by mistake.
/// @dev Storage: this contract declares no state and every base keeps its state in ERC-7201
///      namespaces (Initializable, Ownable, Ownable2Step; ERC721 in the modules that use it) or in
///      transient storage (the reentrancy guard), so each module's own plain storage starts at
///      slot 0. Never add a plain state variable here: it would shift every module's layout.
abstract contract ProtocolModule is UUPSUpgradeable, Ownable2StepUpgradeable, ReentrancyGuardTransient {
    /// @notice Renouncing ownership is disabled (see `renounceOwnership`).
    error RenounceOwnershipDisabled();

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function __ProtocolModule_init(address admin) internal onlyInitializing {
        __Ownable_init(admin);
        __Ownable2Step_init();
    }

    /// @notice Always reverts: a module without an owner could never be upgraded again (no
    ///         emergency fix) and its admin settings (payment tokens, collectors, minters, fee,
    ///         treasury, kinds) would be frozen forever. Ownership can only move, in two steps.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceOwnershipDisabled();
    }

    /// @dev Only the admin (later the timelock) may upgrade.
    function _authorizeUpgrade(address) internal override onlyOwner {}
}
