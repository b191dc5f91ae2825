// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {ProtocolModule} from "../utils/ProtocolModule.sol";
import {IPaymentChannels} from "../interfaces/IPaymentChannels.sol";
import {INodeRegistry} from "../interfaces/INodeRegistry.sol";
import {IRevenueVault} from "../interfaces/IRevenueVault.sol";
import {IERC3009} from "../interfaces/IERC3009.sol";
import {HashChain} from "../libraries/HashChain.sol";
import {ReceiptMerkle} from "../libraries/ReceiptMerkle.sol";
import {Channel, ChannelStatus, Voucher, SettleEntry, SkipReason} from "../types/ExecutionTypes.sol";

/// @title PaymentChannels
/// @notice Pay-per-use channels with hash-chain vouchers. See IPaymentChannels and
///         docs/protocol/payment-channels.md.
///
///         Value of an entry (voucher V, units m, preimage x): a = V.cumulative + m * V.unitPrice,
///         valid iff m <= min(V.maxUnits, MAX_UNITS) and (m == 0 or sha256^m(x) == V.anchor).
///         delta = a - laneSettled (0 when a <= laneSettled), capped at deposit - settled.
///         Per lane the settled total is therefore the highest amount any presented voucher
///         allows (or less when the deposit ran out), and a resubmitted voucher is a no-op.
///
///         Skip-not-revert: an entry whose channel is Closed or past closesAt, whose voucher has
///         expired, or which would settle nothing is skipped with EntrySkipped; skipped entries
///         are not checked further (a skip changes no state). Entries that would move money are
///         fully checked and revert when malformed.
/// @dev Plain storage, append-only across upgrades. A channel is two hot words plus the payer:
///        w0 = signer (160) | nodeId (40) | closesAt (40) | status (8) | tokenIndex (8)
///        w1 = deposit (128) | settled (128)
///      tokenIndex is 1-based into `_tokens`, assigned on a token's first channel (the vault
///      allows at most 16 tokens ever), so `settle` compares one byte instead of reading a third
///      slot. Lane totals (each < 2^128: a lane only grows by deltas capped by the deposit) are
///      packed two per slot: keccak256(channelId, assetId, lane >> 1) => odd lane (128) | even
///      lane (128). A client runs lanes 0..n-1 side by side, so a settlement of n lanes touches
///      n/2 cold slots instead of n (saves a cold SLOAD + SSTORE, ~4.8k gas, per lane pair).
///      Receipts roots: root => nodeId (64) | timestamp (64) | count (128).
contract PaymentChannels is ProtocolModule, EIP712Upgradeable, IPaymentChannels {
    using SafeERC20 for IERC20;

    /// @notice keccak256 of the EIP-712 Voucher type.
    bytes32 public constant VOUCHER_TYPEHASH = keccak256(
        "Voucher(uint256 channelId,uint256 lane,uint256 assetId,uint256 cumulative,bytes32 anchor,uint256 unitPrice,uint256 maxUnits,uint256 expiresAt)"
    );
    /// @notice keccak256 of the EIP-712 ReceiptBatch type.
    bytes32 public constant RECEIPT_BATCH_TYPEHASH = keccak256("ReceiptBatch(uint256 nodeId,bytes32 root,uint256 sequence)");
    /// @notice Upper bound of `setChallengeWindow`.
    uint64 public constant MAX_CHALLENGE_WINDOW = 30 days;

    uint256 private constant BPS = 10_000;
    uint256 private constant MASK40 = (1 << 40) - 1;
    uint256 private constant MASK128 = type(uint128).max;
    uint256 private constant MASK160 = type(uint160).max;
    uint256 private constant NODE_SHIFT = 160;
    uint256 private constant CLOSES_SHIFT = 200;
    uint256 private constant STATUS_SHIFT = 240;
    uint256 private constant TOKEN_SHIFT = 248;

    struct ChannelWords {
        uint256 w0;
        uint256 w1;
        address payer;
    }

    /// @dev What every entry of a settlement shares (kept in memory to stay off the stack).
    struct Batch {
        uint256 nodeId;
        address token;
        uint256 tokenIdx;
        bytes32 domain;
        uint256 feeAsset;
        uint256 feeBps;
        bool feeLoaded;
    }

    /// @dev One vault credit: consecutive entries of the same asset are merged.
    struct Credit {
        uint256 assetId;
        uint256 amount;
    }

    // slot 0: node registry (20) | challengeWindow (8)
    INodeRegistry private _nodes;
    uint64 private _challengeWindow;
    // slot 1
    IRevenueVault private _vault;
    // slot 2
    uint256 private _channelCount;
    // slot 3
    address[] private _tokens;
    mapping(address token => uint256 index) private _tokenIndex;
    mapping(uint256 channelId => ChannelWords) private _channels;
    mapping(bytes32 lanePairKey => uint256 settledPair) private _lanes;
    mapping(bytes32 root => uint256 word) private _roots;

    /// @notice Initializes the proxy.
    /// @param admin owner of the module
    /// @param nodeRegistry_ the NodeRegistry proxy
    /// @param vault_ the RevenueVault proxy (this contract must be made a collector)
    /// @param challengeWindow_ time the node has to settle after requestClose (1 day by default)
    function initialize(address admin, address nodeRegistry_, address vault_, uint64 challengeWindow_)
        external
        initializer
    {
        if (admin == address(0) || nodeRegistry_ == address(0) || vault_ == address(0)) revert ZeroAddress();
        __ProtocolModule_init(admin);
        _nodes = INodeRegistry(nodeRegistry_);
        _vault = IRevenueVault(vault_);
        _setChallengeWindow(challengeWindow_);
    }

    // ------------------------------------------------------------------ open and fund

    /// @inheritdoc IPaymentChannels
    function open(uint256 nodeId, address token, uint256 amount, address signer)
        external whenNotPaused
        nonReentrant
        returns (uint256 channelId)
    {
        channelId = _open(nodeId, token, amount, signer);
        _pull(token, msg.sender, amount);
    }

    /// @inheritdoc IPaymentChannels
    function openWithPermit(
        uint256 nodeId,
        address token,
        uint256 amount,
        address signer,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused nonReentrant returns (uint256 channelId) {
        channelId = _open(nodeId, token, amount, signer);
        try IERC20Permit(token).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _pull(token, msg.sender, amount);
    }

    /// @inheritdoc IPaymentChannels
    function openWithAuthorization(
        uint256 nodeId,
        address token,
        uint256 amount,
        address signer,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external whenNotPaused nonReentrant returns (uint256 channelId) {
        channelId = _open(nodeId, token, amount, signer);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC3009(token).receiveWithAuthorization(
            msg.sender, address(this), amount, validAfter, validBefore, nonce, signature
        );
        _checkReceived(token, before, amount);
    }

    /// @inheritdoc IPaymentChannels
    function topUp(uint256 channelId, uint256 amount) external whenNotPaused nonReentrant {
        address token = _topUp(channelId, amount);
        _pull(token, msg.sender, amount);
    }

    /// @inheritdoc IPaymentChannels
    function topUpWithPermit(uint256 channelId, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external whenNotPaused
        nonReentrant
    {
        address token = _topUp(channelId, amount);
        try IERC20Permit(token).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _pull(token, msg.sender, amount);
    }

    function _open(uint256 nodeId, address token, uint256 amount, address signer) private returns (uint256 channelId) {
        if (amount == 0) revert ZeroAmount();
        if (amount > MASK128) revert ValueTooLarge(amount);
        if (nodeId > MASK40) revert NodeNotActive(nodeId);
        if (!_nodes.isActive(nodeId)) revert NodeNotActive(nodeId);
        if (!_vault.isPaymentToken(token)) revert TokenNotAllowed(token);
        uint256 tokenIdx = _tokenIndex[token];
        if (tokenIdx == 0) {
            _tokens.push(token);
            tokenIdx = _tokens.length;
            // The vault tracks at most 16 tokens ever, so this cannot overflow the 8-bit index.
            if (tokenIdx > type(uint8).max) revert ValueTooLarge(tokenIdx);
            _tokenIndex[token] = tokenIdx;
        }
        if (signer == address(0)) signer = msg.sender;
        channelId = ++_channelCount;
        ChannelWords storage c = _channels[channelId];
        c.w0 = uint256(uint160(signer)) | (nodeId << NODE_SHIFT) | (tokenIdx << TOKEN_SHIFT);
        c.w1 = amount;
        c.payer = msg.sender;
        emit ChannelOpened(channelId, msg.sender, nodeId, token, signer, amount);
    }

    function _topUp(uint256 channelId, uint256 amount) private returns (address token) {
        if (amount == 0) revert ZeroAmount();
        ChannelWords storage c = _channels[channelId];
        uint256 w0 = c.w0;
        if (w0 == 0) revert UnknownChannel(channelId);
        if (_status(w0) != ChannelStatus.Open) revert ChannelNotOpen(channelId);
        uint256 w1 = c.w1;
        uint256 deposit = (w1 & MASK128) + amount;
        if (deposit > MASK128) revert ValueTooLarge(deposit);
        c.w1 = (w1 & ~MASK128) | deposit;
        token = _tokens[(w0 >> TOKEN_SHIFT) - 1];
        emit ChannelToppedUp(channelId, msg.sender, amount, deposit);
    }

    // ------------------------------------------------------------------ close

    /// @inheritdoc IPaymentChannels
    function requestClose(uint256 channelId) external {
        ChannelWords storage c = _channels[channelId];
        uint256 w0 = c.w0;
        if (w0 == 0) revert UnknownChannel(channelId);
        if (c.payer != msg.sender) revert NotPayer(channelId, msg.sender);
        if (_status(w0) != ChannelStatus.Open) revert ChannelNotOpen(channelId);
        uint64 closesAt = uint64(block.timestamp) + _challengeWindow;
        c.w0 = _withClose(w0, closesAt, ChannelStatus.Closing);
        emit ChannelClosing(channelId, closesAt);
    }

    /// @inheritdoc IPaymentChannels
    function release(uint256 channelId) external {
        ChannelWords storage c = _channels[channelId];
        uint256 w0 = c.w0;
        if (w0 == 0) revert UnknownChannel(channelId);
        if (_status(w0) == ChannelStatus.Closed) revert ChannelAlreadyClosed(channelId);
        uint256 nodeId = (w0 >> NODE_SHIFT) & MASK40;
        (address operator, address signer) = _nodes.authority(nodeId);
        if (msg.sender != operator && msg.sender != signer) revert NotNodeAuthority(nodeId, msg.sender);
        // Only ever brings closesAt forward (a Closing channel keeps an earlier end).
        uint64 closesAt = uint64(block.timestamp);
        if (_status(w0) == ChannelStatus.Closing) {
            uint64 current = uint64((w0 >> CLOSES_SHIFT) & MASK40);
            if (current < closesAt) closesAt = current;
        }
        c.w0 = _withClose(w0, closesAt, ChannelStatus.Closing);
        emit ChannelReleased(channelId, msg.sender);
        emit ChannelClosing(channelId, closesAt);
    }

    /// @inheritdoc IPaymentChannels
    function withdraw(uint256 channelId) external nonReentrant {
        ChannelWords storage c = _channels[channelId];
        uint256 w0 = c.w0;
        if (w0 == 0) revert UnknownChannel(channelId);
        address payer = c.payer;
        if (payer != msg.sender) revert NotPayer(channelId, msg.sender);
        ChannelStatus status = _status(w0);
        if (status == ChannelStatus.Closed) revert ChannelAlreadyClosed(channelId);
        uint64 closesAt = uint64((w0 >> CLOSES_SHIFT) & MASK40);
        if (status != ChannelStatus.Closing || block.timestamp < closesAt) {
            revert ChallengeWindowNotOver(channelId, closesAt);
        }
        uint256 w1 = c.w1;
        uint256 refund = (w1 & MASK128) - (w1 >> 128);
        c.w0 = _withClose(w0, closesAt, ChannelStatus.Closed);
        emit ChannelWithdrawn(channelId, payer, refund);
        if (refund != 0) IERC20(_tokens[(w0 >> TOKEN_SHIFT) - 1]).safeTransfer(payer, refund);
    }

    // ------------------------------------------------------------------ settle

    /// @inheritdoc IPaymentChannels
    function settle(
        uint256 nodeId,
        address token,
        SettleEntry[] calldata entries,
        bytes32 receiptsRoot,
        uint256 receiptCount
    ) external nonReentrant {
        (address operator, address nodeSigner) = _nodes.authority(nodeId);
        if (msg.sender != operator && msg.sender != nodeSigner) revert NotNodeAuthority(nodeId, msg.sender);
        uint256 n = entries.length;
        if (n == 0 && receiptsRoot == bytes32(0)) revert EmptySettlement();

        uint256 total;
        uint256 fees;
        if (n != 0) {
            Credit[] memory credits = new Credit[](n);
            uint256 nCredits;
            (total, fees, nCredits) = _settleEntries(nodeId, token, entries, credits);
            if (total != 0) _payout(token, operator, credits, nCredits, total - fees, fees);
        }
        if (receiptsRoot != bytes32(0)) {
            uint256 recorded = _roots[receiptsRoot];
            if (recorded == 0) {
                if (receiptCount > MASK128) revert ValueTooLarge(receiptCount);
                // nodeId < 2^64: it came from the registry's sequential ids (authority succeeded).
                _roots[receiptsRoot] = nodeId | (block.timestamp << 64) | (receiptCount << 128);
            } else if (uint64(recorded) == nodeId) {
                revert ReceiptsRootAlreadyRecorded(receiptsRoot);
            }
            // Recorded by another node (a copy taken from the mempool): the first record stays and
            // this settlement still goes through, so copying a root cannot block a node's payouts.
            // Receipts are authenticated by the node's ReceiptBatch signature, not by the record.
        }
        emit Settled(nodeId, token, receiptsRoot, receiptCount, total, fees);
    }

    /// @dev The state-changing loop. Returns the total settled, the node fees and the number of
    ///      vault credits written to `credits` (consecutive entries of one asset share a credit).
    function _settleEntries(uint256 nodeId, address token, SettleEntry[] calldata entries, Credit[] memory credits)
        private
        returns (uint256 total, uint256 fees, uint256 nCredits)
    {
        Batch memory b = Batch({
            nodeId: nodeId,
            token: token,
            tokenIdx: _tokenIndex[token],
            domain: _domainSeparatorV4(),
            feeAsset: 0,
            feeBps: 0,
            feeLoaded: false
        });
        uint256 n = entries.length;
        for (uint256 i; i < n; ++i) {
            (uint256 assetId, uint256 delta, uint256 fee) = _settleOne(b, entries[i]);
            if (delta == 0) continue;
            unchecked {
                // Bounded by the sum of deposits of one token (< 2^128 each, far below 2^256).
                total += delta;
                fees += fee;
                if (nCredits != 0 && credits[nCredits - 1].assetId == assetId) {
                    credits[nCredits - 1].amount += delta - fee;
                } else {
                    credits[nCredits] = Credit(assetId, delta - fee);
                    ++nCredits;
                }
            }
        }
    }

    /// @dev One entry: checks, skip rules, then the lane and channel updates. delta == 0: skipped.
    function _settleOne(Batch memory b, SettleEntry calldata e)
        private
        returns (uint256 assetId, uint256 delta, uint256 fee)
    {
        Voucher calldata v = e.voucher;
        uint256 channelId = v.channelId;
        ChannelWords storage c = _channels[channelId];
        uint256 w0 = c.w0;
        _checkEntry(b, w0, channelId, e.units, v.maxUnits);
        assetId = v.assetId;
        if (_status(w0) != ChannelStatus.Open && block.timestamp >= (w0 >> CLOSES_SHIFT) & MASK40) {
            emit EntrySkipped(channelId, assetId, v.lane, SkipReason.ChannelClosed);
            return (assetId, 0, 0);
        }
        if (block.timestamp > v.expiresAt) {
            emit EntrySkipped(channelId, assetId, v.lane, SkipReason.Expired);
            return (assetId, 0, 0);
        }
        bytes32 laneKey = _laneKey(channelId, assetId, v.lane);
        uint256 pair = _lanes[laneKey];
        uint256 laneTotal = (pair >> _laneShift(v.lane)) & MASK128;
        uint256 w1 = c.w1;
        delta = _amount(v.cumulative, v.unitPrice, e.units);
        unchecked {
            delta = delta > laneTotal ? delta - laneTotal : 0;
            uint256 room = (w1 & MASK128) - (w1 >> 128);
            if (delta > room) delta = room;
        }
        if (delta == 0) {
            emit EntrySkipped(channelId, assetId, v.lane, SkipReason.Stale);
            return (assetId, 0, 0);
        }
        // Money moves: the entry must be fully valid.
        _verify(b.domain, address(uint160(w0)), e);
        unchecked {
            // laneTotal + delta <= the voucher amount; settled + delta <= deposit < 2^128.
            // laneTotal < 2^128 stays in its half of the pair word.
            laneTotal += delta;
            _lanes[laneKey] = _withLane(pair, v.lane, laneTotal);
            c.w1 = w1 + (delta << 128);
        }
        fee = delta * _feeBps(b, assetId) / BPS;
        emit LaneSettled(channelId, assetId, v.lane, laneTotal, delta, fee);
    }

    /// @dev Reverts for entries that can never be valid in this batch.
    function _checkEntry(Batch memory b, uint256 w0, uint256 channelId, uint256 units, uint256 maxUnits) private pure {
        if (w0 == 0) revert UnknownChannel(channelId);
        if ((w0 >> NODE_SHIFT) & MASK40 != b.nodeId) revert ChannelNodeMismatch(channelId, b.nodeId);
        if (w0 >> TOKEN_SHIFT != b.tokenIdx) revert ChannelTokenMismatch(channelId, b.token);
        if (maxUnits > HashChain.MAX_UNITS) maxUnits = HashChain.MAX_UNITS;
        if (units > maxUnits) revert UnitsAboveMax(units, maxUnits);
    }

    /// @dev The preimage (when units > 0) and the channel signer's signature.
    function _verify(bytes32 domain, address signer, SettleEntry calldata e) private view {
        Voucher calldata v = e.voucher;
        uint256 units = e.units;
        if (units != 0 && HashChain.iterate(e.preimage, units) != v.anchor) revert InvalidPreimage(v.channelId, units);
        bytes32 digest = MessageHashUtils.toTypedDataHash(domain, _voucherStructHash(v));
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, digest, e.signature)) {
            revert InvalidVoucherSignature(v.channelId);
        }
    }

    /// @dev The node fee of an asset, cached across consecutive entries of the same asset.
    function _feeBps(Batch memory b, uint256 assetId) private view returns (uint256) {
        if (!b.feeLoaded || b.feeAsset != assetId) {
            (, uint16 bps) = _nodes.serviceOf(b.nodeId, assetId);
            b.feeBps = bps;
            b.feeAsset = assetId;
            b.feeLoaded = true;
        }
        return b.feeBps;
    }

    /// @dev Effects are done: pay the vault once, book each asset, then the node fees.
    function _payout(address token, address operator, Credit[] memory credits, uint256 nCredits, uint256 toVault, uint256 fees)
        private
    {
        IRevenueVault vault = _vault;
        IERC20(token).safeTransfer(address(vault), toVault);
        for (uint256 i; i < nCredits; ++i) {
            Credit memory cr = credits[i];
            if (cr.amount != 0) vault.creditReceived(cr.assetId, token, cr.amount);
        }
        if (fees != 0) IERC20(token).safeTransfer(operator, fees);
    }

    /// @dev cumulative + units * unitPrice, saturating at 2^256 - 1 (a voucher promising more than
    ///      any deposit is simply capped by the deposit, never a revert that would block a batch).
    function _amount(uint256 cumulative, uint256 unitPrice, uint256 units) private pure returns (uint256 a) {
        if (units == 0) return cumulative;
        unchecked {
            uint256 add = units * unitPrice;
            if (add / units != unitPrice) return type(uint256).max;
            a = cumulative + add;
            if (a < cumulative) return type(uint256).max;
        }
    }

    // ------------------------------------------------------------------ admin

    /// @inheritdoc IPaymentChannels
    function setChallengeWindow(uint64 window) external onlyOwner {
        _setChallengeWindow(window);
    }

    function _setChallengeWindow(uint64 window) private {
        if (window > MAX_CHALLENGE_WINDOW) revert SettingOutOfRange(window, MAX_CHALLENGE_WINDOW);
        _challengeWindow = window;
        emit ChallengeWindowSet(window);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IPaymentChannels
    function channel(uint256 channelId) external view returns (Channel memory ch) {
        ChannelWords storage c = _channels[channelId];
        uint256 w0 = c.w0;
        if (w0 == 0) revert UnknownChannel(channelId);
        uint256 w1 = c.w1;
        ch.payer = c.payer;
        ch.signer = address(uint160(w0));
        ch.nodeId = (w0 >> NODE_SHIFT) & MASK40;
        ch.token = _tokens[(w0 >> TOKEN_SHIFT) - 1];
        ch.deposit = uint128(w1);
        ch.settled = uint128(w1 >> 128);
        ch.closesAt = uint64((w0 >> CLOSES_SHIFT) & MASK40);
        ch.status = _status(w0);
    }

    /// @inheritdoc IPaymentChannels
    function laneSettled(uint256 channelId, uint256 assetId, uint256 lane) external view returns (uint256) {
        return (_lanes[_laneKey(channelId, assetId, lane)] >> _laneShift(lane)) & MASK128;
    }

    /// @inheritdoc IPaymentChannels
    function voucherDigest(Voucher calldata voucher) external view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(_domainSeparatorV4(), _voucherStructHash(voucher));
    }

    /// @inheritdoc IPaymentChannels
    function receiptBatchDigest(uint256 nodeId, bytes32 root, uint256 sequence) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(RECEIPT_BATCH_TYPEHASH, nodeId, root, sequence)));
    }

    /// @inheritdoc IPaymentChannels
    function receiptsRecorded(bytes32 root) external view returns (uint256 nodeId, uint64 timestamp, uint256 count) {
        uint256 word = _roots[root];
        return (uint64(word), uint64(word >> 64), word >> 128);
    }

    /// @inheritdoc IPaymentChannels
    function verifyReceipt(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        return ReceiptMerkle.verify(root, leaf, proof);
    }

    /// @inheritdoc IPaymentChannels
    function channelCount() external view returns (uint256) {
        return _channelCount;
    }

    /// @inheritdoc IPaymentChannels
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc IPaymentChannels
    // solhint-disable-next-line func-name-mixedcase
    function MAX_UNITS() external pure returns (uint256) {
        return HashChain.MAX_UNITS;
    }

    /// @inheritdoc IPaymentChannels
    function challengeWindow() external view returns (uint64) {
        return _challengeWindow;
    }

    /// @inheritdoc IPaymentChannels
    function nodeRegistry() external view returns (address) {
        return address(_nodes);
    }

    /// @inheritdoc IPaymentChannels
    function revenueVault() external view returns (address) {
        return address(_vault);
    }

    /// @notice Tokens that have had a channel, in order of first use (tokenIndex - 1).
    function channelTokens() external view returns (address[] memory) {
        return _tokens;
    }

    // ------------------------------------------------------------------ internals

    /// @dev Constant domain name and version: no storage reads when hashing (EIP712Upgradeable
    ///      would otherwise read both strings from storage on every settlement).
    function _EIP712Name() internal pure override returns (string memory) {
        return "Sahara PaymentChannels";
    }

    function _EIP712Version() internal pure override returns (string memory) {
        return "1";
    }

    function _status(uint256 w0) private pure returns (ChannelStatus) {
        return ChannelStatus(uint8(w0 >> STATUS_SHIFT));
    }

    function _withClose(uint256 w0, uint64 closesAt, ChannelStatus status) private pure returns (uint256) {
        uint256 cleared = w0 & ~((MASK40 << CLOSES_SHIFT) | (uint256(0xff) << STATUS_SHIFT));
        return cleared | (uint256(closesAt) << CLOSES_SHIFT) | (uint256(uint8(status)) << STATUS_SHIFT);
    }

    /// @dev Where a lane sits in its pair word: 0 for an even lane, 128 for an odd one.
    function _laneShift(uint256 lane) private pure returns (uint256) {
        return (lane & 1) << 7;
    }

    /// @dev The pair word with one lane's total replaced (total < 2^128).
    function _withLane(uint256 pair, uint256 lane, uint256 total) private pure returns (uint256) {
        uint256 shift = _laneShift(lane);
        return (pair & ~(MASK128 << shift)) | (total << shift);
    }

    /// @dev The slot of a lane's pair (lanes 2k and 2k+1 share one word).
    function _laneKey(uint256 channelId, uint256 assetId, uint256 lane) private pure returns (bytes32 key) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, channelId)
            mstore(add(p, 0x20), assetId)
            mstore(add(p, 0x40), shr(1, lane))
            key := keccak256(p, 0x60)
        }
    }

    /// @dev keccak256(abi.encode(VOUCHER_TYPEHASH, voucher)) without allocating memory.
    function _voucherStructHash(Voucher calldata v) private pure returns (bytes32 h) {
        bytes32 typehash = VOUCHER_TYPEHASH;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, typehash)
            calldatacopy(add(p, 0x20), v, 0x100)
            h := keccak256(p, 0x120)
        }
    }

    function _pull(address token, address from, uint256 amount) private {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), amount);
        _checkReceived(token, before, amount);
    }

    /// @dev Conservation to the wei needs the amount booked to be the amount received.
    function _checkReceived(address token, uint256 before, uint256 amount) private view {
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != amount) revert FeeOnTransferNotSupported(token, amount, received);
    }
}
