package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.verinfer.whir.WhirHidingTest.shiftedMaskValues;
import static dev.verinfer.whir.WhirHidingTest.withGroup;
import static dev.verinfer.whir.WhirPcsTest.bytes;
import static dev.verinfer.whir.WhirPcsTest.claims;
import static dev.verinfer.whir.WhirPcsTest.parse;
import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commitments for one opening with the mask in the table's own tail ({@link HidingLayout#tail}): f′ keeps the table's
 * arity and is the table with uniform values in its last 2^d slots. Completeness in a batch with a plain and an ordinary
 * once commitment, the layout (v = n, d) bound to the root, off-face claims refused, and a tamper test per value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhirHidingTailTest {
    final WhirPcs pcs = new WhirPcs(WhirParameters.CONJECTURED);
    static final int N = 14;
    int d;
    long[] a;
    long[] b;
    long[] c;
    Ext2[] p1;
    Ext2[] p2;
    Ext2[] p3;
    List<PcsClaim> claims;
    WhirProof proof;

    /**
     * A 14-variable A committed with its mask in its tail (one generic point, as the zkml witness), a plain B, a once C: A and C
     * share one hiding batch ({@link HidingBatch}), A on top.
     */
    @BeforeAll
    void fixture() {
        SplittableRandom rng = new SplittableRandom(41);
        d = pcs.hidingTailVars(N, 2, false, null);
        assertTrue(d >= WhirParameters.CONJECTURED.foldingFactor() && d < N, "a 14-variable table takes the tail layout: " + d);
        a = WhirZeroKnowledgeTest.tailTable(N, d, rng);
        b = randomTable(11, rng);
        c = randomTable(12, rng);
        p1 = randomPoint(N, rng);
        p3 = randomPoint(11, rng);
        p2 = randomPoint(12, rng);
        claims = claims(openings());
        proof = forge(WhirProver.Deviation.NONE);
    }

    List<PcsOpening> openings() {
        HidingCommitment ca = (HidingCommitment) pcs.commitHidingOnceInTail(a, 2, d, false, null, new SplittableRandom(1));
        PcsCommitment cb = pcs.commit(b);
        PcsCommitment cc = pcs.commitHidingOnce(c, 1, false, new SplittableRandom(2));
        return List.of(new PcsOpening(ca, p1, Mle.evaluate(ca.committedTable(), p1)), new PcsOpening(cb, p3, Mle.evaluate(b, p3)),
                new PcsOpening(cc, p2, Mle.evaluate(c, p2)));
    }

    WhirProof forge(WhirProver.Deviation dev) {
        return WhirProver.open(pcs.parameters(), transcript(), openings(), dev);
    }

    void rejected(WhirProof p) {
        assertThrows(PcsRejectedException.class, () -> pcs.verify(transcript(), claims, p));
    }

    @Test
    void verifiesAndKeepsTheTablesArity() throws Exception {
        assertDoesNotThrow(() -> pcs.verify(transcript(), claims, parse(pcs, bytes(proof))));
        WhirHidingCommitment ca = (WhirHidingCommitment) openings().getFirst().commitment();
        assertEquals(new HidingLayout(N, N, ca.layout.budget(), pcs.parameters().foldingFactor(), d), ca.layout);
        assertTrue(ca.layout.budget() >= 2);
        long[] committed = ca.committedTable();
        int block = 1 << d;
        assertArrayEquals(Arrays.copyOf(a, a.length - block), Arrays.copyOf(committed, a.length - block), "f′ is the table before its block");
        assertTrue(Arrays.stream(committed, a.length - block, a.length).filter(x -> x != 0).count() > block / 2, "uniform values in the block");
        assertEquals(0, ca.offFaceClaimBudget());
        assertThrows(IllegalStateException.class, ca::maskFace);
        // the table's own value at a point reading the block is not the commitment's: claims are on f′
        assertNotEquals(Mle.evaluate(a, p1), Mle.evaluate(committed, p1));
    }

    /** Too small a table, or one whose mask functionals g cannot cover, has no tail layout: the caller falls back. */
    @Test
    void smallTablesHaveNoTailLayout() {
        assertEquals(-1, pcs.hidingTailVars(5, 2, false, null));
        assertNull(HidingLayout.tail(WhirParameters.PROVEN, 10, 2));
        HidingLayout proven = HidingLayout.tail(WhirParameters.PROVEN, 17, 2);
        assertEquals(11, proven.tailVars(), "2 units of 1,012 functionals and the commit answers fit 2^11 slots: " + proven);
    }

    @Test
    void theLayoutIsBoundToTheRoot() {
        WhirProof.Mask m = proof.groups().getFirst().mask();
        assertEquals(0, m.extraVars());
        assertEquals(d, m.tailVars());
        for (WhirProof.Mask bad : List.of(
                new WhirProof.Mask(0, m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold(), m.summed(), d + 1),
                new WhirProof.Mask(0, m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold(), m.summed(), d - 1),
                new WhirProof.Mask(0, m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold(), m.summed(), N),
                new WhirProof.Mask(1, m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold(), m.summed()), // read as ĥ above 2^n
                new WhirProof.Mask(0, m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold() - 1, m.summed(), d))) {
            rejected(withGroup(proof, 0, g -> new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(), bad)));
        }
        // an ordinary once root (ĥ above 2^n) read as a tail one
        List<PcsOpening> ordinary = List.of(new PcsOpening(pcs.commitHidingOnce(a, 2, false, new SplittableRandom(3)), p1, Mle.evaluate(a, p1)));
        WhirProof honest = (WhirProof) pcs.open(transcript(), ordinary);
        WhirProof.Mask once = honest.groups().getFirst().mask();
        assertTrue(once.extraVars() >= 1);
        WhirProof asTail = withGroup(honest, 0, g -> new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(),
                new WhirProof.Mask(0, once.root(), once.ood(), once.claims(), once.nonce(), once.firstFold(), once.summed(), d)));
        assertDoesNotThrow(() -> pcs.verify(transcript(), claims(ordinary), honest));
        assertThrows(PcsRejectedException.class, () -> pcs.verify(transcript(), claims(ordinary), asTail));
    }

    @Test
    void alteredMaskValuesAndWrongClaimsAreRejected() {
        WhirProof.Mask m = proof.groups().getFirst().mask();
        for (WhirProof.Mask bad : shiftedMaskValues(m)) {
            WhirProof.Mask tail = new WhirProof.Mask(bad.extraVars(), bad.root(), bad.ood(), bad.claims(), bad.nonce(), bad.firstFold(), bad.summed(), d);
            rejected(withGroup(proof, 0, g -> new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(), tail)));
        }
        // the caller's own table's value (the block read as zero) where the commitment holds f′
        List<PcsClaim> wrong = List.of(new PcsClaim(claims.getFirst().root(), N, p1, Mle.evaluate(a, p1)), claims.get(1), claims.get(2));
        assertThrows(PcsRejectedException.class, () -> pcs.verify(transcript(), wrong, proof));
    }

    /**
     * A narrow in-tail A ({@link HidingLayout#tailNarrow}) under a larger hiding table T (N + 2 variables, on top of their batched
     * run): it verifies, sends fewer bytes than the plain fold's A in the same run, and its layout (k₀, d), bound to its root, and
     * its mask values cannot be changed.
     */
    @Test
    void aNarrowTailUnderALargerTableVerifiesAndIsBound() throws Exception {
        HidingLayout narrow = HidingLayout.tailNarrow(pcs.parameters(), N, 2, null);
        int dn = narrow.tailVars();
        assertEquals(dn, pcs.hidingTailVars(N, 2, true, null));
        assertTrue(narrow.firstFold() < pcs.parameters().foldingFactor() && dn >= narrow.firstFold(), "narrower than the plain fold: " + narrow);
        SplittableRandom rng = new SplittableRandom(43);
        long[] an = WhirZeroKnowledgeTest.tailTable(N, Math.max(d, dn), rng);
        long[] t = randomTable(N + 2, rng);
        Ext2[] pt = randomPoint(N + 2, rng);
        java.util.function.Function<Boolean, List<PcsOpening>> openings = isNarrow -> {
            HidingCommitment ca = (HidingCommitment) (isNarrow ? pcs.commitHidingOnceInTail(an, 2, dn, true, null, new SplittableRandom(5))
                    : pcs.commitHidingOnceInTail(an, 2, d, false, null, new SplittableRandom(5)));
            HidingCommitment ct = (HidingCommitment) pcs.commitHidingOnce(t, 1, false, new SplittableRandom(6));
            return List.of(new PcsOpening(ct, pt, Mle.evaluate(t, pt)), new PcsOpening(ca, p1, Mle.evaluate(ca.committedTable(), p1)));
        };
        List<PcsOpening> o = openings.apply(true);
        List<PcsClaim> cl = claims(o);
        WhirProof p = WhirProver.open(pcs.parameters(), transcript(), o, WhirProver.Deviation.NONE);
        WhirProof wide = WhirProver.open(pcs.parameters(), transcript(), openings.apply(false), WhirProver.Deviation.NONE);
        assertDoesNotThrow(() -> pcs.verify(transcript(), cl, parse(pcs, bytes(p))));
        assertDoesNotThrow(() -> pcs.verify(transcript(), claims(openings.apply(false)), wide));
        assertTrue(bytes(p).length < bytes(wide).length, bytes(p).length + " < " + bytes(wide).length);
        // the run's top is T; A is the batch's other member, its mask beside its root
        WhirProof.Group top = p.groups().getFirst();
        assertEquals(1, top.maskedBatch().others().size());
        WhirProof.HidingMember a = top.maskedBatch().others().getFirst();
        WhirProof.Mask m = a.mask();
        assertEquals(narrow.firstFold(), m.firstFold());
        assertEquals(dn, m.tailVars());
        List<WhirProof.Mask> bad = new java.util.ArrayList<>(List.of(
                new WhirProof.Mask(0, m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold() + 1, m.summed(), dn), // the plain fold's claim
                new WhirProof.Mask(0, m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold(), m.summed(), dn + 1),
                new WhirProof.Mask(0, m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold(), m.summed(), dn - 1)));
        for (WhirProof.Mask s : shiftedMaskValues(m)) {
            bad.add(new WhirProof.Mask(s.extraVars(), s.root(), s.ood(), s.claims(), s.nonce(), s.firstFold(), s.summed(), dn));
        }
        for (WhirProof.Mask b : bad) {
            WhirProof.MaskedBatch mb = new WhirProof.MaskedBatch(List.of(new WhirProof.HidingMember(a.merkleRoot(), a.commitOod(), b, a.leaves(), a.maskLeaves())),
                    top.maskedBatch().cross(), top.maskedBatch().nonce());
            WhirProof q = withGroup(p, 0, x -> new WhirProof.Group(x.merkleRoot(), x.commitOod(), x.rounds(), x.finalCoefficients(), x.mask(), x.batch(), mb));
            assertThrows(PcsRejectedException.class, () -> pcs.verify(transcript(), cl, q), b.toString());
        }
    }

    /** A claim with one coordinate more (an off-face claim f′(r, β)) has no meaning without a mask variable: refused both sides. */
    @Test
    void offFaceClaimsAreRefused() {
        HidingCommitment ca = (HidingCommitment) pcs.commitHidingOnceInTail(a, 2, d, false, null, new SplittableRandom(1));
        Ext2[] longer = Arrays.copyOf(p1, N + 1);
        longer[N] = Ext2.ONE;
        assertThrows(IllegalArgumentException.class, () -> pcs.open(transcript(), List.of(new PcsOpening(ca, longer, Ext2.ONE))));
        List<PcsClaim> offFace = List.of(new PcsClaim(claims.getFirst().root(), N, longer, claims.getFirst().claimedValue()), claims.get(1), claims.get(2));
        assertThrows(PcsRejectedException.class, () -> pcs.verify(transcript(), offFace, proof));
    }

    @Test
    void flippedBytesAreRejected() {
        int rejected = WhirPcsTest.BitFlips.of(pcs, bytes(proof), claims, 7, 300, 40).rejected();
        assertTrue(rejected > 100, rejected + " rejected");
    }
}
