package dev.verinfer.sumcheck;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
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
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SumcheckTest {
    /** A random statement: tables (some base, some extension) and terms of degree ≤ maxDegree. */
    record Instance(List<MleTable> tables, List<ProductTerm> terms, int numVars, int degree) {}

    static Instance randomInstance(SplittableRandom rng, int n, int maxDegree, boolean allBase) {
        int count = 1 + rng.nextInt(4);
        List<MleTable> tables = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            if (allBase || rng.nextBoolean()) {
                long[] v = new long[1 << n];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Goldilocks.random(rng);
                }
                tables.add(new BaseTable(v));
            } else {
                ExtVector v = ExtVector.zeros(1 << n);
                for (int i = 0; i < v.length(); i++) {
                    v.set(i, Ext2.random(rng));
                }
                tables.add(new ExtTable(v));
            }
        }
        int termCount = 1 + rng.nextInt(3);
        List<ProductTerm> terms = new ArrayList<>();
        for (int j = 0; j < termCount; j++) {
            int deg = j == 0 ? maxDegree : 1 + rng.nextInt(maxDegree);
            int[] factors = new int[deg];
            for (int f = 0; f < deg; f++) {
                factors[f] = rng.nextInt(count);
            }
            terms.add(new ProductTerm(Ext2.random(rng), factors));
        }
        return new Instance(tables, terms, n, maxDegree);
    }

    static Ext2 tableValue(MleTable t, int i) {
        return switch (t) {
            case BaseTable(long[] v) -> Ext2.of(v[i]);
            case ExtTable(ExtVector v) -> v.get(i);
        };
    }

    static Ext2 evaluateTable(MleTable t, Ext2[] point) {
        return switch (t) {
            case BaseTable(long[] v) -> Mle.evaluate(v, point);
            case ExtTable(ExtVector v) -> Mle.evaluate(v, point);
        };
    }

    static Ext2 naiveSum(Instance inst) {
        Ext2 sum = Ext2.ZERO;
        for (int x = 0; x < 1 << inst.numVars; x++) {
            Ext2[] values = new Ext2[inst.tables.size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = tableValue(inst.tables.get(k), x);
            }
            sum = sum.add(ProductTerm.evaluate(inst.terms, values));
        }
        return sum;
    }

    static Transcript transcript() {
        Transcript t = new Transcript("sumcheck-test");
        t.absorbField("context", 42);
        return t;
    }

    /** Full verification as a caller does it: rounds, then the final check on the prover's table evaluations. */
    static void verify(Transcript t, Instance inst, Ext2 claimedSum, SumcheckProof proof, Ext2[] finals) throws SumcheckRejectedException {
        SubClaim sub = SumcheckVerifier.verify(t, claimedSum, inst.numVars, inst.degree, proof);
        sub.check(inst.terms, finals);
    }

    @Property(tries = 80)
    void honestProofsVerify(@ForAll @IntRange(min = 0, max = 12) int n, @ForAll @IntRange(min = 1, max = 4) int degree,
                            @ForAll boolean allBase, @ForAll long seed) throws SumcheckRejectedException {
        SplittableRandom rng = new SplittableRandom(seed);
        Instance inst = randomInstance(rng, n, degree, allBase);
        SumcheckProverResult res = SumcheckProver.prove(transcript(), inst.tables, inst.terms);
        if (n <= 8) {
            assertEquals(naiveSum(inst), res.claimedSum());
        }
        for (int k = 0; k < inst.tables.size(); k++) {
            assertEquals(evaluateTable(inst.tables.get(k), res.point()), res.finalEvaluations()[k]);
        }
        Transcript vt = transcript();
        SubClaim sub = SumcheckVerifier.verify(vt, res.claimedSum(), n, degree, res.proof());
        assertArrayEquals(res.point(), sub.point());
        sub.check(inst.terms, res.finalEvaluations());
    }

    /** An eq point with random, zero and one coordinates (zeros exercise the prover's direct G(1) path). */
    static Ext2[] eqPoint(SplittableRandom rng, int n) {
        Ext2[] p = new Ext2[n];
        for (int i = 0; i < n; i++) {
            int kind = rng.nextInt(5);
            p[i] = kind == 0 ? Ext2.ZERO : kind == 1 ? Ext2.ONE : Ext2.random(rng);
        }
        return p;
    }

    @Property(tries = 60)
    void honestEqWeightedProofsVerify(@ForAll @IntRange(min = 0, max = 10) int n, @ForAll @IntRange(min = 1, max = 3) int degree,
                                      @ForAll boolean allBase, @ForAll long seed) throws SumcheckRejectedException {
        SplittableRandom rng = new SplittableRandom(seed);
        Instance inst = randomInstance(rng, n, degree, allBase);
        Ext2[] z = eqPoint(rng, n);
        SumcheckProverResult res = SumcheckProver.proveWithEq(transcript(), z, inst.tables, inst.terms);
        // Σ_x eq(z, x)·g(x) is the MLE of g's table at z: check it against the naive weighted sum.
        Ext2 expected = Ext2.ZERO;
        for (int x = 0; x < 1 << n; x++) {
            Ext2[] values = new Ext2[inst.tables.size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = tableValue(inst.tables.get(k), x);
            }
            Ext2 eq = Ext2.ONE;
            for (int j = 0; j < n; j++) {
                eq = eq.mul(((x >> j) & 1) == 1 ? z[j] : Ext2.ONE.sub(z[j]));
            }
            expected = expected.add(eq.mul(ProductTerm.evaluate(inst.terms, values)));
        }
        assertEquals(expected, res.claimedSum());
        for (int k = 0; k < inst.tables.size(); k++) {
            assertEquals(evaluateTable(inst.tables.get(k), res.point()), res.finalEvaluations()[k]);
        }
        SubClaim sub = SumcheckVerifier.verify(transcript(), res.claimedSum(), n, degree + 1, res.proof());
        sub.checkWithEq(z, inst.terms, res.finalEvaluations());
        // Passing the known sum skips G(1) in the first round but must give the same proof.
        SumcheckProverResult known = SumcheckProver.proveWithEq(transcript(), z, expected, inst.tables, inst.terms);
        assertEquals(Arrays.deepToString(res.proof().rounds()), Arrays.deepToString(known.proof().rounds()));
        assertArrayEquals(res.finalEvaluations(), known.finalEvaluations());
        Ext2[] other = eqPoint(rng, n);
        if (n > 0 && !Arrays.equals(other, z)) {
            assertThrows(SumcheckRejectedException.class, () -> sub.checkWithEq(other, inst.terms, res.finalEvaluations()));
        }
    }

    @Property(tries = 15)
    void alteredEqWeightedProofsAreRejected(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 3) int degree, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Instance inst = randomInstance(rng, n, degree, rng.nextBoolean());
        Ext2[] z = eqPoint(rng, n);
        SumcheckProverResult res = SumcheckProver.proveWithEq(transcript(), z, inst.tables, inst.terms);
        for (int i = 0; i < n; i++) {
            for (int e = 0; e <= degree; e++) {
                Ext2[][] altered = res.proof().rounds();
                altered[i][e] = altered[i][e].add(Ext2.random(rng));
                SumcheckProof bad = new SumcheckProof(altered);
                assertThrows(SumcheckRejectedException.class, () -> SumcheckVerifier.verify(transcript(), res.claimedSum(), n, degree + 1, bad)
                        .checkWithEq(z, inst.terms, res.finalEvaluations()), "round " + i + " value " + e);
            }
        }
        Ext2 wrong = res.claimedSum().add(1);
        assertThrows(SumcheckRejectedException.class, () -> SumcheckVerifier.verify(transcript(), wrong, n, degree + 1, res.proof())
                .checkWithEq(z, inst.terms, res.finalEvaluations()));
    }

    @Property(tries = 30)
    void wrongClaimedSumIsRejected(@ForAll @IntRange(min = 0, max = 8) int n, @ForAll @IntRange(min = 1, max = 4) int degree, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Instance inst = randomInstance(rng, n, degree, false);
        SumcheckProverResult res = SumcheckProver.prove(transcript(), inst.tables, inst.terms);
        Ext2 wrong = res.claimedSum().add(1 + rng.nextInt(1000));
        assertThrows(SumcheckRejectedException.class, () -> verify(transcript(), inst, wrong, res.proof(), res.finalEvaluations()));
    }

    @Property(tries = 15)
    void everySingleAlteredRoundValueIsRejected(@ForAll @IntRange(min = 1, max = 7) int n, @ForAll @IntRange(min = 1, max = 4) int degree, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Instance inst = randomInstance(rng, n, degree, rng.nextBoolean());
        SumcheckProverResult res = SumcheckProver.prove(transcript(), inst.tables, inst.terms);
        Ext2[][] rounds = res.proof().rounds();
        for (int i = 0; i < rounds.length; i++) {
            for (int e = 0; e < rounds[i].length; e++) {
                Ext2[][] altered = res.proof().rounds();
                altered[i][e] = altered[i][e].add(Ext2.random(rng));
                SumcheckProof bad = new SumcheckProof(altered);
                assertThrows(SumcheckRejectedException.class, () -> verify(transcript(), inst, res.claimedSum(), bad, res.finalEvaluations()),
                        "round " + i + " value " + e);
            }
        }
    }

    @Property(tries = 30)
    void alteredFinalEvaluationIsRejected(@ForAll @IntRange(min = 0, max = 8) int n, @ForAll @IntRange(min = 1, max = 4) int degree, @ForAll long seed) throws SumcheckRejectedException {
        SplittableRandom rng = new SplittableRandom(seed);
        Instance inst = randomInstance(rng, n, degree, false);
        SumcheckProverResult res = SumcheckProver.prove(transcript(), inst.tables, inst.terms);
        SubClaim sub = SumcheckVerifier.verify(transcript(), res.claimedSum(), n, degree, res.proof());
        int k = inst.terms.getFirst().factors()[0]; // a table that occurs in a term
        Ext2[] finals = res.finalEvaluations();
        finals[k] = finals[k].add(Ext2.random(rng));
        assertThrows(SumcheckRejectedException.class, () -> sub.check(inst.terms, finals));
    }

    @Property(tries = 30)
    void transcriptDivergenceIsRejected(@ForAll @IntRange(min = 1, max = 8) int n, @ForAll @IntRange(min = 1, max = 4) int degree, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Instance inst = randomInstance(rng, n, degree, false);
        SumcheckProverResult res = SumcheckProver.prove(transcript(), inst.tables, inst.terms);
        Transcript other = new Transcript("sumcheck-test");
        other.absorbField("context", 43);
        assertThrows(SumcheckRejectedException.class, () -> verify(other, inst, res.claimedSum(), res.proof(), res.finalEvaluations()));
    }

    @Test
    void flippedProofBytesAreRejectedOrUnparsable() {
        SplittableRandom rng = new SplittableRandom(99);
        Instance inst = randomInstance(rng, 6, 3, false);
        SumcheckProverResult res = SumcheckProver.prove(transcript(), inst.tables, inst.terms);
        ProofWriter w = ProofWriter.begin("SCHK", 1);
        res.proof().write(w);
        byte[] bytes = w.toByteArray();
        assertDoesNotThrow(() -> verify(transcript(), inst, res.claimedSum(), parse(bytes, inst), res.finalEvaluations()));
        for (int trial = 0; trial < 600; trial++) {
            byte[] flipped = bytes.clone();
            int pos = trial < bytes.length ? trial : rng.nextInt(bytes.length);
            flipped[pos] ^= (byte) (1 << rng.nextInt(8));
            assertThrows(Exception.class, () -> {
                SumcheckProof p = parse(flipped, inst);
                verify(transcript(), inst, res.claimedSum(), p, res.finalEvaluations());
            }, "flip at byte " + pos);
        }
        // only the two expected failure kinds occur
        byte[] flipped = bytes.clone();
        flipped[bytes.length - 1] ^= 1;
        Exception e = assertThrows(Exception.class, () -> verify(transcript(), inst, res.claimedSum(), parse(flipped, inst), res.finalEvaluations()));
        assertEquals(true, e instanceof SumcheckRejectedException || e instanceof MalformedProofException, e.toString());
    }

    static SumcheckProof parse(byte[] bytes, Instance inst) throws MalformedProofException {
        ProofReader r = ProofReader.open(bytes, "SCHK", 1);
        SumcheckProof p = SumcheckProof.read(r, inst.numVars, inst.degree);
        r.finish();
        return p;
    }

    @Test
    void wrongShapeIsRejected() {
        SplittableRandom rng = new SplittableRandom(5);
        Instance inst = randomInstance(rng, 4, 2, true);
        SumcheckProverResult res = SumcheckProver.prove(transcript(), inst.tables, inst.terms);
        assertThrows(SumcheckRejectedException.class, () -> SumcheckVerifier.verify(transcript(), res.claimedSum(), 5, 2, res.proof()));
        assertThrows(SumcheckRejectedException.class, () -> SumcheckVerifier.verify(transcript(), res.claimedSum(), 4, 3, res.proof()));
        ProofWriter w = ProofWriter.begin("SCHK", 1);
        res.proof().write(w);
        assertThrows(MalformedProofException.class, () -> SumcheckProof.read(ProofReader.open(w.toByteArray(), "SCHK", 1), 4, 3));
    }

    @Test
    void proofsAreIdenticalAcrossThreadCounts() {
        SplittableRandom rng = new SplittableRandom(11);
        Instance inst = randomInstance(rng, 15, 3, false);
        int saved = Parallelism.threads();
        try {
            Parallelism.setThreads(1);
            SumcheckProverResult serial = SumcheckProver.prove(transcript(), inst.tables, inst.terms);
            Parallelism.setThreads(4);
            SumcheckProverResult parallel = SumcheckProver.prove(transcript(), inst.tables, inst.terms);
            assertEquals(Arrays.deepToString(serial.proof().rounds()), Arrays.deepToString(parallel.proof().rounds()));
            assertArrayEquals(serial.finalEvaluations(), parallel.finalEvaluations());
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void interpolationRecoversPolynomial() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int d = 0; d <= 6; d++) {
            Ext2[] coeffs = new Ext2[d + 1];
            for (int i = 0; i <= d; i++) {
                coeffs[i] = Ext2.random(rng);
            }
            Ext2[] values = new Ext2[d + 1];
            for (int i = 0; i <= d; i++) {
                values[i] = horner(coeffs, Ext2.of(i));
            }
            Ext2 r = Ext2.random(rng);
            assertEquals(horner(coeffs, r), Interpolation.evaluate(values, r));
            assertEquals(values[d], Interpolation.evaluate(values, Ext2.of(d)));
        }
    }

    static Ext2 horner(Ext2[] coeffs, Ext2 x) {
        Ext2 acc = Ext2.ZERO;
        for (int i = coeffs.length - 1; i >= 0; i--) {
            acc = acc.mul(x).add(coeffs[i]);
        }
        return acc;
    }
}
