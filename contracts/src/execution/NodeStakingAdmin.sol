// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {INodeStaking} from "../interfaces/INodeStaking.sol";
import {INodeRegistry} from "../interfaces/INodeRegistry.sol";
import {IPaymentChannels} from "../interfaces/IPaymentChannels.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {NodeStakingStorage} from "./NodeStakingStorage.sol";

/// @title NodeStakingAdmin
/// @notice The initializer and owner settings of NodeStaking (split out so NodeStaking's runtime
///         code stays under the 24 KiB limit with pausing). Runs only by delegatecall from
///         NodeStaking's `initialize` and `onlyOwner` entry points, on NodeStaking's storage; the
///         caller did the access control (initializer / onlyOwner / nonReentrant) before.
/// @dev Has no access control of its own on purpose: called directly, it only writes its own
///      (meaningless) storage. Same selectors as INodeStaking, so NodeStaking forwards calldata.
contract NodeStakingAdmin is NodeStakingStorage {
    /// @notice NodeStaking.initialize after the owner was set (`admin` is not used here).
    function initialize(
        address,
        address registry_,
        address channels_,
        address treasury_,
        uint64 unbondingDelay_,
        uint64 commissionDelay_,
        uint16 maxCommissionBps_,
        uint16 equivocationSlashBps_,
        uint64 jailPeriod_
    ) external {
        if (registry_ == address(0) || channels_ == address(0)) revert INodeStaking.ZeroAddress();
        _registry = INodeRegistry(registry_);
        _channels = IPaymentChannels(channels_);
        address stake = INodeRegistry(registry_).stakeToken();
        _stakeToken = IERC20(stake);
        _setTreasury(treasury_);
        _setUnbondingDelay(unbondingDelay_);
        _setCommissionDelay(commissionDelay_);
        _setMaxCommissionBps(maxCommissionBps_);
        _setEquivocationSlashBps(equivocationSlashBps_);
        _setJailPeriod(jailPeriod_);
        _addRewardToken(stake);
        _emissionLast = uint64(block.timestamp);
    }

    /// @notice INodeStaking.addRewardToken (owner checked by NodeStaking).
    function addRewardToken(address token) external {
        _releaseEmissions();
        _addRewardToken(token);
    }

    /// @notice INodeStaking.setEmissionSchedule (owner and reentrancy checked by NodeStaking).
    function setEmissionSchedule(uint256 ratePerSecond, uint64 start, uint64 end) external {
        if (ratePerSecond > type(uint128).max) revert INodeStaking.SettingOutOfRange(ratePerSecond, type(uint128).max);
        if (ratePerSecond != 0 && end <= start) revert INodeStaking.InvalidSchedule(start, end);
        _releaseEmissions();
        _emissionRate = uint128(ratePerSecond);
        _emissionStart = start;
        _emissionEnd = end;
        emit INodeStaking.EmissionScheduleSet(ratePerSecond, start, end);
    }

    /// @notice INodeStaking.setTreasury (owner checked by NodeStaking).
    function setTreasury(address treasury_) external {
        _setTreasury(treasury_);
    }

    /// @notice INodeStaking.setUnbondingDelay (owner checked by NodeStaking).
    function setUnbondingDelay(uint64 delay) external {
        _setUnbondingDelay(delay);
    }

    /// @notice INodeStaking.setCommissionDelay (owner checked by NodeStaking).
    function setCommissionDelay(uint64 delay) external {
        _setCommissionDelay(delay);
    }

    /// @notice INodeStaking.setMaxCommissionBps (owner checked by NodeStaking).
    function setMaxCommissionBps(uint16 bps) external {
        _setMaxCommissionBps(bps);
    }

    /// @notice INodeStaking.setEquivocationSlashBps (owner checked by NodeStaking).
    function setEquivocationSlashBps(uint16 bps) external {
        _setEquivocationSlashBps(bps);
    }

    /// @notice INodeStaking.setJailPeriod (owner checked by NodeStaking).
    function setJailPeriod(uint64 period) external {
        _setJailPeriod(period);
    }

    function _addRewardToken(address token) private {
        if (token == address(0)) revert INodeStaking.ZeroAddress();
        uint256 count = _rewardTokenCount;
        for (uint256 i; i < count; ++i) {
            if (_tokens[i] == token) revert INodeStaking.RewardTokenExists(token);
        }
        if (count == MAX_REWARD_TOKENS) revert INodeStaking.TooManyRewardTokens();
        _tokens[count] = token;
        _rewardTokenCount = uint8(count + 1);
        emit INodeStaking.RewardTokenAdded(token, count);
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert INodeStaking.ZeroAddress();
        _treasury = treasury_;
        emit INodeStaking.TreasurySet(treasury_);
    }

    function _setUnbondingDelay(uint64 delay) private {
        if (delay > MAX_UNBONDING_DELAY) revert INodeStaking.SettingOutOfRange(delay, MAX_UNBONDING_DELAY);
        _unbondingDelay = delay;
        emit INodeStaking.UnbondingDelaySet(delay);
    }

    function _setCommissionDelay(uint64 delay) private {
        if (delay > MAX_COMMISSION_DELAY) revert INodeStaking.SettingOutOfRange(delay, MAX_COMMISSION_DELAY);
        _commissionDelay = delay;
        emit INodeStaking.CommissionDelaySet(delay);
    }

    function _setMaxCommissionBps(uint16 bps) private {
        if (bps > MAX_COMMISSION_BPS_LIMIT) revert INodeStaking.SettingOutOfRange(bps, MAX_COMMISSION_BPS_LIMIT);
        _maxCommissionBps = bps;
        emit INodeStaking.MaxCommissionBpsSet(bps);
    }

    function _setEquivocationSlashBps(uint16 bps) private {
        if (bps == 0 || bps > MAX_SLASH_BPS) revert INodeStaking.SettingOutOfRange(bps, MAX_SLASH_BPS);
        _equivocationSlashBps = bps;
        emit INodeStaking.EquivocationSlashBpsSet(bps);
    }

    function _setJailPeriod(uint64 period) private {
        if (period > MAX_JAIL_PERIOD) revert INodeStaking.SettingOutOfRange(period, MAX_JAIL_PERIOD);
        _jailPeriod = period;
        emit INodeStaking.JailPeriodSet(period);
    }
}
