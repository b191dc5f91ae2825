// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Ownable2StepUpgradeable} from "@openzeppelin/contracts-upgradeable/access/Ownable2StepUpgradeable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {IPausable} from "../interfaces/IPausable.sol";

/// @title ProtocolModuleCore
/// @notice ProtocolModule without pausing: UUPS + Ownable2Step + transient reentrancy guard. Every
///         module inherits ProtocolModule (NodeStaking too, since its settings moved to
///         NodeStakingAdmin); this base stays for a module that could not afford pausing's bytecode.
abstract contract ProtocolModuleCore is UUPSUpgradeable, Ownable2StepUpgradeable, ReentrancyGuardTransient {
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

/// @title ProtocolModule
/// @notice Base of every upgradeable Sahara module: deployed behind an ERC-1967 UUPS proxy whose
///         upgrade and admin authority is one owner (the deployer on the devnet, the DAO timelock
///         once governance takes over). Ownership moves in two steps so it cannot be handed to a
///         wrong address by mistake.
/// @dev Storage: this contract declares no state and every base keeps its state in ERC-7201
///      namespaces (Initializable, Ownable, Ownable2Step; ERC721 in the modules that use it) or in
///      transient storage (the reentrancy guard), so each module's own plain storage starts at
///      slot 0. Never add a plain state variable here: it would shift every module's layout.
///      Pausing: the flag lives in OZ's `openzeppelin.storage.Pausable` namespace and the pauser
///      set in `sahara.storage.Pausers` (below), so adding them did not move any module's slots.
///      Modules put `whenNotPaused` only on entry points that start new activity; exits and the
///      settlement of existing obligations never stop, so a pause cannot trap anyone's funds.
abstract contract ProtocolModule is ProtocolModuleCore, PausableUpgradeable, IPausable {
    /// @custom:storage-location erc7201:sahara.storage.Pausers
    struct PausersStorage {
        mapping(address account => bool) isPauser;
    }

    // keccak256(abi.encode(uint256(keccak256("sahara.storage.Pausers")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant PAUSERS_STORAGE = 0x7b06c78bd6247f074773295641069b8a358d354c419bd086e9aa28fe08dc6b00;

    /// @notice `account` is neither a pauser nor the owner.
    error NotPauser(address account);

    /// @notice The owner granted (`allowed`) or revoked a pauser.
    event PauserSet(address indexed account, bool allowed);

    /// @notice Stops new activity on this module (registrations, purchases, payments in, channel
    ///         opens, ...); exits, claims and settlement keep working. Callable by a pauser (the
    ///         guardian gate after the handover) or the owner. Reverts `EnforcedPause` if paused.
    function pause() external {
        if (!_pausers().isPauser[msg.sender] && msg.sender != owner()) revert NotPauser(msg.sender);
        _pause();
    }

    /// @notice Resumes new activity. Only the owner (the timelock: resuming is a DAO decision).
    ///         Reverts `ExpectedPause` if not paused.
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @notice Grants or revokes the right to `pause()` this module. Only the owner.
    /// @param account The pauser (e.g. the GuardianGate).
    /// @param allowed True to grant, false to revoke.
    function setPauser(address account, bool allowed) external onlyOwner {
        _pausers().isPauser[account] = allowed;
        emit PauserSet(account, allowed);
    }

    /// @notice Whether `account` may pause this module (the owner may too, without being listed).
    function isPauser(address account) external view returns (bool) {
        return _pausers().isPauser[account];
    }

    function _pausers() private pure returns (PausersStorage storage $) {
        assembly {
            $.slot := PAUSERS_STORAGE
        }
    }
}
