package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.poly.Mle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero-knowledge weights cut into pieces (ProofPlan's weight layout, as alexa_v0.1's [1536, 128]): x[2,12]·W1[12,256] and
 * x[2,12]·W2[12,64], whose weights fit 2^12 slots cut (rows 8 + 4 each) and 2^13 whole (the cut's face covers 2^11
 * off-face claims, one per piece for each proof of the default budget), so the zero-knowledge key cuts them; each
 * MatMul's masked claim W′(ρ) then goes out per piece ("matmul-pieces": all but the first, which follows from W′(ρ)) and every
 * piece is claimed off the face of the hiding weight commitment.
 */
class ZkSplitWeightsTest {
    private static final int K = 12;
    private static final int N1 = 256;
    private static final int N2 = 64;
    /** The first row of the weights' second pieces. */
    private static final int BLIND = 8;

    /** The graph with W1's row 9 (in its second piece, which blind inputs multiply by 0) shifted by {@code shift}. */
    static QuantGraph graph(long shift) {
        SplittableRandom r = new SplittableRandom(61);
        long[] w1 = new long[K * N1];
        long[] w2 = new long[K * N2];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = r.nextLong(-200, 201);
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = r.nextLong(-200, 201);
        }
        for (int n = 0; n < N1; n++) {
            w1[9 * N1 + n] += shift * (1 + n);
        }
        TestGraphs b = new TestGraphs(62);
        int x = b.input("x", 8, 12, 2, K);
        int a = b.weight("w1", 8, w1, K, N1);
        int c = b.weight("w2", 8, w2, K, N2);
        b.output(b.node("gemm1", new QOp.MatMul(x, a, -1), 16, 30, 2, N1));
        b.output(b.node("gemm2", new QOp.MatMul(x, c, -1), 16, 30, 2, N2));
        return b.build();
    }

    /** x[2,12]·W1[12,16] and x[2,12]·W2[12,4]: a cut to 2^8 slots, whose face covers 2^7 off-face claims. */
    static QuantGraph small() {
        TestGraphs b = new TestGraphs(63);
        int x = b.input("x", 8, 12, 2, K);
        b.output(b.node("gemm1", new QOp.MatMul(x, b.weight("w1", 8, 200, K, 16), -1), 16, 30, 2, 16));
        b.output(b.node("gemm2", new QOp.MatMul(x, b.weight("w2", 8, 200, K, 4), -1), 16, 30, 2, 4));
        return b.build();
    }

    /** An input whose columns 8–11 (the rows of the weights' second pieces) are 0. */
    static Execution run(QuantGraph g, long seed) {
        float[] x = TestGraphs.randomInput(seed, 2 * K, 3.9);
        for (int row = 0; row < 2; row++) {
            for (int col = BLIND; col < K; col++) {
                x[row * K + col] = 0;
            }
        }
        return IntegerExecutor.execute(g, Map.of("x", x));
    }

    @Test
    void theZeroKnowledgeKeyCutsTheWeightsAndItsProofsVerify() {
        QuantGraph g = graph(0);
        assertEquals(12, new ProofPlan(g, false).weightPacking.numVars(), "cut without zero knowledge");
        for (PcsSecurity s : new PcsSecurity[] {PcsSecurity.PROVEN, PcsSecurity.CONJECTURED}) {
            ProvingKey pk = ZkMatMulProofTest.zkKey(g, s);
            assertEquals(12, pk.plan().weightPacking.numVars(), "the zero-knowledge key cuts W1 and W2: 2^12 slots instead of 2^13");
            assertEquals(2, pk.plan().weightLayout.piecesOf(pk.plan().weightSlot[g.tensors().stream().filter(t -> t.name().equals("w1")).findFirst().orElseThrow().id()]).length);
            for (long seed = 1; seed <= 2; seed++) {
                Proof proof = Prover.prove(pk, run(g, seed));
                VerificationResult v = Verifier.verify(pk.verifyingKey(), proof.bytes());
                assertTrue(v.valid(), s + ": " + v.reason());
            }
            Proof seeded = Prover.prove(pk, run(g, 3), Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], new SplittableRandom(4));
            byte[] flipped = seeded.bytes().clone();
            for (int at = 0; at < flipped.length; at += Math.max(1, flipped.length / 64)) {
                flipped[at] ^= 1;
                assertFalse(Verifier.verify(pk.verifyingKey(), flipped).valid(), "byte " + at + " flipped");
                flipped[at] ^= 1;
            }
        }
        // A graph whose cut would not lower the arity keeps its weights whole, as before (x[2,8]·W[8,4]: nothing to cut); so does
        // one whose cut face would cover too few off-face claims (W1[12,16] and W2[12,4]: 2^8 slots cut, 2^9 whole).
        assertEquals(1, ZkMatMulProofTest.zkKey(ZkMatMulProofTest.matmul(1), PcsSecurity.CONJECTURED).plan().weightLayout.pieces());
        assertEquals(2, new ProofPlan(small(), true).weightLayout.pieces());
        assertEquals(4, new ProofPlan(small(), false).weightLayout.pieces());
    }

    /** Every altered message, each piece value included, is rejected (the rest re-derived honestly); so are weights forged in a second piece. */
    @Test
    void everyAlteredMessageAndAForgedPieceAreRejected() {
        QuantGraph g = graph(0);
        ProvingKey pk = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN, 256);
        long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, run(g, 7)), AdversarialProver.Rewrite.NONE);
        assertTrue(AdversarialProver.assertNoForgery(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, "honest"), "honest proof rejected");
        List<String> labels = new ArrayList<>();
        AdversarialProver.prove(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> {
            labels.add(label);
            return v;
        });
        assertEquals(2, labels.stream().filter("matmul-pieces"::equals).count(), labels.toString());
        for (int target = 0; target < labels.size(); target++) {
            int at = target;
            Proof p = AdversarialProver.prove(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> seq == at ? v.add(Ext2.ONE) : v);
            assertFalse(Verifier.verify(pk.verifyingKey(), p.bytes()).valid(), "altered message " + at + " (" + labels.get(at) + ") accepted");
        }
        long[][] forged = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, run(g, 7)), AdversarialProver.Rewrite.NONE);
        int w = g.tensors().stream().filter(t -> t.name().equals("w1")).findFirst().orElseThrow().id();
        forged[w] = forged[w].clone();
        forged[w][9 * N1 + 1] = dev.verinfer.field.Goldilocks.add(forged[w][9 * N1 + 1], 1); // row 9: the second piece
        try {
            Proof p = AdversarialProver.prove(pk, forged, Visibility.PUBLIC, Visibility.PUBLIC);
            assertFalse(Verifier.verify(pk.verifyingKey(), p.bytes()).valid(), "a proof from forged weights accepted");
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage().contains("is not the polynomial's value"), refused.getMessage());
        }
    }

    /**
     * Issue 11's statistical test on the piece claims: W and W* differ in W1's row 9 only, which the blind inputs multiply by 0
     * (one statement). A distinguisher that knows both takes the sum of each proof's claims on the weights minus W there (on the
     * face): plain proofs are told apart at α = 10⁻⁵ (Kolmogorov–Smirnov, as {@link ZkWeightLeakageTest}), zero-knowledge
     * ones are not (each piece value is masked by its own block of the commitment's mask face).
     */
    @Test
    void twoWeightSetsWithOneStatementCannotBeToldApartFromThePieceClaims() throws Exception {
        int samples = Integer.getInteger("verinfer.zk.samples", 16);
        double critical = Math.sqrt(-Math.log(1e-5 / 2) / 2) * Math.sqrt(2.0 / samples);
        ProvingKey plain = Setup.setup(graph(0), PcsSecurity.CONJECTURED, false);
        long[] w = plain.packedWeights();
        double d = ZkWeightLeakageTest.ksDistance(residuals(plain, w, samples), residuals(Setup.setup(graph(3), PcsSecurity.CONJECTURED, false), w, samples));
        assertTrue(d > critical, "plain proofs of W and W* told apart: D = " + d + " > " + critical);
        int budget = 2 + 2 * samples;
        ProvingKey zk = ZkMatMulProofTest.zkKey(graph(0), PcsSecurity.CONJECTURED, budget);
        assertTrue(java.util.Arrays.equals(w, zk.packedWeights()), "one packing either way");
        double dz = ZkWeightLeakageTest.ksDistance(residuals(zk, w, samples), residuals(ZkMatMulProofTest.zkKey(graph(3), PcsSecurity.CONJECTURED, budget), w, samples));
        assertTrue(dz <= critical, "zero-knowledge proofs of W and W* told apart: D = " + dz + " > " + critical);
    }

    /** Per proof, Σ over its claims on the weights (each piece's, off the face in zero knowledge) of value − W at the point's face, as c0/2^64. */
    private static double[] residuals(ProvingKey pk, long[] w, int samples) throws Exception {
        double[] out = new double[samples];
        byte[] root = pk.verifyingKey().weightRoot();
        int n = pk.plan().weightPacking.numVars();
        for (int p = 0; p < samples; p++) {
            Proof proof = Prover.prove(pk, run(pk.graph(), 100 + p));
            ZkWeightLeakageTest.ClaimRecorder recorder = new ZkWeightLeakageTest.ClaimRecorder(pk.verifyingKey().proofPcs());
            VerificationResult v = Verifier.verify(pk.verifyingKey(), proof.bytes(), recorder);
            assertTrue(v.valid(), v.reason());
            Ext2 sum = Ext2.ZERO;
            for (PcsClaim c : recorder.claims.getLast()) {
                Ext2[] face = java.util.Arrays.copyOf(c.point(), n);
                if (java.util.Arrays.equals(c.root(), root)) {
                    sum = sum.add(c.claimedValue().sub(Mle.evaluate(w, face)));
                }
            }
            out[p] = (sum.c0() >>> 11) * 0x1p-53;
        }
        return out;
    }
}
