// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {StakingFixture} from "../utils/StakingFixture.sol";
import {NodeStaking} from "../../src/execution/NodeStaking.sol";
import {SaharaVotes} from "../../src/governance/SaharaVotes.sol";
import {INodeStaking} from "../../src/interfaces/INodeStaking.sol";
import {INodeRegistry} from "../../src/interfaces/INodeRegistry.sol";
import {Receipt} from "../../src/types/ExecutionTypes.sol";
import {ReceiptEvidence, NodeStake, UnbondingEntry} from "../../src/types/StakingTypes.sol";
import {IERC5805 as IERC5805Like} from "@openzeppelin/contracts/interfaces/IERC5805.sol";

contract NodeStakingTest is StakingFixture {
    // ---------------------------------------------------------------- init and admin

    function test_initialize_state() public view {
        assertEq(staking.owner(), admin);
        assertEq(staking.stakeToken(), address(sahara));
        assertEq(staking.nodeRegistry(), address(nodes));
        assertEq(staking.paymentChannels(), address(channels));
        assertEq(staking.treasury(), treasury);
        assertEq(staking.unbondingDelay(), STAKE_UNBONDING);
        assertEq(staking.commissionDelay(), COMMISSION_DELAY);
        assertEq(staking.maxCommissionBps(), MAX_COMMISSION);
        assertEq(staking.equivocationSlashBps(), EQUIVOCATION_BPS);
        assertEq(staking.jailPeriod(), JAIL);
        address[] memory tokens = staking.rewardTokens();
        assertEq(tokens.length, 2);
        assertEq(tokens[0], address(sahara));
        assertEq(tokens[1], address(usdt));
        assertEq(nodes.staking(), address(staking));
        // the fixture node was synced: its bond is the whole weight
        assertEq(staking.totalWeight(), MIN_STAKE);
        NodeStake memory s = staking.nodeStake(nodeId);
        assertEq(s.operator, operator);
        assertEq(s.selfBond, MIN_STAKE);
        assertEq(s.weight, MIN_STAKE);
        assertTrue(s.active);
        assertFalse(s.jailed);
        assertEq(staking.getStakedVotes(operator), MIN_STAKE);
    }

    function test_initialize_reverts() public {
        NodeStaking impl = new NodeStaking();
        vm.expectRevert(INodeStaking.ZeroAddress.selector);
        new ERC1967Proxy(
            address(impl),
            abi.encodeCall(NodeStaking.initialize, (admin, address(0), address(channels), treasury, 1, 1, 1, 1, 1))
        );
        vm.expectRevert(INodeStaking.ZeroAddress.selector);
        new ERC1967Proxy(
            address(impl),
            abi.encodeCall(NodeStaking.initialize, (admin, address(nodes), address(channels), address(0), 1, 1, 1, 1, 1))
        );
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.SettingOutOfRange.selector, 5001, 5000));
        new ERC1967Proxy(
            address(impl),
            abi.encodeCall(NodeStaking.initialize, (admin, address(nodes), address(channels), treasury, 1, 1, 1, 5001, 1))
        );
        vm.expectRevert(abi.encodeWithSignature("InvalidInitialization()"));
        staking.initialize(admin, address(nodes), address(channels), treasury, 1, 1, 1, 1, 1);
    }

    function test_adminSetters_boundsAndOwner() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.SettingOutOfRange.selector, 365 days + 1, 365 days));
        staking.setUnbondingDelay(365 days + 1);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.SettingOutOfRange.selector, 90 days + 1, 90 days));
        staking.setCommissionDelay(90 days + 1);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.SettingOutOfRange.selector, 10_001, 10_000));
        staking.setMaxCommissionBps(10_001);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.SettingOutOfRange.selector, 0, 5000));
        staking.setEquivocationSlashBps(0);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.SettingOutOfRange.selector, 365 days + 1, 365 days));
        staking.setJailPeriod(365 days + 1);
        vm.expectRevert(INodeStaking.ZeroAddress.selector);
        staking.setTreasury(address(0));

        vm.expectEmit(address(staking));
        emit INodeStaking.UnbondingDelaySet(60);
        staking.setUnbondingDelay(60);
        staking.setCommissionDelay(0);
        staking.setMaxCommissionBps(2000);
        staking.setEquivocationSlashBps(5000);
        staking.setJailPeriod(1);
        staking.setTreasury(dave);
        vm.stopPrank();
        assertEq(staking.unbondingDelay(), 60);
        assertEq(staking.commissionDelay(), 0);
        assertEq(staking.maxCommissionBps(), 2000);
        assertEq(staking.equivocationSlashBps(), 5000);
        assertEq(staking.jailPeriod(), 1);
        assertEq(staking.treasury(), dave);

        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", alice));
        vm.prank(alice);
        staking.setUnbondingDelay(1);
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", alice));
        vm.prank(alice);
        staking.slash(nodeId, 100, "x");
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", alice));
        vm.prank(alice);
        staking.setEmissionSchedule(1, 1, 2);
    }

    function test_addRewardToken_reverts() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.RewardTokenExists.selector, address(usdt)));
        staking.addRewardToken(address(usdt));
        vm.expectRevert(INodeStaking.ZeroAddress.selector);
        staking.addRewardToken(address(0));
        staking.addRewardToken(address(0xA1));
        staking.addRewardToken(address(0xA2));
        vm.expectRevert(INodeStaking.TooManyRewardTokens.selector);
        staking.addRewardToken(address(0xA3));
        vm.stopPrank();
        assertEq(staking.rewardTokens().length, 4);
    }

    // ---------------------------------------------------------------- delegate

    function test_delegate_mintsShares_movesWeightAndVotes() public {
        vm.startPrank(alice);
        sahara.approve(address(staking), 3000e18);
        vm.expectEmit(address(staking));
        emit INodeStaking.Delegated(nodeId, alice, 3000e18, 3000e18);
        uint256 shares = staking.delegate(nodeId, 3000e18);
        vm.stopPrank();
        assertEq(shares, 3000e18);
        (uint256 s, uint256 v) = staking.delegation(nodeId, alice);
        assertEq(s, 3000e18);
        assertEq(v, 3000e18);
        assertEq(staking.totalWeight(), 4000e18);
        assertEq(staking.nodeStake(nodeId).weight, 4000e18);
        assertEq(sahara.balanceOf(address(staking)), 3000e18);
        (uint256 pooled, uint256 unbonding) = staking.totalDelegated();
        assertEq(pooled, 3000e18);
        assertEq(unbonding, 0);
        assertEq(staking.getStakedVotes(alice), 3000e18);
        // second delegator at the same rate
        assertEq(_delegate(bob, nodeId, 1000e18), 1000e18);
    }

    function test_delegate_reverts() public {
        vm.startPrank(alice);
        sahara.approve(address(staking), type(uint256).max);
        vm.expectRevert(INodeStaking.ZeroAmount.selector);
        staking.delegate(nodeId, 0);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.UnknownNode.selector, 99));
        staking.delegate(99, 1e18);
        vm.stopPrank();
        vm.prank(operator);
        nodes.requestExit(nodeId);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.NodeNotDelegatable.selector, nodeId));
        vm.prank(alice);
        staking.delegate(nodeId, 1e18);
    }

    function test_delegate_toJailedNode_reverts() public {
        vm.prank(admin);
        staking.slash(nodeId, 100, "offence");
        vm.startPrank(alice);
        sahara.approve(address(staking), 1e18);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.NodeNotDelegatable.selector, nodeId));
        staking.delegate(nodeId, 1e18);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- undelegate / withdraw

    function test_undelegate_queuesEntry_andWithdrawAfterDelay() public {
        _delegate(alice, nodeId, 3000e18);
        uint64 maturesAt = uint64(block.timestamp) + STAKE_UNBONDING;
        vm.expectEmit(address(staking));
        emit INodeStaking.Undelegated(nodeId, alice, 1000e18, 1000e18, 1000e18, maturesAt);
        vm.prank(alice);
        assertEq(staking.undelegate(nodeId, 1000e18), 1000e18);
        assertEq(staking.totalWeight(), 3000e18);
        assertEq(staking.getStakedVotes(alice), 2000e18);
        (UnbondingEntry[] memory entries, uint256[] memory values) = staking.unbondingEntries(nodeId, alice);
        assertEq(entries.length, 1);
        assertEq(entries[0].shares, 1000e18);
        assertEq(entries[0].maturesAt, maturesAt);
        assertEq(values[0], 1000e18);

        vm.expectRevert(INodeStaking.NothingToWithdraw.selector);
        vm.prank(alice);
        staking.withdrawUnbonded(nodeId);

        vm.warp(maturesAt);
        uint256 before = sahara.balanceOf(alice);
        vm.expectEmit(address(staking));
        emit INodeStaking.UnbondedWithdrawn(nodeId, alice, 1000e18, 1);
        vm.prank(alice);
        assertEq(staking.withdrawUnbonded(nodeId), 1000e18);
        assertEq(sahara.balanceOf(alice), before + 1000e18);
        (, uint256 unbonding) = staking.totalDelegated();
        assertEq(unbonding, 0);
        (entries,) = staking.unbondingEntries(nodeId, alice);
        assertEq(entries.length, 0);
    }

    function test_withdrawUnbonded_fifo_paysOnlyMatured() public {
        _delegate(alice, nodeId, 3000e18);
        vm.prank(alice);
        staking.undelegate(nodeId, 1000e18);
        vm.warp(block.timestamp + 1 days);
        vm.prank(alice);
        staking.undelegate(nodeId, 500e18);
        vm.warp(block.timestamp + STAKE_UNBONDING - 1 days);
        vm.prank(alice);
        assertEq(staking.withdrawUnbonded(nodeId), 1000e18);
        vm.expectRevert(INodeStaking.NothingToWithdraw.selector);
        vm.prank(alice);
        staking.withdrawUnbonded(nodeId);
        vm.warp(block.timestamp + 1 days);
        vm.prank(alice);
        assertEq(staking.withdrawUnbonded(nodeId), 500e18);
    }

    function test_undelegate_reverts() public {
        _delegate(alice, nodeId, 100e18);
        vm.startPrank(alice);
        vm.expectRevert(INodeStaking.ZeroAmount.selector);
        staking.undelegate(nodeId, 0);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InsufficientShares.selector, 100e18 + 1, 100e18));
        staking.undelegate(nodeId, 100e18 + 1);
        for (uint256 i; i < 16; ++i) {
            staking.undelegate(nodeId, 1e18);
        }
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.UnbondingQueueFull.selector, nodeId, alice));
        staking.undelegate(nodeId, 1e18);
        vm.stopPrank();
        // the queue is a ring: once drained it accepts entries again
        vm.warp(block.timestamp + STAKE_UNBONDING);
        vm.startPrank(alice);
        assertEq(staking.withdrawUnbonded(nodeId), 16e18);
        staking.undelegate(nodeId, 1e18);
        vm.stopPrank();
        (UnbondingEntry[] memory entries,) = staking.unbondingEntries(nodeId, alice);
        assertEq(entries.length, 1);
    }

    function test_undelegate_roundsToZero_reverts() public {
        _delegate(alice, nodeId, 1000);
        vm.prank(admin);
        staking.slash(nodeId, 5000, "x"); // pool 500 wei for 1000 shares
        vm.expectRevert(INodeStaking.AmountRoundsToZero.selector);
        vm.prank(alice);
        staking.undelegate(nodeId, 1);
    }

    // ---------------------------------------------------------------- rewards

    function test_notifyFees_commissionSelfBondAndPool_exact() public {
        vm.prank(operator);
        staking.setCommission(nodeId, 1000); // no delegators: immediate
        assertEq(staking.nodeStake(nodeId).commissionBps, 1000);
        _delegate(alice, nodeId, 3000e18);
        _mintUsdt(address(this), 4000e6);
        usdt.approve(address(staking), 4000e6);
        vm.expectEmit(address(staking));
        emit INodeStaking.FeesNotified(address(usdt), address(this), 4000e6);
        staking.notifyFees(address(usdt), 4000e6);
        uint256[] memory p = staking.pendingRewards(nodeId, alice);
        assertEq(p[0], 0);
        assertEq(p[1], 2700e6);
        p = staking.pendingRewards(nodeId, operator);
        assertEq(p[1], 400e6 + 900e6);

        vm.expectEmit(address(staking));
        emit INodeStaking.RewardsClaimed(nodeId, alice, address(usdt), 2700e6);
        vm.prank(alice);
        uint256[] memory got = staking.claimRewards(nodeId);
        assertEq(got[1], 2700e6);
        assertEq(usdt.balanceOf(alice), FUND_USDT + 2700e6);
        vm.prank(operator);
        got = staking.claimRewards(nodeId);
        assertEq(got[1], 1300e6);
        assertEq(staking.rewardsOutstanding(address(usdt)), 0);
        assertEq(usdt.balanceOf(address(staking)), 0);
        // nothing left: a second claim pays zero
        vm.prank(alice);
        got = staking.claimRewards(nodeId);
        assertEq(got[1], 0);
    }

    function test_notifyFees_splitsAcrossNodesByWeight() public {
        (address op2, uint256 node2) = _newNode("op2", 3000e18);
        assertEq(staking.totalWeight(), 4000e18);
        _notify(address(sahara), 400e18);
        assertEq(staking.pendingRewards(nodeId, operator)[0], 100e18);
        assertEq(staking.pendingRewards(node2, op2)[0], 300e18);
        uint256 before = sahara.balanceOf(op2);
        vm.prank(op2);
        staking.claimRewards(node2);
        assertEq(sahara.balanceOf(op2), before + 300e18);
        assertEq(staking.rewardsOutstanding(address(sahara)), 100e18);
    }

    function test_notifyFees_lateDelegatorEarnsNothingFromEarlierFees() public {
        _delegate(alice, nodeId, 1000e18);
        _notify(address(usdt), 2000e6);
        _delegate(bob, nodeId, 1000e18);
        assertEq(staking.pendingRewards(nodeId, alice)[1], 1000e6);
        assertEq(staking.pendingRewards(nodeId, bob)[1], 0);
        _notify(address(usdt), 3000e6);
        assertEq(staking.pendingRewards(nodeId, alice)[1], 2000e6);
        assertEq(staking.pendingRewards(nodeId, bob)[1], 1000e6);
        assertEq(staking.pendingRewards(nodeId, operator)[1], 2000e6);
    }

    function test_notifyFees_withoutWeight_waitsForStake() public {
        vm.prank(operator);
        nodes.requestExit(nodeId);
        assertEq(staking.totalWeight(), 0);
        _notify(address(usdt), 500e6);
        (address op2, uint256 node2) = _newNode("op2", MIN_STAKE);
        _notify(address(usdt), 500e6);
        assertEq(staking.pendingRewards(node2, op2)[1], 1000e6);
        assertEq(staking.pendingRewards(nodeId, operator)[1], 0);
    }

    function test_notifyFees_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.NotRewardToken.selector, address(0xBEEF)));
        staking.notifyFees(address(0xBEEF), 1);
        vm.expectRevert(INodeStaking.ZeroAmount.selector);
        staking.notifyFees(address(usdt), 0);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.NotRewardToken.selector, address(0xBEEF)));
        staking.rewardsOutstanding(address(0xBEEF));
    }

    function test_claimRewards_unknownNode_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.UnknownNode.selector, 77));
        staking.claimRewards(77);
    }

    function test_undelegate_keepsEarnedRewards() public {
        _delegate(alice, nodeId, 1000e18);
        _notify(address(usdt), 2000e6);
        vm.prank(alice);
        staking.undelegate(nodeId, 1000e18);
        _notify(address(usdt), 1000e6); // only the operator's bond earns now
        assertEq(staking.pendingRewards(nodeId, alice)[1], 1000e6);
        vm.prank(alice);
        staking.claimRewards(nodeId);
        assertEq(usdt.balanceOf(alice), FUND_USDT + 1000e6);
        assertEq(staking.pendingRewards(nodeId, operator)[1], 2000e6);
    }

    // ---------------------------------------------------------------- emissions

    function test_emissions_streamLazily_cappedByReserve() public {
        sahara.approve(address(staking), 1000e18);
        vm.expectEmit(address(staking));
        emit INodeStaking.EmissionsFunded(address(this), 1000e18);
        staking.fundEmissions(1000e18);
        uint64 start = uint64(block.timestamp) + 10;
        vm.expectEmit(address(staking));
        emit INodeStaking.EmissionScheduleSet(1e18, start, start + 2000);
        vm.prank(admin);
        staking.setEmissionSchedule(1e18, start, start + 2000);
        vm.warp(start + 100);
        assertEq(staking.pendingRewards(nodeId, operator)[0], 100e18);
        staking.onSelfBondChanged(nodeId); // a touch releases
        assertEq(staking.emissionReserve(), 900e18);
        assertEq(staking.rewardsOutstanding(address(sahara)), 100e18);
        // past the reserve: capped at 1000 in total
        vm.warp(start + 5000);
        assertEq(staking.pendingRewards(nodeId, operator)[0], 1000e18);
        uint256 before = sahara.balanceOf(operator);
        vm.prank(operator);
        staking.claimRewards(nodeId);
        assertEq(sahara.balanceOf(operator), before + 1000e18);
        assertEq(staking.emissionReserve(), 0);
        assertEq(sahara.balanceOf(address(staking)), 0);
    }

    function test_emissions_notPaidWhileNothingStaked() public {
        sahara.approve(address(staking), 1000e18);
        staking.fundEmissions(1000e18);
        vm.prank(operator);
        nodes.requestExit(nodeId);
        vm.prank(admin);
        staking.setEmissionSchedule(1e18, uint64(block.timestamp), uint64(block.timestamp) + 1000);
        vm.warp(block.timestamp + 100);
        (, uint256 node2) = _newNode("op2", MIN_STAKE);
        assertEq(staking.emissionReserve(), 1000e18);
        vm.warp(block.timestamp + 10);
        staking.onSelfBondChanged(node2);
        assertEq(staking.emissionReserve(), 990e18);
    }

    function test_emissions_reverts() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidSchedule.selector, 10, 10));
        staking.setEmissionSchedule(1, 10, 10);
        vm.expectRevert(
            abi.encodeWithSelector(INodeStaking.SettingOutOfRange.selector, uint256(type(uint128).max) + 1, type(uint128).max)
        );
        staking.setEmissionSchedule(uint256(type(uint128).max) + 1, 1, 2);
        vm.stopPrank();
        vm.expectRevert(INodeStaking.ZeroAmount.selector);
        staking.fundEmissions(0);
    }

    // ---------------------------------------------------------------- commission

    function test_setCommission_delayedWhenDelegated() public {
        _delegate(alice, nodeId, 1000e18);
        uint64 at = uint64(block.timestamp) + COMMISSION_DELAY;
        vm.expectEmit(address(staking));
        emit INodeStaking.CommissionRequested(nodeId, 2000, at);
        vm.prank(operator);
        staking.setCommission(nodeId, 2000);
        NodeStake memory s = staking.nodeStake(nodeId);
        assertEq(s.commissionBps, 0);
        assertEq(s.pendingCommissionBps, 2000);
        assertEq(s.commissionEffectiveAt, at);
        _notify(address(usdt), 2000e6); // before the change: no commission
        assertEq(staking.pendingRewards(nodeId, alice)[1], 1000e6);
        vm.warp(at);
        vm.expectEmit(address(staking));
        emit INodeStaking.CommissionApplied(nodeId, 2000);
        staking.onSelfBondChanged(nodeId);
        assertEq(staking.nodeStake(nodeId).commissionBps, 2000);
        _notify(address(usdt), 2000e6);
        assertEq(staking.pendingRewards(nodeId, alice)[1], 1000e6 + 800e6);
    }

    function test_setCommission_reverts_andMaxClamp() public {
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.NotNodeOperator.selector, nodeId, alice));
        vm.prank(alice);
        staking.setCommission(nodeId, 100);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.CommissionTooHigh.selector, 5001, MAX_COMMISSION));
        vm.prank(operator);
        staking.setCommission(nodeId, 5001);
        vm.prank(operator);
        staking.setCommission(nodeId, 5000);
        _delegate(alice, nodeId, 1000e18);
        vm.prank(admin);
        staking.setMaxCommissionBps(1000); // a lower max clamps the commission in force
        _notify(address(usdt), 2000e6);
        assertEq(staking.pendingRewards(nodeId, alice)[1], 900e6);
    }

    // ---------------------------------------------------------------- hooks

    function test_selfBondHook_addStakeAndExit() public {
        _delegate(alice, nodeId, 1000e18);
        sahara.transfer(operator, 500e18);
        vm.startPrank(operator);
        sahara.approve(address(nodes), 500e18);
        vm.expectEmit(address(staking));
        emit INodeStaking.NodeSynced(nodeId, 1500e18, 2500e18, 2500e18);
        nodes.addStake(nodeId, 500e18);
        vm.stopPrank();
        assertEq(staking.getStakedVotes(operator), 1500e18);
        _notify(address(usdt), 2500e6);
        assertEq(staking.pendingRewards(nodeId, operator)[1], 1500e6);
        vm.prank(operator);
        nodes.requestExit(nodeId);
        assertEq(staking.totalWeight(), 0);
        assertFalse(staking.nodeStake(nodeId).active);
        vm.warp(block.timestamp + STAKE_UNBONDING); // the bond unlocks after the longer (staking) delay
        vm.prank(operator);
        nodes.withdrawStake(nodeId);
        assertEq(staking.nodeStake(nodeId).selfBond, 0);
        assertEq(staking.getStakedVotes(operator), 0);
        // delegators can still leave and claim
        vm.prank(alice);
        staking.undelegate(nodeId, 1000e18);
        assertEq(staking.pendingRewards(nodeId, alice)[1], 1000e6);
    }

    function test_slashBond_onlyStaking() public {
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotStaking.selector, alice));
        vm.prank(alice);
        nodes.slashBond(nodeId, 1, alice);
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", alice));
        vm.prank(alice);
        nodes.setStaking(alice);
    }

    function test_registry_withoutStaking_keepsWorking() public {
        vm.prank(admin);
        nodes.setStaking(address(0));
        (address op2, uint256 node2) = _newNode("op2", MIN_STAKE);
        assertTrue(nodes.isActive(node2));
        (address o, uint256 st, bool act) = nodes.bondOf(node2);
        assertEq(o, op2);
        assertEq(st, MIN_STAKE);
        assertTrue(act);
    }

    // ---------------------------------------------------------------- governance slash / jail

    function test_slash_proRata_toTreasury_andJail() public {
        _delegate(alice, nodeId, 3000e18);
        vm.prank(alice);
        staking.undelegate(nodeId, 1000e18); // 1000 unbonding, 2000 pooled
        uint256 t0 = sahara.balanceOf(treasury);
        vm.expectEmit(address(staking));
        emit INodeStaking.Slashed(nodeId, 1000, 100e18, 200e18, 100e18, treasury, "downtime");
        vm.prank(admin);
        staking.slash(nodeId, 1000, "downtime");
        assertEq(sahara.balanceOf(treasury), t0 + 400e18);
        assertEq(nodes.node(nodeId).stake, 900e18);
        NodeStake memory s = staking.nodeStake(nodeId);
        assertEq(s.selfBond, 900e18);
        assertEq(s.delegated, 1800e18);
        assertEq(s.unbonding, 900e18);
        assertTrue(s.jailed);
        assertEq(s.jailedUntil, block.timestamp + JAIL);
        assertEq(s.weight, 0);
        assertEq(staking.totalWeight(), 0);
        assertFalse(nodes.isActive(nodeId));
        assertTrue(staking.isJailed(nodeId));
        (, uint256 v) = staking.delegation(nodeId, alice);
        assertEq(v, 1800e18);
        (, uint256[] memory values) = staking.unbondingEntries(nodeId, alice);
        assertEq(values[0], 900e18);
        assertEq(staking.getStakedVotes(operator), 900e18);
        // delegator votes are lowered lazily, at its next action
        assertEq(staking.getStakedVotes(alice), 2000e18);
        vm.prank(alice);
        staking.claimRewards(nodeId);
        assertEq(staking.getStakedVotes(alice), 2000e18);
        vm.prank(alice);
        staking.undelegate(nodeId, 10);
        assertEq(staking.getStakedVotes(alice), 1800e18 - 9);
        // balance == pools after the slash
        (uint256 pooled, uint256 unbonding) = staking.totalDelegated();
        assertEq(sahara.balanceOf(address(staking)), pooled + unbonding);
        vm.warp(block.timestamp + STAKE_UNBONDING);
        vm.prank(alice);
        assertEq(staking.withdrawUnbonded(nodeId), 900e18 + 9);
    }

    function test_slash_reverts() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.SettingOutOfRange.selector, 0, 5000));
        staking.slash(nodeId, 0, "x");
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.SettingOutOfRange.selector, 5001, 5000));
        staking.slash(nodeId, 5001, "x");
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.UnknownNode.selector, 42));
        staking.slash(42, 100, "x");
        vm.stopPrank();
    }

    function test_unjail_flow_andReverts() public {
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.NotJailed.selector, nodeId));
        vm.prank(operator);
        staking.unjail(nodeId);
        vm.prank(admin);
        staking.slash(nodeId, 100, "x");
        uint64 until = uint64(block.timestamp) + JAIL;
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.NotNodeOperator.selector, nodeId, alice));
        vm.prank(alice);
        staking.unjail(nodeId);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.StillJailed.selector, nodeId, until));
        vm.prank(operator);
        staking.unjail(nodeId);
        vm.warp(until);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.SelfBondTooLow.selector, 990e18, MIN_STAKE));
        vm.prank(operator);
        staking.unjail(nodeId);
        sahara.transfer(operator, 10e18);
        vm.startPrank(operator);
        sahara.approve(address(nodes), 10e18);
        nodes.addStake(nodeId, 10e18);
        assertEq(staking.totalWeight(), 0); // still jailed
        vm.expectEmit(address(staking));
        emit INodeStaking.Unjailed(nodeId);
        staking.unjail(nodeId);
        vm.stopPrank();
        assertFalse(staking.isJailed(nodeId));
        assertTrue(nodes.isActive(nodeId));
        assertEq(staking.totalWeight(), MIN_STAKE);
    }

    function test_jailedNode_earnsNothing_rewardsBeforeJailKept() public {
        (address op2, uint256 node2) = _newNode("op2", MIN_STAKE);
        _notify(address(usdt), 2000e6);
        vm.prank(admin);
        staking.slash(nodeId, 100, "x");
        _notify(address(usdt), 2000e6);
        assertEq(staking.pendingRewards(nodeId, operator)[1], 1000e6);
        assertEq(staking.pendingRewards(node2, op2)[1], 3000e6);
    }

    // ---------------------------------------------------------------- equivocation

    function _channelWithReceipts() internal returns (Receipt memory a, Receipt memory b, Receipt memory other) {
        uint256 channelId = _open(100e6);
        a = _receipt(nodeId, channelId, 7, keccak256("result A"));
        b = _receipt(nodeId, channelId, 7, keccak256("result B"));
        other = _receipt(nodeId, channelId, 6, keccak256("earlier"));
    }

    function test_slashForEquivocation_realBatches() public {
        _delegate(alice, nodeId, 1000e18);
        (Receipt memory a, Receipt memory b, Receipt memory other) = _channelWithReceipts();
        ReceiptEvidence memory ea = _evidenceInPair(a, other, 1, nodeSignerKey);
        ReceiptEvidence memory eb = _evidenceSingle(b, 2, nodeSignerKey);
        bytes32 la = _leaf(a);
        bytes32 lb = _leaf(b);
        bytes32 key = la < lb ? keccak256(abi.encode(la, lb)) : keccak256(abi.encode(lb, la));
        uint256 t0 = sahara.balanceOf(treasury);
        vm.expectEmit(address(staking));
        emit INodeStaking.EquivocationProven(nodeId, key, dave);
        vm.prank(dave);
        staking.slashForEquivocation(ea, eb);
        assertEq(sahara.balanceOf(treasury), t0 + 100e18 + 100e18);
        assertTrue(staking.evidenceUsed(key));
        assertTrue(staking.isJailed(nodeId));
        assertEq(nodes.node(nodeId).stake, 900e18);
        // the same pair, either order, never slashes twice
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.EvidenceAlreadyUsed.selector, key));
        staking.slashForEquivocation(eb, ea);
    }

    function test_slashForEquivocation_operatorKeyCounts() public {
        (address op2, uint256 k2) = makeAccount("op2key");
        sahara.transfer(op2, MIN_STAKE);
        vm.startPrank(op2);
        sahara.approve(address(nodes), MIN_STAKE);
        uint256 node2 = nodes.register("http://127.0.0.1:9/x", makeAddr("hot"), MIN_STAKE);
        nodes.serveAsset(node2, assetId, 0);
        vm.stopPrank();
        uint256 channelId = _openFor(payer, node2, 10e6, address(0));
        Receipt memory a = _receipt(node2, channelId, 1, "a");
        Receipt memory b = _receipt(node2, channelId, 1, "b");
        staking.slashForEquivocation(_evidenceSingle(a, 1, k2), _evidenceSingle(b, 1, k2));
        assertEq(nodes.node(node2).stake, 900e18);
    }

    /// @dev Memory structs assign by reference: mutate copies only.
    function _copy(Receipt memory r) internal pure returns (Receipt memory) {
        return abi.decode(abi.encode(r), (Receipt));
    }

    function test_slashForEquivocation_reverts() public {
        (Receipt memory a, Receipt memory b,) = _channelWithReceipts();
        ReceiptEvidence memory ea = _evidenceSingle(a, 1, nodeSignerKey);
        Receipt memory x;

        x = _copy(b);
        x.nodeId = nodeId + 1;
        ReceiptEvidence memory ev1 = _evidenceSingle(x, 2, nodeSignerKey);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidEvidence.selector, 0));
        staking.slashForEquivocation(ea, ev1);
        x = _copy(b);
        x.channelId = 0;
        Receipt memory y = _copy(a);
        y.channelId = 0;
        ReceiptEvidence memory ey = _evidenceSingle(y, 1, nodeSignerKey);
        ReceiptEvidence memory ex = _evidenceSingle(x, 2, nodeSignerKey);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidEvidence.selector, 1));
        staking.slashForEquivocation(ey, ex);
        x = _copy(b);
        x.channelId = b.channelId + 1;
        ReceiptEvidence memory ev2 = _evidenceSingle(x, 2, nodeSignerKey);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidEvidence.selector, 1));
        staking.slashForEquivocation(ea, ev2);
        x = _copy(b);
        x.assetId = 999;
        ReceiptEvidence memory ev3 = _evidenceSingle(x, 2, nodeSignerKey);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidEvidence.selector, 2));
        staking.slashForEquivocation(ea, ev3);
        x = _copy(b);
        x.lane = 1;
        ReceiptEvidence memory ev4 = _evidenceSingle(x, 2, nodeSignerKey);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidEvidence.selector, 3));
        staking.slashForEquivocation(ea, ev4);
        x = _copy(b);
        x.index = 8;
        ReceiptEvidence memory ev5 = _evidenceSingle(x, 2, nodeSignerKey);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidEvidence.selector, 4));
        staking.slashForEquivocation(ea, ev5);
        ReceiptEvidence memory ev6 = _evidenceSingle(a, 2, nodeSignerKey);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidEvidence.selector, 5));
        staking.slashForEquivocation(ea, ev6);

        assertFalse(staking.isJailed(nodeId));
    }

    function test_slashForEquivocation_reverts_proofAndSignature() public {
        (Receipt memory a, Receipt memory b,) = _channelWithReceipts();
        ReceiptEvidence memory ea = _evidenceSingle(a, 1, nodeSignerKey);
        // a proof that does not reach the root
        ReceiptEvidence memory bad = _evidenceSingle(b, 2, nodeSignerKey);
        bad.root = keccak256("other root");
        vm.expectRevert(INodeStaking.InvalidReceiptProof.selector);
        staking.slashForEquivocation(ea, bad);
        bad = _evidenceSingle(b, 2, nodeSignerKey);
        bad.proof = new bytes32[](1);
        vm.expectRevert(INodeStaking.InvalidReceiptProof.selector);
        staking.slashForEquivocation(ea, bad);

        // a batch signed by someone else
        (address stranger, uint256 sk) = makeAccount("stranger");
        ReceiptEvidence memory ev7 = _evidenceSingle(b, 2, sk);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidBatchSignature.selector, stranger));
        staking.slashForEquivocation(ea, ev7);
        // a signature over a different sequence than claimed
        bad = _evidenceSingle(b, 2, nodeSignerKey);
        bad.sequence = 3;
        vm.expectPartialRevert(INodeStaking.InvalidBatchSignature.selector);
        staking.slashForEquivocation(ea, bad);
        // malformed signature
        bad = _evidenceSingle(b, 2, nodeSignerKey);
        bad.signature = hex"00";
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidBatchSignature.selector, address(0)));
        staking.slashForEquivocation(ea, bad);
        assertFalse(staking.isJailed(nodeId));
    }

    // ---------------------------------------------------------------- votes

    function test_stakedVotes_checkpointed_andSaharaVotes() public {
        vm.prank(alice);
        sahara.delegate(alice);
        vm.warp(block.timestamp + 1);
        uint256 t1 = block.timestamp;
        _delegate(alice, nodeId, 3000e18);
        vm.warp(t1 + 10);
        vm.prank(alice);
        staking.undelegate(nodeId, 1000e18);
        vm.warp(t1 + 20);
        assertEq(staking.getPastStakedVotes(alice, t1 - 1), 0);
        assertEq(staking.getPastStakedVotes(alice, t1), 3000e18);
        assertEq(staking.getPastStakedVotes(alice, t1 + 10), 2000e18);
        // token votes went down by what left the wallet; the sum is preserved
        assertEq(votes.getPastVotes(alice, t1 - 1), FUND_SAHARA);
        assertEq(votes.getPastVotes(alice, t1), FUND_SAHARA);
        assertEq(votes.getVotes(alice), FUND_SAHARA - 1000e18);
        assertEq(votes.getPastTotalSupply(t1), sahara.totalSupply());
        assertEq(votes.getVotes(operator), MIN_STAKE); // bond in NodeRegistry counts for the operator
        assertEq(votes.clock(), uint48(block.timestamp));
        assertEq(votes.CLOCK_MODE(), "mode=timestamp");
        assertEq(votes.delegates(alice), alice);
        vm.expectRevert(
            abi.encodeWithSelector(INodeStaking.FutureLookup.selector, block.timestamp, uint48(block.timestamp))
        );
        staking.getPastStakedVotes(alice, block.timestamp);
        vm.expectRevert(SaharaVotes.DelegationNotSupported.selector);
        votes.delegate(bob);
        vm.expectRevert(SaharaVotes.DelegationNotSupported.selector);
        votes.delegateBySig(bob, 0, 0, 0, 0, 0);
        IERC5805Like tok = IERC5805Like(address(votes.token()));
        vm.expectRevert(SaharaVotes.ZeroAddress.selector);
        new SaharaVotes(tok, INodeStaking(address(0)));
    }

    // ---------------------------------------------------------------- upgrade

    function test_upgrade_onlyOwner_keepsState() public {
        _delegate(alice, nodeId, 1000e18);
        NodeStaking next = new NodeStaking();
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", alice));
        vm.prank(alice);
        staking.upgradeToAndCall(address(next), "");
        vm.prank(admin);
        staking.upgradeToAndCall(address(next), "");
        (uint256 s,) = staking.delegation(nodeId, alice);
        assertEq(s, 1000e18);
    }
}
