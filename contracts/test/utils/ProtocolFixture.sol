// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "./Test.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

import {SaharaToken} from "../../src/token/SaharaToken.sol";
import {DevStablecoin} from "../../src/token/DevStablecoin.sol";
import {AssetRegistry} from "../../src/assets/AssetRegistry.sol";
import {ContributionShares} from "../../src/assets/ContributionShares.sol";
import {LicenseRegistry} from "../../src/licensing/LicenseRegistry.sol";
import {RevenueVault} from "../../src/revenue/RevenueVault.sol";
import {RegisterParams, ParentInput, ContentRef, Relation, AssetKinds, Codecs} from "../../src/types/AssetTypes.sol";
import {TermsParams, LicenseTemplate} from "../../src/types/LicenseTypes.sol";

/// @notice Deploys the whole protocol the way production does: every module behind its own
///         ERC1967 (UUPS) proxy, initializers wired with proxy addresses predicted from this
///         contract's nonce (the modules reference each other circularly), both payment tokens
///         allowed in the vault, and a few funded named accounts.
/// @dev Call `_deployProtocol()` from `setUp()` (done by the default `setUp`; override and call it
///      yourself if you need to change the order). Admin functions must be called as `admin`.
abstract contract ProtocolFixture is Test {
    /// @notice Protocol fee used by the fixture: 2.5%.
    uint16 internal constant FIXTURE_FEE_BPS = 250;
    /// @notice USDT each named account receives (6 decimals).
    uint256 internal constant FUND_USDT = 100_000e6;
    /// @notice SAHARA each named account receives (18 decimals).
    uint256 internal constant FUND_SAHARA = 1_000_000e18;

    // ---- named accounts
    address internal admin;
    address internal treasury;
    address internal alice;
    address internal bob;
    address internal carol;
    address internal dave;

    // ---- tokens
    SaharaToken internal sahara;
    DevStablecoin internal usdt;

    // ---- modules (proxies)
    AssetRegistry internal registry;
    LicenseRegistry internal licenses;
    ContributionShares internal shares;
    RevenueVault internal vault;

    // ---- implementations (for upgrade tests)
    AssetRegistry internal registryImpl;
    LicenseRegistry internal licensesImpl;
    ContributionShares internal sharesImpl;
    RevenueVault internal vaultImpl;

    uint256 private _digestNonce;

    function setUp() public virtual {
        _deployProtocol();
    }

    function _deployProtocol() internal {
        admin = makeAddr("admin");
        treasury = makeAddr("treasury");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        carol = makeAddr("carol");
        dave = makeAddr("dave");

        usdt = new DevStablecoin();
        sahara = new SaharaToken(address(this));
        vm.label(address(usdt), "USDT");
        vm.label(address(sahara), "SAHARA");

        registryImpl = new AssetRegistry();
        licensesImpl = new LicenseRegistry();
        sharesImpl = new ContributionShares();
        vaultImpl = new RevenueVault();

        // Proxies are deployed next, in this order; predict their addresses to wire initializers.
        uint256 nonce = vm.getNonce(address(this));
        address registryAddr = vm.computeCreateAddress(address(this), nonce);
        address licensesAddr = vm.computeCreateAddress(address(this), nonce + 1);
        address sharesAddr = vm.computeCreateAddress(address(this), nonce + 2);
        address vaultAddr = vm.computeCreateAddress(address(this), nonce + 3);

        registry = AssetRegistry(
            address(
                new ERC1967Proxy(address(registryImpl), abi.encodeCall(AssetRegistry.initialize, (admin, licensesAddr)))
            )
        );
        licenses = LicenseRegistry(
            address(
                new ERC1967Proxy(
                    address(licensesImpl), abi.encodeCall(LicenseRegistry.initialize, (admin, registryAddr, vaultAddr))
                )
            )
        );
        shares = ContributionShares(
            address(
                new ERC1967Proxy(
                    address(sharesImpl), abi.encodeCall(ContributionShares.initialize, (admin, registryAddr, vaultAddr))
                )
            )
        );
        vault = RevenueVault(
            address(
                new ERC1967Proxy(
                    address(vaultImpl),
                    abi.encodeCall(RevenueVault.initialize, (admin, registryAddr, sharesAddr, treasury, FIXTURE_FEE_BPS))
                )
            )
        );
        require(address(registry) == registryAddr, "fixture: registry address");
        require(address(licenses) == licensesAddr, "fixture: licenses address");
        require(address(shares) == sharesAddr, "fixture: shares address");
        require(address(vault) == vaultAddr, "fixture: vault address");
        vm.label(address(registry), "AssetRegistry");
        vm.label(address(licenses), "LicenseRegistry");
        vm.label(address(shares), "ContributionShares");
        vm.label(address(vault), "RevenueVault");

        vm.startPrank(admin);
        vault.setPaymentToken(address(usdt), true);
        vault.setPaymentToken(address(sahara), true);
        vault.setCollector(address(licenses), true);
        vm.stopPrank();

        address[4] memory people = [alice, bob, carol, dave];
        for (uint256 i; i < people.length; ++i) {
            _fund(people[i]);
        }
    }

    /// @dev Gives `account` FUND_USDT and FUND_SAHARA.
    function _fund(address account) internal {
        usdt.faucet(account, FUND_USDT);
        sahara.transfer(account, FUND_SAHARA);
    }

    /// @dev Mints any amount of USDT (the faucet caps each call).
    function _mintUsdt(address to, uint256 amount) internal {
        uint256 max = usdt.FAUCET_MAX();
        while (amount != 0) {
            uint256 a = amount > max ? max : amount;
            usdt.faucet(to, a);
            amount -= a;
        }
    }

    /// @dev A fresh, unique content reference.
    function _content() internal returns (ContentRef memory) {
        return ContentRef({codec: Codecs.RAW, digest: keccak256(abi.encode("content", ++_digestNonce))});
    }

    function _metadata() internal returns (ContentRef memory) {
        return ContentRef({codec: Codecs.JSON, digest: keccak256(abi.encode("metadata", ++_digestNonce))});
    }

    /// @dev Registers a root asset of `kind` owned (and created) by `owner`.
    function _registerAsset(address owner, uint16 kind) internal returns (uint256 assetId) {
        RegisterParams memory p;
        p.kind = kind;
        p.content = _content();
        p.metadata = _metadata();
        vm.prank(owner);
        assetId = registry.register(p);
    }

    /// @dev Registers a root dataset owned by `owner`.
    function _registerAsset(address owner) internal returns (uint256) {
        return _registerAsset(owner, AssetKinds.DATASET);
    }

    /// @dev Registers a child of `parents` (with the given license ids, 0 = none) created by `owner`.
    function _registerChild(address owner, uint16 kind, uint256[] memory parents, uint256[] memory licenseIds)
        internal
        returns (uint256 assetId)
    {
        RegisterParams memory p;
        p.kind = kind;
        p.content = _content();
        p.metadata = _metadata();
        p.parents = new ParentInput[](parents.length);
        for (uint256 i; i < parents.length; ++i) {
            p.parents[i] = ParentInput({parentId: parents[i], relation: Relation.DERIVED_FROM, licenseId: licenseIds[i]});
        }
        vm.prank(owner);
        assetId = registry.register(p);
    }

    /// @dev `owner` attaches COMMERCIAL_REMIX terms (perpetual, transferable, unlimited) to `assetId`.
    ///      `price` 0 means a free license that still carries the royalty.
    function _attachRemix(address owner, uint256 assetId, address token, uint128 price, uint16 royaltyBps)
        internal
        returns (uint256 termsId)
    {
        TermsParams memory t;
        t.template = LicenseTemplate.COMMERCIAL_REMIX;
        t.paymentToken = price == 0 ? address(0) : token;
        t.price = price;
        t.royaltyBps = royaltyBps;
        t.transferable = true;
        vm.prank(owner);
        termsId = licenses.attachTerms(assetId, t);
    }

    /// @dev `buyer` buys a license under `termsId` (approving the vault for the fee if any).
    function _buyLicense(address buyer, uint256 termsId) internal returns (uint256 licenseId) {
        uint256 price = licenses.terms(termsId).price;
        vm.startPrank(buyer);
        if (price != 0) SaharaToken(licenses.terms(termsId).paymentToken).approve(address(vault), price);
        licenseId = licenses.buyLicense(termsId, buyer, price);
        vm.stopPrank();
    }

    /// @dev Registers a child of `parents` owned by `owner`, owing each parent `royaltyBps[i]`
    ///      (0 = no royalty: `owner` must own that parent). For a royalty the parent's owner
    ///      attaches free COMMERCIAL_REMIX terms and `owner` takes a license first.
    function _registerDerived(address owner, uint256[] memory parents, uint16[] memory royaltyBps)
        internal
        returns (uint256 assetId)
    {
        uint256[] memory licenseIds = new uint256[](parents.length);
        for (uint256 i; i < parents.length; ++i) {
            if (royaltyBps[i] == 0) continue;
            uint256 termsId = _attachRemix(registry.ownerOf(parents[i]), parents[i], address(0), 0, royaltyBps[i]);
            licenseIds[i] = _buyLicense(owner, termsId);
        }
        assetId = _registerChild(owner, AssetKinds.MODEL, parents, licenseIds);
    }

    /// @dev One parent, one royalty.
    function _registerDerived(address owner, uint256 parent, uint16 royaltyBps) internal returns (uint256) {
        uint256[] memory parents = new uint256[](1);
        parents[0] = parent;
        uint16[] memory bps = new uint16[](1);
        bps[0] = royaltyBps;
        return _registerDerived(owner, parents, bps);
    }

    /// @dev `payer` approves the vault and pays `amount` of `token` into `assetId`.
    function _pay(address payer, uint256 assetId, address token, uint256 amount) internal {
        vm.startPrank(payer);
        SaharaToken(token).approve(address(vault), amount);
        vault.pay(assetId, token, amount);
        vm.stopPrank();
    }

    function _ids(uint256 a) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = a;
    }

    function _ids(uint256 a, uint256 b) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](2);
        ids[0] = a;
        ids[1] = b;
    }
}
