package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.layout.PaddedShape;

/**
 * The prover's view of every tensor of one execution as padded field tables (computed once, on
 * demand). Built from an integer execution (the honest prover), or from padded field tables given
 * outright — the test suite's adversarial prover supplies tables in which any entry, real or padding,
 * may be any field element ({@link Prover#prove(ProvingKey, long[][], Visibility, Visibility, ProverChannel.Tamper)}).
 */
final class ProverTensors {
    private final ProofPlan plan;
    private final long[][] real;
    private final long[][] padded;

    ProverTensors(ProofPlan plan, QuantGraph weightsGraph, Execution execution) {
        this(plan, weightsGraph, execution, null);
    }

    /**
     * As above with the padded tables of {@code weightsGraph}'s constant tensors (its weights) made ahead by
     * {@link #paddedConstants} for the same plan and graph (a key's, shared by its proofs: read here, never written), or null.
     */
    ProverTensors(ProofPlan plan, QuantGraph weightsGraph, Execution execution, long[][] paddedConstants) {
        this.plan = plan;
        int n = plan.graph.tensors().size();
        this.real = new long[n][];
        this.padded = new long[n][];
        for (QTensor t : weightsGraph.tensors()) {
            real[t.id()] = t.data() != null ? t.data() : t.id() < execution.values().length ? execution.value(t.id()) : null;
            if (t.data() != null && paddedConstants != null) {
                padded[t.id()] = paddedConstants[t.id()];
            }
        }
        SaturatedLookups.complete(plan.graph, real);
    }

    /** The padded field tables of {@code graph}'s constant tensors (its weights) by tensor id, null for the others. */
    static long[][] paddedConstants(ProofPlan plan, QuantGraph graph) {
        long[][] out = new long[plan.graph.tensors().size()][];
        for (QTensor t : graph.tensors()) {
            if (t.data() != null) {
                out[t.id()] = toField(plan.shapes[t.id()].pad(t.data()));
            }
        }
        return out;
    }

    /** From padded field tables, one per tensor (weights included); real values are their signed embeddings. */
    ProverTensors(ProofPlan plan, long[][] padded) {
        this.plan = plan;
        this.padded = padded.clone();
        this.real = new long[padded.length][];
    }

    /** The tensor's integer values in row-major order. */
    long[] real(int tensor) {
        long[] r = real[tensor];
        if (r == null) {
            PaddedShape shape = plan.shapes[tensor];
            long[] p = padded[tensor];
            r = new long[(int) shape.realSize()];
            for (int i = 0; i < r.length; i++) {
                r[i] = Goldilocks.toSigned(p[shape.paddedIndex(i)]);
            }
            real[tensor] = r;
        }
        return r;
    }

    /** The tensor's padded table over the field (signed values embedded). */
    long[] padded(int tensor) {
        long[] p = padded[tensor];
        if (p == null) {
            p = toField(plan.shapes[tensor].pad(real[tensor]));
            padded[tensor] = p;
        }
        return p;
    }

    static long[] toField(long[] signed) {
        long[] out = new long[signed.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Goldilocks.fromSigned(signed[i]);
        }
        return out;
    }
}
