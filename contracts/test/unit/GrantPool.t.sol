// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {GrantFixture} from "../utils/GrantFixture.sol";
import {FeeOnTransferToken} from "../utils/FeeOnTransferToken.sol";
import {GrantPool} from "../../src/grants/GrantPool.sol";
import {IGrantPool} from "../../src/interfaces/IGrantPool.sol";
import {ProtocolModule, ProtocolModuleCore} from "../../src/utils/ProtocolModule.sol";

contract GrantPoolTest is GrantFixture {
    uint256 internal constant PERIOD = 30 days;
    uint128 internal constant BUDGET = 1000e18;

    function _budget() internal {
        vm.prank(dao);
        pool.setCommitteeBudget(BUDGET, uint48(PERIOD));
    }

    function _notAuthorized(address who) internal {
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.NotOwnerOrCommittee.selector, who));
    }

    function _onlyOwner(address who) internal {
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, who));
    }

    // ---------------------------------------------------------------- init / admin

    function test_initialize_state() public view {
        assertEq(pool.owner(), dao);
        assertEq(pool.token(), address(sahara));
        assertEq(pool.committee(), committee);
        assertEq(pool.available(), POOL_FUNDS);
        assertEq(pool.reservedForGrants(), 0);
        assertEq(pool.reservedForRounds(), 0);
        assertEq(pool.unaccounted(), 0);
        assertEq(pool.grantCount(), 0);
        assertEq(pool.roundCount(), 0);
        (uint256 budget, uint256 period, uint256 start, uint256 spent, uint256 remaining) = pool.committeeBudget();
        assertEq(budget + period + start + spent + remaining, 0);
        assertEq(sahara.balanceOf(address(pool)), POOL_FUNDS);
    }

    function test_initialize_revertsTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        pool.initialize(alice, address(sahara), address(0));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(alice, address(sahara), address(0));
    }

    function test_initialize_revertsZeroAddresses() public {
        vm.expectRevert(IGrantPool.ZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(GrantPool.initialize, (address(0), address(sahara), committee)));
        vm.expectRevert(IGrantPool.ZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(GrantPool.initialize, (dao, address(0), committee)));
    }

    function test_initialize_withoutCommittee() public {
        GrantPool p = GrantPool(
            address(new ERC1967Proxy(address(impl), abi.encodeCall(GrantPool.initialize, (dao, address(sahara), address(0)))))
        );
        assertEq(p.committee(), address(0));
        assertEq(p.owner(), dao);
    }

    function test_upgrade_onlyOwner() public {
        GrantPool next = new GrantPool();
        _onlyOwner(alice);
        vm.prank(alice);
        pool.upgradeToAndCall(address(next), "");
        vm.prank(dao);
        pool.upgradeToAndCall(address(next), "");
        assertEq(pool.available(), POOL_FUNDS); // state survives
    }

    function test_renounceOwnership_disabled() public {
        vm.prank(dao);
        vm.expectRevert(ProtocolModuleCore.RenounceOwnershipDisabled.selector);
        pool.renounceOwnership();
    }

    // ---------------------------------------------------------------- funding

    function test_fund_addsAvailable() public {
        vm.expectEmit(address(pool));
        emit IGrantPool.Funded(genesis, 5e18);
        vm.prank(genesis);
        pool.fund(5e18);
        assertEq(pool.available(), POOL_FUNDS + 5e18);
        _assertAccounting();
    }

    function test_fund_revertsZero() public {
        vm.prank(genesis);
        vm.expectRevert(IGrantPool.ZeroAmount.selector);
        pool.fund(0);
    }

    function test_fund_revertsWithoutAllowance() public {
        vm.prank(genesis);
        sahara.transfer(alice, 10e18);
        vm.prank(alice);
        vm.expectRevert(); // ERC20InsufficientAllowance from the token
        pool.fund(10e18);
    }

    function test_fund_revertsOnShortfall() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(100);
        GrantPool p = GrantPool(
            address(new ERC1967Proxy(address(impl), abi.encodeCall(GrantPool.initialize, (dao, address(fot), address(0)))))
        );
        fot.mint(alice, 100e18);
        vm.startPrank(alice);
        fot.approve(address(p), type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.TransferShortfall.selector, 100e18, 99e18));
        p.fund(100e18);
        vm.stopPrank();
    }

    function test_sync_countsPlainTransfers() public {
        vm.prank(genesis);
        sahara.transfer(address(pool), 7e18);
        assertEq(pool.unaccounted(), 7e18);
        assertEq(pool.available(), POOL_FUNDS);
        _assertAccounting();
        vm.expectEmit(address(pool));
        emit IGrantPool.Synced(7e18);
        vm.prank(carol);
        assertEq(pool.sync(), 7e18);
        assertEq(pool.available(), POOL_FUNDS + 7e18);
        assertEq(pool.unaccounted(), 0);
        _assertAccounting();
    }

    function test_sync_revertsWhenNothing() public {
        vm.expectRevert(IGrantPool.NothingToSync.selector);
        pool.sync();
    }

    function test_withdraw() public {
        vm.expectEmit(address(pool));
        emit IGrantPool.Withdrawn(carol, 10e18);
        vm.prank(dao);
        pool.withdraw(carol, 10e18);
        assertEq(sahara.balanceOf(carol), 10e18);
        assertEq(pool.available(), POOL_FUNDS - 10e18);
        _assertAccounting();
    }

    function test_withdraw_reverts() public {
        _onlyOwner(committee);
        vm.prank(committee);
        pool.withdraw(carol, 1);
        vm.startPrank(dao);
        vm.expectRevert(IGrantPool.ZeroAddress.selector);
        pool.withdraw(address(0), 1);
        vm.expectRevert(IGrantPool.ZeroAmount.selector);
        pool.withdraw(carol, 0);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InsufficientAvailable.selector, POOL_FUNDS + 1, POOL_FUNDS));
        pool.withdraw(carol, POOL_FUNDS + 1);
        vm.stopPrank();
    }

    function test_withdraw_cannotTouchReserves() public {
        _approvedBy(dao); // reserves 600
        uint256 avail = POOL_FUNDS - 600e18;
        vm.prank(dao);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InsufficientAvailable.selector, avail + 1, avail));
        pool.withdraw(carol, avail + 1);
    }

    // ---------------------------------------------------------------- committee

    function test_setCommittee() public {
        vm.expectEmit(address(pool));
        emit IGrantPool.CommitteeChanged(committee, carol);
        vm.prank(dao);
        pool.setCommittee(carol);
        assertEq(pool.committee(), carol);
        // The old committee lost its powers.
        uint256 id = _apply3();
        _notAuthorized(committee);
        vm.prank(committee);
        pool.reject(id, "no");
        vm.prank(carol);
        pool.reject(id, "no");
    }

    function test_setCommittee_zeroRemoves() public {
        vm.prank(dao);
        pool.setCommittee(address(0));
        assertEq(pool.committee(), address(0));
        uint256 id = _apply3();
        _notAuthorized(committee);
        vm.prank(committee);
        pool.approve(id);
    }

    function test_setCommittee_onlyOwner() public {
        _onlyOwner(committee);
        vm.prank(committee);
        pool.setCommittee(alice);
    }

    function test_setCommitteeBudget() public {
        vm.warp(T0 + 5);
        vm.expectEmit(address(pool));
        emit IGrantPool.CommitteeBudgetSet(BUDGET, PERIOD, T0 + 5);
        _budget();
        (uint256 budget, uint256 period, uint256 start, uint256 spent, uint256 remaining) = pool.committeeBudget();
        assertEq(budget, BUDGET);
        assertEq(period, PERIOD);
        assertEq(start, T0 + 5);
        assertEq(spent, 0);
        assertEq(remaining, BUDGET);
    }

    function test_setCommitteeBudget_reverts() public {
        _onlyOwner(committee);
        vm.prank(committee);
        pool.setCommitteeBudget(1, 1);
        vm.prank(dao);
        vm.expectRevert(IGrantPool.ZeroPeriod.selector);
        pool.setCommitteeBudget(1, 0);
    }

    function test_setCommitteeBudget_resetsSpent() public {
        _budget();
        _approvedBy(committee);
        (,,, uint256 spent,) = pool.committeeBudget();
        assertEq(spent, 600e18);
        _budget();
        (,,, spent,) = pool.committeeBudget();
        assertEq(spent, 0);
    }

    function test_committee_withoutBudgetCannotCommit() public {
        uint256 id = _apply3();
        vm.prank(committee);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.BudgetExceeded.selector, 600e18, 0));
        pool.approve(id);
    }

    function test_budget_rollsOverLazily() public {
        _budget();
        uint256 id1 = _apply3();
        uint256 id2 = _apply3();
        vm.prank(committee);
        pool.approve(id1); // 600 of 1000
        vm.prank(committee);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.BudgetExceeded.selector, 600e18, 400e18));
        pool.approve(id2);
        // Last second of the period: still the same period.
        vm.warp(T0 + PERIOD - 1);
        vm.prank(committee);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.BudgetExceeded.selector, 600e18, 400e18));
        pool.approve(id2);
        // Two and a half periods later: aligned period start, nothing spent.
        vm.warp(T0 + 2 * PERIOD + PERIOD / 2);
        (,, uint256 start, uint256 spent, uint256 remaining) = pool.committeeBudget();
        assertEq(start, T0 + 2 * PERIOD);
        assertEq(spent, 0);
        assertEq(remaining, BUDGET);
        vm.expectEmit(address(pool));
        emit IGrantPool.CommitteeSpent(600e18, 600e18, T0 + 2 * PERIOD);
        vm.prank(committee);
        pool.approve(id2);
        (,, start, spent, remaining) = pool.committeeBudget();
        assertEq(start, T0 + 2 * PERIOD);
        assertEq(spent, 600e18);
        assertEq(remaining, 400e18);
    }

    function test_owner_notBudgetLimited() public {
        _budget();
        vm.prank(alice);
        uint256 id = pool.submitApplication(bob, "", _ms(BUDGET * 5));
        vm.prank(dao);
        pool.approve(id);
        assertEq(pool.reservedForGrants(), BUDGET * 5);
        (,,, uint256 spent,) = pool.committeeBudget();
        assertEq(spent, 0);
    }

    function test_ownerThatIsCommittee_actsAsOwner() public {
        vm.prank(dao);
        pool.setCommittee(dao);
        uint256 id = _apply3();
        vm.prank(dao);
        pool.approve(id); // no budget set: would revert if counted as committee
        assertFalse(pool.getGrant(id).approvedByCommittee);
    }

    // ---------------------------------------------------------------- applications

    function test_submitApplication() public {
        uint128[] memory m = _ms(100e18, 200e18, 300e18);
        vm.expectEmit(address(pool));
        emit IGrantPool.ApplicationSubmitted(1, alice, bob, keccak256("ipfs://proposal"), "ipfs://proposal", m, 600e18);
        uint256 id = _apply3();
        assertEq(id, 1);
        assertEq(pool.grantCount(), 1);
        IGrantPool.GrantView memory g = pool.getGrant(id);
        assertEq(g.applicant, alice);
        assertEq(g.recipient, bob);
        assertEq(uint256(g.status), uint256(IGrantPool.GrantStatus.Pending));
        assertFalse(g.approvedByCommittee);
        assertEq(g.paidMask, 0);
        assertEq(g.metadataHash, keccak256("ipfs://proposal"));
        assertEq(g.total, 600e18);
        assertEq(g.paid, 0);
        assertEq(g.milestones.length, 3);
        assertEq(g.milestones[0], 100e18);
        assertEq(g.milestones[1], 200e18);
        assertEq(g.milestones[2], 300e18);
        assertEq(_apply3(), 2);
        // Applying reserves nothing.
        assertEq(pool.available(), POOL_FUNDS);
    }

    function test_submitApplication_maxMilestones() public {
        uint128[] memory m = new uint128[](16);
        for (uint256 i; i < 16; ++i) m[i] = uint128(i + 1);
        vm.prank(alice);
        uint256 id = pool.submitApplication(bob, "", m);
        IGrantPool.GrantView memory g = pool.getGrant(id);
        assertEq(g.milestones.length, 16);
        assertEq(g.milestones[15], 16);
        assertEq(g.total, 136);
    }

    function test_submitApplication_reverts() public {
        vm.startPrank(alice);
        vm.expectRevert(IGrantPool.ZeroAddress.selector);
        pool.submitApplication(address(0), "", _ms(1));
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidMilestoneCount.selector, 0, 16));
        pool.submitApplication(bob, "", new uint128[](0));
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidMilestoneCount.selector, 17, 16));
        pool.submitApplication(bob, "", new uint128[](17));
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.ZeroMilestoneAmount.selector, 1));
        pool.submitApplication(bob, "", _ms(1, 0, 1));
        uint128[] memory huge = new uint128[](2);
        huge[0] = type(uint128).max;
        huge[1] = 1;
        vm.expectRevert(IGrantPool.GrantTooLarge.selector);
        pool.submitApplication(bob, "", huge);
        bytes memory longUri = new bytes(513);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UriTooLong.selector, 513, 512));
        pool.submitApplication(bob, string(longUri), _ms(1));
        vm.stopPrank();
        assertEq(pool.grantCount(), 0);
    }

    function test_getGrant_revertsUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownGrant.selector, 1));
        pool.getGrant(1);
    }

    function test_withdrawApplication() public {
        uint256 id = _apply3();
        vm.expectEmit(address(pool));
        emit IGrantPool.ApplicationWithdrawn(id);
        vm.prank(alice);
        pool.withdrawApplication(id);
        assertEq(uint256(pool.getGrant(id).status), uint256(IGrantPool.GrantStatus.Withdrawn));
        // A withdrawn application can no longer be approved.
        vm.prank(dao);
        vm.expectRevert(
            abi.encodeWithSelector(IGrantPool.InvalidStatus.selector, id, IGrantPool.GrantStatus.Withdrawn)
        );
        pool.approve(id);
    }

    function test_withdrawApplication_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownGrant.selector, 9));
        pool.withdrawApplication(9);
        uint256 id = _apply3();
        vm.prank(bob); // the recipient is not the applicant
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.NotApplicant.selector, id, bob));
        pool.withdrawApplication(id);
        vm.prank(dao);
        pool.approve(id);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidStatus.selector, id, IGrantPool.GrantStatus.Approved));
        pool.withdrawApplication(id);
    }

    // ---------------------------------------------------------------- approve / reject

    function test_approve_byOwner() public {
        uint256 id = _apply3();
        vm.expectEmit(address(pool));
        emit IGrantPool.GrantApproved(id, dao, false, 600e18);
        vm.prank(dao);
        pool.approve(id);
        IGrantPool.GrantView memory g = pool.getGrant(id);
        assertEq(uint256(g.status), uint256(IGrantPool.GrantStatus.Approved));
        assertFalse(g.approvedByCommittee);
        assertEq(pool.available(), POOL_FUNDS - 600e18);
        assertEq(pool.reservedForGrants(), 600e18);
        _assertAccounting();
    }

    function test_approve_byCommittee() public {
        _budget();
        uint256 id = _apply3();
        vm.expectEmit(address(pool));
        emit IGrantPool.CommitteeSpent(600e18, 600e18, T0);
        vm.expectEmit(address(pool));
        emit IGrantPool.GrantApproved(id, committee, true, 600e18);
        vm.prank(committee);
        pool.approve(id);
        assertTrue(pool.getGrant(id).approvedByCommittee);
        (,,, uint256 spent, uint256 remaining) = pool.committeeBudget();
        assertEq(spent, 600e18);
        assertEq(remaining, 400e18);
    }

    function test_approve_reverts() public {
        uint256 id = _apply3();
        _notAuthorized(alice);
        vm.prank(alice);
        pool.approve(id);
        vm.startPrank(dao);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownGrant.selector, 5));
        pool.approve(5);
        pool.approve(id);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidStatus.selector, id, IGrantPool.GrantStatus.Approved));
        pool.approve(id);
        vm.stopPrank();
    }

    function test_approve_revertsInsufficientAvailable() public {
        vm.prank(alice);
        uint256 id = pool.submitApplication(bob, "", _ms(POOL_FUNDS + 1));
        vm.prank(dao);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InsufficientAvailable.selector, POOL_FUNDS + 1, POOL_FUNDS));
        pool.approve(id);
    }

    function test_approve_committeeAvailableCheckedFirst() public {
        // Budget larger than the pool: `available` still bounds the committee.
        vm.prank(dao);
        pool.setCommitteeBudget(uint128(POOL_FUNDS * 10), 1 days);
        vm.prank(alice);
        uint256 id = pool.submitApplication(bob, "", _ms(POOL_FUNDS + 1));
        vm.prank(committee);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InsufficientAvailable.selector, POOL_FUNDS + 1, POOL_FUNDS));
        pool.approve(id);
    }

    function test_reject() public {
        uint256 id = _apply3();
        vm.expectEmit(address(pool));
        emit IGrantPool.GrantRejected(id, committee, "out of scope");
        vm.prank(committee);
        pool.reject(id, "out of scope");
        assertEq(uint256(pool.getGrant(id).status), uint256(IGrantPool.GrantStatus.Rejected));
        assertEq(pool.available(), POOL_FUNDS);
    }

    function test_reject_reverts() public {
        uint256 id = _apply3();
        _notAuthorized(bob);
        vm.prank(bob);
        pool.reject(id, "");
        vm.startPrank(dao);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownGrant.selector, 2));
        pool.reject(2, "");
        pool.reject(id, "");
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidStatus.selector, id, IGrantPool.GrantStatus.Rejected));
        pool.reject(id, "");
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- milestones

    function test_approveMilestone_paysRecipient() public {
        uint256 id = _approvedBy(dao);
        vm.expectEmit(address(pool));
        emit IGrantPool.MilestonePaid(id, 1, bob, 200e18, committee);
        vm.prank(committee); // the committee may pay milestones of an owner-approved grant
        pool.approveMilestone(id, 1);
        assertEq(sahara.balanceOf(bob), 200e18);
        IGrantPool.GrantView memory g = pool.getGrant(id);
        assertEq(g.paid, 200e18);
        assertEq(g.paidMask, 2);
        assertEq(uint256(g.status), uint256(IGrantPool.GrantStatus.Approved));
        assertEq(pool.reservedForGrants(), 400e18);
        _assertAccounting();
    }

    function test_approveMilestone_anyOrderUntilCompleted() public {
        uint256 id = _approvedBy(dao);
        vm.startPrank(dao);
        pool.approveMilestone(id, 2);
        pool.approveMilestone(id, 0);
        vm.expectEmit(address(pool));
        emit IGrantPool.MilestonePaid(id, 1, bob, 200e18, dao);
        vm.expectEmit(address(pool));
        emit IGrantPool.GrantCompleted(id);
        pool.approveMilestone(id, 1);
        vm.stopPrank();
        IGrantPool.GrantView memory g = pool.getGrant(id);
        assertEq(uint256(g.status), uint256(IGrantPool.GrantStatus.Completed));
        assertEq(g.paid, 600e18);
        assertEq(g.paidMask, 7);
        assertEq(sahara.balanceOf(bob), 600e18);
        assertEq(pool.reservedForGrants(), 0);
        assertEq(pool.available(), POOL_FUNDS - 600e18);
        _assertAccounting();
        // Nothing more can happen to a completed grant.
        vm.prank(dao);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidStatus.selector, id, IGrantPool.GrantStatus.Completed));
        pool.approveMilestone(id, 0);
        vm.prank(dao);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidStatus.selector, id, IGrantPool.GrantStatus.Completed));
        pool.cancelGrant(id);
    }

    function test_approveMilestone_reverts() public {
        uint256 id = _apply3();
        _notAuthorized(bob);
        vm.prank(bob);
        pool.approveMilestone(id, 0);
        vm.startPrank(dao);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownGrant.selector, 3));
        pool.approveMilestone(3, 0);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidStatus.selector, id, IGrantPool.GrantStatus.Pending));
        pool.approveMilestone(id, 0);
        pool.approve(id);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.MilestoneOutOfRange.selector, id, 3, 3));
        pool.approveMilestone(id, 3);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.MilestoneOutOfRange.selector, id, 1 << 200, 3));
        pool.approveMilestone(id, 1 << 200);
        pool.approveMilestone(id, 0);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.MilestoneAlreadyPaid.selector, id, 0));
        pool.approveMilestone(id, 0);
        vm.stopPrank();
        assertEq(sahara.balanceOf(bob), 100e18);
    }

    // ---------------------------------------------------------------- cancel

    function test_cancelGrant_returnsUnspent() public {
        _budget();
        uint256 id = _approvedBy(committee);
        vm.prank(committee);
        pool.approveMilestone(id, 0);
        vm.expectEmit(address(pool));
        emit IGrantPool.GrantCancelled(id, committee, 500e18);
        vm.prank(committee);
        assertEq(pool.cancelGrant(id), 500e18);
        assertEq(uint256(pool.getGrant(id).status), uint256(IGrantPool.GrantStatus.Cancelled));
        assertEq(pool.reservedForGrants(), 0);
        assertEq(pool.available(), POOL_FUNDS - 100e18);
        _assertAccounting();
        // Unspent funds return to the pool, not to the committee's budget.
        (,,, uint256 spent,) = pool.committeeBudget();
        assertEq(spent, 600e18);
        vm.prank(dao);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidStatus.selector, id, IGrantPool.GrantStatus.Cancelled));
        pool.approveMilestone(id, 1);
    }

    function test_cancelGrant_reverts() public {
        uint256 id = _apply3();
        _notAuthorized(alice);
        vm.prank(alice);
        pool.cancelGrant(id);
        vm.startPrank(dao);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownGrant.selector, 4));
        pool.cancelGrant(4);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidStatus.selector, id, IGrantPool.GrantStatus.Pending));
        pool.cancelGrant(id);
        pool.approve(id);
        pool.cancelGrant(id);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidStatus.selector, id, IGrantPool.GrantStatus.Cancelled));
        pool.cancelGrant(id);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- recipient

    function test_setRecipient() public {
        uint256 id = _approvedBy(dao);
        vm.expectEmit(address(pool));
        emit IGrantPool.RecipientChanged(id, bob, carol);
        vm.prank(bob);
        pool.setRecipient(id, carol);
        assertEq(pool.getGrant(id).recipient, carol);
        vm.prank(dao);
        pool.approveMilestone(id, 0);
        assertEq(sahara.balanceOf(carol), 100e18);
        assertEq(sahara.balanceOf(bob), 0);
    }

    function test_setRecipient_whilePending() public {
        uint256 id = _apply3();
        vm.prank(bob);
        pool.setRecipient(id, carol);
        assertEq(pool.getGrant(id).recipient, carol);
    }

    function test_setRecipient_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownGrant.selector, 1));
        pool.setRecipient(1, carol);
        uint256 id = _apply3();
        vm.prank(alice); // the applicant is not the recipient
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.NotRecipient.selector, id, alice));
        pool.setRecipient(id, carol);
        vm.prank(bob);
        vm.expectRevert(IGrantPool.ZeroAddress.selector);
        pool.setRecipient(id, address(0));
        vm.prank(dao);
        pool.reject(id, "");
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InvalidStatus.selector, id, IGrantPool.GrantStatus.Rejected));
        pool.setRecipient(id, carol);
    }

    // ---------------------------------------------------------------- reward rounds

    address[] internal _accts;
    uint256[] internal _amts;

    function _round(address creator, uint256 total) internal returns (uint256 id, bytes32[] memory tree) {
        _accts = [alice, bob, carol];
        _amts = [uint256(10e18), 20e18, 30e18];
        tree = _tree(_accts, _amts);
        vm.prank(creator);
        id = pool.createRewardRound(tree[0], uint128(total), uint64(T0 + 7 days));
    }

    function test_createRewardRound_byOwner() public {
        bytes32 root = keccak256("root");
        vm.expectEmit(address(pool));
        emit IGrantPool.RewardRoundCreated(1, root, 60e18, uint64(T0 + 1), dao, false);
        vm.prank(dao);
        assertEq(pool.createRewardRound(root, 60e18, uint64(T0 + 1)), 1);
        IGrantPool.RoundView memory r = pool.getRewardRound(1);
        assertEq(r.root, root);
        assertEq(r.total, 60e18);
        assertEq(r.remaining, 60e18);
        assertEq(r.deadline, T0 + 1);
        assertFalse(r.closed);
        assertFalse(r.byCommittee);
        assertEq(pool.roundCount(), 1);
        assertEq(pool.reservedForRounds(), 60e18);
        assertEq(pool.available(), POOL_FUNDS - 60e18);
        _assertAccounting();
    }

    function test_createRewardRound_byCommitteeWithinBudget() public {
        _budget();
        _round(committee, 60e18);
        assertTrue(pool.getRewardRound(1).byCommittee);
        (,,, uint256 spent,) = pool.committeeBudget();
        assertEq(spent, 60e18);
        vm.prank(committee);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.BudgetExceeded.selector, BUDGET, BUDGET - 60e18));
        pool.createRewardRound(keccak256("r"), BUDGET, uint64(T0 + 1));
    }

    function test_createRewardRound_reverts() public {
        _notAuthorized(alice);
        vm.prank(alice);
        pool.createRewardRound(keccak256("r"), 1, uint64(T0 + 1));
        vm.startPrank(dao);
        vm.expectRevert(IGrantPool.ZeroRoot.selector);
        pool.createRewardRound(bytes32(0), 1, uint64(T0 + 1));
        vm.expectRevert(IGrantPool.ZeroAmount.selector);
        pool.createRewardRound(keccak256("r"), 0, uint64(T0 + 1));
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.DeadlineInPast.selector, uint64(T0)));
        pool.createRewardRound(keccak256("r"), 1, uint64(T0));
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.InsufficientAvailable.selector, POOL_FUNDS + 1, POOL_FUNDS));
        pool.createRewardRound(keccak256("r"), uint128(POOL_FUNDS + 1), uint64(T0 + 1));
        vm.stopPrank();
    }

    function test_claimReward_byAnyoneForAccount() public {
        (uint256 id, bytes32[] memory tree) = _round(dao, 60e18);
        vm.expectEmit(address(pool));
        emit IGrantPool.RewardClaimed(id, bob, 20e18);
        vm.prank(carol);
        pool.claimReward(id, bob, 20e18, _proof(tree, bob, 20e18));
        assertEq(sahara.balanceOf(bob), 20e18);
        assertEq(sahara.balanceOf(carol), 0);
        assertTrue(pool.isClaimed(id, bob));
        assertFalse(pool.isClaimed(id, alice));
        assertEq(pool.getRewardRound(id).remaining, 40e18);
        assertEq(pool.reservedForRounds(), 40e18);
        _assertAccounting();
        // At the deadline itself claims are still open.
        vm.warp(T0 + 7 days);
        pool.claimReward(id, alice, 10e18, _proof(tree, alice, 10e18));
        assertEq(sahara.balanceOf(alice), 10e18);
    }

    function test_claimReward_reverts() public {
        (uint256 id, bytes32[] memory tree) = _round(dao, 60e18);
        bytes32[] memory p = _proof(tree, bob, 20e18);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownRound.selector, 2));
        pool.claimReward(2, bob, 20e18, p);
        vm.expectRevert(IGrantPool.InvalidProof.selector);
        pool.claimReward(id, bob, 21e18, p);
        vm.expectRevert(IGrantPool.InvalidProof.selector);
        pool.claimReward(id, carol, 20e18, p);
        pool.claimReward(id, bob, 20e18, p);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.RewardAlreadyClaimed.selector, id, bob));
        pool.claimReward(id, bob, 20e18, p);
        vm.warp(T0 + 7 days + 1);
        bytes32[] memory pa = _proof(tree, alice, 10e18);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.RoundClaimsClosed.selector, id));
        pool.claimReward(id, alice, 10e18, pa);
    }

    function test_claimReward_revertsZeroLeaf() public {
        address[] memory a = new address[](2);
        uint256[] memory v = new uint256[](2);
        a[0] = alice;
        a[1] = bob;
        v[1] = 5e18; // alice's leaf is 0
        bytes32[] memory tree = _tree(a, v);
        vm.prank(dao);
        uint256 id = pool.createRewardRound(tree[0], 5e18, uint64(T0 + 1));
        bytes32[] memory p = _proof(tree, alice, 0);
        vm.expectRevert(IGrantPool.ZeroAmount.selector);
        pool.claimReward(id, alice, 0, p);
    }

    function test_claimReward_badRootCannotExceedReserve() public {
        // The tree promises 60 but the round reserves 25: claims stop at the reserve.
        (uint256 id, bytes32[] memory tree) = _round(dao, 25e18);
        pool.claimReward(id, bob, 20e18, _proof(tree, bob, 20e18));
        bytes32[] memory p = _proof(tree, carol, 30e18);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.ClaimExceedsRemaining.selector, id, 30e18, 5e18));
        pool.claimReward(id, carol, 30e18, p);
        assertEq(pool.available(), POOL_FUNDS - 25e18);
        _assertAccounting();
    }

    function test_closeRewardRound_afterDeadlineByAnyone() public {
        (uint256 id, bytes32[] memory tree) = _round(dao, 60e18);
        pool.claimReward(id, carol, 30e18, _proof(tree, carol, 30e18));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.RoundStillOpen.selector, id, uint64(T0 + 7 days)));
        pool.closeRewardRound(id);
        vm.warp(T0 + 7 days + 1);
        vm.expectEmit(address(pool));
        emit IGrantPool.RewardRoundClosed(id, alice, 30e18);
        vm.prank(alice);
        assertEq(pool.closeRewardRound(id), 30e18);
        IGrantPool.RoundView memory r = pool.getRewardRound(id);
        assertTrue(r.closed);
        assertEq(r.remaining, 0);
        assertEq(pool.reservedForRounds(), 0);
        assertEq(pool.available(), POOL_FUNDS - 30e18);
        _assertAccounting();
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.RoundAlreadyClosed.selector, id));
        pool.closeRewardRound(id);
    }

    function test_closeRewardRound_ownerEarly() public {
        _budget();
        (uint256 id, bytes32[] memory tree) = _round(committee, 60e18);
        vm.prank(committee); // the committee cannot close early
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.RoundStillOpen.selector, id, uint64(T0 + 7 days)));
        pool.closeRewardRound(id);
        vm.prank(dao);
        assertEq(pool.closeRewardRound(id), 60e18);
        bytes32[] memory p = _proof(tree, bob, 20e18);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.RoundClaimsClosed.selector, id));
        pool.claimReward(id, bob, 20e18, p);
        // Closing returns funds to the pool, not to the committee's budget.
        (,,, uint256 spent,) = pool.committeeBudget();
        assertEq(spent, 60e18);
        assertEq(pool.available(), POOL_FUNDS);
    }

    function test_closeRewardRound_revertsUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownRound.selector, 1));
        pool.closeRewardRound(1);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownRound.selector, 1));
        pool.getRewardRound(1);
    }

    function test_rounds_areIndependent() public {
        (uint256 id1, bytes32[] memory tree) = _round(dao, 60e18);
        (uint256 id2,) = _round(dao, 60e18);
        pool.claimReward(id1, bob, 20e18, _proof(tree, bob, 20e18));
        // The same leaf claims again in another round.
        pool.claimReward(id2, bob, 20e18, _proof(tree, bob, 20e18));
        assertEq(sahara.balanceOf(bob), 40e18);
        assertEq(pool.reservedForRounds(), 80e18);
        _assertAccounting();
    }
}
