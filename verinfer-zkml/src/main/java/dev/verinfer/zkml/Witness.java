package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.zkml.layout.PaddedShape;

import java.util.List;

/**
 * The prover's committed values for one execution: every item of the plan (committed tensors,
 * remainder limbs, multiplicities) as a padded field table. The prover does not police the
 * execution it is given: an inconsistent one yields a proof that the verifier rejects (which is what
 * the soundness tests rely on to play a cheating prover).
 */
final class Witness {
    final long[][] items;
    private final java.util.Map<MaxLayers.Check, long[][]> gaps = new java.util.HashMap<>();
    private final java.util.Map<MaxLayers.Check, long[][]> views = new java.util.HashMap<>();
    /** Computed look-up columns, kept for the look-up argument after the multiplicities used them. */
    private final java.util.Map<ProofPlan.Column, long[]> columns = new java.util.IdentityHashMap<>();

    Witness(ProofPlan plan, ProverTensors tensors) {
        items = new long[plan.items.size()][];
        for (int i = 0; i < items.length; i++) {
            if (plan.items.get(i) instanceof ProofPlan.TensorItem t) {
                items[i] = tensors.padded(t.tensor());
            }
        }
        for (MaxLayers.Check check : plan.maxChecks) {
            fillGaps(plan, tensors, check);
        }
        for (MaxLayers.ArgmaxCheck a : plan.argmaxChecks) {
            items[a.selector()] = MaxLayers.selector(plan, tensors, a);
        }
        for (ProofPlan.LowLimb limb : plan.lowLimbs) {
            long[] value = column(tensors, limb.value());
            long[] low = new long[value.length];
            for (int i = 0; i < low.length; i++) {
                low[i] = Goldilocks.fromSigned(Goldilocks.toSigned(value[i]) & ((1L << limb.bits()) - 1));
            }
            items[limb.item()] = low;
        }
        for (ProofPlan.Table table : plan.tables) {
            items[table.multiplicityItem()] = multiplicities(plan, tensors, table);
        }
    }

    /** d_k = ±(y − c_k) over the output's real indices, and its 16-bit limbs. */
    private void fillGaps(ProofPlan plan, ProverTensors tensors, MaxLayers.Check check) {
        long[] y = tensors.real(check.output());
        PaddedShape shape = plan.shapes[check.output()];
        long[][] padded = new long[check.candidates().size()][];
        long[][] paddedViews = new long[padded.length][];
        for (int c = 0; c < padded.length; c++) {
            long[] view = MaxLayers.viewValues(plan, tensors, check.output(), check.candidates().get(c));
            paddedViews[c] = ProverTensors.toField(shape.pad(view));
            long[] gap = new long[y.length];
            for (int i = 0; i < y.length; i++) {
                gap[i] = check.sign() > 0 ? y[i] - view[i] : view[i] - y[i];
            }
            padded[c] = ProverTensors.toField(shape.pad(gap));
            List<Integer> limbs = check.gapLimbs().get(c);
            if (limbs.size() == 1) {
                items[limbs.getFirst()] = padded[c]; // the gap itself, range-checked whole
            }
            for (int l = 0; limbs.size() > 1 && l < limbs.size(); l++) {
                long[] limb = new long[y.length];
                for (int i = 0; i < y.length; i++) {
                    limb[i] = (gap[i] >>> (ProofPlan.RANGE_BITS * l)) & ((1L << ProofPlan.RANGE_BITS) - 1);
                }
                items[limbs.get(l)] = ProverTensors.toField(shape.pad(limb));
            }
        }
        gaps.put(check, padded);
        views.put(check, paddedViews);
    }

    /** The padded (zero outside the output's real region) view c of a Max-like check. */
    long[] view(MaxLayers.Check check, int candidate) {
        return views.get(check)[candidate];
    }

    /** The padded gap table d_c of a Max-like check. */
    long[] gap(MaxLayers.Check check, int candidate) {
        return gaps.get(check)[candidate];
    }

    /** A column's values over the padded layout: Σ coef·source + shift (computed once per column). */
    long[] column(ProverTensors tensors, ProofPlan.Column c) {
        if (c.terms().size() == 1 && c.terms().getFirst().coef() == 1 && c.shift() == 0) {
            return source(tensors, c.terms().getFirst().source());
        }
        long[] cached = columns.get(c);
        if (cached == null) {
            cached = combine(tensors, c);
            columns.put(c, cached);
        }
        return cached;
    }

    private long[] combine(ProverTensors tensors, ProofPlan.Column c) {
        long[] out = null;
        for (ProofPlan.Term t : c.terms()) {
            long[] src = source(tensors, t.source());
            if (out == null) {
                out = new long[src.length];
                java.util.Arrays.fill(out, c.shift());
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = Goldilocks.add(out[i], Goldilocks.mul(src[i], t.coef()));
            }
        }
        return out;
    }

    long[] source(ProverTensors tensors, ProofPlan.Source s) {
        return switch (s) {
            case ProofPlan.TensorSource t -> tensors.padded(t.tensor());
            case ProofPlan.ItemSource i -> items[i.item()];
            case ProofPlan.BroadcastSource b -> b.broadcast().expand(tensors.padded(b.tensor()));
        };
    }

    private long[] multiplicities(ProofPlan plan, ProverTensors tensors, ProofPlan.Table table) {
        long[] counts = new long[1 << table.numVars()];
        long base = table.isRange() ? 0 : table.function().inMin();
        for (ProofPlan.Group g : table.groups()) {
            long[] key = column(tensors, g.columns().getFirst());
            PaddedShape shape = g.shape();
            long n = shape.realSize();
            for (long i = 0; i < n; i++) {
                long v = Goldilocks.toSigned(key[shape.paddedIndex(i)]) - base;
                if (v >= 0 && v < counts.length) {
                    counts[(int) v]++; // a value outside the table cannot be counted: the look-up argument then fails
                }
            }
        }
        return counts;
    }
}
