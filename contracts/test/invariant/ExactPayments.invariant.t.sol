// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ExecutionFixture} from "../utils/ExecutionFixture.sol";
import {ExactHandler} from "./handlers/ExactHandler.sol";

/// @notice Conservation and binding of ExactPayments under random payments, front-runs,
///         replays, cancellations and sweeps: every wei that reached a deposit address is either
///         still there or was booked for exactly that pair's asset and node.
contract ExactPaymentsInvariantTest is ExecutionFixture {
    ExactHandler internal handler;
    address internal operator2;
    uint256 internal node2;
    uint256 internal asset2;
    uint256 internal opStart;
    uint256 internal op2Start;

    function setUp() public override {
        super.setUp();
        operator2 = makeAddr("operator2");
        _fund(operator2);
        node2 = _registerNode(operator2, address(0));
        asset2 = _registerAsset(dave, 2);
        vm.prank(operator2);
        nodes.serveAsset(node2, asset2, 2500);
        // Pairs: served by node 1 (10%), served by node 2 (25%), never served by either.
        handler = new ExactHandler(
            exact, usdt, nodes, payer, payerKey, [nodeId, node2, nodeId, node2], [assetId, asset2, asset2, assetId]
        );
        _mintUsdt(payer, 100_000_000e6);
        opStart = usdt.balanceOf(operator);
        op2Start = usdt.balanceOf(operator2);
        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = ExactHandler.payExact.selector;
        selectors[1] = ExactHandler.submitDirect.selector;
        selectors[2] = ExactHandler.donate.selector;
        selectors[3] = ExactHandler.replay.selector;
        selectors[4] = ExactHandler.cancelAndPay.selector;
        selectors[5] = ExactHandler.sweep.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev The handler really moves money through every path (guards against a vacuous campaign).
    function test_handler_movesMoney() public {
        handler.payExact(0, 5e6, bob);
        handler.submitDirect(1, 3e6);
        handler.donate(2, 1e6);
        handler.replay(1, 1, 9e6);
        handler.cancelAndPay(3, 4e6);
        handler.sweep(2, alice);
        assertEq(handler.sweeps(), 3);
        assertGt(handler.ghostFeesOfNode(nodeId), 0);
        assertGt(handler.ghostFeesOfNode(node2), 0);
        assertEq(handler.ghostCredited(asset2), 3e6 - 3e6 * 2500 / 10_000 + 1e6);
        invariant_exactConservation();
    }

    function invariant_exactConservation() public view {
        uint256 inTotal;
        uint256 sweptTotal;
        for (uint256 i; i < 4; ++i) {
            (uint256 n, uint256 a) = handler.pairOf(i);
            uint256 held = usdt.balanceOf(exact.receiverOf(n, a));
            // Per deposit address: what arrived = what is still there + what was swept out.
            assertEq(held + handler.ghostSwept(i), handler.ghostIn(i), "receiver");
            inTotal += handler.ghostIn(i);
            sweptTotal += handler.ghostSwept(i);
        }
        // Everything swept is booked: vault credits of the bound assets + node fees, to the wei.
        uint256 credited = vault.totalReceived(assetId, address(usdt)) + vault.totalReceived(asset2, address(usdt));
        uint256 fees = (usdt.balanceOf(operator) - opStart) + (usdt.balanceOf(operator2) - op2Start);
        assertEq(credited + fees, sweptTotal, "booked");
        assertEq(vault.totalReceived(assetId, address(usdt)), handler.ghostCredited(assetId), "asset 1");
        assertEq(vault.totalReceived(asset2, address(usdt)), handler.ghostCredited(asset2), "asset 2");
        assertEq(usdt.balanceOf(operator) - opStart, handler.ghostFeesOfNode(nodeId), "node 1 fees");
        assertEq(usdt.balanceOf(operator2) - op2Start, handler.ghostFeesOfNode(node2), "node 2 fees");
        assertEq(usdt.balanceOf(address(exact)), 0, "ExactPayments holds nothing");
        assertLe(sweptTotal, inTotal);
    }
}
