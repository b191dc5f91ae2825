// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {ProtocolModule} from "../utils/ProtocolModule.sol";
import {INodeStaking} from "../interfaces/INodeStaking.sol";
import {INodeRegistry} from "../interfaces/INodeRegistry.sol";
import {IPaymentChannels} from "../interfaces/IPaymentChannels.sol";
import {EquivocationVerifier} from "./EquivocationVerifier.sol";
import {NodeStakingStorage} from "./NodeStakingStorage.sol";
import {NodeStakingLens} from "./NodeStakingLens.sol";
import {NodeStakingAdmin} from "./NodeStakingAdmin.sol";
import {ReceiptEvidence, NodeStake, UnbondingEntry} from "../types/StakingTypes.sol";

/// @title NodeStaking
/// @notice Delegated staking, rewards, unbonding, slashing and jailing of execution nodes. See
///         INodeStaking and docs/protocol/staking.md.
/// @dev Rewards: a two-level accumulator, O(1) in the number of delegators.
///      Level 1, per reward token i: `_global[i]` += amount * PRECISION / totalWeight on every
///      fee notification and emission release. Level 2, per node, when touched:
///      reward = (global - node.index) * node.weight / PRECISION; the operator takes
///      commission = reward * commissionBps / 10_000; of the rest, selfBond / weight goes to the
///      operator (the self bond earns like a delegation) and the remainder raises the node's
///      `poolRps[i]` by poolReward * PRECISION / poolShares. A delegator's rewards are
///      shares * (poolRps - its snapshot) / PRECISION, settled before its shares change.
///      Every division rounds down, so what can be claimed never exceeds what was received; the
///      difference (dust, a few wei per distribution and node accrual) stays in `_outstanding`.
///      Token accounting (exact, per token): balance == pooled + unbonding (SAHARA only)
///      + _outstanding[i] + emission reserve (SAHARA only) + anything sent directly.
///      Plain storage, append-only across upgrades; layouts are commented per struct.
contract NodeStaking is ProtocolModule, NodeStakingStorage, INodeStaking {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using Checkpoints for Checkpoints.Trace208;

    /// @dev Stateless evidence checker, part of the implementation (not of the proxy's storage).
    EquivocationVerifier private immutable _verifier;
    /// @dev The heavier views, run on this contract's storage by delegatecall (see `_viaLens`).
    NodeStakingLens private immutable _lens;
    /// @dev The initializer and owner settings, run on this contract's storage by delegatecall
    ///      after the access checks (see `_viaAdmin`).
    NodeStakingAdmin private immutable _admin;
    /// @dev First 4 bytes of a static self-call routed to the lens by `fallback`.
    bytes4 private constant LENS_ROUTE = bytes4(keccak256("NodeStaking.lensRoute"));

    /// @custom:oz-upgrades-unsafe-allow constructor state-variable-immutable
    constructor() {
        _verifier = new EquivocationVerifier();
        _lens = new NodeStakingLens();
        _admin = new NodeStakingAdmin();
    }

    /// @notice Only routes LENS_ROUTE self-calls into NodeStakingLens (view code only, so even a
    ///         direct call cannot change state); anything else reverts.
    fallback() external {
        if (msg.sig != LENS_ROUTE) revert();
        address lens = address(_lens);
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := sub(calldatasize(), 4)
            calldatacopy(ptr, 4, size)
            let ok := delegatecall(gas(), lens, ptr, size, 0, 0)
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) { revert(ptr, returndatasize()) }
            return(ptr, returndatasize())
        }
    }

    /// @dev Answers the current view call from NodeStakingLens: a static call to this contract
    ///      (LENS_ROUTE + the original calldata) that `fallback` delegatecalls into the lens. Never
    ///      returns to the caller's Solidity code: it returns (or reverts) the lens result as is.
    function _viaLens() private view {
        bytes4 route = LENS_ROUTE;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, route)
            calldatacopy(add(ptr, 4), 0, calldatasize())
            let ok := staticcall(gas(), address(), ptr, add(calldatasize(), 4), 0, 0)
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) { revert(ptr, returndatasize()) }
            return(ptr, returndatasize())
        }
    }

    /// @dev Runs the current call's calldata in NodeStakingAdmin on this contract's storage and
    ///      returns normally (so the caller's modifiers finish: initializer, nonReentrant) or
    ///      bubbles its revert. Only called after the caller's access checks.
    function _viaAdmin() private {
        address admin = address(_admin);
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, 0, calldatasize())
            if iszero(delegatecall(gas(), admin, ptr, calldatasize(), 0, 0)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
        }
    }

    /// @notice Initializes the proxy. Parameters, in order: admin (owner: the deployer on the devnet,
    ///         the DAO timelock later), NodeRegistry proxy (its stake token is the staked and reward
    ///         token 0), PaymentChannels proxy (its EIP-712 domain signs receipt batches), treasury
    ///         (receiver of slashed stake), delegation unbonding delay (21 days by default; short on
    ///         the devnet), delay of commission changes (7 days by default), highest commission
    ///         (5000 by default), slash on evidence (at most MAX_SLASH_BPS), jail period.
    /// @dev Sets the owner here, the rest in NodeStakingAdmin.initialize (same calldata).
    function initialize(address admin, address, address, address, uint64, uint64, uint16, uint16, uint64)
        external
        initializer
    {
        if (admin == address(0)) revert ZeroAddress();
        __ProtocolModule_init(admin);
        _viaAdmin();
    }

    // ------------------------------------------------------------------ delegators

    /// @inheritdoc INodeStaking
    function delegate(uint256 nodeId, uint256 amount) external whenNotPaused nonReentrant returns (uint256 shares) {
        if (amount == 0) revert ZeroAmount();
        (NodeState storage n,) = _touch(nodeId);
        if (!n.active || n.jailed) revert NodeNotDelegatable(nodeId);
        Delegator storage d = _delegators[nodeId][msg.sender];
        _settleDelegator(n, d);
        uint256 pooled = n.pooled;
        uint256 poolShares = n.poolShares;
        // pooled > 0 whenever poolShares > 0 (undelegation rounds down, slashes keep >= 50%).
        shares = poolShares == 0 ? amount : Math.mulDiv(amount, poolShares, pooled);
        if (shares == 0) revert AmountRoundsToZero();
        n.pooled = (pooled + amount).toUint128();
        n.poolShares = (poolShares + shares).toUint128();
        d.shares += uint128(shares);
        _totalPooled += uint128(amount);
        _syncDelegatorVotes(n, d, msg.sender);
        _updateWeight(nodeId, n, false);
        emit Delegated(nodeId, msg.sender, amount, shares);
        _stakeToken.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc INodeStaking
    function undelegate(uint256 nodeId, uint256 shares) external nonReentrant returns (uint256 amount) {
        if (shares == 0) revert ZeroAmount();
        (NodeState storage n,) = _touch(nodeId);
        Delegator storage d = _delegators[nodeId][msg.sender];
        if (shares > d.shares) revert InsufficientShares(shares, d.shares);
        if (d.length == MAX_UNBONDING_ENTRIES) revert UnbondingQueueFull(nodeId, msg.sender);
        _settleDelegator(n, d);
        amount = Math.mulDiv(shares, n.pooled, n.poolShares);
        if (amount == 0) revert AmountRoundsToZero();
        uint256 unbonding = n.unbonding;
        uint256 unbondShares = n.unbondShares;
        uint256 uShares = unbondShares == 0 ? amount : Math.mulDiv(amount, unbondShares, unbonding);
        if (uShares == 0) revert AmountRoundsToZero();
        unchecked {
            // shares <= d.shares <= poolShares; amount <= pooled (rounded down share of it)
            n.poolShares -= uint128(shares);
            n.pooled -= uint128(amount);
            d.shares -= uint128(shares);
            _totalPooled -= uint128(amount);
            _totalUnbonding += uint128(amount);
        }
        n.unbonding = (unbonding + amount).toUint128();
        n.unbondShares = (unbondShares + uShares).toUint128();
        uint64 maturesAt = uint64(block.timestamp) + _unbondingDelay;
        uint256 slot = (uint256(d.head) + d.length) % MAX_UNBONDING_ENTRIES;
        d.entries[slot] = UnbondingEntry({shares: uint128(uShares), maturesAt: maturesAt});
        d.length += 1;
        _syncDelegatorVotes(n, d, msg.sender);
        _updateWeight(nodeId, n, false);
        emit Undelegated(nodeId, msg.sender, shares, amount, uShares, maturesAt);
    }

    /// @inheritdoc INodeStaking
    function withdrawUnbonded(uint256 nodeId) external nonReentrant returns (uint256 amount) {
        NodeState storage n = _nodes[nodeId];
        Delegator storage d = _delegators[nodeId][msg.sender];
        uint256 head = d.head;
        uint256 length = d.length;
        uint256 total;
        uint256 count;
        // Bounded by MAX_UNBONDING_ENTRIES; stops at the first unmatured entry (FIFO).
        while (count < length) {
            UnbondingEntry storage e = d.entries[head];
            if (e.maturesAt > block.timestamp) break;
            total += e.shares;
            delete d.entries[head];
            head = (head + 1) % MAX_UNBONDING_ENTRIES;
            ++count;
        }
        if (count == 0) revert NothingToWithdraw();
        d.head = uint8(head);
        d.length = uint8(length - count);
        amount = Math.mulDiv(total, n.unbonding, n.unbondShares);
        unchecked {
            n.unbondShares -= uint128(total);
            n.unbonding -= uint128(amount);
            _totalUnbonding -= uint128(amount);
        }
        emit UnbondedWithdrawn(nodeId, msg.sender, amount, count);
        if (amount != 0) _stakeToken.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc INodeStaking
    function claimRewards(uint256 nodeId) external nonReentrant returns (uint256[] memory amounts) {
        (NodeState storage n, address operator) = _touch(nodeId);
        Delegator storage d = _delegators[nodeId][msg.sender];
        _settleDelegator(n, d);
        uint256 count = _rewardTokenCount;
        amounts = new uint256[](count);
        bool isOperator = msg.sender == operator;
        for (uint256 i; i < count; ++i) {
            uint256 amt = d.pending[i];
            if (amt != 0) d.pending[i] = 0;
            if (isOperator) {
                uint256 op = n.operatorRewards[i];
                if (op != 0) {
                    n.operatorRewards[i] = 0;
                    amt += op;
                }
            }
            if (amt != 0) {
                _outstanding[i] -= amt;
                amounts[i] = amt;
                emit RewardsClaimed(nodeId, msg.sender, _tokens[i], amt);
            }
        }
        for (uint256 i; i < count; ++i) {
            if (amounts[i] != 0) IERC20(_tokens[i]).safeTransfer(msg.sender, amounts[i]);
        }
    }

    // ------------------------------------------------------------------ operators

    /// @inheritdoc INodeStaking
    function setCommission(uint256 nodeId, uint16 bps) external nonReentrant {
        (NodeState storage n, address operator) = _touch(nodeId);
        if (msg.sender != operator) revert NotNodeOperator(nodeId, msg.sender);
        if (bps > _maxCommissionBps) revert CommissionTooHigh(bps, _maxCommissionBps);
        if (n.poolShares == 0) {
            // Nobody delegated: no one to protect from the change.
            n.commissionBps = bps;
            n.pendingCommissionBps = 0;
            n.commissionEffectiveAt = 0;
            emit CommissionApplied(nodeId, bps);
        } else {
            uint64 effectiveAt = uint64(block.timestamp) + _commissionDelay;
            n.pendingCommissionBps = bps;
            n.commissionEffectiveAt = effectiveAt;
            emit CommissionRequested(nodeId, bps, effectiveAt);
        }
    }

    /// @inheritdoc INodeStaking
    function unjail(uint256 nodeId) external nonReentrant {
        (NodeState storage n, address operator) = _touch(nodeId);
        if (msg.sender != operator) revert NotNodeOperator(nodeId, msg.sender);
        if (!n.jailed) revert NotJailed(nodeId);
        if (block.timestamp < n.jailedUntil) revert StillJailed(nodeId, n.jailedUntil);
        uint256 minStake = _registry.minStake();
        // An Exiting node never becomes Active again: it may unjail with any bond, so its bond (which
        // NodeRegistry.withdrawStake keeps while jailed) can always leave after the jail period.
        if (n.active && n.selfBond < minStake) revert SelfBondTooLow(n.selfBond, minStake);
        n.jailed = false;
        _updateWeight(nodeId, n, false);
        emit Unjailed(nodeId);
    }

    /// @inheritdoc INodeStaking
    function onSelfBondChanged(uint256 nodeId) external nonReentrant {
        _touch(nodeId);
    }

    // ------------------------------------------------------------------ rewards

    /// @inheritdoc INodeStaking
    function notifyFees(address token, uint256 amount) external nonReentrant {
        uint256 i = _tokenIndex(token);
        if (amount == 0) revert ZeroAmount();
        _releaseEmissions();
        IERC20 t = IERC20(token);
        uint256 before = t.balanceOf(address(this));
        t.safeTransferFrom(msg.sender, address(this), amount);
        // Book what arrived (a fee-on-transfer token delivers less).
        uint256 received = t.balanceOf(address(this)) - before;
        _outstanding[i] += received;
        emit FeesNotified(token, msg.sender, received);
        _distribute(i, received);
    }

    /// @inheritdoc INodeStaking
    function fundEmissions(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _releaseEmissions();
        _emissionReserve = (uint256(_emissionReserve) + amount).toUint192();
        emit EmissionsFunded(msg.sender, amount);
        _stakeToken.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc INodeStaking
    function setEmissionSchedule(uint256, uint64, uint64) external onlyOwner nonReentrant {
        _viaAdmin();
    }

    // ------------------------------------------------------------------ slashing

    /// @inheritdoc INodeStaking
    /// @dev The checks run in the EquivocationVerifier (same calldata, its errors bubble up).
    function slashForEquivocation(ReceiptEvidence calldata, ReceiptEvidence calldata) external nonReentrant {
        _slashWithEvidence(EquivocationVerifier.check.selector);
    }

    /// @inheritdoc INodeStaking
    /// @dev The checks run in the EquivocationVerifier (same calldata, its errors bubble up).
    function slashForSettlementContradiction(ReceiptEvidence calldata, ReceiptEvidence calldata)
        external
        nonReentrant
    {
        _slashWithEvidence(EquivocationVerifier.checkContradiction.selector);
    }

    /// @dev Verifies the current call's evidence with `check` (a verifier function taking the same
    ///      two ReceiptEvidence), marks its key used and slashes `equivocationSlashBps`.
    function _slashWithEvidence(bytes4 checkSelector) private {
        (bool ok, bytes memory ret) = address(_verifier).staticcall(bytes.concat(checkSelector, msg.data[4:]));
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        (uint256 nodeId, bytes32 key) = abi.decode(ret, (uint256, bytes32));
        if (_evidenceUsed[key]) revert EvidenceAlreadyUsed(key);
        _evidenceUsed[key] = true;
        if (checkSelector == EquivocationVerifier.check.selector) emit EquivocationProven(nodeId, key, msg.sender);
        else emit SettlementContradictionProven(nodeId, key, msg.sender);
        _slash(nodeId, _equivocationSlashBps, key);
    }

    /// @inheritdoc INodeStaking
    function slash(uint256 nodeId, uint16 bps, bytes32 reason) external onlyOwner nonReentrant {
        if (bps == 0 || bps > MAX_SLASH_BPS) revert SettingOutOfRange(bps, MAX_SLASH_BPS);
        _slash(nodeId, bps, reason);
    }

    // ------------------------------------------------------------------ admin

    /// @inheritdoc INodeStaking
    function addRewardToken(address) external onlyOwner {
        _viaAdmin();
    }

    /// @inheritdoc INodeStaking
    function setTreasury(address) external onlyOwner {
        _viaAdmin();
    }

    /// @inheritdoc INodeStaking
    function setUnbondingDelay(uint64) external onlyOwner {
        _viaAdmin();
    }

    /// @inheritdoc INodeStaking
    function setCommissionDelay(uint64) external onlyOwner {
        _viaAdmin();
    }

    /// @inheritdoc INodeStaking
    function setMaxCommissionBps(uint16) external onlyOwner {
        _viaAdmin();
    }

    /// @inheritdoc INodeStaking
    function setEquivocationSlashBps(uint16) external onlyOwner {
        _viaAdmin();
    }

    /// @inheritdoc INodeStaking
    function setJailPeriod(uint64) external onlyOwner {
        _viaAdmin();
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc INodeStaking
    function nodeStake(uint256) external view returns (NodeStake memory) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function delegation(uint256, address) external view returns (uint256, uint256) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function pendingRewards(uint256, address) external view returns (uint256[] memory) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function unbondingEntries(uint256, address) external view returns (UnbondingEntry[] memory, uint256[] memory) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function isJailed(uint256 nodeId) external view returns (bool) {
        return _nodes[nodeId].jailed;
    }

    /// @inheritdoc INodeStaking
    function rewardTokens() external view returns (address[] memory) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function totalWeight() external view returns (uint256) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function totalDelegated() external view returns (uint256, uint256) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function rewardsOutstanding(address) external view returns (uint256) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function rewardsUndistributed(address) external view returns (uint256) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function emissionReserve() external view returns (uint256) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function emissionSchedule() external view returns (uint256, uint64, uint64, uint64) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function evidenceUsed(bytes32) external view returns (bool) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function stakeToken() external view returns (address) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function nodeRegistry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc INodeStaking
    function paymentChannels() external view returns (address) {
        return address(_channels);
    }

    /// @inheritdoc INodeStaking
    function treasury() external view returns (address) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function unbondingDelay() external view returns (uint64) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function commissionDelay() external view returns (uint64) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function maxCommissionBps() external view returns (uint16) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function equivocationSlashBps() external view returns (uint16) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function jailPeriod() external view returns (uint64) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function getStakedVotes(address) external view returns (uint256) {
        _viaLens();
    }

    /// @inheritdoc INodeStaking
    function getPastStakedVotes(address, uint256) external view returns (uint256) {
        _viaLens();
    }

    // ------------------------------------------------------------------ internals

    /// @dev Brings the node up to date: releases emissions, accrues the node at its old weight,
    ///      then re-reads its bond/status from NodeRegistry and sets the new weight.
    function _touch(uint256 nodeId) private returns (NodeState storage n, address operator) {
        _releaseEmissions();
        n = _nodes[nodeId];
        _accrueNode(nodeId, n);
        (address op, uint256 stake, bool active) = _registry.bondOf(nodeId);
        if (op == address(0)) revert UnknownNode(nodeId);
        operator = op;
        if (n.operator == address(0)) n.operator = op;
        uint256 oldBond = n.selfBond;
        bool changed = stake != oldBond || n.active != active;
        if (changed) {
            n.selfBond = stake.toUint128();
            n.active = active;
            _moveVotes(op, oldBond, stake);
        }
        _updateWeight(nodeId, n, changed);
    }

    /// @dev Accrues the node's share of the global indexes since its last accrual (at the weight
    ///      it had all along) into operator rewards and the pool's reward per share.
    function _accrueNode(uint256 nodeId, NodeState storage n) private {
        uint256 count = _rewardTokenCount;
        for (uint256 i; i < count; ++i) {
            uint256 g = _global[i];
            uint256 last = n.index[i];
            if (g == last) continue;
            n.index[i] = g;
            (uint256 commission, uint256 selfReward, uint256 poolReward) = _split(n, g - last);
            if (commission == 0 && selfReward == 0 && poolReward == 0) continue;
            uint256 poolShares = n.poolShares;
            if (poolShares != 0) n.poolRps[i] += Math.mulDiv(poolReward, PRECISION, poolShares);
            else selfReward += poolReward; // only rounding leftovers can sit in a share-less pool
            n.operatorRewards[i] += commission + selfReward;
            emit NodeRewardsAccrued(nodeId, _tokens[i], commission + selfReward + poolReward, commission, selfReward);
        }
        uint64 effectiveAt = n.commissionEffectiveAt;
        if (effectiveAt != 0 && block.timestamp >= effectiveAt) {
            // Takes effect at the first touch after effectiveAt; the rewards accrued by that touch
            // (which may straddle effectiveAt) used min(old, new) (see _split).
            uint16 bps = n.pendingCommissionBps;
            n.commissionBps = bps;
            n.pendingCommissionBps = 0;
            n.commissionEffectiveAt = 0;
            emit CommissionApplied(nodeId, bps);
        }
    }

    /// @dev Settles a delegator's rewards at the node's current reward per share.
    function _settleDelegator(NodeState storage n, Delegator storage d) private {
        uint256 count = _rewardTokenCount;
        uint256 shares = d.shares;
        for (uint256 i; i < count; ++i) {
            uint256 rps = n.poolRps[i];
            uint256 last = d.rps[i];
            if (rps == last) continue;
            if (shares != 0) d.pending[i] += Math.mulDiv(shares, rps - last, PRECISION);
            d.rps[i] = rps;
        }
    }

    /// @dev Recomputes the node's weight; emits NodeSynced when it or the synced bond changed.
    function _updateWeight(uint256 nodeId, NodeState storage n, bool bondChanged) private {
        uint256 newWeight = (n.active && !n.jailed) ? uint256(n.selfBond) + n.pooled : 0;
        uint256 oldWeight = n.weight;
        if (newWeight == oldWeight && !bondChanged) return;
        uint256 total = _totalWeight - oldWeight + newWeight;
        _totalWeight = total;
        n.weight = uint128(newWeight);
        emit NodeSynced(nodeId, n.selfBond, newWeight, total);
    }

    /// @dev Spreads `amount` of token i (plus what waited for weight) over the current weight.
    function _distribute(uint256 i, uint256 amount) private {
        uint256 pending = amount + _undistributed[i];
        uint256 tw = _totalWeight;
        if (tw == 0) {
            _undistributed[i] = pending;
            return;
        }
        if (_undistributed[i] != 0) _undistributed[i] = 0;
        _global[i] += Math.mulDiv(pending, PRECISION, tw);
    }

    function _slash(uint256 nodeId, uint16 bps, bytes32 reason) private {
        (NodeState storage n, address operator) = _touch(nodeId);
        uint256 selfBond = n.selfBond;
        uint256 selfCut = selfBond * bps / BPS;
        uint256 poolCut = uint256(n.pooled) * bps / BPS;
        uint256 unbondingCut = uint256(n.unbonding) * bps / BPS;
        unchecked {
            n.selfBond = uint128(selfBond - selfCut);
            n.pooled -= uint128(poolCut);
            n.unbonding -= uint128(unbondingCut);
            _totalPooled -= uint128(poolCut);
            _totalUnbonding -= uint128(unbondingCut);
        }
        _moveVotes(operator, selfBond, selfBond - selfCut);
        uint64 until = uint64(block.timestamp) + _jailPeriod;
        if (until > n.jailedUntil) n.jailedUntil = until;
        n.jailed = true;
        _updateWeight(nodeId, n, selfCut != 0);
        address to = _treasury;
        emit Slashed(nodeId, bps, selfCut, poolCut, unbondingCut, to, reason);
        emit Jailed(nodeId, n.jailedUntil);
        if (selfCut != 0) _registry.slashBond(nodeId, selfCut, to);
        uint256 cut = poolCut + unbondingCut;
        if (cut != 0) _stakeToken.safeTransfer(to, cut);
    }

    /// @dev Sets a delegator's counted votes to the current value of its shares.
    function _syncDelegatorVotes(NodeState storage n, Delegator storage d, address account) private {
        uint256 shares = d.shares;
        uint256 value = shares == 0 ? 0 : Math.mulDiv(shares, n.pooled, n.poolShares);
        uint256 old = d.votes;
        if (value != old) {
            d.votes = uint128(value);
            _moveVotes(account, old, value);
        }
    }

    function _moveVotes(address account, uint256 from, uint256 to) private {
        if (from == to) return;
        Checkpoints.Trace208 storage t = _votes[account];
        uint256 previous = t.latest();
        uint256 next = previous - from + to;
        t.push(uint48(block.timestamp), uint208(next));
        emit StakedVotesChanged(account, previous, next);
    }
}
