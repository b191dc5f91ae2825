// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRevenueVault
/// @notice One vault holding every asset's revenue, accounted per asset and per token. Each inflow
///         is split: protocol fee (to the treasury's balance) -> royalties owed to the asset's
///         parents (kept as the asset's pending royalties, forwarded lazily by `flushRoyalties`)
///         -> the rest between the owner (credited to the owner's address at the time of the
///         inflow) and the contributors (a per-share accumulator). Every claim is pull-based.
interface IRevenueVault {
    /// @notice Revenue entered an asset. `fee` went to the treasury, `royalties` wait to be
    ///         forwarded to the parents, `ownerPart` was credited to `owner`, `contributorsPart`
    ///         to the share accumulator. `payer` is address(0) for royalties forwarded internally.
    event RevenueReceived(
        uint256 indexed assetId,
        address indexed token,
        address indexed payer,
        uint256 amount,
        uint256 fee,
        uint256 royalties,
        uint256 ownerPart,
        uint256 contributorsPart,
        address owner
    );
    event RoyaltiesFlushed(uint256 indexed assetId, address indexed token, uint256 amount);
    event Claimed(address indexed account, address indexed token, uint256 amount);
    event ProtocolFeeSet(uint16 bps);
    event TreasurySet(address treasury);
    event PaymentTokenSet(address indexed token, bool allowed);
    event CollectorSet(address indexed collector, bool allowed);

    error TokenNotAllowed(address token);
    error UnknownAsset(uint256 assetId);
    error ZeroAmount();
    error ZeroAddress();
    error FeeOnTransferNotSupported(address token, uint256 expected, uint256 received);
    error NotCollector(address caller);
    error NotShares(address caller);
    error ProtocolFeeTooHigh(uint16 bps, uint16 max);
    error TooManyPaymentTokens(uint256 max);
    error UnaccountedBalanceTooLow(address token, uint256 needed, uint256 available);

    /// @notice Pays `amount` of `token` from msg.sender into an asset (needs an allowance to the vault).
    function pay(uint256 assetId, address token, uint256 amount) external;

    /// @notice Same as pay with an ERC-2612 permit in the same transaction.
    function payWithPermit(uint256 assetId, address token, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;

    /// @notice Pulls `amount` from `payer` (who approved the vault) into an asset; only collectors
    ///         (LicenseRegistry, payment channels).
    function collect(address payer, uint256 assetId, address token, uint256 amount) external;

    /// @notice Credits `amount` that a collector already transferred to the vault to an asset;
    ///         reverts unless the vault holds at least that much unaccounted balance.
    function creditReceived(uint256 assetId, address token, uint256 amount) external;

    /// @notice Forwards an asset's pending royalties in `token` to its parents pro rata to their
    ///         royalty bps. Anyone may call. Cost is O(direct parents), never O(lineage depth).
    function flushRoyalties(uint256 assetId, address token) external;

    /// @notice flushRoyalties for many assets, in order (pass children before parents to push
    ///         revenue up a whole lineage in one transaction).
    function flushRoyaltiesBatch(uint256[] calldata assetIds, address token) external;

    /// @notice Claims msg.sender's owner/treasury balance in `token` plus its contributor
    ///         entitlement in each listed asset, and transfers the total to msg.sender.
    function claim(address token, uint256[] calldata assetIds) external returns (uint256 amount);

    /// @notice Called by ContributionShares before an account's shares change.
    function checkpoint(uint256 assetId, address account) external;

    /// @notice Called by ContributionShares after an asset's contributor bps or total shares
    ///         changed: stores the vault's copy of `splitOf(assetId)`, which every payment reads
    ///         instead of calling ContributionShares. Reverts NotShares for any other caller.
    /// @param assetId the asset whose split changed
    /// @param contributorBps the contributors' part of post-fee, post-royalty revenue, in bps
    /// @param totalShares the asset's total shares (at most 2^64 - 1)
    function syncSplit(uint256 assetId, uint16 contributorBps, uint256 totalShares) external;

    /// @notice Sets the protocol fee in bps (admin), at most MAX_PROTOCOL_FEE_BPS.
    function setProtocolFee(uint16 bps) external;

    /// @notice Sets the treasury address that accrues protocol fees (admin).
    function setTreasury(address treasury) external;

    /// @notice Adds or removes a payment token (admin). At most MAX_PAYMENT_TOKENS at once.
    function setPaymentToken(address token, bool allowed) external;

    /// @notice Allows or disallows a collector module (admin).
    function setCollector(address collector, bool allowed) external;

    /// @notice Owner/treasury balance of an account in a token (claimable without asset ids).
    function balanceOf(address account, address token) external view returns (uint256);

    /// @notice Contributor entitlement of an account in one asset and token.
    function contributorClaimable(uint256 assetId, address account, address token) external view returns (uint256);

    /// @notice Total claimable: balanceOf + contributor entitlement in the listed assets.
    function claimable(address account, address token, uint256[] calldata assetIds) external view returns (uint256);

    /// @notice Royalties an asset owes its parents and has not forwarded yet.
    function pendingRoyalties(uint256 assetId, address token) external view returns (uint256);

    /// @notice Tokens the vault owes (sum of all liabilities); balance minus this is dust + unsolicited transfers.
    function reserves(address token) external view returns (uint256);

    /// @notice Cumulative revenue that ever entered an asset in a token (incl. forwarded royalties).
    function totalReceived(uint256 assetId, address token) external view returns (uint256);

    function isPaymentToken(address token) external view returns (bool);
    function paymentTokens() external view returns (address[] memory);
    function protocolFeeBps() external view returns (uint16);
    function treasury() external view returns (address);
    function MAX_PROTOCOL_FEE_BPS() external view returns (uint16);
}
