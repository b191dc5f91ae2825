// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {SaharaToken} from "../../../src/token/SaharaToken.sol";
import {SaharaGovernor} from "../../../src/governance/SaharaGovernor.sol";

/// @notice During one proposal's voting, actors move tokens and delegations around (including to
///         accounts that already voted) and vote. Ghosts record the weight each vote was counted with.
contract GovernorVoteHandler is Test {
    SaharaToken internal immutable token;
    SaharaGovernor internal immutable governor;
    uint256 public immutable proposalId;
    address[] public actors;

    uint256 public ghostCounted; // sum of weights reported by VoteCast (return values)
    uint256 public ghostVotes;
    uint256 public ghostMoves;

    constructor(SaharaToken token_, SaharaGovernor governor_, uint256 proposalId_, address[] memory actors_) {
        token = token_;
        governor = governor_;
        proposalId = proposalId_;
        actors = actors_;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.transfer(_actor(toSeed), amount);
        ++ghostMoves;
    }

    function delegate(uint256 fromSeed, uint256 toSeed) external {
        vm.prank(_actor(fromSeed));
        token.delegate(_actor(toSeed));
        ++ghostMoves;
    }

    function vote(uint256 seed, uint8 support) external {
        address who = _actor(seed);
        if (governor.hasVoted(proposalId, who)) return;
        vm.prank(who);
        ghostCounted += governor.castVote(proposalId, uint8(bound(support, 0, 2)));
        ++ghostVotes;
    }

    function warp(uint256 dt) external {
        // Stay inside the voting period so votes keep landing.
        uint256 end = governor.proposalDeadline(proposalId);
        dt = bound(dt, 0, 6 hours);
        if (block.timestamp + dt < end) vm.warp(block.timestamp + dt);
    }
}
