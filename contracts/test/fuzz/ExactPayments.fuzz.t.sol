// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ExecutionFixture} from "../utils/ExecutionFixture.sol";

/// @notice Conservation of ExactPayments to the wei: whatever reaches a deposit address leaves it
///         exactly once, split into the node fee and the vault credit of the bound asset.
contract ExactPaymentsFuzzTest is ExecutionFixture {
    function _authTo(address to, uint256 value, bytes32 nonce) internal view returns (Auth memory a, bytes memory sig) {
        a = Auth(payer, to, value, 0, block.timestamp + 1 hours, nonce);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(payerKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        sig = _pack(v, r, s);
    }

    function testFuzz_sweep_conservation(uint256 amount, uint256 feeBps, uint256 pieces, address caller) public {
        amount = bound(amount, 1, 10_000_000e6);
        feeBps = bound(feeBps, 0, MAX_FEE_BPS);
        pieces = bound(pieces, 1, 4);
        vm.prank(operator);
        nodes.serveAsset(nodeId, assetId, uint16(feeBps));
        address r = exact.receiverOf(nodeId, assetId);
        // Several deposits before one sweep (e.g. direct submissions nobody swept yet).
        uint256 rest = amount;
        for (uint256 i = 1; i < pieces; ++i) {
            uint256 part = rest / 2;
            _mintUsdt(r, part);
            rest -= part;
        }
        _mintUsdt(r, rest);
        uint256 opBefore = usdt.balanceOf(operator);
        vm.prank(caller);
        uint256 swept = exact.sweep(nodeId, assetId, address(usdt));
        uint256 fee = usdt.balanceOf(operator) - opBefore;
        uint256 credited = vault.totalReceived(assetId, address(usdt));
        assertEq(swept, amount);
        assertEq(credited + fee, swept);
        assertEq(fee, amount * feeBps / 10_000);
        assertEq(usdt.balanceOf(r), 0);
        assertEq(usdt.balanceOf(address(exact)), 0);
        // A second sweep finds nothing.
        assertEq(exact.sweep(nodeId, assetId, address(usdt)), 0);
        assertEq(vault.totalReceived(assetId, address(usdt)), credited);
    }

    function testFuzz_payExact_conservation(uint256 value, uint256 feeBps, bool frontRun, bytes32 nonce, address caller)
        public
    {
        value = bound(value, 1, 100_000e6);
        feeBps = bound(feeBps, 0, MAX_FEE_BPS);
        vm.prank(operator);
        nodes.serveAsset(nodeId, assetId, uint16(feeBps));
        (Auth memory a, bytes memory sig) = _authTo(exact.receiverOf(nodeId, assetId), value, nonce);
        if (frontRun) usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        uint256 payerBefore = usdt.balanceOf(payer) + (frontRun ? value : 0);
        uint256 opBefore = usdt.balanceOf(operator);
        vm.prank(caller);
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        uint256 fee = usdt.balanceOf(operator) - opBefore;
        assertEq(payerBefore - usdt.balanceOf(payer), value);
        assertEq(vault.totalReceived(assetId, address(usdt)) + fee, value);
        assertEq(fee, value * feeBps / 10_000);
        assertEq(usdt.balanceOf(a.to), 0);
        assertEq(usdt.balanceOf(address(exact)), 0);
    }

    function testFuzz_receiverOf_distinctPerPair(uint256 n1, uint256 a1, uint256 n2, uint256 a2) public view {
        vm.assume(n1 != n2 || a1 != a2);
        assertTrue(exact.receiverOf(n1, a1) != exact.receiverOf(n2, a2));
    }
}
