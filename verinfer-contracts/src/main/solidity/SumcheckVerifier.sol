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
    /// 1/6 mod p.
    uint256 private constant SIXTH = 0xD555555480000001;

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
        uint256[] memory w = weights(degree);
        // the round's values at 0, 1, …, d, interleaved (c0, c1); slot 1 is the implied claim − p(0)
        uint256[] memory v = new uint256[](2 * degree + 2);
        for (uint256 i = 0; i < numVars; i++) {
            if (end - pos < 4 + 16 * degree || word(pos) >> 224 != degree) revert Malformed(pos);
            pos += 4;
            uint256 bad = readRound(v, pos, degree);
            if (bad != 0) revert Malformed(pos + 16 * (bad - 1));
            assembly ("memory-safe") {
                // slot 1: claim − p(0)
                mstore(add(v, 96), addmod(c0, sub(P, mload(add(v, 32))), P))
                mstore(add(v, 128), addmod(c1, sub(P, mload(add(v, 64))), P))
            }
            t.absorbExtsCalldata(L_ROUND, pos, degree);
            pos += 16 * degree;
            (uint256 r0, uint256 r1) = t.challengeExt(L_CHALLENGE);
            s.point0[i] = r0;
            s.point1[i] = r1;
            (c0, c1) = interpolate(v, w, r0, r1);
        }
        (s.e0, s.e1) = (c0, c1);
        return (s, pos);
    }

    function word(uint256 off) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := calldataload(off)
        }
    }

    /// w_i = 1/Π_{j≠i}(i − j) = (−1)^(d−i)/(i!(d−i)!), by one inversion of the product of all denominators.
    function weights(uint256 d) private pure returns (uint256[] memory w) {
        w = new uint256[](d + 1);
        if (d == 2) {
            (w[0], w[1], w[2]) = (F.HALF, P - 1, F.HALF); // 1/2, −1, 1/2
            return w;
        }
        if (d == 3) {
            (w[0], w[1], w[2], w[3]) = (P - SIXTH, F.HALF, P - F.HALF, SIXTH); // −1/6, 1/2, −1/2, 1/6
            return w;
        }
        uint256[] memory fact = new uint256[](d + 1);
        fact[0] = 1;
        for (uint256 i = 1; i <= d; i++) fact[i] = mulmod(fact[i - 1], i, P);
        uint256 all = 1;
        for (uint256 i = 0; i <= d; i++) {
            w[i] = mulmod(fact[i], fact[d - i], P); // the denominator, inverted below
            all = mulmod(all, w[i], P);
        }
        uint256 inv = F.pow(all, P - 2);
        for (uint256 i = d + 1; i > 0; i--) {
            uint256 k = i - 1;
            uint256 wk = inv;
            for (uint256 j = 0; j < k; j++) wk = mulmod(wk, w[j], P);
            inv = mulmod(inv, w[k], P);
            w[k] = (d - k) & 1 == 1 ? (P - wk) % P : wk;
        }
    }

    /// Reads a round's d values (at 0, 2, …, d) at calldata `pos` into v's slots 0, 2, …, d; returns 0, or
    /// 1 + the index of the first value with a non-canonical coordinate (SumcheckProof.read's order).
    function readRound(uint256[] memory v, uint256 pos, uint256 d) private pure returns (uint256 bad) {
        assembly ("memory-safe") {
            for { let k := 0 } lt(k, d) { k := add(k, 1) } {
                let x := calldataload(add(pos, shl(4, k)))
                let a0 := shr(192, x)
                let a1 := and(shr(128, x), 0xFFFFFFFFFFFFFFFF)
                if or(iszero(lt(a0, P)), iszero(lt(a1, P))) {
                    bad := add(k, 1)
                    break
                }
                let at := add(v, shl(6, add(k, iszero(iszero(k))))) // slot k + 1 for k ≥ 1
                mstore(add(at, 32), a0)
                mstore(add(at, 64), a1)
            }
        }
    }

    /// p(r) from p(0..d) (Interpolation.evaluate): Σ_i p(i)·w_i·Π_{j≠i}(r − j), or p(i) when r = i. In
    /// assembly, the prefix products Π_{j<i}(r − j) kept past the free memory pointer (scratch); every
    /// factor is canonical, so a0·b0 + 7·a1·b1 < 2^131 takes one MOD.
    function interpolate(uint256[] memory v, uint256[] memory w, uint256 r0, uint256 r1) private pure returns (uint256 s0, uint256 s1) {
        uint256 d = w.length - 1;
        if (r1 == 0 && r0 <= d) return (v[2 * r0], v[2 * r0 + 1]);
        assembly ("memory-safe") {
            let pre := mload(0x40)
            let a0 := 1
            let a1 := 0
            let r17 := mul(7, r1)
            for { let k := 0 } iszero(gt(k, d)) { k := add(k, 1) } {
                let at := add(pre, shl(6, k))
                mstore(at, a0)
                mstore(add(at, 32), a1)
                let x0 := addmod(r0, sub(P, k), P)
                let b0 := mod(add(mul(a0, x0), mul(a1, r17)), P)
                a1 := mod(add(mul(a0, r1), mul(a1, x0)), P)
                a0 := b0
            }
            // a := the suffix product Π_{j>k}(r − j), from 1
            a0 := 1
            a1 := 0
            for { let i := add(d, 1) } i { i := sub(i, 1) } {
                let k := sub(i, 1)
                let at := add(pre, shl(6, k))
                let p0 := mload(at)
                let p1 := mload(add(at, 32))
                let m0 := mod(add(mul(p0, a0), mul(mul(7, p1), a1)), P)
                let m1 := mod(add(mul(p0, a1), mul(p1, a0)), P)
                let wk := mload(add(w, shl(5, i)))
                let vat := add(v, shl(6, k))
                let q0 := mulmod(mload(add(vat, 32)), wk, P)
                let q1 := mulmod(mload(add(vat, 64)), wk, P)
                s0 := add(s0, mod(add(mul(m0, q0), mul(mul(7, m1), q1)), P))
                s1 := add(s1, mod(add(mul(m0, q1), mul(m1, q0)), P))
                let x0 := addmod(r0, sub(P, k), P)
                let b0 := mod(add(mul(a0, x0), mul(a1, r17)), P)
                a1 := mod(add(mul(a0, r1), mul(a1, x0)), P)
                a0 := b0
            }
            s0 := mod(s0, P)
            s1 := mod(s1, P)
        }
    }
}
