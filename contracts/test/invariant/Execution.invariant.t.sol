// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ExecutionFixture} from "../utils/ExecutionFixture.sol";
import {ChannelsHandler} from "./handlers/ChannelsHandler.sol";
import {NodeStakeHandler} from "./handlers/NodeStakeHandler.sol";
import {Channel, ChannelStatus, Node, NodeStatus} from "../../src/types/ExecutionTypes.sol";

/// @notice Conservation and safety of PaymentChannels under random channel lifecycles.
contract ChannelsInvariantTest is ExecutionFixture {
    ChannelsHandler internal handler;

    function setUp() public override {
        super.setUp();
        uint256 asset2 = _registerAsset(dave, 2);
        vm.prank(operator);
        nodes.serveAsset(nodeId, asset2, 2500);
        handler = new ChannelsHandler(
            channels, address(vault), operator, nodeSigner, nodeId, [address(usdt), address(sahara)], [assetId, asset2]
        );
        address[3] memory ps = handler.payers();
        for (uint256 i; i < 3; ++i) {
            _mintUsdt(ps[i], 10_000_000e6);
            sahara.transfer(ps[i], 100_000_000e6);
            vm.startPrank(ps[i]);
            usdt.approve(address(channels), type(uint256).max);
            sahara.approve(address(channels), type(uint256).max);
            vm.stopPrank();
        }
        bytes4[] memory selectors = new bytes4[](7);
        selectors[0] = ChannelsHandler.open.selector;
        selectors[1] = ChannelsHandler.topUp.selector;
        selectors[2] = ChannelsHandler.settle.selector;
        selectors[3] = ChannelsHandler.requestClose.selector;
        selectors[4] = ChannelsHandler.release.selector;
        selectors[5] = ChannelsHandler.withdraw.selector;
        selectors[6] = ChannelsHandler.warp.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev The handler really moves money (guards against a campaign that only ever skips).
    function test_handler_settles() public {
        handler.open(0, 0, 10e6);
        handler.open(1, 1, 10e6);
        handler.settle(ChannelsHandler.SettleArgs(0, 0, 0, 3e6, 2, 1000, 1, true));
        handler.settle(ChannelsHandler.SettleArgs(1, 1, 1, 4e6, 0, 0, 1, false));
        assertEq(handler.settledEntries(), 2);
        assertGt(handler.ghostToVault(address(usdt)), 0);
        assertGt(handler.ghostToVault(address(sahara)), 0);
        invariant_channels();
    }

    function invariant_channels() public view {
        address[2] memory tokens = [address(usdt), address(sahara)];
        uint256 n = handler.channelCount();
        for (uint256 t; t < 2; ++t) {
            address token = tokens[t];
            uint256 deposits;
            uint256 settled;
            uint256 locked;
            for (uint256 i; i < n; ++i) {
                Channel memory c = channels.channel(handler.channelIds(i));
                if (c.token != token) continue;
                deposits += c.deposit;
                settled += c.settled;
                assertLe(c.settled, c.deposit, "channel settled > deposit");
                if (c.status != ChannelStatus.Closed) locked += c.deposit - c.settled;
            }
            uint256 held = IERC20(token).balanceOf(address(channels));
            // deposits + top-ups == settled to the vault + node fees + refunded + locked, to the wei.
            assertEq(
                handler.ghostIn(token),
                handler.ghostToVault(token) + handler.ghostNodeFees(token) + handler.ghostRefunded(token) + held,
                "conservation"
            );
            assertEq(held, locked, "held != locked");
            assertEq(deposits, handler.ghostIn(token), "deposits");
            assertEq(settled, handler.ghostToVault(token) + handler.ghostNodeFees(token), "settled != vault + fees");
        }
        // Per lane: never above what a signed voucher allows; the lanes add up to the channel.
        for (uint256 i; i < n; ++i) {
            uint256 id = handler.channelIds(i);
            bytes32[] memory keys = handler.laneKeys(id);
            uint256 sum;
            for (uint256 k; k < keys.length; ++k) {
                (uint256 asset, uint256 lane,) = handler.laneOf(keys[k]);
                uint256 s = channels.laneSettled(id, asset, lane);
                assertLe(s, handler.ghostMaxAllowed(keys[k]), "lane above allowed");
                sum += s;
            }
            assertEq(sum, channels.channel(id).settled, "lanes != channel settled");
        }
        assertEq(handler.ghostSettledAfterClose(), 0, "settled after closesAt");
        assertEq(handler.ghostResubmitChanged(), 0, "resubmission changed state");
        assertEq(handler.ghostAboveAllowed(), 0, "lane above allowed (at settle)");
    }
}

/// @notice NodeRegistry stake accounting: the SAHARA held equals the stakes not withdrawn.
contract NodeStakeInvariantTest is ExecutionFixture {
    NodeStakeHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new NodeStakeHandler(nodes, sahara);
        address[4] memory ops = handler.operators();
        for (uint256 i; i < 4; ++i) {
            sahara.transfer(ops[i], 10_000_000e18);
            vm.prank(ops[i]);
            sahara.approve(address(nodes), type(uint256).max);
        }
        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = NodeStakeHandler.register.selector;
        selectors[1] = NodeStakeHandler.addStake.selector;
        selectors[2] = NodeStakeHandler.requestExit.selector;
        selectors[3] = NodeStakeHandler.withdrawStake.selector;
        selectors[4] = NodeStakeHandler.setMinStake.selector;
        selectors[5] = NodeStakeHandler.warp.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    function invariant_stakes() public view {
        uint256 sum = MIN_STAKE; // the fixture's node
        uint256 n = handler.nodeCount();
        for (uint256 i; i < n; ++i) {
            uint256 id = handler.nodeIds(i);
            Node memory node = nodes.node(id);
            assertEq(node.stake, handler.ghostStake(id), "stake != ghost");
            if (node.status == NodeStatus.Exited) assertEq(node.stake, 0, "exited node keeps stake");
            sum += node.stake;
        }
        assertEq(sahara.balanceOf(address(nodes)), sum, "balance != sum of stakes");
        assertEq(sahara.balanceOf(address(nodes)), MIN_STAKE + handler.ghostStaked() - handler.ghostWithdrawn(), "ghost");
        assertEq(handler.ghostEarlyWithdraw(), 0, "stake withdrawn early");
    }
}
