// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RegistrySetup} from "../utils/RegistrySetup.sol";
import {IAssetRegistry} from "../../src/interfaces/IAssetRegistry.sol";
import {ILicenseRegistry} from "../../src/interfaces/ILicenseRegistry.sol";
import {Cid} from "../../src/libraries/Cid.sol";
import {
    RegisterParams, ParentInput, ParentLink, ContentRef, VersionInfo, AssetInfo, Relation, AssetKinds, Codecs
} from "../../src/types/AssetTypes.sol";
import {TermsParams, LicenseTemplate} from "../../src/types/LicenseTypes.sol";

contract RegistryFuzzTest is RegistrySetup {
    address internal alice;
    address internal bob;

    function setUp() public {
        _deployRegistries(makeAddr("admin"), makeAddr("vault"));
        alice = makeAddr("alice");
        bob = makeAddr("bob");
    }

    function _codec(uint256 seed) internal pure returns (uint32) {
        uint32[5] memory codecs = [Codecs.RAW, Codecs.DAG_PB, Codecs.DAG_CBOR, Codecs.JSON, Codecs.DAG_JSON];
        return codecs[seed % 5];
    }

    function _isSupported(uint32 codec) internal pure returns (bool) {
        return codec == Codecs.RAW || codec == Codecs.DAG_PB || codec == Codecs.DAG_CBOR || codec == Codecs.JSON
            || codec == Codecs.DAG_JSON;
    }

    /// @dev Random batches: each entry has a random kind, codecs, owner and up to 4 parents drawn
    ///      from assets alice owns (earlier batches or earlier entries of the same batch).
    function testFuzz_registerBatch_randomGraph(uint256 seed, uint8 nBatches) public {
        uint256 batches = 1 + nBatches % 4;
        uint256[] memory ownedByAlice = new uint256[](64);
        uint256 owned;
        for (uint256 b; b < batches; ++b) {
            seed = uint256(keccak256(abi.encode(seed, b)));
            uint256 n = 1 + seed % 6;
            uint256 first = registry.assetCount() + 1;
            RegisterParams[] memory batch = new RegisterParams[](n);
            for (uint256 i; i < n; ++i) {
                uint256 s = uint256(keccak256(abi.encode(seed, i)));
                RegisterParams memory p;
                p.kind = uint16(1 + s % 4);
                p.owner = (s >> 8) % 4 == 0 ? bob : address(0);
                p.content = ContentRef(_codec(s >> 16), keccak256(abi.encode("c", s)));
                p.metadata = ContentRef(_codec(s >> 24), keccak256(abi.encode("m", s)));
                uint256 maxParents = owned < 4 ? owned : 4;
                uint256 np = maxParents == 0 ? 0 : (s >> 32) % (maxParents + 1);
                p.parents = new ParentInput[](np);
                uint256 start = (s >> 40) % (owned == 0 ? 1 : owned);
                for (uint256 j; j < np; ++j) {
                    p.parents[j] = ParentInput(ownedByAlice[(start + j) % owned], Relation((s >> (48 + j)) % 8), 0);
                }
                batch[i] = p;
                if (p.owner == address(0)) ownedByAlice[owned++] = first + i;
            }
            vm.prank(alice);
            uint256 got = registry.registerBatch(batch);
            assertEq(got, first);
            assertEq(registry.assetCount(), first + n - 1);
            for (uint256 i; i < n; ++i) {
                uint256 id = first + i;
                RegisterParams memory p = batch[i];
                AssetInfo memory info = registry.assetInfo(id);
                assertEq(info.creator, alice);
                assertEq(info.kind, p.kind);
                assertEq(info.versionCount, 1);
                assertEq(info.parentCount, p.parents.length);
                assertEq(registry.ownerOf(id), p.owner == address(0) ? alice : bob);
                VersionInfo memory v = registry.versionInfo(id, 1);
                assertEq(v.content.codec, p.content.codec);
                assertEq(v.content.digest, p.content.digest);
                assertEq(v.metadata.codec, p.metadata.codec);
                assertEq(v.metadata.digest, p.metadata.digest);
                assertEq(registry.contentId(id, 1), Cid.toString(p.content.codec, p.content.digest));
                ParentLink[] memory links = registry.parentsOf(id);
                for (uint256 j; j < links.length; ++j) {
                    assertEq(links[j].parentId, p.parents[j].parentId);
                    assertLt(links[j].parentId, id);
                    assertEq(uint8(links[j].relation), uint8(p.parents[j].relation));
                }
            }
        }
    }

    /// @dev Any sequence of versions reads back exactly; earlier versions never change.
    function testFuzz_publishVersions(uint8 nVersions, uint256 seed) public {
        uint256 id = _register(alice, "a");
        uint256 n = nVersions % 24;
        bytes32[] memory contents = new bytes32[](n + 2);
        uint32[] memory codecs = new uint32[](n + 2);
        contents[1] = _digest("a/content");
        codecs[1] = Codecs.RAW;
        for (uint256 v = 2; v <= n + 1; ++v) {
            vm.warp(block.timestamp + 1 + (seed >> v) % 1 days);
            contents[v] = keccak256(abi.encode(seed, v));
            codecs[v] = _codec(seed >> (v * 3));
            vm.prank(alice);
            uint32 got = registry.publishVersion(
                id, ContentRef(codecs[v], contents[v]), ContentRef(_codec(seed >> v), keccak256(abi.encode(v)))
            );
            assertEq(got, v);
            assertEq(registry.versionInfo(id, uint32(v)).publishedAt, block.timestamp);
        }
        for (uint256 v = 1; v <= n + 1; ++v) {
            VersionInfo memory info = registry.versionInfo(id, uint32(v));
            assertEq(info.content.digest, contents[v]);
            assertEq(info.content.codec, codecs[v]);
        }
        (uint32 latest,) = registry.latestVersion(id);
        assertEq(latest, n + 1);
        assertEq(registry.assetInfo(id).versionCount, n + 1);
    }

    /// @dev Exactly the five codecs and non-zero digests are accepted, with the exact error otherwise.
    function testFuzz_contentValidation(uint32 codec, bytes32 digest, bool inMetadata) public {
        RegisterParams memory p = _params(AssetKinds.DATASET, address(0), "x");
        if (inMetadata) p.metadata = ContentRef(codec, digest);
        else p.content = ContentRef(codec, digest);
        vm.prank(alice);
        if (digest == bytes32(0)) {
            vm.expectRevert(abi.encodeWithSelector(IAssetRegistry.EmptyDigest.selector));
            registry.register(p);
        } else if (!_isSupported(codec)) {
            vm.expectRevert(abi.encodeWithSelector(IAssetRegistry.UnsupportedCodec.selector, codec));
            registry.register(p);
        } else {
            uint256 id = registry.register(p);
            VersionInfo memory v = registry.versionInfo(id, 1);
            ContentRef memory stored = inMetadata ? v.metadata : v.content;
            assertEq(stored.codec, codec);
            assertEq(stored.digest, digest);
        }
    }

    /// @dev Only enabled kinds register; kinds are enabled by the admin.
    function testFuzz_kinds(uint16 kind, bool enable) public {
        vm.assume(kind != 0);
        bool genesis = kind >= 1 && kind <= 4;
        if (enable && !genesis) {
            vm.prank(admin);
            registry.setKind(kind, "K", true);
        }
        bool enabled = genesis || enable;
        assertEq(registry.kindEnabled(kind), enabled);
        RegisterParams memory p = _params(kind, address(0), "k");
        vm.prank(alice);
        if (!enabled) vm.expectRevert(abi.encodeWithSelector(IAssetRegistry.KindNotEnabled.selector, kind));
        registry.register(p);
    }

    /// @dev Royalties of up to 8 licensed parents add up; the sum is capped at 5000 bps.
    function testFuzz_royaltySum(uint16[8] memory bps, uint8 nSeed) public {
        uint256 n = 1 + nSeed % 8;
        uint256[] memory parents = new uint256[](n);
        uint256[] memory lics = new uint256[](n);
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            uint16 r = uint16(bound(bps[i], 1, 5000));
            sum += r;
            parents[i] = _register(alice, vm.toString(i));
            uint256 t = _attach(alice, parents[i], _terms(LicenseTemplate.COMMERCIAL_REMIX, r, 0, false, 0));
            lics[i] = _buyFree(bob, t);
        }
        RegisterParams memory p = _withParents(_params(AssetKinds.MODEL, address(0), "child"), parents, lics);
        vm.prank(bob);
        if (sum > 5000) {
            vm.expectRevert(abi.encodeWithSelector(IAssetRegistry.RoyaltyTooHigh.selector, sum, 5000));
            registry.register(p);
        } else {
            uint256 id = registry.register(p);
            assertEq(registry.assetInfo(id).royaltyBps, sum);
        }
    }

    /// @dev A timed license allows derivatives strictly before expiresAt and never after.
    function testFuzz_licenseExpiry(uint40 duration, uint40 elapsed) public {
        duration = uint40(bound(duration, 1, 3650 days));
        elapsed = uint40(bound(elapsed, 0, 2 * uint256(duration)));
        uint256 a = _register(alice, "a");
        uint256 t = _attach(alice, a, _terms(LicenseTemplate.COMMERCIAL_REMIX, 42, duration, false, 0));
        uint256 l = _buyFree(bob, t);
        vm.warp(block.timestamp + elapsed);
        RegisterParams memory p = _withParents(_params(AssetKinds.MODEL, address(0), "c"), _ids(a), _ids(l));
        if (elapsed >= duration) {
            assertFalse(licenses.isValid(l));
            vm.prank(bob);
            vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.DerivativeNotAllowed.selector, a, l, bob));
            registry.register(p);
        } else {
            assertTrue(licenses.isValid(l));
            vm.prank(bob);
            uint256 id = registry.register(p);
            assertEq(registry.parentsOf(id)[0].royaltyBps, 42);
        }
    }

    /// @dev Any repeated parent id in the list is rejected with that id.
    function testFuzz_duplicateParent(uint8 nSeed, uint8 dupSeed) public {
        uint256 n = 2 + nSeed % 6;
        uint256[] memory parents = new uint256[](n);
        for (uint256 i; i < n - 1; ++i) parents[i] = _register(alice, vm.toString(i));
        uint256 dupOf = dupSeed % (n - 1);
        parents[n - 1] = parents[dupOf];
        RegisterParams memory p = _withParents(_params(AssetKinds.MODEL, address(0), "c"), parents, new uint256[](0));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAssetRegistry.DuplicateParent.selector, parents[dupOf]));
        registry.register(p);
    }

    /// @dev Parent ids that do not exist yet (including the child's own id) are rejected.
    function testFuzz_unknownParent(uint256 parentId) public {
        _register(alice, "a");
        vm.assume(parentId == 0 || parentId > 1);
        RegisterParams memory p = _withParents(_params(AssetKinds.MODEL, address(0), "c"), _ids(parentId), new uint256[](0));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAssetRegistry.UnknownAsset.selector, parentId));
        registry.register(p);
    }

    /// @dev Supply caps hold for any cap and any number of attempts.
    function testFuzz_supplyCap(uint8 cap, uint8 attempts) public {
        uint256 a = _register(alice, "a");
        uint256 t = _attach(alice, a, _terms(LicenseTemplate.NON_COMMERCIAL, 0, 0, false, cap));
        uint256 sold;
        for (uint256 i; i < attempts % 40; ++i) {
            vm.prank(bob);
            if (cap != 0 && sold >= cap) {
                vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.SupplyCapReached.selector, t, uint64(cap)));
                licenses.buyLicense(t, address(0), 0);
            } else {
                licenses.buyLicense(t, address(0), 0);
                ++sold;
            }
        }
        assertEq(licenses.terms(t).sold, sold);
    }
}
