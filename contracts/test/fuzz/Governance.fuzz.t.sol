// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {GovernanceFixture} from "../utils/GovernanceFixture.sol";
import {StockLateQuorumGovernor} from "../utils/StockLateQuorumGovernor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IGuardianGate} from "../../src/interfaces/IGuardianGate.sol";
import {RevenueVault} from "../../src/revenue/RevenueVault.sol";

contract GovernanceFuzzTest is GovernanceFixture {
    StockLateQuorumGovernor internal ref;
    address[5] internal voters;

    function setUp() public override {
        super.setUp();
        ref = new StockLateQuorumGovernor(
            IVotes(address(sahara)), VOTING_DELAY, VOTING_PERIOD, THRESHOLD, QUORUM_PCT, LATE_EXTENSION
        );
        voters = [voterA, voterB, voterC, makeAddr("voterD"), makeAddr("voterE")];
    }

    /// @dev Differential: the same votes at the same times on SaharaGovernor and on the stock OZ
    ///      late-quorum governor give the same deadlines, tallies and states at every step.
    function testFuzz_lateQuorum_matchesStock(
        uint256[2] memory extraWeights,
        uint8[5] memory choices,
        uint32[5] memory gaps,
        uint256 voteMask
    ) public {
        _give(voters[3], bound(extraWeights[0], 0, 400_000_000e18));
        _give(voters[4], bound(extraWeights[1], 0, 400_000_000e18));
        vm.warp(block.timestamp + 1);

        Proposal memory p =
            _single(address(vault), abi.encodeCall(RevenueVault.setProtocolFee, (1)), "differential");
        uint256 idOurs = _propose(voterA, p);
        vm.prank(voterA);
        uint256 idRef = ref.propose(p.targets, p.values, p.calldatas, p.description);
        assertEq(governor.proposalDeadline(idOurs), ref.proposalDeadline(idRef));

        vm.warp(governor.proposalSnapshot(idOurs) + 1);
        for (uint256 i; i < 5; ++i) {
            // Spread the votes over the period and past it, often landing in the late window.
            vm.warp(block.timestamp + bound(gaps[i], 0, (VOTING_PERIOD + 2 * LATE_EXTENSION) / 3));
            if ((voteMask >> i) & 1 == 0) continue;
            uint8 support = uint8(bound(choices[i], 0, 2));
            vm.prank(voters[i]);
            (bool okOurs,) = address(governor).call(abi.encodeCall(IGovernor.castVote, (idOurs, support)));
            vm.prank(voters[i]);
            (bool okRef,) = address(ref).call(abi.encodeCall(IGovernor.castVote, (idRef, support)));
            assertEq(okOurs, okRef);
            assertEq(governor.proposalDeadline(idOurs), ref.proposalDeadline(idRef), "deadline");
            assertEq(uint8(governor.state(idOurs)), uint8(ref.state(idRef)), "state");
        }
        (uint256 a1, uint256 f1, uint256 x1) = governor.proposalVotes(idOurs);
        (uint256 a2, uint256 f2, uint256 x2) = ref.proposalVotes(idRef);
        assertEq(a1, a2);
        assertEq(f1, f2);
        assertEq(x1, x2);
        vm.warp(governor.proposalDeadline(idOurs));
        assertEq(uint8(governor.state(idOurs)), uint8(ref.state(idRef)), "state at deadline");
        vm.warp(governor.proposalDeadline(idOurs) + 1);
        // Succeeded/Defeated agree (ours has no Queued yet; both are past voting).
        assertEq(uint8(governor.state(idOurs)), uint8(ref.state(idRef)), "final state");
    }

    /// @dev Outcome rule: Succeeded iff For > Against and For + Abstain >= quorum (4% = 400M).
    function testFuzz_outcome(uint256[3] memory weights, uint8[3] memory choices) public {
        address[3] memory who = [makeAddr("w0"), makeAddr("w1"), makeAddr("w2")];
        uint256 forVotes;
        uint256 against;
        uint256 abstain;
        for (uint256 i; i < 3; ++i) {
            weights[i] = bound(weights[i], 0, 600_000_000e18);
            _give(who[i], weights[i]);
        }
        vm.warp(block.timestamp + 1);
        Proposal memory p = _single(address(vault), abi.encodeCall(RevenueVault.setProtocolFee, (1)), "outcome");
        uint256 id = _propose(voterA, p);
        _toVoting(id);
        for (uint256 i; i < 3; ++i) {
            uint8 s = uint8(bound(choices[i], 0, 2));
            _vote(id, who[i], s);
            if (s == 0) against += weights[i];
            else if (s == 1) forVotes += weights[i];
            else abstain += weights[i];
        }
        _toEnd(id);
        bool passes = forVotes > against && forVotes + abstain >= sahara.totalSupply() * QUORUM_PCT / 100;
        assertEq(
            uint8(governor.state(id)),
            uint8(passes ? IGovernor.ProposalState.Succeeded : IGovernor.ProposalState.Defeated)
        );
    }

    /// @dev Before expiry only the guardian passes the gate; from expiry on everybody gets
    ///      GuardianExpired.
    function testFuzz_gate_access(address caller, uint256 when, bytes32 id) public {
        when = bound(when, block.timestamp, guardianExpiry + 3650 days);
        vm.warp(when);
        if (when >= guardianExpiry) {
            vm.expectRevert(abi.encodeWithSelector(IGuardianGate.GuardianExpired.selector, guardianExpiry));
        } else if (caller != guardian) {
            vm.expectRevert(abi.encodeWithSelector(IGuardianGate.NotGuardian.selector, caller));
        } else {
            vm.expectRevert(); // guardian, active, but `id` is not a pending operation
        }
        vm.prank(caller);
        gate.cancel(id);

        if (when >= guardianExpiry) {
            vm.expectRevert(abi.encodeWithSelector(IGuardianGate.GuardianExpired.selector, guardianExpiry));
            vm.prank(caller);
            gate.pause(address(pausable));
        } else if (caller != guardian) {
            vm.expectRevert(abi.encodeWithSelector(IGuardianGate.NotGuardian.selector, caller));
            vm.prank(caller);
            gate.pause(address(pausable));
        }
        assertFalse(pausable.paused());
    }
}
