// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title VestingMath
/// @notice The one linear-with-cliff formula shared by VestingVault and MerkleAirdrop (and
///         mirrored exactly, floor division included, by the SDK's tokenomics schedule).
library VestingMath {
    /// @notice Tokens of `amount` vested at `t` for a schedule starting at `start`:
    ///         0 if t < start + cliff; amount if t >= start + duration; else
    ///         floor(amount * (t - start) / duration).
    /// @dev Callers guarantee cliff <= duration. duration == 0 (with cliff == 0) vests everything
    ///      at `start` without dividing by zero. amount < 2^128 and t - start < duration < 2^64
    ///      keep the product far below 2^256.
    function linear(uint256 amount, uint256 start, uint256 cliff, uint256 duration, uint256 t)
        internal
        pure
        returns (uint256)
    {
        if (t < start + cliff) return 0;
        if (t >= start + duration) return amount;
        return amount * (t - start) / duration;
    }
}
