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

    Witness(ProofPlan plan, ProverTensors tensors) {
        items = new long[plan.items.size()][];
        for (int i = 0; i < items.length; i++) {
            if (plan.items.get(i) instanceof ProofPlan.TensorItem t) {
                items[i] = tensors.padded(t.tensor());
            }
        }
        for (ProofPlan.RescaleCheck r : plan.rescales) {
            fillRemainderLimbs(plan, tensors, r);
        }
        for (ProofPlan.LimbSplit split : plan.limbSplits) {
            fillLimbs(plan, tensors, split);
        }
        for (MaxLayers.Check check : plan.maxChecks) {
            fillGaps(plan, tensors, check);
        }
        for (ProofPlan.Table table : plan.tables) {
            items[table.multiplicityItem()] = multiplicities(plan, tensors, table);
        }
    }

    private void fillRemainderLimbs(ProofPlan plan, ProverTensors tensors, ProofPlan.RescaleCheck r) {
        long[] x = tensors.real(r.x());
        long[] q = tensors.real(r.q());
        PaddedShape shape = plan.shapes[r.q()];
        List<Integer> limbs = r.remainderLimbs();
        long[][] limbValues = new long[limbs.size()][x.length];
        long half = 1L << (r.k() - 1);
        for (int i = 0; i < x.length; i++) {
            long rem = x[i] + half - (q[i] << r.k()); // in [0, 2^k) for an honest execution; not policed here
            for (int l = 0; l < limbs.size(); l++) {
                limbValues[l][i] = (rem >>> (ProofPlan.RANGE_BITS * l)) & ((1L << ProofPlan.RANGE_BITS) - 1);
            }
        }
        for (int l = 0; l < limbs.size(); l++) {
            items[limbs.get(l)] = ProverTensors.toField(shape.pad(limbValues[l]));
        }
    }

    /** d_k = ±(y − c_k) over the output's real indices, and its 16-bit limbs. */
    private void fillGaps(ProofPlan plan, ProverTensors tensors, MaxLayers.Check check) {
        long[] y = tensors.real(check.output());
        PaddedShape shape = plan.shapes[check.output()];
        long[][] padded = new long[check.candidates().size()][];
        for (int c = 0; c < padded.length; c++) {
            long[] view = MaxLayers.viewValues(plan, tensors, check.output(), check.candidates().get(c));
            long[] gap = new long[y.length];
            for (int i = 0; i < y.length; i++) {
                gap[i] = check.sign() > 0 ? y[i] - view[i] : view[i] - y[i];
            }
            padded[c] = ProverTensors.toField(shape.pad(gap));
            List<Integer> limbs = check.gapLimbs().get(c);
            for (int l = 0; l < limbs.size(); l++) {
                long[] limb = new long[y.length];
                for (int i = 0; i < y.length; i++) {
                    limb[i] = (gap[i] >>> (ProofPlan.RANGE_BITS * l)) & ((1L << ProofPlan.RANGE_BITS) - 1);
                }
                items[limbs.get(l)] = ProverTensors.toField(shape.pad(limb));
            }
        }
        gaps.put(check, padded);
    }

    /** The padded gap table d_c of a Max-like check. */
    long[] gap(ProofPlan plan, MaxLayers.Check check, int candidate) {
        return gaps.get(check)[candidate];
    }

    private void fillLimbs(ProofPlan plan, ProverTensors tensors, ProofPlan.LimbSplit split) {
        long[] v = tensors.real(split.tensor());
        PaddedShape shape = plan.shapes[split.tensor()];
        for (int l = 0; l < split.limbs().size(); l++) {
            long[] limb = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                limb[i] = ((v[i] + split.shift()) >>> (ProofPlan.RANGE_BITS * l)) & ((1L << ProofPlan.RANGE_BITS) - 1);
            }
            items[split.limbs().get(l)] = ProverTensors.toField(shape.pad(limb));
        }
    }

    /** Source values (field) of a column, over the padded layout. */
    long[] column(ProverTensors tensors, ProofPlan.Column c) {
        long[] src = switch (c.source()) {
            case ProofPlan.TensorSource t -> tensors.padded(t.tensor());
            case ProofPlan.ItemSource s -> items[s.item()];
        };
        long scale = Goldilocks.fromSigned(c.scale());
        long shift = Goldilocks.fromSigned(c.shift());
        if (scale == 1 && shift == 0) {
            return src;
        }
        long[] out = new long[src.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Goldilocks.add(Goldilocks.mul(src[i], scale), shift);
        }
        return out;
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
