// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TokenSigning} from "../utils/TokenSigning.sol";
import {SaharaToken} from "../../src/token/SaharaToken.sol";
import {DevStablecoin} from "../../src/token/DevStablecoin.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

contract TokensFuzzTest is TokenSigning {
    uint256 internal constant SUPPLY = 10_000_000_000e18;
    uint256 internal constant T0 = 1_700_000_000;

    SaharaToken internal sahara;
    DevStablecoin internal usdt;
    address internal treasury;

    function setUp() public {
        vm.warp(T0);
        treasury = makeAddr("treasury");
        sahara = new SaharaToken(treasury);
        usdt = new DevStablecoin();
    }

    function _key(uint256 seed) internal pure returns (uint256) {
        return bound(seed, 1, SECP256K1_N - 1);
    }

    function _assumeRecipient(address to) internal view {
        vm.assume(to != address(0) && to.code.length == 0 && uint160(to) > 0xff);
    }

    // ------------------------------------------------------------ SAHARA

    function testFuzz_saharaTransferConservesSupplyAndVotes(address to, uint256 amount, bool delegateTo) public {
        _assumeRecipient(to);
        vm.assume(to != treasury);
        amount = bound(amount, 0, SUPPLY);
        vm.prank(treasury);
        sahara.delegate(treasury);
        if (delegateTo) {
            vm.prank(to);
            sahara.delegate(to);
        }

        vm.prank(treasury);
        sahara.transfer(to, amount);

        assertEq(sahara.totalSupply(), SUPPLY);
        assertEq(sahara.balanceOf(to) + sahara.balanceOf(treasury), SUPPLY);
        assertEq(sahara.getVotes(treasury), SUPPLY - amount);
        assertEq(sahara.getVotes(to), delegateTo ? amount : 0);
    }

    function testFuzz_saharaPastVotesFollowTimeline(uint256 a1, uint256 a2, uint32 gap1, uint32 gap2) public {
        address holder = makeAddr("holder");
        a1 = bound(a1, 1, SUPPLY / 2);
        a2 = bound(a2, 1, SUPPLY / 2);
        uint256 g1 = bound(gap1, 1, 365 days);
        uint256 g2 = bound(gap2, 1, 365 days);

        vm.prank(holder);
        sahara.delegate(holder);
        vm.prank(treasury);
        sahara.transfer(holder, a1);
        uint256 t1 = block.timestamp;
        vm.warp(t1 + g1);
        vm.prank(treasury);
        sahara.transfer(holder, a2);
        uint256 t2 = block.timestamp;
        vm.warp(t2 + g2);

        assertEq(sahara.getPastVotes(holder, t1 - 1), 0);
        assertEq(sahara.getPastVotes(holder, t1), a1);
        assertEq(sahara.getPastVotes(holder, t2 - 1), a1);
        assertEq(sahara.getPastVotes(holder, t2), a1 + a2);
        assertEq(sahara.getVotes(holder), a1 + a2);
    }

    function testFuzz_saharaPermit(uint256 keySeed, address spender, uint256 value, uint256 deadline) public {
        uint256 key = _key(keySeed);
        address owner = vm.addr(key);
        deadline = bound(deadline, T0, type(uint256).max);
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, SAHARA_NAME, address(sahara), owner, spender, value, 0, deadline);
        vm.assume(spender != address(0));
        sahara.permit(owner, spender, value, deadline, v, r, s);
        assertEq(sahara.allowance(owner, spender), value);
        assertEq(sahara.nonces(owner), 1);
    }

    function testFuzz_saharaPermitWrongKey(uint256 keySeed, uint256 otherSeed, uint256 value) public {
        uint256 key = _key(keySeed);
        uint256 other = _key(otherSeed);
        vm.assume(vm.addr(key) != vm.addr(other));
        address owner = vm.addr(key);
        address spender = makeAddr("spender");
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(other, SAHARA_NAME, address(sahara), owner, spender, value, 0, T0);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, vm.addr(other), owner));
        sahara.permit(owner, spender, value, T0, v, r, s);
    }

    // ------------------------------------------------------------ USDT

    function testFuzz_faucet(address to, uint256 amount) public {
        vm.assume(to != address(0));
        if (amount > usdt.FAUCET_MAX()) {
            vm.expectRevert(abi.encodeWithSelector(DevStablecoin.FaucetLimitExceeded.selector, amount, 100_000e6));
            usdt.faucet(to, amount);
            assertEq(usdt.totalSupply(), 0);
        } else {
            usdt.faucet(to, amount);
            assertEq(usdt.balanceOf(to), amount);
            assertEq(usdt.totalSupply(), amount);
        }
    }

    /// Fuzzes the amount, the nonce and where "now" falls relative to the validity window: the call
    /// succeeds exactly when validAfter < now < validBefore, and otherwise fails with the exact error.
    function testFuzz_transferWithAuthorizationWindow(
        uint256 keySeed,
        Auth memory a,
        uint256 nowTs,
        bool asBytes
    ) public {
        _assumeRecipient(a.to);
        uint256 key = _key(keySeed);
        a.from = vm.addr(key);
        vm.assume(a.to != a.from);
        a.value = bound(a.value, 0, 100_000e6);
        usdt.faucet(a.from, a.value);
        a.validAfter = bound(a.validAfter, 0, type(uint64).max);
        a.validBefore = bound(a.validBefore, 0, type(uint64).max);
        nowTs = bound(nowTs, 1, type(uint64).max);

        (uint8 v, bytes32 r, bytes32 s) = _signAuth(key, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        vm.warp(nowTs);

        if (nowTs <= a.validAfter) {
            vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationNotYetValid.selector, a.validAfter, nowTs));
        } else if (nowTs >= a.validBefore) {
            vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationExpired.selector, a.validBefore, nowTs));
        }
        _submitTransfer(a, v, r, s, asBytes);

        bool ok = a.validAfter < nowTs && nowTs < a.validBefore;
        assertEq(usdt.authorizationState(a.from, a.nonce), ok);
        assertEq(usdt.balanceOf(a.to), ok ? a.value : 0);
        assertEq(usdt.balanceOf(a.from), ok ? 0 : a.value);
        assertEq(usdt.totalSupply(), a.value);
    }

    function _submitTransfer(Auth memory a, uint8 v, bytes32 r, bytes32 s, bool asBytes) internal {
        if (asBytes) {
            usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, _pack(v, r, s));
        } else {
            usdt.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
        }
    }

    function testFuzz_authorizationReplayAlwaysFails(uint256 keySeed, uint256 value, bytes32 nonce, bool cancelFirst)
        public
    {
        uint256 key = _key(keySeed);
        address from = vm.addr(key);
        address to = makeAddr("payee");
        vm.assume(from != to);
        value = bound(value, 1, 100_000e6);
        usdt.faucet(from, value);
        Auth memory a = Auth(from, to, value / 2, 0, type(uint256).max, nonce);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(key, address(usdt), TRANSFER_AUTH_TYPEHASH, a);

        if (cancelFirst) {
            (uint8 cv, bytes32 cr, bytes32 cs) = _signCancel(key, address(usdt), from, nonce);
            usdt.cancelAuthorization(from, nonce, cv, cr, cs);
        } else {
            usdt.transferWithAuthorization(from, to, a.value, 0, type(uint256).max, nonce, v, r, s);
        }
        assertTrue(usdt.authorizationState(from, nonce));

        // Neither overload nor the receive variant can use the nonce again.
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationAlreadyUsed.selector, from, nonce));
        usdt.transferWithAuthorization(from, to, a.value, 0, type(uint256).max, nonce, _pack(v, r, s));
        (v, r, s) = _signAuth(key, address(usdt), RECEIVE_AUTH_TYPEHASH, a);
        vm.prank(to);
        vm.expectRevert(abi.encodeWithSelector(DevStablecoin.AuthorizationAlreadyUsed.selector, from, nonce));
        usdt.receiveWithAuthorization(from, to, a.value, 0, type(uint256).max, nonce, v, r, s);
        assertEq(usdt.balanceOf(to), cancelFirst ? 0 : value / 2);
    }

    function testFuzz_authorizationWrongSignerFails(uint256 keySeed, uint256 otherSeed, uint256 value, bytes32 nonce)
        public
    {
        uint256 key = _key(keySeed);
        uint256 other = _key(otherSeed);
        address from = vm.addr(key);
        vm.assume(from != vm.addr(other));
        value = bound(value, 0, 100_000e6);
        usdt.faucet(from, value);
        Auth memory a = Auth(from, makeAddr("payee"), value, 0, type(uint256).max, nonce);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(other, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        usdt.transferWithAuthorization(a.from, a.to, a.value, 0, type(uint256).max, nonce, v, r, s);
        assertFalse(usdt.authorizationState(from, nonce));
    }

    function testFuzz_authorizationOtherChainFails(uint256 keySeed, uint64 chainId, bytes32 nonce) public {
        vm.assume(chainId != block.chainid && chainId != 0);
        uint256 key = _key(keySeed);
        address from = vm.addr(key);
        usdt.faucet(from, 1e6);
        Auth memory a = Auth(from, makeAddr("payee"), 1e6, 0, type(uint256).max, nonce);
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(key, address(usdt), TRANSFER_AUTH_TYPEHASH, a);
        vm.chainId(chainId);
        vm.expectRevert(DevStablecoin.InvalidSignature.selector);
        usdt.transferWithAuthorization(a.from, a.to, a.value, 0, type(uint256).max, nonce, v, r, s);
    }
}
