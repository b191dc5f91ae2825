// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {ProtocolModule} from "../../src/utils/ProtocolModule.sol";
import {IPausable} from "../../src/interfaces/IPausable.sol";

/// @notice Test-only protocol module with the pausing mechanism GuardianGate targets: the owner
///         (timelock) grants pausers; a pauser may `pause()`; only the owner may `unpause()`.
///         No production module pauses yet, so this stands in for one.
contract MockPausableModule is ProtocolModule, PausableUpgradeable, IPausable {
    mapping(address => bool) public isPauser;
    uint256 public actions;

    event PauserSet(address indexed account, bool allowed);
    event Acted(uint256 actions);

    error NotPauser(address caller);

    function initialize(address admin) external initializer {
        __ProtocolModule_init(admin);
        __Pausable_init();
    }

    function setPauser(address account, bool allowed) external onlyOwner {
        isPauser[account] = allowed;
        emit PauserSet(account, allowed);
    }

    function pause() external {
        if (!isPauser[msg.sender]) revert NotPauser(msg.sender);
        _pause();
    }

    function unpause() external onlyOwner {
        _unpause();
    }

    /// @dev "New activity": blocked while paused.
    function act() external whenNotPaused {
        emit Acted(++actions);
    }
}
