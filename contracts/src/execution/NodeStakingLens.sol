// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {INodeStaking} from "../interfaces/INodeStaking.sol";
import {NodeStakingStorage} from "./NodeStakingStorage.sol";
import {NodeStake, UnbondingEntry} from "../types/StakingTypes.sol";

/// @title NodeStakingLens
/// @notice The heavier views of NodeStaking (split out so NodeStaking's runtime code stays under
///         the 24 KiB limit). Runs only by delegatecall from NodeStaking's fallback, on NodeStaking's
///         storage; it has no state-changing function. See INodeStaking for each view.
contract NodeStakingLens is NodeStakingStorage {
    using Checkpoints for Checkpoints.Trace208;

    /// @notice INodeStaking.nodeStake (run on NodeStaking's storage).
    function nodeStake(uint256 nodeId) external view returns (NodeStake memory s) {
        NodeState storage n = _nodes[nodeId];
        s.operator = n.operator;
        s.selfBond = n.selfBond;
        s.delegated = n.pooled;
        s.delegatedShares = n.poolShares;
        s.unbonding = n.unbonding;
        s.unbondingShares = n.unbondShares;
        s.weight = n.weight;
        s.commissionBps = n.commissionBps;
        s.pendingCommissionBps = n.pendingCommissionBps;
        s.commissionEffectiveAt = n.commissionEffectiveAt;
        s.jailedUntil = n.jailedUntil;
        s.jailed = n.jailed;
        s.active = n.active;
    }

    /// @notice INodeStaking.delegation (run on NodeStaking's storage).
    function delegation(uint256 nodeId, address account) external view returns (uint256 shares, uint256 value) {
        NodeState storage n = _nodes[nodeId];
        shares = _delegators[nodeId][account].shares;
        value = shares == 0 ? 0 : Math.mulDiv(shares, n.pooled, n.poolShares);
    }

    /// @notice INodeStaking.pendingRewards (run on NodeStaking's storage).
    function pendingRewards(uint256 nodeId, address account) external view returns (uint256[] memory amounts) {
        NodeState storage n = _nodes[nodeId];
        Delegator storage d = _delegators[nodeId][account];
        uint256 count = _rewardTokenCount;
        amounts = new uint256[](count);
        uint256 released = _pendingEmission();
        for (uint256 i; i < count; ++i) {
            uint256 g = _global[i];
            if (i == 0 && released != 0) g += Math.mulDiv(released, PRECISION, _totalWeight);
            (uint256 commission, uint256 selfReward, uint256 poolReward) = _split(n, g - n.index[i]);
            uint256 rps = n.poolRps[i];
            if (n.poolShares != 0) rps += Math.mulDiv(poolReward, PRECISION, n.poolShares);
            else selfReward += poolReward;
            uint256 amt = d.pending[i] + Math.mulDiv(d.shares, rps - d.rps[i], PRECISION);
            if (account == n.operator) amt += n.operatorRewards[i] + commission + selfReward;
            amounts[i] = amt;
        }
    }

    /// @notice INodeStaking.unbondingEntries (run on NodeStaking's storage).
    function unbondingEntries(uint256 nodeId, address account)
        external
        view
        returns (UnbondingEntry[] memory entries, uint256[] memory values)
    {
        NodeState storage n = _nodes[nodeId];
        Delegator storage d = _delegators[nodeId][account];
        uint256 length = d.length;
        entries = new UnbondingEntry[](length);
        values = new uint256[](length);
        for (uint256 k; k < length; ++k) {
            UnbondingEntry memory e = d.entries[(uint256(d.head) + k) % MAX_UNBONDING_ENTRIES];
            entries[k] = e;
            values[k] = Math.mulDiv(e.shares, n.unbonding, n.unbondShares);
        }
    }

    /// @notice INodeStaking.rewardTokens (run on NodeStaking's storage).
    function rewardTokens() external view returns (address[] memory tokens) {
        uint256 count = _rewardTokenCount;
        tokens = new address[](count);
        for (uint256 i; i < count; ++i) {
            tokens[i] = _tokens[i];
        }
    }

    /// @notice INodeStaking.emissionSchedule (run on NodeStaking's storage).
    function emissionSchedule() external view returns (uint256, uint64, uint64, uint64) {
        return (_emissionRate, _emissionStart, _emissionEnd, _emissionLast);
    }

    /// @notice INodeStaking.getStakedVotes (run on NodeStaking's storage).
    function getStakedVotes(address account) external view returns (uint256) {
        return _votes[account].latest();
    }

    /// @notice INodeStaking.getPastStakedVotes (run on NodeStaking's storage).
    function getPastStakedVotes(address account, uint256 timepoint) external view returns (uint256) {
        uint48 now_ = uint48(block.timestamp);
        if (timepoint >= now_) revert INodeStaking.FutureLookup(timepoint, now_);
        return _votes[account].upperLookupRecent(uint48(timepoint));
    }

    /// @notice INodeStaking.totalWeight (run on NodeStaking's storage).
    function totalWeight() external view returns (uint256) {
        return _totalWeight;
    }

    /// @notice INodeStaking.totalDelegated (run on NodeStaking's storage).
    function totalDelegated() external view returns (uint256 pooled, uint256 unbonding) {
        return (_totalPooled, _totalUnbonding);
    }

    /// @notice INodeStaking.rewardsOutstanding (run on NodeStaking's storage).
    function rewardsOutstanding(address token) external view returns (uint256) {
        return _outstanding[_tokenIndex(token)];
    }

    /// @notice INodeStaking.rewardsUndistributed (run on NodeStaking's storage).
    function rewardsUndistributed(address token) external view returns (uint256) {
        return _undistributed[_tokenIndex(token)];
    }

    /// @notice INodeStaking.emissionReserve (run on NodeStaking's storage).
    function emissionReserve() external view returns (uint256) {
        return _emissionReserve;
    }

    /// @notice INodeStaking.evidenceUsed (run on NodeStaking's storage).
    function evidenceUsed(bytes32 evidenceKey) external view returns (bool) {
        return _evidenceUsed[evidenceKey];
    }

    /// @notice INodeStaking.stakeToken (run on NodeStaking's storage).
    function stakeToken() external view returns (address) {
        return address(_stakeToken);
    }

    /// @notice INodeStaking.treasury (run on NodeStaking's storage).
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @notice INodeStaking.unbondingDelay (run on NodeStaking's storage).
    function unbondingDelay() external view returns (uint64) {
        return _unbondingDelay;
    }

    /// @notice INodeStaking.commissionDelay (run on NodeStaking's storage).
    function commissionDelay() external view returns (uint64) {
        return _commissionDelay;
    }

    /// @notice INodeStaking.maxCommissionBps (run on NodeStaking's storage).
    function maxCommissionBps() external view returns (uint16) {
        return _maxCommissionBps;
    }

    /// @notice INodeStaking.equivocationSlashBps (run on NodeStaking's storage).
    function equivocationSlashBps() external view returns (uint16) {
        return _equivocationSlashBps;
    }

    /// @notice INodeStaking.jailPeriod (run on NodeStaking's storage).
    function jailPeriod() external view returns (uint64) {
        return _jailPeriod;
    }
}
