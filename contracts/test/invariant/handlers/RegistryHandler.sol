// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {AssetRegistry} from "../../../src/assets/AssetRegistry.sol";
import {LicenseRegistry} from "../../../src/licensing/LicenseRegistry.sol";
import {
    RegisterParams, ParentInput, ParentLink, ContentRef, Relation, Codecs
} from "../../../src/types/AssetTypes.sol";
import {TermsParams, LicenseTemplate} from "../../../src/types/LicenseTypes.sol";

/// @notice Drives the asset and license registries with random registrations (roots, children,
///         batches), versions, free terms, sales, transfers and time jumps, keeping an independent
///         model (ghosts) of ownership, versions, open terms and licenses. Each derivative attempt
///         is judged by the model first: an accepted edge the model did not permit, or an edge
///         accepted with an expired license, is counted and must stay 0.
/// @dev Only free terms: fee paths belong to the vault's own invariants.
contract RegistryHandler is Test {
    AssetRegistry public immutable registry;
    LicenseRegistry public immutable licenses;
    address[] internal _actors;

    struct GhostVersion {
        uint32 contentCodec;
        bytes32 contentDigest;
        uint32 metadataCodec;
        bytes32 metadataDigest;
        uint40 publishedAt;
    }

    struct GhostTerms {
        uint256 assetId;
        LicenseTemplate template;
        uint16 royaltyBps;
        uint40 duration;
        bool transferable;
        bool active;
        uint64 cap;
        uint64 sold;
    }

    struct GhostLicense {
        uint256 assetId;
        uint256 termsId;
        uint40 expiresAt;
        address holder;
    }

    uint256 public ghostAssetCount;
    mapping(uint256 assetId => address) public ghostOwner;
    mapping(uint256 assetId => GhostVersion[]) internal _versions;
    mapping(uint256 assetId => uint256) public ghostOpenActive;
    mapping(uint256 assetId => uint256) public ghostRoyaltyBps;
    GhostTerms[] internal _terms; // termsId - 1
    GhostLicense[] internal _licenses; // licenseId - 1

    // ---- safety counters (must stay 0)
    uint256 public ghostUnpermittedAccepted;
    uint256 public ghostExpiredAccepted;
    uint256 public ghostRoyaltyMismatch;
    uint256 public ghostUnexpectedOutcome; // the registry disagreed with the model on an allowed/forbidden action
    // ---- coverage counters
    uint256 public ghostExpiredAttempts;
    uint256 public ghostDerivativesAccepted;
    uint256 public ghostDerivativesRejected;

    uint256 private _nonce;

    constructor(AssetRegistry registry_, LicenseRegistry licenses_) {
        registry = registry_;
        licenses = licenses_;
        _actors.push(makeAddr("actor0"));
        _actors.push(makeAddr("actor1"));
        _actors.push(makeAddr("actor2"));
        _actors.push(makeAddr("actor3"));
    }

    // ------------------------------------------------------------------ actions

    function registerRoot(uint256 actorSeed, uint256 kindSeed, uint256 codecSeed, bool toOther) external {
        address actor = _actor(actorSeed);
        address owner = toOther ? _actor(actorSeed % 4 + 1) : address(0);
        RegisterParams memory p = _root(uint16(1 + kindSeed % 4), codecSeed);
        p.owner = owner;
        vm.prank(actor);
        uint256 id = registry.register(p);
        _recordNew(id, owner == address(0) ? actor : owner, p);
    }

    function registerBatch(uint256 actorSeed, uint8 nSeed, uint256 codecSeed) external {
        address actor = _actor(actorSeed);
        uint256 n = 1 + nSeed % 4;
        RegisterParams[] memory batch = new RegisterParams[](n);
        uint256 first = ghostAssetCount + 1;
        for (uint256 i; i < n; ++i) {
            batch[i] = _root(uint16(1 + (codecSeed % 4 + i) % 4), codecSeed >> (8 * i));
        }
        // The last entry derives from the first (owned by the caller within the same batch).
        if (n > 1) {
            batch[n - 1].parents = new ParentInput[](1);
            batch[n - 1].parents[0] = ParentInput(first, Relation.DERIVED_FROM, 0);
        }
        vm.prank(actor);
        uint256 got = registry.registerBatch(batch);
        if (got != first) ++ghostUnexpectedOutcome;
        for (uint256 i; i < n; ++i) _recordNew(first + i, actor, batch[i]);
        if (n > 1) ++ghostDerivativesAccepted;
    }

    struct ChildPlan {
        bool allPermitted;
        bool anyExpired;
        uint256 royaltySum;
        uint16[] royalties;
    }

    /// @dev Tries a child with 1..3 distinct existing parents; per parent the permission is the
    ///      owner/open path (licenseId 0), one of the actor's licenses on it, or any license.
    function registerChild(uint256 actorSeed, uint256 parentSeed, uint8 nSeed, uint256 modeSeed) external {
        uint256 count = ghostAssetCount;
        if (count == 0) return;
        address actor = _actor(actorSeed);
        RegisterParams memory p = _root(2, modeSeed);
        ChildPlan memory plan = _planChild(p, actor, parentSeed, nSeed, modeSeed);
        bool allowed = plan.allPermitted && plan.royaltySum <= registry.MAX_TOTAL_ROYALTY_BPS();
        vm.prank(actor);
        try registry.register(p) returns (uint256 id) {
            ++ghostDerivativesAccepted;
            if (!allowed) ++ghostUnpermittedAccepted;
            if (plan.anyExpired) ++ghostExpiredAccepted;
            _recordNew(id, actor, p);
            ParentLink[] memory links = registry.parentsOf(id);
            for (uint256 i; i < links.length; ++i) {
                if (links[i].royaltyBps != plan.royalties[i]) ++ghostRoyaltyMismatch;
            }
            ghostRoyaltyBps[id] = plan.royaltySum;
        } catch {
            ++ghostDerivativesRejected;
            if (allowed) ++ghostUnexpectedOutcome;
        }
    }

    function _planChild(RegisterParams memory p, address actor, uint256 parentSeed, uint8 nSeed, uint256 modeSeed)
        internal
        returns (ChildPlan memory plan)
    {
        uint256 count = ghostAssetCount;
        uint256 n = 1 + nSeed % 3;
        if (n > count) n = count;
        p.parents = new ParentInput[](n);
        plan.allPermitted = true;
        plan.royalties = new uint16[](n);
        uint256 start = parentSeed % count;
        for (uint256 i; i < n; ++i) {
            uint256 parentId = 1 + (start + i) % count; // distinct because n <= count
            uint256 licenseId = _pickLicense(actor, parentId, modeSeed >> (8 * i));
            p.parents[i] = ParentInput(parentId, Relation((modeSeed >> (3 * i)) % 8), licenseId);
            (bool permitted, bool expired, uint16 royalty) = _modelPermission(actor, parentId, licenseId);
            if (expired) {
                plan.anyExpired = true;
                ++ghostExpiredAttempts;
            }
            plan.allPermitted = plan.allPermitted && permitted;
            plan.royalties[i] = royalty;
            plan.royaltySum += royalty;
        }
    }

    function publishVersion(uint256 assetSeed, uint256 actorSeed, uint256 codecSeed, bool asOwner) external {
        uint256 count = ghostAssetCount;
        if (count == 0) return;
        uint256 id = 1 + assetSeed % count;
        address actor = asOwner ? ghostOwner[id] : _actor(actorSeed);
        ContentRef memory c = ContentRef(_codec(codecSeed), _freshDigest());
        ContentRef memory m = ContentRef(_codec(codecSeed >> 8), _freshDigest());
        vm.prank(actor);
        try registry.publishVersion(id, c, m) returns (uint32 v) {
            if (actor != ghostOwner[id] || v != _versions[id].length + 1) ++ghostUnexpectedOutcome;
            _versions[id].push(GhostVersion(c.codec, c.digest, m.codec, m.digest, uint40(block.timestamp)));
        } catch {
            if (actor == ghostOwner[id]) ++ghostUnexpectedOutcome;
        }
    }

    function attachTerms(uint256 assetSeed, uint256 templateSeed, uint16 royaltySeed, uint40 durationSeed, uint64 capSeed)
        external
    {
        uint256 count = ghostAssetCount;
        if (count == 0) return;
        uint256 id = 1 + assetSeed % count;
        TermsParams memory t;
        t.template = LicenseTemplate(templateSeed % 4); // free templates only (no PAY_PER_USE)
        if (t.template == LicenseTemplate.COMMERCIAL_REMIX) t.royaltyBps = uint16(bound(royaltySeed, 1, 3000));
        t.duration = durationSeed % 3 == 0 ? 0 : uint40(bound(durationSeed, 1 hours, 30 days));
        t.transferable = templateSeed & 8 != 0;
        t.supplyCap = capSeed % 4 == 0 ? uint64(1 + capSeed % 3) : 0;
        vm.prank(ghostOwner[id]);
        uint256 termsId = licenses.attachTerms(id, t);
        if (termsId != _terms.length + 1) ++ghostUnexpectedOutcome;
        _terms.push(GhostTerms(id, t.template, t.royaltyBps, t.duration, t.transferable, true, t.supplyCap, 0));
        if (t.template == LicenseTemplate.OPEN) ++ghostOpenActive[id];
    }

    function stopSales(uint256 termsSeed) external {
        if (_terms.length == 0) return;
        uint256 termsId = 1 + termsSeed % _terms.length;
        GhostTerms storage g = _terms[termsId - 1];
        vm.prank(ghostOwner[g.assetId]);
        try licenses.stopSales(termsId) {
            if (!g.active) ++ghostUnexpectedOutcome;
            g.active = false;
            if (g.template == LicenseTemplate.OPEN) --ghostOpenActive[g.assetId];
        } catch {
            if (g.active) ++ghostUnexpectedOutcome;
        }
    }

    function buyLicense(uint256 actorSeed, uint256 termsSeed) external {
        if (_terms.length == 0) return;
        address actor = _actor(actorSeed);
        uint256 termsId = 1 + termsSeed % _terms.length;
        GhostTerms storage g = _terms[termsId - 1];
        bool expectOk = g.active && (g.cap == 0 || g.sold < g.cap);
        vm.prank(actor);
        try licenses.buyLicense(termsId, address(0), 0) returns (uint256 licenseId) {
            if (!expectOk || licenseId != _licenses.length + 1) ++ghostUnexpectedOutcome;
            ++g.sold;
            uint40 expiresAt = g.duration == 0 ? 0 : uint40(block.timestamp) + g.duration;
            _licenses.push(GhostLicense(g.assetId, termsId, expiresAt, actor));
        } catch {
            if (expectOk) ++ghostUnexpectedOutcome;
        }
    }

    function transferAsset(uint256 assetSeed, uint256 toSeed) external {
        uint256 count = ghostAssetCount;
        if (count == 0) return;
        uint256 id = 1 + assetSeed % count;
        address from = ghostOwner[id];
        address to = _actor(toSeed);
        vm.prank(from);
        registry.transferFrom(from, to, id);
        ghostOwner[id] = to;
    }

    function transferLicense(uint256 licenseSeed, uint256 toSeed) external {
        if (_licenses.length == 0) return;
        uint256 licenseId = 1 + licenseSeed % _licenses.length;
        GhostLicense storage l = _licenses[licenseId - 1];
        address to = _actor(toSeed);
        bool transferable = _terms[l.termsId - 1].transferable;
        vm.prank(l.holder);
        try licenses.transferFrom(l.holder, to, licenseId) {
            if (!transferable) ++ghostUnexpectedOutcome;
            l.holder = to;
        } catch {
            if (transferable) ++ghostUnexpectedOutcome;
        }
    }

    function warp(uint256 secondsSeed) external {
        vm.warp(block.timestamp + bound(secondsSeed, 1 minutes, 20 days));
    }

    // ------------------------------------------------------------------ ghost views

    function versionCount(uint256 assetId) external view returns (uint256) {
        return _versions[assetId].length;
    }

    function ghostVersion(uint256 assetId, uint256 version) external view returns (GhostVersion memory) {
        return _versions[assetId][version - 1];
    }

    function termsLength() external view returns (uint256) {
        return _terms.length;
    }

    function ghostTerms(uint256 termsId) external view returns (GhostTerms memory) {
        return _terms[termsId - 1];
    }

    function licensesLength() external view returns (uint256) {
        return _licenses.length;
    }

    function ghostLicense(uint256 licenseId) external view returns (GhostLicense memory) {
        return _licenses[licenseId - 1];
    }

    // ------------------------------------------------------------------ model

    /// @dev The model of ILicenseRegistry.checkDerivative, built from ghosts only.
    function _modelPermission(address actor, uint256 parentId, uint256 licenseId)
        internal
        view
        returns (bool permitted, bool expired, uint16 royalty)
    {
        if (licenseId == 0) return (ghostOwner[parentId] == actor || ghostOpenActive[parentId] != 0, false, 0);
        if (licenseId > _licenses.length) return (false, false, 0);
        GhostLicense storage l = _licenses[licenseId - 1];
        GhostTerms storage t = _terms[l.termsId - 1];
        expired = l.expiresAt != 0 && block.timestamp >= l.expiresAt;
        bool derivable = t.template == LicenseTemplate.OPEN || t.template == LicenseTemplate.COMMERCIAL_REMIX;
        permitted = l.holder == actor && l.assetId == parentId && !expired && derivable;
        royalty = permitted ? t.royaltyBps : 0;
    }

    function _pickLicense(address actor, uint256 parentId, uint256 seed) internal view returns (uint256) {
        uint256 mode = seed % 3;
        uint256 n = _licenses.length;
        if (mode == 0 || n == 0) return 0;
        if (mode == 1) {
            // One of the actor's licenses on this parent, expired or not.
            uint256 start = (seed >> 2) % n;
            for (uint256 k; k < n; ++k) {
                uint256 i = (start + k) % n;
                if (_licenses[i].assetId == parentId && _licenses[i].holder == actor) return i + 1;
            }
            return 0;
        }
        // Any license, or an id that does not exist yet.
        return 1 + (seed >> 2) % (n + 1);
    }

    function _recordNew(uint256 id, address owner, RegisterParams memory p) internal {
        if (id != ghostAssetCount + 1) ++ghostUnexpectedOutcome;
        ghostAssetCount = id;
        ghostOwner[id] = owner;
        _versions[id].push(
            GhostVersion(p.content.codec, p.content.digest, p.metadata.codec, p.metadata.digest, uint40(block.timestamp))
        );
    }

    function _root(uint16 kind, uint256 codecSeed) internal returns (RegisterParams memory p) {
        p.kind = kind;
        p.content = ContentRef(_codec(codecSeed), _freshDigest());
        p.metadata = ContentRef(_codec(codecSeed >> 4), _freshDigest());
    }

    function _codec(uint256 seed) internal pure returns (uint32) {
        uint256 i = seed % 5;
        if (i == 0) return Codecs.RAW;
        if (i == 1) return Codecs.DAG_PB;
        if (i == 2) return Codecs.DAG_CBOR;
        if (i == 3) return Codecs.JSON;
        return Codecs.DAG_JSON;
    }

    function _freshDigest() internal returns (bytes32) {
        return keccak256(abi.encode("digest", ++_nonce));
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }
}
