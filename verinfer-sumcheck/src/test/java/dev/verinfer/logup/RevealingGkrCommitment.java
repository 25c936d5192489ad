package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.sumcheck.MaskVerifier;
import dev.verinfer.sumcheck.RevealingMaskCommitment;
import dev.verinfer.sumcheck.SumcheckMask;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A binding, NOT hiding {@link GkrMaskCommitter} for the tests: sumcheck masks as in
 * {@link RevealingMaskCommitment}; each layer's vanishing-mask coefficients committed by value
 * (a stand-in for a digest: the verifier compares them) and revealed when an adjusted sum is opened.
 * A zero-knowledge proof opens these linear functions in a hiding PCS instead.
 */
final class RevealingGkrCommitment implements GkrMaskCommitter {
    final RevealingMaskCommitment sumchecks = new RevealingMaskCommitment();
    final List<Ext2[]> layerMasks = new ArrayList<>();
    /** The committed blinding, one row (b_0, b_1, c_0, c_1, m_B, m_C) per blinded tree. */
    final List<Ext2[]> blinding = new ArrayList<>();
    /** The caller's leaf masks R, flattened in {@link LeafMaskWeights} order (null: leaves unmasked). */
    final List<Ext2[]> leafMasks;

    RevealingGkrCommitment() {
        this(null);
    }

    /** A commitment that also holds the caller's leaf masks (as the shared mask polynomial would). */
    RevealingGkrCommitment(LeafMasks leaves) {
        if (leaves == null) {
            leafMasks = null;
            return;
        }
        leafMasks = new ArrayList<>();
        for (VanishingMask[] g : leaves.groups()) {
            for (VanishingMask m : g) {
                leafMasks.add(m.coefficients());
            }
        }
        for (VanishingMask m : leaves.multiplicities()) {
            leafMasks.add(m.coefficients());
        }
    }

    @Override
    public void openLeafOffset(Transcript t, LeafMaskWeights weights, Ext2 value) {
        t.absorbExt("test-gkr/leaf-offset", value);
    }

    @Override
    public void commitBlinding(Transcript t, Ext2[][] values) {
        for (Ext2[] v : values) {
            blinding.add(v.clone());
        }
        t.absorbField("test-gkr/blinding", values.length);
    }

    @Override
    public void openBlinding(Transcript t, Ext2 r, Ext2[] values) {
        t.absorbExts("test-gkr/blinding-opened", values);
    }

    @Override
    public void commit(Transcript t, SumcheckMask mask) {
        sumchecks.commit(t, mask);
    }

    @Override
    public void open(Transcript t, SumcheckMask mask, Ext2[] point, Ext2 value) {
        sumchecks.open(t, mask, point, value);
    }

    @Override
    public void commitLayerMasks(Transcript t, VanishingMask[] masks) {
        Ext2[] c = Arrays.stream(masks).map(m -> m.coefficients()[0]).toArray(Ext2[]::new);
        layerMasks.add(c);
        t.absorbField("test-gkr/layer-masks", c.length);
    }

    @Override
    public void offsetWeights(Ext2[] weights) {}

    @Override
    public void openAdjustedSum(Transcript t, SumcheckMask mask, Ext2 rho, Ext2 value) {
        t.absorbField("test-gkr/adjusted-sum-opened", 1);
    }

    /** The verifier of the recorded messages; {@code layerMasks} as the prover committed them, or altered. */
    GkrMaskVerifier verifier() {
        MaskVerifier inner = sumchecks.verifier();
        List<Ext2[]> committed = layerMasks.stream().map(Ext2[]::clone).toList();
        List<Ext2[]> openedSumchecks = sumchecks.revealed.stream().map(Ext2[]::clone).toList();
        List<Ext2[]> committedBlinding = blinding.stream().map(Ext2[]::clone).toList();
        List<Ext2[]> committedLeaves = leafMasks == null ? null : leafMasks.stream().map(Ext2[]::clone).toList();
        return new GkrMaskVerifier() {
            @Override
            public boolean masksLeaves() {
                return committedLeaves != null;
            }

            @Override
            public void verifyLeafOffset(Transcript t, LeafMaskWeights w, Ext2 value) throws SumcheckRejectedException {
                List<Ext2[]> layerWeights = w.layerMasks();
                if (committedLeaves == null || layerWeights.size() != committed.size() || w.factors().length != committedLeaves.size()) {
                    throw new SumcheckRejectedException("the leaf offset does not fit the committed masks");
                }
                Ext2 expected = Ext2.ZERO;
                for (int k = 0; k < layerWeights.size(); k++) {
                    Ext2[] lw = layerWeights.get(k);
                    if (lw.length != committed.get(k).length) {
                        throw new SumcheckRejectedException("layer " + k + " has " + committed.get(k).length + " masks");
                    }
                    for (int j = 0; j < lw.length; j++) {
                        expected = expected.add(lw[j].mul(committed.get(k)[j]));
                    }
                }
                for (int j = 0; j < committedLeaves.size(); j++) {
                    expected = expected.add(w.factors()[j].mul(new VanishingMask(committedLeaves.get(j)).randomiser(w.points()[j])));
                }
                if (!expected.equals(value)) {
                    throw new SumcheckRejectedException("the leaf offset is not the committed masks'");
                }
                t.absorbExt("test-gkr/leaf-offset", value);
            }

            @Override
            public void receiveBlinding(Transcript t, int trees) throws SumcheckRejectedException {
                if (committedBlinding.size() != trees) {
                    throw new SumcheckRejectedException("no blinding commitment for " + trees + " trees");
                }
                t.absorbField("test-gkr/blinding", trees);
            }

            @Override
            public void verifyBlinding(Transcript t, Ext2 r, Ext2[] values) throws SumcheckRejectedException {
                if (!Arrays.equals(GkrMaskVerifier.blindingEvaluations(committedBlinding, r), values)) {
                    throw new SumcheckRejectedException("B'(r), C'(r) are not the committed blinding's");
                }
                t.absorbExts("test-gkr/blinding-opened", values);
            }

            private int layers;
            private int openings;
            private Ext2[] weights;
            private Ext2[] weightsOver;
            private int lastRounds;

            @Override
            public void receiveCommitment(Transcript t) throws SumcheckRejectedException {
                inner.receiveCommitment(t);
            }

            @Override
            public void verifyOpening(Transcript t, Ext2[] point, Ext2 value) throws SumcheckRejectedException {
                inner.verifyOpening(t, point, value);
                openings++;
                lastRounds = point.length;
            }

            @Override
            public void receiveLayerMasks(Transcript t, int count) throws SumcheckRejectedException {
                if (layers >= committed.size() || committed.get(layers).length != count) {
                    throw new SumcheckRejectedException("no layer-mask commitment of " + count + " coefficients");
                }
                t.absorbField("test-gkr/layer-masks", count);
                layers++;
            }

            @Override
            public void offsetWeights(Ext2[] w) {
                weights = w.clone();
                weightsOver = layers == 0 ? null : committed.get(layers - 1);
            }

            @Override
            public void verifyAdjustedSum(Transcript t, Ext2 rho, Ext2 value) throws SumcheckRejectedException {
                if (weights == null || weightsOver == null || weights.length != weightsOver.length) {
                    throw new SumcheckRejectedException("no offset to open");
                }
                t.absorbField("test-gkr/adjusted-sum-opened", 1);
                Ext2 delta = Ext2.ZERO;
                for (int k = 0; k < weights.length; k++) {
                    delta = delta.add(weights[k].mul(weightsOver[k]));
                }
                // Σg = 2^n·a_0 + 2^(n−1)·Σ a_{i,k} for the mask just opened (n its variable count).
                Ext2[] c = openedSumchecks.get(openings - 1);
                Ext2 rest = Ext2.ZERO;
                for (int k = 1; k < c.length; k++) {
                    rest = rest.add(c[k]);
                }
                int n = lastRounds;
                Ext2 sum = c[0].mul(Goldilocks.pow(2, n)).add(n == 0 ? Ext2.ZERO : rest.mul(Goldilocks.pow(2, n - 1)));
                if (!sum.sub(delta.mul(rho.inverse())).equals(value)) {
                    throw new SumcheckRejectedException("G* is not Σg − Δ/ρ for the committed masks");
                }
                weights = null;
            }
        };
    }
}
