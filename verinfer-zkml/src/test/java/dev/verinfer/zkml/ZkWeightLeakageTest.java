package dev.verinfer.zkml;

import dev.verinfer.codec.ProofReader;
import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.SumcheckProof;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.transcript.Transcript;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weight-recovery attack of {@link WeightLeakageTest} on the MatMul y = x·W (x[1,8] public, W[8,4]
 * private), measured on what each proof's layer protocol sends — the sumcheck's messages, the mask's
 * pieces and the weight evaluation — written as linear functionals of the weights W, the weight
 * commitment's mask face h (shared by every proof) and each proof's Libra mask (fresh). The commitment
 * openings are measured apart ({@code WhirZeroKnowledgeTest}, {@code OffFaceClaimTest}: zero-knowledge
 * beyond their claims, which are rows here).
 *
 * <p>Plain proofs gain rank on W beyond the statement y = x·W (the weights come out); zero-knowledge
 * proofs gain 0 for every N tried. The rows are read from the proof bytes and the verifier's PCS claims
 * (which carry the sumcheck point); the mask weight ρ of each zero-knowledge sumcheck follows from the
 * verifier's final relation (affine in ρ). An extractor error would make the system inconsistent, which
 * {@link LinearLeakage} refuses.
 */
class ZkWeightLeakageTest {
    private static final int K_BITS = 3;
    private static final int N_BITS = 2;
    private static final int WEIGHTS = 1 << (K_BITS + N_BITS);
    /** Base-field unknowns of one proof's mask: a_0, a_{i,k} (degrees 2, 2, 4) and the shares s_0, s_1 (s_2 = a_0 − s_0 − s_1), each in F_{p²}. */
    private static final int[] DEGREES = {2, 2, 4};
    private static final int MASK_EXT = 1 + 2 + 2 + 4 + (K_BITS - 1);

    static QuantGraph graph() {
        TestGraphs b = new TestGraphs(77);
        int x = b.input("x", 8, 12, 1, 8);
        int w = b.weight("w", 8, 200, 8, 4);
        b.output(b.node("gemm", new QOp.MatMul(x, w, -1), 16, 30, 1, 4));
        return b.build();
    }

    /** Wraps the key's scheme to record the claims the verifier checks. */
    static final class ClaimRecorder extends ForwardingPcs {
        final List<List<PcsClaim>> claims = new ArrayList<>();

        ClaimRecorder(MultilinearPcs inner) {
            super(inner);
        }

        @Override
        public void verify(Transcript transcript, List<PcsClaim> c, PcsOpeningProof proof) throws PcsRejectedException {
            claims.add(List.copyOf(c));
            inner.verify(transcript, c, proof);
        }
    }

    /**
     * Rows over (W | h | masks of every proof), as base-field relations; column blocks fixed up front.
     * With a {@code candidate} weight vector the private columns are substituted by it: the rows then
     * constrain the nuisance alone, and they are consistent iff some masks explain the proofs with
     * those weights ({@link LinearLeakage#reveal} throws otherwise).
     */
    static final class Rows {
        final LinearLeakage all;
        final LinearLeakage statement;
        final int nuisance;
        final boolean zk;
        final long[] candidate;

        Rows(int proofs, boolean zk) {
            this(proofs, zk, null);
        }

        Rows(int proofs, boolean zk, long[] candidate) {
            this.zk = zk;
            this.candidate = candidate;
            this.nuisance = zk ? WEIGHTS + proofs * 2 * MASK_EXT : 0;
            int priv = candidate == null ? WEIGHTS : 0;
            this.all = new LinearLeakage(priv, nuisance);
            this.statement = new LinearLeakage(priv, 0);
        }

        /** Moves Σ priv_i·candidate_i to the value side when a candidate is substituted. */
        private long[] substitute(long[] priv, long[] value) {
            if (candidate == null) {
                return priv;
            }
            for (int i = 0; i < priv.length; i++) {
                value[0] = dev.verinfer.field.Goldilocks.sub(value[0], dev.verinfer.field.Goldilocks.mul(priv[i], candidate[i]));
            }
            return new long[0];
        }

        /** value = Σ w[i]·W_i + Σ hc[i]·h_i + Σ mc[j]·m_j (m the proof's F_{p²} mask unknowns), both base parts. */
        void reveal(Ext2[] w, Ext2[] hc, Ext2[] mc, int proof, Ext2 value) {
            for (int part = 0; part < 2; part++) {
                long[] priv = new long[WEIGHTS];
                long[] nu = new long[nuisance];
                for (int i = 0; i < WEIGHTS; i++) {
                    priv[i] = part(w[i], part);
                    if (zk) {
                        nu[i] = part(hc[i], part);
                    }
                }
                if (zk) {
                    int base = WEIGHTS + proof * 2 * MASK_EXT;
                    for (int j = 0; j < MASK_EXT; j++) {
                        // c·(u0 + u1·X) with X² = 7: real c0·u0 + 7·c1·u1, imaginary c1·u0 + c0·u1.
                        Ext2 c = mc[j];
                        nu[base + 2 * j] = part == 0 ? c.c0() : c.c1();
                        nu[base + 2 * j + 1] = part == 0 ? dev.verinfer.field.Goldilocks.mul(Ext2.W, c.c1()) : c.c0();
                    }
                }
                long[] v = {part(value, part)};
                long[] p = substitute(priv, v);
                all.reveal(p, nu, v[0]);
            }
        }

        void publicRelation(long[] w, long value) {
            long[] v = {value};
            long[] p = substitute(w, v);
            all.reveal(p, new long[nuisance], v[0]);
            statement.reveal(p, new long[0], v[0]);
        }

        int gained() {
            return all.privateRank() - statement.privateRank();
        }

        private static long part(Ext2 v, int part) {
            return v == null ? 0 : part == 0 ? v.c0() : v.c1();
        }
    }

    /** x's MLE at a point of the k variables. */
    private static Ext2 xAt(long[] xPadded, Ext2[] point) {
        return Mle.evaluate(xPadded, point);
    }

    private static Ext2 lineAt(Ext2 t, int bit) {
        return bit == 1 ? t : Ext2.ONE.sub(t);
    }

    /**
     * Coefficients on W (and on h, with the vanishing factor) of the round-i value at t of Σ_k a(k)·W'(r_N, k):
     * a(r_<i, t, k_>i)·eq(r_<i, k_<i)·L_t(k_i)·eq(r_N, n) on W[n + 4k].
     */
    private static Ext2[] roundCoefficients(long[] x, Ext2[] rN, Ext2[] r, int i, Ext2 t) {
        Ext2[] c = new Ext2[WEIGHTS];
        java.util.Arrays.fill(c, Ext2.ZERO);
        for (int k = 0; k < (1 << K_BITS); k++) {
            Ext2 weight = lineAt(t, (k >>> i) & 1);
            for (int j = 0; j < i; j++) {
                weight = weight.mul(lineAt(r[j], (k >>> j) & 1));
            }
            Ext2[] aPoint = new Ext2[K_BITS];
            for (int j = 0; j < K_BITS; j++) {
                aPoint[j] = j < i ? r[j] : j == i ? t : Ext2.of((k >>> j) & 1);
            }
            Ext2 a = xAt(x, aPoint);
            for (int n = 0; n < (1 << N_BITS); n++) {
                Ext2 eqN = Ext2.ONE;
                for (int j = 0; j < N_BITS; j++) {
                    eqN = eqN.mul(lineAt(rN[j], (n >>> j) & 1));
                }
                c[n + (k << N_BITS)] = c[n + (k << N_BITS)].add(a.mul(weight).mul(eqN));
            }
        }
        return c;
    }

    /** The Libra mask's round-i value at t, M_i(t), as coefficients on (a_0, a_{j,k}, shares) (SumcheckMask's layout). */
    private static Ext2[] maskRound(Ext2[] r, int i, Ext2 t) {
        Ext2[] c = zeros();
        int free = K_BITS - i - 1;
        Ext2 scale = Ext2.of(1L << free);
        c[0] = scale;
        int at = 1;
        for (int j = 0; j < K_BITS; j++) {
            for (int k = 1; k <= DEGREES[j]; k++, at++) {
                c[at] = j < i ? scale.mul(pow(r[j], k)) : j == i ? scale.mul(pow(t, k)) : free >= 1 ? Ext2.of(1L << (free - 1)) : Ext2.ZERO;
            }
        }
        return c;
    }

    private static Ext2[] zeros() {
        Ext2[] c = new Ext2[MASK_EXT];
        java.util.Arrays.fill(c, Ext2.ZERO);
        return c;
    }

    private static Ext2 pow(Ext2 x, int k) {
        Ext2 p = Ext2.ONE;
        for (int i = 0; i < k; i++) {
            p = p.mul(x);
        }
        return p;
    }

    /**
     * A masked sumcheck replayed with its final value written α + β·ρ_m, affine in the mask weight ρ_m: α₀ + β₀·ρ_m the claim,
     * each round's message read at r_i ({@code values[i]}: the message at 0, 2, 3, …; at 1 the running claim less its value at
     * 0, whose ρ_m-part is β). Returns {α, β} after {@code rounds} rounds.
     */
    static Ext2[] affineFinal(Ext2[][] values, int rounds, Ext2 alpha, Ext2 beta, Ext2[] r) {
        for (int i = 0; i < rounds; i++) {
            int d = values[i].length;
            Ext2[] pa = new Ext2[d + 1];
            Ext2[] pb = new Ext2[d + 1];
            pa[0] = values[i][0];
            pb[0] = Ext2.ZERO;
            pa[1] = alpha.sub(values[i][0]);
            pb[1] = beta;
            for (int e = 2; e <= d; e++) {
                pa[e] = values[i][e - 1];
                pb[e] = Ext2.ZERO;
            }
            alpha = interpolate(pa, r[i]);
            beta = interpolate(pb, r[i]);
        }
        return new Ext2[] {alpha, beta};
    }

    /** Lagrange interpolation through (0, 1, …, d) at x. */
    private static Ext2 interpolate(Ext2[] values, Ext2 x) {
        Ext2 out = Ext2.ZERO;
        for (int j = 0; j < values.length; j++) {
            Ext2 l = Ext2.ONE;
            for (int m = 0; m < values.length; m++) {
                if (m != j) {
                    l = l.mul(x.sub(Ext2.of(m))).mul(Ext2.of(dev.verinfer.field.Goldilocks.fromSigned(j - m)).inverse());
                }
            }
            out = out.add(l.mul(values[j]));
        }
        return out;
    }

    /** Adds one proof's rows; returns the rank gained so far beyond the statement. */
    static void addProof(Rows rows, ProvingKey pk, long[] xInt, int proofIndex) throws Exception {
        QuantGraph g = pk.graph();
        Proof proof = Prover.prove(pk, IntegerExecutor.execute(g, Map.of("x", toFloat(xInt))));
        ClaimRecorder recorder = new ClaimRecorder(pk.verifyingKey().proofPcs());
        VerificationResult v = Verifier.verify(pk.verifyingKey(), proof.bytes(), recorder);
        assertTrue(v.valid(), v.reason());
        long[] x = ProverTensors.toField(v.statement().inputs().getFirst());
        long[] y = v.statement().outputs().getFirst();
        for (int n = 0; n < (1 << N_BITS); n++) {
            long[] w = new long[WEIGHTS];
            for (int k = 0; k < (1 << K_BITS); k++) {
                w[n + (k << N_BITS)] = x[k];
            }
            rows.publicRelation(w, dev.verinfer.field.Goldilocks.fromSigned(y[n]));
        }
        // The weight claim's point is (r_N, ρ, Z(ρ_last)) (off the face) or (r_N, ρ).
        byte[] weightRoot = pk.verifyingKey().weightRoot();
        PcsClaim weightClaim = recorder.claims.getLast().stream().filter(c -> java.util.Arrays.equals(c.root(), weightRoot)).findFirst().orElseThrow();
        Ext2[] rN = java.util.Arrays.copyOfRange(weightClaim.point(), 0, N_BITS);
        Ext2[] r = java.util.Arrays.copyOfRange(weightClaim.point(), N_BITS, N_BITS + K_BITS);
        Ext2 h0 = Mle.evaluate(ProverTensors.toField(y), rN);

        ProofReader in = Proof.open(proof.bytes());
        PublicStatement.read(in);
        in.readBytes(64, "witness root");
        Ext2[][] values;
        Ext2 maskSum = Ext2.ZERO;
        Ext2 maskEval = Ext2.ZERO;
        Ext2[] pieces = null;
        if (rows.zk) {
            in.readBytes(64, "mask root");
            in.readExt();
            ZkSumcheckProof zp = ZkSumcheckProof.read(in, DEGREES);
            maskSum = zp.maskSum();
            values = zp.rounds().rounds();
            maskEval = zp.maskEvaluation();
            pieces = in.readExts(64, "pieces");
        } else {
            values = SumcheckProof.read(in, K_BITS, 2).rounds();
        }
        Ext2[] evals = in.readExts(2, "evals");

        // ρ from the final relation: e_n = α + β·ρ (the rounds, affine in ρ through e_0 = H + ρ·G) = a(ρ)·W'(ρ) + ρ·g(r).
        Ext2[] affine = affineFinal(values, K_BITS, h0, maskSum, r);
        Ext2 alpha = affine[0];
        Ext2 beta = affine[1];
        Ext2 rho = rows.zk ? evals[0].mul(evals[1]).sub(alpha).mul(beta.sub(maskEval).inverse()) : Ext2.ZERO;
        assertEquals(alpha.add(beta.mul(rho)), evals[0].mul(evals[1]).add(rho.mul(maskEval)), "the final relation");

        Ext2[] none = new Ext2[WEIGHTS];
        Ext2[] noMask = zeros();
        if (rows.zk) {
            Ext2[] sum = zeros(); // G = 2^n·a_0 + 2^(n−1)·Σ_j S_j
            sum[0] = Ext2.of(1L << K_BITS);
            for (int j = 1; j < 1 + 8; j++) {
                sum[j] = Ext2.of(1L << (K_BITS - 1));
            }
            rows.reveal(none, none, sum, proofIndex, maskSum);
        }
        for (int i = 0; i < K_BITS; i++) {
            for (int e = 0; e < values[i].length; e++) {
                Ext2 t = Ext2.of(e == 0 ? 0 : e + 1);
                Ext2[] wc = roundCoefficients(x, rN, r, i, t);
                Ext2[] hc = new Ext2[WEIGHTS];
                Ext2[] mc = noMask;
                if (rows.zk) {
                    if (i == K_BITS - 1) { // the last round sees W' = W + t(1 − t)·h
                        Ext2 z = t.mul(Ext2.ONE.sub(t));
                        for (int q = 0; q < WEIGHTS; q++) {
                            hc[q] = wc[q].mul(z);
                        }
                    }
                    mc = maskRound(r, i, t);
                    for (int q = 0; q < mc.length; q++) {
                        mc[q] = mc[q].mul(rho);
                    }
                }
                rows.reveal(wc, hc, mc, proofIndex, values[i][e]);
            }
        }
        if (rows.zk) {
            Ext2[] ge = zeros(); // g(r) = a_0 + Σ a_{j,k}·r_j^k
            ge[0] = Ext2.ONE;
            int at = 1;
            for (int j = 0; j < K_BITS; j++) {
                for (int k = 1; k <= DEGREES[j]; k++, at++) {
                    ge[at] = pow(r[j], k);
                }
            }
            rows.reveal(none, none, ge, proofIndex, maskEval);
            for (int i = 0; i < K_BITS; i++) { // piece i = s_i + g_i(r_i), s_2 = a_0 − s_0 − s_1
                Ext2[] pc = zeros();
                int a = 1 + java.util.Arrays.stream(DEGREES).limit(i).sum();
                for (int k = 1; k <= DEGREES[i]; k++) {
                    pc[a + k - 1] = pow(r[i], k);
                }
                if (i < K_BITS - 1) {
                    pc[1 + 8 + i] = Ext2.ONE;
                } else {
                    pc[0] = Ext2.ONE;
                    for (int s = 0; s < K_BITS - 1; s++) {
                        pc[1 + 8 + s] = Ext2.ONE.neg();
                    }
                }
                rows.reveal(none, none, pc, proofIndex, pieces[i]);
            }
        }
        // The weight evaluation: W(r_N, ρ) in the clear, or W'(ρ) = W(p) + Z(ρ_last)·h(p) off the face.
        Ext2[] wc = new Ext2[WEIGHTS];
        Ext2[] hc = new Ext2[WEIGHTS];
        Ext2 z = r[K_BITS - 1].mul(Ext2.ONE.sub(r[K_BITS - 1]));
        for (int q = 0; q < WEIGHTS; q++) {
            Ext2 eq = Ext2.ONE;
            for (int j = 0; j < N_BITS; j++) {
                eq = eq.mul(lineAt(rN[j], (q >>> j) & 1));
            }
            for (int j = 0; j < K_BITS; j++) {
                eq = eq.mul(lineAt(r[j], (q >>> (N_BITS + j)) & 1));
            }
            wc[q] = eq;
            hc[q] = eq.mul(z);
        }
        rows.reveal(wc, rows.zk ? hc : none, noMask, proofIndex, evals[1]);
    }

    private static float[] toFloat(long[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = x[i] / 256f;
        }
        return f;
    }

    private static long[] input(long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        long[] x = new long[8];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextLong(-900, 900);
        }
        return x;
    }

    /** An input whose last feature is 0: the last row of W does not reach the output. */
    private static long[] blindInput(long seed) {
        long[] x = input(seed);
        x[7] = 0;
        return x;
    }

    /**
     * Two weight sets with the same public statement — W and W* = W with its last row (which the inputs
     * multiply by 0) changed — are indistinguishable from zero-knowledge proofs: every relation the
     * proofs of W reveal is satisfied by W* with other masks (the translate argument: the masks that
     * explain W* exist, and since the masks are uniform, both weight sets give the same distribution of
     * proofs). The plain proofs of W contradict W* (the test can fail).
     */
    @Test
    void proofsOfTwoWeightSetsWithOneStatementAreTranslatesOnlyInZeroKnowledge() throws Exception {
        QuantGraph g = graph();
        int proofs = 3;
        ProvingKey plain = Setup.setup(g, PcsSecurity.PROVEN, false);
        long[] other = blindRowChanged(plain.packedWeights());
        Rows truth = new Rows(proofs, false, plain.packedWeights());
        Rows plainAsOther = new Rows(proofs, false, other);
        boolean contradicted = false;
        for (int p = 0; p < proofs; p++) {
            addProof(truth, plain, blindInput(p), p);
            try {
                addProof(plainAsOther, plain, blindInput(p), p);
            } catch (IllegalStateException inconsistent) {
                contradicted = true;
                break;
            }
        }
        assertTrue(contradicted, "plain proofs of W are explained by W* too: the test cannot tell");

        ProvingKey zk = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN);
        Rows zkAsOther = new Rows(proofs, true, other);
        for (int p = 0; p < proofs; p++) {
            addProof(zkAsOther, zk, blindInput(p), p); // throws if no masks explain W*
        }
    }

    /** W* = W with its last row (which a {@link #blindInput} multiplies by 0) changed: the same statement on those inputs. */
    private static long[] blindRowChanged(long[] weights) {
        long[] other = weights.clone();
        for (int n = 0; n < (1 << N_BITS); n++) {
            int i = n + (7 << N_BITS);
            other[i] = dev.verinfer.field.Goldilocks.add(other[i], 1 + n);
        }
        return other;
    }

    /** The graph with its weights W replaced by W* ({@link #blindRowChanged}, W[8,4] is the packed table as it is). */
    private static QuantGraph withBlindRowChanged(QuantGraph g) {
        List<dev.verinfer.model.quant.QTensor> tensors = new ArrayList<>(g.tensors());
        for (int t = 0; t < tensors.size(); t++) {
            dev.verinfer.model.quant.QTensor q = tensors.get(t);
            if (q.kind() == dev.verinfer.model.quant.QTensor.Kind.WEIGHT) {
                long[] data = q.data().clone();
                for (int n = 0; n < (1 << N_BITS); n++) {
                    data[n + (7 << N_BITS)] += 1 + n;
                }
                tensors.set(t, new dev.verinfer.model.quant.QTensor(q.id(), q.name(), q.shape(), q.scale(), q.bits(), q.kind(), data));
            }
        }
        return new QuantGraph(tensors, g.nodes(), g.inputs(), g.outputs());
    }

    /**
     * Issue 11's statistical test: many proofs of two weight sets with one public statement (W and W*,
     * {@link #blindRowChanged}, on inputs that multiply the changed row by 0). A distinguisher that knows
     * both candidates reads from each proof the weight claim's value minus W's value at the claim's point
     * (on the face: the first n coordinates) as a number in [0, 1) and compares the two sets of proofs
     * with a two-sample Kolmogorov–Smirnov test. Plain proofs of W give residual 0 and those of W* give
     * (W* − W)(p), so it tells them apart (D ≈ 1); zero-knowledge proofs reveal W′(ρ) = W(p) + Z(ρ)·h(p),
     * uniform through the commitment's mask face for either set, so it must not. The critical value is
     * for α = 10⁻⁵ (a false alarm once in 10⁵ runs); {@code -Dverinfer.zk.samples} sets the proofs per set.
     */
    @Test
    void twoWeightSetsWithOneStatementCannotBeToldApartFromTheRevealedValues() throws Exception {
        QuantGraph g = graph();
        int samples = Integer.getInteger("verinfer.zk.samples", 16);
        double critical = Math.sqrt(-Math.log(1e-5 / 2) / 2) * Math.sqrt(2.0 / samples);
        QuantGraph star = withBlindRowChanged(g);
        ProvingKey plainKey = Setup.setup(g, PcsSecurity.CONJECTURED, false);
        long[] w = plainKey.packedWeights();
        double plain = ksDistance(residuals(plainKey, w, samples), residuals(Setup.setup(star, PcsSecurity.CONJECTURED, false), w, samples));
        assertTrue(plain > critical, "plain proofs of W and W* told apart: D = " + plain + " > " + critical);
        int budget = 2 + 2 * samples; // each proof opens the weights off their mask face: two units
        double zk = ksDistance(residuals(ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, budget), w, samples),
                residuals(ZkMatMulProofTest.zkKey(star, PcsSecurity.CONJECTURED, budget), w, samples));
        assertTrue(zk <= critical, "zero-knowledge proofs of W and W* told apart: D = " + zk + " > " + critical);
    }

    /** Per proof (blind inputs), the weight claim's value minus W at the claim's point on the face, as c0/2^64. */
    private static double[] residuals(ProvingKey pk, long[] w, int samples) throws Exception {
        double[] out = new double[samples];
        byte[] weightRoot = pk.verifyingKey().weightRoot();
        for (int p = 0; p < samples; p++) {
            Proof proof = Prover.prove(pk, IntegerExecutor.execute(pk.graph(), Map.of("x", toFloat(blindInput(100 + p)))));
            ClaimRecorder recorder = new ClaimRecorder(pk.verifyingKey().proofPcs());
            VerificationResult v = Verifier.verify(pk.verifyingKey(), proof.bytes(), recorder);
            assertTrue(v.valid(), v.reason());
            PcsClaim claim = recorder.claims.getLast().stream().filter(c -> java.util.Arrays.equals(c.root(), weightRoot)).findFirst().orElseThrow();
            Ext2 face = Mle.evaluate(w, java.util.Arrays.copyOf(claim.point(), K_BITS + N_BITS));
            out[p] = (claim.claimedValue().sub(face).c0() >>> 11) * 0x1p-53; // ≈ c0/p: p = 2^64 − 2^32 + 1
        }
        return out;
    }

    /** The two-sample Kolmogorov–Smirnov distance sup_x |F_a(x) − F_b(x)|. */
    static double ksDistance(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        java.util.Arrays.sort(x);
        java.util.Arrays.sort(y);
        double d = 0;
        int i = 0;
        int j = 0;
        while (i < x.length && j < y.length) {
            double t = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= t) {
                i++;
            }
            while (j < y.length && y[j] <= t) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        return d;
    }

    /**
     * The key's weight bounds proof, read as rows: its claim on the weight commitment. The plain proof claims
     * W(ρ) in the clear; the zero-knowledge one claims W′(ρ) = W(ρ) + Z(ρ)·h(ρ) off the face, masked by the
     * face h that every proof's MatMul claim shares (its other values — rounds, G, g(r), pieces, the bits'
     * e_j, each masked by a Libra mask or a bit-face block used once — carry fresh masks: {@link ZkWeightBounds}).
     */
    static void addBoundsProof(Rows rows, ProvingKey pk) throws Exception {
        VerifyingKey vk = pk.verifyingKey();
        ClaimRecorder recorder = new ClaimRecorder(vk.pcs()); // the key's bounds proof: the key's scheme, padded trees
        WeightBounds.verify(new ProofPlan(pk.graph(), true), vk.architectureDigest(), vk.weightRoot(), vk.weightVars(), recorder, vk.boundsProof(),
                vk.zeroKnowledge());
        PcsClaim claim = recorder.claims.getLast().stream().filter(c -> java.util.Arrays.equals(c.root(), vk.weightRoot())).findFirst().orElseThrow();
        Ext2[] p = claim.point();
        Ext2[] wc = new Ext2[WEIGHTS];
        Ext2[] hc = new Ext2[WEIGHTS];
        for (int q = 0; q < WEIGHTS; q++) {
            Ext2 eq = Ext2.ONE;
            for (int j = 0; j < K_BITS + N_BITS; j++) {
                eq = eq.mul(lineAt(p[j], (q >>> j) & 1));
            }
            wc[q] = eq;
            hc[q] = p.length > K_BITS + N_BITS ? eq.mul(p[K_BITS + N_BITS]) : Ext2.ZERO;
        }
        rows.reveal(wc, hc, zeros(), 0, claim.claimedValue());
    }

    @Test
    void theKeysBoundsProofGainsNoRankInZeroKnowledge() throws Exception {
        QuantGraph g = graph();
        Rows open = new Rows(1, false);
        addBoundsProof(open, Setup.setup(g, PcsSecurity.PROVEN, false));
        assertTrue(open.gained() >= 1, "the plain bounds proof reveals W(ρ): " + open.gained());

        ProvingKey zk = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN);
        int proofs = 3;
        Rows hidden = new Rows(proofs, true);
        addBoundsProof(hidden, zk);
        assertEquals(0, hidden.gained(), "the zero-knowledge bounds proof alone");
        for (int p = 0; p < proofs; p++) {
            addProof(hidden, zk, input(p), p); // the proofs' claims share the face h with the bounds proof's
        }
        assertEquals(0, hidden.gained(), "the bounds proof and " + proofs + " proofs together gain no rank on the weights");
    }

    @Test
    void plainProofsRevealTheWeightsAndZeroKnowledgeProofsGainNoRank() throws Exception {
        QuantGraph g = graph();
        int proofs = 4;
        ProvingKey plain = Setup.setup(g, PcsSecurity.PROVEN, false);
        Rows open = new Rows(proofs, false);
        List<Integer> plainRanks = new ArrayList<>();
        for (int p = 0; p < proofs; p++) {
            addProof(open, plain, input(p), p);
            plainRanks.add(open.gained());
        }
        assertTrue(open.gained() > 0, "plain proofs gain rank on the weights beyond the statement: " + plainRanks);

        ProvingKey zk = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN);
        assertTrue(zk.weightCommitment() instanceof HidingCommitment);
        Rows hidden = new Rows(proofs, true);
        List<Integer> zkRanks = new ArrayList<>();
        for (int p = 0; p < proofs; p++) {
            addProof(hidden, zk, input(p), p);
            zkRanks.add(hidden.gained());
        }
        System.out.printf("weight leak, MatMul 8x4: statement rank %d; plain gains %s, zero-knowledge gains %s%n",
                open.statement.privateRank(), plainRanks, zkRanks);
        assertEquals(0, hidden.gained(), "zero-knowledge proofs gain no rank on the weights: " + zkRanks);
    }
}
