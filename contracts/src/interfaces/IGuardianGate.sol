// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IGuardianGate
/// @notice A guardian with two narrow emergency powers that end at a fixed timestamp: cancel a
///         queued timelock operation and pause a module.
interface IGuardianGate {
    /// @notice The guardian cancelled the timelock operation `id`.
    event GuardianCancelled(bytes32 indexed id);
    /// @notice The guardian paused `target`.
    event GuardianPaused(address indexed target);

    /// @notice The guardian's powers ended at `expiry` (Unix seconds); every call now reverts.
    error GuardianExpired(uint256 expiry);
    /// @notice `caller` is not the guardian.
    error NotGuardian(address caller);
    /// @notice A constructor argument was the zero address.
    error ZeroAddress();
    /// @notice The expiry given to the constructor is not in the future.
    error ExpiryInPast(uint256 expiry, uint256 nowTs);

    /// @notice Cancels the pending (queued) timelock operation `id`. Guardian only, before expiry.
    /// @param id The timelock operation id (`hashOperation`/`hashOperationBatch`).
    function cancel(bytes32 id) external;

    /// @notice Calls `pause()` on `target`, which must grant this gate its pauser role. Guardian
    ///         only, before expiry.
    /// @param target The module to pause.
    function pause(address target) external;

    /// @notice The guardian address.
    function guardian() external view returns (address);

    /// @notice The timelock whose operations the guardian may cancel.
    function timelock() external view returns (address);

    /// @notice The timestamp (Unix seconds) at which the guardian's powers end.
    function expiry() external view returns (uint256);

    /// @notice Whether the guardian's powers are still in force (`block.timestamp < expiry`).
    function active() external view returns (bool);
}
