// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Sha256Transcript as Tr} from "Sha256Transcript.sol";

/// @notice The head of a verinfer proof (proof format 9, ProofReader/PublicStatement of verinfer-zkml)
/// read from calldata and bound into the transcript exactly as Verifier.check does: the "VIPF" magic
/// and version 9 (8 and older refused; 9 plans a single proof as a batch's, with saturating look-ups clamped into
/// their window: what the key's compiled look-up plan and layer program already say), the statement (model id, batch, context, public inputs and
/// outputs, their values packed at the fewest bits they need, canonical packing only), checked against
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
    uint256 internal constant BAD_PACKING = 11;

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
        // of each tensor's packed values (after its width byte), and where they end (decode with `values`)
        uint256[] inputOffsets;
        uint256[] inputEnds;
        uint256[] outputOffsets;
        uint256[] outputEnds;
        bytes32 witnessRoot; // its first 32 bytes
        uint256 witnessRootLength;
    }

    /// Reads and absorbs the head of the proof at calldata [pos, end); returns the transcript (room for
    /// `cap` bytes between two challenges, and for the public tensors besides before the first), where the head
    /// sits, and the offset after the witness root.
    function read(Key memory key, uint256 pos, uint256 end, uint256 cap) internal pure returns (Tr.T memory t, Head memory h, uint256) {
        need(pos, end, 5);
        if (word(pos) >> 216 != (uint256(uint32(bytes4("VIPF"))) << 8) | 9) revert Rejected(BAD_HEADER);
        pos += 5;
        // the public tensors are absorbed before the first challenge, 8 bytes a value: room for them beyond `cap`
        for (uint256 i = 0; i < key.inputSizes.length; i++) cap += 8 * key.inputSizes[i];
        for (uint256 i = 0; i < key.outputSizes.length; i++) cap += 8 * key.outputSizes[i];
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
        (h.inputOffsets, h.inputEnds, pos) = tensors(t, L_INPUT, key.inputSizes, key.inputBits, pos, end);
        (h.outputOffsets, h.outputEnds, pos) = tensors(t, L_OUTPUT, key.outputSizes, key.outputBits, pos, end);

        n = u32(pos, end);
        if (n > 64) revert Rejected(BAD_WITNESS_ROOT);
        need(pos + 4, end, n);
        t.absorbBytesCalldata(L_WITNESS_ROOT, pos + 4, n);
        h.witnessRoot = n == 0 ? bytes32(0) : bytes32(word(pos + 4)) & ~bytes32((n >= 32 ? 0 : type(uint256).max >> (8 * n)));
        h.witnessRootLength = n;
        pos += 4 + n;
        return (t, h, pos);
    }

    /// Public tensors (tag 0, length, width byte, packed values), each checked against its size
    /// and bound and absorbed as field elements (x mod p).
    function tensors(Tr.T memory t, bytes32 label, uint256[] memory sizes, uint256[] memory bits, uint256 pos, uint256 end)
        private
        pure
        returns (uint256[] memory offsets, uint256[] memory ends, uint256)
    {
        if (u32(pos, end) != sizes.length) revert Rejected(BAD_TENSOR_COUNT);
        pos += 4;
        offsets = new uint256[](sizes.length);
        ends = new uint256[](sizes.length);
        for (uint256 i = 0; i < sizes.length; i++) {
            need(pos, end, 1);
            if (word(pos) >> 248 != 0) revert Rejected(NOT_PUBLIC);
            uint256 len = u32(pos + 1, end);
            if (len != sizes[i]) revert Rejected(BAD_TENSOR_SIZE);
            need(pos + 5, end, 1);
            uint256 w = word(pos + 5) >> 248;
            pos += 6;
            offsets[i] = pos;
            t.header(Tr.TAG_FIELDS, label, len);
            uint256 fault;
            (pos, fault) = values(pos, end, len, w, 1 << bits[i], t.reserveU64s(len));
            if (fault != 0) revert Rejected(fault);
            ends[i] = pos;
        }
        return (offsets, ends, pos);
    }

    /// `len` values as ProofReader.readPackedSigned reads them: `w`-bit two's-complement fields (w in
    /// [1, 64]), most significant bit first, back to back in ⌈len·w/8⌉ bytes; each |v| < `bound` and written
    /// to memory at `at` as the field element v mod p (8 bytes each). Returns the offset after them, or the
    /// code of the first fault, refused where Java refuses: a width outside [1, 64], fewer bytes than the
    /// values take, then a value out of bound (Java: Verifier's bound check), nonzero padding bits or a width
    /// above the fewest bits the values need (BAD_PACKING: every value list has one byte string).
    function values(uint256 pos, uint256 end, uint256 len, uint256 w, uint256 bound, uint256 at) internal pure returns (uint256, uint256 fault) {
        if (w == 0 || w > 64) return (pos, BAD_PACKING);
        uint256 n = (len * w + 7) / 8;
        if (pos > end || end - pos < n) return (pos, TRUNCATED);
        assembly ("memory-safe") {
            // Per field f, g = f xor 2^(w−1) = v + 2^(w−1) (v its signed value): |v| < bound ⟺ g − (2^(w−1) + 1 − bound) <
            // 2·bound − 1 as unsigned 256-bit words (a negative difference wraps above it), and v mod p = (g + p − 2^(w−1))
            // mod p. The width is one too many iff every field's two top bits agree: bit w − 1 of the OR of f xor 2f stays 0.
            // No branch a value; a fault is reported after the loop with the code the first faulty value gets (all are
            // OUT_OF_BOUND). `src` is the next field's bit address in calldata.
            if gt(bound, shl(65, 1)) { bound := shl(65, 1) } // |v| ≤ 2^63: every value is within either bound
            let half := shl(sub(w, 1), 1)
            let c := sub(add(half, 1), bound)
            let lim := sub(shl(1, bound), 1)
            let ph := sub(P, half)
            let right := sub(256, w)
            let any := 0
            let bad := and(iszero(bound), gt(len, 0))
            let src := shl(3, pos)
            let k := len
            if and(iszero(lt(bound, shl(w, 1))), lt(w, 63)) {
                // bound ≥ 2^w: every w-bit field is within it; four values a step from one calldata word (7 + 4w ≤ 255
                // bits) while four are left, in a Yul function left by `leave` (never inlined), so that its state stays
                // on its own stack; w > 62 one by one below
                let a4
                src, at, k, a4 := quads(src, at, k, w)
                any := or(any, a4)
            }

            // The four fields f of a word spread into the four 64-bit lanes of one memory word (the first field in the
            // top lane: the four values' 8-byte big-endian images back to back) and made v mod p in all lanes at once:
            // v = f − 2^w·s (s the sign bit, bit w − 1), so v mod p = f + s·(p − 2^w), which is below p for either s (no
            // carry leaves a lane: f < 2^w ≤ 2^62), and Σ_lanes s·2^(64j) times p − 2^w < 2^64 is the four products side
            // by side. The width check reads the xor of each field's two top bits off x xor 2x once a word: field i's at
            // bit 255 − i·w, moved to bit w − 1 of `acc` after the loop (as `any` keeps them; its other bits unread).
            function quads(s, o, cnt, wd) -> s2, o2, n2, acc {
                n2 := and(cnt, 3)
                let r4 := sub(256, shl(2, wd))
                let a
                s2, o2, a := quadLoop(s, o, add(o, shl(3, sub(cnt, n2))), wd, sub(shl(wd, 1), 1), r4, sub(P, shl(wd, 1)), sub(wd, 1))
                acc := or(or(shr(sub(256, wd), a), shr(sub(256, shl(1, wd)), a)), or(shr(sub(256, mul(3, wd)), a), shr(r4, a)))
            }
            function quadLoop(s, o, oe, wd, m, r4, pw, sb) -> s2, o2, a {
                for {} 1 { o := add(o, 32) } {
                    if iszero(lt(o, oe)) {
                        s2 := s
                        o2 := o
                        leave
                    }
                    let x := shl(and(s, 7), calldataload(shr(3, s)))
                    a := or(a, xor(x, shl(1, x)))
                    let y := shr(r4, x)
                    let l := and(y, m)
                    y := shr(wd, y)
                    l := or(l, shl(64, and(y, m)))
                    y := shr(wd, y)
                    l := or(or(l, shl(128, and(y, m))), shl(192, shr(wd, y)))
                    mstore(o, add(l, mul(and(shr(sb, l), 0x0000000000000001000000000000000100000000000000010000000000000001), pw)))
                    s := add(s, sub(256, r4))
                }
            }
            for {} k { k := sub(k, 1) } {
                let f := shr(right, shl(and(src, 7), calldataload(shr(3, src))))
                let g := xor(f, half)
                bad := or(bad, iszero(lt(sub(g, c), lim)))
                any := or(any, xor(f, shl(1, f)))
                mstore(at, shl(192, addmod(g, ph, P)))
                src := add(src, w)
                at := add(at, 8)
            }
            switch bad
            case 0 {
                let used := and(mul(len, w), 7)
                if used {
                    if and(byte(0, calldataload(add(pos, sub(n, 1)))), sub(shl(sub(8, used), 1), 1)) { fault := BAD_PACKING }
                }
                if and(gt(w, 1), iszero(and(shr(sub(w, 1), any), 1))) { fault := BAD_PACKING }
            }
            default { fault := OUT_OF_BOUND }
        }
        return (pos + n, fault);
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
