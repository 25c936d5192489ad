package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.logup.GkrMaskVerifier;
import dev.verinfer.logup.LeafMaskWeights;
import dev.verinfer.logup.LeafMasks;
import dev.verinfer.logup.LogUpShape;
import dev.verinfer.sumcheck.SumcheckMask;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The look-up phase's mask commitment until the proof's shared hiding mask polynomial exists: binding
 * but NOT hiding. Every mask (sumcheck masks g, layer masks, the roots' blinding, the leaf masks R) is "committed" by
 * absorbing its coefficients into the transcript when the protocol commits it — so it is fixed before
 * every challenge it enters, and soundness is exactly that of a binding commitment — and the
 * coefficients are written to the proof after the LogUp proof, where the verifier reads them in the
 * same order and evaluates every opening itself. Since the masks are public, a proof using this
 * reveals what the unmasked protocol reveals: {@link ZeroKnowledge#uncovered} therefore still refuses
 * every look-up op that reads a private value. Replace it at {@link LookupPhase#maskCommitter} and
 * {@link LookupPhase#maskVerifier} (docs/proof-system.md, "Zero-knowledge").
 */
final class ClearLookupMasks {
    /** Most values in one mask message (the leaf masks of up to 4096 groups of a few columns are the largest). */
    private static final int MAX_VALUES = 1 << 16;
    private static final int MAX_DEGREE = 16;
    /** Most rounds of a look-up sumcheck (a GKR layer has at most 27 variables). */
    private static final int MAX_ROUNDS = 32;

    private ClearLookupMasks() {}

    /** The prover's side: absorbs each mask as it is committed and writes them all with {@link #write}. */
    static final class Committer implements LookupMaskCommitment {
        private final List<Consumer<ProofWriter>> messages = new ArrayList<>();

        @Override
        public void commit(Transcript t, SumcheckMask mask) {
            long[] degrees = new long[mask.numVars()];
            for (int i = 0; i < degrees.length; i++) {
                degrees[i] = mask.degree(i);
            }
            Ext2[] flat = mask.flattened();
            t.absorbFields("zk-lookup/mask-degrees", degrees);
            t.absorbExts("zk-lookup/mask", flat);
            messages.add(w -> w.writeFields(degrees).writeExts(flat));
        }

        @Override
        public void open(Transcript t, SumcheckMask mask, Ext2[] point, Ext2 value) {}

        @Override
        public void openAdjustedSum(Transcript t, SumcheckMask mask, Ext2 rho, Ext2 value) {}

        @Override
        public void commitLayerMasks(Transcript t, VanishingMask[] masks) {
            Ext2[] c = Arrays.stream(masks).map(m -> m.coefficients()[0]).toArray(Ext2[]::new);
            t.absorbExts("zk-lookup/layer-masks", c);
            messages.add(w -> w.writeExts(c));
        }

        @Override
        public void offsetWeights(Ext2[] weights) {}

        @Override
        public void commitLeafMasks(Transcript t, LeafMasks masks) {
            Ext2[] flat = flatten(masks);
            t.absorbExts("zk-lookup/leaf-masks", flat);
            messages.add(w -> w.writeExts(flat));
        }

        @Override
        public void openLeafOffset(Transcript t, LeafMaskWeights weights, Ext2 value) {}

        @Override
        public void commitBlinding(Transcript t, Ext2[][] blinding) {
            Ext2[] flat = Arrays.stream(blinding).flatMap(Arrays::stream).toArray(Ext2[]::new);
            t.absorbExts("zk-lookup/blinding", flat);
            messages.add(w -> w.writeExts(flat));
        }

        @Override
        public void openBlinding(Transcript t, Ext2 r, Ext2[] values) {}

        /** Writes every committed mask, in commitment order. */
        @Override
        public void finish(ProofWriter out) {
            for (Consumer<ProofWriter> m : messages) {
                m.accept(out);
            }
        }
    }

    /** The verifier's side: reads each mask from the proof (after the LogUp proof) as the protocol reaches its commitment. */
    static final class Verifier implements LookupMaskVerifier {
        private final ProofReader in;
        private final List<Ext2[]> allLayerMasks = new ArrayList<>();
        private LeafMasks leafMasks;
        private SumcheckMask current;
        private Ext2[] layerMasks;
        private Ext2[] weights;
        private Ext2[] weightsOver;
        private List<Ext2[]> blinding;

        Verifier(ProofReader in) {
            this.in = in;
        }

        @Override
        public void receiveCommitment(Transcript t) throws SumcheckRejectedException {
            try {
                long[] degrees = in.readFields(MAX_ROUNDS, "look-up mask degrees");
                Ext2[] flat = in.readExts(MAX_VALUES, "look-up mask");
                int expected = 1;
                for (long d : degrees) {
                    if (d < 1 || d > MAX_DEGREE) {
                        throw new SumcheckRejectedException("a look-up mask has degree " + d);
                    }
                    expected += (int) d;
                }
                if (flat.length != expected) {
                    throw new SumcheckRejectedException("a look-up mask has " + flat.length + " coefficients for " + expected);
                }
                Ext2[][] a = new Ext2[degrees.length][];
                int at = 1;
                for (int i = 0; i < degrees.length; i++) {
                    a[i] = Arrays.copyOfRange(flat, at, at + (int) degrees[i]);
                    at += (int) degrees[i];
                }
                current = new SumcheckMask(flat[0], a);
                t.absorbFields("zk-lookup/mask-degrees", degrees);
                t.absorbExts("zk-lookup/mask", flat);
            } catch (MalformedProofException e) {
                throw new SumcheckRejectedException("malformed look-up mask: " + e.getMessage());
            }
        }

        @Override
        public void verifyOpening(Transcript t, Ext2[] point, Ext2 value) throws SumcheckRejectedException {
            if (current == null || current.numVars() != point.length || !current.evaluate(point).equals(value)) {
                throw new SumcheckRejectedException("mask evaluation is not the committed mask's");
            }
        }

        @Override
        public void verifyAdjustedSum(Transcript t, Ext2 rho, Ext2 value) throws SumcheckRejectedException {
            if (current == null || weights == null || weightsOver == null || weights.length != weightsOver.length) {
                throw new SumcheckRejectedException("no hidden offset to open");
            }
            Ext2 delta = Ext2.ZERO;
            for (int k = 0; k < weights.length; k++) {
                delta = delta.add(weights[k].mul(weightsOver[k]));
            }
            if (!current.sum().sub(delta.mul(rho.inverse())).equals(value)) {
                throw new SumcheckRejectedException("G* is not Σg − Δ/ρ for the committed masks");
            }
            weights = null;
        }

        @Override
        public void receiveLayerMasks(Transcript t, int count) throws SumcheckRejectedException {
            layerMasks = readExts(count, "layer masks");
            allLayerMasks.add(layerMasks);
            t.absorbExts("zk-lookup/layer-masks", layerMasks);
        }

        @Override
        public void receiveLeafMasks(Transcript t, LogUpShape shape) throws SumcheckRejectedException {
            int count = shape.tables().size();
            for (LogUpShape.GroupShape g : shape.groups()) {
                count += shape.tables().get(g.table()).numColumns() + (g.hasSelector() ? 1 : 0);
            }
            Ext2[] flat = readExts(count, "leaf masks");
            t.absorbExts("zk-lookup/leaf-masks", flat);
            List<VanishingMask[]> groups = new ArrayList<>();
            int at = 0;
            for (LogUpShape.GroupShape g : shape.groups()) {
                VanishingMask[] m = new VanishingMask[shape.tables().get(g.table()).numColumns() + (g.hasSelector() ? 1 : 0)];
                for (int k = 0; k < m.length; k++) {
                    m[k] = new VanishingMask(new Ext2[] {flat[at++]});
                }
                groups.add(m);
            }
            List<VanishingMask> multiplicities = new ArrayList<>();
            for (int k = 0; k < shape.tables().size(); k++) {
                multiplicities.add(new VanishingMask(new Ext2[] {flat[at++]}));
            }
            leafMasks = new LeafMasks(groups, multiplicities);
        }

        @Override
        public LeafMasks leafMasks() {
            return leafMasks;
        }

        @Override
        public boolean masksLeaves() {
            return leafMasks != null;
        }

        @Override
        public void verifyLeafOffset(Transcript t, LeafMaskWeights w, Ext2 value) throws SumcheckRejectedException {
            List<Ext2[]> layerWeights = w.layerMasks();
            Ext2[] leaves = flatten(leafMasks);
            if (layerWeights.size() != allLayerMasks.size() || w.factors().length != leaves.length) {
                throw new SumcheckRejectedException("the leaf offset does not fit the committed masks");
            }
            Ext2 expected = Ext2.ZERO;
            for (int k = 0; k < layerWeights.size(); k++) {
                Ext2[] lw = layerWeights.get(k);
                if (lw.length != allLayerMasks.get(k).length) {
                    throw new SumcheckRejectedException("the leaf offset does not fit the committed layer masks");
                }
                for (int j = 0; j < lw.length; j++) {
                    expected = expected.add(lw[j].mul(allLayerMasks.get(k)[j]));
                }
            }
            for (int j = 0; j < leaves.length; j++) {
                expected = expected.add(w.factors()[j].mul(leaves[j])); // one-coefficient R: R(x) = c
            }
            if (!expected.equals(value)) {
                throw new SumcheckRejectedException("the masked leaves do not match the committed leaf masks");
            }
        }

        @Override
        public void offsetWeights(Ext2[] w) {
            weights = w.clone();
            weightsOver = layerMasks;
        }

        @Override
        public void receiveBlinding(Transcript t, int trees) throws SumcheckRejectedException {
            Ext2[] flat = readExts(6 * trees, "blinding");
            t.absorbExts("zk-lookup/blinding", flat);
            blinding = new ArrayList<>();
            for (int a = 0; a < trees; a++) {
                blinding.add(Arrays.copyOfRange(flat, 6 * a, 6 * a + 6));
            }
        }

        @Override
        public void verifyBlinding(Transcript t, Ext2 r, Ext2[] values) throws SumcheckRejectedException {
            if (blinding == null || !Arrays.equals(GkrMaskVerifier.blindingEvaluations(blinding, r), values)) {
                throw new SumcheckRejectedException("B'(r), C'(r) are not the committed blinding's");
            }
        }

        private Ext2[] readExts(int count, String what) throws SumcheckRejectedException {
            try {
                Ext2[] v = in.readExts(MAX_VALUES, "look-up " + what);
                if (v.length != count) {
                    throw new SumcheckRejectedException("look-up " + what + ": " + v.length + " values, " + count + " expected");
                }
                return v;
            } catch (MalformedProofException e) {
                throw new SumcheckRejectedException("malformed look-up " + what + ": " + e.getMessage());
            }
        }
    }

    /** The leaf masks' single coefficients, in {@link LeafMaskWeights} order (each group's columns then selector, then each table's). */
    private static Ext2[] flatten(LeafMasks masks) {
        List<Ext2> out = new ArrayList<>();
        for (VanishingMask[] g : masks.groups()) {
            for (VanishingMask m : g) {
                out.add(one(m));
            }
        }
        for (VanishingMask m : masks.multiplicities()) {
            out.add(one(m));
        }
        return out.toArray(Ext2[]::new);
    }

    private static Ext2 one(VanishingMask m) {
        Ext2[] c = m.coefficients();
        if (c.length != 1) {
            throw new IllegalArgumentException("a look-up leaf mask is evaluated once: one coefficient, not " + c.length);
        }
        return c[0];
    }
}
