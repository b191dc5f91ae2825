// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {GovernanceFixture} from "../utils/GovernanceFixture.sol";
import {GovernorVoteHandler} from "./handlers/GovernorVoteHandler.sol";
import {RevenueVault} from "../../src/revenue/RevenueVault.sol";

/// @notice Snapshot safety under arbitrary transfers and redelegations during voting: the tally
///         never exceeds the voting power that existed at the snapshot, and every vote counts
///         exactly the voter's snapshot power.
contract GovernanceInvariantTest is GovernanceFixture {
    GovernorVoteHandler internal handler;
    uint256 internal proposalId;
    uint256 internal snapshotPower; // sum of the actors' votes at the snapshot

    function setUp() public override {
        super.setUp();
        address[] memory actors = new address[](5);
        actors[0] = voterA;
        actors[1] = voterB;
        actors[2] = voterC;
        actors[3] = eve;
        actors[4] = makeAddr("delegatee");
        // Eve holds tokens but has not delegated at the snapshot: she must never weigh anything.
        sahara.transfer(eve, 500_000_000e18);
        proposalId = _propose(
            voterA, _single(address(vault), abi.encodeCall(RevenueVault.setProtocolFee, (1)), "invariant")
        );
        _toVoting(proposalId);
        uint256 snap = governor.proposalSnapshot(proposalId);
        for (uint256 i; i < actors.length; ++i) {
            snapshotPower += sahara.getPastVotes(actors[i], snap);
        }
        handler = new GovernorVoteHandler(sahara, governor, proposalId, actors);
        bytes4[] memory selectors = new bytes4[](4);
        selectors[0] = GovernorVoteHandler.transfer.selector;
        selectors[1] = GovernorVoteHandler.delegate.selector;
        selectors[2] = GovernorVoteHandler.vote.selector;
        selectors[3] = GovernorVoteHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    function _tally() internal view returns (uint256) {
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(proposalId);
        return against + forVotes + abstain;
    }

    function invariant_tallyEqualsCountedWeights() public view {
        assertEq(_tally(), handler.ghostCounted());
    }

    function invariant_tallyBoundedBySnapshotPower() public view {
        assertLe(_tally(), snapshotPower);
        assertEq(snapshotPower, W_A + W_B + W_C);
    }

    /// @dev Each voter counted exactly its snapshot votes: the tally equals the sum of the snapshot
    ///      power of the actors that voted, whatever moved afterwards.
    function invariant_votesAreSnapshotPower() public view {
        uint256 snap = governor.proposalSnapshot(proposalId);
        uint256 expected;
        for (uint256 i; i < handler.actorCount(); ++i) {
            address a = handler.actors(i);
            if (governor.hasVoted(proposalId, a)) expected += sahara.getPastVotes(a, snap);
        }
        assertEq(_tally(), expected);
    }
}
