// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {Test} from "../utils/Test.sol";
import {GrantPoolHandler} from "./handlers/GrantPoolHandler.sol";
import {SaharaToken} from "../../src/token/SaharaToken.sol";
import {GrantPool} from "../../src/grants/GrantPool.sol";
import {IGrantPool} from "../../src/interfaces/IGrantPool.sol";

contract GrantPoolInvariantTest is Test {
    SaharaToken internal sahara;
    GrantPool internal pool;
    GrantPoolHandler internal handler;
    address internal dao = address(0xDA0);
    address internal committee = address(0xC0111);
    uint256 internal constant INITIAL = 500_000e18;

    function setUp() public {
        vm.warp(1_700_000_000);
        sahara = new SaharaToken(address(this));
        GrantPool impl = new GrantPool();
        pool = GrantPool(
            address(new ERC1967Proxy(address(impl), abi.encodeCall(GrantPool.initialize, (dao, address(sahara), committee))))
        );
        handler = new GrantPoolHandler(sahara, pool, dao, committee);
        sahara.transfer(address(handler), sahara.totalSupply());
        handler.fund(INITIAL);
        handler.setBudget(100_000e18, 30 days);

        bytes4[] memory s = new bytes4[](18);
        s[0] = GrantPoolHandler.fund.selector;
        s[1] = GrantPoolHandler.donate.selector;
        s[2] = GrantPoolHandler.sync.selector;
        s[3] = GrantPoolHandler.withdraw.selector;
        s[4] = GrantPoolHandler.setBudget.selector;
        s[5] = GrantPoolHandler.warp.selector;
        s[6] = GrantPoolHandler.submit.selector;
        s[7] = GrantPoolHandler.withdrawApplication.selector;
        s[8] = GrantPoolHandler.approve.selector;
        s[9] = GrantPoolHandler.reject.selector;
        s[10] = GrantPoolHandler.approveMilestone.selector;
        s[11] = GrantPoolHandler.cancel.selector;
        s[12] = GrantPoolHandler.setRecipient.selector;
        s[13] = GrantPoolHandler.createRound.selector;
        s[14] = GrantPoolHandler.claim.selector;
        s[15] = GrantPoolHandler.claimForged.selector;
        s[16] = GrantPoolHandler.closeRound.selector;
        s[17] = GrantPoolHandler.approveMilestone.selector; // weight the money path
        targetSelector(FuzzSelector({addr: address(handler), selectors: s}));
        targetContract(address(handler));
    }

    /// balance == available + reserved for grants + reserved for rounds (+ donations not yet synced), to the wei.
    function invariant_balanceEqualsAccounting() public view {
        uint256 balance = sahara.balanceOf(address(pool));
        assertEq(
            balance,
            pool.available() + pool.reservedForGrants() + pool.reservedForRounds() + pool.unaccounted(),
            "balance != available + reserved"
        );
        assertEq(pool.unaccounted(), handler.ghostDonated() - handler.ghostSynced(), "unaccounted != unsynced donations");
    }

    /// Every wei that entered is in the pool or was paid out through one of the three exits.
    function invariant_conservation() public view {
        assertEq(
            handler.ghostFunded() + handler.ghostDonated(),
            sahara.balanceOf(address(pool)) + handler.ghostMilestonesPaid() + handler.ghostRewardsPaid()
                + handler.ghostWithdrawn(),
            "wei created or lost"
        );
    }

    /// Reserves equal the sums over live grants and rounds; no grant is paid beyond its total.
    function invariant_reservesMatchItems() public view {
        uint256 reservedGrants;
        uint256 n = pool.grantCount();
        for (uint256 id = 1; id <= n; ++id) {
            IGrantPool.GrantView memory g = pool.getGrant(id);
            assertLe(g.paid, g.total, "paid > total");
            assertEq(g.paid, handler.ghostGrantPaid(id), "paid != ghost");
            uint256 maskSum;
            for (uint256 i; i < g.milestones.length; ++i) {
                if (g.paidMask & (1 << i) != 0) maskSum += g.milestones[i];
            }
            assertEq(maskSum, g.paid, "paid != sum of paid milestones");
            if (g.status == IGrantPool.GrantStatus.Approved) reservedGrants += g.total - g.paid;
            if (g.status == IGrantPool.GrantStatus.Completed) assertEq(g.paid, g.total);
            if (g.status == IGrantPool.GrantStatus.Pending) assertEq(g.paid, 0);
        }
        assertEq(pool.reservedForGrants(), reservedGrants, "reservedForGrants != sum of unpaid approved");
        uint256 reservedRounds;
        uint256 m = pool.roundCount();
        for (uint256 id = 1; id <= m; ++id) {
            IGrantPool.RoundView memory r = pool.getRewardRound(id);
            assertLe(r.remaining, r.total);
            if (r.closed) assertEq(r.remaining, 0);
            reservedRounds += r.remaining;
        }
        assertEq(pool.reservedForRounds(), reservedRounds, "reservedForRounds != sum of round remainders");
    }

    /// Nothing paid twice, the committee never over its period budget, the model agrees.
    function invariant_safetyCounters() public view {
        assertEq(handler.ghostDoublePay(), 0, "milestone paid twice");
        assertEq(handler.ghostDoubleClaim(), 0, "reward claimed twice");
        assertEq(handler.ghostOverBudget(), 0, "committee over budget");
        assertEq(handler.ghostBudgetMismatch(), 0, "budget model mismatch");
        assertEq(handler.ghostBadPayment(), 0, "bad payment");
        assertEq(handler.ghostUnexpectedSuccess(), 0, "unexpected success");
        (uint256 budget,,, uint256 spent,) = pool.committeeBudget();
        assertLe(spent, budget, "committee spent > budget");
    }

    /// The run is not vacuous.
    function invariant_callsSucceed() public view {
        assertGt(handler.successfulCalls(), 0);
    }
}
