package dev.verinfer.zkml;

import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.TensorPcs;
import dev.verinfer.pcs.TensorPcsParameters;
import dev.verinfer.whir.WhirParameters;
import dev.verinfer.whir.WhirPcs;

import java.util.Locale;

/**
 * Which commitment scheme, and which soundness argument it is sized by, chosen once per model at setup
 * and fixed in its verifying key (and so in its model id). All give ≈ 100 bits; they differ in what is
 * assumed and in proof size:
 * <ul>
 *   <li>{@link #PROVEN}, {@link #PROVEN_EVM}, {@link #PROVEN_UNIQUE}, {@link #CONJECTURED} and {@link #CONJECTURED_EVM}: WHIR ({@link WhirParameters}),
 *       openings growing with log² n. PROVEN sizes its queries by list decoding up to the Johnson bound
 *       (≈ 100 bits from proven bounds); PROVEN_EVM (code 5) likewise at rate 1/32 instead of 1/8, for keys verified
 *       on chain (fewer queries: less gas, a smaller proof, about twice the prove time); PROVEN_UNIQUE, the proven setting before it (code 2, kept so its
 *       keys still prove and verify with their model ids), by the unique-decoding radius: openings about
 *       1.8× larger; CONJECTURED by the up-to-capacity conjectures deployed STARKs rely on; CONJECTURED_EVM (code 8)
 *       likewise, tuned for gas: a lower rate, more query grinding, 25-byte Keccak-256 Merkle digests (codes 6 and 7 were its
 *       earlier parameters, never released: their keys are refused, {@link #ofCode}).</li>
 *   <li>{@link #TENSOR_PROVEN} and {@link #TENSOR_CONJECTURED}: the Ligero/Brakedown tensor code
 *       ({@link TensorPcsParameters}), openings growing with √n; the only choices before WHIR, kept so
 *       models set up with them (codes 0 and 1, model ids unchanged) still prove and verify.</li>
 * </ul>
 */
public enum PcsSecurity {
    /** WHIR, ≈ 100 bits from proven bounds only, list decoding up to the Johnson bound: the default. */
    PROVEN(4, new WhirPcs(WhirParameters.PROVEN)),
    /**
     * WHIR, PROVEN's regime and bounds at rate 1/32 ({@link WhirParameters#PROVEN_EVM}): fewer queries, so less gas
     * to verify on chain, for about twice the prove time.
     */
    PROVEN_EVM(5, new WhirPcs(WhirParameters.PROVEN_EVM)),
    /** WHIR, ≈ 100 bits from proven unique-decoding bounds only (the default of proof formats up to 6). */
    PROVEN_UNIQUE(2, new WhirPcs(WhirParameters.PROVEN_UNIQUE)),
    /** WHIR, 100 bits under the up-to-capacity conjectures (as STARK deployments assume). */
    CONJECTURED(3, new WhirPcs(WhirParameters.CONJECTURED)),
    /**
     * WHIR, CONJECTURED's regime tuned for gas ({@link WhirParameters#CONJECTURED_EVM}: rate 1/128, 25 bits of query grinding, 25-byte Keccak-256 Merkle
     * digests): the fewest queries and the cheapest Merkle nodes, so the least gas to verify on chain, on the up-to-capacity conjectures.
     */
    CONJECTURED_EVM(8, new WhirPcs(WhirParameters.CONJECTURED_EVM)),
    /** Tensor code, 150 column queries, ≈ 101 proven bits (the default before WHIR). */
    TENSOR_PROVEN(0, new TensorPcs(TensorPcsParameters.STANDARD)),
    /** Tensor code, 50 column queries, 100 bits under the up-to-capacity conjecture. */
    TENSOR_CONJECTURED(1, new TensorPcs(TensorPcsParameters.CONJECTURED));

    private final int code;
    private final MultilinearPcs pcs;

    PcsSecurity(int code, MultilinearPcs pcs) {
        this.code = code;
        this.pcs = pcs;
    }

    /**
     * An upper bound on the bytes of one opening of an n-variable polynomial (what a verifying key lets
     * a proof carry, {@link VerifyingKey#maxProofBytes()}): every query answered in full with its own
     * Merkle path, nothing shared.
     */
    long maxOpeningBytes(int numVars) {
        return switch (pcs) {
            // No WHIR opening has more variables than its largest domain allows: bound by that one.
            case WhirPcs whir -> whir.parameters().schedule(Math.min(numVars, whir.parameters().maxNumVars())).maxBytes();
            case TensorPcs tensor -> {
                int t = tensor.parameters().queries();
                long side = 1L << ((numVars + 1) / 2);
                yield 1024 + (4L * 16 + 8L * t) * side + 32L * t * (numVars + 4);
            }
            default -> throw new IllegalStateException("no opening bound for " + pcs);
        };
    }

    /** The largest arity a polynomial committed with these parameters may have (WHIR: its largest domain); the tensor code has no such bound. */
    int maxNumVars() {
        return pcs instanceof WhirPcs whir ? whir.parameters().maxNumVars() : Integer.MAX_VALUE;
    }

    /** Whether keys of this setting are made for the chain (PROVEN_EVM, CONJECTURED_EVM): they commit their function tables with the weights ({@link TableCommitment}). */
    boolean forChain() {
        return this == PROVEN_EVM || this == CONJECTURED_EVM;
    }

    /** The commitment scheme with these parameters. */
    MultilinearPcs pcs() {
        return pcs;
    }

    /** The lower-case name the CLI and files use ("proven", "tensor-conjectured", …). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * conjectured-evm's earlier codes (2026-12-06, never released), refused by {@link #ofCode}: 6 rate 1/32 with SHA-256 Merkle
     * trees (gasfmt25), 7 rate 1/128 with Keccak-256 trees and 20 bits of query grinding (evmlean26).
     */
    static final java.util.Map<Integer, String> RETIRED_CONJECTURED_EVM = java.util.Map.of(
            6, "conjectured-evm with SHA-256 Merkle trees",
            7, "conjectured-evm with 20 bits of query grinding");

    /** Reads the code written by {@link #code()}. */
    static PcsSecurity ofCode(int code) {
        String retired = RETIRED_CONJECTURED_EVM.get(code);
        if (retired != null) {
            throw new IllegalArgumentException("commitment security code " + code + " (" + retired + ") was made by an older verinfer:"
                    + " compile the model again (verinfer compile --pcs-security conjectured-evm)");
        }
        for (PcsSecurity s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown commitment security code " + code);
    }

    /** The byte the keys store: 0 and 1 are the tensor-code settings of the first key formats. */
    int code() {
        return code;
    }
}
