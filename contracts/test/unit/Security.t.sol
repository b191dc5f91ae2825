// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {FeeOnTransferToken} from "../utils/FeeOnTransferToken.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";

import {ProtocolModule, ProtocolModuleCore} from "../../src/utils/ProtocolModule.sol";
import {AssetRegistry} from "../../src/assets/AssetRegistry.sol";
import {LicenseRegistry} from "../../src/licensing/LicenseRegistry.sol";
import {RevenueVault} from "../../src/revenue/RevenueVault.sol";
import {ILicenseRegistry} from "../../src/interfaces/ILicenseRegistry.sol";
import {IRevenueVault} from "../../src/interfaces/IRevenueVault.sol";
import {ContentRef, Codecs, AssetKinds} from "../../src/types/AssetTypes.sol";
import {TermsParams, LicenseTemplate} from "../../src/types/LicenseTypes.sol";

/// @notice Regression and characterization tests written during the security review
///         (docs/security.md). Each test names the finding it pins.
contract SecurityTest is ProtocolFixture {
    // ABI twins of ParentInput / RegisterParams / TermsParams with the enum fields as raw uint8,
    // to send calldata whose enum value is out of range (same encoding as the real structs).
    struct RawParentInput {
        uint256 parentId;
        uint8 relation;
        uint256 licenseId;
    }

    struct RawRegisterParams {
        uint16 kind;
        address owner;
        ContentRef content;
        ContentRef metadata;
        RawParentInput[] parents;
    }

    struct RawTermsParams {
        uint8 template;
        address paymentToken;
        uint128 price;
        uint16 royaltyBps;
        uint40 duration;
        bool transferable;
        uint64 supplyCap;
    }

    function _modules() internal view returns (address[4] memory) {
        return [address(registry), address(licenses), address(shares), address(vault)];
    }

    function _implementations() internal view returns (address[4] memory) {
        return [address(registryImpl), address(licensesImpl), address(sharesImpl), address(vaultImpl)];
    }

    // ------------------------------------------------------------------ S-01 renounceOwnership

    /// S-01: renouncing would freeze upgrades and admin settings forever; it is disabled.
    function test_S01_renounceOwnership_disabledOnEveryModule() public {
        address[4] memory modules = _modules();
        for (uint256 i; i < modules.length; ++i) {
            vm.prank(admin);
            vm.expectRevert(ProtocolModuleCore.RenounceOwnershipDisabled.selector);
            OwnableUpgradeable(modules[i]).renounceOwnership();
            assertEq(OwnableUpgradeable(modules[i]).owner(), admin, "owner unchanged");

            vm.prank(alice);
            vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, alice));
            OwnableUpgradeable(modules[i]).renounceOwnership();
        }
    }

    /// S-01: ownership still moves in two steps (the only way to change the owner).
    function test_S01_ownershipStillTransfersInTwoSteps() public {
        address next = makeAddr("timelock");
        vm.prank(admin);
        OwnableUpgradeable(address(vault)).transferOwnership(next);
        assertEq(vault.owner(), admin);
        vm.prank(next);
        vault.acceptOwnership();
        assertEq(vault.owner(), next);
        vm.prank(next);
        vault.setProtocolFee(0);
        assertEq(vault.protocolFeeBps(), 0);
    }

    // ------------------------------------------------------------------ upgrade safety (checked sound)

    /// Implementations cannot be initialized, upgraded or used through their own address.
    function test_implementations_cannotBeInitializedOrUpgradedDirectly() public {
        address[4] memory impls = _implementations();
        RevenueVault fresh = new RevenueVault();
        for (uint256 i; i < impls.length; ++i) {
            vm.prank(admin);
            vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
            UUPSUpgradeable(impls[i]).upgradeToAndCall(address(fresh), "");
            assertEq(OwnableUpgradeable(impls[i]).owner(), address(0), "implementation has no owner");
        }
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        registryImpl.initialize(alice, address(licenses));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        licensesImpl.initialize(alice, address(registry), address(vault));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        sharesImpl.initialize(alice, address(registry), address(vault));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        vaultImpl.initialize(alice, address(registry), address(shares), alice, 0);
    }

    /// Upgrades through the proxy are owner-only, for every module.
    function test_upgrade_onlyOwnerOnEveryModule() public {
        address[4] memory modules = _modules();
        address[4] memory impls = _implementations();
        for (uint256 i; i < modules.length; ++i) {
            vm.prank(alice);
            vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, alice));
            UUPSUpgradeable(modules[i]).upgradeToAndCall(impls[i], "");
        }
    }

    /// Every module's own plain storage starts at slot 0: the OpenZeppelin bases of
    /// ProtocolModule (and ERC721) keep their state in ERC-7201 namespaces, so nothing collides.
    /// This pins the documented slot layouts; a base that started using plain storage would
    /// shift them and fail here.
    function test_storageLayout_moduleStateStartsAtSlot0() public {
        // AssetRegistry slot 0: licenseRegistry | assetCount << 160 | low kinds bitmap << 224.
        uint256 id = _registerAsset(alice);
        uint256 enabledKinds = (1 << AssetKinds.DATASET) | (1 << AssetKinds.MODEL) | (1 << AssetKinds.AGENT)
            | (1 << AssetKinds.PIPELINE);
        assertEq(
            uint256(vm.load(address(registry), 0)),
            uint256(uint160(address(licenses))) | (id << 160) | (enabledKinds << 224),
            "AssetRegistry slot 0"
        );
        // LicenseRegistry slot 0: assetRegistry | termsCount << 160; slot 1: vault | licenseCount << 160.
        uint256 termsId = _attachRemix(alice, id, address(0), 0, 100);
        uint256 licenseId = _buyLicense(bob, termsId);
        assertEq(uint256(vm.load(address(licenses), 0)), uint256(uint160(address(registry))) | (termsId << 160));
        assertEq(uint256(vm.load(address(licenses), bytes32(uint256(1)))), uint256(uint160(address(vault))) | (licenseId << 160));
        // ContributionShares slots 0..2: registry, vault, contribution count.
        vm.prank(alice);
        shares.mint(id, carol, 5, 1, bytes32(0));
        assertEq(uint256(vm.load(address(shares), 0)), uint256(uint160(address(registry))));
        assertEq(uint256(vm.load(address(shares), bytes32(uint256(1)))), uint256(uint160(address(vault))));
        assertEq(uint256(vm.load(address(shares), bytes32(uint256(2)))), 1);
        // RevenueVault slot 0: registry | fee bps << 160 | allowed count << 176; 1: shares;
        // 2: treasury; 3: tracked tokens length.
        assertEq(
            uint256(vm.load(address(vault), 0)),
            uint256(uint160(address(registry))) | (uint256(FIXTURE_FEE_BPS) << 160) | (uint256(2) << 176)
        );
        assertEq(uint256(vm.load(address(vault), bytes32(uint256(1)))), uint256(uint160(address(shares))));
        assertEq(uint256(vm.load(address(vault), bytes32(uint256(2)))), uint256(uint160(treasury)));
        assertEq(uint256(vm.load(address(vault), bytes32(uint256(3)))), 2);
        // Appended in the second layout: slot 11 is the per-asset split copy mapping
        // (totalShares << 16 | contributorBps), after the eight mappings of slots 3..10.
        assertEq(uint256(vm.load(address(vault), keccak256(abi.encode(id, uint256(11))))), uint256(5) << 16);
    }

    // ------------------------------------------------------------------ calldata enums (checked sound)

    function _rawRegister(uint8 relation) internal returns (bool ok) {
        uint256 parent = _registerAsset(alice);
        RawRegisterParams memory p;
        p.kind = AssetKinds.MODEL;
        p.content = _content();
        p.metadata = _metadata();
        p.parents = new RawParentInput[](1);
        p.parents[0] = RawParentInput({parentId: parent, relation: relation, licenseId: 0});
        vm.prank(alice);
        (ok,) = address(registry).call(abi.encodeWithSelector(AssetRegistry.register.selector, p));
    }

    /// A relation outside the enum is rejected by the ABI decoder (the link word stores 8 bits).
    function test_register_outOfRangeRelation_reverts() public {
        uint256 before = registry.assetCount();
        assertFalse(_rawRegister(8));
        assertFalse(_rawRegister(255));
        assertEq(registry.assetCount(), before + 2, "only the two parents were registered");
        assertTrue(_rawRegister(7), "control: EVALUATED_ON (7) is accepted");
    }

    function _rawAttach(uint256 assetId, uint8 template) internal returns (bool ok) {
        RawTermsParams memory t;
        t.template = template;
        vm.prank(alice);
        (ok,) = address(licenses).call(abi.encodeWithSelector(LicenseRegistry.attachTerms.selector, assetId, t));
    }

    /// A license template outside the enum is rejected by the ABI decoder.
    function test_attachTerms_outOfRangeTemplate_reverts() public {
        uint256 id = _registerAsset(alice);
        assertFalse(_rawAttach(id, 5));
        assertFalse(_rawAttach(id, 200));
        assertEq(licenses.termsCount(), 0);
        assertTrue(_rawAttach(id, 0), "control: OPEN (0) is accepted");
    }

    // ------------------------------------------------------------------ S-03 lazy royalties (documented)

    /// S-03: forwarded royalties are booked when they are flushed, to the parent's owner and
    /// contributors at that moment. A parent's seller who does not flush before the sale leaves
    /// the pending royalties to the buyer; flushing first keeps them.
    function test_S03_pendingRoyaltiesFollowTheParentOwnerAtFlushTime() public {
        uint256 parent = _registerAsset(alice);
        uint256 child = _registerDerived(bob, parent, 1000); // 10% royalty
        _pay(carol, child, address(usdt), 1000e6); // fee 25, royalties 97.5
        uint256 pending = vault.pendingRoyalties(child, address(usdt));
        assertEq(pending, 97.5e6);

        // The seller sells the parent without flushing; the buyer flushes.
        vm.prank(alice);
        registry.transferFrom(alice, dave, parent);
        vault.flushRoyalties(child, address(usdt));
        assertEq(vault.balanceOf(alice, address(usdt)), 0, "seller got nothing");
        assertEq(vault.balanceOf(dave, address(usdt)), pending, "buyer got the royalties earned before the sale");

        // Flushing before the sale keeps them with the seller.
        _pay(carol, child, address(usdt), 1000e6);
        vault.flushRoyalties(child, address(usdt));
        vm.prank(dave);
        registry.transferFrom(dave, alice, parent);
        assertEq(vault.balanceOf(dave, address(usdt)), 2 * pending, "flushed before the sale: stays with the seller");
    }

    /// S-03: shares minted in a parent between a child's payment and the flush take part in the
    /// forwarded royalties (mints are non-retroactive for revenue already booked, and royalties
    /// are booked at flush time).
    function test_S03_sharesMintedBeforeFlushShareForwardedRoyalties() public {
        uint256 parent = _registerAsset(alice);
        vm.prank(alice);
        shares.setContributorSplit(parent, 5000);
        uint256 child = _registerDerived(bob, parent, 1000);
        _pay(carol, child, address(usdt), 1000e6);
        vm.prank(alice);
        shares.mint(parent, dave, 1, 0, bytes32(0));
        vault.flushRoyalties(child, address(usdt));
        // 97.5 USDT forwarded: half to the contributors, all of it to dave's single share.
        assertEq(vault.contributorClaimable(parent, dave, address(usdt)), 48.75e6);
    }

    // ------------------------------------------------------------------ S-04 free capped terms (documented)

    /// S-04: a free terms set with a supply cap can be exhausted by one account at no cost but
    /// gas (anyone can then make every later buyer revert). Owners who want scarcity must price
    /// the license; a new terms set restores sales.
    function test_S04_freeCappedTermsCanBeExhaustedByOneAccount() public {
        uint256 id = _registerAsset(alice);
        TermsParams memory t;
        t.template = LicenseTemplate.NON_COMMERCIAL;
        t.supplyCap = 3;
        vm.prank(alice);
        uint256 termsId = licenses.attachTerms(id, t);
        vm.startPrank(dave);
        for (uint256 i; i < 3; ++i) {
            licenses.buyLicense(termsId, makeAddr(vm.toString(i)), 0);
        }
        vm.stopPrank();
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ILicenseRegistry.SupplyCapReached.selector, termsId, uint64(3)));
        licenses.buyLicense(termsId, bob, 0);
    }

    // ------------------------------------------------------------------ S-05 solvency check (documented)

    /// S-05: the fee-on-transfer check is a solvency check (balance >= reserves + amount). An
    /// unaccounted donation can cover a transfer fee: the payment is then accepted, the vault
    /// stays solvent (balance >= reserves) and the donation shrinks by the fee. Without a
    /// donation the same payment reverts.
    function test_S05_donationCoversTransferFee_vaultStaysSolvent() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(100); // 1%
        vm.prank(admin);
        vault.setPaymentToken(address(fot), true);
        uint256 id = _registerAsset(alice);
        fot.mint(bob, 2000);
        vm.startPrank(bob);
        fot.approve(address(vault), type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.FeeOnTransferNotSupported.selector, address(fot), 1000, 990));
        vault.pay(id, address(fot), 1000);
        vm.stopPrank();

        fot.mint(address(vault), 50); // unaccounted donation
        vm.prank(bob);
        vault.pay(id, address(fot), 1000);
        assertEq(vault.reserves(address(fot)), 1000);
        assertEq(fot.balanceOf(address(vault)), 1040, "donation 50 minus the 10 fee");
        assertGe(fot.balanceOf(address(vault)), vault.reserves(address(fot)), "solvent");
    }

    // ------------------------------------------------------------------ access control (checked sound)

    /// Every privileged vault entry point rejects strangers with its exact error.
    function test_vault_privilegedEntryPoints_rejectStrangers() public {
        bytes memory notOwner = abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, alice);
        vm.startPrank(alice);
        vm.expectRevert(notOwner);
        vault.setProtocolFee(0);
        vm.expectRevert(notOwner);
        vault.setTreasury(alice);
        vm.expectRevert(notOwner);
        vault.setPaymentToken(address(usdt), false);
        vm.expectRevert(notOwner);
        vault.setCollector(alice, true);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.NotCollector.selector, alice));
        vault.collect(bob, 1, address(usdt), 1);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.NotCollector.selector, alice));
        vault.creditReceived(1, address(usdt), 1);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.NotShares.selector, alice));
        vault.checkpoint(1, alice);
        vm.stopPrank();
    }

    /// Shares are minted only after the vault checkpointed the old balance, and a contributor
    /// minted in the same block as a payment earns nothing from it (no double counting).
    function test_mintAfterPaymentInSameBlock_notRetroactive() public {
        uint256 id = _registerAsset(alice);
        vm.startPrank(alice);
        shares.setContributorSplit(id, 10_000);
        shares.mint(id, bob, 1, 0, bytes32(0));
        vm.stopPrank();
        _pay(carol, id, address(usdt), 1000e6);
        vm.prank(alice);
        shares.mint(id, dave, 1_000_000, 0, bytes32(0));
        assertEq(vault.contributorClaimable(id, dave, address(usdt)), 0, "new holder earns nothing from the past");
        assertEq(vault.contributorClaimable(id, bob, address(usdt)), 975e6, "old holder keeps everything");
        vm.prank(bob);
        assertEq(vault.claim(address(usdt), _ids(id, id)), 975e6, "repeated id counted once");
        assertEq(vault.reserves(address(usdt)), 25e6, "only the fee is left");
    }

    // ------------------------------------------------------------------ S-06 fee pool moves (event)

    /// S-06: the fee pool moving into the outgoing treasury's balance is announced per token.
    function test_S06_setTreasury_emitsProtocolFeesCreditedPerToken() public {
        uint256 id = _registerAsset(alice);
        _pay(bob, id, address(usdt), 1000e6);
        _pay(bob, id, address(sahara), 1000e18);
        address next = makeAddr("treasury2");
        vm.expectEmit(address(vault));
        emit RevenueVault.ProtocolFeesCredited(treasury, address(usdt), 25e6);
        vm.expectEmit(address(vault));
        emit RevenueVault.ProtocolFeesCredited(treasury, address(sahara), 25e18);
        vm.expectEmit(address(vault));
        emit IRevenueVault.TreasurySet(next);
        vm.prank(admin);
        vault.setTreasury(next);
        assertEq(vault.balanceOf(treasury, address(usdt)), 25e6);
    }

    /// S-06: a rotation with an empty pool emits no credit.
    function test_S06_setTreasury_emptyPoolEmitsNoCredit() public {
        vm.recordLogs();
        vm.prank(admin);
        vault.setTreasury(makeAddr("treasury2"));
        assertEq(vm.getRecordedLogs().length, 1, "only TreasurySet");
    }

    /// S-06: the pool spilling into the treasury's balance (it would overflow 112 bits) is announced.
    function test_S06_poolSpill_emitsProtocolFeesCredited() public {
        FeeOnTransferToken big = new FeeOnTransferToken(0);
        vm.startPrank(admin);
        vault.setPaymentToken(address(big), true);
        vault.setProtocolFee(1000);
        vm.stopPrank();
        uint256 id = _registerAsset(alice);
        uint256 amount = 1 << 120;
        big.mint(bob, amount);
        vm.startPrank(bob);
        big.approve(address(vault), amount);
        vm.expectEmit(address(vault));
        emit RevenueVault.ProtocolFeesCredited(treasury, address(big), amount / 10);
        vault.pay(id, address(big), amount);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ bounds of packed words (checked sound)

    /// The accumulator, carry and position words at their documented extremes: total shares at
    /// the 2^64 - 1 cap and reserves at 2^128 - 1. Nothing reverts, nothing overflows, and every
    /// wei is accounted for within the documented dust (carry < totalShares / 1e18 < 19 wei, plus
    /// under one wei per holder).
    function test_bounds_maxSharesAndMaxReserves_conserve() public {
        FeeOnTransferToken big = new FeeOnTransferToken(0);
        vm.prank(admin);
        vault.setPaymentToken(address(big), true);
        uint256 id = _registerAsset(bob);
        address erin = makeAddr("erin");
        vm.startPrank(bob);
        shares.setContributorSplit(id, 7000);
        shares.mint(id, carol, type(uint64).max - 2, 0, bytes32(0));
        shares.mint(id, dave, 1, 0, bytes32(0));
        shares.mint(id, erin, 1, 0, bytes32(0));
        vm.stopPrank();
        assertEq(shares.totalShares(id), type(uint64).max);

        address payer = makeAddr("payer");
        uint256 total = type(uint128).max;
        big.mint(payer, total);
        vm.startPrank(payer);
        big.approve(address(vault), total);
        vault.pay(id, address(big), 1 << 127);
        vault.pay(id, address(big), (1 << 127) - 1);
        vm.stopPrank();
        assertEq(vault.reserves(address(big)), total);
        assertEq(vault.totalReceived(id, address(big)), total);

        uint256 claimed;
        address[5] memory who = [carol, dave, erin, bob, treasury];
        for (uint256 i; i < who.length; ++i) {
            uint256 due = vault.claimable(who[i], address(big), _ids(id));
            if (due == 0) continue;
            vm.prank(who[i]);
            claimed += vault.claim(address(big), _ids(id));
        }
        uint256 dust = total - claimed;
        assertEq(vault.reserves(address(big)), dust, "reserves = what nobody could claim yet");
        assertLe(dust, 19 + 3, "dust within the documented bound");
        (, uint256 carry) = vault.accumulator(id, address(big));
        assertLt(carry, type(uint64).max); // carry < totalShares
    }

    /// AssetRegistry header: the version count's 32 bits are checked (no wrap into the v1 codec
    /// bits above them), and the neighbouring fields survive a publish at the boundary.
    function test_bounds_versionCountAtMax_checkedAndNeighboursIntact() public {
        vm.prank(admin);
        registry.setKind(type(uint16).max, "MAX", true);
        vm.warp(1_900_000_000);
        uint256 id;
        {
            // Built by hand: v1 codecs DAG_JSON / DAG_CBOR (indices 5 and 3) and the highest kind.
            ContentRef memory c = ContentRef({codec: Codecs.DAG_JSON, digest: keccak256("c")});
            ContentRef memory m = ContentRef({codec: Codecs.DAG_CBOR, digest: keccak256("m")});
            RawRegisterParams memory p;
            p.kind = type(uint16).max;
            p.content = c;
            p.metadata = m;
            vm.prank(alice);
            (bool ok, bytes memory ret) = address(registry).call(abi.encodeWithSelector(AssetRegistry.register.selector, p));
            assertTrue(ok);
            id = abi.decode(ret, (uint256));
        }
        bytes32 slot = keccak256(abi.encode(id, uint256(2))); // _headers is slot 2
        uint256 header = uint256(vm.load(address(registry), slot));
        uint256 countMask = uint256(type(uint32).max) << 216;
        vm.store(address(registry), slot, bytes32((header & ~countMask) | (uint256(type(uint32).max - 1) << 216)));

        ContentRef memory c2 = ContentRef({codec: Codecs.RAW, digest: keccak256("c2")});
        ContentRef memory m2 = ContentRef({codec: Codecs.JSON, digest: keccak256("m2")});
        vm.prank(alice);
        assertEq(registry.publishVersion(id, c2, m2), type(uint32).max);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        registry.publishVersion(id, c2, m2);

        assertEq(registry.assetInfo(id).creator, alice);
        assertEq(registry.assetInfo(id).kind, type(uint16).max);
        assertEq(registry.assetInfo(id).registeredAt, 1_900_000_000);
        assertEq(registry.assetInfo(id).versionCount, type(uint32).max);
        assertEq(registry.versionInfo(id, 1).content.codec, Codecs.DAG_JSON);
        assertEq(registry.versionInfo(id, 1).metadata.codec, Codecs.DAG_CBOR);
        assertEq(registry.versionInfo(id, type(uint32).max).content.codec, Codecs.RAW);
        assertEq(registry.versionInfo(id, type(uint32).max).metadata.codec, Codecs.JSON);
    }

    /// LicenseRegistry: an unlimited terms set stops at 2^48 - 1 sales (checked), without
    /// touching the neighbouring fields of its word.
    function test_bounds_soldCounterAtMax_checked() public {
        uint256 id = _registerAsset(alice);
        TermsParams memory t;
        t.template = LicenseTemplate.OPEN;
        vm.prank(alice);
        uint256 termsId = licenses.attachTerms(id, t);
        // _terms is slot 2; word 1 of the struct: price (128) | sold (48) | supplyCap (48) | ...
        bytes32 slot = bytes32(uint256(keccak256(abi.encode(termsId, uint256(2)))) + 1);
        uint256 w = uint256(vm.load(address(licenses), slot));
        uint256 soldMask = uint256(type(uint48).max) << 128;
        vm.store(address(licenses), slot, bytes32((w & ~soldMask) | (uint256(type(uint48).max - 1) << 128)));
        assertEq(licenses.terms(termsId).sold, type(uint48).max - 1);

        vm.prank(bob);
        licenses.buyLicense(termsId, bob, 0);
        assertEq(licenses.terms(termsId).sold, type(uint48).max);
        assertTrue(licenses.terms(termsId).active);
        assertEq(licenses.terms(termsId).supplyCap, 0);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        licenses.buyLicense(termsId, bob, 0);
    }
}
