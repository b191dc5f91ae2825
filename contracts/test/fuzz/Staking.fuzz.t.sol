// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StakingFixture} from "../utils/StakingFixture.sol";

/// @notice Fuzz of the share math (delegation and unbonding pools under slashes) and of reward
///         accrual (commission, self bond, pool split; claims never exceed what came in).
contract StakingFuzzTest is StakingFixture {
    /// @dev Two delegators, a slash, both leave: each gets its pro-rata value (rounded down, at
    ///      most 1 wei short), the pools pay out exactly what they hold, the treasury the cut.
    function testFuzz_shares_proRataUnderSlash(uint256 a, uint256 b, uint256 bps, bool aliceUnbondsFirst) public {
        a = bound(a, 1, 500_000e18);
        b = bound(b, 1, 500_000e18);
        bps = bound(bps, 1, 5000);
        _delegate(alice, nodeId, a);
        _delegate(bob, nodeId, b);
        if (aliceUnbondsFirst) {
            vm.prank(alice);
            assertEq(staking.undelegate(nodeId, a), a); // alice is in the unbonding pool when slashed
        }
        uint256 t0 = sahara.balanceOf(treasury);
        vm.prank(admin);
        staking.slash(nodeId, uint16(bps), "fuzz");
        // what the pools lost (the bond's cut is MIN_STAKE * bps / 10000, from NodeRegistry)
        uint256 poolCut = sahara.balanceOf(treasury) - t0 - MIN_STAKE * bps / 10_000;
        assertLe(poolCut, (a + b) * bps / 10_000 + 1, "slash above stake share");
        _leaveAll(bob);
        if (!aliceUnbondsFirst) _leaveAll(alice);
        vm.warp(block.timestamp + STAKE_UNBONDING);
        uint256 aliceGot = _withdraw(alice);
        uint256 bobGot = _withdraw(bob);
        _assertFair(aliceGot, a, bps);
        _assertFair(bobGot, b, bps);
        // everything that came in went out: to the delegators, the treasury, or stays as dust
        uint256 left = sahara.balanceOf(address(staking));
        assertEq(aliceGot + bobGot + poolCut + left, a + b);
        assertLe(left, 4);
        (uint256 pooled, uint256 unbonding) = staking.totalDelegated();
        assertEq(left, pooled + unbonding);
    }

    /// @dev A position worth 0 after the slash (a few wei delegated) cannot leave: it stays as pool dust.
    function _leaveAll(address who) internal {
        (uint256 shares, uint256 value) = staking.delegation(nodeId, who);
        if (value == 0) return;
        vm.prank(who);
        staking.undelegate(nodeId, shares);
    }

    function _withdraw(address who) internal returns (uint256) {
        (uint256 shares,) = staking.delegation(nodeId, who);
        if (shares != 0) return 0; // stayed as dust
        vm.prank(who);
        return staking.withdrawUnbonded(nodeId);
    }

    /// @dev Got its pro-rata value after the slash, within rounding (a couple of wei).
    function _assertFair(uint256 got, uint256 deposited, uint256 bps) internal pure {
        uint256 fair = deposited - deposited * bps / 10_000;
        assertLe(got, fair + 1);
        assertGe(got + 2, fair);
    }

    /// @dev Fees with commission over a self bond and two delegators: each gets its exact share
    ///      (a few wei of rounding at most) and the sum never exceeds what was notified.
    function testFuzz_rewards_split(uint256 a, uint256 b, uint16 commission, uint256 fee1, uint256 fee2) public {
        a = bound(a, 1e18, 500_000e18);
        b = bound(b, 1e18, 500_000e18);
        commission = uint16(bound(commission, 0, MAX_COMMISSION));
        fee1 = bound(fee1, 1, 1e12);
        fee2 = bound(fee2, 1, 1e12);
        vm.prank(operator);
        staking.setCommission(nodeId, commission);
        _delegate(alice, nodeId, a);
        _notify(address(usdt), fee1);
        _delegate(bob, nodeId, b);
        _notify(address(usdt), fee2);

        uint256 w1 = MIN_STAKE + a;
        uint256 w2 = MIN_STAKE + a + b;
        uint256 rest1 = fee1 - fee1 * commission / 10_000;
        uint256 rest2 = fee2 - fee2 * commission / 10_000;
        uint256 aliceFair = rest1 * a / w1 + rest2 * a / w2;
        uint256 bobFair = rest2 * b / w2;

        vm.prank(alice);
        uint256 aliceGot = staking.claimRewards(nodeId)[1];
        vm.prank(bob);
        uint256 bobGot = staking.claimRewards(nodeId)[1];
        vm.prank(operator);
        uint256 opGot = staking.claimRewards(nodeId)[1];
        assertLe(aliceGot + bobGot + opGot, fee1 + fee2, "paid more than notified");
        assertGe(aliceGot + bobGot + opGot + 6, fee1 + fee2, "lost more than dust");
        assertLe(aliceGot, aliceFair + 2);
        assertGe(aliceGot + 3, aliceFair);
        assertLe(bobGot, bobFair + 2);
        assertGe(bobGot + 3, bobFair);
        assertEq(usdt.balanceOf(address(staking)), staking.rewardsOutstanding(address(usdt)));
    }

    /// @dev Emissions release min(rate * elapsed, reserve), never more than funded.
    function testFuzz_emissions_cappedByReserve(uint256 rate, uint256 reserve, uint256 elapsed) public {
        rate = bound(rate, 1, 1e24);
        reserve = bound(reserve, 1, 500_000e18);
        elapsed = bound(elapsed, 1, 1000 days);
        sahara.approve(address(staking), reserve);
        staking.fundEmissions(reserve);
        vm.prank(admin);
        staking.setEmissionSchedule(rate, uint64(block.timestamp), uint64(block.timestamp) + 365 days);
        vm.warp(block.timestamp + elapsed);
        uint256 before = sahara.balanceOf(operator);
        vm.prank(operator);
        uint256 got = staking.claimRewards(nodeId)[0];
        uint256 due = rate * (elapsed > 365 days ? 365 days : elapsed);
        uint256 expected = due < reserve ? due : reserve;
        assertLe(got, expected);
        assertGe(got + 1, expected);
        assertEq(sahara.balanceOf(operator), before + got);
        assertEq(staking.emissionReserve(), reserve - expected);
        assertEq(
            sahara.balanceOf(address(staking)),
            staking.emissionReserve() + staking.rewardsOutstanding(address(sahara))
        );
    }
}
