package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's statistical test for the zero-knowledge protocols of private Add/Sub/Mul ({@link ZkElementwise}: a weight
 * operand's value W′(ρ) sent in "elementwise-evals"), claims merged on one tensor ({@link ZkClaimMerge}) and the maximum of an
 * uncommitted operand ({@link ZkMaxLayers}), as {@link ZkWeightLeakageTest#twoWeightSetsWithOneStatementCannotBeToldApartFromTheRevealedValues}
 * does for the MatMul: a LayerNorm-like x·W + b → q → d = q − mean(q), d² and d·γ + β → ReLU, with two weight sets
 * (γ, β) and (γ*, β*) that differ only in a column the ReLU zeroes on every input (β very negative there): one public
 * statement per input.
 */
class ZkElementwiseLeakageTest {
    /** The column where (γ, β) and (γ*, β*) differ. */
    private static final int BLIND = 7;

    /** x[2,8]·W + b → Rescale (q, committed) → mean m; d = q − m; d·d → Rescale (public); d·γ → Rescale → + β → ReLU (public). */
    static QuantGraph layerNorm(long beta) {
        TestGraphs b = new TestGraphs(11);
        int q = ZkMaskedLeavesTest.privateRescale(b);
        int mean = ZkForwardedClaimsTest.mean(b, q);
        int diff = b.node("diff", new QOp.Sub(q, mean), 4, 15, 2, 8);
        b.output(b.node("square_r", new QOp.Rescale(b.node("square", new QOp.Mul(diff, diff), 8, 21, 2, 8), 4), 4, 17, 2, 8));
        int scaled = b.node("scaled", new QOp.Mul(diff, b.weight("gamma", 8, 200, 8)), 12, 24, 2, 8);
        int scaledR = b.node("scaled_r", new QOp.Rescale(scaled, 8), 4, 16, 2, 8);
        int biased = b.node("biased", new QOp.Add(scaledR, b.weight("beta", 4, 3000, 8)), 4, 16, 2, 8);
        b.output(b.node("relu", new QOp.Max(biased, b.constant("zero", 4, new long[] {0})), 4, 16, 2, 8));
        QuantGraph g = b.build();
        return withBlindColumn(g, 0, beta);
    }

    /** The graph with γ[BLIND] += dGamma and β[BLIND] = beta (|scaled_r| ≤ 2^9·200/2^8 < 900, so the ReLU outputs 0 there). */
    private static QuantGraph withBlindColumn(QuantGraph g, long dGamma, long beta) {
        List<QTensor> tensors = new ArrayList<>(g.tensors());
        for (int t = 0; t < tensors.size(); t++) {
            QTensor q = tensors.get(t);
            if (q.name().equals("gamma") || q.name().equals("beta")) {
                long[] data = q.data().clone();
                data[BLIND] = q.name().equals("gamma") ? data[BLIND] + dGamma : beta;
                tensors.set(t, new QTensor(q.id(), q.name(), q.shape(), q.scale(), q.bits(), q.kind(), data));
            }
        }
        return new QuantGraph(tensors, g.nodes(), g.inputs(), g.outputs());
    }

    private static QuantGraph star(QuantGraph g) {
        return withBlindColumn(g, 37, -2600);
    }

    /**
     * Per claim the verifier checks on the weight or the witness commitment, per proof: the claim's value minus the first
     * candidate's table at the claim's point on the face (the packed weights W, or the witness of W's execution on the proof's
     * input), as c0/2^64; one row per claim, one column per proof. Proofs on seeded inputs and masks.
     */
    private static double[][] residuals(ProvingKey pk, QuantGraph candidate, int samples) {
        List<double[]> rows = new ArrayList<>();
        VerifyingKey vk = pk.verifyingKey();
        long[] w = packed(pk.plan(), candidate);
        assertTrue(Arrays.equals(pk.packedWeights(), packed(pk.plan(), pk.graph())), "the distinguisher packs the weights as the key does");
        int witnessVars = pk.plan().witnessPacking.numVars();
        for (int p = 0; p < samples; p++) {
            var x = Map.of("x", TestGraphs.randomInput(100 + p, 16, 3.9));
            Proof proof = Prover.prove(pk, IntegerExecutor.execute(pk.graph(), x), Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], new SplittableRandom(500 + p));
            ZkWeightLeakageTest.ClaimRecorder recorder = new ZkWeightLeakageTest.ClaimRecorder(vk.proofPcs());
            VerificationResult v = Verifier.verify(vk, proof.bytes(), recorder);
            assertTrue(v.valid(), v.reason());
            long[] witness = pk.plan().witnessPacking.pack(new Witness(pk.plan(), new ProverTensors(pk.plan(), candidate, IntegerExecutor.execute(candidate, x))).items);
            List<PcsClaim> claims = recorder.claims.stream().flatMap(List::stream)
                    .filter(c -> Arrays.equals(c.root(), vk.weightRoot()) || c.point().length >= witnessVars).toList();
            for (int k = 0; k < claims.size(); k++) {
                if (rows.size() <= k) {
                    rows.add(new double[samples]);
                }
                PcsClaim c = claims.get(k);
                boolean weights = Arrays.equals(c.root(), vk.weightRoot());
                Ext2 face = weights ? Mle.evaluate(w, Arrays.copyOf(c.point(), Integer.numberOfTrailingZeros(w.length)))
                        : Mle.evaluate(witness, Arrays.copyOf(c.point(), witnessVars));
                rows.get(k)[p] = (c.claimedValue().sub(face).c0() >>> 11) * 0x1p-53;
            }
        }
        return rows.toArray(double[][]::new);
    }

    /** A graph's weights in a plan's packed table (the plan's layout: zero-knowledge keys do not cut the tensors). */
    private static long[] packed(ProofPlan plan, QuantGraph g) {
        return plan.weightLayout.pack(plan.weightTensors.stream().map(t -> plan.shapes[t].pad(ProverTensors.toField(g.tensor(t).data()))).toArray(long[][]::new));
    }

    /** The largest Kolmogorov–Smirnov distance over the claims (the two keys make the same claims in the same order). */
    private static double distance(double[][] a, double[][] b) {
        assertEquals(a.length, b.length, "claims per proof");
        double d = 0;
        for (int k = 0; k < a.length; k++) {
            d = Math.max(d, ZkWeightLeakageTest.ksDistance(a[k], b[k]));
        }
        return d;
    }

    /**
     * Same public outputs on every input for (γ, β) and (γ*, β*). A distinguisher that knows both candidates reads each claim the
     * verifier checks on the weight and the witness commitments — where the values the new protocols send end: W′(ρ) of γ and β
     * ("elementwise-evals"), the merged and forwarded masked claims on q and the mean — minus (γ, β)'s value at its point (the
     * packed weights, or the witness of (γ, β)'s execution on the proof's input), and compares the two sets of proofs by the
     * two-sample Kolmogorov–Smirnov test per claim at α = 10⁻³ (seeded: the outcome is fixed; 8 proofs per set, ≈ 0.6 s
     * each, keep it under 15 s, so only a gross leak fails it: D = 1, the two sets' residuals separated, as plain proofs'
     * are; {@code -Dverinfer.zk.samples} raises the power up to what this tiny table's mask face allows off-face claims
     * for: 14 runs, D = 0.357 against 0.737; 20 spend the face). Plain proofs: residual 0 for (γ, β), not for (γ*, β*): D = 1.
     * Zero-knowledge proofs: W̃(p) + Z·h(p) and the witness's off-face values, uniform through the mask faces for either set.
     */
    @Test
    void twoLayerNormWeightSetsWithOneStatementCannotBeToldApartFromTheRevealedValues() {
        QuantGraph g = layerNorm(-3000);
        QuantGraph other = star(g);
        assertEquals(List.of(), ZeroKnowledge.uncovered(g));
        for (int p = 0; p < 4; p++) {
            var x = Map.of("x", TestGraphs.randomInput(100 + p, 16, 3.9));
            var a = IntegerExecutor.execute(g, x);
            var b = IntegerExecutor.execute(other, x);
            for (int out : g.outputs()) {
                assertTrue(Arrays.equals(a.value(out), b.value(out)), "one statement: output " + g.tensor(out).name());
            }
        }
        int samples = Integer.getInteger("verinfer.zk.samples", 8);
        double critical = Math.sqrt(-Math.log(1e-3 / 2) / 2) * Math.sqrt(2.0 / samples);
        double[][] plainOwn = residuals(Setup.setup(g, PcsSecurity.CONJECTURED, false), g, 1);
        double[][] plainOther = residuals(Setup.setup(other, PcsSecurity.CONJECTURED, false), g, 1);
        assertTrue(Arrays.stream(plainOwn).flatMapToDouble(Arrays::stream).allMatch(r -> r == 0), "plain claims are W's values");
        assertTrue(Arrays.stream(plainOther).flatMapToDouble(Arrays::stream).anyMatch(r -> r != 0),
                "plain proofs of the other weight set are told apart");
        assertEquals(1.0, distance(plainOwn, plainOther), "the statistic tells plain proofs apart (D = 1 for any number of proofs)");
        int budget = 2 + 2 * samples;
        ProvingKey zk = ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, budget);
        assertEquals(List.of("biased", "scaled", "square"), ZkElementwise.nodes(g, zk.plan()).stream().map(n -> g.tensor(n.output()).name()).sorted().toList());
        assertTrue(ZkClaimMerge.tensors(g, zk.plan()).stream().anyMatch(t -> g.tensor(t).name().equals("diff")), "d's claims are merged");
        assertEquals(1, ZkMaxLayers.masked(zk.plan()).size(), "the ReLU of the uncommitted d·γ + β");
        double hidden = distance(residuals(zk, g, samples), residuals(ZkMatMulProofTest.zkKey(other, PcsSecurity.CONJECTURED, budget), g, samples));
        System.out.printf("elementwise leak: %d claims per proof, zero-knowledge KS D = %.3f (critical %.3f, %d proofs per set)%n",
                plainOwn.length, hidden, critical, samples);
        assertTrue(hidden <= critical, "zero-knowledge proofs of the two weight sets told apart: D = " + hidden + " > " + critical);
    }
}
