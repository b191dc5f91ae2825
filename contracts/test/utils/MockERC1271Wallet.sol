// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice Minimal ERC-1271 smart wallet for tests: a signature is valid when its ECDSA signer is
///         `signer` and the wallet has not been switched to reject everything.
contract MockERC1271Wallet {
    address public immutable signer;
    bool public rejectAll;

    constructor(address signer_) {
        signer = signer_;
    }

    function setRejectAll(bool reject) external {
        rejectAll = reject;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (rejectAll) return 0xffffffff;
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
        return err == ECDSA.RecoverError.NoError && recovered == signer ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }
}
