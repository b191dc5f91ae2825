// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {FeeOnTransferToken} from "../utils/FeeOnTransferToken.sol";
import {RevenueHandler} from "./handlers/RevenueHandler.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Money conservation of the revenue system under random sequences of payments, mints,
///         split raises, royalty flushes, claims, OwnershipNFT transfers, new derived assets and
///         fee changes, in both payment tokens.
contract RevenueInvariantTest is ProtocolFixture {
    uint256 internal constant SCALE = 1e18;

    RevenueHandler internal handler;
    FeeOnTransferToken internal fot;

    function setUp() public override {
        super.setUp();
        address erin = makeAddr("erin");
        address frank = makeAddr("frank");

        uint256[] memory roots = new uint256[](4);
        roots[0] = _registerAsset(alice);
        roots[1] = _registerAsset(bob);
        roots[2] = _registerAsset(carol, 2);
        roots[3] = _registerDerived(dave, roots[0], 1000);

        fot = new FeeOnTransferToken(100);
        vm.prank(admin);
        vault.setPaymentToken(address(fot), true);

        address[] memory actors = new address[](6);
        actors[0] = alice;
        actors[1] = bob;
        actors[2] = carol;
        actors[3] = dave;
        actors[4] = erin;
        actors[5] = frank;
        address[2] memory treasuries = [treasury, makeAddr("treasury2")];
        handler = new RevenueHandler(vault, shares, registry, licenses, usdt, sahara, fot, admin, treasuries, actors, roots);
        sahara.transfer(address(handler), sahara.balanceOf(address(this)));

        bytes4[] memory selectors = new bytes4[](11);
        selectors[0] = RevenueHandler.pay.selector;
        selectors[1] = RevenueHandler.mintShares.selector;
        selectors[2] = RevenueHandler.raiseSplit.selector;
        selectors[3] = RevenueHandler.flush.selector;
        selectors[4] = RevenueHandler.claim.selector;
        selectors[5] = RevenueHandler.transferOwnership.selector;
        selectors[6] = RevenueHandler.registerChild.selector;
        selectors[7] = RevenueHandler.setProtocolFee.selector;
        selectors[8] = RevenueHandler.payFeeOnTransfer.selector;
        selectors[9] = RevenueHandler.rotateTreasury.selector;
        selectors[10] = RevenueHandler.toggleToken.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    function _tokens() internal view returns (address[2] memory) {
        return [address(usdt), address(sahara)];
    }

    /// @notice All properties are checked after every handler call, in one campaign (the
    ///         assertion messages name the property that broke).
    function invariant_revenue() public view {
        uint256[] memory ids = handler.allAssets();
        address[2] memory tokens = _tokens();
        for (uint256 t; t < 2; ++t) {
            address token = tokens[t];
            uint256 reserves = vault.reserves(token);
            uint256 inVault = handler.ghostPaidIn(token) - handler.ghostClaimed(token);

            // 1. reserves = everything paid in minus everything claimed, to the wei, and the
            //    vault holds exactly its reserves (nobody sends tokens without paying here).
            assertEq(reserves, inVault, "reserves != paid in - claimed");
            assertEq(IERC20(token).balanceOf(address(vault)), reserves, "token balance != reserves");

            // 2. Per asset: pending royalties and cumulative revenue match the model exactly.
            uint256 owed;
            for (uint256 a; a < ids.length; ++a) {
                uint256 pending = vault.pendingRoyalties(ids[a], token);
                assertEq(pending, handler.ghostPending(ids[a], token), "pending royalties != model");
                assertEq(vault.totalReceived(ids[a], token), handler.ghostReceived(ids[a], token), "received != model");
                owed += pending;
            }

            // 3. Per account: claimed + claimable matches the modelled entitlement: exactly for
            //    owner parts and fees, within the accumulator's error budget (far below one wei)
            //    plus one wei of flooring per asset for contributor revenue. In particular no
            //    account ever claims more than it is entitled to.
            uint256 n = handler.accountCount();
            for (uint256 i; i < n; ++i) {
                address account = handler.accounts(i);
                uint256 claimable = vault.claimable(account, token, ids);
                owed += claimable;
                (uint256 model, uint256 budget, uint256 flooring) = handler.modelOf(account, token);
                uint256 claimed = handler.ghostClaimedBy(account, token);
                assertLe(claimed * SCALE, model + budget, "account claimed more than entitled");
                assertLe((claimed + claimable) * SCALE, model + budget, "vault credits more than the model");
                assertGe((claimed + claimable) * SCALE + budget + flooring, model, "vault credits less than the model");
            }

            // 4. Conservation: paid in == claimed + claimable + pending royalties + dust, where
            //    dust (sub-wei fractions and accumulator carries) is at most one wei per
            //    (asset, holder) plus one wei per asset.
            assertGe(inVault, owed, "vault owes more than it holds");
            assertLe(inVault - owed, handler.holderPositions() + ids.length, "dust above bound");
        }

        // 5. The vault's copy of each asset's split (read by every payment) equals the source of
        //    truth in ContributionShares.
        for (uint256 a; a < ids.length; ++a) {
            (uint16 bps, uint256 total) = shares.splitOf(ids[a]);
            (uint16 copyBps, uint256 copyTotal) = vault.splitOf(ids[a]);
            assertEq(uint256(copyBps), uint256(bps), "vault split bps != shares");
            assertEq(copyTotal, total, "vault total shares != shares");
        }

        // 6. A fee-on-transfer token is never accepted, even though the admin allowed it.
        assertFalse(handler.fotAccepted());
        assertEq(vault.reserves(address(fot)), 0);
        assertEq(fot.balanceOf(address(vault)), 0);
    }
}
