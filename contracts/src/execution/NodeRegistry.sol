// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ProtocolModule} from "../utils/ProtocolModule.sol";
import {INodeRegistry} from "../interfaces/INodeRegistry.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {INodeStaking} from "../interfaces/INodeStaking.sol";
import {Node, NodeStatus} from "../types/ExecutionTypes.sol";

/// @title NodeRegistry
/// @notice Execution nodes bond SAHARA, publish an endpoint and a signer, and declare the assets
///         they serve with a node fee. See INodeRegistry and docs/protocol/node-registry.md.
/// @dev Plain storage, append-only across upgrades. Node layout (struct Node, 4 slots):
///      [operator] [signer] [stake 128 | status 8 | unlockAt 64] [endpoint]; the payment paths
///      read only the first two (`authority`). Service word per (node, asset):
///      [0..15] feeBps | bit 16 serving | bit 17 ever served.
///      Stake accounting: the contract's SAHARA balance is the sum of the stakes of nodes not
///      yet Exited (plus anything sent to it directly, which nobody can take out); slashBond moves
///      part of a stake out (to the treasury) and lowers that stake by the same amount.
contract NodeRegistry is ProtocolModule, INodeRegistry {
    using SafeERC20 for IERC20;

    /// @notice Upper bound of `setMaxNodeFeeBps`: a node takes at most half of a payment.
    uint16 public constant MAX_NODE_FEE_BPS_LIMIT = 5000;
    /// @notice Upper bound of `setUnbondingDelay`.
    uint64 public constant MAX_UNBONDING_DELAY = 365 days;
    /// @notice Longest endpoint string, in bytes.
    uint256 public constant MAX_ENDPOINT_LENGTH = 256;

    uint256 private constant SERVING = 1 << 16;
    uint256 private constant EVER_SERVED = 1 << 17;

    // slot 0
    IERC20 private _stakeToken;
    // slot 1
    IAssetRegistry private _assets;
    // slot 2: minStake 128 | unbondingDelay 64 | maxNodeFeeBps 16
    uint128 private _minStake;
    uint64 private _unbondingDelay;
    uint16 private _maxNodeFeeBps;
    // slot 3
    uint256 private _nodeCount;
    mapping(uint256 nodeId => Node) private _nodes;
    mapping(uint256 nodeId => mapping(uint256 assetId => uint256 word)) private _service;
    // slot 6 (appended in the staking upgrade): the NodeStaking module, address(0) = none
    INodeStaking private _staking;
    // slot 7 (appended): when each rotated-away signer stopped being the node's signer, so evidence
    // signed by it still slashes for the slashing window after the rotation (ReceiptBatch digests
    // carry the nodeId, so one key bound to two nodes cannot move a signature between them).
    mapping(uint256 nodeId => mapping(address signer => uint256 retiredAt)) private _retiredAt;

    /// @notice Initializes the proxy.
    /// @param admin owner of the module
    /// @param stakeToken_ the SAHARA token
    /// @param assetRegistry_ the AssetRegistry proxy (serveAsset checks the asset exists)
    /// @param minStake_ minimum stake of a registration
    /// @param unbondingDelay_ delay between requestExit and withdrawStake (7 days by default)
    /// @param maxNodeFeeBps_ maximum node fee, at most MAX_NODE_FEE_BPS_LIMIT
    function initialize(
        address admin,
        address stakeToken_,
        address assetRegistry_,
        uint256 minStake_,
        uint64 unbondingDelay_,
        uint16 maxNodeFeeBps_
    ) external initializer {
        if (admin == address(0) || stakeToken_ == address(0) || assetRegistry_ == address(0)) revert ZeroAddress();
        __ProtocolModule_init(admin);
        _stakeToken = IERC20(stakeToken_);
        _assets = IAssetRegistry(assetRegistry_);
        _setMinStake(minStake_);
        _setUnbondingDelay(unbondingDelay_);
        _setMaxNodeFeeBps(maxNodeFeeBps_);
    }

    // ------------------------------------------------------------------ registration and stake

    /// @inheritdoc INodeRegistry
    function register(string calldata endpoint, address signer, uint256 stake) external whenNotPaused nonReentrant returns (uint256) {
        return _register(endpoint, signer, stake);
    }

    /// @inheritdoc INodeRegistry
    function registerWithPermit(
        string calldata endpoint,
        address signer,
        uint256 stake,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused nonReentrant returns (uint256) {
        try IERC20Permit(address(_stakeToken)).permit(msg.sender, address(this), stake, deadline, v, r, s) {} catch {}
        return _register(endpoint, signer, stake);
    }

    function _register(string calldata endpoint, address signer, uint256 stake) private returns (uint256 nodeId) {
        _checkEndpoint(endpoint);
        if (stake < _minStake || stake == 0) revert StakeTooLow(stake, _minStake);
        if (stake > type(uint128).max) revert StakeTooLow(stake, _minStake); // unreachable with SAHARA's supply
        if (signer == address(0)) signer = msg.sender;
        nodeId = ++_nodeCount;
        Node storage n = _nodes[nodeId];
        n.operator = msg.sender;
        n.signer = signer;
        n.stake = uint128(stake);
        n.endpoint = endpoint;
        emit NodeRegistered(nodeId, msg.sender, signer, stake, endpoint);
        _pullStake(stake);
        _notifyStaking(nodeId);
    }

    /// @inheritdoc INodeRegistry
    function addStake(uint256 nodeId, uint256 amount) external whenNotPaused nonReentrant {
        Node storage n = _operated(nodeId);
        if (n.status != NodeStatus.Active) revert NodeNotActive(nodeId);
        if (amount == 0) revert ZeroAmount();
        uint256 total = uint256(n.stake) + amount;
        if (total > type(uint128).max) revert StakeTooLow(total, _minStake); // unreachable with SAHARA's supply
        n.stake = uint128(total);
        emit StakeAdded(nodeId, amount, total);
        _pullStake(amount);
        _notifyStaking(nodeId);
    }

    /// @inheritdoc INodeRegistry
    function requestExit(uint256 nodeId) external {
        Node storage n = _operated(nodeId);
        if (n.status != NodeStatus.Active) revert NodeNotActive(nodeId);
        // The bond stays slashable at least as long as a delegation undelegated now, so late
        // evidence cannot miss the operator's own stake.
        uint64 unlockAt = uint64(block.timestamp) + _slashingWindow();
        n.status = NodeStatus.Exiting;
        n.unlockAt = unlockAt;
        emit ExitRequested(nodeId, unlockAt);
        _notifyStaking(nodeId);
    }

    /// @inheritdoc INodeRegistry
    function withdrawStake(uint256 nodeId) external nonReentrant {
        Node storage n = _operated(nodeId);
        if (n.status != NodeStatus.Exiting) revert NodeNotExiting(nodeId);
        if (block.timestamp < n.unlockAt) revert StakeLocked(nodeId, n.unlockAt);
        INodeStaking staking_ = _staking;
        // A jailed node may still face governance slashing for the offence: its bond stays until it
        // served the jail and unjailed (an Exiting node can always unjail after its jail period).
        if (address(staking_) != address(0) && staking_.isJailed(nodeId)) revert NodeJailed(nodeId);
        uint256 amount = n.stake;
        n.stake = 0;
        n.status = NodeStatus.Exited;
        emit StakeWithdrawn(nodeId, msg.sender, amount);
        _stakeToken.safeTransfer(msg.sender, amount);
        _notifyStaking(nodeId);
    }

    /// @inheritdoc INodeRegistry
    /// @dev No hook back into staking: the caller updates its own view of the bond.
    function slashBond(uint256 nodeId, uint256 amount, address to) external nonReentrant {
        if (msg.sender != address(_staking)) revert NotStaking(msg.sender);
        if (to == address(0)) revert ZeroAddress();
        Node storage n = _nodes[nodeId];
        if (n.operator == address(0)) revert UnknownNode(nodeId);
        uint256 stake = n.stake;
        if (amount > stake) revert StakeTooLow(stake, amount);
        if (amount == 0) return;
        unchecked {
            stake -= amount;
        }
        n.stake = uint128(stake);
        emit BondSlashed(nodeId, amount, stake, to);
        _stakeToken.safeTransfer(to, amount);
    }

    // ------------------------------------------------------------------ node settings

    /// @inheritdoc INodeRegistry
    function setEndpoint(uint256 nodeId, string calldata endpoint) external {
        Node storage n = _operated(nodeId);
        _checkEndpoint(endpoint);
        n.endpoint = endpoint;
        emit EndpointSet(nodeId, endpoint);
    }

    /// @inheritdoc INodeRegistry
    function setSigner(uint256 nodeId, address signer) external {
        Node storage n = _operated(nodeId);
        if (signer == address(0)) signer = msg.sender;
        address old = n.signer;
        // The operator always counts (isReceiptSigner), so only another outgoing key is remembered.
        if (old != signer && old != msg.sender) _retiredAt[nodeId][old] = block.timestamp;
        n.signer = signer;
        emit SignerSet(nodeId, signer);
    }

    /// @inheritdoc INodeRegistry
    function serveAsset(uint256 nodeId, uint256 assetId, uint16 feeBps) external whenNotPaused {
        Node storage n = _operated(nodeId);
        if (n.status != NodeStatus.Active) revert NodeNotActive(nodeId);
        if (!_assets.exists(assetId)) revert UnknownAsset(assetId);
        if (feeBps > _maxNodeFeeBps) revert NodeFeeTooHigh(feeBps, _maxNodeFeeBps);
        _service[nodeId][assetId] = EVER_SERVED | SERVING | feeBps;
        emit AssetServed(nodeId, assetId, feeBps);
    }

    /// @inheritdoc INodeRegistry
    function stopServing(uint256 nodeId, uint256 assetId) external {
        _operated(nodeId);
        _service[nodeId][assetId] &= ~SERVING;
        emit AssetServingStopped(nodeId, assetId);
    }

    // ------------------------------------------------------------------ admin

    /// @inheritdoc INodeRegistry
    function setMinStake(uint256 minStake_) external onlyOwner {
        _setMinStake(minStake_);
    }

    /// @inheritdoc INodeRegistry
    function setUnbondingDelay(uint64 delay) external onlyOwner {
        _setUnbondingDelay(delay);
    }

    /// @inheritdoc INodeRegistry
    function setMaxNodeFeeBps(uint16 bps) external onlyOwner {
        _setMaxNodeFeeBps(bps);
    }

    /// @inheritdoc INodeRegistry
    function setStaking(address staking_) external onlyOwner {
        _staking = INodeStaking(staking_);
        emit StakingSet(staking_);
    }

    function _setMinStake(uint256 minStake_) private {
        if (minStake_ > type(uint128).max) revert SettingOutOfRange(minStake_, type(uint128).max);
        _minStake = uint128(minStake_);
        emit MinStakeSet(minStake_);
    }

    function _setUnbondingDelay(uint64 delay) private {
        if (delay > MAX_UNBONDING_DELAY) revert SettingOutOfRange(delay, MAX_UNBONDING_DELAY);
        _unbondingDelay = delay;
        emit UnbondingDelaySet(delay);
    }

    function _setMaxNodeFeeBps(uint16 bps) private {
        if (bps > MAX_NODE_FEE_BPS_LIMIT) revert SettingOutOfRange(bps, MAX_NODE_FEE_BPS_LIMIT);
        _maxNodeFeeBps = bps;
        emit MaxNodeFeeBpsSet(bps);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc INodeRegistry
    function node(uint256 nodeId) external view returns (Node memory) {
        Node storage n = _nodes[nodeId];
        if (n.operator == address(0)) revert UnknownNode(nodeId);
        return n;
    }

    /// @inheritdoc INodeRegistry
    function authority(uint256 nodeId) external view returns (address operator, address signer) {
        Node storage n = _nodes[nodeId];
        operator = n.operator;
        if (operator == address(0)) revert UnknownNode(nodeId);
        signer = n.signer;
    }

    /// @inheritdoc INodeRegistry
    function isReceiptSigner(uint256 nodeId, address account) external view returns (bool) {
        Node storage n = _nodes[nodeId];
        address operator = n.operator;
        if (operator == address(0) || account == address(0)) return false;
        if (account == operator || account == n.signer) return true;
        uint256 retiredAt = _retiredAt[nodeId][account];
        // Bounded so that a key rotated away because it leaked cannot be used to forge evidence
        // forever: the same window as the bond after an exit request.
        return retiredAt != 0 && block.timestamp < retiredAt + _slashingWindow();
    }

    /// @inheritdoc INodeRegistry
    function isActive(uint256 nodeId) external view returns (bool) {
        Node storage n = _nodes[nodeId];
        if (n.operator == address(0) || n.status != NodeStatus.Active) return false;
        INodeStaking staking_ = _staking;
        // One O(1) view call, only when staking is wired.
        return address(staking_) == address(0) || !staking_.isJailed(nodeId);
    }

    /// @inheritdoc INodeRegistry
    function bondOf(uint256 nodeId) external view returns (address operator, uint256 stake, bool active) {
        Node storage n = _nodes[nodeId];
        return (n.operator, n.stake, n.status == NodeStatus.Active);
    }

    /// @inheritdoc INodeRegistry
    function staking() external view returns (address) {
        return address(_staking);
    }

    /// @inheritdoc INodeRegistry
    function serviceOf(uint256 nodeId, uint256 assetId) external view returns (bool serving, uint16 feeBps) {
        uint256 word = _service[nodeId][assetId];
        return (word & SERVING != 0, uint16(word));
    }

    /// @inheritdoc INodeRegistry
    function nodeCount() external view returns (uint256) {
        return _nodeCount;
    }

    /// @inheritdoc INodeRegistry
    function minStake() external view returns (uint256) {
        return _minStake;
    }

    /// @inheritdoc INodeRegistry
    function unbondingDelay() external view returns (uint64) {
        return _unbondingDelay;
    }

    /// @inheritdoc INodeRegistry
    function maxNodeFeeBps() external view returns (uint16) {
        return _maxNodeFeeBps;
    }

    /// @inheritdoc INodeRegistry
    function stakeToken() external view returns (address) {
        return address(_stakeToken);
    }

    /// @notice The AssetRegistry assets are checked against.
    function assetRegistry() external view returns (address) {
        return address(_assets);
    }

    // ------------------------------------------------------------------ internals

    function _operated(uint256 nodeId) private view returns (Node storage n) {
        n = _nodes[nodeId];
        address operator = n.operator;
        if (operator == address(0)) revert UnknownNode(nodeId);
        if (operator != msg.sender) revert NotNodeOperator(nodeId, msg.sender);
    }

    function _checkEndpoint(string calldata endpoint) private pure {
        uint256 len = bytes(endpoint).length;
        if (len == 0 || len > MAX_ENDPOINT_LENGTH) revert InvalidEndpoint(len);
    }

    /// @dev Lets NodeStaking re-read the bond after every change (it accrues at the old weight
    ///      first), so a node's reward weight is always exact.
    function _notifyStaking(uint256 nodeId) private {
        INodeStaking staking_ = _staking;
        if (address(staking_) != address(0)) staking_.onSelfBondChanged(nodeId);
    }

    /// @dev How long evidence can still reach a node after an exit request or a key rotation:
    ///      max(this registry's unbonding delay, NodeStaking's unbonding delay when staking is set).
    function _slashingWindow() private view returns (uint64 window) {
        window = _unbondingDelay;
        INodeStaking staking_ = _staking;
        if (address(staking_) != address(0)) {
            uint64 stakingDelay = staking_.unbondingDelay();
            if (stakingDelay > window) window = stakingDelay;
        }
    }

    /// @dev SAHARA has no transfer fee, so the amount pulled is the amount booked.
    function _pullStake(uint256 amount) private {
        _stakeToken.safeTransferFrom(msg.sender, address(this), amount);
    }
}
