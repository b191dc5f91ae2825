// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice How a derived asset relates to one of its parents in the attribution graph.
enum Relation {
    TRAINED_ON,
    FINETUNED_FROM,
    DISTILLED_FROM,
    MERGED_FROM,
    DERIVED_FROM,
    USES_MODEL,
    USES_DATASET,
    EVALUATED_ON
}

/// @notice Asset kinds known at genesis. Kinds are uint16 so the registry can enable new ones
///         (for example PIPELINE) without an upgrade.
library AssetKinds {
    uint16 internal constant DATASET = 1;
    uint16 internal constant MODEL = 2;
    uint16 internal constant AGENT = 3;
    uint16 internal constant PIPELINE = 4;
}

/// @notice Multicodec codes accepted for content ids (CIDv1 with a sha2-256 multihash).
library Codecs {
    uint32 internal constant RAW = 0x55;
    uint32 internal constant DAG_PB = 0x70;
    uint32 internal constant DAG_CBOR = 0x71;
    uint32 internal constant JSON = 0x0200;
    uint32 internal constant DAG_JSON = 0x0129;
}

/// @notice One parent of an asset, as given at registration.
/// @param parentId  the parent asset
/// @param relation  the typed edge
/// @param licenseId a LicenseNFT the registrant holds on the parent that allows derivatives;
///                  0 when the registrant owns the parent or the parent has open terms
struct ParentInput {
    uint256 parentId;
    Relation relation;
    uint256 licenseId;
}

/// @notice One stored edge of the attribution graph (immutable once written).
struct ParentLink {
    uint64 parentId;
    Relation relation;
    uint16 royaltyBps;
    uint64 licenseId;
}

/// @notice A content-addressed pointer: CIDv1 = (codec, sha2-256 digest).
struct ContentRef {
    uint32 codec;
    bytes32 digest;
}

/// @notice Everything needed to register one asset.
/// @param kind      asset kind (see AssetKinds)
/// @param owner     who receives the OwnershipNFT (address(0) = msg.sender); the creator is always msg.sender
/// @param content   CID of the asset bytes (model weights, dataset archive, agent manifest)
/// @param metadata  CID of the metadata JSON (name, description, ...); tokenURI = ipfs://<cid>
/// @param parents   typed parent links, at most MAX_PARENTS
struct RegisterParams {
    uint16 kind;
    address owner;
    ContentRef content;
    ContentRef metadata;
    ParentInput[] parents;
}

/// @notice Stored asset header.
struct AssetInfo {
    address creator;
    uint16 kind;
    uint32 versionCount;
    uint40 registeredAt;
    uint8 parentCount;
    uint16 royaltyBps; // sum of the parents' royalty bps, fixed at registration
}

/// @notice One published version of an asset (append-only).
struct VersionInfo {
    ContentRef content;
    ContentRef metadata;
    uint40 publishedAt;
}
