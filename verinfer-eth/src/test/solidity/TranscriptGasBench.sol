// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Sha256Transcript as Tr} from "Sha256Transcript.sol";

/// @notice Test only: the cost of a Fiat–Shamir transcript on the EVM, replaying the prefix lengths
/// (bytes absorbed, v1 counting) at which a real proof draws its challenges. `transcript` is the format:
/// Sha256Transcript itself, absorbing between challenges as many bytes as the proof does and squeezing,
/// so that each SHA-256 call hashes exactly what it hashes for that proof (state ‖ records ‖ challenge
/// record: the v1 prefix's growth, the 32-byte state replacing the previous challenge v1 absorbed).
/// `rehash` is the v1 transcript (every challenge hashed the whole prefix: the precompile has no
/// incremental state) and `chainedKeccak` the chain with Keccak, for comparison. `baseline` does
/// everything but the hashing, so their hashing gas is the difference to it; `empty` only takes the
/// calldata, so `transcript`'s difference to it is all it costs (memory, encoding, hashing).
contract TranscriptGasBench {
    /// The challenge record of `transcript`: tag, a zero-length label (17 bytes), so that every real
    /// challenge (label ≥ 0 bytes) leaves a non-negative count of bytes to absorb before it.
    uint256 private constant RECORD = 17;

    function transcript(uint32[] calldata prefixes) external view returns (bytes32 acc) {
        Tr.T memory t = Tr.start("", prefixes[prefixes.length - 1]);
        uint256 last = t.len - 32; // the domain record, v1 counting
        for (uint256 i = 0; i < prefixes.length; i++) {
            uint256 p = prefixes[i];
            // v1 absorbed the previous challenge (32 bytes) where v2 starts from the state
            uint256 absorbed = p - last - RECORD - (i == 0 ? 0 : 32);
            Tr.putCalldata(t, 0, absorbed);
            acc ^= Tr.squeeze(t, bytes32(0));
            last = p;
        }
    }

    function empty(uint32[] calldata prefixes) external pure returns (uint256) {
        return prefixes.length;
    }

    function baseline(uint32[] calldata prefixes) external pure returns (bytes32 acc) {
        bytes memory buf = new bytes(prefixes[prefixes.length - 1] + 64);
        uint256 last = 0;
        for (uint256 i = 0; i < prefixes.length; i++) {
            uint256 p = prefixes[i];
            assembly ("memory-safe") {
                acc := xor(acc, add(mload(add(buf, 32)), sub(p, last)))
            }
            last = p;
        }
    }

    function rehash(uint32[] calldata prefixes) external view returns (bytes32 acc) {
        bytes memory buf = new bytes(prefixes[prefixes.length - 1] + 64);
        uint256 last = 0;
        for (uint256 i = 0; i < prefixes.length; i++) {
            uint256 p = prefixes[i];
            assembly ("memory-safe") {
                if iszero(staticcall(gas(), 2, add(buf, 32), p, 0, 32)) { revert(0, 0) }
                acc := xor(acc, add(mload(0), sub(p, last)))
            }
            last = p;
        }
    }

    function chainedKeccak(uint32[] calldata prefixes) external pure returns (bytes32 acc) {
        bytes memory buf = new bytes(prefixes[prefixes.length - 1] + 64);
        uint256 last = 0;
        for (uint256 i = 0; i < prefixes.length; i++) {
            uint256 p = prefixes[i];
            assembly ("memory-safe") {
                let at := add(add(buf, 32), last)
                mstore(at, acc)
                acc := xor(keccak256(at, add(32, sub(p, last))), sub(p, last))
            }
            last = p;
        }
    }
}
