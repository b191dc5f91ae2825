// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IGuardianGate} from "../interfaces/IGuardianGate.sol";
import {IPausable} from "../interfaces/IPausable.sol";

/// @title GuardianGate
/// @notice The only door through which the early-days guardian (e.g. a security multisig) can act,
///         and only until `expiry`, fixed at deployment:
///         (a) cancel a queued operation of the DAO timelock (this gate holds its CANCELLER role),
///         (b) pause a module that grants this gate its pauser role.
///         It cannot schedule, execute, unpause, upgrade or move funds, and nothing can extend
///         `expiry`. After expiry every entry point reverts with `GuardianExpired`; the timelock
///         may also revoke the gate's CANCELLER role earlier by a proposal.
/// @dev Stateless apart from three immutables. Both calls are idempotent-safe: the timelock
///      rejects cancelling a non-pending id and a module decides what `pause()` means.
contract GuardianGate is IGuardianGate {
    address private immutable _guardian;
    TimelockController private immutable _timelock;
    uint256 private immutable _expiry;

    /// @param guardian_ The guardian address (the only caller of `cancel` and `pause`).
    /// @param timelock_ The DAO timelock; it must grant this contract CANCELLER_ROLE.
    /// @param expiry_ Unix seconds at which the guardian's powers end; must be in the future.
    constructor(address guardian_, address timelock_, uint256 expiry_) {
        if (guardian_ == address(0) || timelock_ == address(0)) revert ZeroAddress();
        if (expiry_ <= block.timestamp) revert ExpiryInPast(expiry_, block.timestamp);
        _guardian = guardian_;
        _timelock = TimelockController(payable(timelock_));
        _expiry = expiry_;
    }

    /// @dev Expiry is checked first so that after it every caller, guardian or not, gets
    ///      `GuardianExpired`.
    modifier onlyActiveGuardian() {
        if (block.timestamp >= _expiry) revert GuardianExpired(_expiry);
        if (msg.sender != _guardian) revert NotGuardian(msg.sender);
        _;
    }

    /// @inheritdoc IGuardianGate
    function cancel(bytes32 id) external onlyActiveGuardian {
        emit GuardianCancelled(id);
        _timelock.cancel(id);
    }

    /// @inheritdoc IGuardianGate
    function pause(address target) external onlyActiveGuardian {
        emit GuardianPaused(target);
        IPausable(target).pause();
    }

    /// @inheritdoc IGuardianGate
    function guardian() external view returns (address) {
        return _guardian;
    }

    /// @inheritdoc IGuardianGate
    function timelock() external view returns (address) {
        return address(_timelock);
    }

    /// @inheritdoc IGuardianGate
    function expiry() external view returns (uint256) {
        return _expiry;
    }

    /// @inheritdoc IGuardianGate
    function active() external view returns (bool) {
        return block.timestamp < _expiry;
    }
}
