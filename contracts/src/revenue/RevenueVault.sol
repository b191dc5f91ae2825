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
///         contributorBps(X) and totalShares(X) are read from the vault's own copy, which
///         ContributionShares pushes through `syncSplit` after every change (no cross-module call
///         on the payment path).
///
///         The owner part is credited to the address that owns X's OwnershipNFT at the time of the
///         inflow: revenue earned before an ownership sale stays claimable by the seller.
///
///         Royalties are forwarded lazily: `flushRoyalties(X, token)` splits X's pending royalties
///         among X's direct parents pro rata to their link royalty bps (the last royalty-bearing
///         parent takes the rounding remainder) and books each part as an inflow of the parent
///         without protocol fee (payer = address(0)). A payment therefore costs O(1) whatever the
///         lineage depth and the number of contributors.
///
///         Contributors are paid through a per-(asset, token) accumulator `acc` of wei per share
///         scaled by ACC_SCALE. Each credit adds floor((part * ACC_SCALE + carry) / totalShares) to
///         `acc` and keeps the division remainder as `carry` for the next credit, so the
///         accumulator itself neither creates nor loses value. A holder's position stores the
///         `acc` value it last settled at, whole wei settled by checkpoints and a sub-wei
///         fraction; claims pay whole wei and keep the fraction for later.
///
///         Dust: `reserves[token]` is the exact amount the vault owes (every wei that entered
///         minus every wei claimed) and equals the vault's token balance unless someone sent
///         tokens without paying. The only part of `reserves` no one can claim right now is
///         (a) each holder's sub-wei fraction (< 1 wei per holder, asset and token) and (b) each
///         accumulator's carry (< totalShares / ACC_SCALE wei, i.e. < 1 wei while
///         totalShares <= 1e18). Both stay in the vault and become claimable as more revenue
///         arrives; nothing is ever paid out twice.
///
///         Protocol fees accrue in a per-token pool packed with the reserves (one storage write
///         per payment instead of two). The pool belongs to the treasury in office:
///         `balanceOf(treasury, token)` includes it, the treasury's `claim` takes it, and
///         `setTreasury` first moves it to the outgoing treasury's balance. This is equivalent to
///         crediting the treasury's balance at every inflow.
/// @dev Storage is plain (not ERC-7201) and append-only across upgrades. The hot records are
///      hand-packed words (layouts below) so each is one SLOAD and one SSTORE per payment.
///      Bounds, all checked (a violation reverts, it never wraps): reserves per token < 2^128,
///      cumulative revenue per (asset, token) < 2^128, pending royalties per (asset, token)
///      < 2^112 (anyone can flush them), total shares per asset < 2^64 (ContributionShares).
///      Hence acc <= 2^128 * ACC_SCALE < 2^188 fits 192 bits, carry < totalShares fits 64 bits,
///      and shares * (acc - snapshot) < 2^252 never overflows.
contract RevenueVault is ProtocolModule, IRevenueVault {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ------------------------------------------------------------------ constants

    /// @inheritdoc IRevenueVault
    uint16 public constant MAX_PROTOCOL_FEE_BPS = 1000;
    /// @notice Payment tokens allowed at the same time.
    uint256 public constant MAX_PAYMENT_TOKENS = 8;
    /// @notice Tokens ever allowed. Removed tokens stay tracked so revenue already accrued in them
    ///         stays claimable and checkpoints keep settling it; this bounds every per-token loop.
    uint256 public constant MAX_TRACKED_TOKENS = 16;
    /// @notice Fixed-point scale of the per-share accumulator (wei per share * ACC_SCALE).
    uint256 public constant ACC_SCALE = 1e18;

    uint256 private constant BPS = 10_000;
    uint256 private constant MASK64 = type(uint64).max;
    uint256 private constant MASK112 = type(uint112).max;
    uint256 private constant MASK128 = type(uint128).max;
    uint256 private constant MASK192 = type(uint192).max;

    // Token word: [0..127] reserves | [128..239] protocol fee pool | 240 allowed | 241 tracked
    uint256 private constant TOKEN_ALLOWED = 1 << 240;
    uint256 private constant TOKEN_TRACKED = 1 << 241;
    uint256 private constant TOKEN_FLAGS = TOKEN_ALLOWED | TOKEN_TRACKED;

    // Asset word (per asset and token): [0..127] totalReceived | [128..239] pendingRoyalties |
    // [240..254] royalty bps of the asset (cached, immutable in the registry) | 255 cached flag
    uint256 private constant ASSET_CACHED = 1 << 255;
    uint256 private constant ASSET_ROYALTY_SHIFT = 240;
    uint256 private constant ASSET_META = ~uint256(0) << 240;

    // Accumulator word (per asset and token): [0..191] accPerShare | [192..255] carry
    // Position word (per asset, token, holder): [0..191] acc snapshot | [192..251] fraction
    // (scaled wei < ACC_SCALE < 2^60) | 255 whole wei waiting in _settledWei
    uint256 private constant POS_SETTLED = 1 << 255;
    uint256 private constant MASK60 = (1 << 60) - 1;

    // ------------------------------------------------------------------ storage

    // slot 0: registry (20 bytes) | protocolFeeBps (2) | allowedCount (1): read together per payment
    IAssetRegistry private _registry;
    uint16 private _protocolFeeBps;
    uint8 private _allowedCount;
    // slot 1
    IContributionShares private _shares;
    // slot 2
    address private _treasury;
    // slot 3
    address[] private _trackedTokens;
    mapping(address token => uint256 word) private _tokenWord;
    mapping(address collector => bool) private _collectors;
    mapping(address account => mapping(address token => uint256)) private _balances;
    mapping(uint256 assetId => mapping(address token => uint256 word)) private _assetWord;
    mapping(uint256 assetId => mapping(address token => uint256 word)) private _accWord;
    mapping(uint256 assetId => mapping(address token => mapping(address account => uint256 word))) private _posWord;
    mapping(uint256 assetId => mapping(address token => mapping(address account => uint256))) private _settledWei;
    // Appended after the first layout (upgrade-safe). Per asset: [0..15] contributorBps |
    // [16..79] totalShares, a copy of ContributionShares.splitOf kept by `syncSplit` so a payment
    // reads one local slot instead of calling the shares proxy.
    mapping(uint256 assetId => uint256 word) private _splitWord;

    // ------------------------------------------------------------------ events and errors (beyond the interface)

    /// @notice Part of a `Claimed` total that came from contributor revenue in one asset (lets an
    ///         indexer keep per-asset contributor balances; emitted only for non-zero amounts).
    event ContributorClaimed(uint256 indexed assetId, address indexed account, address indexed token, uint256 amount);

    /// @notice The protocol fee pool of `token` (`amount`) moved into `treasury`'s balance: on a
    ///         treasury change (to the outgoing treasury) or when the pool would overflow. Lets an
    ///         indexer follow the pool without re-deriving these rules.
    event ProtocolFeesCredited(address indexed treasury, address indexed token, uint256 amount);

    /// @notice The registry reported pending royalties for an asset whose parent links carry no royalty.
    error NoRoyaltyParents(uint256 assetId);

    /// @dev The four parts of an inflow; they sum to the amount exactly.
    struct Parts {
        uint256 fee;
        uint256 royalties;
        uint256 contributors;
        uint256 owner;
    }

    // ------------------------------------------------------------------ init

    /// @notice Initializes the proxy.
    /// @param admin owner of the module (upgrades and configuration)
    /// @param assetRegistry_ the AssetRegistry proxy
    /// @param shares_ the ContributionShares proxy (the only caller of `checkpoint` and `syncSplit`)
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
    function pay(uint256 assetId, address token, uint256 amount) external whenNotPaused nonReentrant {
        _pull(msg.sender, assetId, token, amount);
    }

    /// @inheritdoc IRevenueVault
    /// @dev A failing permit is ignored (it may have been front-run with the same signature); the
    ///      transfer then needs an existing allowance.
    function payWithPermit(uint256 assetId, address token, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external whenNotPaused
        nonReentrant
    {
        try IERC20Permit(token).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _pull(msg.sender, assetId, token, amount);
    }

    /// @inheritdoc IRevenueVault
    /// @dev Trust: a collector can pull from any account that approved the vault, into any asset.
    ///      Only audited protocol modules that pass their own caller as `payer` may be collectors.
    function collect(address payer, uint256 assetId, address token, uint256 amount) external whenNotPaused nonReentrant {
        if (!_collectors[msg.sender]) revert NotCollector(msg.sender);
        _pull(payer, assetId, token, amount);
    }

    /// @inheritdoc IRevenueVault
    /// @dev Unaccounted balance = balanceOf(vault) - reserves (tokens sent without `pay`). The
    ///      event's payer is the collector.
    function creditReceived(uint256 assetId, address token, uint256 amount) external nonReentrant {
        if (!_collectors[msg.sender]) revert NotCollector(msg.sender);
        if (amount == 0) revert ZeroAmount();
        uint256 word = _tokenWord[token];
        if (word & TOKEN_ALLOWED == 0) revert TokenNotAllowed(token);
        uint256 reserves_ = word & MASK128;
        uint256 balance = IERC20(token).balanceOf(address(this));
        uint256 available = balance > reserves_ ? balance - reserves_ : 0;
        if (available < amount) revert UnaccountedBalanceTooLow(token, amount, available);
        _book(word, assetId, token, amount, msg.sender);
    }

    /// @dev Transfers `amount` from `from` and books it. The transfer happens before the
    ///      accounting because the received amount must be verified; the token is allowlisted and
    ///      every entry point is nonReentrant. The check is solvency: after the transfer the vault
    ///      must hold at least reserves + amount, so a token that delivers less (fee-on-transfer,
    ///      negative rebase) reverts. It is `>=` rather than `==` so that a donation to the vault
    ///      (unaccounted balance) cannot block payments; any excess stays unaccounted.
    function _pull(address from, uint256 assetId, address token, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        uint256 word = _tokenWord[token];
        if (word & TOKEN_ALLOWED == 0) revert TokenNotAllowed(token);
        IERC20(token).safeTransferFrom(from, address(this), amount);
        uint256 reserves_ = word & MASK128;
        uint256 balance = IERC20(token).balanceOf(address(this));
        if (balance < reserves_ + amount) {
            revert FeeOnTransferNotSupported(token, amount, balance > reserves_ ? balance - reserves_ : 0);
        }
        _book(word, assetId, token, amount, from);
    }

    /// @dev Books an external inflow: the asset split, then reserves += amount and the fee pool.
    function _book(uint256 word, uint256 assetId, address token, uint256 amount, address payer) private {
        uint256 fee = _split(assetId, token, amount, payer, _protocolFeeBps);
        uint256 reserves_ = ((word & MASK128) + amount).toUint128();
        uint256 fees = ((word >> 128) & MASK112) + fee;
        if (fees > MASK112) {
            // The pool is full: move it to the treasury's balance instead of reverting.
            address treasury_ = _treasury;
            _balances[treasury_][token] += fees;
            emit ProtocolFeesCredited(treasury_, token, fees);
            fees = 0;
        }
        _tokenWord[token] = (word & TOKEN_FLAGS) | (fees << 128) | reserves_;
    }

    /// @dev Splits `amount` entering `assetId` (see the contract NatSpec) and returns the fee part,
    ///      which the caller books. Reverts UnknownAsset for ids the registry never issued.
    function _split(uint256 assetId, address token, uint256 amount, address payer, uint256 feeBps)
        private
        returns (uint256)
    {
        uint256 word = _assetWord[assetId][token];
        uint256 royaltyBps;
        if (word & ASSET_CACHED == 0) {
            royaltyBps = _loadRoyaltyBps(assetId);
            word |= ASSET_CACHED | (royaltyBps << ASSET_ROYALTY_SHIFT);
        } else {
            royaltyBps = (word >> ASSET_ROYALTY_SHIFT) & 0x7fff;
        }
        uint256 split = _splitWord[assetId];
        uint256 contributorBps = split & 0xffff;
        uint256 totalShares = split >> 16;
        Parts memory p = _parts(amount, feeBps, royaltyBps, contributorBps, totalShares);
        address owner = _registry.ownerOf(assetId);

        // toUintN returns a narrow type: widen before shifting.
        _assetWord[assetId][token] = (word & ASSET_META)
            | (uint256((((word >> 128) & MASK112) + p.royalties).toUint112()) << 128)
            | ((word & MASK128) + amount).toUint128();
        if (p.contributors != 0) _accrue(assetId, token, p.contributors, totalShares);
        if (p.owner != 0) _balances[owner][token] += p.owner;

        emit RevenueReceived(assetId, token, payer, amount, p.fee, p.royalties, p.owner, p.contributors, owner);
        return p.fee;
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
    function _accrue(uint256 assetId, address token, uint256 part, uint256 totalShares) private {
        uint256 word = _accWord[assetId][token];
        uint256 scaled = part * ACC_SCALE + (word >> 192);
        uint256 acc = ((word & MASK192) + scaled / totalShares).toUint192();
        // carry < totalShares, which ContributionShares keeps below 2^64 (checked anyway).
        uint256 carry = (scaled % totalShares).toUint64();
        _accWord[assetId][token] = (carry << 192) | acc;
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
    ///      rounding remainder, so the parts sum exactly to the pending amount; parts of 0 are
    ///      skipped. Works for tokens no longer allowed (revenue already accrued must flow on).
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
        uint256 word = _assetWord[assetId][token];
        uint256 pending = (word >> 128) & MASK112;
        if (pending == 0) return;
        _assetWord[assetId][token] = word & ~(MASK112 << 128);

        ParentLink[] memory links = _registry.parentsOf(assetId);
        uint256 totalBps;
        uint256 last;
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
        uint256 word = _tokenWord[token];
        uint256 fees = (word >> 128) & MASK112;
        if (fees != 0 && msg.sender == _treasury) {
            amount += fees;
            word &= ~(MASK112 << 128);
        }
        for (uint256 i; i < assetIds.length; ++i) {
            amount += _claimPosition(assetIds[i], token, msg.sender);
        }
        if (amount == 0) revert ZeroAmount();
        // Checked: never underflows, since every claimable wei entered the reserves first.
        uint256 reserves_ = (word & MASK128) - amount;
        _tokenWord[token] = (word & ~MASK128) | reserves_;
        emit Claimed(msg.sender, token, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
    }

    /// @dev Settles a holder's position and returns its whole-wei entitlement; the sub-wei
    ///      fraction stays in the position.
    function _claimPosition(uint256 assetId, address token, address account) private returns (uint256 whole) {
        uint256 acc = _accWord[assetId][token] & MASK192;
        uint256 pos = _posWord[assetId][token][account];
        uint256 snapshot = pos & MASK192;
        if (pos & POS_SETTLED != 0) {
            whole = _settledWei[assetId][token][account];
            _settledWei[assetId][token][account] = 0;
        } else if (acc == snapshot) {
            return 0;
        }
        uint256 scaled = (pos >> 192) & MASK60;
        if (acc != snapshot) scaled += _shares.balanceOf(account, assetId) * (acc - snapshot);
        whole += scaled / ACC_SCALE;
        _posWord[assetId][token][account] = ((scaled % ACC_SCALE) << 192) | acc;
        if (whole != 0) emit ContributorClaimed(assetId, account, token, whole);
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
            uint256 acc = _accWord[assetId][token] & MASK192;
            if (acc == 0) continue;
            uint256 pos = _posWord[assetId][token][account];
            uint256 snapshot = pos & MASK192;
            if (acc == snapshot) continue;
            if (!loaded) {
                held = _shares.balanceOf(account, assetId);
                loaded = true;
            }
            uint256 scaled = ((pos >> 192) & MASK60) + held * (acc - snapshot);
            uint256 whole = scaled / ACC_SCALE;
            uint256 flag = pos & POS_SETTLED;
            if (whole != 0) {
                _settledWei[assetId][token][account] += whole;
                flag = POS_SETTLED;
            }
            _posWord[assetId][token][account] = flag | ((scaled % ACC_SCALE) << 192) | acc;
        }
    }

    /// @inheritdoc IRevenueVault
    /// @dev No event: ContributionShares emits ContributionRecorded / ContributorSplitSet in the
    ///      same transaction, from which an indexer already derives these two values.
    function syncSplit(uint256 assetId, uint16 contributorBps, uint256 totalShares) external nonReentrant {
        if (msg.sender != address(_shares)) revert NotShares(msg.sender);
        _splitWord[assetId] = (uint256(totalShares.toUint64()) << 16) | contributorBps;
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
            uint256 word = _tokenWord[token];
            uint256 fees = (word >> 128) & MASK112;
            if (fees != 0) {
                _tokenWord[token] = word & ~(MASK112 << 128);
                _balances[old][token] += fees;
                emit ProtocolFeesCredited(old, token, fees);
            }
        }
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @inheritdoc IRevenueVault
    /// @dev A removed token stays tracked (claims, flushes and checkpoints keep working); at most
    ///      MAX_TRACKED_TOKENS distinct tokens can ever be allowed.
    function setPaymentToken(address token, bool allowed) external onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        uint256 word = _tokenWord[token];
        if (allowed && word & TOKEN_ALLOWED == 0) {
            if (_allowedCount >= MAX_PAYMENT_TOKENS) revert TooManyPaymentTokens(MAX_PAYMENT_TOKENS);
            if (word & TOKEN_TRACKED == 0) {
                if (_trackedTokens.length >= MAX_TRACKED_TOKENS) revert TooManyPaymentTokens(MAX_TRACKED_TOKENS);
                _trackedTokens.push(token);
            }
            _tokenWord[token] = word | TOKEN_FLAGS;
            ++_allowedCount;
        } else if (!allowed && word & TOKEN_ALLOWED != 0) {
            _tokenWord[token] = word & ~TOKEN_ALLOWED;
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
        if (account == _treasury) amount += (_tokenWord[token] >> 128) & MASK112;
    }

    /// @inheritdoc IRevenueVault
    function contributorClaimable(uint256 assetId, address account, address token) public view returns (uint256) {
        uint256 acc = _accWord[assetId][token] & MASK192;
        uint256 pos = _posWord[assetId][token][account];
        uint256 snapshot = pos & MASK192;
        uint256 scaled = (pos >> 192) & MASK60;
        if (acc != snapshot) scaled += _shares.balanceOf(account, assetId) * (acc - snapshot);
        return _settledWei[assetId][token][account] + scaled / ACC_SCALE;
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
        return (_assetWord[assetId][token] >> 128) & MASK112;
    }

    /// @inheritdoc IRevenueVault
    function reserves(address token) external view returns (uint256) {
        return _tokenWord[token] & MASK128;
    }

    /// @inheritdoc IRevenueVault
    function totalReceived(uint256 assetId, address token) external view returns (uint256) {
        return _assetWord[assetId][token] & MASK128;
    }

    /// @notice The contributor accumulator of an asset: scaled wei per share and the undistributed
    ///         carry (scaled wei, < totalShares).
    function accumulator(uint256 assetId, address token) external view returns (uint256 accPerShare, uint256 carry) {
        uint256 word = _accWord[assetId][token];
        return (word & MASK192, word >> 192);
    }

    /// @notice Protocol fees accrued to the treasury in office and not yet claimed.
    function protocolFees(address token) external view returns (uint256) {
        return (_tokenWord[token] >> 128) & MASK112;
    }

    /// @inheritdoc IRevenueVault
    function isPaymentToken(address token) external view returns (bool) {
        return _tokenWord[token] & TOKEN_ALLOWED != 0;
    }

    /// @inheritdoc IRevenueVault
    function paymentTokens() external view returns (address[] memory tokens) {
        uint256 n = _trackedTokens.length;
        tokens = new address[](_allowedCount);
        uint256 k;
        for (uint256 i; i < n; ++i) {
            address token = _trackedTokens[i];
            if (_tokenWord[token] & TOKEN_ALLOWED != 0) tokens[k++] = token;
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

    /// @notice The vault's copy of ContributionShares.splitOf(assetId), used by every payment.
    function splitOf(uint256 assetId) external view returns (uint16 contributorBps, uint256 totalShares) {
        uint256 split = _splitWord[assetId];
        return (uint16(split), split >> 16);
    }

    /// @notice The ContributionShares contract (the only caller of `checkpoint` and `syncSplit`).
    function shares() external view returns (address) {
        return address(_shares);
    }
}
