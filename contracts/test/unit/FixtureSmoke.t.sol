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

    function test_fixtureDerivedAssetRoyalty() public {
        assertEq(licenses.revenueVault(), address(vault));
        assertTrue(vault.isCollector(address(licenses)));
        uint256 parent = _registerAsset(alice);
        uint256 child = _registerDerived(bob, parent, 1000);
        assertEq(registry.assetInfo(child).royaltyBps, 1000);
        _pay(carol, child, address(usdt), 1000e6);
        // fee 25, royalties 97.5, owner 877.5
        assertEq(vault.pendingRoyalties(child, address(usdt)), 97.5e6);
        vault.flushRoyalties(child, address(usdt));
        assertEq(vault.balanceOf(alice, address(usdt)), 97.5e6);
    }
}
