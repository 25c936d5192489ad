package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A masked claim flowing from one zero-knowledge sumcheck into the next, as a layer protocol chains
 * them: (1) H = Σ_y A(y)·T(y) with A public and T private, T entering as T' = T̃ + Z·R
 * ({@link VanishingMask}, R committed first), ends in the masked claim v = T'(r); (2) the claim is
 * reduced by Σ_y eq(r, y)·T(y) = v − Δ with the hidden offset Δ = Z(r)·R(r_0)
 * ({@link ZkSumcheckProver#proveWithHiddenOffset}), whose final T(r'') stands for the next opening.
 * The verifier sees v and G* but neither T̃(r) nor Δ.
 */
class MaskedClaimChainTest {
    /**
     * The test's mask commitment with an offset: the vanishing mask R is committed (digest) before
     * the first sumcheck; the second sumcheck's g is committed by digest, and the openings reveal g
     * and R (binding, not hiding: a zero-knowledge proof opens these linear functions in a hiding PCS).
     */
    static final class OffsetCommitment implements MaskCommitter {
        final Ext2[] offsetCoefficients;
        Ext2[] offsetWeights; // Δ = Σ_l w_l·R_l, fixed once r is known
        final RevealingMaskCommitment g = new RevealingMaskCommitment();

        OffsetCommitment(VanishingMask r) {
            offsetCoefficients = r.coefficients();
        }

        @Override
        public void commit(Transcript t, SumcheckMask mask) {
            g.commit(t, mask);
        }

        @Override
        public void open(Transcript t, SumcheckMask mask, Ext2[] point, Ext2 value) {
            g.open(t, mask, point, value);
        }

        @Override
        public void openAdjustedSum(Transcript t, SumcheckMask mask, Ext2 rho, Ext2 value) {
            t.absorbExts("test-offset/coefficients", offsetCoefficients);
        }

        MaskVerifier verifier(Ext2[] revealedOffset, Ext2[] weights) {
            MaskVerifier inner = g.verifier();
            Ext2[] committedSumOfG = new Ext2[1];
            return new MaskVerifier() {
                @Override
                public void receiveCommitment(Transcript t) throws SumcheckRejectedException {
                    inner.receiveCommitment(t);
                }

                @Override
                public void verifyOpening(Transcript t, Ext2[] point, Ext2 value) throws SumcheckRejectedException {
                    inner.verifyOpening(t, point, value);
                    Ext2[] c = g.revealed.getFirst();
                    Ext2[][] a = new Ext2[point.length][];
                    for (int i = 0, at = 1; i < point.length; i++) {
                        int d = (c.length - 1) / Math.max(1, point.length);
                        a[i] = Arrays.copyOfRange(c, at, at + d);
                        at += d;
                    }
                    committedSumOfG[0] = new SumcheckMask(c[0], a).sum();
                }

                @Override
                public void verifyAdjustedSum(Transcript t, Ext2 rho, Ext2 value) throws SumcheckRejectedException {
                    if (!digest(revealedOffset).equals(digest(offsetCoefficients))) {
                        throw new SumcheckRejectedException("offset opening does not match its commitment");
                    }
                    t.absorbExts("test-offset/coefficients", revealedOffset);
                    Ext2 delta = Ext2.ZERO;
                    for (int l = 0; l < weights.length; l++) {
                        delta = delta.add(weights[l].mul(revealedOffset[l]));
                    }
                    if (!committedSumOfG[0].sub(delta.mul(rho.inverse())).equals(value)) {
                        throw new SumcheckRejectedException("G* is not Σg − Δ/ρ for the committed mask and offset");
                    }
                }
            };
        }
    }

    static String digest(Ext2[] values) {
        return Arrays.toString(values); // stands for a hash: equal exactly when the values are
    }

    /** Δ = Z(r)·R(r_0) = Σ_l r_{n−1}(1 − r_{n−1})·r_0^l · c_l: the weights of R's coefficients. */
    static Ext2[] offsetWeights(Ext2[] r, int count) {
        Ext2 z = r[r.length - 1].mul(Ext2.ONE.sub(r[r.length - 1]));
        Ext2[] w = new Ext2[count];
        Ext2 power = Ext2.ONE;
        for (int l = 0; l < count; l++) {
            w[l] = z.mul(power);
            power = power.mul(r[0]);
        }
        return w;
    }

    record Run(Ext2 maskedClaim, ZkSumcheckProverResult second, boolean accepted) {}

    /** Proves and verifies the chain; {@code lie} adds to the hidden offset the prover uses. */
    static Run run(long[] a, long[] t, SplittableRandom rng, Ext2 lie) {
        int n = Integer.numberOfTrailingZeros(a.length);
        Ext2 h = Ext2.ZERO;
        for (int i = 0; i < a.length; i++) {
            h = h.add(Goldilocks.mul(a[i], t[i]));
        }
        VanishingMask r = VanishingMask.random(n == 1 ? 1 : 2, rng);
        List<MleTable> tables = List.of(new BaseTable(a), new BaseTable(t));
        List<ProductTerm> terms = List.of(ProductTerm.of(Ext2.ONE, 0, 1));
        VanishingMask[] hiding = {null, r};
        int[] degrees1 = ZkSumcheckProver.roundDegrees(n, terms, false, hiding);

        Transcript pt = SumcheckTest.transcript();
        pt.absorbBytes("test/offset-commitment", digest(r.coefficients()).getBytes());
        RevealingMaskCommitment c1 = new RevealingMaskCommitment();
        ZkSumcheckProverResult first = ZkSumcheckProver.prove(pt, h, tables, terms, hiding, SumcheckMask.random(degrees1, rng), c1);
        Ext2[] point = first.point();
        Ext2 masked = first.finalEvaluations()[1];
        pt.absorbExt("test/claim", masked);
        Ext2 delta = r.offset(point).add(lie);
        List<ProductTerm> single = List.of(ProductTerm.of(Ext2.ONE, 0));
        int[] degrees2 = ZkSumcheckProver.roundDegrees(n, single, true, null);
        OffsetCommitment c2 = new OffsetCommitment(r);
        ZkSumcheckProverResult second = ZkSumcheckProver.proveWithHiddenOffset(pt, point, masked, delta, List.of(new BaseTable(t)), single, null,
                SumcheckMask.random(degrees2, rng), c2);

        Transcript vt = SumcheckTest.transcript();
        vt.absorbBytes("test/offset-commitment", digest(r.coefficients()).getBytes());
        boolean accepted;
        try {
            SubClaim s1 = ZkSumcheckVerifier.verify(vt, h, 2, degrees1, first.proof(), c1.verifier());
            Ext2 aAt = Mle.evaluate(a, s1.point()); // public A: the verifier evaluates it
            s1.check(terms, new Ext2[] {aAt, masked});
            vt.absorbExt("test/claim", masked);
            SubClaim s2 = ZkSumcheckVerifier.verifyWithHiddenOffset(vt, masked, 2, degrees2, second.proof(),
                    c2.verifier(r.coefficients(), offsetWeights(s1.point(), r.coefficients().length)));
            // The next opening: T at the second point (here checked directly against T).
            s2.checkWithEq(s1.point(), single, new Ext2[] {Mle.evaluate(t, s2.point())});
            accepted = true;
        } catch (SumcheckRejectedException e) {
            accepted = false;
        }
        return new Run(masked, second, accepted);
    }

    static long[] random(SplittableRandom rng, int n) {
        long[] v = new long[1 << n];
        for (int i = 0; i < v.length; i++) {
            v[i] = Goldilocks.random(rng);
        }
        return v;
    }

    @Property(tries = 40)
    void aMaskedClaimReducesThroughAHiddenOffset(@ForAll @IntRange(min = 1, max = 8) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Run honest = run(random(rng, n), random(rng, n), rng, Ext2.ZERO);
        assertTrue(honest.accepted());
    }

    @Property(tries = 25)
    void aWrongHiddenOffsetIsRejected(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Run lying = run(random(rng, n), random(rng, n), rng, Ext2.random(rng));
        assertTrue(!lying.accepted(), "a claim reduced with a wrong offset was accepted");
    }

    /**
     * Two private T with the same public sum H: the masked claim v = T'(r) and G* are uniform for
     * both (low bits over many fresh masks), though T̃(r) differs.
     */
    @Test
    void theMaskedClaimAndTheAdjustedSumAreUniformForTwoWitnesses() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 3;
        long[] a = random(rng, n);
        long[] t1 = random(rng, n);
        long[] t2 = random(rng, n);
        // Make Σ A·t2 = Σ A·t1 by fixing t2's first entry (A[0] ≠ 0 with overwhelming probability).
        long s1 = 0;
        long s2 = 0;
        for (int i = 0; i < a.length; i++) {
            s1 = Goldilocks.add(s1, Goldilocks.mul(a[i], t1[i]));
            s2 = Goldilocks.add(s2, Goldilocks.mul(a[i], t2[i]));
        }
        t2[0] = Goldilocks.add(t2[0], Goldilocks.mul(Goldilocks.sub(s1, s2), Goldilocks.inverse(a[0])));
        int buckets = 16;
        int runs = 1200;
        long[][] claims = new long[2][buckets];
        long[][] sums = new long[2][buckets];
        for (int k = 0; k < runs; k++) {
            for (int w = 0; w < 2; w++) {
                Run run = run(a, w == 0 ? t1 : t2, rng, Ext2.ZERO);
                assertTrue(run.accepted());
                claims[w][(int) (run.maskedClaim().c0() & (buckets - 1))]++;
                sums[w][(int) (run.second().proof().maskSum().c0() & (buckets - 1))]++;
            }
        }
        long[] uniform = new long[buckets];
        Arrays.fill(uniform, runs / buckets);
        for (long[][] h : new long[][][] {claims, sums}) {
            assertTrue(ZkSumcheckTest.chiSquare(h[0], h[1]) < 50, Arrays.toString(h[0]) + " " + Arrays.toString(h[1]));
            assertTrue(ZkSumcheckTest.chiSquare(h[0], uniform) < 50, Arrays.toString(h[0]));
        }
        assertEquals(runs, Arrays.stream(claims[0]).sum());
    }
}
