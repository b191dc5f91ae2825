// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {SaharaToken} from "../../../src/token/SaharaToken.sol";
import {VestingVault} from "../../../src/token/VestingVault.sol";
import {IVestingVault} from "../../../src/interfaces/IVestingVault.sol";

/// @notice Drives a VestingVault with random schedule batches, releases (by anyone), revocations,
///         beneficiary moves and time jumps among a fixed set of actors. Ghosts record every wei
///         that entered and left the vault, per schedule and in total; safety counters must stay 0.
contract VestingHandler is Test {
    SaharaToken public immutable sahara;
    VestingVault public immutable vault;
    address public immutable owner;
    address public immutable treasury;
    address[4] internal _actors;

    uint256[] public ids;
    uint256 public ghostFunded;
    uint256 public ghostReleased;
    uint256 public ghostReturned;
    mapping(uint256 id => uint256) public ghostReleasedOf;
    mapping(uint256 id => uint256) public ghostReturnedOf;

    // ---- safety counters (must stay 0)
    /// @dev A release paid an amount other than vested - released, or to someone else.
    uint256 public ghostBadRelease;
    /// @dev A revoke returned an amount other than amount - vested(now).
    uint256 public ghostBadRevoke;
    /// @dev A call reverted with an error other than the one the state calls for.
    uint256 public ghostWrongError;
    /// @dev `released` of a schedule went down.
    uint256 public ghostReleasedDecreased;

    uint256 public successfulCalls;

    constructor(SaharaToken sahara_, VestingVault vault_, address owner_, address treasury_, address[4] memory actors_) {
        sahara = sahara_;
        vault = vault_;
        owner = owner_;
        treasury = treasury_;
        _actors = actors_;
    }

    function actor(uint256 i) external view returns (address) {
        return _actors[i];
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    function _pickId(uint256 seed) internal view returns (bool ok, uint256 id) {
        if (ids.length == 0) return (false, 0);
        return (true, ids[seed % ids.length]);
    }

    function _expectError(bytes memory reason, bytes memory expected) internal {
        if (keccak256(reason) != keccak256(expected)) ++ghostWrongError;
    }

    // ------------------------------------------------------------ actions

    function createBatch(uint256 n, uint256 seed) external {
        n = bound(n, 1, 3);
        IVestingVault.ScheduleParams[] memory batch = new IVestingVault.ScheduleParams[](n);
        uint256 total;
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 duration = bound(r >> 8, 1, 400 days);
            batch[i] = IVestingVault.ScheduleParams({
                beneficiary: _actors[r % 4],
                // From 100 days ago to 100 days ahead.
                start: uint64(block.timestamp - 100 days + bound(r >> 40, 0, 200 days)),
                cliff: uint64(bound(r >> 80, 0, duration)),
                duration: uint64(duration),
                amount: bound(r >> 120, 1, 1e26), // genesis can fund ~100 batches per run
                revocable: (r >> 200) % 2 == 0
            });
            total += batch[i].amount;
        }
        vm.prank(owner);
        uint256 firstId = vault.createSchedules(batch);
        for (uint256 i; i < n; ++i) ids.push(firstId + i);
        ghostFunded += total;
        ++successfulCalls;
    }

    function release(uint256 idSeed, uint256 callerSeed) external {
        (bool ok, uint256 id) = _pickId(idSeed);
        if (!ok) return;
        IVestingVault.Schedule memory s = vault.schedule(id);
        uint256 vestedNow = vault.vestedAmount(id, block.timestamp);
        uint256 due = vestedNow - s.released;
        uint256 before = sahara.balanceOf(s.beneficiary);
        vm.prank(_actors[callerSeed % 4]);
        try vault.release(id) returns (uint256 paid) {
            if (paid != due || due == 0 || sahara.balanceOf(s.beneficiary) != before + paid) ++ghostBadRelease;
            ghostReleased += paid;
            ghostReleasedOf[id] += paid;
            if (vault.schedule(id).released < s.released) ++ghostReleasedDecreased;
            ++successfulCalls;
        } catch (bytes memory reason) {
            if (due != 0) ++ghostBadRelease;
            _expectError(reason, abi.encodeWithSelector(IVestingVault.NothingToRelease.selector, id));
        }
    }

    function revoke(uint256 idSeed) external {
        (bool ok, uint256 id) = _pickId(idSeed);
        if (!ok) return;
        IVestingVault.Schedule memory s = vault.schedule(id);
        uint256 expected = s.amount - vault.vestedAmount(id, block.timestamp);
        address to = vault.treasury();
        uint256 before = sahara.balanceOf(to);
        vm.prank(owner);
        try vault.revoke(id) returns (uint256 returned) {
            if (!s.revocable || s.revokedAt != 0) ++ghostBadRevoke;
            if (returned != expected || sahara.balanceOf(to) != before + returned) ++ghostBadRevoke;
            ghostReturned += returned;
            ghostReturnedOf[id] = returned;
            ++successfulCalls;
        } catch (bytes memory reason) {
            if (!s.revocable) _expectError(reason, abi.encodeWithSelector(IVestingVault.NotRevocable.selector, id));
            else if (s.revokedAt != 0) _expectError(reason, abi.encodeWithSelector(IVestingVault.AlreadyRevoked.selector, id));
            else ++ghostBadRevoke;
        }
    }

    function setBeneficiary(uint256 idSeed, uint256 toSeed, bool asBeneficiary) external {
        (bool ok, uint256 id) = _pickId(idSeed);
        if (!ok) return;
        address current = vault.schedule(id).beneficiary;
        address to = _actors[toSeed % 4];
        address caller = asBeneficiary ? current : _actors[(toSeed / 4) % 4];
        vm.prank(caller);
        try vault.setBeneficiary(id, to) {
            if (caller != current) ++ghostWrongError;
            ++successfulCalls;
        } catch (bytes memory reason) {
            _expectError(reason, abi.encodeWithSelector(IVestingVault.NotBeneficiary.selector, id, caller));
        }
    }

    function setTreasury(uint256 seed) external {
        // Revoked tokens may go to any actor-independent address; ghosts follow vault.treasury().
        address t = seed % 2 == 0 ? treasury : address(uint160(uint256(keccak256(abi.encode("treasury2")))));
        vm.prank(owner);
        vault.setTreasury(t);
    }

    function warp(uint256 secondsForward) external {
        vm.warp(block.timestamp + bound(secondsForward, 1, 30 days));
    }
}
