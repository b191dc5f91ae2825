// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ExecutionFixture} from "../utils/ExecutionFixture.sol";
import {Voucher, SettleEntry} from "../../src/types/ExecutionTypes.sol";

/// @notice Gas of the execution paths in steady state (token balances, vault slots and the lanes
///         being settled already non-zero, as after the first settlement of a channel).
/// @dev Run with `forge test --match-contract ExecutionGasTest --isolate -vv`: with --isolate every
///      top-level call is its own transaction, so `lastCallGas` is the whole transaction (21000
///      base + calldata + execution with cold accounts and slots) and the budgets are enforced.
///      Without --isolate (the snapshot) the numbers are lower and only reported.
contract ExecutionGasTest is ExecutionFixture {
    event log_named_uint(string key, uint256 val);

    uint256 internal constant PRICE = 1000;
    /// @notice Budget of a settlement with one voucher entry (m = 0) and a new receipts root
    ///         (~58k of it is the vault's transfer + creditReceived, 22k the root's new slot).
    uint256 internal constant SETTLE_1_BUDGET = 180_000;
    /// @notice Same without a receipts root.
    uint256 internal constant SETTLE_1_NOROOT_BUDGET = 160_000;
    /// @notice Per extra channel in one settlement (m = 0, same asset).
    uint256 internal constant SETTLE_PER_ENTRY_BUDGET = 30_000;

    /// @notice 8 lanes of one channel, m = 0, new receipts root: the 300 gas/call target at 1,000 calls.
    uint256 internal constant SETTLE_8_LANES_BUDGET = 300_000;

    /// @notice payExact of a pair's first payment (receiver clone deployed in the same call).
    uint256 internal constant PAY_EXACT_FIRST_BUDGET = 250_000;
    /// @notice payExact with the pair's receiver already deployed.
    uint256 internal constant PAY_EXACT_BUDGET = 200_000;
    /// @notice sweep of a deployed receiver.
    uint256 internal constant SWEEP_BUDGET = 150_000;

    bool internal _isolatedRun;
    uint256 internal _rootNonce;

    function setUp() public override {
        super.setUp();
        // Steady state: the vault already holds revenue of this asset and the treasury fee pool is
        // non-zero; the operator already holds USDT (funded by the fixture).
        _pay(bob, assetId, address(usdt), 1e6);
    }

    /// @dev Also pauses gas metering: each test meters only its measured call (`_measured`), so
    ///      the snapshot tracks that call rather than the preparation.
    function _detect() internal {
        // A no-op state-changing call: ~7k gas normally, > 21000 when it is its own transaction.
        vault.flushRoyalties(0, address(usdt));
        _isolatedRun = vm.lastCallGas().gasTotalUsed > 21_000;
        vm.pauseGasMetering();
    }

    function _report(string memory key, uint256 gasUsed, uint256 budget) internal {
        emit log_named_uint(key, gasUsed);
        if (_isolatedRun && budget != 0) assertLe(gasUsed, budget, key);
    }

    /// @dev n channels with lane 0 already settled once (so the measured settlement rewrites
    ///      non-zero slots) and their next entries (m = 0, +1 USDT each).
    function _prepare(uint256 n, uint256 units, uint256 chainLen) internal returns (SettleEntry[] memory es) {
        es = new SettleEntry[](n);
        SettleEntry[] memory warm = new SettleEntry[](n);
        bytes32 seed = keccak256("seed");
        (bytes32 anchor, bytes32 x) = units == 0 ? (bytes32(0), bytes32(0)) : _chain(seed, chainLen, units);
        for (uint256 i; i < n; ++i) {
            uint256 id = _open(100e6);
            warm[i] = _entry(_voucher(id, 0, 1e6, bytes32(0), 0, 0), 0, 0);
            es[i] = _entry(_voucher(id, 0, 2e6, anchor, PRICE, chainLen), units, x);
        }
        _settle(warm);
    }

    function _measureSettle(SettleEntry[] memory es, bool withRoot) internal returns (uint256) {
        bytes32 root = withRoot ? keccak256(abi.encode("root", ++_rootNonce)) : bytes32(0);
        vm.resumeGasMetering();
        vm.prank(nodeSigner);
        channels.settle(nodeId, address(usdt), es, root, withRoot ? 1000 : 0);
        vm.pauseGasMetering();
        return vm.lastCallGas().gasTotalUsed;
    }

    function test_gas_settle_1_entry_m0() public {
        _detect();
        SettleEntry[] memory es = _prepare(1, 0, 0);
        _report("settle, 1 entry, m = 0, with receipts root", _measureSettle(es, true), SETTLE_1_BUDGET);
    }

    function test_gas_settle_1_entry_m0_noRoot() public {
        _detect();
        SettleEntry[] memory es = _prepare(1, 0, 0);
        _report("settle, 1 entry, m = 0, no receipts root", _measureSettle(es, false), SETTLE_1_NOROOT_BUDGET);
    }

    function test_gas_settle_1_entry_firstOnLane() public {
        _detect();
        uint256 id = _open(100e6);
        SettleEntry[] memory es = _one(_entry(_voucher(id, 0, 2e6, bytes32(0), 0, 0), 0, 0));
        _report("settle, 1 entry, first settlement of the lane", _measureSettle(es, true), 0);
    }

    function test_gas_settle_1_entry_m1() public {
        _detect();
        SettleEntry[] memory es = _prepare(1, 1, 1024);
        _report("settle, 1 entry, m = 1 tail", _measureSettle(es, true), 0);
    }

    function test_gas_settle_1_entry_m100() public {
        _detect();
        SettleEntry[] memory es = _prepare(1, 100, 1024);
        _report("settle, 1 entry, m = 100 tail", _measureSettle(es, true), 0);
    }

    function test_gas_settle_1_entry_m1024() public {
        _detect();
        SettleEntry[] memory es = _prepare(1, 1024, 1024);
        _report("settle, 1 entry, m = 1024 tail (a whole chain)", _measureSettle(es, true), 0);
    }

    function test_gas_settle_10_channels() public {
        _detect();
        SettleEntry[] memory es = _prepare(10, 0, 0);
        _report("settle, 10 channels, m = 0", _measureSettle(es, true), SETTLE_1_BUDGET + 9 * SETTLE_PER_ENTRY_BUDGET);
    }

    function test_gas_settle_100_channels() public {
        _detect();
        SettleEntry[] memory es = _prepare(100, 0, 0);
        _report("settle, 100 channels, m = 0", _measureSettle(es, true), SETTLE_1_BUDGET + 99 * SETTLE_PER_ENTRY_BUDGET);
    }

    /// @notice The issue-3 target shape: 1,000 calls a client spread over lanes 0..7 of one
    ///         channel, each lane's next covering voucher (m = 0), lanes settled before.
    function test_gas_settle_8_lanes_one_channel() public {
        _detect();
        uint256 id = _open(100e6);
        SettleEntry[] memory warm = new SettleEntry[](8);
        SettleEntry[] memory es = new SettleEntry[](8);
        for (uint256 lane; lane < 8; ++lane) {
            warm[lane] = _entry(_voucher(id, lane, 125 * PRICE, bytes32(0), 0, 0), 0, 0);
            es[lane] = _entry(_voucher(id, lane, 250 * PRICE, keccak256(abi.encode(lane)), PRICE, 1024), 0, 0);
        }
        _settle(warm);
        _report("settle, 8 lanes of one channel, m = 0 (1,000 calls)", _measureSettle(es, true), SETTLE_8_LANES_BUDGET);
    }

    function test_gas_settle_receiptsRootOnly() public {
        _detect();
        _report("settle, receipts root only (x402)", _measureSettle(new SettleEntry[](0), true), 0);
    }

    function test_gas_settle_stale_entry() public {
        _detect();
        SettleEntry[] memory es = _prepare(1, 0, 0);
        _measureSettle(es, false);
        _report("settle, 1 resubmitted (stale) entry", _measureSettle(es, true), 0);
    }

    function test_gas_open() public {
        _detect();
        _open(100e6); // first channel in the token (token index assigned)
        vm.resumeGasMetering();
        vm.prank(payer);
        channels.open(nodeId, address(usdt), 100e6, address(0));
        vm.pauseGasMetering();
        _report("open", vm.lastCallGas().gasTotalUsed, 0);
    }

    function test_gas_openWithPermit() public {
        _detect();
        _open(1e6);
        (uint8 v, bytes32 r, bytes32 s) =
            _signPermit(payerKey, USDT_NAME, address(usdt), payer, address(channels), 100e6, 0, block.timestamp + 1);
        vm.resumeGasMetering();
        vm.prank(payer);
        channels.openWithPermit(nodeId, address(usdt), 100e6, address(0), block.timestamp + 1, v, r, s);
        vm.pauseGasMetering();
        _report("openWithPermit", vm.lastCallGas().gasTotalUsed, 0);
    }

    function test_gas_topUp() public {
        _detect();
        uint256 id = _open(1e6);
        vm.resumeGasMetering();
        vm.prank(payer);
        channels.topUp(id, 10e6);
        vm.pauseGasMetering();
        _report("topUp", vm.lastCallGas().gasTotalUsed, 0);
    }

    function test_gas_requestClose() public {
        _detect();
        uint256 id = _open(1e6);
        vm.resumeGasMetering();
        vm.prank(payer);
        channels.requestClose(id);
        vm.pauseGasMetering();
        _report("requestClose", vm.lastCallGas().gasTotalUsed, 0);
    }

    function test_gas_withdraw() public {
        _detect();
        uint256 id = _open(10e6);
        vm.prank(payer);
        channels.requestClose(id);
        vm.warp(block.timestamp + WINDOW);
        vm.resumeGasMetering();
        vm.prank(payer);
        channels.withdraw(id);
        vm.pauseGasMetering();
        _report("withdraw", vm.lastCallGas().gasTotalUsed, 0);
    }

    /// @dev An x402 exact authorization of `value` to the fixture pair's deposit address.
    function _exactAuth(bytes32 nonce, uint256 value) internal view returns (Auth memory a, bytes memory sig) {
        a = Auth(payer, exact.receiverOf(nodeId, assetId), value, 0, block.timestamp + 1 hours, nonce);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(payerKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        sig = _pack(v, r, s);
    }

    function _payExactMeasured(Auth memory a, bytes memory sig) internal returns (uint256) {
        vm.resumeGasMetering();
        vm.prank(nodeSigner);
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        vm.pauseGasMetering();
        return vm.lastCallGas().gasTotalUsed;
    }

    /// @notice First payment of a (node, asset) pair: includes deploying its receiver clone.
    function test_gas_payExact_firstPayment() public {
        _detect();
        (Auth memory a, bytes memory sig) = _exactAuth(keccak256("gas"), 1e6);
        _report("payExact (first, deploys the receiver)", _payExactMeasured(a, sig), PAY_EXACT_FIRST_BUDGET);
    }

    /// @notice Steady state: the receiver exists (it holds no balance between payments).
    function test_gas_payExact() public {
        _detect();
        (Auth memory a, bytes memory sig) = _exactAuth(keccak256("warm"), 1e6);
        vm.prank(nodeSigner);
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        (a, sig) = _exactAuth(keccak256("gas"), 1e6);
        _report("payExact (existing receiver)", _payExactMeasured(a, sig), PAY_EXACT_BUDGET);
    }

    /// @notice A stranger sweeps a receiver that was paid directly (existing receiver).
    function test_gas_sweep() public {
        _detect();
        (Auth memory a, bytes memory sig) = _exactAuth(keccak256("warm"), 1e6);
        vm.prank(nodeSigner);
        exact.payExact(nodeId, assetId, address(usdt), a.from, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        (a, sig) = _exactAuth(keccak256("direct"), 1e6);
        usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, sig);
        vm.resumeGasMetering();
        vm.prank(bob);
        exact.sweep(nodeId, assetId, address(usdt));
        vm.pauseGasMetering();
        _report("sweep", vm.lastCallGas().gasTotalUsed, SWEEP_BUDGET);
    }

    function test_gas_registerNode() public {
        _detect();
        vm.startPrank(bob);
        sahara.approve(address(nodes), MIN_STAKE);
        vm.resumeGasMetering();
        nodes.register("http://127.0.0.1:8545/node", address(0), MIN_STAKE);
        vm.pauseGasMetering();
        vm.stopPrank();
        _report("NodeRegistry.register", vm.lastCallGas().gasTotalUsed, 0);
    }
}
