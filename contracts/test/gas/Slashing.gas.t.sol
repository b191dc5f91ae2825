// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StakingFixture} from "../utils/StakingFixture.sol";
import {Receipt, SettleEntry} from "../../src/types/ExecutionTypes.sol";
import {ReceiptEvidence} from "../../src/types/StakingTypes.sol";

/// @notice Gas of the two evidence entry points on a node with a delegation and an unbonding
///         (both pools cut), realistic evidence: a receipt in a 2-leaf signed group, and for the
///         contradiction a receipt proven through its group to a 2-group settlement root.
/// @dev `forge test --match-contract SlashingGasTest --isolate -vv` prints each call as a whole
///      transaction (`slash <kind>: <gas>`); .gas-snapshot meters the whole test.
contract SlashingGasTest is StakingFixture {
    event log_named_uint(string key, uint256 val);

    Receipt internal a;
    Receipt internal b;
    Receipt internal other;

    function setUp() public override {
        super.setUp();
        _delegate(alice, nodeId, 1000e18);
        vm.prank(alice);
        staking.undelegate(nodeId, 300e18);
        uint256 channelId = _open(100e6);
        a = _receipt(nodeId, channelId, 7, keccak256("result A"));
        b = _receipt(nodeId, channelId, 7, keccak256("result B"));
        other = _receipt(nodeId, channelId, 6, keccak256("earlier"));
    }

    function test_gas_slashForEquivocation() public {
        ReceiptEvidence memory ea = _evidenceInPair(a, other, 1, nodeSignerKey);
        ReceiptEvidence memory eb = _evidenceInPair(b, other, 2, nodeSignerKey);
        staking.slashForEquivocation(ea, eb);
        emit log_named_uint("slash slashForEquivocation", vm.lastCallGas().gasTotalUsed);
        assertTrue(staking.isJailed(nodeId));
    }

    function test_gas_slashForSettlementContradiction() public {
        ReceiptEvidence memory signed = _evidenceInPair(a, other, 1, nodeSignerKey);
        bytes32 group = _pair(_leaf(b), _leaf(other));
        bytes32 otherGroup = keccak256("another group");
        bytes32 root = _pair(group, otherGroup);
        bytes32[] memory proof = new bytes32[](2);
        proof[0] = _leaf(other);
        proof[1] = otherGroup;
        ReceiptEvidence memory settled = ReceiptEvidence({receipt: b, root: root, sequence: 0, proof: proof, signature: ""});
        vm.prank(nodeSigner);
        channels.settle(nodeId, address(usdt), new SettleEntry[](0), root, 4);
        staking.slashForSettlementContradiction(signed, settled);
        emit log_named_uint("slash slashForSettlementContradiction", vm.lastCallGas().gasTotalUsed);
        assertTrue(staking.isJailed(nodeId));
    }
}
