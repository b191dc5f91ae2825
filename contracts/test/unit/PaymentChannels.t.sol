// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ExecutionFixture} from "../utils/ExecutionFixture.sol";
import {MockERC1271Wallet} from "../utils/MockERC1271Wallet.sol";
import {Vm} from "../utils/Vm.sol";
import {PaymentChannels} from "../../src/execution/PaymentChannels.sol";
import {IPaymentChannels} from "../../src/interfaces/IPaymentChannels.sol";
import {INodeRegistry} from "../../src/interfaces/INodeRegistry.sol";
import {ProtocolModule, ProtocolModuleCore} from "../../src/utils/ProtocolModule.sol";
import {Channel, ChannelStatus, Voucher, SettleEntry, SkipReason, Receipt} from "../../src/types/ExecutionTypes.sol";
import {ReceiptMerkle} from "../../src/libraries/ReceiptMerkle.sol";
import {FeeOnTransferToken} from "../utils/FeeOnTransferToken.sol";

contract PaymentChannelsTest is ExecutionFixture {
    uint256 internal constant DEPOSIT = 100e6;
    uint256 internal constant PRICE = 1000; // 0.001 USDT per unit

    // ---------------------------------------------------------------- init / admin

    function test_initialize_state() public view {
        assertEq(channels.nodeRegistry(), address(nodes));
        assertEq(channels.revenueVault(), address(vault));
        assertEq(channels.challengeWindow(), WINDOW);
        assertEq(channels.MAX_UNITS(), 4096);
        assertEq(channels.owner(), admin);
        assertEq(
            channels.DOMAIN_SEPARATOR(),
            keccak256(
                abi.encode(
                    EIP712_DOMAIN_TYPEHASH, keccak256(bytes(CHANNELS_NAME)), keccak256("1"), block.chainid, address(channels)
                )
            )
        );
        assertEq(channels.VOUCHER_TYPEHASH(), VOUCHER_TYPEHASH);
        assertEq(channels.RECEIPT_BATCH_TYPEHASH(), RECEIPT_BATCH_TYPEHASH);
    }

    function test_initialize_twice_reverts() public {
        vm.expectRevert(abi.encodeWithSignature("InvalidInitialization()"));
        channels.initialize(admin, address(nodes), address(vault), WINDOW);
    }

    function test_initialize_zeroAddress_reverts() public {
        PaymentChannels impl = new PaymentChannels();
        vm.expectRevert(IPaymentChannels.ZeroAddress.selector);
        new ERC1967ProxyHelper(address(impl), abi.encodeCall(PaymentChannels.initialize, (admin, address(0), address(vault), WINDOW)));
    }

    function test_setChallengeWindow() public {
        vm.expectEmit(address(channels));
        emit IPaymentChannels.ChallengeWindowSet(1 hours);
        vm.prank(admin);
        channels.setChallengeWindow(1 hours);
        assertEq(channels.challengeWindow(), 1 hours);
    }

    function test_setChallengeWindow_tooLong_reverts() public {
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.SettingOutOfRange.selector, 31 days, 30 days));
        channels.setChallengeWindow(31 days);
    }

    function test_setChallengeWindow_notOwner_reverts() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", alice));
        channels.setChallengeWindow(1);
    }

    function test_renounceOwnership_disabled() public {
        vm.prank(admin);
        vm.expectRevert(ProtocolModuleCore.RenounceOwnershipDisabled.selector);
        channels.renounceOwnership();
    }

    // ---------------------------------------------------------------- open

    function test_open_storesChannel() public {
        uint256 before = usdt.balanceOf(payer);
        vm.prank(payer);
        usdt.approve(address(channels), DEPOSIT);
        vm.expectEmit(address(channels));
        emit IPaymentChannels.ChannelOpened(1, payer, nodeId, address(usdt), payer, DEPOSIT);
        vm.prank(payer);
        uint256 id = channels.open(nodeId, address(usdt), DEPOSIT, address(0));
        assertEq(id, 1);
        assertEq(channels.channelCount(), 1);
        Channel memory c = channels.channel(id);
        assertEq(c.payer, payer);
        assertEq(c.signer, payer);
        assertEq(c.nodeId, nodeId);
        assertEq(c.token, address(usdt));
        assertEq(c.deposit, DEPOSIT);
        assertEq(c.settled, 0);
        assertEq(c.closesAt, 0);
        assertTrue(c.status == ChannelStatus.Open);
        assertEq(usdt.balanceOf(payer), before - DEPOSIT);
        assertEq(usdt.balanceOf(address(channels)), DEPOSIT);
    }

    function test_open_sessionSigner() public {
        address session = makeAddr("session");
        uint256 id = _openFor(payer, nodeId, DEPOSIT, session);
        assertEq(channels.channel(id).signer, session);
    }

    function test_open_reverts() public {
        vm.startPrank(payer);
        vm.expectRevert(IPaymentChannels.ZeroAmount.selector);
        channels.open(nodeId, address(usdt), 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.NodeNotActive.selector, 99));
        channels.open(99, address(usdt), 1, address(0));
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.NodeNotActive.selector, uint256(1) << 40));
        channels.open(uint256(1) << 40, address(usdt), 1, address(0));
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.TokenNotAllowed.selector, address(0xdead)));
        channels.open(nodeId, address(0xdead), 1, address(0));
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.ValueTooLarge.selector, uint256(1) << 128));
        channels.open(nodeId, address(usdt), uint256(1) << 128, address(0));
        vm.stopPrank();
    }

    function test_open_exitingNode_reverts() public {
        vm.prank(operator);
        nodes.requestExit(nodeId);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.NodeNotActive.selector, nodeId));
        channels.open(nodeId, address(usdt), 1, address(0));
    }

    function test_open_noAllowance_reverts() public {
        vm.startPrank(alice);
        vm.expectPartialRevert(bytes4(keccak256("ERC20InsufficientAllowance(address,uint256,uint256)")));
        channels.open(nodeId, address(usdt), 1, address(0));
        vm.stopPrank();
    }

    function test_open_feeOnTransferToken_reverts() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(100);
        vm.prank(admin);
        vault.setPaymentToken(address(fot), true);
        fot.mint(payer, 10_000);
        vm.startPrank(payer);
        fot.approve(address(channels), 10_000);
        vm.expectRevert(
            abi.encodeWithSelector(IPaymentChannels.FeeOnTransferNotSupported.selector, address(fot), 10_000, 9_900)
        );
        channels.open(nodeId, address(fot), 10_000, address(0));
        vm.stopPrank();
    }

    function test_channelTokens_indexInOrderOfFirstUse() public {
        _open(1e6);
        vm.startPrank(payer);
        sahara.approve(address(channels), 1e18);
        uint256 id = channels.open(nodeId, address(sahara), 1e18, address(0));
        vm.stopPrank();
        _open(1e6);
        address[] memory ts = channels.channelTokens();
        assertEq(ts.length, 2);
        assertEq(ts[0], address(usdt));
        assertEq(ts[1], address(sahara));
        assertEq(channels.channel(id).token, address(sahara));
    }

    function test_openWithPermit() public {
        (address p, uint256 k) = makeAccount("permitPayer");
        usdt.faucet(p, DEPOSIT);
        (uint8 v, bytes32 r, bytes32 s) =
            _signPermit(k, USDT_NAME, address(usdt), p, address(channels), DEPOSIT, 0, block.timestamp + 1);
        vm.prank(p);
        uint256 id = channels.openWithPermit(nodeId, address(usdt), DEPOSIT, address(0), block.timestamp + 1, v, r, s);
        assertEq(channels.channel(id).deposit, DEPOSIT);
        assertEq(usdt.balanceOf(p), 0);
    }

    function test_openWithAuthorization() public {
        (address p, uint256 k) = makeAccount("authPayer");
        usdt.faucet(p, DEPOSIT);
        Auth memory a = Auth(p, address(channels), DEPOSIT, 0, block.timestamp + 1 hours, keccak256("n1"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(k, address(usdt), RECEIVE_AUTH_TYPEHASH, a);
        vm.prank(p);
        uint256 id = channels.openWithAuthorization(
            nodeId, address(usdt), DEPOSIT, address(0), a.validAfter, a.validBefore, a.nonce, _pack(v, r, s)
        );
        assertEq(channels.channel(id).deposit, DEPOSIT);
        assertEq(channels.channel(id).payer, p);
        assertEq(usdt.balanceOf(address(channels)), DEPOSIT);
        // The authorization cannot be replayed.
        vm.prank(p);
        vm.expectRevert(abi.encodeWithSignature("AuthorizationAlreadyUsed(address,bytes32)", p, a.nonce));
        channels.openWithAuthorization(
            nodeId, address(usdt), DEPOSIT, address(0), a.validAfter, a.validBefore, a.nonce, _pack(v, r, s)
        );
    }

    function test_openWithAuthorization_otherSender_reverts() public {
        (address p, uint256 k) = makeAccount("authPayer");
        usdt.faucet(p, DEPOSIT);
        Auth memory a = Auth(p, address(channels), DEPOSIT, 0, block.timestamp + 1 hours, keccak256("n1"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(k, address(usdt), RECEIVE_AUTH_TYPEHASH, a);
        // A relayer cannot use someone else's authorization: from is always msg.sender.
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSignature("InvalidSignature()"));
        channels.openWithAuthorization(
            nodeId, address(usdt), DEPOSIT, alice, a.validAfter, a.validBefore, a.nonce, _pack(v, r, s)
        );
    }

    // ---------------------------------------------------------------- top up

    function test_topUp_anyone() public {
        uint256 id = _open(DEPOSIT);
        vm.startPrank(alice);
        usdt.approve(address(channels), 5e6);
        vm.expectEmit(address(channels));
        emit IPaymentChannels.ChannelToppedUp(id, alice, 5e6, DEPOSIT + 5e6);
        channels.topUp(id, 5e6);
        vm.stopPrank();
        assertEq(channels.channel(id).deposit, DEPOSIT + 5e6);
        assertEq(usdt.balanceOf(address(channels)), DEPOSIT + 5e6);
    }

    function test_topUpWithPermit() public {
        uint256 id = _open(DEPOSIT);
        (address p, uint256 k) = makeAccount("topper");
        usdt.faucet(p, 7e6);
        (uint8 v, bytes32 r, bytes32 s) =
            _signPermit(k, USDT_NAME, address(usdt), p, address(channels), 7e6, 0, block.timestamp + 1);
        vm.prank(p);
        channels.topUpWithPermit(id, 7e6, block.timestamp + 1, v, r, s);
        assertEq(channels.channel(id).deposit, DEPOSIT + 7e6);
    }

    function test_topUp_reverts() public {
        uint256 id = _open(DEPOSIT);
        vm.startPrank(payer);
        vm.expectRevert(IPaymentChannels.ZeroAmount.selector);
        channels.topUp(id, 0);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.UnknownChannel.selector, 7));
        channels.topUp(7, 1);
        channels.requestClose(id);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.ChannelNotOpen.selector, id));
        channels.topUp(id, 1);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- close / withdraw / release

    function test_requestClose_withdraw_refundsUnsettled() public {
        uint256 id = _open(DEPOSIT);
        _settle(_one(_entry(_voucher(id, 0, 30e6, bytes32(0), 0, 0), 0, 0)));
        vm.expectEmit(address(channels));
        emit IPaymentChannels.ChannelClosing(id, uint64(block.timestamp + WINDOW));
        vm.prank(payer);
        channels.requestClose(id);
        assertTrue(channels.channel(id).status == ChannelStatus.Closing);

        vm.warp(block.timestamp + WINDOW - 1);
        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(IPaymentChannels.ChallengeWindowNotOver.selector, id, uint64(block.timestamp + 1))
        );
        channels.withdraw(id);

        vm.warp(block.timestamp + 1);
        uint256 before = usdt.balanceOf(payer);
        vm.expectEmit(address(channels));
        emit IPaymentChannels.ChannelWithdrawn(id, payer, 70e6);
        vm.prank(payer);
        channels.withdraw(id);
        assertEq(usdt.balanceOf(payer), before + 70e6);
        assertEq(usdt.balanceOf(address(channels)), 0);
        assertTrue(channels.channel(id).status == ChannelStatus.Closed);

        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.ChannelAlreadyClosed.selector, id));
        channels.withdraw(id);
    }

    function test_close_reverts() public {
        uint256 id = _open(DEPOSIT);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.NotPayer.selector, id, alice));
        channels.requestClose(id);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.NotPayer.selector, id, alice));
        channels.withdraw(id);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.ChallengeWindowNotOver.selector, id, uint64(0)));
        channels.withdraw(id);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.UnknownChannel.selector, 9));
        channels.requestClose(9);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.UnknownChannel.selector, 9));
        channels.withdraw(9);
        vm.prank(payer);
        channels.requestClose(id);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.ChannelNotOpen.selector, id));
        channels.requestClose(id);
    }

    function test_release_letsPayerWithdrawNow() public {
        uint256 id = _open(DEPOSIT);
        vm.expectEmit(address(channels));
        emit IPaymentChannels.ChannelReleased(id, operator);
        vm.prank(operator);
        channels.release(id);
        Channel memory c = channels.channel(id);
        assertTrue(c.status == ChannelStatus.Closing);
        assertEq(c.closesAt, block.timestamp);
        // Nothing settles any more.
        SettleEntry[] memory es = _one(_entry(_voucher(id, 0, 1e6, bytes32(0), 0, 0), 0, 0));
        vm.recordLogs();
        _settle(es);
        assertEq(channels.channel(id).settled, 0);
        vm.prank(payer);
        channels.withdraw(id);
        assertEq(usdt.balanceOf(address(channels)), 0);
    }

    function test_release_neverExtendsWindow() public {
        uint256 id = _open(DEPOSIT);
        vm.prank(payer);
        channels.requestClose(id);
        uint64 closesAt = channels.channel(id).closesAt;
        vm.warp(closesAt + 100);
        vm.prank(nodeSigner);
        channels.release(id);
        assertEq(channels.channel(id).closesAt, closesAt);
    }

    function test_release_reverts() public {
        uint256 id = _open(DEPOSIT);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.NotNodeAuthority.selector, nodeId, payer));
        channels.release(id);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.UnknownChannel.selector, 5));
        channels.release(5);
        vm.prank(operator);
        channels.release(id);
        vm.prank(payer);
        channels.withdraw(id);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.ChannelAlreadyClosed.selector, id));
        channels.release(id);
    }

    // ---------------------------------------------------------------- settle: amounts

    function test_settle_cumulativeOnly_splitsNodeFeeAndVault() public {
        uint256 id = _open(DEPOSIT);
        Voucher memory v = _voucher(id, 0, 10e6, keccak256("anchor"), PRICE, 1024);
        uint256 opBefore = usdt.balanceOf(operator);
        uint256 ownerBefore = vault.balanceOf(carol, address(usdt));
        vm.expectEmit(address(channels));
        emit IPaymentChannels.LaneSettled(id, assetId, 0, 10e6, 10e6, 1e6);
        vm.expectEmit(address(channels));
        emit IPaymentChannels.Settled(nodeId, address(usdt), bytes32(0), 0, 10e6, 1e6);
        _settle(_one(_entry(v, 0, 0)));
        assertEq(channels.laneSettled(id, assetId, 0), 10e6);
        assertEq(channels.channel(id).settled, 10e6);
        assertEq(usdt.balanceOf(operator), opBefore + 1e6);
        // 9e6 into the vault: 2.5% protocol fee, the rest to the asset owner (no royalties/shares).
        assertEq(vault.totalReceived(assetId, address(usdt)), 9e6);
        assertEq(vault.balanceOf(carol, address(usdt)), ownerBefore + 9e6 - 9e6 * 250 / 10_000);
        assertEq(usdt.balanceOf(address(channels)), DEPOSIT - 10e6);
    }

    function test_settle_withTail_m1_and_m100() public {
        uint256 id = _open(DEPOSIT);
        (bytes32 anchor, bytes32 x1) = _chain(keccak256("seed"), 1024, 1);
        Voucher memory v = _voucher(id, 0, 5e6, anchor, PRICE, 1024);
        _settle(_one(_entry(v, 1, x1)));
        assertEq(channels.laneSettled(id, assetId, 0), 5e6 + PRICE);
        bytes32 x100 = _hashN(keccak256("seed"), 1024 - 100);
        _settle(_one(_entry(v, 100, x100)));
        assertEq(channels.laneSettled(id, assetId, 0), 5e6 + 100 * PRICE);
        assertEq(channels.channel(id).settled, 5e6 + 100 * PRICE);
    }

    function test_settle_resubmission_isNoop() public {
        uint256 id = _open(DEPOSIT);
        SettleEntry memory e = _entry(_voucher(id, 0, 10e6, bytes32(0), 0, 0), 0, 0);
        _settle(_one(e));
        uint256 vaultBal = usdt.balanceOf(address(vault));
        vm.expectEmit(address(channels));
        emit IPaymentChannels.EntrySkipped(id, assetId, 0, SkipReason.Stale);
        _settle(_one(e));
        assertEq(usdt.balanceOf(address(vault)), vaultBal);
        assertEq(channels.channel(id).settled, 10e6);
    }

    function test_settle_lowerVoucherAfterHigher_isNoop() public {
        uint256 id = _open(DEPOSIT);
        _settle(_one(_entry(_voucher(id, 0, 10e6, bytes32(0), 0, 0), 0, 0)));
        _settle(_one(_entry(_voucher(id, 0, 4e6, bytes32(0), 0, 0), 0, 0)));
        assertEq(channels.laneSettled(id, assetId, 0), 10e6);
        _settle(_one(_entry(_voucher(id, 0, 12e6, bytes32(0), 0, 0), 0, 0)));
        assertEq(channels.laneSettled(id, assetId, 0), 12e6);
        assertEq(channels.channel(id).settled, 12e6);
    }

    function test_settle_lanesIndependent() public {
        uint256 id = _open(DEPOSIT);
        SettleEntry[] memory es = new SettleEntry[](3);
        es[0] = _entry(_voucher(id, 0, 3e6, bytes32(0), 0, 0), 0, 0);
        es[1] = _entry(_voucher(id, 1, 4e6, bytes32(0), 0, 0), 0, 0);
        es[2] = _entry(_voucher(id, 7, 5e6, bytes32(0), 0, 0), 0, 0);
        _settle(es);
        assertEq(channels.laneSettled(id, assetId, 0), 3e6);
        assertEq(channels.laneSettled(id, assetId, 1), 4e6);
        assertEq(channels.laneSettled(id, assetId, 7), 5e6);
        assertEq(channels.channel(id).settled, 12e6);
    }

    function test_settle_cappedByDeposit_thenTopUpSettlesRest() public {
        uint256 id = _open(10e6);
        SettleEntry memory e = _entry(_voucher(id, 0, 15e6, bytes32(0), 0, 0), 0, 0);
        _settle(_one(e));
        assertEq(channels.channel(id).settled, 10e6);
        assertEq(channels.laneSettled(id, assetId, 0), 10e6);
        // Deposit used up: the same voucher is stale until a top-up.
        vm.expectEmit(address(channels));
        emit IPaymentChannels.EntrySkipped(id, assetId, 0, SkipReason.Stale);
        _settle(_one(e));
        vm.startPrank(payer);
        usdt.approve(address(channels), 20e6);
        channels.topUp(id, 20e6);
        vm.stopPrank();
        _settle(_one(e));
        assertEq(channels.laneSettled(id, assetId, 0), 15e6);
        assertEq(channels.channel(id).settled, 15e6);
    }

    function test_settle_hugeVoucher_saturatesToDeposit() public {
        uint256 id = _open(10e6);
        (bytes32 anchor, bytes32 x) = _chain(keccak256("s"), 4, 2);
        Voucher memory v = _voucher(id, 0, type(uint256).max - 1, anchor, type(uint256).max, 4);
        _settle(_one(_entry(v, 2, x)));
        assertEq(channels.channel(id).settled, 10e6);
    }

    function test_settle_expired_skipped() public {
        uint256 id = _open(DEPOSIT);
        Voucher memory v = _voucher(id, 0, 1e6, bytes32(0), 0, 0);
        v.expiresAt = block.timestamp - 1;
        vm.expectEmit(address(channels));
        emit IPaymentChannels.EntrySkipped(id, assetId, 0, SkipReason.Expired);
        _settle(_one(_entry(v, 0, 0)));
        assertEq(channels.channel(id).settled, 0);
    }

    function test_settle_expiresAtIsInclusive() public {
        uint256 id = _open(DEPOSIT);
        Voucher memory v = _voucher(id, 0, 1e6, bytes32(0), 0, 0);
        v.expiresAt = block.timestamp;
        _settle(_one(_entry(v, 0, 0)));
        assertEq(channels.channel(id).settled, 1e6);
    }

    function test_settle_duringChallengeWindow_thenNothingAfterClosesAt() public {
        uint256 id = _open(DEPOSIT);
        vm.prank(payer);
        channels.requestClose(id);
        vm.warp(block.timestamp + WINDOW - 1);
        _settle(_one(_entry(_voucher(id, 0, 1e6, bytes32(0), 0, 0), 0, 0)));
        assertEq(channels.channel(id).settled, 1e6);
        vm.warp(block.timestamp + 1);
        SettleEntry memory e = _entry(_voucher(id, 0, 2e6, bytes32(0), 0, 0), 0, 0);
        vm.expectEmit(address(channels));
        emit IPaymentChannels.EntrySkipped(id, assetId, 0, SkipReason.ChannelClosed);
        _settle(_one(e));
        assertEq(channels.channel(id).settled, 1e6);
    }

    function test_settle_skipDoesNotBlockBatch() public {
        uint256 a = _open(DEPOSIT);
        uint256 b = _open(DEPOSIT);
        Voucher memory expired = _voucher(a, 0, 1e6, bytes32(0), 0, 0);
        expired.expiresAt = block.timestamp - 1;
        SettleEntry[] memory es = new SettleEntry[](2);
        es[0] = _entry(expired, 0, 0);
        es[1] = _entry(_voucher(b, 0, 2e6, bytes32(0), 0, 0), 0, 0);
        _settle(es);
        assertEq(channels.channel(a).settled, 0);
        assertEq(channels.channel(b).settled, 2e6);
    }

    function test_settle_manyChannels_oneVaultCredit() public {
        uint256 n = 5;
        SettleEntry[] memory es = new SettleEntry[](n);
        for (uint256 i; i < n; ++i) {
            uint256 id = _open(DEPOSIT);
            es[i] = _entry(_voucher(id, 0, (i + 1) * 1e6, bytes32(0), 0, 0), 0, 0);
        }
        vm.expectCall(address(vault), abi.encodeWithSelector(vault.creditReceived.selector), 1);
        _settle(es);
        assertEq(vault.totalReceived(assetId, address(usdt)), 15e6 - 15e5);
    }

    function test_settle_twoAssets_feesPerAsset() public {
        uint256 asset2 = _registerAsset(dave, 2);
        vm.prank(operator);
        nodes.serveAsset(nodeId, asset2, 3000);
        uint256 id = _open(DEPOSIT);
        Voucher memory v2 = _voucher(id, 0, 10e6, bytes32(0), 0, 0);
        v2.assetId = asset2;
        SettleEntry[] memory es = new SettleEntry[](2);
        es[0] = _entry(_voucher(id, 0, 10e6, bytes32(0), 0, 0), 0, 0);
        es[1] = _entry(v2, 0, 0);
        uint256 opBefore = usdt.balanceOf(operator);
        _settle(es);
        assertEq(usdt.balanceOf(operator), opBefore + 1e6 + 3e6);
        assertEq(vault.totalReceived(assetId, address(usdt)), 9e6);
        assertEq(vault.totalReceived(asset2, address(usdt)), 7e6);
        // Lanes of different assets are independent.
        assertEq(channels.laneSettled(id, assetId, 0), 10e6);
        assertEq(channels.laneSettled(id, asset2, 0), 10e6);
    }

    function test_settle_feeKeptAfterStopServing() public {
        uint256 id = _open(DEPOSIT);
        vm.prank(operator);
        nodes.stopServing(nodeId, assetId);
        uint256 opBefore = usdt.balanceOf(operator);
        _settle(_one(_entry(_voucher(id, 0, 10e6, bytes32(0), 0, 0), 0, 0)));
        assertEq(usdt.balanceOf(operator), opBefore + 1e6);
    }

    function test_settle_exitingNodeCanStillSettle() public {
        uint256 id = _open(DEPOSIT);
        vm.prank(operator);
        nodes.requestExit(nodeId);
        _settle(_one(_entry(_voucher(id, 0, 1e6, bytes32(0), 0, 0), 0, 0)));
        assertEq(channels.channel(id).settled, 1e6);
    }

    function test_settle_byOperator() public {
        uint256 id = _open(DEPOSIT);
        SettleEntry[] memory es = _one(_entry(_voucher(id, 0, 1e6, bytes32(0), 0, 0), 0, 0));
        vm.prank(operator);
        channels.settle(nodeId, address(usdt), es, bytes32(0), 0);
        assertEq(channels.channel(id).settled, 1e6);
    }

    function test_settle_erc1271Signer() public {
        (address owner, uint256 ownerKey) = makeAccount("walletOwner");
        MockERC1271Wallet wallet = new MockERC1271Wallet(owner);
        uint256 id = _openFor(payer, nodeId, DEPOSIT, address(wallet));
        Voucher memory v = _voucher(id, 0, 1e6, bytes32(0), 0, 0);
        SettleEntry memory e = SettleEntry(v, 0, 0, _sign(ownerKey, v));
        _settle(_one(e));
        assertEq(channels.channel(id).settled, 1e6);
        wallet.setRejectAll(true);
        e.voucher.cumulative = 2e6;
        e.signature = _sign(ownerKey, e.voucher);
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.InvalidVoucherSignature.selector, id));
        channels.settle(nodeId, address(usdt), _one(e), bytes32(0), 0);
    }

    // ---------------------------------------------------------------- settle: reverts

    function test_settle_notNodeAuthority_reverts() public {
        uint256 id = _open(DEPOSIT);
        SettleEntry[] memory es = _one(_entry(_voucher(id, 0, 1e6, bytes32(0), 0, 0), 0, 0));
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.NotNodeAuthority.selector, nodeId, payer));
        channels.settle(nodeId, address(usdt), es, bytes32(0), 0);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.UnknownNode.selector, 42));
        channels.settle(42, address(usdt), es, bytes32(0), 0);
    }

    function test_settle_empty_reverts() public {
        vm.prank(nodeSigner);
        vm.expectRevert(IPaymentChannels.EmptySettlement.selector);
        channels.settle(nodeId, address(usdt), new SettleEntry[](0), bytes32(0), 0);
    }

    function test_settle_wrongNode_reverts() public {
        uint256 other = _registerNode(alice, alice);
        uint256 id = _openFor(payer, other, DEPOSIT, address(0));
        SettleEntry[] memory es = _one(_entry(_voucher(id, 0, 1e6, bytes32(0), 0, 0), 0, 0));
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.ChannelNodeMismatch.selector, id, nodeId));
        channels.settle(nodeId, address(usdt), es, bytes32(0), 0);
    }

    function test_settle_wrongToken_reverts() public {
        uint256 id = _open(DEPOSIT);
        SettleEntry[] memory es = _one(_entry(_voucher(id, 0, 1e6, bytes32(0), 0, 0), 0, 0));
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.ChannelTokenMismatch.selector, id, address(sahara)));
        channels.settle(nodeId, address(sahara), es, bytes32(0), 0);
    }

    function test_settle_unknownChannel_reverts() public {
        SettleEntry[] memory es = _one(_entry(_voucher(77, 0, 1e6, bytes32(0), 0, 0), 0, 0));
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.UnknownChannel.selector, 77));
        channels.settle(nodeId, address(usdt), es, bytes32(0), 0);
    }

    function test_settle_badSignature_reverts() public {
        uint256 id = _open(DEPOSIT);
        Voucher memory v = _voucher(id, 0, 1e6, bytes32(0), 0, 0);
        (, uint256 otherKey) = makeAccount("mallory");
        SettleEntry memory e = SettleEntry(v, 0, 0, _sign(otherKey, v));
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.InvalidVoucherSignature.selector, id));
        channels.settle(nodeId, address(usdt), _one(e), bytes32(0), 0);
    }

    function test_settle_tamperedVoucher_reverts() public {
        uint256 id = _open(DEPOSIT);
        SettleEntry memory e = _entry(_voucher(id, 0, 1e6, bytes32(0), 0, 0), 0, 0);
        e.voucher.cumulative = 2e6;
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.InvalidVoucherSignature.selector, id));
        channels.settle(nodeId, address(usdt), _one(e), bytes32(0), 0);
    }

    function test_settle_badPreimage_reverts() public {
        uint256 id = _open(DEPOSIT);
        (bytes32 anchor, bytes32 x) = _chain(keccak256("seed"), 16, 3);
        SettleEntry memory e = _entry(_voucher(id, 0, 0, anchor, PRICE, 16), 4, x); // x is the 3rd preimage
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.InvalidPreimage.selector, id, 4));
        channels.settle(nodeId, address(usdt), _one(e), bytes32(0), 0);
    }

    function test_settle_unitsAboveMax_reverts() public {
        uint256 id = _open(DEPOSIT);
        SettleEntry memory e = _entry(_voucher(id, 0, 0, bytes32(0), PRICE, 10), 11, 0);
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.UnitsAboveMax.selector, 11, 10));
        channels.settle(nodeId, address(usdt), _one(e), bytes32(0), 0);
        e = _entry(_voucher(id, 0, 0, bytes32(0), PRICE, 100_000), 4097, 0);
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.UnitsAboveMax.selector, 4097, 4096));
        channels.settle(nodeId, address(usdt), _one(e), bytes32(0), 0);
    }

    // ---------------------------------------------------------------- replay protection

    function _expectBadSig(SettleEntry memory e, uint256 channelId) internal {
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.InvalidVoucherSignature.selector, channelId));
        channels.settle(nodeId, address(usdt), _one(e), bytes32(0), 0);
    }

    function test_replay_otherChainId_fails() public {
        uint256 id = _open(DEPOSIT);
        Voucher memory v = _voucher(id, 0, 1e6, bytes32(0), 0, 0);
        (uint8 sv, bytes32 r, bytes32 s) = vm.sign(payerKey, _voucherDigest(v, block.chainid + 1, address(channels)));
        _expectBadSig(SettleEntry(v, 0, 0, abi.encodePacked(r, s, sv)), id);
    }

    function test_replay_otherContract_fails() public {
        uint256 id = _open(DEPOSIT);
        Voucher memory v = _voucher(id, 0, 1e6, bytes32(0), 0, 0);
        (uint8 sv, bytes32 r, bytes32 s) = vm.sign(payerKey, _voucherDigest(v, block.chainid, address(exact)));
        _expectBadSig(SettleEntry(v, 0, 0, abi.encodePacked(r, s, sv)), id);
    }

    function test_replay_otherChannelLaneAsset_fails() public {
        uint256 a = _open(DEPOSIT);
        uint256 b = _open(DEPOSIT);
        SettleEntry memory e = _entry(_voucher(a, 0, 1e6, bytes32(0), 0, 0), 0, 0);
        SettleEntry memory other = e;
        other.voucher.channelId = b;
        _expectBadSig(other, b);
        e = _entry(_voucher(a, 0, 1e6, bytes32(0), 0, 0), 0, 0);
        e.voucher.lane = 1;
        _expectBadSig(e, a);
        e = _entry(_voucher(a, 0, 1e6, bytes32(0), 0, 0), 0, 0);
        e.voucher.assetId = assetId + 1;
        _expectBadSig(e, a);
    }

    function test_replay_highS_fails() public {
        uint256 id = _open(DEPOSIT);
        Voucher memory v = _voucher(id, 0, 1e6, bytes32(0), 0, 0);
        (uint8 sv, bytes32 r, bytes32 s) = vm.sign(payerKey, _voucherDigest(v, block.chainid, address(channels)));
        bytes memory twin = abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), sv == 27 ? uint8(28) : uint8(27));
        _expectBadSig(SettleEntry(v, 0, 0, twin), id);
    }

    // ---------------------------------------------------------------- receipts

    function test_settle_recordsReceiptsRoot_andEmptyEntriesAllowed() public {
        bytes32 root = keccak256("root");
        vm.warp(1000);
        vm.prank(nodeSigner);
        channels.settle(nodeId, address(usdt), new SettleEntry[](0), root, 17);
        (uint256 n, uint64 ts, uint256 count) = channels.receiptsRecorded(root);
        assertEq(n, nodeId);
        assertEq(ts, 1000);
        assertEq(count, 17);
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.ReceiptsRootAlreadyRecorded.selector, root));
        channels.settle(nodeId, address(usdt), new SettleEntry[](0), root, 1);
    }

    function test_settle_rootCopiedByOtherNode_doesNotBlockSettlement() public {
        uint256 id = _open(DEPOSIT);
        bytes32 root = keccak256("victim root");
        uint256 squatter = _registerNode(alice, alice);
        vm.prank(alice);
        channels.settle(squatter, address(usdt), new SettleEntry[](0), root, 5);
        SettleEntry[] memory es = _one(_entry(_voucher(id, 0, 1e6, bytes32(0), 0, 0), 0, 0));
        vm.prank(nodeSigner);
        channels.settle(nodeId, address(usdt), es, root, 5);
        assertEq(channels.channel(id).settled, 1e6);
        (uint256 recordedBy,,) = channels.receiptsRecorded(root);
        assertEq(recordedBy, squatter);
    }

    function test_receiptBatchDigest() public view {
        bytes32 root = keccak256("r");
        bytes32 structHash = keccak256(abi.encode(RECEIPT_BATCH_TYPEHASH, nodeId, root, uint256(3)));
        bytes32 domain = keccak256(
            abi.encode(EIP712_DOMAIN_TYPEHASH, keccak256(bytes(CHANNELS_NAME)), keccak256("1"), block.chainid, address(channels))
        );
        assertEq(channels.receiptBatchDigest(nodeId, root, 3), keccak256(abi.encodePacked("\x19\x01", domain, structHash)));
    }

    function test_voucherDigest_matchesTypeString() public {
        uint256 id = _open(DEPOSIT);
        Voucher memory v = _voucher(id, 3, 1e6, keccak256("a"), 5, 9);
        assertEq(channels.voucherDigest(v), _voucherDigest(v, block.chainid, address(channels)));
    }

    function test_verifyReceipt_threeLeaves() public view {
        Receipt memory r;
        r.nodeId = 1;
        r.assetId = 2;
        bytes32 l0 = sha256(abi.encode(r));
        r.index = 1;
        bytes32 l1 = sha256(abi.encode(r));
        r.index = 2;
        bytes32 l2 = sha256(abi.encode(r));
        bytes32 n01 = l0 < l1 ? sha256(abi.encodePacked(l0, l1)) : sha256(abi.encodePacked(l1, l0));
        bytes32 root = n01 < l2 ? sha256(abi.encodePacked(n01, l2)) : sha256(abi.encodePacked(l2, n01));
        bytes32[] memory p = new bytes32[](2);
        p[0] = l1;
        p[1] = l2;
        assertTrue(channels.verifyReceipt(root, l0, p));
        // l2 was promoted unchanged: its proof is just n01.
        bytes32[] memory p2 = new bytes32[](1);
        p2[0] = n01;
        assertTrue(channels.verifyReceipt(root, l2, p2));
        assertFalse(channels.verifyReceipt(root, l1, p2));
        assertTrue(channels.verifyReceipt(l0, l0, new bytes32[](0)));
        assertFalse(channels.verifyReceipt(bytes32(0), bytes32(0), new bytes32[](0)));
    }

    function test_receiptLeaf_is352Bytes() public pure {
        Receipt memory r;
        assertEq(abi.encode(r).length, 352);
        assertEq(ReceiptMerkle.leaf(r), sha256(new bytes(352)));
    }

    // ---------------------------------------------------------------- upgrade

    function test_upgrade_onlyOwner_keepsState() public {
        uint256 id = _open(DEPOSIT);
        PaymentChannels next = new PaymentChannels();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", alice));
        channels.upgradeToAndCall(address(next), "");
        vm.prank(admin);
        channels.upgradeToAndCall(address(next), "");
        assertEq(channels.channel(id).deposit, DEPOSIT);
    }
}

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

contract ERC1967ProxyHelper is ERC1967Proxy {
    constructor(address impl, bytes memory data) ERC1967Proxy(impl, data) {}
}
