// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "./Test.sol";

/// @notice EIP-712 digests for the token tests, rebuilt from the type strings rather than read from
///         the contracts, so a wrong typehash or domain in a token makes its tests fail.
abstract contract TokenSigning is Test {
    bytes32 internal constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    bytes32 internal constant DELEGATION_TYPEHASH = keccak256("Delegation(address delegatee,uint256 nonce,uint256 expiry)");
    bytes32 internal constant TRANSFER_AUTH_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    bytes32 internal constant RECEIVE_AUTH_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    bytes32 internal constant CANCEL_AUTH_TYPEHASH = keccak256("CancelAuthorization(address authorizer,bytes32 nonce)");

    /// @dev secp256k1 group order, to build high-s (malleable) twins of valid signatures.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    string internal constant SAHARA_NAME = "Sahara";
    string internal constant USDT_NAME = "Tether USD (Sahara devnet)";

    struct Auth {
        address from;
        address to;
        uint256 value;
        uint256 validAfter;
        uint256 validBefore;
        bytes32 nonce;
    }

    function _domainSeparator(string memory name, address verifyingContract) internal view returns (bytes32) {
        return keccak256(
            abi.encode(EIP712_DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256("1"), block.chainid, verifyingContract)
        );
    }

    function _digest(string memory name, address verifyingContract, bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(name, verifyingContract), structHash));
    }

    function _permitDigest(
        string memory name,
        address token,
        address owner,
        address spender,
        uint256 value,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes32) {
        return _digest(name, token, keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline)));
    }

    function _signPermit(
        uint256 key,
        string memory name,
        address token,
        address owner,
        address spender,
        uint256 value,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        return vm.sign(key, _permitDigest(name, token, owner, spender, value, nonce, deadline));
    }

    function _authDigest(address token, bytes32 typehash, Auth memory a) internal view returns (bytes32) {
        return _digest(
            USDT_NAME,
            token,
            keccak256(abi.encode(typehash, a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce))
        );
    }

    function _signAuth(uint256 key, address token, bytes32 typehash, Auth memory a)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        return vm.sign(key, _authDigest(token, typehash, a));
    }

    function _cancelDigest(address token, address authorizer, bytes32 nonce) internal view returns (bytes32) {
        return _digest(USDT_NAME, token, keccak256(abi.encode(CANCEL_AUTH_TYPEHASH, authorizer, nonce)));
    }

    function _signCancel(uint256 key, address token, address authorizer, bytes32 nonce)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        return vm.sign(key, _cancelDigest(token, authorizer, nonce));
    }

    function _pack(uint8 v, bytes32 r, bytes32 s) internal pure returns (bytes memory) {
        return abi.encodePacked(r, s, v);
    }
}
