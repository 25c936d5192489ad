// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Goldilocks as F} from "Goldilocks.sol";
import {Sha256Transcript as Tr} from "Sha256Transcript.sol";

/// @notice verinfer-sumcheck's SumcheckVerifier on the EVM: reads a SumcheckProof (round count, then
/// per round the values at 0, 2, …, d) from calldata, walks the same transcript and reduces the claimed
/// sum to a claim on the polynomial at the challenge point (SubClaim). Lund–Fortnow–Karloff–Nisan:
/// each round's p(1) = claim − p(0), the next claim is p(r) by Lagrange interpolation on 0..d.
library SumcheckVerifier {
    using Tr for Tr.T;

    error Malformed(uint256 pos);

    bytes32 private constant L_SHAPE = bytes32("sumcheck/shape") | bytes32(uint256(14));
    bytes32 private constant L_CLAIM = bytes32("sumcheck/claim") | bytes32(uint256(14));
    bytes32 private constant L_ROUND = bytes32("sumcheck/round") | bytes32(uint256(14));
    bytes32 private constant L_CHALLENGE = bytes32("sumcheck/challenge") | bytes32(uint256(18));
    uint256 private constant P = 0xFFFFFFFF00000001;
    uint256 internal constant MAX_VARS = 40;
    uint256 internal constant MAX_DEGREE = 64;
    /// 1/3 mod p.
    uint256 private constant THIRD = 0xAAAAAAAA00000001;

    struct SubClaim {
        uint256[] point0;
        uint256[] point1;
        uint256 e0;
        uint256 e1;
    }

    /// Verifies the proof at calldata [pos, end) of a sum over `numVars` variables of degree `degree`
    /// claimed to be (c0, c1); returns the sub-claim and the offset after the proof. Malformed bytes
    /// (SumcheckProof.read's checks) revert with Malformed.
    function verify(Tr.T memory t, uint256 c0, uint256 c1, uint256 numVars, uint256 degree, uint256 pos, uint256 end)
        internal
        view
        returns (SubClaim memory s, uint256)
    {
        require(numVars <= MAX_VARS && degree >= 1 && degree <= MAX_DEGREE);
        if (end - pos < 4 || word(pos) >> 224 != numVars) revert Malformed(pos);
        pos += 4;
        t.header(Tr.TAG_FIELDS, L_SHAPE, 2);
        t.putU64(numVars);
        t.putU64(degree);
        t.absorbExt(L_CLAIM, c0, c1);
        s.point0 = new uint256[](numVars);
        s.point1 = new uint256[](numVars);
        // degrees 2 and 3 interpolate from the proof's bytes on the stack (`next2`, `next3`); the others in memory:
        // the round's values at 0, 1, …, d, interleaved (c0, c1) (slot 1 the implied claim − p(0)), and 1/k
        uint256[] memory v;
        uint256[] memory inv;
        if (degree != 2 && degree != 3) (v, inv) = (new uint256[](2 * degree + 2), inverses(degree));
        Round memory q = Round(v, inv, s.point0, s.point1, 0, pos, c0, c1);
        while (true) {
            uint256 status = rounds(t, q, degree, end);
            if (status == DONE) break;
            if (status == MALFORMED) revert Malformed(q.pos);
            // NEED_ROOM: the transcript's buffer grown (reserve's check and TranscriptFull) for the round's
            // record and its challenge's, what `absorbExtsCalldata` and `squeeze` would reserve; round q.i again
            uint256 len = t.len;
            t.putCalldata(0, 66 + 16 * degree);
            t.len = len;
        }
        (s.e0, s.e1, pos) = (q.c0, q.c1, q.pos);
        return (s, pos);
    }

    function word(uint256 off) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := calldataload(off)
        }
    }

    /// inv[k] = 1/k for 1 ≤ k ≤ d (inv[0] unused): constants up to 3, else by one inversion of d!
    /// (1/k = (k − 1)!/k!, the 1/k! from 1/d! down).
    function inverses(uint256 d) private pure returns (uint256[] memory inv) {
        inv = new uint256[](d + 1);
        if (d <= 3) {
            uint256[4] memory c = [uint256(0), 1, F.HALF, THIRD];
            for (uint256 k = 1; k <= d; k++) inv[k] = c[k];
            return inv;
        }
        uint256[] memory fact = new uint256[](d + 1);
        fact[0] = 1;
        for (uint256 k = 1; k <= d; k++) fact[k] = mulmod(fact[k - 1], k, P);
        uint256 f = F.pow(fact[d], P - 2); // 1/k!, k from d down
        for (uint256 k = d; k > 0; k--) {
            inv[k] = mulmod(f, fact[k - 1], P);
            f = mulmod(f, k, P);
        }
    }

    uint256 private constant DONE = 0;
    uint256 private constant MALFORMED = 1;
    uint256 private constant NEED_ROOM = 2;

    /// The rounds' state in memory: scratch for a round's values (v) and 1/k (inv) when d is not 2 or 3,
    /// the challenges so far (point0, point1), the next round (i), its offset (pos) and the claim (c0, c1).
    struct Round {
        uint256[] v;
        uint256[] inv;
        uint256[] point0;
        uint256[] point1;
        uint256 i;
        uint256 pos;
        uint256 c0;
        uint256 c1;
    }

    /// Rounds q.i, q.i + 1, … of `verify`, each: its u32 degree and its d values (at 0, 2, …, d) read and
    /// checked (SumcheckProof.read's order), p(1) = claim − p(0) implied; its record absorbed
    /// (Sha256Transcript.absorbExtsCalldata: tag, label, count, the values' bytes); the challenge
    /// (challengeExt: two challengeField draws, each a squeeze of the record (tag, label, counter) and the
    /// first 64-bit word of the hash below p); the claim p(r) by Newton's form (`next3`, `next2`, `newton`).
    /// The transcript's bytes are Sha256Transcript's; its buffer is written in place when it has room for
    /// the round's records (else NEED_ROOM: the caller grows it). Returns DONE, MALFORMED (q.pos the
    /// position to report) or NEED_ROOM (q.i and q.pos: round i, unread). The loop is Yul functions that
    /// hold their state on their own stack frames: each leaves by `leave`, and the optimizer inlines no
    /// function that holds one (inlined into the stage's external function, the loop's variables were
    /// moved to memory by the stack-limit evader: ≈ 136 MLOADs a round, docs/ethereum.md).
    function rounds(Tr.T memory t, Round memory q, uint256 d, uint256 end) private view returns (uint256 status) {
        assembly ("memory-safe") {
            status := roundsFrom(t, q, d, end)

            /// the rounds from q.i on (q's words v, inv, point0, point1, i, pos, c0, c1; t's base, len, cap,
            /// counter, room)
            function roundsFrom(tr, rq, deg, e) -> st {
                let i := mload(add(rq, 128))
                let pos := mload(add(rq, 160))
                let bytes_ := shl(4, deg)
                for {} lt(i, mload(mload(add(rq, 64)))) { i := add(i, 1) } {
                    if or(lt(sub(e, pos), add(4, bytes_)), iszero(eq(shr(224, calldataload(pos)), deg))) {
                        mstore(add(rq, 160), pos)
                        st := 1 // MALFORMED
                        leave
                    }
                    let fault := check(add(pos, 4), deg)
                    if fault {
                        mstore(add(rq, 160), fault)
                        st := 1
                        leave
                    }
                    let len := mload(add(tr, 32))
                    if gt(add(len, add(bytes_, 66)), mload(add(tr, 128))) {
                        st := 2 // NEED_ROOM
                        break
                    }
                    // the record (TAG_EXTS, "sumcheck/round", d, the values)
                    let at := add(mload(tr), len)
                    mstore8(at, 3)
                    mstore(add(at, 1), shl(192, 14))
                    mstore(add(at, 9), "sumcheck/round")
                    mstore(add(at, 23), shl(192, deg))
                    calldatacopy(add(at, 31), add(pos, 4), bytes_)
                    // the challenge (r0, r1), into the points and the claim p(r)
                    let r0 := draw(tr, add(len, add(31, bytes_)))
                    let r1 := draw(tr, 32)
                    mstore(add(tr, 32), 32)
                    let j := shl(5, add(i, 1))
                    mstore(add(mload(add(rq, 64)), j), r0)
                    mstore(add(mload(add(rq, 96)), j), r1)
                    let c0, c1 := claimAt(rq, add(pos, 4), deg, r0, r1)
                    mstore(add(rq, 192), c0)
                    mstore(add(rq, 224), c1)
                    pos := add(pos, add(4, bytes_))
                }
                mstore(add(rq, 128), i)
                mstore(add(rq, 160), pos)
            }

            /// 0 if the d values at calldata p, p + 16, … are canonical, else the first other one's position
            function check(p, deg) -> fault {
                for { let end_ := add(p, shl(4, deg)) } lt(p, end_) { p := add(p, 16) } {
                    let x := calldataload(p)
                    if or(iszero(lt(shr(192, x), 0xFFFFFFFF00000001)), iszero(lt(and(shr(128, x), 0xFFFFFFFFFFFFFFFF), 0xFFFFFFFF00000001))) {
                        fault := p
                        leave
                    }
                }
            }

            /// p(r) for the round's values at calldata `vals` and the claim (q.c0, q.c1)
            function claimAt(rq, vals, deg, x, y) -> s0, s1 {
                switch deg
                case 3 { s0, s1 := next3(vals, mload(add(rq, 192)), mload(add(rq, 224)), x, y) }
                case 2 { s0, s1 := next2(vals, mload(add(rq, 192)), mload(add(rq, 224)), x, y) }
                default {
                    // the values into v's slots 0, 2, …, d, slot 1 claim − p(0)
                    let vb := add(mload(rq), 32)
                    let to := vb
                    for { let k := 0 } lt(k, deg) { k := add(k, 1) } {
                        let w := calldataload(add(vals, shl(4, k)))
                        mstore(to, shr(192, w))
                        mstore(add(to, 32), and(shr(128, w), 0xFFFFFFFFFFFFFFFF))
                        to := add(to, shl(6, add(1, iszero(k))))
                    }
                    mstore(add(vb, 64), addmod(mload(add(rq, 192)), sub(0xFFFFFFFF00000001, mload(vb)), 0xFFFFFFFF00000001))
                    mstore(add(vb, 96), addmod(mload(add(rq, 224)), sub(0xFFFFFFFF00000001, mload(add(vb, 32))), 0xFFFFFFFF00000001))
                    s0, s1 := newton(vb, deg, mload(add(rq, 32)), x, y)
                }
                leave
            }

            /// d = 3: p(r) = Δ⁰ + r·(Δ¹ + (r − 1)/2·(Δ² + (r − 2)/3·Δ³)), the differences of p(0..3) with
            /// p(1) = c − p(0), as unreduced sums below 2^67 (4p, 2p or p added): x0·s0 + 7y·s1 < 2^135 takes
            /// one MOD; each step's sum is reduced
            function next3(vals, c0, c1, x, y) -> s0, s1 {
                let w := calldataload(vals)
                let a0 := shr(192, w)
                let a1 := and(shr(128, w), 0xFFFFFFFFFFFFFFFF)
                let b0 := addmod(c0, sub(0xFFFFFFFF00000001, a0), 0xFFFFFFFF00000001)
                let b1 := addmod(c1, sub(0xFFFFFFFF00000001, a1), 0xFFFFFFFF00000001)
                w := calldataload(add(vals, 16))
                let e0 := shr(192, w)
                let e1 := and(shr(128, w), 0xFFFFFFFFFFFFFFFF)
                w := calldataload(add(vals, 32))
                // Δ³ = p3 − 3p2 + 3p1 − p0
                s0 := sub(add(add(shr(192, w), mul(3, b0)), 0x3FFFFFFFC00000004), add(mul(3, e0), a0))
                s1 := sub(add(add(and(shr(128, w), 0xFFFFFFFFFFFFFFFF), mul(3, b1)), 0x3FFFFFFFC00000004), add(mul(3, e1), a1))
                // Δ² = p2 − 2p1 + p0, Δ¹ = p1 − p0
                e0 := sub(add(add(e0, a0), 0x1FFFFFFFE00000002), shl(1, b0))
                e1 := sub(add(add(e1, a1), 0x1FFFFFFFE00000002), shl(1, b1))
                b0 := sub(add(b0, 0xFFFFFFFF00000001), a0)
                b1 := sub(add(b1, 0xFFFFFFFF00000001), a1)
                let y7 := mul(7, y)
                // s := Δ² + (r − 2)·s/3
                let x0 := addmod(x, 0xFFFFFFFEFFFFFFFF, 0xFFFFFFFF00000001)
                w := mulmod(mod(add(mul(x0, s1), mul(y, s0)), 0xFFFFFFFF00000001), 0xAAAAAAAA00000001, 0xFFFFFFFF00000001)
                s0 := addmod(e0, mulmod(mod(add(mul(x0, s0), mul(y7, s1)), 0xFFFFFFFF00000001), 0xAAAAAAAA00000001, 0xFFFFFFFF00000001), 0xFFFFFFFF00000001)
                s1 := addmod(e1, w, 0xFFFFFFFF00000001)
                // s := Δ¹ + (r − 1)/2·s, then p(r) = Δ⁰ + r·s
                s0, s1 := horner2(b0, b1, s0, s1, x, y, y7)
                w := mod(add(add(mul(x, s1), mul(y, s0)), a1), 0xFFFFFFFF00000001)
                s0 := mod(add(add(mul(x, s0), mul(y7, s1)), a0), 0xFFFFFFFF00000001)
                s1 := w
                leave
            }

            /// d = 2: p(r) = Δ⁰ + r·(Δ¹ + (r − 1)/2·Δ²), as `next3`
            function next2(vals, c0, c1, x, y) -> s0, s1 {
                let w := calldataload(vals)
                let a0 := shr(192, w)
                let a1 := and(shr(128, w), 0xFFFFFFFFFFFFFFFF)
                let b0 := addmod(c0, sub(0xFFFFFFFF00000001, a0), 0xFFFFFFFF00000001)
                let b1 := addmod(c1, sub(0xFFFFFFFF00000001, a1), 0xFFFFFFFF00000001)
                w := calldataload(add(vals, 16))
                // Δ² = p2 − 2p1 + p0, Δ¹ = p1 − p0
                s0 := sub(add(add(shr(192, w), a0), 0x1FFFFFFFE00000002), shl(1, b0))
                s1 := sub(add(add(and(shr(128, w), 0xFFFFFFFFFFFFFFFF), a1), 0x1FFFFFFFE00000002), shl(1, b1))
                b0 := sub(add(b0, 0xFFFFFFFF00000001), a0)
                b1 := sub(add(b1, 0xFFFFFFFF00000001), a1)
                let y7 := mul(7, y)
                s0, s1 := horner2(b0, b1, s0, s1, x, y, y7)
                w := mod(add(add(mul(x, s1), mul(y, s0)), a1), 0xFFFFFFFF00000001)
                s0 := mod(add(add(mul(x, s0), mul(y7, s1)), a0), 0xFFFFFFFF00000001)
                s1 := w
                leave
            }

            /// Δ + (r − 1)/2·s, r = x + y·X, s and Δ below 2^67
            function horner2(d0, d1, s0, s1, x, y, y7) -> u0, u1 {
                let x0 := addmod(x, 0xFFFFFFFF00000000, 0xFFFFFFFF00000001)
                u1 := addmod(d1, mulmod(mod(add(mul(x0, s1), mul(y, s0)), 0xFFFFFFFF00000001), 0x7FFFFFFF80000001, 0xFFFFFFFF00000001), 0xFFFFFFFF00000001)
                u0 := addmod(d0, mulmod(mod(add(mul(x0, s0), mul(y7, s1)), 0xFFFFFFFF00000001), 0x7FFFFFFF80000001, 0xFFFFFFFF00000001), 0xFFFFFFFF00000001)
            }

            /// challengeField: squeezes (the record (TAG_CHALLENGE, "sumcheck/challenge", counter)
            /// appended to the `l` bytes of the buffer, SHA-256 of them the new state, len 32) until a
            /// 64-bit word of the state, first to last, is below p; t's counter advanced
            function draw(tr, l) -> x {
                let b := mload(tr)
                for {} 1 {} {
                    let at := add(b, l)
                    let ctr := mload(add(tr, 96))
                    mstore8(at, 4)
                    mstore(add(at, 1), shl(192, 18))
                    mstore(add(at, 9), "sumcheck/challenge")
                    mstore(add(at, 27), shl(192, ctr))
                    mstore(add(tr, 96), add(ctr, 1))
                    if iszero(staticcall(gas(), 2, b, add(l, 35), b, 32)) { revert(0, 0) }
                    l := 32
                    let h := mload(b)
                    x := shr(192, h)
                    if lt(x, 0xFFFFFFFF00000001) { leave }
                    x := and(shr(128, h), 0xFFFFFFFFFFFFFFFF)
                    if lt(x, 0xFFFFFFFF00000001) { leave }
                    x := and(shr(64, h), 0xFFFFFFFFFFFFFFFF)
                    if lt(x, 0xFFFFFFFF00000001) { leave }
                    x := and(h, 0xFFFFFFFFFFFFFFFF)
                    if lt(x, 0xFFFFFFFF00000001) { leave }
                }
            }

            /// p(r) from p(0..d) (interleaved at vb) in Newton's form on the nodes 0..d, Interpolation.evaluate's
            /// polynomial: p(r) = Σ_k Δ^k p(0)·C(r, k) = Δ^0 + r·(Δ^1 + (r − 1)/2·(Δ^2 + (r − 2)/3·(…))), exact
            /// at every r; the differences are taken in place (scratch: every round rewrites it), reduced (d ∉ {2, 3})
            function newton(vb, deg, inverses, x, y) -> s0, s1 {
                for { let l := 1 } iszero(gt(l, deg)) { l := add(l, 1) } {
                    for { let k := deg } iszero(lt(k, l)) { k := sub(k, 1) } {
                        let a := add(vb, shl(6, k))
                        mstore(a, addmod(mload(a), sub(0xFFFFFFFF00000001, mload(sub(a, 64))), 0xFFFFFFFF00000001))
                        mstore(add(a, 32), addmod(mload(add(a, 32)), sub(0xFFFFFFFF00000001, mload(sub(a, 32))), 0xFFFFFFFF00000001))
                    }
                }
                let a := add(vb, shl(6, deg))
                s0 := mload(a)
                s1 := mload(add(a, 32))
                let y7 := mul(7, y)
                for { let k := deg } 1 {} {
                    // s := Δ^{k−1} + (r − (k − 1))·s/k, for k = d, …, 1 (d ≥ 1)
                    let x0 := addmod(x, sub(0xFFFFFFFF00000001, sub(k, 1)), 0xFFFFFFFF00000001)
                    let ik := mload(add(inverses, shl(5, add(k, 1))))
                    let t0 := mulmod(mod(add(mul(x0, s0), mul(y7, s1)), 0xFFFFFFFF00000001), ik, 0xFFFFFFFF00000001)
                    let t1 := mulmod(mod(add(mul(x0, s1), mul(y, s0)), 0xFFFFFFFF00000001), ik, 0xFFFFFFFF00000001)
                    a := sub(a, 64)
                    s0 := addmod(mload(a), t0, 0xFFFFFFFF00000001)
                    s1 := addmod(mload(add(a, 32)), t1, 0xFFFFFFFF00000001)
                    k := sub(k, 1)
                    if iszero(k) { leave }
                }
            }
        }
    }
}
