// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReceiptEvidence, NodeStake, UnbondingEntry} from "../types/StakingTypes.sol";

/// @title INodeStaking
/// @notice Delegated staking of execution nodes (docs/protocol/staking.md).
///         - The operator's self bond stays in NodeRegistry; holders delegate SAHARA to a node's
///           share-based delegation pool. Undelegated value moves to the node's share-based
///           unbonding pool and is paid after `unbondingDelay` (bounded queue per delegator/node).
///         - Rewards (protocol fee share via `notifyFees`, plus SAHARA emissions streamed from the
///           reserve on a published schedule) are distributed by a two-level accumulator: a global
///           index per reward token over the total weight of Active, non-jailed nodes, and a
///           per-node index per delegation share after the operator's commission. Every operation
///           is O(1) in the number of delegators.
///         - Slashing (automatic on equivocation or settlement-contradiction evidence, or by the
///           owner/DAO) cuts the self bond, the delegation pool and the unbonding pool by the same
///           bps, sends it to the treasury and jails the node. `delegate` stops while paused.
///         - Staked SAHARA keeps its governance weight: `getPastStakedVotes` is read by SaharaVotes.
interface INodeStaking {
    // ------------------------------------------------------------------ events

    /// @notice `account` delegated `amount` SAHARA to `nodeId` for `shares` pool shares.
    event Delegated(uint256 indexed nodeId, address indexed account, uint256 amount, uint256 shares);
    /// @notice `account` burned `shares` worth `amount`; the amount unbonds as `unbondingShares`
    ///         of the node's unbonding pool until `maturesAt`.
    event Undelegated(
        uint256 indexed nodeId,
        address indexed account,
        uint256 shares,
        uint256 amount,
        uint256 unbondingShares,
        uint64 maturesAt
    );
    /// @notice `account` withdrew `amount` SAHARA of matured unbonding entries (`entries` of them).
    event UnbondedWithdrawn(uint256 indexed nodeId, address indexed account, uint256 amount, uint256 entries);
    /// @notice `account` (a delegator, or the operator for commission + self-bond rewards) was paid.
    event RewardsClaimed(uint256 indexed nodeId, address indexed account, address indexed token, uint256 amount);
    /// @notice A node accrued `reward` of `token`; `commission` went to the operator and the rest
    ///         was split between the self bond (`selfReward`, to the operator) and the pool.
    event NodeRewardsAccrued(
        uint256 indexed nodeId, address indexed token, uint256 reward, uint256 commission, uint256 selfReward
    );
    /// @notice `amount` of `token` entered the reward pot from `from` (fee share or donation).
    event FeesNotified(address indexed token, address indexed from, uint256 amount);
    /// @notice `amount` SAHARA was added to the emission reserve by `from`.
    event EmissionsFunded(address indexed from, uint256 amount);
    /// @notice The emission schedule: `ratePerSecond` SAHARA from `start` to `end` (published).
    event EmissionScheduleSet(uint256 ratePerSecond, uint64 start, uint64 end);
    /// @notice `amount` SAHARA of emissions was streamed from the reserve into the reward index.
    event EmissionsReleased(uint256 amount, uint64 until);
    /// @notice The synced state of a node after a touch (indexers rebuild weight from this).
    event NodeSynced(uint256 indexed nodeId, uint256 selfBond, uint256 weight, uint256 totalWeight);
    /// @notice The operator requested commission `bps`, effective at `effectiveAt`.
    event CommissionRequested(uint256 indexed nodeId, uint16 bps, uint64 effectiveAt);
    /// @notice A commission change took effect.
    event CommissionApplied(uint256 indexed nodeId, uint16 bps);
    /// @notice A node was slashed by `bps`: `selfCut` from the bond, `poolCut` from the delegation
    ///         pool, `unbondingCut` from the unbonding pool, all sent to `treasury`.
    event Slashed(
        uint256 indexed nodeId,
        uint16 bps,
        uint256 selfCut,
        uint256 poolCut,
        uint256 unbondingCut,
        address treasury,
        bytes32 reason
    );
    /// @notice Equivocation evidence `evidenceKey` was accepted against `nodeId` by `reporter`.
    event EquivocationProven(uint256 indexed nodeId, bytes32 indexed evidenceKey, address indexed reporter);
    /// @notice Settlement-contradiction evidence `evidenceKey` was accepted against `nodeId` by
    ///         `reporter`: a receipt the node signed and a different one it recorded on-chain.
    event SettlementContradictionProven(uint256 indexed nodeId, bytes32 indexed evidenceKey, address indexed reporter);
    /// @notice A node was jailed until `until`.
    event Jailed(uint256 indexed nodeId, uint64 until);
    /// @notice A node was unjailed by its operator.
    event Unjailed(uint256 indexed nodeId);
    /// @notice `account`'s staked votes changed to `votes`.
    event StakedVotesChanged(address indexed account, uint256 previous, uint256 votes);
    /// @notice Admin settings.
    event RewardTokenAdded(address indexed token, uint256 index);
    event TreasurySet(address treasury);
    event UnbondingDelaySet(uint64 delay);
    event CommissionDelaySet(uint64 delay);
    event MaxCommissionBpsSet(uint16 bps);
    event EquivocationSlashBpsSet(uint16 bps);
    event JailPeriodSet(uint64 period);

    // ------------------------------------------------------------------ errors

    error ZeroAddress();
    error ZeroAmount();
    /// @notice NodeRegistry has no node with this id.
    error UnknownNode(uint256 nodeId);
    /// @notice Only the node's operator may do this.
    error NotNodeOperator(uint256 nodeId, address caller);
    /// @notice Delegation needs an Active, non-jailed node.
    error NodeNotDelegatable(uint256 nodeId);
    /// @notice More shares than the caller holds.
    error InsufficientShares(uint256 requested, uint256 held);
    /// @notice The undelegated amount rounds to zero.
    error AmountRoundsToZero();
    /// @notice The delegator's unbonding queue at this node holds MAX_UNBONDING_ENTRIES entries.
    error UnbondingQueueFull(uint256 nodeId, address account);
    /// @notice No matured unbonding entry.
    error NothingToWithdraw();
    /// @notice The token is not a reward token.
    error NotRewardToken(address token);
    /// @notice The token is already a reward token.
    error RewardTokenExists(address token);
    /// @notice MAX_REWARD_TOKENS reached.
    error TooManyRewardTokens();
    /// @notice A commission above maxCommissionBps.
    error CommissionTooHigh(uint16 bps, uint16 maxBps);
    /// @notice An admin setting outside its bounds.
    error SettingOutOfRange(uint256 value, uint256 max);
    /// @notice The emission schedule is malformed (end <= start).
    error InvalidSchedule(uint64 start, uint64 end);
    /// @notice The node is not jailed.
    error NotJailed(uint256 nodeId);
    /// @notice The node is jailed (until `until`).
    error StillJailed(uint256 nodeId, uint64 until);
    /// @notice Unjail needs the self bond to be at least NodeRegistry.minStake().
    error SelfBondTooLow(uint256 selfBond, uint256 minStake);
    /// @notice The two receipts are not a conflicting pair (which check failed).
    error InvalidEvidence(uint8 check);
    /// @notice A Merkle proof does not lead to its batch root.
    error InvalidReceiptProof();
    /// @notice A batch signature is not from the node's signer or operator.
    error InvalidBatchSignature(address recovered);
    /// @notice The receipts root of settled evidence was not recorded on-chain by the node
    ///         (`recordedBy` is the node that recorded it, 0 when nobody did).
    error RootNotRecordedByNode(bytes32 root, uint256 recordedBy);
    /// @notice This evidence was already used.
    error EvidenceAlreadyUsed(bytes32 evidenceKey);
    /// @notice Only NodeRegistry may call this.
    error NotNodeRegistry(address caller);
    /// @notice ERC-5805: a timepoint not in the past.
    error FutureLookup(uint256 timepoint, uint48 clock);

    // ------------------------------------------------------------------ delegators

    /// @notice Delegates `amount` SAHARA (pulled from msg.sender) to an Active, non-jailed node.
    /// @return shares delegation pool shares minted
    function delegate(uint256 nodeId, uint256 amount) external returns (uint256 shares);

    /// @notice Burns `shares` of msg.sender's delegation; their value enters the node's unbonding
    ///         pool and a queue entry maturing after `unbondingDelay()` (at most
    ///         MAX_UNBONDING_ENTRIES pending per delegator and node). Rewards earned so far stay
    ///         claimable.
    /// @return amount SAHARA value moved to unbonding
    function undelegate(uint256 nodeId, uint256 shares) external returns (uint256 amount);

    /// @notice Pays msg.sender every matured unbonding entry at `nodeId` (after slashes).
    function withdrawUnbonded(uint256 nodeId) external returns (uint256 amount);

    /// @notice Pays msg.sender's rewards at `nodeId` in every reward token: as a delegator, plus,
    ///         when msg.sender is the operator, its commission and self-bond rewards.
    function claimRewards(uint256 nodeId) external returns (uint256[] memory amounts);

    // ------------------------------------------------------------------ operators

    /// @notice Requests a commission of `bps` (operator only, <= maxCommissionBps). Applies after
    ///         `commissionDelay()`, or at once while the pool has no delegation shares.
    function setCommission(uint256 nodeId, uint16 bps) external;

    /// @notice Unjails a node after `jailedUntil` (operator only; self bond >= NodeRegistry.minStake).
    function unjail(uint256 nodeId) external;

    /// @notice Re-reads the node's bond and status from NodeRegistry (accruing rewards at the old
    ///         weight first). NodeRegistry calls it on every bond change; anyone may call it.
    function onSelfBondChanged(uint256 nodeId) external;

    // ------------------------------------------------------------------ rewards

    /// @notice Pulls `amount` of a reward token from msg.sender into the staking rewards (the
    ///         treasury or a fee router; anyone may donate). Distributed over the current weight.
    function notifyFees(address token, uint256 amount) external;

    /// @notice Pulls `amount` SAHARA from msg.sender into the emission reserve.
    function fundEmissions(uint256 amount) external;

    /// @notice Sets the emission schedule (owner): `ratePerSecond` SAHARA from `start` to `end`,
    ///         streamed lazily and never beyond the reserve. Accrues the old schedule first.
    function setEmissionSchedule(uint256 ratePerSecond, uint64 start, uint64 end) external;

    // ------------------------------------------------------------------ slashing

    /// @notice Slashes and jails a node that signed two batches committing conflicting receipts
    ///         (same nodeId, same channelId != 0, assetId, lane and index, different leaves).
    ///         Anyone may submit; each pair of leaves slashes once.
    function slashForEquivocation(ReceiptEvidence calldata a, ReceiptEvidence calldata b) external;

    /// @notice Slashes and jails a node whose settlement recorded a receipt that contradicts one it
    ///         signed: `signed` is a receipt under a ReceiptBatch root the node signed (as in
    ///         `slashForEquivocation`); `settled` is a receipt proven under a receipts root that
    ///         `PaymentChannels.receiptsRecorded` attributes to the same node (`settled.root` = the
    ///         recorded root, `settled.proof` = leaf -> group root -> recorded root;
    ///         `settled.sequence` and `settled.signature` are ignored). Same (nodeId, channelId != 0,
    ///         assetId, lane, index), different leaves. Same slash, jail and evidence key as
    ///         equivocation, so a pair of leaves slashes once whichever way it is proven.
    function slashForSettlementContradiction(ReceiptEvidence calldata signed, ReceiptEvidence calldata settled)
        external;

    /// @notice Slashes `bps` of a node's stake and jails it (owner, i.e. the DAO timelock).
    function slash(uint256 nodeId, uint16 bps, bytes32 reason) external;

    // ------------------------------------------------------------------ admin

    function addRewardToken(address token) external;
    function setTreasury(address treasury) external;
    function setUnbondingDelay(uint64 delay) external;
    function setCommissionDelay(uint64 delay) external;
    function setMaxCommissionBps(uint16 bps) external;
    function setEquivocationSlashBps(uint16 bps) external;
    function setJailPeriod(uint64 period) external;

    // ------------------------------------------------------------------ views

    /// @notice Staking state of a node (as of the last touch; see `pendingRewards` for live rewards).
    function nodeStake(uint256 nodeId) external view returns (NodeStake memory);

    /// @notice A delegation: pool shares and their current SAHARA value.
    function delegation(uint256 nodeId, address account) external view returns (uint256 shares, uint256 value);

    /// @notice Rewards `account` could claim at `nodeId` now, per reward token (same order as
    ///         `rewardTokens()`), including operator rewards when `account` is the operator.
    function pendingRewards(uint256 nodeId, address account) external view returns (uint256[] memory);

    /// @notice `account`'s pending unbonding entries at `nodeId` with their current values.
    function unbondingEntries(uint256 nodeId, address account)
        external
        view
        returns (UnbondingEntry[] memory entries, uint256[] memory values);

    /// @notice Whether the node is jailed (NodeRegistry.isActive reads this).
    function isJailed(uint256 nodeId) external view returns (bool);

    function rewardTokens() external view returns (address[] memory);
    function totalWeight() external view returns (uint256);
    /// @notice SAHARA held for delegation pools and unbonding pools, all nodes.
    function totalDelegated() external view returns (uint256 pooled, uint256 unbonding);
    /// @notice Rewards received and not yet claimed, per token (claimable + rounding dust + undistributed).
    function rewardsOutstanding(address token) external view returns (uint256);
    /// @notice Part of `rewardsOutstanding` that arrived while nothing was staked and waits for the
    ///         next distribution of that token.
    function rewardsUndistributed(address token) external view returns (uint256);
    function emissionReserve() external view returns (uint256);
    function emissionSchedule() external view returns (uint256 ratePerSecond, uint64 start, uint64 end, uint64 lastUpdate);
    function evidenceUsed(bytes32 evidenceKey) external view returns (bool);

    function stakeToken() external view returns (address);
    function nodeRegistry() external view returns (address);
    function paymentChannels() external view returns (address);
    function treasury() external view returns (address);
    function unbondingDelay() external view returns (uint64);
    function commissionDelay() external view returns (uint64);
    function maxCommissionBps() external view returns (uint16);
    function equivocationSlashBps() external view returns (uint16);
    function jailPeriod() external view returns (uint64);

    /// @notice Staked votes of `account` now: its self bonds plus the principal it has delegated
    ///         (lowered by slashes at its next action at that node).
    function getStakedVotes(address account) external view returns (uint256);

    /// @notice Staked votes of `account` at a past timestamp (reverts FutureLookup otherwise).
    function getPastStakedVotes(address account, uint256 timepoint) external view returns (uint256);
}
