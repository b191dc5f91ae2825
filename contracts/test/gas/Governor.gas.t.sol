// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {GovernanceFixture} from "../utils/GovernanceFixture.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from
    "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {RevenueVault} from "../../src/revenue/RevenueVault.sol";

/// @notice The stock OpenZeppelin baseline: the minimal extension set without late-quorum.
contract StockGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    constructor(IVotes token_, TimelockController timelock_, uint48 delay, uint32 period, uint256 threshold, uint256 q)
        Governor("StockGovernor")
        GovernorSettings(delay, period, threshold)
        GovernorVotes(token_)
        GovernorVotesQuorumFraction(q)
        GovernorTimelockControl(timelock_)
    {}

    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function quorum(uint256 t) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(t);
    }

    function state(uint256 id) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(id);
    }

    function proposalNeedsQueuing(uint256 id) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(id);
    }

    function _queueOperations(uint256 id, address[] memory t, uint256[] memory v, bytes[] memory c, bytes32 d)
        internal
        override(Governor, GovernorTimelockControl)
        returns (uint48)
    {
        return super._queueOperations(id, t, v, c, d);
    }

    function _executeOperations(uint256 id, address[] memory t, uint256[] memory v, bytes[] memory c, bytes32 d)
        internal
        override(Governor, GovernorTimelockControl)
    {
        super._executeOperations(id, t, v, c, d);
    }

    function _cancel(address[] memory t, uint256[] memory v, bytes[] memory c, bytes32 d)
        internal
        override(Governor, GovernorTimelockControl)
        returns (uint256)
    {
        return super._cancel(t, v, c, d);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}

/// @notice propose / castVote (for, against, abstain) / queue / execute of the same one-call
///         proposal (RevenueVault.setProtocolFee) on SaharaGovernor and on a stock OZ governor,
///         both on SAHARA with identical settings and a stock-equivalent timelock.
/// @dev Numbers are `lastCallGas().gasTotalUsed` of each call (execution gas inside the test
///      transaction; run with `--isolate` for full-transaction numbers). Each governor runs in its
///      own test (fresh state); `test_gas_governor_ratio` runs both from the same snapshot and
///      checks SaharaGovernor is within 10% of stock for every step (and in total).
contract GovernorGasTest is GovernanceFixture {
    event log_named_uint(string key, uint256 val);

    uint256 internal constant MAX_RATIO_PCT = 110;

    struct Costs {
        uint256 propose;
        uint256 voteFor;
        uint256 voteAgainst;
        uint256 voteAbstain;
        uint256 queue;
        uint256 execute;
    }

    IGovernor internal stockGovernor;
    address internal stockTimelock;

    /// @dev Both governors are deployed here, outside the measured test transaction, so neither
    ///      starts with warm storage from its own constructor.
    function setUp() public override {
        super.setUp();
        _deployStock();
    }

    function _stock() internal returns (IGovernor) {
        _handVault(stockTimelock);
        return stockGovernor;
    }

    function _deployStock() internal {
        IGovernor g;
        uint256 nonce = vm.getNonce(address(this));
        address govAddr = vm.computeCreateAddress(address(this), nonce + 1);
        address[] memory proposers = new address[](1);
        proposers[0] = govAddr;
        address[] memory executors = new address[](1);
        TimelockController tl = new TimelockController(MIN_DELAY, proposers, executors, address(0));
        g = new StockGovernor(IVotes(address(sahara)), tl, VOTING_DELAY, VOTING_PERIOD, THRESHOLD, QUORUM_PCT);
        require(address(g) == govAddr, "stock governor address");
        stockGovernor = g;
        stockTimelock = address(tl);
    }

    function _ours() internal returns (IGovernor g) {
        _handVault(address(timelock));
        g = governor;
    }

    function _handVault(address to) internal {
        vm.prank(address(timelock));
        vault.acceptOwnership();
        if (to != address(timelock)) {
            vm.prank(address(timelock));
            vault.transferOwnership(to);
            vm.prank(to);
            vault.acceptOwnership();
        }
    }

    function _run(IGovernor g) internal returns (Costs memory c) {
        Proposal memory p =
            _single(address(vault), abi.encodeCall(RevenueVault.setProtocolFee, (500)), "set the protocol fee to 5%");
        bytes32 dh = _descHash(p);
        vm.prank(voterA);
        uint256 id = g.propose(p.targets, p.values, p.calldatas, p.description);
        c.propose = vm.lastCallGas().gasTotalUsed;
        vm.warp(g.proposalSnapshot(id) + 1);
        vm.prank(voterA);
        g.castVote(id, 1);
        c.voteFor = vm.lastCallGas().gasTotalUsed;
        vm.prank(voterB);
        g.castVote(id, 0);
        c.voteAgainst = vm.lastCallGas().gasTotalUsed;
        vm.prank(voterC);
        g.castVote(id, 2); // reaches quorum (300M for + 100M abstain = 4%)
        c.voteAbstain = vm.lastCallGas().gasTotalUsed;
        vm.warp(g.proposalDeadline(id) + 1);
        g.queue(p.targets, p.values, p.calldatas, dh);
        c.queue = vm.lastCallGas().gasTotalUsed;
        vm.warp(block.timestamp + MIN_DELAY);
        g.execute(p.targets, p.values, p.calldatas, dh);
        c.execute = vm.lastCallGas().gasTotalUsed;
        require(vault.protocolFeeBps() == 500, "not executed");
    }

    function _total(Costs memory c) internal pure returns (uint256) {
        return c.propose + c.voteFor + c.voteAgainst + c.voteAbstain + c.queue + c.execute;
    }

    function _log(string memory who, Costs memory c) internal {
        emit log_named_uint(string.concat(who, " propose"), c.propose);
        emit log_named_uint(string.concat(who, " castVote for"), c.voteFor);
        emit log_named_uint(string.concat(who, " castVote against"), c.voteAgainst);
        emit log_named_uint(string.concat(who, " castVote abstain (reaches quorum)"), c.voteAbstain);
        emit log_named_uint(string.concat(who, " queue"), c.queue);
        emit log_named_uint(string.concat(who, " execute"), c.execute);
        emit log_named_uint(string.concat(who, " total"), _total(c));
    }

    function _ratio(string memory step, uint256 ours, uint256 stock) internal {
        uint256 pct100 = ours * 10_000 / stock; // percent with two decimals
        emit log_named_uint(string.concat("ratio % x100 ", step), pct100);
        assertLe(ours * 100, stock * MAX_RATIO_PCT, step);
    }

    function test_gas_governor_sahara() public {
        _log("SaharaGovernor", _run(_ours()));
    }

    function test_gas_governor_stockOZ() public {
        _log("stock OZ Governor", _run(_stock()));
    }

    function test_gas_governor_ratio() public {
        uint256 snap = vm.snapshotState();
        Costs memory s = _run(_stock());
        vm.revertToState(snap);
        Costs memory o = _run(_ours());
        _log("stock OZ Governor", s);
        _log("SaharaGovernor", o);
        _ratio("propose", o.propose, s.propose);
        _ratio("castVote for", o.voteFor, s.voteFor);
        _ratio("castVote against", o.voteAgainst, s.voteAgainst);
        _ratio("castVote abstain", o.voteAbstain, s.voteAbstain);
        _ratio("queue", o.queue, s.queue);
        _ratio("execute", o.execute, s.execute);
        _ratio("total", _total(o), _total(s));
    }
}
