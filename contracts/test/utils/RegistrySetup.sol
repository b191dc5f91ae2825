// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

import {Test} from "./Test.sol";
import {AssetRegistry} from "../../src/assets/AssetRegistry.sol";
import {LicenseRegistry} from "../../src/licensing/LicenseRegistry.sol";
import {
    RegisterParams, ParentInput, ContentRef, Relation, AssetKinds, Codecs
} from "../../src/types/AssetTypes.sol";
import {TermsParams, LicenseTemplate} from "../../src/types/LicenseTypes.sol";

/// @notice Deploys the AssetRegistry and the LicenseRegistry behind ERC-1967 proxies, wired to
///         each other, with a caller-chosen vault address. Enough for every registry path that
///         moves no money (free terms never call the vault); fee paths use ProtocolFixture.
abstract contract RegistrySetup is Test {
    event log_named_uint(string key, uint256 val);

    AssetRegistry internal registry;
    LicenseRegistry internal licenses;
    address internal admin;

    function _deployRegistries(address admin_, address vault) internal {
        admin = admin_;
        AssetRegistry assetImpl = new AssetRegistry();
        LicenseRegistry licenseImpl = new LicenseRegistry();
        // The two proxies reference each other: predict the asset registry proxy's address.
        address predictedAssets = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        licenses = LicenseRegistry(
            address(
                new ERC1967Proxy(
                    address(licenseImpl), abi.encodeCall(LicenseRegistry.initialize, (admin_, predictedAssets, vault))
                )
            )
        );
        registry = AssetRegistry(
            address(new ERC1967Proxy(address(assetImpl), abi.encodeCall(AssetRegistry.initialize, (admin_, address(licenses)))))
        );
        require(address(registry) == predictedAssets, "RegistrySetup: address prediction");
    }

    /// @dev keccak, not sha256: the sha256 precompile is a call and would consume a pending prank.
    ///      Any non-zero 32 bytes is a valid digest for the registry.
    function _digest(string memory seed) internal pure returns (bytes32) {
        return keccak256(bytes(seed));
    }

    function _params(uint16 kind, address owner, string memory seed) internal pure returns (RegisterParams memory p) {
        p.kind = kind;
        p.owner = owner;
        p.content = ContentRef(Codecs.RAW, _digest(string.concat(seed, "/content")));
        p.metadata = ContentRef(Codecs.JSON, _digest(string.concat(seed, "/metadata")));
    }

    function _withParents(RegisterParams memory p, uint256[] memory parentIds, uint256[] memory licenseIds)
        internal
        pure
        returns (RegisterParams memory)
    {
        p.parents = new ParentInput[](parentIds.length);
        for (uint256 i; i < parentIds.length; ++i) {
            p.parents[i] = ParentInput(parentIds[i], Relation(i % 8), licenseIds.length > i ? licenseIds[i] : 0);
        }
        return p;
    }

    function _register(address who, string memory seed) internal returns (uint256 id) {
        vm.prank(who);
        id = registry.register(_params(AssetKinds.DATASET, address(0), seed));
    }

    function _terms(LicenseTemplate template, uint16 royaltyBps, uint40 duration, bool transferable, uint64 cap)
        internal
        pure
        returns (TermsParams memory t)
    {
        t.template = template;
        t.royaltyBps = royaltyBps;
        t.duration = duration;
        t.transferable = transferable;
        t.supplyCap = cap;
    }

    function _attach(address owner, uint256 assetId, TermsParams memory t) internal returns (uint256 termsId) {
        vm.prank(owner);
        termsId = licenses.attachTerms(assetId, t);
    }

    function _buyFree(address buyer, uint256 termsId) internal returns (uint256 licenseId) {
        vm.prank(buyer);
        licenseId = licenses.buyLicense(termsId, address(0), 0);
    }

    function _ids(uint256 a) internal pure returns (uint256[] memory x) {
        x = new uint256[](1);
        x[0] = a;
    }

    function _ids(uint256 a, uint256 b) internal pure returns (uint256[] memory x) {
        x = new uint256[](2);
        x[0] = a;
        x[1] = b;
    }

    function _ids(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory x) {
        x = new uint256[](3);
        x[0] = a;
        x[1] = b;
        x[2] = c;
    }
}
