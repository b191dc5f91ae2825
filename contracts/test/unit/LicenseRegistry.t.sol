// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC20Errors, IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {LicenseRegistry} from "../../src/licensing/LicenseRegistry.sol";
import {ILicenseRegistry} from "../../src/interfaces/ILicenseRegistry.sol";
import {IRevenueVault} from "../../src/interfaces/IRevenueVault.sol";
import {TermsParams, Terms, License, LicenseTemplate} from "../../src/types/LicenseTypes.sol";
import {AssetKinds} from "../../src/types/AssetTypes.sol";

contract LicenseRegistryV2 is LicenseRegistry {
    function version() external pure returns (uint256) {
        return 2;
    }
}

/// @dev Shared helpers for the license tests.
abstract contract LicenseTestBase is ProtocolFixture {
    event log_named_uint(string key, uint256 val);

    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    function _t(LicenseTemplate template, address token, uint128 price, uint16 royaltyBps)
        internal
        pure
        returns (TermsParams memory t)
    {
        t.template = template;
        t.paymentToken = token;
        t.price = price;
        t.royaltyBps = royaltyBps;
    }

    function _attach(address owner, uint256 assetId, TermsParams memory t) internal returns (uint256 termsId) {
        vm.prank(owner);
        termsId = licenses.attachTerms(assetId, t);
    }

    function _key(string memory name) internal pure returns (uint256) {
        return uint256(keccak256(bytes(name)));
    }

    function _signUsdtPermit(string memory ownerName, address spender, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        address owner = vm.addr(_key(ownerName));
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, usdt.nonces(owner), deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", usdt.DOMAIN_SEPARATOR(), structHash));
        return vm.sign(_key(ownerName), digest);
    }

    function _intrinsic(bytes memory data) internal pure returns (uint256 gas) {
        gas = 21_000;
        for (uint256 i; i < data.length; ++i) gas += data[i] == 0 ? 4 : 16;
    }
}

contract LicenseRegistryTest is LicenseTestBase {
    uint256 internal asset; // alice's dataset

    function setUp() public override {
        _deployProtocol();
        asset = _registerAsset(alice);
    }

    // ------------------------------------------------------------------ initialization / admin

    function test_initialize_state() public view {
        assertEq(licenses.name(), "Sahara License");
        assertEq(licenses.symbol(), "SAHARA-LIC");
        assertEq(licenses.owner(), admin);
        assertEq(licenses.assetRegistry(), address(registry));
        assertEq(licenses.revenueVault(), address(vault));
        assertEq(licenses.termsCount(), 0);
        assertEq(licenses.licenseCount(), 0);
        assertEq(licenses.MAX_ROYALTY_BPS(), 5000);
        assertEq(licenses.MAX_DURATION(), type(uint32).max);
        // Consistent with the asset registry's cap on the sum of an asset's royalties.
        assertEq(licenses.MAX_ROYALTY_BPS(), registry.MAX_TOTAL_ROYALTY_BPS());
    }

    function test_initialize_twice_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        licenses.initialize(alice, alice, alice);
    }

    function test_implementation_cannot_be_initialized() public {
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        licensesImpl.initialize(alice, alice, alice);
    }

    function test_upgrade_onlyOwner() public {
        LicenseRegistryV2 v2 = new LicenseRegistryV2();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, alice));
        licenses.upgradeToAndCall(address(v2), "");
    }

    function test_upgrade_keepsState() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
        vm.prank(bob);
        uint256 lic = licenses.buyLicense(termsId, address(0), 0);
        LicenseRegistryV2 v2 = new LicenseRegistryV2();
        vm.prank(admin);
        licenses.upgradeToAndCall(address(v2), "");
        assertEq(LicenseRegistryV2(address(licenses)).version(), 2);
        assertEq(licenses.ownerOf(lic), bob);
        assertEq(licenses.terms(termsId).assetId, asset);
        assertEq(licenses.openTermsCount(asset), 1);
    }

    // ------------------------------------------------------------------ attachTerms

    function test_attachTerms_storesAndEmits() public {
        TermsParams memory p = _t(LicenseTemplate.COMMERCIAL, address(usdt), 25e6, 0);
        p.duration = 30 days;
        p.transferable = true;
        p.supplyCap = 100;
        Terms memory expected = Terms({
            assetId: uint64(asset),
            template: LicenseTemplate.COMMERCIAL,
            paymentToken: address(usdt),
            royaltyBps: 0,
            duration: 30 days,
            transferable: true,
            active: true,
            price: 25e6,
            supplyCap: 100,
            sold: 0
        });
        vm.expectEmit(address(licenses));
        emit ILicenseRegistry.TermsAttached(1, asset, expected);
        uint256 termsId = _attach(alice, asset, p);
        assertEq(termsId, 1);
        assertEq(licenses.termsCount(), 1);
        Terms memory t = licenses.terms(1);
        assertEq(keccak256(abi.encode(t)), keccak256(abi.encode(expected)));
        assertEq(licenses.openTermsCount(asset), 0);
        assertEq(_attach(alice, asset, _t(LicenseTemplate.NON_COMMERCIAL, address(0), 0, 0)), 2);
    }

    function test_attachTerms_everyValidTemplate() public {
        _attach(alice, asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
        _attach(alice, asset, _t(LicenseTemplate.NON_COMMERCIAL, address(0), 0, 0));
        _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(0), 0, 0));
        _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(sahara), 1e18, 0));
        _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL_REMIX, address(0), 0, 1));
        _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL_REMIX, address(usdt), 1e6, 5000));
        _attach(alice, asset, _t(LicenseTemplate.PAY_PER_USE, address(usdt), 1, 0));
        TermsParams memory p = _t(LicenseTemplate.OPEN, address(0), 0, 0);
        p.supplyCap = type(uint48).max;
        p.duration = type(uint32).max;
        _attach(alice, asset, p);
        assertEq(licenses.termsCount(), 8);
        assertEq(licenses.openTermsCount(asset), 2);
        assertEq(licenses.terms(8).supplyCap, type(uint48).max);
    }

    function test_attachTerms_notOwner_reverts() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.NotAssetOwner.selector, asset, bob));
        licenses.attachTerms(asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
    }

    function test_attachTerms_unknownAsset_reverts() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 99));
        licenses.attachTerms(99, _t(LicenseTemplate.OPEN, address(0), 0, 0));
    }

    function test_attachTerms_followsAssetOwnership() public {
        vm.prank(alice);
        registry.transferFrom(alice, bob, asset);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.NotAssetOwner.selector, asset, alice));
        licenses.attachTerms(asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
        _attach(bob, asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
    }

    function _expectInvalid(TermsParams memory p, string memory reason) private {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.InvalidTerms.selector, reason));
        licenses.attachTerms(asset, p);
    }

    function test_attachTerms_invalid_reverts() public {
        string memory free = "free template: price must be 0";
        string memory noRoyalty = "royalty only for COMMERCIAL_REMIX";
        _expectInvalid(_t(LicenseTemplate.OPEN, address(usdt), 1, 0), free);
        _expectInvalid(_t(LicenseTemplate.OPEN, address(0), 0, 1), noRoyalty);
        _expectInvalid(_t(LicenseTemplate.NON_COMMERCIAL, address(usdt), 1, 0), free);
        _expectInvalid(_t(LicenseTemplate.NON_COMMERCIAL, address(0), 0, 1), noRoyalty);
        _expectInvalid(_t(LicenseTemplate.COMMERCIAL, address(usdt), 1e6, 10), noRoyalty);
        _expectInvalid(_t(LicenseTemplate.COMMERCIAL_REMIX, address(usdt), 1e6, 0), "remix royalty must be 1..MAX_ROYALTY_BPS");
        _expectInvalid(_t(LicenseTemplate.COMMERCIAL_REMIX, address(usdt), 1e6, 5001), "remix royalty must be 1..MAX_ROYALTY_BPS");
        _expectInvalid(_t(LicenseTemplate.PAY_PER_USE, address(usdt), 0, 0), "pay-per-use: price per unit must be > 0");
        _expectInvalid(_t(LicenseTemplate.PAY_PER_USE, address(usdt), 1, 1), noRoyalty);
        _expectInvalid(_t(LicenseTemplate.COMMERCIAL, makeAddr("randomToken"), 1, 0), "payment token not allowed by the vault");
        _expectInvalid(_t(LicenseTemplate.COMMERCIAL, address(0), 1, 0), "payment token not allowed by the vault");
        _expectInvalid(_t(LicenseTemplate.COMMERCIAL, address(usdt), 0, 0), "free terms take no payment token");
        TermsParams memory p = _t(LicenseTemplate.OPEN, address(0), 0, 0);
        p.supplyCap = uint64(type(uint48).max) + 1;
        _expectInvalid(p, "supply cap too large");
        p = _t(LicenseTemplate.OPEN, address(0), 0, 0);
        p.duration = uint40(type(uint32).max) + 1;
        _expectInvalid(p, "duration too long");
        assertEq(licenses.termsCount(), 0);
    }

    function test_attachTerms_tokenRemovedFromVault_reverts() public {
        vm.prank(admin);
        vault.setPaymentToken(address(sahara), false);
        _expectInvalid(_t(LicenseTemplate.COMMERCIAL, address(sahara), 1, 0), "payment token not allowed by the vault");
    }

    // ------------------------------------------------------------------ stopSales

    function test_stopSales() public {
        uint256 open = _attach(alice, asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
        uint256 paid = _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(usdt), 5e6, 0));
        uint256 lic = _buyLicense(bob, open);
        assertEq(licenses.openTermsCount(asset), 1);

        vm.expectEmit(address(licenses));
        emit ILicenseRegistry.SalesStopped(open);
        vm.prank(alice);
        licenses.stopSales(open);
        assertFalse(licenses.terms(open).active);
        assertEq(licenses.openTermsCount(asset), 0);
        // Licenses sold earlier stay valid.
        assertTrue(licenses.isValid(lic));

        vm.prank(alice);
        licenses.stopSales(paid);
        assertEq(licenses.openTermsCount(asset), 0);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.SalesClosed.selector, open));
        licenses.stopSales(open);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.SalesClosed.selector, open));
        licenses.buyLicense(open, address(0), 0);
    }

    function test_stopSales_notOwner_reverts() public {
        uint256 open = _attach(alice, asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.NotAssetOwner.selector, asset, bob));
        licenses.stopSales(open);
        // After a transfer only the new owner may stop sales.
        vm.prank(alice);
        registry.transferFrom(alice, bob, asset);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.NotAssetOwner.selector, asset, alice));
        licenses.stopSales(open);
        vm.prank(bob);
        licenses.stopSales(open);
    }

    function test_stopSales_unknown_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.UnknownTerms.selector, 1));
        licenses.stopSales(1);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.UnknownTerms.selector, 0));
        licenses.stopSales(0);
    }

    // ------------------------------------------------------------------ buyLicense

    function test_buyLicense_paid_collectsThroughVault() public {
        vm.warp(1_000_000);
        TermsParams memory p = _t(LicenseTemplate.COMMERCIAL, address(usdt), 25e6, 0);
        p.duration = 7 days;
        uint256 termsId = _attach(alice, asset, p);

        vm.prank(bob);
        usdt.approve(address(vault), 25e6);
        uint256 bobBefore = usdt.balanceOf(bob);

        vm.expectEmit(address(licenses));
        emit IERC721.Transfer(address(0), carol, 1);
        vm.expectEmit(address(licenses));
        emit ILicenseRegistry.LicenseIssued(1, termsId, asset, carol, 25e6, uint40(1_000_000 + 7 days));
        vm.prank(bob);
        uint256 lic = licenses.buyLicense(termsId, carol, 25e6);

        assertEq(lic, 1);
        assertEq(licenses.licenseCount(), 1);
        assertEq(licenses.ownerOf(lic), carol);
        assertEq(usdt.balanceOf(bob), bobBefore - 25e6);
        assertEq(usdt.balanceOf(address(vault)), 25e6);
        assertEq(vault.totalReceived(asset, address(usdt)), 25e6);
        // 2.5% protocol fee, the rest to alice (no contributors, no parents).
        assertEq(vault.balanceOf(alice, address(usdt)), 25e6 - uint256(25e6) * FIXTURE_FEE_BPS / 10_000);
        License memory l = licenses.license(lic);
        assertEq(l.assetId, asset);
        assertEq(l.termsId, termsId);
        assertEq(l.issuedAt, 1_000_000);
        assertEq(l.expiresAt, 1_000_000 + 7 days);
        assertEq(licenses.terms(termsId).sold, 1);
        assertTrue(licenses.isValid(lic));
        vm.warp(1_000_000 + 7 days - 1);
        assertTrue(licenses.isValid(lic));
        vm.warp(1_000_000 + 7 days);
        assertFalse(licenses.isValid(lic));
    }

    function test_buyLicense_free_perpetual_noVaultCall() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.NON_COMMERCIAL, address(0), 0, 0));
        vm.prank(admin);
        vault.setCollector(address(licenses), false); // a vault call would now revert
        vm.prank(bob);
        uint256 lic = licenses.buyLicense(termsId, address(0), 0);
        assertEq(licenses.ownerOf(lic), bob);
        assertEq(licenses.license(lic).expiresAt, 0);
        vm.warp(block.timestamp + 1000 days);
        assertTrue(licenses.isValid(lic));
    }

    function test_buyLicense_paid_requiresCollectorRole() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(usdt), 1e6, 0));
        vm.prank(admin);
        vault.setCollector(address(licenses), false);
        vm.startPrank(bob);
        usdt.approve(address(vault), 1e6);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.NotCollector.selector, address(licenses)));
        licenses.buyLicense(termsId, address(0), 1e6);
        vm.stopPrank();
    }

    function test_buyLicense_noAllowance_reverts() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(usdt), 1e6, 0));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(vault), 0, 1e6));
        licenses.buyLicense(termsId, address(0), 1e6);
        assertEq(licenses.licenseCount(), 0);
    }

    function test_buyLicense_feeAboveMax_reverts() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(usdt), 10e6, 0));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.FeeAboveMax.selector, 10e6, 10e6 - 1));
        licenses.buyLicense(termsId, address(0), 10e6 - 1);
    }

    function test_buyLicense_supplyCap() public {
        TermsParams memory p = _t(LicenseTemplate.OPEN, address(0), 0, 0);
        p.supplyCap = 2;
        uint256 termsId = _attach(alice, asset, p);
        _buyLicense(bob, termsId);
        _buyLicense(carol, termsId);
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.SupplyCapReached.selector, termsId, uint64(2)));
        licenses.buyLicense(termsId, address(0), 0);
        assertEq(licenses.terms(termsId).sold, 2);
    }

    function test_buyLicense_payPerUse_reverts() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.PAY_PER_USE, address(usdt), 1000, 0));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.PayPerUseNotSoldHere.selector, termsId));
        licenses.buyLicense(termsId, address(0), type(uint256).max);
    }

    function test_buyLicense_unknownTerms_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.UnknownTerms.selector, 5));
        licenses.buyLicense(5, address(0), 0);
    }

    function test_buyLicense_sahara18Decimals() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL_REMIX, address(sahara), 3e18, 700));
        uint256 lic = _buyLicense(bob, termsId);
        assertEq(licenses.ownerOf(lic), bob);
        assertEq(vault.totalReceived(asset, address(sahara)), 3e18);
    }

    // ------------------------------------------------------------------ buyLicenseWithPermit

    function test_buyLicenseWithPermit() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(usdt), 4e6, 0));
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signUsdtPermit("bob", address(vault), 4e6, deadline);
        assertEq(usdt.allowance(bob, address(vault)), 0);
        vm.prank(bob);
        uint256 lic = licenses.buyLicenseWithPermit(termsId, address(0), 4e6, deadline, v, r, s);
        assertEq(licenses.ownerOf(lic), bob);
        assertEq(vault.totalReceived(asset, address(usdt)), 4e6);
        assertEq(usdt.nonces(bob), 1);
        assertEq(usdt.allowance(bob, address(vault)), 0);
    }

    function test_buyLicenseWithPermit_frontRunPermit_stillBuys() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(usdt), 4e6, 0));
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signUsdtPermit("bob", address(vault), 4e6, deadline);
        // An observer submits the permit first; the permit inside the purchase then fails.
        vm.prank(carol);
        usdt.permit(bob, address(vault), 4e6, deadline, v, r, s);
        vm.prank(bob);
        uint256 lic = licenses.buyLicenseWithPermit(termsId, address(0), 4e6, deadline, v, r, s);
        assertEq(licenses.ownerOf(lic), bob);
    }

    function test_buyLicenseWithPermit_badPermit_noAllowance_reverts() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(usdt), 4e6, 0));
        uint256 deadline = block.timestamp + 1 hours;
        // Signed by carol for bob's allowance: the permit fails, then the pull fails.
        (uint8 v, bytes32 r, bytes32 s) = _signUsdtPermit("carol", address(vault), 4e6, deadline);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(vault), 0, 4e6));
        licenses.buyLicenseWithPermit(termsId, address(0), 4e6, deadline, v, r, s);
    }

    function test_buyLicenseWithPermit_checksAsBuy() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(usdt), 4e6, 0));
        (uint8 v, bytes32 r, bytes32 s) = _signUsdtPermit("bob", address(vault), 4e6, block.timestamp);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.FeeAboveMax.selector, 4e6, 1e6));
        licenses.buyLicenseWithPermit(termsId, address(0), 1e6, block.timestamp, v, r, s);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.UnknownTerms.selector, 9));
        licenses.buyLicenseWithPermit(9, address(0), 1e6, block.timestamp, v, r, s);
    }

    function test_buyLicenseWithPermit_freeTerms_ignoresSignature() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
        vm.prank(bob);
        uint256 lic = licenses.buyLicenseWithPermit(termsId, dave, 0, 0, 0, bytes32(0), bytes32(0));
        assertEq(licenses.ownerOf(lic), dave);
    }

    // ------------------------------------------------------------------ transfers

    function test_nonTransferable_reverts() public {
        uint256 termsId = _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL_REMIX, address(0), 0, 100));
        uint256 lic = _buyLicense(bob, termsId);
        vm.startPrank(bob);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.LicenseNotTransferable.selector, lic));
        licenses.transferFrom(bob, carol, lic);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.LicenseNotTransferable.selector, lic));
        licenses.safeTransferFrom(bob, carol, lic);
        vm.stopPrank();
        assertEq(licenses.ownerOf(lic), bob);
    }

    function test_transferable_movesDerivativeRight() public {
        uint256 termsId = _attachRemix(alice, asset, address(0), 0, 250); // transferable
        uint256 lic = _buyLicense(bob, termsId);
        assertEq(licenses.checkDerivative(bob, asset, lic), 250);
        vm.prank(bob);
        licenses.transferFrom(bob, carol, lic);
        assertEq(licenses.ownerOf(lic), carol);
        assertEq(licenses.checkDerivative(carol, asset, lic), 250);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.DerivativeNotAllowed.selector, asset, lic, bob));
        licenses.checkDerivative(bob, asset, lic);
    }

    // ------------------------------------------------------------------ views

    function test_unknownLicense() public {
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.UnknownLicense.selector, 0));
        licenses.license(0);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.UnknownLicense.selector, 7));
        licenses.license(7);
        assertFalse(licenses.isValid(0));
        assertFalse(licenses.isValid(7));
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.UnknownTerms.selector, 3));
        licenses.terms(3);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 7));
        licenses.ownerOf(7);
    }

    function test_supportsInterface() public view {
        assertTrue(licenses.supportsInterface(0x80ac58cd));
        assertFalse(licenses.supportsInterface(0xffffffff));
    }

    // ------------------------------------------------------------------ checkDerivative

    function test_checkDerivative_owner() public view {
        assertEq(licenses.checkDerivative(alice, asset, 0), 0);
    }

    function test_checkDerivative_noPermission_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.DerivativeNotAllowed.selector, asset, 0, bob));
        licenses.checkDerivative(bob, asset, 0);
    }

    function test_checkDerivative_unknownParent_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 42));
        licenses.checkDerivative(bob, 42, 0);
    }

    function test_checkDerivative_openTerms_untilStopped() public {
        uint256 a = _attach(alice, asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
        uint256 b = _attach(alice, asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
        assertEq(licenses.checkDerivative(bob, asset, 0), 0);
        vm.prank(alice);
        licenses.stopSales(a);
        assertEq(licenses.checkDerivative(bob, asset, 0), 0); // b still active
        vm.prank(alice);
        licenses.stopSales(b);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.DerivativeNotAllowed.selector, asset, 0, bob));
        licenses.checkDerivative(bob, asset, 0);
    }

    function test_checkDerivative_openLicense_zeroRoyalty() public {
        uint256 t = _attach(alice, asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
        uint256 lic = _buyLicense(bob, t);
        vm.prank(alice);
        licenses.stopSales(t);
        // The OPEN license keeps working after sales stop.
        assertEq(licenses.checkDerivative(bob, asset, lic), 0);
    }

    function test_checkDerivative_remixLicense_royalty_andExpiry() public {
        TermsParams memory p = _t(LicenseTemplate.COMMERCIAL_REMIX, address(usdt), 2e6, 1234);
        p.duration = 10 days;
        uint256 t = _attach(alice, asset, p);
        uint256 lic = _buyLicense(bob, t);
        assertEq(licenses.checkDerivative(bob, asset, lic), 1234);
        vm.warp(block.timestamp + 10 days - 1);
        assertEq(licenses.checkDerivative(bob, asset, lic), 1234);
        vm.warp(block.timestamp + 1);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.DerivativeNotAllowed.selector, asset, lic, bob));
        licenses.checkDerivative(bob, asset, lic);
    }

    function test_checkDerivative_nonDerivativeTemplates_revert() public {
        uint256 nc = _buyLicense(bob, _attach(alice, asset, _t(LicenseTemplate.NON_COMMERCIAL, address(0), 0, 0)));
        uint256 com = _buyLicense(bob, _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(usdt), 1e6, 0)));
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.DerivativeNotAllowed.selector, asset, nc, bob));
        licenses.checkDerivative(bob, asset, nc);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.DerivativeNotAllowed.selector, asset, com, bob));
        licenses.checkDerivative(bob, asset, com);
    }

    function test_checkDerivative_wrongAsset_wrongHolder_unknown_revert() public {
        uint256 other = _registerAsset(carol);
        uint256 lic = _buyLicense(bob, _attachRemix(alice, asset, address(0), 0, 100));
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.DerivativeNotAllowed.selector, other, lic, bob));
        licenses.checkDerivative(bob, other, lic);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.DerivativeNotAllowed.selector, asset, lic, dave));
        licenses.checkDerivative(dave, asset, lic);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.DerivativeNotAllowed.selector, asset, 77, bob));
        licenses.checkDerivative(bob, asset, 77);
    }

    function test_checkDerivative_withLicenseId_ownerGetsNoShortcut() public {
        // A stored licenseId must always be a license that qualified, even for the owner.
        uint256 nc = _buyLicense(alice, _attach(alice, asset, _t(LicenseTemplate.NON_COMMERCIAL, address(0), 0, 0)));
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.DerivativeNotAllowed.selector, asset, nc, alice));
        licenses.checkDerivative(alice, asset, nc);
    }

    function test_derivedAsset_endToEnd() public {
        uint256 t = _attachRemix(alice, asset, address(usdt), 10e6, 800);
        uint256 lic = _buyLicense(bob, t);
        uint256 child = _registerChild(bob, AssetKinds.MODEL, _ids(asset), _ids(lic));
        assertEq(registry.parentsOf(child)[0].royaltyBps, 800);
        assertEq(registry.parentsOf(child)[0].licenseId, lic);
        assertEq(registry.assetInfo(child).royaltyBps, 800);
    }
}

/// @notice buyLicense gas, each measured call in its own transaction with the buyer and the
///         vault already holding USDT (the common case). Figure = call gas + 21k + calldata.
/// @dev The license side (proxy, terms reads, sold++, license word, NFT owner/balance, events) is
///      what the free-terms test measures (~96k incl. the 21k base). A paid sale adds the vault's
///      collect (~77k: transferFrom, balance-delta check, shares and owner lookups, split
///      accounting), so the paid figure is bounded here as a regression guard, not at 120k.
contract LicenseRegistryGasTest is LicenseTestBase {
    uint256 internal paidTerms;
    uint256 internal freeTerms;
    uint256 internal asset;

    function setUp() public override {
        _deployProtocol();
        asset = _registerAsset(alice);
        paidTerms = _attach(alice, asset, _t(LicenseTemplate.COMMERCIAL, address(usdt), 25e6, 0));
        freeTerms = _attach(alice, asset, _t(LicenseTemplate.OPEN, address(0), 0, 0));
        vm.prank(bob);
        usdt.approve(address(vault), type(uint256).max);
        vm.prank(carol);
        usdt.approve(address(vault), type(uint256).max);
        // Earlier sales: the vault's balances and bob's license balance are non-zero.
        vm.prank(carol);
        licenses.buyLicense(paidTerms, address(0), 25e6);
        vm.prank(bob);
        licenses.buyLicense(paidTerms, address(0), 25e6);
    }

    function test_gas_buyLicense_paid_repeatBuyer() public {
        bytes memory data = abi.encodeCall(LicenseRegistry.buyLicense, (paidTerms, address(0), 25e6));
        vm.prank(bob);
        licenses.buyLicense(paidTerms, address(0), 25e6);
        uint256 g = vm.lastCallGas().gasTotalUsed + _intrinsic(data);
        emit log_named_uint("buyLicense tx gas, paid USDT, repeat buyer", g);
        assertLe(g, 180_000, "paid buyLicense above 180k");
    }

    function test_gas_buyLicense_paid_firstLicenseOfBuyer() public {
        bytes memory data = abi.encodeCall(LicenseRegistry.buyLicense, (paidTerms, address(0), 25e6));
        vm.prank(dave);
        usdt.approve(address(vault), type(uint256).max);
        vm.prank(dave);
        licenses.buyLicense(paidTerms, address(0), 25e6);
        uint256 g = vm.lastCallGas().gasTotalUsed + _intrinsic(data);
        emit log_named_uint("buyLicense tx gas, paid USDT, first license of the buyer", g);
        assertLe(g, 195_000, "first paid buyLicense above 195k");
    }

    function test_gas_buyLicense_free() public {
        bytes memory data = abi.encodeCall(LicenseRegistry.buyLicense, (freeTerms, address(0), 0));
        vm.prank(bob);
        licenses.buyLicense(freeTerms, address(0), 0);
        uint256 g = vm.lastCallGas().gasTotalUsed + _intrinsic(data);
        emit log_named_uint("buyLicense tx gas, free terms", g);
        assertLe(g, 100_000, "free buyLicense above 100k");
    }
}
