package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.sumcheck.ZkSumcheckProver;

import java.util.Arrays;

/**
 * Which GKR layer values a zero-knowledge LogUp hides, and the hidden offsets that carry them into
 * the next layer (Libra §4.2 applied to the fraction trees). Layer i's sumcheck (i variables) ends in
 * four values p0, p1, q0, q1 per active tree, evaluations of layer i + 1. For i ≥ 1 and a layer
 * i + 1 that is not the tree's leaves, those four halves enter the sumcheck with one-coefficient
 * {@link dev.verinfer.sumcheck.VanishingMask}s c: the values sent are h̃(r) + Z(r)·c, Z(r) =
 * r_{i−1}(1 − r_{i−1}), uniform. The next claim P'(μ, r) = (1 − μ)·p0' + μ·p1' is then the masked
 * layer polynomial's, off by Δ_P = Z(r)·((1 − μ)·c_p0 + μ·c_p1) (Q likewise), and layer i + 1's
 * sumcheck proves its combined claim minus Σ_a λ^{2a}·Δ_P + λ^{2a+1}·Δ_Q as a hidden offset.
 *
 * <p>Layer 0's four values per tree and the roots (a 0-variable sumcheck leaves nothing to mask with)
 * are hidden by {@link GkrBlinding} instead, which also masks layer 1's values. Not hidden here: the
 * leaf layer, whose values must agree with the claims on the looked-up columns.
 */
final class GkrLayerMasks {
    private GkrLayerMasks() {}

    /**
     * Whether layer i's sumcheck masks the halves of active tree t: when layer i + 1 is internal, or
     * is the leaves and {@code leaves} (the caller masks the leaf claims, {@link LeafMasks}).
     */
    static boolean masks(LogUpShape shape, boolean leaves, int layer, int tree) {
        return layer >= 1 && (shape.treeVars()[tree] > layer + 1 || leaves);
    }

    /** One flag per half table of layer i's sumcheck (four per active tree). */
    static boolean[] hiddenHalves(LogUpShape shape, boolean leaves, int layer) {
        int[] active = shape.activeTrees(layer);
        boolean[] hidden = new boolean[4 * active.length];
        for (int a = 0; a < active.length; a++) {
            if (masks(shape, leaves, layer, active[a])) {
                Arrays.fill(hidden, 4 * a, 4 * a + 4, true);
            }
        }
        return hidden;
    }

    static int maskedHalves(LogUpShape shape, boolean leaves, int layer) {
        int count = 0;
        for (boolean h : hiddenHalves(shape, leaves, layer)) {
            count += h ? 1 : 0;
        }
        return count;
    }

    /** The round degrees of layer i's sumcheck in a zero-knowledge argument. */
    static int[] roundDegrees(LogUpShape shape, boolean leaves, int layer) {
        return ZkSumcheckProver.roundDegreesOfPattern(layer, GkrLayers.terms(shape.activeTrees(layer).length, Ext2.ONE), true, hiddenHalves(shape, leaves, layer));
    }

    /**
     * Δ's weights over layer (i − 1)'s mask coefficients (in commitment order: masked trees, then
     * p0, p1, q0, q1) for layer i's claim with its λ; {@code point} is layer i's claim point (μ, r).
     */
    static Ext2[] offsetWeights(LogUpShape shape, boolean leaves, int layer, Ext2 lambda, Ext2[] point) {
        if (layer == 1) {
            return GkrBlinding.offsetWeights(shape, leaves, lambda, point); // layer 1's claim comes from the blinding step
        }
        int previous = layer - 1;
        int[] active = shape.activeTrees(layer);
        int[] before = shape.activeTrees(previous);
        Ext2 mu = point[0];
        Ext2 last = point[point.length - 1];
        Ext2 z = last.mul(Ext2.ONE.sub(last));
        // Aligned with the previous layer's committed masks: four per tree it masked; zero for a tree
        // whose leaves that layer reached (its masks go to the leaf check instead, see GkrLeafMasks).
        Ext2[] weights = new Ext2[maskedHalves(shape, leaves, previous)];
        Arrays.fill(weights, Ext2.ZERO);
        int at = 0;
        int a = 0;
        Ext2 weight = Ext2.ONE;
        for (int t : before) {
            boolean masked = masks(shape, leaves, previous, t);
            boolean continues = a < active.length && active[a] == t;
            if (continues && !masked) {
                throw new IllegalStateException("tree " + t + " is active at layer " + layer + " but its values were not masked");
            }
            if (continues) {
                Ext2 next = weight.mul(lambda);
                weights[at] = weight.mul(z).mul(Ext2.ONE.sub(mu));
                weights[at + 1] = weight.mul(z).mul(mu);
                weights[at + 2] = next.mul(z).mul(Ext2.ONE.sub(mu));
                weights[at + 3] = next.mul(z).mul(mu);
                weight = next.mul(lambda);
                a++;
            }
            at += masked ? 4 : 0;
        }
        return weights;
    }

    /**
     * Whether layer i's claim carries a hidden offset: the previous layer masked its values (i ≥ 2), or
     * the blinding step masked layer 1's (i = 1).
     */
    static boolean hasOffset(LogUpShape shape, int layer) {
        return layer >= 1 && shape.activeTrees(layer).length > 0;
    }
}
