// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

/// @notice Arithmetic in the Goldilocks field F_p, p = 2^64 − 2^32 + 1, and its quadratic extension
/// F_p[X]/(X² − 7), as verinfer-field's Goldilocks and Ext2 define them. Elements are canonical uint256
/// values below p; an extension element is a pair (c0, c1) meaning c0 + c1·X. Products of two
/// canonical elements are below 2^128, so one MOD reduces a short sum of them.
library Goldilocks {
    uint256 internal constant P = 0xFFFFFFFF00000001;
    /// 1/2 mod p.
    uint256 internal constant HALF = 0x7FFFFFFF80000001;
    /// 7^((p − 1)/2^32): a primitive 2^32-th root of unity (Goldilocks.rootOfUnity(32)).
    uint256 internal constant ROOT32 = 1753635133440165772;

    function add(uint256 a, uint256 b) internal pure returns (uint256) {
        return addmod(a, b, P);
    }

    function sub(uint256 a, uint256 b) internal pure returns (uint256) {
        return addmod(a, P - b, P);
    }

    function mul(uint256 a, uint256 b) internal pure returns (uint256) {
        return mulmod(a, b, P);
    }

    function pow(uint256 b, uint256 e) internal pure returns (uint256 r) {
        assembly ("memory-safe") {
            r := 1
            for {} gt(e, 0) { e := shr(1, e) } {
                if and(e, 1) { r := mulmod(r, b, P) }
                b := mulmod(b, b, P)
            }
        }
    }

    /// A primitive 2^logN-th root of unity, logN ≤ 32 (Goldilocks.rootOfUnity).
    function rootOfUnity(uint256 logN) internal pure returns (uint256 r) {
        r = ROOT32;
        for (uint256 i = 32; i > logN; i--) {
            r = mulmod(r, r, P);
        }
    }

    /// (a0 + a1X)(b0 + b1X) = a0b0 + 7a1b1 + (a0b1 + a1b0)X.
    function emul(uint256 a0, uint256 a1, uint256 b0, uint256 b1) internal pure returns (uint256 c0, uint256 c1) {
        assembly ("memory-safe") {
            c0 := mod(add(mul(a0, b0), mul(mul(7, a1), b1)), P)
            c1 := mod(add(mul(a0, b1), mul(a1, b0)), P)
        }
    }

    function eadd(uint256 a0, uint256 a1, uint256 b0, uint256 b1) internal pure returns (uint256, uint256) {
        return (addmod(a0, b0, P), addmod(a1, b1, P));
    }

    function esub(uint256 a0, uint256 a1, uint256 b0, uint256 b1) internal pure returns (uint256, uint256) {
        return (addmod(a0, P - b0, P), addmod(a1, P - b1, P));
    }

    /// The extension element times a base element.
    function escale(uint256 a0, uint256 a1, uint256 b) internal pure returns (uint256, uint256) {
        return (mulmod(a0, b, P), mulmod(a1, b, P));
    }
    /// A table for eq(r, i), i < 2^n, over the quadratic extension, interleaved (c0, c1): 2^n entries allocated (not
    /// zero-filled: 3 gas a word), entry 0 = 1; `eqTableLevel` for j = 0..n−1 fills the rest.
    function eqTableAlloc(uint256 n) internal pure returns (uint256[] memory t) {
        assembly ("memory-safe") {
            t := mload(0x40)
            mstore(t, shl(1, shl(n, 1)))
            mstore(add(t, 32), 1)
            mstore(add(t, 64), 0)
            mstore(0x40, add(t, shl(5, add(shl(1, shl(n, 1)), 1))))
        }
    }

    /// Level j of an eq table: entry i + 2^j = entry i · r_j and entry i ← entry i · (1 − r_j) for i < 2^j (X² = 7).
    /// Every factor is below p < 2^64 and 7·r1 < 2^67, so a0·r0 + a1·7r1 < 2^132 and a0·r1 + a1·r0 < 2^129: one MOD each.
    function eqTableLevel(uint256[] memory t, uint256 j, uint256 r0, uint256 r1) internal pure {
        assembly ("memory-safe") {
            // on pointers: lo walks the entries below 2^j, hi = lo + 64·2^j their partners with bit j set
            let stride := shl(6, shl(j, 1))
            let r17 := mul(7, r1)
            let lo := add(t, 32)
            for { let end := add(lo, stride) } lt(lo, end) { lo := add(lo, 64) } {
                let a0 := mload(lo)
                let a1 := mload(add(lo, 32))
                let h0 := mod(add(mul(a0, r0), mul(a1, r17)), P)
                let h1 := mod(add(mul(a0, r1), mul(a1, r0)), P)
                let hi := add(lo, stride)
                mstore(hi, h0)
                mstore(add(hi, 32), h1)
                mstore(lo, addmod(a0, sub(P, h0), P))
                mstore(add(lo, 32), addmod(a1, sub(P, h1), P))
            }
        }
    }
}
