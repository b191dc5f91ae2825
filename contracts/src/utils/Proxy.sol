// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Imported only so forge emits out/ERC1967Proxy.sol/ERC1967Proxy.json: the deploy scripts put
// every upgradeable module behind this stock OpenZeppelin proxy.
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
