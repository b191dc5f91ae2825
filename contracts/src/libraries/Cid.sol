// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Cid
/// @notice Renders content ids as CIDv1 strings: multibase 'b' (RFC 4648 base32, lowercase, no
///         padding) over varint(1) || varint(codec) || 0x12 (sha2-256) || 0x20 (32 bytes) || digest.
/// @dev Only used by views (tokenURI, contentId); it allocates and loops, so keep it off write paths.
library Cid {
    bytes32 private constant _ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    /// @notice The binary CIDv1 (sha2-256 multihash) of a (codec, digest) pair.
    function toBytes(uint32 codec, bytes32 digest) internal pure returns (bytes memory out) {
        // codec varint is at most 5 bytes for a uint32; 1 (version) + 5 + 2 (multihash header) + 32.
        out = new bytes(40);
        out[0] = 0x01;
        uint256 i = 1;
        uint256 c = codec;
        while (c >= 0x80) {
            out[i++] = bytes1(uint8(c & 0x7f) | 0x80);
            c >>= 7;
        }
        out[i++] = bytes1(uint8(c));
        out[i++] = 0x12;
        out[i++] = 0x20;
        assembly ("memory-safe") {
            mstore(add(add(out, 0x20), i), digest)
            mstore(out, add(i, 32))
        }
    }

    /// @notice The CIDv1 base32 string ("bafk...", "bafy...", ...) of a (codec, digest) pair.
    function toString(uint32 codec, bytes32 digest) internal pure returns (string memory) {
        return encodeBase32(toBytes(codec, digest));
    }

    /// @notice Multibase base32 ('b' + lowercase RFC 4648 alphabet, no padding) of arbitrary bytes.
    function encodeBase32(bytes memory data) internal pure returns (string memory) {
        uint256 len = data.length;
        uint256 outLen = 1 + (len * 8 + 4) / 5;
        bytes memory out = new bytes(outLen);
        out[0] = "b";
        uint256 o = 1;
        uint256 buffer;
        uint256 bits;
        for (uint256 i; i < len; ++i) {
            buffer = (buffer << 8) | uint8(data[i]);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out[o++] = _ALPHABET[(buffer >> bits) & 31];
            }
            // Keep only the bits not emitted yet so the accumulator never grows.
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0) out[o] = _ALPHABET[(buffer << (5 - bits)) & 31];
        return string(out);
    }
}
