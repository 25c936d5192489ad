package dev.verinfer.zkml;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import dev.verinfer.field.Goldilocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Committed inputs and outputs of zero-knowledge proofs: hiding roots, every claim on the tensor masked and opened as the
 * witness is ({@link ZkWitnessBatching}), a committed input still range-checked and zero-padded, and a pipeline link as one
 * hiding commitment opened by the producer's proof and the consumer's ({@link CommittedTensors}).
 */
class ZkCommittedIoTest {
    private static QuantGraph first;
    private static QuantGraph second;
    private static ProvingKey key1;
    private static ProvingKey key2;

    /** x[3,6] · W[6,8] + b → Rescale by 2^12 → ReLU table → y[3,8] at scale 4 (x's rows 3 and columns 6 padded). */
    static QuantGraph producer(long seed) {
        return producer(seed, 8);
    }

    /** As {@link #producer(long)} with W[6, {@code columns}] and b[{@code columns}] (y[3, columns]). */
    static QuantGraph producer(long seed, int columns) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 3, 6);
        int w = b.weight("w", 8, 200, 6, columns);
        int bias = b.weight("b", 16, 20000, columns);
        int z = b.node("gemm", new QOp.MatMul(x, w, bias), 16, 30, 3, columns);
        int q = b.node("rescale", new QOp.Rescale(z, 12), 4, 9, 3, columns);
        b.output(b.node("relu", new QOp.Lookup(q, LookupTable.build("relu", 4, 4, 9, -512, 1024)), 4, 9, 3, columns));
        return b.build();
    }

    /** x[3,8] at the producer's output format · W[8,4] → Rescale by 2^8 → y[3,4]. */
    static QuantGraph consumer(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 4, 9, 3, 8);
        int w = b.weight("w", 8, 200, 8, 4);
        int z = b.node("gemm", new QOp.MatMul(x, w, -1), 12, 30, 3, 4);
        b.output(b.node("rescale", new QOp.Rescale(z, 8), 4, 12, 3, 4));
        return b.build();
    }

    @BeforeAll
    static void setUp() {
        first = producer(21);
        second = consumer(22);
        key1 = ZkMatMulProofTest.zkKey(first, PcsSecurity.CONJECTURED, 64);
        key2 = ZkMatMulProofTest.zkKey(second, PcsSecurity.CONJECTURED, 64);
    }

    private static Execution run1(long seed) {
        return ZkMatMulProofTest.run(first, seed);
    }

    private static void assertValid(ProvingKey key, Proof p) {
        VerificationResult r = Verifier.verify(key.verifyingKey(), p.bytes());
        assertTrue(r.valid(), r.reason());
    }

    @Test
    void committedInputsAndOutputsVerify() {
        Execution e = run1(3);
        for (Visibility[] v : new Visibility[][] {{Visibility.COMMITTED, Visibility.PUBLIC}, {Visibility.PUBLIC, Visibility.COMMITTED},
                {Visibility.COMMITTED, Visibility.COMMITTED}}) {
            Proof p = Prover.prove(key1, e, v[0], v[1]);
            assertValid(key1, p);
        }
    }

    @Test
    void twoStepZeroKnowledgeChainLinksThroughOneHidingCommitment() {
        Execution e1 = run1(5);
        long[] handOver = e1.value(first.outputs().getFirst());
        Execution e2;
        try (IntegerExecutor ex = new IntegerExecutor(1)) {
            e2 = ex.runQuantised(second, Map.of("x", handOver));
        }
        CommittedTensors made = new CommittedTensors();
        Proof p1 = Prover.prove(key1, e1, Visibility.PUBLIC, Visibility.COMMITTED, new byte[0], made);
        Proof p2 = Prover.prove(key2, e2, Visibility.COMMITTED, Visibility.PUBLIC, new byte[0], new CommittedTensors().input(0, made.output(0)));
        assertValid(key1, p1);
        assertValid(key2, p2);
        assertArrayEquals(p1.statement().outputRoots().getFirst(), p2.statement().inputRoots().getFirst(), "the steps chain through one commitment");
    }

    /**
     * A link handed over as (values, seed) rather than as the commitment object — what a prover in another process gets: the
     * producer commits its output by {@link TensorCommitments#hiding} from a seed, the consumer rebuilds the commitment from
     * the values and the seed, and both statements name one root, which is not the values' plain root. Another seed, or
     * other values under the right seed, give another root (the link breaks), and a producer's commitment to other values
     * than its output is refused or rejected.
     */
    @Test
    void aLinkHandedOverAsValuesAndSeedIsOneHidingRoot() {
        Execution e1 = run1(12);
        int y = first.outputs().getFirst();
        long[] out = e1.value(y);
        int[] shape = first.tensor(y).shape();
        byte[] seed = new byte[TensorCommitments.SEED_BYTES];
        new java.util.SplittableRandom(5).nextBytes(seed);
        dev.verinfer.pcs.PcsCommitment made = TensorCommitments.hiding(key1.verifyingKey(), shape, out, seed, new java.util.SplittableRandom(6));
        Proof p1 = Prover.prove(key1, e1, Visibility.PUBLIC, Visibility.COMMITTED, new byte[0], new CommittedTensors().output(0, made));
        assertValid(key1, p1);
        byte[] root = p1.statement().outputRoots().getFirst();
        assertArrayEquals(made.root(), root);
        assertArrayEquals(root, TensorCommitments.hidingRoot(key2.verifyingKey(), second.tensor(second.inputs().getFirst()).shape(), out, seed));
        assertFalse(java.util.Arrays.equals(root, TensorCommitments.root(shape, out, PcsSecurity.CONJECTURED)), "a hiding root is not the values' root");

        dev.verinfer.pcs.PcsCommitment rebuilt = TensorCommitments.hiding(key2.verifyingKey(), shape, out, seed, new java.util.SplittableRandom(7));
        Proof p2 = Prover.prove(key2, consumerRun(out), Visibility.COMMITTED, Visibility.PUBLIC, new byte[0], new CommittedTensors().input(0, rebuilt));
        assertValid(key2, p2);
        assertArrayEquals(root, p2.statement().inputRoots().getFirst(), "the consumer's proof names the producer's root");

        byte[] otherSeed = seed.clone();
        otherSeed[0] ^= 1;
        long[] otherValues = out.clone();
        otherValues[0] += 1;
        assertFalse(java.util.Arrays.equals(root, TensorCommitments.hidingRoot(key2.verifyingKey(), shape, out, otherSeed)), "another seed, another root");
        assertFalse(java.util.Arrays.equals(root, TensorCommitments.hidingRoot(key2.verifyingKey(), shape, otherValues, seed)), "other values, another root");
        dev.verinfer.pcs.PcsCommitment wrong = TensorCommitments.hiding(key1.verifyingKey(), shape, otherValues, seed, new java.util.SplittableRandom(8));
        assertRejected(key1, proveOrRefuse(() -> Prover.prove(key1, e1, Visibility.PUBLIC, Visibility.COMMITTED, new byte[0],
                new CommittedTensors().output(0, wrong))), "a committed output's commitment to other values");
    }

    /** The proof, or null when the honest prover's algorithm refuses the tampered tensors (an opening of values that are not the committed ones). */
    private static Proof proveOrRefuse(java.util.function.Supplier<Proof> prove) {
        try {
            return prove.get();
        } catch (IllegalArgumentException | IllegalStateException refused) {
            return null;
        }
    }

    private static void assertRejected(ProvingKey key, Proof p, String what) {
        if (p != null) {
            VerificationResult r = Verifier.verify(key.verifyingKey(), p.bytes());
            assertFalse(r.valid(), what + " accepted");
        }
    }

    /** A byte of the committed input's or output's root flipped in the statement: the transcript and the opening reject it. */
    @Test
    void aTamperedRootIsRejected() {
        Proof p = Prover.prove(key1, run1(6), Visibility.COMMITTED, Visibility.COMMITTED);
        for (byte[] root : List.of(p.statement().inputRoots().getFirst(), p.statement().outputRoots().getFirst())) {
            int at = indexOf(p.bytes(), root);
            assertTrue(at > 0, "the root is in the proof's statement");
            byte[] bad = p.bytes().clone();
            bad[at + 7] ^= 1;
            assertFalse(Verifier.verify(key1.verifyingKey(), bad).valid(), "a root with a flipped bit accepted");
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The committed input out of range, each downstream tensor re-derived over the field: a non-integer field element, a value
     * beyond the bound 2^12, a non-zero padding slot. The range look-up and the opening's padding zero-check reject each.
     */
    @Test
    void anOutOfRangeCommittedInputIsRejected() {
        int x = first.inputs().getFirst();
        var inputs = AdversarialProver.inputsOf(first, run1(8));
        int padding = -1;
        for (int slot = 0; slot < key1.plan().shapes[x].paddedSize() && padding < 0; slot++) {
            padding = AdversarialProver.isPadding(key1.plan().shapes[x], slot) ? slot : -1;
        }
        assertTrue(padding > 0);
        Map<String, AdversarialProver.Rewrite> forged = Map.of(
                "a non-integer committed input", AdversarialProver.overwrite(x, 0, (h, t) -> Goldilocks.mul(Goldilocks.fromSigned(7), Goldilocks.inverse(2))),
                "a committed input beyond 2^12", AdversarialProver.overwrite(x, 0, (h, t) -> Goldilocks.fromSigned((1 << 12) + 5)),
                "a committed input of -2^12 - 1", AdversarialProver.overwrite(x, 1, (h, t) -> Goldilocks.fromSigned(-(1 << 12) - 1)),
                "a non-zero padding slot of the committed input", AdversarialProver.overwrite(x, padding, (h, t) -> 3));
        for (var e : forged.entrySet()) {
            long[][] trace = AdversarialProver.trace(key1, inputs, e.getValue());
            assertRejected(key1, proveOrRefuse(() -> AdversarialProver.prove(key1, trace, Visibility.COMMITTED, Visibility.PUBLIC)), e.getKey());
        }
        long[][] honest = AdversarialProver.trace(key1, inputs, AdversarialProver.Rewrite.NONE);
        Proof ok = AdversarialProver.prove(key1, honest, Visibility.COMMITTED, Visibility.PUBLIC);
        assertTrue(Verifier.verify(key1.verifyingKey(), ok.bytes()).valid(), "the honest trace through the same seam");
    }

    /**
     * Wrong committed values: the committed output overwritten (a real slot + 1, a padding slot) with everything else honest, and a
     * consumer opening the producer's commitment with another input than the one committed — none is accepted; a consumer that
     * commits its other input afresh has another root, so the link breaks.
     */
    @Test
    void aWrongCommittedValueIsRejected() {
        int y = first.outputs().getFirst();
        var inputs = AdversarialProver.inputsOf(first, run1(9));
        int padding = -1;
        for (int slot = 0; slot < key1.plan().shapes[y].paddedSize() && padding < 0; slot++) {
            padding = AdversarialProver.isPadding(key1.plan().shapes[y], slot) ? slot : -1;
        }
        for (AdversarialProver.Rewrite r : List.of(AdversarialProver.overwrite(y, 0, (h, t) -> Goldilocks.add(h, 1)),
                AdversarialProver.overwrite(y, padding, (h, t) -> 2))) {
            long[][] trace = AdversarialProver.trace(key1, inputs, r);
            assertRejected(key1, proveOrRefuse(() -> AdversarialProver.prove(key1, trace, Visibility.PUBLIC, Visibility.COMMITTED)), "a wrong committed output");
        }

        Execution e1 = run1(10);
        CommittedTensors made = new CommittedTensors();
        Proof p1 = Prover.prove(key1, e1, Visibility.PUBLIC, Visibility.COMMITTED, new byte[0], made);
        long[] other = e1.value(y).clone();
        other[0] += 1;
        Execution e2 = consumerRun(other);
        assertRejected(key2, proveOrRefuse(() -> Prover.prove(key2, e2, Visibility.COMMITTED, Visibility.PUBLIC, new byte[0],
                new CommittedTensors().input(0, made.output(0)))), "a consumer's input other than the committed output");
        Proof fresh = Prover.prove(key2, e2, Visibility.COMMITTED, Visibility.PUBLIC);
        assertTrue(Verifier.verify(key2.verifyingKey(), fresh.bytes()).valid());
        assertFalse(java.util.Arrays.equals(p1.statement().outputRoots().getFirst(), fresh.statement().inputRoots().getFirst()), "another root");
    }

    private static Execution consumerRun(long[] x) {
        try (IntegerExecutor ex = new IntegerExecutor(1)) {
            return ex.runQuantised(second, Map.of("x", x));
        }
    }

    /**
     * A linked commitment is hiding for two proofs' openings ({@link ZeroKnowledge#LINKED_OPENING_BUDGET} units, one off-face claim
     * each); the scheme refuses openings beyond what its mask covers, so a third consumer of one root is refused before its mask
     * would be spent.
     */
    @Test
    void aLinkedCommitmentIsNotOpenedBeyondItsBudget() {
        Execution e1 = run1(11);
        CommittedTensors made = new CommittedTensors();
        Prover.prove(key1, e1, Visibility.PUBLIC, Visibility.COMMITTED, new byte[0], made);
        dev.verinfer.pcs.HidingCommitment c = (dev.verinfer.pcs.HidingCommitment) made.output(0);
        assertTrue(c.openingBudget() >= ZeroKnowledge.LINKED_OPENING_BUDGET, "budget " + c.openingBudget());
        Execution e2 = consumerRun(e1.value(first.outputs().getFirst()));
        int proofs = 1;
        while (c.openingsLeft() >= ZeroKnowledge.OFF_FACE_OPENING_BUDGET && c.offFaceClaimsLeft() > 0) {
            Proof p = Prover.prove(key2, e2, Visibility.COMMITTED, Visibility.PUBLIC, new byte[0], new CommittedTensors().input(0, c));
            assertTrue(Verifier.verify(key2.verifyingKey(), p.bytes()).valid());
            proofs++;
        }
        assertTrue(proofs >= 2, proofs + " proofs");
        assertThrows(RuntimeException.class, () -> Prover.prove(key2, e2, Visibility.COMMITTED, Visibility.PUBLIC, new byte[0],
                new CommittedTensors().input(0, c)), "an opening beyond the budget");

    }

    /**
     * A committed output of a linear op (gemm2 = q·W2, beside the Rescale output q, both committed): the statement's claim on it
     * is sent masked, v′ = gemm2(r) + δ with δ a scalar of M, opened against its commitment and reduced by the zero-knowledge
     * MatMul with the same hidden offset. The proof verifies; the sent value altered (the rest honest) and the committed table
     * off by one in a real slot (everything else honest) are rejected; a layout-keeping Reshape's committed output (forwarded to
     * the Rescale's witness item) verifies too; a committed output of one value is refused by name.
     */
    @Test
    void aCommittedOutputOfALinearOpIsSentMaskedAndReduced() {
        TestGraphs b = new TestGraphs(23);
        int x = b.input("x", 8, 12, 2, 4);
        int w = b.weight("w", 8, 200, 4, 4);
        int z = b.node("gemm", new QOp.MatMul(x, w, -1), 16, 30, 2, 4);
        int q = b.node("rescale", new QOp.Rescale(z, 12), 4, 9, 2, 4);
        b.output(q);
        int y = b.node("gemm2", new QOp.MatMul(q, b.weight("w2", 8, 200, 4, 4), -1), 12, 30, 2, 4);
        b.output(y);
        QuantGraph linear = b.build();
        ProvingKey k = ZkMatMulProofTest.zkKey(linear, PcsSecurity.CONJECTURED);
        assertEquals(List.of(y), ZeroKnowledge.committedLinearOutputs(k.plan().withExternal(java.util.Set.of(q, y))));
        var inputs = AdversarialProver.inputsOf(linear, ZkMatMulProofTest.run(linear, 3));
        long[][] honest = AdversarialProver.trace(k, inputs, AdversarialProver.Rewrite.NONE);
        List<String> labels = new java.util.ArrayList<>();
        Proof p = AdversarialProver.prove(k, honest, Visibility.PUBLIC, Visibility.COMMITTED, (seq, label, v) -> {
            labels.add(label);
            return v;
        });
        assertValid(k, p);
        int at = labels.indexOf("output-value");
        assertTrue(at >= 0 && labels.lastIndexOf("output-value") == at, labels.toString());
        assertRejected(k, AdversarialProver.prove(k, honest, Visibility.PUBLIC, Visibility.COMMITTED, (seq, label, v) -> seq == at ? v.add(dev.verinfer.field.Ext2.ONE) : v),
                "an altered output value");
        long[][] forged = AdversarialProver.trace(k, inputs, AdversarialProver.overwrite(y, 0, (h, t) -> Goldilocks.add(h, 1)));
        assertRejected(k, proveOrRefuse(() -> AdversarialProver.prove(k, forged, Visibility.PUBLIC, Visibility.COMMITTED)), "a wrong committed linear output");

        TestGraphs r = new TestGraphs(25); // a layout-keeping Reshape (embedding_model's last node) forwards the masked claim to q
        int xr = r.input("x", 8, 12, 2, 4);
        int zr = r.node("gemm", new QOp.MatMul(xr, r.weight("w", 8, 200, 4, 4), -1), 16, 30, 2, 4);
        int qr = r.node("rescale", new QOp.Rescale(zr, 12), 4, 9, 2, 4);
        r.output(r.node("flat", new QOp.Reshape(qr), 4, 9, 8));
        QuantGraph reshaped = r.build();
        ProvingKey kr = ZkMatMulProofTest.zkKey(reshaped, PcsSecurity.CONJECTURED);
        assertValid(kr, Prover.prove(kr, ZkMatMulProofTest.run(reshaped, 4), Visibility.COMMITTED, Visibility.COMMITTED));

        TestGraphs one = new TestGraphs(24);
        int x1 = one.input("x", 8, 12, 1, 4);
        int z1 = one.node("gemm", new QOp.MatMul(x1, one.weight("w", 8, 200, 4, 1), -1), 16, 30, 1, 1);
        one.output(one.node("rescale", new QOp.Rescale(z1, 12), 4, 9, 1, 1));
        QuantGraph single = one.build();
        ProvingKey k1 = ZkMatMulProofTest.zkKey(single, PcsSecurity.CONJECTURED);
        UnsupportedGraphException e = assertThrows(UnsupportedGraphException.class,
                () -> Prover.prove(k1, ZkMatMulProofTest.run(single, 3), Visibility.PUBLIC, Visibility.COMMITTED));
        assertTrue(e.getMessage().contains("committed 'rescale' has one value"), e.getMessage());
    }
}
