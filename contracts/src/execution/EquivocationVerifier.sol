// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {INodeStaking} from "../interfaces/INodeStaking.sol";
import {INodeRegistry} from "../interfaces/INodeRegistry.sol";
import {IPaymentChannels} from "../interfaces/IPaymentChannels.sol";
import {ReceiptMerkle} from "../libraries/ReceiptMerkle.sol";
import {Receipt} from "../types/ExecutionTypes.sol";
import {ReceiptEvidence} from "../types/StakingTypes.sol";

/// @title EquivocationVerifier
/// @notice Stateless checker of slashing evidence for NodeStaking (split out so NodeStaking's
///         runtime code stays under the 24 KiB limit). Created by the NodeStaking implementation's
///         constructor; reads the registry and the PaymentChannels domain of its caller.
/// @dev Reverts with INodeStaking's errors; NodeStaking bubbles them up unchanged. A batch
///      signature counts when NodeRegistry.isReceiptSigner accepts its signer: the operator, the
///      current signer or a signer rotated away within the slashing window (a key rotation does
///      not void evidence; a leaked old key cannot forge evidence after the window).
contract EquivocationVerifier {
    /// @notice Checks that `a` and `b` prove the node signed two different receipts for the same
    ///         (channelId != 0, assetId, lane, index): see INodeStaking.slashForEquivocation.
    /// @return nodeId the equivocating node
    /// @return key keccak256 of the sorted leaf pair (marks the evidence as used)
    function check(ReceiptEvidence calldata a, ReceiptEvidence calldata b)
        external
        view
        returns (uint256 nodeId, bytes32 key)
    {
        (nodeId, key) = _conflict(a, b);
        INodeStaking staking = INodeStaking(msg.sender);
        IPaymentChannels channels = IPaymentChannels(staking.paymentChannels());
        INodeRegistry registry = INodeRegistry(staking.nodeRegistry());
        _checkSignature(channels, registry, nodeId, a);
        _checkSignature(channels, registry, nodeId, b);
    }

    /// @notice Checks that `signed` is a receipt the node signed (as in `check`) and `settled` a
    ///         different receipt for the same (channelId != 0, assetId, lane, index) under a receipts
    ///         root that PaymentChannels recorded for the same node's settlement: see
    ///         INodeStaking.slashForSettlementContradiction. `settled.sequence` and
    ///         `settled.signature` are not read.
    /// @return nodeId the contradicting node
    /// @return key keccak256 of the sorted leaf pair (shared with equivocation evidence)
    function checkContradiction(ReceiptEvidence calldata signed, ReceiptEvidence calldata settled)
        external
        view
        returns (uint256 nodeId, bytes32 key)
    {
        (nodeId, key) = _conflict(signed, settled);
        INodeStaking staking = INodeStaking(msg.sender);
        IPaymentChannels channels = IPaymentChannels(staking.paymentChannels());
        // Only the node's operator or signer can record a root under its id (PaymentChannels.settle
        // checks it; a copied root stays with its first recorder), so the record is the node's word.
        (uint256 recordedBy,,) = channels.receiptsRecorded(settled.root);
        if (recordedBy != nodeId) revert INodeStaking.RootNotRecordedByNode(settled.root, recordedBy);
        _checkSignature(channels, INodeRegistry(staking.nodeRegistry()), nodeId, signed);
    }

    /// @dev Same node, channel (not 0), asset, lane and index, different leaves, each proven under
    ///      its root. Returns the node and the order-independent key of the leaf pair.
    function _conflict(ReceiptEvidence calldata a, ReceiptEvidence calldata b)
        private
        view
        returns (uint256 nodeId, bytes32 key)
    {
        Receipt calldata ra = a.receipt;
        Receipt calldata rb = b.receipt;
        nodeId = ra.nodeId;
        if (rb.nodeId != nodeId) revert INodeStaking.InvalidEvidence(0);
        if (ra.channelId == 0 || rb.channelId != ra.channelId) revert INodeStaking.InvalidEvidence(1);
        if (rb.assetId != ra.assetId) revert INodeStaking.InvalidEvidence(2);
        if (rb.lane != ra.lane) revert INodeStaking.InvalidEvidence(3);
        if (rb.index != ra.index) revert INodeStaking.InvalidEvidence(4);
        bytes32 leafA = ReceiptMerkle.leaf(ra);
        bytes32 leafB = ReceiptMerkle.leaf(rb);
        if (leafA == leafB) revert INodeStaking.InvalidEvidence(5);
        if (!ReceiptMerkle.verify(a.root, leafA, a.proof) || !ReceiptMerkle.verify(b.root, leafB, b.proof)) {
            revert INodeStaking.InvalidReceiptProof();
        }
        key = leafA < leafB ? keccak256(abi.encode(leafA, leafB)) : keccak256(abi.encode(leafB, leafA));
    }

    function _checkSignature(
        IPaymentChannels channels,
        INodeRegistry registry,
        uint256 nodeId,
        ReceiptEvidence calldata e
    ) private view {
        bytes32 digest = channels.receiptBatchDigest(nodeId, e.root, e.sequence);
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, e.signature);
        if (err != ECDSA.RecoverError.NoError || !registry.isReceiptSigner(nodeId, recovered)) {
            revert INodeStaking.InvalidBatchSignature(recovered);
        }
    }
}
