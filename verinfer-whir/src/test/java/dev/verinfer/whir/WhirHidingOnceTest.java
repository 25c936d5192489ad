package dev.verinfer.whir;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.verinfer.whir.WhirHidingTest.shiftedMaskValues;
import static dev.verinfer.whir.WhirHidingTest.withGroup;
import static dev.verinfer.whir.WhirHidingTest.withRound;
import static dev.verinfer.whir.WhirPcsTest.bytes;
import static dev.verinfer.whir.WhirPcsTest.claims;
import static dev.verinfer.whir.WhirPcsTest.parse;
import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hiding commitments made for one opening ({@link WhirHidingCommitment#commitOnce}): the opening's g sits in
 * f′'s tree (leaf j holds f′'s and g's fibre j and one salt). Completeness in a batch with plain and ordinary
 * hiding commitments, the single opening, the layout bound into the digest, and a tamper test per value the
 * new leaves and mask carry. Each proof commits afresh from fixed seeds (a commitment opens once), so every
 * forged proof is checked against the same roots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhirHidingOnceTest {
    final WhirPcs pcs = new WhirPcs(WhirParameters.CONJECTURED);
    long[] a;
    long[] b;
    long[] c;
    Ext2[] p1;
    Ext2[] p2;
    Ext2[] p3;
    List<PcsClaim> claims;
    WhirProof proof;

    /** A once-committed 14-variable A (two points), a plain 11-variable B, a once-committed 0-variable C, in one batch. */
    @BeforeAll
    void fixture() {
        SplittableRandom rng = new SplittableRandom(31);
        a = randomTable(14, rng);
        b = randomTable(11, rng);
        c = randomTable(0, rng);
        p1 = randomPoint(14, rng);
        p2 = randomPoint(14, rng);
        p3 = randomPoint(11, rng);
        claims = claims(openings());
        proof = forge(WhirProver.Deviation.NONE);
    }

    /** Fresh commitments from the fixed seeds (same roots each time) and their openings. */
    List<PcsOpening> openings() {
        PcsCommitment ca = pcs.commitHidingOnce(a, 1, false, new SplittableRandom(1));
        PcsCommitment cb = pcs.commit(b);
        PcsCommitment cc = pcs.commitHidingOnce(c, 1, false, new SplittableRandom(2));
        return List.of(new PcsOpening(ca, p1, Mle.evaluate(a, p1)), new PcsOpening(cb, p3, Mle.evaluate(b, p3)),
                new PcsOpening(ca, p2, Mle.evaluate(a, p2)), new PcsOpening(cc, new Ext2[0], Ext2.of(c[0])));
    }

    WhirProof forge(WhirProver.Deviation d) {
        return WhirProver.open(pcs.parameters(), transcript(), openings(), d);
    }

    void verify(List<PcsClaim> cs, PcsOpeningProof p) throws PcsRejectedException {
        pcs.verify(transcript(), cs, p);
    }

    String rejection(PcsOpeningProof p) {
        return assertThrows(PcsRejectedException.class, () -> verify(claims, p)).getMessage();
    }

    @Test
    void batchVerifiesRoundTripsAndOpensOnce() throws Exception {
        assertEquals(3, proof.groups().size());
        assertTrue(proof.groups().get(0).once() && !proof.groups().get(1).hiding() && proof.groups().get(2).once());
        assertEquals(0, proof.groups().getFirst().mask().root().length, "no mask tree of its own");
        assertTrue(proof.groups().getFirst().rounds().getFirst().mask() == null, "no mask leaves of their own");
        assertDoesNotThrow(() -> verify(claims, parse(pcs, bytes(proof))));
        List<PcsOpening> openings = openings();
        WhirHidingCommitment ca = (WhirHidingCommitment) openings.getFirst().commitment();
        assertEquals(1, ca.openingBudget());
        pcs.open(transcript(), openings);
        assertEquals(0, ca.openingsLeft());
        assertThrows(IllegalStateException.class, () -> pcs.open(transcript(), openings), "a second opening of a once commitment");
    }

    /**
     * A narrow commitment for one opening ({@link WhirPcs#commitHidingOnce} with {@code narrow}, a zero-knowledge proof's M), opened in a run
     * of its own: first fold 1, verified; a wrong claim, the first fold read as the plain one (the digest names k₀) and flipped
     * bytes are rejected. (In a batch: {@code WhirHidingBatchTest}, whose M is narrow.)
     */
    @Test
    void aNarrowCommitmentOpensAloneWithAFirstFoldOfOne() throws Exception {
        WhirHidingCommitment narrow = (WhirHidingCommitment) pcs.commitHidingOnce(a, 1, true, new SplittableRandom(5));
        assertEquals(1, narrow.layout.firstFold());
        List<PcsOpening> os = List.of(new PcsOpening(narrow, p1, Mle.evaluate(a, p1)));
        List<PcsClaim> cs = claims(os);
        WhirProof opened = (WhirProof) pcs.open(transcript(), os);
        assertTrue(opened.groups().getFirst().once());
        assertDoesNotThrow(() -> verify(cs, parse(pcs, bytes(opened))));
        List<PcsClaim> wrong = List.of(new PcsClaim(cs.getFirst().root(), cs.getFirst().numVars(), p1, cs.getFirst().claimedValue().add(Ext2.ONE)));
        assertThrows(PcsRejectedException.class, () -> verify(wrong, opened));
        WhirProof wide = withGroup(opened, 0, g -> new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(),
                new WhirProof.Mask(g.mask().extraVars(), g.mask().root(), g.mask().ood(), g.mask().claims(), g.mask().nonce(),
                        pcs.parameters().foldingFactor(), g.mask().summed()), null, g.maskedBatch()));
        assertThrows(PcsRejectedException.class, () -> verify(cs, wide), "the first fold read as the plain one");
        assertTrue(WhirPcsTest.BitFlips.of(pcs, bytes(opened), cs, 9, 200, 40).rejected() > 50);
    }

    /** One salted tree where there were two: the same table opened with g in a tree of its own is larger. */
    @Test
    void oneTreeIsSmallerThanTwo() {
        PcsCommitment separate = pcs.commitHiding(a, 1, new SplittableRandom(1));
        PcsCommitment once = pcs.commitHidingOnce(a, 1, false, new SplittableRandom(1));
        assertEquals(((WhirHidingCommitment) separate).layout.vars(), ((WhirHidingCommitment) once).layout.vars());
        int twoTrees = bytes(pcs.open(transcript(), List.of(new PcsOpening(separate, p1, Mle.evaluate(a, p1))))).length;
        int oneTree = bytes(pcs.open(transcript(), List.of(new PcsOpening(once, p1, Mle.evaluate(a, p1))))).length;
        assertTrue(oneTree < twoTrees, oneTree + " vs " + twoTrees + " bytes");
    }

    /** The digest names the layout: a once root read as an ordinary hiding one (with some mask root) is rejected, and the reverse. */
    @Test
    void theLayoutIsBoundToTheRoot() {
        WhirProof asSeparate = withGroup(proof, 0, g -> new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(),
                new WhirProof.Mask(g.mask().extraVars(), g.merkleRoot(), g.mask().ood(), g.mask().claims(), g.mask().nonce(), g.mask().firstFold(), g.mask().summed())));
        rejection(asSeparate);
        PcsCommitment separate = pcs.commitHiding(a, 1, new SplittableRandom(1));
        List<PcsOpening> ordinary = List.of(new PcsOpening(separate, p1, Mle.evaluate(a, p1)));
        WhirProof honest = (WhirProof) pcs.open(transcript(), ordinary);
        WhirProof asOnce = withGroup(honest, 0, g -> new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(),
                new WhirProof.Mask(g.mask().extraVars(), new byte[0], g.mask().ood(), g.mask().claims(), g.mask().nonce(), g.mask().firstFold(), g.mask().summed())));
        assertThrows(PcsRejectedException.class, () -> verify(claims(ordinary), asOnce));
    }

    @Test
    void wrongClaimIsRejected() {
        for (int k : new int[] {0, 2, 3}) {
            List<PcsClaim> wrong = new ArrayList<>(claims);
            PcsClaim cl = claims.get(k);
            wrong.set(k, new PcsClaim(cl.root(), cl.numVars(), cl.point(), cl.claimedValue().add(1)));
            assertThrows(PcsRejectedException.class, () -> verify(wrong, proof), "claim " + k);
        }
        // a lie about f(r) with g(r) shifted to compensate: g is committed before ρ, so it fails
        List<PcsOpening> lies = new ArrayList<>(openings());
        lies.set(0, new PcsOpening(lies.get(0).commitment(), p1, lies.get(0).value().add(5)));
        WhirProof lying = WhirProver.open(pcs.parameters(), transcript(), lies, new WhirProver.Deviation() {
            @Override
            public boolean checksClaims() {
                return false;
            }
        });
        assertThrows(PcsRejectedException.class, () -> verify(claims(lies), lying));
        WhirProof shifted = withGroup(lying, 0, g -> {
            Ext2[] mc = g.mask().claims().clone();
            mc[0] = mc[0].sub(5);
            return new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(),
                    new WhirProof.Mask(g.mask().extraVars(), g.mask().root(), g.mask().ood(), mc, g.mask().nonce(), g.mask().firstFold(), g.mask().summed()));
        });
        assertThrows(PcsRejectedException.class, () -> verify(claims(lies), shifted));
    }

    @Test
    void alteredMaskValuesAreRejected() {
        WhirProof.Mask m = proof.groups().getFirst().mask();
        List<WhirProof.Mask> changed = shiftedMaskValues(m);
        changed.add(new WhirProof.Mask(m.extraVars() + 1, m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold(), m.summed()));
        changed.add(new WhirProof.Mask(m.extraVars(), m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold() == 1 ? 2 : 1, m.summed()));
        changed.add(new WhirProof.Mask(m.extraVars(), m.root(), m.ood(), WhirHidingTest.oneMore(m.claims()), m.nonce(), m.firstFold(), m.summed()));
        changed.add(new WhirProof.Mask(m.extraVars(), m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold(), !m.summed())); // read as the other format
        for (WhirProof.Mask bad : changed) {
            rejection(withGroup(proof, 0, g -> new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(), bad)));
        }
    }

    @Test
    void alteredSaltIsRejected() {
        WhirHidingTest.assertEverySaltBinds(proof, this::rejection);
        WhirProof noSalts = withRound(proof, 0, 0, r -> new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(), r.fibres(), r.paths(),
                r.combineNonce(), new long[0], r.mask(), r.queryNonce()));
        assertTrue(rejection(noSalts).contains("salt"));
    }

    /** Each half of an iteration-0 leaf (f′'s value, g's value) and every later fibre: altered after the Merkle proof, rejected. */
    @Test
    void alteredPairOrFibreIsRejected() {
        int last = proof.groups().getFirst().rounds().size() - 1;
        assertTrue(last >= 1, "a later iteration to tamper with");
        for (int[] at : new int[][] {{0, 0}, {0, 1}, {0, 7}, {1, 1}, {last, 0}}) {
            WhirProver.Deviation d = new WhirProver.Deviation() {
                @Override
                public void fibres(int g, int it, long[][] fibres) {
                    if (g == 0 && it == at[0]) {
                        fibres[0][at[1]] = Goldilocks.add(fibres[0][at[1]], 1);
                    }
                }
            };
            assertTrue(rejection(forge(d)).contains("fibre openings"), "iteration " + at[0] + " value " + at[1]);
        }
        // a g value consistent with its leaf is impossible without the salt's preimage; one missing or a half leaf is malformed
        WhirProof dropped = withRound(proof, 0, 0, r -> new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(),
                Arrays.copyOf(r.fibres(), r.fibres().length - 1), r.paths(), r.combineNonce(), Arrays.copyOf(r.salts(), r.salts().length - 2), r.mask(), r.queryNonce()));
        rejection(dropped);
        WhirProof halves = withRound(proof, 0, 0, r -> new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(),
                Arrays.stream(r.fibres()).map(f -> Arrays.copyOf(f, f.length / 2)).toArray(long[][]::new), r.paths(), r.combineNonce(), r.salts(), r.mask(), r.queryNonce()));
        assertTrue(rejection(halves).contains("fibre of"));
        WhirProof extraMask = withRound(proof, 0, 0, r -> new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(), r.fibres(), r.paths(),
                r.combineNonce(), r.salts(), new WhirProof.Opened(r.fibres(), r.salts(), r.paths()), r.queryNonce()));
        assertTrue(rejection(extraMask).contains("mask fibres"));
    }

    /** f′'s table built from f's table, the kept face and the further blocks is the transform of f′'s coefficients. */
    @Test
    void theTableOfFPrimeIsTheTransformOfItsCoefficients() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int[] nAndBudget : new int[][] {{0, 1}, {3, 1}, {3, 50}, {14, 1}, {9, 50}}) {
            WhirHidingCommitment h = (WhirHidingCommitment) pcs.commitHiding(randomTable(nAndBudget[0], rng), nAndBudget[1], new SplittableRandom(3));
            long[] expected = h.coefficients.clone();
            Codewords.toEvaluations(expected);
            assertTrue(java.util.Arrays.equals(expected, h.evaluations()), h.layout.toString());
            assertTrue(h.layout.vars() - h.layout.tableVars() > 1 || nAndBudget[1] == 1, "a layout with several mask blocks: " + h.layout);
        }
    }

    @Test
    void flippedBytesAreRejected() {
        int rejected = WhirPcsTest.BitFlips.of(pcs, bytes(proof), claims, 5, 300, 40).rejected();
        assertTrue(rejected > 100, rejected + " rejected");
    }
}
