// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {StandardMerkle} from "../../utils/StandardMerkle.sol";
import {SaharaToken} from "../../../src/token/SaharaToken.sol";
import {GrantPool} from "../../../src/grants/GrantPool.sol";
import {IGrantPool} from "../../../src/interfaces/IGrantPool.sol";

/// @notice Drives a GrantPool through applications, approvals (owner and committee), milestone
///         payments in any order, cancels, recipient changes, reward rounds with genuine and
///         over-promising trees, claims, closes, funding, donations, syncs, withdrawals, budget
///         changes and time jumps. Ghosts record every wei in and out and an independent model of
///         the committee's period budget; safety counters must stay 0.
contract GrantPoolHandler is Test {
    SaharaToken public immutable sahara;
    GrantPool public immutable pool;
    address public immutable dao;
    address public immutable committee;

    address[4] public actors;

    // ---- money ghosts
    uint256 public ghostFunded; // via fund
    uint256 public ghostDonated; // plain transfers
    uint256 public ghostMilestonesPaid;
    uint256 public ghostRewardsPaid;
    uint256 public ghostWithdrawn;
    uint256 public ghostSynced;

    // ---- per-item ghosts
    mapping(uint256 grantId => uint256) public ghostGrantPaid;
    mapping(uint256 grantId => mapping(uint256 index => uint256)) public ghostMilestonePays;
    mapping(uint256 roundId => mapping(address account => uint256)) public ghostClaims;
    mapping(uint256 roundId => uint256[4]) internal _roundAmounts;
    mapping(uint256 roundId => bytes32[]) internal _roundTrees;

    // ---- committee budget model
    uint256 public modelBudget;
    uint256 public modelPeriod;
    uint256 public modelStart;
    uint256 public modelSpent;

    // ---- safety counters (must stay 0)
    uint256 public ghostDoublePay;
    uint256 public ghostDoubleClaim;
    uint256 public ghostOverBudget;
    uint256 public ghostBudgetMismatch;
    uint256 public ghostBadPayment;
    uint256 public ghostUnexpectedSuccess;

    uint256 public successfulCalls;

    constructor(SaharaToken sahara_, GrantPool pool_, address dao_, address committee_) {
        sahara = sahara_;
        pool = pool_;
        dao = dao_;
        committee = committee_;
        for (uint256 i; i < 4; ++i) actors[i] = address(uint160(0xC0FFEE00 + i));
        sahara.approve(address(pool), type(uint256).max);
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % 4];
    }

    function _authority(bool asCommittee) internal view returns (address) {
        return asCommittee ? committee : dao;
    }

    function _grantId(uint256 seed) internal view returns (uint256) {
        uint256 n = pool.grantCount();
        return n == 0 ? 1 : (seed % n) + 1;
    }

    function _roundId(uint256 seed) internal view returns (uint256) {
        uint256 n = pool.roundCount();
        return n == 0 ? 1 : (seed % n) + 1;
    }

    /// @dev Rolls the model period forward to now (the pool does it lazily at the next commit).
    function _rollModel() internal {
        if (modelPeriod != 0 && block.timestamp >= modelStart + modelPeriod) {
            modelStart += ((block.timestamp - modelStart) / modelPeriod) * modelPeriod;
            modelSpent = 0;
        }
    }

    /// @dev Books a successful commitment in the model and checks the pool agrees.
    function _committed(bool asCommittee, uint256 amount) internal {
        if (!asCommittee) return;
        _rollModel();
        modelSpent += amount;
        if (modelSpent > modelBudget) ++ghostOverBudget;
        (,, uint256 start, uint256 spent,) = pool.committeeBudget();
        if (start != modelStart || spent != modelSpent) ++ghostBudgetMismatch;
    }

    /// @dev A committee commitment the model says does not fit must have failed.
    function _rejectedCommit(bool asCommittee, uint256 amount) internal {
        if (!asCommittee) return;
        _rollModel();
        if (modelSpent + amount <= modelBudget && amount <= pool.available()) ++ghostBadPayment;
    }

    // ------------------------------------------------------------ funding

    function fund(uint256 amount) external {
        amount = bound(amount, 1, 100_000e18);
        pool.fund(amount);
        ghostFunded += amount;
        ++successfulCalls;
    }

    function donate(uint256 amount) external {
        amount = bound(amount, 1, 10_000e18);
        sahara.transfer(address(pool), amount);
        ghostDonated += amount;
    }

    function sync() external {
        uint256 expected = pool.unaccounted();
        try pool.sync() returns (uint256 got) {
            if (got != expected || got == 0) ++ghostBadPayment;
            ghostSynced += got;
            ++successfulCalls;
        } catch {
            if (expected != 0) ++ghostBadPayment;
        }
    }

    function withdraw(uint256 amount, uint256 toSeed) external {
        uint256 avail = pool.available();
        amount = bound(amount, 1, avail + 1);
        address to = _actor(toSeed);
        uint256 before = sahara.balanceOf(to);
        vm.prank(dao);
        try pool.withdraw(to, amount) {
            if (amount > avail || sahara.balanceOf(to) != before + amount) ++ghostBadPayment;
            ghostWithdrawn += amount;
            ++successfulCalls;
        } catch {
            if (amount <= avail) ++ghostBadPayment;
        }
    }

    function setBudget(uint256 budget, uint256 period) external {
        budget = bound(budget, 0, 200_000e18);
        period = bound(period, 1, 60 days);
        vm.prank(dao);
        pool.setCommitteeBudget(uint128(budget), uint48(period));
        modelBudget = budget;
        modelPeriod = period;
        modelStart = block.timestamp;
        modelSpent = 0;
    }

    function warp(uint256 secondsForward) external {
        vm.warp(block.timestamp + bound(secondsForward, 1, 20 days));
    }

    // ------------------------------------------------------------ grants

    function submit(uint256 actorSeed, uint256 recipientSeed, uint256 n, uint256 amountSeed) external {
        n = bound(n, 1, 5);
        uint128[] memory m = new uint128[](n);
        for (uint256 i; i < n; ++i) m[i] = uint128(bound(uint256(keccak256(abi.encode(amountSeed, i))), 1, 20_000e18));
        vm.prank(_actor(actorSeed));
        pool.submitApplication(_actor(recipientSeed), "ipfs://x", m);
        ++successfulCalls;
    }

    function withdrawApplication(uint256 seed) external {
        uint256 id = _grantId(seed);
        if (pool.grantCount() == 0) return;
        vm.prank(pool.getGrant(id).applicant);
        try pool.withdrawApplication(id) {
            ++successfulCalls;
        } catch {}
    }

    function approve(uint256 seed, bool asCommittee) external {
        if (pool.grantCount() == 0) return;
        uint256 id = _grantId(seed);
        IGrantPool.GrantView memory g = pool.getGrant(id);
        uint256 availBefore = pool.available();
        vm.prank(_authority(asCommittee));
        try pool.approve(id) {
            if (g.status != IGrantPool.GrantStatus.Pending || g.total > availBefore) ++ghostUnexpectedSuccess;
            _committed(asCommittee, g.total);
            ++successfulCalls;
        } catch {
            if (g.status == IGrantPool.GrantStatus.Pending) _rejectedCommit(asCommittee, g.total);
        }
    }

    function reject(uint256 seed, bool asCommittee) external {
        if (pool.grantCount() == 0) return;
        vm.prank(_authority(asCommittee));
        try pool.reject(_grantId(seed), "no") {
            ++successfulCalls;
        } catch {}
    }

    function approveMilestone(uint256 seed, uint256 index, bool asCommittee) external {
        if (pool.grantCount() == 0) return;
        uint256 id = _grantId(seed);
        IGrantPool.GrantView memory g = pool.getGrant(id);
        index = bound(index, 0, g.milestones.length); // one past the end tests the range check
        uint256 before = sahara.balanceOf(g.recipient);
        vm.prank(_authority(asCommittee));
        try pool.approveMilestone(id, index) {
            uint256 amount = g.milestones[index];
            if (ghostMilestonePays[id][index] != 0) ++ghostDoublePay;
            if (g.status != IGrantPool.GrantStatus.Approved) ++ghostUnexpectedSuccess;
            if (sahara.balanceOf(g.recipient) != before + amount) ++ghostBadPayment;
            ++ghostMilestonePays[id][index];
            ghostGrantPaid[id] += amount;
            ghostMilestonesPaid += amount;
            ++successfulCalls;
        } catch {}
    }

    function cancel(uint256 seed, bool asCommittee) external {
        if (pool.grantCount() == 0) return;
        uint256 id = _grantId(seed);
        IGrantPool.GrantView memory g = pool.getGrant(id);
        uint256 availBefore = pool.available();
        vm.prank(_authority(asCommittee));
        try pool.cancelGrant(id) returns (uint256 returned) {
            if (returned != g.total - g.paid || pool.available() != availBefore + returned) ++ghostBadPayment;
            ++successfulCalls;
        } catch {}
    }

    function setRecipient(uint256 seed, uint256 newSeed) external {
        if (pool.grantCount() == 0) return;
        uint256 id = _grantId(seed);
        vm.prank(pool.getGrant(id).recipient);
        try pool.setRecipient(id, _actor(newSeed)) {
            ++successfulCalls;
        } catch {}
    }

    // ------------------------------------------------------------ reward rounds

    function createRound(uint256 amountSeed, uint256 totalSeed, uint256 duration, bool asCommittee) external {
        uint256[4] memory amounts;
        bytes32[] memory leaves = new bytes32[](4);
        uint256 sum;
        for (uint256 i; i < 4; ++i) {
            amounts[i] = bound(uint256(keccak256(abi.encode(amountSeed, i))), 1, 5_000e18);
            sum += amounts[i];
            leaves[i] = StandardMerkle.leaf(actors[i], amounts[i]);
        }
        // Sometimes the reserve is smaller than what the tree promises (a bad root).
        uint256 total = bound(totalSeed, sum / 2, sum);
        bytes32[] memory tree = StandardMerkle.build(leaves);
        uint256 availBefore = pool.available();
        vm.prank(_authority(asCommittee));
        try pool.createRewardRound(tree[0], uint128(total), uint64(block.timestamp + bound(duration, 1, 15 days)))
        returns (uint256 id) {
            if (total > availBefore) ++ghostUnexpectedSuccess;
            _roundAmounts[id] = amounts;
            _roundTrees[id] = tree;
            _committed(asCommittee, total);
            ++successfulCalls;
        } catch {
            _rejectedCommit(asCommittee, total);
        }
    }

    function claim(uint256 roundSeed, uint256 actorSeed, address submitter) external {
        if (pool.roundCount() == 0) return;
        uint256 id = _roundId(roundSeed);
        uint256 i = actorSeed % 4;
        address account = actors[i];
        uint256 amount = _roundAmounts[id][i];
        bytes32[] memory proof = StandardMerkle.proof(_roundTrees[id], StandardMerkle.leaf(account, amount));
        IGrantPool.RoundView memory r = pool.getRewardRound(id);
        uint256 before = sahara.balanceOf(account);
        vm.prank(submitter);
        try pool.claimReward(id, account, amount, proof) {
            if (ghostClaims[id][account] != 0) ++ghostDoubleClaim;
            if (amount > r.remaining || r.closed || block.timestamp > r.deadline) ++ghostUnexpectedSuccess;
            if (sahara.balanceOf(account) != before + amount) ++ghostBadPayment;
            ++ghostClaims[id][account];
            ghostRewardsPaid += amount;
            ++successfulCalls;
        } catch {}
    }

    /// A claim with a forged amount must never pay.
    function claimForged(uint256 roundSeed, uint256 actorSeed, uint256 delta) external {
        if (pool.roundCount() == 0) return;
        uint256 id = _roundId(roundSeed);
        uint256 i = actorSeed % 4;
        uint256 amount = _roundAmounts[id][i];
        bytes32[] memory proof = StandardMerkle.proof(_roundTrees[id], StandardMerkle.leaf(actors[i], amount));
        try pool.claimReward(id, actors[i], amount + bound(delta, 1, 1e24), proof) {
            ++ghostUnexpectedSuccess;
        } catch {}
    }

    function closeRound(uint256 roundSeed, bool asOwner) external {
        if (pool.roundCount() == 0) return;
        uint256 id = _roundId(roundSeed);
        IGrantPool.RoundView memory r = pool.getRewardRound(id);
        uint256 availBefore = pool.available();
        vm.prank(asOwner ? dao : actors[0]);
        try pool.closeRewardRound(id) returns (uint256 returned) {
            if (r.closed || (!asOwner && block.timestamp <= r.deadline)) ++ghostUnexpectedSuccess;
            if (returned != r.remaining || pool.available() != availBefore + returned) ++ghostBadPayment;
            ++successfulCalls;
        } catch {}
    }

    // ------------------------------------------------------------ views for the invariants

    function actorAt(uint256 i) external view returns (address) {
        return actors[i];
    }
}
