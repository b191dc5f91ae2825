// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StakingFixture} from "../utils/StakingFixture.sol";
import {StakingHandler} from "./handlers/StakingHandler.sol";
import {NodeStake} from "../../src/types/StakingTypes.sol";

/// @notice Conservation and safety of NodeStaking under random delegations, slashes and rewards:
///         per token, what the contract holds == staked (delegation + unbonding pools) + unclaimed
///         rewards + emission reserve; claims never exceed what came in (dust bounded); slashes
///         never exceed the stake; nobody withdraws more principal than it deposited.
contract StakingInvariantTest is StakingFixture {
    StakingHandler internal handler;
    address internal op2;
    uint256 internal node2;

    function setUp() public override {
        super.setUp();
        (op2, node2) = _newNode("invariantOp2", 2 * MIN_STAKE);
        vm.prank(operator);
        staking.setCommission(nodeId, 1500);
        handler = new StakingHandler(
            staking, nodes, sahara, usdt, admin, treasury, [operator, op2], [nodeId, node2]
        );
        address[3] memory as_ = handler.actors();
        for (uint256 i; i < 3; ++i) {
            sahara.transfer(as_[i], 5_000_000e18);
        }
        sahara.transfer(operator, 1_000_000e18);
        sahara.transfer(op2, 1_000_000e18);
        sahara.transfer(address(handler), 50_000_000e18);
        _mintUsdt(address(handler), 50_000_000e6);

        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = StakingHandler.delegate.selector;
        selectors[1] = StakingHandler.undelegate.selector;
        selectors[2] = StakingHandler.withdraw.selector;
        selectors[3] = StakingHandler.claim.selector;
        selectors[4] = StakingHandler.notify.selector;
        selectors[5] = StakingHandler.fundEmissions.selector;
        selectors[6] = StakingHandler.warp.selector;
        selectors[7] = StakingHandler.slash.selector;
        selectors[8] = StakingHandler.unjail.selector;
        selectors[9] = StakingHandler.addStake.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        vm.prank(admin);
        staking.setEmissionSchedule(1e15, uint64(block.timestamp), uint64(block.timestamp) + 200 days);
    }

    /// @dev The handler really moves money through every path (guards against a vacuous campaign).
    function test_handler_movesMoney() public {
        handler.delegate(0, 0, 10_000e18);
        handler.delegate(1, 1, 5_000e18);
        handler.fundEmissions(1_000e18);
        handler.notify(1, 900e6);
        handler.warp(1 days);
        handler.undelegate(0, 0, 5000);
        handler.slash(0, 1000);
        handler.claim(0, 0);
        handler.claim(3, 0);
        handler.warp(10 days);
        handler.warp(10 days);
        handler.warp(1 days);
        handler.withdraw(0, 0);
        handler.unjail(0);
        assertGt(handler.ghostClaimed(address(usdt)), 0);
        assertGt(handler.ghostClaimed(address(sahara)), 0);
        assertGt(handler.ghostWithdrawn(handler.actors()[0]), 0);
        assertGt(handler.ghostSlashed(), 0);
        assertFalse(staking.isJailed(nodeId));
        invariant_conservation();
        invariant_weights();
        invariant_claimsBounded();
        invariant_slashAndPrincipal();
    }

    function invariant_conservation() public view {
        (uint256 pooled, uint256 unbonding) = staking.totalDelegated();
        assertEq(
            sahara.balanceOf(address(staking)),
            pooled + unbonding + staking.rewardsOutstanding(address(sahara)) + staking.emissionReserve(),
            "SAHARA: balance != staked + unclaimed + reserve"
        );
        assertEq(
            usdt.balanceOf(address(staking)), staking.rewardsOutstanding(address(usdt)), "USDT: balance != unclaimed"
        );
        uint256[2] memory ids = handler.nodeIds();
        uint256 sumPooled;
        uint256 sumUnbonding;
        for (uint256 i; i < 2; ++i) {
            NodeStake memory s = staking.nodeStake(ids[i]);
            sumPooled += s.delegated;
            sumUnbonding += s.unbonding;
            // pools keep value while they have shares (share price never reaches zero)
            if (s.delegatedShares != 0) assertGt(s.delegated, 0);
            if (s.unbondingShares != 0) assertGt(s.unbonding, 0);
        }
        assertEq(sumPooled, pooled);
        assertEq(sumUnbonding, unbonding);
    }

    function invariant_weights() public view {
        uint256[2] memory ids = handler.nodeIds();
        address[2] memory ops = handler.operators();
        uint256 total;
        for (uint256 i; i < 2; ++i) {
            NodeStake memory s = staking.nodeStake(ids[i]);
            (, uint256 bond, bool active) = nodes.bondOf(ids[i]);
            assertEq(s.selfBond, bond, "synced bond");
            assertTrue(s.active == active, "synced status");
            assertEq(s.weight, (active && !s.jailed) ? bond + s.delegated : 0, "weight");
            assertEq(nodes.isActive(ids[i]), active && !s.jailed);
            // operators only bond: their staked votes are exactly their bonds
            assertEq(staking.getStakedVotes(ops[i]), bond, "operator votes");
            total += s.weight;
        }
        assertEq(staking.totalWeight(), total, "total weight");
    }

    function invariant_claimsBounded() public view {
        address[2] memory tokens = [address(sahara), address(usdt)];
        uint256[2] memory ids = handler.nodeIds();
        address[3] memory as_ = handler.actors();
        address[2] memory ops = handler.operators();
        for (uint256 t; t < 2; ++t) {
            uint256 claimable;
            for (uint256 n; n < 2; ++n) {
                for (uint256 a; a < 3; ++a) {
                    claimable += staking.pendingRewards(ids[n], as_[a])[t];
                }
                claimable += staking.pendingRewards(ids[n], ops[n])[t];
            }
            uint256 outstanding = staking.rewardsOutstanding(tokens[t]);
            // claimable includes emissions not yet released (pendingRewards is live): add them
            uint256 unreleased = t == 0 ? _unreleased() : 0;
            assertLe(claimable, outstanding + unreleased, "claimable > received");
            // rounding dust: a few wei per distribution and node/delegator settlement
            uint256 waiting = staking.rewardsUndistributed(tokens[t]);
            assertLe(claimable + waiting, outstanding + unreleased, "claimable + waiting > received");
            assertLe(outstanding + unreleased - claimable - waiting, 16 * (handler.ghostDistributions() + 1), "dust");
            uint256 inflow = handler.ghostRewardsIn(tokens[t]);
            if (t == 0) inflow += handler.ghostEmissionFunded() - staking.emissionReserve();
            assertEq(handler.ghostClaimed(tokens[t]) + outstanding, inflow, "claimed + outstanding != in");
        }
    }

    function invariant_slashAndPrincipal() public view {
        assertEq(handler.ghostSlashAboveStake(), 0, "slash above stake");
        address[3] memory as_ = handler.actors();
        for (uint256 a; a < 3; ++a) {
            assertLe(handler.ghostWithdrawn(as_[a]), handler.ghostDeposited(as_[a]), "withdrew more than deposited");
        }
    }

    /// @dev Emission due now but not yet released (what pendingRewards already counts).
    function _unreleased() internal view returns (uint256) {
        if (staking.totalWeight() == 0) return 0;
        (uint256 rate, uint64 start, uint64 end, uint64 last) = staking.emissionSchedule();
        uint256 from = last > start ? last : start;
        uint256 to = block.timestamp < end ? block.timestamp : end;
        if (to <= from) return 0;
        uint256 due = (to - from) * rate;
        uint256 reserve = staking.emissionReserve();
        return due < reserve ? due : reserve;
    }
}
