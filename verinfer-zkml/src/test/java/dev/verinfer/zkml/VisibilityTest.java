package dev.verinfer.zkml;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Committed inputs and outputs: the statement binds a commitment, and proofs chain through it. */
class VisibilityTest {
    private static Execution run(QuantGraph g, long seed) {
        return IntegerExecutor.execute(g, Map.of("x", TestGraphs.randomInput(seed, g.tensor(g.inputs().getFirst()).size(), 3.9)));
    }

    @Test
    void everyCombinationVerifiesAndHidesWhatIsCommitted() {
        for (QuantGraph g : List.of(TestGraphs.mlp(1), TestGraphs.arithmetic(2), TestGraphs.pooling(3), TestGraphs.wideMaxima(4))) {
            ProvingKey pk = Setup.setup(g);
            Execution ex = run(g, 5);
            for (Visibility in : Visibility.values()) {
                for (Visibility out : Visibility.values()) {
                    Proof proof = Prover.prove(pk, ex, in, out);
                    VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
                    assertTrue(r.valid(), in + "/" + out + ": " + r.reason());
                    assertEquals(in == Visibility.COMMITTED, r.statement().inputCommitted(0));
                    assertEquals(out == Visibility.COMMITTED, r.statement().outputCommitted(0));
                    assertEquals(out == Visibility.COMMITTED ? 0 : g.tensor(g.outputs().getFirst()).size(), r.statement().outputs().getFirst().length);
                }
            }
        }
    }

    @Test
    void committedOutputMustBeTheComputedOne() throws Exception {
        for (QuantGraph g : List.of(TestGraphs.mlp(6), TestGraphs.arithmetic(7))) {
            ProvingKey pk = Setup.setup(g);
            Execution ex = run(g, 8);
            ex.values()[g.outputs().getFirst()][0] += 1;
            assertFalse(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, ex, Visibility.PUBLIC, Visibility.COMMITTED).bytes()).valid(),
                    "a commitment to a wrong output was accepted");
            // A proof whose statement names another commitment than the one the prover opened is rejected.
            Execution honest = run(g, 8);
            Proof proof = Prover.prove(pk, honest, Visibility.PUBLIC, Visibility.COMMITTED);
            Proof other = Prover.prove(pk, run(g, 9), Visibility.PUBLIC, Visibility.COMMITTED);
            PublicStatement s = proof.statement();
            PublicStatement swapped = new PublicStatement(s.modelId(), s.inputs(), s.outputs(), s.inputRoots(), other.statement().outputRoots());
            assertFalse(Verifier.verify(pk.verifyingKey(), ProofSoundnessTest.withStatement(proof.bytes(), swapped)).valid());
        }
    }

    @Test
    void committedInputMustBeTheOneComputedOn() throws Exception {
        QuantGraph g = TestGraphs.mlp(10);
        ProvingKey pk = Setup.setup(g);
        Proof proof = Prover.prove(pk, run(g, 11), Visibility.COMMITTED, Visibility.PUBLIC);
        Proof other = Prover.prove(pk, run(g, 12), Visibility.COMMITTED, Visibility.PUBLIC);
        PublicStatement s = proof.statement();
        PublicStatement swapped = new PublicStatement(s.modelId(), s.inputs(), s.outputs(), other.statement().inputRoots(), s.outputRoots());
        assertFalse(Verifier.verify(pk.verifyingKey(), ProofSoundnessTest.withStatement(proof.bytes(), swapped)).valid());
    }

    /** Step 1's committed output is, commitment for commitment, step 2's committed input: the proofs chain. */
    @Test
    void twoStepPipelineChainsThroughACommitment() {
        QuantGraph first = TestGraphs.mlp(13); // output [1, 3] at scale 12
        TestGraphs b = new TestGraphs(14);
        int x = b.input("x", 12, 13, 1, 3);
        int w = b.weight("w", 8, 100, 3, 2);
        int z = b.node("gemm", new QOp.MatMul(x, w, -1), 20, 30, 1, 2);
        int y = b.node("rescale", new QOp.Rescale(z, 12), 8, 15, 1, 2);
        b.output(y);
        QuantGraph second = b.build();

        ProvingKey pk1 = Setup.setup(first);
        ProvingKey pk2 = Setup.setup(second);
        Execution e1 = run(first, 15);
        long[] handOver = e1.value(first.outputs().getFirst());
        float[] asInput = new float[handOver.length];
        for (int i = 0; i < handOver.length; i++) {
            asInput[i] = (float) Math.scalb((double) handOver[i], -12);
        }
        Execution e2 = IntegerExecutor.execute(second, Map.of("x", asInput));
        assertArrayEquals(handOver, e2.value(x));
        Proof p1 = Prover.prove(pk1, e1, Visibility.PUBLIC, Visibility.COMMITTED);
        Proof p2 = Prover.prove(pk2, e2, Visibility.COMMITTED, Visibility.PUBLIC);
        assertTrue(Verifier.verify(pk1.verifyingKey(), p1.bytes()).valid());
        assertTrue(Verifier.verify(pk2.verifyingKey(), p2.bytes()).valid());
        assertArrayEquals(p1.statement().outputRoots().getFirst(), p2.statement().inputRoots().getFirst(), "the steps chain through one commitment");
    }
}
