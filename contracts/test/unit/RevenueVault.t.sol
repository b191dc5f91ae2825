// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {FeeOnTransferToken} from "../utils/FeeOnTransferToken.sol";
import {RevenueVault} from "../../src/revenue/RevenueVault.sol";
import {IRevenueVault} from "../../src/interfaces/IRevenueVault.sol";
import {ILicenseRegistry} from "../../src/interfaces/ILicenseRegistry.sol";

contract RevenueVaultTest is ProtocolFixture {
    address internal usdtAddr;
    address internal saharaAddr;
    uint256 internal asset; // root dataset owned by alice

    function setUp() public override {
        super.setUp();
        usdtAddr = address(usdt);
        saharaAddr = address(sahara);
        asset = _registerAsset(alice);
    }

    function _mintShares(uint256 assetId, address to, uint128 amount) internal {
        vm.prank(registry.ownerOf(assetId));
        shares.mint(assetId, to, amount, 0, bytes32(0));
    }

    function _split(uint256 assetId, uint16 bps) internal {
        vm.prank(registry.ownerOf(assetId));
        shares.setContributorSplit(assetId, bps);
    }

    function _claim(address who, address token, uint256[] memory ids) internal returns (uint256) {
        vm.prank(who);
        return vault.claim(token, ids);
    }

    function _none() internal pure returns (uint256[] memory) {
        return new uint256[](0);
    }

    // ------------------------------------------------------------------ initialize

    function test_initialize_state() public view {
        assertEq(vault.owner(), admin);
        assertEq(vault.assetRegistry(), address(registry));
        assertEq(vault.shares(), address(shares));
        assertEq(vault.treasury(), treasury);
        assertEq(uint256(vault.protocolFeeBps()), FIXTURE_FEE_BPS);
        assertEq(uint256(vault.MAX_PROTOCOL_FEE_BPS()), 1000);
        assertEq(vault.MAX_PAYMENT_TOKENS(), 8);
        assertEq(vault.MAX_TRACKED_TOKENS(), 16);
        address[] memory tokens = vault.paymentTokens();
        assertEq(tokens.length, 2);
        assertEq(tokens[0], usdtAddr);
        assertEq(tokens[1], saharaAddr);
    }

    function test_initialize_revertsTwiceAndOnImplementation() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        vault.initialize(admin, address(registry), address(shares), treasury, 0);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        vaultImpl.initialize(admin, address(registry), address(shares), treasury, 0);
    }

    function test_initialize_revertsOnBadArgs() public {
        address impl = address(new RevenueVault());
        address r = address(registry);
        address s = address(shares);
        vm.expectRevert(IRevenueVault.ZeroAddress.selector);
        new ERC1967Proxy(impl, abi.encodeCall(RevenueVault.initialize, (address(0), r, s, treasury, 0)));
        vm.expectRevert(IRevenueVault.ZeroAddress.selector);
        new ERC1967Proxy(impl, abi.encodeCall(RevenueVault.initialize, (admin, address(0), s, treasury, 0)));
        vm.expectRevert(IRevenueVault.ZeroAddress.selector);
        new ERC1967Proxy(impl, abi.encodeCall(RevenueVault.initialize, (admin, r, address(0), treasury, 0)));
        vm.expectRevert(IRevenueVault.ZeroAddress.selector);
        new ERC1967Proxy(impl, abi.encodeCall(RevenueVault.initialize, (admin, r, s, address(0), 0)));
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.ProtocolFeeTooHigh.selector, uint16(1001), uint16(1000)));
        new ERC1967Proxy(impl, abi.encodeCall(RevenueVault.initialize, (admin, r, s, treasury, 1001)));
    }

    // ------------------------------------------------------------------ pay

    function test_pay_ownerOnly_split() public {
        vm.prank(bob);
        usdt.approve(address(vault), 1000e6);
        vm.expectEmit(address(vault));
        emit IRevenueVault.RevenueReceived(asset, usdtAddr, bob, 1000e6, 25e6, 0, 975e6, 0, alice);
        vm.prank(bob);
        vault.pay(asset, usdtAddr, 1000e6);

        assertEq(vault.balanceOf(alice, usdtAddr), 975e6);
        assertEq(vault.balanceOf(treasury, usdtAddr), 25e6);
        assertEq(vault.protocolFees(usdtAddr), 25e6);
        assertEq(vault.reserves(usdtAddr), 1000e6);
        assertEq(vault.totalReceived(asset, usdtAddr), 1000e6);
        assertEq(usdt.balanceOf(address(vault)), 1000e6);
        assertEq(usdt.balanceOf(bob), FUND_USDT - 1000e6);
    }

    function test_pay_contributorsAndRoundingToOwner() public {
        _split(asset, 3333);
        _mintShares(asset, carol, 1);
        _mintShares(asset, dave, 2);
        // A = 1_000_003: fee 25_000 (floor of 25_000.075), rest 975_003,
        // contributors floor(975_003 * 0.3333) = 324_968, owner 650_035.
        vm.prank(bob);
        usdt.approve(address(vault), 1_000_003);
        vm.expectEmit(address(vault));
        emit IRevenueVault.RevenueReceived(asset, usdtAddr, bob, 1_000_003, 25_000, 0, 650_035, 324_968, alice);
        vm.prank(bob);
        vault.pay(asset, usdtAddr, 1_000_003);
        assertEq(vault.balanceOf(alice, usdtAddr), 650_035);
        // 324_968 / 3 shares: carol 108_322.67 -> 108_322, dave 216_645.33 -> 216_645.
        assertEq(vault.contributorClaimable(asset, carol, usdtAddr), 108_322);
        assertEq(vault.contributorClaimable(asset, dave, usdtAddr), 216_645);
        (uint256 acc, uint256 carry) = vault.accumulator(asset, usdtAddr);
        assertEq(acc, uint256(324_968e18) / 3);
        assertEq(carry, uint256(324_968e18) % 3);
    }

    function test_pay_splitIgnoredWithoutShares() public {
        _split(asset, 10_000);
        _pay(bob, asset, usdtAddr, 1000e6);
        assertEq(vault.balanceOf(alice, usdtAddr), 975e6);
    }

    function test_pay_royaltiesPending() public {
        uint256 child = _registerDerived(bob, asset, 1000);
        vm.prank(carol);
        usdt.approve(address(vault), 1000e6);
        vm.expectEmit(address(vault));
        emit IRevenueVault.RevenueReceived(child, usdtAddr, carol, 1000e6, 25e6, 97.5e6, 877.5e6, 0, bob);
        vm.prank(carol);
        vault.pay(child, usdtAddr, 1000e6);
        assertEq(vault.pendingRoyalties(child, usdtAddr), 97.5e6);
        assertEq(vault.balanceOf(alice, usdtAddr), 0); // lazy: nothing forwarded yet
        assertEq(vault.reserves(usdtAddr), 1000e6);
    }

    function test_pay_revertsZeroAmount() public {
        vm.expectRevert(IRevenueVault.ZeroAmount.selector);
        vm.prank(bob);
        vault.pay(asset, usdtAddr, 0);
    }

    function test_pay_revertsTokenNotAllowed() public {
        FeeOnTransferToken t = new FeeOnTransferToken(0);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.TokenNotAllowed.selector, address(t)));
        vm.prank(bob);
        vault.pay(asset, address(t), 1);
    }

    function test_pay_revertsUnknownAsset() public {
        vm.prank(bob);
        usdt.approve(address(vault), 1);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.UnknownAsset.selector, 42));
        vm.prank(bob);
        vault.pay(42, usdtAddr, 1);
    }

    function test_pay_revertsWithoutAllowance() public {
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(vault), 0, 1)
        );
        vm.prank(bob);
        vault.pay(asset, usdtAddr, 1);
    }

    function test_pay_rejectsFeeOnTransferToken() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(100); // 1% burnt per transfer
        vm.prank(admin);
        vault.setPaymentToken(address(fot), true);
        fot.mint(bob, 1000);
        vm.startPrank(bob);
        fot.approve(address(vault), 1000);
        vm.expectRevert(
            abi.encodeWithSelector(IRevenueVault.FeeOnTransferNotSupported.selector, address(fot), 1000, 990)
        );
        vault.pay(asset, address(fot), 1000);
        vm.stopPrank();
        assertEq(vault.reserves(address(fot)), 0);
    }

    function test_pay_donationDoesNotBlockPayments() public {
        vm.prank(carol);
        usdt.transfer(address(vault), 5); // unsolicited
        _pay(bob, asset, usdtAddr, 1000e6);
        assertEq(vault.reserves(usdtAddr), 1000e6);
        assertEq(usdt.balanceOf(address(vault)), 1000e6 + 5);
    }

    function test_pay_ownershipSale_revenueBeforeStaysWithSeller() public {
        _pay(bob, asset, usdtAddr, 1000e6);
        vm.prank(alice);
        registry.transferFrom(alice, dave, asset);
        _pay(bob, asset, usdtAddr, 2000e6);
        assertEq(vault.balanceOf(alice, usdtAddr), 975e6);
        assertEq(vault.balanceOf(dave, usdtAddr), 1950e6);
    }

    function test_pay_reservesOverflowReverts() public {
        FeeOnTransferToken big = new FeeOnTransferToken(0);
        vm.prank(admin);
        vault.setPaymentToken(address(big), true);
        uint256 max = type(uint128).max;
        big.mint(bob, max + 1);
        vm.startPrank(bob);
        big.approve(address(vault), type(uint256).max);
        vault.pay(asset, address(big), max);
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 128, max + 1));
        vault.pay(asset, address(big), 1);
        vm.stopPrank();
    }

    function test_pay_feePoolSpillsToTreasuryBalance() public {
        FeeOnTransferToken big = new FeeOnTransferToken(0);
        vm.startPrank(admin);
        vault.setPaymentToken(address(big), true);
        vault.setProtocolFee(1000);
        vm.stopPrank();
        uint256 amount = 1 << 120;
        big.mint(bob, amount);
        vm.startPrank(bob);
        big.approve(address(vault), amount);
        vault.pay(asset, address(big), amount);
        vm.stopPrank();
        uint256 fee = amount / 10;
        assertEq(vault.protocolFees(address(big)), 0);
        assertEq(vault.balanceOf(treasury, address(big)), fee);
        assertEq(vault.balanceOf(alice, address(big)), amount - fee);
        assertEq(_claim(treasury, address(big), _none()), fee);
    }

    // ------------------------------------------------------------------ payWithPermit

    function _permitSig(uint256 key, address owner_, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 typehash = keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
        bytes32 structHash = keccak256(abi.encode(typehash, owner_, address(vault), value, usdt.nonces(owner_), deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", usdt.DOMAIN_SEPARATOR(), structHash));
        return vm.sign(key, digest);
    }

    function test_payWithPermit_noPriorApproval() public {
        (, uint256 bobKey) = makeAccount("bob");
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(bobKey, bob, 500e6, deadline);
        vm.prank(bob);
        vault.payWithPermit(asset, usdtAddr, 500e6, deadline, v, r, s);
        assertEq(vault.balanceOf(alice, usdtAddr), 487.5e6);
        assertEq(usdt.allowance(bob, address(vault)), 0);
    }

    function test_payWithPermit_frontRunPermitStillPays() public {
        (, uint256 bobKey) = makeAccount("bob");
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(bobKey, bob, 500e6, deadline);
        usdt.permit(bob, address(vault), 500e6, deadline, v, r, s); // someone submits it first
        vm.prank(bob);
        vault.payWithPermit(asset, usdtAddr, 500e6, deadline, v, r, s);
        assertEq(vault.reserves(usdtAddr), 500e6);
    }

    function test_payWithPermit_badSignatureNeedsAllowance() public {
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(vault), 0, 500e6)
        );
        vm.prank(bob);
        vault.payWithPermit(asset, usdtAddr, 500e6, block.timestamp, 27, bytes32(uint256(1)), bytes32(uint256(2)));
    }

    // ------------------------------------------------------------------ collect / creditReceived

    function test_collect_viaLicenseRegistry() public {
        uint256 termsId = _attachRemix(alice, asset, usdtAddr, 200e6, 500);
        uint256 licenseId = _buyLicense(bob, termsId);
        assertEq(licenses.ownerOf(licenseId), bob);
        assertEq(vault.balanceOf(alice, usdtAddr), 195e6);
        assertEq(vault.balanceOf(treasury, usdtAddr), 5e6);
        assertEq(usdt.balanceOf(address(vault)), 200e6);
    }

    function test_collect_revertsNotCollector() public {
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.NotCollector.selector, carol));
        vm.prank(carol);
        vault.collect(bob, asset, usdtAddr, 1);
    }

    function test_collect_byCollectorPullsFromPayer() public {
        vm.prank(admin);
        vault.setCollector(carol, true);
        vm.prank(bob);
        usdt.approve(address(vault), 100e6);
        vm.expectEmit(address(vault));
        emit IRevenueVault.RevenueReceived(asset, usdtAddr, bob, 100e6, 2.5e6, 0, 97.5e6, 0, alice);
        vm.prank(carol);
        vault.collect(bob, asset, usdtAddr, 100e6);
        assertEq(usdt.balanceOf(bob), FUND_USDT - 100e6);
    }

    function test_creditReceived_creditsUnaccountedBalance() public {
        vm.prank(admin);
        vault.setCollector(carol, true);
        _pay(bob, asset, usdtAddr, 10e6);
        vm.startPrank(carol);
        usdt.transfer(address(vault), 40e6);
        vm.expectEmit(address(vault));
        emit IRevenueVault.RevenueReceived(asset, usdtAddr, carol, 40e6, 1e6, 0, 39e6, 0, alice);
        vault.creditReceived(asset, usdtAddr, 40e6);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.UnaccountedBalanceTooLow.selector, usdtAddr, 1, 0));
        vault.creditReceived(asset, usdtAddr, 1);
        vm.stopPrank();
        assertEq(vault.reserves(usdtAddr), 50e6);
        assertEq(usdt.balanceOf(address(vault)), 50e6);
    }

    function test_creditReceived_partialAvailability() public {
        vm.prank(admin);
        vault.setCollector(carol, true);
        vm.startPrank(carol);
        usdt.transfer(address(vault), 7);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.UnaccountedBalanceTooLow.selector, usdtAddr, 8, 7));
        vault.creditReceived(asset, usdtAddr, 8);
        vm.stopPrank();
    }

    function test_creditReceived_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.NotCollector.selector, bob));
        vm.prank(bob);
        vault.creditReceived(asset, usdtAddr, 1);

        vm.prank(admin);
        vault.setCollector(carol, true);
        vm.startPrank(carol);
        vm.expectRevert(IRevenueVault.ZeroAmount.selector);
        vault.creditReceived(asset, usdtAddr, 0);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.TokenNotAllowed.selector, address(0xbeef)));
        vault.creditReceived(asset, address(0xbeef), 1);
        usdt.transfer(address(vault), 5);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.UnknownAsset.selector, 99));
        vault.creditReceived(99, usdtAddr, 5);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ royalties

    function test_flushRoyalties_proRataRemainderToLastRoyaltyParent() public {
        uint256 p1 = asset; // alice
        uint256 p2 = _registerAsset(carol);
        uint256 own = _registerAsset(bob); // bob's own parent: royalty 0
        uint256[] memory parents = new uint256[](3);
        parents[0] = p1;
        parents[1] = p2;
        parents[2] = own;
        uint16[] memory bps = new uint16[](3);
        bps[0] = 1000;
        bps[1] = 2000;
        uint256 child = _registerDerived(bob, parents, bps);
        assertEq(registry.assetInfo(child).royaltyBps, 3000);

        // A = 1_000_007: fee 25_000, rest 975_007, royalties 292_502, owner 682_505.
        _pay(dave, child, usdtAddr, 1_000_007);
        assertEq(vault.pendingRoyalties(child, usdtAddr), 292_502);
        assertEq(vault.balanceOf(bob, usdtAddr), 682_505);

        // p1: floor(292_502 * 1000 / 3000) = 97_500; p2 (last with royalty) takes 195_002.
        vm.expectEmit(address(vault));
        emit IRevenueVault.RoyaltiesFlushed(child, usdtAddr, 292_502);
        vm.expectEmit(address(vault));
        emit IRevenueVault.RevenueReceived(p1, usdtAddr, address(0), 97_500, 0, 0, 97_500, 0, alice);
        vm.expectEmit(address(vault));
        emit IRevenueVault.RevenueReceived(p2, usdtAddr, address(0), 195_002, 0, 0, 195_002, 0, carol);
        vm.prank(dave);
        vault.flushRoyalties(child, usdtAddr);

        assertEq(vault.pendingRoyalties(child, usdtAddr), 0);
        assertEq(vault.balanceOf(alice, usdtAddr), 97_500);
        assertEq(vault.balanceOf(carol, usdtAddr), 195_002);
        assertEq(vault.totalReceived(own, usdtAddr), 0);
        assertEq(vault.totalReceived(p1, usdtAddr), 97_500);
        assertEq(vault.reserves(usdtAddr), 1_000_007); // internal move, no new money
    }

    function test_flushRoyalties_noopWhenNothingPending() public {
        vm.recordLogs();
        vault.flushRoyalties(asset, usdtAddr);
        vault.flushRoyalties(12345, usdtAddr);
        assertEq(vm.getRecordedLogs().length, 0);
    }

    function test_flushRoyaltiesBatch_pushesUpLineage() public {
        uint256 mid = _registerDerived(bob, asset, 1000);
        uint256 leaf = _registerDerived(carol, mid, 2000);
        _pay(dave, leaf, usdtAddr, 1_000_000);
        // leaf: fee 25_000, rest 975_000, royalties 195_000, owner 780_000
        assertEq(vault.balanceOf(carol, usdtAddr), 780_000);
        vault.flushRoyaltiesBatch(_ids(leaf, mid), usdtAddr);
        // mid receives 195_000 without fee: royalties 19_500 (then flushed to root), owner 175_500
        assertEq(vault.balanceOf(bob, usdtAddr), 175_500);
        assertEq(vault.balanceOf(alice, usdtAddr), 19_500);
        assertEq(vault.pendingRoyalties(mid, usdtAddr), 0);
        assertEq(vault.totalReceived(mid, usdtAddr), 195_000);
        assertEq(vault.balanceOf(treasury, usdtAddr), 25_000);
    }

    function test_flushRoyalties_parentContributorsPaid() public {
        _split(asset, 5000);
        _mintShares(asset, dave, 10);
        uint256 child = _registerDerived(bob, asset, 4000);
        _pay(carol, child, usdtAddr, 1_000_000);
        // royalties = 975_000 * 40% = 390_000 -> asset: contributors 195_000, owner 195_000
        vault.flushRoyalties(child, usdtAddr);
        assertEq(vault.contributorClaimable(asset, dave, usdtAddr), 195_000);
        assertEq(vault.balanceOf(alice, usdtAddr), 195_000);
    }

    // ------------------------------------------------------------------ claim

    function test_claim_owner() public {
        _pay(bob, asset, usdtAddr, 1000e6);
        vm.expectEmit(address(vault));
        emit IRevenueVault.Claimed(alice, usdtAddr, 975e6);
        assertEq(_claim(alice, usdtAddr, _none()), 975e6);
        assertEq(usdt.balanceOf(alice), FUND_USDT + 975e6);
        assertEq(vault.balanceOf(alice, usdtAddr), 0);
        assertEq(vault.reserves(usdtAddr), 25e6);
        vm.expectRevert(IRevenueVault.ZeroAmount.selector);
        _claim(alice, usdtAddr, _none());
    }

    function test_claim_treasuryTakesFeePool() public {
        _pay(bob, asset, usdtAddr, 1000e6);
        assertEq(_claim(treasury, usdtAddr, _none()), 25e6);
        assertEq(usdt.balanceOf(treasury), 25e6);
        assertEq(vault.protocolFees(usdtAddr), 0);
        assertEq(vault.reserves(usdtAddr), 975e6);
    }

    function test_claim_ownerAndContributorTogether() public {
        _split(asset, 5000);
        _mintShares(asset, alice, 1); // the owner is also a contributor
        _mintShares(asset, bob, 1);
        _pay(carol, asset, usdtAddr, 1000e6);
        // rest 975e6: contributors 487.5e6 (243.75e6 each), owner 487.5e6
        uint256[] memory ids = _ids(asset, asset); // duplicate counts once
        assertEq(vault.claimable(alice, usdtAddr, ids), 487.5e6 + 243.75e6);
        assertEq(_claim(alice, usdtAddr, ids), 487.5e6 + 243.75e6);
        assertEq(vault.claimable(bob, usdtAddr, _ids(asset)), 243.75e6);
        assertEq(_claim(bob, usdtAddr, _ids(asset)), 243.75e6);
        assertEq(vault.reserves(usdtAddr), 25e6);
    }

    function test_claim_revertsWhenNothing() public {
        vm.expectRevert(IRevenueVault.ZeroAmount.selector);
        _claim(bob, usdtAddr, _ids(asset));
        vm.expectRevert(IRevenueVault.ZeroAmount.selector);
        _claim(bob, address(0xdead), _none());
    }

    function test_claim_subWeiFractionsKeptForLater() public {
        _split(asset, 10_000);
        _mintShares(asset, bob, 1);
        _mintShares(asset, carol, 1);
        _mintShares(asset, dave, 1);
        // A = 103: fee 2, contributors 101 -> 33.67 each
        _pay(alice, asset, usdtAddr, 103);
        assertEq(vault.contributorClaimable(asset, bob, usdtAddr), 33);
        assertEq(_claim(bob, usdtAddr, _ids(asset)), 33);
        _pay(alice, asset, usdtAddr, 103);
        // bob: 67.33 total, 33 claimed -> 34 now (his 0.67 fraction was kept)
        assertEq(vault.contributorClaimable(asset, bob, usdtAddr), 34);
        assertEq(vault.contributorClaimable(asset, carol, usdtAddr), 67);
        assertEq(_claim(bob, usdtAddr, _ids(asset)), 34);
        assertEq(_claim(carol, usdtAddr, _ids(asset)), 67);
        assertEq(_claim(dave, usdtAddr, _ids(asset)), 67);
        // 206 in, 4 fee, 201 claimed by contributors: 1 wei of dust (three 1/3 fractions).
        assertEq(vault.reserves(usdtAddr), 206 - 201);
        assertEq(vault.balanceOf(treasury, usdtAddr), 4);
        assertEq(usdt.balanceOf(address(vault)), vault.reserves(usdtAddr));
    }

    function test_claim_removedTokenStillClaimableAndFlushable() public {
        uint256 child = _registerDerived(bob, asset, 1000);
        _pay(carol, child, saharaAddr, 1000e18);
        vm.prank(admin);
        vault.setPaymentToken(saharaAddr, false);
        assertFalse(vault.isPaymentToken(saharaAddr));
        vm.prank(carol);
        sahara.approve(address(vault), 1);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.TokenNotAllowed.selector, saharaAddr));
        vm.prank(carol);
        vault.pay(child, saharaAddr, 1);
        vault.flushRoyalties(child, saharaAddr);
        assertEq(_claim(alice, saharaAddr, _none()), 97.5e18);
        assertEq(_claim(bob, saharaAddr, _none()), 877.5e18);
        assertEq(_claim(treasury, saharaAddr, _none()), 25e18);
        assertEq(vault.reserves(saharaAddr), 0);
    }

    // ------------------------------------------------------------------ checkpoint

    function test_checkpoint_revertsNotShares() public {
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.NotShares.selector, address(this)));
        vault.checkpoint(asset, bob);
    }

    function test_checkpoint_settlesBeforeShareChange() public {
        _split(asset, 5000);
        _mintShares(asset, bob, 1);
        _pay(carol, asset, usdtAddr, 1000e6); // bob: 487.5e6
        _mintShares(asset, bob, 1); // settles 487.5e6 whole wei
        _mintShares(asset, dave, 2); // dave starts at the current accumulator
        _pay(carol, asset, usdtAddr, 1000e6); // 487.5e6 shared 2:2
        assertEq(vault.contributorClaimable(asset, bob, usdtAddr), 487.5e6 + 243.75e6);
        assertEq(vault.contributorClaimable(asset, dave, usdtAddr), 243.75e6);
        assertEq(_claim(bob, usdtAddr, _ids(asset)), 731.25e6);
        assertEq(vault.contributorClaimable(asset, bob, usdtAddr), 0);
        _pay(carol, asset, usdtAddr, 1000e6);
        assertEq(_claim(bob, usdtAddr, _ids(asset)), 243.75e6);
    }

    function test_checkpoint_coversEveryTrackedToken() public {
        _split(asset, 10_000);
        _mintShares(asset, bob, 1);
        _pay(carol, asset, usdtAddr, 100e6);
        _pay(carol, asset, saharaAddr, 100e18);
        _mintShares(asset, dave, 1);
        assertEq(vault.contributorClaimable(asset, bob, usdtAddr), 97.5e6);
        assertEq(vault.contributorClaimable(asset, bob, saharaAddr), 97.5e18);
        assertEq(vault.contributorClaimable(asset, dave, saharaAddr), 0);
    }

    // ------------------------------------------------------------------ admin

    function test_setProtocolFee() public {
        vm.expectEmit(address(vault));
        emit IRevenueVault.ProtocolFeeSet(1000);
        vm.prank(admin);
        vault.setProtocolFee(1000);
        assertEq(uint256(vault.protocolFeeBps()), 1000);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.ProtocolFeeTooHigh.selector, uint16(1001), uint16(1000)));
        vm.prank(admin);
        vault.setProtocolFee(1001);
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        vault.setProtocolFee(0);
        vm.prank(admin);
        vault.setProtocolFee(0);
        _pay(bob, asset, usdtAddr, 1000e6);
        assertEq(vault.balanceOf(alice, usdtAddr), 1000e6);
    }

    function test_setTreasury_accruedFeesStayWithOldTreasury() public {
        address next = makeAddr("treasury2");
        _pay(bob, asset, usdtAddr, 1000e6);
        _pay(bob, asset, saharaAddr, 1000e18);
        vm.expectEmit(address(vault));
        emit IRevenueVault.TreasurySet(next);
        vm.prank(admin);
        vault.setTreasury(next);
        assertEq(vault.treasury(), next);
        assertEq(vault.balanceOf(treasury, usdtAddr), 25e6);
        assertEq(vault.balanceOf(treasury, saharaAddr), 25e18);
        assertEq(vault.balanceOf(next, usdtAddr), 0);
        _pay(bob, asset, usdtAddr, 1000e6);
        assertEq(vault.balanceOf(next, usdtAddr), 25e6);
        assertEq(_claim(treasury, usdtAddr, _none()), 25e6);
        assertEq(_claim(next, usdtAddr, _none()), 25e6);
    }

    function test_setTreasury_reverts() public {
        vm.expectRevert(IRevenueVault.ZeroAddress.selector);
        vm.prank(admin);
        vault.setTreasury(address(0));
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, bob));
        vm.prank(bob);
        vault.setTreasury(bob);
    }

    function test_setPaymentToken_addRemoveAndCaps() public {
        vm.startPrank(admin);
        vm.expectEmit(address(vault));
        emit IRevenueVault.PaymentTokenSet(address(0x1001), true);
        vault.setPaymentToken(address(0x1001), true);
        for (uint160 i = 2; i <= 6; ++i) {
            vault.setPaymentToken(address(0x1000 + i), true);
        }
        assertEq(vault.paymentTokens().length, 8);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.TooManyPaymentTokens.selector, 8));
        vault.setPaymentToken(address(0x1007), true);
        vault.setPaymentToken(address(0x1001), true); // already allowed: no-op
        assertEq(vault.paymentTokens().length, 8);

        vault.setPaymentToken(address(0x1001), false);
        assertEq(vault.paymentTokens().length, 7);
        assertEq(vault.trackedTokens().length, 8);
        vault.setPaymentToken(address(0x1001), true); // re-allow: reuses its tracked slot
        assertEq(vault.trackedTokens().length, 8);

        // Rotate through new tokens until 16 have ever been allowed.
        for (uint160 i = 7; i <= 14; ++i) {
            vault.setPaymentToken(address(0x1000 + i - 6), false);
            vault.setPaymentToken(address(0x1000 + i), true);
        }
        assertEq(vault.trackedTokens().length, 16);
        vault.setPaymentToken(address(0x100E), false); // 7 allowed: only the tracked cap is left
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.TooManyPaymentTokens.selector, 16));
        vault.setPaymentToken(address(0x1099), true);
        vm.expectRevert(IRevenueVault.ZeroAddress.selector);
        vault.setPaymentToken(address(0), true);
        vm.stopPrank();

        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        vault.setPaymentToken(address(0x1099), true);
    }

    function test_setCollector() public {
        vm.expectEmit(address(vault));
        emit IRevenueVault.CollectorSet(carol, true);
        vm.prank(admin);
        vault.setCollector(carol, true);
        assertTrue(vault.isCollector(carol));
        vm.prank(admin);
        vault.setCollector(carol, false);
        assertFalse(vault.isCollector(carol));
        vm.expectRevert(IRevenueVault.ZeroAddress.selector);
        vm.prank(admin);
        vault.setCollector(address(0), true);
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, carol));
        vm.prank(carol);
        vault.setCollector(carol, true);
    }

    function test_upgrade_onlyOwner_keepsState() public {
        _pay(bob, asset, usdtAddr, 1000e6);
        address next = address(new RevenueVault());
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, bob));
        vm.prank(bob);
        vault.upgradeToAndCall(next, "");
        vm.prank(admin);
        vault.upgradeToAndCall(next, "");
        bytes32 implSlot = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
        assertEq(address(uint160(uint256(vm.load(address(vault), implSlot)))), next);
        assertEq(vault.balanceOf(alice, usdtAddr), 975e6);
        assertEq(vault.reserves(usdtAddr), 1000e6);
    }

    function test_ownership_twoStep() public {
        vm.prank(admin);
        vault.transferOwnership(bob);
        assertEq(vault.owner(), admin);
        vm.prank(bob);
        vault.acceptOwnership();
        assertEq(vault.owner(), bob);
    }

    // ------------------------------------------------------------------ views

    function test_views_claimableSumsAndDedupes() public {
        _split(asset, 5000);
        _mintShares(asset, bob, 1);
        uint256 other = _registerAsset(carol);
        _split(other, 5000);
        _mintShares(other, bob, 1);
        _pay(dave, asset, usdtAddr, 1000e6);
        _pay(dave, other, usdtAddr, 2000e6);
        uint256[] memory ids = new uint256[](3);
        ids[0] = asset;
        ids[1] = other;
        ids[2] = asset;
        assertEq(vault.claimable(bob, usdtAddr, ids), 487.5e6 + 975e6);
        assertEq(vault.claimable(treasury, usdtAddr, _none()), 75e6);
        assertEq(_claim(bob, usdtAddr, ids), 487.5e6 + 975e6);
    }
}
