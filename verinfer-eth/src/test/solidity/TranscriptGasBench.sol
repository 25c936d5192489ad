// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

/// @notice Test only: the hashing cost of a Fiat–Shamir transcript on the EVM, replaying the prefix
/// lengths at which a real proof draws its challenges. `rehash` is verinfer's transcript as it is (a
/// running SHA-256 whose every challenge hashes the whole prefix: the precompile has no incremental
/// state); `chainedSha256` and `chainedKeccak` are the same absorptions hashed as a chain
/// state = H(state ‖ bytes absorbed since the last challenge), for comparison (not the proof format).
/// `baseline` does everything but the hashing, so each variant's hashing gas is its difference to it.
contract TranscriptGasBench {
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

    function chainedSha256(uint32[] calldata prefixes) external view returns (bytes32 acc) {
        bytes memory buf = new bytes(prefixes[prefixes.length - 1] + 64);
        uint256 last = 0;
        for (uint256 i = 0; i < prefixes.length; i++) {
            uint256 p = prefixes[i];
            assembly ("memory-safe") {
                // state ‖ segment, the state written just before the segment (its bytes are scratch here)
                let at := add(add(buf, 32), last)
                mstore(at, acc)
                if iszero(staticcall(gas(), 2, at, add(32, sub(p, last)), 0, 32)) { revert(0, 0) }
                acc := xor(mload(0), sub(p, last))
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
