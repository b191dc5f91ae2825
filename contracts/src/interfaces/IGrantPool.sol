// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IGrantPool
/// @notice The developer grant pool: holds SAHARA, takes grant applications (milestones with
///         amounts), lets governance (the owner, i.e. the DAO timelock) or a DAO-elected committee
///         within a per-period budget approve them, pays each milestone on approval, returns unspent
///         funds to the pool, and pays event rewards through Merkle reward rounds.
///
///         Accounting (exact to the wei, checked by invariants):
///           token balance == available + reservedForGrants + reservedForRounds + unaccounted
///         where `unaccounted` is what arrived by plain transfer and becomes `available` on `sync`.
///
///         Reward-round leaves use the StandardMerkleTree format (npm package of OpenZeppelin) with
///         encoding ["address","uint256"] (same as MerkleAirdrop):
///         leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount)))).
interface IGrantPool {
    // ------------------------------------------------------------------ types

    /// @notice Lifecycle of an application / grant.
    ///         None -> Pending -> (Withdrawn | Rejected | Approved); Approved -> (Completed | Cancelled).
    enum GrantStatus {
        None,
        Pending,
        Withdrawn,
        Rejected,
        Approved,
        Completed,
        Cancelled
    }

    /// @notice A grant as returned by `getGrant`.
    struct GrantView {
        address applicant;
        address recipient;
        GrantStatus status;
        bool approvedByCommittee;
        uint16 paidMask; // bit i set = milestone i paid
        bytes32 metadataHash;
        uint256 total;
        uint256 paid;
        uint128[] milestones;
    }

    /// @notice A reward round as returned by `getRewardRound`.
    struct RoundView {
        bytes32 root;
        uint256 total;
        uint256 remaining;
        uint64 deadline;
        bool closed;
        bool byCommittee;
    }

    // ------------------------------------------------------------------ events

    /// @notice `from` funded the pool with `amount` through `fund`.
    event Funded(address indexed from, uint256 amount);
    /// @notice `amount` sent by plain transfer became available.
    event Synced(uint256 amount);
    /// @notice Governance moved `amount` of available funds to `to`.
    event Withdrawn(address indexed to, uint256 amount);
    /// @notice The committee changed (address(0) = no committee).
    event CommitteeChanged(address indexed previous, address indexed current);
    /// @notice The committee budget was set: `budget` per `periodSeconds`, a new period starting at
    ///         `periodStart` with nothing spent.
    event CommitteeBudgetSet(uint256 budget, uint256 periodSeconds, uint256 periodStart);
    /// @notice The committee committed `amount` (a grant approval or a reward round); `spentInPeriod`
    ///         is the period's total after it, `periodStart` the start of that period.
    event CommitteeSpent(uint256 amount, uint256 spentInPeriod, uint256 periodStart);
    /// @notice A grant application. `metadataHash` is keccak256(bytes(uri)).
    event ApplicationSubmitted(
        uint256 indexed grantId,
        address indexed applicant,
        address indexed recipient,
        bytes32 metadataHash,
        string uri,
        uint128[] milestones,
        uint256 total
    );
    /// @notice The applicant withdrew a pending application.
    event ApplicationWithdrawn(uint256 indexed grantId);
    /// @notice A pending application was approved; `total` is now reserved.
    event GrantApproved(uint256 indexed grantId, address indexed approver, bool byCommittee, uint256 total);
    /// @notice A pending application was rejected.
    event GrantRejected(uint256 indexed grantId, address indexed by, string reason);
    /// @notice Milestone `index` of a grant was approved and `amount` paid to `recipient`.
    event MilestonePaid(
        uint256 indexed grantId, uint256 indexed index, address indexed recipient, uint256 amount, address approver
    );
    /// @notice Every milestone of a grant is paid.
    event GrantCompleted(uint256 indexed grantId);
    /// @notice An approved grant was cancelled; `returned` (its unpaid reserve) went back to available.
    event GrantCancelled(uint256 indexed grantId, address indexed by, uint256 returned);
    /// @notice The recipient of a grant changed.
    event RecipientChanged(uint256 indexed grantId, address indexed previous, address indexed current);
    /// @notice A reward round reserving `total` under `root`, claimable until `deadline` inclusive.
    event RewardRoundCreated(
        uint256 indexed roundId, bytes32 root, uint256 total, uint64 deadline, address indexed creator, bool byCommittee
    );
    /// @notice `amount` of round `roundId` was paid to `account`.
    event RewardClaimed(uint256 indexed roundId, address indexed account, uint256 amount);
    /// @notice A round was closed and its unclaimed reserve `returned` to available.
    event RewardRoundClosed(uint256 indexed roundId, address indexed by, uint256 returned);

    // ------------------------------------------------------------------ errors

    /// @notice An address argument is the zero address.
    error ZeroAddress();
    /// @notice An amount argument is zero.
    error ZeroAmount();
    /// @notice The caller is neither the owner nor the committee.
    error NotOwnerOrCommittee(address caller);
    /// @notice The caller is not the applicant of the grant.
    error NotApplicant(uint256 grantId, address caller);
    /// @notice The caller is not the recipient of the grant.
    error NotRecipient(uint256 grantId, address caller);
    /// @notice An application needs between 1 and MAX_MILESTONES milestones.
    error InvalidMilestoneCount(uint256 count, uint256 max);
    /// @notice A milestone amount is zero.
    error ZeroMilestoneAmount(uint256 index);
    /// @notice The milestones sum to more than 2^128 - 1.
    error GrantTooLarge();
    /// @notice The metadata uri is longer than MAX_URI_LENGTH bytes.
    error UriTooLong(uint256 length, uint256 max);
    /// @notice No grant has this id.
    error UnknownGrant(uint256 grantId);
    /// @notice The grant is not in the status this action needs.
    error InvalidStatus(uint256 grantId, GrantStatus status);
    /// @notice The milestone index is not below the grant's milestone count.
    error MilestoneOutOfRange(uint256 grantId, uint256 index, uint256 count);
    /// @notice The milestone was already paid.
    error MilestoneAlreadyPaid(uint256 grantId, uint256 index);
    /// @notice The pool's available funds do not cover the request.
    error InsufficientAvailable(uint256 requested, uint256 available);
    /// @notice The committee's remaining budget in this period does not cover the request.
    error BudgetExceeded(uint256 requested, uint256 remaining);
    /// @notice The budget period is zero.
    error ZeroPeriod();
    /// @notice Nothing was sent to the pool by plain transfer since the last sync.
    error NothingToSync();
    /// @notice The fund transfer delivered less than `amount` (fee-on-transfer tokens are unsupported).
    error TransferShortfall(uint256 expected, uint256 received);
    /// @notice The Merkle root is zero.
    error ZeroRoot();
    /// @notice The round deadline is not in the future.
    error DeadlineInPast(uint64 deadline);
    /// @notice No reward round has this id.
    error UnknownRound(uint256 roundId);
    /// @notice Claims of the round closed (deadline passed or round closed).
    error RoundClaimsClosed(uint256 roundId);
    /// @notice The account already claimed in this round.
    error RewardAlreadyClaimed(uint256 roundId, address account);
    /// @notice The proof does not show (account, amount) under the round root.
    error InvalidProof();
    /// @notice The claim exceeds what is left of the round's reserve (a bad root cannot drain the pool).
    error ClaimExceedsRemaining(uint256 roundId, uint256 amount, uint256 remaining);
    /// @notice The round's claim window is still open and the caller is not the owner.
    error RoundStillOpen(uint256 roundId, uint64 deadline);
    /// @notice The round is already closed.
    error RoundAlreadyClosed(uint256 roundId);

    // ------------------------------------------------------------------ funding

    /// @notice Pulls `amount` of the pool token from the caller (needs an allowance) and makes it available.
    /// @param amount tokens to add, non-zero
    function fund(uint256 amount) external;

    /// @notice Makes tokens sent by plain transfer available. Anyone may call.
    /// @return amount what became available
    function sync() external returns (uint256 amount);

    /// @notice Owner only: moves `amount` of available funds to `to` (a treasury move by governance).
    /// @param to receiver
    /// @param amount at most `available()`
    function withdraw(address to, uint256 amount) external;

    // ------------------------------------------------------------------ committee

    /// @notice Owner only: sets the committee (address(0) removes it).
    /// @param newCommittee the committee address, e.g. a multisig elected by the DAO
    function setCommittee(address newCommittee) external;

    /// @notice Owner only: the committee may commit at most `budget` per `periodSeconds`. Starts a
    ///         new period now with nothing spent.
    /// @param budget tokens per period (0 = the committee can commit nothing)
    /// @param periodSeconds period length, non-zero
    function setCommitteeBudget(uint128 budget, uint48 periodSeconds) external;

    // ------------------------------------------------------------------ applications and grants

    /// @notice Submits a grant application. Anyone may apply.
    /// @param recipient receives the milestone payments
    /// @param uri where the proposal lives (e.g. ipfs://...); its keccak256 is stored
    /// @param milestones amount of each milestone, 1 to MAX_MILESTONES, each non-zero
    /// @return grantId the new application's id (ids start at 1)
    function submitApplication(address recipient, string calldata uri, uint128[] calldata milestones)
        external
        returns (uint256 grantId);

    /// @notice The applicant withdraws its pending application.
    /// @param grantId the application
    function withdrawApplication(uint256 grantId) external;

    /// @notice Owner or committee: approves a pending application and reserves its total from
    ///         available funds (the committee also within its period budget).
    /// @param grantId the application
    function approve(uint256 grantId) external;

    /// @notice Owner or committee: rejects a pending application.
    /// @param grantId the application
    /// @param reason a short human-readable reason (event only)
    function reject(uint256 grantId, string calldata reason) external;

    /// @notice Owner or committee: approves milestone `index` of an approved grant and pays it to
    ///         the recipient. Milestones may be approved in any order; each pays once.
    /// @param grantId the grant
    /// @param index milestone index
    function approveMilestone(uint256 grantId, uint256 index) external;

    /// @notice Owner or committee: cancels an approved grant; its unpaid reserve returns to available.
    /// @param grantId the grant
    /// @return returned the amount that went back to available
    function cancelGrant(uint256 grantId) external returns (uint256 returned);

    /// @notice The recipient of a pending or approved grant names a new recipient.
    /// @param grantId the grant
    /// @param newRecipient the new recipient, non-zero
    function setRecipient(uint256 grantId, address newRecipient) external;

    // ------------------------------------------------------------------ reward rounds

    /// @notice Owner or committee (within budget): opens a reward round reserving `total`.
    /// @param root StandardMerkleTree root over (address, uint256) leaves
    /// @param total tokens reserved for the round, non-zero
    /// @param deadline last timestamp at which claims are accepted, in the future
    /// @return roundId the new round's id (ids start at 1)
    function createRewardRound(bytes32 root, uint128 total, uint64 deadline) external returns (uint256 roundId);

    /// @notice Pays `account` its reward of round `roundId`. Anyone may submit a claim for anyone.
    /// @param roundId the round
    /// @param account the leaf's account (receives the tokens)
    /// @param amount the leaf's amount
    /// @param proof Merkle proof of the leaf
    function claimReward(uint256 roundId, address account, uint256 amount, bytes32[] calldata proof) external;

    /// @notice Closes a round and returns its unclaimed reserve to available: anyone after the
    ///         deadline, the owner at any time (to stop a round with a bad root).
    /// @param roundId the round
    /// @return returned the amount that went back to available
    function closeRewardRound(uint256 roundId) external returns (uint256 returned);

    // ------------------------------------------------------------------ views

    /// @notice The pool token (SAHARA).
    function token() external view returns (address);
    /// @notice The committee (address(0) = none).
    function committee() external view returns (address);
    /// @notice Unreserved funds that approvals, rounds and withdrawals may use.
    function available() external view returns (uint256);
    /// @notice Reserved for the unpaid milestones of approved grants.
    function reservedForGrants() external view returns (uint256);
    /// @notice Reserved for the unclaimed part of open reward rounds.
    function reservedForRounds() external view returns (uint256);
    /// @notice Tokens held but not yet counted (plain transfers before `sync`).
    function unaccounted() external view returns (uint256);
    /// @notice The committee budget as of now (a period that ended reads as a fresh one).
    /// @return budget per period
    /// @return periodSeconds period length
    /// @return periodStart start of the current period
    /// @return spent committed in the current period
    /// @return remaining budget - spent
    function committeeBudget()
        external
        view
        returns (uint256 budget, uint256 periodSeconds, uint256 periodStart, uint256 spent, uint256 remaining);
    /// @notice Number of applications ever submitted (ids are 1..grantCount).
    function grantCount() external view returns (uint256);
    /// @notice A grant with its milestones (reverts UnknownGrant for a bad id).
    function getGrant(uint256 grantId) external view returns (GrantView memory);
    /// @notice Number of reward rounds ever created (ids are 1..roundCount).
    function roundCount() external view returns (uint256);
    /// @notice A reward round (reverts UnknownRound for a bad id).
    function getRewardRound(uint256 roundId) external view returns (RoundView memory);
    /// @notice Whether `account` claimed in round `roundId`.
    function isClaimed(uint256 roundId, address account) external view returns (bool);
}
