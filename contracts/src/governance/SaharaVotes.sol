// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {IVotingPowerSource} from "../interfaces/IVotingPowerSource.sol";
import {INodeStaking} from "../interfaces/INodeStaking.sol";

/// @title SaharaVotes
/// @notice Voting power source for a governor once staking exists: SAHARA token votes plus staked
///         votes, so tokens moved into NodeStaking (delegations) or NodeRegistry (operator bonds)
///         keep their governance weight.
///         - getVotes / getPastVotes(account, t) = token votes (ERC20Votes delegation) + the
///           account's staked votes (checkpointed by NodeStaking; they always count for the staker's
///           own account: they are not re-delegatable through the token's `delegate`).
///         - getPastTotalSupply(t) = SAHARA supply at t (staked tokens are part of it: no double count).
///         - clock / CLOCK_MODE = the token's timestamp clock.
/// @dev Stateless and immutable: a new source means a new governor (see IVotingPowerSource).
///      Delegation is managed on the token; `delegate`/`delegateBySig` here always revert.
contract SaharaVotes is IVotingPowerSource {
    /// @notice Delegation is done on the SAHARA token, not here.
    error DelegationNotSupported();
    /// @notice A constructor argument is the zero address.
    error ZeroAddress();

    /// @notice The SAHARA token (ERC20Votes, timestamp clock).
    IERC5805 public immutable token;
    /// @notice The NodeStaking module whose staked votes are added.
    INodeStaking public immutable staking;

    /// @param token_ SAHARA token
    /// @param staking_ NodeStaking proxy
    constructor(IERC5805 token_, INodeStaking staking_) {
        if (address(token_) == address(0) || address(staking_) == address(0)) revert ZeroAddress();
        token = token_;
        staking = staking_;
    }

    /// @notice Current votes: token votes plus staked votes.
    /// @param account the voter
    /// @return votes now
    function getVotes(address account) external view returns (uint256) {
        return token.getVotes(account) + staking.getStakedVotes(account);
    }

    /// @notice Votes at a past timestamp: token votes plus staked votes, both checkpointed.
    /// @dev Reverts (the token's ERC5805FutureLookup) unless `timepoint` < clock().
    /// @param account the voter
    /// @param timepoint a Unix time in the past
    /// @return votes at `timepoint`
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256) {
        return token.getPastVotes(account, timepoint) + staking.getPastStakedVotes(account, timepoint);
    }

    /// @notice SAHARA supply at a past timestamp (the quorum base; staked SAHARA is part of it).
    /// @param timepoint a Unix time in the past
    /// @return total supply at `timepoint`
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256) {
        return token.getPastTotalSupply(timepoint);
    }

    /// @notice The token delegatee of `account` (staked votes always count for `account` itself).
    /// @param account the delegator
    /// @return delegatee on the token
    function delegates(address account) external view returns (address) {
        return token.delegates(account);
    }

    /// @notice Always reverts: delegate on the SAHARA token.
    function delegate(address) external pure {
        revert DelegationNotSupported();
    }

    /// @notice Always reverts: delegate on the SAHARA token.
    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) external pure {
        revert DelegationNotSupported();
    }

    /// @notice ERC-6372 clock: the token's timestamp clock.
    /// @return uint48(block.timestamp)
    function clock() external view returns (uint48) {
        return token.clock();
    }

    /// @notice ERC-6372 clock description.
    /// @return the token's mode ("mode=timestamp")
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external view returns (string memory) {
        return token.CLOCK_MODE();
    }
}
