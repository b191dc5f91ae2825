// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice License templates an owner can attach to an asset.
/// OPEN: free, attribution, derivatives allowed. NON_COMMERCIAL: free, no commercial use, no
/// derivatives. COMMERCIAL: fee, no derivatives. COMMERCIAL_REMIX: fee + royalty on every
/// derivative's revenue. PAY_PER_USE: price per unit of use, consumed through payment channels.
enum LicenseTemplate {
    OPEN,
    NON_COMMERCIAL,
    COMMERCIAL,
    COMMERCIAL_REMIX,
    PAY_PER_USE
}

/// @notice Terms as attached by the asset owner. Immutable once attached (only `active` changes).
/// @param price        one-off fee (COMMERCIAL, COMMERCIAL_REMIX) or price per unit (PAY_PER_USE)
/// @param duration     seconds a license lasts from purchase; 0 = perpetual
/// @param supplyCap    licenses that can ever be sold under these terms; 0 = unlimited
struct TermsParams {
    LicenseTemplate template;
    address paymentToken;
    uint128 price;
    uint16 royaltyBps;
    uint40 duration;
    bool transferable;
    uint64 supplyCap;
}

struct Terms {
    uint64 assetId;
    LicenseTemplate template;
    address paymentToken;
    uint16 royaltyBps;
    uint40 duration;
    bool transferable;
    bool active;
    uint128 price;
    uint64 supplyCap;
    uint64 sold;
}

/// @notice A LicenseNFT's data; the licensee is the NFT's current holder.
struct License {
    uint64 assetId;
    uint64 termsId;
    uint40 issuedAt;
    uint40 expiresAt; // 0 = perpetual
}
