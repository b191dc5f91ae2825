// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {TokenHandler} from "./handlers/TokenHandler.sol";
import {SaharaToken} from "../../src/token/SaharaToken.sol";
import {DevStablecoin} from "../../src/token/DevStablecoin.sol";

contract TokensInvariantTest is Test {
    uint256 internal constant SUPPLY = 10_000_000_000e18;

    SaharaToken internal sahara;
    DevStablecoin internal usdt;
    TokenHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        uint256[] memory keys = new uint256[](4);
        keys[0] = uint256(keccak256("inv-actor-0"));
        keys[1] = uint256(keccak256("inv-actor-1"));
        keys[2] = uint256(keccak256("inv-actor-2"));
        keys[3] = uint256(keccak256("inv-actor-3"));
        sahara = new SaharaToken(vm.addr(keys[0]));
        usdt = new DevStablecoin();
        handler = new TokenHandler(sahara, usdt, keys);

        bytes4[] memory selectors = new bytes4[](9);
        selectors[0] = TokenHandler.saharaTransfer.selector;
        selectors[1] = TokenHandler.saharaDelegate.selector;
        selectors[2] = TokenHandler.saharaPermitTransferFrom.selector;
        selectors[3] = TokenHandler.warp.selector;
        selectors[4] = TokenHandler.usdtFaucet.selector;
        selectors[5] = TokenHandler.usdtTransfer.selector;
        selectors[6] = TokenHandler.usdtAuthorizedTransfer.selector;
        selectors[7] = TokenHandler.usdtCancel.selector;
        selectors[8] = TokenHandler.usdtReplay.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    function invariant_saharaSupplyConstant() public view {
        assertEq(sahara.totalSupply(), SUPPLY);
    }

    function invariant_saharaGhostBalancesSumToSupply() public view {
        uint256 sum;
        uint256 n = handler.actorCount();
        for (uint256 i; i < n; ++i) {
            address a = handler.actors(i);
            assertEq(sahara.balanceOf(a), handler.ghostSahara(a), "SAHARA balance != ghost");
            sum += handler.ghostSahara(a);
        }
        assertEq(sum, sahara.totalSupply());
    }

    /// Votes are exactly the balances of accounts that delegated (all delegatees are actors).
    function invariant_saharaVotesMatchDelegatedBalances() public view {
        uint256 votes;
        uint256 delegated;
        uint256 n = handler.actorCount();
        for (uint256 i; i < n; ++i) {
            address a = handler.actors(i);
            votes += sahara.getVotes(a);
            if (sahara.delegates(a) != address(0)) delegated += sahara.balanceOf(a);
        }
        assertEq(votes, delegated);
    }

    function invariant_usdtSupplyEqualsFaucetMints() public view {
        assertEq(usdt.totalSupply(), handler.ghostUsdtMinted());
        uint256 sum;
        uint256 n = handler.actorCount();
        for (uint256 i; i < n; ++i) {
            address a = handler.actors(i);
            assertEq(usdt.balanceOf(a), handler.ghostUsdt(a), "USDT balance != ghost");
            sum += handler.ghostUsdt(a);
        }
        assertEq(sum, usdt.totalSupply());
    }

    function invariant_noAuthorizationNonceUsedTwice() public view {
        assertEq(handler.ghostReplaySucceeded(), 0, "a consumed nonce was accepted again");
        assertEq(handler.ghostReplayWrongError(), 0, "replay failed with an unexpected error");
        uint256 n = handler.usedNonceCount();
        for (uint256 i; i < n; ++i) {
            (address authorizer, bytes32 nonce) = handler.usedNonceAt(i);
            assertTrue(usdt.authorizationState(authorizer, nonce));
            assertEq(handler.ghostNonceConsumptions(authorizer, nonce), 1);
        }
    }

    /// Guards against a vacuous run where every handler call reverted.
    function afterInvariant() public view {
        assertGt(handler.successfulCalls(), 0);
    }
}
