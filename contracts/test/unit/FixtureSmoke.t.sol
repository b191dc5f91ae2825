// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";

contract FixtureSmokeTest is ProtocolFixture {
    function test_fixtureWiring() public {
        assertEq(vault.assetRegistry(), address(registry));
        assertEq(vault.shares(), address(shares));
        assertEq(shares.revenueVault(), address(vault));
        assertEq(vault.owner(), admin);
        assertTrue(vault.isPaymentToken(address(usdt)));
        assertEq(usdt.balanceOf(alice), FUND_USDT);
        uint256 id = _registerAsset(alice);
        _pay(bob, id, address(usdt), 1000e6);
        assertEq(vault.balanceOf(alice, address(usdt)), 975e6);
        assertEq(vault.balanceOf(treasury, address(usdt)), 25e6);
    }
}
