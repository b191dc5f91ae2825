// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {VestingFixture} from "../utils/VestingFixture.sol";
import {StandardMerkle} from "../utils/StandardMerkle.sol";
import {VestingMath} from "../../src/libraries/VestingMath.sol";
import {MerkleAirdrop} from "../../src/token/MerkleAirdrop.sol";
import {IVestingVault} from "../../src/interfaces/IVestingVault.sol";
import {IMerkleAirdrop} from "../../src/interfaces/IMerkleAirdrop.sol";

contract VestingFuzzTest is VestingFixture {
    uint256 internal constant MAX_TIME = 1 << 40; // far beyond any real timestamp, fits uint64

    struct Sched {
        uint256 start;
        uint256 cliff;
        uint256 duration;
        uint256 amount;
    }

    function _sched(uint256 start, uint256 cliff, uint256 duration, uint256 amount, uint256 maxAmount)
        internal
        pure
        returns (Sched memory s)
    {
        s.start = bound(start, 0, MAX_TIME);
        s.duration = bound(duration, 1, 10 * 365 days);
        s.cliff = bound(cliff, 0, s.duration);
        s.amount = bound(amount, 1, maxAmount);
    }

    // ------------------------------------------------------------ vesting math

    /// Full uint128 amounts and uint64 durations: no overflow, formula exact, monotonic, capped.
    function testFuzz_math_formulaMonotonicCapped(
        uint128 amount,
        uint64 start,
        uint64 cliff,
        uint64 duration,
        uint256 t1,
        uint256 t2
    ) public pure {
        vm.assume(duration > 0);
        cliff = uint64(bound(cliff, 0, duration));
        uint256 end = uint256(start) + duration;
        t1 = bound(t1, 0, end + 10);
        t2 = bound(t2, t1, type(uint256).max - 1);
        uint256 v1 = VestingMath.linear(amount, start, cliff, duration, t1);
        uint256 v2 = VestingMath.linear(amount, start, cliff, duration, t2);
        assertEq(v1, _expectedVested(amount, start, cliff, duration, t1));
        assertLe(v1, v2);
        assertLe(v2, amount);
        // Exact at the boundaries.
        if (cliff > 0 || start > 0) {
            assertEq(VestingMath.linear(amount, start, cliff, duration, uint256(start) + cliff - 1), 0);
        }
        assertEq(
            VestingMath.linear(amount, start, cliff, duration, uint256(start) + cliff),
            cliff == duration ? amount : uint256(amount) * cliff / duration
        );
        assertEq(VestingMath.linear(amount, start, cliff, duration, end), amount);
        assertEq(VestingMath.linear(amount, start, cliff, duration, type(uint256).max), amount);
        if (amount > 0) assertLt(VestingMath.linear(amount, start, cliff, duration, end - 1), amount);
    }

    // ------------------------------------------------------------ VestingVault

    function testFuzz_vault_vestedAmountMatchesFormula(
        uint256 start,
        uint256 cliff,
        uint256 duration,
        uint256 amount,
        uint256 t1,
        uint256 t2
    ) public {
        Sched memory s = _sched(start, cliff, duration, amount, SUPPLY);
        uint256 id = _create(alice, s.start, s.cliff, s.duration, s.amount, false);
        t1 = bound(t1, 0, s.start + s.duration + 1 days);
        t2 = bound(t2, t1, MAX_TIME * 2);
        uint256 v1 = vault.vestedAmount(id, t1);
        uint256 v2 = vault.vestedAmount(id, t2);
        assertEq(v1, _expectedVested(s.amount, s.start, s.cliff, s.duration, t1));
        assertEq(v2, _expectedVested(s.amount, s.start, s.cliff, s.duration, t2));
        assertLe(v1, v2);
        assertLe(v2, s.amount);
        assertEq(vault.vestedAmount(id, s.start + s.duration), s.amount);
    }

    /// Releases at random increasing times pay exactly the vested amount, and everything by the end.
    function testFuzz_vault_releasesSumToAmount(
        uint256 start,
        uint256 cliff,
        uint256 duration,
        uint256 amount,
        uint32[6] memory steps
    ) public {
        Sched memory s = _sched(start, cliff, duration, amount, SUPPLY);
        s.start = bound(start, T0 - 365 days, T0 + 365 days);
        uint256 id = _create(alice, s.start, s.cliff, s.duration, s.amount, false);
        uint256 t = T0;
        uint256 prevReleased;
        for (uint256 i; i < steps.length; ++i) {
            t += steps[i] % (s.duration / 3 + 1);
            vm.warp(t);
            uint256 due = _expectedVested(s.amount, s.start, s.cliff, s.duration, t) - prevReleased;
            assertEq(vault.releasable(id), due);
            if (due == 0) {
                vm.expectRevert(abi.encodeWithSelector(IVestingVault.NothingToRelease.selector, id));
                vault.release(id);
            } else {
                assertEq(vault.release(id), due);
            }
            uint256 released = vault.schedule(id).released;
            assertGe(released, prevReleased); // monotonic
            assertLe(released, s.amount);
            prevReleased = released;
            assertEq(sahara.balanceOf(alice), released);
            assertEq(sahara.balanceOf(address(vault)), s.amount - released);
        }
        vm.warp(s.start + s.duration);
        if (prevReleased < s.amount) vault.release(id);
        assertEq(sahara.balanceOf(alice), s.amount);
        assertEq(sahara.balanceOf(address(vault)), 0);
        assertEq(sahara.totalSupply(), SUPPLY);
    }

    /// Revocation at any time: beneficiary + treasury == amount to the wei, nothing left behind.
    function testFuzz_vault_revokeConserves(
        uint256 start,
        uint256 cliff,
        uint256 duration,
        uint256 amount,
        uint256 tRelease,
        uint256 tRevoke,
        uint256 tEnd
    ) public {
        Sched memory s = _sched(start, cliff, duration, amount, SUPPLY);
        s.start = bound(start, T0, T0 + 365 days);
        uint256 id = _create(alice, s.start, s.cliff, s.duration, s.amount, true);
        uint256 end = s.start + s.duration;
        tRelease = bound(tRelease, T0, end + 10);
        tRevoke = bound(tRevoke, tRelease, end + 10);
        tEnd = bound(tEnd, tRevoke, end + 365 days);

        vm.warp(tRelease);
        if (vault.releasable(id) != 0) vault.release(id);
        vm.warp(tRevoke);
        uint256 vestedAtRevoke = _expectedVested(s.amount, s.start, s.cliff, s.duration, tRevoke);
        vm.prank(genesis);
        assertEq(vault.revoke(id), s.amount - vestedAtRevoke);
        assertEq(sahara.balanceOf(treasury), s.amount - vestedAtRevoke);

        vm.warp(tEnd);
        assertEq(vault.vestedAmount(id, tEnd), vestedAtRevoke); // frozen
        if (vault.releasable(id) != 0) vault.release(id);
        assertEq(sahara.balanceOf(alice), vestedAtRevoke);
        assertEq(sahara.balanceOf(alice) + sahara.balanceOf(treasury), s.amount);
        assertEq(sahara.balanceOf(address(vault)), 0);
        assertEq(sahara.totalSupply(), SUPPLY);
    }

    // ------------------------------------------------------------ MerkleAirdrop

    struct DropCase {
        uint256 amount;
        uint256 vestingStart;
        uint256 vestingDuration;
        uint256 deadline;
        uint256 tClaim;
        uint256 tRelease;
    }

    function _dropVested(DropCase memory c, uint256 t) internal pure returns (uint256) {
        return c.vestingDuration == 0 ? c.amount : _expectedVested(c.amount, c.vestingStart, 0, c.vestingDuration, t);
    }

    /// An airdrop of `amount` to alice plus 1e18 to bob and 2e18 to carol (never claimed).
    function _dropFor(DropCase memory c) internal returns (MerkleAirdrop drop, bytes32[] memory proof) {
        address[] memory a = new address[](3);
        uint256[] memory v = new uint256[](3);
        (a[0], a[1], a[2]) = (alice, bob, carol);
        (v[0], v[1], v[2]) = (c.amount, 1e18, 2e18);
        bytes32[] memory tree;
        (drop, tree) = _airdrop(a, v, c.deadline, c.vestingStart, c.vestingDuration, c.amount + 3e18);
        proof = _proof(tree, alice, c.amount);
    }

    /// Claims at any time pay the vested part; with a later release the total is exact.
    function testFuzz_airdrop_claimThenRelease(
        uint256 amount,
        uint256 vestingStart,
        uint256 vestingDuration,
        uint256 tClaim,
        uint256 tRelease
    ) public {
        DropCase memory c;
        c.amount = bound(amount, 1, SUPPLY / 4);
        c.vestingStart = bound(vestingStart, T0 - 30 days, T0 + 365 days);
        c.vestingDuration = bound(vestingDuration, 0, 4 * 365 days);
        c.deadline = T0 + 180 days;
        c.tClaim = bound(tClaim, T0, c.deadline);
        c.tRelease = bound(tRelease, c.tClaim, c.tClaim + 5 * 365 days);
        (MerkleAirdrop drop, bytes32[] memory proof) = _dropFor(c);

        vm.warp(c.tClaim);
        uint256 expectedNow = _dropVested(c, c.tClaim);
        assertEq(drop.claim(alice, c.amount, proof), expectedNow);
        assertEq(sahara.balanceOf(alice), expectedNow);
        assertEq(drop.totalOutstanding(), c.amount - expectedNow);

        vm.warp(c.tRelease);
        uint256 expectedLater = _dropVested(c, c.tRelease);
        if (expectedLater == expectedNow) {
            vm.expectRevert(abi.encodeWithSelector(IMerkleAirdrop.NothingToRelease.selector, alice));
            drop.release(alice);
        } else {
            assertEq(drop.release(alice), expectedLater - expectedNow);
        }
        assertEq(sahara.balanceOf(alice), expectedLater);
        assertEq(drop.totalOutstanding(), c.amount - expectedLater);

        // After the deadline the sweep takes exactly the unclaimed allocations.
        if (block.timestamp <= c.deadline) vm.warp(c.deadline + 1);
        assertEq(drop.sweep(), 3e18);
        uint256 end = c.vestingStart + c.vestingDuration;
        if (block.timestamp < end) vm.warp(end);
        if (drop.releasable(alice) != 0) drop.release(alice);
        assertEq(sahara.balanceOf(alice), c.amount);
        assertEq(sahara.balanceOf(address(drop)), 0);
        assertEq(sahara.balanceOf(treasury), 3e18);
        assertEq(drop.totalOutstanding(), 0);
    }

    /// Random trees of 1..80 leaves: every proof verifies with OZ MerkleProof and the independent
    /// verifier, and the airdrop pays exactly that leaf.
    function testFuzz_airdrop_randomTreeProofs(uint256 n, uint256 index, bytes32 seed) public {
        n = bound(n, 1, 80);
        index = bound(index, 0, n - 1);
        address[] memory a = new address[](n);
        uint256[] memory v = new uint256[](n);
        bytes32[] memory leaves = new bytes32[](n);
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            a[i] = address(uint160(uint256(keccak256(abi.encode(seed, i)))));
            v[i] = bound(uint256(keccak256(abi.encode(seed, i, "amount"))), 1, 1e24);
            leaves[i] = StandardMerkle.leaf(a[i], v[i]);
            sum += v[i];
        }
        (MerkleAirdrop drop, bytes32[] memory tree) = _airdrop(a, v, T0 + 1 days, 0, 0, sum);
        bytes32[] memory p = StandardMerkle.proof(tree, leaves[index]);
        assertTrue(MerkleProof.verify(p, tree[0], leaves[index]));
        assertTrue(StandardMerkle.verify(p, tree[0], leaves[index]));
        // Depth: ceil(log2 n) or floor(log2 n) in the StandardMerkleTree layout.
        assertLe(p.length, _ceilLog2(n));
        drop.claim(a[index], v[index], p);
        assertEq(sahara.balanceOf(a[index]), v[index]);
        assertEq(sahara.balanceOf(address(drop)), sum - v[index]);
        // The proof does not carry another leaf.
        if (n > 1) {
            uint256 other = (index + 1) % n;
            vm.expectRevert(IMerkleAirdrop.InvalidProof.selector);
            drop.claim(a[other], v[other], p);
        }
    }

    function _ceilLog2(uint256 n) internal pure returns (uint256 k) {
        while ((uint256(1) << k) < n) ++k;
    }
}
