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
        uint256[] memory inv = inverses(degree);
        // the round's values at 0, 1, …, d, interleaved (c0, c1); slot 1 is the implied claim − p(0)
        uint256[] memory v = new uint256[](2 * degree + 2);
        uint256 i = 0;
        while (true) {
            uint256 status;
            (status, i, pos, c0, c1) = rounds(t, Round(v, inv, s.point0, s.point1), i, degree, pos, end, c0, c1);
            if (status == DONE) break;
            if (status == MALFORMED) revert Malformed(pos);
            // NEED_ROOM: the transcript's buffer grown (reserve's check and TranscriptFull) for the round's
            // record and its challenge's, what `absorbExtsCalldata` and `squeeze` would reserve; round i again
            uint256 len = t.len;
            t.putCalldata(0, 66 + 16 * degree);
            t.len = len;
        }
        (s.e0, s.e1) = (c0, c1);
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

    struct Round {
        uint256[] v;
        uint256[] inv;
        uint256[] point0;
        uint256[] point1;
    }

    /// Rounds i, i + 1, … of `verify` in one block, each: its u32 degree and its d values (at 0, 2, …, d)
    /// read and checked (SumcheckProof.read's order) into v's slots 0, 2, …, d and slot 1 set to
    /// claim − p(0); its record absorbed (Sha256Transcript.absorbExtsCalldata: tag, label, count, the
    /// values' bytes); the challenge (challengeExt: two challengeField draws, each a squeeze of the
    /// record (tag, label, counter) and the first 64-bit word of the hash below p); the claim p(r) by
    /// `newton`. The transcript's bytes are Sha256Transcript's; its buffer is written in place when it
    /// has room for the round's records (else NEED_ROOM: the caller grows it). Returns DONE, MALFORMED
    /// (with the position to report) or NEED_ROOM (with round i and its position unread).
    function rounds(Tr.T memory t, Round memory q, uint256 i, uint256 d, uint256 pos, uint256 end, uint256 c0, uint256 c1)
        private
        view
        returns (uint256 status, uint256, uint256, uint256, uint256)
    {
        uint256[] memory v = q.v;
        uint256[] memory inv = q.inv;
        uint256[] memory point0 = q.point0;
        uint256[] memory point1 = q.point1;
        (bytes32 roundLabel, bytes32 challengeLabel) = (L_ROUND & ~bytes32(uint256(0xff)), L_CHALLENGE & ~bytes32(uint256(0xff)));
        assembly ("memory-safe") {
            let base := mload(t)
            let len := mload(add(t, 32))
            let counter := mload(add(t, 96))
            let room := mload(add(t, 128))
            let bytes_ := shl(4, d)
            let rec := add(31, bytes_) // the round's record: 17 + 14-byte label + 16·d
            let n := mload(point0)
            for {} lt(i, n) { i := add(i, 1) } {
                if or(lt(sub(end, pos), add(4, bytes_)), iszero(eq(shr(224, calldataload(pos)), d))) {
                    status := MALFORMED
                    break
                }
                let vals := add(pos, 4)
                for { let k := 0 } lt(k, d) { k := add(k, 1) } {
                    let x := calldataload(add(vals, shl(4, k)))
                    let a0 := shr(192, x)
                    let a1 := and(shr(128, x), 0xFFFFFFFFFFFFFFFF)
                    if or(iszero(lt(a0, P)), iszero(lt(a1, P))) {
                        status := MALFORMED
                        pos := add(vals, shl(4, k))
                        break
                    }
                    let at := add(v, shl(6, add(k, iszero(iszero(k))))) // slot k + 1 for k ≥ 1
                    mstore(add(at, 32), a0)
                    mstore(add(at, 64), a1)
                }
                if status { break }
                if gt(add(len, add(rec, 35)), room) {
                    status := NEED_ROOM
                    break
                }
                // slot 1: claim − p(0)
                mstore(add(v, 96), addmod(c0, sub(P, mload(add(v, 32))), P))
                mstore(add(v, 128), addmod(c1, sub(P, mload(add(v, 64))), P))
                // the record (TAG_EXTS, L_ROUND, d, the values)
                let at := add(base, len)
                mstore8(at, 3)
                mstore(add(at, 1), shl(192, 14))
                mstore(add(at, 9), roundLabel)
                mstore(add(at, 23), shl(192, d))
                calldatacopy(add(at, 31), vals, bytes_)
                len := add(len, rec)
                pos := add(vals, bytes_)
                // the challenge (r0, r1)
                let r0
                let r1
                r0, counter := draw(base, len, counter, challengeLabel)
                r1, counter := draw(base, 32, counter, challengeLabel)
                len := 32
                mstore(add(point0, shl(5, add(i, 1))), r0)
                mstore(add(point1, shl(5, add(i, 1))), r1)
                c0, c1 := newton(add(v, 32), d, inv, r0, r1)
            }
            mstore(add(t, 32), len)
            mstore(add(t, 96), counter)

            /// challengeField: squeezes (the record (TAG_CHALLENGE, label, counter) appended to the `len`
            /// bytes at `base`, SHA-256 of them the new state, len 32) until a 64-bit word of the state,
            /// first to last, is below p
            function draw(b, l, ctr, label) -> x, next {
                x := 0xFFFFFFFF00000001
                for {} iszero(lt(x, 0xFFFFFFFF00000001)) {} {
                    let at := add(b, l)
                    mstore8(at, 4)
                    mstore(add(at, 1), shl(192, 18))
                    mstore(add(at, 9), label)
                    mstore(add(at, 27), shl(192, ctr))
                    ctr := add(ctr, 1)
                    if iszero(staticcall(gas(), 2, b, add(l, 35), b, 32)) { revert(0, 0) }
                    l := 32
                    let h := mload(b)
                    x := shr(192, h)
                    if iszero(lt(x, 0xFFFFFFFF00000001)) {
                        x := and(shr(128, h), 0xFFFFFFFFFFFFFFFF)
                        if iszero(lt(x, 0xFFFFFFFF00000001)) {
                            x := and(shr(64, h), 0xFFFFFFFFFFFFFFFF)
                            if iszero(lt(x, 0xFFFFFFFF00000001)) { x := and(h, 0xFFFFFFFFFFFFFFFF) }
                        }
                    }
                }
                next := ctr
            }

            /// p(r) from p(0..d) (interleaved at vb) in Newton's form on the nodes 0..d, Interpolation.evaluate's
            /// polynomial: p(r) = Σ_k Δ^k p(0)·C(r, k) = Δ^0 + r·(Δ^1 + (r − 1)/2·(Δ^2 + (r − 2)/3·(…))), exact
            /// at every r; the differences are taken in place (scratch: every round rewrites it)
            function newton(vb, deg, inverses, x, y) -> s0, s1 {
                switch deg
                case 3 {
                    // Δ3 = p3 − 3p2 + 3p1 − p0, Δ2 = p2 − 2p1 + p0, Δ1 = p1 − p0 (in that order: each reads values not yet
                    // rewritten) as unreduced sums below 2^67, 4p or 2p or p added: the Horner steps below take them as they
                    // are (x0·s0 + 7y·s1 < 2^135, one MOD; addmod reduces the sum); likewise Δ2, Δ1 for d = 2
                    mstore(add(vb, 192), sub(add(add(mload(add(vb, 192)), mul(3, mload(add(vb, 64)))), 0x3FFFFFFFC00000004), add(mul(3, mload(add(vb, 128))), mload(vb))))
                    mstore(add(vb, 224), sub(add(add(mload(add(vb, 224)), mul(3, mload(add(vb, 96)))), 0x3FFFFFFFC00000004), add(mul(3, mload(add(vb, 160))), mload(add(vb, 32)))))
                    mstore(add(vb, 128), sub(add(add(mload(add(vb, 128)), mload(vb)), 0x1FFFFFFFE00000002), shl(1, mload(add(vb, 64)))))
                    mstore(add(vb, 160), sub(add(add(mload(add(vb, 160)), mload(add(vb, 32))), 0x1FFFFFFFE00000002), shl(1, mload(add(vb, 96)))))
                    mstore(add(vb, 64), sub(add(mload(add(vb, 64)), 0xFFFFFFFF00000001), mload(vb)))
                    mstore(add(vb, 96), sub(add(mload(add(vb, 96)), 0xFFFFFFFF00000001), mload(add(vb, 32))))
                }
                case 2 {
                    mstore(add(vb, 128), sub(add(add(mload(add(vb, 128)), mload(vb)), 0x1FFFFFFFE00000002), shl(1, mload(add(vb, 64)))))
                    mstore(add(vb, 160), sub(add(add(mload(add(vb, 160)), mload(add(vb, 32))), 0x1FFFFFFFE00000002), shl(1, mload(add(vb, 96)))))
                    mstore(add(vb, 64), sub(add(mload(add(vb, 64)), 0xFFFFFFFF00000001), mload(vb)))
                    mstore(add(vb, 96), sub(add(mload(add(vb, 96)), 0xFFFFFFFF00000001), mload(add(vb, 32))))
                }
                default {
                    for { let l := 1 } iszero(gt(l, deg)) { l := add(l, 1) } {
                        for { let k := deg } iszero(lt(k, l)) { k := sub(k, 1) } {
                            let a := add(vb, shl(6, k))
                            mstore(a, addmod(mload(a), sub(0xFFFFFFFF00000001, mload(sub(a, 64))), 0xFFFFFFFF00000001))
                            mstore(add(a, 32), addmod(mload(add(a, 32)), sub(0xFFFFFFFF00000001, mload(sub(a, 32))), 0xFFFFFFFF00000001))
                        }
                    }
                }
                let a := add(vb, shl(6, deg))
                s0 := mload(a)
                s1 := mload(add(a, 32))
                let y7 := mul(7, y)
                for { let k := deg } k { k := sub(k, 1) } {
                    // s := Δ^{k−1} + (r − (k − 1))·s/k
                    let x0 := addmod(x, sub(0xFFFFFFFF00000001, sub(k, 1)), 0xFFFFFFFF00000001)
                    let ik := mload(add(inverses, shl(5, add(k, 1))))
                    let t0 := mulmod(mod(add(mul(x0, s0), mul(y7, s1)), 0xFFFFFFFF00000001), ik, 0xFFFFFFFF00000001)
                    let t1 := mulmod(mod(add(mul(x0, s1), mul(y, s0)), 0xFFFFFFFF00000001), ik, 0xFFFFFFFF00000001)
                    a := sub(a, 64)
                    s0 := addmod(mload(a), t0, 0xFFFFFFFF00000001)
                    s1 := addmod(mload(add(a, 32)), t1, 0xFFFFFFFF00000001)
                }
            }
        }
        return (status, i, pos, c0, c1);
    }
}
