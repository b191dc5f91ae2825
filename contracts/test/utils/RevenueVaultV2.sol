// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RevenueVault} from "../../src/revenue/RevenueVault.sol";

/// @notice Test-only next version of the vault used to prove UUPS upgrades through governance.
contract RevenueVaultV2 is RevenueVault {
    function version() external pure returns (uint256) {
        return 2;
    }
}
