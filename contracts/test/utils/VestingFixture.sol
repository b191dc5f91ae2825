// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "./Test.sol";
import {StandardMerkle} from "./StandardMerkle.sol";
import {SaharaToken} from "../../src/token/SaharaToken.sol";
import {VestingVault} from "../../src/token/VestingVault.sol";
import {MerkleAirdrop} from "../../src/token/MerkleAirdrop.sol";
import {IVestingVault} from "../../src/interfaces/IVestingVault.sol";

/// @notice SAHARA minted to `genesis` (the vault owner and airdrop funder), a VestingVault owned
///         by `genesis`, and helpers to create schedules and build airdrop trees.
abstract contract VestingFixture is Test {
    event log_named_uint(string key, uint256 val);

    uint256 internal constant SUPPLY = 10_000_000_000e18;
    uint256 internal constant T0 = 1_700_000_000;

    SaharaToken internal sahara;
    VestingVault internal vault;
    address internal genesis;
    address internal treasury;
    address internal alice;
    address internal bob;
    address internal carol;

    function setUp() public virtual {
        vm.warp(T0);
        genesis = makeAddr("genesis");
        treasury = makeAddr("treasury");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        carol = makeAddr("carol");
        sahara = new SaharaToken(genesis);
        vault = new VestingVault(address(sahara), treasury, genesis);
        vm.prank(genesis);
        sahara.approve(address(vault), type(uint256).max);
    }

    function _params(address beneficiary, uint256 start, uint256 cliff, uint256 duration, uint256 amount, bool revocable)
        internal
        pure
        returns (IVestingVault.ScheduleParams memory)
    {
        return IVestingVault.ScheduleParams({
            beneficiary: beneficiary,
            start: uint64(start),
            cliff: uint64(cliff),
            duration: uint64(duration),
            amount: amount,
            revocable: revocable
        });
    }

    function _one(IVestingVault.ScheduleParams memory p)
        internal
        pure
        returns (IVestingVault.ScheduleParams[] memory batch)
    {
        batch = new IVestingVault.ScheduleParams[](1);
        batch[0] = p;
    }

    /// @dev Creates one schedule as genesis and returns its id.
    function _create(address beneficiary, uint256 start, uint256 cliff, uint256 duration, uint256 amount, bool revocable)
        internal
        returns (uint256 id)
    {
        vm.prank(genesis);
        id = vault.createSchedules(_one(_params(beneficiary, start, cliff, duration, amount, revocable)));
    }

    /// @dev Deploys an airdrop over (accounts[i], amounts[i]) in the StandardMerkleTree layout,
    ///      funded by genesis with `funding`; returns the tree for proofs.
    function _airdrop(
        address[] memory accounts,
        uint256[] memory amounts,
        uint256 deadline,
        uint256 vestingStart,
        uint256 vestingDuration,
        uint256 funding
    ) internal returns (MerkleAirdrop drop, bytes32[] memory tree) {
        bytes32[] memory leaves = new bytes32[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) leaves[i] = StandardMerkle.leaf(accounts[i], amounts[i]);
        tree = StandardMerkle.build(leaves);
        drop = new MerkleAirdrop(
            address(sahara), tree[0], uint64(deadline), treasury, uint64(vestingStart), uint64(vestingDuration), genesis
        );
        if (funding != 0) {
            vm.prank(genesis);
            sahara.transfer(address(drop), funding);
        }
    }

    function _proof(bytes32[] memory tree, address account, uint256 amount) internal pure returns (bytes32[] memory) {
        return StandardMerkle.proof(tree, StandardMerkle.leaf(account, amount));
    }

    /// @dev The spec formula, written out independently of VestingMath.
    function _expectedVested(uint256 amount, uint256 start, uint256 cliff, uint256 duration, uint256 t)
        internal
        pure
        returns (uint256)
    {
        if (t < start + cliff) return 0;
        if (t >= start + duration) return amount;
        return amount * (t - start) / duration;
    }
}
