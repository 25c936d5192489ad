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
            (c0, c1) = interpolate(v, inv, r0, r1);
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

    /// p(r) from p(0..d) (Interpolation.evaluate, the same polynomial) in Newton's form on the nodes 0..d:
    /// p(r) = Σ_k Δ^k p(0)·C(r, k), evaluated as Δ^0 + r·(Δ^1 + (r − 1)/2·(Δ^2 + (r − 2)/3·(…))); or p(i) when
    /// r = i. The differences are taken in v itself (scratch: every round rewrites it).
    function interpolate(uint256[] memory v, uint256[] memory inv, uint256 r0, uint256 r1) private pure returns (uint256 s0, uint256 s1) {
        uint256 d = inv.length - 1;
        if (r1 == 0 && r0 <= d) return (v[2 * r0], v[2 * r0 + 1]);
        assembly ("memory-safe") {
            let base := add(v, 32)
            for { let l := 1 } iszero(gt(l, d)) { l := add(l, 1) } {
                for { let k := d } iszero(lt(k, l)) { k := sub(k, 1) } {
                    let at := add(base, shl(6, k))
                    mstore(at, addmod(mload(at), sub(P, mload(sub(at, 64))), P))
                    mstore(add(at, 32), addmod(mload(add(at, 32)), sub(P, mload(sub(at, 32))), P))
                }
            }
            let at := add(base, shl(6, d))
            s0 := mload(at)
            s1 := mload(add(at, 32))
            for { let k := d } k { k := sub(k, 1) } {
                // s := Δ^{k−1} + (r − (k − 1))·s/k
                let x0 := addmod(r0, sub(P, sub(k, 1)), P)
                let ik := mload(add(inv, shl(5, add(k, 1))))
                let t0 := mulmod(mod(add(mul(x0, s0), mul(mul(7, r1), s1)), P), ik, P)
                let t1 := mulmod(mod(add(mul(x0, s1), mul(r1, s0)), P), ik, P)
                at := sub(at, 64)
                s0 := addmod(mload(at), t0, P)
                s1 := addmod(mload(add(at, 32)), t1, P)
            }
        }
    }
}
