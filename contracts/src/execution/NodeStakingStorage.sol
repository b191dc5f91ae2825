// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {INodeStaking} from "../interfaces/INodeStaking.sol";
import {INodeRegistry} from "../interfaces/INodeRegistry.sol";
import {IPaymentChannels} from "../interfaces/IPaymentChannels.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {UnbondingEntry} from "../types/StakingTypes.sol";

/// @title NodeStakingStorage
/// @notice Constants, storage layout and shared helpers of NodeStaking, inherited by NodeStaking,
///         NodeStakingLens and NodeStakingAdmin so the helpers (run by delegatecall) use the same slots.
/// @dev Declares only plain storage starting at slot 0 (ProtocolModule's bases use namespaces).
///      Append-only across upgrades.
abstract contract NodeStakingStorage {
    /// @notice Reward tokens at most (SAHARA is always index 0).
    uint256 public constant MAX_REWARD_TOKENS = 4;
    /// @notice Pending unbonding entries per delegator and node at most.
    uint256 public constant MAX_UNBONDING_ENTRIES = 16;
    /// @notice Bounds of the admin settings.
    uint64 public constant MAX_UNBONDING_DELAY = 365 days;
    uint64 public constant MAX_COMMISSION_DELAY = 90 days;
    uint64 public constant MAX_JAIL_PERIOD = 365 days;
    uint16 public constant MAX_COMMISSION_BPS_LIMIT = 10_000;
    /// @notice Largest slash, in bps of a node's stake, by evidence or by governance. Below 100% so
    ///         a pool holding value keeps value (its share price never reaches zero).
    uint16 public constant MAX_SLASH_BPS = 5000;
    /// @notice Fixed-point base of the reward indexes.
    uint256 internal constant PRECISION = 1e36;
    uint256 internal constant BPS = 10_000;

    /// @dev Per node. Slots: [operator 160 | commissionBps 16 | pendingCommissionBps 16 |
    ///      commissionEffectiveAt 64] [selfBond 128 | weight 128] [pooled 128 | poolShares 128]
    ///      [unbonding 128 | unbondShares 128] [jailedUntil 64 | jailed 8 | active 8]
    ///      then index[4], poolRps[4], operatorRewards[4].
    struct NodeState {
        address operator;
        uint16 commissionBps;
        uint16 pendingCommissionBps;
        uint64 commissionEffectiveAt;
        uint128 selfBond;
        uint128 weight;
        uint128 pooled;
        uint128 poolShares;
        uint128 unbonding;
        uint128 unbondShares;
        uint64 jailedUntil;
        bool jailed;
        bool active;
        uint256[MAX_REWARD_TOKENS] index;
        uint256[MAX_REWARD_TOKENS] poolRps;
        uint256[MAX_REWARD_TOKENS] operatorRewards;
    }

    /// @dev Per (node, delegator). Slots: [shares 128 | votes 128] [head 8 | length 8]
    ///      then entries[16] (one slot each), rps[4], pending[4]. `votes` is the value of the
    ///      shares as of the delegator's last action (what its staked votes count).
    struct Delegator {
        uint128 shares;
        uint128 votes;
        uint8 head;
        uint8 length;
        UnbondingEntry[MAX_UNBONDING_ENTRIES] entries;
        uint256[MAX_REWARD_TOKENS] rps;
        uint256[MAX_REWARD_TOKENS] pending;
    }

    // slot 0
    IERC20 internal _stakeToken;
    // slot 1
    INodeRegistry internal _registry;
    // slot 2
    IPaymentChannels internal _channels;
    // slot 3: treasury 160 | unbondingDelay 64 | rewardTokenCount 8
    address internal _treasury;
    uint64 internal _unbondingDelay;
    uint8 internal _rewardTokenCount;
    // slot 4: commissionDelay 64 | jailPeriod 64 | maxCommissionBps 16 | equivocationSlashBps 16
    uint64 internal _commissionDelay;
    uint64 internal _jailPeriod;
    uint16 internal _maxCommissionBps;
    uint16 internal _equivocationSlashBps;
    // slot 5
    uint256 internal _totalWeight;
    // slot 6: pooled 128 | unbonding 128 (all nodes)
    uint128 internal _totalPooled;
    uint128 internal _totalUnbonding;
    // slot 7: emission rate 128 | start 64 | end 64
    uint128 internal _emissionRate;
    uint64 internal _emissionStart;
    uint64 internal _emissionEnd;
    // slot 8: last emission update 64 | emission reserve 192
    uint64 internal _emissionLast;
    uint192 internal _emissionReserve;
    // slots 9..24
    address[MAX_REWARD_TOKENS] internal _tokens;
    uint256[MAX_REWARD_TOKENS] internal _global;
    uint256[MAX_REWARD_TOKENS] internal _outstanding;
    uint256[MAX_REWARD_TOKENS] internal _undistributed;
    mapping(uint256 nodeId => NodeState) internal _nodes;
    mapping(uint256 nodeId => mapping(address account => Delegator)) internal _delegators;
    mapping(address account => Checkpoints.Trace208) internal _votes;
    mapping(bytes32 evidenceKey => bool) internal _evidenceUsed;


    /// @dev Splits a node's reward for an index delta into commission, self-bond and pool parts.
    function _split(NodeState storage n, uint256 delta)
        internal
        view
        returns (uint256 commission, uint256 selfReward, uint256 poolReward)
    {
        uint256 weight = n.weight;
        if (weight == 0 || delta == 0) return (0, 0, 0);
        uint256 reward = Math.mulDiv(delta, weight, PRECISION);
        if (reward == 0) return (0, 0, 0);
        uint256 bps = n.commissionBps;
        uint256 pendingAt = n.commissionEffectiveAt;
        // An index delta straddling a due change cannot be split by time: the lower rate applies,
        // so a delegator never pays a raised commission on rewards from before it was due.
        if (pendingAt != 0 && block.timestamp >= pendingAt) bps = Math.min(bps, n.pendingCommissionBps);
        bps = Math.min(bps, _maxCommissionBps);
        commission = reward * bps / BPS;
        uint256 rest = reward - commission;
        // weight == selfBond + pooled whenever it is non-zero
        selfReward = Math.mulDiv(rest, n.selfBond, weight);
        poolReward = rest - selfReward;
    }

    /// @dev Emission due since the last release, capped by the reserve; 0 while nothing is staked
    ///      (the schedule's time then passes without paying: the reserve keeps it).
    function _pendingEmission() internal view returns (uint256 amount) {
        uint256 rate = _emissionRate;
        if (rate == 0 || _totalWeight == 0) return 0;
        uint256 from = Math.max(_emissionLast, _emissionStart);
        uint256 to = Math.min(block.timestamp, _emissionEnd);
        if (to <= from) return 0;
        amount = Math.min((to - from) * rate, _emissionReserve);
    }

    /// @dev Streams due emissions into SAHARA's global index. O(1); runs before any weight change.
    function _releaseEmissions() internal {
        if (_emissionLast == block.timestamp) return;
        uint256 amount = _pendingEmission();
        _emissionLast = uint64(block.timestamp);
        if (amount == 0) return;
        unchecked {
            _emissionReserve -= uint192(amount);
        }
        _outstanding[0] += amount;
        _global[0] += Math.mulDiv(amount, PRECISION, _totalWeight);
        emit INodeStaking.EmissionsReleased(amount, uint64(block.timestamp));
    }

    function _tokenIndex(address token) internal view returns (uint256) {
        uint256 count = _rewardTokenCount;
        for (uint256 i; i < count; ++i) {
            if (_tokens[i] == token) return i;
        }
        revert INodeStaking.NotRewardToken(token);
    }
}
