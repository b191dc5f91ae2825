// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolModule} from "../../src/utils/ProtocolModule.sol";

/// @notice Test-only protocol module: the smallest module that uses ProtocolModule's pausing
///         (pausers set by the owner, `pause()` by a pauser or the owner, `unpause()` by the owner)
///         with one "new activity" entry point, so GuardianGate tests need no full protocol.
contract MockPausableModule is ProtocolModule {
    uint256 public actions;

    event Acted(uint256 actions);

    function initialize(address admin) external initializer {
        __ProtocolModule_init(admin);
    }

    /// @dev "New activity": blocked while paused.
    function act() external whenNotPaused {
        emit Acted(++actions);
    }
}
