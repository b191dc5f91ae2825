// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC721/ERC721Upgradeable.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ProtocolModule} from "../utils/ProtocolModule.sol";
import {ILicenseRegistry} from "../interfaces/ILicenseRegistry.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {IRevenueVault} from "../interfaces/IRevenueVault.sol";
import {TermsParams, Terms, License, LicenseTemplate} from "../types/LicenseTypes.sol";

/// @title LicenseRegistry
/// @notice License terms attached to assets and the LicenseNFT ("Sahara License", SAHARA-LIC).
///         Terms are immutable once attached; the asset's current owner can only stop new sales,
///         irreversibly. Fees never touch this contract: the RevenueVault pulls them from the buyer
///         (who approved or permitted the vault) and splits them like any other revenue.
/// @dev Storage layout (plain storage; OZ bases use ERC-7201 namespaces):
///      slot 0: assetRegistry (160) | termsCount (64)
///      slot 1: revenueVault (160)  | licenseCount (64)   (read + written together on each sale)
///      terms: 2 words, see TermsStore; `sold` shares a word with price/supplyCap/active so a
///             sale rewrites one already non-zero word (5k gas, never 20k).
///      licenses: 1 word, see LicenseStore; it carries the terms' transferable flag so a transfer
///             check reads one word.
///      Supply caps, sold counters and asset ids are stored in 48 bits (2.8e14): attachTerms
///      rejects larger caps; an unlimited set would need 2.8e14 sales to overflow (checked).
///      Licenses are minted with `_mint` (no receiver callback) and buying is nonReentrant; apart
///      from the best-effort permit, the only external call of a sale (vault.collect) comes after
///      all state changes.
contract LicenseRegistry is ILicenseRegistry, ERC721Upgradeable, ProtocolModule {
    using SafeCast for uint256;

    /// @inheritdoc ILicenseRegistry
    uint16 public constant MAX_ROYALTY_BPS = 5000;
    /// @notice Longest license duration a terms set may grant, in seconds (~136 years).
    uint40 public constant MAX_DURATION = type(uint32).max;

    struct TermsStore {
        // word 0
        address paymentToken;
        uint48 assetId;
        uint40 duration;
        bool transferable;
        // word 1
        uint128 price;
        uint48 sold;
        uint48 supplyCap;
        uint16 royaltyBps;
        LicenseTemplate template;
        bool active;
    }

    struct LicenseStore {
        uint64 assetId;
        uint64 termsId;
        uint40 issuedAt;
        uint40 expiresAt;
        bool transferable;
    }

    address private _assetRegistry;
    uint64 private _termsCount;
    address private _vault;
    uint64 private _licenseCount;
    mapping(uint256 termsId => TermsStore) private _terms;
    mapping(uint256 licenseId => LicenseStore) private _licenses;
    mapping(uint256 assetId => uint256) private _openTerms;

    /// @notice Sets up the registry behind its proxy.
    /// @param admin owner of the module (upgrades)
    /// @param assetRegistry_ the IAssetRegistry whose owners attach terms
    /// @param revenueVault_ the IRevenueVault that collects fees (must list this contract as collector)
    function initialize(address admin, address assetRegistry_, address revenueVault_) external initializer {
        __ERC721_init("Sahara License", "SAHARA-LIC");
        __ProtocolModule_init(admin);
        _assetRegistry = assetRegistry_;
        _vault = revenueVault_;
    }

    // ------------------------------------------------------------------ writes

    /// @inheritdoc ILicenseRegistry
    function attachTerms(uint256 assetId, TermsParams calldata params) external whenNotPaused returns (uint256 termsId) {
        // ownerOf reverts with ERC721NonexistentToken for assets never registered.
        if (IAssetRegistry(_assetRegistry).ownerOf(assetId) != msg.sender) revert NotAssetOwner(assetId, msg.sender);
        LicenseTemplate template = params.template;
        uint256 price = params.price;
        uint256 royalty = params.royaltyBps;
        if (template == LicenseTemplate.OPEN || template == LicenseTemplate.NON_COMMERCIAL) {
            if (price != 0) revert InvalidTerms("free template: price must be 0");
            if (royalty != 0) revert InvalidTerms("royalty only for COMMERCIAL_REMIX");
        } else if (template == LicenseTemplate.COMMERCIAL) {
            if (royalty != 0) revert InvalidTerms("royalty only for COMMERCIAL_REMIX");
        } else if (template == LicenseTemplate.COMMERCIAL_REMIX) {
            if (royalty == 0 || royalty > MAX_ROYALTY_BPS) revert InvalidTerms("remix royalty must be 1..MAX_ROYALTY_BPS");
        } else {
            // PAY_PER_USE
            if (price == 0) revert InvalidTerms("pay-per-use: price per unit must be > 0");
            if (royalty != 0) revert InvalidTerms("royalty only for COMMERCIAL_REMIX");
        }
        if (price != 0) {
            if (!IRevenueVault(_vault).isPaymentToken(params.paymentToken)) {
                revert InvalidTerms("payment token not allowed by the vault");
            }
        } else if (params.paymentToken != address(0)) {
            revert InvalidTerms("free terms take no payment token");
        }
        if (params.supplyCap > type(uint48).max) revert InvalidTerms("supply cap too large");
        // Keeps now + duration far inside uint40 for the next ~30,000 years.
        if (params.duration > MAX_DURATION) revert InvalidTerms("duration too long");

        termsId = ++_termsCount;
        _terms[termsId] = TermsStore({
            paymentToken: params.paymentToken,
            assetId: assetId.toUint48(),
            duration: params.duration,
            transferable: params.transferable,
            price: params.price,
            sold: 0,
            supplyCap: uint48(params.supplyCap),
            royaltyBps: params.royaltyBps,
            template: template,
            active: true
        });
        if (template == LicenseTemplate.OPEN) ++_openTerms[assetId];
        emit TermsAttached(termsId, assetId, terms(termsId));
    }

    /// @inheritdoc ILicenseRegistry
    function stopSales(uint256 termsId) external {
        TermsStore storage t = _termsStore(termsId);
        uint256 assetId = t.assetId;
        if (IAssetRegistry(_assetRegistry).ownerOf(assetId) != msg.sender) revert NotAssetOwner(assetId, msg.sender);
        if (!t.active) revert SalesClosed(termsId);
        t.active = false;
        if (t.template == LicenseTemplate.OPEN) --_openTerms[assetId];
        emit SalesStopped(termsId);
    }

    /// @inheritdoc ILicenseRegistry
    function buyLicense(uint256 termsId, address licensee, uint256 maxFee)
        external whenNotPaused
        nonReentrant
        returns (uint256 licenseId)
    {
        return _buy(termsId, licensee, maxFee);
    }

    /// @inheritdoc ILicenseRegistry
    /// @dev The permit is best effort: if it fails (for example because someone front-ran it with
    ///      the same signature, which still sets the allowance) the purchase proceeds and only
    ///      fails if the vault's allowance is really missing.
    function buyLicenseWithPermit(
        uint256 termsId,
        address licensee,
        uint256 maxFee,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused nonReentrant returns (uint256 licenseId) {
        TermsStore storage t = _termsStore(termsId);
        uint256 fee = t.price;
        if (fee != 0) {
            try IERC20Permit(t.paymentToken).permit(msg.sender, _vault, fee, deadline, v, r, s) {} catch {}
        }
        return _buy(termsId, licensee, maxFee);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ILicenseRegistry
    function terms(uint256 termsId) public view returns (Terms memory) {
        TermsStore storage t = _termsStore(termsId);
        return Terms({
            assetId: t.assetId,
            template: t.template,
            paymentToken: t.paymentToken,
            royaltyBps: t.royaltyBps,
            duration: t.duration,
            transferable: t.transferable,
            active: t.active,
            price: t.price,
            supplyCap: t.supplyCap,
            sold: t.sold
        });
    }

    /// @inheritdoc ILicenseRegistry
    function license(uint256 licenseId) external view returns (License memory) {
        LicenseStore storage l = _licenses[licenseId];
        if (l.termsId == 0) revert UnknownLicense(licenseId);
        return License({assetId: l.assetId, termsId: l.termsId, issuedAt: l.issuedAt, expiresAt: l.expiresAt});
    }

    /// @inheritdoc ILicenseRegistry
    function isValid(uint256 licenseId) public view returns (bool) {
        LicenseStore storage l = _licenses[licenseId];
        if (l.termsId == 0) return false;
        uint256 expiresAt = l.expiresAt;
        return expiresAt == 0 || block.timestamp < expiresAt;
    }

    /// @inheritdoc ILicenseRegistry
    function termsCount() external view returns (uint256) {
        return _termsCount;
    }

    /// @notice Number of LicenseNFTs issued so far (ids are 1..count).
    /// @return the license count
    function licenseCount() external view returns (uint256) {
        return _licenseCount;
    }

    /// @inheritdoc ILicenseRegistry
    function openTermsCount(uint256 assetId) external view returns (uint256) {
        return _openTerms[assetId];
    }

    /// @inheritdoc ILicenseRegistry
    /// @dev With licenseId 0 only the owner and open-terms paths apply. With a licenseId the
    ///      license itself must qualify, even when the account also owns the parent, so that every
    ///      stored licenseId in the graph refers to a license that was valid at registration.
    function checkDerivative(address account, uint256 parentId, uint256 licenseId)
        external
        view
        returns (uint16 royaltyBps)
    {
        if (licenseId == 0) {
            if (IAssetRegistry(_assetRegistry).ownerOf(parentId) == account || _openTerms[parentId] != 0) return 0;
            revert DerivativeNotAllowed(parentId, 0, account);
        }
        LicenseStore storage l = _licenses[licenseId];
        uint256 termsId = l.termsId;
        uint256 expiresAt = l.expiresAt;
        if (
            termsId == 0 || l.assetId != parentId || _ownerOf(licenseId) != account
                || (expiresAt != 0 && block.timestamp >= expiresAt)
        ) revert DerivativeNotAllowed(parentId, licenseId, account);
        TermsStore storage t = _terms[termsId];
        LicenseTemplate template = t.template;
        if (template != LicenseTemplate.OPEN && template != LicenseTemplate.COMMERCIAL_REMIX) {
            revert DerivativeNotAllowed(parentId, licenseId, account);
        }
        return t.royaltyBps;
    }

    /// @notice The AssetRegistry whose owners attach terms.
    /// @return the asset registry address
    function assetRegistry() external view returns (address) {
        return _assetRegistry;
    }

    /// @notice The RevenueVault that collects license fees.
    /// @return the vault address
    function revenueVault() external view returns (address) {
        return _vault;
    }

    /// @inheritdoc ILicenseRegistry
    function ownerOf(uint256 licenseId) public view override(ERC721Upgradeable, ILicenseRegistry) returns (address) {
        return super.ownerOf(licenseId);
    }

    // ------------------------------------------------------------------ internals

    function _buy(uint256 termsId, address licensee, uint256 maxFee) private returns (uint256 licenseId) {
        TermsStore storage t = _termsStore(termsId);
        if (t.template == LicenseTemplate.PAY_PER_USE) revert PayPerUseNotSoldHere(termsId);
        if (!t.active) revert SalesClosed(termsId);
        uint48 sold = t.sold;
        uint48 cap = t.supplyCap;
        if (cap != 0 && sold >= cap) revert SupplyCapReached(termsId, cap);
        uint256 fee = t.price;
        if (fee > maxFee) revert FeeAboveMax(fee, maxFee);
        if (licensee == address(0)) licensee = msg.sender;

        t.sold = sold + 1; // checked: an unlimited set stops at 2^48-1 sales
        uint256 assetId = t.assetId;
        uint40 duration = t.duration;
        uint40 expiresAt = duration == 0 ? 0 : uint40(block.timestamp) + duration;
        licenseId = ++_licenseCount;
        _licenses[licenseId] = LicenseStore({
            assetId: uint64(assetId),
            termsId: uint64(termsId),
            issuedAt: uint40(block.timestamp),
            expiresAt: expiresAt,
            transferable: t.transferable
        });
        _mint(licensee, licenseId);
        emit LicenseIssued(licenseId, termsId, assetId, licensee, fee, expiresAt);

        // Interaction last: the vault pulls the fee from the buyer and splits it.
        if (fee != 0) IRevenueVault(_vault).collect(msg.sender, assetId, t.paymentToken, fee);
    }

    function _termsStore(uint256 termsId) private view returns (TermsStore storage t) {
        t = _terms[termsId];
        if (t.assetId == 0) revert UnknownTerms(termsId);
    }

    /// @dev Mints pass; transfers of non-transferable licenses revert.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        if (_ownerOf(tokenId) != address(0) && !_licenses[tokenId].transferable) {
            revert LicenseNotTransferable(tokenId);
        }
        return super._update(to, tokenId, auth);
    }
}
