package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;

/** The prover's view of every tensor of one execution as padded field tables (computed once, on demand). */
final class ProverTensors {
    private final ProofPlan plan;
    private final long[][] real;
    private final long[][] padded;
    private final WitnessTamper tamper;

    ProverTensors(ProofPlan plan, QuantGraph weightsGraph, Execution execution, WitnessTamper tamper) {
        this.plan = plan;
        this.tamper = tamper;
        int n = plan.graph.tensors().size();
        this.real = new long[n][];
        this.padded = new long[n][];
        for (QTensor t : weightsGraph.tensors()) {
            real[t.id()] = t.data() != null ? t.data() : execution.value(t.id());
        }
    }

    /** The tensor's integer values in row-major order. */
    long[] real(int tensor) {
        return real[tensor];
    }

    /** The tensor's padded table over the field (signed values embedded). */
    long[] padded(int tensor) {
        long[] p = padded[tensor];
        if (p == null) {
            p = toField(plan.shapes[tensor].pad(real[tensor]));
            tamper.tamper(tensor, p);
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
