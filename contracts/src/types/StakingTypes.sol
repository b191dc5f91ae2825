// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Receipt} from "./ExecutionTypes.sol";

/// @notice One half of equivocation evidence: a receipt, the batch it was committed in and the
///         node's EIP-712 ReceiptBatch(nodeId, root, sequence) signature over that batch
///         (PaymentChannels domain). leaf = sha256(abi.encode(receipt)); `proof` are the sorted-pair
///         sha256 siblings from the leaf to `root` (ReceiptMerkle).
struct ReceiptEvidence {
    Receipt receipt;
    bytes32 root;
    uint256 sequence;
    bytes32[] proof;
    bytes signature;
}

/// @notice Staking state of one node as returned by `NodeStaking.nodeStake`.
/// @param operator        the node's operator (from NodeRegistry)
/// @param selfBond        the operator's bond in NodeRegistry as last synced
/// @param delegated       value of the delegation pool (SAHARA)
/// @param delegatedShares shares of the delegation pool
/// @param unbonding       value of the node's unbonding pool (SAHARA)
/// @param unbondingShares shares of the unbonding pool
/// @param weight          reward weight: selfBond + delegated while Active and not jailed, else 0
/// @param commissionBps   commission in force (before clamping to maxCommissionBps)
/// @param pendingCommissionBps  requested commission, effective at `commissionEffectiveAt`
/// @param commissionEffectiveAt 0 when no change is pending
/// @param jailedUntil     earliest unjail time (0 when never jailed)
/// @param jailed          whether the node is jailed (earns nothing, `NodeRegistry.isActive` false)
/// @param active          whether the node was Active in NodeRegistry at the last sync
struct NodeStake {
    address operator;
    uint256 selfBond;
    uint256 delegated;
    uint256 delegatedShares;
    uint256 unbonding;
    uint256 unbondingShares;
    uint256 weight;
    uint16 commissionBps;
    uint16 pendingCommissionBps;
    uint64 commissionEffectiveAt;
    uint64 jailedUntil;
    bool jailed;
    bool active;
}

/// @notice One entry of a delegator's unbonding queue at a node.
/// @param shares    shares of the node's unbonding pool (their value shrinks with slashes)
/// @param maturesAt when `withdrawUnbonded` pays it
struct UnbondingEntry {
    uint128 shares;
    uint64 maturesAt;
}
