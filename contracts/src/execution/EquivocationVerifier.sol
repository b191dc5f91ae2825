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
/// @notice Stateless checker of equivocation evidence for NodeStaking (split out so NodeStaking's
///         runtime code stays under the 24 KiB limit). Created by the NodeStaking implementation's
///         constructor; reads the registry and the PaymentChannels domain of its caller.
/// @dev Reverts with INodeStaking's errors; NodeStaking bubbles them up unchanged.
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
        INodeStaking staking = INodeStaking(msg.sender);
        IPaymentChannels channels = IPaymentChannels(staking.paymentChannels());
        (address operator, address signer) = INodeRegistry(staking.nodeRegistry()).authority(nodeId);
        _checkSignature(channels, nodeId, a, operator, signer);
        _checkSignature(channels, nodeId, b, operator, signer);
    }

    function _checkSignature(
        IPaymentChannels channels,
        uint256 nodeId,
        ReceiptEvidence calldata e,
        address operator,
        address signer
    ) private view {
        bytes32 digest = channels.receiptBatchDigest(nodeId, e.root, e.sequence);
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, e.signature);
        if (err != ECDSA.RecoverError.NoError || (recovered != signer && recovered != operator)) {
            revert INodeStaking.InvalidBatchSignature(recovered);
        }
    }
}
