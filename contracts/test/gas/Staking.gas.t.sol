// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {StakingFixture} from "../utils/StakingFixture.sol";
import {NodeStaking} from "../../src/execution/NodeStaking.sol";

/// @notice One delegator: a contract that delegates the SAHARA it was sent, in its constructor.
contract SwarmMember {
    constructor(NodeStaking staking, IERC20 sahara, uint256 nodeId, uint256 amount) {
        sahara.approve(address(staking), amount);
        staking.delegate(nodeId, amount);
    }
}

/// @notice Creates many real delegators per transaction (CREATE2 members funded before creation),
///         so 100,000 delegators take 100 transactions instead of 300,000 under `--isolate`.
contract DelegatorSwarm {
    NodeStaking internal immutable _staking;
    IERC20 internal immutable _sahara;
    uint256 internal immutable _nodeId;
    uint256 internal immutable _amount;
    bytes32 internal immutable _initHash;

    constructor(NodeStaking staking, IERC20 sahara, uint256 nodeId, uint256 amount) {
        _staking = staking;
        _sahara = sahara;
        _nodeId = nodeId;
        _amount = amount;
        _initHash = keccak256(abi.encodePacked(type(SwarmMember).creationCode, abi.encode(staking, sahara, nodeId, amount)));
    }

    function populate(uint256 from, uint256 count) external {
        for (uint256 i = from; i < from + count; ++i) {
            bytes32 salt = bytes32(i);
            address member =
                address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, _initHash)))));
            _sahara.transfer(member, _amount);
            new SwarmMember{salt: salt}(_staking, _sahara, _nodeId, _amount);
        }
    }
}

/// @notice Gas of the staking paths with 1, 1,000 and 100,000 delegators on one node (the point:
///         the cost is flat). Every delegator is a real `delegate` call from its own address.
/// @dev `bench/run.ts --only=staking` runs `forge test --match-contract StakingGasTest --isolate -vv`
///      (each measured call its own transaction) and parses the `staking N=<n> <step>: <gas>` lines
///      into bench/results/staking.json. Setup runs with gas metering paused.
contract StakingGasTest is StakingFixture {
    uint256 internal constant PER_DELEGATOR = 10e18;

    event log_named_uint(string key, uint256 val);

    function _measured() internal returns (uint256 g) {
        vm.pauseGasMetering();
        g = vm.lastCallGas().gasTotalUsed;
    }

    function _log(uint256 n, string memory step, uint256 g) internal {
        emit log_named_uint(string.concat("staking N=", vm.toString(n), " ", step), g);
    }

    /// @dev `n` delegators on the fixture node; alice is the first, the rest are swarm contracts.
    function _populate(uint256 n) internal {
        vm.pauseGasMetering();
        _delegate(alice, nodeId, 1000e18);
        if (n > 1) {
            DelegatorSwarm swarm = new DelegatorSwarm(staking, IERC20(address(sahara)), nodeId, PER_DELEGATOR);
            sahara.transfer(address(swarm), (n - 1) * PER_DELEGATOR);
            uint256 batch = 1000;
            for (uint256 from = 1; from < n; from += batch) {
                swarm.populate(from, from + batch <= n ? batch : n - from);
            }
        }
        (uint256 pooled,) = staking.totalDelegated();
        require(pooled == 1000e18 + (n - 1) * PER_DELEGATOR, "populate: pool");
        // SAHARA emissions running, a fee share already distributed once (warm, realistic state)
        sahara.approve(address(staking), 1_000_000e18);
        staking.fundEmissions(1_000_000e18);
        vm.prank(admin);
        staking.setEmissionSchedule(1e18, uint64(block.timestamp), uint64(block.timestamp) + 365 days);
        _mintUsdt(address(this), 10_000e6);
        usdt.approve(address(staking), type(uint256).max);
        staking.notifyFees(address(usdt), 1000e6);
        vm.prank(operator);
        staking.claimRewards(nodeId);
        vm.warp(block.timestamp + 1 hours);
    }

    function _run(uint256 n) internal {
        _populate(n);
        // notifyFees: a fee share spread over all stake (one index update)
        vm.resumeGasMetering();
        staking.notifyFees(address(usdt), 1000e6);
        _log(n, "notifyFees", _measured());
        // one delegator claims (node accrual + its two reward tokens)
        vm.warp(block.timestamp + 1 hours);
        vm.prank(alice);
        vm.resumeGasMetering();
        staking.claimRewards(nodeId);
        _log(n, "claimRewards", _measured());
        // a new delegator joins
        address newcomer = makeAddr("newcomer");
        sahara.transfer(newcomer, 100e18);
        vm.prank(newcomer);
        sahara.approve(address(staking), 100e18);
        vm.warp(block.timestamp + 1 hours);
        vm.prank(newcomer);
        vm.resumeGasMetering();
        staking.delegate(nodeId, 100e18);
        _log(n, "delegate", _measured());
        // emission accrual: a touch after an hour of emissions
        vm.warp(block.timestamp + 1 hours);
        vm.resumeGasMetering();
        staking.onSelfBondChanged(nodeId);
        _log(n, "emissionAccrual", _measured());
        // undelegate half of alice's stake
        vm.warp(block.timestamp + 1 hours);
        vm.prank(alice);
        vm.resumeGasMetering();
        staking.undelegate(nodeId, 500e18);
        _log(n, "undelegate", _measured());
        // withdraw it after the unbonding delay
        vm.warp(block.timestamp + STAKE_UNBONDING);
        vm.prank(alice);
        vm.resumeGasMetering();
        staking.withdrawUnbonded(nodeId);
        _log(n, "withdrawUnbonded", _measured());
        // governance slash of the node (self bond, pool, unbonding pool) + jail
        vm.prank(admin);
        vm.resumeGasMetering();
        staking.slash(nodeId, 1000, "bench");
        _log(n, "slash", _measured());
        vm.resumeGasMetering();
    }

    function test_gas_staking_1() public {
        _run(1);
    }

    function test_gas_staking_1000() public {
        _run(1000);
    }

    function test_gas_staking_100000() public {
        _run(100_000);
    }
}
