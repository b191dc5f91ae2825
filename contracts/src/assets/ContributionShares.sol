// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ProtocolModule} from "../utils/ProtocolModule.sol";
import {IContributionShares} from "../interfaces/IContributionShares.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {IRevenueVault} from "../interfaces/IRevenueVault.sol";

/// @title ContributionShares
/// @notice Soulbound ledger of contribution shares per asset (ERC-1155-shaped balances, ERC-5192
///         locked). Shares are minted by the asset's current owner or by an authorized protocol
///         minter, each mint recording a Contribution (who, what kind, how many shares, evidence).
///         Shares never move and are never burned, so a holder's part of future contributor
///         revenue only changes when new shares are minted in the same asset.
/// @dev Before any balance changes, the vault is asked to `checkpoint` the account: it settles the
///      entitlement earned at the old share count, so a mint never changes past revenue.
///      After contributorBps or totalShares changes, the new pair is pushed to the vault
///      (`syncSplit`), which keeps its own copy so a payment never calls this contract.
contract ContributionShares is ProtocolModule, IContributionShares {
    using SafeCast for uint256;

    /// @notice 100% in bps.
    uint16 public constant MAX_BPS = 10_000;
    /// @notice Cap on the total shares of one asset. It lets the vault keep its accumulator and
    ///         division carry in one storage slot (read on every payment).
    uint256 public constant MAX_TOTAL_SHARES = type(uint64).max;

    /// @dev ERC-165 id of ERC-5192 (minimal soulbound NFTs).
    bytes4 private constant ERC5192_INTERFACE_ID = 0xb45a3c0e;
    bytes4 private constant ERC165_INTERFACE_ID = 0x01ffc9a7;

    /// @dev One slot per asset (mirrored in the vault by `syncSplit`).
    struct AssetSplit {
        uint16 contributorBps; // contributors' part of the post-fee, post-royalty revenue
        uint64 totalShares; // at most MAX_TOTAL_SHARES: bounds the vault's accumulator math
    }

    /// @dev A contribution record: 3 slots (the evidence slot is skipped when the hash is zero).
    struct Record {
        address contributor; // slot 0: 160 bits
        uint8 contributionType; //         + 8
        uint64 assetId; //                 + 64 (registry ids are sequential; uint64 like ParentLink)
        uint128 shares; // slot 1
        bytes32 evidenceHash; // slot 2
    }

    // slot 0
    IAssetRegistry private _registry;
    // slot 1
    IRevenueVault private _vault;
    // slot 2
    uint256 private _contributionCount;
    mapping(address minter => bool) private _minters;
    mapping(uint256 assetId => AssetSplit) private _splits;
    mapping(uint256 assetId => mapping(address account => uint256)) private _balances;
    mapping(uint256 contributionId => Record) private _records;

    /// @notice The asset id was never registered.
    error UnknownAsset(uint256 assetId);
    /// @notice A mint would take the asset's total shares above MAX_TOTAL_SHARES.
    error TooManyShares(uint256 assetId, uint256 total);
    /// @notice The contribution id does not exist.
    error UnknownContribution(uint256 contributionId);

    /// @notice Initializes the proxy.
    /// @param admin owner of the module (minters, upgrades)
    /// @param assetRegistry_ the AssetRegistry proxy (owners and existence of assets)
    /// @param revenueVault_ the RevenueVault proxy (checkpointed before every share change)
    function initialize(address admin, address assetRegistry_, address revenueVault_) external initializer {
        if (admin == address(0) || assetRegistry_ == address(0) || revenueVault_ == address(0)) revert ZeroAddress();
        __ProtocolModule_init(admin);
        _registry = IAssetRegistry(assetRegistry_);
        _vault = IRevenueVault(revenueVault_);
    }

    // ------------------------------------------------------------------ minting

    /// @inheritdoc IContributionShares
    function mint(uint256 assetId, address contributor, uint128 shares, uint8 contributionType, bytes32 evidenceHash)
        external whenNotPaused
        nonReentrant
        returns (uint256 contributionId)
    {
        _authorizeMint(assetId);
        contributionId = _mint(assetId, contributor, shares, contributionType, evidenceHash);
        _syncSplit(assetId);
    }

    /// @inheritdoc IContributionShares
    /// @dev The arrays must be non-empty and of equal length; ids are consecutive. A contributor
    ///      may appear more than once.
    function mintBatch(
        uint256 assetId,
        address[] calldata contributors,
        uint128[] calldata shares,
        uint8 contributionType,
        bytes32[] calldata evidenceHashes
    ) external whenNotPaused nonReentrant returns (uint256 firstContributionId) {
        uint256 n = contributors.length;
        if (n == 0 || shares.length != n || evidenceHashes.length != n) revert LengthMismatch();
        _authorizeMint(assetId);
        firstContributionId = _contributionCount + 1;
        for (uint256 i; i < n; ++i) {
            _mint(assetId, contributors[i], shares[i], contributionType, evidenceHashes[i]);
        }
        _syncSplit(assetId); // once, after the last total changed
    }

    /// @dev The asset must exist; the caller must be a minter or the asset's current owner.
    function _authorizeMint(uint256 assetId) private view {
        if (!_registry.exists(assetId)) revert UnknownAsset(assetId);
        if (!_minters[msg.sender] && _registry.ownerOf(assetId) != msg.sender) {
            revert NotAuthorizedMinter(assetId, msg.sender);
        }
    }

    /// @dev Copies the asset's split into the vault (after every change to it), so payments read
    ///      it from the vault's own storage.
    function _syncSplit(uint256 assetId) private {
        AssetSplit memory split = _splits[assetId];
        _vault.syncSplit(assetId, split.contributorBps, split.totalShares);
    }

    /// @dev Checkpoints, then records. Callers must `_syncSplit` once afterwards.
    function _mint(uint256 assetId, address contributor, uint128 shares, uint8 contributionType, bytes32 evidenceHash)
        private
        returns (uint256 contributionId)
    {
        if (contributor == address(0)) revert ZeroAddress();
        if (shares == 0) revert ZeroShares();

        // Settle the account's revenue at its old share count before the count changes.
        _vault.checkpoint(assetId, contributor);

        AssetSplit memory split = _splits[assetId];
        bool first = split.totalShares == 0;
        uint256 total = uint256(split.totalShares) + shares;
        if (total > MAX_TOTAL_SHARES) revert TooManyShares(assetId, total);
        split.totalShares = uint64(total);
        _splits[assetId] = split;
        _balances[assetId][contributor] += shares;

        contributionId = ++_contributionCount;
        Record storage r = _records[contributionId];
        r.contributor = contributor;
        r.contributionType = contributionType;
        r.assetId = assetId.toUint64();
        r.shares = shares;
        if (evidenceHash != bytes32(0)) r.evidenceHash = evidenceHash;

        emit TransferSingle(msg.sender, address(0), contributor, assetId, shares);
        if (first) emit Locked(assetId);
        emit ContributionRecorded(contributionId, assetId, contributor, contributionType, shares, evidenceHash);
    }

    // ------------------------------------------------------------------ split

    /// @inheritdoc IContributionShares
    function setContributorSplit(uint256 assetId, uint16 contributorBps) external {
        if (!_registry.exists(assetId)) revert UnknownAsset(assetId);
        if (_registry.ownerOf(assetId) != msg.sender) revert NotAssetOwner(assetId, msg.sender);
        if (contributorBps > MAX_BPS) revert SplitTooHigh(contributorBps);
        AssetSplit memory split = _splits[assetId];
        if (split.totalShares != 0 && contributorBps < split.contributorBps) {
            revert SplitCanOnlyGrow(split.contributorBps, contributorBps);
        }
        split.contributorBps = contributorBps;
        _splits[assetId] = split;
        _vault.syncSplit(assetId, contributorBps, split.totalShares);
        emit ContributorSplitSet(assetId, contributorBps);
    }

    // ------------------------------------------------------------------ admin

    /// @inheritdoc IContributionShares
    function setMinter(address minter, bool allowed) external onlyOwner {
        if (minter == address(0)) revert ZeroAddress();
        _minters[minter] = allowed;
        emit MinterSet(minter, allowed);
    }

    // ------------------------------------------------------------------ soulbound

    /// @notice Shares never move: always reverts with Soulbound.
    function safeTransferFrom(address, address, uint256, uint256, bytes calldata) external pure {
        revert Soulbound();
    }

    /// @notice Shares never move: always reverts with Soulbound.
    function safeBatchTransferFrom(address, address, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        pure
    {
        revert Soulbound();
    }

    /// @notice Shares never move, so there is nothing to approve: always reverts with Soulbound.
    function setApprovalForAll(address, bool) external pure {
        revert Soulbound();
    }

    /// @notice Always false: nobody can move anyone's shares.
    function isApprovedForAll(address, address) external pure returns (bool) {
        return false;
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IContributionShares
    function balanceOf(address account, uint256 assetId) external view returns (uint256) {
        return _balances[assetId][account];
    }

    /// @notice ERC-1155-shaped batch balance query.
    function balanceOfBatch(address[] calldata accounts, uint256[] calldata assetIds)
        external
        view
        returns (uint256[] memory balances)
    {
        if (accounts.length != assetIds.length) revert LengthMismatch();
        balances = new uint256[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) {
            balances[i] = _balances[assetIds[i]][accounts[i]];
        }
    }

    /// @inheritdoc IContributionShares
    function totalShares(uint256 assetId) external view returns (uint256) {
        return _splits[assetId].totalShares;
    }

    /// @inheritdoc IContributionShares
    function splitOf(uint256 assetId) external view returns (uint16 contributorBps, uint256 total) {
        AssetSplit memory split = _splits[assetId];
        return (split.contributorBps, split.totalShares);
    }

    /// @inheritdoc IContributionShares
    function locked(uint256) external pure returns (bool) {
        return true;
    }

    /// @inheritdoc IContributionShares
    function contribution(uint256 contributionId)
        external
        view
        returns (uint256 assetId, address contributor, uint8 contributionType, uint128 shares, bytes32 evidenceHash)
    {
        Record memory r = _records[contributionId];
        if (r.contributor == address(0)) revert UnknownContribution(contributionId);
        return (r.assetId, r.contributor, r.contributionType, r.shares, r.evidenceHash);
    }

    /// @notice Number of contributions recorded so far (ids are 1..count).
    function contributionCount() external view returns (uint256) {
        return _contributionCount;
    }

    /// @notice Whether `minter` may mint shares in any asset.
    function isMinter(address minter) external view returns (bool) {
        return _minters[minter];
    }

    /// @notice The AssetRegistry used for owners and existence.
    function assetRegistry() external view returns (address) {
        return address(_registry);
    }

    /// @notice The RevenueVault checkpointed before every share change.
    function revenueVault() external view returns (address) {
        return address(_vault);
    }

    /// @notice ERC-165: IERC165 and ERC-5192.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == ERC165_INTERFACE_ID || interfaceId == ERC5192_INTERFACE_ID;
    }
}
