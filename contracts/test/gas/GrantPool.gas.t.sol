// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {GrantFixture} from "../utils/GrantFixture.sol";
import {StandardMerkle} from "../utils/StandardMerkle.sol";

/// @notice Gas of the grant pool's user paths. Each test meters only its measured call.
/// @dev Run with `forge test --match-contract GrantPoolGasTest --isolate -vv`: with --isolate every
///      top-level call is its own transaction (21000 base + calldata + cold accounts and slots)
///      and the budgets are enforced. Without --isolate (the snapshot) the numbers are lower and
///      only reported.
contract GrantPoolGasTest is GrantFixture {
    /// @notice submitApplication with 3 milestones and a 53-byte uri, not the first application.
    uint256 internal constant APPLY3_BUDGET = 185_000;
    /// @notice submitApplication with 16 milestones.
    uint256 internal constant APPLY16_BUDGET = 340_000;
    /// @notice approve by the owner.
    uint256 internal constant APPROVE_BUDGET = 50_000;
    /// @notice approve by the committee (budget check and period roll).
    uint256 internal constant APPROVE_COMMITTEE_BUDGET = 60_000;
    /// @notice approveMilestone paying a recipient that holds no SAHARA yet.
    uint256 internal constant MILESTONE_BUDGET = 95_000;
    /// @notice claimReward, proof depth 17 (131,072 leaves), fresh claimant.
    uint256 internal constant CLAIM_BUDGET = 125_000;

    uint256 internal constant TREE_DEPTH = 17;
    string internal constant URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

    bool internal _isolatedRun;

    function _detect() internal {
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

    function test_gas_submitApplication_3milestones() public {
        _detect();
        _apply3(); // counter non-zero
        uint128[] memory m = _ms(100e18, 200e18, 300e18);
        vm.prank(alice);
        vm.resumeGasMetering();
        pool.submitApplication(bob, URI, m);
        _report("GrantPool.submitApplication (3 milestones)", _measured(), APPLY3_BUDGET);
    }

    function test_gas_submitApplication_16milestones() public {
        _detect();
        _apply3();
        uint128[] memory m = new uint128[](16);
        for (uint256 i; i < 16; ++i) m[i] = uint128((i + 1) * 1e18);
        vm.prank(alice);
        vm.resumeGasMetering();
        pool.submitApplication(bob, URI, m);
        _report("GrantPool.submitApplication (16 milestones)", _measured(), APPLY16_BUDGET);
    }

    function test_gas_approve_owner() public {
        _detect();
        uint256 id = _apply3();
        vm.prank(dao);
        vm.resumeGasMetering();
        pool.approve(id);
        _report("GrantPool.approve (owner)", _measured(), APPROVE_BUDGET);
    }

    function test_gas_approve_committee() public {
        _detect();
        vm.prank(dao);
        pool.setCommitteeBudget(10_000e18, 30 days);
        uint256 id = _apply3();
        vm.warp(T0 + 45 days); // the period rolls in this call
        vm.prank(committee);
        vm.resumeGasMetering();
        pool.approve(id);
        _report("GrantPool.approve (committee, period rolls)", _measured(), APPROVE_COMMITTEE_BUDGET);
    }

    function test_gas_approveMilestone() public {
        _detect();
        uint256 id = _approvedBy(dao);
        vm.prank(committee);
        vm.resumeGasMetering();
        pool.approveMilestone(id, 1);
        _report("GrantPool.approveMilestone (fresh recipient)", _measured(), MILESTONE_BUDGET);
    }

    function test_gas_claimReward_depth17() public {
        _detect();
        uint256 n = uint256(1) << TREE_DEPTH;
        uint256 index = 77_777;
        bytes32[] memory leaves = new bytes32[](n);
        for (uint256 i; i < n; ++i) leaves[i] = StandardMerkle.leaf(_claimant(i), 1000e18 + i);
        (bytes32 root, bytes32[] memory proof) = StandardMerkle.perfectRootAndProof(leaves, index);
        vm.prank(dao);
        uint256 roundId = pool.createRewardRound(root, 500_000e18, uint64(T0 + 30 days));
        address account = _claimant(index);
        uint256 amount = 1000e18 + index;
        vm.resumeGasMetering();
        pool.claimReward(roundId, account, amount, proof);
        _report("GrantPool.claimReward (depth 17, fresh claimant)", _measured(), CLAIM_BUDGET);
    }

    function _claimant(uint256 i) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("reward", i)))));
    }
}
