// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {Test} from "./Test.sol";
import {StandardMerkle} from "./StandardMerkle.sol";
import {SaharaToken} from "../../src/token/SaharaToken.sol";
import {GrantPool} from "../../src/grants/GrantPool.sol";

/// @notice SAHARA minted to `genesis`, a GrantPool proxy owned by `dao` with `committee`, funded
///         with POOL_FUNDS by genesis through `fund`.
abstract contract GrantFixture is Test {
    event log_named_uint(string key, uint256 val);

    uint256 internal constant T0 = 1_700_000_000;
    uint256 internal constant POOL_FUNDS = 1_000_000e18;

    SaharaToken internal sahara;
    GrantPool internal pool;
    GrantPool internal impl;
    address internal genesis;
    address internal dao;
    address internal committee;
    address internal alice;
    address internal bob;
    address internal carol;

    function setUp() public virtual {
        vm.warp(T0);
        genesis = makeAddr("genesis");
        dao = makeAddr("dao");
        committee = makeAddr("committee");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        carol = makeAddr("carol");
        sahara = new SaharaToken(genesis);
        impl = new GrantPool();
        pool = GrantPool(
            address(new ERC1967Proxy(address(impl), abi.encodeCall(GrantPool.initialize, (dao, address(sahara), committee))))
        );
        vm.startPrank(genesis);
        sahara.approve(address(pool), type(uint256).max);
        pool.fund(POOL_FUNDS);
        vm.stopPrank();
    }

    function _ms(uint256 a) internal pure returns (uint128[] memory m) {
        m = new uint128[](1);
        m[0] = uint128(a);
    }

    function _ms(uint256 a, uint256 b, uint256 c) internal pure returns (uint128[] memory m) {
        m = new uint128[](3);
        m[0] = uint128(a);
        m[1] = uint128(b);
        m[2] = uint128(c);
    }

    /// @dev alice applies for bob as recipient with milestones 100, 200, 300 SAHARA.
    function _apply3() internal returns (uint256 id) {
        vm.prank(alice);
        id = pool.submitApplication(bob, "ipfs://proposal", _ms(100e18, 200e18, 300e18));
    }

    function _approvedBy(address approver) internal returns (uint256 id) {
        id = _apply3();
        vm.prank(approver);
        pool.approve(id);
    }

    /// @dev Tree over (accounts[i], amounts[i]).
    function _tree(address[] memory accounts, uint256[] memory amounts) internal pure returns (bytes32[] memory) {
        bytes32[] memory leaves = new bytes32[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) leaves[i] = StandardMerkle.leaf(accounts[i], amounts[i]);
        return StandardMerkle.build(leaves);
    }

    function _proof(bytes32[] memory tree, address account, uint256 amount) internal pure returns (bytes32[] memory) {
        return StandardMerkle.proof(tree, StandardMerkle.leaf(account, amount));
    }

    /// @dev The accounting identity, to the wei.
    function _assertAccounting() internal view {
        assertEq(
            sahara.balanceOf(address(pool)),
            pool.available() + pool.reservedForGrants() + pool.reservedForRounds() + pool.unaccounted(),
            "balance != available + reserved + unaccounted"
        );
    }
}
