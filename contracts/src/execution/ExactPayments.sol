// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {ProtocolModule} from "../utils/ProtocolModule.sol";
import {IExactPayments} from "../interfaces/IExactPayments.sol";
import {INodeRegistry} from "../interfaces/INodeRegistry.sol";
import {IRevenueVault} from "../interfaces/IRevenueVault.sol";
import {IERC3009} from "../interfaces/IERC3009.sol";
import {ExactReceiver} from "./ExactReceiver.sol";

/// @title ExactPayments
/// @notice x402 "exact" scheme settlement through per-(nodeId, assetId) deposit addresses. See
///         IExactPayments and docs/protocol/exact-payments.md.
/// @dev The money is bound to (nodeId, assetId) by the address it was sent to, so nothing here
///      depends on who submits the authorization or who sweeps: no caller check, no attribution
///      record, no signature re-verification. Funds go from the receiver straight to the vault and
///      the operator; this contract never holds tokens.
///      The receiver implementation is an immutable of this implementation (no storage read per
///      payment). Receiver addresses derive from it, so an upgrade must keep it: a new
///      implementation is constructed with `receiverImplementation()` of the live proxy and
///      `upgradeToAndCall` rejects one that does not (funds at not yet deployed receivers would
///      otherwise become unreachable).
contract ExactPayments is ProtocolModule, IExactPayments {
    uint256 private constant BPS = 10_000;

    /// @notice The ExactReceiver implementation every receiver is a clone of.
    address public immutable RECEIVER_IMPLEMENTATION;

    // slot 0
    INodeRegistry private _nodes;
    // slot 1
    IRevenueVault private _vault;

    /// @param receiverImplementation_ the ExactReceiver to clone; address(0) deploys a new one
    ///        (first deployment). An upgrade passes the live proxy's `receiverImplementation()`.
    /// @custom:oz-upgrades-unsafe-allow constructor state-variable-immutable
    constructor(address receiverImplementation_) {
        RECEIVER_IMPLEMENTATION =
            receiverImplementation_ == address(0) ? address(new ExactReceiver()) : receiverImplementation_;
    }

    /// @notice Initializes the proxy.
    /// @param admin owner of the module
    /// @param nodeRegistry_ the NodeRegistry proxy
    /// @param vault_ the RevenueVault proxy (this contract must be made a collector)
    function initialize(address admin, address nodeRegistry_, address vault_) external initializer {
        if (admin == address(0) || nodeRegistry_ == address(0) || vault_ == address(0)) revert ZeroAddress();
        __ProtocolModule_init(admin);
        _nodes = INodeRegistry(nodeRegistry_);
        _vault = IRevenueVault(vault_);
    }

    /// @inheritdoc IExactPayments
    function payExact(
        uint256 nodeId,
        uint256 assetId,
        address token,
        address from,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external whenNotPaused nonReentrant {
        if (value == 0) revert ZeroAmount();
        _checkToken(token);
        bytes32 salt = _salt(nodeId, assetId);
        address receiver = Clones.predictDeterministicAddress(RECEIVER_IMPLEMENTATION, salt);
        // Already used: submitted to the token directly (the funds are in the receiver) or
        // canceled by the payer (nothing arrived). Either way sweeping is all that is left to do,
        // and it can only book what this receiver holds.
        bool submitted = !IERC3009(token).authorizationState(from, nonce);
        emit ExactPaid(nodeId, assetId, from, token, nonce, value, submitted);
        if (submitted) {
            IERC3009(token).transferWithAuthorization(from, receiver, value, validAfter, validBefore, nonce, signature);
        }
        _sweep(nodeId, assetId, token, salt, receiver);
    }

    /// @inheritdoc IExactPayments
    function sweep(uint256 nodeId, uint256 assetId, address token) external nonReentrant returns (uint256) {
        _checkToken(token);
        bytes32 salt = _salt(nodeId, assetId);
        return _sweep(nodeId, assetId, token, salt, Clones.predictDeterministicAddress(RECEIVER_IMPLEMENTATION, salt));
    }

    /// @dev Books the receiver's whole balance: vault part first (transfer, then credit), then the
    ///      node fee. The fee is the registry's feeBps for the pair whether or not the node still
    ///      serves it (like channel settlements): 0 for a pair it never served, so a payment to
    ///      such a receiver goes entirely to the asset.
    function _sweep(uint256 nodeId, uint256 assetId, address token, bytes32 salt, address receiver)
        private
        returns (uint256 amount)
    {
        amount = IERC20(token).balanceOf(receiver);
        if (amount == 0) return 0;
        if (receiver.code.length == 0) {
            Clones.cloneDeterministic(RECEIVER_IMPLEMENTATION, salt);
            emit ReceiverDeployed(nodeId, assetId, receiver);
        }
        (, uint16 feeBps) = _nodes.serviceOf(nodeId, assetId);
        uint256 fee = amount * feeBps / BPS;
        // A non-zero fee implies a registered node (only its operator can set one).
        address operator;
        if (fee != 0) (operator,) = _nodes.authority(nodeId);
        uint256 rest = amount - fee;
        emit Swept(nodeId, assetId, token, receiver, amount, fee);
        ExactReceiver(receiver).pay(salt, IERC20(token), address(_vault), rest);
        _vault.creditReceived(assetId, token, rest);
        if (fee != 0) ExactReceiver(receiver).pay(salt, IERC20(token), operator, fee);
    }

    /// @dev Only vault payment tokens; checked before any call to the token.
    function _checkToken(address token) private view {
        if (!_vault.isPaymentToken(token)) revert TokenNotAllowed(token);
    }

    function _salt(uint256 nodeId, uint256 assetId) private pure returns (bytes32 salt) {
        assembly ("memory-safe") {
            mstore(0x00, nodeId)
            mstore(0x20, assetId)
            salt := keccak256(0x00, 0x40)
        }
    }

    /// @notice Upgrades like every module, but only to an implementation that clones the same
    ///         receiver implementation (see the contract notes).
    /// @param newImplementation the new ExactPayments implementation
    /// @param data the call to make on the proxy after the upgrade (may be empty)
    function upgradeToAndCall(address newImplementation, bytes memory data) public payable override {
        _checkOwner();
        address actual = IExactPayments(newImplementation).receiverImplementation();
        if (actual != RECEIVER_IMPLEMENTATION) revert ReceiverImplementationChanged(RECEIVER_IMPLEMENTATION, actual);
        super.upgradeToAndCall(newImplementation, data);
    }

    /// @inheritdoc IExactPayments
    function receiverOf(uint256 nodeId, uint256 assetId) external view returns (address) {
        return Clones.predictDeterministicAddress(RECEIVER_IMPLEMENTATION, _salt(nodeId, assetId));
    }

    /// @inheritdoc IExactPayments
    function receiverImplementation() external view returns (address) {
        return RECEIVER_IMPLEMENTATION;
    }

    /// @inheritdoc IExactPayments
    function nodeRegistry() external view returns (address) {
        return address(_nodes);
    }

    /// @inheritdoc IExactPayments
    function revenueVault() external view returns (address) {
        return address(_vault);
    }
}
