// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Goldilocks as F} from "Goldilocks.sol";
import {Sha256Transcript as Tr} from "Sha256Transcript.sol";
import {LogUpGkr} from "LogUpGkr.sol";

/// @notice The look-up phase's checks after the LogUp-GKR argument (verinfer-zkml LookupPhase.verifyLookups):
/// every group's selector claim is its real-region indicator (closed form, Indicators.realRegion), every
/// range table's column claim is Σ_j 2^j·r_j (RangeTable.evaluate), every function table's columns are
/// inMin + Σ_j 2^j·r_j and the MLE of its values at the table point (for a table the key commits with its weights,
/// TableCommitment in Java, the values column's claim is left to the layer program's weight batch instead); then the prover's values of each
/// affine column's other terms ("column-terms") are read and absorbed. The claims these leave on
/// tensors and committed items go to the layer protocols and the opening batch.
library LookupChecks {
    using Tr for Tr.T;

    error Rejected(uint256 code);

    uint256 private constant P = 0xFFFFFFFF00000001;
    uint256 internal constant SELECTOR = 130;
    uint256 internal constant RANGE_TABLE = 131;
    uint256 internal constant FUNCTION_TABLE = 132;
    uint256 internal constant BAD_TERM_COUNT = 133;
    uint256 internal constant TRUNCATED = 134;
    uint256 internal constant NON_CANONICAL = 135;
    uint256 internal constant TABLE_CODE = 136;
    /// A range of tables [from, to) that is empty or runs past the key's tables (stage 1 run in parts).
    uint256 internal constant TABLE_RANGE = 137;

    /// A function table's tree code (TableCode): 8-byte words in preorder; a word below p is a
    /// subcube whose entries all equal it, SPLIT a subcube halved on its highest variable (low half's
    /// code, then the high half's), DENSE a subcube of 2^DENSE_VARS (or, for a smaller table, all its)
    /// entries listed in index order, SMALL the same subcube (of at least 2 entries) as a base b < p and
    /// 2^DENSE_VARS 4-byte offsets u_l, entry l being b + u_l, or STEPS the same subcube as its first entry b < p, a
    /// count s (1 ≤ s ≤ 2^DENSE_VARS − 1) and s steps of 4 bytes (a gap of 8 bits from the previous step's position, the
    /// first from 0, and a rise d of 24 bits), zero-padded to a whole word: entry l is b plus the rises at positions
    /// ≤ l (below the subcube's size). The code is the key's: an ill-formed one is refused.
    uint256 private constant SPLIT = 0xFFFFFFFFFFFFFFFF;
    uint256 private constant DENSE = 0xFFFFFFFFFFFFFFFE;
    uint256 private constant SMALL = 0xFFFFFFFFFFFFFFFD;
    uint256 private constant STEPS = 0xFFFFFFFFFFFFFFFC;
    uint256 internal constant DENSE_VARS = 8;

    bytes32 private constant L_COLUMN_TERMS = bytes32("column-terms") | bytes32(uint256(12));

    /// What the key says of the look-ups beyond the LogUp shape: per group its tensor dimensions and,
    /// per column, how many terms besides the first it has; per table whether it is a function table,
    /// whether its values are committed with the weights (a proven-evm key's: the values column's claim is then
    /// the layer program's claim on the weight polynomial, opened with the weights, and no tree code is read),
    /// its input minimum (as a field element) and, for a function table not committed, the calldata range
    /// [values, valuesEnd) of its tree code (TableCode: the 2^vars values, constant runs collapsed).
    struct Plan {
        uint256[][] groupDims;
        uint256[][] extraTerms;
        bool[] isFunction;
        bool[] committed;
        uint256[] inMin;
        uint256[] values;
        uint256[] valuesEnd;
    }

    /// Checks the claims `c` of the argument for `shape` and reads the column terms at calldata [pos, end).
    function check(Tr.T memory t, LogUpGkr.Shape memory shape, LogUpGkr.Claims memory c, Plan memory plan, uint256 pos, uint256 end)
        internal
        pure
        returns (uint256)
    {
        checkClaims(shape, c, plan, shape.tableVars.length);
        return readTerms(t, shape, plan, pos, end);
    }

    /// The checks alone: selectors, then the range and function table claims of tables [0, to) (the column terms are then read by
    /// `readTerms`, or by the layer program, which also needs their values; the tables from `to` on are left to `checkTables`,
    /// when stage 1 runs in parts).
    function checkClaims(LogUpGkr.Shape memory shape, LogUpGkr.Claims memory c, Plan memory plan, uint256 to) internal pure {
        uint256 groups = shape.groupVars.length;
        // unchecked indices (LogUpGkr.word, row): c.points and c.evals have groups + tables rows, plan.groupDims groups;
        // a group's evaluations are 2n words (n ≥ 1, as cols = n − 1 checks), a table's 2n with n ≥ 1 (its input column)
        for (uint256 g = 0; g < groups; g++) {
            uint256[] memory e = LogUpGkr.row(c.evals, g);
            (uint256 s0, uint256 s1) = realRegion(LogUpGkr.row(plan.groupDims, g), LogUpGkr.row(c.points, g));
            uint256 cols = e.length / 2 - 1;
            if (LogUpGkr.word(e, 2 * cols) != s0 || LogUpGkr.word(e, 2 * cols + 1) != s1) revert Rejected(SELECTOR);
        }
        checkTables(shape, c, plan, 0, to);
    }

    /// The range and function table claims of tables [from, to) (to ≤ the table count, the caller's check): c.evals and
    /// c.points rows groups + k for k in that range.
    function checkTables(LogUpGkr.Shape memory shape, LogUpGkr.Claims memory c, Plan memory plan, uint256 from, uint256 to) internal pure {
        uint256 groups = shape.groupVars.length;
        for (uint256 k = from; k < to; k++) {
            uint256[] memory e = LogUpGkr.row(c.evals, groups + k);
            uint256[] memory pt = LogUpGkr.row(c.points, groups + k);
            (uint256 i0, uint256 i1) = identity(pt);
            if (!plan.isFunction[k]) {
                if (LogUpGkr.word(e, 0) != i0 || LogUpGkr.word(e, 1) != i1) revert Rejected(RANGE_TABLE);
            } else if (plan.committed[k]) {
                // the values column's claim (e[2], e[3]) goes to the layer program's weight batch (TableCommitment in Java)
                if (LogUpGkr.word(e, 0) != addmod(i0, plan.inMin[k], P) || LogUpGkr.word(e, 1) != i1) revert Rejected(FUNCTION_TABLE);
            } else {
                (uint256 o0, uint256 o1) = mle(plan.values[k], plan.valuesEnd[k], pt);
                if (e[0] != addmod(i0, plan.inMin[k], P) || e[1] != i1 || e[2] != o0 || e[3] != o1) revert Rejected(FUNCTION_TABLE);
            }
        }
    }

    /// Reads and absorbs the column terms (each affine column's values of its sources but the first) at calldata [pos, end).
    function readTerms(Tr.T memory t, LogUpGkr.Shape memory shape, Plan memory plan, uint256 pos, uint256 end) internal pure returns (uint256) {
        uint256 groups = shape.groupVars.length;
        for (uint256 g = 0; g < groups; g++) {
            uint256[] memory extra = plan.extraTerms[g];
            for (uint256 col = 0; col < extra.length; col++) {
                uint256 n = extra[col];
                if (n == 0) continue;
                if (pos > end || end - pos < 4) revert Rejected(TRUNCATED);
                uint256 len;
                assembly ("memory-safe") {
                    len := shr(224, calldataload(pos))
                }
                if (len != n) revert Rejected(BAD_TERM_COUNT);
                pos += 4;
                if (end - pos < 16 * n) revert Rejected(TRUNCATED);
                for (uint256 j = 0; j < 2 * n; j++) {
                    uint256 v;
                    assembly ("memory-safe") {
                        v := shr(192, calldataload(add(pos, mul(8, j))))
                    }
                    if (v >= P) revert Rejected(NON_CANONICAL);
                }
                t.absorbExtsCalldata(L_COLUMN_TERMS, pos, n);
                pos += 16 * n;
            }
        }
        return pos;
    }

    /// Σ_j 2^j·r_j: the MLE of the column 0, 1, …, 2^n − 1.
    function identity(uint256[] memory pt) internal pure returns (uint256 s0, uint256 s1) {
        for (uint256 j = pt.length & ~uint256(1); j > 0; j -= 2) {
            // j − 1 < pt.length
            s0 = addmod(addmod(s0, s0, P), LogUpGkr.word(pt, j - 2), P);
            s1 = addmod(addmod(s1, s1, P), LogUpGkr.word(pt, j - 1), P);
        }
    }

    /// Π_d ind_{dim_d}(r restricted to d's variables): the multilinear indicator of the real region (the
    /// last dimension owns the lowest variables).
    function realRegion(uint256[] memory dims, uint256[] memory pt) internal pure returns (uint256 p0, uint256 p1) {
        (p0, p1) = (1, 0);
        uint256 first = 0;
        for (uint256 d = dims.length; d > 0; d--) {
            uint256 dim = dims[d - 1];
            uint256 bits = 0;
            while ((1 << bits) < dim) bits++;
            (uint256 x0, uint256 x1) = prefix(pt, first, bits, dim);
            (p0, p1) = F.emul(p0, p1, x0, x1);
            first += bits;
        }
    }

    /// Σ_{i<d} eq(r[offset..offset+n), i) by the bits of d from the top (Indicators.prefix).
    function prefix(uint256[] memory r, uint256 offset, uint256 n, uint256 d) private pure returns (uint256 s0, uint256 s1) {
        if (d >= (1 << n)) return (1, 0);
        (uint256 f0, uint256 f1) = (uint256(1), uint256(0));
        for (uint256 j = n; j > 0; j--) {
            (uint256 r0, uint256 r1) = (r[2 * (offset + j - 1)], r[2 * (offset + j - 1) + 1]);
            (uint256 q0, uint256 q1) = (addmod(1, P - r0, P), (P - r1) % P);
            if ((d >> (j - 1)) & 1 == 1) {
                (uint256 x0, uint256 x1) = F.emul(f0, f1, q0, q1);
                (s0, s1) = F.eadd(s0, s1, x0, x1);
                (f0, f1) = F.emul(f0, f1, r0, r1);
            } else {
                (f0, f1) = F.emul(f0, f1, q0, q1);
            }
        }
    }

    /// The MLE at `pt` of a function table given by its tree code at calldata [at, end) (TableCode). The code's
    /// tree is walked in preorder with an explicit stack (scratch memory past the free pointer, 128 bytes a
    /// frame: the split's m, whether its low half is done, the low half's MLE) of the splits whose halves are
    /// under way. Per subcube over the m lowest variables: a constant is its own MLE (Σ_i eq(r, i) = 1), a
    /// split's is (1 − r_{m−1})·low + r_{m−1}·high = low + r_{m−1}·(high − low), a dense block of 2^dense values
    /// is Σ_l eq(r_low, l)·v_l (the products summed unreduced: each is below 2^128), a SMALL block's
    /// Σ_l eq(r_low, l)·(b + u_l) = b + Σ_l eq(r_low, l)·u_l (Σ_l eq(r_low, l) = 1) with both halves of each eq
    /// entry in one word, e0 + e1·2^128: u·e0 < 2^96, so 2^dense ≤ 2^8 products leave the low half below 2^104
    /// and one MUL and one ADD a value sum both halves. A STEPS block's is b + Σ_k d_k·S(pos_k), S(j) = Σ_{l ≥ j} eq(r_low, l)
    /// (entry l = b + Σ_{pos_k ≤ l} d_k), against the suffix sums packed likewise, unreduced (each half below 2^72:
    /// d·S0 < 2^96, so 255 steps stay below 2^104).
    function mle(uint256 at, uint256 end, uint256[] memory pt) internal pure returns (uint256 s0, uint256 s1) {
        uint256 n = pt.length / 2;
        uint256 dense = n < DENSE_VARS ? n : DENSE_VARS;
        uint256[] memory lo = eqTable(pt, dense);
        (uint256 pos, bool bad) = (at, false);
        assembly ("memory-safe") {
            // the eq table at `eqs` of 2^dense_ entries packed, entry l = e0 + e1·2^128 (scratch: allocated, never
            // given back); left by `leave`, so never inlined
            function pack(eqs, dense_) -> packed {
                packed := mload(0x40)
                let top := add(packed, shl(5, shl(dense_, 1)))
                mstore(0x40, top)
                let e := add(eqs, 32)
                for { let o := packed } 1 { o := add(o, 32) } {
                    if iszero(lt(o, top)) { leave }
                    mstore(o, or(mload(e), shl(128, mload(add(e, 32)))))
                    e := add(e, 64)
                }
            }
            let packed := pack(lo, dense)
            // Σ_l u_l·E_l over the 4-byte offsets at calldata [p, last) and the packed entries from memory q,
            // eight offsets a calldata word while eight are left
            function smallSum(p, last, q) -> acc {
                let mask := 0xFFFFFFFF
                for {} lt(add(p, 28), last) {} {
                    let x := calldataload(p)
                    acc := add(acc, mul(shr(224, x), mload(q)))
                    acc := add(acc, mul(and(shr(192, x), mask), mload(add(q, 32))))
                    acc := add(acc, mul(and(shr(160, x), mask), mload(add(q, 64))))
                    acc := add(acc, mul(and(shr(128, x), mask), mload(add(q, 96))))
                    acc := add(acc, mul(and(shr(96, x), mask), mload(add(q, 128))))
                    acc := add(acc, mul(and(shr(64, x), mask), mload(add(q, 160))))
                    acc := add(acc, mul(and(shr(32, x), mask), mload(add(q, 192))))
                    acc := add(acc, mul(and(x, mask), mload(add(q, 224))))
                    p := add(p, 32)
                    q := add(q, 256)
                }
                for {} 1 {} {
                    if iszero(lt(p, last)) { leave }
                    acc := add(acc, mul(shr(224, calldataload(p)), mload(q)))
                    p := add(p, 4)
                    q := add(q, 32)
                }
            }
            // Σ_l v_l·eq_l over the 8-byte values at calldata [p, last) and the eq table's entries from memory q,
            // four values a calldata word while four are left
            function denseSum(p, last, q) -> t0, t1 {
                let mask := 0xFFFFFFFFFFFFFFFF
                for {} lt(add(p, 24), last) {} {
                    let x := calldataload(p)
                    let v := shr(192, x)
                    t0 := add(t0, mul(v, mload(q)))
                    t1 := add(t1, mul(v, mload(add(q, 32))))
                    v := and(shr(128, x), mask)
                    t0 := add(t0, mul(v, mload(add(q, 64))))
                    t1 := add(t1, mul(v, mload(add(q, 96))))
                    v := and(shr(64, x), mask)
                    t0 := add(t0, mul(v, mload(add(q, 128))))
                    t1 := add(t1, mul(v, mload(add(q, 160))))
                    v := and(x, mask)
                    t0 := add(t0, mul(v, mload(add(q, 192))))
                    t1 := add(t1, mul(v, mload(add(q, 224))))
                    p := add(p, 32)
                    q := add(q, 256)
                }
                for {} 1 {} {
                    if iszero(lt(p, last)) { leave }
                    let v := shr(192, calldataload(p))
                    t0 := add(t0, mul(v, mload(q)))
                    t1 := add(t1, mul(v, mload(add(q, 32))))
                    p := add(p, 8)
                    q := add(q, 64)
                }
            }
            function handUp(bottom, sp0, pt_, v0_, v1_) -> sp_, m_, v0__, v1__, done_ {
                let q := 0xFFFFFFFF00000001
                sp_ := sp0
                v0__ := v0_
                v1__ := v1_
                done_ := 1
                for {} gt(sp_, bottom) {} {
                    let f := sub(sp_, 128)
                    if iszero(mload(add(f, 32))) {
                        mstore(add(f, 32), 1)
                        mstore(add(f, 64), v0__)
                        mstore(add(f, 96), v1__)
                        m_ := sub(mload(f), 1)
                        done_ := 0
                        leave
                    }
                    let a0 := mload(add(f, 64))
                    let a1 := mload(add(f, 96))
                    let rr := add(pt_, add(32, shl(6, sub(mload(f), 1)))) // r_{m−1} = pt[2m − 2], pt[2m − 1]
                    let d0 := addmod(v0__, sub(q, a0), q)
                    let d1 := addmod(v1__, sub(q, a1), q)
                    v0__ := addmod(a0, mod(add(mul(d0, mload(rr)), mul(mul(7, d1), mload(add(rr, 32)))), q), q)
                    v1__ := addmod(a1, mod(add(mul(d0, mload(add(rr, 32))), mul(d1, mload(rr))), q), q)
                    sp_ := f
                }
            }
            // A STEPS block at calldata `p` over 2^dense_ entries: its MLE, the offset after it, the suffix sums' table (built at
            // `room` on the first block, packed as the eq table is; `room` lies past the walk's frames) and whether it is
            // ill-formed. Σ_k d_k·S(pos_k) over the 4-byte steps (gap << 24 | d), positions read modulo the table's size.
            function stepsBlock(p, dense_, eqs, table, room) -> s0_, s1_, next, tab, fail {
                let b := shr(192, calldataload(add(p, 8)))
                let count := shr(192, calldataload(add(p, 16)))
                let size := shl(dense_, 1)
                tab := table
                fail := or(or(iszero(dense_), iszero(lt(b, 0xFFFFFFFF00000001))), or(iszero(count), iszero(lt(count, size))))
                if fail { leave }
                {
                    if iszero(tab) {
                        tab := room
                        mstore(0x40, add(tab, shl(5, size)))
                        // both halves summed unreduced in one word: each below 2^72, so the low one never carries
                        let a := 0
                        for { let l := size } l {} {
                            l := sub(l, 1)
                            let e := add(eqs, add(32, shl(6, l)))
                            a := add(a, or(mload(e), shl(128, mload(add(e, 32)))))
                            mstore(add(tab, shl(5, l)), a)
                        }
                    }
                    let mask := sub(size, 1)
                    let acc := 0
                    let j := 0
                    next := add(add(p, 24), shl(2, count))
                    for { let q := add(p, 24) } lt(q, next) { q := add(q, 4) } {
                        let x := shr(224, calldataload(q))
                        j := add(j, shr(24, x))
                        acc := add(acc, mul(and(x, 0xFFFFFF), mload(add(tab, shl(5, and(j, mask))))))
                    }
                    if and(count, 1) {
                        fail := shr(224, calldataload(next))
                        next := add(next, 4)
                    }
                    fail := or(fail, iszero(lt(j, size)))
                    s0_ := addmod(b, mod(and(acc, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF), 0xFFFFFFFF00000001), 0xFFFFFFFF00000001)
                    s1_ := mod(shr(128, acc), 0xFFFFFFFF00000001)
                }
            }
            // The walk, a Yul function left by `leave` (the optimizer inlines none that holds one): its state stays on
            // its own stack, not in the stage's spill slots. The MLE, the offset after the code, whether it is ill-formed.
            function walk(p, n_, dense_, eqs, pk, pt_) -> r0, r1, p_, fail {
                p_ := p
                let suffix := 0
                let stack := mload(0x40)
                let sp := stack
                let m := n_
                for {} 1 {} {
                    let w := shr(192, calldataload(p_))
                    let v0 := w
                    let v1 := 0
                    switch lt(w, 0xFFFFFFFF00000001)
                    case 1 { p_ := add(p_, 8) }
                    default {
                        if and(eq(w, 0xFFFFFFFFFFFFFFFF), gt(m, 0)) { // SPLIT
                            mstore(sp, m)
                            mstore(add(sp, 32), 0)
                            sp := add(sp, 128)
                            m := sub(m, 1)
                            p_ := add(p_, 8)
                            continue
                        }
                        if iszero(eq(m, dense_)) {
                            fail := 1
                            leave
                        }
                        switch w
                        case 0xFFFFFFFFFFFFFFFE { // DENSE
                            let last := add(add(p_, 8), shl(3, shl(dense_, 1)))
                            v0, v1 := denseSum(add(p_, 8), last, add(eqs, 32))
                            v0 := mod(v0, 0xFFFFFFFF00000001)
                            v1 := mod(v1, 0xFFFFFFFF00000001)
                            p_ := last
                        }
                        case 0xFFFFFFFFFFFFFFFD { // SMALL
                            let b := shr(192, calldataload(add(p_, 8)))
                            if or(iszero(dense_), iszero(lt(b, 0xFFFFFFFF00000001))) {
                                fail := 1
                                leave
                            }
                            let last := add(add(p_, 16), shl(2, shl(dense_, 1)))
                            let acc := smallSum(add(p_, 16), last, pk)
                            v0 := addmod(b, mod(and(acc, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF), 0xFFFFFFFF00000001), 0xFFFFFFFF00000001)
                            v1 := mod(shr(128, acc), 0xFFFFFFFF00000001)
                            p_ := last
                        }
                        case 0xFFFFFFFFFFFFFFFC { // STEPS
                            v0, v1, p_, suffix, fail := stepsBlock(p_, dense_, eqs, suffix, add(stack, shl(7, add(n_, 1))))
                            if fail {
                                fail := 1
                                leave
                            }
                        }
                        default {
                            fail := 1
                            leave
                        }
                    }
                    // v handed up: into the split whose low half it is (its high half over m − 1 variables comes
                    // next), through the splits it completes; the walk is done when the stack empties
                    let done
                    sp, m, v0, v1, done := handUp(stack, sp, pt_, v0, v1)
                    if done {
                        r0 := v0
                        r1 := v1
                        leave
                    }
                }
            }
            s0, s1, pos, bad := walk(pos, n, dense, lo, packed, pt)
        }
        if (bad || pos != end) revert Rejected(TABLE_CODE);
    }

    /// eq(r[0..n), i) for i < 2^n, interleaved (c0, c1); level j writes entries [2^j, 2^(j+1)) and rewrites those
    /// below (every factor canonical: a0·r0 + a1·7r1 < 2^132, one MOD each).
    /// The levels are Goldilocks.eqTableLevel's, all in one Yul function left by `leave` (the optimizer inlines none
    /// that holds one): the loops' state on its own stack, not in the stage's spill slots.
    function eqTable(uint256[] memory r, uint256 n) private pure returns (uint256[] memory t) {
        require(2 * n <= r.length);
        t = F.eqTableAlloc(n);
        assembly ("memory-safe") {
            // level j: lo walks the entries below 2^j, hi = lo + stride (64·2^j) their partners with bit j set
            function levels(first, rp, k) {
                let q := 0xFFFFFFFF00000001
                for { let stride := 64 } 1 { stride := shl(1, stride) } {
                    if iszero(k) { leave }
                    let r0 := mload(rp)
                    let r1 := mload(add(rp, 32))
                    let r17 := mul(7, r1)
                    let end := add(first, stride)
                    for { let lo := first } lt(lo, end) { lo := add(lo, 64) } {
                        let a0 := mload(lo)
                        let a1 := mload(add(lo, 32))
                        let h0 := mod(add(mul(a0, r0), mul(a1, r17)), q)
                        let h1 := mod(add(mul(a0, r1), mul(a1, r0)), q)
                        let hi := add(lo, stride)
                        mstore(hi, h0)
                        mstore(add(hi, 32), h1)
                        mstore(lo, addmod(a0, sub(q, h0), q))
                        mstore(add(lo, 32), addmod(a1, sub(q, h1), q))
                    }
                    rp := add(rp, 64)
                    k := sub(k, 1)
                }
            }
            levels(add(t, 32), add(r, 32), n)
        }
    }
}
