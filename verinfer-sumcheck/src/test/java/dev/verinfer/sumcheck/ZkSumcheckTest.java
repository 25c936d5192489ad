package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZkSumcheckTest {
    /** A statement with or without an eq factor, and its true sum. */
    record Statement(SumcheckTest.Instance inst, Ext2[] eq, Ext2 sum) {
        int degree() {
            return inst.degree() + (eq == null ? 0 : 1);
        }

        ZkSumcheckProverResult prove(Transcript t, SumcheckMask mask, MaskCommitter c) {
            return prove(t, null, mask, c);
        }

        ZkSumcheckProverResult prove(Transcript t, VanishingMask[] hiding, SumcheckMask mask, MaskCommitter c) {
            return eq == null ? ZkSumcheckProver.prove(t, sum, inst.tables(), inst.terms(), hiding, mask, c)
                    : ZkSumcheckProver.proveWithEq(t, eq, sum, inst.tables(), inst.terms(), hiding, mask, c);
        }

        int[] roundDegrees(VanishingMask[] hiding) {
            return ZkSumcheckProver.roundDegrees(inst.numVars(), inst.terms(), eq != null, hiding);
        }

        void finish(SubClaim sub, Ext2[] finals) throws SumcheckRejectedException {
            if (eq == null) {
                sub.check(inst.terms(), finals);
            } else {
                sub.checkWithEq(eq, inst.terms(), finals);
            }
        }

        /** f(point): the oracle answer a simulator is given. */
        Ext2 evaluate(Ext2[] point) {
            Ext2[] values = new Ext2[inst.tables().size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = SumcheckTest.evaluateTable(inst.tables().get(k), point);
            }
            Ext2 v = ProductTerm.evaluate(inst.terms(), values);
            return eq == null ? v : v.mul(Mle.eq(eq, point));
        }
    }

    static Statement statement(SplittableRandom rng, int n, int degree, boolean withEq) {
        SumcheckTest.Instance inst = SumcheckTest.randomInstance(rng, n, degree, rng.nextBoolean());
        Ext2[] eq = withEq ? SumcheckTest.eqPoint(rng, n) : null;
        Ext2 sum = withEq ? SumcheckProver.proveWithEq(SumcheckTest.transcript(), eq, inst.tables(), inst.terms()).claimedSum()
                : SumcheckProver.prove(SumcheckTest.transcript(), inst.tables(), inst.terms()).claimedSum();
        return new Statement(inst, eq, sum);
    }

    static void verify(Statement s, Ext2 claimedSum, ZkSumcheckProof proof, MaskVerifier masks, Ext2[] finals) throws SumcheckRejectedException {
        SubClaim sub = ZkSumcheckVerifier.verify(SumcheckTest.transcript(), claimedSum, s.inst().numVars(), s.degree(), proof, masks);
        s.finish(sub, finals);
    }

    /** Random vanishing masks on about half the tables (one coefficient with one variable, up to three otherwise). */
    static VanishingMask[] hiding(Statement s, SplittableRandom rng) {
        VanishingMask[] h = new VanishingMask[s.inst().tables().size()];
        for (int k = 0; k < h.length; k++) {
            if (rng.nextBoolean()) {
                h[k] = VanishingMask.random(s.inst().numVars() == 1 ? 1 : 1 + rng.nextInt(3), rng);
            }
        }
        return h;
    }

    @Property(tries = 60)
    void honestProofsWithHiddenFinalEvaluationsVerify(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll @IntRange(min = 1, max = 3) int degree,
                                                      @ForAll boolean withEq, @ForAll long seed) throws SumcheckRejectedException {
        SplittableRandom rng = new SplittableRandom(seed);
        Statement s = statement(rng, n, degree, withEq);
        VanishingMask[] hiding = hiding(s, rng);
        int[] degrees = s.roundDegrees(hiding);
        RevealingMaskCommitment c = new RevealingMaskCommitment();
        ZkSumcheckProverResult res = s.prove(SumcheckTest.transcript(), hiding, SumcheckMask.random(degrees, rng), c);
        Ext2[] r = res.point();
        for (int k = 0; k < hiding.length; k++) {
            Ext2 plain = SumcheckTest.evaluateTable(s.inst().tables().get(k), r);
            assertEquals(hiding[k] == null ? plain : plain.add(hiding[k].offset(r)), res.finalEvaluations()[k], "table " + k);
        }
        MaskVerifier masks = c.verifier();
        SubClaim sub = ZkSumcheckVerifier.verify(SumcheckTest.transcript(), s.sum(), s.degree(), degrees, res.proof(), masks);
        s.finish(sub, res.finalEvaluations());
        // The unmasked evaluations no longer satisfy the final check (unless no table is masked).
        if (Arrays.stream(hiding).anyMatch(h -> h != null)) {
            Ext2[] plain = new Ext2[hiding.length];
            for (int k = 0; k < plain.length; k++) {
                plain[k] = SumcheckTest.evaluateTable(s.inst().tables().get(k), r);
            }
            boolean anyUsedMasked = s.inst().terms().stream().flatMapToInt(t -> Arrays.stream(t.factors())).anyMatch(k -> hiding[k] != null);
            if (anyUsedMasked) {
                assertThrows(SumcheckRejectedException.class, () -> s.finish(
                        ZkSumcheckVerifier.verify(SumcheckTest.transcript(), s.sum(), s.degree(), degrees, res.proof(), c.verifier()), plain));
            }
        }
    }

    /** With every table masked, the final evaluations are uniform too: compared across two witnesses of one sum. */
    @Test
    void hiddenFinalEvaluationsOfTwoWitnessesAreIdenticallyDistributed() {
        SplittableRandom rng = new SplittableRandom(12);
        int n = 3;
        Statement f = statement(rng, n, 2, true);
        Statement g = withSum(statement(rng, n, 2, true), f.sum(), rng);
        long[] hf = new long[BUCKETS];
        long[] hg = new long[BUCKETS];
        for (int run = 0; run < RUNS; run++) {
            for (Statement s : List.of(f, g)) {
                VanishingMask[] all = new VanishingMask[s.inst().tables().size()];
                for (int k = 0; k < all.length; k++) {
                    all[k] = VanishingMask.random(2, rng);
                }
                ZkSumcheckProverResult res = s.prove(SumcheckTest.transcript(), all, SumcheckMask.random(s.roundDegrees(all), rng), IDEAL);
                (s == f ? hf : hg)[(int) (res.finalEvaluations()[0].c0() & (BUCKETS - 1))]++;
            }
        }
        assertTrue(chiSquare(hf, hg) < 50, Arrays.toString(hf) + " " + Arrays.toString(hg));
        long[] uniform = new long[BUCKETS];
        Arrays.fill(uniform, RUNS / BUCKETS);
        assertTrue(chiSquare(hf, uniform) < 50, Arrays.toString(hf));
    }

    @Property(tries = 80)
    void honestProofsVerify(@ForAll @IntRange(min = 0, max = 10) int n, @ForAll @IntRange(min = 1, max = 4) int degree,
                            @ForAll boolean withEq, @ForAll long seed) throws SumcheckRejectedException {
        SplittableRandom rng = new SplittableRandom(seed);
        Statement s = statement(rng, n, degree, withEq);
        SumcheckMask mask = SumcheckMask.random(n, s.degree(), rng);
        RevealingMaskCommitment c = new RevealingMaskCommitment();
        ZkSumcheckProverResult res = s.prove(SumcheckTest.transcript(), mask, c);
        for (int k = 0; k < s.inst().tables().size(); k++) {
            assertEquals(SumcheckTest.evaluateTable(s.inst().tables().get(k), res.point()), res.finalEvaluations()[k]);
        }
        assertEquals(mask.evaluate(res.point()), res.proof().maskEvaluation());
        verify(s, s.sum(), res.proof(), c.verifier(), res.finalEvaluations());
    }

    /** Σ_x g(x) and g's round polynomials, by brute force over the hypercube. */
    @Property(tries = 30)
    void maskSumAndRoundsMatchTheirDefinitions(@ForAll @IntRange(min = 0, max = 6) int n, @ForAll @IntRange(min = 1, max = 4) int degree,
                                                @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        SumcheckMask g = SumcheckMask.random(n, degree, rng);
        Ext2 sum = Ext2.ZERO;
        for (int x = 0; x < 1 << n; x++) {
            sum = sum.add(g.evaluate(bits(x, n)));
        }
        assertEquals(sum, g.sum());
        SumcheckMask.Rounds rounds = g.new Rounds();
        Ext2[] prefix = new Ext2[0];
        for (int i = 0; i < n; i++) {
            Ext2[] message = rounds.message(degree);
            for (int e = 0; e < degree; e++) {
                int t = e == 0 ? 0 : e + 1;
                Ext2 expected = Ext2.ZERO;
                for (int s = 0; s < 1 << (n - i - 1); s++) {
                    Ext2[] p = new Ext2[n];
                    System.arraycopy(prefix, 0, p, 0, i);
                    p[i] = Ext2.of(t);
                    System.arraycopy(bits(s, n - i - 1), 0, p, i + 1, n - i - 1);
                    expected = expected.add(g.evaluate(p));
                }
                assertEquals(expected, message[e], "round " + i + " at " + t);
            }
            Ext2 r = Ext2.random(rng);
            rounds.bind(r);
            prefix = Arrays.copyOf(prefix, i + 1);
            prefix[i] = r;
        }
    }

    static Ext2[] bits(int x, int n) {
        Ext2[] p = new Ext2[n];
        for (int j = 0; j < n; j++) {
            p[j] = ((x >> j) & 1) == 1 ? Ext2.ONE : Ext2.ZERO;
        }
        return p;
    }

    @Property(tries = 20)
    void alteredProofsAreRejected(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 3) int degree,
                                  @ForAll boolean withEq, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Statement s = statement(rng, n, degree, withEq);
        int d = s.degree();
        RevealingMaskCommitment c = new RevealingMaskCommitment();
        ZkSumcheckProverResult res = s.prove(SumcheckTest.transcript(), SumcheckMask.random(n, d, rng), c);
        ZkSumcheckProof p = res.proof();
        Ext2[] finals = res.finalEvaluations();
        for (int i = 0; i < n; i++) {
            for (int e = 0; e < d; e++) {
                Ext2[][] rounds = p.rounds().rounds();
                rounds[i][e] = rounds[i][e].add(Ext2.random(rng));
                ZkSumcheckProof bad = new ZkSumcheckProof(p.maskSum(), new SumcheckProof(rounds), p.maskEvaluation());
                assertThrows(SumcheckRejectedException.class, () -> verify(s, s.sum(), bad, c.verifier(), finals), "round " + i + " value " + e);
            }
        }
        Ext2 delta = Ext2.random(rng);
        ZkSumcheckProof badSum = new ZkSumcheckProof(p.maskSum().add(delta), p.rounds(), p.maskEvaluation());
        assertThrows(SumcheckRejectedException.class, () -> verify(s, s.sum(), badSum, c.verifier(), finals), "altered mask sum");
        ZkSumcheckProof badEval = new ZkSumcheckProof(p.maskSum(), p.rounds(), p.maskEvaluation().add(delta));
        assertThrows(SumcheckRejectedException.class, () -> verify(s, s.sum(), badEval, c.verifier(), finals), "altered g(r)");
        assertThrows(SumcheckRejectedException.class, () -> verify(s, s.sum().add(delta), p, c.verifier(), finals), "wrong claimed sum");
        Ext2[] wrongFinals = finals.clone();
        int used = s.inst().terms().getFirst().factors()[0];
        wrongFinals[used] = wrongFinals[used].add(delta);
        assertThrows(SumcheckRejectedException.class, () -> verify(s, s.sum(), p, c.verifier(), wrongFinals), "wrong table evaluation");
        // A mask opening that does not match the committed mask is rejected by the commitment.
        c.revealed.getFirst()[rng.nextInt(c.revealed.getFirst().length)] = Ext2.random(rng);
        assertThrows(SumcheckRejectedException.class, () -> verify(s, s.sum(), p, c.verifier(), finals), "altered mask opening");
    }

    /**
     * A dishonest prover that commits to a mask but sends a G that is not its sum, to make a false
     * claim H' pass: it needs H' + ρG = Σ(f + ρg), i.e. one ρ, fixed before ρ is drawn. Shown here by
     * the prover that proves the true sum and then replaces the claim: the verifier rejects.
     */
    @Property(tries = 20)
    void aMaskSumThatAbsorbsAFalseClaimIsRejected(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Statement s = statement(rng, n, 2, false);
        RevealingMaskCommitment c = new RevealingMaskCommitment();
        SumcheckMask mask = SumcheckMask.random(n, 2, rng);
        ZkSumcheckProverResult res = s.prove(SumcheckTest.transcript(), mask, c);
        // Replay ρ and choose G' so that H' + ρ·G' equals the honest masked claim H + ρ·G.
        Transcript t = SumcheckTest.transcript();
        ZkSumcheckTranscript.claim(t, s.sum(), s.roundDegrees(null));
        t.absorbBytes("test-mask/digest", c.digests.getFirst());
        Ext2 rho = ZkSumcheckTranscript.maskWeight(t, res.proof().maskSum());
        Ext2 falseClaim = s.sum().add(Ext2.random(rng));
        Ext2 fittedSum = res.proof().maskSum().add(s.sum().sub(falseClaim).mul(rho.inverse()));
        ZkSumcheckProof forged = new ZkSumcheckProof(fittedSum, res.proof().rounds(), res.proof().maskEvaluation());
        assertThrows(SumcheckRejectedException.class, () -> verify(s, falseClaim, forged, c.verifier(), res.finalEvaluations()));
    }

    /** A perfectly hiding commitment, as the ideal functionality: it sends nothing the transcript depends on. */
    static final MaskCommitter IDEAL = new MaskCommitter() {
        @Override
        public void commit(Transcript t, SumcheckMask mask) {}

        @Override
        public void open(Transcript t, SumcheckMask mask, Ext2[] point, Ext2 value) {}
    };

    /**
     * Perfect zero-knowledge, shown as a bijection of the prover's coins: for two statements f, f' with
     * the same sum, every mask g for f has a mask g' for f' (g' = g + Δ(f, f'), a translation, so
     * uniform g gives uniform g') under which f' yields the identical transcript — same G, same round
     * messages, same challenges — and g'(r) − g(r) = (f(r) − f'(r))/ρ. So the transcripts of f and f'
     * are identically distributed except through the final oracle answer f(r), which is what the
     * simulator is given.
     */
    @Property(tries = 40)
    void transcriptsOfTwoWitnessesWithTheSameSumAreTranslatesOfEachOther(@ForAll @IntRange(min = 1, max = 5) int n,
                                                                         @ForAll @IntRange(min = 1, max = 3) int degree,
                                                                         @ForAll boolean withEq, @ForAll long seed) throws SumcheckRejectedException {
        SplittableRandom rng = new SplittableRandom(seed);
        Statement f = statement(rng, n, degree, withEq);
        Statement other = statement(rng, n, degree, withEq);
        Statement g = withSum(other, f.sum(), rng);
        assertEquals(f.sum(), g.sum());
        int d = f.degree();
        SumcheckMask mask = SumcheckMask.random(n, d, rng);
        ZkSumcheckProverResult real = f.prove(SumcheckTest.transcript(), mask, IDEAL);
        Ext2 rho = rho(f, real.proof().maskSum());
        SumcheckMask translated = translate(mask, f, g, real.point(), rho);
        ZkSumcheckProverResult twin = g.prove(SumcheckTest.transcript(), translated, IDEAL);
        assertEquals(real.proof().maskSum(), twin.proof().maskSum());
        assertEquals(Arrays.deepToString(real.proof().rounds().rounds()), Arrays.deepToString(twin.proof().rounds().rounds()));
        assertArrayEquals(real.point(), twin.point());
        Ext2[] r = real.point();
        assertEquals(f.evaluate(r).sub(g.evaluate(r)).mul(rho.inverse()), twin.proof().maskEvaluation().sub(real.proof().maskEvaluation()));
        MaskVerifier trusting = trustingVerifier();
        verify(f, f.sum(), real.proof(), trusting, real.finalEvaluations());
        verify(g, g.sum(), twin.proof(), trusting, twin.finalEvaluations());
    }

    /** The mask verifier of the ideal commitment: the opening's correctness is the commitment's business. */
    static MaskVerifier trustingVerifier() {
        return new MaskVerifier() {
            @Override
            public void receiveCommitment(Transcript t) {}

            @Override
            public void verifyOpening(Transcript t, Ext2[] point, Ext2 value) {}
        };
    }

    static Ext2 rho(Statement s, Ext2 maskSum) {
        Transcript t = SumcheckTest.transcript();
        ZkSumcheckTranscript.claim(t, s.sum(), s.roundDegrees(null));
        return ZkSumcheckTranscript.maskWeight(t, maskSum);
    }

    /** other with one extra linear term c·D(x), D chosen so that the statement's sum is {@code sum}. */
    static Statement withSum(Statement other, Ext2 sum, SplittableRandom rng) {
        int n = other.inst().numVars();
        List<MleTable> tables = new ArrayList<>(other.inst().tables());
        List<ProductTerm> terms = new ArrayList<>(other.inst().terms());
        long[] d = new long[1 << n];
        tables.add(new BaseTable(d));
        terms.add(ProductTerm.of(Ext2.ONE, tables.size() - 1));
        Statement base = new Statement(new SumcheckTest.Instance(tables, terms, n, other.inst().degree()), other.eq(), other.sum());
        // Σ_x w(x)·D(x) with w = eq(z, ·) or 1: put the whole difference on one entry whose weight is non-zero.
        Ext2 missing = sum.sub(other.sum());
        for (int x = 0; x < d.length; x++) {
            Ext2 w = other.eq() == null ? Ext2.ONE : Mle.eq(other.eq(), bits(x, n));
            if (!w.isZero()) {
                Ext2 v = missing.mul(w.inverse());
                if (v.isBase()) {
                    d[x] = v.c0();
                    return new Statement(base.inst(), base.eq(), sum);
                }
                // An extension-valued entry: use an extension table instead.
                var ext = dev.verinfer.field.ExtVector.zeros(d.length);
                ext.set(x, v);
                tables.set(tables.size() - 1, new ExtTable(ext));
                return new Statement(new SumcheckTest.Instance(tables, terms, n, other.inst().degree()), other.eq(), sum);
            }
        }
        throw new IllegalStateException("eq weight vanishes on the whole cube");
    }

    /**
     * g' = g + Δ: round by round, Δ's coefficients of X^k (k ≥ 1) cancel F_i − F'_i, the difference of
     * the two statements' own round polynomials at the shared challenges, over ρ·2^{n−i−1}; then the
     * constant keeps Σ g' = Σ g.
     */
    static SumcheckMask translate(SumcheckMask g, Statement f, Statement f2, Ext2[] point, Ext2 rho) {
        int n = g.numVars();
        int d = f.degree();
        Ext2[][] a = g.coefficients();
        Ext2 shift = Ext2.ZERO; // Σ_i Σ_k (a'_{i,k} − a_{i,k})
        for (int i = 0; i < n; i++) {
            Ext2[] diff = new Ext2[d + 1];
            for (int t = 0; t <= d; t++) {
                diff[t] = roundValue(f, point, i, t).sub(roundValue(f2, point, i, t));
            }
            Ext2[] coeff = monomial(diff);
            Ext2 scale = rho.mul(Goldilocks.pow(2, n - i - 1)).inverse();
            for (int k = 1; k <= d; k++) {
                Ext2 delta = coeff[k].mul(scale);
                a[i][k - 1] = a[i][k - 1].add(delta);
                shift = shift.add(delta);
            }
        }
        return new SumcheckMask(g.constant().sub(shift.mul(Goldilocks.inverse(2))), a);
    }

    /** F_i(t) = Σ_{s ∈ {0,1}^{n−i−1}} f(r_{<i}, t, s), by brute force. */
    static Ext2 roundValue(Statement s, Ext2[] r, int i, int t) {
        int n = r.length;
        Ext2 sum = Ext2.ZERO;
        for (int x = 0; x < 1 << (n - i - 1); x++) {
            Ext2[] p = new Ext2[n];
            System.arraycopy(r, 0, p, 0, i);
            p[i] = Ext2.of(t);
            System.arraycopy(bits(x, n - i - 1), 0, p, i + 1, n - i - 1);
            sum = sum.add(s.evaluate(p));
        }
        return sum;
    }

    /** Monomial coefficients of the polynomial with values[t] at t = 0 … d (Gaussian elimination on the Vandermonde system). */
    static Ext2[] monomial(Ext2[] values) {
        int m = values.length;
        Ext2[][] a = new Ext2[m][m + 1];
        for (int t = 0; t < m; t++) {
            Ext2 p = Ext2.ONE;
            for (int k = 0; k < m; k++) {
                a[t][k] = p;
                p = p.mul(t);
            }
            a[t][m] = values[t];
        }
        for (int col = 0; col < m; col++) {
            int piv = col;
            while (a[piv][col].isZero()) {
                piv++;
            }
            Ext2[] tmp = a[piv];
            a[piv] = a[col];
            a[col] = tmp;
            Ext2 inv = a[col][col].inverse();
            for (int c = col; c <= m; c++) {
                a[col][c] = a[col][c].mul(inv);
            }
            for (int row = 0; row < m; row++) {
                if (row != col && !a[row][col].isZero()) {
                    Ext2 factor = a[row][col];
                    for (int c = col; c <= m; c++) {
                        a[row][c] = a[row][c].sub(factor.mul(a[col][c]));
                    }
                }
            }
        }
        Ext2[] out = new Ext2[m];
        for (int k = 0; k < m; k++) {
            out[k] = a[k][m];
        }
        return out;
    }

    /**
     * The simulator: given only the claim H and the oracle f(·), it samples G and each round's
     * non-constant coefficients uniformly (the constant term follows from the running claim), derives
     * the challenges from the transcript as the verifier does, and programs the hiding mask opening to
     * g(r) = (e − f(r))/ρ. Its transcripts are accepted, and their messages are distributed as the
     * real ones: compared below on the low bits of a message value across many runs of two witnesses
     * with the same sum, against the simulator and the uniform distribution.
     */
    static ZkSumcheckProof simulate(Statement s, SplittableRandom rng) {
        int n = s.inst().numVars();
        int d = s.degree();
        Transcript t = SumcheckTest.transcript();
        ZkSumcheckTranscript.claim(t, s.sum(), s.roundDegrees(null));
        Ext2 maskSum = Ext2.random(rng);
        Ext2 rho = ZkSumcheckTranscript.maskWeight(t, maskSum);
        Ext2 claim = s.sum().add(rho.mul(maskSum));
        SumcheckTranscript.begin(t, n, d, claim);
        Ext2[][] rounds = new Ext2[n][];
        Ext2[] point = new Ext2[n];
        for (int i = 0; i < n; i++) {
            Ext2[] c = new Ext2[d + 1];
            Ext2 high = Ext2.ZERO;
            for (int k = 1; k <= d; k++) {
                c[k] = Ext2.random(rng);
                high = high.add(c[k]);
            }
            c[0] = claim.sub(high).mul(Goldilocks.inverse(2)); // p(0) + p(1) = 2c_0 + Σ_{k≥1} c_k = claim
            Ext2[] message = new Ext2[d];
            for (int e = 0; e < d; e++) {
                message[e] = horner(c, Ext2.of(e == 0 ? 0 : e + 1));
            }
            rounds[i] = message;
            point[i] = SumcheckTranscript.round(t, message);
            claim = horner(c, point[i]);
        }
        Ext2 maskEvaluation = claim.sub(s.evaluate(point)).mul(rho.inverse());
        return new ZkSumcheckProof(maskSum, new SumcheckProof(rounds), maskEvaluation);
    }

    static Ext2 horner(Ext2[] c, Ext2 x) {
        Ext2 acc = Ext2.ZERO;
        for (int k = c.length - 1; k >= 0; k--) {
            acc = acc.mul(x).add(c[k]);
        }
        return acc;
    }

    @Property(tries = 20)
    void simulatedTranscriptsAreAccepted(@ForAll @IntRange(min = 0, max = 6) int n, @ForAll @IntRange(min = 1, max = 3) int degree,
                                         @ForAll boolean withEq, @ForAll long seed) throws SumcheckRejectedException {
        SplittableRandom rng = new SplittableRandom(seed);
        Statement s = statement(rng, n, degree, withEq);
        ZkSumcheckProof simulated = simulate(s, rng);
        SubClaim sub = ZkSumcheckVerifier.verify(SumcheckTest.transcript(), s.sum(), n, s.degree(), simulated, trustingVerifier());
        Ext2[] finals = new Ext2[s.inst().tables().size()];
        for (int k = 0; k < finals.length; k++) {
            finals[k] = SumcheckTest.evaluateTable(s.inst().tables().get(k), sub.point());
        }
        s.finish(sub, finals);
    }

    private static final int BUCKETS = 16;
    private static final int RUNS = 1600;

    /** Histogram of the low 4 bits of round {@code round}'s value at 2 over many fresh masks (or none). */
    static long[] histogram(Statement s, int round, boolean masked, boolean simulated, SplittableRandom rng) {
        long[] h = new long[BUCKETS];
        for (int run = 0; run < RUNS; run++) {
            Ext2[][] rounds;
            if (simulated) {
                rounds = simulate(s, rng).rounds().rounds();
            } else if (masked) {
                rounds = s.prove(SumcheckTest.transcript(), SumcheckMask.random(s.inst().numVars(), s.degree(), rng), IDEAL).proof().rounds().rounds();
            } else {
                rounds = SumcheckProver.prove(SumcheckTest.transcript(), s.inst().tables(), s.inst().terms()).proof().rounds();
            }
            h[(int) (rounds[round][1].c0() & (BUCKETS - 1))]++;
        }
        return h;
    }

    /** Pearson's two-sample χ² statistic (15 degrees of freedom here: above 50 has probability below 1e-5 under the null). */
    static double chiSquare(long[] a, long[] b) {
        double stat = 0;
        for (int i = 0; i < a.length; i++) {
            double sum = a[i] + b[i];
            if (sum > 0) {
                double diff = a[i] - b[i];
                stat += diff * diff / sum;
            }
        }
        return stat;
    }

    @Test
    void roundMessagesOfTwoWitnessesAndOfTheSimulatorAreIdenticallyDistributed() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 4;
        Statement f = statement(rng, n, 2, false);
        Statement g = withSum(statement(rng, n, 2, false), f.sum(), rng);
        long[] uniform = new long[BUCKETS];
        Arrays.fill(uniform, RUNS / BUCKETS);
        for (int round : new int[] {0, n - 1}) {
            long[] hf = histogram(f, round, true, false, rng);
            long[] hg = histogram(g, round, true, false, rng);
            long[] hs = histogram(f, round, true, true, rng);
            assertTrue(chiSquare(hf, hg) < 50, "f vs f' in round " + round + ": " + Arrays.toString(hf) + " " + Arrays.toString(hg));
            assertTrue(chiSquare(hf, hs) < 50, "f vs simulator in round " + round + ": " + Arrays.toString(hf) + " " + Arrays.toString(hs));
            assertTrue(chiSquare(hf, uniform) < 50, "f vs uniform in round " + round + ": " + Arrays.toString(hf));
        }
        // The same statistic tells the unmasked sumcheck's messages of f and f' apart (each is one fixed value).
        assertNotEquals(Arrays.toString(histogram(f, 0, false, false, rng)), Arrays.toString(histogram(g, 0, false, false, rng)));
        assertTrue(chiSquare(histogram(f, 0, false, false, rng), uniform) > 50);
    }
}
