// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {Cid} from "../../src/libraries/Cid.sol";
import {Codecs} from "../../src/types/AssetTypes.sol";

/// @dev Expected strings and bytes were produced with the `multiformats` npm package:
///      CID.createV1(codec, Digest.create(0x12, sha256(input))).toString() / .bytes
contract CidTest is Test {
    function test_emptyFileRaw() public pure {
        // sha256("")
        bytes32 d = 0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855;
        assertEq(Cid.toString(Codecs.RAW, d), "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
        assertEq(Cid.toBytes(Codecs.RAW, d), hex"01551220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    function test_dagPb() public pure {
        // sha256("hello sahara")
        bytes32 d = 0xca576e062ceec64dfac57c4197ad012d43cc797a8e3cbaa4f2a4beaeac4e9658;
        string memory s = Cid.toString(Codecs.DAG_PB, d);
        assertEq(s, "bafybeigkk5xamlhoyzg7vrl4igl22ajnipghs6uohs5kj4vex2xkytuwla");
        assertEq(_prefix(s, 7), "bafybei");
    }

    function test_dagCbor() public pure {
        bytes32 d = 0xd30964008eb409ff399660a04b198742f1c8390e4a0da04b86c7e561449da0af;
        assertEq(Cid.toString(Codecs.DAG_CBOR, d), "bafyreigtbfsabdvubh7ttftaubfrtb2c6hedsdskbwqexbwh4vqujhnav4");
    }

    function test_json_twoByteVarint() public pure {
        bytes32 d = 0x0229d37e33daae149bf40543a5ce1db4459d10f830d5139279aa2bfd5f6485a1;
        assertEq(Cid.toString(Codecs.JSON, d), "bagaaieraaiu5g7rt3kxbjg7uavb2ltq5wrcz2ehygdkrhetzviv72x3eqwqq");
        assertEq(Cid.toBytes(Codecs.JSON, d), hex"01800412200229d37e33daae149bf40543a5ce1db4459d10f830d5139279aa2bfd5f6485a1");
    }

    function test_dagJson() public pure {
        bytes32 d = 0x5ec21ddb30baafdeb89f02753b1d422b723860d04eb74c2da85b6c4d0a5bdab6;
        assertEq(Cid.toString(Codecs.DAG_JSON, d), "baguqeeral3bb3wzqxkx55oe7aj2twhkcfnzdqygqj23uylnilnwe2cs33k3a");
        assertEq(Cid.toString(Codecs.DAG_JSON, bytes32(type(uint256).max)), "baguqeera777777777777777777777777777777777777777777777777777q");
    }

    function test_lowDigest() public pure {
        assertEq(Cid.toString(Codecs.RAW, bytes32(uint256(1))), "bafkreiaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaae");
    }

    function test_base32_rfc4648Vectors() public pure {
        // RFC 4648 section 10 vectors, lowercased and unpadded, behind the multibase 'b'.
        assertEq(Cid.encodeBase32(""), "b");
        assertEq(Cid.encodeBase32("f"), "bmy");
        assertEq(Cid.encodeBase32("fo"), "bmzxq");
        assertEq(Cid.encodeBase32("foo"), "bmzxw6");
        assertEq(Cid.encodeBase32("foob"), "bmzxw6yq");
        assertEq(Cid.encodeBase32("fooba"), "bmzxw6ytb");
        assertEq(Cid.encodeBase32("foobar"), "bmzxw6ytboi");
    }

    function testFuzz_lengthAndAlphabet(bytes32 d, uint8 pick) public pure {
        uint32[5] memory codecs = [Codecs.RAW, Codecs.DAG_PB, Codecs.DAG_CBOR, Codecs.JSON, Codecs.DAG_JSON];
        uint32 codec = codecs[pick % 5];
        bytes memory b = Cid.toBytes(codec, d);
        bytes memory s = bytes(Cid.toString(codec, d));
        assertEq(b.length, codec < 0x80 ? 36 : 37);
        assertEq(s.length, 1 + (b.length * 8 + 4) / 5);
        assertEq(uint8(s[0]), uint8(bytes1("b")));
        for (uint256 i = 1; i < s.length; ++i) {
            bytes1 c = s[i];
            assertTrue((c >= "a" && c <= "z") || (c >= "2" && c <= "7"));
        }
        // The digest is the last 32 bytes of the binary CID.
        bytes32 tail;
        assembly {
            tail := mload(add(add(b, 0x20), sub(mload(b), 32)))
        }
        assertEq(tail, d);
    }

    function _prefix(string memory s, uint256 n) private pure returns (string memory) {
        bytes memory out = new bytes(n);
        for (uint256 i; i < n; ++i) out[i] = bytes(s)[i];
        return string(out);
    }
}
