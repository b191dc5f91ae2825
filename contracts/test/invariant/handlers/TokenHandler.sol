// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TokenSigning} from "../../utils/TokenSigning.sol";
import {SaharaToken} from "../../../src/token/SaharaToken.sol";
import {DevStablecoin} from "../../../src/token/DevStablecoin.sol";

/// @notice Drives SAHARA and devnet USDT through random sequences among a fixed set of actors
///         whose keys it knows, mirroring every balance change in ghost variables.
contract TokenHandler is TokenSigning {
    SaharaToken public immutable sahara;
    DevStablecoin public immutable usdt;

    uint256[] internal keys;
    address[] public actors;

    // Ghost state: what balances must be if the tokens behave.
    mapping(address => uint256) public ghostSahara;
    mapping(address => uint256) public ghostUsdt;
    uint256 public ghostUsdtMinted;

    // EIP-3009 bookkeeping: every nonce that was consumed (used or canceled) and how often.
    struct UsedNonce {
        address authorizer;
        bytes32 nonce;
    }

    UsedNonce[] internal usedNonces;
    mapping(address => mapping(bytes32 => uint256)) public ghostNonceConsumptions;
    uint256 public ghostReplaySucceeded;
    uint256 public ghostReplayWrongError;
    uint256 internal nonceSeq;

    uint256 public successfulCalls;

    constructor(SaharaToken sahara_, DevStablecoin usdt_, uint256[] memory keys_) {
        sahara = sahara_;
        usdt = usdt_;
        for (uint256 i; i < keys_.length; ++i) {
            keys.push(keys_[i]);
            actors.push(vm.addr(keys_[i]));
        }
        // The whole SAHARA supply starts with actor 0.
        ghostSahara[actors[0]] = sahara_.totalSupply();
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function usedNonceCount() external view returns (uint256) {
        return usedNonces.length;
    }

    function usedNonceAt(uint256 i) external view returns (address, bytes32) {
        return (usedNonces[i].authorizer, usedNonces[i].nonce);
    }

    function _actor(uint256 seed) internal view returns (uint256 idx, address actor) {
        idx = seed % actors.length;
        actor = actors[idx];
    }

    // ------------------------------------------------------------ SAHARA actions

    function saharaTransfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        (, address from) = _actor(fromSeed);
        (, address to) = _actor(toSeed);
        amount = bound(amount, 0, sahara.balanceOf(from));
        vm.prank(from);
        sahara.transfer(to, amount);
        ghostSahara[from] -= amount;
        ghostSahara[to] += amount;
        ++successfulCalls;
    }

    function saharaDelegate(uint256 fromSeed, uint256 toSeed) external {
        (, address from) = _actor(fromSeed);
        (, address to) = _actor(toSeed);
        vm.prank(from);
        sahara.delegate(to);
        ++successfulCalls;
    }

    function saharaPermitTransferFrom(uint256 ownerSeed, uint256 spenderSeed, uint256 amount) external {
        (uint256 oi, address owner) = _actor(ownerSeed);
        (, address spender) = _actor(spenderSeed);
        amount = bound(amount, 0, sahara.balanceOf(owner));
        uint256 deadline = block.timestamp;
        (uint8 v, bytes32 r, bytes32 s) =
            _signPermit(keys[oi], SAHARA_NAME, address(sahara), owner, spender, amount, sahara.nonces(owner), deadline);
        sahara.permit(owner, spender, amount, deadline, v, r, s);
        vm.prank(spender);
        sahara.transferFrom(owner, spender, amount);
        ghostSahara[owner] -= amount;
        ghostSahara[spender] += amount;
        ++successfulCalls;
    }

    function warp(uint256 secondsForward) external {
        vm.warp(block.timestamp + bound(secondsForward, 1, 7 days));
    }

    // ------------------------------------------------------------ USDT actions

    function usdtFaucet(uint256 toSeed, uint256 amount) external {
        (, address to) = _actor(toSeed);
        amount = bound(amount, 0, usdt.FAUCET_MAX());
        usdt.faucet(to, amount);
        ghostUsdt[to] += amount;
        ghostUsdtMinted += amount;
        ++successfulCalls;
    }

    function usdtTransfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        (, address from) = _actor(fromSeed);
        (, address to) = _actor(toSeed);
        amount = bound(amount, 0, usdt.balanceOf(from));
        vm.prank(from);
        usdt.transfer(to, amount);
        ghostUsdt[from] -= amount;
        ghostUsdt[to] += amount;
        ++successfulCalls;
    }

    function usdtAuthorizedTransfer(uint256 fromSeed, uint256 toSeed, uint256 amount, bool viaReceive, bool asBytes)
        external
    {
        (uint256 fi, address from) = _actor(fromSeed);
        (, address to) = _actor(toSeed);
        Auth memory a = Auth({
            from: from,
            to: to,
            value: bound(amount, 0, usdt.balanceOf(from)),
            validAfter: block.timestamp - 1,
            validBefore: block.timestamp + 1 hours,
            nonce: keccak256(abi.encode("handler-nonce", ++nonceSeq))
        });
        _submit(fi, a, viaReceive, asBytes);
        _recordConsumed(from, a.nonce);
        ghostUsdt[from] -= a.value;
        ghostUsdt[to] += a.value;
        ++successfulCalls;
    }

    function usdtCancel(uint256 authorizerSeed) external {
        (uint256 ai, address authorizer) = _actor(authorizerSeed);
        bytes32 nonce = keccak256(abi.encode("handler-nonce", ++nonceSeq));
        (uint8 v, bytes32 r, bytes32 s) = _signCancel(keys[ai], address(usdt), authorizer, nonce);
        usdt.cancelAuthorization(authorizer, nonce, v, r, s);
        _recordConsumed(authorizer, nonce);
        ++successfulCalls;
    }

    /// @dev Re-submits a consumed nonce with a fresh, otherwise valid signature by the right key.
    ///      Only the nonce check can stop it; if it goes through, the invariant fails.
    function usdtReplay(uint256 idxSeed, uint256 toSeed, bool viaReceive, bool asBytes) external {
        if (usedNonces.length == 0) return;
        UsedNonce memory u = usedNonces[idxSeed % usedNonces.length];
        uint256 ai;
        for (uint256 i; i < actors.length; ++i) {
            if (actors[i] == u.authorizer) ai = i;
        }
        (, address to) = _actor(toSeed);
        Auth memory a = Auth({
            from: u.authorizer,
            to: to,
            value: 0,
            validAfter: block.timestamp - 1,
            validBefore: block.timestamp + 1 hours,
            nonce: u.nonce
        });
        try this.submitExternal(ai, a, viaReceive, asBytes) {
            ++ghostReplaySucceeded;
            _recordConsumed(u.authorizer, u.nonce);
        } catch (bytes memory err) {
            bytes memory expected =
                abi.encodeWithSelector(DevStablecoin.AuthorizationAlreadyUsed.selector, u.authorizer, u.nonce);
            if (keccak256(err) != keccak256(expected)) ++ghostReplayWrongError;
        }
    }

    /// @dev External hop so `usdtReplay` can try/catch the submission; only the handler may call it.
    function submitExternal(uint256 keyIdx, Auth memory a, bool viaReceive, bool asBytes) external {
        require(msg.sender == address(this), "only self");
        _submit(keyIdx, a, viaReceive, asBytes);
    }

    function _submit(uint256 keyIdx, Auth memory a, bool viaReceive, bool asBytes) internal {
        bytes32 typehash = viaReceive ? RECEIVE_AUTH_TYPEHASH : TRANSFER_AUTH_TYPEHASH;
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(keys[keyIdx], address(usdt), typehash, a);
        if (viaReceive) {
            vm.prank(a.to);
            if (asBytes) {
                usdt.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, _pack(v, r, s));
            } else {
                usdt.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
            }
        } else if (asBytes) {
            usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, _pack(v, r, s));
        } else {
            usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
        }
    }

    function _recordConsumed(address authorizer, bytes32 nonce) internal {
        if (ghostNonceConsumptions[authorizer][nonce]++ == 0) usedNonces.push(UsedNonce(authorizer, nonce));
    }
}
