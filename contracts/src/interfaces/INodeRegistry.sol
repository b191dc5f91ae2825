// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Node, NodeStatus} from "../types/ExecutionTypes.sol";

/// @title INodeRegistry
/// @notice Registry of execution nodes: each node bonds SAHARA, publishes an HTTP endpoint and a
///         signer key, and declares which assets it serves with which node fee (a share of each
///         payment in bps, paid to the operator by PaymentChannels and ExactPayments).
///         Exiting unbonds the stake after `unbondingDelay`; an Exiting node gets no new channels
///         but can still settle the ones it has.
interface INodeRegistry {
    /// @notice A node was registered by `operator` with `stake` SAHARA.
    event NodeRegistered(uint256 indexed nodeId, address indexed operator, address indexed signer, uint256 stake, string endpoint);
    /// @notice `amount` SAHARA was added to a node's stake (`stake` is the new total).
    event StakeAdded(uint256 indexed nodeId, uint256 amount, uint256 stake);
    /// @notice A node's endpoint changed.
    event EndpointSet(uint256 indexed nodeId, string endpoint);
    /// @notice A node's signer changed.
    event SignerSet(uint256 indexed nodeId, address indexed signer);
    /// @notice A node (re)declared it serves `assetId` with a node fee of `feeBps`.
    event AssetServed(uint256 indexed nodeId, uint256 indexed assetId, uint16 feeBps);
    /// @notice A node stopped serving `assetId` (its fee is kept for settlements of past calls).
    event AssetServingStopped(uint256 indexed nodeId, uint256 indexed assetId);
    /// @notice A node started exiting; its stake unlocks at `unlockAt`.
    event ExitRequested(uint256 indexed nodeId, uint64 unlockAt);
    /// @notice A node's stake (`amount`) was returned to its operator; the node is Exited.
    event StakeWithdrawn(uint256 indexed nodeId, address indexed operator, uint256 amount);
    /// @notice Admin settings.
    event MinStakeSet(uint256 minStake);
    event UnbondingDelaySet(uint64 delay);
    event MaxNodeFeeBpsSet(uint16 bps);
    /// @notice The NodeStaking module (address(0) = none): gets a hook on every bond change, may
    ///         slash bonds, and jails nodes (a jailed node is not Active).
    event StakingSet(address staking);
    /// @notice NodeStaking slashed `amount` of a node's bond to `to` (`stake` is the new bond).
    event BondSlashed(uint256 indexed nodeId, uint256 amount, uint256 stake, address indexed to);

    /// @notice An address argument is the zero address.
    error ZeroAddress();
    /// @notice No node has this id.
    error UnknownNode(uint256 nodeId);
    /// @notice Only the node's operator may do this.
    error NotNodeOperator(uint256 nodeId, address caller);
    /// @notice The node is not Active (it is Exiting or Exited).
    error NodeNotActive(uint256 nodeId);
    /// @notice The node is not Exiting (withdrawStake needs requestExit first).
    error NodeNotExiting(uint256 nodeId);
    /// @notice The stake is still bonded until `unlockAt`.
    error StakeLocked(uint256 nodeId, uint64 unlockAt);
    /// @notice A stake below the minimum.
    error StakeTooLow(uint256 stake, uint256 minStake);
    /// @notice The amount must be greater than zero.
    error ZeroAmount();
    /// @notice The endpoint is empty or longer than MAX_ENDPOINT_LENGTH bytes.
    error InvalidEndpoint(uint256 length);
    /// @notice The asset does not exist in the AssetRegistry.
    error UnknownAsset(uint256 assetId);
    /// @notice A node fee above the current maximum.
    error NodeFeeTooHigh(uint16 feeBps, uint16 maxFeeBps);
    /// @notice An admin setting outside its bounds.
    error SettingOutOfRange(uint256 value, uint256 max);
    /// @notice Only the NodeStaking module may do this.
    error NotStaking(address caller);
    /// @notice The node is jailed by NodeStaking: its bond stays until it served its jail and unjailed.
    error NodeJailed(uint256 nodeId);

    /// @notice Registers a node operated by msg.sender, pulling `stake` SAHARA (needs an allowance).
    /// @param endpoint base URL of the node's API (1..MAX_ENDPOINT_LENGTH bytes)
    /// @param signer receipt/settlement hot key (address(0) = the operator)
    /// @param stake SAHARA to bond, at least `minStake()`
    /// @return nodeId the new node id (sequential, starting at 1)
    function register(string calldata endpoint, address signer, uint256 stake) external returns (uint256 nodeId);

    /// @notice `register` with an ERC-2612 permit of the SAHARA token in the same transaction (a
    ///         failing permit is ignored when the allowance already suffices, e.g. it was front-run).
    function registerWithPermit(
        string calldata endpoint,
        address signer,
        uint256 stake,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 nodeId);

    /// @notice Adds `amount` SAHARA to an Active node's stake (operator only).
    function addStake(uint256 nodeId, uint256 amount) external;

    /// @notice Changes a node's endpoint (operator only).
    function setEndpoint(uint256 nodeId, string calldata endpoint) external;

    /// @notice Changes a node's signer (operator only; address(0) = the operator).
    function setSigner(uint256 nodeId, address signer) external;

    /// @notice Declares that an Active node serves `assetId` with a node fee of `feeBps`
    ///         (operator only; the asset must exist; feeBps <= maxNodeFeeBps()). May be called
    ///         again to change the fee; a change applies to every later settlement.
    function serveAsset(uint256 nodeId, uint256 assetId, uint16 feeBps) external;

    /// @notice Stops serving `assetId` (operator only). The fee stays recorded so calls already
    ///         served can still be settled with it.
    function stopServing(uint256 nodeId, uint256 assetId) external;

    /// @notice Starts the exit of an Active node (operator only): status Exiting, stake unlocks at
    ///         now + max(unbondingDelay(), NodeStaking.unbondingDelay()) (the bond stays slashable
    ///         as long as delegations undelegated at the same time).
    function requestExit(uint256 nodeId) external;

    /// @notice Returns an Exiting node's stake to its operator once unlocked (operator only):
    ///         status Exited. Reverts NodeJailed while NodeStaking has the node jailed.
    function withdrawStake(uint256 nodeId) external;

    /// @notice Sets the minimum stake of new registrations (admin).
    function setMinStake(uint256 minStake) external;

    /// @notice Sets the unbonding delay of later exits (admin), at most MAX_UNBONDING_DELAY.
    function setUnbondingDelay(uint64 delay) external;

    /// @notice Sets the maximum node fee (admin), at most MAX_NODE_FEE_BPS_LIMIT (5000).
    function setMaxNodeFeeBps(uint16 bps) external;

    /// @notice Sets the NodeStaking module (admin; address(0) disables the hook and jailing).
    function setStaking(address staking) external;

    /// @notice Moves `amount` of a node's bond to `to` (NodeStaking only; amount <= bond).
    function slashBond(uint256 nodeId, uint256 amount, address to) external;

    /// @notice A node's operator, bond and whether its status is Active (ignoring jail), without the
    ///         endpoint string. Unknown ids return operator address(0).
    function bondOf(uint256 nodeId) external view returns (address operator, uint256 stake, bool active);

    /// @notice The NodeStaking module (address(0) = none).
    function staking() external view returns (address);

    /// @notice A node; reverts UnknownNode for ids never registered.
    function node(uint256 nodeId) external view returns (Node memory);

    /// @notice The two keys allowed to act for a node on the payment paths, in one call.
    /// @dev Reverts UnknownNode. Used by PaymentChannels and ExactPayments once per transaction.
    function authority(uint256 nodeId) external view returns (address operator, address signer);

    /// @notice Whether `account`'s ReceiptBatch signatures bind the node: its operator, its current
    ///         signer, or a signer rotated away less than max(unbondingDelay(),
    ///         NodeStaking.unbondingDelay()) ago (a rotation does not void evidence signed by the old
    ///         key, and a leaked old key cannot forge evidence forever). False for unknown nodes.
    function isReceiptSigner(uint256 nodeId, address account) external view returns (bool);

    /// @notice Whether the node exists, is Active and is not jailed by NodeStaking (may get new channels).
    function isActive(uint256 nodeId) external view returns (bool);

    /// @notice Whether the node currently serves `assetId`, and the node fee recorded for it
    ///         (kept after stopServing; 0 when never served).
    function serviceOf(uint256 nodeId, uint256 assetId) external view returns (bool serving, uint16 feeBps);

    /// @notice Number of nodes registered so far (ids are 1..count).
    function nodeCount() external view returns (uint256);

    function minStake() external view returns (uint256);
    function unbondingDelay() external view returns (uint64);
    function maxNodeFeeBps() external view returns (uint16);
    /// @notice The SAHARA token bonded by nodes.
    function stakeToken() external view returns (address);
}
