// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VestingFixture} from "../utils/VestingFixture.sol";
import {StandardMerkle} from "../utils/StandardMerkle.sol";
import {MerkleAirdrop} from "../../src/token/MerkleAirdrop.sol";
import {IVestingVault} from "../../src/interfaces/IVestingVault.sol";

/// @notice Gas of the genesis vesting and airdrop paths. Each test meters only its measured call.
/// @dev Run with `forge test --match-contract VestingGasTest --isolate -vv`: with --isolate every
///      top-level call is its own transaction, so `lastCallGas` is the whole transaction (21000
///      base + calldata + execution with cold accounts and slots) and the budgets are enforced.
///      Without --isolate (the snapshot) the numbers are lower and only reported.
contract VestingGasTest is VestingFixture {
    /// @notice release of one schedule to a beneficiary holding no SAHARA yet.
    uint256 internal constant RELEASE_BUDGET = 80_000;
    /// @notice createSchedules, per schedule of a batch of 10 distinct new beneficiaries.
    uint256 internal constant CREATE_PER_SCHEDULE_BUDGET = 120_000;
    /// @notice claim without vesting, proof depth 17 (131,072 leaves), fresh claimant.
    uint256 internal constant CLAIM_BUDGET = 105_000;
    /// @notice claim with vesting (part paid now), proof depth 17.
    uint256 internal constant CLAIM_VESTING_BUDGET = 130_000;
    /// @notice airdrop release of a vesting claim.
    uint256 internal constant AIRDROP_RELEASE_BUDGET = 65_000;
    /// @notice sweep after the deadline to a treasury that already holds SAHARA.
    uint256 internal constant SWEEP_BUDGET = 60_000;

    uint256 internal constant TREE_DEPTH = 17;

    bool internal _isolatedRun;

    /// @dev Also pauses gas metering: each test meters only its measured call.
    function _detect() internal {
        // A no-op state-changing call: a few thousand gas normally, > 21000 as its own transaction.
        vm.prank(genesis);
        sahara.transfer(genesis, 0);
        _isolatedRun = vm.lastCallGas().gasTotalUsed > 21_000;
        vm.pauseGasMetering();
    }

    function _report(string memory key, uint256 gasUsed, uint256 budget) internal {
        emit log_named_uint(key, gasUsed);
        if (_isolatedRun && budget != 0) assertLe(gasUsed, budget, key);
    }

    function _measured() internal returns (uint256 g) {
        vm.pauseGasMetering();
        g = vm.lastCallGas().gasTotalUsed;
    }

    // ---------------------------------------------------------------- VestingVault

    function test_gas_vault_release_oneSchedule() public {
        _detect();
        _create(makeAddr("other"), T0, 0, 365 days, 1e18, false); // vault state not fresh
        uint256 id = _create(alice, T0, 30 days, 4 * 365 days, 1_000_000e18, true);
        vm.warp(T0 + 400 days);
        vm.resumeGasMetering();
        vault.release(id);
        _report("VestingVault.release (one schedule, first release)", _measured(), RELEASE_BUDGET);
    }

    function test_gas_vault_release_again() public {
        _detect();
        uint256 id = _create(alice, T0, 30 days, 4 * 365 days, 1_000_000e18, true);
        vm.warp(T0 + 400 days);
        vault.release(id);
        vm.warp(T0 + 430 days);
        vm.resumeGasMetering();
        vault.release(id);
        _report("VestingVault.release (one schedule, later release)", _measured(), RELEASE_BUDGET);
    }

    function test_gas_vault_createSchedules_batch10() public {
        _detect();
        _create(makeAddr("first"), T0, 0, 365 days, 1e18, false); // counter and vault balance non-zero
        IVestingVault.ScheduleParams[] memory batch = new IVestingVault.ScheduleParams[](10);
        for (uint256 i; i < 10; ++i) {
            batch[i] = _params(
                address(uint160(uint256(keccak256(abi.encode("member", i))))),
                T0,
                365 days,
                4 * 365 days,
                (i + 1) * 1_000_000e18,
                i % 2 == 0
            );
        }
        vm.resumeGasMetering();
        vm.prank(genesis);
        vault.createSchedules(batch);
        uint256 g = _measured();
        _report("VestingVault.createSchedules, batch of 10 (total)", g, 0);
        _report("VestingVault.createSchedules, batch of 10 (per schedule)", g / 10, CREATE_PER_SCHEDULE_BUDGET);
    }

    // ---------------------------------------------------------------- MerkleAirdrop

    /// @dev An airdrop over 2^17 leaves (a perfect tree, depth 17) and the proof of leaf `index`.
    function _bigAirdrop(uint256 vestingStart, uint256 vestingDuration, uint256 index)
        internal
        returns (MerkleAirdrop drop, address account, uint256 amount, bytes32[] memory proof)
    {
        uint256 n = uint256(1) << TREE_DEPTH;
        bytes32[] memory leaves = new bytes32[](n);
        for (uint256 i; i < n; ++i) leaves[i] = StandardMerkle.leaf(_claimant(i), _allocation(i));
        bytes32 root;
        (root, proof) = StandardMerkle.perfectRootAndProof(leaves, index);
        assertEq(proof.length, TREE_DEPTH);
        drop = new MerkleAirdrop(
            address(sahara), root, uint64(T0 + 90 days), treasury, uint64(vestingStart), uint64(vestingDuration), genesis
        );
        vm.prank(genesis);
        sahara.transfer(address(drop), 1_000_000_000e18);
        account = _claimant(index);
        amount = _allocation(index);
        assertTrue(StandardMerkle.verify(proof, root, StandardMerkle.leaf(account, amount)));
    }

    function _claimant(uint256 i) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("airdrop", i)))));
    }

    function _allocation(uint256 i) internal pure returns (uint256) {
        return 1000e18 + i * 1e15;
    }

    function test_gas_airdrop_claim_noVesting_depth17() public {
        _detect();
        (MerkleAirdrop drop, address account, uint256 amount, bytes32[] memory proof) = _bigAirdrop(0, 0, 77_777);
        vm.resumeGasMetering();
        drop.claim(account, amount, proof);
        _report("MerkleAirdrop.claim, no vesting, depth 17", _measured(), CLAIM_BUDGET);
        assertEq(sahara.balanceOf(account), amount);
    }

    function test_gas_airdrop_claim_vesting_depth17() public {
        _detect();
        (MerkleAirdrop drop, address account, uint256 amount, bytes32[] memory proof) =
            _bigAirdrop(T0, 180 days, 12_345);
        vm.warp(T0 + 30 days);
        vm.resumeGasMetering();
        drop.claim(account, amount, proof);
        _report("MerkleAirdrop.claim, vesting (part paid now), depth 17", _measured(), CLAIM_VESTING_BUDGET);
        assertEq(sahara.balanceOf(account), amount * 30 days / 180 days);
    }

    /// @dev A small vesting airdrop with two claims made (outstanding non-zero).
    function _smallVestingAirdrop() internal returns (MerkleAirdrop drop) {
        address[] memory a = new address[](4);
        uint256[] memory v = new uint256[](4);
        (a[0], a[1], a[2], a[3]) = (alice, bob, carol, makeAddr("dave"));
        (v[0], v[1], v[2], v[3]) = (1000e18, 2000e18, 3000e18, 4000e18);
        bytes32[] memory tree;
        (drop, tree) = _airdrop(a, v, T0 + 90 days, T0, 180 days, 10_000e18);
        vm.warp(T0 + 30 days);
        drop.claim(alice, 1000e18, _proof(tree, alice, 1000e18));
        drop.claim(bob, 2000e18, _proof(tree, bob, 2000e18));
    }

    function test_gas_airdrop_release() public {
        _detect();
        MerkleAirdrop drop = _smallVestingAirdrop();
        vm.warp(T0 + 60 days);
        vm.resumeGasMetering();
        drop.release(alice);
        _report("MerkleAirdrop.release", _measured(), AIRDROP_RELEASE_BUDGET);
    }

    function test_gas_airdrop_sweep() public {
        _detect();
        MerkleAirdrop drop = _smallVestingAirdrop();
        vm.prank(genesis);
        sahara.transfer(treasury, 1); // the treasury already holds SAHARA
        vm.warp(T0 + 91 days);
        vm.resumeGasMetering();
        drop.sweep();
        _report("MerkleAirdrop.sweep", _measured(), SWEEP_BUDGET);
        assertEq(sahara.balanceOf(treasury), 1 + 7000e18);
    }
}
