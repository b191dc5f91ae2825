// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ProtocolModule} from "../utils/ProtocolModule.sol";
import {IExactPayments} from "../interfaces/IExactPayments.sol";
import {INodeRegistry} from "../interfaces/INodeRegistry.sol";
import {IRevenueVault} from "../interfaces/IRevenueVault.sol";

/// @dev EIP-3009 as implemented by the payment tokens (bytes-signature overload + state view).
interface IERC3009 {
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);
}

/// @title ExactPayments
/// @notice x402 "exact" scheme settlement. See IExactPayments and docs/protocol/exact-payments.md.
/// @dev Normal path: the token moves `value` from `from` to this contract inside `payExact`, and
///      the contract forwards it at once (node fee to the operator, the rest to the vault), so it
///      holds nothing between transactions. Front-run path: the authorization (to = this
///      contract) was submitted to the token directly; the funds are already here. The contract
///      then checks that the token marks the nonce used and that the signature is `from`'s
///      TransferWithAuthorization of exactly these parameters to this contract, and attributes it.
///      `_attributed` makes every (token, from, nonce) count once on either path.
///      Limitation (docs/security.md): a token nonce is also marked used by cancelAuthorization,
///      which moves no funds; attributing a canceled authorization needs funds that belong to
///      another, not yet attributed, front-run payment and only a node operator can try it.
contract ExactPayments is ProtocolModule, IExactPayments {
    using SafeERC20 for IERC20;

    /// @notice The EIP-3009 TransferWithAuthorization typehash.
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );

    uint256 private constant BPS = 10_000;

    // slot 0
    INodeRegistry private _nodes;
    // slot 1
    IRevenueVault private _vault;
    mapping(address token => mapping(address from => mapping(bytes32 nonce => bool))) private _attributed;

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
    ) external nonReentrant {
        (address operator, uint16 feeBps) = _authorize(nodeId, assetId);
        if (value == 0) revert ZeroAmount();
        if (_attributed[token][from][nonce]) revert AlreadyAttributed(token, from, nonce);
        _attributed[token][from][nonce] = true;
        bool frontRun = _collect(token, from, value, validAfter, validBefore, nonce, signature);
        uint256 fee = value * feeBps / BPS;
        emit ExactPaid(nodeId, assetId, from, token, nonce, value, fee, frontRun);
        _split(assetId, token, value, fee, operator);
    }

    /// @dev The caller must act for the node and the node must serve the asset.
    function _authorize(uint256 nodeId, uint256 assetId) private view returns (address operator, uint16 feeBps) {
        address nodeSigner;
        (operator, nodeSigner) = _nodes.authority(nodeId);
        if (msg.sender != operator && msg.sender != nodeSigner) revert NotNodeAuthority(nodeId, msg.sender);
        bool serving;
        (serving, feeBps) = _nodes.serviceOf(nodeId, assetId);
        if (!serving) revert AssetNotServed(nodeId, assetId);
    }

    /// @dev Vault part first (transfer, then book it), then the node fee.
    function _split(uint256 assetId, address token, uint256 value, uint256 fee, address operator) private {
        IERC20(token).safeTransfer(address(_vault), value - fee);
        _vault.creditReceived(assetId, token, value - fee);
        if (fee != 0) IERC20(token).safeTransfer(operator, fee);
    }

    /// @dev Moves the authorized funds here, or accepts that a front-runner already did.
    function _collect(
        address token,
        address from,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) private returns (bool frontRun) {
        uint256 before = IERC20(token).balanceOf(address(this));
        try IERC3009(token).transferWithAuthorization(from, address(this), value, validAfter, validBefore, nonce, signature) {
            if (IERC20(token).balanceOf(address(this)) - before != value) revert InvalidAuthorization(token, from, nonce);
        } catch (bytes memory reason) {
            // Only an authorization already executed by someone else may be attributed here;
            // every other failure (expired, bad signature, ...) is the token's error, re-raised.
            if (!IERC3009(token).authorizationState(from, nonce)) {
                assembly ("memory-safe") {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
            bytes32 digest = _authDigest(token, from, value, validAfter, validBefore, nonce);
            if (!SignatureChecker.isValidSignatureNowCalldata(from, digest, signature)) {
                revert InvalidAuthorization(token, from, nonce);
            }
            frontRun = true;
        }
    }

    /// @dev The token's EIP-712 digest of TransferWithAuthorization(from -> this contract).
    function _authDigest(address token, address from, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce)
        private
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(
            abi.encode(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, address(this), value, validAfter, validBefore, nonce)
        );
        return MessageHashUtils.toTypedDataHash(IERC20Permit(token).DOMAIN_SEPARATOR(), structHash);
    }

    /// @inheritdoc IExactPayments
    function attributed(address token, address from, bytes32 nonce) external view returns (bool) {
        return _attributed[token][from][nonce];
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
