// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RegistrySetup} from "../utils/RegistrySetup.sol";
import {RegistryHandler} from "./handlers/RegistryHandler.sol";
import {ParentLink, VersionInfo, AssetInfo} from "../../src/types/AssetTypes.sol";
import {Terms, License, LicenseTemplate} from "../../src/types/LicenseTypes.sol";

/// @notice Invariants of the attribution graph, version history and derivative permissions.
/// @dev The handler expects every call to succeed (expected failures are caught and judged by
///      the model), so any revert is a handler or registry bug: fail on revert.
/// forge-config: default.invariant.fail-on-revert = true
contract RegistryInvariantTest is RegistrySetup {
    RegistryHandler internal handler;

    function setUp() public {
        _deployRegistries(makeAddr("admin"), makeAddr("vault"));
        handler = new RegistryHandler(registry, licenses);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = RegistryHandler.registerRoot.selector;
        selectors[1] = RegistryHandler.registerBatch.selector;
        selectors[2] = RegistryHandler.registerChild.selector;
        selectors[3] = RegistryHandler.publishVersion.selector;
        selectors[4] = RegistryHandler.attachTerms.selector;
        selectors[5] = RegistryHandler.stopSales.selector;
        selectors[6] = RegistryHandler.buyLicense.selector;
        selectors[7] = RegistryHandler.transferAsset.selector;
        selectors[8] = RegistryHandler.transferLicense.selector;
        selectors[9] = RegistryHandler.warp.selector;
        targetSelector(FuzzSelector(address(handler), selectors));
    }

    /// @dev Every parent has a smaller id than its child and exists; no duplicate edges. With
    ///      ids assigned in registration order this makes the graph a DAG.
    function invariant_lineageAcyclic() public view {
        uint256 count = registry.assetCount();
        for (uint256 id = 1; id <= count; ++id) {
            ParentLink[] memory links = registry.parentsOf(id);
            assertEq(links.length, registry.assetInfo(id).parentCount);
            uint256 royalty;
            for (uint256 i; i < links.length; ++i) {
                assertLt(links[i].parentId, id);
                assertGe(links[i].parentId, 1);
                assertTrue(registry.exists(links[i].parentId));
                for (uint256 j; j < i; ++j) assertTrue(links[i].parentId != links[j].parentId, "duplicate edge");
                royalty += links[i].royaltyBps;
            }
            assertEq(royalty, registry.assetInfo(id).royaltyBps);
            assertLe(royalty, registry.MAX_TOTAL_ROYALTY_BPS());
        }
    }

    /// @dev Every version ever published reads back exactly as published, forever.
    function invariant_versionHistoryAppendOnly() public view {
        uint256 count = registry.assetCount();
        assertEq(count, handler.ghostAssetCount());
        for (uint256 id = 1; id <= count; ++id) {
            uint256 n = handler.versionCount(id);
            assertEq(registry.assetInfo(id).versionCount, n);
            for (uint256 v = 1; v <= n; ++v) {
                RegistryHandler.GhostVersion memory g = handler.ghostVersion(id, v);
                VersionInfo memory r = registry.versionInfo(id, uint32(v));
                assertEq(r.content.codec, g.contentCodec);
                assertEq(r.content.digest, g.contentDigest);
                assertEq(r.metadata.codec, g.metadataCodec);
                assertEq(r.metadata.digest, g.metadataDigest);
                assertEq(r.publishedAt, g.publishedAt);
            }
        }
    }

    /// @dev Every accepted edge had a permission in the model at registration (owner, active
    ///      OPEN terms, or a valid OPEN/COMMERCIAL_REMIX license held by the registrant) and
    ///      carries the royalty of that license; and the registry never refused a permitted one.
    function invariant_derivativesAlwaysPermitted() public view {
        assertEq(handler.ghostUnpermittedAccepted(), 0, "derivative accepted without permission");
        assertEq(handler.ghostRoyaltyMismatch(), 0, "edge royalty differs from the license");
        assertEq(handler.ghostUnexpectedOutcome(), 0, "registry and model disagree");
    }

    /// @dev Expired licenses never count as a permission.
    function invariant_expiredLicensesNeverAccepted() public view {
        assertEq(handler.ghostExpiredAccepted(), 0, "derivative accepted with an expired license");
    }

    /// @dev Ownership, open-terms counters, sales counters and licenses match the model.
    function invariant_stateMatchesModel() public view {
        uint256 count = registry.assetCount();
        for (uint256 id = 1; id <= count; ++id) {
            assertEq(registry.ownerOf(id), handler.ghostOwner(id));
            assertEq(licenses.openTermsCount(id), handler.ghostOpenActive(id));
        }
        uint256 nTerms = handler.termsLength();
        assertEq(licenses.termsCount(), nTerms);
        for (uint256 t = 1; t <= nTerms; ++t) {
            RegistryHandler.GhostTerms memory g = handler.ghostTerms(t);
            Terms memory r = licenses.terms(t);
            assertEq(r.assetId, g.assetId);
            assertEq(r.active, g.active);
            assertEq(r.sold, g.sold);
            if (r.supplyCap != 0) assertLe(r.sold, r.supplyCap);
        }
        uint256 nLicenses = handler.licensesLength();
        assertEq(licenses.licenseCount(), nLicenses);
        for (uint256 l = 1; l <= nLicenses; ++l) {
            RegistryHandler.GhostLicense memory g = handler.ghostLicense(l);
            License memory r = licenses.license(l);
            assertEq(licenses.ownerOf(l), g.holder);
            assertEq(r.assetId, g.assetId);
            assertEq(r.termsId, g.termsId);
            assertEq(r.expiresAt, g.expiresAt);
            assertEq(licenses.isValid(l), g.expiresAt == 0 || block.timestamp < g.expiresAt);
        }
    }

    /// @dev The ghosts react: a derivative with a license that has just expired is attempted,
    ///      rejected by the registry and counted as an expired attempt (not an acceptance).
    function test_handler_detectsExpiredAttempts() public {
        handler.registerRoot(0, 0, 0, false); // asset 1, actor0
        handler.attachTerms(0, 3, 100, 1, 1); // COMMERCIAL_REMIX 100 bps, 3601 s, uncapped
        handler.buyLicense(1, 0); // license 1 -> actor1
        handler.registerChild(1, 0, 0, 1); // actor1 derives with license 1: accepted
        assertEq(handler.ghostDerivativesAccepted(), 1);
        assertEq(registry.parentsOf(2)[0].royaltyBps, 100);
        assertEq(registry.parentsOf(2)[0].licenseId, 1);
        handler.warp(4000);
        handler.registerChild(1, 0, 0, 1);
        assertEq(handler.ghostExpiredAttempts(), 1);
        assertEq(handler.ghostDerivativesRejected(), 1);
        assertEq(handler.ghostExpiredAccepted(), 0);
        assertEq(handler.ghostUnexpectedOutcome(), 0);
    }
}
