// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "./ProtocolFixture.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";

import {SaharaGovernor} from "../../src/governance/SaharaGovernor.sol";
import {SaharaTimelock} from "../../src/governance/SaharaTimelock.sol";
import {GuardianGate} from "../../src/governance/GuardianGate.sol";
import {IVotingPowerSource} from "../../src/interfaces/IVotingPowerSource.sol";
import {MockPausableModule} from "./MockPausableModule.sol";

/// @notice The protocol plus the DAO: SaharaGovernor on SAHARA, SaharaTimelock (governor proposes
///         and cancels, anyone executes, self-administered), a GuardianGate with an expiry, and
///         three delegated voters. The vault's ownership is *offered* to the timelock
///         (`transferOwnership`); the timelock accepts through its first proposal.
abstract contract GovernanceFixture is ProtocolFixture {
    uint256 internal constant T0 = 1_700_000_000;
    uint48 internal constant VOTING_DELAY = 1 days;
    uint32 internal constant VOTING_PERIOD = 5 days;
    uint256 internal constant THRESHOLD = 1_000_000e18;
    uint256 internal constant QUORUM_PCT = 4; // of 10B supply = 400M
    uint48 internal constant LATE_EXTENSION = 2 days;
    uint256 internal constant MIN_DELAY = 2 days;
    uint256 internal constant GUARDIAN_TERM = 180 days;

    uint256 internal constant W_A = 300_000_000e18;
    uint256 internal constant W_B = 200_000_000e18;
    uint256 internal constant W_C = 100_000_000e18;

    SaharaGovernor internal governor;
    SaharaTimelock internal timelock;
    GuardianGate internal gate;
    MockPausableModule internal pausable;

    address internal guardian;
    address internal voterA;
    address internal voterB;
    address internal voterC;
    address internal eve;
    uint256 internal guardianExpiry;

    function setUp() public virtual override {
        vm.warp(T0);
        super.setUp();
        guardian = makeAddr("guardian");
        voterA = makeAddr("voterA");
        voterB = makeAddr("voterB");
        voterC = makeAddr("voterC");
        eve = makeAddr("eve");
        guardianExpiry = T0 + GUARDIAN_TERM;

        // Circular addresses: gate -> timelock -> governor, predicted from this contract's nonce.
        uint256 nonce = vm.getNonce(address(this));
        address timelockAddr = vm.computeCreateAddress(address(this), nonce + 1);
        address governorAddr = vm.computeCreateAddress(address(this), nonce + 2);
        gate = new GuardianGate(guardian, timelockAddr, guardianExpiry);
        timelock = new SaharaTimelock(MIN_DELAY, governorAddr, address(gate));
        governor = new SaharaGovernor(
            IVotingPowerSource(address(sahara)),
            TimelockController(payable(address(timelock))),
            VOTING_DELAY,
            VOTING_PERIOD,
            THRESHOLD,
            QUORUM_PCT,
            LATE_EXTENSION
        );
        require(address(timelock) == timelockAddr && address(governor) == governorAddr, "fixture: governance addresses");

        // A pausable module owned by the timelock that lets the gate pause it.
        MockPausableModule impl = new MockPausableModule();
        pausable = MockPausableModule(
            address(new ERC1967Proxy(address(impl), abi.encodeCall(MockPausableModule.initialize, (address(this)))))
        );
        pausable.setPauser(address(gate), true);
        pausable.transferOwnership(address(timelock));
        vm.prank(address(timelock));
        pausable.acceptOwnership();

        // The vault is offered to the timelock; acceptance is the DAO's first act.
        vm.prank(admin);
        vault.transferOwnership(address(timelock));

        _give(voterA, W_A);
        _give(voterB, W_B);
        _give(voterC, W_C);
        vm.warp(block.timestamp + 1); // delegations become past checkpoints
    }

    function _give(address who, uint256 amount) internal {
        sahara.transfer(who, amount);
        vm.prank(who);
        sahara.delegate(who);
    }

    // ------------------------------------------------------------ proposal helpers

    struct Proposal {
        address[] targets;
        uint256[] values;
        bytes[] calldatas;
        string description;
    }

    function _single(address target, bytes memory data, string memory description)
        internal
        pure
        returns (Proposal memory p)
    {
        p.targets = new address[](1);
        p.values = new uint256[](1);
        p.calldatas = new bytes[](1);
        p.targets[0] = target;
        p.calldatas[0] = data;
        p.description = description;
    }

    function _pair(address t0, bytes memory d0, address t1, bytes memory d1, string memory description)
        internal
        pure
        returns (Proposal memory p)
    {
        p.targets = new address[](2);
        p.values = new uint256[](2);
        p.calldatas = new bytes[](2);
        p.targets[0] = t0;
        p.calldatas[0] = d0;
        p.targets[1] = t1;
        p.calldatas[1] = d1;
        p.description = description;
    }

    function _propose(address proposer, Proposal memory p) internal returns (uint256 id) {
        vm.prank(proposer);
        id = governor.propose(p.targets, p.values, p.calldatas, p.description);
    }

    function _descHash(Proposal memory p) internal pure returns (bytes32) {
        return keccak256(bytes(p.description));
    }

    function _vote(uint256 id, address voter, uint8 support) internal {
        vm.prank(voter);
        governor.castVote(id, support);
    }

    function _toVoting(uint256 id) internal {
        vm.warp(governor.proposalSnapshot(id) + 1);
    }

    function _toEnd(uint256 id) internal {
        vm.warp(governor.proposalDeadline(id) + 1);
    }

    function _queue(Proposal memory p) internal returns (uint256) {
        return governor.queue(p.targets, p.values, p.calldatas, _descHash(p));
    }

    function _execute(Proposal memory p) internal returns (uint256) {
        return governor.execute(p.targets, p.values, p.calldatas, _descHash(p));
    }

    function _timelockId(Proposal memory p) internal view returns (bytes32) {
        // GovernorTimelockControl salt: the governor address xor the description hash.
        bytes32 salt = bytes20(address(governor)) ^ _descHash(p);
        return timelock.hashOperationBatch(p.targets, p.values, p.calldatas, 0, salt);
    }

    /// @dev propose -> A for, B against, C abstain -> queue -> wait -> execute.
    function _pass(Proposal memory p) internal returns (uint256 id) {
        id = _propose(voterA, p);
        _toVoting(id);
        _vote(id, voterA, 1);
        _vote(id, voterB, 0);
        _vote(id, voterC, 2);
        _toEnd(id);
        _queue(p);
        vm.warp(block.timestamp + MIN_DELAY);
        _execute(p);
        require(governor.state(id) == IGovernor.ProposalState.Executed, "fixture: not executed");
    }
}
