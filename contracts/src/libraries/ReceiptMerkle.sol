// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Receipt} from "../types/ExecutionTypes.sol";

/// @title ReceiptMerkle
/// @notice sha256 Merkle trees of call receipts. leaf = sha256(abi.encode(11 receipt words))
///         (352 bytes, so a leaf can never be mistaken for a 64-byte internal node); internal
///         node = sha256(min(a, b) || max(a, b)) (sorted pairs, so a proof is just the siblings);
///         an odd node is promoted unchanged. Empty tree root = bytes32(0); one leaf: root = leaf.
library ReceiptMerkle {
    /// @notice The leaf of one receipt.
    function leaf(Receipt memory r) internal pure returns (bytes32) {
        return sha256(abi.encode(r));
    }

    /// @notice Hash of two sibling nodes in sorted order.
    function hashPair(bytes32 a, bytes32 b) internal view returns (bytes32 out) {
        assembly ("memory-safe") {
            switch lt(a, b)
            case 1 {
                mstore(0x00, a)
                mstore(0x20, b)
            }
            default {
                mstore(0x00, b)
                mstore(0x20, a)
            }
            if iszero(staticcall(gas(), 0x02, 0x00, 0x40, 0x00, 0x20)) { revert(0, 0) }
            out := mload(0x00)
        }
    }

    /// @notice The root reached from `leaf_` by hashing in the siblings of `proof`.
    function processProof(bytes32 leaf_, bytes32[] memory proof) internal view returns (bytes32 node) {
        node = leaf_;
        for (uint256 i; i < proof.length; ++i) {
            node = hashPair(node, proof[i]);
        }
    }

    /// @notice Whether `leaf_` is in the tree of `root` (never for the empty root).
    function verify(bytes32 root, bytes32 leaf_, bytes32[] memory proof) internal view returns (bool) {
        return root != bytes32(0) && processProof(leaf_, proof) == root;
    }
}
