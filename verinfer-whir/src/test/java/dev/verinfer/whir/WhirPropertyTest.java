package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertThrows;

class WhirPropertyTest {
    /** Random sizes, commitments and point counts: honest batches verify, and any one wrong value is rejected. */
    @Property(tries = 30)
    void honestBatchesVerifyAndAWrongValueDoesNot(@ForAll @IntRange(min = 0, max = 12) int n, @ForAll @IntRange(min = 0, max = 12) int m,
                                                  @ForAll @IntRange(min = 1, max = 3) int points, @ForAll boolean proven, @ForAll long seed) throws Exception {
        WhirPcs pcs = new WhirPcs(proven ? WhirParameters.PROVEN : WhirParameters.CONJECTURED);
        SplittableRandom rng = new SplittableRandom(seed);
        List<PcsOpening> openings = new ArrayList<>();
        for (int size : new int[] {n, m}) {
            long[] table = WhirPcsTest.randomTable(size, rng);
            PcsCommitment c = pcs.commit(table);
            for (int k = 0; k < points; k++) {
                Ext2[] point = WhirPcsTest.randomPoint(size, rng);
                openings.add(new PcsOpening(c, point, Mle.evaluate(table, point)));
            }
        }
        PcsOpeningProof proof = WhirPcsTest.parse(pcs, WhirPcsTest.bytes(pcs.open(WhirPcsTest.transcript(), openings)));
        List<PcsClaim> claims = WhirPcsTest.claims(openings);
        pcs.verify(WhirPcsTest.transcript(), claims, proof);
        int victim = rng.nextInt(claims.size());
        List<PcsClaim> wrong = new ArrayList<>(claims);
        PcsClaim v = claims.get(victim);
        wrong.set(victim, new PcsClaim(v.root(), v.numVars(), v.point(), v.claimedValue().add(1)));
        assertThrows(PcsRejectedException.class, () -> pcs.verify(WhirPcsTest.transcript(), wrong, proof));
    }

    /** Hiding and plain commitments of random sizes (0 and 1 included) opened in one batch: honest proofs verify, a wrong value does not. */
    @Property(tries = 12)
    void hidingBatchesVerifyAndAWrongValueDoesNot(@ForAll @IntRange(min = 0, max = 9) int n, @ForAll @IntRange(min = 0, max = 9) int m,
                                                  @ForAll @IntRange(min = 1, max = 3) int points, @ForAll @IntRange(min = 1, max = 4) int budget,
                                                  @ForAll boolean proven, @ForAll long seed) throws Exception {
        WhirPcs pcs = new WhirPcs(proven ? WhirParameters.PROVEN : WhirParameters.CONJECTURED);
        SplittableRandom rng = new SplittableRandom(seed);
        List<PcsOpening> openings = new ArrayList<>();
        int[] sizes = {n, m, m};
        for (int t = 0; t < sizes.length; t++) {
            int size = sizes[t];
            long[] table = WhirPcsTest.randomTable(size, rng);
            PcsCommitment c = t == 1 ? pcs.commit(table) : pcs.commitHiding(table, budget, rng.split()); // hiding, plain, hiding
            int count = c instanceof WhirHidingCommitment h ? hiddenClaims(h, points) : points;
            for (int k = 0; k < count; k++) {
                Ext2[] point = WhirPcsTest.randomPoint(size, rng);
                openings.add(new PcsOpening(c, point, Mle.evaluate(table, point)));
            }
        }
        PcsOpeningProof proof = WhirPcsTest.parse(pcs, WhirPcsTest.bytes(pcs.open(WhirPcsTest.transcript(), openings)));
        List<PcsClaim> claims = WhirPcsTest.claims(openings);
        pcs.verify(WhirPcsTest.transcript(), claims, proof);
        int victim = rng.nextInt(claims.size());
        List<PcsClaim> wrong = new ArrayList<>(claims);
        PcsClaim v = claims.get(victim);
        wrong.set(victim, new PcsClaim(v.root(), v.numVars(), v.point(), v.claimedValue().add(1)));
        assertThrows(PcsRejectedException.class, () -> pcs.verify(WhirPcsTest.transcript(), wrong, proof));
    }

    /**
     * The fewest claims from {@code wanted} up that the commitment's layout hides: claims that nearly fix a small table are
     * refused ({@link HidingLayout#claimsHide}); from 2^(n−1) claims on they fix it and are admitted again.
     */
    private static int hiddenClaims(WhirHidingCommitment c, int wanted) {
        int count = wanted;
        while (!c.layout.claimsHide(c.params, count, false, c.once())) {
            count++;
        }
        return count;
    }

    /**
     * The lift the batched run rests on: f_j's codeword read at x^(2^d) ({@link Batching#fibre}) is the
     * codeword of f̃_j (f_j's coefficients spread to every 2^d-th power) on the larger domain, fibre by fibre.
     */
    @Property(tries = 40)
    void liftedFibresAreTheLiftedPolynomialsCodeword(@ForAll @IntRange(min = 0, max = 10) int n, @ForAll @IntRange(min = 0, max = 10) int small,
                                                     @ForAll @IntRange(min = 1, max = 5) int fold, @ForAll long seed) {
        int nj = Math.min(n, small);
        int rate = 2;
        SplittableRandom rng = new SplittableRandom(seed);
        long[] coefficients = WhirPcsTest.randomTable(nj, rng);
        long[] spread = new long[1 << n];
        for (int i = 0; i < coefficients.length; i++) {
            spread[i << (n - nj)] = coefficients[i];
        }
        int k = Math.min(fold, n);
        int kj = Math.min(fold, nj);
        long[] big = Codewords.encode(spread, n + rate);
        long[] own = Codewords.encode(coefficients, nj + rate);
        int fibres = 1 << (nj + rate - kj);
        int[] queries = java.util.stream.IntStream.range(0, 1 << (n + rate - k)).toArray();
        int[] leaves = Batching.leaves(queries, fibres);
        long[][] opened = new long[leaves.length][];
        for (int l = 0; l < leaves.length; l++) {
            opened[l] = Codewords.fibre(own, null, nj + rate, kj, leaves[l]);
        }
        for (int q : queries) {
            long[] lifted = Batching.fibre(q, n + rate, k, new Ext2[] {Ext2.ONE}, new int[][] {leaves}, new long[][][] {opened},
                    new int[] {nj + rate}, new int[] {kj});
            long[] expected = Codewords.fibre(big, null, n + rate, k, q);
            for (int p = 0; p < expected.length; p++) {
                org.junit.jupiter.api.Assertions.assertEquals(expected[p], lifted[2 * p], "n=" + n + " n_j=" + nj + " fibre " + q + " position " + p);
                org.junit.jupiter.api.Assertions.assertEquals(0, lifted[2 * p + 1]);
            }
        }
    }

    /**
     * One to four plain commitments of random sizes (0 included), with a hiding one among them or not, opened
     * in one run: honest proofs verify; a wrong claim, a wrong cross value or an altered fibre of a random
     * component (each carried through honestly) is rejected.
     */
    @Property(tries = 25)
    void batchedRunsOfRandomSizesVerifyAndRejectTampering(@ForAll @IntRange(min = 1, max = 4) int count, @ForAll @IntRange(min = 0, max = 12) int a,
                                                          @ForAll @IntRange(min = 0, max = 12) int b, @ForAll boolean withHiding,
                                                          @ForAll boolean proven, @ForAll long seed) throws Exception {
        WhirParameters params = proven ? WhirParameters.PROVEN : WhirParameters.CONJECTURED;
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(seed);
        List<PcsOpening> openings = new ArrayList<>();
        for (int t = 0; t < count + (withHiding ? 1 : 0); t++) {
            boolean hiding = withHiding && t == 1 % (count + 1);
            int size = t % 2 == 0 ? a : rng.nextInt(b + 1);
            long[] table = WhirPcsTest.randomTable(size, rng);
            PcsCommitment c = hiding ? pcs.commitHiding(table, 3, rng.split()) : pcs.commit(table);
            for (int k = 0; k < 1 + rng.nextInt(2); k++) {
                Ext2[] point = WhirPcsTest.randomPoint(size, rng);
                openings.add(new PcsOpening(c, point, Mle.evaluate(table, point)));
            }
        }
        List<PcsClaim> claims = WhirPcsTest.claims(openings);
        PcsOpeningProof proof = WhirPcsTest.parse(pcs, WhirPcsTest.bytes(pcs.open(WhirPcsTest.transcript(), openings)));
        pcs.verify(WhirPcsTest.transcript(), claims, proof);
        WhirProof.Group plain = ((WhirProof) proof).groups().stream().filter(g -> !g.hiding()).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(count, plain.components());

        int victim = rng.nextInt(claims.size());
        List<PcsClaim> wrong = new ArrayList<>(claims);
        PcsClaim v = claims.get(victim);
        wrong.set(victim, new PcsClaim(v.root(), v.numVars(), v.point(), v.claimedValue().add(1)));
        assertThrows(PcsRejectedException.class, () -> pcs.verify(WhirPcsTest.transcript(), wrong, proof));

        int component = rng.nextInt(count);
        int crossAt = plain.batch() == null ? -1 : rng.nextInt(plain.batch().cross().length);
        for (boolean cross : new boolean[] {false, true}) {
            if (cross && crossAt < 0) {
                continue;
            }
            WhirProver.Deviation d = new WhirProver.Deviation() {
                @Override
                public void cross(int g, Ext2[] values) {
                    if (cross) {
                        values[crossAt] = values[crossAt].add(Ext2.ONE);
                    }
                }

                @Override
                public void fibres(int g, int i, long[][] fibres) {
                    if (!cross && component == 0 && i == 0 && g == ((WhirProof) proof).groups().indexOf(plain)) {
                        fibres[0][0] = dev.verinfer.field.Goldilocks.add(fibres[0][0], 1);
                    }
                }

                @Override
                public void batchFibres(int g, int j, long[][] fibres) {
                    if (!cross && j == component) {
                        fibres[0][0] = dev.verinfer.field.Goldilocks.add(fibres[0][0], 1);
                    }
                }
            };
            // the hiding commitment's budget of 3 covers the honest and both forged openings
            PcsOpeningProof forged = WhirProver.open(params, WhirPcsTest.transcript(), openings, d);
            assertThrows(PcsRejectedException.class, () -> pcs.verify(WhirPcsTest.transcript(), claims, forged), cross ? "cross value" : "fibre of " + component);
        }
    }
}
