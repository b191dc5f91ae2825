// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ProtocolModule} from "../utils/ProtocolModule.sol";
import {IGrantPool} from "../interfaces/IGrantPool.sol";

/// @title GrantPool
/// @notice The developer grant pool (see IGrantPool). Owner = the DAO timelock; `committee` = an
///         address the DAO elects (e.g. a multisig) that may approve grants and open reward rounds
///         within `budget` per period.
///
///         Decisions (documented in docs/protocol/grants.md):
///         - The committee may act on every grant (approve milestones, cancel), not only the ones
///           it approved: a newly elected committee takes over its predecessor's portfolio, and the
///           owner can always act too.
///         - Milestones may be approved in any order; each pays exactly once (a bit in `paidMask`).
///         - Budget counts commitments (grant approvals and reward rounds) when they are made.
///           Cancelling a grant or closing a round returns the funds to `available` (the pool),
///           never to the committee's budget: otherwise a commitment made in one period and
///           cancelled in the next would raise the later period's effective budget.
///         - The period rolls over lazily on the first committee commitment after it ends; periods
///           stay aligned to the `periodStart` set by `setCommitteeBudget`.
/// @dev Plain storage, append-only across upgrades (ProtocolModule's bases use ERC-7201 namespaces).
///      All amounts are uint128: the token supply (10^28) is far below 2^128.
contract GrantPool is ProtocolModule, IGrantPool {
    using SafeERC20 for IERC20;

    /// @notice Most milestones per application (bounded so `paidMask` fits 16 bits).
    uint256 public constant MAX_MILESTONES = 16;
    /// @notice Longest metadata uri accepted (it is only logged, but logs cost the network too).
    uint256 public constant MAX_URI_LENGTH = 512;

    /// @dev slot 0: recipient (160) | status (8) | count (8) | paidMask (16) | byCommittee (8)
    ///      slot 1: applicant; slot 2: total (128) | paid (128); slot 3: metadataHash.
    struct Grant {
        address recipient;
        GrantStatus status;
        uint8 count;
        uint16 paidMask;
        bool byCommittee;
        address applicant;
        uint128 total;
        uint128 paid;
        bytes32 metadataHash;
    }

    /// @dev slot 0: root; slot 1: remaining (128) | deadline (64) | closed (8) | byCommittee (8);
    ///      slot 2: total.
    struct Round {
        bytes32 root;
        uint128 remaining;
        uint64 deadline;
        bool closed;
        bool byCommittee;
        uint128 total;
    }

    // ------------------------------------------------------------------ storage

    // slot 0
    IERC20 private _token;
    // slot 1: read together by every commitment and release
    uint128 private _available;
    uint128 private _reservedGrants;
    // slot 2
    uint128 private _reservedRounds;
    uint64 private _grantCount;
    uint64 private _roundCount;
    // slot 3: committee | period length | current period start
    address private _committee;
    uint48 private _periodSeconds;
    uint48 private _periodStart;
    // slot 4
    uint128 private _budget;
    uint128 private _spent;
    // slot 5..
    mapping(uint256 grantId => Grant) private _grants;
    mapping(uint256 grantId => uint128[16]) private _milestones; // two per slot
    mapping(uint256 roundId => Round) private _rounds;
    mapping(uint256 roundId => mapping(address account => bool)) private _claimed;

    // ------------------------------------------------------------------ init

    /// @notice Initializes the proxy.
    /// @param admin owner (the deployer on the devnet, the DAO timelock in production)
    /// @param token_ the pool token (SAHARA), fixed for the life of the pool
    /// @param committee_ the initial committee, address(0) for none (its budget starts at 0)
    function initialize(address admin, address token_, address committee_) external initializer {
        if (admin == address(0) || token_ == address(0)) revert ZeroAddress();
        __ProtocolModule_init(admin);
        _token = IERC20(token_);
        if (committee_ != address(0)) {
            _committee = committee_;
            emit CommitteeChanged(address(0), committee_);
        }
    }

    // ------------------------------------------------------------------ funding

    /// @inheritdoc IGrantPool
    function fund(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        IERC20 t = _token;
        uint256 before = t.balanceOf(address(this));
        t.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = t.balanceOf(address(this)) - before;
        if (received != amount) revert TransferShortfall(amount, received);
        _available += _u128(amount);
        emit Funded(msg.sender, amount);
    }

    /// @inheritdoc IGrantPool
    function sync() external nonReentrant returns (uint256 amount) {
        amount = _unaccounted();
        if (amount == 0) revert NothingToSync();
        _available += _u128(amount);
        emit Synced(amount);
    }

    /// @inheritdoc IGrantPool
    function withdraw(address to, uint256 amount) external onlyOwner nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        uint256 avail = _available;
        if (amount > avail) revert InsufficientAvailable(amount, avail);
        _available = uint128(avail - amount);
        emit Withdrawn(to, amount);
        _token.safeTransfer(to, amount);
    }

    // ------------------------------------------------------------------ committee

    /// @inheritdoc IGrantPool
    function setCommittee(address newCommittee) external onlyOwner {
        emit CommitteeChanged(_committee, newCommittee);
        _committee = newCommittee;
    }

    /// @inheritdoc IGrantPool
    function setCommitteeBudget(uint128 budget, uint48 periodSeconds) external onlyOwner {
        if (periodSeconds == 0) revert ZeroPeriod();
        _budget = budget;
        _spent = 0;
        _periodSeconds = periodSeconds;
        _periodStart = uint48(block.timestamp);
        emit CommitteeBudgetSet(budget, periodSeconds, block.timestamp);
    }

    // ------------------------------------------------------------------ applications and grants

    /// @inheritdoc IGrantPool
    function submitApplication(address recipient, string calldata uri, uint128[] calldata milestones)
        external whenNotPaused
        returns (uint256 grantId)
    {
        if (recipient == address(0)) revert ZeroAddress();
        uint256 n = milestones.length;
        if (n == 0 || n > MAX_MILESTONES) revert InvalidMilestoneCount(n, MAX_MILESTONES);
        if (bytes(uri).length > MAX_URI_LENGTH) revert UriTooLong(bytes(uri).length, MAX_URI_LENGTH);
        uint256 total;
        uint128[16] storage stored = _milestones[(grantId = ++_grantCount)];
        for (uint256 i; i < n; ++i) {
            uint128 m = milestones[i];
            if (m == 0) revert ZeroMilestoneAmount(i);
            total += m; // at most 16 * 2^128: cannot overflow uint256
            stored[i] = m;
        }
        if (total > type(uint128).max) revert GrantTooLarge();
        bytes32 metadataHash = keccak256(bytes(uri));
        _grants[grantId] = Grant({
            recipient: recipient,
            status: GrantStatus.Pending,
            count: uint8(n),
            paidMask: 0,
            byCommittee: false,
            applicant: msg.sender,
            total: uint128(total),
            paid: 0,
            metadataHash: metadataHash
        });
        emit ApplicationSubmitted(grantId, msg.sender, recipient, metadataHash, uri, milestones, total);
    }

    /// @inheritdoc IGrantPool
    function withdrawApplication(uint256 grantId) external {
        Grant storage g = _pending(grantId);
        if (g.applicant != msg.sender) revert NotApplicant(grantId, msg.sender);
        g.status = GrantStatus.Withdrawn;
        emit ApplicationWithdrawn(grantId);
    }

    /// @inheritdoc IGrantPool
    function approve(uint256 grantId) external whenNotPaused {
        bool byCommittee = _authorize();
        Grant storage g = _pending(grantId);
        uint128 total = g.total;
        _commit(total, byCommittee);
        _reservedGrants += total;
        g.status = GrantStatus.Approved;
        g.byCommittee = byCommittee;
        emit GrantApproved(grantId, msg.sender, byCommittee, total);
    }

    /// @inheritdoc IGrantPool
    function reject(uint256 grantId, string calldata reason) external {
        _authorize();
        Grant storage g = _pending(grantId);
        g.status = GrantStatus.Rejected;
        emit GrantRejected(grantId, msg.sender, reason);
    }

    /// @inheritdoc IGrantPool
    function approveMilestone(uint256 grantId, uint256 index) external nonReentrant {
        _authorize();
        Grant storage g = _approved(grantId);
        uint256 count = g.count;
        if (index >= count) revert MilestoneOutOfRange(grantId, index, count);
        uint16 bit = uint16(1 << index);
        uint16 mask = g.paidMask;
        if (mask & bit != 0) revert MilestoneAlreadyPaid(grantId, index);
        uint128 amount = _milestones[grantId][index];
        // paid + amount <= total (each milestone is paid once and they sum to total).
        uint128 paid = g.paid + amount;
        g.paidMask = mask | bit;
        g.paid = paid;
        _reservedGrants -= amount;
        address recipient = g.recipient;
        emit MilestonePaid(grantId, index, recipient, amount, msg.sender);
        if (paid == g.total) {
            g.status = GrantStatus.Completed;
            emit GrantCompleted(grantId);
        }
        _token.safeTransfer(recipient, amount);
    }

    /// @inheritdoc IGrantPool
    function cancelGrant(uint256 grantId) external returns (uint256 returned) {
        _authorize();
        Grant storage g = _approved(grantId);
        uint128 unpaid = g.total - g.paid;
        g.status = GrantStatus.Cancelled;
        _reservedGrants -= unpaid;
        _available += unpaid;
        emit GrantCancelled(grantId, msg.sender, unpaid);
        return unpaid;
    }

    /// @inheritdoc IGrantPool
    function setRecipient(uint256 grantId, address newRecipient) external {
        Grant storage g = _grants[grantId];
        GrantStatus s = g.status;
        if (s == GrantStatus.None) revert UnknownGrant(grantId);
        if (s != GrantStatus.Pending && s != GrantStatus.Approved) revert InvalidStatus(grantId, s);
        address previous = g.recipient;
        if (previous != msg.sender) revert NotRecipient(grantId, msg.sender);
        if (newRecipient == address(0)) revert ZeroAddress();
        g.recipient = newRecipient;
        emit RecipientChanged(grantId, previous, newRecipient);
    }

    // ------------------------------------------------------------------ reward rounds

    /// @inheritdoc IGrantPool
    function createRewardRound(bytes32 root, uint128 total, uint64 deadline) external whenNotPaused returns (uint256 roundId) {
        bool byCommittee = _authorize();
        if (root == bytes32(0)) revert ZeroRoot();
        if (total == 0) revert ZeroAmount();
        if (deadline <= block.timestamp) revert DeadlineInPast(deadline);
        _commit(total, byCommittee);
        _reservedRounds += total;
        roundId = ++_roundCount;
        _rounds[roundId] = Round({
            root: root,
            remaining: total,
            deadline: deadline,
            closed: false,
            byCommittee: byCommittee,
            total: total
        });
        emit RewardRoundCreated(roundId, root, total, deadline, msg.sender, byCommittee);
    }

    /// @inheritdoc IGrantPool
    function claimReward(uint256 roundId, address account, uint256 amount, bytes32[] calldata proof)
        external
        nonReentrant
    {
        Round storage r = _rounds[roundId];
        bytes32 root = r.root;
        if (root == bytes32(0)) revert UnknownRound(roundId);
        if (r.closed || block.timestamp > r.deadline) revert RoundClaimsClosed(roundId);
        mapping(address => bool) storage claimed = _claimed[roundId];
        if (claimed[account]) revert RewardAlreadyClaimed(roundId, account);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert InvalidProof();
        if (amount == 0) revert ZeroAmount();
        uint256 remaining = r.remaining;
        if (amount > remaining) revert ClaimExceedsRemaining(roundId, amount, remaining);
        claimed[account] = true;
        r.remaining = uint128(remaining - amount);
        _reservedRounds -= uint128(amount);
        emit RewardClaimed(roundId, account, amount);
        _token.safeTransfer(account, amount);
    }

    /// @inheritdoc IGrantPool
    function closeRewardRound(uint256 roundId) external returns (uint256 returned) {
        Round storage r = _rounds[roundId];
        if (r.root == bytes32(0)) revert UnknownRound(roundId);
        if (r.closed) revert RoundAlreadyClosed(roundId);
        uint64 deadline = r.deadline;
        if (block.timestamp <= deadline && msg.sender != owner()) revert RoundStillOpen(roundId, deadline);
        uint128 rest = r.remaining;
        r.closed = true;
        r.remaining = 0;
        _reservedRounds -= rest;
        _available += rest;
        emit RewardRoundClosed(roundId, msg.sender, rest);
        return rest;
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IGrantPool
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IGrantPool
    function committee() external view returns (address) {
        return _committee;
    }

    /// @inheritdoc IGrantPool
    function available() external view returns (uint256) {
        return _available;
    }

    /// @inheritdoc IGrantPool
    function reservedForGrants() external view returns (uint256) {
        return _reservedGrants;
    }

    /// @inheritdoc IGrantPool
    function reservedForRounds() external view returns (uint256) {
        return _reservedRounds;
    }

    /// @inheritdoc IGrantPool
    function unaccounted() external view returns (uint256) {
        return _unaccounted();
    }

    /// @inheritdoc IGrantPool
    function committeeBudget()
        external
        view
        returns (uint256 budget, uint256 periodSeconds, uint256 periodStart, uint256 spent, uint256 remaining)
    {
        budget = _budget;
        periodSeconds = _periodSeconds;
        (periodStart, spent) = _currentPeriod(_periodStart, periodSeconds, _spent);
        remaining = budget > spent ? budget - spent : 0;
    }

    /// @inheritdoc IGrantPool
    function grantCount() external view returns (uint256) {
        return _grantCount;
    }

    /// @inheritdoc IGrantPool
    function getGrant(uint256 grantId) external view returns (GrantView memory v) {
        Grant storage g = _grants[grantId];
        if (g.status == GrantStatus.None) revert UnknownGrant(grantId);
        uint256 n = g.count;
        uint128[] memory ms = new uint128[](n);
        uint128[16] storage stored = _milestones[grantId];
        for (uint256 i; i < n; ++i) ms[i] = stored[i];
        v = GrantView({
            applicant: g.applicant,
            recipient: g.recipient,
            status: g.status,
            approvedByCommittee: g.byCommittee,
            paidMask: g.paidMask,
            metadataHash: g.metadataHash,
            total: g.total,
            paid: g.paid,
            milestones: ms
        });
    }

    /// @inheritdoc IGrantPool
    function roundCount() external view returns (uint256) {
        return _roundCount;
    }

    /// @inheritdoc IGrantPool
    function getRewardRound(uint256 roundId) external view returns (RoundView memory) {
        Round storage r = _rounds[roundId];
        if (r.root == bytes32(0)) revert UnknownRound(roundId);
        return RoundView({
            root: r.root,
            total: r.total,
            remaining: r.remaining,
            deadline: r.deadline,
            closed: r.closed,
            byCommittee: r.byCommittee
        });
    }

    /// @inheritdoc IGrantPool
    function isClaimed(uint256 roundId, address account) external view returns (bool) {
        return _claimed[roundId][account];
    }

    // ------------------------------------------------------------------ internals

    /// @dev Owner first (so an owner that is also the committee is never budget-limited).
    function _authorize() private view returns (bool byCommittee) {
        if (msg.sender == owner()) return false;
        if (msg.sender == _committee) return true; // msg.sender is never address(0)
        revert NotOwnerOrCommittee(msg.sender);
    }

    function _pending(uint256 grantId) private view returns (Grant storage g) {
        g = _grants[grantId];
        GrantStatus s = g.status;
        if (s == GrantStatus.None) revert UnknownGrant(grantId);
        if (s != GrantStatus.Pending) revert InvalidStatus(grantId, s);
    }

    function _approved(uint256 grantId) private view returns (Grant storage g) {
        g = _grants[grantId];
        GrantStatus s = g.status;
        if (s == GrantStatus.None) revert UnknownGrant(grantId);
        if (s != GrantStatus.Approved) revert InvalidStatus(grantId, s);
    }

    /// @dev Takes `amount` out of available; a committee commitment must also fit its budget.
    function _commit(uint128 amount, bool byCommittee) private {
        uint128 avail = _available;
        if (amount > avail) revert InsufficientAvailable(amount, avail);
        _available = avail - amount;
        if (!byCommittee) return;
        (uint256 periodStart, uint256 spent) = _currentPeriod(_periodStart, _periodSeconds, _spent);
        uint256 budget = _budget;
        uint256 remaining = budget > spent ? budget - spent : 0;
        if (amount > remaining) revert BudgetExceeded(amount, remaining);
        spent += amount; // <= budget < 2^128
        _spent = uint128(spent);
        _periodStart = uint48(periodStart);
        emit CommitteeSpent(amount, spent, periodStart);
    }

    /// @dev The period containing now and what was spent in it: a period that has ended rolls
    ///      forward by whole periods (aligned to the original start) with nothing spent.
    function _currentPeriod(uint256 start, uint256 period, uint256 spent)
        private
        view
        returns (uint256, uint256)
    {
        if (period == 0 || block.timestamp < start + period) return (start, spent);
        return (block.timestamp - ((block.timestamp - start) % period), 0);
    }

    function _unaccounted() private view returns (uint256) {
        uint256 accounted = uint256(_available) + _reservedGrants + _reservedRounds;
        uint256 balance = _token.balanceOf(address(this));
        return balance > accounted ? balance - accounted : 0;
    }

    function _u128(uint256 x) private pure returns (uint128) {
        if (x > type(uint128).max) revert GrantTooLarge();
        return uint128(x);
    }
}
