// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

/// @notice verinfer-merkle's Merkle trees: leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right),
/// leaves padded to a power of two; a multi-proof carries the siblings the verifier cannot recompute,
/// in the order MerkleTree.open emits them, and must use every one (MerkleMultiProof.verify).
/// H is SHA-256 (the precompile 0x02) or, for a set whose WhirParameters.merkleHash is KECCAK256, the
/// KECCAK256 instruction (MerkleHash.KECCAK256: ≈ 42 gas a node where the precompile's call costs ≈ 196).
/// A tree of `digest` < 32 bytes (MerkleHasher(hash, digest)) keeps each hash's first `digest` bytes and zeroes
/// the rest; its proofs carry `digest` bytes a sibling.
library MerkleSha256 {
    uint256 internal constant MAX_LEAVES = 1 << 24;

    /// H(0x00 ‖ calldata[offset, offset + n)), untruncated (verify truncates the leaves); H is Keccak-256
    /// when bit 136 of `siblings` (verify's word) is set, else SHA-256.
    function leafCalldata(uint256 offset, uint256 n, uint256 siblings) internal view returns (bytes32 h) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0)
            calldatacopy(add(m, 1), offset, n)
            switch shr(136, siblings)
            case 0 {
                if iszero(staticcall(gas(), 2, m, add(n, 1), 0, 32)) { revert(0, 0) }
                h := mload(0)
            }
            default { h := keccak256(m, add(n, 1)) }
        }
    }

    /// Whether the leaves with digests `hashes` sit at `indices` (strictly increasing) of a tree of
    /// `leafCount` leaves under `root`, given `siblingCount` siblings of d bytes at calldata offset
    /// `siblings` mod 2^128, d = bits 128–135 of `siblings`, every hash (the leaves' too) truncated to d bytes;
    /// the nodes are Keccak-256 when bit 136 of `siblings` is set, else SHA-256.
    /// Leaves `indices` and `hashes` as they were.
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
        // Level by level, in place in one scratch array of (node number, hash) pairs above the free memory,
        // with read and write pointers (the write one never passes the read one): a node whose sibling is
        // the next entry (its number is the node's | 1: numbers are strictly increasing, so an odd node's
        // next is larger) is hashed with it, any other with the next proof sibling; the pair (left, right)
        // is (node, sibling) or (sibling, node) by the node's parity, written at o and o xor 32 (o = 32·parity)
        // without a branch. A level ends with a sentinel number 0 (no node's number, and no node's | 1), where
        // its walk stops. Hashes are kept untruncated and masked where read. The scratch holds 0x01 at its byte
        // 31, then left ‖ right, so that the precompile's input 0x01 ‖ left ‖ right starts at byte 31. The root
        // and the siblings' end wait in scratch space (0x00, 0x20), so that few values stay on the stack.
        assembly ("memory-safe") {
            let digest := and(shr(128, siblings), 0xff)
            let keccak := shr(136, siblings)
            let mask := not(sub(shl(shl(3, sub(32, digest)), 1), 1))
            let sib := and(siblings, 0xffffffffffffffffffffffffffffffff)
            mstore(0x00, root)
            mstore(0x20, add(sib, mul(digest, siblingCount)))
            let m := mload(0x40)
            mstore(m, 1)
            let ip := add(m, 96)
            let iend := add(ip, shl(6, len))
            ok := 1
            // strictly increasing, below leafCount; each index moved to its node number (+ width)
            for { let a := add(indices, 32) let w := ip let prev := 0 } lt(w, iend) { a := add(a, 32) w := add(w, 64) } {
                let v := mload(a)
                if or(iszero(lt(v, leafCount)), and(gt(w, ip), iszero(gt(v, prev)))) { ok := 0 }
                prev := v
                mstore(w, add(v, width))
                mstore(add(w, 32), mload(add(hashes, sub(a, indices))))
            }
            mstore(iend, 0)
            // The hash's input at l − 1: 0x01, then left at l and right at l + 32 (x in the walks). The walk is written
            // once per hash and chosen once here, a twin differing only in its node hash (the precompile 0x02 or
            // KECCAK256), kept for gas: the `switch` on the hash inside the node loop cost ≈ 25–30 gas a node, and the
            // twin measured −11,093 on `submitResult` with conjectured-evm's parts, −51,782 proven-evm, −62,992 proven
            // (docs/ethereum.md, branch gasfinal26).
            function walkSha256(top, x, msk, at, step) -> s {
                for {} gt(mload(top), 1) {} {
                    let rp := top
                    let wp := top
                    for { let p := mload(rp) } p { p := mload(rp) } {
                        let o := shl(5, and(p, 1))
                        mstore(add(x, o), and(mload(add(rp, 32)), msk))
                        rp := add(rp, 64)
                        switch eq(mload(rp), or(p, 1))
                        case 0 {
                            mstore(add(x, xor(o, 32)), and(calldataload(at), msk))
                            at := add(at, step)
                        }
                        default {
                            mstore(add(x, xor(o, 32)), and(mload(add(rp, 32)), msk))
                            rp := add(rp, 64)
                        }
                        if iszero(staticcall(gas(), 2, sub(x, 1), 65, add(wp, 32), 32)) { revert(0, 0) }
                        mstore(wp, shr(1, p))
                        wp := add(wp, 64)
                    }
                    mstore(wp, 0)
                }
                s := at
            }
            function walkKeccak(top, x, msk, at, step) -> s {
                for {} gt(mload(top), 1) {} {
                    let rp := top
                    let wp := top
                    for { let p := mload(rp) } p { p := mload(rp) } {
                        let o := shl(5, and(p, 1))
                        mstore(add(x, o), and(mload(add(rp, 32)), msk))
                        rp := add(rp, 64)
                        switch eq(mload(rp), or(p, 1))
                        case 0 {
                            mstore(add(x, xor(o, 32)), and(calldataload(at), msk))
                            at := add(at, step)
                        }
                        default {
                            mstore(add(x, xor(o, 32)), and(mload(add(rp, 32)), msk))
                            rp := add(rp, 64)
                        }
                        mstore(add(wp, 32), keccak256(sub(x, 1), 65))
                        mstore(wp, shr(1, p))
                        wp := add(wp, 64)
                    }
                    mstore(wp, 0)
                }
                s := at
            }
            let l := add(m, 32)
            if ok {
                switch keccak
                case 0 { sib := walkSha256(ip, l, mask, sib, digest) }
                default { sib := walkKeccak(ip, l, mask, sib, digest) }
            }
            ok := and(ok, and(eq(sib, mload(0x20)), eq(and(mload(add(ip, 32)), mask), mload(0x00))))
        }
    }
}
