// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ProtocolModule} from "../utils/ProtocolModule.sol";
import {IRevenueVault} from "../interfaces/IRevenueVault.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {IContributionShares} from "../interfaces/IContributionShares.sol";
import {ParentLink} from "../types/AssetTypes.sol";

/// @title RevenueVault
/// @notice Holds every asset's revenue, accounted per asset and per payment token, and pays it out
///         on claim (pull only).
///
///         Split of an inflow of `A` into asset X, in this order, every step floored:
///           1. fee          = A * protocolFeeBps / 10_000          -> protocol fee pool (treasury)
///           2. royalties    = (A - fee) * royaltyBps(X) / 10_000   -> X's pending royalties
///           3. contributors = M * contributorBps(X) / 10_000 when X has shares, else 0,
///                             where M = A - fee - royalties        -> X's per-share accumulator
///           4. owner        = M - contributors                     -> balance of ownerOf(X) now
///         The four parts sum to A by construction, so no wei is created or lost by the split.
///
///         The owner part is credited to the address that owns X's OwnershipNFT at the time of the
///         inflow: revenue earned before an ownership sale stays claimable by the seller.
///
///         Royalties are forwarded lazily: `flushRoyalties(X, token)` splits X's pending royalties
///         among X's direct parents pro rata to their link royalty bps and books each part as an
///         inflow of the parent without protocol fee (payer = address(0)). A payment therefore
///         costs O(1) whatever the lineage depth and the number of contributors.
///
///         Contributors are paid through a per-(asset, token) accumulator `acc` of wei per share
///         scaled by ACC_SCALE. Each credit adds floor((part * ACC_SCALE + carry) / totalShares) to
///         `acc` and keeps the division remainder as `carry` for the next credit, so the
///         accumulator itself neither creates nor loses value. A holder's position stores the
///         `acc` value it last settled at and its settled entitlement in scaled units; claims pay
///         whole wei and keep the sub-wei fraction in the position for later.
///
///         Dust: `reserves[token]` is the exact amount the vault owes (every wei that entered
///         minus every wei claimed) and equals the vault's token balance unless someone sent
///         tokens without paying. The only part of `reserves` no one can claim right now is
///         (a) each holder's sub-wei fraction (< 1 wei per holder, asset and token) and (b) each
///         accumulator's carry (< totalShares / ACC_SCALE wei, i.e. < 1 wei while
///         totalShares < 1e36). Both stay in the vault and become claimable as more revenue
///         arrives; nothing is ever paid out twice.
/// @dev Storage is plain (not ERC-7201) and append-only across upgrades. Amount bounds, all
///      enforced with SafeCast (a violation reverts, it never wraps): reserves per token < 2^128,
///      cumulative revenue per (asset, token) < 2^128, pending royalties per (asset, token)
///      < 2^112 (anyone can flush them), total shares per asset < 2^128 (ContributionShares).
contract RevenueVault is ProtocolModule, IRevenueVault {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ------------------------------------------------------------------ constants

    /// @inheritdoc IRevenueVault
    uint16 public constant MAX_PROTOCOL_FEE_BPS = 1000;
    /// @notice Payment tokens allowed at the same time.
    uint256 public constant MAX_PAYMENT_TOKENS = 8;
    /// @notice Tokens ever allowed (removed tokens stay tracked so accrued revenue stays claimable
    ///         and checkpoints keep settling it). Bounds every per-token loop.
    uint256 public constant MAX_TRACKED_TOKENS = 16;
    /// @notice Fixed-point scale of the per-share accumulator (wei per share * ACC_SCALE).
    uint256 public constant ACC_SCALE = 1e36;

    uint256 private constant BPS = 10_000;
    /// @dev Bit set in AssetToken.royaltyTag once the asset's royalty bps are cached (bps < 2^15).
    uint16 private constant ROYALTY_CACHED = 0x8000;

    // ------------------------------------------------------------------ storage types

    /// @dev One slot per token: read and written once per payment.
    struct TokenState {
        uint128 reserves; // everything the vault owes in this token
        uint112 protocolFees; // fees accrued to the treasury in office, not yet moved to its balance
        bool allowed; // accepted for new inflows
        bool tracked; // ever allowed (member of _trackedTokens)
    }

    /// @dev One slot per (asset, token): read and written once per inflow.
    struct AssetToken {
        uint128 totalReceived; // cumulative inflows, forwarded royalties included
        uint112 pendingRoyalties; // owed to the parents, not forwarded yet
        uint16 royaltyTag; // ROYALTY_CACHED | asset royalty bps (immutable in the registry)
    }

    /// @dev Accumulator of one (asset, token): two slots, the carry is written only when it changes.
    struct Accumulator {
        uint256 accPerShare; // scaled wei per share
        uint256 carry; // scaled wei not yet distributed (< totalShares)
    }

    /// @dev A holder's position in one (asset, token).
    struct Position {
        uint256 accSnapshot; // accPerShare at the last settlement
        uint256 settled; // scaled wei settled and not claimed (a sub-wei fraction after a claim)
    }

    // ------------------------------------------------------------------ storage

    // slot 0: registry (20 bytes) | protocolFeeBps (2) | allowedCount (1)
    IAssetRegistry private _registry;
    uint16 private _protocolFeeBps;
    uint8 private _allowedCount;
    // slot 1
    IContributionShares private _shares;
    // slot 2
    address private _treasury;
    // slot 3
    address[] private _trackedTokens;
    mapping(address token => TokenState) private _tokenState;
    mapping(address collector => bool) private _collectors;
    mapping(address account => mapping(address token => uint256)) private _balances;
    mapping(uint256 assetId => mapping(address token => AssetToken)) private _assetToken;
    mapping(uint256 assetId => mapping(address token => Accumulator)) private _acc;
    mapping(uint256 assetId => mapping(address token => mapping(address account => Position))) private _positions;

    // ------------------------------------------------------------------ errors (beyond the interface)

    /// @notice The registry reported pending royalties for an asset whose parent links carry no royalty.
    error NoRoyaltyParents(uint256 assetId);

    // ------------------------------------------------------------------ init

    /// @notice Initializes the proxy.
    /// @param admin owner of the module (upgrades and configuration)
    /// @param assetRegistry_ the AssetRegistry proxy
    /// @param shares_ the ContributionShares proxy (the only caller of `checkpoint`)
    /// @param treasury_ receiver of protocol fees
    /// @param protocolFeeBps_ protocol fee in bps, at most MAX_PROTOCOL_FEE_BPS
    function initialize(address admin, address assetRegistry_, address shares_, address treasury_, uint16 protocolFeeBps_)
        external
        initializer
    {
        if (admin == address(0) || assetRegistry_ == address(0) || shares_ == address(0) || treasury_ == address(0)) {
            revert ZeroAddress();
        }
        if (protocolFeeBps_ > MAX_PROTOCOL_FEE_BPS) revert ProtocolFeeTooHigh(protocolFeeBps_, MAX_PROTOCOL_FEE_BPS);
        __ProtocolModule_init(admin);
        _registry = IAssetRegistry(assetRegistry_);
        _shares = IContributionShares(shares_);
        _treasury = treasury_;
        _protocolFeeBps = protocolFeeBps_;
        emit TreasurySet(treasury_);
        emit ProtocolFeeSet(protocolFeeBps_);
    }

    // ------------------------------------------------------------------ inflows

    /// @inheritdoc IRevenueVault
    function pay(uint256 assetId, address token, uint256 amount) external nonReentrant {
        _pull(msg.sender, assetId, token, amount);
    }

    /// @inheritdoc IRevenueVault
    /// @dev A failing permit is ignored (it may have been front-run with the same signature); the
    ///      transfer then needs an existing allowance.
    function payWithPermit(uint256 assetId, address token, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        try IERC20Permit(token).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _pull(msg.sender, assetId, token, amount);
    }

    /// @inheritdoc IRevenueVault
    function collect(address payer, uint256 assetId, address token, uint256 amount) external nonReentrant {
        if (!_collectors[msg.sender]) revert NotCollector(msg.sender);
        _pull(payer, assetId, token, amount);
    }

    /// @inheritdoc IRevenueVault
    /// @dev Unaccounted balance = balanceOf(vault) - reserves (tokens sent without `pay`). The
    ///      event's payer is the collector.
    function creditReceived(uint256 assetId, address token, uint256 amount) external nonReentrant {
        if (!_collectors[msg.sender]) revert NotCollector(msg.sender);
        if (amount == 0) revert ZeroAmount();
        TokenState memory t = _tokenState[token];
        if (!t.allowed) revert TokenNotAllowed(token);
        uint256 balance = IERC20(token).balanceOf(address(this));
        uint256 available = balance > t.reserves ? balance - t.reserves : 0;
        if (available < amount) revert UnaccountedBalanceTooLow(token, amount, available);
        _book(t, assetId, token, amount, msg.sender);
    }

    /// @dev Transfers `amount` from `from` and books it. The transfer happens before the
    ///      accounting because the received amount must be verified; the token is allowlisted and
    ///      every entry point is nonReentrant. The check is a balance delta (not
    ///      `balance == reserves + amount`) so a donation to the vault cannot block payments.
    function _pull(address from, uint256 assetId, address token, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        TokenState memory t = _tokenState[token];
        if (!t.allowed) revert TokenNotAllowed(token);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), amount);
        uint256 afterBalance = IERC20(token).balanceOf(address(this));
        if (afterBalance != before + amount) {
            revert FeeOnTransferNotSupported(token, amount, afterBalance > before ? afterBalance - before : 0);
        }
        _book(t, assetId, token, amount, from);
    }

    /// @dev Books an external inflow: protocol fee, then the asset split; reserves grow by `amount`.
    function _book(TokenState memory t, uint256 assetId, address token, uint256 amount, address payer) private {
        uint256 fee = _split(assetId, token, amount, payer, _protocolFeeBps);
        t.reserves = (uint256(t.reserves) + amount).toUint128();
        if (fee != 0) {
            uint256 fees = uint256(t.protocolFees) + fee;
            if (fees > type(uint112).max) {
                // The pool is full: move it to the treasury's balance instead of reverting.
                _balances[_treasury][token] += fees;
                fees = 0;
            }
            t.protocolFees = uint112(fees);
        }
        _tokenState[token] = t;
    }

    /// @dev Splits `amount` entering `assetId` (see the contract NatSpec) and returns the fee part,
    ///      which the caller books. Reverts UnknownAsset for ids the registry never issued.
    function _split(uint256 assetId, address token, uint256 amount, address payer, uint256 feeBps)
        private
        returns (uint256)
    {
        AssetToken memory at = _assetToken[assetId][token];
        uint256 royaltyBps;
        if (at.royaltyTag & ROYALTY_CACHED == 0) {
            royaltyBps = _loadRoyaltyBps(assetId);
            at.royaltyTag = uint16(royaltyBps) | ROYALTY_CACHED;
        } else {
            royaltyBps = at.royaltyTag & ~ROYALTY_CACHED;
        }
        (uint16 contributorBps, uint256 totalShares) = _shares.splitOf(assetId);
        Parts memory p = _parts(amount, feeBps, royaltyBps, contributorBps, totalShares);
        address owner = _registry.ownerOf(assetId);

        at.totalReceived = (uint256(at.totalReceived) + amount).toUint128();
        at.pendingRoyalties = (uint256(at.pendingRoyalties) + p.royalties).toUint112();
        _assetToken[assetId][token] = at;
        if (p.contributors != 0) _accrue(_acc[assetId][token], p.contributors, totalShares);
        if (p.owner != 0) _balances[owner][token] += p.owner;

        emit RevenueReceived(assetId, token, payer, amount, p.fee, p.royalties, p.owner, p.contributors, owner);
        return p.fee;
    }

    /// @dev The four parts of an inflow; they sum to `amount` exactly.
    struct Parts {
        uint256 fee;
        uint256 royalties;
        uint256 contributors;
        uint256 owner;
    }

    function _parts(uint256 amount, uint256 feeBps, uint256 royaltyBps, uint256 contributorBps, uint256 totalShares)
        private
        pure
        returns (Parts memory p)
    {
        p.fee = amount * feeBps / BPS;
        uint256 rest = amount - p.fee;
        p.royalties = rest * royaltyBps / BPS;
        rest -= p.royalties;
        p.contributors = totalShares == 0 ? 0 : rest * contributorBps / BPS;
        p.owner = rest - p.contributors;
    }

    /// @dev Adds `part` wei to the per-share accumulator; the division remainder is carried to the
    ///      next credit so the accumulator never creates or loses value.
    function _accrue(Accumulator storage acc, uint256 part, uint256 totalShares) private {
        uint256 carry = acc.carry;
        uint256 scaled = part * ACC_SCALE + carry;
        acc.accPerShare += scaled / totalShares;
        uint256 newCarry = scaled % totalShares;
        if (newCarry != carry) acc.carry = newCarry;
    }

    /// @dev The registry's total parent royalty of an asset; fixed at registration, so cached.
    function _loadRoyaltyBps(uint256 assetId) private view returns (uint256 bps) {
        if (!_registry.exists(assetId)) revert UnknownAsset(assetId);
        bps = _registry.assetInfo(assetId).royaltyBps;
        // Defensive: the registry caps it far lower; above BPS the split would underflow.
        if (bps > BPS) bps = BPS;
    }

    // ------------------------------------------------------------------ royalties

    /// @inheritdoc IRevenueVault
    /// @dev No-op when nothing is pending. The last parent with a non-zero royalty receives the
    ///      rounding remainder, so the parts sum exactly to the pending amount.
    function flushRoyalties(uint256 assetId, address token) external nonReentrant {
        _flush(assetId, token);
    }

    /// @inheritdoc IRevenueVault
    function flushRoyaltiesBatch(uint256[] calldata assetIds, address token) external nonReentrant {
        for (uint256 i; i < assetIds.length; ++i) {
            _flush(assetIds[i], token);
        }
    }

    function _flush(uint256 assetId, address token) private {
        AssetToken memory at = _assetToken[assetId][token];
        uint256 pending = at.pendingRoyalties;
        if (pending == 0) return;
        at.pendingRoyalties = 0;
        _assetToken[assetId][token] = at;

        ParentLink[] memory links = _registry.parentsOf(assetId);
        uint256 totalBps;
        uint256 last = type(uint256).max;
        for (uint256 i; i < links.length; ++i) {
            if (links[i].royaltyBps != 0) {
                totalBps += links[i].royaltyBps;
                last = i;
            }
        }
        if (totalBps == 0) revert NoRoyaltyParents(assetId);

        emit RoyaltiesFlushed(assetId, token, pending);
        uint256 left = pending;
        for (uint256 i; i <= last; ++i) {
            uint256 bps = links[i].royaltyBps;
            if (bps == 0) continue;
            uint256 part = i == last ? left : pending * bps / totalBps;
            left -= part;
            if (part != 0) _split(links[i].parentId, token, part, address(0), 0);
        }
    }

    // ------------------------------------------------------------------ claims

    /// @inheritdoc IRevenueVault
    /// @dev Works for any token ever allowed, also after its removal. Reverts ZeroAmount when
    ///      nothing is claimable. A repeated asset id adds nothing the second time.
    function claim(address token, uint256[] calldata assetIds) external nonReentrant returns (uint256 amount) {
        amount = _balances[msg.sender][token];
        if (amount != 0) _balances[msg.sender][token] = 0;
        TokenState memory t = _tokenState[token];
        if (t.protocolFees != 0 && msg.sender == _treasury) {
            amount += t.protocolFees;
            t.protocolFees = 0;
        }
        for (uint256 i; i < assetIds.length; ++i) {
            amount += _claimPosition(assetIds[i], token, msg.sender);
        }
        if (amount == 0) revert ZeroAmount();
        // Never underflows (every claimable wei entered reserves first); checked regardless.
        t.reserves = (uint256(t.reserves) - amount).toUint128();
        _tokenState[token] = t;
        emit Claimed(msg.sender, token, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
    }

    /// @dev Settles a holder's position and returns its whole-wei entitlement; the sub-wei
    ///      fraction stays in the position.
    function _claimPosition(uint256 assetId, address token, address account) private returns (uint256 whole) {
        uint256 acc = _acc[assetId][token].accPerShare;
        Position storage p = _positions[assetId][token][account];
        uint256 snapshot = p.accSnapshot;
        uint256 settled = p.settled;
        if (acc != snapshot) {
            settled += _shares.balanceOf(account, assetId) * (acc - snapshot);
            p.accSnapshot = acc;
        }
        whole = settled / ACC_SCALE;
        if (whole != 0) p.settled = settled - whole * ACC_SCALE;
        else if (acc != snapshot) p.settled = settled;
    }

    /// @inheritdoc IRevenueVault
    /// @dev Settles the account's entitlement at its current (old) share count in every tracked
    ///      token, so the share change that follows affects only future revenue.
    function checkpoint(uint256 assetId, address account) external nonReentrant {
        if (msg.sender != address(_shares)) revert NotShares(msg.sender);
        uint256 n = _trackedTokens.length;
        uint256 held;
        bool loaded;
        for (uint256 i; i < n; ++i) {
            address token = _trackedTokens[i];
            uint256 acc = _acc[assetId][token].accPerShare;
            if (acc == 0) continue;
            Position storage p = _positions[assetId][token][account];
            uint256 snapshot = p.accSnapshot;
            if (acc == snapshot) continue;
            if (!loaded) {
                held = _shares.balanceOf(account, assetId);
                loaded = true;
            }
            if (held != 0) p.settled += held * (acc - snapshot);
            p.accSnapshot = acc;
        }
    }

    // ------------------------------------------------------------------ admin

    /// @inheritdoc IRevenueVault
    function setProtocolFee(uint16 bps) external onlyOwner {
        if (bps > MAX_PROTOCOL_FEE_BPS) revert ProtocolFeeTooHigh(bps, MAX_PROTOCOL_FEE_BPS);
        _protocolFeeBps = bps;
        emit ProtocolFeeSet(bps);
    }

    /// @inheritdoc IRevenueVault
    /// @dev Fees accrued so far belong to the outgoing treasury: they move to its balance.
    function setTreasury(address treasury_) external onlyOwner {
        if (treasury_ == address(0)) revert ZeroAddress();
        address old = _treasury;
        uint256 n = _trackedTokens.length;
        for (uint256 i; i < n; ++i) {
            address token = _trackedTokens[i];
            TokenState storage t = _tokenState[token];
            uint256 fees = t.protocolFees;
            if (fees != 0) {
                t.protocolFees = 0;
                _balances[old][token] += fees;
            }
        }
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @inheritdoc IRevenueVault
    /// @dev A removed token stays tracked (claims and checkpoints keep working); at most
    ///      MAX_TRACKED_TOKENS distinct tokens can ever be allowed.
    function setPaymentToken(address token, bool allowed) external onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        TokenState storage t = _tokenState[token];
        if (allowed && !t.allowed) {
            if (_allowedCount >= MAX_PAYMENT_TOKENS) revert TooManyPaymentTokens(MAX_PAYMENT_TOKENS);
            if (!t.tracked) {
                if (_trackedTokens.length >= MAX_TRACKED_TOKENS) revert TooManyPaymentTokens(MAX_TRACKED_TOKENS);
                _trackedTokens.push(token);
                t.tracked = true;
            }
            t.allowed = true;
            ++_allowedCount;
        } else if (!allowed && t.allowed) {
            t.allowed = false;
            --_allowedCount;
        }
        emit PaymentTokenSet(token, allowed);
    }

    /// @inheritdoc IRevenueVault
    function setCollector(address collector, bool allowed) external onlyOwner {
        if (collector == address(0)) revert ZeroAddress();
        _collectors[collector] = allowed;
        emit CollectorSet(collector, allowed);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IRevenueVault
    /// @dev For the treasury in office this includes the fee pool.
    function balanceOf(address account, address token) public view returns (uint256 amount) {
        amount = _balances[account][token];
        if (account == _treasury) amount += _tokenState[token].protocolFees;
    }

    /// @inheritdoc IRevenueVault
    function contributorClaimable(uint256 assetId, address account, address token) public view returns (uint256) {
        Position memory p = _positions[assetId][token][account];
        uint256 acc = _acc[assetId][token].accPerShare;
        uint256 settled = p.settled;
        if (acc != p.accSnapshot) settled += _shares.balanceOf(account, assetId) * (acc - p.accSnapshot);
        return settled / ACC_SCALE;
    }

    /// @inheritdoc IRevenueVault
    /// @dev A repeated asset id is counted once, like in `claim`.
    function claimable(address account, address token, uint256[] calldata assetIds) external view returns (uint256 amount) {
        amount = balanceOf(account, token);
        for (uint256 i; i < assetIds.length; ++i) {
            bool seen;
            for (uint256 j; j < i; ++j) {
                if (assetIds[j] == assetIds[i]) {
                    seen = true;
                    break;
                }
            }
            if (!seen) amount += contributorClaimable(assetIds[i], account, token);
        }
    }

    /// @inheritdoc IRevenueVault
    function pendingRoyalties(uint256 assetId, address token) external view returns (uint256) {
        return _assetToken[assetId][token].pendingRoyalties;
    }

    /// @inheritdoc IRevenueVault
    function reserves(address token) external view returns (uint256) {
        return _tokenState[token].reserves;
    }

    /// @inheritdoc IRevenueVault
    function totalReceived(uint256 assetId, address token) external view returns (uint256) {
        return _assetToken[assetId][token].totalReceived;
    }

    /// @notice The contributor accumulator of an asset: scaled wei per share and the undistributed carry.
    function accumulator(uint256 assetId, address token) external view returns (uint256 accPerShare, uint256 carry) {
        Accumulator memory a = _acc[assetId][token];
        return (a.accPerShare, a.carry);
    }

    /// @notice Protocol fees accrued to the treasury in office and not yet claimed.
    function protocolFees(address token) external view returns (uint256) {
        return _tokenState[token].protocolFees;
    }

    /// @inheritdoc IRevenueVault
    function isPaymentToken(address token) external view returns (bool) {
        return _tokenState[token].allowed;
    }

    /// @inheritdoc IRevenueVault
    function paymentTokens() external view returns (address[] memory tokens) {
        uint256 n = _trackedTokens.length;
        tokens = new address[](_allowedCount);
        uint256 k;
        for (uint256 i; i < n; ++i) {
            address token = _trackedTokens[i];
            if (_tokenState[token].allowed) tokens[k++] = token;
        }
    }

    /// @notice Every token ever allowed, removed ones included (claims keep working for them).
    function trackedTokens() external view returns (address[] memory) {
        return _trackedTokens;
    }

    /// @notice Whether a module may call `collect` and `creditReceived`.
    function isCollector(address collector) external view returns (bool) {
        return _collectors[collector];
    }

    /// @inheritdoc IRevenueVault
    function protocolFeeBps() external view returns (uint16) {
        return _protocolFeeBps;
    }

    /// @inheritdoc IRevenueVault
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @notice The AssetRegistry this vault reads owners, royalties and parents from.
    function assetRegistry() external view returns (address) {
        return address(_registry);
    }

    /// @notice The ContributionShares contract (the only checkpoint caller).
    function shares() external view returns (address) {
        return address(_shares);
    }
}
