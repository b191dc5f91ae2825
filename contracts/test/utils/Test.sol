// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "./Vm.sol";

/// @notice Minimal test base: cheatcodes, `bound`, account helpers and the invariant target hooks
///         that forge reads by name (`targetContracts`, `targetSelectors`, `targetSenders`).
abstract contract Test {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetedContracts;
    address[] private _targetedSenders;
    FuzzSelector[] private _targetedSelectors;

    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    function targetSenders() public view returns (address[] memory) {
        return _targetedSenders;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }

    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    function targetSender(address sender) internal {
        _targetedSenders.push(sender);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetedSelectors.push(selector);
    }

    /// @dev Maps any fuzzed value into [min, max] without discarding runs.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        if (size == 0) return x; // full uint256 range
        return min + (x % size);
    }

    /// @dev A fresh labelled account with a known private key.
    function makeAccount(string memory name) internal returns (address account, uint256 key) {
        key = uint256(keccak256(bytes(name)));
        account = vm.addr(key);
        vm.label(account, name);
    }

    function makeAddr(string memory name) internal returns (address account) {
        (account,) = makeAccount(name);
    }

    function assertTrue(bool c) internal pure { vm.assertTrue(c); }
    function assertTrue(bool c, string memory err) internal pure { vm.assertTrue(c, err); }
    function assertFalse(bool c) internal pure { vm.assertFalse(c); }
    function assertEq(uint256 a, uint256 b) internal pure { vm.assertEq(a, b); }
    function assertEq(uint256 a, uint256 b, string memory err) internal pure { vm.assertEq(a, b, err); }
    function assertEq(address a, address b) internal pure { vm.assertEq(a, b); }
    function assertEq(address a, address b, string memory err) internal pure { vm.assertEq(a, b, err); }
    function assertEq(bytes32 a, bytes32 b) internal pure { vm.assertEq(a, b); }
    function assertEq(bytes32 a, bytes32 b, string memory err) internal pure { vm.assertEq(a, b, err); }
    function assertEq(bool a, bool b) internal pure { vm.assertEq(a, b); }
    function assertEq(string memory a, string memory b) internal pure { vm.assertEq(a, b); }
    function assertEq(bytes memory a, bytes memory b) internal pure { vm.assertEq(a, b); }
    function assertGt(uint256 a, uint256 b) internal pure { vm.assertGt(a, b); }
    function assertGe(uint256 a, uint256 b) internal pure { vm.assertGe(a, b); }
    function assertGe(uint256 a, uint256 b, string memory err) internal pure { vm.assertGe(a, b, err); }
    function assertLt(uint256 a, uint256 b) internal pure { vm.assertLt(a, b); }
    function assertLe(uint256 a, uint256 b) internal pure { vm.assertLe(a, b); }
    function assertLe(uint256 a, uint256 b, string memory err) internal pure { vm.assertLe(a, b, err); }
}
