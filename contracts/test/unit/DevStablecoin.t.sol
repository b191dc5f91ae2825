// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TokenSigning} from "../utils/TokenSigning.sol";
import {MockERC1271Wallet} from "../utils/MockERC1271Wallet.sol";
import {DevStablecoin} from "../../src/token/DevStablecoin.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

contract DevStablecoinTest is TokenSigning {
    uint256 internal constant T0 = 1_700_000_000;
    uint256 internal constant MAX = 100_000e6;

    DevStablecoin internal usdt;
    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    uint256 internal bobKey;
    address internal relayer;

    function setUp() public {
        vm.warp(T0);
        (alice, aliceKey) = makeAccount("alice");
        (bob, bobKey) = makeAccount("bob");
        relayer = makeAddr("relayer");
        usdt = new DevStablecoin();
        usdt.faucet(alice, 1_000e6);
    }

    function _auth(uint256 value, bytes32 nonce) internal view returns (Auth memory) {
        return Auth({from: alice, to: bob, value: value, validAfter: T0 - 1, validBefore: T0 + 1 hours, nonce: nonce});
    }

    function _transferVrs(Auth memory a, uint8 v, bytes32 r, bytes32 s) internal {
        usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
    }

    function _transferBytes(Auth memory a, bytes memory sig) internal {
        usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, sig);
    }

    function _receiveVrs(Auth memory a, uint8 v, bytes32 r, bytes32 s) internal {
        usdt.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
    }

    function _receiveBytes(Auth memory a, bytes memory sig) internal {
        usdt.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, sig);
    }

    // ------------------------------------------------------------ metadata

    function test_metadata() public view {
        assertEq(usdt.name(), "Tether USD (Sahara devnet)");
        assertEq(usdt.symbol(), "USDT");
        assertEq(uint256(usdt.decimals()), 6);
        assertEq(usdt.FAUCET_MAX(), MAX);
    }

    function test_constructorMintsNothing() public {
        DevStablecoin fresh = new DevStablecoin();
        assertEq(fresh.totalSupply(), 0);
    }

    function test_typehashesMatchEip3009() public view {
        assertEq(usdt.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), TRANSFER_AUTH_TYPEHASH);
        assertEq(usdt.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(), RECEIVE_AUTH_TYPEHASH);
        assertEq(usdt.CANCEL_AUTHORIZATION_TYPEHASH(), CANCEL_AUTH_TYPEHASH);
        // Well-known constants from the EIP-3009 reference implementation.
        assertEq(TRANSFER_AUTH_TYPEHASH, 0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267);
        assertEq(RECEIVE_AUTH_TYPEHASH, 0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8);
        assertEq(CANCEL_AUTH_TYPEHASH, 0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429);
    }

    function test_domainSeparatorMatchesSpec() public view {
        assertEq(usdt.DOMAIN_SEPARATOR(), _domainSeparator(USDT_NAME, address(usdt)));
        (, string memory name, string memory version, uint256 chainId, address verifying,,) = usdt.eip712Domain();
        assertEq(name, USDT_NAME);
        assertEq(version, "1");
        assertEq(chainId, block.chainid);
        assertEq(verifying, address(usdt));
    }

    // ------------------------------------------------------------ faucet

    function test_faucet_mintsToAnyRecipient() public {
        vm.expectEmit(address(usdt));
        emit IERC20.Transfer(address(0), bob, MAX);
        vm.expectEmit(address(usdt));
        emit DevStablecoin.FaucetMinted(relayer, bob, MAX);
        vm.prank(relayer);
        usdt.faucet(bob, MAX);
        assertEq(usdt.balanceOf(bob), MAX);
        assertEq(usdt.totalSupply(), 1_000e6 + MAX);
    }

    function test_faucet_revertsAboveMax() public {
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.FaucetLimitExceeded.selector, MAX + 1, MAX));
        usdt.faucet(bob, MAX + 1);
    }

    function test_faucet_revertsToZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        usdt.faucet(address(0), 1);
    }

    // ------------------------------------------------------------ permit

    function test_permit() public {
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, USDT_NAME, address(usdt), alice, bob, 5e6, 0, T0);
        usdt.permit(alice, bob, 5e6, T0, v, r, s);
        assertEq(usdt.allowance(alice, bob), 5e6);
        assertEq(usdt.nonces(alice), 1);
    }

    function test_permit_revertsWhenExpired() public {
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, USDT_NAME, address(usdt), alice, bob, 5e6, 0, T0 - 1);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, T0 - 1));
        usdt.permit(alice, bob, 5e6, T0 - 1, v, r, s);
    }

    // ------------------------------------------------------------ transferWithAuthorization

    function test_transferWithAuthorization_vrs() public {
        Auth memory a = _auth(250e6, keccak256("n1"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        assertFalse(usdt.authorizationState(alice, a.nonce));

        vm.expectEmit(address(usdt));
        emit DevStablecoin.AuthorizationUsed(alice, a.nonce);
        vm.expectEmit(address(usdt));
        emit IERC20.Transfer(alice, bob, 250e6);
        vm.prank(relayer);
        _transferVrs(a, v, r, s);

        assertTrue(usdt.authorizationState(alice, a.nonce));
        assertEq(usdt.balanceOf(alice), 750e6);
        assertEq(usdt.balanceOf(bob), 250e6);
        assertEq(usdt.nonces(alice), 0); // EIP-3009 nonces are independent of the permit counter
    }

    function test_transferWithAuthorization_bytes() public {
        Auth memory a = _auth(1e6, keccak256("n2"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        vm.prank(relayer);
        _transferBytes(a, _pack(v, r, s));
        assertTrue(usdt.authorizationState(alice, a.nonce));
        assertEq(usdt.balanceOf(bob), 1e6);
    }

    function test_transferWithAuthorization_revertsOnReplay() public {
        Auth memory a = _auth(1e6, keccak256("n3"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        _transferVrs(a, v, r, s);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationAlreadyUsed.selector, alice, a.nonce));
        _transferVrs(a, v, r, s);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationAlreadyUsed.selector, alice, a.nonce));
        _transferBytes(a, _pack(v, r, s));
        assertEq(usdt.balanceOf(bob), 1e6);
    }

    function test_transferWithAuthorization_revertsBeforeValidAfter() public {
        Auth memory a = _auth(1e6, keccak256("n4"));
        a.validAfter = T0; // valid only strictly after T0
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationNotYetValid.selector, T0, T0));
        _transferVrs(a, v, r, s);
        vm.warp(T0 + 1);
        _transferVrs(a, v, r, s);
        assertEq(usdt.balanceOf(bob), 1e6);
    }

    function test_transferWithAuthorization_revertsAtValidBefore() public {
        Auth memory a = _auth(1e6, keccak256("n5"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        vm.warp(a.validBefore);
        vm.expectRevert(
            abi.encodeWithSelector(DevStablecoin.AuthorizationExpired.selector, a.validBefore, a.validBefore)
        );
        _transferVrs(a, v, r, s);
        vm.warp(a.validBefore - 1);
        _transferVrs(a, v, r, s); // last valid second
        assertTrue(usdt.authorizationState(alice, a.nonce));
    }

    function test_transferWithAuthorization_revertsOnWrongSigner() public {
        Auth memory a = _auth(1e6, keccak256("n6"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(bobKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferVrs(a, v, r, s);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferBytes(a, _pack(v, r, s));
        assertFalse(usdt.authorizationState(alice, a.nonce));
    }

    function test_transferWithAuthorization_revertsOnTamperedFields() public {
        Auth memory a = _auth(1e6, keccak256("n7"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        Auth memory t = _auth(2e6, a.nonce); // value changed
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferVrs(t, v, r, s);
        t = _auth(1e6, a.nonce);
        t.to = relayer; // payee changed
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferVrs(t, v, r, s);
        t = _auth(1e6, a.nonce);
        t.validBefore = a.validBefore + 1; // window changed
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferVrs(t, v, r, s);
    }

    function test_transferWithAuthorization_rejectsReceiveTypedSignature() public {
        Auth memory a = _auth(1e6, keccak256("n8"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), RECEIVE_AUTH_TYPEHASH, a);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferVrs(a, v, r, s);
    }

    function test_transferWithAuthorization_rejectsHighS() public {
        Auth memory a = _auth(1e6, keccak256("n9"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        // The malleable twin (n - s, flipped v) recovers to the same key but must be refused.
        bytes32 s2 = bytes32(SECP256K1_N - uint256(s));
        uint8 v2 = v == 27 ? 28 : 27;
        assertEq(ecrecover(_authDigest(address(usdt), TRANSFER_AUTH_TYPEHASH, a), v2, r, s2), alice);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferVrs(a, v2, r, s2);
    }

    function test_transferWithAuthorization_rejectsMalformedBytesSignature() public {
        Auth memory a = _auth(1e6, keccak256("n10"));
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferBytes(a, hex"1234");
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferBytes(a, "");
    }

    function test_transferWithAuthorization_insufficientBalanceDoesNotBurnNonce() public {
        Auth memory a = _auth(1_000e6 + 1, keccak256("n11"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 1_000e6, 1_000e6 + 1)
        );
        _transferVrs(a, v, r, s);
        assertFalse(usdt.authorizationState(alice, a.nonce));
        usdt.faucet(alice, 1);
        _transferVrs(a, v, r, s);
        assertEq(usdt.balanceOf(alice), 0);
    }

    function test_transferWithAuthorization_revertsToZeroAddress() public {
        Auth memory a = _auth(1e6, keccak256("n12"));
        a.to = address(0);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        _transferVrs(a, v, r, s);
    }

    function test_noncesArePerAuthorizer() public {
        bytes32 nonce = keccak256("shared");
        usdt.faucet(bob, 10e6);
        Auth memory a = _auth(1e6, nonce);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        _transferVrs(a, v, r, s);
        Auth memory b = Auth({from: bob, to: alice, value: 2e6, validAfter: 0, validBefore: T0 + 1, nonce: nonce});
        (v, r, s) = _signAuth(bobKey, address(usdt), TRANSFER_AUTH_TYPEHASH, b);
        _transferVrs(b, v, r, s);
        assertTrue(usdt.authorizationState(alice, nonce));
        assertTrue(usdt.authorizationState(bob, nonce));
        assertEq(usdt.balanceOf(alice), 1_001e6);
    }

    // ------------------------------------------------------------ domain separation

    function test_signatureForOtherContractFails() public {
        DevStablecoin other = new DevStablecoin();
        other.faucet(alice, 1_000e6);
        Auth memory a = _auth(1e6, keccak256("x1"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        _transferVrs(a, v, r, s);
        // Same name, version and chain: only verifyingContract differs, and that is enough.
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        other.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
        assertFalse(other.authorizationState(alice, a.nonce));
    }

    function test_signatureForOtherChainFails() public {
        Auth memory a = _auth(1e6, keccak256("x2"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        bytes32 domainBefore = usdt.DOMAIN_SEPARATOR();
        vm.chainId(block.chainid + 1);
        assertTrue(usdt.DOMAIN_SEPARATOR() != domainBefore);
        assertEq(usdt.DOMAIN_SEPARATOR(), _domainSeparator(USDT_NAME, address(usdt)));
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferVrs(a, v, r, s);
        // Signing for the new chain id works there.
        (v, r, s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        _transferVrs(a, v, r, s);
        assertEq(usdt.balanceOf(bob), 1e6);
    }

    function test_cancelForOtherChainFails() public {
        bytes32 nonce = keccak256("x3");
        (uint8 v, bytes32 r, bytes32 s) = _signCancel(aliceKey, address(usdt), alice, nonce);
        vm.chainId(block.chainid + 7);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        usdt.cancelAuthorization(alice, nonce, v, r, s);
    }

    // ------------------------------------------------------------ receiveWithAuthorization

    function test_receiveWithAuthorization_vrs() public {
        Auth memory a = _auth(10e6, keccak256("r1"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), RECEIVE_AUTH_TYPEHASH, a);
        vm.expectEmit(address(usdt));
        emit DevStablecoin.AuthorizationUsed(alice, a.nonce);
        vm.prank(bob);
        _receiveVrs(a, v, r, s);
        assertEq(usdt.balanceOf(bob), 10e6);
        assertTrue(usdt.authorizationState(alice, a.nonce));
    }

    function test_receiveWithAuthorization_bytes() public {
        Auth memory a = _auth(10e6, keccak256("r2"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), RECEIVE_AUTH_TYPEHASH, a);
        vm.prank(bob);
        _receiveBytes(a, _pack(v, r, s));
        assertEq(usdt.balanceOf(bob), 10e6);
    }

    function test_receiveWithAuthorization_revertsWhenCallerIsNotPayee() public {
        Auth memory a = _auth(10e6, keccak256("r3"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), RECEIVE_AUTH_TYPEHASH, a);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.CallerNotPayee.selector, relayer, bob));
        _receiveVrs(a, v, r, s);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.CallerNotPayee.selector, relayer, bob));
        _receiveBytes(a, _pack(v, r, s));
        assertFalse(usdt.authorizationState(alice, a.nonce));
    }

    function test_receiveWithAuthorization_rejectsTransferTypedSignature() public {
        // A front-runner cannot lift a receive authorization into transferWithAuthorization, nor the reverse.
        Auth memory a = _auth(10e6, keccak256("r4"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), RECEIVE_AUTH_TYPEHASH, a);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferVrs(a, v, r, s);
        (v, r, s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        vm.prank(bob);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _receiveVrs(a, v, r, s);
    }

    function test_receiveWithAuthorization_windowAndReplay() public {
        Auth memory a = _auth(10e6, keccak256("r5"));
        a.validAfter = T0 + 10;
        a.validBefore = T0 + 20;
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), RECEIVE_AUTH_TYPEHASH, a);
        vm.startPrank(bob);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationNotYetValid.selector, T0 + 10, T0));
        _receiveVrs(a, v, r, s);
        vm.warp(T0 + 25);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationExpired.selector, T0 + 20, T0 + 25));
        _receiveVrs(a, v, r, s);
        vm.warp(T0 + 15);
        _receiveVrs(a, v, r, s);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationAlreadyUsed.selector, alice, a.nonce));
        _receiveVrs(a, v, r, s);
        vm.stopPrank();
    }

    // ------------------------------------------------------------ cancelAuthorization

    function test_cancelAuthorization_vrsThenUseFails() public {
        Auth memory a = _auth(1e6, keccak256("c1"));
        (uint8 tv, bytes32 tr, bytes32 ts) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        (uint8 v, bytes32 r, bytes32 s) = _signCancel(aliceKey, address(usdt), alice, a.nonce);

        vm.expectEmit(address(usdt));
        emit DevStablecoin.AuthorizationCanceled(alice, a.nonce);
        vm.prank(relayer);
        usdt.cancelAuthorization(alice, a.nonce, v, r, s);
        assertTrue(usdt.authorizationState(alice, a.nonce));

        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationAlreadyUsed.selector, alice, a.nonce));
        _transferVrs(a, tv, tr, ts);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationAlreadyUsed.selector, alice, a.nonce));
        usdt.cancelAuthorization(alice, a.nonce, v, r, s);
        assertEq(usdt.balanceOf(alice), 1_000e6);
    }

    function test_cancelAuthorization_bytes() public {
        bytes32 nonce = keccak256("c2");
        (uint8 v, bytes32 r, bytes32 s) = _signCancel(aliceKey, address(usdt), alice, nonce);
        usdt.cancelAuthorization(alice, nonce, _pack(v, r, s));
        assertTrue(usdt.authorizationState(alice, nonce));
    }

    function test_cancelAuthorization_revertsAfterUse() public {
        Auth memory a = _auth(1e6, keccak256("c3"));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        _transferVrs(a, v, r, s);
        (v, r, s) = _signCancel(aliceKey, address(usdt), alice, a.nonce);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationAlreadyUsed.selector, alice, a.nonce));
        usdt.cancelAuthorization(alice, a.nonce, _pack(v, r, s));
    }

    function test_cancelAuthorization_revertsOnWrongSigner() public {
        bytes32 nonce = keccak256("c4");
        (uint8 v, bytes32 r, bytes32 s) = _signCancel(bobKey, address(usdt), alice, nonce);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        usdt.cancelAuthorization(alice, nonce, v, r, s);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        usdt.cancelAuthorization(alice, nonce, _pack(v, r, s));
        assertFalse(usdt.authorizationState(alice, nonce));
    }

    // ------------------------------------------------------------ ERC-1271 smart wallets

    function test_erc1271Wallet_transferAndCancel() public {
        MockERC1271Wallet wallet = new MockERC1271Wallet(alice);
        usdt.faucet(address(wallet), 50e6);
        Auth memory a = _auth(20e6, keccak256("w1"));
        a.from = address(wallet);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        _transferBytes(a, _pack(v, r, s));
        assertEq(usdt.balanceOf(bob), 20e6);
        assertTrue(usdt.authorizationState(address(wallet), a.nonce));

        bytes32 nonce2 = keccak256("w2");
        (v, r, s) = _signCancel(aliceKey, address(usdt), address(wallet), nonce2);
        usdt.cancelAuthorization(address(wallet), nonce2, v, r, s); // (v,r,s) overload reaches 1271 too
        assertTrue(usdt.authorizationState(address(wallet), nonce2));
    }

    function test_erc1271Wallet_rejection() public {
        MockERC1271Wallet wallet = new MockERC1271Wallet(alice);
        usdt.faucet(address(wallet), 50e6);
        Auth memory a = _auth(20e6, keccak256("w3"));
        a.from = address(wallet);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        wallet.setRejectAll(true);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferVrs(a, v, r, s);
        wallet.setRejectAll(false);
        (v, r, s) = _signAuth(bobKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a); // not the wallet's key
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferVrs(a, v, r, s);
    }

    function test_walletAddressCannotBeSpentWithEoaSignatureOfOwner() public {
        // When `from` has code, an EOA signature is only honoured through the wallet's own check:
        // a wallet without isValidSignature (here: the token itself) can never authorize.
        Auth memory a = _auth(1, keccak256("w4"));
        a.from = address(usdt);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(aliceKey, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        _transferVrs(a, v, r, s);
    }
}
