// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor, Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from
    "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {GovernorPreventLateQuorum} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IVotingPowerSource} from "../interfaces/IVotingPowerSource.sol";

/// @title SaharaGovernor
/// @notice The Sahara DAO governor: stock OpenZeppelin 5 Governor with
///         - GovernorSettings: voting delay, voting period, proposal threshold (changeable by proposal);
///         - GovernorCountingSimple: For / Against / Abstain (For + Abstain count toward quorum);
///         - GovernorVotes: voting power from an ERC-5805 source with a timestamp clock;
///         - GovernorVotesQuorumFraction: quorum = numerator% of the source's total supply at the snapshot;
///         - GovernorPreventLateQuorum: a proposal reaching quorum late gets at least
///           `lateQuorumVoteExtension` more seconds of voting (same deadlines as stock; the quorum
///           check only runs for votes inside the late window, see `_countVote`);
///         - GovernorTimelockControl: passed proposals are queued in and executed by the timelock,
///           which owns the protocol modules.
/// @dev Voting power seam: the votes source (`token()`) is an `IVotingPowerSource`, read only through
///      `getPastVotes(account, snapshot)` / `getPastTotalSupply(snapshot)`, so power is frozen at the
///      proposal snapshot (tokens bought or delegated afterwards do not count: no flash-loan voting).
///      A deployment with node staking uses SaharaVotes (token + staked votes, see
///      IVotingPowerSource); one without uses SaharaToken. The source is immutable so it never
///      changes under a live proposal. Timepoints are Unix seconds, so the delay and period are in
///      seconds.
contract SaharaGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorPreventLateQuorum,
    GovernorTimelockControl
{
    /// @param source Voting power source (SaharaVotes with node staking, else SaharaToken).
    /// @param timelock_ The SaharaTimelock that queues and executes proposals.
    /// @param votingDelay_ Seconds between proposing and the snapshot / start of voting.
    /// @param votingPeriod_ Seconds voting stays open.
    /// @param proposalThreshold_ Votes (18 decimals) a proposer needs at `clock() - 1`.
    /// @param quorumNumerator_ Quorum in percent of the source's total supply (denominator 100).
    /// @param lateQuorumExtension_ Minimum seconds of voting left after quorum is first reached.
    constructor(
        IVotingPowerSource source,
        TimelockController timelock_,
        uint48 votingDelay_,
        uint32 votingPeriod_,
        uint256 proposalThreshold_,
        uint256 quorumNumerator_,
        uint48 lateQuorumExtension_
    )
        Governor("SaharaGovernor")
        GovernorSettings(votingDelay_, votingPeriod_, proposalThreshold_)
        GovernorVotes(IVotes(address(source)))
        GovernorVotesQuorumFraction(quorumNumerator_)
        GovernorPreventLateQuorum(lateQuorumExtension_)
        GovernorTimelockControl(timelock_)
    {
        if (keccak256(bytes(source.CLOCK_MODE())) != keccak256("mode=timestamp")) revert NotTimestampClock();
    }

    /// @notice The voting power source does not use an ERC-6372 timestamp clock.
    error NotTimestampClock();

    /// @notice ERC-6372 clock: the current block timestamp, the same value as the source's clock.
    /// @dev The constructor checks the source is in "mode=timestamp", so reading `block.timestamp`
    ///      here is equivalent to stock GovernorVotes' external `token().clock()` call, and cheaper
    ///      (the governor reads its clock several times per propose/castVote/queue).
    /// @return The current timepoint, `uint48(block.timestamp)`.
    function clock() public view override(Governor, GovernorVotes) returns (uint48) {
        return uint48(block.timestamp);
    }

    // ------------------------------------------------------------------ required overrides

    /// @notice Seconds between a proposal's creation and its snapshot (start of voting).
    /// @return The current voting delay.
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    /// @notice Seconds voting stays open (before any late-quorum extension).
    /// @return The current voting period.
    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    /// @notice Votes an account needs (at `clock() - 1`) to create a proposal.
    /// @return The current proposal threshold.
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @notice Votes (For + Abstain) needed for a proposal whose snapshot is `timepoint`.
    /// @param timepoint A past timepoint (Unix seconds).
    /// @return The quorum at `timepoint`.
    function quorum(uint256 timepoint)
        public
        view
        override(Governor, GovernorVotesQuorumFraction)
        returns (uint256)
    {
        return super.quorum(timepoint);
    }

    /// @notice The state of `proposalId`, including the timelock stages (Queued, Executed, Canceled).
    /// @param proposalId The proposal id.
    /// @return The proposal state.
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @notice Whether passed proposals must be queued before execution: always true (timelock).
    /// @param proposalId The proposal id.
    /// @return True.
    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @notice The end of voting for `proposalId`, including any late-quorum extension.
    /// @param proposalId The proposal id.
    /// @return The deadline (Unix seconds).
    function proposalDeadline(uint256 proposalId)
        public
        view
        override(Governor, GovernorPreventLateQuorum)
        returns (uint256)
    {
        return super.proposalDeadline(proposalId);
    }

    // ------------------------------------------------------------------ late quorum, cheaper

    /// @dev True between `_countVote` and `_tallyUpdated` of the one vote that first brings a
    ///      proposal to quorum inside the late window (transient: never persists past the call).
    bool private transient _quorumReachedLate;

    /// @dev Stock counting, plus detection of the only vote that can extend the deadline: a For or
    ///      Abstain vote cast within `lateQuorumVoteExtension` of the original deadline that moves
    ///      For + Abstain from below quorum to at least quorum.
    ///      Stock GovernorPreventLateQuorum evaluates the quorum (two checkpoint lookups and an
    ///      external call) after every vote and stores a deadline when quorum is first reached even
    ///      if it extends nothing, which made castVote 19-48% dearer than a stock governor. A
    ///      record made outside the late window never moves the deadline (it is below it) and only
    ///      stops later extensions; here a later vote cannot be the first to reach quorum either,
    ///      so it never extends. The resulting deadlines are identical (a differential fuzz test
    ///      runs both against the same votes).
    function _countVote(uint256 proposalId, address account, uint8 support, uint256 totalWeight, bytes memory params)
        internal
        override(Governor, GovernorCountingSimple)
        returns (uint256 counted)
    {
        counted = super._countVote(proposalId, account, support, totalWeight, params);
        if (counted == 0 || support == uint8(VoteType.Against)) return counted;
        // Early votes cannot extend anything. An already extended proposal has already reached
        // quorum, so comparing with the original deadline is enough.
        if (clock() + lateQuorumVoteExtension() <= Governor.proposalDeadline(proposalId)) return counted;
        (, uint256 forVotes, uint256 abstainVotes) = proposalVotes(proposalId);
        uint256 tally = forVotes + abstainVotes;
        uint256 needed = quorum(proposalSnapshot(proposalId));
        if (tally >= needed && tally - counted < needed) _quorumReachedLate = true;
    }

    /// @dev Runs the stock late-quorum logic (record + ProposalExtended) only for the vote flagged
    ///      by `_countVote`; at that point no deadline is recorded yet and quorum is reached, so the
    ///      stock code extends to `clock() + lateQuorumVoteExtension()`.
    function _tallyUpdated(uint256 proposalId) internal override(Governor, GovernorPreventLateQuorum) {
        if (_quorumReachedLate) {
            _quorumReachedLate = false;
            super._tallyUpdated(proposalId);
        }
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
