package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
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
import java.util.function.LongFunction;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's statistical test for the newer zero-knowledge protocols: two weight sets with one public statement — W and W*
 * = W changed where the inputs multiply it by 0 — proven 16 times each ({@code -Dverinfer.zk.samples}), conjectured. A
 * distinguisher that knows both candidates takes from each proof the value of the claim on the weight commitment that reads
 * the changed weights ((W* − W)(p) ≠ 0 at its point p on the face) minus W(p), and runs a two-sample Kolmogorov–Smirnov test at
 * α = 10⁻⁵ ({@link ZkWeightLeakageTest#ksDistance}): plain proofs are told apart (the one batched weight claim is W's value:
 * residual 0 for W, (W* − W)(p) for W*), zero-knowledge ones are not (W′(ρ) = W(p) + Z(ρ)·h(p), uniform through the mask face h
 * for either set). Every private activation is the same for W and W*, so the other revealed values of the graph's protocols
 * have one distribution by construction; the weight claim is the value that differs.
 */
class ZkProtocolLeakageTest {
    /**
     * {@link ZkConv} with {@link ZkMaxLayers}/{@link ZkPooling} and a forwarded Reshape (embedding_model's block,
     * {@link ZkConvProofTest#pooled}): the first Conv's kernel w[3, 2, 3, 3] changed at input channel 1, zero in every input.
     */
    @Test
    void twoKernelsWithOneStatementCannotBeToldApartFromTheRevealedValues() throws Exception {
        int[] changed = IntStream.range(0, 3).flatMap(o -> IntStream.range(0, 9).map(k -> (o * 2 + 1) * 9 + k)).toArray();
        assertIndistinguishable(ZkConvProofTest.pooled(8), "w", changed, seed -> input(seed, 2 * 6 * 4, IntStream.range(24, 48).toArray()));
    }

    /**
     * {@link ZkOneHot} (a ReduceMax of private values, {@link ZkReduceMaxProofTest#maxima}) and {@link ZkGather} (a transpose of the
     * committed q, as {@code ZkForwardedClaimsTest}) after x[2,8]·W + b: W's row 7 changed, x's column 7 zero.
     */
    @Test
    void twoWeightSetsUnderAMaximumAndATransposeCannotBeToldApart() throws Exception {
        int[] changed = IntStream.range(56, 64).toArray();
        LongFunction<float[]> blind = seed -> input(seed, 16, new int[] {7, 15});
        assertIndistinguishable(ZkReduceMaxProofTest.maxima(9), "w", changed, blind);
        TestGraphs b = new TestGraphs(10);
        ZkForwardedClaimsTest.transposedPrivateRescale(b);
        assertIndistinguishable(b.build(), "w", changed, blind);
    }

    /**
     * {@link ZkGather} of two private sources ({@link ZkConcatTest#concatenated}: concat(q, q2) of x·W + b and x·W2, the openWakeWord
     * classifier's concatenation): W's row 7 changed, x's column 7 zero.
     */
    @Test
    void twoWeightSetsUnderAConcatenationCannotBeToldApart() throws Exception {
        assertIndistinguishable(ZkConcatTest.concatenated(11), "w", IntStream.range(56, 64).toArray(), seed -> input(seed, 16, new int[] {7, 15}));
    }

    private static void assertIndistinguishable(QuantGraph g, String weight, int[] changed, LongFunction<float[]> blind) throws Exception {
        QuantGraph star = withChanged(g, weight, changed);
        int samples = Integer.getInteger("verinfer.zk.samples", 16);
        double critical = Math.sqrt(-Math.log(1e-5 / 2) / 2) * Math.sqrt(2.0 / samples);
        ProvingKey plainKey = Setup.setup(g, PcsSecurity.CONJECTURED, false);
        ProvingKey plainStar = Setup.setup(star, PcsSecurity.CONJECTURED, false);
        long[] w = plainKey.packedWeights();
        long[] d = plainStar.packedWeights().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = Goldilocks.sub(d[i], w[i]);
        }
        double plain = ZkWeightLeakageTest.ksDistance(residuals(plainKey, w, d, blind, samples), residuals(plainStar, w, d, blind, samples));
        assertTrue(plain > critical, "plain proofs of W and W* told apart: D = " + plain + " > " + critical);
        int budget = 2 + 2 * samples; // the bounds proof, then two units per proof (its off-face claims)
        double zk = ZkWeightLeakageTest.ksDistance(residuals(ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, budget), w, d, blind, samples),
                residuals(ZkMatMulProofTest.zkKey(star, PcsSecurity.CONJECTURED, budget), w, d, blind, samples));
        assertTrue(zk <= critical, "zero-knowledge proofs of W and W* told apart: D = " + zk + " > " + critical);
    }

    /**
     * Per proof (blind inputs), the value of the first weight claim that tells the candidates apart on the face ((W* − W)(p) ≠ 0
     * at its point p) minus W(p), as c0/2^64.
     */
    private static double[] residuals(ProvingKey pk, long[] w, long[] difference, LongFunction<float[]> blind, int samples) throws Exception {
        double[] out = new double[samples];
        byte[] weightRoot = pk.verifyingKey().weightRoot();
        int n = Integer.numberOfTrailingZeros(w.length);
        for (int p = 0; p < samples; p++) {
            Proof proof = Prover.prove(pk, IntegerExecutor.execute(pk.graph(), Map.of("x", blind.apply(100 + p))));
            ZkWeightLeakageTest.ClaimRecorder recorder = new ZkWeightLeakageTest.ClaimRecorder(pk.verifyingKey().proofPcs());
            VerificationResult v = Verifier.verify(pk.verifyingKey(), proof.bytes(), recorder);
            assertTrue(v.valid(), v.reason());
            PcsClaim claim = recorder.claims.getLast().stream().filter(c -> Arrays.equals(c.root(), weightRoot))
                    .filter(c -> !Mle.evaluate(difference, Arrays.copyOf(c.point(), n)).equals(Ext2.ZERO)).findFirst().orElseThrow();
            Ext2 face = Mle.evaluate(w, Arrays.copyOf(claim.point(), n));
            out[p] = (claim.claimedValue().sub(face).c0() >>> 11) * 0x1p-53; // ≈ c0/p: p = 2^64 − 2^32 + 1
        }
        return out;
    }

    /** An input x (scale 2^8) of {@code size} values, those at {@code zeros} 0: the weights they multiply do not enter the output. */
    private static float[] input(long seed, int size, int[] zeros) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = rng.nextLong(-900, 900) / 256f;
        }
        for (int z : zeros) {
            x[z] = 0;
        }
        return x;
    }

    /** The graph with weight {@code name} changed by 1 + i at its i-th entry of {@code changed}. */
    private static QuantGraph withChanged(QuantGraph g, String name, int[] changed) {
        List<QTensor> tensors = new ArrayList<>(g.tensors());
        for (int t = 0; t < tensors.size(); t++) {
            QTensor q = tensors.get(t);
            if (q.kind() == QTensor.Kind.WEIGHT && q.name().equals(name)) {
                long[] data = q.data().clone();
                for (int i = 0; i < changed.length; i++) {
                    data[changed[i]] += 1 + i;
                }
                tensors.set(t, new QTensor(q.id(), q.name(), q.shape(), q.scale(), q.bits(), q.kind(), data));
            }
        }
        return new QuantGraph(tensors, g.nodes(), g.inputs(), g.outputs());
    }
}
