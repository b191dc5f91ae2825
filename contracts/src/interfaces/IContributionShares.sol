// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IContributionShares
/// @notice Soulbound (ERC-5192-style, never transferable) contribution shares in an asset. The
///         asset owner or an authorized protocol minter (labeling, training) mints shares with a
///         contribution type and an evidence hash. The owner sets the contributors' part of the
///         asset's revenue (bps); once shares exist that part can only grow.
/// @dev Balances are ERC-1155-shaped: id = assetId, amount = shares. Mints emit TransferSingle
///      from address(0) so wallets and indexers see them; there is no transfer function.
interface IContributionShares {
    event ContributionRecorded(
        uint256 indexed contributionId, uint256 indexed assetId, address indexed contributor, uint8 contributionType, uint128 shares, bytes32 evidenceHash
    );
    event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value);
    event Locked(uint256 tokenId);
    event ContributorSplitSet(uint256 indexed assetId, uint16 contributorBps);
    event MinterSet(address indexed minter, bool allowed);

    error NotAuthorizedMinter(uint256 assetId, address caller);
    error NotAssetOwner(uint256 assetId, address caller);
    error ZeroShares();
    error ZeroAddress();
    error SplitCanOnlyGrow(uint16 current, uint16 requested);
    error SplitTooHigh(uint16 requested);
    error Soulbound();
    error LengthMismatch();

    /// @notice Mints contribution shares; only the asset owner or an authorized minter.
    /// @return contributionId id of the contribution record
    function mint(uint256 assetId, address contributor, uint128 shares, uint8 contributionType, bytes32 evidenceHash)
        external
        returns (uint256 contributionId);

    /// @notice Mints many contributions to one asset in one transaction.
    function mintBatch(
        uint256 assetId,
        address[] calldata contributors,
        uint128[] calldata shares,
        uint8 contributionType,
        bytes32[] calldata evidenceHashes
    ) external returns (uint256 firstContributionId);

    /// @notice Sets the contributors' part of the asset's revenue in bps (of what remains after
    ///         protocol fee and royalties); only the owner. Once shares exist it can only grow.
    function setContributorSplit(uint256 assetId, uint16 contributorBps) external;

    /// @notice Allows or disallows a protocol contract to mint shares in any asset (admin).
    function setMinter(address minter, bool allowed) external;

    /// @notice Shares of `account` in `assetId` (ERC-1155 shape).
    function balanceOf(address account, uint256 assetId) external view returns (uint256);

    /// @notice Total shares minted in an asset.
    function totalShares(uint256 assetId) external view returns (uint256);

    /// @notice The contributors' bps and total shares in one read (mirrored in the vault by `syncSplit`).
    function splitOf(uint256 assetId) external view returns (uint16 contributorBps, uint256 totalShares);

    /// @notice Always true: shares never move (ERC-5192).
    function locked(uint256 assetId) external view returns (bool);

    /// @notice Contribution record by id.
    function contribution(uint256 contributionId)
        external
        view
        returns (uint256 assetId, address contributor, uint8 contributionType, uint128 shares, bytes32 evidenceHash);
}
