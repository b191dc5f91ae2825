// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {Vm} from "../utils/Vm.sol";

/// @notice Gas of the vault's user paths in steady state (every slot already non-zero).
/// @dev Run with `forge test --match-contract RevenueVaultGasTest --isolate -vv`: with --isolate
///      every top-level call is its own transaction, so `lastCallGas` is the whole transaction
///      (21000 base + calldata + execution, cold accounts and slots). Without --isolate the
///      numbers are lower (state already warm) and the budget checks are skipped.
contract RevenueVaultGasTest is ProtocolFixture {
    event log_named_uint(string key, uint256 val);

    uint256 internal constant PAY_BUDGET = 100_000;
    uint256 internal constant CLAIM_BUDGET = 80_000;

    function setUp() public override {
        super.setUp();
        vm.prank(bob);
        usdt.approve(address(vault), type(uint256).max);
    }

    function _isolated() internal view returns (bool) {
        // In isolation mode the last top-level call includes the 21000 intrinsic gas.
        return vm.lastCallGas().gasTotalUsed > 21_000;
    }

    function _payGas(uint256 assetId) internal returns (uint256 gasUsed) {
        vm.startPrank(bob);
        vault.pay(assetId, address(usdt), 1000e6); // warm-up: every slot becomes non-zero
        vault.pay(assetId, address(usdt), 1000e6);
        gasUsed = vm.lastCallGas().gasTotalUsed;
        vm.stopPrank();
    }

    function _withContributors(uint256 n) internal returns (uint256 assetId) {
        assetId = _registerAsset(alice);
        vm.prank(alice);
        shares.setContributorSplit(assetId, 3000);
        vm.pauseGasMetering();
        uint256 batch = 500;
        for (uint256 done; done < n; done += batch) {
            uint256 k = n - done < batch ? n - done : batch;
            address[] memory who = new address[](k);
            uint128[] memory amounts = new uint128[](k);
            bytes32[] memory ev = new bytes32[](k);
            for (uint256 i; i < k; ++i) {
                who[i] = address(uint160(0x100000 + done + i));
                amounts[i] = uint128(1 + (done + i) % 7);
            }
            vm.prank(alice);
            shares.mintBatch(assetId, who, amounts, 1, ev);
        }
        vm.resumeGasMetering();
    }

    function _lineage(uint256 depth) internal returns (uint256 leaf) {
        leaf = _registerAsset(alice);
        for (uint256 i; i < depth; ++i) {
            leaf = _registerDerived(i % 2 == 0 ? carol : alice, leaf, 500);
        }
    }

    function _report(string memory key, uint256 gasUsed, uint256 budget) internal {
        emit log_named_uint(key, gasUsed);
        if (_isolatedRun) assertLe(gasUsed, budget, key);
    }

    bool internal _isolatedRun;

    function _detect() internal {
        vm.prank(bob);
        usdt.approve(address(vault), type(uint256).max);
        _isolatedRun = _isolated();
    }

    function test_gas_pay_noContributors() public {
        _detect();
        _report("pay, owner only", _payGas(_registerAsset(alice)), PAY_BUDGET);
    }

    function test_gas_pay_contributors_1() public {
        _detect();
        _report("pay, 1 contributor", _payGas(_withContributors(1)), PAY_BUDGET);
    }

    function test_gas_pay_contributors_1000() public {
        _detect();
        _report("pay, 1,000 contributors", _payGas(_withContributors(1000)), PAY_BUDGET);
    }

    function test_gas_pay_contributors_100000() public {
        _detect();
        _report("pay, 100,000 contributors", _payGas(_withContributors(100_000)), PAY_BUDGET);
    }

    function test_gas_pay_depth_1() public {
        _detect();
        _report("pay, lineage depth 1", _payGas(_lineage(1)), PAY_BUDGET);
    }

    function test_gas_pay_depth_10() public {
        _detect();
        _report("pay, lineage depth 10", _payGas(_lineage(10)), PAY_BUDGET);
    }

    function test_gas_pay_depth_100() public {
        _detect();
        _report("pay, lineage depth 100", _payGas(_lineage(100)), PAY_BUDGET);
    }

    function test_gas_pay_royalties_and_contributors() public {
        _detect();
        uint256 leaf = _lineage(10);
        vm.prank(registry.ownerOf(leaf));
        shares.setContributorSplit(leaf, 2000);
        address[] memory who = new address[](3);
        uint128[] memory amounts = new uint128[](3);
        for (uint256 i; i < 3; ++i) {
            who[i] = address(uint160(0x9000 + i));
            amounts[i] = uint128(3 + i);
        }
        vm.prank(registry.ownerOf(leaf));
        shares.mintBatch(leaf, who, amounts, 1, new bytes32[](3));
        _report("pay, depth 10 + 3 contributors (worst case)", _payGas(leaf), PAY_BUDGET);
    }

    function test_gas_claim_owner() public {
        _detect();
        uint256 id = _registerAsset(alice);
        _payGas(id);
        vm.prank(alice);
        vault.claim(address(usdt), new uint256[](0)); // alice now holds USDT: steady state
        _payGas(id);
        vm.prank(alice);
        vault.claim(address(usdt), new uint256[](0));
        _report("claim, owner balance", vm.lastCallGas().gasTotalUsed, CLAIM_BUDGET);
    }

    function test_gas_claim_contributor() public {
        _detect();
        uint256 id = _withContributors(1000);
        address c = address(uint160(0x100000 + 5));
        _payGas(id);
        vm.prank(c);
        vault.claim(address(usdt), _ids(id));
        _payGas(id);
        vm.prank(c);
        vault.claim(address(usdt), _ids(id));
        _report("claim, contributor in 1 asset", vm.lastCallGas().gasTotalUsed, CLAIM_BUDGET);
    }

    function test_gas_flush_depth_1() public {
        _detect();
        uint256 leaf = _lineage(1);
        _payGas(leaf);
        vault.flushRoyalties(leaf, address(usdt));
        _payGas(leaf);
        vault.flushRoyalties(leaf, address(usdt));
        emit log_named_uint("flushRoyalties, 1 parent", vm.lastCallGas().gasTotalUsed);
    }
}
