// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Test} from "../utils/Test.sol";
import {StandardMerkle} from "../utils/StandardMerkle.sol";
import {ReentrantToken} from "../utils/ReentrantToken.sol";
import {GrantPool} from "../../src/grants/GrantPool.sol";

/// @notice The money paths refuse re-entry from a token transfer hook: the nested call reverts
///         with ReentrancyGuardReentrantCall and the outer payment completes once.
contract GrantPoolReentrancyTest is Test {
    ReentrantToken internal token;
    GrantPool internal pool;
    address internal dao = address(0xDA0);
    address internal bob = address(0xB0B);

    function setUp() public {
        token = new ReentrantToken();
        GrantPool impl = new GrantPool();
        pool = GrantPool(
            address(new ERC1967Proxy(address(impl), abi.encodeCall(GrantPool.initialize, (dao, address(token), address(0)))))
        );
        token.mint(address(this), 1000e18);
        token.approve(address(pool), type(uint256).max);
        pool.fund(1000e18);
    }

    function _assertGuarded() internal view {
        assertTrue(token.reentered());
        assertEq(token.lastRevert(), abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector));
    }

    function test_approveMilestone_reentryRefused() public {
        uint128[] memory m = new uint128[](2);
        m[0] = 10e18;
        m[1] = 20e18;
        vm.prank(bob);
        uint256 id = pool.submitApplication(bob, "", m);
        vm.prank(dao);
        pool.approve(id);
        // The hook tries to pay milestone 1 from inside milestone 0's transfer.
        token.arm(address(pool), abi.encodeCall(GrantPool.approveMilestone, (id, 1)));
        vm.prank(dao);
        pool.approveMilestone(id, 0);
        _assertGuarded();
        assertEq(token.balanceOf(bob), 10e18);
        assertEq(pool.getGrant(id).paid, 10e18);
    }

    function test_claimReward_reentryRefused() public {
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = StandardMerkle.leaf(bob, 5e18);
        leaves[1] = StandardMerkle.leaf(address(0xCAFE), 7e18);
        bytes32[] memory tree = StandardMerkle.build(leaves);
        vm.prank(dao);
        uint256 roundId = pool.createRewardRound(tree[0], 12e18, uint64(block.timestamp + 1 days));
        bytes32[] memory p1 = StandardMerkle.proof(tree, leaves[1]);
        token.arm(address(pool), abi.encodeCall(GrantPool.claimReward, (roundId, address(0xCAFE), 7e18, p1)));
        pool.claimReward(roundId, bob, 5e18, StandardMerkle.proof(tree, leaves[0]));
        _assertGuarded();
        assertEq(token.balanceOf(bob), 5e18);
        assertEq(token.balanceOf(address(0xCAFE)), 0);
        assertEq(pool.reservedForRounds(), 7e18);
    }

    function test_withdraw_reentryRefused() public {
        token.arm(address(pool), abi.encodeCall(GrantPool.sync, ()));
        vm.prank(dao);
        pool.withdraw(bob, 1e18);
        _assertGuarded();
        assertEq(pool.available(), 999e18);
    }
}
