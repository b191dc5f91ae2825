// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVestingVault
/// @notice Holds SAHARA for many beneficiaries on fixed linear schedules with a cliff (genesis
///         team/investor allocations). vested(t) = 0 before start + cliff, `amount` from
///         start + duration on, else amount * (t - start) / duration (floor): reaching the cliff
///         releases the part accrued linearly since `start` at once.
///         Tokens in the vault do not vote; released tokens vote once their holder delegates.
interface IVestingVault {
    /// @notice One schedule as created by the owner (input of `createSchedules`).
    /// @param beneficiary receives the released tokens (can move itself with `setBeneficiary`)
    /// @param start unix seconds at which linear vesting starts
    /// @param cliff seconds after `start` before which nothing is vested (<= duration)
    /// @param duration seconds after `start` at which everything is vested (> 0)
    /// @param amount total tokens of the schedule (> 0, fits uint128)
    /// @param revocable whether the owner may revoke the unvested part
    struct ScheduleParams {
        address beneficiary;
        uint64 start;
        uint64 cliff;
        uint64 duration;
        uint256 amount;
        bool revocable;
    }

    /// @notice A schedule's full state.
    /// @param released tokens paid to the beneficiary so far (monotonic, <= amount)
    /// @param revokedAt unix seconds of the revocation, 0 = not revoked; vesting is frozen there
    struct Schedule {
        address beneficiary;
        uint64 start;
        uint64 cliff;
        uint64 duration;
        uint128 amount;
        uint128 released;
        bool revocable;
        uint64 revokedAt;
    }

    /// @notice Schedule `id` was created and funded with `amount`.
    event ScheduleCreated(
        uint256 indexed id,
        address indexed beneficiary,
        uint64 start,
        uint64 cliff,
        uint64 duration,
        uint128 amount,
        bool revocable
    );
    /// @notice `amount` of schedule `id` was paid to `beneficiary`.
    event Released(uint256 indexed id, address indexed beneficiary, uint256 amount);
    /// @notice Schedule `id` was revoked; its unvested part `unvestedReturned` went to the treasury.
    event ScheduleRevoked(uint256 indexed id, uint256 unvestedReturned);
    /// @notice The beneficiary of schedule `id` moved from `previous` to `current`.
    event BeneficiaryChanged(uint256 indexed id, address indexed previous, address indexed current);
    /// @notice The treasury (receiver of revoked unvested tokens) changed.
    event TreasuryChanged(address indexed previous, address indexed current);

    /// @notice An address argument is the zero address.
    error ZeroAddress();
    /// @notice `createSchedules` was called with no schedule.
    error EmptyBatch();
    /// @notice A schedule's beneficiary is the zero address.
    error ZeroBeneficiary();
    /// @notice A schedule's beneficiary is the vault itself (released tokens would be stuck).
    error BeneficiaryIsVault();
    /// @notice A schedule's amount is zero.
    error ZeroAmount();
    /// @notice A schedule's duration is zero.
    error ZeroDuration();
    /// @notice A schedule's cliff is after its end.
    error CliffAfterEnd(uint64 cliff, uint64 duration);
    /// @notice A schedule's amount does not fit uint128.
    error AmountTooLarge(uint256 amount);
    /// @notice No schedule has this id.
    error UnknownSchedule(uint256 id);
    /// @notice Nothing is releasable on this schedule now.
    error NothingToRelease(uint256 id);
    /// @notice Only the schedule's beneficiary may do this.
    error NotBeneficiary(uint256 id, address caller);
    /// @notice The schedule is not revocable.
    error NotRevocable(uint256 id);
    /// @notice The schedule was already revoked.
    error AlreadyRevoked(uint256 id);
    /// @notice Renouncing ownership is disabled.
    error RenounceOwnershipDisabled();

    /// @notice Creates and funds schedules (owner only): pulls the sum of the amounts from
    ///         msg.sender in one transferFrom (needs an allowance) and emits ScheduleCreated per item.
    /// @param batch the schedules; ids are assigned sequentially from `firstId`
    /// @return firstId id of batch[0]; batch[i] gets firstId + i
    function createSchedules(ScheduleParams[] calldata batch) external returns (uint256 firstId);

    /// @notice Pays the releasable amount of schedule `id` to its beneficiary (anyone may call).
    /// @param id the schedule
    /// @return amount tokens paid
    function release(uint256 id) external returns (uint256 amount);

    /// @notice Revokes schedule `id` (owner only, revocable and not yet revoked): vesting freezes
    ///         now, what vested so far stays releasable by the beneficiary and the unvested rest
    ///         goes to the treasury.
    /// @param id the schedule
    /// @return unvestedReturned tokens sent to the treasury
    function revoke(uint256 id) external returns (uint256 unvestedReturned);

    /// @notice Moves schedule `id` to `newBeneficiary` (current beneficiary only).
    /// @param id the schedule
    /// @param newBeneficiary the new beneficiary (not zero, not the vault)
    function setBeneficiary(uint256 id, address newBeneficiary) external;

    /// @notice Sets the receiver of revoked unvested tokens (owner only).
    /// @param newTreasury the new treasury (not zero)
    function setTreasury(address newTreasury) external;

    /// @notice Tokens of schedule `id` releasable now.
    /// @param id the schedule (reverts UnknownSchedule)
    /// @return vested now minus released
    function releasable(uint256 id) external view returns (uint256);

    /// @notice Tokens of schedule `id` vested at `timestamp` (frozen at revokedAt once revoked).
    /// @param id the schedule (reverts UnknownSchedule)
    /// @param timestamp unix seconds
    /// @return the vested amount, released or not
    function vestedAmount(uint256 id, uint256 timestamp) external view returns (uint256);

    /// @notice Schedule `id` (reverts UnknownSchedule).
    /// @param id the schedule
    /// @return the schedule's state
    function schedule(uint256 id) external view returns (Schedule memory);

    /// @notice Ids of the schedules whose beneficiary is `beneficiary` (order changes when a
    ///         schedule moves away).
    /// @param beneficiary the account
    /// @return ids the schedule ids
    function schedulesOf(address beneficiary) external view returns (uint256[] memory ids);

    /// @notice Number of schedules created (ids are 1..scheduleCount).
    /// @return the count
    function scheduleCount() external view returns (uint256);

    /// @notice The vested token (SAHARA).
    /// @return the token address
    function token() external view returns (address);

    /// @notice Receiver of revoked unvested tokens.
    /// @return the treasury address
    function treasury() external view returns (address);
}
