package dev.verinfer.zkml;

import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.TensorPcs;
import dev.verinfer.pcs.TensorPcsParameters;

import java.util.Locale;

/**
 * Which soundness argument the polynomial commitment is sized by, chosen once per model at setup and
 * fixed in its verifying key (and so in its model id). Both give 100 bits; they differ in what is
 * assumed ({@link TensorPcsParameters}): PROVEN needs 150 column queries, CONJECTURED 50, which
 * shrinks proofs by about 40 % (measured on the real models; the column openings dominate).
 */
public enum PcsSecurity {
    /** ≈ 101 bits from proven (unique-decoding) bounds only: the default. */
    PROVEN(TensorPcsParameters.STANDARD),
    /** 100 bits under the up-to-capacity proximity conjecture (as STARK deployments assume). */
    CONJECTURED(TensorPcsParameters.CONJECTURED);

    private final MultilinearPcs pcs;
    private final int queries;

    PcsSecurity(TensorPcsParameters parameters) {
        this.pcs = new TensorPcs(parameters);
        this.queries = parameters.queries();
    }

    /** Column queries per opening (bounds the size of an opening, see {@link VerifyingKey#maxProofBytes()}). */
    int queries() {
        return queries;
    }

    /** The commitment scheme with these parameters. */
    MultilinearPcs pcs() {
        return pcs;
    }

    /** The lower-case name the CLI and files use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads the code written by {@link #code()}. */
    static PcsSecurity ofCode(int code) {
        if (code < 0 || code >= values().length) {
            throw new IllegalArgumentException("unknown commitment security code " + code);
        }
        return values()[code];
    }

    int code() {
        return ordinal();
    }
}
