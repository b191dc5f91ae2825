// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {GovernanceFixture} from "../utils/GovernanceFixture.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {GovernorPreventLateQuorum} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {RevenueVault} from "../../src/revenue/RevenueVault.sol";
import {IRevenueVault} from "../../src/interfaces/IRevenueVault.sol";
import {SaharaTimelock} from "../../src/governance/SaharaTimelock.sol";
import {GuardianGate} from "../../src/governance/GuardianGate.sol";
import {IGuardianGate} from "../../src/interfaces/IGuardianGate.sol";
import {RevenueVaultV2} from "../utils/RevenueVaultV2.sol";
import {MockPausableModule} from "../utils/MockPausableModule.sol";
import {ProtocolModule} from "../../src/utils/ProtocolModule.sol";
import {Test} from "../utils/Test.sol";
import {SaharaGovernor} from "../../src/governance/SaharaGovernor.sol";
import {IVotingPowerSource} from "../../src/interfaces/IVotingPowerSource.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

contract GovernanceTest is GovernanceFixture {
    function _stateBit(IGovernor.ProposalState s) internal pure returns (bytes32) {
        return bytes32(1 << uint8(s));
    }

    function _acceptAndSetFee(uint16 bps) internal view returns (Proposal memory) {
        return _pair(
            address(vault),
            abi.encodeCall(vault.acceptOwnership, ()),
            address(vault),
            abi.encodeCall(RevenueVault.setProtocolFee, (bps)),
            "accept the vault and set the protocol fee"
        );
    }

    // ------------------------------------------------------------ configuration

    function test_config() public view {
        assertEq(governor.name(), "SaharaGovernor");
        assertEq(address(governor.token()), address(sahara));
        assertEq(governor.timelock(), address(timelock));
        assertEq(governor.CLOCK_MODE(), "mode=timestamp");
        assertEq(uint256(governor.clock()), block.timestamp);
        assertEq(governor.votingDelay(), VOTING_DELAY);
        assertEq(governor.votingPeriod(), VOTING_PERIOD);
        assertEq(governor.proposalThreshold(), THRESHOLD);
        assertEq(governor.quorumNumerator(), QUORUM_PCT);
        assertEq(uint256(governor.lateQuorumVoteExtension()), LATE_EXTENSION);
        assertEq(governor.quorum(block.timestamp - 1), sahara.totalSupply() * QUORUM_PCT / 100);
        assertEq(governor.COUNTING_MODE(), "support=bravo&quorum=for,abstain");
        assertEq(timelock.getMinDelay(), MIN_DELAY);
    }

    function test_timelock_roles() public view {
        bytes32 adminRole = timelock.DEFAULT_ADMIN_ROLE();
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(gate)));
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)), "open executor");
        assertTrue(timelock.hasRole(adminRole, address(timelock)), "self-administered");
        assertFalse(timelock.hasRole(adminRole, address(this)));
        assertFalse(timelock.hasRole(adminRole, address(governor)));
        assertFalse(timelock.hasRole(timelock.PROPOSER_ROLE(), address(gate)));
        assertFalse(timelock.hasRole(timelock.PROPOSER_ROLE(), guardian));
        assertFalse(timelock.hasRole(timelock.CANCELLER_ROLE(), guardian));
    }

    function test_timelock_zeroGovernor_reverts() public {
        vm.expectRevert(SaharaTimelock.ZeroGovernor.selector);
        new SaharaTimelock(MIN_DELAY, address(0), address(gate));
    }

    function test_timelock_noGate_ok() public {
        SaharaTimelock t = new SaharaTimelock(1, address(governor), address(0));
        assertFalse(t.hasRole(t.CANCELLER_ROLE(), address(0)));
        assertTrue(t.hasRole(t.CANCELLER_ROLE(), address(governor)));
    }

    function test_timelock_adminFunctions_onlySelf() public {
        vm.expectRevert(abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, address(this)));
        timelock.updateDelay(0);
        bytes32 role = timelock.PROPOSER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, address(this), timelock.DEFAULT_ADMIN_ROLE()
            )
        );
        timelock.grantRole(role, address(this));
    }

    function test_governanceSettings_onlyGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, address(this)));
        governor.setVotingPeriod(1 days);
        // Even the timelock cannot call in outside a proposal execution: OZ's governance-call queue
        // is empty and popping it panics (0x31).
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x31));
        vm.prank(address(timelock));
        governor.updateQuorumNumerator(1);
    }

    // ------------------------------------------------------------ lifecycle

    function test_lifecycle_acceptOwnership_and_setProtocolFee() public {
        assertEq(vault.owner(), admin);
        assertEq(vault.pendingOwner(), address(timelock));
        Proposal memory p = _acceptAndSetFee(500);

        uint256 id = _propose(voterA, p);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Pending));
        assertEq(governor.proposalSnapshot(id), block.timestamp + VOTING_DELAY);
        assertEq(governor.proposalDeadline(id), block.timestamp + VOTING_DELAY + VOTING_PERIOD);
        assertEq(governor.proposalProposer(id), voterA);

        // Voting before the snapshot is not allowed.
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                id,
                IGovernor.ProposalState.Pending,
                _stateBit(IGovernor.ProposalState.Active)
            )
        );
        _vote(id, voterA, 1);

        _toVoting(id);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Active));
        vm.expectEmit(address(governor));
        emit IGovernor.VoteCast(voterA, id, 1, W_A, "");
        _vote(id, voterA, 1);
        _vote(id, voterB, 0);
        vm.prank(voterC);
        governor.castVoteWithReason(id, 2, "abstain");
        assertTrue(governor.hasVoted(id, voterA));
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(id);
        assertEq(forVotes, W_A);
        assertEq(against, W_B);
        assertEq(abstain, W_C);

        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, voterA));
        _vote(id, voterA, 0);
        vm.expectRevert(IGovernor.GovernorInvalidVoteType.selector);
        _vote(id, eve, 3);

        // Queue is not possible while voting.
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                id,
                IGovernor.ProposalState.Active,
                _stateBit(IGovernor.ProposalState.Succeeded)
            )
        );
        _queue(p);

        _toEnd(id);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Succeeded));
        _queue(p);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Queued));
        bytes32 opId = _timelockId(p);
        assertTrue(timelock.isOperationPending(opId));
        assertEq(governor.proposalEta(id), block.timestamp + MIN_DELAY);

        // Not executable before the timelock delay.
        vm.expectRevert(
            abi.encodeWithSelector(
                TimelockController.TimelockUnexpectedOperationState.selector, opId, bytes32(uint256(1 << 2)) // Ready
            )
        );
        _execute(p);

        vm.warp(block.timestamp + MIN_DELAY);
        vm.expectEmit(address(vault));
        emit IRevenueVault.ProtocolFeeSet(500);
        _execute(p);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Executed));
        assertTrue(timelock.isOperationDone(opId));
        assertEq(vault.owner(), address(timelock));
        assertEq(uint256(vault.protocolFeeBps()), 500);

        // The old admin lost its powers; the timelock is the only owner.
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, admin));
        vm.prank(admin);
        vault.setProtocolFee(100);
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, address(governor)));
        vm.prank(address(governor));
        vault.setProtocolFee(100);
    }

    function test_execute_directlyOnTimelock_byAnyone() public {
        Proposal memory p = _acceptAndSetFee(300);
        uint256 id = _propose(voterA, p);
        _toVoting(id);
        _vote(id, voterA, 1);
        _vote(id, voterC, 1);
        _toEnd(id);
        _queue(p);
        vm.warp(block.timestamp + MIN_DELAY);
        // Open executor: a random account can run a ready operation; the governor sees it executed.
        vm.prank(eve);
        timelock.executeBatch(p.targets, p.values, p.calldatas, 0, bytes20(address(governor)) ^ _descHash(p));
        assertEq(uint256(vault.protocolFeeBps()), 300);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Executed));
    }

    function test_governorCannotBypassTimelock() public {
        // Direct scheduling on the timelock by anyone but the governor fails.
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, voterA, timelock.PROPOSER_ROLE()
            )
        );
        vm.prank(voterA);
        timelock.schedule(address(vault), 0, abi.encodeCall(vault.acceptOwnership, ()), 0, 0, MIN_DELAY);
    }

    function test_upgradeModule_throughProposal() public {
        RevenueVaultV2 v2 = new RevenueVaultV2();
        Proposal memory p = _pair(
            address(vault),
            abi.encodeCall(vault.acceptOwnership, ()),
            address(vault),
            abi.encodeCall(vault.upgradeToAndCall, (address(v2), "")),
            "upgrade the vault to v2"
        );
        uint16 feeBefore = vault.protocolFeeBps();
        _pass(p);
        assertEq(RevenueVaultV2(address(vault)).version(), 2);
        bytes32 implSlot = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
        assertEq(address(uint160(uint256(vm.load(address(vault), implSlot)))), address(v2));
        // State survives the upgrade.
        assertEq(uint256(vault.protocolFeeBps()), uint256(feeBefore));
        assertEq(vault.treasury(), treasury);
        assertEq(vault.owner(), address(timelock));

        // Nobody but the timelock can upgrade.
        RevenueVaultV2 v3 = new RevenueVaultV2();
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, admin));
        vm.prank(admin);
        vault.upgradeToAndCall(address(v3), "");
    }

    function test_governorSelfSetting_throughProposal() public {
        Proposal memory p = _single(
            address(governor), abi.encodeCall(governor.setProposalThreshold, (5_000_000e18)), "raise threshold"
        );
        _pass(p);
        assertEq(governor.proposalThreshold(), 5_000_000e18);
    }

    // ------------------------------------------------------------ threshold, quorum, snapshot

    function test_threshold() public {
        Proposal memory p = _acceptAndSetFee(1);
        _give(eve, THRESHOLD - 1);
        vm.warp(block.timestamp + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, eve, THRESHOLD - 1, THRESHOLD)
        );
        _propose(eve, p);
        // Exactly the threshold is enough, but only once the votes are in a past checkpoint.
        sahara.transfer(eve, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, eve, THRESHOLD - 1, THRESHOLD)
        );
        _propose(eve, p);
        vm.warp(block.timestamp + 1);
        uint256 id = _propose(eve, p);
        assertEq(governor.proposalProposer(id), eve);
    }

    function test_quorumFailure_defeated() public {
        Proposal memory p = _acceptAndSetFee(1);
        uint256 id = _propose(voterA, p);
        _toVoting(id);
        _vote(id, voterB, 1); // 200M for, quorum is 400M
        _vote(id, voterC, 2); // +100M abstain = 300M < 400M
        assertFalse(governor.quorum(governor.proposalSnapshot(id)) <= W_B + W_C);
        _toEnd(id);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Defeated));
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                id,
                IGovernor.ProposalState.Defeated,
                _stateBit(IGovernor.ProposalState.Succeeded)
            )
        );
        _queue(p);
    }

    function test_quorumReached_butMoreAgainst_defeated() public {
        _give(eve, 200_000_000e18);
        vm.warp(block.timestamp + 1);
        Proposal memory p = _acceptAndSetFee(1);
        uint256 id = _propose(voterA, p);
        _toVoting(id);
        _vote(id, voterA, 0); // 300M against
        _vote(id, voterB, 1); // 200M for
        _vote(id, voterC, 2); // 100M abstain
        _vote(id, eve, 2); // 200M abstain: for + abstain = 500M >= 400M quorum
        _toEnd(id);
        assertTrue(governor.quorum(governor.proposalSnapshot(id)) <= W_B + W_C + 200_000_000e18);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Defeated));
    }

    function test_tie_defeated() public {
        _give(eve, 100_000_000e18);
        vm.warp(block.timestamp + 1);
        Proposal memory p = _acceptAndSetFee(1);
        uint256 id = _propose(voterA, p);
        _toVoting(id);
        _vote(id, voterA, 1); // 300M for
        _vote(id, voterB, 0); // 200M against
        _vote(id, eve, 0); // +100M against: tie
        _vote(id, voterC, 2);
        _toEnd(id);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Defeated));
    }

    function test_snapshot_lateTokens_doNotCount() public {
        Proposal memory p = _acceptAndSetFee(1);
        uint256 id = _propose(voterA, p);
        _toVoting(id);
        // After the snapshot eve gets a huge balance (e.g. a flash loan) and delegates to herself.
        _give(eve, 2_000_000_000e18);
        assertEq(sahara.getVotes(eve), 2_000_000_000e18);
        assertEq(governor.getVotes(eve, governor.proposalSnapshot(id)), 0);
        vm.expectEmit(address(governor));
        emit IGovernor.VoteCast(eve, id, 0, 0, "");
        _vote(id, eve, 0);
        (uint256 against,,) = governor.proposalVotes(id);
        assertEq(against, 0);

        // Redelegation after the snapshot does not move power either: A delegates to B, both vote.
        vm.prank(voterA);
        sahara.delegate(voterB);
        _vote(id, voterA, 1);
        _vote(id, voterB, 1);
        (, uint256 forVotes,) = governor.proposalVotes(id);
        assertEq(forVotes, W_A + W_B);

        // Transferring tokens after voting does not let the recipient vote them again.
        vm.prank(voterC);
        sahara.transfer(eve, W_C);
        _vote(id, voterC, 2);
        (,, uint256 abstain) = governor.proposalVotes(id);
        assertEq(abstain, W_C);
    }

    function test_snapshot_delegationBeforeSnapshot_counts() public {
        Proposal memory p = _acceptAndSetFee(1);
        uint256 id = _propose(voterA, p);
        // During the voting delay eve receives and delegates: counted (OZ snapshot semantics).
        _give(eve, 50_000_000e18);
        _toVoting(id);
        _vote(id, eve, 1);
        (, uint256 forVotes,) = governor.proposalVotes(id);
        assertEq(forVotes, 50_000_000e18);
    }

    function test_lateQuorum_extendsDeadline() public {
        Proposal memory p = _acceptAndSetFee(1);
        uint256 id = _propose(voterA, p);
        uint256 deadline = governor.proposalDeadline(id);
        _toVoting(id);
        _vote(id, voterB, 1); // 200M: no quorum yet
        assertEq(governor.proposalDeadline(id), deadline);

        vm.warp(deadline - 1 hours);
        uint64 extended = uint64(block.timestamp + LATE_EXTENSION);
        vm.expectEmit(address(governor));
        emit GovernorPreventLateQuorum.ProposalExtended(id, extended);
        _vote(id, voterA, 1); // 500M: quorum reached one hour before the end
        assertEq(governor.proposalDeadline(id), extended);

        // The opposition gets the extension to respond.
        vm.warp(deadline + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Active));
        _vote(id, voterC, 0);
        vm.warp(uint256(extended) + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Succeeded));
    }

    function test_earlyQuorum_noExtension() public {
        Proposal memory p = _acceptAndSetFee(1);
        uint256 id = _propose(voterA, p);
        uint256 deadline = governor.proposalDeadline(id);
        _toVoting(id);
        _vote(id, voterA, 1);
        _vote(id, voterB, 1);
        assertEq(governor.proposalDeadline(id), deadline);
    }

    function test_proposerCancel_whilePending_only() public {
        Proposal memory p = _acceptAndSetFee(1);
        uint256 id = _propose(voterA, p);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, id, voterB));
        vm.prank(voterB);
        governor.cancel(p.targets, p.values, p.calldatas, _descHash(p));
        vm.prank(voterA);
        governor.cancel(p.targets, p.values, p.calldatas, _descHash(p));
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Canceled));
    }

    // ------------------------------------------------------------ guardian

    function _queued() internal returns (Proposal memory p, uint256 id, bytes32 opId) {
        p = _acceptAndSetFee(900);
        id = _propose(voterA, p);
        _toVoting(id);
        _vote(id, voterA, 1);
        _vote(id, voterB, 1);
        _toEnd(id);
        _queue(p);
        opId = _timelockId(p);
    }

    function test_gate_config() public view {
        assertEq(gate.guardian(), guardian);
        assertEq(gate.timelock(), address(timelock));
        assertEq(gate.expiry(), guardianExpiry);
        assertTrue(gate.active());
    }

    function test_gate_constructor_reverts() public {
        vm.expectRevert(IGuardianGate.ZeroAddress.selector);
        new GuardianGate(address(0), address(timelock), block.timestamp + 1);
        vm.expectRevert(IGuardianGate.ZeroAddress.selector);
        new GuardianGate(guardian, address(0), block.timestamp + 1);
        vm.expectRevert(abi.encodeWithSelector(IGuardianGate.ExpiryInPast.selector, block.timestamp, block.timestamp));
        new GuardianGate(guardian, address(timelock), block.timestamp);
    }

    function test_guardian_cancelQueued_beforeExpiry() public {
        (Proposal memory p, uint256 id, bytes32 opId) = _queued();
        assertTrue(timelock.isOperationPending(opId));
        vm.expectEmit(address(gate));
        emit IGuardianGate.GuardianCancelled(opId);
        vm.expectEmit(address(timelock));
        emit TimelockController.Cancelled(opId);
        vm.prank(guardian);
        gate.cancel(opId);
        assertFalse(timelock.isOperation(opId));
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Canceled));
        vm.warp(block.timestamp + MIN_DELAY);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                id,
                IGovernor.ProposalState.Canceled,
                _stateBit(IGovernor.ProposalState.Queued)
            )
        );
        _execute(p);
        assertEq(vault.owner(), admin);
    }

    function test_guardian_cancel_lastSecond_ok_atExpiry_reverts() public {
        (,, bytes32 opId) = _queued();
        uint256 snap = vm.snapshotState();
        vm.warp(guardianExpiry - 1);
        vm.prank(guardian);
        gate.cancel(opId);
        assertFalse(timelock.isOperation(opId));
        vm.revertToState(snap);

        vm.warp(guardianExpiry);
        assertFalse(gate.active());
        vm.expectRevert(abi.encodeWithSelector(IGuardianGate.GuardianExpired.selector, guardianExpiry));
        vm.prank(guardian);
        gate.cancel(opId);
        assertTrue(timelock.isOperationPending(opId));
    }

    function test_guardian_afterExpiry_everyCallReverts() public {
        vm.warp(guardianExpiry + 365 days);
        vm.expectRevert(abi.encodeWithSelector(IGuardianGate.GuardianExpired.selector, guardianExpiry));
        vm.prank(guardian);
        gate.pause(address(pausable));
        vm.expectRevert(abi.encodeWithSelector(IGuardianGate.GuardianExpired.selector, guardianExpiry));
        vm.prank(eve);
        gate.cancel(bytes32(0));
        assertFalse(pausable.paused());
    }

    function test_guardian_notGuardian_reverts() public {
        (,, bytes32 opId) = _queued();
        vm.expectRevert(abi.encodeWithSelector(IGuardianGate.NotGuardian.selector, eve));
        vm.prank(eve);
        gate.cancel(opId);
        vm.expectRevert(abi.encodeWithSelector(IGuardianGate.NotGuardian.selector, address(governor)));
        vm.prank(address(governor));
        gate.pause(address(pausable));
    }

    function test_guardian_cancelUnknownId_reverts() public {
        bytes32 bad = keccak256("nothing");
        vm.expectRevert(
            abi.encodeWithSelector(
                TimelockController.TimelockUnexpectedOperationState.selector,
                bad,
                bytes32(uint256(1 << 1) | uint256(1 << 2)) // Waiting | Ready
            )
        );
        vm.prank(guardian);
        gate.cancel(bad);
    }

    function test_guardian_pause_beforeExpiry() public {
        pausable.act();
        vm.expectEmit(address(gate));
        emit IGuardianGate.GuardianPaused(address(pausable));
        vm.prank(guardian);
        gate.pause(address(pausable));
        assertTrue(pausable.paused());
        vm.expectRevert(PausableUpgradeable.EnforcedPause.selector);
        pausable.act();

        // The guardian cannot unpause; only the owner (timelock) can, i.e. a proposal.
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, guardian));
        vm.prank(guardian);
        pausable.unpause();
        _pass(_single(address(pausable), abi.encodeCall(pausable.unpause, ()), "resume"));
        assertFalse(pausable.paused());
        pausable.act();
        assertEq(pausable.actions(), 2);
    }

    function test_guardian_pause_targetWithoutRole_reverts() public {
        vm.prank(address(timelock));
        pausable.setPauser(address(gate), false);
        vm.expectRevert(abi.encodeWithSelector(ProtocolModule.NotPauser.selector, address(gate)));
        vm.prank(guardian);
        gate.pause(address(pausable));
    }

    function test_guardian_cannotDoAnythingElse() public {
        (Proposal memory p,, bytes32 opId) = _queued();
        // Not through the timelock directly.
        vm.startPrank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, timelock.CANCELLER_ROLE()
            )
        );
        timelock.cancel(opId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, timelock.PROPOSER_ROLE()
            )
        );
        timelock.schedule(address(vault), 0, "", 0, keccak256("x"), MIN_DELAY);
        // Not through the governor (not the proposer, proposal not pending).
        uint256 id = governor.getProposalId(p.targets, p.values, p.calldatas, _descHash(p));
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, id, guardian));
        governor.cancel(p.targets, p.values, p.calldatas, _descHash(p));
        // Not on the owned modules.
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, guardian));
        vault.setProtocolFee(0);
        vm.stopPrank();
        // The gate itself exposes nothing else (no fallback, no receive).
        vm.prank(guardian);
        (bool ok,) = address(gate).call(abi.encodeCall(TimelockController.schedule, (address(vault), 0, "", 0, 0, 0)));
        assertFalse(ok);
        vm.deal(guardian, 1 ether);
        vm.prank(guardian);
        (ok,) = address(gate).call{value: 1}("");
        assertFalse(ok);
        // The gate holds only CANCELLER on the timelock.
        assertFalse(timelock.hasRole(timelock.PROPOSER_ROLE(), address(gate)));
        assertFalse(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(gate)));
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(gate)));
    }

    function test_dao_canRevokeGuardianEarly() public {
        bytes32 role = timelock.CANCELLER_ROLE();
        _pass(_single(address(timelock), abi.encodeCall(timelock.revokeRole, (role, address(gate))), "revoke guardian"));
        (,, bytes32 opId) = _queued();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, address(gate), role)
        );
        vm.prank(guardian);
        gate.cancel(opId);
    }
}

contract BlockClockVotes is ERC20Votes {
    constructor() ERC20("Block", "BLK") EIP712("Block", "1") {}
}

contract SaharaGovernorClockTest is Test {
    function test_constructor_rejectsBlockNumberClock() public {
        BlockClockVotes v = new BlockClockVotes();
        vm.expectRevert(SaharaGovernor.NotTimestampClock.selector);
        new SaharaGovernor(IVotingPowerSource(address(v)), TimelockController(payable(address(1))), 1, 1, 0, 4, 1);
    }
}
