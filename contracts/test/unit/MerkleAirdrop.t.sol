// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {VestingFixture} from "../utils/VestingFixture.sol";
import {StandardMerkle} from "../utils/StandardMerkle.sol";
import {MerkleAirdrop} from "../../src/token/MerkleAirdrop.sol";
import {IMerkleAirdrop} from "../../src/interfaces/IMerkleAirdrop.sol";

contract MerkleAirdropTest is VestingFixture {
    uint256 internal constant DEADLINE = T0 + 90 days;
    uint256 internal constant VSTART = T0 + 30 days;
    uint256 internal constant VDUR = 100 days;

    address[] internal accounts;
    uint256[] internal amounts;
    uint256 internal total;

    function setUp() public override {
        super.setUp();
        // Five allocations; account i gets (i + 1) * 1000 SAHARA.
        address[5] memory who = [alice, bob, carol, makeAddr("dave"), makeAddr("erin")];
        for (uint256 i; i < who.length; ++i) {
            accounts.push(who[i]);
            amounts.push((i + 1) * 1000e18);
            total += (i + 1) * 1000e18;
        }
    }

    function _plain() internal returns (MerkleAirdrop drop, bytes32[] memory tree) {
        return _airdrop(accounts, amounts, DEADLINE, 0, 0, total);
    }

    function _vesting() internal returns (MerkleAirdrop drop, bytes32[] memory tree) {
        return _airdrop(accounts, amounts, DEADLINE, VSTART, VDUR, total);
    }

    function _claim(MerkleAirdrop drop, bytes32[] memory tree, uint256 i) internal returns (uint256) {
        return drop.claim(accounts[i], amounts[i], _proof(tree, accounts[i], amounts[i]));
    }

    // ---------------------------------------------------------------- tree format

    // Root and proof generated with the npm package "@openzeppelin/merkle-tree" 1.0.8:
    // StandardMerkleTree.of([[0x…1000 + i, (i + 1) * 1e18] for i < 7], ["address","uint256"]).
    function test_tree_matchesOpenZeppelinMerkleTree() public pure {
        bytes32[] memory leaves = new bytes32[](7);
        for (uint256 i; i < 7; ++i) leaves[i] = StandardMerkle.leaf(address(uint160(0x1000 + i)), (i + 1) * 1e18);
        bytes32[] memory tree = StandardMerkle.build(leaves);
        assertEq(tree[0], 0x8bbb6f7216f29f89d17c59f0d82ec5587907064b3cdbdd09a743a37b769997a3);
        bytes32[] memory p = StandardMerkle.proof(tree, leaves[3]);
        assertEq(p.length, 3);
        assertEq(p[0], 0x5d1280efcb52d23e333bf814ebc23cb7d89965ccf1643991f63debec64b5334d);
        assertEq(p[1], 0x8b1427d6a0cb3ee3e2a55e2f06cb414f4c2034ff5006a6e9333537456629b622);
        assertEq(p[2], 0xe81eeeb96ed3e27b7106957ca470e24588545cc77d56b5e2cad71b7d807a2b50);
        for (uint256 i; i < 7; ++i) {
            assertTrue(MerkleProof.verify(StandardMerkle.proof(tree, leaves[i]), tree[0], leaves[i]));
        }
        // One leaf: the root is the leaf, the proof is empty.
        bytes32[] memory single = new bytes32[](1);
        single[0] = leaves[0];
        assertEq(StandardMerkle.build(single)[0], 0x96b4355dbdea99eee16b2590693b1371c7417f7efca8c969c9e68f6e47ef9bff);
    }

    // ---------------------------------------------------------------- constructor / admin

    function test_constructor_state() public {
        (MerkleAirdrop drop, bytes32[] memory tree) = _vesting();
        assertEq(drop.token(), address(sahara));
        assertEq(drop.merkleRoot(), tree[0]);
        assertEq(drop.deadline(), DEADLINE);
        assertEq(drop.vestingStart(), VSTART);
        assertEq(drop.vestingDuration(), VDUR);
        assertEq(drop.treasury(), treasury);
        assertEq(drop.owner(), genesis);
        assertEq(drop.totalOutstanding(), 0);
        assertEq(sahara.balanceOf(address(drop)), total);
    }

    function test_constructor_emitsTreasury() public {
        vm.expectEmit();
        emit IMerkleAirdrop.TreasuryChanged(address(0), treasury);
        new MerkleAirdrop(address(sahara), bytes32(uint256(1)), uint64(DEADLINE), treasury, 0, 0, genesis);
    }

    function test_constructor_reverts() public {
        bytes32 root = bytes32(uint256(1));
        uint64 dl = uint64(DEADLINE);
        vm.expectRevert(IMerkleAirdrop.ZeroAddress.selector);
        new MerkleAirdrop(address(0), root, dl, treasury, 0, 0, genesis);
        vm.expectRevert(IMerkleAirdrop.ZeroAddress.selector);
        new MerkleAirdrop(address(sahara), root, dl, address(0), 0, 0, genesis);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new MerkleAirdrop(address(sahara), root, dl, treasury, 0, 0, address(0));
        vm.expectRevert(IMerkleAirdrop.ZeroRoot.selector);
        new MerkleAirdrop(address(sahara), bytes32(0), dl, treasury, 0, 0, genesis);
        vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.DeadlineInPast.selector, uint64(T0 - 1)));
        new MerkleAirdrop(address(sahara), root, uint64(T0 - 1), treasury, 0, 0, genesis);
        // A deadline of now is accepted (claims this second only).
        new MerkleAirdrop(address(sahara), root, uint64(T0), treasury, 0, 0, genesis);
    }

    function test_setTreasury_and_reverts() public {
        (MerkleAirdrop drop,) = _plain();
        vm.expectEmit(address(drop));
        emit IMerkleAirdrop.TreasuryChanged(treasury, carol);
        vm.prank(genesis);
        drop.setTreasury(carol);
        assertEq(drop.treasury(), carol);
        vm.prank(genesis);
        vm.expectRevert(IMerkleAirdrop.ZeroAddress.selector);
        drop.setTreasury(address(0));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        drop.setTreasury(alice);
        vm.prank(genesis);
        vm.expectRevert(IMerkleAirdrop.RenounceOwnershipDisabled.selector);
        drop.renounceOwnership();
        // The sweep pays the current treasury.
        vm.warp(DEADLINE + 1);
        drop.sweep();
        assertEq(sahara.balanceOf(carol), total);
    }

    // ---------------------------------------------------------------- claim without vesting

    function test_claim_noVesting_paysAll_submittedByAnyone() public {
        (MerkleAirdrop drop, bytes32[] memory tree) = _plain();
        bytes32[] memory p = _proof(tree, bob, 2000e18);
        vm.expectEmit(address(drop));
        emit IMerkleAirdrop.Claimed(bob, 2000e18, 2000e18);
        vm.prank(carol); // a relayer: tokens still go to bob
        assertEq(drop.claim(bob, 2000e18, p), 2000e18);
        assertEq(sahara.balanceOf(bob), 2000e18);
        assertEq(sahara.balanceOf(carol), 0);
        (uint256 amount, uint256 released) = drop.claimed(bob);
        assertEq(amount, 2000e18);
        assertEq(released, 2000e18);
        assertEq(drop.totalOutstanding(), 0);
        assertEq(drop.releasable(bob), 0);
        assertEq(sahara.balanceOf(address(drop)), total - 2000e18);

        // Every other allocation still claims.
        for (uint256 i; i < accounts.length; ++i) {
            if (accounts[i] != bob) _claim(drop, tree, i);
        }
        assertEq(sahara.balanceOf(address(drop)), 0);
        vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.NothingToRelease.selector, bob));
        drop.release(bob);
    }

    function test_claim_noVesting_beforeVestingStartPaysAll() public {
        // vestingDuration 0 means no vesting, whatever vestingStart says.
        (MerkleAirdrop drop, bytes32[] memory tree) = _airdrop(accounts, amounts, DEADLINE, T0 + 365 days, 0, total);
        assertEq(_claim(drop, tree, 0), 1000e18);
        assertEq(sahara.balanceOf(alice), 1000e18);
    }

    function test_claim_atDeadline_ok_after_reverts() public {
        (MerkleAirdrop drop, bytes32[] memory tree) = _plain();
        vm.warp(DEADLINE);
        _claim(drop, tree, 0);
        vm.warp(DEADLINE + 1);
        bytes32[] memory p = _proof(tree, bob, 2000e18);
        vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.ClaimWindowClosed.selector, uint64(DEADLINE)));
        drop.claim(bob, 2000e18, p);
    }

    function test_claim_twice_reverts() public {
        (MerkleAirdrop drop, bytes32[] memory tree) = _plain();
        _claim(drop, tree, 0);
        bytes32[] memory p = _proof(tree, alice, 1000e18);
        vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.AlreadyClaimed.selector, alice));
        drop.claim(alice, 1000e18, p);
        assertEq(sahara.balanceOf(alice), 1000e18);
    }

    function test_claim_invalidProof_reverts() public {
        (MerkleAirdrop drop, bytes32[] memory tree) = _plain();
        bytes32[] memory p = _proof(tree, alice, 1000e18);
        vm.expectRevert(IMerkleAirdrop.InvalidProof.selector);
        drop.claim(alice, 1000e18 + 1, p); // wrong amount
        vm.expectRevert(IMerkleAirdrop.InvalidProof.selector);
        drop.claim(bob, 1000e18, p); // someone else's proof
        vm.expectRevert(IMerkleAirdrop.InvalidProof.selector);
        drop.claim(alice, 1000e18, new bytes32[](0)); // no proof
        p[0] = bytes32(uint256(p[0]) ^ 1);
        vm.expectRevert(IMerkleAirdrop.InvalidProof.selector);
        drop.claim(alice, 1000e18, p); // tampered proof
    }

    function test_claim_zeroOrHugeLeaf_reverts() public {
        address[] memory a = new address[](3);
        uint256[] memory v = new uint256[](3);
        (a[0], v[0]) = (alice, 0);
        (a[1], v[1]) = (bob, uint256(1) << 128);
        (a[2], v[2]) = (carol, type(uint128).max);
        (MerkleAirdrop drop, bytes32[] memory tree) = _airdrop(a, v, DEADLINE, 0, 0, 1e18);
        bytes32[] memory p0 = _proof(tree, alice, 0);
        vm.expectRevert(IMerkleAirdrop.ZeroAmount.selector);
        drop.claim(alice, 0, p0);
        bytes32[] memory p1 = _proof(tree, bob, uint256(1) << 128);
        vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.AmountTooLarge.selector, uint256(1) << 128));
        drop.claim(bob, uint256(1) << 128, p1);
        // 2^128 - 1 passes the bound; an underfunded airdrop fails in the token.
        bytes32[] memory p2 = _proof(tree, carol, type(uint128).max);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientBalance.selector, address(drop), 1e18, uint256(type(uint128).max)
            )
        );
        drop.claim(carol, type(uint128).max, p2);
    }

    function test_claim_singleLeafTree_emptyProof() public {
        address[] memory a = new address[](1);
        uint256[] memory v = new uint256[](1);
        (a[0], v[0]) = (alice, 5e18);
        (MerkleAirdrop drop, bytes32[] memory tree) = _airdrop(a, v, DEADLINE, 0, 0, 5e18);
        assertEq(tree[0], StandardMerkle.leaf(alice, 5e18));
        drop.claim(alice, 5e18, new bytes32[](0));
        assertEq(sahara.balanceOf(alice), 5e18);
    }

    function test_claim_largeTree_1024Leaves_depth10() public {
        uint256 n = 1024;
        address[] memory a = new address[](n);
        uint256[] memory v = new uint256[](n);
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            a[i] = address(uint160(uint256(keccak256(abi.encode("claimant", i)))));
            v[i] = 1e18 + i;
            sum += v[i];
        }
        (MerkleAirdrop drop, bytes32[] memory tree) = _airdrop(a, v, DEADLINE, 0, 0, sum);
        for (uint256 i; i < n; i += 97) {
            bytes32[] memory p = _proof(tree, a[i], v[i]);
            assertEq(p.length, 10);
            drop.claim(a[i], v[i], p);
            assertEq(sahara.balanceOf(a[i]), v[i]);
        }
    }

    // ---------------------------------------------------------------- claim with vesting

    function test_claim_beforeVestingStart_paysNothing_thenReleases() public {
        (MerkleAirdrop drop, bytes32[] memory tree) = _vesting();
        vm.expectEmit(address(drop));
        emit IMerkleAirdrop.Claimed(carol, 3000e18, 0);
        assertEq(_claim(drop, tree, 2), 0);
        assertEq(sahara.balanceOf(carol), 0);
        assertEq(drop.totalOutstanding(), 3000e18);
        (uint256 amount, uint256 released) = drop.claimed(carol);
        assertEq(amount, 3000e18);
        assertEq(released, 0);

        vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.NothingToRelease.selector, carol));
        drop.release(carol);
        vm.warp(VSTART);
        vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.NothingToRelease.selector, carol));
        drop.release(carol);

        vm.warp(VSTART + VDUR / 4);
        assertEq(drop.releasable(carol), 750e18);
        vm.expectEmit(address(drop));
        emit IMerkleAirdrop.Released(carol, 750e18);
        vm.prank(bob); // anyone
        assertEq(drop.release(carol), 750e18);
        assertEq(sahara.balanceOf(carol), 750e18);
        assertEq(drop.totalOutstanding(), 2250e18);

        vm.warp(VSTART + VDUR);
        assertEq(drop.release(carol), 2250e18);
        assertEq(sahara.balanceOf(carol), 3000e18);
        assertEq(drop.totalOutstanding(), 0);
        vm.warp(VSTART + 2 * VDUR);
        vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.NothingToRelease.selector, carol));
        drop.release(carol);
    }

    function test_claim_midVesting_paysVestedPart() public {
        (MerkleAirdrop drop, bytes32[] memory tree) = _vesting();
        vm.warp(VSTART + 33 days);
        uint256 vestedNow = 4000e18 * 33 days / VDUR;
        vm.expectEmit(address(drop));
        emit IMerkleAirdrop.Claimed(accounts[3], 4000e18, vestedNow);
        assertEq(_claim(drop, tree, 3), vestedNow);
        assertEq(sahara.balanceOf(accounts[3]), vestedNow);
        assertEq(drop.totalOutstanding(), 4000e18 - vestedNow);
        assertEq(drop.vestedAmount(4000e18, block.timestamp), vestedNow);
        assertEq(drop.vestedAmount(4000e18, VSTART - 1), 0);
        assertEq(drop.vestedAmount(4000e18, VSTART + VDUR - 1), 4000e18 * (VDUR - 1) / VDUR);
        assertEq(drop.vestedAmount(4000e18, VSTART + VDUR), 4000e18);
    }

    function test_release_neverClaimed_reverts() public {
        (MerkleAirdrop drop,) = _vesting();
        vm.warp(VSTART + VDUR);
        vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.NothingToRelease.selector, alice));
        drop.release(alice);
        assertEq(drop.releasable(alice), 0);
    }

    // ---------------------------------------------------------------- sweep

    function test_sweep_beforeOrAtDeadline_reverts() public {
        (MerkleAirdrop drop,) = _plain();
        vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.ClaimWindowOpen.selector, uint64(DEADLINE)));
        drop.sweep();
        vm.warp(DEADLINE);
        vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.ClaimWindowOpen.selector, uint64(DEADLINE)));
        drop.sweep();
    }

    function test_sweep_keepsVestingClaims_releasesAfterDeadline() public {
        (MerkleAirdrop drop, bytes32[] memory tree) = _vesting();
        vm.warp(VSTART + 10 days);
        uint256 paidAlice = _claim(drop, tree, 0); // 10% of 1000
        uint256 paidErin = _claim(drop, tree, 4); // 10% of 5000
        assertEq(paidAlice, 100e18);
        assertEq(paidErin, 500e18);
        uint256 outstanding = 900e18 + 4500e18;
        assertEq(drop.totalOutstanding(), outstanding);

        vm.warp(DEADLINE + 1);
        uint256 expected = total - 600e18 - outstanding; // the three unclaimed allocations
        vm.expectEmit(address(drop));
        emit IMerkleAirdrop.Swept(treasury, expected);
        vm.prank(bob); // anyone
        assertEq(drop.sweep(), expected);
        assertEq(sahara.balanceOf(treasury), expected);
        assertEq(sahara.balanceOf(address(drop)), outstanding);
        vm.expectRevert(IMerkleAirdrop.NothingToSweep.selector);
        drop.sweep();

        // Claimants keep vesting after the deadline and the sweep.
        vm.warp(VSTART + VDUR);
        assertEq(drop.release(alice), 900e18);
        assertEq(drop.release(accounts[4]), 4500e18);
        assertEq(sahara.balanceOf(address(drop)), 0);
        assertEq(drop.totalOutstanding(), 0);

        // Tokens sent later can be swept again.
        vm.prank(genesis);
        sahara.transfer(address(drop), 7);
        assertEq(drop.sweep(), 7);
        assertEq(sahara.balanceOf(treasury), expected + 7);
    }

    function test_sweep_underfunded_nothingToSweep() public {
        (MerkleAirdrop drop, bytes32[] memory tree) = _airdrop(accounts, amounts, DEADLINE, VSTART, VDUR, 2000e18);
        _claim(drop, tree, 1); // 2000 outstanding == balance
        vm.warp(DEADLINE + 1);
        vm.expectRevert(IMerkleAirdrop.NothingToSweep.selector);
        drop.sweep();
    }

    function test_sweep_unfunded_nothingToSweep() public {
        (MerkleAirdrop drop,) = _airdrop(accounts, amounts, DEADLINE, 0, 0, 0);
        vm.warp(DEADLINE + 1);
        vm.expectRevert(IMerkleAirdrop.NothingToSweep.selector);
        drop.sweep();
    }
}
