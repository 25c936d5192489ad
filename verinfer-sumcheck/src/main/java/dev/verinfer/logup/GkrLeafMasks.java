package dev.verinfer.logup;

import dev.verinfer.field.Ext2;

import java.util.ArrayList;
import java.util.List;

/**
 * The leaf check of a zero-knowledge LogUp with {@link LeafMasks}. Each tree's leaf layer is masked
 * like an internal one (one-coefficient masks c on its halves, committed with that layer), so the
 * tree's final claims are P'(μ, r) = P(μ, r) + Z(r)·((1 − μ)·c_p0 + μ·c_p1) (Q likewise; a tree of
 * depth 1 takes P1'(r) = P1(r) + Z(r)·c_P1 from the blinding step); the blocks' sent evaluations are
 * the masked T'(at) = T̃(at) + Z(at)·R(at_0). The verifier recombines the sent values into leafP, leafQ
 * exactly as without masks, and the differences claim − leaf are then linear in the committed masks:
 * claimP − leafP = Z(r)·((1 − μ)·c_p0 + μ·c_p1) − Σ_b ±w_b·Z_b·R_num,b(at_0) and
 * claimQ − leafQ = Z(r)·((1 − μ)·c_q0 + μ·c_q1) + Σ_b w_b·Σ_c β^c·Z_b·R_c,b(at_0)
 * (q = α_k − Σ_c β^c·col_c, so the induced mask of a denominator is −Σ_c β^c·R_c). One challenge η,
 * drawn after the sent values, batches the 2·(trees) differences into one linear opening.
 * Soundness: every mask is committed before the challenges of the steps it enters, so a wrong leaf
 * value makes the batched difference disagree with the opening except with probability ≈ 2·trees/|F|
 * over η.
 */
final class GkrLeafMasks {
    private GkrLeafMasks() {}

    /** Σ_t η^(2t)·(claimP_t − leafP_t) + η^(2t+1)·(claimQ_t − leafQ_t). */
    static Ext2 difference(Ext2[] claimP, Ext2[] claimQ, Ext2[] leafP, Ext2[] leafQ, Ext2 eta) {
        Ext2 sum = Ext2.ZERO;
        Ext2 weight = Ext2.ONE;
        for (int t = 0; t < claimP.length; t++) {
            Ext2 next = weight.mul(eta);
            sum = sum.add(weight.mul(claimP[t].sub(leafP[t]))).add(next.mul(claimQ[t].sub(leafQ[t])));
            weight = next.mul(eta);
        }
        return sum;
    }

    /** The linear function of the committed masks that {@link #difference} equals for honest values. */
    static LeafMaskWeights weights(LogUpShape shape, Ext2[][] leafPoints, Ext2 beta, Ext2 eta) {
        int[] vars = shape.treeVars();
        // The commitLayerMasks calls: the blinding step, then GKR layers 1 … maxDepth − 1 (all masked with leaves).
        List<Ext2[]> layers = new ArrayList<>();
        layers.add(zeros(GkrBlinding.layerMasks(shape, true)));
        for (int i = 1; i < shape.maxDepth(); i++) {
            layers.add(zeros(GkrLayerMasks.maskedHalves(shape, true, i)));
        }
        int[] blinded = GkrBlinding.blindedTrees(shape);
        Ext2 weight = Ext2.ONE;
        for (int t = 0; t < vars.length; t++) {
            Ext2 wp = weight;
            Ext2 wq = weight.mul(eta);
            weight = wq.mul(eta);
            Ext2[] point = leafPoints[t];
            Ext2 last = point[point.length - 1];
            Ext2 z = last.mul(Ext2.ONE.sub(last));
            if (vars[t] == 1) {
                int at = 2 * indexOf(blinded, t);
                layers.get(0)[at] = wp.mul(z);
                layers.get(0)[at + 1] = wq.mul(z);
            } else {
                int layer = vars[t] - 1;
                int at = 4 * indexOf(shape.activeTrees(layer), t);
                Ext2 mu = point[0];
                Ext2[] w = layers.get(layer);
                w[at] = wp.mul(z).mul(Ext2.ONE.sub(mu));
                w[at + 1] = wp.mul(z).mul(mu);
                w[at + 2] = wq.mul(z).mul(Ext2.ONE.sub(mu));
                w[at + 3] = wq.mul(z).mul(mu);
            }
        }
        List<Ext2> factors = new ArrayList<>();
        List<Ext2> points = new ArrayList<>();
        long[] offsets = shape.offsets();
        long[] starts = shape.treeStarts();
        Ext2 etaSquared = eta.mul(eta);
        for (int b = 0; b < shape.numBlocks(); b++) {
            int tree = shape.treeOf(offsets[b]);
            int blockVars = shape.blockVars(b);
            Ext2[] treePoint = leafPoints[tree];
            Ext2 top = treePoint[blockVars - 1];
            Ext2 wz = blockWeight((offsets[b] - starts[tree]) >>> blockVars, treePoint, blockVars).mul(top.mul(Ext2.ONE.sub(top)));
            Ext2 wp = etaSquared.pow(tree);
            Ext2 wq = wp.mul(eta);
            boolean group = b < shape.groups().size();
            if (group) {
                Ext2 power = Ext2.ONE;
                for (int c = 0; c < shape.blockColumns(b); c++) {
                    factors.add(wq.mul(wz).mul(power));
                    points.add(treePoint[0]);
                    power = power.mul(beta);
                }
                if (shape.groups().get(b).hasSelector()) {
                    factors.add(wp.mul(wz).neg());
                    points.add(treePoint[0]);
                }
            } else {
                factors.add(wp.mul(wz));
                points.add(treePoint[0]);
            }
        }
        return new LeafMaskWeights(layers, factors.toArray(Ext2[]::new), points.toArray(Ext2[]::new));
    }

    /** eq(bits of {@code block}, point[low..]): the weight of the subcube block·2^low + [0, 2^low) at {@code point}. */
    static Ext2 blockWeight(long block, Ext2[] point, int low) {
        Ext2 w = Ext2.ONE;
        for (int j = low; j < point.length; j++) {
            w = w.mul(((block >>> (j - low)) & 1) == 1 ? point[j] : Ext2.ONE.sub(point[j]));
        }
        return w;
    }

    private static Ext2[] zeros(int n) {
        Ext2[] out = new Ext2[n];
        java.util.Arrays.fill(out, Ext2.ZERO);
        return out;
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new IllegalStateException("tree " + value + " is not among " + java.util.Arrays.toString(values));
    }
}
