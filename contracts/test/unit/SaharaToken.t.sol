// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TokenSigning} from "../utils/TokenSigning.sol";
import {SaharaToken} from "../../src/token/SaharaToken.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

contract SaharaTokenTest is TokenSigning {
    uint256 internal constant SUPPLY = 10_000_000_000e18;
    uint256 internal constant T0 = 1_700_000_000;

    SaharaToken internal token;
    address internal treasury;
    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    uint256 internal bobKey;
    address internal carol;

    function setUp() public {
        vm.warp(T0);
        treasury = makeAddr("treasury");
        (alice, aliceKey) = makeAccount("alice");
        (bob, bobKey) = makeAccount("bob");
        carol = makeAddr("carol");
        token = new SaharaToken(treasury);
    }

    // ------------------------------------------------------------ supply & metadata

    function test_metadata() public view {
        assertEq(token.name(), "Sahara");
        assertEq(token.symbol(), "SAHARA");
        assertEq(uint256(token.decimals()), 18);
    }

    function test_fixedSupplyMintedToRecipient() public view {
        assertEq(token.MAX_SUPPLY(), SUPPLY);
        assertEq(token.totalSupply(), SUPPLY);
        assertEq(token.balanceOf(treasury), SUPPLY);
    }

    function test_constructor_emitsMintTransfer() public {
        vm.expectEmit(true, true, true, true);
        emit IERC20.Transfer(address(0), alice, SUPPLY);
        new SaharaToken(alice);
    }

    function test_constructor_revertsOnZeroRecipient() public {
        vm.expectRevert(SaharaToken.ZeroRecipient.selector);
        new SaharaToken(address(0));
    }

    function test_noMintOrBurnEntryPoints() public {
        bytes[4] memory calls = [
            abi.encodeWithSignature("mint(address,uint256)", alice, 1),
            abi.encodeWithSignature("burn(uint256)", 1),
            abi.encodeWithSignature("burnFrom(address,uint256)", treasury, 1),
            abi.encodeWithSignature("mint(uint256)", 1)
        ];
        for (uint256 i; i < calls.length; ++i) {
            vm.prank(treasury);
            (bool ok,) = address(token).call(calls[i]);
            assertFalse(ok);
        }
        assertEq(token.totalSupply(), SUPPLY);
    }

    function test_transferKeepsSupply() public {
        vm.prank(treasury);
        assertTrue(token.transfer(alice, 123e18));
        assertEq(token.balanceOf(alice), 123e18);
        assertEq(token.balanceOf(treasury), SUPPLY - 123e18);
        assertEq(token.totalSupply(), SUPPLY);
    }

    function test_transfer_revertsOnInsufficientBalance() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 0, 1));
        token.transfer(bob, 1);
    }

    // ------------------------------------------------------------ permit (ERC-2612)

    function test_domainSeparatorMatchesSpec() public view {
        assertEq(token.DOMAIN_SEPARATOR(), _domainSeparator(SAHARA_NAME, address(token)));
        (, string memory name, string memory version, uint256 chainId, address verifying,,) = token.eip712Domain();
        assertEq(name, "Sahara");
        assertEq(version, "1");
        assertEq(chainId, block.chainid);
        assertEq(verifying, address(token));
    }

    function test_permit_setsAllowanceAndBumpsNonce() public {
        uint256 deadline = T0 + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, SAHARA_NAME, address(token), alice, bob, 5e18, 0, deadline);

        vm.expectEmit(address(token));
        emit IERC20.Approval(alice, bob, 5e18);
        vm.prank(carol); // anyone may relay
        token.permit(alice, bob, 5e18, deadline, v, r, s);

        assertEq(token.allowance(alice, bob), 5e18);
        assertEq(token.nonces(alice), 1);
    }

    function test_permit_thenTransferFrom() public {
        vm.prank(treasury);
        token.transfer(alice, 10e18);
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, SAHARA_NAME, address(token), alice, bob, 4e18, 0, T0);
        token.permit(alice, bob, 4e18, T0, v, r, s); // deadline == now is still valid
        vm.prank(bob);
        token.transferFrom(alice, carol, 4e18);
        assertEq(token.balanceOf(carol), 4e18);
        assertEq(token.balanceOf(alice), 6e18);
        assertEq(token.allowance(alice, bob), 0);
    }

    function test_permit_revertsWhenExpired() public {
        uint256 deadline = T0 - 1;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, SAHARA_NAME, address(token), alice, bob, 1, 0, deadline);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        token.permit(alice, bob, 1, deadline, v, r, s);
    }

    function test_permit_revertsOnReplay() public {
        uint256 deadline = T0 + 1;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, SAHARA_NAME, address(token), alice, bob, 7, 0, deadline);
        token.permit(alice, bob, 7, deadline, v, r, s);

        // The nonce moved to 1, so the same signature now recovers to an unrelated address.
        address recovered = ecrecover(_permitDigest(SAHARA_NAME, address(token), alice, bob, 7, 1, deadline), v, r, s);
        assertTrue(recovered != alice);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, recovered, alice));
        token.permit(alice, bob, 7, deadline, v, r, s);
    }

    function test_permit_revertsOnWrongSigner() public {
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(bobKey, SAHARA_NAME, address(token), alice, bob, 1, 0, T0);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, bob, alice));
        token.permit(alice, bob, 1, T0, v, r, s);
    }

    function test_permit_revertsWhenValueTampered() public {
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, SAHARA_NAME, address(token), alice, bob, 1, 0, T0);
        address recovered = ecrecover(_permitDigest(SAHARA_NAME, address(token), alice, bob, 2, 0, T0), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, recovered, alice));
        token.permit(alice, bob, 2, T0, v, r, s);
    }

    function test_permit_revertsForOtherTokenDomain() public {
        SaharaToken other = new SaharaToken(treasury);
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, SAHARA_NAME, address(other), alice, bob, 1, 0, T0);
        address recovered = ecrecover(_permitDigest(SAHARA_NAME, address(token), alice, bob, 1, 0, T0), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, recovered, alice));
        token.permit(alice, bob, 1, T0, v, r, s);
    }

    // ------------------------------------------------------------ votes (ERC-5805, timestamp clock)

    function test_clockIsTimestamp() public {
        assertEq(uint256(token.clock()), T0);
        assertEq(token.CLOCK_MODE(), "mode=timestamp");
        vm.roll(block.number + 100); // blocks alone do not move the clock
        assertEq(uint256(token.clock()), T0);
        vm.warp(T0 + 12);
        assertEq(uint256(token.clock()), T0 + 12);
    }

    function test_noVotesUntilDelegated() public view {
        assertEq(token.getVotes(treasury), 0);
        assertEq(token.delegates(treasury), address(0));
    }

    function test_selfDelegate() public {
        vm.expectEmit(address(token));
        emit IVotes.DelegateChanged(treasury, address(0), treasury);
        vm.expectEmit(address(token));
        emit IVotes.DelegateVotesChanged(treasury, 0, SUPPLY);
        vm.prank(treasury);
        token.delegate(treasury);
        assertEq(token.getVotes(treasury), SUPPLY);
        assertEq(token.delegates(treasury), treasury);
    }

    function test_delegateToOtherAndTransfersMoveVotes() public {
        vm.prank(treasury);
        token.transfer(alice, 100e18);
        vm.prank(alice);
        token.delegate(bob);
        assertEq(token.getVotes(bob), 100e18);
        assertEq(token.getVotes(alice), 0);

        vm.prank(alice);
        token.transfer(carol, 30e18); // carol has not delegated: those votes vanish from bob
        assertEq(token.getVotes(bob), 70e18);

        vm.prank(carol);
        token.delegate(carol);
        assertEq(token.getVotes(carol), 30e18);

        vm.prank(alice);
        token.delegate(carol); // redelegation moves alice's remaining weight
        assertEq(token.getVotes(bob), 0);
        assertEq(token.getVotes(carol), 100e18);
    }

    function test_getPastVotesAtPastTimestamps() public {
        vm.prank(treasury);
        token.transfer(alice, 100e18);
        vm.prank(alice);
        token.delegate(alice); // checkpoint at T0: 100

        vm.warp(T0 + 100);
        vm.roll(block.number + 1);
        vm.prank(alice);
        token.transfer(bob, 40e18); // checkpoint at T0+100: 60

        vm.warp(T0 + 200);
        vm.roll(block.number + 1);
        vm.prank(treasury);
        token.transfer(alice, 15e18); // checkpoint at T0+200: 75

        vm.warp(T0 + 300);
        assertEq(token.getPastVotes(alice, T0 - 1), 0);
        assertEq(token.getPastVotes(alice, T0), 100e18);
        assertEq(token.getPastVotes(alice, T0 + 99), 100e18);
        assertEq(token.getPastVotes(alice, T0 + 100), 60e18);
        assertEq(token.getPastVotes(alice, T0 + 150), 60e18);
        assertEq(token.getPastVotes(alice, T0 + 200), 75e18);
        assertEq(token.getPastVotes(alice, T0 + 299), 75e18);
        assertEq(token.getPastTotalSupply(T0 + 299), SUPPLY);
        assertEq(uint256(token.numCheckpoints(alice)), 3);
        assertEq(uint256(token.checkpoints(alice, 1)._key), T0 + 100);
    }

    function test_checkpointsKeyedByTimeNotBlock() public {
        vm.prank(treasury);
        token.transfer(alice, 10e18);
        vm.prank(alice);
        token.delegate(alice);
        vm.roll(block.number + 5); // new block, same timestamp: same checkpoint gets overwritten
        vm.prank(treasury);
        token.transfer(alice, 5e18);
        assertEq(uint256(token.numCheckpoints(alice)), 1);
        vm.warp(T0 + 1);
        assertEq(token.getPastVotes(alice, T0), 15e18);
    }

    function test_getPastVotes_revertsOnCurrentOrFutureTimepoint() public {
        vm.expectRevert(abi.encodeWithSelector(Votes.ERC5805FutureLookup.selector, T0, uint48(T0)));
        token.getPastVotes(alice, T0);
        vm.expectRevert(abi.encodeWithSelector(Votes.ERC5805FutureLookup.selector, T0 + 5, uint48(T0)));
        token.getPastTotalSupply(T0 + 5);
    }

    function test_delegateBySig() public {
        vm.prank(treasury);
        token.transfer(alice, 9e18);
        uint256 expiry = T0 + 1 days;
        bytes32 digest = _digest(SAHARA_NAME, address(token), keccak256(abi.encode(DELEGATION_TYPEHASH, bob, 0, expiry)));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, digest);
        vm.prank(carol);
        token.delegateBySig(bob, 0, expiry, v, r, s);
        assertEq(token.delegates(alice), bob);
        assertEq(token.getVotes(bob), 9e18);
        assertEq(token.nonces(alice), 1); // permit and delegateBySig share one counter
    }

    function test_delegateBySig_revertsWhenExpired() public {
        uint256 expiry = T0 - 1;
        bytes32 digest = _digest(SAHARA_NAME, address(token), keccak256(abi.encode(DELEGATION_TYPEHASH, bob, 0, expiry)));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, digest);
        vm.expectRevert(abi.encodeWithSelector(IVotes.VotesExpiredSignature.selector, expiry));
        token.delegateBySig(bob, 0, expiry, v, r, s);
    }

    function test_delegateBySig_revertsAfterPermitConsumedNonce() public {
        (uint8 pv, bytes32 pr, bytes32 ps) = _signPermit(aliceKey, SAHARA_NAME, address(token), alice, bob, 1, 0, T0);
        token.permit(alice, bob, 1, T0, pv, pr, ps);

        bytes32 digest = _digest(SAHARA_NAME, address(token), keccak256(abi.encode(DELEGATION_TYPEHASH, bob, 0, T0)));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, digest);
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, alice, 1));
        token.delegateBySig(bob, 0, T0, v, r, s);
    }
}
