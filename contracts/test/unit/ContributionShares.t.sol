// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {Vm} from "../utils/Vm.sol";
import {ContributionShares} from "../../src/assets/ContributionShares.sol";
import {IContributionShares} from "../../src/interfaces/IContributionShares.sol";
import {IRevenueVault} from "../../src/interfaces/IRevenueVault.sol";

contract ContributionSharesTest is ProtocolFixture {
    uint256 internal asset;
    address internal minter;
    bytes32 internal constant EVIDENCE = keccak256("labels batch #1");

    function setUp() public override {
        super.setUp();
        asset = _registerAsset(alice);
        minter = makeAddr("minter");
    }

    // ------------------------------------------------------------------ initialize

    function test_initialize_wiring() public view {
        assertEq(shares.owner(), admin);
        assertEq(shares.assetRegistry(), address(registry));
        assertEq(shares.revenueVault(), address(vault));
        assertEq(shares.contributionCount(), 0);
        assertEq(shares.MAX_TOTAL_SHARES(), type(uint64).max);
    }

    function test_initialize_revertsTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        shares.initialize(admin, address(registry), address(vault));
    }

    function test_initialize_implementationLocked() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        sharesImpl.initialize(admin, address(registry), address(vault));
    }

    function test_initialize_revertsOnZeroAddresses() public {
        address impl = address(new ContributionShares());
        vm.expectRevert(IContributionShares.ZeroAddress.selector);
        new ERC1967Proxy(impl, abi.encodeCall(ContributionShares.initialize, (address(0), address(registry), address(vault))));
        vm.expectRevert(IContributionShares.ZeroAddress.selector);
        new ERC1967Proxy(impl, abi.encodeCall(ContributionShares.initialize, (admin, address(0), address(vault))));
        vm.expectRevert(IContributionShares.ZeroAddress.selector);
        new ERC1967Proxy(impl, abi.encodeCall(ContributionShares.initialize, (admin, address(registry), address(0))));
    }

    // ------------------------------------------------------------------ mint

    function test_mint_byOwner_recordsAndEmits() public {
        vm.expectEmit(address(shares));
        emit IContributionShares.TransferSingle(alice, address(0), bob, asset, 100);
        vm.expectEmit(address(shares));
        emit IContributionShares.Locked(asset);
        vm.expectEmit(address(shares));
        emit IContributionShares.ContributionRecorded(1, asset, bob, 3, 100, EVIDENCE);
        vm.prank(alice);
        uint256 id = shares.mint(asset, bob, 100, 3, EVIDENCE);

        assertEq(id, 1);
        assertEq(shares.balanceOf(bob, asset), 100);
        assertEq(shares.totalShares(asset), 100);
        assertEq(shares.contributionCount(), 1);
        (uint256 a, address c, uint8 t, uint128 s, bytes32 e) = shares.contribution(1);
        assertEq(a, asset);
        assertEq(c, bob);
        assertEq(uint256(t), 3);
        assertEq(uint256(s), 100);
        assertEq(e, EVIDENCE);
    }

    function test_mint_lockedEmittedOnlyForFirstShares() public {
        bytes32 lockedTopic = keccak256("Locked(uint256)");
        vm.recordLogs();
        vm.prank(alice);
        shares.mint(asset, bob, 1, 0, bytes32(0));
        assertEq(_countTopic(vm.getRecordedLogs(), lockedTopic), 1);
        vm.recordLogs();
        vm.prank(alice);
        shares.mint(asset, carol, 1, 0, bytes32(0));
        assertEq(_countTopic(vm.getRecordedLogs(), lockedTopic), 0);
    }

    function _countTopic(Vm.Log[] memory logs, bytes32 topic) internal view returns (uint256 n) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(shares) && logs[i].topics[0] == topic) ++n;
        }
    }

    function test_mint_idsSequentialAcrossAssets() public {
        uint256 other = _registerAsset(bob);
        vm.prank(alice);
        assertEq(shares.mint(asset, carol, 5, 1, bytes32(0)), 1);
        vm.prank(bob);
        assertEq(shares.mint(other, carol, 7, 1, bytes32(0)), 2);
        vm.prank(alice);
        assertEq(shares.mint(asset, carol, 5, 2, bytes32(0)), 3);
        assertEq(shares.balanceOf(carol, asset), 10);
        assertEq(shares.balanceOf(carol, other), 7);
        (uint256 a,,,,) = shares.contribution(2);
        assertEq(a, other);
    }

    function test_mint_zeroEvidenceStoredAsZero() public {
        vm.prank(alice);
        shares.mint(asset, bob, 1, 0, bytes32(0));
        (,,,, bytes32 e) = shares.contribution(1);
        assertEq(e, bytes32(0));
    }

    function test_mint_byAuthorizedMinter() public {
        vm.prank(admin);
        shares.setMinter(minter, true);
        vm.prank(minter);
        shares.mint(asset, bob, 10, 2, EVIDENCE);
        assertEq(shares.balanceOf(bob, asset), 10);
    }

    function test_mint_revertsForStranger() public {
        vm.expectRevert(abi.encodeWithSelector(IContributionShares.NotAuthorizedMinter.selector, asset, bob));
        vm.prank(bob);
        shares.mint(asset, bob, 10, 0, bytes32(0));
    }

    function test_mint_revertsAfterMinterRemoved() public {
        vm.startPrank(admin);
        shares.setMinter(minter, true);
        shares.setMinter(minter, false);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IContributionShares.NotAuthorizedMinter.selector, asset, minter));
        vm.prank(minter);
        shares.mint(asset, bob, 10, 0, bytes32(0));
    }

    function test_mint_followsOwnershipNft() public {
        vm.prank(alice);
        registry.transferFrom(alice, bob, asset);
        vm.expectRevert(abi.encodeWithSelector(IContributionShares.NotAuthorizedMinter.selector, asset, alice));
        vm.prank(alice);
        shares.mint(asset, carol, 1, 0, bytes32(0));
        vm.prank(bob);
        shares.mint(asset, carol, 1, 0, bytes32(0));
        assertEq(shares.balanceOf(carol, asset), 1);
    }

    function test_mint_revertsUnknownAsset() public {
        vm.expectRevert(abi.encodeWithSelector(ContributionShares.UnknownAsset.selector, 999));
        vm.prank(alice);
        shares.mint(999, bob, 1, 0, bytes32(0));
        // Minters cannot pre-mint into ids that do not exist yet either.
        vm.prank(admin);
        shares.setMinter(minter, true);
        vm.expectRevert(abi.encodeWithSelector(ContributionShares.UnknownAsset.selector, 999));
        vm.prank(minter);
        shares.mint(999, bob, 1, 0, bytes32(0));
    }

    function test_mint_revertsZeroShares() public {
        vm.expectRevert(IContributionShares.ZeroShares.selector);
        vm.prank(alice);
        shares.mint(asset, bob, 0, 0, bytes32(0));
    }

    function test_mint_revertsZeroContributor() public {
        vm.expectRevert(IContributionShares.ZeroAddress.selector);
        vm.prank(alice);
        shares.mint(asset, address(0), 1, 0, bytes32(0));
    }

    function test_mint_revertsAboveTotalCap() public {
        vm.prank(alice);
        shares.mint(asset, bob, type(uint64).max, 0, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(ContributionShares.TooManyShares.selector, asset, uint256(type(uint64).max) + 1));
        vm.prank(alice);
        shares.mint(asset, carol, 1, 0, bytes32(0));
    }

    function test_mint_checkpointsVaultBeforeChange() public {
        vm.prank(alice);
        shares.setContributorSplit(asset, 5000);
        vm.prank(alice);
        shares.mint(asset, bob, 1, 0, bytes32(0));
        _pay(carol, asset, address(usdt), 1000e6);
        // contributors: (1000 - 25) * 50% = 487.5 USDT, all to bob (only holder).
        assertEq(vault.contributorClaimable(asset, bob, address(usdt)), 487.5e6);
        // New shares for carol do not dilute what bob already earned, nor share it with carol.
        vm.prank(alice);
        shares.mint(asset, carol, 3, 0, bytes32(0));
        assertEq(vault.contributorClaimable(asset, bob, address(usdt)), 487.5e6);
        assertEq(vault.contributorClaimable(asset, carol, address(usdt)), 0);
        // Bob buying more shares keeps his settled revenue too.
        vm.prank(alice);
        shares.mint(asset, bob, 4, 0, bytes32(0));
        assertEq(vault.contributorClaimable(asset, bob, address(usdt)), 487.5e6);
    }

    // ------------------------------------------------------------------ mintBatch

    function test_mintBatch_consecutiveIds() public {
        address[] memory who = new address[](3);
        who[0] = bob;
        who[1] = carol;
        who[2] = bob;
        uint128[] memory amounts = new uint128[](3);
        amounts[0] = 1;
        amounts[1] = 2;
        amounts[2] = 3;
        bytes32[] memory ev = new bytes32[](3);
        ev[1] = EVIDENCE;
        vm.prank(alice);
        shares.mint(asset, dave, 1, 0, bytes32(0));
        vm.expectEmit(address(shares));
        emit IContributionShares.ContributionRecorded(3, asset, carol, 7, 2, EVIDENCE);
        vm.prank(alice);
        uint256 first = shares.mintBatch(asset, who, amounts, 7, ev);
        assertEq(first, 2);
        assertEq(shares.contributionCount(), 4);
        assertEq(shares.balanceOf(bob, asset), 4);
        assertEq(shares.balanceOf(carol, asset), 2);
        assertEq(shares.totalShares(asset), 7);
        (, address c, uint8 t, uint128 s, bytes32 e) = shares.contribution(4);
        assertEq(c, bob);
        assertEq(uint256(t), 7);
        assertEq(uint256(s), 3);
        assertEq(e, bytes32(0));
    }

    function test_mintBatch_revertsLengthMismatch() public {
        address[] memory who = new address[](2);
        who[0] = bob;
        who[1] = carol;
        vm.startPrank(alice);
        vm.expectRevert(IContributionShares.LengthMismatch.selector);
        shares.mintBatch(asset, who, new uint128[](1), 0, new bytes32[](2));
        vm.expectRevert(IContributionShares.LengthMismatch.selector);
        shares.mintBatch(asset, who, new uint128[](2), 0, new bytes32[](3));
        vm.expectRevert(IContributionShares.LengthMismatch.selector);
        shares.mintBatch(asset, new address[](0), new uint128[](0), 0, new bytes32[](0));
        vm.stopPrank();
    }

    function test_mintBatch_revertsForStranger() public {
        address[] memory who = new address[](1);
        who[0] = bob;
        uint128[] memory amounts = new uint128[](1);
        amounts[0] = 1;
        vm.expectRevert(abi.encodeWithSelector(IContributionShares.NotAuthorizedMinter.selector, asset, carol));
        vm.prank(carol);
        shares.mintBatch(asset, who, amounts, 0, new bytes32[](1));
    }

    function test_mintBatch_revertsOnAnyZeroEntry() public {
        address[] memory who = new address[](2);
        who[0] = bob;
        who[1] = carol;
        uint128[] memory amounts = new uint128[](2);
        amounts[0] = 1;
        vm.expectRevert(IContributionShares.ZeroShares.selector);
        vm.prank(alice);
        shares.mintBatch(asset, who, amounts, 0, new bytes32[](2));
        assertEq(shares.totalShares(asset), 0); // atomic
    }

    // ------------------------------------------------------------------ split

    function test_setContributorSplit_ownerSetsAndEmits() public {
        vm.expectEmit(address(shares));
        emit IContributionShares.ContributorSplitSet(asset, 2500);
        vm.prank(alice);
        shares.setContributorSplit(asset, 2500);
        (uint16 bps, uint256 total) = shares.splitOf(asset);
        assertEq(uint256(bps), 2500);
        assertEq(total, 0);
    }

    function test_setContributorSplit_canLowerBeforeShares() public {
        vm.startPrank(alice);
        shares.setContributorSplit(asset, 5000);
        shares.setContributorSplit(asset, 1000);
        vm.stopPrank();
        (uint16 bps,) = shares.splitOf(asset);
        assertEq(uint256(bps), 1000);
    }

    function test_setContributorSplit_onlyGrowsOnceSharesExist() public {
        vm.startPrank(alice);
        shares.setContributorSplit(asset, 3000);
        shares.mint(asset, bob, 10, 0, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IContributionShares.SplitCanOnlyGrow.selector, uint16(3000), uint16(2999)));
        shares.setContributorSplit(asset, 2999);
        shares.setContributorSplit(asset, 3000);
        shares.setContributorSplit(asset, 10_000);
        vm.stopPrank();
        (uint16 bps, uint256 total) = shares.splitOf(asset);
        assertEq(uint256(bps), 10_000);
        assertEq(total, 10);
    }

    function test_setContributorSplit_revertsTooHigh() public {
        vm.expectRevert(abi.encodeWithSelector(IContributionShares.SplitTooHigh.selector, uint16(10_001)));
        vm.prank(alice);
        shares.setContributorSplit(asset, 10_001);
    }

    function test_setContributorSplit_revertsNotOwner() public {
        vm.expectRevert(abi.encodeWithSelector(IContributionShares.NotAssetOwner.selector, asset, bob));
        vm.prank(bob);
        shares.setContributorSplit(asset, 1);
        // Minters cannot set the split either.
        vm.prank(admin);
        shares.setMinter(minter, true);
        vm.expectRevert(abi.encodeWithSelector(IContributionShares.NotAssetOwner.selector, asset, minter));
        vm.prank(minter);
        shares.setContributorSplit(asset, 1);
    }

    function test_setContributorSplit_revertsUnknownAsset() public {
        vm.expectRevert(abi.encodeWithSelector(ContributionShares.UnknownAsset.selector, 77));
        vm.prank(alice);
        shares.setContributorSplit(77, 1);
    }

    // ------------------------------------------------------------------ admin

    function test_setMinter_emitsAndToggles() public {
        vm.expectEmit(address(shares));
        emit IContributionShares.MinterSet(minter, true);
        vm.prank(admin);
        shares.setMinter(minter, true);
        assertTrue(shares.isMinter(minter));
        vm.prank(admin);
        shares.setMinter(minter, false);
        assertFalse(shares.isMinter(minter));
    }

    function test_setMinter_revertsNonOwner() public {
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        shares.setMinter(minter, true);
    }

    function test_setMinter_revertsZero() public {
        vm.expectRevert(IContributionShares.ZeroAddress.selector);
        vm.prank(admin);
        shares.setMinter(address(0), true);
    }

    function test_upgrade_onlyOwner() public {
        address next = address(new ContributionShares());
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        shares.upgradeToAndCall(next, "");

        vm.prank(alice);
        shares.mint(asset, bob, 9, 0, bytes32(0));
        vm.prank(admin);
        shares.upgradeToAndCall(next, "");
        bytes32 implSlot = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
        assertEq(address(uint160(uint256(vm.load(address(shares), implSlot)))), next);
        assertEq(shares.balanceOf(bob, asset), 9); // state survives
    }

    // ------------------------------------------------------------------ soulbound & views

    function test_soulbound_transfersRevert() public {
        vm.prank(alice);
        shares.mint(asset, bob, 9, 0, bytes32(0));
        vm.startPrank(bob);
        vm.expectRevert(IContributionShares.Soulbound.selector);
        shares.safeTransferFrom(bob, carol, asset, 1, "");
        vm.expectRevert(IContributionShares.Soulbound.selector);
        shares.safeBatchTransferFrom(bob, carol, _ids(asset), _ids(1), "");
        vm.expectRevert(IContributionShares.Soulbound.selector);
        shares.setApprovalForAll(carol, true);
        vm.stopPrank();
        assertFalse(shares.isApprovedForAll(bob, carol));
        assertEq(shares.balanceOf(bob, asset), 9);
    }

    function test_locked_alwaysTrue() public view {
        assertTrue(shares.locked(asset));
        assertTrue(shares.locked(12345));
    }

    function test_supportsInterface() public view {
        assertTrue(shares.supportsInterface(0x01ffc9a7));
        assertTrue(shares.supportsInterface(0xb45a3c0e));
        assertFalse(shares.supportsInterface(0xd9b67a26)); // not a transferable ERC-1155
        assertFalse(shares.supportsInterface(0xffffffff));
    }

    function test_contribution_revertsUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(ContributionShares.UnknownContribution.selector, 1));
        shares.contribution(1);
    }

    function test_balanceOfBatch() public {
        vm.startPrank(alice);
        shares.mint(asset, bob, 4, 0, bytes32(0));
        shares.mint(asset, carol, 6, 0, bytes32(0));
        vm.stopPrank();
        address[] memory who = new address[](3);
        who[0] = bob;
        who[1] = carol;
        who[2] = dave;
        uint256[] memory ids = new uint256[](3);
        ids[0] = asset;
        ids[1] = asset;
        ids[2] = asset;
        uint256[] memory b = shares.balanceOfBatch(who, ids);
        assertEq(b[0], 4);
        assertEq(b[1], 6);
        assertEq(b[2], 0);
        vm.expectRevert(IContributionShares.LengthMismatch.selector);
        shares.balanceOfBatch(who, _ids(asset));
    }

    function test_checkpoint_onlySharesContractMayCall() public {
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.NotShares.selector, alice));
        vm.prank(alice);
        vault.checkpoint(asset, alice);
    }

    // ------------------------------------------------------------------ vault split copy

    function _assertVaultCopy(uint256 id, uint256 bps, uint256 total) internal view {
        (uint16 sBps, uint256 sTotal) = shares.splitOf(id);
        (uint16 vBps, uint256 vTotal) = vault.splitOf(id);
        assertEq(uint256(sBps), bps);
        assertEq(sTotal, total);
        assertEq(uint256(vBps), bps);
        assertEq(vTotal, total);
    }

    function test_syncSplit_onlySharesContractMayCall() public {
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.NotShares.selector, alice));
        vm.prank(alice);
        vault.syncSplit(asset, 10_000, 1);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.NotShares.selector, admin));
        vm.prank(admin);
        vault.syncSplit(asset, 10_000, 1);
        _assertVaultCopy(asset, 0, 0);
    }

    function test_syncSplit_sharesContractWritesCopy() public {
        vm.prank(address(shares));
        vault.syncSplit(asset, 1234, type(uint64).max);
        (uint16 vBps, uint256 vTotal) = vault.splitOf(asset);
        assertEq(uint256(vBps), 1234);
        assertEq(vTotal, type(uint64).max);
    }

    function test_syncSplit_afterSetContributorSplit() public {
        vm.prank(alice);
        shares.setContributorSplit(asset, 2500);
        _assertVaultCopy(asset, 2500, 0);
        vm.prank(alice);
        shares.setContributorSplit(asset, 700);
        _assertVaultCopy(asset, 700, 0);
    }

    function test_syncSplit_afterMint() public {
        vm.startPrank(alice);
        shares.setContributorSplit(asset, 3000);
        shares.mint(asset, bob, 10, 0, bytes32(0));
        _assertVaultCopy(asset, 3000, 10);
        shares.mint(asset, carol, 7, 0, EVIDENCE);
        _assertVaultCopy(asset, 3000, 17);
        shares.setContributorSplit(asset, 4000);
        vm.stopPrank();
        _assertVaultCopy(asset, 4000, 17);
    }

    function test_syncSplit_afterMintBatch_syncsOnce() public {
        vm.prank(alice);
        shares.setContributorSplit(asset, 3000);
        address[] memory who = new address[](3);
        uint128[] memory amounts = new uint128[](3);
        (who[0], who[1], who[2]) = (bob, carol, bob);
        (amounts[0], amounts[1], amounts[2]) = (4, 5, 6);
        vm.expectCall(address(vault), abi.encodeCall(IRevenueVault.syncSplit, (asset, uint16(3000), uint256(15))), 1);
        vm.prank(alice);
        shares.mintBatch(asset, who, amounts, 1, new bytes32[](3));
        _assertVaultCopy(asset, 3000, 15);
    }

    function test_syncSplit_otherAssetsUntouched() public {
        uint256 other = _registerAsset(bob);
        vm.startPrank(alice);
        shares.setContributorSplit(asset, 3000);
        shares.mint(asset, bob, 10, 0, bytes32(0));
        vm.stopPrank();
        _assertVaultCopy(other, 0, 0);
    }

    function test_unknownNft_ownerOfRevertIsRegistryError() public {
        // Sanity: the registry reports unknown ids with the ERC-721 error the shares contract pre-empts.
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 999));
        registry.ownerOf(999);
    }
}
