// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice TEST INPUT ONLY: an ERC-20 that, when armed, calls `target` with `payload` from inside
///         every transfer out of `target` (a token with a transfer hook trying to re-enter the
///         paying contract). Records the revert data of the re-entrant call.
contract ReentrantToken is ERC20 {
    address public target;
    bytes public payload;
    bool public armed;
    bool public reentered;
    bytes public lastRevert;

    constructor() ERC20("Reentrant", "RE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (armed && from == target) {
            armed = false; // once
            reentered = true;
            (bool ok, bytes memory data) = target.call(payload);
            if (!ok) lastRevert = data;
            else lastRevert = "";
        }
    }
}
