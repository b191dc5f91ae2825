// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {PaymentChannels} from "../../../src/execution/PaymentChannels.sol";
import {Channel, ChannelStatus, Voucher, SettleEntry} from "../../../src/types/ExecutionTypes.sol";

/// @notice Drives PaymentChannels with random opens, top-ups, settlements (fresh, stale, expired,
///         hash-chain tails, resubmissions), close requests, releases, withdrawals and time jumps,
///         in two tokens. Ghosts record every wei that entered and left and, per lane, the highest
///         amount any voucher the payers signed allows. Safety counters must stay 0.
contract ChannelsHandler is Test {
    PaymentChannels public immutable channels;
    address public immutable vault;
    address public immutable operator;
    address public immutable nodeSigner;
    uint256 public immutable nodeId;
    address[2] internal _tokens;
    uint256[2] internal _assets;
    address[3] internal _payers;
    uint256[3] internal _keys;

    bytes32 internal constant VOUCHER_TYPEHASH = keccak256(
        "Voucher(uint256 channelId,uint256 lane,uint256 assetId,uint256 cumulative,bytes32 anchor,uint256 unitPrice,uint256 maxUnits,uint256 expiresAt)"
    );
    uint256 internal constant CHAIN = 8;

    uint256[] public channelIds;
    mapping(uint256 channelId => uint256) public payerOf; // index into _payers
    mapping(address token => uint256) public ghostIn;
    mapping(address token => uint256) public ghostToVault;
    mapping(address token => uint256) public ghostNodeFees;
    mapping(address token => uint256) public ghostRefunded;
    /// @dev Highest amount any voucher signed for a lane allows (cumulative + m * unitPrice).
    mapping(bytes32 laneKey => uint256) public ghostMaxAllowed;
    mapping(uint256 channelId => bytes32[]) internal _laneKeys;
    mapping(bytes32 laneKey => bool) internal _laneSeen;
    mapping(bytes32 laneKey => uint256[3]) internal _laneOf; // assetId, lane, channelId

    // ---- safety counters (must stay 0)
    uint256 public ghostSettledAfterClose;
    uint256 public ghostResubmitChanged;
    uint256 public ghostAboveAllowed;

    uint256 public settleCalls;
    uint256 public settledEntries;

    constructor(
        PaymentChannels channels_,
        address vault_,
        address operator_,
        address nodeSigner_,
        uint256 nodeId_,
        address[2] memory tokens_,
        uint256[2] memory assets_
    ) {
        channels = channels_;
        vault = vault_;
        operator = operator_;
        nodeSigner = nodeSigner_;
        nodeId = nodeId_;
        _tokens = tokens_;
        _assets = assets_;
        for (uint256 i; i < 3; ++i) {
            (_payers[i], _keys[i]) = makeAccount(string.concat("channelPayer", vm.toString(i)));
        }
    }

    /// @dev The test contract funds the payers and approves the channels for them.
    function payers() external view returns (address[3] memory) {
        return _payers;
    }

    function channelCount() external view returns (uint256) {
        return channelIds.length;
    }

    function laneKeys(uint256 channelId) external view returns (bytes32[] memory) {
        return _laneKeys[channelId];
    }

    function laneOf(bytes32 key) external view returns (uint256 assetId, uint256 lane, uint256 channelId) {
        uint256[3] memory l = _laneOf[key];
        return (l[0], l[1], l[2]);
    }

    // ------------------------------------------------------------------ actions

    function open(uint256 payerSeed, uint256 tokenSeed, uint256 amount) external {
        uint256 p = payerSeed % 3;
        address token = _tokens[tokenSeed % 2];
        amount = bound(amount, 1, 50e6);
        vm.prank(_payers[p]);
        uint256 id = channels.open(nodeId, token, amount, address(0));
        channelIds.push(id);
        payerOf[id] = p;
        ghostIn[token] += amount;
    }

    function topUp(uint256 channelSeed, uint256 payerSeed, uint256 amount) external {
        if (channelIds.length == 0) return;
        uint256 id = channelIds[channelSeed % channelIds.length];
        Channel memory c = channels.channel(id);
        if (c.status != ChannelStatus.Open) return;
        amount = bound(amount, 1, 20e6);
        vm.prank(_payers[payerSeed % 3]);
        channels.topUp(id, amount);
        ghostIn[c.token] += amount;
    }

    struct SettleArgs {
        uint256 channelSeed;
        uint256 laneSeed;
        uint256 assetSeed;
        uint256 increase;
        uint256 units;
        uint256 unitPrice;
        uint256 expirySeed;
        bool resubmit;
    }

    function settle(SettleArgs memory a) external {
        if (channelIds.length == 0) return;
        (bytes32 key, SettleEntry[] memory es) = _build(a);
        _run(key, es, a.resubmit);
    }

    function _build(SettleArgs memory a) internal returns (bytes32 key, SettleEntry[] memory es) {
        uint256 id = channelIds[a.channelSeed % channelIds.length];
        Voucher memory v;
        v.channelId = id;
        v.lane = a.laneSeed % 3;
        v.assetId = _assets[a.assetSeed % 2];
        key = keccak256(abi.encode(id, v.assetId, v.lane));
        uint256 settledNow = channels.laneSettled(id, v.assetId, v.lane);
        // Mostly above what is settled, sometimes below (stale).
        uint256 base = a.increase % 5 == 0 ? settledNow / 2 : settledNow;
        v.cumulative = base + bound(a.increase, 0, 5e6);
        v.unitPrice = bound(a.unitPrice, 0, 1e5);
        v.maxUnits = CHAIN;
        uint256 m = bound(a.units, 0, CHAIN);
        bytes32 seed = keccak256(abi.encode(key, a.increase));
        v.anchor = _hashN(seed, CHAIN);
        // 1 in 6 vouchers already expired.
        v.expiresAt = a.expirySeed % 6 == 0 ? block.timestamp - 1 : block.timestamp + bound(a.expirySeed, 0, 3 days);
        es = new SettleEntry[](1);
        es[0] = SettleEntry(v, m, _hashN(seed, CHAIN - m), _sign(_keys[payerOf[id]], v));

        uint256 allowed = v.cumulative + m * v.unitPrice;
        if (allowed > ghostMaxAllowed[key] && block.timestamp <= v.expiresAt) ghostMaxAllowed[key] = allowed;
        if (!_laneSeen[key]) {
            _laneSeen[key] = true;
            _laneKeys[id].push(key);
            _laneOf[key] = [v.assetId, v.lane, id];
        }
    }

    function _run(bytes32 key, SettleEntry[] memory es, bool resubmit) internal {
        uint256 id = es[0].voucher.channelId;
        Channel memory before = channels.channel(id);
        uint256 vaultBefore = IERC20(before.token).balanceOf(vault);
        uint256 opBefore = IERC20(before.token).balanceOf(operator);
        vm.prank(nodeSigner);
        channels.settle(nodeId, before.token, es, bytes32(0), 0);
        ++settleCalls;
        uint256 settledAfter = channels.channel(id).settled;
        ghostToVault[before.token] += IERC20(before.token).balanceOf(vault) - vaultBefore;
        ghostNodeFees[before.token] += IERC20(before.token).balanceOf(operator) - opBefore;
        if (settledAfter != before.settled) {
            ++settledEntries;
            if (before.status != ChannelStatus.Open && block.timestamp >= before.closesAt) ++ghostSettledAfterClose;
        }
        if (channels.laneSettled(id, es[0].voucher.assetId, es[0].voucher.lane) > ghostMaxAllowed[key]) {
            ++ghostAboveAllowed;
        }
        if (resubmit) {
            // The same entry again must change nothing.
            vm.prank(nodeSigner);
            channels.settle(nodeId, before.token, es, bytes32(0), 0);
            if (channels.channel(id).settled != settledAfter) ++ghostResubmitChanged;
        }
    }

    function requestClose(uint256 channelSeed) external {
        if (channelIds.length == 0) return;
        uint256 id = channelIds[channelSeed % channelIds.length];
        if (channels.channel(id).status != ChannelStatus.Open) return;
        vm.prank(_payers[payerOf[id]]);
        channels.requestClose(id);
    }

    function release(uint256 channelSeed) external {
        if (channelIds.length == 0) return;
        uint256 id = channelIds[channelSeed % channelIds.length];
        if (channels.channel(id).status == ChannelStatus.Closed) return;
        vm.prank(operator);
        channels.release(id);
    }

    function withdraw(uint256 channelSeed) external {
        if (channelIds.length == 0) return;
        uint256 id = channelIds[channelSeed % channelIds.length];
        Channel memory c = channels.channel(id);
        if (c.status != ChannelStatus.Closing || block.timestamp < c.closesAt) return;
        address p = _payers[payerOf[id]];
        uint256 before = IERC20(c.token).balanceOf(p);
        vm.prank(p);
        channels.withdraw(id);
        ghostRefunded[c.token] += IERC20(c.token).balanceOf(p) - before;
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 0, 2 days));
    }

    // ------------------------------------------------------------------ helpers

    function _hashN(bytes32 x, uint256 k) internal pure returns (bytes32) {
        for (uint256 i; i < k; ++i) {
            x = sha256(abi.encodePacked(x));
        }
        return x;
    }

    function _sign(uint256 key, Voucher memory v) internal view returns (bytes memory) {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Sahara PaymentChannels"),
                keccak256("1"),
                block.chainid,
                address(channels)
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", domain, keccak256(abi.encode(VOUCHER_TYPEHASH, v))));
        (uint8 sv, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, sv);
    }
}
