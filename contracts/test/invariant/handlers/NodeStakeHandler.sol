// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {NodeRegistry} from "../../../src/execution/NodeRegistry.sol";
import {Node, NodeStatus} from "../../../src/types/ExecutionTypes.sol";

/// @notice Drives NodeRegistry stake flows (register, addStake, requestExit, withdrawStake, time
///         jumps, min stake changes) and keeps the expected stake of every node.
contract NodeStakeHandler is Test {
    NodeRegistry public immutable nodes;
    IERC20 public immutable sahara;
    address[4] internal _operators;

    uint256[] public nodeIds;
    mapping(uint256 nodeId => uint256) public ghostStake;
    uint256 public ghostStaked;
    uint256 public ghostWithdrawn;
    uint256 public ghostEarlyWithdraw; // must stay 0

    constructor(NodeRegistry nodes_, IERC20 sahara_) {
        nodes = nodes_;
        sahara = sahara_;
        for (uint256 i; i < 4; ++i) {
            _operators[i] = makeAddr(string.concat("stakeOperator", vm.toString(i)));
        }
    }

    function operators() external view returns (address[4] memory) {
        return _operators;
    }

    function nodeCount() external view returns (uint256) {
        return nodeIds.length;
    }

    function register(uint256 opSeed, uint256 stake) external {
        address op = _operators[opSeed % 4];
        stake = bound(stake, nodes.minStake(), nodes.minStake() + 10_000e18);
        if (stake == 0) stake = 1;
        vm.prank(op);
        uint256 id = nodes.register("http://127.0.0.1:1", address(0), stake);
        nodeIds.push(id);
        ghostStake[id] = stake;
        ghostStaked += stake;
    }

    function addStake(uint256 nodeSeed, uint256 amount) external {
        if (nodeIds.length == 0) return;
        uint256 id = nodeIds[nodeSeed % nodeIds.length];
        Node memory n = nodes.node(id);
        if (n.status != NodeStatus.Active) return;
        amount = bound(amount, 1, 5_000e18);
        vm.prank(n.operator);
        nodes.addStake(id, amount);
        ghostStake[id] += amount;
        ghostStaked += amount;
    }

    function requestExit(uint256 nodeSeed) external {
        if (nodeIds.length == 0) return;
        uint256 id = nodeIds[nodeSeed % nodeIds.length];
        Node memory n = nodes.node(id);
        if (n.status != NodeStatus.Active) return;
        vm.prank(n.operator);
        nodes.requestExit(id);
    }

    function withdrawStake(uint256 nodeSeed) external {
        if (nodeIds.length == 0) return;
        uint256 id = nodeIds[nodeSeed % nodeIds.length];
        Node memory n = nodes.node(id);
        uint256 before = sahara.balanceOf(n.operator);
        vm.prank(n.operator);
        try nodes.withdrawStake(id) {
            if (n.status != NodeStatus.Exiting || block.timestamp < n.unlockAt) ++ghostEarlyWithdraw;
            uint256 got = sahara.balanceOf(n.operator) - before;
            ghostWithdrawn += got;
            ghostStake[id] -= got;
        } catch {}
    }

    function setMinStake(uint256 value) external {
        vm.prank(nodes.owner());
        nodes.setMinStake(bound(value, 0, 5_000e18));
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 0, 10 days));
    }
}
