// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {VestingFixture} from "../utils/VestingFixture.sol";
import {VestingVault} from "../../src/token/VestingVault.sol";
import {IVestingVault} from "../../src/interfaces/IVestingVault.sol";

contract VestingVaultTest is VestingFixture {
    uint256 internal constant YEAR = 365 days;
    uint256 internal constant AMOUNT = 4_800_000e18;

    // ---------------------------------------------------------------- constructor / admin

    function test_constructor_state() public view {
        assertEq(vault.token(), address(sahara));
        assertEq(vault.treasury(), treasury);
        assertEq(vault.owner(), genesis);
        assertEq(vault.scheduleCount(), 0);
    }

    function test_constructor_emitsTreasury() public {
        vm.expectEmit();
        emit IVestingVault.TreasuryChanged(address(0), treasury);
        new VestingVault(address(sahara), treasury, genesis);
    }

    function test_constructor_zeroAddress_reverts() public {
        vm.expectRevert(IVestingVault.ZeroAddress.selector);
        new VestingVault(address(0), treasury, genesis);
        vm.expectRevert(IVestingVault.ZeroAddress.selector);
        new VestingVault(address(sahara), address(0), genesis);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new VestingVault(address(sahara), treasury, address(0));
    }

    function test_setTreasury() public {
        vm.expectEmit(address(vault));
        emit IVestingVault.TreasuryChanged(treasury, carol);
        vm.prank(genesis);
        vault.setTreasury(carol);
        assertEq(vault.treasury(), carol);
    }

    function test_setTreasury_reverts() public {
        vm.prank(genesis);
        vm.expectRevert(IVestingVault.ZeroAddress.selector);
        vault.setTreasury(address(0));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vault.setTreasury(carol);
    }

    function test_renounceOwnership_disabled() public {
        vm.prank(genesis);
        vm.expectRevert(IVestingVault.RenounceOwnershipDisabled.selector);
        vault.renounceOwnership();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vault.renounceOwnership();
    }

    function test_ownership_twoStep() public {
        vm.prank(genesis);
        vault.transferOwnership(carol);
        assertEq(vault.owner(), genesis);
        assertEq(vault.pendingOwner(), carol);
        vm.prank(carol);
        vault.acceptOwnership();
        assertEq(vault.owner(), carol);
    }

    // ---------------------------------------------------------------- createSchedules

    function test_createSchedules_storesEmitsAndPullsOnce() public {
        IVestingVault.ScheduleParams[] memory batch = new IVestingVault.ScheduleParams[](3);
        batch[0] = _params(alice, T0, YEAR, 4 * YEAR, AMOUNT, true);
        batch[1] = _params(bob, T0 + 10, 0, 2 * YEAR, 1, false);
        batch[2] = _params(alice, T0 - 100, 50, 50, 7e18, false); // cliff == duration, start in the past
        uint256 total = AMOUNT + 1 + 7e18;

        vm.expectCall(
            address(sahara), abi.encodeCall(sahara.transferFrom, (genesis, address(vault), total)), uint64(1)
        );
        vm.expectEmit(address(vault));
        emit IVestingVault.ScheduleCreated(1, alice, uint64(T0), uint64(YEAR), uint64(4 * YEAR), uint128(AMOUNT), true);
        vm.expectEmit(address(vault));
        emit IVestingVault.ScheduleCreated(2, bob, uint64(T0 + 10), 0, uint64(2 * YEAR), 1, false);
        vm.expectEmit(address(vault));
        emit IVestingVault.ScheduleCreated(3, alice, uint64(T0 - 100), 50, 50, 7e18, false);
        vm.prank(genesis);
        uint256 firstId = vault.createSchedules(batch);

        assertEq(firstId, 1);
        assertEq(vault.scheduleCount(), 3);
        assertEq(sahara.balanceOf(address(vault)), total);
        assertEq(sahara.balanceOf(genesis), SUPPLY - total);

        IVestingVault.Schedule memory s = vault.schedule(1);
        assertEq(s.beneficiary, alice);
        assertEq(s.start, T0);
        assertEq(s.cliff, YEAR);
        assertEq(s.duration, 4 * YEAR);
        assertEq(s.amount, AMOUNT);
        assertEq(s.released, 0);
        assertTrue(s.revocable);
        assertEq(s.revokedAt, 0);
        assertFalse(vault.schedule(2).revocable);

        uint256[] memory ids = vault.schedulesOf(alice);
        assertEq(ids.length, 2);
        assertEq(ids[0], 1);
        assertEq(ids[1], 3);
        assertEq(vault.schedulesOf(bob).length, 1);
        assertEq(vault.schedulesOf(bob)[0], 2);
        assertEq(vault.schedulesOf(carol).length, 0);

        // A second batch continues the ids.
        assertEq(_create(carol, T0, 0, 1, 5, false), 4);
        assertEq(vault.scheduleCount(), 4);
    }

    function test_createSchedules_maxAmount() public {
        uint256 maxAmount = type(uint128).max;
        // 2^128 - 1 passes the bound (the whole SAHARA supply is far smaller, so the pull then
        // fails with the token's own error).
        vm.prank(genesis);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, genesis, SUPPLY, maxAmount)
        );
        vault.createSchedules(_one(_params(alice, T0, 0, 1, maxAmount, false)));
    }

    function test_createSchedules_notOwner_reverts() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vault.createSchedules(_one(_params(alice, T0, 0, 1, 1, false)));
    }

    function test_createSchedules_badSchedules_revert() public {
        vm.startPrank(genesis);
        vm.expectRevert(IVestingVault.EmptyBatch.selector);
        vault.createSchedules(new IVestingVault.ScheduleParams[](0));
        vm.expectRevert(IVestingVault.ZeroBeneficiary.selector);
        vault.createSchedules(_one(_params(address(0), T0, 0, 1, 1, false)));
        vm.expectRevert(IVestingVault.BeneficiaryIsVault.selector);
        vault.createSchedules(_one(_params(address(vault), T0, 0, 1, 1, false)));
        vm.expectRevert(IVestingVault.ZeroAmount.selector);
        vault.createSchedules(_one(_params(alice, T0, 0, 1, 0, false)));
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.AmountTooLarge.selector, uint256(1) << 128));
        vault.createSchedules(_one(_params(alice, T0, 0, 1, uint256(1) << 128, false)));
        vm.expectRevert(IVestingVault.ZeroDuration.selector);
        vault.createSchedules(_one(_params(alice, T0, 0, 0, 1, false)));
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.CliffAfterEnd.selector, uint64(11), uint64(10)));
        vault.createSchedules(_one(_params(alice, T0, 11, 10, 1, false)));
        vm.stopPrank();
    }

    function test_createSchedules_badItemAnywhere_revertsWholeBatch() public {
        IVestingVault.ScheduleParams[] memory batch = new IVestingVault.ScheduleParams[](3);
        batch[0] = _params(alice, T0, 0, 10, 1e18, false);
        batch[1] = _params(bob, T0, 0, 10, 1e18, false);
        batch[2] = _params(carol, T0, 0, 0, 1e18, false);
        vm.prank(genesis);
        vm.expectRevert(IVestingVault.ZeroDuration.selector);
        vault.createSchedules(batch);
        assertEq(vault.scheduleCount(), 0);
        assertEq(vault.schedulesOf(alice).length, 0);
        assertEq(sahara.balanceOf(address(vault)), 0);
    }

    function test_createSchedules_noAllowance_reverts() public {
        vm.startPrank(genesis);
        sahara.approve(address(vault), 1e18 - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(vault), 1e18 - 1, 1e18)
        );
        vault.createSchedules(_one(_params(alice, T0, 0, 10, 1e18, false)));
        vm.stopPrank();
        assertEq(vault.scheduleCount(), 0);
    }

    // ---------------------------------------------------------------- views: unknown ids

    function test_unknownSchedule_reverts() public {
        _create(alice, T0, 0, 10, 1e18, true);
        for (uint256 k; k < 2; ++k) {
            uint256 id = k == 0 ? 0 : 2;
            vm.expectRevert(abi.encodeWithSelector(IVestingVault.UnknownSchedule.selector, id));
            vault.schedule(id);
            vm.expectRevert(abi.encodeWithSelector(IVestingVault.UnknownSchedule.selector, id));
            vault.releasable(id);
            vm.expectRevert(abi.encodeWithSelector(IVestingVault.UnknownSchedule.selector, id));
            vault.vestedAmount(id, T0);
            vm.expectRevert(abi.encodeWithSelector(IVestingVault.UnknownSchedule.selector, id));
            vault.release(id);
            vm.prank(genesis);
            vm.expectRevert(abi.encodeWithSelector(IVestingVault.UnknownSchedule.selector, id));
            vault.revoke(id);
            vm.prank(alice);
            vm.expectRevert(abi.encodeWithSelector(IVestingVault.UnknownSchedule.selector, id));
            vault.setBeneficiary(id, bob);
        }
    }

    // ---------------------------------------------------------------- vesting math

    function test_vestedAmount_boundaries() public {
        uint256 id = _create(alice, T0, YEAR, 4 * YEAR, AMOUNT, false);
        assertEq(vault.vestedAmount(id, 0), 0);
        assertEq(vault.vestedAmount(id, T0 - 1), 0);
        assertEq(vault.vestedAmount(id, T0), 0);
        assertEq(vault.vestedAmount(id, T0 + YEAR - 1), 0);
        // The cliff releases the linearly accrued quarter at once.
        assertEq(vault.vestedAmount(id, T0 + YEAR), AMOUNT / 4);
        assertEq(vault.vestedAmount(id, T0 + YEAR + 1), AMOUNT * (YEAR + 1) / (4 * YEAR));
        assertEq(vault.vestedAmount(id, T0 + 2 * YEAR), AMOUNT / 2);
        assertEq(vault.vestedAmount(id, T0 + 4 * YEAR - 1), AMOUNT * (4 * YEAR - 1) / (4 * YEAR));
        assertLt(vault.vestedAmount(id, T0 + 4 * YEAR - 1), AMOUNT);
        assertEq(vault.vestedAmount(id, T0 + 4 * YEAR), AMOUNT);
        assertEq(vault.vestedAmount(id, type(uint256).max), AMOUNT);
    }

    function test_vestedAmount_noCliff_floor() public {
        // 10 tokens-wei over 3 s: floor at each second.
        uint256 id = _create(alice, T0, 0, 3, 10, false);
        assertEq(vault.vestedAmount(id, T0), 0);
        assertEq(vault.vestedAmount(id, T0 + 1), 3);
        assertEq(vault.vestedAmount(id, T0 + 2), 6);
        assertEq(vault.vestedAmount(id, T0 + 3), 10);
    }

    function test_vestedAmount_cliffEqualsDuration_allAtOnce() public {
        uint256 id = _create(alice, T0, 100, 100, 1e18, false);
        assertEq(vault.vestedAmount(id, T0 + 99), 0);
        assertEq(vault.vestedAmount(id, T0 + 100), 1e18);
    }

    // ---------------------------------------------------------------- release

    function test_release_paysVestedToBeneficiary_anyCaller() public {
        uint256 id = _create(alice, T0, YEAR, 4 * YEAR, AMOUNT, false);
        vm.warp(T0 + 2 * YEAR);
        assertEq(vault.releasable(id), AMOUNT / 2);

        vm.expectEmit(address(vault));
        emit IVestingVault.Released(id, alice, AMOUNT / 2);
        vm.prank(carol); // anyone
        assertEq(vault.release(id), AMOUNT / 2);
        assertEq(sahara.balanceOf(alice), AMOUNT / 2);
        assertEq(sahara.balanceOf(carol), 0);
        assertEq(vault.schedule(id).released, AMOUNT / 2);
        assertEq(vault.releasable(id), 0);
        assertEq(sahara.balanceOf(address(vault)), AMOUNT - AMOUNT / 2);

        vm.warp(T0 + 3 * YEAR);
        vault.release(id);
        vm.warp(T0 + 10 * YEAR);
        assertEq(vault.release(id), AMOUNT / 4);
        assertEq(sahara.balanceOf(alice), AMOUNT);
        assertEq(sahara.balanceOf(address(vault)), 0);
        assertEq(vault.schedule(id).released, AMOUNT);
    }

    function test_release_nothing_reverts() public {
        uint256 id = _create(alice, T0, YEAR, 4 * YEAR, AMOUNT, false);
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.NothingToRelease.selector, id));
        vault.release(id); // before the cliff
        vm.warp(T0 + YEAR - 1);
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.NothingToRelease.selector, id));
        vault.release(id);
        vm.warp(T0 + YEAR);
        vault.release(id);
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.NothingToRelease.selector, id));
        vault.release(id); // same second
        vm.warp(T0 + 5 * YEAR);
        vault.release(id);
        vm.warp(T0 + 6 * YEAR);
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.NothingToRelease.selector, id));
        vault.release(id); // fully released
    }

    function test_release_schedulesAreIndependent() public {
        uint256 a = _create(alice, T0, 0, 100, 100e18, false);
        uint256 b = _create(alice, T0 + 50, 0, 100, 300e18, false);
        vm.warp(T0 + 100);
        assertEq(vault.release(a), 100e18);
        assertEq(vault.release(b), 150e18);
        assertEq(sahara.balanceOf(alice), 250e18);
        assertEq(sahara.balanceOf(address(vault)), 150e18);
    }

    // ---------------------------------------------------------------- revoke

    function test_revoke_returnsUnvested_freezesVested() public {
        uint256 id = _create(alice, T0, YEAR, 4 * YEAR, AMOUNT, true);
        vm.warp(T0 + YEAR + YEAR / 2); // 37.5% vested
        uint256 vestedNow = AMOUNT * (YEAR + YEAR / 2) / (4 * YEAR);

        vm.expectEmit(address(vault));
        emit IVestingVault.ScheduleRevoked(id, AMOUNT - vestedNow);
        vm.prank(genesis);
        assertEq(vault.revoke(id), AMOUNT - vestedNow);

        assertEq(sahara.balanceOf(treasury), AMOUNT - vestedNow);
        assertEq(sahara.balanceOf(address(vault)), vestedNow);
        assertEq(vault.schedule(id).revokedAt, block.timestamp);
        // Frozen: later timestamps vest nothing more; earlier ones are unchanged.
        assertEq(vault.vestedAmount(id, block.timestamp + 1), vestedNow);
        assertEq(vault.vestedAmount(id, T0 + 4 * YEAR), vestedNow);
        assertEq(vault.vestedAmount(id, block.timestamp - 1), AMOUNT * (YEAR + YEAR / 2 - 1) / (4 * YEAR));
        assertEq(vault.vestedAmount(id, T0 + YEAR), AMOUNT / 4);

        vm.warp(T0 + 10 * YEAR);
        assertEq(vault.releasable(id), vestedNow);
        vm.prank(alice);
        assertEq(vault.release(id), vestedNow);
        assertEq(sahara.balanceOf(alice), vestedNow);
        assertEq(sahara.balanceOf(address(vault)), 0);
        assertEq(sahara.balanceOf(alice) + sahara.balanceOf(treasury), AMOUNT);
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.NothingToRelease.selector, id));
        vault.release(id);
    }

    function test_revoke_afterPartialRelease() public {
        uint256 id = _create(alice, T0, 0, 100, 100e18, true);
        vm.warp(T0 + 30);
        vault.release(id); // 30
        vm.warp(T0 + 60);
        vm.prank(genesis);
        assertEq(vault.revoke(id), 40e18);
        assertEq(vault.releasable(id), 30e18);
        vault.release(id);
        assertEq(sahara.balanceOf(alice), 60e18);
        assertEq(sahara.balanceOf(treasury), 40e18);
    }

    function test_revoke_beforeCliff_returnsEverything() public {
        uint256 id = _create(alice, T0, YEAR, 4 * YEAR, AMOUNT, true);
        vm.warp(T0 + YEAR - 1);
        vm.prank(genesis);
        assertEq(vault.revoke(id), AMOUNT);
        assertEq(sahara.balanceOf(treasury), AMOUNT);
        vm.warp(T0 + 5 * YEAR);
        assertEq(vault.releasable(id), 0);
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.NothingToRelease.selector, id));
        vault.release(id);
    }

    function test_revoke_afterEnd_returnsNothing_noTransfer() public {
        uint256 id = _create(alice, T0, 0, 100, 1e18, true);
        vm.warp(T0 + 100);
        vm.expectEmit(address(vault));
        emit IVestingVault.ScheduleRevoked(id, 0);
        vm.prank(genesis);
        assertEq(vault.revoke(id), 0);
        assertEq(sahara.balanceOf(treasury), 0);
        vault.release(id);
        assertEq(sahara.balanceOf(alice), 1e18);
    }

    function test_revoke_paysCurrentTreasury() public {
        uint256 id = _create(alice, T0, 0, 100, 1e18, true);
        vm.startPrank(genesis);
        vault.setTreasury(carol);
        vault.revoke(id);
        vm.stopPrank();
        assertEq(sahara.balanceOf(carol), 1e18);
        assertEq(sahara.balanceOf(treasury), 0);
    }

    function test_revoke_reverts() public {
        uint256 fixedId = _create(alice, T0, 0, 100, 1e18, false);
        uint256 id = _create(alice, T0, 0, 100, 1e18, true);
        vm.prank(genesis);
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.NotRevocable.selector, fixedId));
        vault.revoke(fixedId);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vault.revoke(id);
        vm.prank(genesis);
        vault.revoke(id);
        vm.warp(T0 + 1);
        vm.prank(genesis);
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.AlreadyRevoked.selector, id));
        vault.revoke(id);
    }

    // ---------------------------------------------------------------- setBeneficiary

    function test_setBeneficiary_movesScheduleAndLists() public {
        uint256 a = _create(alice, T0, 0, 100, 1e18, false);
        uint256 b = _create(alice, T0, 0, 100, 2e18, false);
        uint256 c = _create(alice, T0, 0, 100, 3e18, false);

        vm.expectEmit(address(vault));
        emit IVestingVault.BeneficiaryChanged(a, alice, bob);
        vm.prank(alice);
        vault.setBeneficiary(a, bob); // first element: swapped with the last
        uint256[] memory ids = vault.schedulesOf(alice);
        assertEq(ids.length, 2);
        assertEq(ids[0], c);
        assertEq(ids[1], b);
        assertEq(vault.schedulesOf(bob).length, 1);
        assertEq(vault.schedulesOf(bob)[0], a);
        assertEq(vault.schedule(a).beneficiary, bob);

        vm.prank(alice);
        vault.setBeneficiary(b, bob); // last element: plain pop
        ids = vault.schedulesOf(alice);
        assertEq(ids.length, 1);
        assertEq(ids[0], c);
        ids = vault.schedulesOf(bob);
        assertEq(ids.length, 2);
        assertEq(ids[1], b);

        // The moved index of c is right: moving it empties alice's list.
        vm.prank(alice);
        vault.setBeneficiary(c, carol);
        assertEq(vault.schedulesOf(alice).length, 0);
        assertEq(vault.schedulesOf(carol)[0], c);

        // Bob moves `a` back through the middle of his list; the remaining index stays right.
        vm.prank(bob);
        vault.setBeneficiary(a, alice);
        ids = vault.schedulesOf(bob);
        assertEq(ids.length, 1);
        assertEq(ids[0], b);
        vm.prank(bob);
        vault.setBeneficiary(b, alice);
        assertEq(vault.schedulesOf(bob).length, 0);
        assertEq(vault.schedulesOf(alice).length, 2);

        // Releases follow the current beneficiary.
        vm.warp(T0 + 100);
        vault.release(c);
        assertEq(sahara.balanceOf(carol), 3e18);
        assertEq(sahara.balanceOf(alice), 0);
    }

    function test_setBeneficiary_toSelf_keepsList() public {
        uint256 a = _create(alice, T0, 0, 100, 1e18, false);
        uint256 b = _create(alice, T0, 0, 100, 1e18, false);
        vm.prank(alice);
        vault.setBeneficiary(a, alice);
        uint256[] memory ids = vault.schedulesOf(alice);
        assertEq(ids.length, 2);
        assertEq(ids[0], b);
        assertEq(ids[1], a);
        vm.prank(alice);
        vault.setBeneficiary(b, bob);
        assertEq(vault.schedulesOf(alice)[0], a);
    }

    function test_setBeneficiary_reverts() public {
        uint256 id = _create(alice, T0, 0, 100, 1e18, false);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.NotBeneficiary.selector, id, bob));
        vault.setBeneficiary(id, bob);
        vm.prank(genesis); // not even the owner
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.NotBeneficiary.selector, id, genesis));
        vault.setBeneficiary(id, genesis);
        vm.prank(alice);
        vm.expectRevert(IVestingVault.ZeroBeneficiary.selector);
        vault.setBeneficiary(id, address(0));
        vm.prank(alice);
        vm.expectRevert(IVestingVault.BeneficiaryIsVault.selector);
        vault.setBeneficiary(id, address(vault));
        // The old beneficiary loses control once moved.
        vm.prank(alice);
        vault.setBeneficiary(id, bob);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IVestingVault.NotBeneficiary.selector, id, alice));
        vault.setBeneficiary(id, alice);
    }

    // ---------------------------------------------------------------- voting

    function test_vaultTokensDoNotVote_releasedTokensVoteAfterDelegation() public {
        vm.prank(genesis);
        sahara.delegate(genesis);
        uint256 id = _create(alice, T0, 0, 100, 100e18, false);
        assertEq(sahara.delegates(address(vault)), address(0));
        assertEq(sahara.getVotes(address(vault)), 0);
        assertEq(sahara.getVotes(genesis), SUPPLY - 100e18);

        vm.prank(alice);
        sahara.delegate(alice);
        vm.warp(T0 + 40);
        vault.release(id);
        assertEq(sahara.getVotes(alice), 40e18);
        assertEq(sahara.getVotes(address(vault)), 0);
        // Total votes never include the vault's balance.
        assertEq(sahara.getVotes(alice) + sahara.getVotes(genesis), SUPPLY - sahara.balanceOf(address(vault)));
    }
}
