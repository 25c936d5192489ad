// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Goldilocks as F} from "Goldilocks.sol";
import {Sha256Transcript as Tr} from "Sha256Transcript.sol";
import {MerkleSha256} from "MerkleSha256.sol";

/// @notice The WHIR opening verifier of verinfer-whir (WhirVerifier.java, Arnon–Chiesa–Fenzi–Yogev,
/// ePrint 2024/1586) on the EVM: it reads the Java proof bytes (WhirProof.write) unchanged, walks the
/// same Fiat–Shamir transcript, and accepts exactly the openings the Java verifier accepts. Kept apart
/// from everything else so that the commitment can change without touching the other verifier parts.
/// @dev Two passes: the first checks the byte layout as WhirProof.read does (lengths within their
/// limits and the bytes left, canonical field elements, no trailing bytes); the second verifies,
/// re-reading the now well-formed bytes. Every rejection is a revert with `Rejected(code)`.
library WhirOpening {
    using Tr for Tr.T;

    error Rejected(uint256 code);

    uint256 private constant P = 0xFFFFFFFF00000001;
    uint256 private constant MAX_GROUPS = 1 << 16;
    uint256 private constant MAX_ROUNDS = 32;
    uint256 private constant MAX_OOD = 16;
    uint256 private constant MAX_QUERIES = 4096;
    uint256 private constant MAX_FIBRE = 128;
    uint256 private constant MAX_FINAL = 1024;
    uint256 private constant MAX_SIBLINGS = 4096 * 24;
    uint256 internal constant MAX_NUM_VARS = 26;
    uint256 private constant SCHEDULE_RECORD = 50;

    /// WhirParameters.schedule(n), n = 0..26, of the parameter sets in order: 0 PROVEN, 1 CONJECTURED (the
    /// two verinfer keys use), 2 and 3 the same with a final arity of at most 4 instead of 10 (not used by
    /// verinfer keys: measured here as the gas-aware alternative, see docs/ethereum.md). One 50-byte
    /// record each: finalVars, rounds, then per round vars, logDomain, fold, queries (2 bytes), ood,
    /// powBits, combinePowBits. WhirScheduleTableTest re-derives it from the Java parameters.
    bytes internal constant SCHEDULES = hex"000100020000940000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010103010094000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001020402009400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000103050300940000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010406040094000000000000000000000000000000000000000000000000000000000000000000000000000000000000000101050704009400000000000000000000000000000000000000000000000000000000000000000000000000000000000000020106080400940000000000000000000000000000000000000000000000000000000000000000000000000000000000000003010709040094000000000000000000000000000000000000000000000000000000000000000000000000000000000000000401080a040094000000000000000000000000000000000000000000000000000000000000000000000000000000000000000501090b0400940000000000000000000000000000000000000000000000000000000000000000000000000000000000000006010a0c0400940000000000000000000000000000000000000000000000000000000000000000000000000000000000000007010b0d0400940000000000000000000000000000000000000000000000000000000000000000000000000000000000000008010c0e0400940000000000000000000000000000000000000000000000000000000000000000000000000000000000000009010d0f040094000000000000000000000000000000000000000000000000000000000000000000000000000000000000000a010e100400940000000000000000000000000000000000000000000000000000000000000000000000000000000000000007020f110400940000000b0f04006e0000000000000000000000000000000000000000000000000000000000000000000000080210120400940000000c1004006e0000000000000000000000000000000000000000000000000000000000000000000000090211130400940000000d1104006e00000000000000000000000000000000000000000000000000000000000000000000000a0212140400940000000e1204006e0000000000000000000000000000000000000000000000000000000000000000000000070313150400940000000f1304006e0000000b1104006700000000000000000000000000000000000000000000000000000008031416040094000000101404006e0000000c1204006700000000000000000000000000000000000000000000000000000009031517040094000000111504006e0000000d130400670000000000000000000000000000000000000000000000000000000a031618040094000000121604006e0000000e1404006700000000000000000000000000000000000000000000000000000007041719040094000000131704006e0000000f150400670000000b13040065000000000000000000000000000000000000000804181a040094000000141804006e00000010160400670000000c14040065000000000000000000000000000000000000000904191b040094000000151904006e00000011170400670000000d15040065000000000000000000000000000000000000000a041a1c040094000100161a04006e00000012180400670000000e1604006500000000000000000000000000000000000000000100020000350000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010103010035000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001020402003500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000103050300350000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010406040035000000000000000000000000000000000000000000000000000000000000000000000000000000000000000101050704003500000000000000000000000000000000000000000000000000000000000000000000000000000000000000020106080400350000000000000000000000000000000000000000000000000000000000000000000000000000000000000003010709040035000000000000000000000000000000000000000000000000000000000000000000000000000000000000000401080a040035000000000000000000000000000000000000000000000000000000000000000000000000000000000000000501090b0400350000000000000000000000000000000000000000000000000000000000000000000000000000000000000006010a0c0400350000000000000000000000000000000000000000000000000000000000000000000000000000000000000007010b0d0400350000000000000000000000000000000000000000000000000000000000000000000000000000000000000008010c0e0400350000000000000000000000000000000000000000000000000000000000000000000000000000000000000009010d0f0400350000000000000000000000000000000000000000000000000000000000000000000000000000000000000006020e100400350200000a0e04001a000000000000000000000000000000000000000000000000000000000000000000000007020f110400350200010b0f04001a0000000000000000000000000000000000000000000000000000000000000000000000080210120400350200020c1004001a0000000000000000000000000000000000000000000000000000000000000000000000090211130400350200030d1104001a0000000000000000000000000000000000000000000000000000000000000000000000060312140400350201040e1204001a0201030a10040011000100000000000000000000000000000000000000000000000000070313150400350202050f1304001a0202040b1104001100020000000000000000000000000000000000000000000000000008031416040035020306101404001a0203050c1204001100030000000000000000000000000000000000000000000000000009031517040035020407111504001a0204060d1304001100040000000000000000000000000000000000000000000000000006041618040035020508121604001a0205070e140400110205070a1204000e0003000000000000000000000000000000000007041719040035020609131704001a0206080f150400110206080b1304000e000400000000000000000000000000000000000804181a04003502070a141804001a02070910160400110207090c1404000e000500000000000000000000000000000000000505191b04003502080b151904001a02080a111704001102080a0d1504000e020608091304000c000400000000000000000006051a1c04003502090c161a04001a02090b121804001102090b0e1604000e0207090a1404000c0005000000000000000000000100020000940000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010103010094000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001020402009400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000103050300940000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010406040094000000000000000000000000000000000000000000000000000000000000000000000000000000000000000101050704009400000000000000000000000000000000000000000000000000000000000000000000000000000000000000020106080400940000000000000000000000000000000000000000000000000000000000000000000000000000000000000003010709040094000000000000000000000000000000000000000000000000000000000000000000000000000000000000000401080a040094000000000000000000000000000000000000000000000000000000000000000000000000000000000000000102090b040094000000050904006e000000000000000000000000000000000000000000000000000000000000000000000002020a0c040094000000060a04006e000000000000000000000000000000000000000000000000000000000000000000000003020b0d040094000000070b04006e000000000000000000000000000000000000000000000000000000000000000000000004020c0e040094000000080c04006e000000000000000000000000000000000000000000000000000000000000000000000001030d0f040094000000090d04006e000000050b04006700000000000000000000000000000000000000000000000000000002030e100400940000000a0e04006e000000060c04006700000000000000000000000000000000000000000000000000000003030f110400940000000b0f04006e000000070d040067000000000000000000000000000000000000000000000000000000040310120400940000000c1004006e000000080e040067000000000000000000000000000000000000000000000000000000010411130400940000000d1104006e000000090f040067000000050d04006500000000000000000000000000000000000000020412140400940000000e1204006e0000000a10040067000000060e04006500000000000000000000000000000000000000030413150400940000000f1304006e0000000b11040067000000070f0400650000000000000000000000000000000000000004041416040094000000101404006e0000000c1204006700000008100400650000000000000000000000000000000000000001051517040094000000111504006e0000000d130400670000000911040065000000050f040065000000000000000000000002051618040094000000121604006e0000000e140400670000000a120400650000000610040065000000000000000000000003051719040094000000131704006e0000000f150400670000000b13040065000000071104006500000000000000000000000405181a040094000000141804006e00000010160400670000000c14040065000000081204006500000000000000000000000106191b040094000000151904006e00000011170400670000000d150400650000000913040065000000051104006500000002061a1c040094000100161a04006e00000012180400670000000e160400650000000a140400650000000612040065000000000100020000350000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010103010035000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001020402003500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000103050300350000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010406040035000000000000000000000000000000000000000000000000000000000000000000000000000000000000000101050704003500000000000000000000000000000000000000000000000000000000000000000000000000000000000000020106080400350000000000000000000000000000000000000000000000000000000000000000000000000000000000000003010709040035000000000000000000000000000000000000000000000000000000000000000000000000000000000000000401080a040035000000000000000000000000000000000000000000000000000000000000000000000000000000000000000102090b040035020000050904001a000000000000000000000000000000000000000000000000000000000000000000000002020a0c040035020000060a04001a000000000000000000000000000000000000000000000000000000000000000000000003020b0d040035020000070b04001a000000000000000000000000000000000000000000000000000000000000000000000004020c0e040035020000080c04001a000000000000000000000000000000000000000000000000000000000000000000000001030d0f040035020000090d04001a020000050b04001100000000000000000000000000000000000000000000000000000002030e100400350200000a0e04001a020000060c04001100000000000000000000000000000000000000000000000000000003030f110400350200010b0f04001a020000070d040011000000000000000000000000000000000000000000000000000000040310120400350200020c1004001a020001080e040011000000000000000000000000000000000000000000000000000000010411130400350200030d1104001a020002090f040011020002050d04000e00000000000000000000000000000000000000020412140400350201040e1204001a0201030a10040011020103060e04000e00000000000000000000000000000000000000030413150400350202050f1304001a0202040b11040011020204070f04000e0000000000000000000000000000000000000004041416040035020306101404001a0203050c12040011020305081004000e0001000000000000000000000000000000000001051517040035020407111504001a0204060d13040011020406091104000e020204050f04000c000000000000000000000002051618040035020508121604001a0205070e140400110205070a1204000e020305061004000c000100000000000000000003051719040035020609131704001a0206080f150400110206080b1304000e020406071104000c00020000000000000000000405181a04003502070a141804001a02070910160400110207090c1404000e020507081204000c00030000000000000000000106191b04003502080b151904001a02080a111704001102080a0d1504000e020608091304000c020405051104000b00020002061a1c04003502090c161a04001a02090b121804001102090b0e1604000e0207090a1404000c020506061204000b000300";

    bytes32 private constant L_SOUNDNESS = bytes32("pcs/whir/soundness") | bytes32(uint256(18));
    bytes32 private constant L_LOG_INV_RATE = bytes32("pcs/whir/log-inverse-rate") | bytes32(uint256(25));
    bytes32 private constant L_FOLDING = bytes32("pcs/whir/folding-factor") | bytes32(uint256(23));
    bytes32 private constant L_FINAL_VARS = bytes32("pcs/whir/final-vars") | bytes32(uint256(19));
    bytes32 private constant L_SECURITY = bytes32("pcs/whir/security-bits") | bytes32(uint256(22));
    bytes32 private constant L_CLAIMS = bytes32("pcs/claims") | bytes32(uint256(10));
    bytes32 private constant L_ROOT = bytes32("pcs/root") | bytes32(uint256(8));
    bytes32 private constant L_NUM_VARS = bytes32("pcs/num-vars") | bytes32(uint256(12));
    bytes32 private constant L_POINT = bytes32("pcs/point") | bytes32(uint256(9));
    bytes32 private constant L_VALUE = bytes32("pcs/value") | bytes32(uint256(9));
    bytes32 private constant L_WHIR_NUM_VARS = bytes32("pcs/whir/num-vars") | bytes32(uint256(17));
    bytes32 private constant L_MERKLE_ROOT = bytes32("pcs/whir/merkle-root") | bytes32(uint256(20));
    bytes32 private constant L_OOD_POINT = bytes32("pcs/whir/ood-point") | bytes32(uint256(18));
    bytes32 private constant L_COMMIT_OOD = bytes32("pcs/whir/commit-ood") | bytes32(uint256(19));
    bytes32 private constant L_CLAIM_COMBINER = bytes32("pcs/whir/claim-combiner") | bytes32(uint256(23));
    bytes32 private constant L_SUMCHECK = bytes32("pcs/whir/sumcheck") | bytes32(uint256(17));
    bytes32 private constant L_FOLD = bytes32("pcs/whir/fold") | bytes32(uint256(13));
    bytes32 private constant L_POW_SEED = bytes32("pcs/whir/pow-seed") | bytes32(uint256(17));
    bytes32 private constant L_POW_NONCE = bytes32("pcs/whir/pow-nonce") | bytes32(uint256(18));
    bytes32 private constant L_NEXT_ROOT = bytes32("pcs/whir/root") | bytes32(uint256(13));
    bytes32 private constant L_OOD_ANSWER = bytes32("pcs/whir/ood-answer") | bytes32(uint256(19));
    bytes32 private constant L_FINAL = bytes32("pcs/whir/final") | bytes32(uint256(14));
    bytes32 private constant L_QUERIES = bytes32("pcs/whir/queries") | bytes32(uint256(16));
    bytes32 private constant L_COMBINER = bytes32("pcs/whir/combiner") | bytes32(uint256(17));

    /// A claim list: claims[0] = count, then per claim root, numVars, numVars (c0, c1) pairs, value (c0, c1).
    struct Claims {
        bytes32[] roots;
        uint256[] vars;
        uint256[] point; // calldata offset of the claim's first coordinate word
        uint256[] v0;
        uint256[] v1;
    }

    struct Round {
        uint256 vars;
        uint256 logDomain;
        uint256 fold;
        uint256 queries;
        uint256 ood;
        uint256 powBits;
        uint256 combinePowBits;
    }

    /// The weight Σ c·eq(p, ·) of one commitment's sumcheck, as parallel arrays.
    struct Terms {
        uint256 count;
        uint256[] c0;
        uint256[] c1;
        uint256[] z0; // powers terms: the point (z, z², z⁴, …); claim terms: the claim's index
        uint256[] z1;
        uint256[] vars;
        uint256[] first;
        bool[] powers;
    }

    struct Group {
        uint256 n;
        uint256 finalVars;
        bytes32 root;
        uint256 sigma0;
        uint256 sigma1;
        uint256[] ch0; // folding challenges so far
        uint256[] ch1;
        uint256 chCount;
        uint256[] f0; // final coefficients
        uint256[] f1;
        uint256[] packed; // f0 + f1·2^128, for hornerBase
        uint256 finalOffset;
    }

    function reject(uint256 code) internal pure {
        revert Rejected(code);
    }

    // ---- reading (ProofReader: big-endian, bounds-checked) ----

    function need(uint256 pos, uint256 end, uint256 n) private pure {
        if (n > end - pos) reject(1);
    }

    function readInt(uint256 pos, uint256 end) private pure returns (uint256 v, uint256) {
        need(pos, end, 4);
        assembly ("memory-safe") {
            v := shr(224, calldataload(pos))
        }
        return (v, pos + 4);
    }

    function readLength(uint256 pos, uint256 end, uint256 max) private pure returns (uint256 n, uint256) {
        (n, pos) = readInt(pos, end);
        if (n > max) reject(2); // a negative int is above every max
        return (n, pos);
    }

    function readLong(uint256 pos, uint256 end) private pure returns (uint256 v, uint256) {
        need(pos, end, 8);
        assembly ("memory-safe") {
            v := shr(192, calldataload(pos))
        }
        return (v, pos + 8);
    }

    function u64(uint256 pos) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := shr(192, calldataload(pos))
        }
    }

    /// Checks `count` canonical 8-byte field elements at pos.
    function canonical(uint256 pos, uint256 end, uint256 count) private pure returns (uint256) {
        need(pos, end, 8 * count);
        for (uint256 i = 0; i < count; i++) {
            if (u64(pos + 8 * i) >= P) reject(3);
        }
        return pos + 8 * count;
    }

    function readExts(uint256 pos, uint256 end, uint256 max) private pure returns (uint256 n, uint256) {
        (n, pos) = readLength(pos, end, max);
        return (n, canonical(pos, end, 2 * n));
    }

    /// Pass 1: WhirProof.read. Returns the offset of each group's first byte and of its final polynomial.
    function layout(uint256 pos, uint256 end) internal pure returns (uint256[] memory starts, uint256[] memory finals) {
        uint256 groups;
        (groups, pos) = readLength(pos, end, MAX_GROUPS);
        starts = new uint256[](groups);
        finals = new uint256[](groups);
        for (uint256 g = 0; g < groups; g++) {
            starts[g] = pos;
            uint256 n;
            (n, pos) = readLength(pos, end, 32);
            need(pos, end, n);
            pos += n;
            (, pos) = readExts(pos, end, MAX_OOD);
            uint256 rounds;
            (rounds, pos) = readLength(pos, end, MAX_ROUNDS);
            for (uint256 i = 0; i < rounds; i++) {
                (, pos) = readExts(pos, end, 2 * MAX_ROUNDS);
                (n, pos) = readLength(pos, end, MAX_ROUNDS);
                need(pos, end, 8 * n);
                pos += 8 * n;
                (n, pos) = readLength(pos, end, 32);
                need(pos, end, n);
                pos += n;
                (, pos) = readExts(pos, end, MAX_OOD);
                uint256 fibres;
                (fibres, pos) = readLength(pos, end, MAX_QUERIES);
                for (uint256 k = 0; k < fibres; k++) {
                    (n, pos) = readLength(pos, end, MAX_FIBRE);
                    pos = canonical(pos, end, n);
                }
                (n, pos) = readLength(pos, end, MAX_SIBLINGS);
                need(pos, end, 32 * n);
                pos += 32 * n;
                (, pos) = readLong(pos, end);
            }
            finals[g] = pos;
            (, pos) = readExts(pos, end, MAX_FINAL);
        }
        if (pos != end) reject(4);
    }

    // ---- the schedule ----

    function schedule(uint256 set, uint256 n) internal pure returns (uint256 finalVars, Round[] memory rounds) {
        bytes memory table = SCHEDULES;
        uint256 at = 32 + (set * (MAX_NUM_VARS + 1) + n) * SCHEDULE_RECORD;
        uint256 w;
        assembly ("memory-safe") {
            w := mload(add(table, at))
        }
        finalVars = w >> 248;
        rounds = new Round[]((w >> 240) & 0xff);
        for (uint256 i = 0; i < rounds.length; i++) {
            assembly ("memory-safe") {
                w := mload(add(add(table, at), add(2, mul(8, i))))
            }
            rounds[i] = Round(w >> 248, (w >> 240) & 0xff, (w >> 232) & 0xff, (w >> 216) & 0xffff, (w >> 208) & 0xff, (w >> 200) & 0xff, (w >> 192) & 0xff);
        }
    }

    /// WhirTranscript.absorbParameters of parameter set `set` (its regime is set & 1).
    function absorbParameters(Tr.T memory t, uint256 set) internal pure {
        t.absorbField(L_SOUNDNESS, set & 1);
        t.absorbField(L_LOG_INV_RATE, 2);
        t.absorbField(L_FOLDING, 4);
        t.absorbField(L_FINAL_VARS, set < 2 ? 10 : 4);
        t.absorbField(L_SECURITY, 100);
    }

    // ---- the verifier ----

    function readClaims(uint256[] calldata c) internal pure returns (Claims memory cl) {
        if (c.length == 0) reject(10);
        uint256 count = c[0];
        if (count == 0 || count > c.length) reject(10);
        cl = Claims(new bytes32[](count), new uint256[](count), new uint256[](count), new uint256[](count), new uint256[](count));
        uint256 at = 1;
        for (uint256 i = 0; i < count; i++) {
            if (at + 2 > c.length) reject(10);
            cl.roots[i] = bytes32(c[at]);
            uint256 n = c[at + 1];
            if (n > MAX_NUM_VARS || at + 4 + 2 * n > c.length) reject(11);
            uint256 off;
            assembly ("memory-safe") {
                off := add(c.offset, mul(32, add(at, 2)))
            }
            cl.point[i] = off;
            for (uint256 j = 0; j < 2 * n + 2; j++) {
                if (c[at + 2 + j] >= P) reject(11);
            }
            cl.vars[i] = n;
            cl.v0[i] = c[at + 2 + 2 * n];
            cl.v1[i] = c[at + 3 + 2 * n];
            at += 4 + 2 * n;
        }
        if (at != c.length) reject(10);
    }

    function word(uint256 off) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := calldataload(off)
        }
    }

    /// WhirVerifier.verify: every claim on every commitment, one group of the proof per distinct
    /// (root, numVars) in order of first appearance.
    function verify(Tr.T memory t, uint256 set, Claims memory cl, uint256 proofOffset, uint256 proofLength) internal view {
        uint256 end = proofOffset + proofLength;
        (uint256[] memory starts, uint256[] memory finals) = layout(proofOffset, end);
        uint256 count = cl.roots.length;
        uint256[] memory groupOf = new uint256[](count);
        uint256 groups = 0;
        for (uint256 i = 0; i < count; i++) {
            uint256 g = groups;
            for (uint256 j = 0; j < i; j++) {
                if (cl.roots[j] == cl.roots[i] && cl.vars[j] == cl.vars[i]) {
                    g = groupOf[j];
                    break;
                }
            }
            groupOf[i] = g;
            if (g == groups) groups++;
        }
        if (starts.length != groups) reject(12);
        absorbParameters(t, set);
        t.absorbField(L_CLAIMS, count);
        for (uint256 i = 0; i < count; i++) {
            t.header(Tr.TAG_BYTES, L_ROOT, 32);
            t.putWord(cl.roots[i]);
            t.absorbField(L_NUM_VARS, cl.vars[i]);
            t.header(Tr.TAG_EXTS, L_POINT, cl.vars[i]);
            for (uint256 j = 0; j < 2 * cl.vars[i]; j++) {
                t.putU64(word(cl.point[i] + 32 * j));
            }
            t.absorbExt(L_VALUE, cl.v0[i], cl.v1[i]);
        }
        for (uint256 g = 0; g < groups; g++) {
            verifyGroup(t, set, cl, groupOf, g, starts[g], finals[g], end);
        }
    }

    function verifyGroup(Tr.T memory t, uint256 set, Claims memory cl, uint256[] memory groupOf, uint256 g, uint256 pos, uint256 finalPos, uint256 end)
        private
        view
    {
        Group memory gr;
        uint256 first = 0;
        while (groupOf[first] != g) first++;
        gr.n = cl.vars[first];
        Round[] memory rounds;
        (gr.finalVars, rounds) = schedule(set, gr.n);
        uint256 commitOod = set & 1 == 0 ? 0 : 2;
        uint256 len;
        (len, pos) = readLength(pos, end, 32);
        if (len != 32) reject(20);
        gr.root = bytes32(word(pos));
        pos += 32;
        uint256 oodCount;
        (oodCount, pos) = readLength(pos, end, MAX_OOD);
        if (oodCount != commitOod) reject(21);
        uint256 oodOffset = pos;
        pos += 16 * oodCount;
        if (commitmentDigest(gr.root, oodOffset, oodCount) != cl.roots[first]) reject(22);
        (len, pos) = readLength(pos, end, MAX_ROUNDS);
        if (len != rounds.length) reject(23);
        (len, finalPos) = readLength(finalPos, end, MAX_FINAL);
        if (len != 1 << gr.finalVars) reject(24);
        gr.f0 = new uint256[](len);
        gr.f1 = new uint256[](len);
        gr.packed = new uint256[](len);
        for (uint256 i = 0; i < len; i++) {
            gr.f0[i] = u64(finalPos + 16 * i);
            gr.f1[i] = u64(finalPos + 16 * i + 8);
            gr.packed[i] = gr.f0[i] | (gr.f1[i] << 128);
        }
        gr.finalOffset = finalPos;

        t.absorbBytesCalldata(L_MERKLE_ROOT, pos - 32 - 4 - 4 - 16 * oodCount, 32);
        t.absorbExtsCalldata(L_COMMIT_OOD, oodOffset, oodCount);
        (uint256 b0, uint256 b1) = t.challengeExt(L_CLAIM_COMBINER);

        Terms memory terms;
        {
            uint256 maxTerms = cl.roots.length + commitOod;
            for (uint256 i = 0; i < rounds.length; i++) maxTerms += rounds[i].ood + rounds[i].queries;
            terms = Terms(0, new uint256[](maxTerms), new uint256[](maxTerms), new uint256[](maxTerms), new uint256[](maxTerms), new uint256[](maxTerms), new uint256[](maxTerms), new bool[](maxTerms));
        }
        uint256 c0 = 1;
        uint256 c1 = 0;
        for (uint256 i = first; i < cl.roots.length; i++) {
            if (groupOf[i] != g) continue;
            addTerm(terms, c0, c1, i, 0, gr.n, 0, false);
            (uint256 m0, uint256 m1) = F.emul(c0, c1, cl.v0[i], cl.v1[i]);
            (gr.sigma0, gr.sigma1) = F.eadd(gr.sigma0, gr.sigma1, m0, m1);
            (c0, c1) = F.emul(c0, c1, b0, b1);
        }
        if (commitOod > 0) {
            Tr.T memory o = Tr.start("verinfer-whir-commit-ood-v1", 1024);
            absorbParameters(o, set);
            o.absorbField(L_WHIR_NUM_VARS, gr.n);
            o.header(Tr.TAG_BYTES, L_MERKLE_ROOT, 32);
            o.putWord(gr.root);
            for (uint256 k = 0; k < commitOod; k++) {
                (uint256 z0, uint256 z1) = o.challengeExt(L_OOD_POINT);
                addTerm(terms, c0, c1, z0, z1, gr.n, 0, true);
                (uint256 m0, uint256 m1) = F.emul(c0, c1, u64(oodOffset + 16 * k), u64(oodOffset + 16 * k + 8));
                (gr.sigma0, gr.sigma1) = F.eadd(gr.sigma0, gr.sigma1, m0, m1);
                (c0, c1) = F.emul(c0, c1, b0, b1);
            }
        }
        gr.ch0 = new uint256[](gr.n);
        gr.ch1 = new uint256[](gr.n);
        for (uint256 i = 0; i < rounds.length; i++) {
            pos = round(t, gr, terms, rounds, i, pos, end);
        }
        finalCheck(gr, terms, cl);
    }

    function addTerm(Terms memory terms, uint256 c0, uint256 c1, uint256 z0, uint256 z1, uint256 vars, uint256 first, bool powers) private pure {
        uint256 k = terms.count++;
        terms.c0[k] = c0;
        terms.c1[k] = c1;
        terms.z0[k] = z0;
        terms.z1[k] = z1;
        terms.vars[k] = vars;
        terms.first[k] = first;
        terms.powers[k] = powers;
    }

    /// SHA-256("verinfer-whir-commitment-v1" ‖ Merkle root ‖ commit-time out-of-domain answers).
    function commitmentDigest(bytes32 root, uint256 oodOffset, uint256 oodCount) private view returns (bytes32 h) {
        bytes memory tag = "verinfer-whir-commitment-v1";
        assembly ("memory-safe") {
            let m := mload(0x40)
            mcopy(m, add(tag, 32), 27)
            mstore(add(m, 27), root)
            calldatacopy(add(m, 59), oodOffset, mul(16, oodCount))
            if iszero(staticcall(gas(), 2, m, add(59, mul(16, oodCount)), 0, 32)) { revert(0, 0) }
            h := mload(0)
        }
    }

    /// WhirTranscript.checkGrind.
    function grind(Tr.T memory t, uint256 bits, uint256 nonce) private view {
        if (bits == 0) {
            if (nonce != 0) reject(30);
            return;
        }
        bytes32 seed = t.challengeBytes(L_POW_SEED);
        bytes32 h;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, seed)
            mstore(add(m, 32), shl(192, nonce))
            if iszero(staticcall(gas(), 2, m, 40, 0, 32)) { revert(0, 0) }
            h := mload(0)
        }
        if (nonce >= P || nonce >= 1 << 63 || (bits > 0 && uint256(h) >> (256 - bits) != 0)) reject(31);
        t.absorbField(L_POW_NONCE, nonce);
    }

    struct RoundData {
        uint256 sumOffset;
        uint256 nonceOffset;
        uint256 nextRoot;
        uint256 oodOffset;
        uint256 fibreCount;
        uint256 fibreOffset;
        uint256 siblingCount;
        uint256 siblingOffset;
        uint256 combineNonce;
    }

    function readRound(Round memory r, bool last, bool ext, uint256 pos, uint256 end) private pure returns (RoundData memory d, uint256) {
        uint256 n;
        (n, pos) = readLength(pos, end, 2 * MAX_ROUNDS);
        if (n != 2 * r.fold) reject(40);
        d.sumOffset = pos;
        pos += 16 * n;
        (n, pos) = readLength(pos, end, MAX_ROUNDS);
        if (n != (r.powBits > 0 ? r.fold : 0)) reject(41);
        d.nonceOffset = pos;
        pos += 8 * n;
        (n, pos) = readLength(pos, end, 32);
        if (n != (last ? 0 : 32)) reject(42);
        if (!last) d.nextRoot = word(pos);
        pos += n;
        (n, pos) = readLength(pos, end, MAX_OOD);
        if (n != r.ood) reject(42);
        d.oodOffset = pos;
        pos += 16 * n;
        (d.fibreCount, pos) = readLength(pos, end, MAX_QUERIES);
        d.fibreOffset = pos;
        uint256 width = uint256(ext ? 2 : 1) << r.fold;
        for (uint256 k = 0; k < d.fibreCount; k++) {
            (n, pos) = readLength(pos, end, MAX_FIBRE);
            if (n != width) reject(43);
            pos += 8 * n;
        }
        (d.siblingCount, pos) = readLength(pos, end, MAX_SIBLINGS);
        d.siblingOffset = pos;
        pos += 32 * d.siblingCount;
        (d.combineNonce, pos) = readLong(pos, end);
        return (d, pos);
    }

    function round(Tr.T memory t, Group memory gr, Terms memory terms, Round[] memory rounds, uint256 i, uint256 pos, uint256 end) private view returns (uint256) {
        Round memory r = rounds[i];
        bool last = i == rounds.length - 1;
        RoundData memory d;
        (d, pos) = readRound(r, last, i > 0, pos, end);
        uint256[] memory a0 = new uint256[](r.fold);
        uint256[] memory a1 = new uint256[](r.fold);
        for (uint256 s = 0; s < r.fold; s++) {
            uint256 o = d.sumOffset + 32 * s;
            t.absorbExtsCalldata(L_SUMCHECK, o, 2);
            grind(t, r.powBits, r.powBits > 0 ? u64(d.nonceOffset + 8 * s) : 0);
            (a0[s], a1[s]) = t.challengeExt(L_FOLD);
            (gr.sigma0, gr.sigma1) = quadratic(gr.sigma0, gr.sigma1, o, a0[s], a1[s]);
            gr.ch0[gr.chCount] = a0[s];
            gr.ch1[gr.chCount++] = a1[s];
        }
        uint256[] memory ood0 = new uint256[](r.ood);
        uint256[] memory ood1 = new uint256[](r.ood);
        if (last) {
            t.absorbExtsCalldata(L_FINAL, gr.finalOffset, gr.f0.length);
        } else {
            t.header(Tr.TAG_BYTES, L_NEXT_ROOT, 32);
            t.putWord(bytes32(d.nextRoot));
            for (uint256 k = 0; k < r.ood; k++) (ood0[k], ood1[k]) = t.challengeExt(L_OOD_POINT);
            t.absorbExtsCalldata(L_OOD_ANSWER, d.oodOffset, r.ood);
        }
        uint256[] memory queries = sortedDistinct(t.challengeIndices(L_QUERIES, r.queries, 1 << (r.logDomain - r.fold)), 1 << (r.logDomain - r.fold));
        (uint256[] memory y0, uint256[] memory y1) = openFibres(gr.root, r, i > 0, d, queries, a0, a1);
        if (last) {
            if (d.combineNonce != 0) reject(50);
            for (uint256 k = 0; k < queries.length; k++) {
                (uint256 v0, uint256 v1) = hornerBase(gr.packed, foldedPoint(r, queries[k]));
                if (v0 != y0[k] || v1 != y1[k]) reject(51);
            }
        } else {
            uint256 vars = rounds[i + 1].vars;
            grind(t, r.combinePowBits, d.combineNonce);
            (uint256 g0, uint256 g1) = t.challengeExt(L_COMBINER);
            (uint256 c0, uint256 c1) = (g0, g1);
            for (uint256 k = 0; k < r.ood; k++) {
                addTerm(terms, c0, c1, ood0[k], ood1[k], vars, gr.chCount, true);
                (uint256 m0, uint256 m1) = F.emul(c0, c1, u64(d.oodOffset + 16 * k), u64(d.oodOffset + 16 * k + 8));
                (gr.sigma0, gr.sigma1) = F.eadd(gr.sigma0, gr.sigma1, m0, m1);
                (c0, c1) = F.emul(c0, c1, g0, g1);
            }
            for (uint256 k = 0; k < queries.length; k++) {
                addTerm(terms, c0, c1, foldedPoint(r, queries[k]), 0, vars, gr.chCount, true);
                (uint256 m0, uint256 m1) = F.emul(c0, c1, y0[k], y1[k]);
                (gr.sigma0, gr.sigma1) = F.eadd(gr.sigma0, gr.sigma1, m0, m1);
                (c0, c1) = F.emul(c0, c1, g0, g1);
            }
            gr.root = bytes32(d.nextRoot);
        }
        return pos;
    }

    /// h(α) for the quadratic with h(0), h(2) at calldata `o` and h(1) = σ − h(0) (Lagrange on {0, 1, 2}).
    function quadratic(uint256 s0, uint256 s1, uint256 o, uint256 a0, uint256 a1) private pure returns (uint256 r0, uint256 r1) {
        (uint256 h00, uint256 h01) = (u64(o), u64(o + 8));
        (uint256 h20, uint256 h21) = (u64(o + 16), u64(o + 24));
        (uint256 h10, uint256 h11) = F.esub(s0, s1, h00, h01);
        uint256 am10 = addmod(a0, P - 1, P);
        uint256 am20 = addmod(a0, P - 2, P);
        (uint256 p0, uint256 p1) = F.emul(am10, a1, am20, a1); // (α − 1)(α − 2)
        (uint256 q0, uint256 q1) = F.emul(a0, a1, am20, a1); // α(α − 2)
        (uint256 u0, uint256 u1) = F.emul(a0, a1, am10, a1); // α(α − 1)
        (p0, p1) = F.emul(h00, h01, p0, p1);
        (p0, p1) = F.escale(p0, p1, F.HALF);
        (q0, q1) = F.emul(h10, h11, q0, q1);
        (u0, u1) = F.emul(h20, h21, u0, u1);
        (u0, u1) = F.escale(u0, u1, F.HALF);
        (r0, r1) = F.esub(p0, p1, q0, q1);
        (r0, r1) = F.eadd(r0, r1, u0, u1);
    }

    /// The indices sorted without repeats: through a bitmap of the index range when it is at most 2^18
    /// (one pass over ≤ 1,024 words), else by insertion sort.
    function sortedDistinct(uint256[] memory a, uint256 bound) private pure returns (uint256[] memory) {
        uint256 n = a.length;
        if (bound <= 1 << 18) {
            uint256 words = (bound + 255) >> 8;
            uint256[] memory bits = new uint256[](words);
            assembly ("memory-safe") {
                let b := add(bits, 32)
                let base := add(a, 32)
                for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                    let v := mload(add(base, shl(5, i)))
                    let w := add(b, shl(5, shr(8, v)))
                    mstore(w, or(mload(w), shl(and(v, 255), 1)))
                }
                let m := 0
                for { let k := 0 } lt(k, words) { k := add(k, 1) } {
                    let x := mload(add(b, shl(5, k)))
                    for {} x {} {
                        // lowest set bit: its index by a binary search over its isolated power of two
                        let low := and(x, sub(0, x))
                        let j := 0
                        if gt(low, 0xffffffffffffffffffffffffffffffff) { j := 128 }
                        if gt(shr(j, low), 0xffffffffffffffff) { j := add(j, 64) }
                        if gt(shr(j, low), 0xffffffff) { j := add(j, 32) }
                        if gt(shr(j, low), 0xffff) { j := add(j, 16) }
                        if gt(shr(j, low), 0xff) { j := add(j, 8) }
                        if gt(shr(j, low), 0xf) { j := add(j, 4) }
                        if gt(shr(j, low), 0x3) { j := add(j, 2) }
                        if gt(shr(j, low), 0x1) { j := add(j, 1) }
                        mstore(add(base, shl(5, m)), add(shl(8, k), j))
                        m := add(m, 1)
                        x := xor(x, low)
                    }
                }
                mstore(a, m)
            }
            return a;
        }
        assembly ("memory-safe") {
            let base := add(a, 32)
            for { let i := 1 } lt(i, n) { i := add(i, 1) } {
                let v := mload(add(base, mul(32, i)))
                let j := i
                for {} gt(j, 0) { j := sub(j, 1) } {
                    let u := mload(add(base, mul(32, sub(j, 1))))
                    if iszero(gt(u, v)) { break }
                    mstore(add(base, mul(32, j)), u)
                }
                mstore(add(base, mul(32, j)), v)
            }
            let m := 0
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let v := mload(add(base, mul(32, i)))
                if or(iszero(i), iszero(eq(v, mload(add(base, mul(32, sub(m, 1))))))) {
                    mstore(add(base, mul(32, m)), v)
                    m := add(m, 1)
                }
            }
            mstore(a, m)
        }
        return a;
    }

    /// ω^j for ω of order |L|/2^k: the 2^k-th power of fibre j's points.
    function foldedPoint(Round memory r, uint256 j) private pure returns (uint256) {
        return F.pow(F.rootOfUnity(r.logDomain - r.fold), j);
    }

    function openFibres(bytes32 root, Round memory r, bool ext, RoundData memory d, uint256[] memory queries, uint256[] memory a0, uint256[] memory a1)
        private
        view
        returns (uint256[] memory y0, uint256[] memory y1)
    {
        uint256 n = queries.length;
        if (d.fibreCount != n) reject(60);
        y0 = new uint256[](n);
        y1 = new uint256[](n);
        bytes32[] memory leaves = new bytes32[](n);
        uint256 width = uint256(ext ? 2 : 1) << r.fold;
        uint256 omega = F.rootOfUnity(r.logDomain);
        uint256 zetaInv = F.pow(F.rootOfUnity(r.fold), (1 << r.fold) - 1);
        uint256[] memory v0 = new uint256[](1 << r.fold);
        uint256[] memory v1 = new uint256[](1 << r.fold);
        uint256 at = d.fibreOffset;
        for (uint256 k = 0; k < n; k++) {
            leaves[k] = MerkleSha256.leafCalldata(at + 4, 8 * width);
            (y0[k], y1[k]) = fold(at + 4, ext, v0, v1, a0, a1, F.pow(omega, (1 << r.logDomain) - queries[k]), zetaInv);
            at += 4 + 8 * width;
        }
        // The Merkle check consumes copies: verify overwrites its index and hash arrays.
        uint256[] memory idx = new uint256[](n);
        for (uint256 k = 0; k < n; k++) idx[k] = queries[k];
        if (!MerkleSha256.verify(root, 1 << (r.logDomain - r.fold), idx, leaves, d.siblingOffset, d.siblingCount)) reject(61);
    }

    /// Codewords.foldFibre on the fibre at calldata `at` (8-byte base values, or (c0, c1) pairs when
    /// `ext`): pairs x and −x, f̂_e(x²) + α·f̂_o(x²) = (a + b)/2 + α·(a − b)/(2x). v0, v1 are scratch.
    function fold(uint256 at, bool ext, uint256[] memory v0, uint256[] memory v1, uint256[] memory a0, uint256[] memory a1, uint256 xInv, uint256 zetaInv)
        private
        pure
        returns (uint256 r0, uint256 r1)
    {
        assembly ("memory-safe") {
            let size := mload(v0)
            let p0 := add(v0, 32)
            let p1 := add(v1, 32)
            for { let m := 0 } lt(m, size) { m := add(m, 1) } {
                switch ext
                case 0 {
                    mstore(add(p0, shl(5, m)), shr(192, calldataload(add(at, shl(3, m)))))
                    mstore(add(p1, shl(5, m)), 0)
                }
                default {
                    mstore(add(p0, shl(5, m)), shr(192, calldataload(add(at, shl(4, m)))))
                    mstore(add(p1, shl(5, m)), shr(192, calldataload(add(add(at, 8), shl(4, m)))))
                }
            }
            let rounds := mload(a0)
            for { let s := 0 } lt(s, rounds) { s := add(s, 1) } {
                let al0 := mload(add(a0, shl(5, add(s, 1))))
                let al1 := mload(add(a1, shl(5, add(s, 1))))
                let half := shr(1, size)
                let den := mulmod(0x7FFFFFFF80000001, xInv, 0xFFFFFFFF00000001)
                for { let m := 0 } lt(m, half) { m := add(m, 1) } {
                    let ia := shl(5, m)
                    let ib := shl(5, add(m, half))
                    let x0 := mload(add(p0, ia))
                    let x1 := mload(add(p1, ia))
                    let y0 := mload(add(p0, ib))
                    let y1 := mload(add(p1, ib))
                    // (a − b)/(2x)
                    let d0 := mulmod(add(x0, sub(0xFFFFFFFF00000001, y0)), den, 0xFFFFFFFF00000001)
                    let d1 := mulmod(add(x1, sub(0xFFFFFFFF00000001, y1)), den, 0xFFFFFFFF00000001)
                    // α·(a − b)/(2x) + (a + b)/2
                    let e0 := add(add(mul(al0, d0), mul(mul(7, al1), d1)), mul(add(x0, y0), 0x7FFFFFFF80000001))
                    let e1 := add(add(mul(al0, d1), mul(al1, d0)), mul(add(x1, y1), 0x7FFFFFFF80000001))
                    mstore(add(p0, ia), mod(e0, 0xFFFFFFFF00000001))
                    mstore(add(p1, ia), mod(e1, 0xFFFFFFFF00000001))
                    den := mulmod(den, zetaInv, 0xFFFFFFFF00000001)
                }
                size := half
                xInv := mulmod(xInv, xInv, 0xFFFFFFFF00000001)
                zetaInv := mulmod(zetaInv, zetaInv, 0xFFFFFFFF00000001)
            }
            r0 := mload(p0)
            r1 := mload(p1)
        }
    }

    /// f̂(y) = Σ c_i y^i for a base-field y (Horner) over the packed coefficients c0 + c1·2^128: one
    /// MUL serves both halves (a·y + c < p² < 2^128 per half, so no carry crosses), unrolled by four.
    function hornerBase(uint256[] memory packed, uint256 y) private pure returns (uint256 a0, uint256 a1) {
        assembly ("memory-safe") {
            let pp := 0xFFFFFFFF00000001
            let lo := 0xffffffffffffffffffffffffffffffff
            let p := add(packed, 32)
            let i := mload(packed)
            let a := 0
            for {} gt(i, 3) {} {
                i := sub(i, 4)
                let q := add(p, shl(5, i))
                a := add(mul(a, y), mload(add(q, 96)))
                a := or(mod(and(a, lo), pp), shl(128, mod(shr(128, a), pp)))
                a := add(mul(a, y), mload(add(q, 64)))
                a := or(mod(and(a, lo), pp), shl(128, mod(shr(128, a), pp)))
                a := add(mul(a, y), mload(add(q, 32)))
                a := or(mod(and(a, lo), pp), shl(128, mod(shr(128, a), pp)))
                a := add(mul(a, y), mload(q))
                a := or(mod(and(a, lo), pp), shl(128, mod(shr(128, a), pp)))
            }
            for {} gt(i, 0) {} {
                i := sub(i, 1)
                a := add(mul(a, y), mload(add(p, shl(5, i))))
                a := or(mod(and(a, lo), pp), shl(128, mod(shr(128, a), pp)))
            }
            a0 := and(a, lo)
            a1 := shr(128, a)
        }
    }

    /// f̂(z) for an extension z.
    function hornerExt(uint256[] memory f0, uint256[] memory f1, uint256 z0, uint256 z1) private pure returns (uint256 a0, uint256 a1) {
        assembly ("memory-safe") {
            let n := mload(f0)
            let p0 := add(f0, 32)
            let p1 := add(f1, 32)
            let z17 := mul(7, z1)
            for { let i := n } gt(i, 0) {} {
                i := sub(i, 1)
                let b0 := mod(add(add(mul(a0, z0), mul(a1, z17)), mload(add(p0, shl(5, i)))), P)
                a1 := mod(add(add(mul(a0, z1), mul(a1, z0)), mload(add(p1, shl(5, i)))), P)
                a0 := b0
            }
        }
    }

    /// σ must be Σ_terms c·eq(p_bound, α_since)·f_M(p_rest).
    function finalCheck(Group memory gr, Terms memory terms, Claims memory cl) private pure {
        uint256 e0;
        uint256 e1;
        for (uint256 k = 0; k < terms.count; k++) {
            uint256 firstCh = terms.first[k];
            uint256 bound = gr.chCount - firstCh;
            uint256 vars = terms.vars[k];
            if (bound > vars) reject(70);
            (uint256 q0, uint256 q1) = (uint256(1), uint256(0));
            uint256 t0;
            uint256 t1;
            if (terms.powers[k]) {
                (uint256 z0, uint256 z1) = (terms.z0[k], terms.z1[k]);
                for (uint256 j = 0; j < bound; j++) {
                    (q0, q1) = eqStep(q0, q1, z0, z1, gr.ch0[firstCh + j], gr.ch1[firstCh + j]);
                    (z0, z1) = F.emul(z0, z1, z0, z1);
                }
                if (bound == vars) (t0, t1) = (gr.f0[0], gr.f1[0]);
                else if (z1 == 0) (t0, t1) = hornerBase(gr.packed, z0);
                else (t0, t1) = hornerExt(gr.f0, gr.f1, z0, z1);
            } else {
                uint256 p = cl.point[terms.z0[k]];
                for (uint256 j = 0; j < bound; j++) {
                    (q0, q1) = eqStep(q0, q1, word(p + 64 * j), word(p + 64 * j + 32), gr.ch0[firstCh + j], gr.ch1[firstCh + j]);
                }
                if (bound == vars) (t0, t1) = (gr.f0[0], gr.f1[0]);
                else (t0, t1) = multilinear(gr.f0, gr.f1, p + 64 * bound, vars - bound);
            }
            (q0, q1) = F.emul(q0, q1, terms.c0[k], terms.c1[k]);
            (q0, q1) = F.emul(q0, q1, t0, t1);
            (e0, e1) = F.eadd(e0, e1, q0, q1);
        }
        if (e0 != gr.sigma0 || e1 != gr.sigma1) reject(71);
    }

    /// acc·(p·c + (1 − p)(1 − c)) = acc·(1 − p − c + 2pc).
    function eqStep(uint256 acc0, uint256 acc1, uint256 p0, uint256 p1, uint256 c0, uint256 c1) private pure returns (uint256, uint256) {
        (uint256 m0, uint256 m1) = F.emul(p0, p1, c0, c1);
        uint256 r0 = addmod(addmod(1, 2 * m0, P), P - addmod(p0, c0, P), P);
        uint256 r1 = addmod(2 * m1, P - addmod(p1, c1, P), P);
        return F.emul(acc0, acc1, r0, r1);
    }

    /// f(q) from multilinear coefficients, q's words at calldata `q`: c'_i = c_2i + q_j·c_2i+1.
    function multilinear(uint256[] memory f0, uint256[] memory f1, uint256 q, uint256 count) private pure returns (uint256, uint256) {
        uint256 len = f0.length;
        uint256[] memory c0 = new uint256[](len);
        uint256[] memory c1 = new uint256[](len);
        for (uint256 i = 0; i < len; i++) (c0[i], c1[i]) = (f0[i], f1[i]);
        for (uint256 j = 0; j < count; j++) {
            (uint256 x0, uint256 x1) = (word(q + 64 * j), word(q + 64 * j + 32));
            len /= 2;
            for (uint256 i = 0; i < len; i++) {
                (uint256 m0, uint256 m1) = F.emul(x0, x1, c0[2 * i + 1], c1[2 * i + 1]);
                (c0[i], c1[i]) = F.eadd(c0[2 * i], c1[2 * i], m0, m1);
            }
        }
        return (c0[0], c1[0]);
    }
}

/// @notice A WHIR opening on its own, for the differential test and the gas table: a fresh transcript
/// named `domain` (as `new Transcript(domain)` in Java), the claims, the proof bytes of WhirProof.write.
contract WhirVerifier {
    /// Returns true for a valid opening and reverts with WhirOpening.Rejected otherwise. `soundness` is
    /// the parameter set (WhirOpening.SCHEDULES): 0 proven, 1 conjectured, 2 and 3 their final-arity-4 variants.
    function verify(uint8 soundness, bytes calldata domain, uint256[] calldata claims, bytes calldata proof) external view returns (bool) {
        if (soundness > 3) WhirOpening.reject(5);
        // Room for what the transcript absorbs: the claims (≤ 48 bytes per word), the proof's messages
        // (fewer bytes than the proof) and per commitment (≤ one per claim) at most ~250 challenges of
        // ≤ 74 bytes each (five iterations: folds, nonces, out-of-domain points, ≤ 148 queries).
        uint256 groups = claims.length == 0 || claims[0] > claims.length ? 0 : claims[0];
        Tr.T memory t = Tr.start(domain, 8192 + proof.length + 20480 * groups + 48 * claims.length);
        uint256 offset;
        assembly ("memory-safe") {
            offset := proof.offset
        }
        WhirOpening.verify(t, soundness, WhirOpening.readClaims(claims), offset, proof.length);
        return true;
    }
}
