// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ExecutionFixture} from "../utils/ExecutionFixture.sol";
import {Voucher, SettleEntry, Receipt} from "../../src/types/ExecutionTypes.sol";
import {IPaymentChannels} from "../../src/interfaces/IPaymentChannels.sol";
import {HashChain} from "../../src/libraries/HashChain.sol";
import {ReceiptMerkle} from "../../src/libraries/ReceiptMerkle.sol";

/// @dev Exposes the libraries to the fuzzer.
contract LibHarness {
    function iterate(bytes32 x, uint256 m) external view returns (bytes32) {
        return HashChain.iterate(x, m);
    }

    function verify(bytes32 anchor, bytes32 x, uint256 m) external view returns (bool) {
        return HashChain.verify(anchor, x, m);
    }

    function verifyProof(bytes32 root, bytes32 leaf, bytes32[] memory proof) external view returns (bool) {
        return ReceiptMerkle.verify(root, leaf, proof);
    }
}

contract PaymentChannelsFuzzTest is ExecutionFixture {
    LibHarness internal lib;

    function setUp() public override {
        super.setUp();
        lib = new LibHarness();
    }

    /// @notice One voucher: the lane and the channel move by min(a, deposit), split exactly into
    ///         the node fee and the vault part.
    function testFuzz_settle_amount(uint256 cumulative, uint256 unitPrice, uint256 units, uint256 deposit, uint256 chain)
        public
    {
        deposit = bound(deposit, 1, 1_000_000e6);
        chain = bound(chain, 0, 64);
        units = bound(units, 0, chain);
        cumulative = bound(cumulative, 0, 2_000_000e6);
        unitPrice = bound(unitPrice, 0, 1e9);
        _mintUsdt(payer, deposit);
        uint256 id = _open(deposit);
        (bytes32 anchor, bytes32 x) = _chain(keccak256(abi.encode(cumulative)), chain, units);
        Voucher memory v = _voucher(id, 0, cumulative, anchor, unitPrice, chain);
        uint256 a = cumulative + units * unitPrice;
        uint256 expected = a < deposit ? a : deposit;
        uint256 opBefore = usdt.balanceOf(operator);
        uint256 vaultBefore = usdt.balanceOf(address(vault));
        _settle(_one(_entry(v, units, x)));
        assertEq(channels.laneSettled(id, assetId, 0), expected);
        assertEq(channels.channel(id).settled, expected);
        uint256 fee = expected * NODE_FEE_BPS / 10_000;
        assertEq(usdt.balanceOf(operator) - opBefore, fee);
        assertEq(usdt.balanceOf(address(vault)) - vaultBefore, expected - fee);
    }

    /// @notice A sequence of vouchers on one lane settles the running maximum (capped by the
    ///         deposit); lower or equal vouchers are no-ops.
    function testFuzz_settle_sequence_isRunningMax(uint64[6] memory amounts, uint256 deposit) public {
        deposit = bound(deposit, 1, 100e6);
        uint256 id = _open(deposit);
        uint256 maxSeen;
        for (uint256 i; i < amounts.length; ++i) {
            uint256 c = bound(amounts[i], 0, 200e6);
            if (c > maxSeen) maxSeen = c;
            _settle(_one(_entry(_voucher(id, 0, c, bytes32(0), 0, 0), 0, 0)));
            uint256 expected = maxSeen < deposit ? maxSeen : deposit;
            assertEq(channels.laneSettled(id, assetId, 0), expected);
            assertEq(channels.channel(id).settled, expected);
        }
    }

    /// @notice Two lanes never share their totals; the channel total is their sum (up to the deposit).
    function testFuzz_lanes_independent(uint256 a0, uint256 a1, uint256 lane1) public {
        a0 = bound(a0, 0, 40e6);
        a1 = bound(a1, 0, 40e6);
        lane1 = bound(lane1, 1, type(uint256).max);
        uint256 id = _open(100e6);
        SettleEntry[] memory es = new SettleEntry[](2);
        es[0] = _entry(_voucher(id, 0, a0, bytes32(0), 0, 0), 0, 0);
        es[1] = _entry(_voucher(id, lane1, a1, bytes32(0), 0, 0), 0, 0);
        _settle(es);
        assertEq(channels.laneSettled(id, assetId, 0), a0);
        assertEq(channels.laneSettled(id, assetId, lane1), a1);
        assertEq(channels.channel(id).settled, a0 + a1);
    }

    /// @notice Lanes 2k and 2k+1 share one storage word: settling either, in any order and
    ///         repeatedly, never changes the other's total.
    function testFuzz_lanePair_independent(uint256 k, uint256 a0, uint256 a1, uint256 b0, bool oddFirst) public {
        k = bound(k, 0, type(uint256).max >> 1);
        a0 = bound(a0, 1, 30e6);
        a1 = bound(a1, 1, 30e6);
        b0 = bound(b0, 0, 30e6);
        uint256 even = k << 1;
        uint256 odd = even | 1;
        uint256 id = _open(100e6);
        SettleEntry[] memory es = new SettleEntry[](2);
        es[oddFirst ? 1 : 0] = _entry(_voucher(id, even, a0, bytes32(0), 0, 0), 0, 0);
        es[oddFirst ? 0 : 1] = _entry(_voucher(id, odd, a1, bytes32(0), 0, 0), 0, 0);
        _settle(es);
        assertEq(channels.laneSettled(id, assetId, even), a0);
        assertEq(channels.laneSettled(id, assetId, odd), a1);
        // A later voucher on the even lane: only the even half moves (a lower one is a no-op).
        SettleEntry[] memory again = new SettleEntry[](1);
        again[0] = _entry(_voucher(id, even, a0 + b0, bytes32(0), 0, 0), 0, 0);
        _settle(again);
        assertEq(channels.laneSettled(id, assetId, even), a0 + b0);
        assertEq(channels.laneSettled(id, assetId, odd), a1);
        assertEq(channels.channel(id).settled, a0 + a1 + b0);
        // The neighbouring pair is untouched.
        assertEq(channels.laneSettled(id, assetId, even ^ 2), 0);
    }

    /// @notice Any preimage other than the m-th one is rejected when money would move.
    function testFuzz_settle_wrongPreimage_reverts(bytes32 seed, uint256 units, bytes32 wrong) public {
        units = bound(units, 1, 32);
        (bytes32 anchor, bytes32 x) = _chain(seed, 32, units);
        vm.assume(wrong != x);
        uint256 id = _open(100e6);
        SettleEntry memory e = _entry(_voucher(id, 0, 0, anchor, 1000, 32), units, wrong);
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.InvalidPreimage.selector, id, units));
        channels.settle(nodeId, address(usdt), _one(e), bytes32(0), 0);
    }

    /// @notice Any change to a signed voucher field invalidates its signature.
    function testFuzz_settle_tamperedField_reverts(uint256 field, uint256 delta) public {
        uint256 id = _open(100e6);
        SettleEntry memory e = _entry(_voucher(id, 0, 1e6, bytes32(0), 0, 0), 0, 0);
        delta = bound(delta, 1, 1e6);
        field = field % 5;
        if (field == 0) e.voucher.lane += delta;
        else if (field == 1) e.voucher.assetId += delta;
        else if (field == 2) e.voucher.cumulative += delta;
        else if (field == 3) e.voucher.anchor = bytes32(delta);
        else e.voucher.expiresAt += delta;
        vm.prank(nodeSigner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentChannels.InvalidVoucherSignature.selector, id));
        channels.settle(nodeId, address(usdt), _one(e), bytes32(0), 0);
    }

    function testFuzz_hashChain(bytes32 seed, uint256 n, uint256 m) public view {
        n = bound(n, 0, 64);
        m = bound(m, 0, n);
        bytes32 anchor = _hashN(seed, n);
        bytes32 x = _hashN(seed, n - m);
        assertEq(lib.iterate(x, m), anchor);
        assertTrue(lib.verify(anchor, x, m));
        // One step too many never matches (it would be a sha256 cycle).
        assertFalse(lib.verify(anchor, x, m + 1));
    }

    function testFuzz_hashChain_tooLong_reverts(uint256 m) public {
        m = bound(m, 4097, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(HashChain.ChainTooLong.selector, m, 4096));
        lib.iterate(bytes32(0), m);
    }

    /// @notice Builds a sorted-pair sha256 tree (odd node promoted) of n receipts and checks every
    ///         proof, and that a proof of one leaf does not verify another.
    function testFuzz_receiptMerkle(uint256 n, bytes32 salt) public view {
        n = bound(n, 1, 17);
        bytes32[] memory leaves = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            Receipt memory r;
            r.nodeId = 1;
            r.requestHash = keccak256(abi.encode(salt, i));
            r.index = i;
            leaves[i] = ReceiptMerkle.leaf(r);
        }
        (bytes32 root, bytes32[][] memory proofs) = _tree(leaves);
        for (uint256 i; i < n; ++i) {
            assertTrue(lib.verifyProof(root, leaves[i], proofs[i]));
            assertTrue(channels.verifyReceipt(root, leaves[i], proofs[i]));
            if (n > 1) assertFalse(lib.verifyProof(root, leaves[(i + 1) % n], proofs[i]));
        }
    }

    function _pair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? sha256(abi.encodePacked(a, b)) : sha256(abi.encodePacked(b, a));
    }

    /// @dev Reference tree builder (independent of the library).
    function _tree(bytes32[] memory leaves) internal pure returns (bytes32 root, bytes32[][] memory proofs) {
        uint256 n = leaves.length;
        proofs = new bytes32[][](n);
        uint256[] memory pos = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            proofs[i] = new bytes32[](0);
            pos[i] = i;
        }
        bytes32[] memory level = leaves;
        while (level.length > 1) {
            uint256 m = (level.length + 1) / 2;
            bytes32[] memory next = new bytes32[](m);
            for (uint256 j; j < m; ++j) {
                next[j] = 2 * j + 1 < level.length ? _pair(level[2 * j], level[2 * j + 1]) : level[2 * j];
            }
            for (uint256 i; i < n; ++i) {
                uint256 p = pos[i];
                uint256 sib = p ^ 1;
                if (sib < level.length) {
                    bytes32[] memory longer = new bytes32[](proofs[i].length + 1);
                    for (uint256 k; k < proofs[i].length; ++k) {
                        longer[k] = proofs[i][k];
                    }
                    longer[proofs[i].length] = level[sib];
                    proofs[i] = longer;
                }
                pos[i] = p / 2;
            }
            level = next;
        }
        root = level[0];
    }
}
