// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";

/// @title IVotingPowerSource
/// @notice Where SaharaGovernor reads voting power and the quorum base from: an ERC-5805 votes
///         source with an ERC-6372 *timestamp* clock ("mode=timestamp").
/// @dev SaharaToken itself, or (with node staking) the SaharaVotes aggregator, whose
///      - `getPastVotes(account, t)` = token votes at `t` + staked votes at `t` (both checkpointed, so
///        power is always read at the proposal snapshot and cannot be flash-borrowed),
///      - `getPastTotalSupply(t)` = the SAHARA supply at `t` (staked tokens are still part of it, so
///        the quorum base does not double count),
///      - `clock()`/`CLOCK_MODE()` = the token's timestamp clock.
///      The governor holds its source immutably: switching source means deploying a new governor on
///      the aggregator and moving the timelock's PROPOSER/CANCELLER roles to it by a proposal, so a
///      source can never change under a live proposal.
interface IVotingPowerSource is IERC5805 {}
