// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ExecutionFixture} from "../utils/ExecutionFixture.sol";
import {NodeRegistry} from "../../src/execution/NodeRegistry.sol";
import {INodeRegistry} from "../../src/interfaces/INodeRegistry.sol";
import {Node, NodeStatus} from "../../src/types/ExecutionTypes.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

contract NodeRegistryTest is ExecutionFixture {
    function test_initialize_state() public view {
        assertEq(nodes.minStake(), MIN_STAKE);
        assertEq(nodes.unbondingDelay(), UNBONDING);
        assertEq(nodes.maxNodeFeeBps(), MAX_FEE_BPS);
        assertEq(nodes.stakeToken(), address(sahara));
        assertEq(nodes.assetRegistry(), address(registry));
        assertEq(nodes.owner(), admin);
        assertEq(nodes.nodeCount(), 1);
    }

    function test_initialize_reverts() public {
        NodeRegistry impl = new NodeRegistry();
        vm.expectRevert(INodeRegistry.ZeroAddress.selector);
        new ERC1967Proxy(
            address(impl), abi.encodeCall(NodeRegistry.initialize, (admin, address(0), address(registry), 1, 1, 1))
        );
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.SettingOutOfRange.selector, 5001, 5000));
        new ERC1967Proxy(
            address(impl), abi.encodeCall(NodeRegistry.initialize, (admin, address(sahara), address(registry), 1, 1, 5001))
        );
        vm.expectRevert(abi.encodeWithSignature("InvalidInitialization()"));
        nodes.initialize(admin, address(sahara), address(registry), 1, 1, 1);
    }

    function test_register_pullsStake_andStoresNode() public {
        uint256 before = sahara.balanceOf(bob);
        vm.startPrank(bob);
        sahara.approve(address(nodes), 2000e18);
        vm.expectEmit(address(nodes));
        emit INodeRegistry.NodeRegistered(2, bob, bob, 2000e18, "http://127.0.0.1:1");
        uint256 id = nodes.register("http://127.0.0.1:1", address(0), 2000e18);
        vm.stopPrank();
        assertEq(id, 2);
        Node memory n = nodes.node(id);
        assertEq(n.operator, bob);
        assertEq(n.signer, bob);
        assertEq(n.stake, 2000e18);
        assertTrue(n.status == NodeStatus.Active);
        assertEq(n.unlockAt, 0);
        assertEq(n.endpoint, "http://127.0.0.1:1");
        assertEq(sahara.balanceOf(bob), before - 2000e18);
        assertEq(sahara.balanceOf(address(nodes)), MIN_STAKE + 2000e18);
        assertTrue(nodes.isActive(id));
        (address op, address signer) = nodes.authority(id);
        assertEq(op, bob);
        assertEq(signer, bob);
    }

    function test_registerWithPermit() public {
        (address op, uint256 k) = makeAccount("permitOperator");
        sahara.transfer(op, MIN_STAKE);
        (uint8 v, bytes32 r, bytes32 s) =
            _signPermit(k, SAHARA_NAME, address(sahara), op, address(nodes), MIN_STAKE, 0, block.timestamp + 1);
        vm.prank(op);
        uint256 id = nodes.registerWithPermit("http://127.0.0.1:2", address(0), MIN_STAKE, block.timestamp + 1, v, r, s);
        assertEq(nodes.node(id).stake, MIN_STAKE);
    }

    function test_register_reverts() public {
        vm.startPrank(bob);
        sahara.approve(address(nodes), type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.StakeTooLow.selector, MIN_STAKE - 1, MIN_STAKE));
        nodes.register("x", address(0), MIN_STAKE - 1);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.InvalidEndpoint.selector, 0));
        nodes.register("", address(0), MIN_STAKE);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.InvalidEndpoint.selector, 257));
        nodes.register(string(new bytes(257)), address(0), MIN_STAKE);
        vm.stopPrank();
    }

    function test_register_zeroMinStake_stillNeedsStake() public {
        vm.prank(admin);
        nodes.setMinStake(0);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.StakeTooLow.selector, 0, 0));
        nodes.register("x", address(0), 0);
    }

    function test_addStake() public {
        vm.startPrank(operator);
        sahara.approve(address(nodes), 5e18);
        vm.expectEmit(address(nodes));
        emit INodeRegistry.StakeAdded(nodeId, 5e18, MIN_STAKE + 5e18);
        nodes.addStake(nodeId, 5e18);
        vm.expectRevert(INodeRegistry.ZeroAmount.selector);
        nodes.addStake(nodeId, 0);
        nodes.requestExit(nodeId);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeNotActive.selector, nodeId));
        nodes.addStake(nodeId, 1);
        vm.stopPrank();
        assertEq(nodes.node(nodeId).stake, MIN_STAKE + 5e18);
    }

    function test_operatorOnly_reverts() public {
        vm.startPrank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotNodeOperator.selector, nodeId, nodeSigner));
        nodes.addStake(nodeId, 1);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotNodeOperator.selector, nodeId, nodeSigner));
        nodes.setEndpoint(nodeId, "y");
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotNodeOperator.selector, nodeId, nodeSigner));
        nodes.setSigner(nodeId, nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotNodeOperator.selector, nodeId, nodeSigner));
        nodes.serveAsset(nodeId, assetId, 1);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotNodeOperator.selector, nodeId, nodeSigner));
        nodes.stopServing(nodeId, assetId);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotNodeOperator.selector, nodeId, nodeSigner));
        nodes.requestExit(nodeId);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotNodeOperator.selector, nodeId, nodeSigner));
        nodes.withdrawStake(nodeId);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.UnknownNode.selector, 9));
        nodes.requestExit(9);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.UnknownNode.selector, 9));
        nodes.node(9);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.UnknownNode.selector, 9));
        nodes.authority(9);
        assertFalse(nodes.isActive(9));
    }

    function test_setEndpoint_setSigner() public {
        vm.startPrank(operator);
        vm.expectEmit(address(nodes));
        emit INodeRegistry.EndpointSet(nodeId, "http://127.0.0.1:9");
        nodes.setEndpoint(nodeId, "http://127.0.0.1:9");
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.InvalidEndpoint.selector, 0));
        nodes.setEndpoint(nodeId, "");
        vm.expectEmit(address(nodes));
        emit INodeRegistry.SignerSet(nodeId, alice);
        nodes.setSigner(nodeId, alice);
        vm.stopPrank();
        assertEq(nodes.node(nodeId).endpoint, "http://127.0.0.1:9");
        assertEq(nodes.node(nodeId).signer, alice);
        vm.prank(operator);
        nodes.setSigner(nodeId, address(0));
        assertEq(nodes.node(nodeId).signer, operator);
    }

    function test_serveAsset_stopServing() public {
        (bool serving, uint16 fee) = nodes.serviceOf(nodeId, assetId);
        assertTrue(serving);
        assertEq(fee, NODE_FEE_BPS);
        vm.startPrank(operator);
        vm.expectEmit(address(nodes));
        emit INodeRegistry.AssetServingStopped(nodeId, assetId);
        nodes.stopServing(nodeId, assetId);
        (serving, fee) = nodes.serviceOf(nodeId, assetId);
        assertFalse(serving);
        assertEq(fee, NODE_FEE_BPS);
        vm.expectEmit(address(nodes));
        emit INodeRegistry.AssetServed(nodeId, assetId, 3000);
        nodes.serveAsset(nodeId, assetId, 3000);
        (serving, fee) = nodes.serviceOf(nodeId, assetId);
        assertTrue(serving);
        assertEq(fee, 3000);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeFeeTooHigh.selector, 3001, 3000));
        nodes.serveAsset(nodeId, assetId, 3001);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.UnknownAsset.selector, 999));
        nodes.serveAsset(nodeId, 999, 0);
        nodes.requestExit(nodeId);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeNotActive.selector, nodeId));
        nodes.serveAsset(nodeId, assetId, 0);
        vm.stopPrank();
        (serving, fee) = nodes.serviceOf(nodeId, assetId + 1);
        assertFalse(serving);
        assertEq(fee, 0);
    }

    function test_exit_unbond_withdraw() public {
        vm.warp(1000);
        vm.expectEmit(address(nodes));
        emit INodeRegistry.ExitRequested(nodeId, uint64(1000 + UNBONDING));
        vm.prank(operator);
        nodes.requestExit(nodeId);
        assertTrue(nodes.node(nodeId).status == NodeStatus.Exiting);
        assertFalse(nodes.isActive(nodeId));
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeNotActive.selector, nodeId));
        nodes.requestExit(nodeId);

        vm.warp(1000 + UNBONDING - 1);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.StakeLocked.selector, nodeId, uint64(1000 + UNBONDING)));
        nodes.withdrawStake(nodeId);

        vm.warp(1000 + UNBONDING);
        uint256 before = sahara.balanceOf(operator);
        vm.expectEmit(address(nodes));
        emit INodeRegistry.StakeWithdrawn(nodeId, operator, MIN_STAKE);
        vm.prank(operator);
        nodes.withdrawStake(nodeId);
        assertEq(sahara.balanceOf(operator), before + MIN_STAKE);
        assertEq(sahara.balanceOf(address(nodes)), 0);
        Node memory n = nodes.node(nodeId);
        assertTrue(n.status == NodeStatus.Exited);
        assertEq(n.stake, 0);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeNotExiting.selector, nodeId));
        nodes.withdrawStake(nodeId);
    }

    function test_withdrawStake_active_reverts() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeNotExiting.selector, nodeId));
        nodes.withdrawStake(nodeId);
    }

    function test_admin_setters() public {
        vm.startPrank(admin);
        vm.expectEmit(address(nodes));
        emit INodeRegistry.MinStakeSet(5);
        nodes.setMinStake(5);
        vm.expectEmit(address(nodes));
        emit INodeRegistry.UnbondingDelaySet(1 hours);
        nodes.setUnbondingDelay(1 hours);
        vm.expectEmit(address(nodes));
        emit INodeRegistry.MaxNodeFeeBpsSet(5000);
        nodes.setMaxNodeFeeBps(5000);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.SettingOutOfRange.selector, 5001, 5000));
        nodes.setMaxNodeFeeBps(5001);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.SettingOutOfRange.selector, 366 days, 365 days));
        nodes.setUnbondingDelay(366 days);
        vm.expectRevert(
            abi.encodeWithSelector(INodeRegistry.SettingOutOfRange.selector, uint256(1) << 128, type(uint128).max)
        );
        nodes.setMinStake(uint256(1) << 128);
        vm.stopPrank();
        assertEq(nodes.minStake(), 5);
        assertEq(nodes.unbondingDelay(), 1 hours);
        assertEq(nodes.maxNodeFeeBps(), 5000);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", alice));
        nodes.setMinStake(1);
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", alice));
        nodes.setUnbondingDelay(1);
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", alice));
        nodes.setMaxNodeFeeBps(1);
        vm.stopPrank();
    }

    function test_upgrade_onlyOwner_keepsState() public {
        NodeRegistry next = new NodeRegistry();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", alice));
        nodes.upgradeToAndCall(address(next), "");
        vm.prank(admin);
        nodes.upgradeToAndCall(address(next), "");
        assertEq(nodes.node(nodeId).operator, operator);
    }

    function test_loweringMaxFee_keepsExistingFee() public {
        vm.prank(admin);
        nodes.setMaxNodeFeeBps(500);
        (, uint16 fee) = nodes.serviceOf(nodeId, assetId);
        assertEq(fee, NODE_FEE_BPS);
    }
}
