// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RegisterParams, AssetInfo, VersionInfo, ParentLink, ContentRef, Relation} from "../types/AssetTypes.sol";

/// @title IAssetRegistry
/// @notice Registry of AI assets (datasets, models, agents, ...). Each asset is an OwnershipNFT
///         (ERC-721, transferable) with an append-only version history and immutable typed parent
///         links (the attribution graph). The graph is acyclic by construction: parents must
///         already exist when a child is registered and links never change.
interface IAssetRegistry {
    /// @notice An asset was registered (version 1 is published in the same transaction).
    event AssetRegistered(uint256 indexed assetId, address indexed creator, uint16 indexed kind, address owner);
    /// @notice A new version was appended. Version numbers start at 1.
    event VersionPublished(
        uint256 indexed assetId, uint32 indexed version, uint32 contentCodec, bytes32 contentDigest, uint32 metadataCodec, bytes32 metadataDigest
    );
    /// @notice An attribution edge child -> parent was recorded.
    event ParentLinked(uint256 indexed childId, uint256 indexed parentId, Relation relation, uint256 licenseId, uint16 royaltyBps);
    /// @notice The admin enabled or disabled an asset kind.
    event KindSet(uint16 indexed kind, string name, bool enabled);

    error UnknownAsset(uint256 assetId);
    error KindNotEnabled(uint16 kind);
    error TooManyParents(uint256 count, uint256 max);
    error DuplicateParent(uint256 parentId);
    error UnsupportedCodec(uint32 codec);
    error EmptyDigest();
    error NotAssetOwner(uint256 assetId, address caller);
    error RoyaltyTooHigh(uint256 totalBps, uint256 maxBps);
    error EmptyBatch();
    error InvalidKind(uint16 kind);
    error UnknownVersion(uint256 assetId, uint32 version);

    /// @notice Registers one asset, mints its OwnershipNFT and publishes version 1.
    /// @dev Every parent must exist and the caller must be allowed to derive from it (see
    ///      ILicenseRegistry.checkDerivative). The royalty of each parent link is the royalty of the
    ///      license used and is fixed forever.
    /// @return assetId the new asset id (sequential, starting at 1)
    function register(RegisterParams calldata params) external returns (uint256 assetId);

    /// @notice Registers many assets in one transaction; ids are consecutive.
    function registerBatch(RegisterParams[] calldata params) external returns (uint256 firstAssetId);

    /// @notice Appends a new version; only the current owner. Earlier versions stay readable.
    /// @return version the new version number
    function publishVersion(uint256 assetId, ContentRef calldata content, ContentRef calldata metadata)
        external
        returns (uint32 version);

    /// @notice Enables or disables an asset kind (admin).
    function setKind(uint16 kind, string calldata name, bool enabled) external;

    /// @notice The asset header; reverts with UnknownAsset for ids never registered.
    function assetInfo(uint256 assetId) external view returns (AssetInfo memory);

    /// @notice One version (1-based).
    function versionInfo(uint256 assetId, uint32 version) external view returns (VersionInfo memory);

    /// @notice The latest version number and data.
    function latestVersion(uint256 assetId) external view returns (uint32 version, VersionInfo memory info);

    /// @notice The content id of a version as a CIDv1 base32 string ("bafk...", "bafy...").
    function contentId(uint256 assetId, uint32 version) external view returns (string memory);

    /// @notice The typed parent links of an asset, in registration order.
    function parentsOf(uint256 assetId) external view returns (ParentLink[] memory);

    /// @notice Whether an asset id has been registered.
    function exists(uint256 assetId) external view returns (bool);

    /// @notice Number of assets registered so far (ids are 1..count).
    function assetCount() external view returns (uint256);

    /// @notice Whether a kind is enabled.
    function kindEnabled(uint16 kind) external view returns (bool);

    /// @notice Maximum number of direct parents per asset.
    function MAX_PARENTS() external view returns (uint256);

    /// @notice ERC-721 owner of the OwnershipNFT.
    function ownerOf(uint256 assetId) external view returns (address);
}
