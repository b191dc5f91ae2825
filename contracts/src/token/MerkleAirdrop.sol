// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IMerkleAirdrop} from "../interfaces/IMerkleAirdrop.sol";
import {VestingMath} from "../libraries/VestingMath.sol";

/// @title MerkleAirdrop
/// @notice Pays allocations committed to by a StandardMerkleTree root (leaf encoding
///         ["address","uint256"]), optionally vesting linearly after the claim. Not upgradeable:
///         the root and terms are fixed at deployment. Funded by a plain transfer after
///         deployment; the owner can only change the sweep receiver.
/// @dev Claims open while block.timestamp <= deadline; sweep works only after it, so the two
///      never overlap. Only `totalOutstanding` (claimed, not yet paid) is protected from the
///      sweep: unclaimed allocations are forfeited to the treasury at the deadline.
contract MerkleAirdrop is IMerkleAirdrop, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev One slot per claimant: amount (128) | released (128). amount != 0 marks the claim.
    struct Allocation {
        uint128 amount;
        uint128 released;
    }

    /// @inheritdoc IMerkleAirdrop
    address public immutable token;
    /// @inheritdoc IMerkleAirdrop
    bytes32 public immutable merkleRoot;
    /// @inheritdoc IMerkleAirdrop
    uint64 public immutable deadline;
    /// @inheritdoc IMerkleAirdrop
    uint64 public immutable vestingStart;
    /// @inheritdoc IMerkleAirdrop
    uint64 public immutable vestingDuration;

    // Plain storage after Ownable (slot 0: _owner) and Ownable2Step (slot 1: _pendingOwner).
    /// @inheritdoc IMerkleAirdrop
    address public treasury; // slot 2
    /// @inheritdoc IMerkleAirdrop
    uint256 public totalOutstanding; // slot 3
    mapping(address account => Allocation) internal _allocations; // slot 4

    /// @param token_ the airdropped token
    /// @param root_ StandardMerkleTree root over (address account, uint256 amount) leaves
    /// @param deadline_ last timestamp at which claims are accepted (not in the past)
    /// @param treasury_ receives what is swept after the deadline
    /// @param vestingStart_ start of the linear vesting of claimed allocations
    /// @param vestingDuration_ vesting length in seconds, 0 = everything is paid at claim
    /// @param owner_ may change the treasury
    constructor(
        address token_,
        bytes32 root_,
        uint64 deadline_,
        address treasury_,
        uint64 vestingStart_,
        uint64 vestingDuration_,
        address owner_
    ) Ownable(owner_) {
        if (token_ == address(0) || treasury_ == address(0)) revert ZeroAddress();
        if (root_ == bytes32(0)) revert ZeroRoot();
        if (deadline_ < block.timestamp) revert DeadlineInPast(deadline_);
        token = token_;
        merkleRoot = root_;
        deadline = deadline_;
        vestingStart = vestingStart_;
        vestingDuration = vestingDuration_;
        treasury = treasury_;
        emit TreasuryChanged(address(0), treasury_);
    }

    /// @inheritdoc IMerkleAirdrop
    function claim(address account, uint256 amount, bytes32[] calldata proof)
        external
        nonReentrant
        returns (uint256 paidNow)
    {
        if (block.timestamp > deadline) revert ClaimWindowClosed(deadline);
        Allocation storage a = _allocations[account];
        if (a.amount != 0) revert AlreadyClaimed(account);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, leaf)) revert InvalidProof();
        // A zero leaf could be "claimed" forever; an oversized one could never be funded.
        if (amount == 0) revert ZeroAmount();
        if (amount > type(uint128).max) revert AmountTooLarge(amount);

        paidNow = _vested(amount, block.timestamp);
        a.amount = uint128(amount);
        a.released = uint128(paidNow);
        if (amount != paidNow) totalOutstanding += amount - paidNow;
        emit Claimed(account, amount, paidNow);
        if (paidNow != 0) IERC20(token).safeTransfer(account, paidNow);
    }

    /// @inheritdoc IMerkleAirdrop
    function release(address account) external nonReentrant returns (uint256 amount) {
        Allocation storage a = _allocations[account];
        amount = _vested(a.amount, block.timestamp) - a.released;
        if (amount == 0) revert NothingToRelease(account);
        // amount <= a.amount - a.released, so released stays <= a.amount < 2^128.
        a.released += uint128(amount);
        totalOutstanding -= amount;
        emit Released(account, amount);
        IERC20(token).safeTransfer(account, amount);
    }

    /// @inheritdoc IMerkleAirdrop
    function sweep() external nonReentrant returns (uint256 amount) {
        if (block.timestamp <= deadline) revert ClaimWindowOpen(deadline);
        uint256 balance = IERC20(token).balanceOf(address(this));
        uint256 outstanding = totalOutstanding;
        if (balance <= outstanding) revert NothingToSweep();
        amount = balance - outstanding;
        address to = treasury;
        emit Swept(to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @inheritdoc IMerkleAirdrop
    function setTreasury(address newTreasury) external onlyOwner {
        if (newTreasury == address(0)) revert ZeroAddress();
        emit TreasuryChanged(treasury, newTreasury);
        treasury = newTreasury;
    }

    /// @notice Always reverts: the treasury must stay changeable. Ownership can only move, in
    ///         two steps.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceOwnershipDisabled();
    }

    /// @inheritdoc IMerkleAirdrop
    function claimed(address account) external view returns (uint256 amount, uint256 released) {
        Allocation storage a = _allocations[account];
        return (a.amount, a.released);
    }

    /// @inheritdoc IMerkleAirdrop
    function releasable(address account) external view returns (uint256) {
        Allocation storage a = _allocations[account];
        return _vested(a.amount, block.timestamp) - a.released;
    }

    /// @inheritdoc IMerkleAirdrop
    function vestedAmount(uint256 amount, uint256 timestamp) external view returns (uint256) {
        return _vested(amount, timestamp);
    }

    /// @dev No vesting: everything at once, even before vestingStart. Else linear, no cliff.
    function _vested(uint256 amount, uint256 t) internal view returns (uint256) {
        if (vestingDuration == 0) return amount;
        return VestingMath.linear(amount, vestingStart, 0, vestingDuration, t);
    }
}
