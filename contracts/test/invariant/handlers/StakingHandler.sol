// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {NodeStaking} from "../../../src/execution/NodeStaking.sol";
import {NodeRegistry} from "../../../src/execution/NodeRegistry.sol";
import {NodeStake, UnbondingEntry} from "../../../src/types/StakingTypes.sol";

/// @notice Drives NodeStaking through random delegations, undelegations, withdrawals, claims, fee
///         notifications, emissions, slashes, unjails, operator bond top-ups and time jumps on two
///         nodes, keeping ghost totals of everything that entered and left.
contract StakingHandler is Test {
    NodeStaking public immutable staking;
    NodeRegistry public immutable nodes;
    IERC20 public immutable sahara;
    IERC20 public immutable usdt;
    address public immutable admin;
    address public immutable treasury;

    address[3] internal _actors;
    address[2] internal _operators;
    uint256[2] internal _nodeIds;

    mapping(address actor => uint256) public ghostDeposited;
    mapping(address actor => uint256) public ghostWithdrawn;
    mapping(address token => uint256) public ghostRewardsIn; // notified fees
    mapping(address token => uint256) public ghostClaimed;
    uint256 public ghostEmissionFunded;
    uint256 public ghostSlashed; // sent to the treasury by slashes
    uint256 public ghostSlashAboveStake; // must stay 0
    uint256 public ghostDistributions; // notify + emission-bearing touches (dust bound)
    uint256 public calls;

    constructor(
        NodeStaking staking_,
        NodeRegistry nodes_,
        IERC20 sahara_,
        IERC20 usdt_,
        address admin_,
        address treasury_,
        address[2] memory operators_,
        uint256[2] memory nodeIds_
    ) {
        staking = staking_;
        nodes = nodes_;
        sahara = sahara_;
        usdt = usdt_;
        admin = admin_;
        treasury = treasury_;
        _operators = operators_;
        _nodeIds = nodeIds_;
        for (uint256 i; i < 3; ++i) {
            _actors[i] = makeAddr(string.concat("stakingActor", vm.toString(i)));
        }
    }

    function actors() external view returns (address[3] memory) {
        return _actors;
    }

    function operators() external view returns (address[2] memory) {
        return _operators;
    }

    function nodeIds() external view returns (uint256[2] memory) {
        return _nodeIds;
    }

    function delegate(uint256 actorSeed, uint256 nodeSeed, uint256 amount) external {
        ++calls;
        address a = _actors[actorSeed % 3];
        uint256 id = _nodeIds[nodeSeed % 2];
        (, , bool active) = nodes.bondOf(id);
        if (!active || staking.isJailed(id)) return;
        amount = bound(amount, 1, 50_000e18);
        vm.startPrank(a);
        sahara.approve(address(staking), amount);
        staking.delegate(id, amount);
        vm.stopPrank();
        ghostDeposited[a] += amount;
        ++ghostDistributions;
    }

    function undelegate(uint256 actorSeed, uint256 nodeSeed, uint256 fracBps) external {
        ++calls;
        address a = _actors[actorSeed % 3];
        uint256 id = _nodeIds[nodeSeed % 2];
        (uint256 shares, uint256 value) = staking.delegation(id, a);
        shares = shares * bound(fracBps, 1, 10_000) / 10_000;
        if (shares == 0 || value == 0) return;
        (NodeStake memory s) = staking.nodeStake(id);
        if (shares * s.delegated / s.delegatedShares == 0) return;
        (, uint256[] memory values) = staking.unbondingEntries(id, a);
        if (values.length == staking.MAX_UNBONDING_ENTRIES()) return;
        vm.prank(a);
        staking.undelegate(id, shares);
        ++ghostDistributions;
    }

    function withdraw(uint256 actorSeed, uint256 nodeSeed) external {
        ++calls;
        address a = _actors[actorSeed % 3];
        uint256 id = _nodeIds[nodeSeed % 2];
        (UnbondingEntry[] memory entries,) = staking.unbondingEntries(id, a);
        if (entries.length == 0 || entries[0].maturesAt > block.timestamp) return;
        uint256 before = sahara.balanceOf(a);
        vm.prank(a);
        uint256 got = staking.withdrawUnbonded(id);
        require(sahara.balanceOf(a) == before + got, "withdraw: paid != returned");
        ghostWithdrawn[a] += got;
    }

    function claim(uint256 callerSeed, uint256 nodeSeed) external {
        ++calls;
        uint256 id = _nodeIds[nodeSeed % 2];
        uint256 k = callerSeed % 5;
        address who = k < 3 ? _actors[k] : _operators[k - 3];
        uint256 s0 = sahara.balanceOf(who);
        uint256 u0 = usdt.balanceOf(who);
        vm.prank(who);
        uint256[] memory got = staking.claimRewards(id);
        require(sahara.balanceOf(who) == s0 + got[0], "claim: SAHARA paid != returned");
        require(usdt.balanceOf(who) == u0 + got[1], "claim: USDT paid != returned");
        ghostClaimed[address(sahara)] += got[0];
        ghostClaimed[address(usdt)] += got[1];
        ++ghostDistributions;
    }

    function notify(uint256 tokenSeed, uint256 amount) external {
        ++calls;
        IERC20 token = tokenSeed % 2 == 0 ? sahara : usdt;
        amount = bound(amount, 1, tokenSeed % 2 == 0 ? 10_000e18 : 10_000e6);
        token.approve(address(staking), amount);
        staking.notifyFees(address(token), amount);
        ghostRewardsIn[address(token)] += amount;
        ++ghostDistributions;
    }

    function fundEmissions(uint256 amount) external {
        ++calls;
        amount = bound(amount, 1, 10_000e18);
        sahara.approve(address(staking), amount);
        staking.fundEmissions(amount);
        ghostEmissionFunded += amount;
        ++ghostDistributions;
    }

    function warp(uint256 dt) external {
        ++calls;
        vm.warp(block.timestamp + bound(dt, 1, 10 days));
    }

    function slash(uint256 nodeSeed, uint256 bps) external {
        ++calls;
        uint256 id = _nodeIds[nodeSeed % 2];
        bps = bound(bps, 1, staking.MAX_SLASH_BPS());
        staking.onSelfBondChanged(id);
        NodeStake memory s = staking.nodeStake(id);
        uint256 stake = s.selfBond + s.delegated + s.unbonding;
        uint256 t0 = sahara.balanceOf(treasury);
        vm.prank(admin);
        staking.slash(id, uint16(bps), "handler");
        uint256 cut = sahara.balanceOf(treasury) - t0;
        if (cut > stake || cut > stake * bps / 10_000) ++ghostSlashAboveStake;
        ghostSlashed += cut;
        ghostDistributions += 2;
    }

    function unjail(uint256 nodeSeed) external {
        ++calls;
        uint256 i = nodeSeed % 2;
        uint256 id = _nodeIds[i];
        NodeStake memory s = staking.nodeStake(id);
        if (!s.jailed || block.timestamp < s.jailedUntil) return;
        (, uint256 bond, bool active) = nodes.bondOf(id);
        uint256 minStake = nodes.minStake();
        address op = _operators[i];
        if (bond < minStake && active) {
            uint256 top = minStake - bond;
            vm.startPrank(op);
            sahara.approve(address(nodes), top);
            nodes.addStake(id, top);
            vm.stopPrank();
        }
        if (!active) return;
        vm.prank(op);
        staking.unjail(id);
        ++ghostDistributions;
    }

    function addStake(uint256 nodeSeed, uint256 amount) external {
        ++calls;
        uint256 i = nodeSeed % 2;
        amount = bound(amount, 1, 5_000e18);
        vm.startPrank(_operators[i]);
        sahara.approve(address(nodes), amount);
        nodes.addStake(_nodeIds[i], amount);
        vm.stopPrank();
        ++ghostDistributions;
    }
}
