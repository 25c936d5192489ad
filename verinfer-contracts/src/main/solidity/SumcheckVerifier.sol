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
        uint256[] memory v0 = new uint256[](degree + 1);
        uint256[] memory v1 = new uint256[](degree + 1);
        uint256[] memory w = weights(degree);
        for (uint256 i = 0; i < numVars; i++) {
            if (end - pos < 4 + 16 * degree || word(pos) >> 224 != degree) revert Malformed(pos);
            pos += 4;
            for (uint256 k = 0; k < degree; k++) {
                uint256 a0 = word(pos + 16 * k) >> 192;
                uint256 a1 = word(pos + 16 * k + 8) >> 192;
                if (a0 >= P || a1 >= P) revert Malformed(pos + 16 * k);
                // values at 0, 2, 3, …, d; slot 1 is the implied claim − p(0)
                (v0[k == 0 ? 0 : k + 1], v1[k == 0 ? 0 : k + 1]) = (a0, a1);
            }
            (v0[1], v1[1]) = F.esub(c0, c1, v0[0], v1[0]);
            t.absorbExtsCalldata(L_ROUND, pos, degree);
            pos += 16 * degree;
            (uint256 r0, uint256 r1) = t.challengeExt(L_CHALLENGE);
            s.point0[i] = r0;
            s.point1[i] = r1;
            (c0, c1) = interpolate(v0, v1, w, r0, r1);
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

    /// p(r) from p(0..d) (Interpolation.evaluate): Σ_i p(i)·w_i·Π_{j≠i}(r − j), or p(i) when r = i.
    function interpolate(uint256[] memory v0, uint256[] memory v1, uint256[] memory w, uint256 r0, uint256 r1)
        private
        pure
        returns (uint256 s0, uint256 s1)
    {
        uint256 d = v0.length - 1;
        if (r1 == 0 && r0 <= d) return (v0[r0], v1[r0]);
        uint256[] memory pre0 = new uint256[](d + 2);
        uint256[] memory pre1 = new uint256[](d + 2);
        pre0[0] = 1;
        for (uint256 i = 0; i <= d; i++) (pre0[i + 1], pre1[i + 1]) = F.emul(pre0[i], pre1[i], addmod(r0, P - i, P), r1);
        (uint256 suf0, uint256 suf1) = (uint256(1), uint256(0));
        for (uint256 i = d + 1; i > 0; i--) {
            uint256 k = i - 1;
            (uint256 m0, uint256 m1) = F.emul(pre0[k], pre1[k], suf0, suf1);
            (m0, m1) = F.emul(m0, m1, v0[k], v1[k]);
            (m0, m1) = F.escale(m0, m1, w[k]);
            (s0, s1) = F.eadd(s0, s1, m0, m1);
            (suf0, suf1) = F.emul(suf0, suf1, addmod(r0, P - k, P), r1);
        }
    }
}
