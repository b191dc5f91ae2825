// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {GrantFixture} from "../utils/GrantFixture.sol";
import {IGrantPool} from "../../src/interfaces/IGrantPool.sol";

contract GrantPoolFuzzTest is GrantFixture {
    function setUp() public override {
        super.setUp();
        vm.prank(genesis);
        pool.fund(1e27);
    }

    // Model of the committee period (storage: keeps the fuzz function under the stack limit).
    uint256 internal _mStart;
    uint256 internal _mSpent;
    uint256 internal _mNow;
    uint256 internal _mBudget;
    uint256 internal _mPeriod;

    /// @notice Committee commitments across lazily rolled periods match an independent model:
    ///         a commitment succeeds iff it fits the budget of the period containing now.
    function testFuzz_budgetRollover(uint128 budget, uint48 period, uint256[8] memory warps, uint256[8] memory amounts)
        public
    {
        _mBudget = bound(budget, 1, 1e24);
        _mPeriod = bound(period, 1, 365 days);
        vm.warp(T0 + 17);
        vm.prank(dao);
        pool.setCommitteeBudget(uint128(_mBudget), uint48(_mPeriod));
        _mStart = T0 + 17;
        _mNow = T0 + 17;
        for (uint256 i; i < 8; ++i) {
            _step(i, bound(warps[i], 0, 3 * _mPeriod), amounts[i]);
        }
    }

    function _step(uint256 i, uint256 dt, uint256 rawAmount) internal {
        _mNow += dt;
        vm.warp(_mNow);
        if (_mNow >= _mStart + _mPeriod) {
            _mStart += ((_mNow - _mStart) / _mPeriod) * _mPeriod;
            _mSpent = 0;
        }
        uint256 amount = bound(rawAmount, 1, _mBudget * 3 / 4 + 1);
        (,, uint256 vStart, uint256 vSpent, uint256 vRemaining) = pool.committeeBudget();
        assertEq(vStart, _mStart, "view period start");
        assertEq(vSpent, _mSpent, "view spent");
        assertEq(vRemaining, _mBudget - _mSpent, "view remaining");
        bytes32 root = keccak256(abi.encode(i));
        if (_mSpent + amount <= _mBudget) {
            vm.prank(committee);
            pool.createRewardRound(root, uint128(amount), uint64(_mNow + 1));
            _mSpent += amount;
        } else {
            vm.expectRevert(abi.encodeWithSelector(IGrantPool.BudgetExceeded.selector, amount, _mBudget - _mSpent));
            vm.prank(committee);
            pool.createRewardRound(root, uint128(amount), uint64(_mNow + 1));
        }
        assertLe(_mSpent, _mBudget);
        // The period start stays aligned to the budget's start and the period contains now.
        assertEq((_mStart - (T0 + 17)) % _mPeriod, 0);
        assertLe(_mStart, _mNow);
        assertLt(_mNow, _mStart + _mPeriod);
    }

    /// @notice Whatever the milestones and the order in which some are paid before a cancel, every
    ///         wei is accounted for: recipient + pool == funds, and the cancel returns the rest.
    function testFuzz_milestonesThenCancel(uint128[16] memory raw, uint256 n, uint256 orderSeed, uint256 payCount)
        public
    {
        n = bound(n, 1, 16);
        uint128[] memory m = new uint128[](n);
        uint256 total;
        for (uint256 i; i < n; ++i) {
            m[i] = uint128(bound(raw[i], 1, 1e25));
            total += m[i];
        }
        vm.prank(alice);
        uint256 id = pool.submitApplication(bob, "x", m);
        uint256 avail0 = pool.available();
        vm.prank(dao);
        pool.approve(id);
        assertEq(pool.available(), avail0 - total);
        payCount = bound(payCount, 0, n);
        uint256 paid;
        uint256 mask;
        for (uint256 k; k < payCount; ++k) {
            // Pick an unpaid index pseudo-randomly.
            uint256 idx = uint256(keccak256(abi.encode(orderSeed, k))) % n;
            while (mask & (1 << idx) != 0) idx = (idx + 1) % n;
            mask |= 1 << idx;
            vm.prank(committee);
            pool.approveMilestone(id, idx);
            paid += m[idx];
            assertEq(sahara.balanceOf(bob), paid);
        }
        IGrantPool.GrantView memory g = pool.getGrant(id);
        assertEq(g.paid, paid);
        assertEq(g.paidMask, mask);
        if (payCount == n) {
            assertEq(uint256(g.status), uint256(IGrantPool.GrantStatus.Completed));
            assertEq(paid, total);
        } else {
            vm.prank(dao);
            assertEq(pool.cancelGrant(id), total - paid);
        }
        assertEq(pool.available(), avail0 - paid);
        assertEq(pool.reservedForGrants(), 0);
        assertEq(sahara.balanceOf(address(pool)) + sahara.balanceOf(bob), avail0);
        _assertAccounting();
    }

    /// @notice A round pays at most its reserve, whatever its tree promises.
    function testFuzz_roundNeverExceedsReserve(uint256[6] memory raw, uint128 total) public {
        address[] memory a = new address[](6);
        uint256[] memory v = new uint256[](6);
        uint256 sum;
        for (uint256 i; i < 6; ++i) {
            a[i] = address(uint160(0xA000 + i));
            v[i] = bound(raw[i], 1, 1e24);
            sum += v[i];
        }
        total = uint128(bound(total, 1, sum + 1e18));
        bytes32[] memory tree = _tree(a, v);
        vm.prank(dao);
        uint256 id = pool.createRewardRound(tree[0], total, uint64(T0 + 1 days));
        uint256 paidOut;
        for (uint256 i; i < 6; ++i) {
            bytes32[] memory p = _proof(tree, a[i], v[i]);
            if (paidOut + v[i] <= total) {
                pool.claimReward(id, a[i], v[i], p);
                paidOut += v[i];
                assertEq(sahara.balanceOf(a[i]), v[i]);
            } else {
                vm.expectRevert(
                    abi.encodeWithSelector(IGrantPool.ClaimExceedsRemaining.selector, id, v[i], total - paidOut)
                );
                pool.claimReward(id, a[i], v[i], p);
            }
        }
        assertLe(paidOut, total);
        assertEq(pool.getRewardRound(id).remaining, total - paidOut);
        vm.warp(T0 + 1 days + 1);
        uint256 avail = pool.available();
        assertEq(pool.closeRewardRound(id), total - paidOut);
        assertEq(pool.available(), avail + total - paidOut);
        assertEq(pool.reservedForRounds(), 0);
        _assertAccounting();
    }
}
