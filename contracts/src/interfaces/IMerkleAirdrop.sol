// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IMerkleAirdrop
/// @notice A one-shot token airdrop committed to by a Merkle root in the @openzeppelin/merkle-tree
///         StandardMerkleTree format with leaf encoding ["address","uint256"]:
///         leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount)))), sorted-pair
///         keccak internal nodes. Each account has one allocation. Claims are open while
///         block.timestamp <= deadline; a claimed allocation vests linearly from vestingStart over
///         vestingDuration (0 = everything at claim) and keeps releasing after the deadline.
///         After the deadline, what is neither paid nor owed to claimants goes to the treasury.
interface IMerkleAirdrop {
    /// @notice `account` claimed its allocation `amount`, of which `paidNow` was paid at once.
    event Claimed(address indexed account, uint256 amount, uint256 paidNow);
    /// @notice `amount` more of a claimed allocation vested and was paid to `account`.
    event Released(address indexed account, uint256 amount);
    /// @notice `amount` unclaimed tokens went to `to` (the treasury) after the deadline.
    event Swept(address indexed to, uint256 amount);
    /// @notice The sweep receiver changed.
    event TreasuryChanged(address indexed previous, address indexed current);

    /// @notice An address argument is the zero address.
    error ZeroAddress();
    /// @notice The Merkle root is zero.
    error ZeroRoot();
    /// @notice The claim deadline is already in the past at deployment.
    error DeadlineInPast(uint64 deadline);
    /// @notice The account already claimed its allocation.
    error AlreadyClaimed(address account);
    /// @notice The proof does not show (account, amount) under the root.
    error InvalidProof();
    /// @notice The allocation amount is zero.
    error ZeroAmount();
    /// @notice The allocation amount does not fit uint128.
    error AmountTooLarge(uint256 amount);
    /// @notice Claims closed at `deadline`.
    error ClaimWindowClosed(uint64 deadline);
    /// @notice Sweeping opens after `deadline`.
    error ClaimWindowOpen(uint64 deadline);
    /// @notice Nothing of the account's allocation is releasable now (or it never claimed).
    error NothingToRelease(address account);
    /// @notice The balance does not exceed what claimants are still owed.
    error NothingToSweep();
    /// @notice Renouncing ownership is disabled.
    error RenounceOwnershipDisabled();

    /// @notice Claims the allocation of `account` (anyone may submit; tokens always go to
    ///         `account`) and pays what is vested now. Only while block.timestamp <= deadline.
    /// @param account the allocation's account
    /// @param amount the allocation's total amount (as in the leaf)
    /// @param proof sibling hashes from the leaf to the root
    /// @return paidNow tokens paid now (the rest vests and is paid by `release`)
    function claim(address account, uint256 amount, bytes32[] calldata proof) external returns (uint256 paidNow);

    /// @notice Pays the further vested part of `account`'s claimed allocation (anyone may call,
    ///         also after the deadline).
    /// @param account the claimant
    /// @return amount tokens paid
    function release(address account) external returns (uint256 amount);

    /// @notice After the deadline (anyone): sends balance - totalOutstanding to the treasury.
    ///         Tokens claimed but still vesting are never swept.
    /// @return amount tokens sent
    function sweep() external returns (uint256 amount);

    /// @notice Sets the sweep receiver (owner only).
    /// @param newTreasury the new treasury (not zero)
    function setTreasury(address newTreasury) external;

    /// @notice The claimed allocation of `account` and how much of it was paid (0, 0 if not claimed).
    /// @param account the claimant
    /// @return amount the allocation
    /// @return released paid so far (at claim and by release)
    function claimed(address account) external view returns (uint256 amount, uint256 released);

    /// @notice Tokens of `account`'s claimed allocation releasable now.
    /// @param account the claimant
    /// @return vested now minus released (0 if not claimed)
    function releasable(address account) external view returns (uint256);

    /// @notice Part of an allocation `amount` vested at `timestamp` under this airdrop's vesting.
    /// @param amount an allocation
    /// @param timestamp unix seconds
    /// @return the vested part
    function vestedAmount(uint256 amount, uint256 timestamp) external view returns (uint256);

    /// @notice Claimed allocations not yet paid (never swept).
    /// @return the total
    function totalOutstanding() external view returns (uint256);

    /// @notice The airdropped token.
    /// @return the token address
    function token() external view returns (address);

    /// @notice The Merkle root of the allocations.
    /// @return the root
    function merkleRoot() external view returns (bytes32);

    /// @notice Last timestamp at which claims are accepted.
    /// @return unix seconds
    function deadline() external view returns (uint64);

    /// @notice Start of the linear vesting of claimed allocations.
    /// @return unix seconds
    function vestingStart() external view returns (uint64);

    /// @notice Length of the linear vesting (0 = no vesting).
    /// @return seconds
    function vestingDuration() external view returns (uint64);

    /// @notice Receiver of swept tokens.
    /// @return the treasury address
    function treasury() external view returns (address);
}
