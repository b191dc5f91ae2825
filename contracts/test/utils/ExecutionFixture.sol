// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {ProtocolFixture} from "./ProtocolFixture.sol";
import {TokenSigning} from "./TokenSigning.sol";
import {NodeRegistry} from "../../src/execution/NodeRegistry.sol";
import {PaymentChannels} from "../../src/execution/PaymentChannels.sol";
import {ExactPayments} from "../../src/execution/ExactPayments.sol";
import {Voucher, SettleEntry} from "../../src/types/ExecutionTypes.sol";

/// @notice ProtocolFixture plus the execution modules (NodeRegistry, PaymentChannels,
///         ExactPayments), each behind its own ERC-1967 proxy initialized in the proxy
///         constructor, both payment modules made vault collectors, one staked node serving one
///         asset and a funded payer with a known key.
/// @dev Voucher digests are rebuilt here from the EIP-712 type string and the domain fields, not
///      read from the contract, so a wrong typehash or domain makes the tests fail.
abstract contract ExecutionFixture is ProtocolFixture, TokenSigning {
    uint256 internal constant MIN_STAKE = 1000e18;
    uint64 internal constant UNBONDING = 7 days;
    uint64 internal constant WINDOW = 1 days;
    uint16 internal constant MAX_FEE_BPS = 3000;
    uint16 internal constant NODE_FEE_BPS = 1000;
    string internal constant CHANNELS_NAME = "Sahara PaymentChannels";
    bytes32 internal constant VOUCHER_TYPEHASH = keccak256(
        "Voucher(uint256 channelId,uint256 lane,uint256 assetId,uint256 cumulative,bytes32 anchor,uint256 unitPrice,uint256 maxUnits,uint256 expiresAt)"
    );
    bytes32 internal constant RECEIPT_BATCH_TYPEHASH = keccak256("ReceiptBatch(uint256 nodeId,bytes32 root,uint256 sequence)");

    NodeRegistry internal nodes;
    PaymentChannels internal channels;
    ExactPayments internal exact;
    NodeRegistry internal nodesImpl;
    PaymentChannels internal channelsImpl;
    ExactPayments internal exactImpl;

    address internal operator;
    address internal nodeSigner;
    uint256 internal nodeSignerKey;
    address internal payer;
    uint256 internal payerKey;
    uint256 internal nodeId;
    uint256 internal assetId;

    function setUp() public virtual override {
        _deployProtocol();
        _deployExecution();
    }

    function _deployExecution() internal {
        nodesImpl = new NodeRegistry();
        channelsImpl = new PaymentChannels();
        exactImpl = new ExactPayments(address(0));
        nodes = NodeRegistry(
            address(
                new ERC1967Proxy(
                    address(nodesImpl),
                    abi.encodeCall(
                        NodeRegistry.initialize,
                        (admin, address(sahara), address(registry), MIN_STAKE, UNBONDING, MAX_FEE_BPS)
                    )
                )
            )
        );
        channels = PaymentChannels(
            address(
                new ERC1967Proxy(
                    address(channelsImpl),
                    abi.encodeCall(PaymentChannels.initialize, (admin, address(nodes), address(vault), WINDOW))
                )
            )
        );
        exact = ExactPayments(
            address(
                new ERC1967Proxy(
                    address(exactImpl), abi.encodeCall(ExactPayments.initialize, (admin, address(nodes), address(vault)))
                )
            )
        );
        vm.label(address(nodes), "NodeRegistry");
        vm.label(address(channels), "PaymentChannels");
        vm.label(address(exact), "ExactPayments");
        vm.startPrank(admin);
        vault.setCollector(address(channels), true);
        vault.setCollector(address(exact), true);
        vm.stopPrank();

        operator = makeAddr("operator");
        (nodeSigner, nodeSignerKey) = makeAccount("nodeSigner");
        (payer, payerKey) = makeAccount("payer");
        _fund(operator);
        _fund(payer);
        vm.prank(payer);
        usdt.approve(address(channels), type(uint256).max);

        assetId = _registerAsset(carol, 2);
        nodeId = _registerNode(operator, nodeSigner);
        vm.prank(operator);
        nodes.serveAsset(nodeId, assetId, NODE_FEE_BPS);
    }

    function _registerNode(address op, address signer) internal returns (uint256 id) {
        vm.startPrank(op);
        sahara.approve(address(nodes), MIN_STAKE);
        id = nodes.register("http://127.0.0.1:8545/node", signer, MIN_STAKE);
        vm.stopPrank();
    }

    function _open(uint256 amount) internal returns (uint256) {
        return _openFor(payer, nodeId, amount, address(0));
    }

    function _openFor(address who, uint256 node_, uint256 amount, address signer) internal returns (uint256 id) {
        vm.startPrank(who);
        if (usdt.allowance(who, address(channels)) < amount) usdt.approve(address(channels), type(uint256).max);
        id = channels.open(node_, address(usdt), amount, signer);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- vouchers

    function _voucher(uint256 channelId, uint256 lane, uint256 cumulative, bytes32 anchor, uint256 unitPrice, uint256 maxUnits)
        internal
        view
        returns (Voucher memory v)
    {
        v = Voucher({
            channelId: channelId,
            lane: lane,
            assetId: assetId,
            cumulative: cumulative,
            anchor: anchor,
            unitPrice: unitPrice,
            maxUnits: maxUnits,
            expiresAt: block.timestamp + 1 days
        });
    }

    function _voucherDigest(Voucher memory v, uint256 chainId, address verifying) internal pure returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(EIP712_DOMAIN_TYPEHASH, keccak256(bytes(CHANNELS_NAME)), keccak256("1"), chainId, verifying)
        );
        bytes32 structHash = keccak256(
            abi.encode(
                VOUCHER_TYPEHASH,
                v.channelId,
                v.lane,
                v.assetId,
                v.cumulative,
                v.anchor,
                v.unitPrice,
                v.maxUnits,
                v.expiresAt
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function _sign(uint256 key, Voucher memory v) internal view returns (bytes memory) {
        (uint8 sv, bytes32 r, bytes32 s) = vm.sign(key, _voucherDigest(v, block.chainid, address(channels)));
        return abi.encodePacked(r, s, sv);
    }

    function _entry(Voucher memory v, uint256 units, bytes32 preimage) internal view returns (SettleEntry memory) {
        return SettleEntry({voucher: v, units: units, preimage: preimage, signature: _sign(payerKey, v)});
    }

    function _one(SettleEntry memory e) internal pure returns (SettleEntry[] memory es) {
        es = new SettleEntry[](1);
        es[0] = e;
    }

    function _settle(SettleEntry[] memory es) internal {
        vm.prank(nodeSigner);
        channels.settle(nodeId, address(usdt), es, bytes32(0), 0);
    }

    /// @dev sha256 applied k times (compute before vm.prank: the precompile call consumes it).
    function _hashN(bytes32 x, uint256 k) internal pure returns (bytes32) {
        for (uint256 i; i < k; ++i) {
            x = sha256(abi.encodePacked(x));
        }
        return x;
    }

    /// @dev (anchor, preimage at m) of a chain of length n from a seed.
    function _chain(bytes32 seed, uint256 n, uint256 m) internal pure returns (bytes32 anchor, bytes32 preimage) {
        anchor = _hashN(seed, n);
        preimage = _hashN(seed, n - m);
    }
}
