// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title SaharaTimelock
/// @notice The DAO timelock: stock OpenZeppelin TimelockController with the Sahara role layout fixed
///         at construction, so there is no setup window and no admin to renounce:
///         - PROPOSER_ROLE and CANCELLER_ROLE: the governor only;
///         - CANCELLER_ROLE: also the GuardianGate (guardian cancel until its expiry), if given;
///         - EXECUTOR_ROLE: open (address(0)). Only operations the governor scheduled exist, and
///           they run only after `minDelay`; an open executor keeps passed proposals executable
///           even if the governor is being replaced or misbehaves (liveness). The governor's
///           `execute` path still works, and the governor reads the operation as Executed either way;
///         - DEFAULT_ADMIN_ROLE: the timelock itself only (no external admin, ever). Role changes
///           and `updateDelay` therefore need a proposal that passes the delay.
/// @dev Addresses are circular (governor -> timelock -> governor/gate): deploy scripts predict the
///      governor (and gate) addresses from the deployer nonce.
contract SaharaTimelock is TimelockController {
    /// @notice The governor argument was the zero address.
    error ZeroGovernor();

    /// @param minDelay Minimum delay, in seconds, between queueing and executing an operation.
    /// @param governor The SaharaGovernor (proposer and canceller).
    /// @param guardianGate The GuardianGate given CANCELLER_ROLE, or address(0) for none.
    constructor(uint256 minDelay, address governor, address guardianGate)
        TimelockController(minDelay, _one(governor), _one(address(0)), address(0))
    {
        if (governor == address(0)) revert ZeroGovernor();
        if (guardianGate != address(0)) _grantRole(CANCELLER_ROLE, guardianGate);
    }

    function _one(address a) private pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = a;
    }
}
