// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IVestingVault} from "../interfaces/IVestingVault.sol";
import {VestingMath} from "../libraries/VestingMath.sol";

/// @title VestingVault
/// @notice Holds SAHARA for many beneficiaries on fixed linear schedules with a cliff.
///         Not upgradeable on purpose: it only ever holds tokens on schedules fixed at creation.
///         The owner (the deployer at genesis, later the DAO timelock) creates and funds
///         schedules and may revoke revocable ones; anyone may release a schedule to its
///         beneficiary; a beneficiary may move its schedule to a new address.
/// @dev Voting: tokens held here do NOT vote. The vault never delegates (it has no function that
///      could), so under ERC20Votes its balance carries no voting power; released tokens vote
///      once their holder delegates. Rationale: unearned insider tokens must not steer governance.
///      Invariant: token.balanceOf(this) >= sum over schedules of (amount - released - returned
///      on revoke), with equality unless someone transferred tokens here directly.
contract VestingVault is IVestingVault, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev Storage of one schedule, 3 slots:
    ///      slot 0: beneficiary (160) | start (64)                         — read by release
    ///      slot 1: cliff (64) | duration (64) | amount (128)               — written once
    ///      slot 2: released (128) | revokedAt (64) | revocable (8) | listIndex (48)
    ///      `released` shares its slot with what release/revoke also touch, so a release writes
    ///      one slot. `listIndex` is the schedule's position in `_idsOf[beneficiary]`, kept so a
    ///      schedule can leave a beneficiary's list in O(1) (swap and pop).
    struct StoredSchedule {
        address beneficiary;
        uint64 start;
        uint64 cliff;
        uint64 duration;
        uint128 amount;
        uint128 released;
        uint64 revokedAt;
        bool revocable;
        uint48 listIndex;
    }

    /// @inheritdoc IVestingVault
    address public immutable token;

    // Plain storage after Ownable (slot 0: _owner) and Ownable2Step (slot 1: _pendingOwner).
    /// @inheritdoc IVestingVault
    address public treasury; // slot 2
    uint256 internal _scheduleCount; // slot 3
    mapping(uint256 id => StoredSchedule) internal _schedules; // slot 4
    mapping(address beneficiary => uint256[] ids) internal _idsOf; // slot 5

    /// @param token_ the vested token (SAHARA)
    /// @param treasury_ receives the unvested part of revoked schedules
    /// @param owner_ creates, funds and revokes schedules
    constructor(address token_, address treasury_, address owner_) Ownable(owner_) {
        if (token_ == address(0) || treasury_ == address(0)) revert ZeroAddress();
        token = token_;
        treasury = treasury_;
        emit TreasuryChanged(address(0), treasury_);
    }

    // ------------------------------------------------------------------ owner

    /// @inheritdoc IVestingVault
    function createSchedules(ScheduleParams[] calldata batch) external onlyOwner nonReentrant returns (uint256 firstId) {
        uint256 n = batch.length;
        if (n == 0) revert EmptyBatch();
        firstId = _scheduleCount + 1;
        uint256 total;
        for (uint256 i; i < n; ++i) {
            ScheduleParams calldata p = batch[i];
            if (p.beneficiary == address(0)) revert ZeroBeneficiary();
            if (p.beneficiary == address(this)) revert BeneficiaryIsVault();
            if (p.amount == 0) revert ZeroAmount();
            if (p.amount > type(uint128).max) revert AmountTooLarge(p.amount);
            if (p.duration == 0) revert ZeroDuration();
            if (p.cliff > p.duration) revert CliffAfterEnd(p.cliff, p.duration);

            uint256 id = firstId + i;
            uint256[] storage ids = _idsOf[p.beneficiary];
            _schedules[id] = StoredSchedule({
                beneficiary: p.beneficiary,
                start: p.start,
                cliff: p.cliff,
                duration: p.duration,
                amount: uint128(p.amount),
                released: 0,
                revokedAt: 0,
                revocable: p.revocable,
                listIndex: uint48(ids.length)
            });
            ids.push(id);
            total += p.amount;
            emit ScheduleCreated(id, p.beneficiary, p.start, p.cliff, p.duration, uint128(p.amount), p.revocable);
        }
        _scheduleCount = firstId + n - 1;
        IERC20(token).safeTransferFrom(msg.sender, address(this), total);
    }

    /// @inheritdoc IVestingVault
    function revoke(uint256 id) external onlyOwner nonReentrant returns (uint256 unvestedReturned) {
        StoredSchedule storage s = _stored(id);
        if (!s.revocable) revert NotRevocable(id);
        if (s.revokedAt != 0) revert AlreadyRevoked(id);
        unvestedReturned = s.amount - _vested(s, block.timestamp);
        s.revokedAt = uint64(block.timestamp);
        emit ScheduleRevoked(id, unvestedReturned);
        if (unvestedReturned != 0) IERC20(token).safeTransfer(treasury, unvestedReturned);
    }

    /// @inheritdoc IVestingVault
    function setTreasury(address newTreasury) external onlyOwner {
        if (newTreasury == address(0)) revert ZeroAddress();
        emit TreasuryChanged(treasury, newTreasury);
        treasury = newTreasury;
    }

    /// @notice Always reverts: without an owner no schedule could be created or revoked and the
    ///         treasury would be frozen. Ownership can only move, in two steps.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceOwnershipDisabled();
    }

    // ------------------------------------------------------------------ anyone / beneficiary

    /// @inheritdoc IVestingVault
    function release(uint256 id) external nonReentrant returns (uint256 amount) {
        StoredSchedule storage s = _stored(id);
        amount = _vested(s, block.timestamp) - s.released;
        if (amount == 0) revert NothingToRelease(id);
        // amount <= s.amount - s.released, so the sum stays <= s.amount < 2^128.
        s.released += uint128(amount);
        address beneficiary = s.beneficiary;
        emit Released(id, beneficiary, amount);
        IERC20(token).safeTransfer(beneficiary, amount);
    }

    /// @inheritdoc IVestingVault
    function setBeneficiary(uint256 id, address newBeneficiary) external {
        StoredSchedule storage s = _stored(id);
        address previous = s.beneficiary;
        if (msg.sender != previous) revert NotBeneficiary(id, msg.sender);
        if (newBeneficiary == address(0)) revert ZeroBeneficiary();
        if (newBeneficiary == address(this)) revert BeneficiaryIsVault();

        // Swap-and-pop out of the previous list, then append to the new one.
        uint256[] storage from = _idsOf[previous];
        uint256 index = s.listIndex;
        uint256 lastId = from[from.length - 1];
        if (lastId != id) {
            from[index] = lastId;
            _schedules[lastId].listIndex = uint48(index);
        }
        from.pop();
        uint256[] storage to = _idsOf[newBeneficiary];
        s.listIndex = uint48(to.length);
        to.push(id);
        s.beneficiary = newBeneficiary;
        emit BeneficiaryChanged(id, previous, newBeneficiary);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IVestingVault
    function releasable(uint256 id) external view returns (uint256) {
        StoredSchedule storage s = _stored(id);
        return _vested(s, block.timestamp) - s.released;
    }

    /// @inheritdoc IVestingVault
    function vestedAmount(uint256 id, uint256 timestamp) external view returns (uint256) {
        return _vested(_stored(id), timestamp);
    }

    /// @inheritdoc IVestingVault
    function schedule(uint256 id) external view returns (Schedule memory) {
        StoredSchedule storage s = _stored(id);
        return Schedule({
            beneficiary: s.beneficiary,
            start: s.start,
            cliff: s.cliff,
            duration: s.duration,
            amount: s.amount,
            released: s.released,
            revocable: s.revocable,
            revokedAt: s.revokedAt
        });
    }

    /// @inheritdoc IVestingVault
    function schedulesOf(address beneficiary) external view returns (uint256[] memory ids) {
        return _idsOf[beneficiary];
    }

    /// @inheritdoc IVestingVault
    function scheduleCount() external view returns (uint256) {
        return _scheduleCount;
    }

    // ------------------------------------------------------------------ internal

    function _stored(uint256 id) internal view returns (StoredSchedule storage s) {
        s = _schedules[id];
        // Every created schedule has a non-zero beneficiary (setBeneficiary keeps it so).
        if (s.beneficiary == address(0)) revert UnknownSchedule(id);
    }

    /// @dev Vested at `t`, frozen at revokedAt once revoked.
    function _vested(StoredSchedule storage s, uint256 t) internal view returns (uint256) {
        uint256 revokedAt = s.revokedAt;
        if (revokedAt != 0 && t > revokedAt) t = revokedAt;
        return VestingMath.linear(s.amount, s.start, s.cliff, s.duration, t);
    }
}
