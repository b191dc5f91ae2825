// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IPausable
/// @notice A module that can stop new activity. GuardianGate calls `pause()` on modules that grant it
///         their pauser role; resuming is the module owner's (the timelock's) decision.
interface IPausable {
    /// @notice Stops new activity on the module. Restricted to the module's pausers.
    function pause() external;
}
