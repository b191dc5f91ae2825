// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title DevStablecoin
/// @notice DEVNET ONLY. A 6-decimal USDT stand-in ("Tether USD (Sahara devnet)") with an open
///         faucet, used to exercise the protocol's payment paths on local and test networks.
///         It is worthless by construction: anyone can mint up to `FAUCET_MAX` per call. It must
///         never be deployed to a network where the token could be mistaken for real money.
/// @dev Supports ERC-2612 `permit` and EIP-3009 (`transferWithAuthorization`,
///      `receiveWithAuthorization`, `cancelAuthorization`, `authorizationState`) over one EIP-712
///      domain: name "Tether USD (Sahara devnet)", version "1", chainId, verifyingContract = this.
///      EIP-3009 nonces are random 32-byte values chosen by the signer (not sequential), tracked per
///      authorizer; a nonce is consumed by a successful transfer/receive or by a cancellation.
///      Signatures are checked with OpenZeppelin's SignatureChecker: ECDSA (low-s only) for EOAs,
///      ERC-1271 `isValidSignature` for contract wallets. The (v,r,s) overloads pack the signature
///      as `r ‖ s ‖ v`, so a smart wallet receives the same 65 bytes either way.
///      The constructor mints nothing; all supply comes from `faucet`, so `totalSupply()` equals
///      the sum of all faucet mints (there is no burn).
contract DevStablecoin is ERC20, ERC20Permit {
    /// @notice Largest amount a single `faucet` call may mint: 100,000 USDT.
    uint256 public constant FAUCET_MAX = 100_000e6;

    /// @notice keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );

    /// @notice keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );

    /// @notice keccak256("CancelAuthorization(address authorizer,bytes32 nonce)")
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH =
        keccak256("CancelAuthorization(address authorizer,bytes32 nonce)");

    /// @dev authorizer => nonce => used (consumed by a transfer/receive or canceled).
    mapping(address authorizer => mapping(bytes32 nonce => bool used)) private _authorizationStates;

    /// @notice An EIP-3009 authorization of `authorizer` with `nonce` was executed.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    /// @notice An EIP-3009 authorization of `authorizer` with `nonce` was canceled before use.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);
    /// @notice `caller` minted `amount` to `to` through the faucet (the Transfer event from 0 also fires).
    event FaucetMinted(address indexed caller, address indexed to, uint256 amount);

    /// @notice The authorization is not valid yet: it requires `block.timestamp > validAfter`.
    error AuthorizationNotYetValid(uint256 validAfter, uint256 currentTime);
    /// @notice The authorization expired: it requires `block.timestamp < validBefore`.
    error AuthorizationExpired(uint256 validBefore, uint256 currentTime);
    /// @notice The nonce of `authorizer` was already used or canceled.
    error AuthorizationAlreadyUsed(address authorizer, bytes32 nonce);
    /// @notice The signature does not come from the authorizer (ECDSA or ERC-1271).
    error InvalidSignature();
    /// @notice `receiveWithAuthorization` must be called by the payee `to` (front-running guard).
    error CallerNotPayee(address caller, address payee);
    /// @notice A faucet call asked for more than `FAUCET_MAX`.
    error FaucetLimitExceeded(uint256 requested, uint256 max);

    constructor() ERC20("Tether USD (Sahara devnet)", "USDT") ERC20Permit("Tether USD (Sahara devnet)") {}

    /// @notice 6 decimals, like USDT/USDC on mainnet.
    /// @return 6
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    // ---------------------------------------------------------------- faucet

    /// @notice Mint up to `FAUCET_MAX` test dollars to `to`. Anyone may call; devnet only.
    /// @param to Recipient of the minted tokens (not the zero address).
    /// @param amount Amount in 6-decimal units, at most `FAUCET_MAX`.
    function faucet(address to, uint256 amount) external {
        if (amount > FAUCET_MAX) revert FaucetLimitExceeded(amount, FAUCET_MAX);
        _mint(to, amount);
        emit FaucetMinted(msg.sender, to, amount);
    }

    // ---------------------------------------------------------------- EIP-3009

    /// @notice Whether `nonce` of `authorizer` has been used or canceled.
    /// @param authorizer The signer of the authorization.
    /// @param nonce The authorization's unique nonce.
    /// @return True if the nonce can no longer be used.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _authorizationStates[authorizer][nonce];
    }

    /// @notice Execute a transfer signed by `from`. Anyone may submit it.
    /// @param from Payer and signer.
    /// @param to Payee.
    /// @param value Amount to transfer.
    /// @param validAfter The authorization is valid only when `block.timestamp > validAfter`.
    /// @param validBefore The authorization is valid only when `block.timestamp < validBefore`.
    /// @param nonce Unique 32-byte nonce chosen by `from`.
    /// @param v Signature recovery byte.
    /// @param r Signature r.
    /// @param s Signature s.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        _transferWithAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, abi.encodePacked(r, s, v)
        );
    }

    /// @notice Same as the (v,r,s) overload with an arbitrary signature (65-byte ECDSA or ERC-1271).
    /// @param from Payer and signer.
    /// @param to Payee.
    /// @param value Amount to transfer.
    /// @param validAfter The authorization is valid only when `block.timestamp > validAfter`.
    /// @param validBefore The authorization is valid only when `block.timestamp < validBefore`.
    /// @param nonce Unique 32-byte nonce chosen by `from`.
    /// @param signature Signature of `from` over the EIP-712 TransferWithAuthorization struct.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        _transferWithAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, signature
        );
    }

    /// @notice Execute a transfer signed by `from`; only the payee `to` may submit it, so a
    ///         front-runner cannot consume the authorization outside the payee's own call.
    /// @param from Payer and signer.
    /// @param to Payee; must be `msg.sender`.
    /// @param value Amount to transfer.
    /// @param validAfter The authorization is valid only when `block.timestamp > validAfter`.
    /// @param validBefore The authorization is valid only when `block.timestamp < validBefore`.
    /// @param nonce Unique 32-byte nonce chosen by `from`.
    /// @param v Signature recovery byte.
    /// @param r Signature r.
    /// @param s Signature s.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (msg.sender != to) revert CallerNotPayee(msg.sender, to);
        _transferWithAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, abi.encodePacked(r, s, v)
        );
    }

    /// @notice Same as the (v,r,s) overload with an arbitrary signature (65-byte ECDSA or ERC-1271).
    /// @param from Payer and signer.
    /// @param to Payee; must be `msg.sender`.
    /// @param value Amount to transfer.
    /// @param validAfter The authorization is valid only when `block.timestamp > validAfter`.
    /// @param validBefore The authorization is valid only when `block.timestamp < validBefore`.
    /// @param nonce Unique 32-byte nonce chosen by `from`.
    /// @param signature Signature of `from` over the EIP-712 ReceiveWithAuthorization struct.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        if (msg.sender != to) revert CallerNotPayee(msg.sender, to);
        _transferWithAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, signature
        );
    }

    /// @notice Cancel an unused authorization of `authorizer`. Anyone may submit the signed cancel.
    /// @param authorizer The signer of the authorization to cancel.
    /// @param nonce The nonce to burn.
    /// @param v Signature recovery byte.
    /// @param r Signature r.
    /// @param s Signature s.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external {
        _cancelAuthorization(authorizer, nonce, abi.encodePacked(r, s, v));
    }

    /// @notice Same as the (v,r,s) overload with an arbitrary signature (65-byte ECDSA or ERC-1271).
    /// @param authorizer The signer of the authorization to cancel.
    /// @param nonce The nonce to burn.
    /// @param signature Signature of `authorizer` over the EIP-712 CancelAuthorization struct.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external {
        _cancelAuthorization(authorizer, nonce, signature);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Checks (window, nonce, signature), then effects (nonce, event), then the ERC-20 move.
    function _transferWithAuthorization(
        bytes32 typehash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) private {
        if (block.timestamp <= validAfter) revert AuthorizationNotYetValid(validAfter, block.timestamp);
        if (block.timestamp >= validBefore) revert AuthorizationExpired(validBefore, block.timestamp);
        _requireUnused(from, nonce);

        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce)));
        if (!SignatureChecker.isValidSignatureNow(from, digest, signature)) revert InvalidSignature();

        _authorizationStates[from][nonce] = true;
        emit AuthorizationUsed(from, nonce);
        _transfer(from, to, value);
    }

    function _cancelAuthorization(address authorizer, bytes32 nonce, bytes memory signature) private {
        _requireUnused(authorizer, nonce);

        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)));
        if (!SignatureChecker.isValidSignatureNow(authorizer, digest, signature)) revert InvalidSignature();

        _authorizationStates[authorizer][nonce] = true;
        emit AuthorizationCanceled(authorizer, nonce);
    }

    function _requireUnused(address authorizer, bytes32 nonce) private view {
        if (_authorizationStates[authorizer][nonce]) revert AuthorizationAlreadyUsed(authorizer, nonce);
    }
}
