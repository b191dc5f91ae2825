// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ExecutionFixture} from "../utils/ExecutionFixture.sol";
import {ExactPayments} from "../../src/execution/ExactPayments.sol";
import {IExactPayments} from "../../src/interfaces/IExactPayments.sol";
import {INodeRegistry} from "../../src/interfaces/INodeRegistry.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

contract ExactPaymentsTest is ExecutionFixture {
    uint256 internal constant VALUE = 2e6;

    function _auth(bytes32 nonce) internal view returns (Auth memory a, bytes memory sig) {
        a = Auth(payer, address(exact), VALUE, 0, block.timestamp + 1 hours, nonce);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(payerKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        sig = _pack(v, r, s);
    }

    function _pay(address caller, Auth memory a, bytes memory sig) internal {
        vm.prank(caller);
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
    }

    function test_initialize_state() public {
        assertEq(exact.nodeRegistry(), address(nodes));
        assertEq(exact.revenueVault(), address(vault));
        assertEq(exact.owner(), admin);
        ExactPayments impl = new ExactPayments();
        vm.expectRevert(IExactPayments.ZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(ExactPayments.initialize, (admin, address(0), address(vault))));
    }

    function test_payExact_normalPath() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n1"));
        uint256 payerBefore = usdt.balanceOf(payer);
        uint256 opBefore = usdt.balanceOf(operator);
        vm.expectEmit(address(exact));
        emit IExactPayments.ExactPaid(nodeId, assetId, payer, address(usdt), a.nonce, VALUE, VALUE / 10, false);
        _pay(nodeSigner, a, sig);
        assertEq(usdt.balanceOf(payer), payerBefore - VALUE);
        assertEq(usdt.balanceOf(operator), opBefore + VALUE / 10);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE - VALUE / 10);
        assertEq(usdt.balanceOf(address(exact)), 0);
        assertTrue(exact.attributed(address(usdt), payer, a.nonce));
    }

    function test_payExact_frontRun_attributedOnce() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n2"));
        // Someone submits the authorization to the token directly: funds land in ExactPayments.
        vm.prank(alice);
        usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        assertEq(usdt.balanceOf(address(exact)), VALUE);
        vm.expectEmit(address(exact));
        emit IExactPayments.ExactPaid(nodeId, assetId, payer, address(usdt), a.nonce, VALUE, VALUE / 10, true);
        _pay(operator, a, sig);
        assertEq(usdt.balanceOf(address(exact)), 0);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE - VALUE / 10);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IExactPayments.AlreadyAttributed.selector, address(usdt), payer, a.nonce));
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
    }

    function test_payExact_double_reverts() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n3"));
        _pay(nodeSigner, a, sig);
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IExactPayments.AlreadyAttributed.selector, address(usdt), payer, a.nonce));
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
    }

    function test_payExact_wrongCaller_reverts() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n4"));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IExactPayments.NotNodeAuthority.selector, nodeId, alice));
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.UnknownNode.selector, 77));
        exact.payExact(77, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
    }

    function test_payExact_assetNotServed_reverts() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n5"));
        vm.prank(operator);
        nodes.stopServing(nodeId, assetId);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IExactPayments.AssetNotServed.selector, nodeId, assetId));
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
    }

    function test_payExact_zeroValue_reverts() public {
        vm.prank(operator);
        vm.expectRevert(IExactPayments.ZeroAmount.selector);
        exact.payExact(nodeId, assetId, address(usdt), payer, 0, 0, block.timestamp + 1, bytes32(0), "");
    }

    function test_payExact_tokenErrorsBubble() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n6"));
        vm.warp(a.validBefore);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSignature("AuthorizationExpired(uint256,uint256)", a.validBefore, a.validBefore));
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
    }

    function test_payExact_wrongValueAfterFrontRun_reverts() public {
        (Auth memory a, bytes memory sig) = _auth(keccak256("n7"));
        vm.prank(alice);
        usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        // Claiming a bigger value than what was signed fails the signature check.
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IExactPayments.InvalidAuthorization.selector, address(usdt), payer, a.nonce));
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value * 2, a.validAfter, a.validBefore, a.nonce, sig);
    }

    function test_payExact_authorizationToOtherPayee_notAttributable() public {
        // An authorization to bob, executed by bob, cannot be attributed (digest has to = this).
        Auth memory a = Auth(payer, bob, VALUE, 0, block.timestamp + 1 hours, keccak256("n8"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(payerKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        bytes memory sig = _pack(v, r, s);
        usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IExactPayments.InvalidAuthorization.selector, address(usdt), payer, a.nonce));
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
    }

    function test_payExact_zeroFee() public {
        vm.prank(operator);
        nodes.serveAsset(nodeId, assetId, 0);
        (Auth memory a, bytes memory sig) = _auth(keccak256("n9"));
        uint256 opBefore = usdt.balanceOf(operator);
        _pay(operator, a, sig);
        assertEq(usdt.balanceOf(operator), opBefore);
        assertEq(vault.totalReceived(assetId, address(usdt)), VALUE);
    }
}
