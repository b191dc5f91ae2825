// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {SaharaToken} from "../../../src/token/SaharaToken.sol";
import {MerkleAirdrop} from "../../../src/token/MerkleAirdrop.sol";
import {IMerkleAirdrop} from "../../../src/interfaces/IMerkleAirdrop.sol";

/// @notice Drives a vesting MerkleAirdrop with genuine claims (submitted by anyone), forged claims,
///         releases, sweeps, donations and time jumps across the deadline and the vesting period.
///         Ghosts record every wei in and out; safety counters must stay 0.
contract AirdropHandler is Test {
    SaharaToken public immutable sahara;
    MerkleAirdrop public immutable drop;
    address public immutable funder;
    address public immutable treasury;

    address[] public accounts;
    uint256[] public amounts;
    bytes32[][] internal _proofs;

    uint256 public ghostFunded;
    uint256 public ghostPaid;
    uint256 public ghostSwept;
    mapping(address account => uint256) public ghostPaidTo;
    mapping(address account => uint256) public ghostClaims;

    // ---- safety counters (must stay 0)
    uint256 public ghostForgedAccepted;
    uint256 public ghostDoubleClaim;
    uint256 public ghostBadPayment;
    uint256 public ghostWrongError;

    uint256 public successfulCalls;
    uint256 public sweeps;

    constructor(
        SaharaToken sahara_,
        MerkleAirdrop drop_,
        address funder_,
        address treasury_,
        address[] memory accounts_,
        uint256[] memory amounts_,
        bytes32[][] memory proofs_,
        uint256 funded
    ) {
        sahara = sahara_;
        drop = drop_;
        funder = funder_;
        treasury = treasury_;
        for (uint256 i; i < accounts_.length; ++i) {
            accounts.push(accounts_[i]);
            amounts.push(amounts_[i]);
            _proofs.push(proofs_[i]);
        }
        ghostFunded = funded;
    }

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    function _vested(uint256 amount) internal view returns (uint256) {
        return drop.vestedAmount(amount, block.timestamp);
    }

    function _expectError(bytes memory reason, bytes memory expected) internal {
        if (keccak256(reason) != keccak256(expected)) ++ghostWrongError;
    }

    // ------------------------------------------------------------ actions

    function claim(uint256 seed, address submitter) external {
        uint256 i = seed % accounts.length;
        address account = accounts[i];
        uint256 amount = amounts[i];
        (uint256 claimedAmount,) = drop.claimed(account);
        uint256 before = sahara.balanceOf(account);
        uint256 expected = _vested(amount);
        vm.prank(submitter);
        try drop.claim(account, amount, _proofs[i]) returns (uint256 paid) {
            if (claimedAmount != 0) ++ghostDoubleClaim;
            if (block.timestamp > drop.deadline()) ++ghostWrongError;
            if (paid != expected || sahara.balanceOf(account) != before + paid) ++ghostBadPayment;
            ghostPaid += paid;
            ghostPaidTo[account] += paid;
            ++ghostClaims[account];
            ++successfulCalls;
        } catch (bytes memory reason) {
            if (block.timestamp > drop.deadline()) {
                _expectError(reason, abi.encodeWithSelector(IMerkleAirdrop.ClaimWindowClosed.selector, drop.deadline()));
            } else {
                _expectError(reason, abi.encodeWithSelector(IMerkleAirdrop.AlreadyClaimed.selector, account));
            }
        }
    }

    /// A genuine proof with a different amount, or another account's proof: must never pay.
    function claimForged(uint256 seed, uint256 delta, bool otherAccount) external {
        uint256 i = seed % accounts.length;
        uint256 j = otherAccount ? (i + 1) % accounts.length : i;
        uint256 amount = otherAccount ? amounts[j] : amounts[i] + bound(delta, 1, 1e24);
        try drop.claim(accounts[j], amount, _proofs[i]) {
            ++ghostForgedAccepted;
        } catch {}
    }

    function release(uint256 seed) external {
        address account = accounts[seed % accounts.length];
        (uint256 amount, uint256 released) = drop.claimed(account);
        uint256 due = _vested(amount) - released;
        uint256 before = sahara.balanceOf(account);
        try drop.release(account) returns (uint256 paid) {
            if (paid != due || paid == 0 || sahara.balanceOf(account) != before + paid) ++ghostBadPayment;
            ghostPaid += paid;
            ghostPaidTo[account] += paid;
            ++successfulCalls;
        } catch (bytes memory reason) {
            if (due != 0) ++ghostBadPayment;
            _expectError(reason, abi.encodeWithSelector(IMerkleAirdrop.NothingToRelease.selector, account));
        }
    }

    function sweep() external {
        uint256 balance = sahara.balanceOf(address(drop));
        uint256 outstanding = drop.totalOutstanding();
        uint256 before = sahara.balanceOf(treasury);
        try drop.sweep() returns (uint256 swept) {
            if (block.timestamp <= drop.deadline() || swept != balance - outstanding) ++ghostBadPayment;
            if (sahara.balanceOf(treasury) != before + swept) ++ghostBadPayment;
            ghostSwept += swept;
            ++sweeps;
            ++successfulCalls;
        } catch (bytes memory reason) {
            if (block.timestamp <= drop.deadline()) {
                _expectError(reason, abi.encodeWithSelector(IMerkleAirdrop.ClaimWindowOpen.selector, drop.deadline()));
            } else {
                _expectError(reason, abi.encodeWithSelector(IMerkleAirdrop.NothingToSweep.selector));
            }
        }
    }

    /// Someone sends tokens to the airdrop directly (only ever swept, never owed).
    function donate(uint256 amount) external {
        amount = bound(amount, 1, 1000e18);
        vm.prank(funder);
        sahara.transfer(address(drop), amount);
        ghostFunded += amount;
    }

    function warp(uint256 secondsForward) external {
        vm.warp(block.timestamp + bound(secondsForward, 1, 10 days));
    }
}
