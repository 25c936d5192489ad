// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Sha256Transcript as Tr} from "Sha256Transcript.sol";

/// @notice The head of a verinfer proof (proof format 4, ProofReader/PublicStatement of verinfer-zkml)
/// read from calldata and bound into the transcript exactly as Verifier.check does: the "VIPF" magic
/// and version 4, the statement (model id, batch, context, public inputs and outputs), checked against
/// the key (model id, one inference, tensor counts and sizes, every value within its bound 2^bits),
/// absorbed under protocol domain "verinfer-zkml-v1", then the witness root. Committed inputs or
/// outputs and batches above 1 are refused (the Java verifier supports them; this contract not yet).
library ZkmlStatement {
    using Tr for Tr.T;

    error Rejected(uint256 code);

    uint256 private constant P = 0xFFFFFFFF00000001;
    uint256 internal constant BAD_HEADER = 1;
    uint256 internal constant TRUNCATED = 2;
    uint256 internal constant WRONG_MODEL = 3;
    uint256 internal constant UNSUPPORTED_BATCH = 4;
    uint256 internal constant BAD_CONTEXT = 5;
    uint256 internal constant BAD_TENSOR_COUNT = 6;
    uint256 internal constant NOT_PUBLIC = 7;
    uint256 internal constant BAD_TENSOR_SIZE = 8;
    uint256 internal constant OUT_OF_BOUND = 9;
    uint256 internal constant BAD_WITNESS_ROOT = 10;

    bytes32 private constant L_MODEL_ID = bytes32("model-id") | bytes32(uint256(8));
    bytes32 private constant L_BATCH = bytes32("batch") | bytes32(uint256(5));
    bytes32 private constant L_CONTEXT = bytes32("context") | bytes32(uint256(7));
    bytes32 private constant L_INPUT = bytes32("input") | bytes32(uint256(5));
    bytes32 private constant L_OUTPUT = bytes32("output") | bytes32(uint256(6));
    bytes32 private constant L_WITNESS_ROOT = bytes32("witness-root") | bytes32(uint256(12));

    /// What the statement must match: the model id and, per public input and output, its entry count and bound bits.
    struct Key {
        bytes32 modelId;
        uint256[] inputSizes;
        uint256[] inputBits;
        uint256[] outputSizes;
        uint256[] outputBits;
    }

    /// Where the statement's parts sit in calldata (for the caller's comparison with a market's statement).
    struct Head {
        uint256 contextOffset;
        uint256 contextLength;
        uint256[] inputOffsets; // of each tensor's first value (8 bytes each, signed big-endian)
        uint256[] outputOffsets;
        bytes32 witnessRoot; // its first 32 bytes
        uint256 witnessRootLength;
    }

    /// Reads and absorbs the head of the proof at calldata [pos, end); returns the transcript (room for
    /// `cap` bytes between two challenges), where the head sits, and the offset after the witness root.
    function read(Key memory key, uint256 pos, uint256 end, uint256 cap) internal pure returns (Tr.T memory t, Head memory h, uint256) {
        need(pos, end, 5);
        if (word(pos) >> 216 != (uint256(uint32(bytes4("VIPF"))) << 8) | 4) revert Rejected(BAD_HEADER);
        pos += 5;
        t = Tr.start(bytes("verinfer-zkml-v1"), cap);

        uint256 n = u32(pos, end);
        if (n != 32) revert Rejected(n > 64 ? BAD_HEADER : WRONG_MODEL);
        need(pos + 4, end, 32);
        if (bytes32(word(pos + 4)) != key.modelId) revert Rejected(WRONG_MODEL);
        t.absorbBytesCalldata(L_MODEL_ID, pos + 4, 32);
        pos += 36;
        if (u32(pos, end) != 1) revert Rejected(UNSUPPORTED_BATCH);
        t.absorbField(L_BATCH, 1);
        pos += 4;
        n = u32(pos, end);
        if (n > 256) revert Rejected(BAD_CONTEXT);
        need(pos + 4, end, n);
        h.contextOffset = pos + 4;
        h.contextLength = n;
        t.absorbBytesCalldata(L_CONTEXT, pos + 4, n);
        pos += 4 + n;
        (h.inputOffsets, pos) = tensors(t, L_INPUT, key.inputSizes, key.inputBits, pos, end);
        (h.outputOffsets, pos) = tensors(t, L_OUTPUT, key.outputSizes, key.outputBits, pos, end);

        n = u32(pos, end);
        if (n > 64) revert Rejected(BAD_WITNESS_ROOT);
        need(pos + 4, end, n);
        t.absorbBytesCalldata(L_WITNESS_ROOT, pos + 4, n);
        h.witnessRoot = n == 0 ? bytes32(0) : bytes32(word(pos + 4)) & ~bytes32((n >= 32 ? 0 : type(uint256).max >> (8 * n)));
        h.witnessRootLength = n;
        pos += 4 + n;
        return (t, h, pos);
    }

    /// Public tensors (tag 0, length, signed 64-bit values), each checked against its size and bound and
    /// absorbed as field elements (x mod p).
    function tensors(Tr.T memory t, bytes32 label, uint256[] memory sizes, uint256[] memory bits, uint256 pos, uint256 end)
        private
        pure
        returns (uint256[] memory offsets, uint256)
    {
        if (u32(pos, end) != sizes.length) revert Rejected(BAD_TENSOR_COUNT);
        pos += 4;
        offsets = new uint256[](sizes.length);
        for (uint256 i = 0; i < sizes.length; i++) {
            need(pos, end, 1);
            if (word(pos) >> 248 != 0) revert Rejected(NOT_PUBLIC);
            uint256 len = u32(pos + 1, end);
            if (len != sizes[i]) revert Rejected(BAD_TENSOR_SIZE);
            pos += 5;
            need(pos, end, 8 * len);
            offsets[i] = pos;
            uint256 bound = 1 << bits[i];
            t.header(Tr.TAG_FIELDS, label, len);
            for (uint256 j = 0; j < len; j++) {
                uint256 x = word(pos + 8 * j) >> 192;
                // signed: x < 2^63 is x, else x − 2^64; |x| < 2^bits; into F_p
                if (x < (1 << 63)) {
                    if (x >= bound) revert Rejected(OUT_OF_BOUND);
                } else {
                    uint256 m = (1 << 64) - x;
                    if (m >= bound) revert Rejected(OUT_OF_BOUND);
                    x = P - m;
                }
                t.putU64(x);
            }
            pos += 8 * len;
        }
        return (offsets, pos);
    }

    function word(uint256 off) internal pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := calldataload(off)
        }
    }

    function u32(uint256 pos, uint256 end) private pure returns (uint256) {
        need(pos, end, 4);
        return word(pos) >> 224;
    }

    function need(uint256 pos, uint256 end, uint256 n) private pure {
        if (pos > end || end - pos < n) revert Rejected(TRUNCATED);
    }
}
