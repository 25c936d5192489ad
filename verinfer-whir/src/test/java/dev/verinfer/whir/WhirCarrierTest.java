package dev.verinfer.whir;

import dev.verinfer.merkle.MerkleNode;

import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static dev.verinfer.whir.WhirPcsTest.bytes;
import static dev.verinfer.whir.WhirPcsTest.claims;
import static dev.verinfer.whir.WhirPcsTest.parse;
import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-proof carrier tree ({@link Carrier}, docs/proof-system.md "The per-proof carrier tree"): a witness and M for one
 * opening and the reusable weights' per-proof g in one salted tree, opened by one hiding batch (the weights on top, as in the
 * wake-word models' proofs). Round trip and bytes against the same batch without the carrier; every carrier value, salt,
 * root and part named is checked; and an adversarial prover that commits inconsistent copies of a member's leaf is accepted
 * exactly when no query reads the altered copy (the verifier's word then agrees with the honest lift wherever it is read),
 * and rejected when half the copies carry another table.
 */
class WhirCarrierTest {
    final WhirPcs pcs = new WhirPcs(WhirParameters.CONJECTURED);

    record Fixture(List<PcsOpening> openings, List<PcsClaim> claims, WhirProof proof) {}

    /** Witness (9 variables, member 0), the weights (10, top) with their g carried, M (9, narrow), and a plain table. */
    Fixture fixture(boolean carried, Carrier.Copies copies) {
        SplittableRandom rng = new SplittableRandom(77);
        long[] weights = randomTable(10, rng);
        long[] witness = randomTable(9, rng);
        long[] m = randomTable(9, rng);
        long[] plain = randomTable(8, rng);
        WhirHidingCommitment cw = (WhirHidingCommitment) pcs.commitHiding(weights, 8, new SplittableRandom(1));
        WhirHidingCommitment cx;
        WhirHidingCommitment cm;
        WhirHidingCommitment view = cw;
        if (carried) {
            List<WhirHidingCommitment> cs = WhirHidingCommitment.commitCarried(List.of(new WhirHidingCommitment.Carried(witness, 1, -1, false),
                    new WhirHidingCommitment.Carried(m, 1, -1, true)), cw, new SplittableRandom(2), pcs.parameters(), MerkleNode.PADDED, copies);
            cx = cs.get(0);
            cm = cs.get(1);
            view = cs.get(2);
            assertEquals(cw.root().length, view.root().length);
            assertTrue(Arrays.equals(cw.root(), view.root()), "the weights' root is the registered one");
        } else {
            cx = (WhirHidingCommitment) pcs.commitHidingOnce(witness, 1, false, new SplittableRandom(2));
            cm = (WhirHidingCommitment) pcs.commitHidingOnce(m, 1, true, new SplittableRandom(3));
        }
        PcsCommitment cp = pcs.commit(plain);
        List<PcsOpening> os = new ArrayList<>();
        Ext2[] pw = randomPoint(10, rng);
        Ext2[] px = randomPoint(9, rng);
        os.add(new PcsOpening(cx, px, Mle.evaluate(witness, px)));
        os.add(new PcsOpening(view, pw, Mle.evaluate(weights, pw)));
        Ext2[] pp = randomPoint(8, rng);
        os.add(new PcsOpening(cp, pp, Mle.evaluate(plain, pp)));
        for (int k = 0; k < 5; k++) {
            Ext2[] p = randomPoint(9, rng);
            os.add(new PcsOpening(cm, p, Mle.evaluate(m, p)));
        }
        return opened(os);
    }

    /** The honest prover's run over {@code os} (the claims not re-checked: the copies' adversaries make them on altered words). */
    private Fixture opened(List<PcsOpening> os) {
        WhirProof proof = WhirProver.open(pcs.parameters(), transcript(), os, new WhirProver.Deviation() {
            @Override
            public boolean checksClaims() {
                return false;
            }
        });
        return new Fixture(os, claims(os), proof);
    }

    static WhirProof.Group batch(WhirProof p) {
        return p.groups().stream().filter(g -> g.maskedBatch() != null).findFirst().orElseThrow();
    }

    void verify(Fixture f, PcsOpeningProof p) throws PcsRejectedException {
        pcs.verify(transcript(), f.claims(), p);
    }

    @Test
    void oneTreeCarriesThePerProofLeavesAndVerifies() throws Exception {
        Fixture f = fixture(true, Carrier.Copies.HONEST);
        WhirProof.Group g = batch(f.proof());
        assertNotNull(g.maskedBatch().carrier());
        assertEquals(3, g.maskedBatch().others().size() + 1, "witness, weights and M in one run");
        assertArrayEqualsInts(new int[] {0, 2, 1}, g.maskedBatch().carrier().members());
        assertEquals(0, g.rounds().getFirst().fibres().length, "member 0's leaves are the carrier's");
        assertNull(g.maskedBatch().others().get(0).maskLeaves(), "the weights' g is the carrier's");
        assertNull(g.maskedBatch().others().get(1).leaves(), "M's pairs are the carrier's");
        assertDoesNotThrow(() -> verify(f, f.proof()));
        byte[] b = bytes(f.proof());
        assertDoesNotThrow(() -> verify(f, parse(pcs, b)));
        Fixture plain = fixture(false, Carrier.Copies.HONEST);
        assertNull(batch(plain.proof()).maskedBatch().carrier());
        int without = bytes(plain.proof()).length;
        assertTrue(b.length < without, b.length + " bytes with the carrier, " + without + " without");
    }

    /**
     * {@code verinfer.trace}'s line for a carried run counts the carrier's leaves (it read a carried member's leaves, absent: a
     * NullPointerException in every traced zero-knowledge proof of alexa_v0.1 and hey_mycroft_v0.1).
     */
    @Test
    void aCarriedRunIsTraced() {
        Fixture f = fixture(true, Carrier.Copies.HONEST);
        java.util.Map<PcsCommitment, List<PcsOpening>> run = new java.util.LinkedHashMap<>();
        f.openings().stream().filter(o -> o.commitment() instanceof WhirHidingCommitment)
                .forEach(o -> run.computeIfAbsent(o.commitment(), c -> new ArrayList<>()).add(o));
        String line = WhirProver.traceLine(List.copyOf(run.values()), batch(f.proof()), 0);
        assertTrue(line.contains("hiding 9→") && line.contains("iteration-0 leaves"), line);
    }

    private static void assertArrayEqualsInts(int[] a, int[] b) {
        assertEquals(Arrays.toString(a), Arrays.toString(b));
    }

    WhirProof withCarrier(WhirProof p, UnaryOperator<WhirProof.CarrierOpening> change) {
        List<WhirProof.Group> groups = new ArrayList<>(p.groups());
        int at = groups.indexOf(batch(p));
        WhirProof.Group g = groups.get(at);
        WhirProof.MaskedBatch b = g.maskedBatch();
        groups.set(at, new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(), g.mask(), g.batch(),
                new WhirProof.MaskedBatch(b.others(), b.cross(), b.nonce(), change.apply(b.carrier()))));
        return new WhirProof(groups);
    }

    @Test
    void everyCarrierValueIsChecked() {
        Fixture f = fixture(true, Carrier.Copies.HONEST);
        WhirProof.CarrierOpening c = batch(f.proof()).maskedBatch().carrier();
        int width = c.leaves().fibres()[0].length;
        for (int at : new int[] {0, 1, width / 2, width - 1}) { // the witness's pair, the weights' g and M's pair
            WhirProof p = withCarrier(f.proof(), o -> {
                long[][] fibres = Arrays.stream(o.leaves().fibres()).map(long[]::clone).toArray(long[][]::new);
                fibres[0][at] = fibres[0][at] == 0 ? 1 : 0;
                return new WhirProof.CarrierOpening(o.root(), o.members(), new WhirProof.Opened(fibres, o.leaves().salts(), o.leaves().paths()));
            });
            assertThrows(PcsRejectedException.class, () -> verify(f, p), "value " + at);
        }
        WhirProof salt = withCarrier(f.proof(), o -> {
            long[] s = o.leaves().salts().clone();
            s[s.length - 1] ^= 1;
            return new WhirProof.CarrierOpening(o.root(), o.members(), new WhirProof.Opened(o.leaves().fibres(), s, o.leaves().paths()));
        });
        assertThrows(PcsRejectedException.class, () -> verify(f, salt));
        WhirProof root = withCarrier(f.proof(), o -> {
            byte[] r = o.root().clone();
            r[0] ^= 1;
            return new WhirProof.CarrierOpening(r, o.members(), o.leaves());
        });
        assertThrows(PcsRejectedException.class, () -> verify(f, root));
        WhirProof swapped = withCarrier(f.proof(), o -> new WhirProof.CarrierOpening(o.root(), new int[] {2, 0, 1}, o.leaves()));
        assertThrows(PcsRejectedException.class, () -> verify(f, swapped));
        WhirProof dropped = withCarrier(f.proof(), o -> new WhirProof.CarrierOpening(o.root(), new int[] {0, 2}, o.leaves()));
        assertThrows(PcsRejectedException.class, () -> verify(f, dropped));
        WhirProof twice = withCarrier(f.proof(), o -> new WhirProof.CarrierOpening(o.root(), new int[] {0, 2, 2}, o.leaves()));
        assertThrows(PcsRejectedException.class, () -> verify(f, twice));
        WhirProof none = withCarrier(f.proof(), o -> null);
        assertThrows(PcsRejectedException.class, () -> verify(f, none));
        byte[] b = bytes(f.proof());
        SplittableRandom rng = new SplittableRandom(5);
        for (int k = 0; k < 150; k++) {
            byte[] flipped = b.clone();
            int at = rng.nextInt(flipped.length);
            flipped[at] ^= (byte) (1 + rng.nextInt(255));
            assertThrows(Exception.class, () -> verify(f, parse(pcs, flipped)), "byte " + at);
        }
    }

    /**
     * An adversarial prover that alters the copies of witness leaves (part 0) in a set S of carrier leaves and runs the rest
     * honestly: the verifier reads a word that differs from the honest lift on S only. Accepted exactly when no opened carrier
     * leaf is in S (every value read is then the honest one, and the claims are about the restriction of the honest polynomial),
     * rejected when one is (the altered value enters F's fibre there and its fold no longer matches the next oracle). S is one
     * leaf (almost always accepted) or every eighth leaf (almost always rejected); both outcomes must occur.
     */
    @Test
    void inconsistentCopiesAreAcceptedExactlyWhenNoQueryReadsThem() {
        acceptedExactlyWhenUnread(0, 37, 5, true, copies -> fixture(true, copies));
    }

    /**
     * Eight trials of a cheating prover altering part {@code part}'s copies (every value of the fibre, or its first) in one carrier
     * leaf (step·trial + offset, even trials) or in every eighth (odd trials): the proof is rejected exactly when a query reads an
     * altered copy (its copy altered when committed and again when opened), accepted otherwise, and both outcomes occur.
     */
    private void acceptedExactlyWhenUnread(int part, int step, int offset, boolean wholeFibre, java.util.function.Function<Carrier.Copies, Fixture> build) {
        int accepted = 0;
        int rejected = 0;
        for (int t = 0; t < 8; t++) {
            int trial = t;
            int one = step * trial + offset;
            boolean spread = trial % 2 == 1;
            java.util.Map<Integer, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();
            Carrier.Copies copies = (leaf, p, values) -> {
                if (p == part && (spread ? leaf % 8 == trial : leaf == one)) {
                    calls.merge(leaf, 1, Integer::sum); // once when committed, again when opened
                    for (int i = 0; i < (wholeFibre ? values.length : 1); i++) {
                        values[i] = values[i] + 1 == dev.verinfer.field.Goldilocks.P ? 0 : values[i] + 1;
                    }
                }
            };
            Fixture f = build.apply(copies);
            if (calls.values().stream().anyMatch(n -> n >= 2)) {
                assertThrows(PcsRejectedException.class, () -> verify(f, f.proof()), "trial " + trial + ": an altered copy that a query reads");
                rejected++;
            } else {
                assertDoesNotThrow(() -> verify(f, f.proof()), "trial " + trial + ": altered copies no query reads");
                accepted++;
            }
        }
        assertTrue(accepted > 0 && rejected > 0, accepted + " accepted, " + rejected + " rejected");
    }

    /**
     * Half the copies carry another witness (carrier leaves of the upper half hold w2's pairs): the word the verifier reads is
     * far from every codeword, and the proof is rejected whatever the claims.
     */
    @Test
    void copiesOfAnotherTableAreRejected() {
        long[] other = randomTable(9, new SplittableRandom(99));
        WhirHidingCommitment w2 = (WhirHidingCommitment) pcs.commitHidingOnce(other, 1, false, new SplittableRandom(4));
        WhirSchedule.Round r0 = w2.schedule.rounds().getFirst();
        Carrier.Copies copies = (leaf, part, values) -> {
            if (part == 0 && leaf >= r0.fibres()) {
                long[] f = Codewords.fibre(w2.codeword(), w2.onceMaskCode, r0.logDomain(), r0.fold(), leaf & (r0.fibres() - 1));
                System.arraycopy(f, 0, values, 0, values.length);
            }
        };
        Fixture f = fixture(true, copies);
        assertThrows(PcsRejectedException.class, () -> verify(f, f.proof()));
    }

    /**
     * The witness on top (carrier28, as on ch_ppocr_mobile_v2.0_cls, embedding_model and melspectrogram): the witness of 12
     * variables in its tail with the plain first fold (member 0, the top, part 0), the weights (8 variables, their per-proof g
     * part 2) and M (7, narrow, part 1) below it, and a plain table. The carrier has the witness's leaf count; the weights' g
     * and M sit at q mod their own counts. {@code carried}: the carrier, else each in its own tree.
     */
    Fixture topFixture(boolean carried, Carrier.Copies copies) {
        SplittableRandom rng = new SplittableRandom(78);
        int d = HidingLayout.tail(pcs.parameters(), 12, 2).tailVars();
        long[] witness = WhirZeroKnowledgeTest.tailTable(12, d, rng);
        long[] weights = randomTable(8, rng);
        long[] m = randomTable(7, rng);
        long[] plain = randomTable(8, rng);
        WhirHidingCommitment cw = (WhirHidingCommitment) pcs.commitHiding(weights, 4, new SplittableRandom(1));
        WhirHidingCommitment cx;
        WhirHidingCommitment cm;
        WhirHidingCommitment view = cw;
        if (carried) {
            List<WhirHidingCommitment> cs = WhirHidingCommitment.commitCarried(List.of(new WhirHidingCommitment.Carried(witness, 2, d, false),
                    new WhirHidingCommitment.Carried(m, 1, -1, true)), cw, new SplittableRandom(2), pcs.parameters(), MerkleNode.PADDED, copies);
            cx = cs.get(0);
            cm = cs.get(1);
            view = cs.get(2);
        } else {
            cx = (WhirHidingCommitment) pcs.commitHidingOnceInTail(witness, 2, d, false, new SplittableRandom(2));
            cm = (WhirHidingCommitment) pcs.commitHidingOnce(m, 1, true, new SplittableRandom(3));
        }
        PcsCommitment cp = pcs.commit(plain);
        List<PcsOpening> os = new ArrayList<>();
        Ext2[] px = randomPoint(12, rng);
        os.add(new PcsOpening(cx, px, cx.evaluate(px)));
        Ext2[] pw = randomPoint(9, rng); // off the weights' face, as a zero-knowledge proof's merged weight claim
        os.add(new PcsOpening(view, pw, view.evaluate(pw)));
        Ext2[] pp = randomPoint(8, rng);
        os.add(new PcsOpening(cp, pp, Mle.evaluate(plain, pp)));
        for (int k = 0; k < 8; k++) { // n_M + 1 claims, as a proof's M
            Ext2[] p = randomPoint(7, rng);
            os.add(new PcsOpening(cm, p, Mle.evaluate(m, p)));
        }
        return opened(os);
    }

    @Test
    void aCarrierUnderAWitnessOnTopCarriesItsLeavesAndVerifies() throws Exception {
        Fixture f = topFixture(true, Carrier.Copies.HONEST);
        WhirProof.Group g = batch(f.proof());
        assertNotNull(g.maskedBatch().carrier());
        assertEquals(3, g.maskedBatch().others().size() + 1, "witness, weights and M in one run");
        assertArrayEqualsInts(new int[] {0, 2, 1}, g.maskedBatch().carrier().members());
        WhirHidingCommitment top = (WhirHidingCommitment) f.openings().getFirst().commitment();
        assertEquals(top.schedule.rounds().getFirst().fibres(), top.carrier.leaves(), "the carrier is indexed on the top's leaves");
        assertTrue(top.layout.inTail() && top.layout.firstFold() == pcs.parameters().foldingFactor(), "the witness in its tail, the plain first fold");
        assertTrue(HidingBatch.top(List.of(top.layout, ((WhirHidingCommitment) f.openings().get(1).commitment()).layout)) == 0, "the witness on top");
        assertEquals(0, g.rounds().getFirst().fibres().length, "the top's leaves are the carrier's");
        assertNull(g.maskedBatch().others().get(0).maskLeaves(), "the weights' g is the carrier's");
        assertNull(g.maskedBatch().others().get(1).leaves(), "M's pairs are the carrier's");
        assertDoesNotThrow(() -> verify(f, f.proof()));
        byte[] b = bytes(f.proof());
        assertDoesNotThrow(() -> verify(f, parse(pcs, b)));
        Fixture own = topFixture(false, Carrier.Copies.HONEST);
        assertNull(batch(own.proof()).maskedBatch().carrier());
        assertEquals(3, batch(own.proof()).maskedBatch().others().size() + 1, "the same run without the carrier");
        int without = bytes(own.proof()).length;
        assertTrue(b.length < without, b.length + " bytes with the carrier, " + without + " without");
    }

    /** The rule the prover follows at commit time ({@link WhirPcs#sharedRun}) predicts the run {@link HidingBatch#choose} forms. */
    @Test
    void theProversRulePredictsTheRun() {
        int d = HidingLayout.tail(pcs.parameters(), 12, 2).tailVars();
        WhirHidingCommitment cw = (WhirHidingCommitment) pcs.commitHiding(randomTable(8, new SplittableRandom(4)), 4, new SplittableRandom(1));
        List<dev.verinfer.pcs.MultilinearPcs.RunMember> members = List.of(
                new dev.verinfer.pcs.MultilinearPcs.RunMember(new dev.verinfer.pcs.MultilinearPcs.HidingShape(12, 2, d, false), null, 1, 0),
                new dev.verinfer.pcs.MultilinearPcs.RunMember(null, cw, 1, 1),
                new dev.verinfer.pcs.MultilinearPcs.RunMember(new dev.verinfer.pcs.MultilinearPcs.HidingShape(7, 1, -1, true), null, 8, 0));
        assertEquals(List.of(0, 1, 2), pcs.sharedRun(members));
        Fixture own = topFixture(false, Carrier.Copies.HONEST);
        assertEquals(3, batch(own.proof()).maskedBatch().others().size() + 1, "the opening's rule, uncarried, forms the same run");
    }

    /** A carried member that also sends leaves of its own — the top's round 0, the weights' g, M's pairs — is refused. */
    @Test
    void aCarriedMemberSendingItsOwnLeavesIsRejected() {
        Fixture f = topFixture(true, Carrier.Copies.HONEST);
        WhirProof p = f.proof();
        WhirProof.Group g = batch(p);
        WhirProof.Opened some = g.maskedBatch().carrier().leaves();
        List<WhirProof.Round> rounds = new ArrayList<>(g.rounds());
        WhirProof.Round r0 = rounds.getFirst();
        rounds.set(0, new WhirProof.Round(r0.sumcheck(), r0.powNonces(), r0.nextRoot(), r0.ood(), some.fibres(), some.paths(), r0.combineNonce(), some.salts(), r0.mask(),
                r0.queryNonce()));
        WhirProof topLeaves = withGroup(p, new WhirProof.Group(g.merkleRoot(), g.commitOod(), List.copyOf(rounds), g.finalCoefficients(), g.mask(), g.batch(), g.maskedBatch()));
        assertThrows(PcsRejectedException.class, () -> verify(f, topLeaves), "the top's own leaves");
        for (int j = 0; j < 2; j++) {
            int member = j;
            List<WhirProof.HidingMember> others = new ArrayList<>(g.maskedBatch().others());
            WhirProof.HidingMember o = others.get(member);
            others.set(member, member == 0 ? new WhirProof.HidingMember(o.merkleRoot(), o.commitOod(), o.mask(), o.leaves(), some)
                    : new WhirProof.HidingMember(o.merkleRoot(), o.commitOod(), o.mask(), some, o.maskLeaves()));
            WhirProof.MaskedBatch b = g.maskedBatch();
            WhirProof alsoOwn = withGroup(p, new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(), g.mask(), g.batch(),
                    new WhirProof.MaskedBatch(List.copyOf(others), b.cross(), b.nonce(), b.carrier())));
            assertThrows(PcsRejectedException.class, () -> verify(f, alsoOwn), member == 0 ? "the weights' own g leaves" : "M's own pair leaves");
        }
    }

    /** Parts naming the wrong members under a witness on top: swapped, one dropped, one twice, a member that is not in the run. */
    @Test
    void partsNamingWrongMembersAreRejected() {
        Fixture f = topFixture(true, Carrier.Copies.HONEST);
        for (int[] members : new int[][] {{2, 0, 1}, {0, 1, 2}, {0, 2}, {0, 2, 2}, {0, 2, 3}, {0, 2, -1}, {1, 2, 0}}) {
            WhirProof p = withCarrier(f.proof(), o -> new WhirProof.CarrierOpening(o.root(), members, o.leaves()));
            assertThrows(PcsRejectedException.class, () -> verify(f, p), Arrays.toString(members));
        }
    }

    /**
     * Under a witness on top, a cheating prover alters the copies of the weights' per-proof g (part 2, whose leaf j sits in every
     * carrier leaf q ≡ j mod its count) in one carrier leaf or in every eighth: accepted exactly when no opened carrier leaf holds
     * an altered copy, rejected whenever one is read; both outcomes occur. And the witness's own part altered in every eighth leaf
     * is rejected: the top has one copy per leaf, so an altered leaf is simply a wrong value.
     */
    @Test
    void underAWitnessOnTopInconsistentCopiesAreAcceptedExactlyWhenNoQueryReadsThem() {
        acceptedExactlyWhenUnread(2, 41, 3, false, copies -> topFixture(true, copies));
        Carrier.Copies top = (leaf, part, values) -> {
            if (part == 0 && leaf % 8 == 0) {
                values[0] = values[0] + 1 == dev.verinfer.field.Goldilocks.P ? 0 : values[0] + 1;
            }
        };
        Fixture f = topFixture(true, top);
        assertThrows(PcsRejectedException.class, () -> verify(f, f.proof()), "the top's own values altered");
    }

    WhirProof withGroup(WhirProof p, WhirProof.Group changed) {
        List<WhirProof.Group> groups = new ArrayList<>(p.groups());
        groups.set(groups.indexOf(batch(p)), changed);
        return new WhirProof(groups);
    }
}
