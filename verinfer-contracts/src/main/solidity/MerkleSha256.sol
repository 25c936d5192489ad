// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

/// @notice verinfer-merkle's SHA-256 Merkle trees: leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right),
/// leaves padded to a power of two; a multi-proof carries the siblings the verifier cannot recompute,
/// in the order MerkleTree.open emits them, and must use every one (MerkleMultiProof.verify).
library MerkleSha256 {
    uint256 internal constant MAX_LEAVES = 1 << 24;

    /// H(0x00 ‖ calldata[offset, offset + n)).
    function leafCalldata(uint256 offset, uint256 n) internal view returns (bytes32 h) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0)
            calldatacopy(add(m, 1), offset, n)
            if iszero(staticcall(gas(), 2, m, add(n, 1), 0, 32)) { revert(0, 0) }
            h := mload(0)
        }
    }

    /// Whether the leaves with digests `hashes` sit at `indices` (strictly increasing) of a tree of
    /// `leafCount` leaves under `root`, given `siblingCount` 32-byte siblings at calldata `siblings`.
    /// Overwrites `indices` and `hashes`.
    function verify(bytes32 root, uint256 leafCount, uint256[] memory indices, bytes32[] memory hashes, uint256 siblings, uint256 siblingCount)
        internal
        view
        returns (bool ok)
    {
        if (leafCount < 1 || leafCount > MAX_LEAVES) return false;
        uint256 len = indices.length;
        if (len == 0 || len != hashes.length) return false;
        uint256 width = 1;
        while (width < leafCount) width <<= 1;
        for (uint256 i = 0; i < len; i++) {
            if (indices[i] >= leafCount || (i > 0 && indices[i] <= indices[i - 1] - width)) return false;
            indices[i] += width;
        }
        // Level by level, in place (entry `next` ≤ i is written after entry i is read): a node whose
        // sibling is the next entry is hashed with it, any other with the next proof sibling.
        assembly ("memory-safe") {
            let ip := add(indices, 32)
            let hp := add(hashes, 32)
            let m := mload(0x40) // scratch: 0x01 ‖ left ‖ right
            let used := 0
            ok := 1
            for {} and(ok, gt(mload(ip), 1)) {} {
                let next := 0
                for { let i := 0 } lt(i, len) { i := add(i, 1) } {
                    let p := mload(add(ip, shl(5, i)))
                    let l := mload(add(hp, shl(5, i)))
                    let r := 0
                    switch and(and(iszero(and(p, 1)), lt(add(i, 1), len)), eq(mload(add(ip, shl(5, add(i, 1)))), add(p, 1)))
                    case 1 {
                        r := mload(add(hp, shl(5, add(i, 1))))
                        i := add(i, 1)
                    }
                    default {
                        if eq(used, siblingCount) {
                            ok := 0
                            break
                        }
                        r := calldataload(add(siblings, shl(5, used)))
                        used := add(used, 1)
                        if and(p, 1) {
                            let t := l
                            l := r
                            r := t
                        }
                    }
                    mstore8(m, 1)
                    mstore(add(m, 1), l)
                    mstore(add(m, 33), r)
                    if iszero(staticcall(gas(), 2, m, 65, 0, 32)) { revert(0, 0) }
                    mstore(add(ip, shl(5, next)), shr(1, p))
                    mstore(add(hp, shl(5, next)), mload(0))
                    next := add(next, 1)
                }
                len := next
            }
            ok := and(ok, and(eq(used, siblingCount), eq(mload(hp), root)))
        }
    }
}
