// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {ExecutionFixture} from "./ExecutionFixture.sol";
import {NodeStaking} from "../../src/execution/NodeStaking.sol";
import {SaharaVotes} from "../../src/governance/SaharaVotes.sol";
import {INodeStaking} from "../../src/interfaces/INodeStaking.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {Receipt} from "../../src/types/ExecutionTypes.sol";
import {ReceiptEvidence} from "../../src/types/StakingTypes.sol";

/// @notice ExecutionFixture plus NodeStaking (proxy, wired into NodeRegistry, USDT as second
///         reward token) and SaharaVotes. The fixture node (`nodeId`, operator `operator`, signer
///         `nodeSigner`) is synced into staking by the registry hook once staking is set.
abstract contract StakingFixture is ExecutionFixture {
    uint64 internal constant STAKE_UNBONDING = 21 days;
    uint64 internal constant COMMISSION_DELAY = 7 days;
    uint16 internal constant MAX_COMMISSION = 5000;
    uint16 internal constant EQUIVOCATION_BPS = 1000;
    uint64 internal constant JAIL = 3 days;

    NodeStaking internal staking;
    NodeStaking internal stakingImpl;
    SaharaVotes internal votes;

    function setUp() public virtual override {
        super.setUp();
        _deployStaking();
    }

    function _deployStaking() internal {
        stakingImpl = new NodeStaking();
        staking = NodeStaking(
            address(
                new ERC1967Proxy(
                    address(stakingImpl),
                    abi.encodeCall(
                        NodeStaking.initialize,
                        (
                            admin,
                            address(nodes),
                            address(channels),
                            treasury,
                            STAKE_UNBONDING,
                            COMMISSION_DELAY,
                            MAX_COMMISSION,
                            EQUIVOCATION_BPS,
                            JAIL
                        )
                    )
                )
            )
        );
        vm.label(address(staking), "NodeStaking");
        votes = new SaharaVotes(IERC5805(address(sahara)), INodeStaking(address(staking)));
        vm.startPrank(admin);
        nodes.setStaking(address(staking));
        staking.addRewardToken(address(usdt));
        vm.stopPrank();
        // The fixture node registered before staking existed: sync it once.
        staking.onSelfBondChanged(nodeId);
    }

    function _delegate(address who, uint256 node_, uint256 amount) internal returns (uint256 shares) {
        vm.startPrank(who);
        sahara.approve(address(staking), amount);
        shares = staking.delegate(node_, amount);
        vm.stopPrank();
    }

    function _notify(address token, uint256 amount) internal {
        if (token == address(usdt)) _mintUsdt(address(this), amount);
        IERC20Like(token).approve(address(staking), amount);
        staking.notifyFees(token, amount);
    }

    function _newNode(string memory name, uint256 stake) internal returns (address op, uint256 id) {
        op = makeAddr(name);
        sahara.transfer(op, stake);
        vm.startPrank(op);
        sahara.approve(address(nodes), stake);
        id = nodes.register("http://127.0.0.1:9/n", address(0), stake);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- receipt evidence

    function _receipt(uint256 node_, uint256 channelId, uint256 index, bytes32 response)
        internal
        view
        returns (Receipt memory r)
    {
        r = Receipt({
            nodeId: node_,
            requestHash: keccak256("request"),
            responseHash: response,
            assetId: assetId,
            version: 1,
            units: 1,
            price: 1e6,
            channelId: channelId,
            lane: 0,
            cumulative: 1e6,
            index: index
        });
    }

    function _leaf(Receipt memory r) internal pure returns (bytes32) {
        return sha256(abi.encode(r));
    }

    function _pair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? sha256(abi.encodePacked(a, b)) : sha256(abi.encodePacked(b, a));
    }

    /// @dev Digest rebuilt from the type string and domain fields (not read from PaymentChannels).
    function _batchDigest(uint256 node_, bytes32 root, uint256 sequence) internal view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(
                EIP712_DOMAIN_TYPEHASH, keccak256(bytes(CHANNELS_NAME)), keccak256("1"), block.chainid, address(channels)
            )
        );
        bytes32 structHash = keccak256(abi.encode(RECEIPT_BATCH_TYPEHASH, node_, root, sequence));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function _signBatch(uint256 key, uint256 node_, bytes32 root, uint256 sequence) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, _batchDigest(node_, root, sequence));
        return abi.encodePacked(r, s, v);
    }

    /// @dev Evidence of `r` in a two-leaf batch with `other` (a real Merkle proof), signed by `key`.
    function _evidenceInPair(Receipt memory r, Receipt memory other, uint256 sequence, uint256 key)
        internal
        view
        returns (ReceiptEvidence memory e)
    {
        bytes32 l = _leaf(r);
        bytes32 o = _leaf(other);
        bytes32 root = _pair(l, o);
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = o;
        e = ReceiptEvidence({
            receipt: r, root: root, sequence: sequence, proof: proof, signature: _signBatch(key, r.nodeId, root, sequence)
        });
    }

    /// @dev Evidence of `r` alone in a batch (root = leaf, empty proof), signed by `key`.
    function _evidenceSingle(Receipt memory r, uint256 sequence, uint256 key) internal view returns (ReceiptEvidence memory e) {
        bytes32 root = _leaf(r);
        e = ReceiptEvidence({
            receipt: r,
            root: root,
            sequence: sequence,
            proof: new bytes32[](0),
            signature: _signBatch(key, r.nodeId, root, sequence)
        });
    }
}

interface IERC20Like {
    function approve(address spender, uint256 amount) external returns (bool);
}
