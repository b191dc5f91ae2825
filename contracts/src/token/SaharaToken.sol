// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title SaharaToken
/// @notice SAHARA, the governance and utility token of the Sahara protocol.
/// @dev Fixed supply: exactly `MAX_SUPPLY` is minted once, in the constructor, to `recipient`.
///      There is no mint, burn, pause, owner or upgrade path afterwards, so `totalSupply()` is
///      constant for the life of the contract.
///      - ERC-2612 `permit` (EIP-712 domain: name "Sahara", version "1", chainId, this address).
///      - ERC-5805 votes with an ERC-6372 *timestamp* clock: checkpoints are keyed by
///        `block.timestamp`, so `getPastVotes`/`getPastTotalSupply` take Unix seconds, which keeps
///        governance periods meaningful across chains with different block times.
///      Voting power is opt-in: a holder has zero votes until it delegates (possibly to itself).
contract SaharaToken is ERC20, ERC20Permit, ERC20Votes {
    /// @notice The whole supply, minted once at deployment: 10 billion SAHARA (18 decimals).
    uint256 public constant MAX_SUPPLY = 10_000_000_000e18;

    /// @notice The constructor was given the zero address as the supply recipient.
    error ZeroRecipient();

    /// @param recipient Receives the entire supply (typically a treasury or distribution contract).
    constructor(address recipient) ERC20("Sahara", "SAHARA") ERC20Permit("Sahara") {
        if (recipient == address(0)) revert ZeroRecipient();
        _mint(recipient, MAX_SUPPLY);
    }

    /// @notice ERC-6372 clock: the current block timestamp (checkpoints are keyed by time).
    /// @return The current timepoint, `uint48(block.timestamp)`.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372 description of the clock.
    /// @return Always "mode=timestamp".
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice The next unused permit/delegateBySig nonce of `owner` (one shared counter).
    /// @param owner The account whose nonce is read.
    /// @return The nonce the next signature of `owner` must carry.
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    /// @dev Balance moves also move delegated voting power (ERC20Votes bookkeeping).
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
