// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {ExecutionFixture} from "../utils/ExecutionFixture.sol";
import {ExactPayments} from "../../src/execution/ExactPayments.sol";
import {ExactReceiver} from "../../src/execution/ExactReceiver.sol";
import {IExactPayments} from "../../src/interfaces/IExactPayments.sol";
import {IRevenueVault} from "../../src/interfaces/IRevenueVault.sol";
import {DevStablecoin} from "../../src/token/DevStablecoin.sol";
import {Vm} from "../utils/Vm.sol";

contract ExactPaymentsTest is ExecutionFixture {
    uint256 internal constant VALUE = 2e6;
    uint256 internal constant FEE = VALUE * NODE_FEE_BPS / 10_000;

    // A second staked node serving an asset of its own: the would-be front-runner.
    address internal operator2;
    uint256 internal node2;
    uint256 internal asset2;

    function setUp() public override {
        super.setUp();
        operator2 = makeAddr("operator2");
        _fund(operator2);
        node2 = _registerNode(operator2, address(0));
        asset2 = _registerAsset(dave, 2);
        vm.prank(operator2);
        nodes.serveAsset(node2, asset2, MAX_FEE_BPS);
    }

    // ---------------------------------------------------------------- helpers

    function _salt(uint256 n, uint256 a) internal pure returns (bytes32) {
        return keccak256(abi.encode(n, a));
    }

    /// @dev CREATE2 address of an EIP-1167 clone, rebuilt from the opcodes rather than read from
    ///      the contract or the Clones library.
    function _create2Clone(address deployer, address impl, bytes32 salt) internal pure returns (address) {
        bytes memory initCode =
            abi.encodePacked(hex"3d602d80600a3d3981f3363d3d373d3d3d363d73", impl, hex"5af43d82803e903d91602b57fd5bf3");
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), deployer, salt, keccak256(initCode))))));
    }

    function _authTo(address to, uint256 value, bytes32 nonce) internal view returns (Auth memory a, bytes memory sig) {
        a = Auth(payer, to, value, 0, block.timestamp + 1 hours, nonce);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(payerKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        sig = _pack(v, r, s);
    }

    /// @dev The x402 exact authorization for the fixture's node and asset.
    function _auth(bytes32 nonce) internal view returns (Auth memory a, bytes memory sig) {
        return _authTo(exact.receiverOf(nodeId, assetId), VALUE, nonce);
    }

    function _payAs(address caller, uint256 n, uint256 asset, Auth memory a, bytes memory sig) internal {
        vm.prank(caller);
        exact.payExact(n, asset, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
    }

    function _submitDirect(Auth memory a, bytes memory sig) internal {
        vm.prank(alice);
        usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, sig);
    }

    // ---------------------------------------------------------------- setup and addresses

    function test_initialize_state() public {
        assertEq(exact.nodeRegistry(), address(nodes));
        assertEq(exact.revenueVault(), address(vault));
        assertEq(exact.owner(), admin);
        address impl = exact.receiverImplementation();
        assertEq(impl, exactImpl.RECEIVER_IMPLEMENTATION());
        assertGt(impl.code.length, 0);
        assertEq(ExactReceiver(impl).IMPLEMENTATION(), impl);
        // An explicit receiver implementation is kept as given.
        assertEq(new ExactPayments(impl).receiverImplementation(), impl);

        ExactPayments fresh = new ExactPayments(address(0));
        vm.expectRevert(IExactPayments.ZeroAddress.selector);
        new ERC1967Proxy(address(fresh), abi.encodeCall(ExactPayments.initialize, (admin, address(0), address(vault))));
        vm.expectRevert(IExactPayments.ZeroAddress.selector);
        new ERC1967Proxy(address(fresh), abi.encodeCall(ExactPayments.initialize, (admin, address(nodes), address(0))));
        vm.expectRevert(IExactPayments.ZeroAddress.selector);
        new ERC1967Proxy(address(fresh), abi.encodeCall(ExactPayments.initialize, (address(0), address(nodes), address(vault))));
        vm.expectRevert(abi.encodeWithSignature("InvalidInitialization()"));
        exact.initialize(admin, address(nodes), address(vault));
    }

    function test_receiverOf_isCreate2CloneAddress_perPair() public view {
        address impl = exact.receiverImplementation();
        address r = exact.receiverOf(nodeId, assetId);
        assertEq(r, _create2Clone(address(exact), impl, _salt(nodeId, assetId)));
        assertEq(exact.receiverOf(node2, asset2), _create2Clone(address(exact), impl, _salt(node2, asset2)));
        // Every component of the pair matters, including the order.
        assertTrue(r != exact.receiverOf(nodeId, asset2));
        assertTrue(r != exact.receiverOf(node2, assetId));
        assertTrue(exact.receiverOf(1, 2) != exact.receiverOf(2, 1));
        assertEq(r.code.length, 0);
    }

    // ---------------------------------------------------------------- payExact

    function test_payExact_normalPath_anyCaller() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n1"));
        address r = a.to;
        uint256 payerBefore = usdt.balanceOf(payer);
        uint256 opBefore = usdt.balanceOf(operator);
        vm.expectEmit(address(exact));
        emit IExactPayments.ExactPaid(nodeId, assetId, payer, address(usdt), a.nonce, VALUE, true);
        vm.expectEmit(address(exact));
        emit IExactPayments.ReceiverDeployed(nodeId, assetId, r);
        vm.expectEmit(address(exact));
        emit IExactPayments.Swept(nodeId, assetId, address(usdt), r, VALUE, FEE);
        // No caller restriction: the address paid decides where the money goes.
        _payAs(bob, nodeId, assetId, a, sig);
        assertEq(usdt.balanceOf(payer), payerBefore - VALUE);
        assertEq(usdt.balanceOf(operator), opBefore + FEE);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE - FEE);
        assertEq(usdt.balanceOf(r), 0);
        assertEq(usdt.balanceOf(address(exact)), 0);
        assertGt(r.code.length, 0);
        assertTrue(usdt.authorizationState(payer, a.nonce));
    }

    function test_payExact_existingReceiver_noRedeploy() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n1"));
        _payAs(nodeSigner, nodeId, assetId, a, sig);
        (a, sig) = _auth(keccak256("n2"));
        vm.recordLogs();
        _payAs(nodeSigner, nodeId, assetId, a, sig);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            assertTrue(logs[i].topics[0] != IExactPayments.ReceiverDeployed.selector, "redeployed");
        }
        assertEq(vault.totalReceived(assetId, address(usdt)), 2 * (VALUE - FEE));
    }

    function test_payExact_frontRunDirectSubmission_thenPayExact() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n2"));
        _submitDirect(a, sig);
        assertEq(usdt.balanceOf(a.to), VALUE);
        uint256 opBefore = usdt.balanceOf(operator);
        vm.expectEmit(address(exact));
        emit IExactPayments.ExactPaid(nodeId, assetId, payer, address(usdt), a.nonce, VALUE, false);
        vm.expectEmit(address(exact));
        emit IExactPayments.Swept(nodeId, assetId, address(usdt), a.to, VALUE, FEE);
        _payAs(operator, nodeId, assetId, a, sig);
        assertEq(usdt.balanceOf(a.to), 0);
        assertEq(usdt.balanceOf(operator), opBefore + FEE);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE - FEE);
    }

    function test_payExact_double_sweepsZero_neverDoubleCounts() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n3"));
        _payAs(nodeSigner, nodeId, assetId, a, sig);
        uint256 opBefore = usdt.balanceOf(operator);
        uint256 payerBefore = usdt.balanceOf(payer);
        vm.recordLogs();
        _payAs(nodeSigner, nodeId, assetId, a, sig);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        // Only the ExactPaid claim (submitted = false); nothing swept.
        assertEq(logs.length, 1);
        assertEq(logs[0].topics[0], IExactPayments.ExactPaid.selector);
        (,,, bool submitted) = abi.decode(logs[0].data, (address, bytes32, uint256, bool));
        assertFalse(submitted);
        assertEq(usdt.balanceOf(operator), opBefore);
        assertEq(usdt.balanceOf(payer), payerBefore);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE - FEE);
        // A claimed bigger value changes nothing either: only the receiver's balance is booked.
        vm.prank(nodeSigner);
        exact.payExact(nodeId, assetId, address(usdt), a.from, VALUE * 50, a.validAfter, a.validBefore, a.nonce, sig);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE - FEE);
    }

    /// @dev S-09: another staked node copies the authorization with its own node and asset.
    function test_S09_payExact_frontRunnerCannotRedirect() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n4"));
        // Through payExact with other ids the token checks the signature against another `to`.
        vm.prank(operator2);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        exact.payExact(node2, asset2, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        // Same node, other asset; other node, same asset: same.
        vm.prank(operator2);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        exact.payExact(nodeId, asset2, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        vm.prank(operator2);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        exact.payExact(node2, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        // Submitting it to the token first, then "claiming" it for its own pair, sweeps nothing.
        _submitDirect(a, sig);
        uint256 op2Before = usdt.balanceOf(operator2);
        _payAs(operator2, node2, asset2, a, sig);
        vm.prank(operator2);
        assertEq(exact.sweep(node2, asset2, address(usdt)), 0);
        assertEq(usdt.balanceOf(operator2), op2Before);
        assertEq(vault.totalReceived(asset2, address(usdt)), 0);
        assertEq(usdt.balanceOf(a.to), VALUE);
        // The money still goes where the payer sent it.
        _payAs(operator, nodeId, assetId, a, sig);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE - FEE);
        assertEq(usdt.balanceOf(a.to), 0);
    }

    /// @dev S-10: a canceled authorization moves nothing and can only sweep its own receiver.
    function test_S10_canceledAuthorization_sweepsOnlyItsReceiver() public {
        // Someone else's payment sits in another pair's receiver.
        (Auth memory other, bytes memory otherSig) = _authTo(exact.receiverOf(node2, asset2), VALUE, keccak256("o"));
        _submitDirect(other, otherSig);
        (Auth memory a, bytes memory sig) = _auth(keccak256("c"));
        (uint8 v, bytes32 r, bytes32 s) = _signCancel(payerKey, address(usdt), payer, a.nonce);
        usdt.cancelAuthorization(payer, a.nonce, v, r, s);
        _payAs(operator, nodeId, assetId, a, sig);
        assertEq(vault.totalReceived(assetId, address(usdt)), 0);
        assertEq(usdt.balanceOf(other.to), VALUE);
        assertEq(usdt.balanceOf(a.to), 0);
    }

    function test_payExact_zeroValue_reverts() public {
        vm.expectRevert(IExactPayments.ZeroAmount.selector);
        exact.payExact(nodeId, assetId, address(usdt), payer, 0, 0, block.timestamp + 1, bytes32(0), "");
    }

    function test_payExact_tokenErrorsBubble() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n6"));
        vm.warp(a.validBefore);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationExpired.selector, a.validBefore, a.validBefore));
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        vm.warp(1);
        (a, sig) = _auth(keccak256("n7"));
        // A different value than signed: the token rejects the signature.
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value + 1, a.validAfter, a.validBefore, a.nonce, sig);
    }

    function test_payExact_tokenNotAllowed_reverts() public {
        DevStablecoin other = new DevStablecoin();
        vm.expectRevert(abi.encodeWithSelector(IExactPayments.TokenNotAllowed.selector, address(other)));
        exact.payExact(nodeId, assetId, address(other), payer, VALUE, 0, block.timestamp + 1, bytes32(0), "");
    }

    function test_payExact_zeroFee() public {
        vm.prank(operator);
        nodes.serveAsset(nodeId, assetId, 0);
        (Auth memory a, bytes memory sig) = _auth(keccak256("n9"));
        uint256 opBefore = usdt.balanceOf(operator);
        _payAs(operator, nodeId, assetId, a, sig);
        assertEq(usdt.balanceOf(operator), opBefore);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE);
    }

    // ---------------------------------------------------------------- sweep

    function test_sweep_byStranger_paysBoundAssetAndNode() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("s1"));
        _submitDirect(a, sig);
        // A plain transfer to the deposit address counts the same way.
        vm.prank(payer);
        usdt.transfer(a.to, 1e6);
        uint256 total = VALUE + 1e6;
        uint256 fee = total * NODE_FEE_BPS / 10_000;
        uint256 opBefore = usdt.balanceOf(operator);
        vm.prank(bob);
        assertEq(exact.sweep(nodeId, assetId, address(usdt)), total);
        assertEq(usdt.balanceOf(operator), opBefore + fee);
        assertEq(vault.totalReceived(assetId, address(usdt)), total - fee);
        assertEq(usdt.balanceOf(a.to), 0);
        // The node's payExact afterwards is a no-op.
        _payAs(operator, nodeId, assetId, a, sig);
        assertEq(vault.totalReceived(assetId, address(usdt)), total - fee);
    }

    function test_sweep_zeroBalance_returnsZero_noDeployment() public {
        vm.recordLogs();
        assertEq(exact.sweep(nodeId, assetId, address(usdt)), 0);
        assertEq(vm.getRecordedLogs().length, 0);
        assertEq(exact.receiverOf(nodeId, assetId).code.length, 0);
    }

    function test_sweep_tokenNotAllowed_fundsStay() public {
        DevStablecoin other = new DevStablecoin();
        address r = exact.receiverOf(nodeId, assetId);
        other.faucet(r, VALUE);
        vm.expectRevert(abi.encodeWithSelector(IExactPayments.TokenNotAllowed.selector, address(other)));
        exact.sweep(nodeId, assetId, address(other));
        assertEq(other.balanceOf(r), VALUE);
        // Once the token is allowed the same receiver can be swept.
        vm.prank(admin);
        vault.setPaymentToken(address(other), true);
        assertEq(exact.sweep(nodeId, assetId, address(other)), VALUE);
        assertEq(vault.totalReceived(assetId, address(other)), VALUE - FEE);
    }

    /// @dev Decision: a pair the node never served has feeBps 0, so everything goes to the asset.
    function test_sweep_assetNeverServed_allToVault() public {
        (Auth memory a, bytes memory sig) = _authTo(exact.receiverOf(nodeId, asset2), VALUE, keccak256("ns"));
        uint256 opBefore = usdt.balanceOf(operator);
        _payAs(alice, nodeId, asset2, a, sig);
        assertEq(usdt.balanceOf(operator), opBefore);
        assertEq(vault.totalReceived(asset2, address(usdt)), VALUE);
        assertEq(usdt.balanceOf(a.to), 0);
    }

    /// @dev Like channel settlements, the fee is kept after stopServing.
    function test_sweep_afterStopServing_keepsFee() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("st"));
        _submitDirect(a, sig);
        vm.prank(operator);
        nodes.stopServing(nodeId, assetId);
        uint256 opBefore = usdt.balanceOf(operator);
        exact.sweep(nodeId, assetId, address(usdt));
        assertEq(usdt.balanceOf(operator), opBefore + FEE);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE - FEE);
    }

    function test_sweep_unknownNode_allToVault() public {
        address r = exact.receiverOf(77, assetId);
        usdt.faucet(r, VALUE);
        assertEq(exact.sweep(77, assetId, address(usdt)), VALUE);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE);
    }

    function test_sweep_unknownAsset_revertsAndFundsStay() public {
        address r = exact.receiverOf(nodeId, 999);
        usdt.faucet(r, VALUE);
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.UnknownAsset.selector, 999));
        exact.sweep(nodeId, 999, address(usdt));
        assertEq(usdt.balanceOf(r), VALUE);
        assertEq(r.code.length, 0);
    }

    // ---------------------------------------------------------------- receiver

    function test_receiver_onlyDeployerMovesFunds() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("r1"));
        _payAs(operator, nodeId, assetId, a, sig);
        address r = a.to;
        usdt.faucet(r, VALUE);
        bytes32 salt = _salt(nodeId, assetId);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ExactReceiver.NotDeployer.selector, alice, salt));
        ExactReceiver(r).pay(salt, IERC20(address(usdt)), alice, VALUE);
        // Whatever salt a caller picks, it is not the deployer.
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ExactReceiver.NotDeployer.selector, alice, bytes32(0)));
        ExactReceiver(r).pay(bytes32(0), IERC20(address(usdt)), alice, VALUE);
        // The ExactPayments proxy with another pair's salt is not the deployer of this address.
        vm.prank(address(exact));
        vm.expectRevert(abi.encodeWithSelector(ExactReceiver.NotDeployer.selector, address(exact), _salt(node2, asset2)));
        ExactReceiver(r).pay(_salt(node2, asset2), IERC20(address(usdt)), alice, VALUE);
        // The implementation is not a clone: nobody passes its check.
        address impl = exact.receiverImplementation();
        vm.prank(address(exact));
        vm.expectRevert(abi.encodeWithSelector(ExactReceiver.NotDeployer.selector, address(exact), salt));
        ExactReceiver(impl).pay(salt, IERC20(address(usdt)), alice, 0);
        assertEq(usdt.balanceOf(r), VALUE);
    }

    // ---------------------------------------------------------------- upgrades

    function test_upgrade_keepsReceiverAddresses() public {
        address r = exact.receiverOf(nodeId, assetId);
        address impl = exact.receiverImplementation();
        ExactPayments same = new ExactPayments(impl);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, alice));
        exact.upgradeToAndCall(address(same), "");
        ExactPayments changed = new ExactPayments(address(0));
        address changedImpl = changed.receiverImplementation();
        assertTrue(changedImpl != impl);
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IExactPayments.ReceiverImplementationChanged.selector, impl, changedImpl));
        exact.upgradeToAndCall(address(changed), "");
        vm.prank(admin);
        exact.upgradeToAndCall(address(same), "");
        assertEq(exact.receiverOf(nodeId, assetId), r);
        assertEq(exact.nodeRegistry(), address(nodes));
        (Auth memory a, bytes memory sig) = _auth(keccak256("u"));
        _payAs(operator, nodeId, assetId, a, sig);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE - FEE);
    }

    function test_renounceOwnership_disabled() public {
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSignature("RenounceOwnershipDisabled()"));
        exact.renounceOwnership();
    }
}
