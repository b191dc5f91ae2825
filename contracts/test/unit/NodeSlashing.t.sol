// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {StakingFixture} from "../utils/StakingFixture.sol";
import {ProtocolModule} from "../../src/utils/ProtocolModule.sol";
import {INodeStaking} from "../../src/interfaces/INodeStaking.sol";
import {INodeRegistry} from "../../src/interfaces/INodeRegistry.sol";
import {IPaymentChannels} from "../../src/interfaces/IPaymentChannels.sol";
import {Receipt, SettleEntry} from "../../src/types/ExecutionTypes.sol";
import {ReceiptEvidence, NodeStake} from "../../src/types/StakingTypes.sol";

/// @notice The slash escapes closed in NodeRegistry/NodeStaking (bond unlock vs staking delay,
///         withdrawal while jailed, signer rotation), settlement-contradiction evidence and the
///         pausing of new delegations.
contract NodeSlashingTest is StakingFixture {
    bytes32 internal constant OTHER_GROUP = keccak256("another group root of the settlement");

    // ---------------------------------------------------------------- helpers

    function _channelWithReceipts() internal returns (Receipt memory a, Receipt memory b, Receipt memory other) {
        uint256 channelId = _open(100e6);
        a = _receipt(nodeId, channelId, 7, keccak256("result A"));
        b = _receipt(nodeId, channelId, 7, keccak256("result B"));
        other = _receipt(nodeId, channelId, 6, keccak256("earlier"));
    }

    function _key(Receipt memory a, Receipt memory b) internal pure returns (bytes32) {
        bytes32 la = _leaf(a);
        bytes32 lb = _leaf(b);
        return la < lb ? keccak256(abi.encode(la, lb)) : keccak256(abi.encode(lb, la));
    }

    /// @dev `r` in a group with `other`, under a settlement root over that group and OTHER_GROUP:
    ///      proof = leaf -> group root -> settlement root; no signature (the record is the commitment).
    function _settledEvidence(Receipt memory r, Receipt memory other) internal pure returns (ReceiptEvidence memory e) {
        bytes32 l = _leaf(r);
        bytes32 o = _leaf(other);
        bytes32 group = _pair(l, o);
        bytes32[] memory proof = new bytes32[](2);
        proof[0] = o;
        proof[1] = OTHER_GROUP;
        e = ReceiptEvidence({receipt: r, root: _pair(group, OTHER_GROUP), sequence: 0, proof: proof, signature: ""});
    }

    /// @dev The node's settlement recording `root` (a receipts-only settlement, as x402 uses).
    function _record(address who, uint256 node_, bytes32 root) internal {
        vm.prank(who);
        channels.settle(node_, address(usdt), new SettleEntry[](0), root, 3);
    }

    // ---------------------------------------------------------------- 1a: bond unlock

    function test_requestExit_unlocksAfterStakingDelay_bondStaysSlashable() public {
        uint256 t0 = block.timestamp;
        vm.expectEmit(address(nodes));
        emit INodeRegistry.ExitRequested(nodeId, uint64(t0 + STAKE_UNBONDING));
        vm.prank(operator);
        nodes.requestExit(nodeId);
        uint64 unlockAt = nodes.node(nodeId).unlockAt;
        assertEq(unlockAt, t0 + STAKE_UNBONDING);
        // the registry's own 7 days no longer free the bond
        vm.warp(t0 + UNBONDING);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.StakeLocked.selector, nodeId, unlockAt));
        vm.prank(operator);
        nodes.withdrawStake(nodeId);
        // evidence arriving after 7 days still reaches the bond
        vm.prank(admin);
        staking.slash(nodeId, 1000, "late evidence");
        assertEq(nodes.node(nodeId).stake, 900e18);
        assertEq(sahara.balanceOf(treasury), 100e18);
    }

    function test_requestExit_registryDelayWhenLonger() public {
        vm.prank(admin);
        staking.setUnbondingDelay(1 days);
        vm.prank(operator);
        nodes.requestExit(nodeId);
        assertEq(nodes.node(nodeId).unlockAt, block.timestamp + UNBONDING);
    }

    // ---------------------------------------------------------------- 1b: jailed bond stays

    function test_withdrawStake_revertsWhileJailed_exitingNodeUnjailsWithAnyBond() public {
        vm.prank(operator);
        nodes.requestExit(nodeId);
        vm.prank(admin);
        staking.slash(nodeId, 1000, "x"); // bond 900 < minStake
        vm.warp(block.timestamp + STAKE_UNBONDING);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeJailed.selector, nodeId));
        vm.prank(operator);
        nodes.withdrawStake(nodeId);
        // jail served: an Exiting node unjails below minStake (it never becomes Active again)
        vm.prank(operator);
        staking.unjail(nodeId);
        assertFalse(nodes.isActive(nodeId));
        assertEq(staking.totalWeight(), 0);
        uint256 before = sahara.balanceOf(operator);
        vm.prank(operator);
        nodes.withdrawStake(nodeId);
        assertEq(sahara.balanceOf(operator), before + 900e18);
        assertEq(sahara.balanceOf(address(nodes)), 0);
    }

    function test_withdrawStake_jailLongerThanUnlock() public {
        vm.prank(admin);
        staking.setJailPeriod(60 days);
        vm.prank(admin);
        staking.slash(nodeId, 100, "x");
        uint64 until = staking.nodeStake(nodeId).jailedUntil;
        vm.prank(operator);
        nodes.requestExit(nodeId);
        vm.warp(block.timestamp + STAKE_UNBONDING);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeJailed.selector, nodeId));
        vm.prank(operator);
        nodes.withdrawStake(nodeId);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.StillJailed.selector, nodeId, until));
        vm.prank(operator);
        staking.unjail(nodeId);
        vm.warp(until);
        vm.startPrank(operator);
        staking.unjail(nodeId);
        nodes.withdrawStake(nodeId);
        vm.stopPrank();
        assertEq(uint8(nodes.node(nodeId).status), 2); // Exited
    }

    // ---------------------------------------------------------------- 1c: old signers stay bound

    function test_isReceiptSigner() public {
        (address hot2,) = makeAccount("hot2");
        assertTrue(nodes.isReceiptSigner(nodeId, nodeSigner));
        assertTrue(nodes.isReceiptSigner(nodeId, operator));
        assertFalse(nodes.isReceiptSigner(nodeId, hot2));
        assertFalse(nodes.isReceiptSigner(nodeId, address(0)));
        assertFalse(nodes.isReceiptSigner(nodeId + 100, operator)); // unknown node
        vm.expectEmit(address(nodes));
        emit INodeRegistry.SignerSet(nodeId, hot2);
        vm.prank(operator);
        nodes.setSigner(nodeId, hot2);
        assertTrue(nodes.isReceiptSigner(nodeId, hot2));
        assertTrue(nodes.isReceiptSigner(nodeId, nodeSigner)); // still bound after the rotation
        (address op2, uint256 node2) = _newNode("op2", MIN_STAKE);
        assertFalse(nodes.isReceiptSigner(node2, nodeSigner)); // per node
        assertFalse(nodes.isReceiptSigner(nodeId, op2));
        // for the slashing window: max(registry 7 days, staking 21 days) after the rotation
        uint256 rotatedAt = block.timestamp;
        vm.warp(rotatedAt + STAKE_UNBONDING - 1);
        assertTrue(nodes.isReceiptSigner(nodeId, nodeSigner));
        vm.warp(rotatedAt + STAKE_UNBONDING);
        assertFalse(nodes.isReceiptSigner(nodeId, nodeSigner));
        // rotating back makes it current again; rotating away again restarts its window
        vm.startPrank(operator);
        nodes.setSigner(nodeId, nodeSigner);
        nodes.setSigner(nodeId, address(0)); // operator signs
        vm.stopPrank();
        assertTrue(nodes.isReceiptSigner(nodeId, nodeSigner));
        assertTrue(nodes.isReceiptSigner(nodeId, hot2)); // retired at the first of these two calls
        vm.warp(block.timestamp + STAKE_UNBONDING);
        assertFalse(nodes.isReceiptSigner(nodeId, nodeSigner));
        assertFalse(nodes.isReceiptSigner(nodeId, hot2));
        assertTrue(nodes.isReceiptSigner(nodeId, operator));
    }

    function test_slashForEquivocation_oldSignerAfterWindow_rejected() public {
        (Receipt memory a, Receipt memory b,) = _channelWithReceipts();
        ReceiptEvidence memory ea = _evidenceSingle(a, 1, nodeSignerKey);
        ReceiptEvidence memory eb = _evidenceSingle(b, 2, nodeSignerKey);
        vm.prank(operator);
        nodes.setSigner(nodeId, makeAddr("hot2"));
        // a key rotated away (e.g. because it leaked) cannot forge evidence after the window
        vm.warp(block.timestamp + STAKE_UNBONDING);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidBatchSignature.selector, nodeSigner));
        staking.slashForEquivocation(ea, eb);
    }

    function test_slashForEquivocation_oldSignerAfterRotation() public {
        _delegate(alice, nodeId, 1000e18);
        (Receipt memory a, Receipt memory b,) = _channelWithReceipts();
        ReceiptEvidence memory ea = _evidenceSingle(a, 1, nodeSignerKey); // signed before the rotation
        (address hot2, uint256 hot2Key) = makeAccount("hot2");
        vm.prank(operator);
        nodes.setSigner(nodeId, hot2);
        ReceiptEvidence memory eb = _evidenceSingle(b, 2, hot2Key);
        // the rotated-away key lost its settlement authority ...
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.NotNodeAuthority.selector, nodeId, nodeSigner));
        _record(nodeSigner, nodeId, keccak256("root"));
        // ... but its signatures still bind the node
        staking.slashForEquivocation(ea, eb);
        assertEq(nodes.node(nodeId).stake, 900e18);
        assertEq(staking.nodeStake(nodeId).delegated, 900e18);
    }

    function test_slashForEquivocation_signerOfAnotherNodeRejected() public {
        (address hot2, uint256 hot2Key) = makeAccount("hot2");
        address op2 = makeAddr("op2");
        sahara.transfer(op2, MIN_STAKE);
        vm.startPrank(op2);
        sahara.approve(address(nodes), MIN_STAKE);
        nodes.register("http://127.0.0.1:9/n2", hot2, MIN_STAKE);
        vm.stopPrank();
        (Receipt memory a, Receipt memory b,) = _channelWithReceipts();
        ReceiptEvidence memory ea = _evidenceSingle(a, 1, nodeSignerKey);
        ReceiptEvidence memory eb = _evidenceSingle(b, 2, hot2Key); // hot2 signs for node 1
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidBatchSignature.selector, hot2));
        staking.slashForEquivocation(ea, eb);
    }

    // ---------------------------------------------------------------- 2: settlement contradiction

    function test_slashForSettlementContradiction() public {
        _delegate(alice, nodeId, 1000e18);
        vm.prank(alice);
        staking.undelegate(nodeId, 500e18);
        (Receipt memory a, Receipt memory b, Receipt memory other) = _channelWithReceipts();
        ReceiptEvidence memory signed = _evidenceInPair(a, other, 1, nodeSignerKey);
        ReceiptEvidence memory settled = _settledEvidence(b, other);
        _record(nodeSigner, nodeId, settled.root);
        bytes32 key = _key(a, b);
        vm.expectEmit(address(staking));
        emit INodeStaking.SettlementContradictionProven(nodeId, key, dave);
        vm.expectEmit(address(staking));
        emit INodeStaking.Slashed(nodeId, EQUIVOCATION_BPS, 100e18, 50e18, 50e18, treasury, key);
        vm.prank(dave);
        staking.slashForSettlementContradiction(signed, settled);
        assertEq(sahara.balanceOf(treasury), 200e18);
        assertEq(nodes.node(nodeId).stake, 900e18);
        NodeStake memory s = staking.nodeStake(nodeId);
        assertEq(s.delegated, 450e18);
        assertEq(s.unbonding, 450e18);
        assertTrue(s.jailed);
        assertTrue(staking.evidenceUsed(key));
        assertFalse(nodes.isActive(nodeId));
        // one key per leaf pair, whichever way it is proven
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.EvidenceAlreadyUsed.selector, key));
        staking.slashForSettlementContradiction(signed, settled);
        ReceiptEvidence memory signedB = _evidenceSingle(b, 2, nodeSignerKey); // (sha256 before expectRevert)
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.EvidenceAlreadyUsed.selector, key));
        staking.slashForEquivocation(signedB, signed);
    }

    function test_slashForSettlementContradiction_signedByOldSigner_operatorSettles() public {
        (Receipt memory a, Receipt memory b, Receipt memory other) = _channelWithReceipts();
        ReceiptEvidence memory signed = _evidenceSingle(a, 1, nodeSignerKey);
        vm.prank(operator);
        nodes.setSigner(nodeId, address(0)); // operator signs from now on
        ReceiptEvidence memory settled = _settledEvidence(b, other);
        _record(operator, nodeId, settled.root);
        staking.slashForSettlementContradiction(signed, settled);
        assertEq(nodes.node(nodeId).stake, 900e18);
    }

    function test_slashForSettlementContradiction_reverts_record() public {
        (Receipt memory a, Receipt memory b, Receipt memory other) = _channelWithReceipts();
        ReceiptEvidence memory signed = _evidenceInPair(a, other, 1, nodeSignerKey);
        ReceiptEvidence memory settled = _settledEvidence(b, other);
        // not recorded
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.RootNotRecordedByNode.selector, settled.root, 0));
        staking.slashForSettlementContradiction(signed, settled);
        // recorded first by another node (e.g. copied from the mempool): not this node's word
        (address op2, uint256 node2) = _newNode("op2", MIN_STAKE);
        _record(op2, node2, settled.root);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.RootNotRecordedByNode.selector, settled.root, node2));
        staking.slashForSettlementContradiction(signed, settled);
        // the node's later copy of the same root does not change the record
        _record(nodeSigner, nodeId, settled.root);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.RootNotRecordedByNode.selector, settled.root, node2));
        staking.slashForSettlementContradiction(signed, settled);
        assertFalse(staking.isJailed(nodeId));
    }

    function test_slashForSettlementContradiction_reverts_evidence() public {
        (Receipt memory a, Receipt memory b, Receipt memory other) = _channelWithReceipts();
        ReceiptEvidence memory signed = _evidenceInPair(a, other, 1, nodeSignerKey);
        ReceiptEvidence memory settled = _settledEvidence(b, other);
        _record(nodeSigner, nodeId, settled.root);

        // an honest node settles what it signed: same leaf, nothing to prove
        ReceiptEvidence memory same = _settledEvidence(a, other);
        _record(nodeSigner, nodeId, same.root);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidEvidence.selector, 5));
        staking.slashForSettlementContradiction(signed, same);
        // another index is no contradiction
        ReceiptEvidence memory otherIndex = _settledEvidence(other, b);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidEvidence.selector, 4));
        staking.slashForSettlementContradiction(signed, otherIndex);
        // a proof that does not reach the recorded root
        ReceiptEvidence memory bad = _settledEvidence(b, other);
        bad.proof[1] = keccak256("wrong sibling");
        vm.expectRevert(INodeStaking.InvalidReceiptProof.selector);
        staking.slashForSettlementContradiction(signed, bad);
        // the signed half must carry the node's batch signature
        (address stranger, uint256 sk) = makeAccount("stranger");
        ReceiptEvidence memory forged = _evidenceInPair(a, other, 1, sk);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidBatchSignature.selector, stranger));
        staking.slashForSettlementContradiction(forged, settled);
        // a recorded root is no signature: two recorded receipts are not this kind of evidence
        ReceiptEvidence memory unsigned = _settledEvidence(a, other);
        vm.expectRevert(abi.encodeWithSelector(INodeStaking.InvalidBatchSignature.selector, address(0)));
        staking.slashForSettlementContradiction(unsigned, settled);
        assertFalse(staking.isJailed(nodeId));
    }

    /// @dev Money moves exactly: the treasury gains what the bond and both pools lose, to the wei.
    function testFuzz_slashForSettlementContradiction_conserves(
        uint256 delegated,
        uint256 undelegated,
        uint256 selfExtra,
        uint16 bps
    ) public {
        delegated = bound(delegated, 1, 100_000e18);
        undelegated = bound(undelegated, 0, delegated);
        selfExtra = bound(selfExtra, 0, 50_000e18);
        bps = uint16(bound(bps, 1, 5000));
        vm.prank(admin);
        staking.setEquivocationSlashBps(bps);
        if (selfExtra != 0) {
            sahara.transfer(operator, selfExtra);
            vm.startPrank(operator);
            sahara.approve(address(nodes), selfExtra);
            nodes.addStake(nodeId, selfExtra);
            vm.stopPrank();
        }
        _delegate(alice, nodeId, delegated);
        if (undelegated != 0) {
            vm.prank(alice);
            staking.undelegate(nodeId, undelegated);
        }
        NodeStake memory s0 = staking.nodeStake(nodeId);
        uint256 total0 = sahara.balanceOf(address(staking)) + sahara.balanceOf(address(nodes)) + sahara.balanceOf(treasury);

        (Receipt memory a, Receipt memory b, Receipt memory other) = _channelWithReceipts();
        ReceiptEvidence memory settled = _settledEvidence(b, other);
        _record(nodeSigner, nodeId, settled.root);
        staking.slashForSettlementContradiction(_evidenceInPair(a, other, 1, nodeSignerKey), settled);

        NodeStake memory s1 = staking.nodeStake(nodeId);
        uint256 selfCut = s0.selfBond * bps / 10_000;
        uint256 poolCut = s0.delegated * bps / 10_000;
        uint256 unbondingCut = s0.unbonding * bps / 10_000;
        assertEq(s1.selfBond, s0.selfBond - selfCut);
        assertEq(nodes.node(nodeId).stake, s0.selfBond - selfCut);
        assertEq(s1.delegated, s0.delegated - poolCut);
        assertEq(s1.unbonding, s0.unbonding - unbondingCut);
        assertEq(sahara.balanceOf(treasury), selfCut + poolCut + unbondingCut);
        assertEq(sahara.balanceOf(address(staking)), s1.delegated + s1.unbonding);
        assertEq(sahara.balanceOf(address(nodes)), s1.selfBond);
        assertEq(
            sahara.balanceOf(address(staking)) + sahara.balanceOf(address(nodes)) + sahara.balanceOf(treasury), total0
        );
    }

    // ---------------------------------------------------------------- 3: pausing

    function test_pause_stopsDelegationsOnly() public {
        address guardian = makeAddr("guardian");
        vm.expectEmit(address(staking));
        emit ProtocolModule.PauserSet(guardian, true);
        vm.prank(admin);
        staking.setPauser(guardian, true);
        assertTrue(staking.isPauser(guardian));
        _delegate(alice, nodeId, 1000e18);
        _notify(address(usdt), 1000e6);

        vm.expectRevert(abi.encodeWithSelector(ProtocolModule.NotPauser.selector, alice));
        vm.prank(alice);
        staking.pause();
        vm.prank(guardian);
        staking.pause();
        assertTrue(staking.paused());

        vm.startPrank(bob);
        sahara.approve(address(staking), 1e18);
        vm.expectRevert(PausableUpgradeable.EnforcedPause.selector);
        staking.delegate(nodeId, 1e18);
        vm.stopPrank();

        // exits, claims, fees and slashing stay open
        vm.startPrank(alice);
        staking.undelegate(nodeId, 400e18);
        staking.claimRewards(nodeId);
        vm.stopPrank();
        assertGt(usdt.balanceOf(alice), 0);
        _notify(address(usdt), 1000e6);
        vm.warp(block.timestamp + STAKE_UNBONDING);
        vm.prank(alice);
        assertEq(staking.withdrawUnbonded(nodeId), 400e18);
        (Receipt memory a, Receipt memory b,) = _channelWithReceipts();
        staking.slashForEquivocation(_evidenceSingle(a, 1, nodeSignerKey), _evidenceSingle(b, 2, nodeSignerKey));
        assertTrue(staking.isJailed(nodeId));

        // only the owner resumes
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", guardian));
        vm.prank(guardian);
        staking.unpause();
        vm.prank(admin);
        staking.unpause();
        vm.expectRevert(PausableUpgradeable.ExpectedPause.selector);
        vm.prank(admin);
        staking.unpause();
        _delegate(bob, node2Delegatable(), 1e18);
    }

    /// @dev A second, unjailed node to show delegation works again after unpausing.
    function node2Delegatable() internal returns (uint256 id) {
        (, id) = _newNode("op3", MIN_STAKE);
    }
}
