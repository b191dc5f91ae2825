// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {StandardMerkle} from "../utils/StandardMerkle.sol";
import {VestingHandler} from "./handlers/VestingHandler.sol";
import {AirdropHandler} from "./handlers/AirdropHandler.sol";
import {SaharaToken} from "../../src/token/SaharaToken.sol";
import {VestingVault} from "../../src/token/VestingVault.sol";
import {MerkleAirdrop} from "../../src/token/MerkleAirdrop.sol";
import {IVestingVault} from "../../src/interfaces/IVestingVault.sol";

contract VestingVaultInvariantTest is Test {
    uint256 internal constant SUPPLY = 10_000_000_000e18;

    SaharaToken internal sahara;
    VestingVault internal vault;
    VestingHandler internal handler;
    address internal genesis;
    address internal treasury;
    address internal treasury2;

    function setUp() public {
        vm.warp(1_700_000_000);
        genesis = makeAddr("genesis");
        treasury = makeAddr("treasury");
        treasury2 = address(uint160(uint256(keccak256(abi.encode("treasury2")))));
        sahara = new SaharaToken(genesis);
        vault = new VestingVault(address(sahara), treasury, genesis);
        vm.prank(genesis);
        sahara.approve(address(vault), type(uint256).max);
        address[4] memory actors = [makeAddr("a0"), makeAddr("a1"), makeAddr("a2"), makeAddr("a3")];
        handler = new VestingHandler(sahara, vault, genesis, treasury, actors);

        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = VestingHandler.createBatch.selector;
        selectors[1] = VestingHandler.release.selector;
        selectors[2] = VestingHandler.revoke.selector;
        selectors[3] = VestingHandler.setBeneficiary.selector;
        selectors[4] = VestingHandler.setTreasury.selector;
        selectors[5] = VestingHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// Conservation to the wei: the vault holds exactly what came in minus what went out.
    function invariant_balanceEqualsGhostFlows() public view {
        assertEq(
            sahara.balanceOf(address(vault)), handler.ghostFunded() - handler.ghostReleased() - handler.ghostReturned()
        );
    }

    /// The vault balance is the sum over schedules of amount - released - returned on revoke,
    /// recomputed from the contract's own state; each schedule's released is <= what vested.
    function invariant_balanceEqualsSumOfSchedules() public view {
        uint256 n = vault.scheduleCount();
        assertEq(n, handler.idCount());
        uint256 sum;
        for (uint256 id = 1; id <= n; ++id) {
            IVestingVault.Schedule memory s = vault.schedule(id);
            uint256 returned;
            if (s.revokedAt != 0) {
                uint256 vestedAtRevoke = vault.vestedAmount(id, s.revokedAt);
                returned = s.amount - vestedAtRevoke;
                assertLe(s.released, vestedAtRevoke, "released above vested at revoke");
            }
            assertEq(returned, handler.ghostReturnedOf(id), "returned != ghost");
            assertEq(s.released, handler.ghostReleasedOf(id), "released != ghost");
            assertLe(s.released, s.amount, "released above amount");
            assertLe(s.released, vault.vestedAmount(id, block.timestamp), "released above vested");
            sum += s.amount - s.released - returned;
        }
        assertEq(sahara.balanceOf(address(vault)), sum);
    }

    /// Every schedule is listed exactly once, under its current beneficiary.
    function invariant_beneficiaryListsPartitionSchedules() public view {
        uint256 listed;
        for (uint256 a; a < 4; ++a) {
            address who = handler.actor(a);
            uint256[] memory ids = vault.schedulesOf(who);
            listed += ids.length;
            for (uint256 k; k < ids.length; ++k) assertEq(vault.schedule(ids[k]).beneficiary, who);
        }
        assertEq(listed, vault.scheduleCount());
    }

    /// Total supply constant and every wei accounted for among the parties.
    function invariant_supplyConserved() public view {
        assertEq(sahara.totalSupply(), SUPPLY);
        uint256 sum = sahara.balanceOf(genesis) + sahara.balanceOf(treasury) + sahara.balanceOf(treasury2)
            + sahara.balanceOf(address(vault));
        for (uint256 a; a < 4; ++a) sum += sahara.balanceOf(handler.actor(a));
        assertEq(sum, SUPPLY);
        assertEq(sahara.getVotes(address(vault)), 0);
    }

    function invariant_safetyCounters() public view {
        assertEq(handler.ghostBadRelease(), 0, "bad release");
        assertEq(handler.ghostBadRevoke(), 0, "bad revoke");
        assertEq(handler.ghostWrongError(), 0, "wrong error");
        assertEq(handler.ghostReleasedDecreased(), 0, "released decreased");
    }

    function afterInvariant() public view {
        assertGt(handler.successfulCalls(), 0);
    }
}

contract MerkleAirdropInvariantTest is Test {
    uint256 internal constant SUPPLY = 10_000_000_000e18;
    uint256 internal constant N = 12;

    SaharaToken internal sahara;
    MerkleAirdrop internal drop;
    AirdropHandler internal handler;
    address internal genesis;
    address internal treasury;

    function setUp() public {
        uint256 t0 = 1_700_000_000;
        vm.warp(t0);
        genesis = makeAddr("genesis");
        treasury = makeAddr("treasury");
        sahara = new SaharaToken(genesis);

        address[] memory accounts = new address[](N);
        uint256[] memory amounts = new uint256[](N);
        bytes32[] memory leaves = new bytes32[](N);
        uint256 total;
        for (uint256 i; i < N; ++i) {
            accounts[i] = makeAddr(string.concat("claimant", vm.toString(i)));
            amounts[i] = (i + 1) * 1_000e18 + i; // odd wei so vesting floors matter
            leaves[i] = StandardMerkle.leaf(accounts[i], amounts[i]);
            total += amounts[i];
        }
        bytes32[] memory tree = StandardMerkle.build(leaves);
        bytes32[][] memory proofs = new bytes32[][](N);
        for (uint256 i; i < N; ++i) proofs[i] = StandardMerkle.proof(tree, leaves[i]);

        // Claims close after 60 days; vesting runs from day 10 to day 130.
        drop = new MerkleAirdrop(
            address(sahara), tree[0], uint64(t0 + 60 days), treasury, uint64(t0 + 10 days), 120 days, genesis
        );
        vm.prank(genesis);
        sahara.transfer(address(drop), total);
        handler = new AirdropHandler(sahara, drop, genesis, treasury, accounts, amounts, proofs, total);

        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = AirdropHandler.claim.selector;
        selectors[1] = AirdropHandler.claimForged.selector;
        selectors[2] = AirdropHandler.release.selector;
        selectors[3] = AirdropHandler.sweep.selector;
        selectors[4] = AirdropHandler.donate.selector;
        selectors[5] = AirdropHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// Conservation to the wei: balance == funded - paid - swept.
    function invariant_balanceEqualsFundedMinusPaidMinusSwept() public view {
        assertEq(sahara.balanceOf(address(drop)), handler.ghostFunded() - handler.ghostPaid() - handler.ghostSwept());
    }

    /// Outstanding is exactly the unpaid part of the claims, and always covered by the balance.
    function invariant_outstandingCoveredAndExact() public view {
        uint256 outstanding;
        uint256 n = handler.accountCount();
        for (uint256 i; i < n; ++i) {
            address account = handler.accounts(i);
            (uint256 amount, uint256 released) = drop.claimed(account);
            assertTrue(amount == 0 || amount == handler.amounts(i), "claimed amount != allocation");
            assertLe(handler.ghostClaims(account), 1, "claimed twice");
            assertEq(released, handler.ghostPaidTo(account), "released != paid");
            assertEq(sahara.balanceOf(account), released, "balance != released");
            assertLe(released, amount, "paid above allocation");
            assertEq(released, amount == 0 ? 0 : drop.vestedAmount(amount, block.timestamp) - drop.releasable(account));
            outstanding += amount - released;
        }
        assertEq(drop.totalOutstanding(), outstanding);
        assertGe(sahara.balanceOf(address(drop)), outstanding);
    }

    function invariant_supplyConserved() public view {
        assertEq(sahara.totalSupply(), SUPPLY);
        uint256 sum = sahara.balanceOf(genesis) + sahara.balanceOf(treasury) + sahara.balanceOf(address(drop));
        uint256 n = handler.accountCount();
        for (uint256 i; i < n; ++i) sum += sahara.balanceOf(handler.accounts(i));
        assertEq(sum, SUPPLY);
    }

    function invariant_safetyCounters() public view {
        assertEq(handler.ghostForgedAccepted(), 0, "forged claim accepted");
        assertEq(handler.ghostDoubleClaim(), 0, "double claim");
        assertEq(handler.ghostBadPayment(), 0, "bad payment");
        assertEq(handler.ghostWrongError(), 0, "wrong error");
    }

    function afterInvariant() public view {
        assertGt(handler.successfulCalls(), 0);
    }
}
