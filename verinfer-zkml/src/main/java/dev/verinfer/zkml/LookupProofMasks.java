package dev.verinfer.zkml;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.logup.LeafMaskWeights;
import dev.verinfer.logup.LeafMasks;
import dev.verinfer.logup.LogUpMaskLayout;
import dev.verinfer.logup.LogUpShape;
import dev.verinfer.sumcheck.SumcheckMask;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The look-up phase's masks as part of the per-proof hiding mask commitment M ({@link ProofMasks}): the
 * seam {@link LookupMaskCommitment} / {@link LookupMaskVerifier} implemented on M. Every mask the
 * zero-knowledge LogUp-GKR draws is known from the shape before the proof starts
 * ({@link LogUpMaskLayout}), so M holds them all from its commitment (right after the witness root) and
 * hands them out in order: each layer sumcheck's Libra mask g (blocks, like a MatMul's; g(r) opened as one linear
 * claim on M, {@link ProofMasks#evaluationClaim}), the one-coefficient layer masks c and the blinding
 * (b_0, b_1, c_0, c_1, m_B, m_C per tree) as scalars of M. Nothing is sent at commitment time.
 *
 * <p>Two openings are linear functionals of M that are no evaluation at a point, so they become
 * {@link MaskLinearClaims}: a layer's adjusted mask sum G* = Σg − Δ/ρ, with
 * Σg = 2^(n−1)·Σ_i (p_i(0) + p_i(1)) (the pieces at 0 and 1 are a block's corner entries) and
 * Δ = ⟨weights, the previous layer's c⟩; and each tree's B'(r) = (1 − r)·b_0 + r·b_1 + r(1 − r)·m_B and
 * C'(r) likewise. G*, B'(r) and C'(r) are already in the LogUp proof; their claims cost nothing to send.
 *
 * <p>With masked leaves (a look-up reads a private value) M also holds the leaf masks R of every looked-up
 * column and multiplicity vector, one scalar each ({@link LookupPhase#leafSlots}; a selector is public and
 * unmasked), and the leaf check's linear function of the layer masks and R is one more linear claim.
 */
final class LookupProofMasks {
    private LookupProofMasks() {}

    /** Which sumcheck and layer-mask group the argument has reached (both sides advance it alike). */
    private static final class Position {
        private final ProofMasks.ZkLayout layout;
        /** Per leaf mask in {@link LeafMaskWeights} order, its leaf scalar (−1: a public selector, unmasked); null: leaves revealed. */
        private final int[] leafSlots;
        private final List<Integer> groupStarts = new ArrayList<>();
        private int sumcheck = -1;
        private int nextScalar;
        private int currentStart;
        private int currentLength;
        private int previousStart;
        private int previousLength;
        private Ext2[] weights;
        private int weightsStart;

        Position(ProofMasks.ZkLayout layout, int[] leafSlots) {
            this.layout = layout;
            this.leafSlots = leafSlots;
        }

        /** The next sumcheck begins: the group committed since the last one becomes "previous". */
        int nextSumcheck() {
            sumcheck++;
            if (sumcheck >= layout.lookups().sumcheckCount()) {
                throw new IllegalStateException("the look-up argument runs more sumchecks than M holds masks for");
            }
            previousStart = currentStart;
            previousLength = currentLength;
            currentLength = 0;
            return layout.lookupSumcheck(sumcheck);
        }

        /** A group of {@code count} layer masks is committed: the next scalars. */
        int group(int count) {
            if (nextScalar + count > layout.lookups().totalLayerMasks()) {
                throw new IllegalStateException("the look-up argument commits more layer masks than M holds");
            }
            currentStart = nextScalar;
            currentLength = count;
            nextScalar += count;
            groupStarts.add(currentStart);
            return currentStart;
        }

        /** Δ's weights, over the group committed before the previous sumcheck. */
        void offsetWeights(Ext2[] w) {
            if (w.length != previousLength) {
                throw new IllegalStateException(w.length + " offset weights for " + previousLength + " committed layer masks");
            }
            weights = w.clone();
            weightsStart = previousStart;
        }

        /** G* = Σg − Δ/ρ for the current sumcheck's mask, as a linear claim on M. */
        void adjustedSum(MaskLinearClaims linear, Ext2 rho, Ext2 value) {
            if (weights == null) {
                throw new IllegalStateException("no hidden offset to open");
            }
            HiddenOffset.Builder delta = new HiddenOffset.Builder(layout);
            for (int k = 0; k < weights.length; k++) {
                delta.scalar(weightsStart + k, weights[k]);
            }
            ProofMasks.adjustedSum(layout, linear, layout.lookupSumcheck(sumcheck), layout.lookups().sumcheckVars(sumcheck), delta.build(), rho, value);
            weights = null;
        }

        /**
         * The leaf check's linear function of the layer masks and the leaf masks R (one coefficient each:
         * R(at_0) is the scalar itself), as a linear claim on M.
         */
        void leafOffset(MaskLinearClaims linear, LeafMaskWeights w, Ext2 value) {
            if (leafSlots == null) {
                throw new IllegalStateException("the leaf masks are not in the proof's mask commitment");
            }
            HiddenOffset.Builder all = new HiddenOffset.Builder(layout);
            int group = 0;
            for (Ext2[] layer : w.layerMasks()) {
                if (layer.length == 0) {
                    continue;
                }
                if (group >= groupStarts.size()) {
                    throw new IllegalStateException("the leaf check weighs more layer-mask groups than were committed");
                }
                for (int k = 0; k < layer.length; k++) {
                    all.scalar(groupStarts.get(group) + k, layer[k]);
                }
                group++;
            }
            Ext2[] factors = w.factors();
            if (factors.length != leafSlots.length) {
                throw new IllegalStateException(factors.length + " leaf masks weighed, M holds " + leafSlots.length);
            }
            int firstLeaf = layout.firstLeafScalar();
            for (int j = 0; j < factors.length; j++) {
                if (leafSlots[j] >= 0) {
                    all.scalar(firstLeaf + leafSlots[j], factors[j]);
                }
            }
            HiddenOffset offset = all.build();
            linear.add(offset.entries(), offset.weights(), value);
        }

        /** B'(r), C'(r) of every blinded tree, as linear claims on its six scalars. */
        void blinding(MaskLinearClaims linear, Ext2 r, Ext2[] values) {
            int trees = layout.lookups().blindedTrees();
            if (values.length != 2 * trees) {
                throw new IllegalStateException(values.length + " blinding values for " + trees + " trees");
            }
            Ext2 z = r.mul(Ext2.ONE.sub(r));
            Ext2[] factors = {Ext2.ONE.sub(r), r, z};
            int per = LogUpMaskLayout.blindingValues();
            for (int a = 0; a < trees; a++) {
                int base = layout.lookups().totalLayerMasks() + per * a;
                for (int half = 0; half < 2; half++) { // B from (b_0, b_1, m_B), C from (c_0, c_1, m_C)
                    int[] slots = {base + 2 * half, base + 2 * half + 1, base + 4 + half};
                    HiddenOffset b = HiddenOffset.NONE;
                    for (int k = 0; k < 3; k++) {
                        b = b.plus(HiddenOffset.scalar(layout, slots[k], factors[k]));
                    }
                    linear.add(b.entries(), b.weights(), values[2 * a + half]);
                }
            }
        }
    }

    /** The prover's side, on the proof's {@link ProofMasks.Committer}. */
    static final class Committer implements LookupMaskCommitment {
        private final ProofMasks.Committer masks;
        private final Position position;
        private final Ext2[] scalars;
        private final List<Ext2[]> pieces = new ArrayList<>();
        private int drawn;

        /** {@code leafSlots}: the leaf masks' scalars ({@link LookupPhase#leafSlots}), or null when the leaves are revealed. */
        Committer(ProofMasks.Committer masks, int[] leafSlots) {
            this.masks = masks;
            this.position = new Position(masks.layout(), leafSlots);
            this.scalars = masks.scalars();
        }

        @Override
        public Ext2[][] drawBlinding(int trees, RandomGenerator random) {
            Ext2[][] b = masks.blinding();
            if (b.length != trees) {
                throw new IllegalStateException("the look-up argument blinds " + trees + " trees; M holds " + b.length);
            }
            return Arrays.stream(b).map(Ext2[]::clone).toArray(Ext2[][]::new);
        }

        @Override
        public VanishingMask drawLayerMask(RandomGenerator random) {
            if (drawn >= masks.layout().lookups().totalLayerMasks()) {
                throw new IllegalStateException("the look-up argument draws more layer masks than M holds");
            }
            return new VanishingMask(new Ext2[] {scalars[drawn++]});
        }

        @Override
        public SumcheckMask drawMask(int[] degrees, RandomGenerator random) {
            SumcheckMask g = masks.mask(position.nextSumcheck());
            if (g.numVars() != degrees.length || !masks.layout().lookups().sumcheckHasDegrees(position.sumcheck, degrees)) {
                throw new IllegalStateException("a look-up sumcheck of degrees " + Arrays.toString(degrees) + " was not laid out in M");
            }
            return g;
        }

        @Override
        public void commit(Transcript transcript, SumcheckMask mask) {
            masks.commit(transcript, mask);
        }

        @Override
        public void open(Transcript transcript, SumcheckMask mask, Ext2[] point, Ext2 value) {
            masks.open(transcript, mask, point, value);
            Ext2[] sent = masks.takePending();
            if (sent != null) {
                pieces.add(sent);
            }
        }

        @Override
        public void openAdjustedSum(Transcript transcript, SumcheckMask mask, Ext2 rho, Ext2 value) {
            position.adjustedSum(masks.linear(), rho, value);
        }

        @Override
        public void commitLayerMasks(Transcript transcript, VanishingMask[] layer) {
            int start = position.group(layer.length);
            for (int k = 0; k < layer.length; k++) {
                if (!layer[k].coefficients()[0].equals(scalars[start + k])) {
                    throw new IllegalStateException("a look-up layer mask is not the one M holds");
                }
            }
        }

        @Override
        public void offsetWeights(Ext2[] weights) {
            position.offsetWeights(weights);
        }

        @Override
        public void commitBlinding(Transcript transcript, Ext2[][] blinding) {
            if (!Arrays.deepEquals(blinding, masks.blinding())) {
                throw new IllegalStateException("the look-up blinding is not the one M holds");
            }
        }

        @Override
        public void openBlinding(Transcript transcript, Ext2 r, Ext2[] values) {
            position.blinding(masks.linear(), r, values);
        }

        /** Nothing to send: M, committed before the look-up phase, holds the leaf masks' scalars. */
        @Override
        public void commitLeafMasks(Transcript transcript, LeafMasks leaves) {}

        @Override
        public void openLeafOffset(Transcript transcript, LeafMaskWeights weights, Ext2 value) {
            position.leafOffset(masks.linear(), weights, value);
        }

        /** Writes the pieces of every look-up mask opening that sent some, after the LogUp proof (the verifier reads them there). */
        @Override
        public void finish(ProofWriter out) {
            for (Ext2[] p : pieces) {
                out.writeExts(p);
            }
        }
    }

    /** The verifier's side, on the proof's {@link ProofMasks.Verifier}. */
    static final class Verifier implements LookupMaskVerifier {
        private final ProofMasks.Verifier masks;
        private final Position position;

        Verifier(ProofMasks.Verifier masks, int[] leafSlots) {
            this.masks = masks;
            this.position = new Position(masks.layout(), leafSlots);
        }

        @Override
        public void receiveCommitment(Transcript transcript) throws SumcheckRejectedException {
            try {
                masks.sumcheck(position.nextSumcheck());
            } catch (IllegalStateException e) {
                throw new SumcheckRejectedException(e.getMessage());
            }
        }

        @Override
        public void verifyOpening(Transcript transcript, Ext2[] point, Ext2 value) throws SumcheckRejectedException {
            masks.verifyOpening(transcript, point, value);
        }

        @Override
        public void verifyAdjustedSum(Transcript transcript, Ext2 rho, Ext2 value) throws SumcheckRejectedException {
            try {
                position.adjustedSum(masks.linear(), rho, value);
            } catch (IllegalStateException e) {
                throw new SumcheckRejectedException(e.getMessage());
            }
        }

        @Override
        public void receiveLayerMasks(Transcript transcript, int count) throws SumcheckRejectedException {
            try {
                position.group(count);
            } catch (IllegalStateException e) {
                throw new SumcheckRejectedException(e.getMessage());
            }
        }

        @Override
        public void offsetWeights(Ext2[] weights) {
            position.offsetWeights(weights);
        }

        @Override
        public void receiveBlinding(Transcript transcript, int trees) throws SumcheckRejectedException {
            if (trees != masks.layout().lookups().blindedTrees()) {
                throw new SumcheckRejectedException("the look-up argument blinds " + trees + " trees; M holds " + masks.layout().lookups().blindedTrees());
            }
        }

        @Override
        public void verifyBlinding(Transcript transcript, Ext2 r, Ext2[] values) throws SumcheckRejectedException {
            try {
                position.blinding(masks.linear(), r, values);
            } catch (IllegalStateException e) {
                throw new SumcheckRejectedException(e.getMessage());
            }
        }

        @Override
        public void receiveLeafMasks(Transcript transcript, LogUpShape shape) {}

        @Override
        public boolean masksLeaves() {
            return position.leafSlots != null;
        }

        @Override
        public void verifyLeafOffset(Transcript transcript, LeafMaskWeights weights, Ext2 value) throws SumcheckRejectedException {
            try {
                position.leafOffset(masks.linear(), weights, value);
            } catch (IllegalStateException e) {
                throw new SumcheckRejectedException(e.getMessage());
            }
        }

        @Override
        public LeafMasks leafMasks() {
            return null;
        }
    }
}
