// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Test-side Merkle trees in the @openzeppelin/merkle-tree StandardMerkleTree format with
///         leaf encoding ["address","uint256"]: leaf = keccak256(keccak256(abi.encode(a, v))),
///         internal node = keccak256 of the sorted pair. `build` reproduces the library's exact
///         layout (leaves sorted by hash, array tree with leaves at the end in reverse order), so
///         its roots equal StandardMerkleTree.of(...).root (checked against a vector generated
///         with the npm package in the unit tests).
library StandardMerkle {
    function leaf(address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
    }

    function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32 h) {
        (bytes32 lo, bytes32 hi) = a < b ? (a, b) : (b, a);
        assembly ("memory-safe") {
            mstore(0x00, lo)
            mstore(0x20, hi)
            h := keccak256(0x00, 0x40)
        }
    }

    // ------------------------------------------------------------ StandardMerkleTree layout

    /// @dev The tree array of `leaves` (hashed leaves, any order): tree[0] is the root.
    function build(bytes32[] memory leaves) internal pure returns (bytes32[] memory tree) {
        uint256 n = leaves.length;
        require(n > 0, "StandardMerkle: no leaves");
        bytes32[] memory sorted = new bytes32[](n);
        for (uint256 i; i < n; ++i) sorted[i] = leaves[i];
        _sort(sorted, 0, int256(n) - 1);
        tree = new bytes32[](2 * n - 1);
        for (uint256 i; i < n; ++i) tree[tree.length - 1 - i] = sorted[i];
        for (uint256 i = tree.length - n; i > 0; --i) {
            tree[i - 1] = hashPair(tree[2 * i - 1], tree[2 * i]);
        }
    }

    /// @dev Proof of `leafHash` in `tree` (reverts if absent).
    function proof(bytes32[] memory tree, bytes32 leafHash) internal pure returns (bytes32[] memory p) {
        uint256 index = type(uint256).max;
        uint256 firstLeaf = tree.length / 2;
        for (uint256 i = firstLeaf; i < tree.length; ++i) {
            if (tree[i] == leafHash) {
                index = i;
                break;
            }
        }
        require(index != type(uint256).max, "StandardMerkle: leaf not in tree");
        uint256 depth;
        for (uint256 i = index; i > 0; i = (i - 1) / 2) ++depth;
        p = new bytes32[](depth);
        for (uint256 k; index > 0; ++k) {
            p[k] = tree[index % 2 == 1 ? index + 1 : index - 1];
            index = (index - 1) / 2;
        }
    }

    /// @dev Sorted-pair verification, written independently of OpenZeppelin's MerkleProof.
    function verify(bytes32[] memory p, bytes32 root, bytes32 leafHash) internal pure returns (bool) {
        bytes32 h = leafHash;
        for (uint256 i; i < p.length; ++i) h = hashPair(h, p[i]);
        return h == root;
    }

    // ------------------------------------------------------------ large perfect trees

    /// @dev Root of a perfect tree over `leaves` (length a power of two, in the given order) and
    ///      the proof of leaves[index]; hashes level by level in place (destroys `leaves`), so
    ///      memory stays at one word per leaf. Used for the depth-17 gas test.
    function perfectRootAndProof(bytes32[] memory leaves, uint256 index)
        internal
        pure
        returns (bytes32 root, bytes32[] memory p)
    {
        uint256 n = leaves.length;
        require(n > 0 && n & (n - 1) == 0, "StandardMerkle: not a power of two");
        uint256 depth;
        while ((uint256(1) << depth) < n) ++depth;
        p = new bytes32[](depth);
        for (uint256 level; level < depth; ++level) {
            p[level] = leaves[index ^ 1];
            n /= 2;
            for (uint256 i; i < n; ++i) leaves[i] = hashPair(leaves[2 * i], leaves[2 * i + 1]);
            index /= 2;
        }
        root = leaves[0];
    }

    /// @dev Quicksort ascending by hash value (StandardMerkleTree sorts leaves this way).
    function _sort(bytes32[] memory a, int256 lo, int256 hi) private pure {
        while (lo < hi) {
            bytes32 pivot = a[uint256(lo + (hi - lo) / 2)];
            int256 i = lo;
            int256 j = hi;
            while (i <= j) {
                while (a[uint256(i)] < pivot) ++i;
                while (a[uint256(j)] > pivot) --j;
                if (i <= j) {
                    (a[uint256(i)], a[uint256(j)]) = (a[uint256(j)], a[uint256(i)]);
                    ++i;
                    --j;
                }
            }
            // Recurse into the smaller side, loop on the larger (bounded stack depth).
            if (j - lo < hi - i) {
                _sort(a, lo, j);
                lo = i;
            } else {
                _sort(a, i, hi);
                hi = j;
            }
        }
    }
}
