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

    function node(bytes32 l, bytes32 r) internal view returns (bytes32 h) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 1)
            mstore(add(m, 1), l)
            mstore(add(m, 33), r)
            if iszero(staticcall(gas(), 2, m, 65, 0, 32)) { revert(0, 0) }
            h := mload(0)
        }
    }

    /// Whether the leaves with digests `hashes` sit at `indices` (strictly increasing) of a tree of
    /// `leafCount` leaves under `root`, given `siblingCount` 32-byte siblings at calldata `siblings`.
    /// Overwrites `indices` and `hashes`.
    function verify(bytes32 root, uint256 leafCount, uint256[] memory indices, bytes32[] memory hashes, uint256 siblings, uint256 siblingCount)
        internal
        view
        returns (bool)
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
        uint256 used = 0;
        while (indices[0] > 1) {
            uint256 next = 0;
            for (uint256 i = 0; i < len; i++) {
                uint256 p = indices[i];
                bytes32 parent;
                if (p & 1 == 0 && i + 1 < len && indices[i + 1] == p + 1) {
                    parent = node(hashes[i], hashes[i + 1]);
                    i++;
                } else {
                    if (used == siblingCount) return false;
                    bytes32 s;
                    assembly ("memory-safe") {
                        s := calldataload(add(siblings, mul(32, used)))
                    }
                    used++;
                    parent = p & 1 == 0 ? node(hashes[i], s) : node(s, hashes[i]);
                }
                indices[next] = p >> 1;
                hashes[next++] = parent;
            }
            len = next;
        }
        return used == siblingCount && hashes[0] == root;
    }
}
