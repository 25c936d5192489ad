package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.sumcheck.ZkSumcheckProver;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The blinding of a zero-knowledge LogUp-GKR's roots and layer-0 values (docs/proof-system.md,
 * "Zero-knowledge", LogUp-GKR). Every tree of depth ≥ 1 (the trees active at layer 0) gets a committed
 * blinding layer of two random fractions b_0/c_0, b_1/c_1, added fraction-wise to its layer 1:
 * layer 1' = layer 1 ⊕ blinding, i.e. p'_j = p_j·c_j + b_j·q_j, q'_j = q_j·c_j. The proof's roots and
 * layer-0 values are those of layer 1'; with c uniform and nonzero and b uniform they are uniform
 * subject only to the balance Σ_t P_t/Q_t = 0, because the prover draws the blinding so that
 * Σ_t Σ_j b_{t,j}/c_{t,j} = 0 (the last b fixed by the others).
 *
 * <p>A <em>blinding step</em> then reduces the claim on layer 1' at (μ) to one on layer 1: its relation
 * is a GKR layer's with the four halves (P1, B, Q1, C) in place of (p0, p1, q0, q1) — one sumcheck over
 * layer 1's single variable. B and C enter with one-coefficient vanishing masks (committed with the
 * blinding), P1 and Q1 with the layer masks of a tree whose layer 1 is internal (depth ≥ 2); layer 1's
 * sumcheck then carries a hidden offset over those.
 *
 * <p>Soundness: the blinding is committed before β and α are drawn, and the step's B'(r), C'(r) are
 * opened against that commitment, so the blinding sum s = Σ b/c is a constant fixed before α. For a
 * witness whose fractions do not balance, the true sum F(α) = N(α)/D(α) is a nonzero rational function
 * with deg N < deg D (every fraction vanishes at infinity), so N(α) + s·D(α) is a nonzero polynomial of
 * degree ≤ deg D and the verifier's balance check passes for at most (total leaves) values of α: a
 * blinding cannot cancel a bad fraction. A zero c makes a root denominator zero, which the verifier rejects.
 */
final class GkrBlinding {
    /** Values committed per blinded tree: b_0, b_1, c_0, c_1, then B's and C's vanishing-mask coefficients. */
    static final int VALUES_PER_TREE = 6;

    private GkrBlinding() {}

    /** The blinded trees, in tree order: those of depth ≥ 1. */
    static int[] blindedTrees(LogUpShape shape) {
        return shape.activeTrees(0);
    }

    /** Fresh blinding for {@code trees} trees, Σ b/c = 0 over all of them; c never zero. */
    static Ext2[][] draw(int trees, RandomGenerator random) {
        Ext2[][] out = new Ext2[trees][VALUES_PER_TREE];
        Ext2 sum = Ext2.ZERO;
        for (int t = 0; t < trees; t++) {
            for (int k = 0; k < VALUES_PER_TREE; k++) {
                out[t][k] = Ext2.random(random);
            }
            for (int j = 2; j < 4; j++) {
                while (out[t][j].isZero()) {
                    out[t][j] = Ext2.random(random);
                }
            }
            sum = sum.add(out[t][0].mul(out[t][2].inverse())).add(out[t][1].mul(out[t][3].inverse()));
        }
        if (trees > 0) {
            Ext2[] last = out[trees - 1];
            // b_1 of the last tree: its own b_1/c_1 cancels every other fraction.
            Ext2 others = sum.sub(last[1].mul(last[3].inverse()));
            last[1] = others.neg().mul(last[3]);
        }
        return out;
    }

    /** Layer 1' of a tree from its layer-1 values (p0, p1, q0, q1) and blinding: (p'_0, p'_1, q'_0, q'_1). */
    static Ext2[] blind(Ext2[] layer1, Ext2[] blinding) {
        Ext2[] out = new Ext2[4];
        for (int j = 0; j < 2; j++) {
            Ext2 p = layer1[j];
            Ext2 q = layer1[2 + j];
            Ext2 b = blinding[j];
            Ext2 c = blinding[2 + j];
            out[j] = p.mul(c).add(b.mul(q));
            out[2 + j] = q.mul(c);
        }
        return out;
    }

    /**
     * The blinding step's masked tables (four per blinded tree: P1, B, Q1, C): P1, Q1 when layer 1 is
     * internal, or is the leaves and {@code leaves}.
     */
    static boolean[] hiddenHalves(LogUpShape shape, boolean leaves) {
        int[] trees = blindedTrees(shape);
        boolean[] hidden = new boolean[4 * trees.length];
        for (int a = 0; a < trees.length; a++) {
            boolean internal = masksLayerOne(shape, leaves, trees[a]);
            hidden[4 * a] = internal;
            hidden[4 * a + 1] = true;
            hidden[4 * a + 2] = internal;
            hidden[4 * a + 3] = true;
        }
        return hidden;
    }

    /** Whether the step masks tree t's P1 and Q1. */
    static boolean masksLayerOne(LogUpShape shape, boolean leaves, int tree) {
        return shape.treeVars()[tree] >= 2 || leaves;
    }

    /** The P1/Q1 masks the step commits: two per tree whose layer 1 it masks. */
    static int layerMasks(LogUpShape shape, boolean leaves) {
        int count = 0;
        for (int t : blindedTrees(shape)) {
            count += masksLayerOne(shape, leaves, t) ? 2 : 0;
        }
        return count;
    }

    static int[] roundDegrees(LogUpShape shape, boolean leaves) {
        return ZkSumcheckProver.roundDegreesOfPattern(1, GkrLayers.terms(blindedTrees(shape).length, Ext2.ONE), true, hiddenHalves(shape, leaves));
    }

    /**
     * Δ's weights for layer 1's claim over the step's P1/Q1 mask coefficients (in commitment order,
     * P1 then Q1 per masked tree): λ^(2a)·Z(r), λ^(2a+1)·Z(r) for the a-th tree of depth ≥ 2, with r
     * the step's point; zero for a tree of depth 1 (its masked layer 1 is its leaves, see {@link LeafMasks}).
     */
    static Ext2[] offsetWeights(LogUpShape shape, boolean leaves, Ext2 lambda, Ext2[] point) {
        Ext2 r = point[0];
        Ext2 z = r.mul(Ext2.ONE.sub(r));
        Ext2[] weights = new Ext2[layerMasks(shape, leaves)];
        int at = 0;
        Ext2 weight = Ext2.ONE;
        for (int t : blindedTrees(shape)) {
            if (!masksLayerOne(shape, leaves, t)) {
                continue;
            }
            if (shape.treeVars()[t] >= 2) {
                Ext2 next = weight.mul(lambda);
                weights[at] = weight.mul(z);
                weights[at + 1] = next.mul(z);
                weight = next.mul(lambda);
            } else {
                weights[at] = Ext2.ZERO;
                weights[at + 1] = Ext2.ZERO;
            }
            at += 2;
        }
        return weights;
    }

    /** B'(r), C'(r) per blinded tree, as the step's evaluations give them (p1 and q1 slots). */
    static Ext2[] blindingEvaluations(Ext2[] evaluations) {
        Ext2[] out = new Ext2[evaluations.length / 2];
        for (int a = 0; a < evaluations.length / 4; a++) {
            out[2 * a] = evaluations[4 * a + 1];
            out[2 * a + 1] = evaluations[4 * a + 3];
        }
        return out;
    }

    /** B'(r), C'(r) of committed blinding: (1 − r)·x_0 + r·x_1 + r(1 − r)·mask. */
    static Ext2[] evaluate(List<Ext2[]> blinding, Ext2 r) {
        Ext2 z = r.mul(Ext2.ONE.sub(r));
        Ext2[] out = new Ext2[2 * blinding.size()];
        for (int a = 0; a < blinding.size(); a++) {
            Ext2[] v = blinding.get(a);
            out[2 * a] = v[0].add(r.mul(v[1].sub(v[0]))).add(z.mul(v[4]));
            out[2 * a + 1] = v[2].add(r.mul(v[3].sub(v[2]))).add(z.mul(v[5]));
        }
        return out;
    }
}
