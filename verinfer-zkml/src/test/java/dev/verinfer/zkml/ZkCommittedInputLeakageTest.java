package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.Execution;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's statistical test for committed inputs (and, below, outputs): two private inputs x and x* with one public statement — {@link
 * ZkCommittedIoTest#producer}'s x[3,6]·W + b → Rescale → ReLU with W's row 5 zero, x* = x changed in column 5 — proven 16 times
 * each ({@code -Dverinfer.zk.samples}), conjectured. A distinguisher that knows both candidates takes from each proof the claim
 * on the committed input's root (what the opening is asked, {@link ZkWeightLeakageTest.ClaimRecorder}) minus x's value at its
 * point on the face, and runs a two-sample Kolmogorov–Smirnov test at α = 10⁻⁵: plain proofs are told apart (the claim is the
 * committed table's value: residual 0 for x, (x* − x)(ρ) for x*), zero-knowledge ones are not (T′(ρ) = x(ρ) + Z(ρ)·h(ρ), uniform
 * through the commitment's mask face h, for either input). Every other private value — the MatMul's output, the Rescale and
 * the ReLU — is the same for x and x*, and x's own masked claims (a′(ρ) of the MatMul, the range check's leaf) are uniform
 * through their scalars of M; the opening itself reveals nothing beyond the claims within the commitment's budget (hiding
 * WHIR, {@code WhirZeroKnowledgeTest}). The two statements are identical: the same model id and output, and a hiding root each.
 */
class ZkCommittedInputLeakageTest {
    /**
     * W's columns: 32, so the weights' mask face (2^(n−1) off-face values) covers the 2·16 proofs' three revealed values of h
     * each (the Gemm's two weight claims and their merged value, {@link ZkWeightBatching#revealed}); producer's 8 give 64 < 96.
     */
    private static final int COLUMNS = 32;

    @Test
    void twoCommittedInputsWithOneStatementCannotBeToldApart() {
        assertIndistinguishable(withZeroRow(ZkCommittedIoTest.producer(31, COLUMNS), "w", 5, COLUMNS), false);
    }

    /**
     * The same on the output side: x and x* committed (W unchanged, so their outputs y and y* differ) and the output committed
     * too, so the statements are the model id and two hiding roots each; the distinguisher subtracts y's face value from the
     * claim on the output's root. Plain proofs: residual 0 for x, (y* − y)(ρ) for x*; zero-knowledge ones: uniform for both.
     */
    @Test
    void twoCommittedOutputsWithOneStatementCannotBeToldApart() {
        assertIndistinguishable(ZkCommittedIoTest.producer(32, COLUMNS), true);
    }

    private static void assertIndistinguishable(QuantGraph g, boolean output) {
        int samples = Integer.getInteger("verinfer.zk.samples", 16);
        double critical = Math.sqrt(-Math.log(1e-5 / 2) / 2) * Math.sqrt(2.0 / samples);
        ProvingKey plain = Setup.setup(g, PcsSecurity.CONJECTURED, false);
        ProvingKey zk = ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, 2 + 4 * samples); // the bounds proof, two units a proof
        double dPlain = ZkWeightLeakageTest.ksDistance(residuals(plain, g, false, output, samples), residuals(plain, g, true, output, samples));
        assertTrue(dPlain > critical, "plain proofs of x and x* told apart: D = " + dPlain + " > " + critical);
        double dZk = ZkWeightLeakageTest.ksDistance(residuals(zk, g, false, output, samples), residuals(zk, g, true, output, samples));
        assertTrue(dZk <= critical, "zero-knowledge proofs of x and x* told apart: D = " + dZk + " > " + critical);
    }

    /**
     * Per proof of x (or x*), the claim on the committed input's (or output's) root minus x's (y's) value at the claim's point
     * restricted to the face (the table's own variables), as c0/2^64.
     */
    private static double[] residuals(ProvingKey pk, QuantGraph g, boolean star, boolean output, int samples) {
        double[] out = new double[samples];
        int id = output ? g.outputs().getFirst() : g.inputs().getFirst();
        int vars = pk.plan().shapes[id].numVars();
        for (int s = 0; s < samples; s++) {
            long[] x = input(200 + s, false);
            Execution candidate = run(g, x);
            Execution e = star ? run(g, input(200 + s, true)) : candidate;
            long[] mine = candidate.value(id);
            long[] theirs = run(g, input(200 + s, true)).value(id);
            if (!output) {
                assertArrayEquals(candidate.value(g.outputs().getFirst()), e.value(g.outputs().getFirst()), "x and x* have one output");
            }
            Proof proof = Prover.prove(pk, e, Visibility.COMMITTED, output ? Visibility.COMMITTED : Visibility.PUBLIC);
            ZkWeightLeakageTest.ClaimRecorder recorder = new ZkWeightLeakageTest.ClaimRecorder(pk.verifyingKey().proofPcs());
            VerificationResult v = Verifier.verify(pk.verifyingKey(), proof.bytes(), recorder);
            assertTrue(v.valid(), v.reason());
            byte[] root = output ? proof.statement().outputRoots().getFirst() : proof.statement().inputRoots().getFirst();
            PcsClaim claim = recorder.claims.getLast().stream().filter(c -> Arrays.equals(c.root(), root)).findFirst().orElseThrow();
            Ext2[] face = Arrays.copyOf(claim.point(), vars);
            assertFalse(Mle.evaluate(table(pk, id, difference(mine, theirs)), face).equals(Ext2.ZERO), "the claim reads where the candidates differ");
            out[s] = (claim.claimedValue().sub(Mle.evaluate(table(pk, id, mine), face)).c0() >>> 11) * 0x1p-53; // ≈ c0/p
        }
        return out;
    }

    /** A tensor's padded field table (the distinguisher's candidate). */
    private static long[] table(ProvingKey pk, int id, long[] values) {
        return ProverTensors.toField(pk.plan().shapes[id].pad(values));
    }

    private static long[] difference(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = b[i] - a[i];
        }
        return d;
    }

    private static Execution run(QuantGraph g, long[] x) {
        try (IntegerExecutor ex = new IntegerExecutor(1)) {
            return ex.runQuantised(g, Map.of("x", x));
        }
    }

    /** x[3,6] (scale 2^8, |x| < 2^12) from the seed; x* has column 5 drawn afresh (which a zero row 5 of W keeps out of the output). */
    private static long[] input(long seed, boolean star) {
        SplittableRandom rng = new SplittableRandom(seed);
        SplittableRandom other = new SplittableRandom(seed ^ 0x5DEECE66DL);
        long[] x = new long[18];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextLong(-1500, 1500);
            long alt = other.nextLong(-1500, 1500);
            if (star && i % 6 == 5) {
                x[i] = alt == x[i] ? alt + 1 : alt;
            }
        }
        return x;
    }

    /** The graph with row {@code row} of weight {@code name} ([rows, cols]) zero: the input column it multiplies does not enter the output. */
    private static QuantGraph withZeroRow(QuantGraph g, String name, int row, int cols) {
        List<QTensor> tensors = new ArrayList<>(g.tensors());
        for (int t = 0; t < tensors.size(); t++) {
            QTensor q = tensors.get(t);
            if (q.kind() == QTensor.Kind.WEIGHT && q.name().equals(name)) {
                long[] data = q.data().clone();
                Arrays.fill(data, row * cols, (row + 1) * cols, 0);
                tensors.set(t, new QTensor(q.id(), q.name(), q.shape(), q.scale(), q.bits(), q.kind(), data));
            }
        }
        return new QuantGraph(tensors, g.nodes(), g.inputs(), g.outputs());
    }
}
