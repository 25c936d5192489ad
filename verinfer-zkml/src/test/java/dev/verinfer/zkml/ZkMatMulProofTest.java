package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero-knowledge proofs of y = x·W with private weights W and public x, y, on the real hiding WHIR
 * commitment: the MatMul's sumcheck is zero-knowledge (Libra mask in the proof's {@link ProofMasks}),
 * W enters masked by its commitment's mask face and is claimed off the face. The keys carry the
 * zero-knowledge bounds proof of the weights ({@link ZkWeightBounds}).
 */
class ZkMatMulProofTest {
    static final byte[] SEED = new byte[SeededMasks.SEED_BYTES];

    /** x[2,8] · W[8,4] → y[2,4], no bias, no look-ups. */
    static QuantGraph matmul(long seed) {
        return layer(seed, 8, 4, false);
    }

    /**
     * x[2,16] · W[16,8] + b[8] → y[2,8]: a Gemm with a weight bias (two off-face claims per proof: a larger W,
     * whose face covers the adversarial test's proofs).
     */
    static QuantGraph gemm(long seed) {
        return layer(seed, 16, 8, true);
    }

    static QuantGraph layer(long seed, int k, int n, boolean withBias) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 2, k);
        int w = b.weight("w", 8, 200, k, n);
        int bias = withBias ? b.weight("b", 16, 20000, n) : -1;
        b.output(b.node("gemm", new QOp.MatMul(x, w, bias), 16, 30, 2, n));
        return b.build();
    }

    static Execution run(QuantGraph g, long seed) {
        return IntegerExecutor.execute(g, Map.of("x", TestGraphs.randomInput(seed, g.tensor(g.inputs().getFirst()).size(), 3.9)));
    }

    /**
     * The weight opening budget of the zero-knowledge tests whose property does not depend on its size: it covers the
     * bounds proof (two units) and a test class's few proofs (one or two units each), for an oracle 2^6 times smaller than
     * the default budget's.
     */
    static final int SMALL_BUDGET = 16;

    /** A zero-knowledge key with {@link #SMALL_BUDGET} and the fixed mask seed. */
    static ProvingKey zkKey(QuantGraph g, PcsSecurity s) {
        return zkKey(g, s, SMALL_BUDGET);
    }

    static ProvingKey zkKey(QuantGraph g, PcsSecurity s, int budget) {
        return Setup.setup(g, s, true, budget, s.pcs(), SEED, w -> w);
    }

    @Test
    void zeroKnowledgeMatMulProofsCompleteAndVerifyOnHidingWhir() {
        completeAndVerify(matmul(1));
    }

    @Test
    void zeroKnowledgeGemmWithAWeightBiasCompletesAndVerifies() {
        completeAndVerify(gemm(1));
    }

    private static void completeAndVerify(QuantGraph g) {
        assertTrue(ZeroKnowledge.uncoveredNodes(g).isEmpty(), ZeroKnowledge.uncoveredNodes(g).toString());
        for (PcsSecurity s : new PcsSecurity[] {PcsSecurity.PROVEN, PcsSecurity.CONJECTURED}) {
            ProvingKey pk = zkKey(g, s);
            for (long seed = 1; seed <= 2; seed++) {
                Proof proof = Prover.prove(pk, run(g, seed));
                VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
                assertTrue(r.valid(), s + ": " + r.reason());
            }
            Proof seeded = Prover.prove(pk, run(g, 3), Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], new SplittableRandom(4));
            assertTrue(Verifier.verify(pk.verifyingKey(), seeded.bytes()).valid());
            byte[] flipped = seeded.bytes().clone();
            for (int at = 0; at < flipped.length; at += Math.max(1, flipped.length / 64)) {
                flipped[at] ^= 1;
                assertFalse(Verifier.verify(pk.verifyingKey(), flipped).valid(), "byte " + at + " flipped");
                flipped[at] ^= 1;
            }
        }
    }

    @Test
    void thePublicSetupMakesAZeroKnowledgeKeyWhoseBoundsProofVerifiesOnLoad() throws Exception {
        QuantGraph g = matmul(2);
        assertTrue(ZeroKnowledge.uncovered(g).isEmpty(), ZeroKnowledge.uncovered(g).toString());
        ProvingKey pk = Setup.setup(g, PcsSecurity.CONJECTURED, true, SMALL_BUDGET);
        VerifyingKey vk = VerifyingKey.fromBytes(pk.verifyingKey().toBytes());
        assertTrue(vk.zeroKnowledge());
        assertTrue(Verifier.verify(vk, Prover.prove(pk, run(g, 9)).bytes()).valid());
    }

    @Test
    void aZeroKnowledgeProofIsRejectedByThePlainKeyAndViceVersa() {
        QuantGraph g = matmul(3);
        ProvingKey zk = zkKey(g, PcsSecurity.PROVEN);
        ProvingKey plain = Setup.setup(g, PcsSecurity.PROVEN, false);
        Execution e = run(g, 5);
        Proof zkProof = Prover.prove(zk, e);
        Proof plainProof = Prover.prove(plain, e);
        assertTrue(Verifier.verify(plain.verifyingKey(), plainProof.bytes()).valid());
        assertFalse(Verifier.verify(plain.verifyingKey(), zkProof.bytes()).valid());
        assertFalse(Verifier.verify(zk.verifyingKey(), plainProof.bytes()).valid());
    }

    /** The adversarial prover: every field-element message altered (the rest re-derived honestly) is rejected. */
    @Test
    void everyAlteredMessageOfAZeroKnowledgeProofIsRejected() {
        everyAlteredMessageIsRejected(matmul(4), "w");
    }

    /** The Gemm's bias value B'(ρ) (the third "matmul-evals") is one of the altered messages; so is a forged bias. */
    @Test
    void everyAlteredMessageOfAZeroKnowledgeGemmIsRejected() {
        everyAlteredMessageIsRejected(gemm(4), "b");
    }

    private static void everyAlteredMessageIsRejected(QuantGraph g, String forgedWeight) {
        // One proof per altered message, one or two units each: a budget for them all (the layout covers about what is asked).
        ProvingKey pk = zkKey(g, PcsSecurity.PROVEN, 256);
        long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, run(g, 7)), AdversarialProver.Rewrite.NONE);
        assertTrue(AdversarialProver.assertNoForgery(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, "honest"), "honest proof rejected");
        java.util.List<String> labels = new java.util.ArrayList<>();
        AdversarialProver.prove(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> {
            labels.add(label);
            return v;
        });
        assertTrue(labels.contains("mask-pieces") && labels.contains("mask-vars") && labels.contains("matmul-evals"), labels.toString());
        for (int target = 0; target < labels.size(); target++) {
            int at = target;
            Proof p = AdversarialProver.prove(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> seq == at ? v.add(Ext2.ONE) : v);
            assertFalse(Verifier.verify(pk.verifyingKey(), p.bytes()).valid(), "altered message " + at + " (" + labels.get(at) + ") accepted");
        }
        // A forged weight table (the prover's W differs from the committed one) is rejected too.
        long[][] forged = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, run(g, 7)), AdversarialProver.Rewrite.NONE);
        int w = g.tensors().stream().filter(t -> t.name().equals(forgedWeight)).findFirst().orElseThrow().id();
        forged[w] = forged[w].clone();
        forged[w][3] = dev.verinfer.field.Goldilocks.add(forged[w][3], 1);
        // (The honest WHIR prover refuses to open the committed f′ at a value it does not take; if it did, the verifier would reject.)
        try {
            Proof p = AdversarialProver.prove(pk, forged, Visibility.PUBLIC, Visibility.PUBLIC);
            assertFalse(Verifier.verify(pk.verifyingKey(), p.bytes()).valid(), "a proof from forged weights accepted");
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage().contains("is not the polynomial's value"), refused.getMessage());
        }
    }
}
