package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.poly.Mle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's statistical test for the Conv ({@link ZkConv}), the MaxPool ({@link ZkMaxLayers}) and the forwarded Reshape of
 * embedding_model's block ({@link ZkConvProofTest#pooled}): two weight sets with one public statement — W and W* = W with the
 * first Conv's kernel for input channel 1 changed, on inputs whose channel 1 is zero — proven 16 times each
 * ({@code -Dverinfer.zk.samples}), conjectured. A distinguisher that knows both candidates takes from each proof the value of
 * the claim on the weight commitment that reads the changed kernel (the first Conv's W′(ρ)) minus W at the claim's point on the face
 * and runs a two-sample Kolmogorov–Smirnov test at α = 10⁻⁵ ({@link ZkWeightLeakageTest#ksDistance}): plain proofs are told
 * apart (the one batched weight claim is W's value: residual 0 for W, (W* − W)(p) for W*), zero-knowledge ones are not (W′(ρ) =
 * W(p) + Z(ρ)·h(p) is uniform through the mask face h for either set).
 */
class ZkConvLeakageTest {
    @Test
    void twoKernelsWithOneStatementCannotBeToldApartFromTheRevealedValues() throws Exception {
        QuantGraph g = ZkConvProofTest.pooled(8);
        QuantGraph star = withBlindChannelChanged(g);
        int samples = Integer.getInteger("verinfer.zk.samples", 16);
        double critical = Math.sqrt(-Math.log(1e-5 / 2) / 2) * Math.sqrt(2.0 / samples);
        ProvingKey plainKey = Setup.setup(g, PcsSecurity.CONJECTURED, false);
        ProvingKey plainStar = Setup.setup(star, PcsSecurity.CONJECTURED, false);
        long[] w = plainKey.packedWeights();
        long[] d = plainStar.packedWeights().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = dev.verinfer.field.Goldilocks.sub(d[i], w[i]);
        }
        double plain = ZkWeightLeakageTest.ksDistance(residuals(plainKey, w, d, samples), residuals(plainStar, w, d, samples));
        assertTrue(plain > critical, "plain proofs of W and W* told apart: D = " + plain + " > " + critical);
        int budget = 2 + 2 * samples; // the bounds proof, then two units per proof (three off-face claims)
        double zk = ZkWeightLeakageTest.ksDistance(residuals(ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, budget), w, d, samples),
                residuals(ZkMatMulProofTest.zkKey(star, PcsSecurity.CONJECTURED, budget), w, d, samples));
        assertTrue(zk <= critical, "zero-knowledge proofs of W and W* told apart: D = " + zk + " > " + critical);
    }

    /**
     * Per proof (inputs with channel 1 zero), the value of the first weight claim that tells the candidates apart on the face
     * ((W* − W)(p) ≠ 0 at its point p: the first Conv's kernel claim) minus W(p), as c0/2^64.
     */
    private static double[] residuals(ProvingKey pk, long[] w, long[] difference, int samples) throws Exception {
        double[] out = new double[samples];
        byte[] weightRoot = pk.verifyingKey().weightRoot();
        int n = Integer.numberOfTrailingZeros(w.length);
        for (int p = 0; p < samples; p++) {
            Proof proof = Prover.prove(pk, IntegerExecutor.execute(pk.graph(), Map.of("x", blindInput(100 + p))));
            ZkWeightLeakageTest.ClaimRecorder recorder = new ZkWeightLeakageTest.ClaimRecorder(pk.verifyingKey().pcs());
            VerificationResult v = Verifier.verify(pk.verifyingKey(), proof.bytes(), recorder);
            assertTrue(v.valid(), v.reason());
            PcsClaim claim = recorder.claims.getLast().stream().filter(c -> Arrays.equals(c.root(), weightRoot))
                    .filter(c -> !Mle.evaluate(difference, Arrays.copyOf(c.point(), n)).equals(Ext2.ZERO)).findFirst().orElseThrow();
            Ext2 face = Mle.evaluate(w, Arrays.copyOf(claim.point(), n));
            out[p] = (claim.claimedValue().sub(face).c0() >>> 11) * 0x1p-53; // ≈ c0/p: p = 2^64 − 2^32 + 1
        }
        return out;
    }

    /** x[1, 2, 6, 4] (scale 2^8) with channel 1 zero: the first Conv multiplies its kernel's input channel 1 by 0. */
    private static float[] blindInput(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[2 * 6 * 4];
        for (int i = 0; i < 6 * 4; i++) {
            x[i] = rng.nextLong(-900, 900) / 256f;
        }
        return x;
    }

    /** The graph with the first Conv's kernel w[3, 2, 3, 3] changed at input channel 1 (zero in every {@link #blindInput}). */
    private static QuantGraph withBlindChannelChanged(QuantGraph g) {
        List<QTensor> tensors = new ArrayList<>(g.tensors());
        for (int t = 0; t < tensors.size(); t++) {
            QTensor q = tensors.get(t);
            if (q.kind() == QTensor.Kind.WEIGHT && q.name().equals("w")) {
                long[] data = q.data().clone();
                for (int o = 0; o < 3; o++) {
                    for (int k = 0; k < 9; k++) {
                        data[(o * 2 + 1) * 9 + k] += 1 + o + k;
                    }
                }
                tensors.set(t, new QTensor(q.id(), q.name(), q.shape(), q.scale(), q.bits(), q.kind(), data));
            }
        }
        return new QuantGraph(tensors, g.nodes(), g.inputs(), g.outputs());
    }
}
