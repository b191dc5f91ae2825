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
abstract contract ProtocolModule is UUPSUpgradeable, Ownable2StepUpgradeable, ReentrancyGuardTransient {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function __ProtocolModule_init(address admin) internal onlyInitializing {
        __Ownable_init(admin);
        __Ownable2Step_init();
    }

    /// @dev Only the admin (later the timelock) may upgrade.
    function _authorizeUpgrade(address) internal override onlyOwner {}
}
