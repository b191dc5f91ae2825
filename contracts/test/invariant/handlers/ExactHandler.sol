// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {ExactPayments} from "../../../src/execution/ExactPayments.sol";
import {DevStablecoin} from "../../../src/token/DevStablecoin.sol";
import {INodeRegistry} from "../../../src/interfaces/INodeRegistry.sol";

/// @notice Drives ExactPayments over four (node, asset) pairs (served with a fee, served by the
///         other node, never served) with x402 payments through payExact, direct submissions to
///         the token (front-running), plain transfers to deposit addresses, replays of used
///         authorizations, canceled authorizations and sweeps by anyone. Ghosts count every wei
///         that reached each deposit address and every wei swept out of it, and the fee split.
contract ExactHandler is Test {
    bytes32 internal constant TRANSFER_AUTH_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    bytes32 internal constant CANCEL_AUTH_TYPEHASH = keccak256("CancelAuthorization(address authorizer,bytes32 nonce)");

    ExactPayments public immutable exact;
    DevStablecoin public immutable usdt;
    INodeRegistry public immutable nodes;
    address public immutable payer;
    uint256 internal immutable _payerKey;
    uint256[4] internal _nodeOf;
    uint256[4] internal _assetOf;

    struct Used {
        uint256 pair;
        uint256 value;
        bytes32 nonce;
        bytes signature;
    }

    Used[] internal _used;
    uint256 internal _nonceSeq;

    mapping(uint256 pair => uint256) public ghostIn;
    mapping(uint256 pair => uint256) public ghostSwept;
    mapping(uint256 pair => uint256) public ghostFees;
    mapping(uint256 assetId => uint256) public ghostCredited;
    mapping(uint256 nodeId => uint256) public ghostFeesOfNode;
    uint256 public sweeps;

    constructor(
        ExactPayments exact_,
        DevStablecoin usdt_,
        INodeRegistry nodes_,
        address payer_,
        uint256 payerKey_,
        uint256[4] memory nodeOf_,
        uint256[4] memory assetOf_
    ) {
        exact = exact_;
        usdt = usdt_;
        nodes = nodes_;
        payer = payer_;
        _payerKey = payerKey_;
        _nodeOf = nodeOf_;
        _assetOf = assetOf_;
    }

    function pairOf(uint256 i) external view returns (uint256 nodeId, uint256 assetId) {
        return (_nodeOf[i], _assetOf[i]);
    }

    function _sign(uint256 pair, uint256 value, bytes32 nonce) internal view returns (bytes memory) {
        bytes32 domain = usdt.DOMAIN_SEPARATOR();
        bytes32 structHash = keccak256(
            abi.encode(
                TRANSFER_AUTH_TYPEHASH,
                payer,
                exact.receiverOf(_nodeOf[pair], _assetOf[pair]),
                value,
                uint256(0),
                type(uint256).max,
                nonce
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_payerKey, keccak256(abi.encodePacked("\x19\x01", domain, structHash)));
        return abi.encodePacked(r, s, v);
    }

    function _nextNonce() internal returns (bytes32) {
        return keccak256(abi.encode("exact-handler", ++_nonceSeq));
    }

    /// @dev Records a sweep's effect: the fee is what the registry's feeBps gives on the amount.
    function _book(uint256 pair, uint256 amount) internal {
        if (amount == 0) return;
        (, uint16 feeBps) = nodes.serviceOf(_nodeOf[pair], _assetOf[pair]);
        uint256 fee = amount * feeBps / 10_000;
        ghostSwept[pair] += amount;
        ghostFees[pair] += fee;
        ghostFeesOfNode[_nodeOf[pair]] += fee;
        ghostCredited[_assetOf[pair]] += amount - fee;
        ++sweeps;
    }

    function _balanceOf(uint256 pair) internal view returns (uint256) {
        return usdt.balanceOf(exact.receiverOf(_nodeOf[pair], _assetOf[pair]));
    }

    /// @notice The normal x402 path: the node (or anyone) submits a fresh authorization.
    function payExact(uint256 pair, uint256 value, address caller) external {
        pair = bound(pair, 0, 3);
        value = bound(value, 1, 50_000e6);
        bytes32 nonce = _nextNonce();
        bytes memory sig = _sign(pair, value, nonce);
        uint256 pending = _balanceOf(pair);
        ghostIn[pair] += value;
        vm.prank(caller);
        exact.payExact(_nodeOf[pair], _assetOf[pair], address(usdt), payer, value, 0, type(uint256).max, nonce, sig);
        _book(pair, pending + value);
        _used.push(Used(pair, value, nonce, sig));
    }

    /// @notice A front-runner submits the authorization to the token directly.
    function submitDirect(uint256 pair, uint256 value) external {
        pair = bound(pair, 0, 3);
        value = bound(value, 1, 50_000e6);
        bytes32 nonce = _nextNonce();
        bytes memory sig = _sign(pair, value, nonce);
        ghostIn[pair] += value;
        usdt.transferWithAuthorization(
            payer, exact.receiverOf(_nodeOf[pair], _assetOf[pair]), value, 0, type(uint256).max, nonce, sig
        );
        _used.push(Used(pair, value, nonce, sig));
    }

    /// @notice A plain transfer to a deposit address.
    function donate(uint256 pair, uint256 value) external {
        pair = bound(pair, 0, 3);
        value = bound(value, 1, 10_000e6);
        ghostIn[pair] += value;
        address receiver = exact.receiverOf(_nodeOf[pair], _assetOf[pair]);
        vm.prank(payer);
        usdt.transfer(receiver, value);
    }

    /// @notice payExact of an already used authorization, possibly claimed for another pair
    ///         and with another value: it can only sweep the pair named.
    function replay(uint256 index, uint256 pair, uint256 claimed) external {
        if (_used.length == 0) return;
        Used memory u = _used[bound(index, 0, _used.length - 1)];
        pair = bound(pair, 0, 3);
        claimed = bound(claimed, 1, 100_000e6);
        uint256 pending = _balanceOf(pair);
        exact.payExact(_nodeOf[pair], _assetOf[pair], address(usdt), payer, claimed, 0, type(uint256).max, u.nonce, u.signature);
        _book(pair, pending);
    }

    /// @notice The payer cancels an authorization, then someone calls payExact with it.
    function cancelAndPay(uint256 pair, uint256 value) external {
        pair = bound(pair, 0, 3);
        value = bound(value, 1, 50_000e6);
        bytes32 nonce = _nextNonce();
        bytes memory sig = _sign(pair, value, nonce);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            _payerKey,
            keccak256(
                abi.encodePacked("\x19\x01", usdt.DOMAIN_SEPARATOR(), keccak256(abi.encode(CANCEL_AUTH_TYPEHASH, payer, nonce)))
            )
        );
        usdt.cancelAuthorization(payer, nonce, v, r, s);
        uint256 pending = _balanceOf(pair);
        exact.payExact(_nodeOf[pair], _assetOf[pair], address(usdt), payer, value, 0, type(uint256).max, nonce, sig);
        _book(pair, pending);
    }

    /// @notice Anyone sweeps a pair.
    function sweep(uint256 pair, address caller) external {
        pair = bound(pair, 0, 3);
        uint256 pending = _balanceOf(pair);
        vm.prank(caller);
        uint256 amount = exact.sweep(_nodeOf[pair], _assetOf[pair], address(usdt));
        assertEq(amount, pending, "sweep amount");
        _book(pair, amount);
    }
}
