// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TermsParams, Terms, License} from "../types/LicenseTypes.sol";

/// @title ILicenseRegistry
/// @notice License terms attached to assets and LicenseNFTs (ERC-721) sold under them. Attached
///         terms never change; the owner can only stop new sales. Fees are collected by the
///         RevenueVault (buyers approve or permit the vault), so they split like any other revenue.
interface ILicenseRegistry {
    event TermsAttached(uint256 indexed termsId, uint256 indexed assetId, Terms terms);
    event SalesStopped(uint256 indexed termsId);
    event LicenseIssued(
        uint256 indexed licenseId, uint256 indexed termsId, uint256 indexed assetId, address licensee, uint256 fee, uint40 expiresAt
    );

    error UnknownTerms(uint256 termsId);
    error UnknownLicense(uint256 licenseId);
    error NotAssetOwner(uint256 assetId, address caller);
    error InvalidTerms(string reason);
    error SalesClosed(uint256 termsId);
    error SupplyCapReached(uint256 termsId, uint64 cap);
    error FeeAboveMax(uint256 fee, uint256 maxFee);
    error LicenseNotTransferable(uint256 licenseId);
    error DerivativeNotAllowed(uint256 parentId, uint256 licenseId, address account);
    error PayPerUseNotSoldHere(uint256 termsId);

    /// @notice Attaches a new immutable terms set to an asset; only the asset owner.
    function attachTerms(uint256 assetId, TermsParams calldata params) external returns (uint256 termsId);

    /// @notice Stops new sales under a terms set; only the asset's current owner. Irreversible.
    function stopSales(uint256 termsId) external;

    /// @notice Buys a license: the fee moves from msg.sender to the asset's revenue vault account
    ///         and a LicenseNFT is minted to `licensee` (address(0) = msg.sender).
    /// @param maxFee slippage guard: reverts with FeeAboveMax when the price is higher
    function buyLicense(uint256 termsId, address licensee, uint256 maxFee) external returns (uint256 licenseId);

    /// @notice Same as buyLicense, with an ERC-2612 permit for the vault in the same transaction.
    function buyLicenseWithPermit(
        uint256 termsId,
        address licensee,
        uint256 maxFee,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 licenseId);

    /// @notice Terms by id.
    function terms(uint256 termsId) external view returns (Terms memory);

    /// @notice License data by id (holder = ownerOf).
    function license(uint256 licenseId) external view returns (License memory);

    /// @notice True when the license exists and has not expired.
    function isValid(uint256 licenseId) external view returns (bool);

    /// @notice Number of terms sets attached so far (ids are 1..count).
    function termsCount() external view returns (uint256);

    /// @notice Number of active OPEN terms sets on an asset.
    function openTermsCount(uint256 assetId) external view returns (uint256);

    /// @notice Checks that `account` may register a derivative of `parentId` with `licenseId`
    ///         and returns the royalty it owes the parent. Allowed when: the account owns the
    ///         parent (licenseId 0, royalty 0); or the parent has active OPEN terms (licenseId 0,
    ///         royalty 0); or the account holds a valid, unexpired license on the parent whose
    ///         template is OPEN or COMMERCIAL_REMIX (royalty = the terms' royaltyBps).
    /// @dev Reverts with DerivativeNotAllowed otherwise.
    function checkDerivative(address account, uint256 parentId, uint256 licenseId) external view returns (uint16 royaltyBps);

    /// @notice Maximum royalty a COMMERCIAL_REMIX terms set may ask, in bps.
    function MAX_ROYALTY_BPS() external view returns (uint16);

    /// @notice ERC-721 holder of a LicenseNFT.
    function ownerOf(uint256 licenseId) external view returns (address);
}
