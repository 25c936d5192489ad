package dev.verinfer.whir;

import dev.verinfer.merkle.MerkleNode;

import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Off-face claims on a hiding commitment: f′(r, β, 0, …) = f(r) + β·h(r) with h the commitment's first
 * mask face ({@link HidingCommitment#maskFace}). They verify, a wrong value (the plain f(r) included) is
 * rejected, a plain commitment takes none, and a stream of them reveals nothing about f: the rank the
 * openings gain on f, with the claim values counted as revealed and every mask eliminated, is 0.
 */
class OffFaceClaimTest {
    private static final WhirParameters PARAMS = WhirZeroKnowledgeTest.tiny(WhirParameters.Soundness.UNIQUE_DECODING);

    private static Ext2[] offFace(Ext2[] r, Ext2 beta) {
        Ext2[] p = java.util.Arrays.copyOf(r, r.length + 1);
        p[r.length] = beta;
        return p;
    }

    @Test
    void anOffFaceClaimIsFPlusBetaTimesTheMaskFaceAndOnlyItsTrueValueVerifies() throws PcsRejectedException {
        WhirPcs pcs = new WhirPcs(PARAMS);
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {1, 4, 5}) { // n = 0: a one-entry face cannot hide an F_{p²} value (offFaceBudget 0); n = 2, 3: two claims nearly fix f and h (HidingLayout.claimsHide)
            long[] table = randomTable(n, rng);
            PcsCommitment c = pcs.commitHiding(table, 4, new SplittableRandom(11 + n));
            long[] face = ((HidingCommitment) c).maskFace();
            assertEquals(table.length, face.length);
            Ext2[] r = randomPoint(n, rng);
            Ext2 beta = randomPoint(1, rng)[0];
            Ext2 value = Mle.evaluate(table, r).add(beta.mul(Mle.evaluate(face, r)));
            Ext2[] onFace = randomPoint(n, rng);
            List<PcsOpening> openings = List.of(new PcsOpening(c, offFace(r, beta), value), new PcsOpening(c, onFace, Mle.evaluate(table, onFace)));
            WhirProof proof = WhirProver.open(PARAMS, transcript(), openings);
            pcs.verify(transcript(), WhirPcsTest.claims(openings), proof);
            for (Ext2 wrong : new Ext2[] {value.add(Ext2.ONE), Mle.evaluate(table, r)}) {
                List<PcsClaim> claims = List.of(new PcsClaim(c.root(), n, offFace(r, beta), wrong), openings.get(1).claim());
                assertThrows(PcsRejectedException.class, () -> pcs.verify(transcript(), claims, proof), "n = " + n + ", value " + wrong);
            }
            List<PcsClaim> onTheFace = List.of(new PcsClaim(c.root(), n, r, value), openings.get(1).claim());
            assertThrows(PcsRejectedException.class, () -> pcs.verify(transcript(), onTheFace, proof), "the same value claimed on the face");
            assertThrows(IllegalArgumentException.class,
                    () -> WhirProver.open(PARAMS, transcript(), List.of(new PcsOpening(c, offFace(r, beta), value.add(Ext2.ONE)))));
        }
    }

    @Test
    void aPlainCommitmentTakesNoOffFaceClaim() throws PcsRejectedException {
        WhirPcs pcs = new WhirPcs(PARAMS);
        SplittableRandom rng = new SplittableRandom(5);
        long[] table = randomTable(3, rng);
        PcsCommitment c = pcs.commit(table);
        Ext2[] r = randomPoint(3, rng);
        assertThrows(IllegalArgumentException.class,
                () -> WhirProver.open(PARAMS, transcript(), List.of(new PcsOpening(c, offFace(r, Ext2.ONE), Mle.evaluate(table, r)))));
        List<PcsOpening> openings = List.of(new PcsOpening(c, r, Mle.evaluate(table, r)));
        WhirProof proof = WhirProver.open(PARAMS, transcript(), openings);
        pcs.verify(transcript(), WhirPcsTest.claims(openings), proof);
        List<PcsClaim> forged = List.of(new PcsClaim(c.root(), 3, offFace(r, Ext2.ZERO), Mle.evaluate(table, r)));
        assertThrows(PcsRejectedException.class, () -> pcs.verify(transcript(), forged, proof));
    }

    @Test
    void offFaceClaimsSpendBudget() {
        WhirPcs pcs = new WhirPcs(PARAMS);
        SplittableRandom rng = new SplittableRandom(9);
        long[] table = randomTable(3, rng);
        WhirHidingCommitment c = (WhirHidingCommitment) pcs.commitHiding(table, 2, new SplittableRandom(1));
        int before = c.openingsLeft();
        Ext2[] r = randomPoint(3, rng);
        Ext2 beta = Ext2.of(7);
        WhirProver.open(PARAMS, transcript(), List.of(new PcsOpening(c, offFace(r, beta), c.evaluate(offFace(r, beta)))));
        assertEquals(before - HidingLayout.openingUnits(c.schedule, 1), c.openingsLeft());
        assertTrue(HidingLayout.openingUnits(c.schedule, 1) >= 2, "an off-face claim costs more than a plain opening");
        // The face h has 2^3 coefficients: 4 off-face claims (two functionals each) in the commitment's life.
        WhirHidingCommitment big = (WhirHidingCommitment) pcs.commitHiding(table, 100, new SplittableRandom(2));
        assertEquals(4, big.offFaceClaimBudget());
        List<PcsOpening> four = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Ext2[] p = offFace(randomPoint(3, rng), Ext2.of(3 + k));
            four.add(new PcsOpening(big, p, big.evaluate(p)));
        }
        WhirProver.open(PARAMS, transcript(), four);
        Ext2[] p = offFace(r, beta);
        IllegalStateException spent = assertThrows(IllegalStateException.class,
                () -> WhirProver.open(PARAMS, transcript(), List.of(new PcsOpening(big, p, big.evaluate(p)))));
        assertTrue(spent.getMessage().contains("off-face claims"), spent.getMessage());
    }

    /**
     * Rank on f gained by openings whose claims are all off the face, net of ĥ and each opening's g:
     * the claim values are revealed (rows), nothing is public about f, and the gain must be 0 — while
     * the same openings with on-face claims (the values f(r) public) gain 0 beyond the claims too, and
     * reveal f(r) itself, which the off-face ones do not.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void offFaceOpeningsGainNoRankOnTheTable(WhirParameters.Soundness soundness) throws Exception {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(17 + soundness.ordinal());
        int n = 3;
        long[] table = randomTable(n, rng);
        WhirHidingCommitment c = (WhirHidingCommitment) pcs.commitHiding(table, 6, new SplittableRandom(23));
        int size = 1 << n;
        int vars = c.layout.vars();
        int h = (1 << vars) - size;
        int g = 1 << vars;
        int openings = 2;
        int nuisance = h + openings * g;
        WhirZeroKnowledgeTest.Echelon all = new WhirZeroKnowledgeTest.Echelon(nuisance, size);
        for (int o = 0; o < openings; o++) {
            List<PcsOpening> list = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                Ext2[] p = offFace(randomPoint(n, rng), randomPoint(1, rng)[0]);
                list.add(new PcsOpening(c, p, c.evaluate(p)));
            }
            WhirProof proof = WhirProver.open(params, transcript(), list);
            List<PcsClaim> claims = WhirPcsTest.claims(list);
            List<WhirVerifier.Coins> coins = new ArrayList<>();
            WhirVerifier.verify(params, MerkleNode.PADDED, transcript(), claims, proof, coins);
            List<long[]> rows = new ArrayList<>();
            for (WhirOpeningExtractor.Row row : WhirOpeningExtractor.extract(params, claims, proof.groups().getFirst(), coins.getFirst())) {
                rows.add(row.c0());
                rows.add(row.c1());
            }
            for (PcsClaim claim : claims) { // the claim value f′(r, β, 0, …) is revealed: a row on f′'s coefficients
                Ext2[] mono = WhirOpeningExtractor.monomials(HidingOpening.embed(claim.point(), vars));
                long[] re = new long[2 * g];
                long[] im = new long[2 * g];
                for (int i = 0; i < g; i++) {
                    re[i] = mono[i].c0();
                    im[i] = mono[i].c1();
                }
                rows.add(re);
                rows.add(im);
            }
            for (long[] part : rows) {
                long[] r = new long[nuisance + size];
                for (int i = 0; i < part.length; i++) {
                    if (part[i] != 0) {
                        r[i < size ? nuisance + i : i < g ? i - size : h + o * g + (i - g)] = part[i];
                    }
                }
                all.add(r);
            }
        }
        assertEquals(0, all.privateRank, "off-face openings revealed " + all.privateRank + " functionals of the table");
    }
}
