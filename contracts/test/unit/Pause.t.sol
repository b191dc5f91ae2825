// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {ExecutionFixture} from "../utils/ExecutionFixture.sol";
import {ProtocolModule} from "../../src/utils/ProtocolModule.sol";
import {GuardianGate} from "../../src/governance/GuardianGate.sol";
import {IGuardianGate} from "../../src/interfaces/IGuardianGate.sol";
import {AssetRegistry} from "../../src/assets/AssetRegistry.sol";
import {LicenseRegistry} from "../../src/licensing/LicenseRegistry.sol";
import {ContributionShares} from "../../src/assets/ContributionShares.sol";
import {RevenueVault} from "../../src/revenue/RevenueVault.sol";
import {NodeRegistry} from "../../src/execution/NodeRegistry.sol";
import {PaymentChannels} from "../../src/execution/PaymentChannels.sol";
import {ExactPayments} from "../../src/execution/ExactPayments.sol";
import {RegisterParams, ContentRef} from "../../src/types/AssetTypes.sol";
import {TermsParams} from "../../src/types/LicenseTypes.sol";
import {ChannelStatus} from "../../src/types/ExecutionTypes.sol";

/// @notice Issue 4 §3: every module can be paused by a pauser (the guardian gate) or its owner and
///         resumed only by its owner. While paused, every entry point that starts new activity
///         reverts with OZ's `EnforcedPause()`; exits, claims and settlement of existing obligations
///         keep working (funds are never trapped); `unpause` restores the paused entry points.
contract PauseTest is ExecutionFixture {
    struct Call {
        string name;
        address target;
        bytes data;
    }

    // keccak256(abi.encode(uint256(keccak256("openzeppelin.storage.Pausable")) - 1)) & ~0xff
    bytes32 internal constant PAUSABLE_SLOT = 0xcd5ed15c6e187e77e9aee88184c21f4f2182ab5827cb3b7e07fbedcd63f03300;

    address internal pauser;
    address internal eve;
    Call[] internal newActivity;

    function setUp() public override {
        super.setUp();
        pauser = makeAddr("pauser");
        eve = makeAddr("eve");
        address[7] memory ms = _modules();
        for (uint256 i; i < ms.length; ++i) {
            vm.prank(admin);
            ProtocolModule(ms[i]).setPauser(pauser, true);
        }
        _listNewActivity();
    }

    function _modules() internal view returns (address[7] memory) {
        return [address(registry), address(licenses), address(shares), address(vault), address(nodes), address(channels), address(exact)];
    }

    function _add(string memory name, address target, bytes memory data) internal {
        newActivity.push(Call(name, target, data));
    }

    /// @dev Every entry point that must stop while its module is paused. Arguments do not matter
    ///      for the paused check (it runs first); the unpaused control below shows none of them
    ///      fails with EnforcedPause when not paused.
    function _listNewActivity() internal {
        RegisterParams memory p;
        RegisterParams[] memory batch = new RegisterParams[](1);
        ContentRef memory c;
        TermsParams memory t;
        _add("AssetRegistry.register", address(registry), abi.encodeCall(AssetRegistry.register, (p)));
        _add("AssetRegistry.registerBatch", address(registry), abi.encodeCall(AssetRegistry.registerBatch, (batch)));
        _add("AssetRegistry.publishVersion", address(registry), abi.encodeCall(AssetRegistry.publishVersion, (assetId, c, c)));
        _add("LicenseRegistry.attachTerms", address(licenses), abi.encodeCall(LicenseRegistry.attachTerms, (assetId, t)));
        _add("LicenseRegistry.buyLicense", address(licenses), abi.encodeCall(LicenseRegistry.buyLicense, (1, alice, 0)));
        _add(
            "LicenseRegistry.buyLicenseWithPermit",
            address(licenses),
            abi.encodeCall(LicenseRegistry.buyLicenseWithPermit, (1, alice, 0, 0, 0, 0, 0))
        );
        _add("ContributionShares.mint", address(shares), abi.encodeCall(ContributionShares.mint, (assetId, alice, 1, 0, 0)));
        _add(
            "ContributionShares.mintBatch",
            address(shares),
            abi.encodeCall(ContributionShares.mintBatch, (assetId, new address[](1), new uint128[](1), 0, new bytes32[](1)))
        );
        _add("RevenueVault.pay", address(vault), abi.encodeCall(RevenueVault.pay, (assetId, address(usdt), 1e6)));
        _add(
            "RevenueVault.payWithPermit",
            address(vault),
            abi.encodeCall(RevenueVault.payWithPermit, (assetId, address(usdt), 1e6, 0, 0, 0, 0))
        );
        _add("RevenueVault.collect", address(vault), abi.encodeCall(RevenueVault.collect, (alice, assetId, address(usdt), 1e6)));
        _add("NodeRegistry.register", address(nodes), abi.encodeCall(NodeRegistry.register, ("http://127.0.0.1:1", alice, MIN_STAKE)));
        _add(
            "NodeRegistry.registerWithPermit",
            address(nodes),
            abi.encodeCall(NodeRegistry.registerWithPermit, ("http://127.0.0.1:1", alice, MIN_STAKE, 0, 0, 0, 0))
        );
        _add("NodeRegistry.addStake", address(nodes), abi.encodeCall(NodeRegistry.addStake, (nodeId, 1)));
        _add("NodeRegistry.serveAsset", address(nodes), abi.encodeCall(NodeRegistry.serveAsset, (nodeId, assetId, 0)));
        _add("PaymentChannels.open", address(channels), abi.encodeCall(PaymentChannels.open, (nodeId, address(usdt), 1e6, address(0))));
        _add(
            "PaymentChannels.openWithPermit",
            address(channels),
            abi.encodeCall(PaymentChannels.openWithPermit, (nodeId, address(usdt), 1e6, address(0), 0, 0, 0, 0))
        );
        _add(
            "PaymentChannels.openWithAuthorization",
            address(channels),
            abi.encodeCall(PaymentChannels.openWithAuthorization, (nodeId, address(usdt), 1e6, address(0), 0, 0, 0, ""))
        );
        _add("PaymentChannels.topUp", address(channels), abi.encodeCall(PaymentChannels.topUp, (1, 1e6)));
        _add(
            "PaymentChannels.topUpWithPermit",
            address(channels),
            abi.encodeCall(PaymentChannels.topUpWithPermit, (1, 1e6, 0, 0, 0, 0))
        );
        _add(
            "ExactPayments.payExact",
            address(exact),
            abi.encodeCall(ExactPayments.payExact, (nodeId, assetId, address(usdt), payer, 1e6, 0, 0, 0, ""))
        );
    }

    function _pauseAll() internal {
        address[7] memory ms = _modules();
        for (uint256 i; i < ms.length; ++i) {
            vm.prank(pauser);
            ProtocolModule(ms[i]).pause();
        }
    }

    function _unpauseAll() internal {
        address[7] memory ms = _modules();
        for (uint256 i; i < ms.length; ++i) {
            vm.prank(admin);
            ProtocolModule(ms[i]).unpause();
        }
    }

    bytes32 internal constant ENFORCED_HASH = keccak256(hex"d93c0665"); // EnforcedPause()

    // ------------------------------------------------------------ roles

    function test_pause_byPauser_emitsAndSetsFlag() public {
        vm.expectEmit(address(vault));
        emit PausableUpgradeable.Paused(pauser);
        vm.prank(pauser);
        vault.pause();
        assertTrue(vault.paused());
        // The flag is in OZ's ERC-7201 slot, not in the module's own layout.
        assertEq(uint256(vm.load(address(vault), PAUSABLE_SLOT)), 1);
        assertFalse(channels.paused());
    }

    function test_pause_byOwner() public {
        vm.prank(admin);
        channels.pause();
        assertTrue(channels.paused());
    }

    function test_pause_strangerOrRevokedPauser_reverts() public {
        address[7] memory ms = _modules();
        for (uint256 i; i < ms.length; ++i) {
            vm.prank(eve);
            vm.expectRevert(abi.encodeWithSelector(ProtocolModule.NotPauser.selector, eve));
            ProtocolModule(ms[i]).pause();
        }
        vm.expectEmit(address(nodes));
        emit ProtocolModule.PauserSet(pauser, false);
        vm.prank(admin);
        nodes.setPauser(pauser, false);
        assertFalse(nodes.isPauser(pauser));
        vm.prank(pauser);
        vm.expectRevert(abi.encodeWithSelector(ProtocolModule.NotPauser.selector, pauser));
        nodes.pause();
    }

    function test_pause_twice_reverts() public {
        vm.prank(pauser);
        vault.pause();
        vm.prank(pauser);
        vm.expectRevert(PausableUpgradeable.EnforcedPause.selector);
        vault.pause();
    }

    function test_unpause_onlyOwner() public {
        vm.prank(pauser);
        vault.pause();
        vm.prank(pauser);
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, pauser));
        vault.unpause();
        vm.expectEmit(address(vault));
        emit PausableUpgradeable.Unpaused(admin);
        vm.prank(admin);
        vault.unpause();
        assertFalse(vault.paused());
        vm.prank(admin);
        vm.expectRevert(PausableUpgradeable.ExpectedPause.selector);
        vault.unpause();
    }

    function test_setPauser_onlyOwner() public {
        vm.prank(pauser);
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, pauser));
        vault.setPauser(eve, true);
        assertFalse(vault.isPauser(eve));
        assertTrue(vault.isPauser(pauser));
    }

    // ------------------------------------------------------------ new activity stops, then resumes

    function test_paused_everyNewActivityEntryPoint_revertsEnforcedPause() public {
        _pauseAll();
        for (uint256 i; i < newActivity.length; ++i) {
            vm.prank(alice);
            (bool ok, bytes memory ret) = newActivity[i].target.call(newActivity[i].data);
            assertTrue(!ok, newActivity[i].name);
            assertEq(keccak256(ret), ENFORCED_HASH, newActivity[i].name);
        }
    }

    /// @dev Control for the list above: unpaused, no entry fails with EnforcedPause (they may
    ///      fail for their placeholder arguments, which is not under test).
    function test_notPaused_noEntryPointRevertsEnforcedPause() public {
        _pauseAll();
        _unpauseAll();
        for (uint256 i; i < newActivity.length; ++i) {
            uint256 snap = vm.snapshotState();
            vm.prank(alice);
            (bool ok, bytes memory ret) = newActivity[i].target.call(newActivity[i].data);
            if (!ok) assertTrue(keccak256(ret) != ENFORCED_HASH, newActivity[i].name);
            vm.revertToState(snap);
        }
    }

    /// @dev Pausing one module stops only that module's own entry points.
    function test_pausingOneModule_leavesOthersRunning() public {
        vm.prank(pauser);
        registry.pause();
        uint256 id = _open(10e6); // channels keep opening
        assertEq(channels.channel(id).deposit, 10e6);
        _pay(alice, assetId, address(usdt), 1e6); // payments keep flowing
    }

    function test_unpause_restoresRealFlows() public {
        _pauseAll();
        vm.startPrank(payer);
        vm.expectRevert(PausableUpgradeable.EnforcedPause.selector);
        channels.open(nodeId, address(usdt), 10e6, address(0));
        vm.stopPrank();
        _unpauseAll();
        uint256 id = _open(10e6);
        vm.prank(payer);
        channels.topUp(id, 1e6);
        assertEq(channels.channel(id).deposit, 11e6);
        _pay(alice, assetId, address(usdt), 1e6);
        assertEq(vault.totalReceived(assetId, address(usdt)), 1e6);
        uint256 a = _registerAsset(alice);
        assertEq(registry.ownerOf(a), alice);
        uint256 termsId = _attachRemix(alice, a, address(usdt), 1e6, 500);
        _buyLicense(bob, termsId);
        address op2 = makeAddr("op2");
        _fund(op2);
        _registerNode(op2, address(0));
    }

    // ------------------------------------------------------------ exits keep working while paused

    /// @dev A channel opened before the pause still settles (the node is paid, the vault credited
    ///      even though the vault itself is paused), closes and refunds the payer.
    function test_paused_channelSettleCloseWithdraw_work() public {
        uint256 id = _open(100e6);
        _pauseAll();
        _settle(_one(_entry(_voucher(id, 0, 30e6, bytes32(0), 0, 0), 0, 0)));
        assertEq(channels.channel(id).settled, 30e6);
        assertEq(vault.totalReceived(assetId, address(usdt)), 30e6 - 30e6 * uint256(NODE_FEE_BPS) / 10_000);
        vm.prank(payer);
        channels.requestClose(id);
        vm.warp(block.timestamp + WINDOW);
        uint256 before = usdt.balanceOf(payer);
        vm.prank(payer);
        channels.withdraw(id);
        assertEq(usdt.balanceOf(payer), before + 70e6);
        assertTrue(channels.channel(id).status == ChannelStatus.Closed);
    }

    function test_paused_channelRelease_works() public {
        uint256 id = _open(100e6);
        _pauseAll();
        vm.prank(operator);
        channels.release(id);
        vm.prank(payer);
        channels.withdraw(id);
        assertEq(usdt.balanceOf(address(channels)), 0);
    }

    function test_paused_vaultClaimAndFlush_work() public {
        uint256 child = _registerDerived(bob, assetId, 1000);
        _pay(alice, child, address(usdt), 10e6);
        _pauseAll();
        vault.flushRoyalties(child, address(usdt));
        uint256 before = usdt.balanceOf(bob);
        vm.prank(bob);
        uint256 got = vault.claim(address(usdt), _ids(child));
        assertGt(got, 0);
        assertEq(usdt.balanceOf(bob), before + got);
        vm.prank(carol);
        assertGt(vault.claim(address(usdt), _ids(assetId)), 0);
    }

    function test_paused_exactSweep_works() public {
        address r = exact.receiverOf(nodeId, assetId);
        vm.prank(payer);
        usdt.transfer(r, 5e6);
        _pauseAll();
        assertEq(exact.sweep(nodeId, assetId, address(usdt)), 5e6);
        assertEq(usdt.balanceOf(r), 0);
    }

    function test_paused_nodeExitAndHousekeeping_work() public {
        _pauseAll();
        vm.startPrank(operator);
        nodes.setSigner(nodeId, makeAddr("newSigner")); // key rotation is a security action
        nodes.setEndpoint(nodeId, "http://127.0.0.1:9/node");
        nodes.stopServing(nodeId, assetId);
        nodes.requestExit(nodeId);
        vm.warp(block.timestamp + UNBONDING);
        uint256 before = sahara.balanceOf(operator);
        nodes.withdrawStake(nodeId);
        vm.stopPrank();
        assertEq(sahara.balanceOf(operator), before + MIN_STAKE);
    }

    function test_paused_assetAndLicenseTransfers_stopSales_split_work() public {
        uint256 termsId = _attachRemix(carol, assetId, address(0), 0, 500);
        uint256 licenseId = _buyLicense(bob, termsId);
        _pauseAll();
        vm.prank(carol);
        registry.transferFrom(carol, dave, assetId);
        assertEq(registry.ownerOf(assetId), dave);
        vm.prank(bob);
        licenses.transferFrom(bob, alice, licenseId);
        assertEq(licenses.ownerOf(licenseId), alice);
        vm.prank(dave);
        licenses.stopSales(termsId);
        vm.prank(dave);
        shares.setContributorSplit(assetId, 2000);
        (uint16 bps,) = shares.splitOf(assetId);
        assertEq(bps, 2000);
    }

    function test_paused_adminFunctions_work() public {
        _pauseAll();
        vm.startPrank(admin);
        vault.setProtocolFee(100);
        nodes.setMinStake(1);
        channels.setChallengeWindow(2 days);
        vm.stopPrank();
        assertEq(vault.protocolFeeBps(), 100);
    }

    // ------------------------------------------------------------ through the guardian gate

    function test_guardianGate_pausesBeforeExpiry_notAfter() public {
        address guardian = makeAddr("guardian");
        GuardianGate gate = new GuardianGate(guardian, makeAddr("timelock"), block.timestamp + 30 days);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(ProtocolModule.NotPauser.selector, address(gate)));
        gate.pause(address(channels));
        vm.prank(admin);
        channels.setPauser(address(gate), true);
        vm.prank(eve);
        vm.expectRevert(abi.encodeWithSelector(IGuardianGate.NotGuardian.selector, eve));
        gate.pause(address(channels));
        vm.expectEmit(address(gate));
        emit IGuardianGate.GuardianPaused(address(channels));
        vm.expectEmit(address(channels));
        emit PausableUpgradeable.Paused(address(gate));
        vm.prank(guardian);
        gate.pause(address(channels));
        assertTrue(channels.paused());
        vm.prank(admin);
        channels.unpause();
        vm.prank(admin);
        vault.setPauser(address(gate), true);
        vm.warp(gate.expiry());
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IGuardianGate.GuardianExpired.selector, gate.expiry()));
        gate.pause(address(channels));
        assertFalse(channels.paused());
    }
}
