// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {FeeOnTransferToken} from "../../utils/FeeOnTransferToken.sol";
import {SaharaToken} from "../../../src/token/SaharaToken.sol";
import {DevStablecoin} from "../../../src/token/DevStablecoin.sol";
import {AssetRegistry} from "../../../src/assets/AssetRegistry.sol";
import {LicenseRegistry} from "../../../src/licensing/LicenseRegistry.sol";
import {ContributionShares} from "../../../src/assets/ContributionShares.sol";
import {RevenueVault} from "../../../src/revenue/RevenueVault.sol";
import {RegisterParams, ParentInput, ParentLink, ContentRef, Relation, AssetKinds, Codecs} from "../../../src/types/AssetTypes.sol";
import {TermsParams, LicenseTemplate} from "../../../src/types/LicenseTypes.sol";

/// @notice Drives the real protocol (registry, licensing, shares, vault) with random payments,
///         mints, split raises, royalty flushes, claims, OwnershipNFT transfers and new derived
///         assets, in both payment tokens, and keeps an independent model of what every account
///         is owed (ghost variables) to compare with the vault.
/// @dev The model mirrors the documented split (fee -> royalties -> contributors -> owner, each
///      floored) and the documented royalty forwarding, but tracks contributor revenue as exact
///      per-holder shares (scaled by 1e18, floored per inflow) instead of an accumulator, so the
///      vault's carry and per-holder fractions are checked against an error budget, not copied.
contract RevenueHandler is Test {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant SCALE = 1e18;
    uint256 internal constant MAX_ASSETS = 12;

    RevenueVault public vault;
    ContributionShares public shares;
    AssetRegistry public registry;
    LicenseRegistry public licenses;
    DevStablecoin public usdt;
    SaharaToken public sahara;
    FeeOnTransferToken public fot;
    address public admin;
    address[2] public treasuries; // the admin rotates the treasury between these two

    address[] public actors;
    address[] public accounts; // actors + treasury
    address[2] public tokens;
    uint256[] public assets;
    mapping(uint256 assetId => address[]) internal _holders;
    mapping(uint256 assetId => mapping(address => bool)) internal _isHolder;
    uint256 public holderPositions; // sum over assets of distinct holders

    // ---- ghosts (per token)
    mapping(address token => uint256) public ghostPaidIn;
    mapping(address token => uint256) public ghostClaimed;
    mapping(address account => mapping(address token => uint256)) public ghostClaimedBy;
    /// @dev Owner parts and protocol fees credited to an account, exact wei.
    mapping(address account => mapping(address token => uint256)) public ghostCreditWei;
    /// @dev Contributor revenue of a holder in an asset, exact pro rata, scaled by 1e18.
    mapping(uint256 assetId => mapping(address token => mapping(address holder => uint256))) public ghostScaled;
    /// @dev Error budget of the accumulator vs the exact model (scaled), see the invariant test.
    mapping(uint256 assetId => mapping(address token => mapping(address holder => uint256))) public ghostBudget;
    mapping(uint256 assetId => mapping(address token => uint256)) public ghostPending;
    mapping(uint256 assetId => mapping(address token => uint256)) public ghostReceived;
    bool public fotAccepted;
    uint256 public fotAttempts;
    mapping(string action => uint256) public calls;

    uint256 private _nonce;

    constructor(
        RevenueVault vault_,
        ContributionShares shares_,
        AssetRegistry registry_,
        LicenseRegistry licenses_,
        DevStablecoin usdt_,
        SaharaToken sahara_,
        FeeOnTransferToken fot_,
        address admin_,
        address[2] memory treasuries_,
        address[] memory actors_,
        uint256[] memory assets_
    ) {
        vault = vault_;
        shares = shares_;
        registry = registry_;
        licenses = licenses_;
        usdt = usdt_;
        sahara = sahara_;
        fot = fot_;
        admin = admin_;
        treasuries = treasuries_;
        tokens = [address(usdt_), address(sahara_)];
        for (uint256 i; i < actors_.length; ++i) {
            actors.push(actors_[i]);
            accounts.push(actors_[i]);
        }
        accounts.push(treasuries_[0]);
        accounts.push(treasuries_[1]);
        for (uint256 i; i < assets_.length; ++i) {
            assets.push(assets_[i]);
        }
    }

    // ------------------------------------------------------------------ views for the test

    function assetCount() external view returns (uint256) {
        return assets.length;
    }

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    function allAssets() external view returns (uint256[] memory) {
        return assets;
    }

    function holdersOf(uint256 assetId) external view returns (address[] memory) {
        return _holders[assetId];
    }

    /// @notice The model's entitlement of `account` in `token` (scaled by 1e18): exact owner and
    ///         fee credits plus exact pro-rata contributor revenue; `budget` bounds how far the
    ///         vault's accumulator may deviate (carry and per-inflow flooring, far below 1 wei) and
    ///         `flooring` is one wei (scaled) per asset where the account earns contributor revenue.
    function modelOf(address account, address token)
        external
        view
        returns (uint256 model, uint256 budget, uint256 flooring)
    {
        model = ghostCreditWei[account][token] * SCALE;
        for (uint256 a; a < assets.length; ++a) {
            uint256 g = ghostScaled[assets[a]][token][account];
            uint256 b = ghostBudget[assets[a]][token][account];
            model += g;
            budget += b;
            if (g != 0 || b != 0) flooring += SCALE;
        }
    }

    // ------------------------------------------------------------------ actions

    function pay(uint256 actorSeed, uint256 assetSeed, uint256 tokenSeed, uint256 amount) external {
        address payer = actors[actorSeed % actors.length];
        uint256 assetId = assets[assetSeed % assets.length];
        address token = tokens[tokenSeed % 2];
        if (!vault.isPaymentToken(token)) return; // removed by toggleToken: pay would revert
        if (token == address(usdt)) {
            amount = bound(amount, 1, usdt.FAUCET_MAX());
            usdt.faucet(payer, amount);
        } else {
            amount = bound(amount, 1, 1e24);
            sahara.transfer(payer, amount);
        }
        uint256 feeBps = vault.protocolFeeBps();
        vm.startPrank(payer);
        SaharaToken(token).approve(address(vault), amount);
        vault.pay(assetId, token, amount);
        vm.stopPrank();
        ghostPaidIn[token] += amount;
        _modelInflow(assetId, token, amount, feeBps);
        ++calls["pay"];
    }

    function mintShares(uint256 assetSeed, uint256 holderSeed, uint256 amount) external {
        uint256 assetId = assets[assetSeed % assets.length];
        address holder = actors[holderSeed % actors.length];
        amount = bound(amount, 1, 1e6);
        vm.prank(registry.ownerOf(assetId));
        if (amount % 3 == 0) {
            // Every third mint is a batch of two (the vault's split copy is synced once, at the end).
            address second = actors[(holderSeed + 1) % actors.length];
            address[] memory who = new address[](2);
            uint128[] memory amounts = new uint128[](2);
            (who[0], who[1]) = (holder, second);
            (amounts[0], amounts[1]) = (uint128(amount), uint128(amount / 2 + 1));
            shares.mintBatch(assetId, who, amounts, uint8(amount % 4), new bytes32[](2));
            _addHolder(assetId, second);
        } else {
            shares.mint(assetId, holder, uint128(amount), uint8(amount % 4), keccak256(abi.encode(amount)));
        }
        _addHolder(assetId, holder);
        ++calls["mintShares"];
    }

    function _addHolder(uint256 assetId, address holder) private {
        if (!_isHolder[assetId][holder]) {
            _isHolder[assetId][holder] = true;
            _holders[assetId].push(holder);
            ++holderPositions;
        }
    }

    function raiseSplit(uint256 assetSeed, uint256 bps) external {
        uint256 assetId = assets[assetSeed % assets.length];
        (uint16 current, uint256 total) = shares.splitOf(assetId);
        uint256 next = bound(bps, total == 0 ? 0 : current, BPS);
        vm.prank(registry.ownerOf(assetId));
        shares.setContributorSplit(assetId, uint16(next));
        ++calls["raiseSplit"];
    }

    function flush(uint256 assetSeed, uint256 tokenSeed) external {
        uint256 assetId = assets[assetSeed % assets.length];
        address token = tokens[tokenSeed % 2];
        uint256 pending = ghostPending[assetId][token];
        vault.flushRoyalties(assetId, token);
        if (pending == 0) return;
        ghostPending[assetId][token] = 0;
        ParentLink[] memory links = registry.parentsOf(assetId);
        uint256 totalBps;
        uint256 last;
        for (uint256 i; i < links.length; ++i) {
            if (links[i].royaltyBps != 0) {
                totalBps += links[i].royaltyBps;
                last = i;
            }
        }
        uint256 left = pending;
        for (uint256 i; i <= last; ++i) {
            if (links[i].royaltyBps == 0) continue;
            uint256 part = i == last ? left : pending * links[i].royaltyBps / totalBps;
            left -= part;
            if (part != 0) _modelInflow(links[i].parentId, token, part, 0);
        }
        ++calls["flush"];
    }

    function claim(uint256 accountSeed, uint256 tokenSeed) external {
        address account = accounts[accountSeed % accounts.length];
        address token = tokens[tokenSeed % 2];
        uint256 expected = vault.claimable(account, token, assets);
        if (expected == 0) return;
        uint256 before = SaharaToken(token).balanceOf(account);
        vm.prank(account);
        uint256 got = vault.claim(token, assets);
        require(got == expected, "claim != claimable");
        require(SaharaToken(token).balanceOf(account) - before == got, "transfer != claim");
        ghostClaimed[token] += got;
        ghostClaimedBy[account][token] += got;
        ++calls["claim"];
    }

    function transferOwnership(uint256 assetSeed, uint256 toSeed) external {
        uint256 assetId = assets[assetSeed % assets.length];
        address to = actors[toSeed % actors.length];
        address from = registry.ownerOf(assetId);
        vm.prank(from);
        registry.transferFrom(from, to, assetId);
        ++calls["transferOwnership"];
    }

    /// @dev A new asset derived from one or two existing ones through free COMMERCIAL_REMIX
    ///      licenses carrying royalties (real licensing + registry paths).
    function registerChild(uint256 ownerSeed, uint256 parentSeed, uint256 royaltySeed, bool twoParents) external {
        if (assets.length >= MAX_ASSETS) return;
        address owner = actors[ownerSeed % actors.length];
        uint256 n = twoParents && assets.length > 1 ? 2 : 1;
        RegisterParams memory p;
        p.kind = AssetKinds.MODEL;
        p.content = ContentRef(Codecs.RAW, keccak256(abi.encode("handler content", ++_nonce)));
        p.metadata = ContentRef(Codecs.JSON, keccak256(abi.encode("handler metadata", _nonce)));
        p.parents = new ParentInput[](n);
        for (uint256 i; i < n; ++i) {
            uint256 parentId = assets[(parentSeed % assets.length + i) % assets.length];
            uint16 royalty = uint16(bound(uint256(keccak256(abi.encode(royaltySeed, i))), 1, 2500));
            TermsParams memory t;
            t.template = LicenseTemplate.COMMERCIAL_REMIX;
            t.royaltyBps = royalty;
            vm.prank(registry.ownerOf(parentId));
            uint256 termsId = licenses.attachTerms(parentId, t);
            vm.prank(owner);
            uint256 licenseId = licenses.buyLicense(termsId, owner, 0);
            p.parents[i] = ParentInput(parentId, Relation.FINETUNED_FROM, licenseId);
        }
        vm.prank(owner);
        assets.push(registry.register(p));
        ++calls["registerChild"];
    }

    function setProtocolFee(uint256 bps) external {
        uint16 fee = uint16(bound(bps, 0, vault.MAX_PROTOCOL_FEE_BPS()));
        vm.prank(admin);
        vault.setProtocolFee(fee);
        ++calls["setProtocolFee"];
    }

    /// @dev The admin hands the treasury role to the other treasury address; fees accrued so far
    ///      must stay with the outgoing one.
    function rotateTreasury() external {
        address next = vault.treasury() == treasuries[0] ? treasuries[1] : treasuries[0];
        vm.prank(admin);
        vault.setTreasury(next);
        ++calls["rotateTreasury"];
    }

    /// @dev The admin removes or re-allows a payment token; revenue already accrued in a removed
    ///      token must stay claimable and flushable.
    function toggleToken(uint256 tokenSeed) external {
        address token = tokens[tokenSeed % 2];
        bool allowed = vault.isPaymentToken(token);
        vm.prank(admin);
        vault.setPaymentToken(token, !allowed);
        ++calls["toggleToken"];
    }

    /// @dev A fee-on-transfer token allowed by mistake must never be accepted.
    function payFeeOnTransfer(uint256 actorSeed, uint256 assetSeed, uint256 amount) external {
        address payer = actors[actorSeed % actors.length];
        uint256 assetId = assets[assetSeed % assets.length];
        amount = bound(amount, 100, 1e24);
        fot.mint(payer, amount);
        vm.startPrank(payer);
        fot.approve(address(vault), amount);
        try vault.pay(assetId, address(fot), amount) {
            fotAccepted = true;
        } catch {}
        vm.stopPrank();
        ++fotAttempts;
    }

    // ------------------------------------------------------------------ model

    function _modelInflow(uint256 assetId, address token, uint256 amount, uint256 feeBps) internal {
        uint256 fee = amount * feeBps / BPS;
        uint256 rest = amount - fee;
        uint256 royalties = rest * registry.assetInfo(assetId).royaltyBps / BPS;
        rest -= royalties;
        (uint16 contributorBps, uint256 total) = shares.splitOf(assetId);
        uint256 contributors = total == 0 ? 0 : rest * contributorBps / BPS;
        // Fees belong to the treasury in office when they accrue.
        ghostCreditWei[vault.treasury()][token] += fee;
        ghostCreditWei[registry.ownerOf(assetId)][token] += rest - contributors;
        ghostPending[assetId][token] += royalties;
        ghostReceived[assetId][token] += amount;
        if (contributors == 0) return;
        address[] storage hs = _holders[assetId];
        for (uint256 i; i < hs.length; ++i) {
            uint256 s = shares.balanceOf(hs[i], assetId);
            ghostScaled[assetId][token][hs[i]] += contributors * SCALE * s / total;
            ghostBudget[assetId][token][hs[i]] += s + 1;
        }
    }
}
