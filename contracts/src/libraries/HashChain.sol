// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title HashChain
/// @notice sha256 hash chains (PayWord-style): a client draws a random s_n and publishes the
///         anchor s_0 = sha256^n(s_n) in a signed voucher; revealing s_m proves m units were paid.
/// @dev Uses the sha256 precompile (address 0x02) on 32-byte inputs: ~170 gas per step. The
///      number of steps is bounded by MAX_UNITS so a settlement entry costs at most ~0.7M gas.
library HashChain {
    /// @notice Longest chain that may be walked on-chain.
    uint256 internal constant MAX_UNITS = 4096;

    /// @notice `m` (at most MAX_UNITS) exceeds the bound.
    error ChainTooLong(uint256 units, uint256 max);

    /// @notice sha256 applied `m` times to `x` (m == 0 returns x).
    function iterate(bytes32 x, uint256 m) internal view returns (bytes32 out) {
        if (m > MAX_UNITS) revert ChainTooLong(m, MAX_UNITS);
        assembly ("memory-safe") {
            mstore(0x00, x)
            let ok := 1
            for { let i := 0 } lt(i, m) { i := add(i, 1) } {
                ok := and(ok, staticcall(gas(), 0x02, 0x00, 0x20, 0x00, 0x20))
            }
            // The precompile cannot fail on a 32-byte input unless it ran out of gas.
            if iszero(ok) { revert(0, 0) }
            out := mload(0x00)
        }
    }

    /// @notice Whether `x` is the m-th preimage of `anchor` (m == 0 is always true: no preimage).
    function verify(bytes32 anchor, bytes32 x, uint256 m) internal view returns (bool) {
        return m == 0 || iterate(x, m) == anchor;
    }
}
