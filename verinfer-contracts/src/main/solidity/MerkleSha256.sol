// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

/// @notice verinfer-merkle's SHA-256 Merkle trees: leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right),
/// leaves padded to a power of two; a multi-proof carries the siblings the verifier cannot recompute,
/// in the order MerkleTree.open emits them, and must use every one (MerkleMultiProof.verify).
/// A tree of `digest` < 32 bytes (MerkleHasher(digest)) keeps each SHA-256's first `digest` bytes and zeroes
/// the rest; its proofs carry `digest` bytes a sibling.
library MerkleSha256 {
    uint256 internal constant MAX_LEAVES = 1 << 24;

    /// H(0x00 ‖ calldata[offset, offset + n)), untruncated (verify truncates the leaves).
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
    /// `leafCount` leaves under `root`, given `siblingCount` siblings of d bytes at calldata offset
    /// `siblings` mod 2^128, d = `siblings` >> 128, every hash (the leaves' too) truncated to d bytes.
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
        // Level by level, in place, with read and write pointers (the write one never passes the read one):
        // a node whose sibling is the next entry is hashed with it, any other with the next proof sibling.
        // The hash goes straight from the precompile into the hash array; the scratch holds 0x01 at its
        // byte 31, then left ‖ right, so that the precompile's input 0x01 ‖ left ‖ right starts at byte 31.
        assembly ("memory-safe") {
            let digest := shr(128, siblings)
            let mask := not(sub(shl(shl(3, sub(32, digest)), 1), 1))
            siblings := and(siblings, 0xffffffffffffffffffffffffffffffff)
            let ip := add(indices, 32)
            let hp := add(hashes, 32)
            let iend := add(ip, shl(5, len))
            ok := 1
            // strictly increasing, below leafCount; then each index moved to its node number (+ width)
            for { let a := ip let prev := 0 } lt(a, iend) { a := add(a, 32) } {
                let v := mload(a)
                if or(iszero(lt(v, leafCount)), and(gt(a, ip), iszero(gt(v, prev)))) { ok := 0 }
                prev := v
                mstore(a, add(v, width))
                let h := add(hp, sub(a, ip))
                mstore(h, and(mload(h), mask))
            }
            let m := mload(0x40)
            mstore(m, 1)
            let sib := siblings
            let sibEnd := add(siblings, mul(digest, siblingCount))
            for {} and(ok, gt(mload(ip), 1)) {} {
                let rp := ip
                let rh := hp
                let wp := ip
                let wh := hp
                for {} lt(rp, iend) {} {
                    let p := mload(rp)
                    mstore(add(m, 32), mload(rh))
                    rp := add(rp, 32)
                    rh := add(rh, 32)
                    switch and(iszero(and(p, 1)), and(lt(rp, iend), eq(mload(rp), add(p, 1))))
                    case 1 {
                        mstore(add(m, 64), mload(rh))
                        rp := add(rp, 32)
                        rh := add(rh, 32)
                    }
                    default {
                        if eq(sib, sibEnd) {
                            ok := 0
                            break
                        }
                        let s := and(calldataload(sib), mask)
                        sib := add(sib, digest)
                        switch and(p, 1)
                        case 0 { mstore(add(m, 64), s) }
                        default {
                            mstore(add(m, 64), mload(add(m, 32)))
                            mstore(add(m, 32), s)
                        }
                    }
                    if iszero(staticcall(gas(), 2, add(m, 31), 65, wh, 32)) { revert(0, 0) }
                    mstore(wh, and(mload(wh), mask))
                    mstore(wp, shr(1, p))
                    wp := add(wp, 32)
                    wh := add(wh, 32)
                }
                iend := wp
            }
            ok := and(ok, and(eq(sib, sibEnd), eq(mload(hp), root)))
        }
    }
}
