// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {Vm} from "../utils/Vm.sol";
import {IRevenueVault} from "../../src/interfaces/IRevenueVault.sol";

/// @notice Property tests of the split arithmetic with random amounts, fees, royalties, splits
///         and share counts: every wei of a payment is accounted for exactly once.
contract RevenueVaultFuzzTest is ProtocolFixture {
    uint256 internal constant BPS = 10_000;
    bytes32 internal constant REVENUE_TOPIC =
        keccak256("RevenueReceived(uint256,address,address,uint256,uint256,uint256,uint256,uint256,address)");

    struct Parts {
        uint256 fee;
        uint256 royalties;
        uint256 ownerPart;
        uint256 contributorsPart;
    }

    function _lastRevenue(Vm.Log[] memory logs, uint256 assetId) internal view returns (Parts memory p) {
        for (uint256 i = logs.length; i > 0; --i) {
            Vm.Log memory l = logs[i - 1];
            if (l.emitter == address(vault) && l.topics[0] == REVENUE_TOPIC && uint256(l.topics[1]) == assetId) {
                (, p.fee, p.royalties, p.ownerPart, p.contributorsPart,) =
                    abi.decode(l.data, (uint256, uint256, uint256, uint256, uint256, address));
                return p;
            }
        }
        revert("no RevenueReceived");
    }

    function _mintShares(uint256 assetId, address to, uint128 amount) internal {
        vm.prank(registry.ownerOf(assetId));
        shares.mint(assetId, to, amount, 0, bytes32(0));
    }

    struct Case {
        uint256 amount;
        uint16 feeBps;
        uint16 royaltyBps;
        uint16 contributorBps;
        uint64[3] held;
        address[3] holders;
        uint256 total;
        uint256 x;
    }

    /// @dev One payment: fee, royalties, owner and contributors sum to the amount, each part is the
    ///      documented floor, and the contributor entitlements never exceed the contributors' part.
    function testFuzz_pay_splitIsExact(
        uint256 amount,
        uint16 feeBps,
        uint16 royaltyBps,
        uint16 contributorBps,
        uint64 s1,
        uint64 s2,
        uint64 s3
    ) public {
        Case memory c;
        c.amount = bound(amount, 1, 9e27); // SAHARA's supply is 1e28
        c.feeBps = uint16(bound(feeBps, 0, 1000));
        c.royaltyBps = uint16(bound(royaltyBps, 0, 5000));
        c.contributorBps = uint16(bound(contributorBps, 0, 10_000));
        c.held = [uint64(bound(s1, 0, 1e15)), uint64(bound(s2, 0, 1e15)), uint64(bound(s3, 0, 1e15))];
        c.holders = [carol, dave, makeAddr("erin")];
        _setUpCase(c);

        address payer = makeAddr("payer");
        sahara.transfer(payer, c.amount);
        vm.recordLogs();
        _pay(payer, c.x, address(sahara), c.amount);
        Parts memory p = _lastRevenue(vm.getRecordedLogs(), c.x);
        _checkParts(c, p);
        _checkHolders(c, p);

        // Forward the royalty: the parent receives it all, without protocol fee.
        if (p.royalties != 0) {
            vault.flushRoyalties(c.x, address(sahara));
            assertEq(vault.balanceOf(alice, address(sahara)), p.royalties, "royalty to parent");
        }
        assertEq(vault.reserves(address(sahara)), c.amount, "flush moves no money");
    }

    function _setUpCase(Case memory c) internal {
        vm.prank(admin);
        vault.setProtocolFee(c.feeBps);
        uint256 root = _registerAsset(alice);
        c.x = c.royaltyBps == 0 ? _registerAsset(bob) : _registerDerived(bob, root, c.royaltyBps);
        vm.prank(bob);
        shares.setContributorSplit(c.x, c.contributorBps);
        for (uint256 i; i < 3; ++i) {
            if (c.held[i] != 0) _mintShares(c.x, c.holders[i], c.held[i]);
            c.total += c.held[i];
        }
    }

    function _checkParts(Case memory c, Parts memory p) internal view {
        assertEq(p.fee + p.royalties + p.ownerPart + p.contributorsPart, c.amount, "parts sum");
        assertEq(p.fee, c.amount * c.feeBps / BPS, "fee");
        assertEq(p.royalties, (c.amount - p.fee) * c.royaltyBps / BPS, "royalties");
        uint256 m = c.amount - p.fee - p.royalties;
        assertEq(p.contributorsPart, c.total == 0 ? 0 : m * c.contributorBps / BPS, "contributors");
        assertEq(vault.balanceOf(treasury, address(sahara)), p.fee, "treasury");
        assertEq(vault.balanceOf(bob, address(sahara)), p.ownerPart, "owner");
        assertEq(vault.pendingRoyalties(c.x, address(sahara)), p.royalties, "pending");
        assertEq(vault.reserves(address(sahara)), c.amount, "reserves");
        assertEq(sahara.balanceOf(address(vault)), c.amount, "balance");
    }

    function _checkHolders(Case memory c, Parts memory p) internal view {
        uint256 sumClaimable;
        for (uint256 i; i < 3; ++i) {
            uint256 got = vault.contributorClaimable(c.x, c.holders[i], address(sahara));
            if (c.total != 0) {
                uint256 exact = p.contributorsPart * c.held[i] / c.total;
                assertLe(got, exact, "holder above its exact share");
                assertGe(got + 1, exact, "holder more than 1 wei below its share");
            }
            sumClaimable += got;
        }
        assertLe(sumClaimable, p.contributorsPart, "contributors over-credited");
        assertLe(p.contributorsPart - sumClaimable, 3, "dust above one wei per holder");
    }

    /// @dev Flushing splits pending royalties among several parents pro rata, the remainder going
    ///      to the last royalty-bearing parent, with no wei created or lost.
    function testFuzz_flush_parentsGetExactlyPending(uint256 amount, uint16 b1, uint16 b2, uint16 b3) public {
        amount = bound(amount, 1, 1e24);
        b1 = uint16(bound(b1, 0, 1666));
        b2 = uint16(bound(b2, 0, 1666));
        b3 = uint16(bound(b3, 1, 1666));
        uint256[] memory parents = new uint256[](3);
        parents[0] = _registerAsset(alice);
        parents[1] = _registerAsset(carol);
        parents[2] = _registerAsset(dave);
        uint16[] memory bps = new uint16[](3);
        bps[0] = b1;
        bps[1] = b2;
        bps[2] = b3;
        // Parents with royalty 0 must be owned by the child's registrant.
        for (uint256 i; i < 3; ++i) {
            if (bps[i] == 0) {
                address o = registry.ownerOf(parents[i]);
                vm.prank(o);
                registry.transferFrom(o, bob, parents[i]);
            }
        }
        uint256 child = _registerDerived(bob, parents, bps);
        address payer = makeAddr("payer");
        sahara.transfer(payer, amount);
        _pay(payer, child, address(sahara), amount);
        uint256 pending = vault.pendingRoyalties(child, address(sahara));
        uint256 bobBefore = vault.balanceOf(bob, address(sahara));
        vault.flushRoyalties(child, address(sahara));

        uint256 sum;
        uint256 totalBps = uint256(b1) + b2 + b3;
        for (uint256 i; i < 3; ++i) {
            uint256 got = vault.totalReceived(parents[i], address(sahara));
            if (bps[i] == 0) assertEq(got, 0);
            else if (i < 2) assertEq(got, pending * bps[i] / totalBps, "pro rata");
            sum += got;
        }
        assertEq(sum, pending, "parents received exactly the pending royalties");
        assertEq(vault.balanceOf(bob, address(sahara)), bobBefore);
        assertEq(vault.pendingRoyalties(child, address(sahara)), 0);
    }

    /// @dev Payments interleaved with mints, then everyone claims: what was paid equals what was
    ///      claimed plus what stays in the vault, and what stays is only sub-wei dust.
    function testFuzz_payMintClaim_conservation(uint256 seed, uint8 steps) public {
        steps = uint8(bound(steps, 1, 12));
        uint256 x = _registerAsset(alice);
        vm.prank(alice);
        shares.setContributorSplit(x, uint16(bound(seed, 1, 10_000)));
        address[4] memory holders = [bob, carol, dave, makeAddr("erin")];
        uint256 paid;
        for (uint256 i; i < steps; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            if (r % 3 == 0) {
                _mintShares(x, holders[(r >> 8) % 4], uint128(bound(r >> 16, 1, 1e9)));
            } else {
                uint256 amount = bound(r >> 16, 1, 50_000e6);
                _mintUsdt(bob, amount);
                _pay(bob, x, address(usdt), amount);
                paid += amount;
            }
        }
        uint256 claimed;
        uint256[] memory ids = _ids(x);
        address[6] memory everyone = [alice, treasury, bob, carol, dave, holders[3]];
        for (uint256 i; i < everyone.length; ++i) {
            uint256 c = vault.claimable(everyone[i], address(usdt), ids);
            if (c == 0) continue;
            vm.prank(everyone[i]);
            assertEq(vault.claim(address(usdt), ids), c);
            claimed += c;
        }
        uint256 dust = usdt.balanceOf(address(vault));
        assertEq(vault.reserves(address(usdt)), dust, "reserves == balance");
        assertEq(claimed + dust, paid, "conservation");
        assertLe(dust, 5, "dust: < 1 wei per holder plus the carry");
    }

    /// @dev Shares minted after a payment never earn from that payment.
    function testFuzz_mint_notRetroactive(uint256 amount, uint64 early, uint64 late) public {
        amount = bound(amount, 1, 100_000e6);
        early = uint64(bound(early, 1, 1e18));
        late = uint64(bound(late, 1, 1e18));
        uint256 x = _registerAsset(alice);
        vm.prank(alice);
        shares.setContributorSplit(x, 10_000);
        _mintShares(x, bob, early);
        _pay(carol, x, address(usdt), amount);
        uint256 before = vault.contributorClaimable(x, bob, address(usdt));
        _mintShares(x, dave, late);
        _mintShares(x, bob, late);
        assertEq(vault.contributorClaimable(x, dave, address(usdt)), 0);
        assertEq(vault.contributorClaimable(x, bob, address(usdt)), before);
        // The sole holder gets the whole part, but for at most 1 wei still in the carry.
        uint256 part = amount - amount * FIXTURE_FEE_BPS / BPS;
        assertLe(before, part, "sole holder above the part");
        assertGe(before + 1, part, "sole holder more than 1 wei below the part");
    }
}
