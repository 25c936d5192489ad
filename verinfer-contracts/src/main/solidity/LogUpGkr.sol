// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Goldilocks as F} from "Goldilocks.sol";
import {Sha256Transcript as Tr} from "Sha256Transcript.sol";
import {SumcheckVerifier as SC} from "SumcheckVerifier.sol";

/// @notice verinfer-sumcheck's LogUpVerifier on the EVM (GKR for fractional sums, Papini–Haböck ePrint
/// 2023/1284 §3), reading a LogUpProof (LogUpProof.write) from calldata. Every block (groups, then
/// tables) holds 2^d fractions; the blocks are packed largest first and cut into one tree per binary
/// digit of the total. Checks: the roots balance (Σ P/Q = 0, no Q zero), every GKR layer (one degree-3
/// sumcheck per layer over the active trees, tree a weighted λ^(2a), λ^(2a+1)), and each tree's leaf
/// claim against the blocks' claimed evaluations (block b at offset o: eq(o/2^d, r_high)·(p_b, q_b)).
/// Returns the per-block claims, which the caller must still check (LogUpVerifier's javadoc).
/// Extension elements in memory are interleaved (c0, c1) pairs.
library LogUpGkr {
    using Tr for Tr.T;

    error Rejected(uint256 code);

    uint256 private constant P = 0xFFFFFFFF00000001;
    uint256 internal constant MAX_TREES = 27;
    uint256 internal constant MAX_GROUPS = 4096;
    uint256 internal constant MAX_TABLES = 256;
    uint256 internal constant MAX_COLUMNS = 32;

    // rejection codes (100 + …: malformed bytes; 120 + …: a failed check)
    uint256 internal constant BAD_TREE_COUNT = 101;
    uint256 internal constant BAD_LAYER_COUNT = 102;
    uint256 internal constant BAD_EVAL_COUNT = 103;
    uint256 internal constant BAD_GROUP_COUNT = 104;
    uint256 internal constant BAD_TABLE_COUNT = 105;
    uint256 internal constant BAD_LEAF_COUNT = 106;
    uint256 internal constant NON_CANONICAL = 107;
    uint256 internal constant TRUNCATED = 108;
    uint256 internal constant ZERO_DENOMINATOR = 120;
    uint256 internal constant UNBALANCED = 121;
    uint256 internal constant LAYER_FINAL = 122;
    uint256 internal constant LEAF_NUMERATOR = 123;
    uint256 internal constant LEAF_DENOMINATOR = 124;

    bytes32 private constant L_SHAPE = bytes32("logup/shape") | bytes32(uint256(11));
    bytes32 private constant L_BETA = bytes32("logup/beta") | bytes32(uint256(10));
    bytes32 private constant L_ALPHA = bytes32("logup/alpha") | bytes32(uint256(11));
    bytes32 private constant L_ROOTS = bytes32("logup/roots") | bytes32(uint256(11));
    bytes32 private constant L_LAMBDA = bytes32("logup/lambda") | bytes32(uint256(12));
    bytes32 private constant L_LAYER = bytes32("logup/layer") | bytes32(uint256(11));
    bytes32 private constant L_MU = bytes32("logup/mu") | bytes32(uint256(8));
    bytes32 private constant L_GROUP_LEAVES = bytes32("logup/group-leaves") | bytes32(uint256(18));
    bytes32 private constant L_TABLE_LEAVES = bytes32("logup/table-leaves") | bytes32(uint256(18));

    /// LogUpShape: per table its column count and variables; per group its variables, whether it has a
    /// selector, and its table.
    struct Shape {
        uint256[] tableCols;
        uint256[] tableVars;
        uint256[] groupVars;
        bool[] groupSel;
        uint256[] groupTable;
    }

    /// Per block (groups, then tables): its point (`vars` coordinates of its tree's leaf point) and its
    /// evaluations as read: the columns, then the selector (groups that have one) or the multiplicity.
    struct Claims {
        uint256[][] points;
        uint256[][] evals;
    }

    /// What the layers need of the shape, derived once.
    struct Layout {
        uint256[] treeVars; // descending
        uint256[] treeStarts;
        uint256[] offsets; // per block
        uint256 maxColumns;
    }

    /// Verifies the LogUp proof at calldata [pos, end) for `shape` on transcript `t`; returns the
    /// block claims and the offset after the proof. Any failure reverts with Rejected(code) (or the
    /// sumcheck's Malformed).
    function verify(Tr.T memory t, Shape memory shape, uint256 pos, uint256 end) internal view returns (Claims memory c, uint256) {
        Layout memory lay = layout(shape);
        absorbShape(t, shape);
        uint256[4] memory ba; // β, α
        (ba[0], ba[1]) = t.challengeExt(L_BETA);
        (ba[2], ba[3]) = t.challengeExt(L_ALPHA);
        uint256 numTrees = lay.treeVars.length;

        if (u32(pos, end) != numTrees) revert Rejected(BAD_TREE_COUNT);
        pos += 4;
        need(pos, end, 32 * numTrees);
        uint256[] memory claim = fields(pos, 4 * numTrees); // per tree (P.c0, P.c1, Q.c0, Q.c1)
        t.absorbExtsCalldata(L_ROOTS, pos, 2 * numTrees);
        pos += 32 * numTrees;
        checkBalance(claim, numTrees);

        uint256 depth = lay.treeVars[0];
        if (u32(pos, end) != depth) revert Rejected(BAD_LAYER_COUNT);
        pos += 4;
        uint256[][] memory leafPoints = new uint256[][](numTrees);
        uint256[] memory point = new uint256[](0);
        markFinished(lay.treeVars, 0, point, leafPoints);
        for (uint256 i = 0; i < depth; i++) {
            (point, pos) = layer(t, lay.treeVars, claim, point, i, pos, end);
            markFinished(lay.treeVars, i + 1, point, leafPoints);
        }
        (c, pos) = leaves(t, shape, lay, ba, claim, leafPoints, pos, end);
        return (c, pos);
    }

    /// One GKR layer i: λ, the sumcheck of Σ_a λ^(2a)·P_a + λ^(2a+1)·Q_a over i variables, the four
    /// values per active tree, the eq-weighted final check, μ; updates the claims; returns the next point.
    /// The loops over trees and coordinates are assembly on the arrays' words (every value canonical, so a
    /// product's half a0·b0 + 7·a1·b1 < 2^131 takes one MOD).
    function layer(Tr.T memory t, uint256[] memory treeVars, uint256[] memory claim, uint256[] memory point, uint256 i, uint256 pos, uint256 end)
        private
        view
        returns (uint256[] memory next, uint256)
    {
        uint256 active = 0;
        while (active < treeVars.length && word(treeVars, active) > i) active++;
        (uint256 l0, uint256 l1) = t.challengeExt(L_LAMBDA);
        (uint256 s0, uint256 s1) = lambdaSum(claim, false, active, l0, l1);
        SC.SubClaim memory sub;
        (sub, pos) = SC.verify(t, s0, s1, i, 3, pos, end);
        if (u32(pos, end) != 4 * active) revert Rejected(BAD_EVAL_COUNT);
        pos += 4;
        need(pos, end, 64 * active);
        uint256[] memory ev = fields(pos, 8 * active);
        // eq(point, sub.point)·Σ_a [w·p0·q1 + w·p1·q0 + wλ·q0·q1] = sub's expected value
        (uint256 e0, uint256 e1) = eqPoints(point, sub.point0, sub.point1, i);
        (uint256 t0, uint256 t1) = lambdaSum(ev, true, active, l0, l1);
        (t0, t1) = F.emul(t0, t1, e0, e1);
        if (t0 != sub.e0 || t1 != sub.e1) revert Rejected(LAYER_FINAL);
        t.absorbExtsCalldata(L_LAYER, pos, 4 * active);
        pos += 64 * active;
        (uint256 m0, uint256 m1) = t.challengeExt(L_MU);
        next = new uint256[](2 * (i + 1));
        uint256[] memory p0 = sub.point0;
        uint256[] memory p1 = sub.point1;
        assembly ("memory-safe") {
            mstore(add(next, 32), m0)
            mstore(add(next, 64), m1)
            copyPoint(add(next, 96), p0, p1, i)
            // p = p0 + μ(p1 − p0), q likewise: claim[4a..4a+4) from ev[8a..8a+8)
            update(add(claim, 32), add(ev, 32), shl(1, active), m0, m1)

            // The loops are Yul functions left by `leave`, which the optimizer never inlines: their variables stay on
            // their own stack frames, not in the stage's spill slots.

            /// the n coordinates (a_j, b_j) of two arrays, interleaved from `to` on
            function copyPoint(to, a, b, n) {
                for { let o := 32 } 1 { o := add(o, 32) } {
                    if gt(o, shl(5, n)) { leave }
                    mstore(to, mload(add(a, o)))
                    mstore(add(to, 32), mload(add(b, o)))
                    to := add(to, 64)
                }
            }

            /// n times: (x, y) at e, e + 64 to x + μ·(y − x) at c (μ = (u0, u1)); c and e step by 64 and 128
            function update(c, e, n, u0, u1) {
                for {} 1 {} {
                    if iszero(n) { leave }
                    let a0 := mload(e)
                    let a1 := mload(add(e, 32))
                    let d0 := addmod(mload(add(e, 64)), sub(0xFFFFFFFF00000001, a0), 0xFFFFFFFF00000001)
                    let d1 := addmod(mload(add(e, 96)), sub(0xFFFFFFFF00000001, a1), 0xFFFFFFFF00000001)
                    mstore(c, addmod(a0, mod(add(mul(u0, d0), mul(mul(7, u1), d1)), 0xFFFFFFFF00000001), 0xFFFFFFFF00000001))
                    mstore(add(c, 32), addmod(a1, mod(add(mul(u0, d1), mul(u1, d0)), 0xFFFFFFFF00000001), 0xFFFFFFFF00000001))
                    c := add(c, 64)
                    e := add(e, 128)
                    n := sub(n, 1)
                }
            }
        }
        return (next, pos);
    }

    /// Σ_{a<active} λ^(2a)·x_a + λ^(2a+1)·y_a: over the claims (x = P_a, y = Q_a; four words a tree: P.c0,
    /// P.c1, Q.c0, Q.c1), or, with `products`, over the trees' four values (x = p0·q1 + p1·q0, y = q0·q1;
    /// ev[8a..8a+8)).
    function lambdaSum(uint256[] memory src, bool products, uint256 active, uint256 l0, uint256 l1) private pure returns (uint256 s0, uint256 s1) {
        require((products ? 8 : 4) * active <= src.length);
        assembly ("memory-safe") {
            let w0 := 1
            let w1 := 0
            let l17 := mul(7, l1)
            let stride := shl(add(7, products), 1)
            for { let a := 0 } lt(a, active) { a := add(a, 1) } {
                let e := add(src, add(32, mul(a, stride)))
                let n0 := mod(add(mul(w0, l0), mul(w1, l17)), P)
                let n1 := mod(add(mul(w0, l1), mul(w1, l0)), P)
                let x0
                let x1
                let y0
                let y1
                switch products
                case 0 {
                    x0 := mload(e)
                    x1 := mload(add(e, 32))
                    y0 := mload(add(e, 64))
                    y1 := mload(add(e, 96))
                }
                default {
                    // (p0, p1, q0, q1) at e, e + 64, e + 128, e + 192 (read where used: fewer values on the stack); x =
                    // p0·q1 + p1·q0 (two products, one MOD a half), y = q0·q1
                    let q10 := mload(add(e, 192))
                    let q11 := mload(add(e, 224))
                    x0 := mod(add(add(mul(mload(e), q10), mul(mul(7, mload(add(e, 32))), q11)), add(mul(mload(add(e, 64)), mload(add(e, 128))), mul(mul(7, mload(add(e, 96))), mload(add(e, 160))))), P)
                    x1 := mod(add(add(mul(mload(e), q11), mul(mload(add(e, 32)), q10)), add(mul(mload(add(e, 64)), mload(add(e, 160))), mul(mload(add(e, 96)), mload(add(e, 128))))), P)
                    y0 := mod(add(mul(mload(add(e, 128)), q10), mul(mul(7, mload(add(e, 160))), q11)), P)
                    y1 := mod(add(mul(mload(add(e, 128)), q11), mul(mload(add(e, 160)), q10)), P)
                }
                s0 := add(s0, add(mod(add(mul(w0, x0), mul(mul(7, w1), x1)), P), mod(add(mul(n0, y0), mul(mul(7, n1), y1)), P)))
                s1 := add(s1, add(mod(add(mul(w0, x1), mul(w1, x0)), P), mod(add(mul(n0, y1), mul(n1, y0)), P)))
                w0 := mod(add(mul(n0, l0), mul(n1, l17)), P)
                w1 := mod(add(mul(n0, l1), mul(n1, l0)), P)
            }
            s0 := mod(s0, P)
            s1 := mod(s1, P)
        }
    }

    /// Π_{j<n} eq(a_j, b_j), eq(a, b) = a·b + (1 − a)(1 − b) = 2ab − a − b + 1; a interleaved, b in two arrays.
    function eqPoints(uint256[] memory a, uint256[] memory b0s, uint256[] memory b1s, uint256 n) private pure returns (uint256 e0, uint256 e1) {
        require(2 * n <= a.length && n <= b0s.length && n <= b1s.length);
        assembly ("memory-safe") {
            e0, e1 := eqs(add(a, 32), b0s, b1s, n)

            // a Yul function left by `leave` (never inlined): its loop state on its own stack, not in spill slots
            function eqs(x, y0s, y1s, k) -> g0, g1 {
                g0 := 1
                for { let o := 32 } 1 { o := add(o, 32) } {
                    if gt(o, shl(5, k)) { leave }
                    let a0 := mload(x)
                    let a1 := mload(add(x, 32))
                    let b0 := mload(add(y0s, o))
                    let b1 := mload(add(y1s, o))
                    let f0 := addmod(add(1, shl(1, mod(add(mul(a0, b0), mul(mul(7, a1), b1)), 0xFFFFFFFF00000001))), sub(0x1FFFFFFFE00000002, add(a0, b0)), 0xFFFFFFFF00000001)
                    let f1 := addmod(shl(1, mod(add(mul(a0, b1), mul(a1, b0)), 0xFFFFFFFF00000001)), sub(0x1FFFFFFFE00000002, add(a1, b1)), 0xFFFFFFFF00000001)
                    let h0 := mod(add(mul(g0, f0), mul(mul(7, g1), f1)), 0xFFFFFFFF00000001)
                    g1 := mod(add(mul(g0, f1), mul(g1, f0)), 0xFFFFFFFF00000001)
                    g0 := h0
                    x := add(x, 64)
                }
            }
        }
    }

    /// `n` canonical field elements (8 bytes each) at calldata `pos` (bounds checked by the caller); any other
    /// value is refused with NON_CANONICAL.
    function fields(uint256 pos, uint256 n) private pure returns (uint256[] memory v) {
        bool bad;
        assembly ("memory-safe") {
            // allocated unzeroed (every word is written), four values a calldata word while four are left
            v := mload(0x40)
            mstore(v, n)
            mstore(0x40, add(v, shl(5, add(n, 1))))
            let o := add(v, 32)
            let k := 0
            for {} lt(add(k, 3), n) { k := add(k, 4) } {
                let x := calldataload(add(pos, shl(3, k)))
                let a := shr(192, x)
                let b := and(shr(128, x), 0xFFFFFFFFFFFFFFFF)
                let c := and(shr(64, x), 0xFFFFFFFFFFFFFFFF)
                let d := and(x, 0xFFFFFFFFFFFFFFFF)
                bad := or(bad, or(or(iszero(lt(a, P)), iszero(lt(b, P))), or(iszero(lt(c, P)), iszero(lt(d, P)))))
                mstore(o, a)
                mstore(add(o, 32), b)
                mstore(add(o, 64), c)
                mstore(add(o, 96), d)
                o := add(o, 128)
            }
            for {} lt(k, n) { k := add(k, 1) } {
                let x := shr(192, calldataload(add(pos, shl(3, k))))
                bad := or(bad, iszero(lt(x, P)))
                mstore(o, x)
                o := add(o, 32)
            }
        }
        if (bad) revert Rejected(NON_CANONICAL);
    }

    /// The blocks' claimed evaluations, absorbed, and each tree's leaf claim recomputed from them.
    function leaves(
        Tr.T memory t,
        Shape memory shape,
        Layout memory lay,
        uint256[4] memory ba,
        uint256[] memory claim,
        uint256[][] memory leafPoints,
        uint256 pos,
        uint256 end
    ) private pure returns (Claims memory c, uint256) {
        uint256 groups = shape.groupVars.length;
        uint256 blocks = groups + shape.tableVars.length;
        c.points = new uint256[][](blocks);
        c.evals = new uint256[][](blocks);
        uint256[] memory at = new uint256[](blocks); // calldata offset of each block's values
        if (u32(pos, end) != groups) revert Rejected(BAD_GROUP_COUNT);
        pos += 4;
        for (uint256 b = 0; b < blocks; b++) {
            if (b == groups) {
                if (u32(pos, end) != shape.tableVars.length) revert Rejected(BAD_TABLE_COUNT);
                pos += 4;
            }
            // b < blocks, the length of c.points, c.evals and at; groupSel and groupTable have groups words
            uint256 n = blockColumns(shape, b, groups) + (b >= groups || shape.groupSel[b] ? 1 : 0);
            if (u32(pos, end) != n) revert Rejected(BAD_LEAF_COUNT);
            pos += 4;
            need(pos, end, 16 * n);
            setRow(c.evals, b, fields(pos, 2 * n));
            setWord(at, b, pos);
            pos += 16 * n;
        }
        for (uint256 b = 0; b < blocks; b++) {
            t.absorbExtsCalldata(b < groups ? L_GROUP_LEAVES : L_TABLE_LEAVES, word(at, b), row(c.evals, b).length / 2);
        }
        uint256[] memory leaf = new uint256[](claim.length);
        // β^maxColumns, the table tag's weight
        (uint256 g0, uint256 g1) = (uint256(1), uint256(0));
        for (uint256 k = 0; k < lay.maxColumns; k++) (g0, g1) = F.emul(g0, g1, ba[0], ba[1]);
        {
            // The blocks' loop as Yul functions left by `leave` (never inlined): their variables stay on their own
            // stack frames, not in the stage's spill slots. The record `rec` (`ctx` in them) holds what they read (words): 0 groupVars,
            // 1 tableVars, 2 groupTable, 3 tableCols, 4 treeStarts, 5 offsets, 6 leafPoints, 7 c.points, 8 c.evals,
            // 9 leaf, 10–11 β, 12–13 α, 14–15 β^maxColumns, 16 groups, 17 blocks.
            assembly ("memory-safe") {
                let rec := mload(0x40)
                mstore(0x40, add(rec, 576))
                mstore(rec, mload(add(shape, 64)))
                mstore(add(rec, 32), mload(add(shape, 32)))
                mstore(add(rec, 64), mload(add(shape, 128)))
                mstore(add(rec, 96), mload(shape))
                mstore(add(rec, 128), mload(add(lay, 32)))
                mstore(add(rec, 160), mload(add(lay, 64)))
                mstore(add(rec, 192), leafPoints)
                mstore(add(rec, 224), mload(c))
                mstore(add(rec, 256), mload(add(c, 32)))
                mstore(add(rec, 288), leaf)
                mcopy(add(rec, 320), ba, 128)
                mstore(add(rec, 448), g0)
                mstore(add(rec, 480), g1)
                mstore(add(rec, 512), groups)
                mstore(add(rec, 544), blocks)
                blockLeaves(rec)

                /// per block b: its tree's leaf claim += eq(o/2^d, r_high)·(p_b, q_b)
                function blockLeaves(ctx) {
                    for { let b := 0 } 1 { b := add(b, 1) } {
                        if eq(b, mload(add(ctx, 544))) { leave }
                        let grp := mload(add(ctx, 512))
                        let vars := 0
                        let k := sub(b, grp)
                        switch lt(b, grp)
                        case 0 { vars := mload(add(mload(add(ctx, 32)), shl(5, add(k, 1)))) }
                        default {
                            vars := mload(add(mload(ctx), shl(5, add(b, 1))))
                            k := mload(add(mload(add(ctx, 64)), shl(5, add(b, 1))))
                        }
                        let tree, w0, w1 := place(ctx, b, vars)
                        let q0, q1, p0, p1 := fractions(ctx, b, k)
                        let slot := add(mload(add(ctx, 288)), add(32, shl(7, tree)))
                        let m := 0xFFFFFFFF00000001
                        mstore(slot, addmod(mload(slot), mod(add(mul(w0, p0), mul(mul(7, w1), p1)), m), m))
                        mstore(add(slot, 32), addmod(mload(add(slot, 32)), mod(add(mul(w0, p1), mul(w1, p0)), m), m))
                        mstore(add(slot, 64), addmod(mload(add(slot, 64)), mod(add(mul(w0, q0), mul(mul(7, w1), q1)), m), m))
                        mstore(add(slot, 96), addmod(mload(add(slot, 96)), mod(add(mul(w0, q1), mul(w1, q0)), m), m))
                    }
                }

                /// block b's tree (the last starting slot or before the block: treeStarts ascends from 0, so one is
                /// found), its point (the tree's leaf point's first `vars` coordinates) stored in c.points[b], and
                /// its weight eq(bits of (offset − start)/2^vars, the leaf point's coordinates vars..)
                function place(ctx, b, vars) -> tree, w0, w1 {
                    let offset := mload(add(mload(add(ctx, 160)), shl(5, add(b, 1))))
                    let starts := mload(add(ctx, 128))
                    tree := sub(mload(starts), 1)
                    for {} gt(mload(add(starts, shl(5, add(tree, 1)))), offset) {} { tree := sub(tree, 1) }
                    let tp := mload(add(mload(add(ctx, 192)), shl(5, add(tree, 1))))
                    let n := mload(tp)
                    if gt(shl(1, vars), n) { revert(0, 0) }
                    let pt := mload(0x40)
                    mstore(pt, shl(1, vars))
                    mcopy(add(pt, 32), add(tp, 32), shl(6, vars))
                    mstore(0x40, add(pt, add(32, shl(6, vars))))
                    mstore(add(mload(add(ctx, 224)), shl(5, add(b, 1))), pt)
                    let blk := shr(vars, sub(offset, mload(add(starts, shl(5, add(tree, 1))))))
                    w0 := 1
                    n := shr(1, n)
                    for { let j := vars } 1 { j := add(j, 1) } {
                        if iszero(lt(j, n)) { leave }
                        let m := 0xFFFFFFFF00000001
                        let r := add(tp, add(32, shl(6, j)))
                        let r0 := mload(r)
                        let r1 := mload(add(r, 32))
                        if iszero(and(shr(sub(j, vars), blk), 1)) {
                            r0 := addmod(1, sub(m, r0), m)
                            r1 := mod(sub(m, r1), m)
                        }
                        let g := mod(add(mul(w0, r0), mul(mul(7, w1), r1)), m)
                        w1 := mod(add(mul(w0, r1), mul(w1, r0)), m)
                        w0 := g
                    }
                }

                /// block b's (p, q): q = α − k·β^C − Σ_c β^c·col_c; p its selector or multiplicity (1 without one),
                /// negated for tables
                function fractions(ctx, b, k) -> q0, q1, p0, p1 {
                    let m := 0xFFFFFFFF00000001
                    let cols := mload(add(mload(add(ctx, 96)), shl(5, add(k, 1))))
                    let e := mload(add(mload(add(ctx, 256)), shl(5, add(b, 1))))
                    if gt(shl(1, cols), mload(e)) { revert(0, 0) }
                    q0 := addmod(mload(add(ctx, 384)), sub(m, mulmod(mload(add(ctx, 448)), k, m)), m)
                    q1 := addmod(mload(add(ctx, 416)), sub(m, mulmod(mload(add(ctx, 480)), k, m)), m)
                    let s0, s1 := columns(add(e, 32), add(e, add(32, shl(6, cols))), mload(add(ctx, 320)), mload(add(ctx, 352)))
                    q0 := addmod(q0, sub(m, mod(s0, m)), m)
                    q1 := addmod(q1, sub(m, mod(s1, m)), m)
                    p0 := 1
                    if lt(shl(1, cols), mload(e)) {
                        p0 := mload(add(e, add(32, shl(6, cols))))
                        p1 := mload(add(e, add(64, shl(6, cols))))
                    }
                    if lt(b, mload(add(ctx, 512))) { leave }
                    p0 := mod(sub(m, p0), m)
                    p1 := mod(sub(m, p1), m)
                }

                /// Σ_c β^c·e_c (each term reduced, the sum not) over the interleaved pairs [slot, last)
                function columns(slot, last, b0, b1) -> s0, s1 {
                    let p0 := 1
                    let p1 := 0
                    for {} 1 { slot := add(slot, 64) } {
                        if eq(slot, last) { leave }
                        let m := 0xFFFFFFFF00000001
                        let x0 := mload(slot)
                        let x1 := mload(add(slot, 32))
                        s0 := add(s0, mod(add(mul(p0, x0), mul(mul(7, p1), x1)), m))
                        s1 := add(s1, mod(add(mul(p0, x1), mul(p1, x0)), m))
                        let g := mod(add(mul(p0, b0), mul(mul(7, p1), b1)), m)
                        p1 := mod(add(mul(p0, b1), mul(p1, b0)), m)
                        p0 := g
                    }
                }
            }
        }
        // claim and leaf have 4 words a tree
        for (uint256 k = 0; k < claim.length; k += 4) {
            if (word(claim, k) != word(leaf, k) || word(claim, k + 1) != word(leaf, k + 1)) revert Rejected(LEAF_NUMERATOR);
            if (word(claim, k + 2) != word(leaf, k + 2) || word(claim, k + 3) != word(leaf, k + 3)) revert Rejected(LEAF_DENOMINATOR);
        }
        return (c, pos);
    }

    /// Σ_t P_t/Q_t = 0 with no Q_t zero, as one fraction N/D (D = Π Q_t ≠ 0, so N must be 0).
    function checkBalance(uint256[] memory r, uint256 numTrees) private pure {
        (uint256 n0, uint256 n1, uint256 d0, uint256 d1) = (0, 0, 1, 0);
        for (uint256 k = 0; k < 4 * numTrees; k += 4) {
            // r has 4 words a tree
            (uint256 p0, uint256 p1, uint256 q0, uint256 q1) = (word(r, k), word(r, k + 1), word(r, k + 2), word(r, k + 3));
            if (q0 == 0 && q1 == 0) revert Rejected(ZERO_DENOMINATOR);
            (uint256 a0, uint256 a1) = F.emul(n0, n1, q0, q1);
            (uint256 b0, uint256 b1) = F.emul(p0, p1, d0, d1);
            (n0, n1) = F.eadd(a0, a1, b0, b1);
            (d0, d1) = F.emul(d0, d1, q0, q1);
        }
        if (n0 != 0 || n1 != 0) revert Rejected(UNBALANCED);
    }

    /// leafPoints[k] = point for the trees of layerIndex variables (unchecked: `verify` allocates leafPoints of treeVars' length).
    function markFinished(uint256[] memory treeVars, uint256 layerIndex, uint256[] memory point, uint256[][] memory leafPoints) private pure {
        assembly ("memory-safe") {
            for { let k := shl(5, mload(treeVars)) } k { k := sub(k, 32) } {
                if eq(mload(add(treeVars, k)), layerIndex) { mstore(add(leafPoints, k), point) }
            }
        }
    }

    /// Block b's columns (b < groups + tables; a group's table index is checked against tableCols as before).
    function blockColumns(Shape memory shape, uint256 b, uint256 groups) private pure returns (uint256) {
        return shape.tableCols[b < groups ? word(shape.groupTable, b) : b - groups];
    }

    /// a[i] without solc's bound check: for indices below a's length by construction (each caller says why).
    function word(uint256[] memory a, uint256 i) internal pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := mload(add(a, shl(5, add(i, 1))))
        }
    }

    /// a[i] = v without solc's bound check, as `word`.
    function setWord(uint256[] memory a, uint256 i, uint256 v) internal pure {
        assembly ("memory-safe") {
            mstore(add(a, shl(5, add(i, 1))), v)
        }
    }

    /// a[i] without solc's bound check, as `word`.
    function row(uint256[][] memory a, uint256 i) internal pure returns (uint256[] memory r) {
        assembly ("memory-safe") {
            r := mload(add(a, shl(5, add(i, 1))))
        }
    }

    /// a[i] = r without solc's bound check, as `word`.
    function setRow(uint256[][] memory a, uint256 i, uint256[] memory r) internal pure {
        assembly ("memory-safe") {
            mstore(add(a, shl(5, add(i, 1))), r)
        }
    }

    /// Trees (the binary digits of the packed leaf count), their starts, and each block's offset (blocks
    /// placed largest first, ties in block order). Indices unchecked where they cannot fail: b < blocks = the groups'
    /// and tables' counts, k < n (the set bits), v ≤ maxVars (at's length − 1), j < tableCols.length.
    function layout(Shape memory shape) internal pure returns (Layout memory lay) {
        uint256 groups = shape.groupVars.length;
        uint256 blocks = groups + shape.tableVars.length;
        uint256 total = 0;
        uint256 maxVars = 0;
        for (uint256 b = 0; b < blocks; b++) {
            uint256 v = blockVars(shape, b, groups);
            total += 1 << v;
            if (v > maxVars) maxVars = v;
        }
        uint256 n = 0;
        for (uint256 x = total; x != 0; x &= x - 1) n++;
        lay.treeVars = new uint256[](n);
        lay.treeStarts = new uint256[](n);
        uint256[] memory tv = lay.treeVars;
        uint256[] memory ts = lay.treeStarts;
        assembly ("memory-safe") {
            let k := 32
            let start := 0
            for { let e := 64 } e { e := sub(e, 1) } {
                if and(shr(sub(e, 1), total), 1) {
                    mstore(add(tv, k), sub(e, 1))
                    mstore(add(ts, k), start)
                    start := add(start, shl(sub(e, 1), 1))
                    k := add(k, 32)
                }
            }
        }
        // per size 2^v the blocks' start: the sizes above it (counting sort, ties in block order)
        uint256[] memory at = new uint256[](maxVars + 1);
        for (uint256 b = 0; b < blocks; b++) {
            uint256 v = blockVars(shape, b, groups);
            assembly ("memory-safe") {
                let a := add(at, shl(5, add(v, 1)))
                mstore(a, add(mload(a), shl(v, 1)))
            }
        }
        assembly ("memory-safe") {
            let next := 0
            for { let a := add(at, shl(5, add(maxVars, 1))) } gt(a, at) { a := sub(a, 32) } {
                let c := mload(a)
                mstore(a, next)
                next := add(next, c)
            }
        }
        lay.offsets = new uint256[](blocks);
        uint256[] memory offsets = lay.offsets;
        for (uint256 b = 0; b < blocks; b++) {
            uint256 v = blockVars(shape, b, groups);
            assembly ("memory-safe") {
                let a := add(at, shl(5, add(v, 1)))
                mstore(add(offsets, shl(5, add(b, 1))), mload(a))
                mstore(a, add(mload(a), shl(v, 1)))
            }
        }
        uint256[] memory cols = shape.tableCols;
        uint256 most;
        assembly ("memory-safe") {
            for { let j := shl(5, mload(cols)) } j { j := sub(j, 32) } {
                let c := mload(add(cols, j))
                if gt(c, most) { most := c }
            }
        }
        lay.maxColumns = most;
    }

    /// Block b's variables (b < groups + tables: a group's, then a table's).
    function blockVars(Shape memory shape, uint256 b, uint256 groups) private pure returns (uint256 v) {
        uint256[] memory gv = shape.groupVars;
        uint256[] memory tv = shape.tableVars;
        assembly ("memory-safe") {
            switch lt(b, groups)
            case 1 { v := mload(add(gv, shl(5, add(b, 1)))) }
            default { v := mload(add(tv, shl(5, add(sub(b, groups), 1)))) }
        }
    }

    /// LogUpShape.absorb: (tables, per table cols and vars, groups, per group vars, selector, table).
    function absorbShape(Tr.T memory t, Shape memory shape) internal pure {
        uint256 tables = shape.tableVars.length;
        uint256 groups = shape.groupVars.length;
        t.header(Tr.TAG_FIELDS, L_SHAPE, 2 + 2 * tables + 3 * groups);
        t.putU64(tables);
        for (uint256 k = 0; k < tables; k++) {
            t.putU64(shape.tableCols[k]);
            t.putU64(shape.tableVars[k]);
        }
        t.putU64(groups);
        for (uint256 g = 0; g < groups; g++) {
            t.putU64(shape.groupVars[g]);
            t.putU64(shape.groupSel[g] ? 1 : 0);
            t.putU64(shape.groupTable[g]);
        }
    }

    function u32(uint256 pos, uint256 end) private pure returns (uint256 v) {
        if (pos > end || end - pos < 4) revert Rejected(TRUNCATED);
        assembly ("memory-safe") {
            v := shr(224, calldataload(pos))
        }
    }

    function need(uint256 pos, uint256 end, uint256 n) private pure {
        if (pos > end || end - pos < n) revert Rejected(TRUNCATED);
    }
}
