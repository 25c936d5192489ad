package dev.verinfer.zkml;

import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-proof completeness and soundness on small graphs the tests build: every cheat is rejected. */
class ProofSoundnessTest {
    private static Execution run(QuantGraph g, long seed) {
        int n = g.tensor(g.inputs().getFirst()).size();
        return IntegerExecutor.execute(g, Map.of(g.tensor(g.inputs().getFirst()).name(), TestGraphs.randomInput(seed, n, 3.9)));
    }

    private static void assertRejected(VerifyingKey vk, byte[] proof, String what) {
        VerificationResult r = Verifier.verify(vk, proof);
        assertFalse(r.valid(), what + " was accepted");
        assertTrue(r.reason() != null && !r.reason().isBlank());
    }

    @Property(tries = 8)
    void honestProofsVerify(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        for (QuantGraph g : List.of(TestGraphs.mlp(seed), TestGraphs.arithmetic(seed), TestGraphs.conv2d(seed), TestGraphs.conv1d(seed), TestGraphs.pooling(seed), TestGraphs.wideMaxima(seed))) {
            ProvingKey pk = Setup.setup(g);
            Execution ex = run(g, seed * 31);
            Proof proof = Prover.prove(pk, ex);
            VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
            assertTrue(r.valid(), r.reason());
            assertEquals(proof.statement(), r.statement());
        }
    }

    @Test
    void keysRoundTripAndProofsStillVerify() throws Exception {
        QuantGraph g = TestGraphs.mlp(5);
        ProvingKey pk = ProvingKey.fromBytes(Setup.setup(g).toBytes());
        VerifyingKey vk = VerifyingKey.fromBytes(pk.verifyingKey().toBytes());
        assertEquals(pk.verifyingKey().modelIdHex(), vk.modelIdHex());
        assertTrue(Verifier.verify(vk, Prover.prove(pk, run(g, 9)).bytes()).valid());
    }

    @Test
    void alteredOutputIsRejected() {
        for (QuantGraph g : List.of(TestGraphs.mlp(11), TestGraphs.arithmetic(11), TestGraphs.conv2d(11), TestGraphs.conv1d(11), TestGraphs.pooling(11), TestGraphs.wideMaxima(11))) {
            ProvingKey pk = Setup.setup(g);
            Execution ex = run(g, 12);
            int out = g.outputs().getFirst();
            ex.values()[out][0] += 1; // the prover claims (and commits to) a different output
            assertRejected(pk.verifyingKey(), Prover.prove(pk, ex).bytes(), "altered output");
        }
    }

    /**
     * A cheating prover changes one activation and recomputes everything after it, so its statement
     * (the output) follows from the altered value. The verifier must reject every such proof whose
     * output differs from the honest one; where the change does not reach the output (ReLU of a
     * negative number, say), accepting is right — the statement is still true.
     */
    @Test
    void everyAlteredActivationIsRejected() {
        for (QuantGraph g : List.of(TestGraphs.mlp(21), TestGraphs.arithmetic(21), TestGraphs.conv2d(21), TestGraphs.conv1d(21), TestGraphs.pooling(21), TestGraphs.wideMaxima(21))) {
            ProvingKey pk = Setup.setup(g);
            float[] input = TestGraphs.randomInput(22, g.tensor(g.inputs().getFirst()).size(), 3.9);
            Execution honest = IntegerExecutor.execute(g, Map.of("x", input));
            int changedOutputs = 0;
            for (QNode node : g.nodes()) {
                for (int index : new int[] {0, g.tensor(node.output()).size() - 1}) {
                    long unit = 1L << Math.max(0, g.tensor(node.output()).scale());
                    Execution cheat = alteredFrom(g, input, honest, node.output(), index, index == 0 ? unit : -unit);
                    VerificationResult r = Verifier.verify(pk.verifyingKey(), Prover.prove(pk, cheat).bytes());
                    boolean outputChanged = !java.util.Arrays.equals(cheat.value(g.outputs().getFirst()), honest.value(g.outputs().getFirst()));
                    if (outputChanged) {
                        changedOutputs++;
                        assertFalse(r.valid(), "altered activation of " + node.onnxName() + "[" + index + "] was accepted with a false output");
                    } else if (r.valid()) {
                        assertEquals(honest.value(g.outputs().getFirst())[0], r.statement().outputs().getFirst()[0]);
                    }
                }
            }
            assertTrue(changedOutputs >= g.nodes().size() / 2, "most alterations (by one unit of their real value) must reach the output: " + changedOutputs);
        }
    }

    /**
     * The execution of {@code g} in which tensor {@code tensor} has {@code delta} added at {@code index}
     * and every later tensor is recomputed from it: the graph is cut at that tensor, which becomes an
     * input fed with the altered values (exact in float: values below 2^24 times a power of two).
     */
    static Execution alteredFrom(QuantGraph g, float[] input, Execution honest, int tensor, int index, long delta) {
        long[] altered = honest.value(tensor).clone();
        altered[index] += delta;
        List<QTensor> tensors = new ArrayList<>(g.tensors());
        QTensor t = g.tensor(tensor);
        tensors.set(tensor, new QTensor(t.id(), t.name(), t.shape(), t.scale(), t.bits(), QTensor.Kind.INPUT, null));
        List<QNode> nodes = g.nodes().stream().filter(n -> n.output() != tensor).toList();
        List<Integer> inputs = new ArrayList<>(g.inputs());
        inputs.add(tensor);
        float[] alteredFloat = new float[altered.length];
        for (int i = 0; i < altered.length; i++) {
            alteredFloat[i] = (float) Math.scalb((double) altered[i], -t.scale());
        }
        Execution cut = IntegerExecutor.execute(new QuantGraph(tensors, nodes, inputs, g.outputs()),
                Map.of("x", input, t.name(), alteredFloat));
        assertEquals(altered[index], cut.value(tensor)[index]);
        return cut;
    }

    @Test
    void alteredStatementIsRejected() throws Exception {
        QuantGraph g = TestGraphs.mlp(31);
        ProvingKey pk = Setup.setup(g);
        Proof proof = Prover.prove(pk, run(g, 32));
        PublicStatement s = proof.statement();
        List<long[]> in = new ArrayList<>(s.inputs());
        in.set(0, in.getFirst().clone());
        in.getFirst()[3] += 1;
        assertRejected(pk.verifyingKey(), withStatement(proof.bytes(), new PublicStatement(s.modelId(), in, s.outputs())), "another input");
        List<long[]> out = new ArrayList<>(s.outputs());
        out.set(0, out.getFirst().clone());
        out.getFirst()[1] -= 1;
        assertRejected(pk.verifyingKey(), withStatement(proof.bytes(), new PublicStatement(s.modelId(), s.inputs(), out)), "another output");
    }

    @Test
    void proofForAnotherModelIsRejected() throws Exception {
        ProvingKey a = Setup.setup(TestGraphs.mlp(41));
        ProvingKey b = Setup.setup(TestGraphs.mlp(42)); // same architecture, other weights
        Proof proof = Prover.prove(a, run(a.graph(), 43));
        assertRejected(b.verifyingKey(), proof.bytes(), "proof replayed against another model");
        // Even claiming the other model's id does not help: the weights are not the committed ones.
        PublicStatement s = proof.statement();
        assertRejected(b.verifyingKey(), withStatement(proof.bytes(), new PublicStatement(b.verifyingKey().modelId(), s.inputs(), s.outputs())),
                "proof relabelled with another model id");
    }

    @Test
    void weightOtherThanTheCommittedOneIsRejected() {
        QuantGraph g = TestGraphs.mlp(51);
        ProvingKey honest = Setup.setup(g);
        List<QTensor> tensors = new ArrayList<>(g.tensors());
        QTensor w = g.tensor(g.id("w1"));
        long[] data = w.data().clone();
        data[7] += 1;
        tensors.set(w.id(), new QTensor(w.id(), w.name(), w.shape(), w.scale(), w.bits(), w.kind(), data));
        QuantGraph cheat = new QuantGraph(tensors, g.nodes(), g.inputs(), g.outputs());
        ProofPlan plan = new ProofPlan(cheat);
        long[][] weights = plan.weightTensors.stream().map(t -> ProverTensors.toField(plan.shapes[t].pad(cheat.tensor(t).data()))).toArray(long[][]::new);
        // The cheating prover computes with the altered weight (and commits to it) but claims the honest model.
        long[] packed = plan.weightLayout.pack(weights);
        ProvingKey cheatKey = new ProvingKey(cheat, plan, packed, PcsSecurity.PROVEN.pcs().commit(packed), honest.verifyingKey());
        assertRejected(honest.verifyingKey(), Prover.prove(cheatKey, run(cheat, 52)).bytes(), "altered weight");
    }

    @Test
    void alteredTableEntryIsRejected() {
        QuantGraph g = TestGraphs.mlp(61);
        ProvingKey honest = Setup.setup(g);
        Execution ex = run(g, 62);
        // Find a relu input actually used, and make the prover's table map it elsewhere.
        QNode relu = g.nodes().stream().filter(n -> n.onnxName().equals("relu1")).findFirst().orElseThrow();
        QOp.Lookup l = (QOp.Lookup) relu.op();
        long x = ex.value(l.x())[0];
        LookupTable t = l.table();
        long[] values = t.values().clone();
        values[(int) (x - t.inMin())] += 5;
        LookupTable forged = new LookupTable(t.function(), t.inScale(), t.outScale(), t.outBits(), t.inMin(), t.size(), values);
        List<QNode> nodes = new ArrayList<>(g.nodes());
        nodes.set(nodes.indexOf(relu), new QNode(relu.onnxName(), new QOp.Lookup(l.x(), forged), relu.output()));
        QuantGraph cheat = new QuantGraph(g.tensors(), nodes, g.inputs(), g.outputs());
        ProofPlan plan = new ProofPlan(cheat);
        ProvingKey cheatKey = new ProvingKey(cheat, plan, honest.packedWeights(), honest.weightCommitment(), honest.verifyingKey());
        Execution cheatRun = IntegerExecutor.execute(cheat, Map.of("x", TestGraphs.randomInput(62, 8, 3.9)));
        assertRejected(honest.verifyingKey(), Prover.prove(cheatKey, cheatRun).bytes(), "forged table entry");
    }

    /**
     * max(x, c) / min(x, c) with a public scalar c far outside x's range (ReLU-like clamps of a narrow tensor): the clamp
     * table's outputs must reach c, or the honest look-up (x, c) is in no table (a random graph of the soundness suite, seed
     * 33813, failed on a table saturating at 2^(bits+1) − 1). Every output moved by one is rejected.
     */
    @Property(tries = 12)
    void clampsReachAScalarBeyondTheInputsRange(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int bits = 2 + r.nextInt(6);
        long c = (r.nextBoolean() ? 1 : -1) * r.nextLong(1L << bits, 1L << 14);
        boolean max = r.nextBoolean();
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 0, bits, 1, 6);
        int k = b.constant("c", 0, new long[] {c}, 1);
        int y = b.node("clamp", max ? new QOp.Max(x, k) : new QOp.Min(k, x), 0, 16, 1, 6);
        b.output(y);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        long[] in = new long[6];
        for (int i = 0; i < in.length; i++) {
            in[i] = r.nextLong(-(1L << (bits - 1)), 1L << (bits - 1));
        }
        Execution honest = PaddingSoundnessTest.runQuantised(g, Map.of("x", in));
        VerificationResult ok = Verifier.verify(pk.verifyingKey(), Prover.prove(pk, honest).bytes());
        assertTrue(ok.valid(), "honest clamp to " + c + " of " + bits + "-bit values: " + ok.reason());
        for (int i = 0; i < in.length; i++) {
            Execution forged = PaddingSoundnessTest.runQuantised(g, Map.of("x", in));
            forged.values()[y][i] += r.nextBoolean() ? 1 : -1;
            assertRejected(pk.verifyingKey(), Prover.prove(pk, forged).bytes(), "clamp output " + i + " moved by one");
        }
    }

    @Test
    void dedicatedWideTablesAreUsedAndSound() {
        QuantGraph g = TestGraphs.wideTables(101);
        ProofPlan plan = new ProofPlan(g);
        assertTrue(plan.tables.stream().anyMatch(t -> t.isRange() && t.numVars() == 17), "a 17-bit range table for the gaps");
        assertTrue(plan.tables.stream().anyMatch(t -> !t.isRange() && t.numVars() == 17), "a 17-bit clamp table for the ReLU");
        ProvingKey pk = Setup.setup(g);
        float[] input = TestGraphs.randomInput(102, g.tensor(g.inputs().getFirst()).size(), 3.9);
        Execution honest = IntegerExecutor.execute(g, Map.of("x", input));
        assertTrue(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, honest).bytes()).valid());
        for (QNode node : g.nodes()) {
            Execution cheat = alteredFrom(g, input, honest, node.output(), 5, 1L << 8);
            boolean changed = !java.util.Arrays.equals(cheat.value(g.outputs().getFirst()), honest.value(g.outputs().getFirst()));
            if (changed) {
                assertFalse(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, cheat).bytes()).valid(), "altered " + node.onnxName());
            }
        }
    }

    @Test
    void argmaxOutsideItsReductionIsRejected() throws Exception {
        QuantGraph g = TestGraphs.wideMaxima(81);
        ProvingKey pk = Setup.setup(g);
        Execution ex = run(g, 82);
        // A prover claiming a larger maximum than any value: every argmax it could publish fails.
        int y = g.outputs().getFirst();
        ex.values()[y][0] += 7;
        assertRejected(pk.verifyingKey(), Prover.prove(pk, ex).bytes(), "maximum attained by no value");
    }

    @Test
    void byteFlipsAnywhereAreRejected() {
        QuantGraph g = TestGraphs.mlp(71);
        ProvingKey pk = Setup.setup(g);
        byte[] proof = Prover.prove(pk, run(g, 72)).bytes();
        SplittableRandom rng = new SplittableRandom(73);
        int positions = Math.min(proof.length, 400);
        for (int i = 0; i < positions; i++) {
            byte[] bad = proof.clone();
            int pos = i < 64 ? i : rng.nextInt(proof.length); // every header byte, then random positions
            bad[pos] ^= (byte) (1 << rng.nextInt(8));
            assertRejected(pk.verifyingKey(), bad, "flip at byte " + pos);
        }
        for (int len : new int[] {0, 1, 5, proof.length / 2, proof.length - 1}) {
            assertRejected(pk.verifyingKey(), java.util.Arrays.copyOf(proof, len), "truncation to " + len);
        }
        byte[] longer = java.util.Arrays.copyOf(proof, proof.length + 1);
        assertRejected(pk.verifyingKey(), longer, "trailing byte");
    }

    /** The proof bytes with another statement in front (the rest unchanged). */
    static byte[] withStatement(byte[] proof, PublicStatement statement) throws Exception {
        return Proof.restated(proof, statement);
    }
}
