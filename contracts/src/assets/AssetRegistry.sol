// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC721/ERC721Upgradeable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ProtocolModule} from "../utils/ProtocolModule.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {ILicenseRegistry} from "../interfaces/ILicenseRegistry.sol";
import {Cid} from "../libraries/Cid.sol";
import {
    RegisterParams,
    AssetInfo,
    VersionInfo,
    ParentLink,
    ParentInput,
    ContentRef,
    Relation,
    AssetKinds,
    Codecs
} from "../types/AssetTypes.sol";

/// @title AssetRegistry
/// @notice The OwnershipNFT ("Sahara Asset", SAHARA-ASSET): one ERC-721 token per AI asset, with an
///         append-only version history and immutable typed parent links (the attribution graph).
/// @dev Storage is hand-packed so that registering an asset without parents writes three words of
///      its own (header + two digests) on top of the ERC-721 owner/balance words:
///
///      header word (per asset)            link word (per parent, index 0..parentCount-1)
///        [  0..159] creator                 [  0..63 ] parentId
///        [160..175] kind                    [ 64..71 ] relation
///        [176..215] registeredAt            [ 72..87 ] royaltyBps of this edge
///        [216..247] versionCount            [ 88..151] licenseId
///        [248..251] v1 content codec idx    index 0 only:
///        [252..255] v1 metadata codec idx   [152..159] parentCount
///                                           [160..175] total royaltyBps of the asset
///
///      version v: two digest words; for v >= 2 a third word
///        [0..7] content codec idx, [8..15] metadata codec idx, [16..55] publishedAt.
///      Version 1 keeps its codecs in the header and its publishedAt is registeredAt, which saves
///      one cold SSTORE (22.1k gas) per registration. parentCount/royalty live in link word 0
///      because they are only non-zero when that word is written anyway.
///      Codec idx: 1 RAW, 2 DAG_PB, 3 DAG_CBOR, 4 JSON, 5 DAG_JSON (0 never stored).
///
///      Children are not stored: indexers follow ParentLinked events by the indexed parentId.
///      The graph is acyclic by construction: a parent must have a smaller id than its child.
///      Ownership NFTs are minted with `_mint` (no ERC721Receiver callback): registration makes no
///      state-changing external call, so it needs no reentrancy guard.
contract AssetRegistry is IAssetRegistry, ERC721Upgradeable, ProtocolModule {
    using SafeCast for uint256;

    /// @notice Maximum number of direct parents per asset (bounds the registration loop and the
    ///         vault's royalty forwarding, which is O(direct parents)).
    uint256 public constant MAX_PARENTS = 32;
    /// @notice Maximum sum of the royalty bps an asset owes its parents (50%).
    uint16 public constant MAX_TOTAL_ROYALTY_BPS = 5000;

    // ------------------------------------------------------------------ bit layout
    uint256 private constant _KIND_SHIFT = 160;
    uint256 private constant _REGISTERED_SHIFT = 176;
    uint256 private constant _VCOUNT_SHIFT = 216;
    uint256 private constant _V1_CODEC_SHIFT = 248;
    uint256 private constant _REL_SHIFT = 64;
    uint256 private constant _EDGE_ROYALTY_SHIFT = 72;
    uint256 private constant _LICENSE_SHIFT = 88;
    uint256 private constant _PCOUNT_SHIFT = 152;
    uint256 private constant _TOTAL_ROYALTY_SHIFT = 160;
    uint256 private constant _PUBLISHED_SHIFT = 16;
    uint256 private constant _MASK16 = 0xffff;
    uint256 private constant _MASK32 = 0xffffffff;
    uint256 private constant _MASK40 = 0xffffffffff;
    uint256 private constant _MASK64 = 0xffffffffffffffff;

    struct VersionWords {
        bytes32 contentDigest;
        bytes32 metadataDigest;
        uint256 meta; // only for versions >= 2, see the contract notes
    }

    // ------------------------------------------------------------------ storage
    // slot 0: licenseRegistry (160) | assetCount (64) | enabled bits of kinds 0..31 (32), read
    // together on every registration so the common kinds cost no extra SLOAD.
    address private _licenseRegistry;
    uint64 private _assetCount;
    uint32 private _lowKinds;
    mapping(uint16 kind => bool) private _highKinds; // kinds >= 32
    mapping(uint256 assetId => uint256) private _headers;
    mapping(uint256 assetId => mapping(uint256 version => VersionWords)) private _versions;
    mapping(uint256 assetId => uint256[MAX_PARENTS]) private _links;

    /// @notice Sets up the registry behind its proxy: names the NFT, sets the admin and the
    ///         LicenseRegistry that approves derivatives, and enables the genesis kinds.
    /// @param admin owner of the module (upgrades, kinds)
    /// @param licenseRegistry_ the ILicenseRegistry consulted for every parent link
    function initialize(address admin, address licenseRegistry_) external initializer {
        __ERC721_init("Sahara Asset", "SAHARA-ASSET");
        __ProtocolModule_init(admin);
        _licenseRegistry = licenseRegistry_;
        _setKind(AssetKinds.DATASET, "DATASET", true);
        _setKind(AssetKinds.MODEL, "MODEL", true);
        _setKind(AssetKinds.AGENT, "AGENT", true);
        _setKind(AssetKinds.PIPELINE, "PIPELINE", true);
    }

    // ------------------------------------------------------------------ writes

    /// @inheritdoc IAssetRegistry
    function register(RegisterParams calldata params) external whenNotPaused returns (uint256 assetId) {
        (address registry, uint256 count, uint256 lowKinds) = (_licenseRegistry, _assetCount, _lowKinds);
        assetId = count + 1;
        _register(params, assetId, registry, lowKinds);
        _assetCount = uint64(assetId);
    }

    /// @inheritdoc IAssetRegistry
    function registerBatch(RegisterParams[] calldata params) external whenNotPaused returns (uint256 firstAssetId) {
        uint256 n = params.length;
        if (n == 0) revert EmptyBatch();
        (address registry, uint256 count, uint256 lowKinds) = (_licenseRegistry, _assetCount, _lowKinds);
        firstAssetId = count + 1;
        for (uint256 i; i < n; ++i) {
            // Ids below the current one already have their header, so later entries may use
            // earlier entries of the same batch as parents.
            _register(params[i], firstAssetId + i, registry, lowKinds);
        }
        _assetCount = uint64(count + n);
    }

    /// @inheritdoc IAssetRegistry
    function publishVersion(uint256 assetId, ContentRef calldata content, ContentRef calldata metadata)
        external whenNotPaused
        returns (uint32 version)
    {
        uint256 header = _headers[assetId];
        if (header == 0) revert UnknownAsset(assetId);
        if (_ownerOf(assetId) != msg.sender) revert NotAssetOwner(assetId, msg.sender);
        uint256 contentIdx = _codecIndex(content);
        uint256 metadataIdx = _codecIndex(metadata);

        version = uint32((header >> _VCOUNT_SHIFT) & _MASK32) + 1; // checked: reverts past 2^32-1
        _headers[assetId] = (header & ~(_MASK32 << _VCOUNT_SHIFT)) | (uint256(version) << _VCOUNT_SHIFT);
        VersionWords storage w = _versions[assetId][version];
        w.contentDigest = content.digest;
        w.metadataDigest = metadata.digest;
        w.meta = contentIdx | (metadataIdx << 8) | (uint256(uint40(block.timestamp)) << _PUBLISHED_SHIFT);

        emit VersionPublished(assetId, version, content.codec, content.digest, metadata.codec, metadata.digest);
    }

    /// @inheritdoc IAssetRegistry
    function setKind(uint16 kind, string calldata name, bool enabled) external onlyOwner {
        if (kind == 0) revert InvalidKind(kind);
        _setKind(kind, name, enabled);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IAssetRegistry
    function assetInfo(uint256 assetId) external view returns (AssetInfo memory info) {
        uint256 header = _header(assetId);
        uint256 link0 = _links[assetId][0];
        info = AssetInfo({
            creator: address(uint160(header)),
            kind: uint16(header >> _KIND_SHIFT),
            versionCount: uint32(header >> _VCOUNT_SHIFT),
            registeredAt: uint40(header >> _REGISTERED_SHIFT),
            parentCount: uint8(link0 >> _PCOUNT_SHIFT),
            royaltyBps: uint16(link0 >> _TOTAL_ROYALTY_SHIFT)
        });
    }

    /// @inheritdoc IAssetRegistry
    function versionInfo(uint256 assetId, uint32 version) public view returns (VersionInfo memory info) {
        uint256 header = _header(assetId);
        if (version == 0 || version > uint32(header >> _VCOUNT_SHIFT)) revert UnknownVersion(assetId, version);
        VersionWords storage w = _versions[assetId][version];
        uint256 contentIdx;
        uint256 metadataIdx;
        uint256 publishedAt;
        if (version == 1) {
            contentIdx = (header >> _V1_CODEC_SHIFT) & 0xf;
            metadataIdx = header >> (_V1_CODEC_SHIFT + 4);
            publishedAt = (header >> _REGISTERED_SHIFT) & _MASK40;
        } else {
            uint256 meta = w.meta;
            contentIdx = meta & 0xff;
            metadataIdx = (meta >> 8) & 0xff;
            publishedAt = (meta >> _PUBLISHED_SHIFT) & _MASK40;
        }
        info = VersionInfo({
            content: ContentRef(_codecOf(contentIdx), w.contentDigest),
            metadata: ContentRef(_codecOf(metadataIdx), w.metadataDigest),
            publishedAt: uint40(publishedAt)
        });
    }

    /// @inheritdoc IAssetRegistry
    function latestVersion(uint256 assetId) public view returns (uint32 version, VersionInfo memory info) {
        version = uint32(_header(assetId) >> _VCOUNT_SHIFT);
        info = versionInfo(assetId, version);
    }

    /// @inheritdoc IAssetRegistry
    function contentId(uint256 assetId, uint32 version) external view returns (string memory) {
        ContentRef memory c = versionInfo(assetId, version).content;
        return Cid.toString(c.codec, c.digest);
    }

    /// @notice The CIDv1 string of a version's metadata.
    /// @param assetId the asset
    /// @param version 1-based version number
    /// @return the metadata CID ("bafk...", "bagu...", ...)
    function metadataId(uint256 assetId, uint32 version) external view returns (string memory) {
        ContentRef memory m = versionInfo(assetId, version).metadata;
        return Cid.toString(m.codec, m.digest);
    }

    /// @notice ipfs://<metadata CID of the latest version>.
    /// @param assetId the OwnershipNFT id
    /// @return the token URI
    function tokenURI(uint256 assetId) public view override returns (string memory) {
        _requireOwned(assetId);
        (, VersionInfo memory info) = latestVersion(assetId);
        return string.concat("ipfs://", Cid.toString(info.metadata.codec, info.metadata.digest));
    }

    /// @inheritdoc IAssetRegistry
    function parentsOf(uint256 assetId) external view returns (ParentLink[] memory links) {
        _header(assetId);
        uint256[MAX_PARENTS] storage words = _links[assetId];
        uint256 n = uint8(words[0] >> _PCOUNT_SHIFT);
        links = new ParentLink[](n);
        for (uint256 i; i < n; ++i) {
            uint256 w = words[i];
            links[i] = ParentLink({
                parentId: uint64(w),
                relation: Relation(uint8(w >> _REL_SHIFT)),
                royaltyBps: uint16(w >> _EDGE_ROYALTY_SHIFT),
                licenseId: uint64(w >> _LICENSE_SHIFT)
            });
        }
    }

    /// @inheritdoc IAssetRegistry
    function exists(uint256 assetId) external view returns (bool) {
        return _headers[assetId] != 0;
    }

    /// @inheritdoc IAssetRegistry
    function assetCount() external view returns (uint256) {
        return _assetCount;
    }

    /// @inheritdoc IAssetRegistry
    function kindEnabled(uint16 kind) external view returns (bool) {
        return _isKindEnabled(kind, _lowKinds);
    }

    /// @notice The LicenseRegistry consulted for derivative permissions.
    /// @return the license registry address
    function licenseRegistry() external view returns (address) {
        return _licenseRegistry;
    }

    /// @inheritdoc IAssetRegistry
    function ownerOf(uint256 assetId) public view override(ERC721Upgradeable, IAssetRegistry) returns (address) {
        return super.ownerOf(assetId);
    }

    // ------------------------------------------------------------------ internals

    function _register(RegisterParams calldata p, uint256 assetId, address registry, uint256 lowKinds) private {
        uint16 kind = p.kind;
        if (!_isKindEnabled(kind, lowKinds)) revert KindNotEnabled(kind);
        uint256 contentIdx = _codecIndex(p.content);
        uint256 metadataIdx = _codecIndex(p.metadata);
        uint256 nParents = p.parents.length;
        if (nParents > MAX_PARENTS) revert TooManyParents(nParents, MAX_PARENTS);
        address owner = p.owner == address(0) ? msg.sender : p.owner;

        _headers[assetId] = uint256(uint160(msg.sender)) | (uint256(kind) << _KIND_SHIFT)
            | (uint256(uint40(block.timestamp)) << _REGISTERED_SHIFT) | (uint256(1) << _VCOUNT_SHIFT)
            | (contentIdx << _V1_CODEC_SHIFT) | (metadataIdx << (_V1_CODEC_SHIFT + 4));
        VersionWords storage v1 = _versions[assetId][1];
        v1.contentDigest = p.content.digest;
        v1.metadataDigest = p.metadata.digest;

        _mint(owner, assetId);
        emit AssetRegistered(assetId, msg.sender, kind, owner);
        emit VersionPublished(assetId, 1, p.content.codec, p.content.digest, p.metadata.codec, p.metadata.digest);

        if (nParents != 0) _linkParents(p.parents, assetId, registry);
    }

    function _linkParents(ParentInput[] calldata parents, uint256 assetId, address registry) private {
        uint256 n = parents.length;
        uint256[MAX_PARENTS] storage words = _links[assetId];
        uint256 total;
        uint256 word0;
        for (uint256 i; i < n; ++i) {
            ParentInput calldata input = parents[i];
            uint256 parentId = input.parentId;
            // Existing ids are exactly 1..assetId-1: this is what makes the graph acyclic.
            if (parentId == 0 || parentId >= assetId) revert UnknownAsset(parentId);
            for (uint256 j; j < i; ++j) {
                if (parents[j].parentId == parentId) revert DuplicateParent(parentId);
            }
            uint256 licenseId = input.licenseId;
            uint16 royalty = ILicenseRegistry(registry).checkDerivative(msg.sender, parentId, licenseId);
            total += royalty;
            uint256 w = parentId | (uint256(uint8(input.relation)) << _REL_SHIFT)
                | (uint256(royalty) << _EDGE_ROYALTY_SHIFT) | (uint256(licenseId.toUint64()) << _LICENSE_SHIFT);
            if (i == 0) word0 = w;
            else words[i] = w;
            emit ParentLinked(assetId, parentId, input.relation, licenseId, royalty);
        }
        if (total > MAX_TOTAL_ROYALTY_BPS) revert RoyaltyTooHigh(total, MAX_TOTAL_ROYALTY_BPS);
        words[0] = word0 | (n << _PCOUNT_SHIFT) | (total << _TOTAL_ROYALTY_SHIFT);
    }

    function _setKind(uint16 kind, string memory name, bool enabled) private {
        if (kind < 32) {
            uint32 bit = uint32(1) << kind;
            _lowKinds = enabled ? _lowKinds | bit : _lowKinds & ~bit;
        } else {
            _highKinds[kind] = enabled;
        }
        emit KindSet(kind, name, enabled);
    }

    function _isKindEnabled(uint16 kind, uint256 lowKinds) private view returns (bool) {
        if (kind < 32) return (lowKinds >> kind) & 1 == 1;
        return _highKinds[kind];
    }

    function _header(uint256 assetId) private view returns (uint256 header) {
        header = _headers[assetId];
        if (header == 0) revert UnknownAsset(assetId);
    }

    /// @dev Validates a ContentRef and returns the codec's 1-based index.
    function _codecIndex(ContentRef calldata ref) private pure returns (uint256) {
        if (ref.digest == bytes32(0)) revert EmptyDigest();
        uint32 codec = ref.codec;
        if (codec == Codecs.RAW) return 1;
        if (codec == Codecs.DAG_PB) return 2;
        if (codec == Codecs.DAG_CBOR) return 3;
        if (codec == Codecs.JSON) return 4;
        if (codec == Codecs.DAG_JSON) return 5;
        revert UnsupportedCodec(codec);
    }

    function _codecOf(uint256 idx) private pure returns (uint32) {
        if (idx == 1) return Codecs.RAW;
        if (idx == 2) return Codecs.DAG_PB;
        if (idx == 3) return Codecs.DAG_CBOR;
        if (idx == 4) return Codecs.JSON;
        return Codecs.DAG_JSON;
    }
}
