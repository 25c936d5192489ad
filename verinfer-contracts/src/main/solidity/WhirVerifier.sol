// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Goldilocks as F} from "Goldilocks.sol";
import {Sha256Transcript as Tr} from "Sha256Transcript.sol";
import {MerkleSha256} from "MerkleSha256.sol";
import {ZkmlOpeningStage} from "ZkmlOpeningStage.sol";
import {ZkmlFinalStage} from "ZkmlFinalStage.sol";

/// @notice The WHIR opening verifier of verinfer-whir (WhirVerifier.java, Arnon–Chiesa–Fenzi–Yogev,
/// ePrint 2024/1586) on the EVM: it reads the Java proof bytes (WhirProof.write) unchanged, walks the
/// same Fiat–Shamir transcript, and accepts exactly the openings the Java verifier accepts. Kept apart
/// from everything else so that the commitment can change without touching the other verifier parts.
/// @dev Two passes: the first checks the byte layout as WhirProof.read does (lengths within their
/// limits and the bytes left, canonical field elements, no trailing bytes); the second verifies,
/// re-reading the now well-formed bytes. Every rejection is a revert with `Rejected(code)`.
/// `verify` runs the whole transcript and leaves the checks on the final polynomial (which read no more
/// of it) to `finish`, so that these can run in a transaction of their own (ZkmlFinalStage): the state
/// between the two is the Group, the Terms and the final polynomial's bytes.
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
    uint256 private constant SCHEDULE_RECORD = 27;
    uint256 private constant BATCH_RECORD = 12;
    /// The largest batch the contract opens (WhirProof allows 2^16 + 1 commitments in a run; verinfer proofs have a few).
    uint256 internal constant MAX_BATCH = 256;
    /// The parameter sets (SCHEDULES): 0 PROVEN_UNIQUE, 1 CONJECTURED, 2 PROVEN, 3 PROVEN_EVM, 4 CONJECTURED_EVM.
    uint256 internal constant SETS = 5;

    /// WhirParameters.schedule(n), n = 0..26, of the parameter sets in order, a set's number being its
    /// regime's (WhirParameters.Soundness ordinal): 0 PROVEN_UNIQUE, 1 CONJECTURED, 2 PROVEN (the Johnson
    /// regime at rate 1/8, which commits at most 25 variables: its record of n = 26 is zero and refused);
    /// then 3 PROVEN_EVM (PROVEN at rate 1/32, absorbed as regime 2 with its own rate: at most 23 variables) and
    /// 4 CONJECTURED_EVM (CONJECTURED at rate 1/128, 25 bits of query grinding, 25-byte Keccak-256 digests, absorbed as
    /// regime 1: at most 21 variables; PcsSecurity code 8 — code 6's set at rate 1/32 with SHA-256 trees and code 7's with
    /// 20 bits of query grinding are retired).
    /// The final-arity-4 variants measured before format 4 no longer fit beside the batched opening in 24 KB,
    /// see docs/ethereum.md. One 27-byte
    /// record each: finalVars, rounds, then per round fold, queries (2 bytes), powBits, combinePowBits;
    /// a round's vars and log2 |L| follow (n and n + logInverseRate(set), then minus the fold and max(vars + 1, log2 |L| − 2)) and so do its
    /// out-of-domain samples (those of a commitment, none in the last). WhirScheduleTableTest re-derives it.
    bytes internal constant SCHEDULES = hex"000100007f00000000000000000000000000000000000000000000000101007f00000000000000000000000000000000000000000000000102007f00000000000000000000000000000000000000000000000103007f00000000000000000000000000000000000000000000000104007f00000000000000000000000000000000000000000000010104007f00000000000000000000000000000000000000000000020104007f00000000000000000000000000000000000000000000030104007f00000000000000000000000000000000000000000000040104007f00000000000000000000000000000000000000000000050104007f00000000000000000000000000000000000000000000060104007f00000000000000000000000000000000000000000000070104007f00000000000000000000000000000000000000000000080104007f00000000000000000000000000000000000000000000090104007f000000000000000000000000000000000000000000000a0104007f00000000000000000000000000000000000000000000070204007f000004005f0000000000000000000000000000000000080204007f000004005f0000000000000000000000000000000000090204007f000004005f00000000000000000000000000000000000a0204007f000004005f0000000000000000000000000000000000070304007f000004005f0000040058000000000000000000000000080304007f000004005f0000040058000000000000000000000000090304007f000004005f00000400580000000000000000000000000a0304007f000004005f0000040058000000000000000000000000070404007f000004005f0000040058000004005700000000000000080404007f000004005f0000040058000004005700000000000000090404007f000004005f00000400580000040057000000000000000a0404007f010004005f0000040058000004005700000000000000000100002d00000000000000000000000000000000000000000000000101002d00000000000000000000000000000000000000000000000102002d00000000000000000000000000000000000000000000000103002d00000000000000000000000000000000000000000000000104002d00000000000000000000000000000000000000000000010104002d00000000000000000000000000000000000000000000020104002d00000000000000000000000000000000000000000000030104002d00000000000000000000000000000000000000000000040104002d00000000000000000000000000000000000000000000050104002d00000000000000000000000000000000000000000000060104002d00000000000000000000000000000000000000000000070104002d00000000000000000000000000000000000000000000080104002d00000000000000000000000000000000000000000000090104002d00000000000000000000000000000000000000000000060204002d00000400160000000000000000000000000000000000070204002d00010400160000000000000000000000000000000000080204002d00020400160000000000000000000000000000000000050304002d0003040016000204000f000000000000000000000000060304002d0104040016010304000f010000000000000000000000070304002d0205040016020404000f020000000000000000000000080304002d0306040016030504000f030000000000000000000000050404002d0407040016040604000f040604000c02000000000000060404002d0508040016050704000f050704000c03000000000000070404002d0609040016060804000f060804000c04000000000000080404002d070a040016070904000f070904000c05000000000000050504002d080b040016080a04000f080a04000c060704000a0400060504002d090c040016090b04000f090b04000c070804000a0500000100003d00000000000000000000000000000000000000000000000101003d00000000000000000000000000000000000000000000000102003d00000000000000000000000000000000000000000000000103003d00000000000000000000000000000000000000000000000104003d00000000000000000000000000000000000000000000010104003d00000000000000000000000000000000000000000000020104003d01000000000000000000000000000000000000000000030104003d02000000000000000000000000000000000000000000040104003d03000000000000000000000000000000000000000000050104003d04000000000000000000000000000000000000000000060104003d05000000000000000000000000000000000000000000070104003d06000000000000000000000000000000000000000000080104003d07000000000000000000000000000000000000000000090104003d08000000000000000000000000000000000000000000060204003d09000400240a00000000000000000000000000000000070204003d0a000400240b00000000000000000000000000000000080204003d0b000400240c00000000000000000000000000000000090204003d0c000400240d00000000000000000000000000000000060304003d0d000400240e0004001a0e0000000000000000000000070304003d0e000400240e0004001a0e0000000000000000000000080304003e0e000400250e0004001a0e0000000000000000000000090304003f0e000400250e0004001a0d000000000000000000000006040400400e000400250d0004001a0e000400150d00000000000007040400410d000400250e0004001b0d000400150e00000000000008040400410e000400260d0004001b0e000400150f00000000000009040400440d000400260e0004001b0f000400151000000000000000000000000000000000000000000000000000000000000000000000010000240000000000000000000000000000000000000000000000010100240100000000000000000000000000000000000000000000010200240200000000000000000000000000000000000000000000010300240300000000000000000000000000000000000000000000010400240400000000000000000000000000000000000000000001010400240500000000000000000000000000000000000000000002010400240600000000000000000000000000000000000000000003010400240700000000000000000000000000000000000000000004010400240800000000000000000000000000000000000000000005010400240900000000000000000000000000000000000000000006010400240a00000000000000000000000000000000000000000007010400240b00000000000000000000000000000000000000000008010400240c00000000000000000000000000000000000000000009010400240d00000000000000000000000000000000000000000006020400240e0004001a0e0000000000000000000000000000000007020400240e0004001a0e0000000000000000000000000000000008020400250e0004001a0e0000000000000000000000000000000009020400250e0004001a0d0000000000000000000000000000000006030400250d0004001a0e000400150d000000000000000000000007030400250e0004001b0d000400150e000000000000000000000008030400260d0004001b0e000400150f000000000000000000000009030400260e0004001b0f0004001510000000000000000000000006040400260f0004001b10000400151100040011120000000000000704040026100004001b1100040015120004001113000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000100000b00000000000000000000000000000000000000000000000101000b00000000000000000000000000000000000000000000000102000b00000000000000000000000000000000000000000000000103000b00000000000000000000000000000000000000000000000104000b00000000000000000000000000000000000000000000010104000b00000000000000000000000000000000000000000000020104000b00000000000000000000000000000000000000000000030104000b00000000000000000000000000000000000000000000040104000b00000000000000000000000000000000000000000000050104000b01000000000000000000000000000000000000000000060104000b02000000000000000000000000000000000000000000070104000b03000000000000000000000000000000000000000000080104000b04000000000000000000000000000000000000000000050204000b05060400090300000000000000000000000000000000060204000b06070400090400000000000000000000000000000000070204000b07080400090500000000000000000000000000000000080204000b08090400090600000000000000000000000000000000050304000b090a0400090708040008050000000000000000000000060304000b0a0b0400090809040008060000000000000000000000070304000b0b0c040009090a040008070000000000000000000000080304000b0c0d0400090a0b040008080000000000000000000000050404000b0d0e0400090b0c040008090a04000807000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

    /// WhirSchedule.batchPowBits(m) for m = 2..MAX_BATCH, per parameter set and n as SCHEDULES: one
    /// 12-byte record each, the bits at m = 2, the number of steps, then per step the value of m − 2 from
    /// which the bits are one more. Floating point in Java, so tabulated; WhirScheduleTableTest re-derives it.
    bytes internal constant BATCH_POW = hex"00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000017f00000000000000000000023f7f000000000000000000031f3f7f0000000000000000040f1f3f7f0000000000000005070f1f3f7f0000000000000603070f1f3f7f0000000000070103070f1f3f7f00000001070103070f1f3f7f00000002070103070f1f3f7f00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000017f00000000000000000000023f7f000000000000000000031f3f7f0000000000000000040f1f3f7f0000000000000005070f1f3f7f0000000000000603070f1f3f7f0000000000070103070f1f3f7f00000001070103070f1f3f7f00000002070103070f1f3f7f00000003070103070f1f3f7f00000004070103070f1f3f7f00000005070103070f1f3f7f00000006070103070f1f3f7f00000007070103070f1f3f7f00000008070103070f1f3f7f00000009070103070f1f3f7f0000000a070103070f1f3f7f0000000004193264c800000000000000050c193264c800000000000006060c193264c800000000000703060c193264c800000000080103060c193264c8000001080103060c193264c8000002080103060c193264c8000003080103060c193264c8000004080103060c193264c8000005080103060c193264c8000006080103060c193264c8000007080103060c193264c8000008080103060c193264c8000009080103060c193264c800000a080103060c193264c800000b080103060c193264c800000c080103060c193264c800000d080103060c193264c800000e080103060c193264c800000f080103060c193264c800000f080102050b172e5dbb00000f080102050b172f5fbf00000f080103060d1b376edc00000e080102040912254b9600000f080102040912254b9600000e080102040810214284000000000000000000000000000001080103060c193264c8000002080103060c193264c8000003080103060c193264c8000004080103060c193264c8000005080103060c193264c8000006080103060c193264c8000007080103060c193264c8000008080103060c193264c8000009080103060c193264c800000a080103060c193264c800000b080103060c193264c800000c080103060c193264c800000d080103060c193264c800000e080103060c193264c800000f080103060c193264c800000f080102050b172e5dbb00000f080102050b172f5fbf00000f080103060d1b376edc00000e080102040912254b9600000f080102040912254b9600000e08010204081021428400000f080102040810214284000010080102040810214284000011080102040810214284000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000017f00000000000000000000023f7f000000000000000000031f3f7f0000000000000000040f1f3f7f0000000000000005070f1f3f7f0000000000000603070f1f3f7f0000000000070103070f1f3f7f00000001070103070f1f3f7f00000002070103070f1f3f7f00000003070103070f1f3f7f00000004070103070f1f3f7f00000005070103070f1f3f7f00000006070103070f1f3f7f00000007070103070f1f3f7f00000008070103070f1f3f7f00000009070103070f1f3f7f0000000a070103070f1f3f7f0000000b070103070f1f3f7f0000000c070103070f1f3f7f0000000d070103070f1f3f7f0000000e070103070f1f3f7f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

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
    bytes32 private constant L_QUERY_POW_BITS = bytes32("pcs/whir/query-pow-bits") | bytes32(uint256(23));
    bytes32 private constant L_DIGEST_BYTES = bytes32("pcs/whir/digest-bytes") | bytes32(uint256(21));
    bytes32 private constant L_MERKLE_HASH = bytes32("pcs/whir/merkle-hash") | bytes32(uint256(20));
    bytes32 private constant L_BATCH_CROSS = bytes32("pcs/whir/batch-cross") | bytes32(uint256(20));
    bytes32 private constant L_BATCH_COMBINER = bytes32("pcs/whir/batch-combiner") | bytes32(uint256(23));
    /// WhirParameters.queryPowBits of sets 0–3 and of set 4 (queryPowBits): proof of work before each iteration's queries.
    uint256 private constant QUERY_POW_BITS = 14;
    uint256 private constant EVM_QUERY_POW_BITS = 25;
    /// WhirParameters.CONJECTURED_EVM.logInverseRate (set 4).
    uint256 private constant EVM_LOG_INV_RATE = 7;
    uint256 private constant MAX_CLAIMS = 1 << 16;

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
        uint256[] z0; // powers terms: the point (z, z², z⁴, …)
        uint256[] z1;
        uint256[][] pts; // other terms: the point's coordinates as (c0, c1) pairs
        uint256[] vars;
        uint256[] first;
        bool[] powers;
        /// A query's term: (log2 of the order of the root of unity ω) << 32 | (i + 1) where z = ω^i; 0 for
        /// the others. Its evaluation of f̂ is read from a table of f̂ on ⟨ω^(2^bound)⟩ (`evaluations`).
        uint256[] roots;
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
        uint256[] f0; // final coefficients (filled by `finish`)
        uint256[] f1;
        uint256 finalOffset; // where they sit in the proof's calldata (verify's call only)
        uint256 lastLogDomain; // the last round's domain and fold: its queries' points ω^q, ω of order 2^(lastLogDomain − lastFold)
        uint256 lastFold;
        uint256[] lastQueries;
        uint256[] y0; // the last round's folded values at its queries, which f̂ must match
        uint256[] y1;
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

    /// Checks `count` canonical 8-byte field elements at pos: four a calldata word, as e ≥ p iff
    /// e + 2^32 − 1 ≥ 2^64 (p = 2^64 − 2^32 + 1) — the word's lanes at bits 0–63 and 128–191 masked out
    /// and increased by 2^32 − 1 at once, then the other two shifted there, each carry landing in a zero
    /// bit (64 or 192); the last count mod 4 one by one.
    function canonical(uint256 pos, uint256 end, uint256 count) private pure returns (uint256) {
        need(pos, end, 8 * count);
        bool bad;
        assembly ("memory-safe") {
            let lanes := 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff
            let plus := 0x000000000000000000000000ffffffff000000000000000000000000ffffffff
            let acc := 0
            let quads := add(pos, shl(5, shr(2, count)))
            for { let a := pos } lt(a, quads) { a := add(a, 32) } {
                let w := calldataload(a)
                acc := or(acc, or(add(and(w, lanes), plus), add(and(shr(64, w), lanes), plus)))
            }
            bad := iszero(iszero(and(acc, 0x0000000000000001000000000000000000000000000000010000000000000000)))
            for { let a := quads } lt(a, add(pos, shl(3, count))) { a := add(a, 8) } {
                bad := or(bad, iszero(lt(shr(192, calldataload(a)), P)))
            }
        }
        if (bad) reject(3);
        return pos + 8 * count;
    }

    function readExts(uint256 pos, uint256 end, uint256 max) private pure returns (uint256 n, uint256) {
        (n, pos) = readLength(pos, end, max);
        return (n, canonical(pos, end, 2 * n));
    }

    /// Pass 1: WhirProof.read. Returns the offset of each group's first byte and of its final polynomial.
    function layout(uint256 pos, uint256 end, uint256 digest) internal pure returns (uint256[] memory starts, uint256[] memory finals) {
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
            uint256 others;
            (others, pos) = readLength(pos, end, MAX_GROUPS);
            if (others > 0) {
                for (uint256 j = 0; j < others; j++) {
                    (n, pos) = readLength(pos, end, 32);
                    need(pos, end, n);
                    pos += n;
                    (, pos) = readExts(pos, end, MAX_OOD);
                }
                (, pos) = readExts(pos, end, MAX_CLAIMS);
                (, pos) = readLong(pos, end);
                for (uint256 j = 0; j < others; j++) pos = skipOpened(pos, end, digest);
            }
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
                (, pos) = readLong(pos, end);
                pos = skipOpened(pos, end, digest);
                (, pos) = readLong(pos, end);
            }
            finals[g] = pos;
            (, pos) = readExts(pos, end, MAX_FINAL);
        }
        if (pos != end) reject(4);
    }

    /// Queried fibres (canonical) and their Merkle multi-proof.
    function skipOpened(uint256 pos, uint256 end, uint256 digest) private pure returns (uint256) {
        uint256 fibres;
        uint256 n;
        (fibres, pos) = readLength(pos, end, MAX_QUERIES);
        uint256 code;
        assembly ("memory-safe") {
            // The fibres: per fibre readLength (MAX_FIBRE) and `canonical` on its values, the first fault's code as
            // theirs; a Yul function left by `leave` (never inlined), so one loop without a call a fibre.
            pos, code := opened(pos, end, fibres)

            function opened(p, e, c) -> q, f {
                let lanes := 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff
                let plus := 0x000000000000000000000000ffffffff000000000000000000000000ffffffff
                q := p
                for {} 1 { c := sub(c, 1) } {
                    if iszero(c) { leave }
                    if gt(4, sub(e, q)) {
                        f := 1
                        leave
                    }
                    let m := shr(224, calldataload(q))
                    q := add(q, 4)
                    if gt(m, MAX_FIBRE) {
                        f := 2
                        leave
                    }
                    if gt(shl(3, m), sub(e, q)) {
                        f := 1
                        leave
                    }
                    let acc := 0
                    let quads := add(q, shl(5, shr(2, m)))
                    for {} lt(q, quads) { q := add(q, 32) } {
                        let w := calldataload(q)
                        acc := or(acc, or(add(and(w, lanes), plus), add(and(shr(64, w), lanes), plus)))
                    }
                    let bad := and(acc, 0x0000000000000001000000000000000000000000000000010000000000000000)
                    for { let last := add(q, shl(3, and(m, 3))) } lt(q, last) { q := add(q, 8) } {
                        bad := or(bad, iszero(lt(shr(192, calldataload(q)), P)))
                    }
                    if bad {
                        f := 3
                        leave
                    }
                }
            }
        }
        if (code != 0) reject(code);
        (n, pos) = readLength(pos, end, MAX_SIBLINGS);
        need(pos, end, digest * n);
        return pos + digest * n;
    }

    // ---- the schedule ----

    /// Where SCHEDULES and BATCH_POW start in the code of WhirTables (after its STOP byte).
    uint256 internal constant SCHEDULES_AT = 1;
    uint256 internal constant BATCH_POW_AT = 1 + SETS * (MAX_NUM_VARS + 1) * SCHEDULE_RECORD;

    /// The 32 bytes from byte `from` of the record of (set, n) in the table at byte `start` of `tables`' code
    /// (WhirTables: packed records of `size` bytes in SCHEDULES's order, per set, n = 0..MAX_NUM_VARS); the
    /// record's fields are its high bytes. Past the code's end EXTCODECOPY reads zeros.
    function recordWord(address tables, uint256 start, uint256 size, uint256 set, uint256 n, uint256 from) private view returns (uint256 w) {
        assembly ("memory-safe") {
            extcodecopy(tables, 0, add(start, add(mul(add(mul(set, add(MAX_NUM_VARS, 1)), n), size), from)), 32)
            w := mload(0)
        }
    }

    /// WhirParameters.logInverseRate of set `set`: 3 for PROVEN (2), 5 for PROVEN_EVM (3) and CONJECTURED_EVM (4), 2 for the others.
    function logInverseRate(uint256 set) internal pure returns (uint256) {
        return set == 2 ? 3 : set == 4 ? EVM_LOG_INV_RATE : set > 2 ? 5 : 2;
    }

    /// WhirParameters.queryPowBits of set `set`.
    function queryPowBits(uint256 set) private pure returns (uint256) {
        return set == 4 ? EVM_QUERY_POW_BITS : QUERY_POW_BITS;
    }

    /// WhirParameters.oodSamples of set `set`: none at the unique-decoding radius (0), two in the list regimes.
    function oodSamples(uint256 set) internal pure returns (uint256) {
        return set == 0 ? 0 : 2;
    }

    function schedule(address tables, uint256 set, uint256 n) internal view returns (uint256 finalVars, Round[] memory rounds) {
        // WhirParameters.maxNumVars: the largest domain is 2^28.
        if (n + logInverseRate(set) > 28) reject(11);
        uint256 w = recordWord(tables, SCHEDULES_AT, SCHEDULE_RECORD, set, n, 0);
        finalVars = w >> 248;
        rounds = new Round[]((w >> 240) & 0xff);
        uint256 vars = n;
        uint256 logDomain = n + logInverseRate(set);
        uint256 ood = oodSamples(set);
        for (uint256 i = 0; i < rounds.length; i++) {
            unchecked {
                w = recordWord(tables, SCHEDULES_AT, SCHEDULE_RECORD, set, n, 2 + 5 * i);
            }
            uint256 fold = w >> 248;
            rounds[i] = Round(vars, logDomain, fold, (w >> 232) & 0xffff, i + 1 == rounds.length ? 0 : ood, (w >> 224) & 0xff, (w >> 216) & 0xff);
            vars -= fold;
            logDomain = logDomain - 2 > vars + 1 ? logDomain - 2 : vars + 1; // WhirParameters.DOMAIN_REDUCTION
        }
    }

    /// WhirTranscript.absorbParameters of parameter set `set` (its regime, its rate).
    function absorbParameters(Tr.T memory t, uint256 set) internal pure {
        t.absorbField(L_SOUNDNESS, set == 3 ? 2 : set == 4 ? 1 : set); // the regime: PROVEN_EVM's is PROVEN's (the Johnson bound), CONJECTURED_EVM's CONJECTURED's
        t.absorbField(L_LOG_INV_RATE, logInverseRate(set));
        t.absorbField(L_FOLDING, 4);
        t.absorbField(L_FINAL_VARS, 10);
        t.absorbField(L_SECURITY, 100);
        t.absorbField(L_QUERY_POW_BITS, queryPowBits(set));
        if (set >= 2) t.absorbField(L_DIGEST_BYTES, 25);
        if (set == 4) t.absorbField(L_MERKLE_HASH, 1); // WhirTranscript: MerkleHash.KECCAK256's ordinal, absorbed only when not SHA-256
    }

    /// WhirParameters.digestBytes of set `set`: PROVEN's (2), PROVEN_EVM's (3) and CONJECTURED_EVM's (4) Merkle hashes are truncated to 25 bytes.
    function digestBytes(uint256 set) internal pure returns (uint256) {
        return set >= 2 ? 25 : 32;
    }

    /// digestBytes(set), | 256 when the set's WhirParameters.merkleHash is KECCAK256 (CONJECTURED_EVM's, set 4; the
    /// others' are SHA-256): the word MerkleSha256 reads from bit 128 of a sibling offset.
    function merkle(uint256 set) private pure returns (uint256) {
        return digestBytes(set) | (set == 4 ? 256 : 0);
    }

    /// WhirSchedule.batchPowBits(m) of parameter set `set` at n variables, m ≥ 2: BATCH_POW's record is
    /// the bits at m = 2 then the values of m − 2 at which they grow by one, ascending.
    function batchPowBits(address tables, uint256 set, uint256 n, uint256 m) internal view returns (uint256 bits) {
        uint256 w = recordWord(tables, BATCH_POW_AT, BATCH_RECORD, set, n, 0);
        bits = w >> 248;
        uint256 steps = (w >> 240) & 0xff;
        for (uint256 i = 0; i < steps; i++) {
            unchecked {
                w = recordWord(tables, BATCH_POW_AT, BATCH_RECORD, set, n, 2 + i);
            }
            if (w >> 248 > m - 2) break;
            bits++;
        }
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

    /// A run's commitments (components; the first is the group's own root): per component j its
    /// Merkle root, commit-time answers, arity n_j, first round's shape, μ^j and (j ≥ 1) its opened
    /// iteration-0 fibres and multi-proof.
    struct Batch {
        uint256 m;
        bytes32[] roots;
        uint256[] oodOffsets;
        uint256[] vars;
        uint256[] firstClaim;
        uint256[] logDomain;
        uint256[] fold;
        uint256[] mu0;
        uint256[] mu1;
        uint256[] fibreCount;
        uint256[] fibreOffset;
        uint256[] siblingCount;
        uint256[] siblingOffset; // calldata offset | merkle << 128 (MerkleSha256.verify)
        uint256 merkle; // merkle(set): WhirParameters.digestBytes, the bytes of each Merkle hash and sibling, | 256 for Keccak-256
        uint256 queryPow; // WhirParameters.queryPowBits
        address tables; // WhirTables
    }

    /// WhirVerifier.verify on a proof without hiding groups: every plain commitment (one per distinct
    /// (root, numVars) in order of first appearance) is opened in the proof's one run. Returns what
    /// `finish` checks: the opening is valid iff `finish` accepts it too.
    function verify(Tr.T memory t, address tables, uint256 set, Claims memory cl, uint256 proofOffset, uint256 proofLength)
        internal
        view
        returns (Group memory, Terms memory)
    {
        uint256 end = proofOffset + proofLength;
        (uint256[] memory starts, uint256[] memory finals) = layout(proofOffset, end, digestBytes(set));
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
        if (starts.length != 1) reject(12);
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
        return verifyRun(t, set, cl, groupOf, groups, starts[0], finals[0], end, tables);
    }

    /// Reads component j's Merkle root and commit-time answers and checks their digest is its public root.
    function readComponent(Batch memory b, uint256 j, uint256 commitOod, Claims memory cl, uint256 pos, uint256 end) private view returns (uint256) {
        uint256 len;
        (len, pos) = readLength(pos, end, 32);
        if (len != 32) reject(20);
        b.roots[j] = bytes32(word(pos));
        pos += 32;
        (len, pos) = readLength(pos, end, MAX_OOD);
        if (len != commitOod) reject(21);
        b.oodOffsets[j] = pos;
        if (commitmentDigest(b.roots[j], pos, len) != cl.roots[b.firstClaim[j]]) reject(22);
        return pos + 16 * len;
    }

    function newBatch(uint256 m) private pure returns (Batch memory b) {
        b.m = m;
        b.roots = new bytes32[](m);
        b.oodOffsets = new uint256[](m);
        b.vars = new uint256[](m);
        b.firstClaim = new uint256[](m);
        b.logDomain = new uint256[](m);
        b.fold = new uint256[](m);
        b.mu0 = new uint256[](m);
        b.mu1 = new uint256[](m);
        b.fibreCount = new uint256[](m);
        b.fibreOffset = new uint256[](m);
        b.siblingCount = new uint256[](m);
        b.siblingOffset = new uint256[](m);
    }

    function verifyRun(Tr.T memory t, uint256 set, Claims memory cl, uint256[] memory groupOf, uint256 m, uint256 pos, uint256 finalPos, uint256 end, address tables)
        private
        view
        returns (Group memory gr, Terms memory terms)
    {
        Batch memory b = newBatch(m);
        b.merkle = merkle(set);
        b.queryPow = queryPowBits(set);
        b.tables = tables;
        for (uint256 i = cl.roots.length; i > 0; i--) {
            b.firstClaim[groupOf[i - 1]] = i - 1;
            b.vars[groupOf[i - 1]] = cl.vars[i - 1];
            if (cl.vars[i - 1] > gr.n) gr.n = cl.vars[i - 1];
        }
        Round[] memory rounds;
        (gr.finalVars, rounds) = schedule(tables, set, gr.n);
        for (uint256 j = 0; j < m; j++) {
            (, Round[] memory own) = schedule(tables, set, b.vars[j]);
            (b.logDomain[j], b.fold[j]) = (own[0].logDomain, own[0].fold);
        }
        uint256 commitOod = oodSamples(set);
        pos = readComponent(b, 0, commitOod, cl, pos, end);
        uint256 len;
        (len, pos) = readLength(pos, end, MAX_GROUPS);
        if (len != m - 1) reject(25);
        if (m > MAX_BATCH) reject(28);
        for (uint256 j = 1; j < m; j++) pos = readComponent(b, j, commitOod, cl, pos, end);
        for (uint256 j = 0; j < m; j++) {
            t.header(Tr.TAG_BYTES, L_MERKLE_ROOT, 32);
            t.putWord(b.roots[j]);
            t.absorbExtsCalldata(L_COMMIT_OOD, b.oodOffsets[j], commitOod);
        }
        gr.root = b.roots[0];
        (len, finalPos) = readLength(finalPos, end, MAX_FINAL);
        if (len != 1 << gr.finalVars) reject(24);
        gr.finalOffset = finalPos;
        {
            uint256 maxTerms = cl.roots.length + m * commitOod;
            for (uint256 i = 0; i < rounds.length; i++) maxTerms += rounds[i].ood + rounds[i].queries;
            terms = Terms(0, new uint256[](maxTerms), new uint256[](maxTerms), new uint256[](maxTerms), new uint256[](maxTerms), new uint256[][](maxTerms), new uint256[](maxTerms), new uint256[](maxTerms), new bool[](maxTerms), new uint256[](maxTerms));
        }
        (uint256[] memory v0, uint256[] memory v1, uint256[] memory owner) = constraints(set, cl, groupOf, b, terms, gr.n, commitOod);
        if (m > 1) pos = combine(t, set, gr.n, b, v0, v1, owner, pos, end);
        (len, pos) = readLength(pos, end, MAX_ROUNDS);
        if (len != rounds.length) reject(23);
        (uint256 b0, uint256 b1) = t.challengeExtCompact(L_CLAIM_COMBINER);
        (uint256 c0, uint256 c1) = (uint256(1), uint256(0));
        for (uint256 k = 0; k < terms.count; k++) {
            (terms.c0[k], terms.c1[k]) = (c0, c1);
            (uint256 m0, uint256 m1) = F.emul(c0, c1, v0[k], v1[k]);
            (gr.sigma0, gr.sigma1) = F.eadd(gr.sigma0, gr.sigma1, m0, m1);
            (c0, c1) = F.emul(c0, c1, b0, b1);
        }
        gr.ch0 = new uint256[](gr.n);
        gr.ch1 = new uint256[](gr.n);
        for (uint256 i = 0; i < rounds.length; i++) {
            pos = round(t, gr, terms, rounds, i, pos, end, b);
        }
        trim(terms);
    }

    /// The term arrays cut to the terms there are (they were allocated for the most a schedule can add:
    /// the last round adds none), so that a hand-over of them carries no empty slots.
    function trim(Terms memory terms) private pure {
        uint256 n = terms.count;
        uint256[] memory c0 = terms.c0;
        uint256[] memory c1 = terms.c1;
        uint256[] memory z0 = terms.z0;
        uint256[] memory z1 = terms.z1;
        uint256[][] memory pts = terms.pts;
        uint256[] memory vars = terms.vars;
        uint256[] memory first = terms.first;
        bool[] memory powers = terms.powers;
        uint256[] memory roots = terms.roots;
        assembly ("memory-safe") {
            mstore(c0, n)
            mstore(c1, n)
            mstore(z0, n)
            mstore(z1, n)
            mstore(pts, n)
            mstore(vars, n)
            mstore(first, n)
            mstore(powers, n)
            mstore(roots, n)
        }
    }

    /// ZkmlOpeningStage's hand-over to ZkmlFinalStage, packed (it is stage 4's calldata: 16 gas a non-zero
    /// byte, 4 a zero one, where abi.encode spent a 32-byte word on every 8-byte value): nine words (n,
    /// finalVars, root, σ0, σ1, chCount, lastLogDomain, lastFold, the terms' count), then the arrays ch0, ch1,
    /// lastQueries, y0, y1, c0, c1, z0, z1, vars, first, powers, roots, then pts' count and its arrays, each an
    /// 8-byte length and 8-byte values; then the final polynomial's bytes as the proof holds them ((c0, c1),
    /// 8 bytes each; from `verify`'s calldata at gr.finalOffset). Every value is below 2^64 (field elements,
    /// indices, counts; a root's order << 32 | index), which a revert (Rejected(24)) checks rather than assumes.
    function handover(Group memory gr, Terms memory t) internal pure returns (bytes memory h) {
        uint256 bad;
        assembly ("memory-safe") {
            // one array at o: its length, then its values, 8 bytes each; their OR into acc
            // (four values a word while four are left: a value of 2^64 or more garbles the word, and the OR refuses it)
            function put(o, a, acc) -> r, u {
                let n := mload(a)
                mstore(o, shl(192, n))
                r := add(o, 8)
                u := or(acc, n)
                let e := add(a, 32)
                let end := add(e, shl(5, n))
                for { let end4 := sub(end, and(shl(5, n), 96)) } lt(e, end4) { e := add(e, 128) } {
                    let v0 := mload(e)
                    let v1 := mload(add(e, 32))
                    let v2 := mload(add(e, 64))
                    let v3 := mload(add(e, 96))
                    u := or(u, or(or(v0, v1), or(v2, v3)))
                    mstore(r, or(or(shl(192, v0), shl(128, v1)), or(shl(64, v2), v3)))
                    r := add(r, 32)
                }
                for {} lt(e, end) { e := add(e, 32) } {
                    let v := mload(e)
                    u := or(u, v)
                    mstore(r, shl(192, v))
                    r := add(r, 8)
                }
            }
            h := mload(0x40)
            let o := add(h, 32)
            mcopy(o, gr, 160) // n, finalVars, root, σ0, σ1
            mstore(add(o, 160), mload(add(gr, 224))) // chCount
            mcopy(add(o, 192), add(gr, 352), 64) // lastLogDomain, lastFold
            mstore(add(o, 256), mload(t)) // count
            o := add(o, 288)
            let acc := 0
            o, acc := put(o, mload(add(gr, 160)), acc)
            o, acc := put(o, mload(add(gr, 192)), acc)
            for { let i := 416 } lt(i, 512) { i := add(i, 32) } {
                o, acc := put(o, mload(add(gr, i)), acc) // lastQueries, y0, y1
            }
            for { let i := 32 } lt(i, 320) { i := add(i, 32) } {
                if iszero(eq(i, 160)) {
                    o, acc := put(o, mload(add(t, i)), acc) // c0, c1, z0, z1, vars, first, powers, roots
                }
            }
            let pts := mload(add(t, 160))
            mstore(o, shl(192, mload(pts)))
            o := add(o, 8)
            for { let i := 0 } lt(i, mload(pts)) { i := add(i, 1) } {
                o, acc := put(o, mload(add(pts, shl(5, add(i, 1)))), acc)
            }
            let c := shl(4, shl(mload(add(gr, 32)), 1))
            mstore(o, shl(192, c))
            calldatacopy(add(o, 8), mload(add(gr, 320)), c)
            o := add(add(o, 8), c)
            bad := shr(64, acc)
            mstore(h, sub(o, add(h, 32)))
            mstore(0x40, and(add(o, 31), not(31)))
        }
        if (bad != 0) reject(24);
    }

    /// The hand-over `handover` packed, read back: the Group (f0, f1 left empty: `finish` fills them, and
    /// finalOffset 0), the Terms, the final polynomial's bytes. It is trusted only by its hash (the
    /// session's), so nothing is validated here but that every array stays below 2^24 words.
    function readHandover(bytes calldata h) internal pure returns (Group memory gr, Terms memory t, bytes memory coefficients) {
        uint256 at;
        assembly ("memory-safe") {
            at := h.offset
        }
        (gr.n, gr.finalVars, gr.root, gr.sigma0, gr.sigma1) = (word(at), word(at + 32), bytes32(word(at + 64)), word(at + 96), word(at + 128));
        (gr.chCount, gr.lastLogDomain, gr.lastFold, t.count) = (word(at + 160), word(at + 192), word(at + 224), word(at + 256));
        at += 288;
        (gr.ch0, at) = packed(at);
        (gr.ch1, at) = packed(at);
        (gr.lastQueries, at) = packed(at);
        (gr.y0, at) = packed(at);
        (gr.y1, at) = packed(at);
        (t.c0, at) = packed(at);
        (t.c1, at) = packed(at);
        (t.z0, at) = packed(at);
        (t.z1, at) = packed(at);
        (t.vars, at) = packed(at);
        (t.first, at) = packed(at);
        uint256[] memory powers;
        (powers, at) = packed(at);
        bool[] memory b;
        assembly ("memory-safe") {
            b := powers
        }
        t.powers = b;
        (t.roots, at) = packed(at);
        uint256 n = word(at) >> 192;
        if (n >= 1 << 24) reject(24);
        at += 8;
        t.pts = new uint256[][](n);
        for (uint256 i = 0; i < n; i++) {
            (t.pts[i], at) = packed(at);
        }
        n = word(at) >> 192;
        if (n >= 1 << 24) reject(24);
        coefficients = new bytes(n);
        assembly ("memory-safe") {
            calldatacopy(add(coefficients, 32), add(at, 8), n)
        }
    }

    /// The array `handover` packed at calldata `at` (an 8-byte length, 8-byte values), and where the next begins.
    function packed(uint256 at) private pure returns (uint256[] memory a, uint256 next) {
        uint256 n = word(at) >> 192;
        if (n >= 1 << 24) reject(24);
        assembly ("memory-safe") {
            a := mload(0x40)
            mstore(a, n)
            let e := add(a, 32)
            next := add(at, 8)
            let end := add(e, shl(5, n))
            // four values a calldata word while four are left, then one by one
            for { let end4 := sub(end, and(shl(5, n), 96)) } lt(e, end4) { e := add(e, 128) } {
                let w := calldataload(next)
                mstore(e, shr(192, w))
                mstore(add(e, 32), and(shr(128, w), 0xFFFFFFFFFFFFFFFF))
                mstore(add(e, 64), and(shr(64, w), 0xFFFFFFFFFFFFFFFF))
                mstore(add(e, 96), and(w, 0xFFFFFFFFFFFFFFFF))
                next := add(next, 32)
            }
            for {} lt(e, end) { e := add(e, 32) } {
                mstore(e, shr(192, calldataload(next)))
                next := add(next, 8)
            }
            mstore(0x40, e)
        }
    }

    /// The checks `verify` left, on the final polynomial f̂ (`coefficients`, as finalCoefficients reads
    /// them): each of the last round's folded values is f̂ at its query's point, and σ is the weight
    /// terms' sum Σ c·eq(p_bound, α_since)·f̂(p_rest). Reverts with Rejected unless both hold; the opening
    /// is valid iff they do.
    function finish(Group memory gr, Terms memory terms, bytes memory coefficients) internal pure {
        uint256 len = 1 << gr.finalVars;
        if (coefficients.length != 16 * len) reject(24);
        gr.f0 = new uint256[](len);
        gr.f1 = new uint256[](len);
        uint256[] memory f0 = gr.f0;
        uint256[] memory f1 = gr.f1;
        bool bad;
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, len) { i := add(i, 1) } {
                let w := mload(add(add(coefficients, 32), shl(4, i)))
                let c0 := shr(192, w)
                let c1 := and(shr(128, w), 0xFFFFFFFFFFFFFFFF)
                bad := or(bad, or(iszero(lt(c0, P)), iszero(lt(c1, P))))
                mstore(add(f0, shl(5, add(i, 1))), c0)
                mstore(add(f1, shl(5, add(i, 1))), c1)
            }
        }
        if (bad) reject(3);
        {
            uint256 n = gr.lastQueries.length;
            Evaluator memory e = evaluator(gr, gr.lastLogDomain - gr.lastFold, n);
            for (uint256 k = 0; k < n; k++) {
                (uint256 v0, uint256 v1) = valueAt(e, gr, gr.lastQueries[k]);
                if (v0 != gr.y0[k] || v1 != gr.y1[k]) reject(51);
            }
        }
        finalCheck(gr, terms);
    }

    /// Each component's claims then its commit-time out-of-domain constraints, at points lifted to n
    /// variables (Batching.lift: zeros first), with the component's own values and owners.
    function constraints(uint256 set, Claims memory cl, uint256[] memory groupOf, Batch memory b, Terms memory terms, uint256 n, uint256 commitOod)
        private
        view
        returns (uint256[] memory v0, uint256[] memory v1, uint256[] memory owner)
    {
        uint256 total = cl.roots.length + b.m * commitOod;
        v0 = new uint256[](total);
        v1 = new uint256[](total);
        owner = new uint256[](total);
        for (uint256 j = 0; j < b.m; j++) {
            uint256 nj = b.vars[j];
            for (uint256 i = b.firstClaim[j]; i < cl.roots.length; i++) {
                if (groupOf[i] != j) continue;
                uint256 k = terms.count;
                addTerm(terms, 0, 0, 0, 0, n, 0, false);
                uint256[] memory p = new uint256[](2 * n);
                for (uint256 e = 0; e < 2 * nj; e++) p[2 * (n - nj) + e] = word(cl.point[i] + 32 * e);
                terms.pts[k] = p;
                (v0[k], v1[k], owner[k]) = (cl.v0[i], cl.v1[i], j);
            }
            if (commitOod == 0) continue;
            Tr.T memory o = Tr.start("verinfer-whir-commit-ood-v1", 1024);
            absorbParameters(o, set);
            o.absorbField(L_WHIR_NUM_VARS, nj);
            o.header(Tr.TAG_BYTES, L_MERKLE_ROOT, 32);
            o.putWord(b.roots[j]);
            for (uint256 q = 0; q < commitOod; q++) {
                (uint256 z0, uint256 z1) = o.challengeExtCompact(L_OOD_POINT);
                uint256 k = terms.count;
                if (nj == n) {
                    addTerm(terms, 0, 0, z0, z1, n, 0, true);
                } else {
                    addTerm(terms, 0, 0, 0, 0, n, 0, false);
                    uint256[] memory p = new uint256[](2 * n);
                    for (uint256 e = n - nj; e < n; e++) {
                        (p[2 * e], p[2 * e + 1]) = (z0, z1);
                        (z0, z1) = F.emul(z0, z1, z0, z1);
                    }
                    terms.pts[k] = p;
                }
                uint256 at = b.oodOffsets[j] + 16 * q;
                (v0[k], v1[k], owner[k]) = (u64(at), u64(at + 8), j);
            }
        }
    }

    /// The cross values, the batch proof of work and μ: each constraint's value becomes
    /// Σ_i μ^i·(its owner's value when i is the owner, else the next cross value); then the further
    /// components' opened iteration-0 fibres are located.
    function combine(Tr.T memory t, uint256 set, uint256 n, Batch memory b, uint256[] memory v0, uint256[] memory v1, uint256[] memory owner, uint256 pos, uint256 end)
        private
        view
        returns (uint256)
    {
        uint256 len;
        (len, pos) = readLength(pos, end, MAX_CLAIMS);
        if (len != v0.length * (b.m - 1)) reject(26);
        uint256 cross = pos;
        t.absorbExtsCalldata(L_BATCH_CROSS, cross, len);
        pos += 16 * len;
        uint256 nonce;
        (nonce, pos) = readLong(pos, end);
        grind(t, batchPowBits(b.tables, set, n, b.m), nonce);
        (uint256 u0, uint256 u1) = t.challengeExtCompact(L_BATCH_COMBINER);
        (b.mu0[0], b.mu1[0]) = (1, 0);
        for (uint256 j = 1; j < b.m; j++) (b.mu0[j], b.mu1[j]) = F.emul(b.mu0[j - 1], b.mu1[j - 1], u0, u1);
        for (uint256 c = 0; c < v0.length; c++) {
            (uint256 s0, uint256 s1) = (uint256(0), uint256(0));
            for (uint256 i = 0; i < b.m; i++) {
                (uint256 x0, uint256 x1) = i == owner[c] ? (v0[c], v1[c]) : (u64(cross), u64(cross + 8));
                if (i != owner[c]) cross += 16;
                (x0, x1) = F.emul(b.mu0[i], b.mu1[i], x0, x1);
                (s0, s1) = F.eadd(s0, s1, x0, x1);
            }
            (v0[c], v1[c]) = (s0, s1);
        }
        for (uint256 j = 1; j < b.m; j++) {
            (b.fibreCount[j], pos) = readLength(pos, end, MAX_QUERIES);
            b.fibreOffset[j] = pos;
            pos = skipFibres(pos, end, b.fibreCount[j], 1 << b.fold[j], 27);
            (b.siblingCount[j], pos) = readLength(pos, end, MAX_SIBLINGS);
            b.siblingOffset[j] = pos | (b.merkle << 128);
            pos += (b.merkle & 0xff) * b.siblingCount[j];
        }
        return pos;
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

    struct QueryTerms {
        uint256[] queries;
        uint256[] y0;
        uint256[] y1;
        uint256 omegas;
        uint256 vars;
        uint256 c0; // γ's power of the first query's term
        uint256 c1;
        uint256 g0; // γ
        uint256 g1;
    }

    /// A round's query terms, addTerm's and the σ update's work in one block: per query q (k-th), the term
    /// (c, z = (ω^(2^fold))^q, vars, the challenges so far, a powers term) with root ((logDomain − fold) << 32 | (q + 1)),
    /// σ += c·y_k, c ·= γ. A fibre's points' 2^fold-th powers are its powers: ω^(2^fold) = F.rootOfUnity(logDomain −
    /// fold) (logDomain ≤ MAX_NUM_VARS + 2 < 32, so both are exact roots of unity); z by `powerAt`'s digit tables.
    /// The term arrays were allocated for every query a round can draw (verifyRun's maxTerms).
    function queryTerms(Group memory gr, Terms memory terms, Round memory r, QueryTerms memory a) private pure {
        uint256 k0 = terms.count;
        uint256 nq = a.queries.length;
        require(k0 + nq <= terms.c0.length && nq <= a.y0.length && nq <= a.y1.length);
        (uint256 s0, uint256 s1) = (gr.sigma0, gr.sigma1);
        uint256 first = gr.chCount;
        uint256 fold = r.fold;
        uint256 rootHi = (r.logDomain - fold) << 32;
        assembly ("memory-safe") {
            // Three loops, each a Yul function left by `leave` (never inlined): their variables on their own stacks,
            // not in the stage's spill slots. Term k0 + k sits at word k0 + k + 1 of each of the Terms' arrays (c0 at
            // terms + 32, c1 + 64, z0 + 96, vars + 192, first + 224, powers + 256, roots + 288); a's queries, y0, y1,
            // omegas, vars, c0, c1, g0, g1 at a + 0, 32, …, 256.
            let at := shl(5, add(k0, 1))
            s0, s1 := coefficients(terms, a, at, nq, s0, s1)
            points(terms, a, at, nq, fold, rootHi)
            constants(terms, at, nq, mload(add(a, 128)), first)

            /// per k < n: the term's γ-power c, σ += c·y_k, c ·= γ
            function coefficients(tm, qt, o, n, t0, t1) -> r0, r1 {
                r0 := t0
                r1 := t1
                let p := add(mload(add(tm, 32)), o)
                let dc := sub(mload(add(tm, 64)), mload(add(tm, 32)))
                let y := add(mload(add(qt, 32)), 32)
                let dy := sub(mload(add(qt, 64)), mload(add(qt, 32)))
                let c0 := mload(add(qt, 160))
                let c1 := mload(add(qt, 192))
                let g0 := mload(add(qt, 224))
                let g1 := mload(add(qt, 256))
                for { let end := add(p, shl(5, n)) } 1 {} {
                    if iszero(lt(p, end)) { leave }
                    mstore(p, c0)
                    mstore(add(p, dc), c1)
                    let v0 := mload(y)
                    let v1 := mload(add(y, dy))
                    r0 := addmod(r0, mod(add(mul(c0, v0), mul(mul(7, c1), v1)), P), P)
                    r1 := addmod(r1, mod(add(mul(c0, v1), mul(c1, v0)), P), P)
                    let n0 := mod(add(mul(c0, g0), mul(mul(7, c1), g1)), P)
                    c1 := mod(add(mul(c0, g1), mul(c1, g0)), P)
                    c0 := n0
                    p := add(p, 32)
                    y := add(y, 32)
                }
            }

            /// per k < n, q = queries[k]: z = ω'^q by the digit tables (a's omegas), root hi | (q + 1)
            function points(tm, qt, o, n, f, hi) {
                let z := add(mload(add(tm, 96)), o)
                let dr := sub(mload(add(tm, 288)), mload(add(tm, 96)))
                let qp := add(mload(qt), 32)
                let tab := mload(add(qt, 96))
                let emask := sub(shl(mload(tab), 1), 1)
                tab := add(tab, 32)
                for { let end := add(qp, shl(5, n)) } 1 {} {
                    if iszero(lt(qp, end)) { leave }
                    let q := mload(qp)
                    let e := and(shl(f, q), emask)
                    let t := tab
                    let v := mload(add(t, shl(5, and(e, 31))))
                    e := shr(5, e)
                    for {} e {} {
                        t := add(t, 1024)
                        v := mulmod(v, mload(add(t, shl(5, and(e, 31)))), P)
                        e := shr(5, e)
                    }
                    mstore(z, v)
                    mstore(add(z, dr), or(hi, add(q, 1)))
                    qp := add(qp, 32)
                    z := add(z, 32)
                }
            }

            /// per k < n: vars, first, a powers term
            function constants(tm, o, n, vars, fst) {
                let p := add(mload(add(tm, 192)), o)
                let df := sub(mload(add(tm, 224)), mload(add(tm, 192)))
                let dp := sub(mload(add(tm, 256)), mload(add(tm, 192)))
                for { let end := add(p, shl(5, n)) } 1 {} {
                    if iszero(lt(p, end)) { leave }
                    mstore(p, vars)
                    mstore(add(p, df), fst)
                    mstore(add(p, dp), 1)
                    p := add(p, 32)
                }
            }
        }
        (gr.sigma0, gr.sigma1) = (s0, s1);
        terms.count = k0 + nq;
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
        uint256 queryNonce;
        uint256 fibreCount;
        uint256 fibreOffset;
        uint256 siblingCount;
        uint256 siblingOffset; // calldata offset | merkle << 128 (MerkleSha256.verify)
        uint256 combineNonce;
    }

    /// Past `count` fibres at pos, each an int length (readLength's checks, MAX_FIBRE) that must be `width`
    /// (else Rejected(`wrong`)), then its 8-byte values: the loops of `combine` and `readRound` in one block, the
    /// first failing fibre's code as theirs.
    function skipFibres(uint256 pos, uint256 end, uint256 count, uint256 width, uint256 wrong) private pure returns (uint256) {
        uint256 code;
        assembly ("memory-safe") {
            // a Yul function left by `leave`, never inlined: its loop state on its own stack, not in spill slots
            pos, code := skip(pos, end, count, width, wrong)

            function skip(p, e, c, w, bad) -> q, f {
                q := p
                for { let k := 0 } lt(k, c) { k := add(k, 1) } {
                    if gt(4, sub(e, q)) {
                        f := 1
                        leave
                    }
                    let n := shr(224, calldataload(q))
                    q := add(q, 4)
                    if gt(n, 128) { // MAX_FIBRE
                        f := 2
                        leave
                    }
                    if iszero(eq(n, w)) {
                        f := bad
                        leave
                    }
                    q := add(q, shl(3, n))
                }
            }
        }
        if (code != 0) reject(code);
        return pos;
    }

    function readRound(Round memory r, bool last, uint256 width, uint256 merkleWord, uint256 pos, uint256 end) private pure returns (RoundData memory d, uint256) {
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
        (d.queryNonce, pos) = readLong(pos, end);
        (d.fibreCount, pos) = readLength(pos, end, MAX_QUERIES);
        d.fibreOffset = pos;
        pos = skipFibres(pos, end, d.fibreCount, width, 43);
        (d.siblingCount, pos) = readLength(pos, end, MAX_SIBLINGS);
        d.siblingOffset = pos | (merkleWord << 128);
        pos += (merkleWord & 0xff) * d.siblingCount;
        (d.combineNonce, pos) = readLong(pos, end);
        return (d, pos);
    }

    function round(Tr.T memory t, Group memory gr, Terms memory terms, Round[] memory rounds, uint256 i, uint256 pos, uint256 end, Batch memory b)
        private
        view
        returns (uint256)
    {
        uint256 free;
        assembly ("memory-safe") {
            free := mload(0x40)
        }
        Round memory r = rounds[i];
        bool last = i == rounds.length - 1;
        bool batched = i == 0 && b.m > 1;
        RoundData memory d;
        (d, pos) = readRound(r, last, batched ? 1 << b.fold[0] : uint256(i > 0 ? 2 : 1) << r.fold, b.merkle, pos, end);
        uint256[] memory a0 = new uint256[](r.fold);
        uint256[] memory a1 = new uint256[](r.fold);
        for (uint256 s = 0; s < r.fold; s++) {
            uint256 o = d.sumOffset + 32 * s;
            t.absorbExtsCalldata(L_SUMCHECK, o, 2);
            grind(t, r.powBits, r.powBits > 0 ? u64(d.nonceOffset + 8 * s) : 0);
            (a0[s], a1[s]) = t.challengeExtCompact(L_FOLD);
            (gr.sigma0, gr.sigma1) = quadratic(gr.sigma0, gr.sigma1, o, a0[s], a1[s]);
            gr.ch0[gr.chCount] = a0[s];
            gr.ch1[gr.chCount++] = a1[s];
        }
        uint256[] memory ood0 = new uint256[](r.ood);
        uint256[] memory ood1 = new uint256[](r.ood);
        if (last) {
            t.absorbExtsCalldata(L_FINAL, gr.finalOffset, 1 << gr.finalVars);
        } else {
            t.header(Tr.TAG_BYTES, L_NEXT_ROOT, 32);
            t.putWord(bytes32(d.nextRoot));
            for (uint256 k = 0; k < r.ood; k++) (ood0[k], ood1[k]) = t.challengeExtCompact(L_OOD_POINT);
            t.absorbExtsCalldata(L_OOD_ANSWER, d.oodOffset, r.ood);
        }
        grind(t, b.queryPow, d.queryNonce);
        uint256[] memory queries = sortedDistinct(t.challengeIndices(L_QUERIES, r.queries, 1 << (r.logDomain - r.fold)), 1 << (r.logDomain - r.fold));
        uint256[] memory y0;
        uint256[] memory y1;
        uint256 omegas = powers(F.rootOfUnity(r.logDomain), r.logDomain);
        if (batched) {
            (b.fibreCount[0], b.fibreOffset[0], b.siblingCount[0], b.siblingOffset[0]) = (d.fibreCount, d.fibreOffset, d.siblingCount, d.siblingOffset);
            (y0, y1) = openBatch(b, r, queries, a0, a1, omegas);
        } else {
            (y0, y1) = openFibres(gr.root, r, i > 0, d, queries, a0, a1, omegas);
        }
        if (last) {
            if (d.combineNonce != 0) reject(50);
            (gr.lastLogDomain, gr.lastFold, gr.lastQueries, gr.y0, gr.y1) = (r.logDomain, r.fold, queries, y0, y1);
        } else {
            uint256 vars = rounds[i + 1].vars;
            grind(t, r.combinePowBits, d.combineNonce);
            (uint256 g0, uint256 g1) = t.challengeExtCompact(L_COMBINER);
            (uint256 c0, uint256 c1) = (g0, g1);
            for (uint256 k = 0; k < r.ood; k++) {
                addTerm(terms, c0, c1, ood0[k], ood1[k], vars, gr.chCount, true);
                (uint256 m0, uint256 m1) = F.emul(c0, c1, u64(d.oodOffset + 16 * k), u64(d.oodOffset + 16 * k + 8));
                (gr.sigma0, gr.sigma1) = F.eadd(gr.sigma0, gr.sigma1, m0, m1);
                (c0, c1) = F.emul(c0, c1, g0, g1);
            }
            queryTerms(gr, terms, r, QueryTerms(queries, y0, y1, omegas, vars, c0, c1, g0, g1));
            gr.root = bytes32(d.nextRoot);
            // Nothing this round allocated is read after it (its terms, challenges and σ went into arrays allocated
            // before it; the last round's queries and values, kept in gr, are not given back): its memory is given
            // back, but for the transcript's buffer if that moved or grew meanwhile (Tr.memoryEnd).
            uint256 keep = Tr.memoryEnd(t);
            if (keep < free) keep = free;
            assembly ("memory-safe") {
                mstore(0x40, keep)
            }
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

    /// log2 of 2^j by 2^j mod 269 (2 has order 268 modulo the prime 269, so the 256 residues differ): byte r is j.
    bytes private constant LOG2_MOD_269 = hex"0000016d02d06e1303dad1e66f8e14310469dbdfd280e7b070948f3b15bb320005476ae3dc38e0fbd3c881fee89eb120712695d690c43caa1640bccb330c00ed065248846b11e42fddae3900e1f9fc1ed4a8c9eb822dff1ce91a9fa1b26421a3727a27b49600d7669144c5233d4faba517774174bd5ccc7c34c00d290058eeb6075f539849f285006ccf12d9e58d3068de7faf933aba0046e237fac7fd9d1f25d5c3a93fca0bec5183102ead00f81da7ea2c1b19a063a279b3006543224ea476735b7bbf2857b55e97f100ced88c677e92b94536c69c24c23e0a500facf7a62b18627800424d755abe565df0cd8b7db8359bc1090ef62a61004c5955ef8ab79a08f5604b548999f44a88f38786";

    /// The indices sorted without repeats: through a bitmap of the index range when it is at most 2^18
    /// (≤ 1,024 words) and a summary bitmap of its non-zero words (≤ 4 words), so that only the words that hold an
    /// index are visited; a set bit's index by LOG2_MOD_269. Else by insertion sort.
    function sortedDistinct(uint256[] memory a, uint256 bound) private pure returns (uint256[] memory) {
        uint256 n = a.length;
        if (bound <= 1 << 18) {
            bytes memory logs = LOG2_MOD_269;
            uint256[] memory bits = new uint256[](4 + ((bound + 255) >> 8));
            assembly ("memory-safe") {
                let sm := add(bits, 32) // the summary: bit w mod 256 of word w >> 8 for each non-zero word w
                let b := add(sm, 128)
                let lg := add(logs, 32)
                let base := add(a, 32)
                for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                    let v := mload(add(base, shl(5, i)))
                    let w := shr(8, v)
                    let at := add(b, shl(5, w))
                    mstore(at, or(mload(at), shl(and(v, 255), 1)))
                    at := add(sm, shl(5, shr(8, w)))
                    mstore(at, or(mload(at), shl(and(w, 255), 1)))
                }
                let m := 0
                for { let k := 0 } lt(k, 4) { k := add(k, 1) } {
                    for { let x := mload(add(sm, shl(5, k))) } x {} {
                        let low := and(x, sub(0, x))
                        let w := add(shl(8, k), byte(0, mload(add(lg, mod(low, 269)))))
                        for { let y := mload(add(b, shl(5, w))) } y {} {
                            let l := and(y, sub(0, y))
                            mstore(add(base, shl(5, m)), add(shl(8, w), byte(0, mload(add(lg, mod(l, 269))))))
                            m := add(m, 1)
                            y := xor(y, l)
                        }
                        x := xor(x, low)
                    }
                }
                mstore(a, m)
                mstore(0x40, logs) // the table and the bitmaps, the last allocations, given back: later allocations reuse their memory
            }
            return a;
        }
        assembly ("memory-safe") {
            // by pointers: p the next value's, q the hole's, m the next distinct value's
            let base := add(a, 32)
            let end := add(base, shl(5, n))
            for { let p := add(base, 32) } lt(p, end) { p := add(p, 32) } {
                let v := mload(p)
                let q := p
                for {} gt(q, base) { q := sub(q, 32) } {
                    let u := mload(sub(q, 32))
                    if iszero(gt(u, v)) { break }
                    mstore(q, u)
                }
                mstore(q, v)
            }
            let m := base
            for { let p := base } lt(p, end) { p := add(p, 32) } {
                let v := mload(p)
                if or(eq(m, base), iszero(eq(v, mload(sub(m, 32))))) {
                    mstore(m, v)
                    m := add(m, 32)
                }
            }
            mstore(a, shr(5, sub(m, base)))
        }
        return a;
    }

    function openFibres(bytes32 root, Round memory r, bool ext, RoundData memory d, uint256[] memory queries, uint256[] memory a0, uint256[] memory a1, uint256 omegas)
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
        uint256 zetaInv = F.pow(F.rootOfUnity(r.fold), (1 << r.fold) - 1);
        uint256[] memory v0 = new uint256[](1 << r.fold);
        uint256[] memory v1 = new uint256[](1 << r.fold);
        uint256 at = d.fibreOffset;
        for (uint256 k = 0; k < n; k++) {
            leaves[k] = MerkleSha256.leafCalldata(at + 4, 8 * width, d.siblingOffset);
            loadFibre(at + 4, ext, v0, v1);
            (y0[k], y1[k]) = foldMemory(v0, v1, a0, a1, powerAt(omegas, (1 << r.logDomain) - queries[k]), zetaInv);
            at += 4 + 8 * width;
        }
        if (!MerkleSha256.verify(root, 1 << (r.logDomain - r.fold), queries, leaves, d.siblingOffset, d.siblingCount)) reject(61);
    }

    /// Iteration 0 of a batched run (WhirVerifier.Batch#open, Batching.fibre): each component's leaves
    /// (q mod its fibre count, distinct, ascending) checked against its root, then per query F's fibre
    /// Σ_j μ^j·(component j's codeword at ω^(q + p·|L|/2^k), read from its leaf) folded.
    function openBatch(Batch memory b, Round memory r, uint256[] memory queries, uint256[] memory a0, uint256[] memory a1, uint256 omegas)
        private
        view
        returns (uint256[] memory y0, uint256[] memory y1)
    {
        uint256 n = queries.length;
        uint256[][] memory leaves = new uint256[][](b.m);
        for (uint256 j = 0; j < b.m; j++) {
            uint256 logFibres = b.logDomain[j] - b.fold[j];
            uint256[] memory idx;
            assembly ("memory-safe") {
                idx := mload(0x40)
                mstore(idx, n)
                let mask := sub(shl(logFibres, 1), 1)
                for { let o := shl(5, n) } o { o := sub(o, 32) } {
                    mstore(add(idx, o), and(mload(add(queries, o)), mask))
                }
                mstore(0x40, add(idx, shl(5, add(n, 1))))
            }
            idx = sortedDistinct(idx, 1 << logFibres);
            uint256 count = idx.length;
            if (b.fibreCount[j] != count) reject(62);
            // The leaves' digests H(0x00 ‖ fibre): fibre k's values sit at `at` + k·(4 + width), after its
            // 4-byte length (combine and readRound checked them).
            uint256 at = b.fibreOffset[j] + 4;
            uint256 width = 8 << b.fold[j];
            bytes32[] memory hashes;
            uint256 keccak = b.merkle >> 8;
            assembly ("memory-safe") {
                hashes := mload(0x40)
                let m := add(hashes, shl(5, add(count, 1)))
                mstore(hashes, count)
                mstore(0x40, m)
                mstore8(m, 0)
                // the hash chosen once, not per leaf (as MerkleSha256.verify's walk)
                switch keccak
                case 0 {
                    for { let o := 32 } iszero(gt(o, shl(5, count))) { o := add(o, 32) } {
                        calldatacopy(add(m, 1), at, width)
                        if iszero(staticcall(gas(), 2, m, add(width, 1), add(hashes, o), 32)) { revert(0, 0) }
                        at := add(at, add(width, 4))
                    }
                }
                default {
                    for { let o := 32 } iszero(gt(o, shl(5, count))) { o := add(o, 32) } {
                        calldatacopy(add(m, 1), at, width)
                        mstore(add(hashes, o), keccak256(m, add(width, 1)))
                        at := add(at, add(width, 4))
                    }
                }
            }
            leaves[j] = idx;
            if (!MerkleSha256.verify(b.roots[j], 1 << logFibres, idx, hashes, b.siblingOffset[j], b.siblingCount[j])) reject(63);
        }
        y0 = new uint256[](n);
        y1 = new uint256[](n);
        uint256 size = 1 << r.fold;
        uint256[] memory v0 = new uint256[](size);
        uint256[] memory v1 = new uint256[](size);
        uint256 zetaInv = F.pow(F.rootOfUnity(r.fold), size - 1);
        // Per component: its leaves' indices, the fibre mask, log2 of its fibre count, where its fibres start, a
        // fibre's bytes with its length, the domain mask, μ^j (eight words at recs + 256·j).
        // (logDomain − fold was taken for each component above, and logDomain ≤ MAX_NUM_VARS + 3)
        uint256[] memory recs = new uint256[](8 * b.m);
        {
            uint256 m = b.m;
            uint256[] memory ld = b.logDomain;
            uint256[] memory fd = b.fold;
            uint256[] memory fo = b.fibreOffset;
            uint256[] memory mu0 = b.mu0;
            uint256[] memory mu1 = b.mu1;
            assembly ("memory-safe") {
                for { let o := 32 } iszero(gt(o, shl(5, m))) { o := add(o, 32) } {
                    let rec := add(recs, sub(shl(3, o), 224))
                    let lf := sub(mload(add(ld, o)), mload(add(fd, o)))
                    mstore(rec, mload(add(leaves, o)))
                    mstore(add(rec, 32), sub(shl(lf, 1), 1))
                    mstore(add(rec, 64), lf)
                    mstore(add(rec, 96), add(mload(add(fo, o)), 4))
                    mstore(add(rec, 128), add(4, shl(mload(add(fd, o)), 8)))
                    mstore(add(rec, 160), sub(shl(mload(add(ld, o)), 1), 1))
                    mstore(add(rec, 192), mload(add(mu0, o)))
                    mstore(add(rec, 224), mload(add(mu1, o)))
                }
            }
        }
        uint256 shift = r.logDomain - r.fold;
        for (uint256 k = 0; k < n; k++) {
            uint256 q = queries[k];
            gather(v0, v1, recs, q, shift);
            (y0[k], y1[k]) = foldMemory(v0, v1, a0, a1, powerAt(omegas, (1 << r.logDomain) - q), zetaInv);
        }
    }

    /// v = Σ_j μ^j·(component j's codeword at ω^(q + p·2^shift), p < |v|), each read from its leaf: the fibre
    /// holding position i sits at index i >> logFibres of the leaf whose fibre index is i mod its fibre count,
    /// found by a binary search in the component's ascending leaf indices (q's own is there by construction).
    /// The positions are stepped (i += 2^shift, masked where read), v walked by one pointer (v1 at a fixed
    /// offset), the first component written (its μ^0 is 1: v = (value, 0)) and the others added in loops of their
    /// own, a sum v + μ·value < 2^129 reduced by one MOD.
    function gather(uint256[] memory v0, uint256[] memory v1, uint256[] memory recs, uint256 q, uint256 shift) private pure {
        assembly ("memory-safe") {
            let pp := 0xFFFFFFFF00000001
            let dv := sub(v1, v0)
            let vend := add(v0, shl(5, add(mload(v0), 1)))
            let step := shl(shift, 1)
            let end := add(recs, shl(5, mload(recs)))
            for { let rec := add(recs, 32) } lt(rec, end) { rec := add(rec, 256) } {
                let a := mload(rec)
                let key := and(q, mload(add(rec, 32)))
                let lo := 0
                for { let hi := sub(mload(a), 1) } lt(lo, hi) {} {
                    let mid := shr(1, add(lo, hi))
                    switch lt(mload(add(a, shl(5, add(mid, 1)))), key)
                    case 1 { lo := add(mid, 1) }
                    default { hi := mid }
                }
                let off := add(mload(add(rec, 96)), mul(lo, mload(add(rec, 128))))
                let logFibres := mload(add(rec, 64))
                let mask := mload(add(rec, 160))
                let m0 := mload(add(rec, 192))
                let m1 := mload(add(rec, 224))
                let i := q
                switch eq(rec, add(recs, 32))
                case 1 {
                    // v1 zeroed at once (calldata read past its end is zeros). When the positions q + p·2^shift (p < |v|)
                    // all lie below the mask's bound and a fibre's index is their top bits (logFibres = shift, q <
                    // 2^shift), position p is value p of one fibre: read in a row, four values a word (4 divides |v|).
                    calldatacopy(add(v0, add(dv, 32)), calldatasize(), sub(vend, add(v0, 32)))
                    let n := mload(v0)
                    if and(and(eq(logFibres, shift), lt(q, step)), and(iszero(and(n, 3)), iszero(gt(add(q, mul(sub(n, 1), step)), mask)))) {
                        for { let x := add(v0, 32) } lt(x, vend) { x := add(x, 128) } {
                            let w := calldataload(off)
                            mstore(x, shr(192, w))
                            mstore(add(x, 32), and(shr(128, w), 0xFFFFFFFFFFFFFFFF))
                            mstore(add(x, 64), and(shr(64, w), 0xFFFFFFFFFFFFFFFF))
                            mstore(add(x, 96), and(w, 0xFFFFFFFFFFFFFFFF))
                            off := add(off, 32)
                        }
                        continue
                    }
                    for { let x := add(v0, 32) } lt(x, vend) { x := add(x, 32) } {
                        mstore(x, shr(192, calldataload(add(off, shl(3, shr(logFibres, and(i, mask)))))))
                        i := add(i, step)
                    }
                }
                default {
                    // mask = 2^L − 1 and step = 2^shift, so position q + p·step repeats with period T = (mask >> shift) + 1
                    // (T·step ≡ 0 mod 2^L): each of the first min(T, |v|) positions read once, its products μ·v added
                    // to every T-th value from it
                    let stride := shl(5, add(shr(shift, mask), 1))
                    let rows := add(v0, add(32, stride))
                    if gt(rows, vend) { rows := vend }
                    for { let x0 := add(v0, 32) } lt(x0, rows) { x0 := add(x0, 32) } {
                        let v := shr(192, calldataload(add(off, shl(3, shr(logFibres, and(i, mask))))))
                        i := add(i, step)
                        let a0 := mul(m0, v)
                        let a1 := mul(m1, v)
                        for { let x := x0 } lt(x, vend) { x := add(x, stride) } {
                            mstore(x, mod(add(mload(x), a0), pp))
                            let y := add(x, dv)
                            mstore(y, mod(add(mload(y), a1), pp))
                        }
                    }
                }
            }
        }
    }

    /// Tables of ω's powers for exponents below 2^bits, ω of order 2^bits: per 5-bit digit i of the exponent
    /// the 32 values ω^(j·2^(5i)), j < 32 (`tab` holds bits, then the tables), so that a power
    /// is ⌈bits/5⌉ − 1 products where square-and-multiply took two a bit (≈ 1.8 k gas at 20 bits). Five bits
    /// (2026-12-05): a table entry costs ≈ 3 look-up products, and a round of ≈ 125 look-ups builds 160 entries
    /// at 21 bits against 384 with 7-bit digits.
    function powers(uint256 omega, uint256 bits) private pure returns (uint256 tab) {
        uint256 digits = (bits + 4) / 5;
        assembly ("memory-safe") {
            tab := mload(0x40)
            mstore(tab, bits)
            let t := add(tab, 32)
            mstore(0x40, add(t, shl(10, digits)))
            let b := omega
            for { let i := 0 } lt(i, digits) { i := add(i, 1) } {
                let v := 1
                let e := add(t, shl(10, i))
                for { let j := 0 } lt(j, 32) { j := add(j, 1) } {
                    mstore(add(e, shl(5, j)), v)
                    v := mulmod(v, b, P)
                }
                b := v // b^32
            }
        }
    }

    /// ω^e from `powers`' tables; e taken mod 2^bits (ω^(2^bits) = 1).
    function powerAt(uint256 tab, uint256 e) private pure returns (uint256 r) {
        assembly ("memory-safe") {
            e := and(e, sub(shl(mload(tab), 1), 1))
            let t := add(tab, 32)
            r := mload(add(t, shl(5, and(e, 31))))
            e := shr(5, e)
            for {} e {} {
                t := add(t, 1024)
                r := mulmod(r, mload(add(t, shl(5, and(e, 31)))), P)
                e := shr(5, e)
            }
        }
    }

    /// The fibre at calldata `at` (8-byte base values, or (c0, c1) pairs when `ext`) into v0, v1.
    function loadFibre(uint256 at, bool ext, uint256[] memory v0, uint256[] memory v1) private pure {
        assembly ("memory-safe") {
            let p := add(v0, 32)
            let d := sub(v1, v0)
            let end := add(p, shl(5, mload(v0)))
            switch ext
            case 0 {
                for {} lt(p, end) { p := add(p, 32) } {
                    mstore(p, shr(192, calldataload(at)))
                    mstore(add(p, d), 0)
                    at := add(at, 8)
                }
            }
            default { pairs(p, end, at, d) }

            /// two values a calldata word (c0 ‖ c1 ‖ c0' ‖ c1'), each lane shifted to the top and back down; a Yul
            /// function left by `leave` (never inlined), so that its pointers stay on its own stack
            function pairs(x, e, a, dx) {
                for { let last := sub(e, and(sub(e, x), 63)) } 1 { x := add(x, 64) } {
                    if iszero(lt(x, last)) {
                        if lt(x, e) {
                            let w := calldataload(a)
                            mstore(x, shr(192, w))
                            mstore(add(x, dx), shr(192, shl(64, w)))
                        }
                        leave
                    }
                    let w := calldataload(a)
                    mstore(x, shr(192, w))
                    mstore(add(x, dx), shr(192, shl(64, w)))
                    mstore(add(x, 32), shr(192, shl(128, w)))
                    mstore(add(add(x, dx), 32), shr(192, shl(192, w)))
                    a := add(a, 32)
                }
            }
        }
    }

    /// Codewords.foldFibre on the fibre in v0, v1 (overwritten): pairs x and −x,
    /// f̂_e(x²) + α·f̂_o(x²) = (a + b)/2 + α·(a − b)/(2x), computed doubled, as (a + b) + (a − b)·A with A = α/x
    /// (an extension element, stepped by ζ^(−1) along the level): every level doubles the values, so the result
    /// is 2^(−levels) times the last level's. A sum (a + b) + s0·A0 + s1·7A1 with a, b, A reduced and s = a + p − b
    /// is below 2^133: one MOD a half. The butterfly walks one pointer into v0 and reaches the other three values
    /// by fixed offsets (v1 − v0, half the level), so that few values stay on the stack.
    function foldMemory(uint256[] memory v0, uint256[] memory v1, uint256[] memory a0, uint256[] memory a1, uint256 xInv, uint256 zetaInv)
        private
        pure
        returns (uint256 r0, uint256 r1)
    {
        assembly ("memory-safe") {
            let base := add(v0, 32)
            let dv := sub(v1, v0)
            let da := sub(a1, a0)
            let hoff := shl(4, mload(v0)) // half a level, in bytes
            let ap := add(a0, 32)
            let scale := 1
            for { let aend := add(ap, shl(5, mload(a0))) } lt(ap, aend) { ap := add(ap, 32) } {
                let A0 := mulmod(mload(ap), xInv, 0xFFFFFFFF00000001)
                let A1 := mulmod(mload(add(ap, da)), xInv, 0xFFFFFFFF00000001)
                for { let x := base let end := add(base, hoff) } lt(x, end) { x := add(x, 32) } {
                    let y := add(x, hoff)
                    let x0 := mload(x)
                    let y0 := mload(y)
                    let x1 := mload(add(x, dv))
                    let y1 := mload(add(y, dv))
                    let s0 := add(x0, sub(0xFFFFFFFF00000001, y0))
                    let s1 := add(x1, sub(0xFFFFFFFF00000001, y1))
                    mstore(x, mod(add(add(x0, y0), add(mul(s0, A0), mul(s1, mul(7, A1)))), 0xFFFFFFFF00000001))
                    mstore(add(x, dv), mod(add(add(x1, y1), add(mul(s0, A1), mul(s1, A0))), 0xFFFFFFFF00000001))
                    A0 := mulmod(A0, zetaInv, 0xFFFFFFFF00000001)
                    A1 := mulmod(A1, zetaInv, 0xFFFFFFFF00000001)
                }
                hoff := shr(1, hoff)
                xInv := mulmod(xInv, xInv, 0xFFFFFFFF00000001)
                zetaInv := mulmod(zetaInv, zetaInv, 0xFFFFFFFF00000001)
                scale := mulmod(scale, 0x7FFFFFFF80000001, 0xFFFFFFFF00000001)
            }
            r0 := mulmod(mload(base), scale, 0xFFFFFFFF00000001)
            r1 := mulmod(mload(add(base, dv)), scale, 0xFFFFFFFF00000001)
        }
    }

    /// f̂(y) = Σ c_i y^i for a base-field y < p, both halves of the coefficients (f0, f1, of one length) in
    /// one pass, eight coefficients a step: a·y⁸ + c₇y⁷ + … + c₀ with every factor below p < 2^64 is below
    /// 2^132, so one MOD serves eight (2026-12-04: 34 gas a coefficient and half against 40 with the halves
    /// in two passes, whose loop each paid alone; b's products are written operand-swapped, else the
    /// optimizer makes one function of the two identical blocks and pays a call per block).
    function hornerBase(uint256[] memory f0, uint256[] memory f1, uint256 y) private pure returns (uint256 a, uint256 b) {
        assembly ("memory-safe") {
            let pp := 0xFFFFFFFF00000001
            let y2 := mulmod(y, y, pp)
            let y3 := mulmod(y2, y, pp)
            let y4 := mulmod(y3, y, pp)
            let y5 := mulmod(y4, y, pp)
            let y6 := mulmod(y5, y, pp)
            let y7 := mulmod(y6, y, pp)
            let y8 := mulmod(y7, y, pp)
            let d := sub(f1, f0)
            // q = f0 + 32·i: c_i … c_{i+7} at q + 32 … q + 256, the other half's d bytes on
            let q := add(f0, shl(5, mload(f0)))
            // the loop's bound recomputed a block, not kept: a value fewer on the stack, whose spills cost more
            for {} gt(q, add(f0, 224)) {} {
                q := sub(q, 256)
                a := mod(
                    add(
                        add(add(mul(a, y8), mul(mload(add(q, 256)), y7)), add(mul(mload(add(q, 224)), y6), mul(mload(add(q, 192)), y5))),
                        add(add(mul(mload(add(q, 160)), y4), mul(mload(add(q, 128)), y3)), add(add(mul(mload(add(q, 96)), y2), mul(mload(add(q, 64)), y)), mload(add(q, 32))))
                    ),
                    pp
                )
                let r := add(q, d)
                b := mod(
                    add(
                        add(add(mul(y8, b), mul(y7, mload(add(r, 256)))), add(mul(y6, mload(add(r, 224))), mul(y5, mload(add(r, 192))))),
                        add(add(mul(y4, mload(add(r, 160))), mul(y3, mload(add(r, 128)))), add(add(mul(y2, mload(add(r, 96))), mul(y, mload(add(r, 64)))), mload(add(r, 32))))
                    ),
                    pp
                )
            }
            for {} gt(q, f0) { q := sub(q, 32) } {
                a := mod(add(mul(a, y), mload(q)), pp)
                b := mod(add(mul(b, y), mload(add(q, d))), pp)
            }
        }
    }

    /// f̂ on the whole subgroup ⟨ω⟩ of order 2^l (ω = F.rootOfUnity(l)), f̂ of 2^k coefficients (f0, f1
    /// its halves, k ≤ 10), as a table for `valueAt`: with n = 2^min(k, l), ⟨ω⟩ is the 2^l/n cosets
    /// ω^s·⟨ω^(2^l/n)⟩ of the subgroup of order n, and f̂(ω^s·ω_n^t) = Σ_i a_i·ω_n^(it), a_i = Σ_{m ≡ i mod n}
    /// c_m·ω^(sm): one size-n NTT per coset (coefficients shifted by ω^s when l ≥ k, folded mod X^n − 1
    /// when l < k). The NTT is radix-2 decimation in frequency (Gentleman–Sande: u, v → u + v,
    /// (u − v)·ω_2h^j), so coset s's row holds its values in bit-reversed order of t. Reductions are lazy: a
    /// sum is left unreduced (≤ 2^k·p < 2^74 after all stages), a difference is taken as u + BIG − v with
    /// BIG = 2^12·p above every such v and reduced by its twiddle's MULMOD. The values and each table word
    /// pack a value's halves (c0 << 128 | c1).
    function evaluations(uint256[] memory f0, uint256[] memory f1, uint256 k, uint256 l) private pure returns (uint256 table) {
        uint256 kk = l < k ? l : k;
        uint256 n = 1 << kk;
        uint256 omega = F.rootOfUnity(l);
        uint256 tw;
        uint256 a;
        assembly ("memory-safe") {
            table := mload(0x40)
            tw := add(table, shl(5, shl(l, 1))) // ω_n^j for j < n/2
            a := add(tw, shl(4, n)) // a coset's a_i, packed
            mstore(0x40, add(a, shl(5, n)))
        }
        twiddles(tw, n, F.rootOfUnity(kk));
        uint256 g = 1; // ω^s
        for (uint256 row = table; row < tw; row += 32 * n) {
            if (l < k) foldCoefficients(f0, f1, a, n);
            else shiftCoefficients(f0, f1, a, n, g);
            nttDif(a, n, tw);
            reduceRow(a, n, row);
            g = mulmod(g, omega, P);
        }
    }

    function twiddles(uint256 tw, uint256 n, uint256 omegaN) private pure {
        assembly ("memory-safe") {
            let w := 1
            for { let j := 0 } lt(j, shr(1, n)) { j := add(j, 1) } {
                mstore(add(tw, shl(5, j)), w)
                w := mulmod(w, omegaN, 0xFFFFFFFF00000001)
            }
        }
    }

    /// a_i = Σ_{m ≡ i mod n} c_m, packed (each half unreduced: < 2^(k − l)·p).
    function foldCoefficients(uint256[] memory f0, uint256[] memory f1, uint256 a, uint256 n) private pure {
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                mstore(add(a, shl(5, i)), 0)
            }
            let len := mload(f0)
            for { let m := 0 } lt(m, len) { m := add(m, 1) } {
                let at := add(a, shl(5, and(m, sub(n, 1))))
                let o := shl(5, add(m, 1))
                mstore(at, add(mload(at), or(shl(128, mload(add(f0, o))), mload(add(f1, o)))))
            }
        }
    }

    /// a_i = c_i·g^i, packed (n = the coefficients' count).
    function shiftCoefficients(uint256[] memory f0, uint256[] memory f1, uint256 a, uint256 n, uint256 g) private pure {
        assembly ("memory-safe") {
            let pp := 0xFFFFFFFF00000001
            let d := sub(f1, f0)
            let e := sub(a, add(f0, 32))
            let x := 1
            for { let p := add(f0, 32) } lt(p, add(f0, shl(5, add(n, 1)))) { p := add(p, 32) } {
                mstore(add(p, e), or(shl(128, mulmod(mload(p), x, pp)), mulmod(mload(add(p, d)), x, pp)))
                x := mulmod(x, g, pp)
            }
        }
    }

    /// The size-n DIF NTT of the packed values at `a`, in place (bit-reversed output). Both halves ride in
    /// one word (c0 << 128 | c1; every half stays below 2^77, so no carry or borrow crosses): u + v is one
    /// ADD, u + BIG − v one SUB and ADD with BIG = 2^12·p in each half, then a MULMOD per half.
    function nttDif(uint256 a, uint256 n, uint256 tw) private pure {
        assembly ("memory-safe") {
            let aEnd := add(a, shl(5, n))
            for { let half := shr(1, n) } half { half := shr(1, half) } {
                let step := shl(5, half)
                let stride := shl(5, div(shr(1, n), half))
                for { let j := 0 } lt(j, half) { j := add(j, 1) } {
                    let t := mload(add(tw, mul(j, stride)))
                    for { let pu := add(a, shl(5, j)) } lt(pu, aEnd) { pu := add(pu, shl(1, step)) } {
                        let u := mload(pu)
                        let pv := add(pu, step)
                        let v := mload(pv)
                        mstore(pu, add(u, v))
                        let x := add(u, sub(0xffffffff000000010000000000000000ffffffff00000001000, v))
                        mstore(pv, or(shl(128, mulmod(shr(128, x), t, 0xFFFFFFFF00000001)), mulmod(and(x, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF), t, 0xFFFFFFFF00000001)))
                    }
                }
            }
        }
    }

    /// The row's words c0 << 128 | c1, each half reduced.
    function reduceRow(uint256 a, uint256 n, uint256 row) private pure {
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, shl(5, n)) { i := add(i, 32) } {
                let w := mload(add(a, i))
                mstore(add(row, i), or(shl(128, mod(shr(128, w), 0xFFFFFFFF00000001)), mod(and(w, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF), 0xFFFFFFFF00000001)))
            }
        }
    }

    /// f̂ at many points ω^q of one subgroup ⟨ω⟩ of order 2^l (ω = F.rootOfUnity(l)), f̂ of 2^k
    /// coefficients: with A = 2^a, f̂(y) = Σ_{j<A} y^j·H_j(y^A), H_j(u) = Σ_i c_{j+A·i}·u^i of 2^(k − a)
    /// coefficients, and y^A = (ω^A)^q lies in ⟨ω^A⟩ of order 2^(l − a): each H_j is tabulated there
    /// (`evaluations`), and a point's value is A Horner steps in y over its row of the tables — the
    /// output-pruned Cooley–Tukey split of f̂ on ⟨ω⟩. a = 0 is one table of f̂ on ⟨ω⟩, a = k plain Horner
    /// (`tables` empty); `evaluator` picks the cheapest for the number of points.
    struct Evaluator {
        uint256 l;
        uint256 a;
        uint256 omega;
        uint256[] tables;
        uint256 powers; // `powers` of omega
    }

    /// The evaluator of ⟨ω⟩ (order 2^l) for `count` points: the a of least gas by a model fitted to
    /// anvil's gas for 127 points of a 2^12-subgroup with k = 10 (a = 2..8, 2026-12-03): ≈ 67 a coefficient
    /// for Horner's count·2^k; else ≈ 564 a table value (2^l in all: loading, reducing, memory), ≈ 172 a
    /// butterfly (2^(l − 1)·k' of them, k' = min(k, l) − a), ≈ 2,050 a coset's NTT (2^(l − k')), ≈ 250 a
    /// coefficient (split, shifted or folded) and ≈ 175 a Horner step over a point's row (count·2^a).
    function evaluator(Group memory gr, uint256 l, uint256 count) private pure returns (Evaluator memory e) {
        uint256 k = gr.finalVars;
        (e.l, e.a, e.omega) = (l, k, F.rootOfUnity(l));
        e.powers = powers(e.omega, l);
        uint256 best = count * 67 << k;
        for (uint256 a = 0; a < k && a <= l; a++) {
            uint256 kk = (l < k ? l : k) - a;
            uint256 cost = ((86 * kk + 564) << l) + (2050 << (l - kk)) + (250 << k) + (count * 175 << a);
            if (cost < best) (best, e.a) = (cost, a);
        }
        if (e.a == k) return e;
        uint256 size = 1 << (k - e.a);
        e.tables = new uint256[](1 << e.a);
        uint256 h0 = split(gr.f0, e.a);
        uint256 h1 = split(gr.f1, e.a);
        for (uint256 j = 0; j < e.tables.length; j++) {
            uint256[] memory s0;
            uint256[] memory s1;
            assembly ("memory-safe") {
                s0 := add(h0, mul(j, shl(5, add(size, 1))))
                s1 := add(h1, mul(j, shl(5, add(size, 1))))
            }
            e.tables[j] = evaluations(s0, s1, k - e.a, l - e.a);
        }
    }

    /// The coefficients c_{j + 2^a·i} of each H_j as a memory array of their own, one after the other
    /// (2^a arrays of |f|/2^a words and their length).
    function split(uint256[] memory f, uint256 a) private pure returns (uint256 h) {
        assembly ("memory-safe") {
            let size := shr(a, mload(f))
            h := mload(0x40)
            mstore(0x40, add(h, shl(5, mul(shl(a, 1), add(size, 1)))))
            for { let j := 0 } lt(j, shl(a, 1)) { j := add(j, 1) } {
                let s := add(h, shl(5, mul(j, add(size, 1))))
                mstore(s, size)
                for { let i := 0 } lt(i, size) { i := add(i, 1) } {
                    mstore(add(s, shl(5, add(i, 1))), mload(add(f, shl(5, add(add(j, shl(a, i)), 1)))))
                }
            }
        }
    }

    /// f̂(ω^q) by the evaluator `e`.
    function valueAt(Evaluator memory e, Group memory gr, uint256 q) private pure returns (uint256 v0, uint256 v1) {
        uint256 y = powerAt(e.powers, q);
        if (e.tables.length == 0) return hornerBase(gr.f0, gr.f1, y);
        uint256 l = e.l - e.a;
        uint256 kk = gr.finalVars - e.a;
        if (l < kk) kk = l;
        uint256[] memory tables = e.tables;
        assembly ("memory-safe") {
            // `evaluations`'s layout: coset q mod 2^(l − kk) at the bit reversal (kk bits) of its index q >> (l − kk)
            let j := and(q, sub(shl(l, 1), 1))
            let t := shr(sub(l, kk), j)
            let r := 0
            for { let b := 0 } lt(b, kk) { b := add(b, 1) } {
                r := or(shl(1, r), and(t, 1))
                t := shr(1, t)
            }
            let pos := shl(5, or(shl(kk, and(j, sub(shl(sub(l, kk), 1), 1))), r))
            for { let i := mload(tables) } i { i := sub(i, 1) } {
                let w := mload(add(mload(add(tables, shl(5, i))), pos))
                v0 := mod(add(mul(v0, y), shr(128, w)), 0xFFFFFFFF00000001)
                v1 := mod(add(mul(v1, y), and(w, 0xFFFFFFFFFFFFFFFF)), 0xFFFFFFFF00000001)
            }
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

    /// σ must be Σ_terms c·eq(p_bound, α_since)·f_M(p_rest). A query's term evaluates f̂ at a root of
    /// unity ω^i of order 2^L (L = its `roots` order less its bound): the terms that share L share an
    /// `evaluator` of ⟨ω⟩. The term arrays' lengths and the challenges' are checked once here (Solidity
    /// checked every read), each term's L is kept from the count, and σ's sum takes one MOD (count < 2^24).
    function finalCheck(Group memory gr, Terms memory terms) private pure {
        uint256 count = terms.count;
        if (
            terms.c0.length < count || terms.c1.length < count || terms.z0.length < count || terms.z1.length < count || terms.pts.length < count
                || terms.vars.length < count || terms.first.length < count || terms.powers.length < count || terms.roots.length < count
                || gr.ch0.length < gr.chCount || gr.ch1.length < gr.chCount || count >= 1 << 24
        ) reject(24);
        // Indices unchecked where they cannot fail: k < count = ls.length, L < 64 (rootOrder) = counts.length = evs.length.
        uint256[] memory counts = new uint256[](64); // per L
        uint256[] memory ls = new uint256[](count); // term k's L
        for (uint256 k = 0; k < count; k++) {
            uint256 l = rootOrder(gr, terms, k);
            assembly ("memory-safe") {
                mstore(add(ls, shl(5, add(k, 1))), l)
                let c := add(counts, shl(5, add(l, 1)))
                mstore(c, add(mload(c), 1))
            }
        }
        // per L with terms, its Evaluator (a memory pointer; termValue reads only those)
        uint256[] memory evs = new uint256[](64);
        for (uint256 l = 1; l < 64; l++) {
            uint256 n = entry(counts, l);
            if (n > 0) {
                Evaluator memory e = evaluator(gr, l, n);
                assembly ("memory-safe") {
                    mstore(add(evs, shl(5, add(l, 1))), e)
                }
            }
        }
        uint256 e0;
        uint256 e1;
        for (uint256 k = 0; k < count; k++) {
            (uint256 q0, uint256 q1) = termValue(gr, terms, k, evs, entry(ls, k));
            unchecked {
                (e0, e1) = (e0 + q0, e1 + q1);
            }
        }
        if (e0 % P != gr.sigma0 || e1 % P != gr.sigma1) reject(71);
    }

    /// Term k's entry of the term array `a` (finalCheck checked k < its length).
    function entry(uint256[] memory a, uint256 k) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := mload(add(a, shl(5, add(k, 1))))
        }
    }

    /// L for a query's term evaluated at a point (f̂ at ω^(i·2^bound), ω^(2^bound) of order 2^L), else 0.
    function rootOrder(Group memory gr, Terms memory terms, uint256 k) private pure returns (uint256) {
        uint256 root = entry(terms.roots, k);
        uint256 bound = gr.chCount - entry(terms.first, k);
        if (root == 0 || bound >= entry(terms.vars, k) || (root >> 32) <= bound) return 0;
        uint256 l = (root >> 32) - bound;
        return l < 64 ? l : 0;
    }

    /// Term k's c·eq(p_bound, α_since)·f_M(p_rest), l its rootOrder.
    function termValue(Group memory gr, Terms memory terms, uint256 k, uint256[] memory evs, uint256 l) private pure returns (uint256 q0, uint256 q1) {
        uint256 firstCh = entry(terms.first, k);
        uint256 bound = gr.chCount - firstCh;
        uint256 vars = entry(terms.vars, k);
        if (bound > vars) reject(70);
        uint256 t0;
        uint256 t1;
        bool[] memory pw = terms.powers;
        bool pow;
        assembly ("memory-safe") {
            pow := iszero(iszero(mload(add(pw, shl(5, add(k, 1)))))) // k < count ≤ powers.length (finalCheck)
        }
        if (pow) {
            uint256 z0;
            uint256 z1;
            (q0, q1, z0, z1) = eqPowers(entry(terms.z0, k), entry(terms.z1, k), gr.ch0, gr.ch1, firstCh, bound);
            if (bound == vars) (t0, t1) = (gr.f0[0], gr.f1[0]);
            else if (l != 0) {
                Evaluator memory e;
                assembly ("memory-safe") {
                    e := mload(add(evs, shl(5, add(l, 1)))) // set by finalCheck: term k counted at L = l
                }
                (t0, t1) = valueAt(e, gr, (entry(terms.roots, k) & 0xFFFFFFFF) - 1);
            }
            else if (z1 == 0) (t0, t1) = hornerBase(gr.f0, gr.f1, z0);
            else (t0, t1) = hornerExt(gr.f0, gr.f1, z0, z1);
        } else {
            uint256[] memory p = terms.pts[k];
            if (bound > 0) p[2 * bound - 1];
            (q0, q1) = eqPoint(p, gr.ch0, gr.ch1, firstCh, bound);
            if (bound == vars) (t0, t1) = (gr.f0[0], gr.f1[0]);
            else (t0, t1) = multilinear(gr.f0, gr.f1, p, bound);
        }
        (q0, q1) = F.emul(q0, q1, entry(terms.c0, k), entry(terms.c1, k));
        (q0, q1) = F.emul(q0, q1, t0, t1);
    }

    /// Π_{j<bound} eq(z^(2^j), α_(first+j)) and z^(2^bound), z = (z0, z1) (`finalCheck` checked the challenges' bounds).
    /// eq(p, c) = 1 − p − c + 2pc left unreduced: r0 = 1 + 2(p0c0 + 7p1c1) + 2p − p0 − c0 < 2^134, r1 < 2^131, so
    /// q·r with q reduced (< 2^64) stays below 2^201 and one MOD serves (eqPoint likewise).
    function eqPowers(uint256 z0, uint256 z1, uint256[] memory ch0, uint256[] memory ch1, uint256 first, uint256 bound)
        private
        pure
        returns (uint256 q0, uint256 q1, uint256, uint256)
    {
        assembly ("memory-safe") {
            let pp := 0xFFFFFFFF00000001
            let p2 := 0x1FFFFFFFE00000002
            q0 := 1
            let d := sub(ch1, ch0)
            let c := add(ch0, shl(5, add(first, 1)))
            let end := add(c, shl(5, bound))
            // z in the base field (a query's point) stays there: z1 = 0 drops its products
            if iszero(z1) {
                for {} lt(c, end) { c := add(c, 32) } {
                    let c0 := mload(c)
                    let c1 := mload(add(c, d))
                    let r0 := add(add(1, shl(1, mul(z0, c0))), sub(p2, add(z0, c0)))
                    let r1 := add(shl(1, mul(z0, c1)), sub(p2, c1))
                    let a0 := mod(add(mul(q0, r0), mul(mul(7, q1), r1)), pp)
                    q1 := mod(add(mul(q0, r1), mul(q1, r0)), pp)
                    q0 := a0
                    z0 := mulmod(z0, z0, pp)
                }
            }
            for {} lt(c, end) { c := add(c, 32) } {
                let c0 := mload(c)
                let c1 := mload(add(c, d))
                let r0 := add(add(1, shl(1, add(mul(z0, c0), mul(mul(7, z1), c1)))), sub(p2, add(z0, c0)))
                let r1 := add(shl(1, add(mul(z0, c1), mul(z1, c0))), sub(p2, add(z1, c1)))
                let a0 := mod(add(mul(q0, r0), mul(mul(7, q1), r1)), pp)
                q1 := mod(add(mul(q0, r1), mul(q1, r0)), pp)
                q0 := a0
                let s0 := mod(add(mul(z0, z0), mul(mul(7, z1), z1)), pp)
                z1 := mulmod(shl(1, z0), z1, pp)
                z0 := s0
            }
        }
        return (q0, q1, z0, z1);
    }

    /// Π_{j<bound} eq(p_j, α_(first+j)), p_j = (p[2j], p[2j + 1]) (`finalCheck` checked the challenges' bounds).
    function eqPoint(uint256[] memory p, uint256[] memory ch0, uint256[] memory ch1, uint256 first, uint256 bound) private pure returns (uint256 q0, uint256 q1) {
        assembly ("memory-safe") {
            let pp := 0xFFFFFFFF00000001
            let p2 := 0x1FFFFFFFE00000002
            q0 := 1
            let d := sub(ch1, ch0)
            let c := add(ch0, shl(5, add(first, 1)))
            let x := add(p, 32)
            for { let end := add(c, shl(5, bound)) } lt(c, end) { c := add(c, 32) } {
                let c0 := mload(c)
                let c1 := mload(add(c, d))
                let z0 := mload(x)
                let z1 := mload(add(x, 32))
                x := add(x, 64)
                let r0 := add(add(1, shl(1, add(mul(z0, c0), mul(mul(7, z1), c1)))), sub(p2, add(z0, c0)))
                let r1 := add(shl(1, add(mul(z0, c1), mul(z1, c0))), sub(p2, add(z1, c1)))
                let a0 := mod(add(mul(q0, r0), mul(mul(7, q1), r1)), pp)
                q1 := mod(add(mul(q0, r1), mul(q1, r0)), pp)
                q0 := a0
            }
        }
    }

    /// f_M(q) from the final polynomial's multilinear coefficients, q the coordinates of p from `from`
    /// on: c'_i = c_2i + q_j·c_2i+1.
    /// In scratch memory past the free memory pointer (copies of f0, f1 folded in place: c_i is read
    /// before it is overwritten, at step i/2 or i).
    function multilinear(uint256[] memory f0, uint256[] memory f1, uint256[] memory p, uint256 from) private pure returns (uint256 r0, uint256 r1) {
        assembly ("memory-safe") {
            let len := mload(f0)
            let s0 := mload(0x40)
            let s1 := add(s0, shl(5, len))
            mcopy(s0, add(f0, 32), shl(5, len))
            mcopy(s1, add(f1, 32), shl(5, len))
            for { let j := shl(1, from) } lt(j, mload(p)) { j := add(j, 2) } {
                let x0 := mload(add(p, shl(5, add(j, 1))))
                let x1 := mload(add(p, shl(5, add(j, 2))))
                let x7 := mul(7, x1)
                len := shr(1, len)
                for { let i := 0 } lt(i, len) { i := add(i, 1) } {
                    let e := shl(6, i) // c_2i at s + e, c_2i+1 at s + e + 32
                    let o0 := mload(add(s0, add(e, 32)))
                    let o1 := mload(add(s1, add(e, 32)))
                    mstore(add(s0, shl(5, i)), mod(add(add(mul(x0, o0), mul(x7, o1)), mload(add(s0, e))), P))
                    mstore(add(s1, shl(5, i)), mod(add(add(mul(x0, o1), mul(x1, o0)), mload(add(s1, e))), P))
                }
            }
            r0 := mload(s0)
            r1 := mload(s1)
        }
    }
}

/// @notice WhirOpening's schedule tables as code (a STOP byte, SCHEDULES, BATCH_POW), read by EXTCODECOPY: kept
/// out of ZkmlOpeningStage's runtime code (3.2 KB of its 24 KB), which deploys this in its constructor.
contract WhirTables {
    constructor() {
        bytes memory code = bytes.concat(hex"00", WhirOpening.SCHEDULES, WhirOpening.BATCH_POW);
        assembly ("memory-safe") {
            return(add(code, 32), mload(code))
        }
    }
}

/// @notice A WHIR opening on its own, for the differential test and the gas table: a fresh transcript
/// named `domain` (as `new Transcript(domain)` in Java), the claims, the proof bytes of WhirProof.write.
/// The opening is ZkmlOpeningStage's and the checks on the final polynomial ZkmlFinalStage's, both
/// deployed apart and called on the transcript as it stands after the domain record (as in a session):
/// so this contract carries none of WhirOpening's code, and the opening stage has the whole 24 KB.
contract WhirVerifier {
    ZkmlOpeningStage public immutable openingStage;
    ZkmlFinalStage public immutable finalStage;

    constructor(ZkmlOpeningStage opening, ZkmlFinalStage finalChecks) {
        openingStage = opening;
        finalStage = finalChecks;
    }

    /// Returns true for a valid opening and reverts with WhirOpening.Rejected otherwise (the stages'
    /// revert data, passed on). `soundness` is the parameter set (WhirOpening.SCHEDULES): 0
    /// proven-unique, 1 conjectured, 2 proven, 3 proven-evm, 4 conjectured-evm.
    function verify(uint8 soundness, bytes calldata domain, uint256[] calldata claims, bytes calldata proof) external view returns (bool) {
        (bytes memory buffer, uint256 counter) = Tr.snapshot(Tr.start(domain, domain.length + 64));
        return finalStage.run(openingStage.run(buffer, counter, soundness, claims, proof));
    }
}
