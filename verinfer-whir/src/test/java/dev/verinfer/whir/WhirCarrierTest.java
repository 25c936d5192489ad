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
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-proof carrier tree ({@link Carrier}, docs/proof-system.md "The per-proof carrier tree" and "The carrier with its
 * parts injected at their own height"): a witness and M for one opening and the reusable weights' per-proof g in one salted
 * tree, opened by one hiding batch (the weights on top, as in the wake-word models' proofs). Round trip and bytes against the
 * same batch without the carrier; every carrier value (the top's and the injected parts'), salt, root and part named is
 * checked; and an adversarial prover that overwrites a member's fibre (committed once, at its height) is accepted exactly
 * when no query reads it, and rejected when half its fibres are another table's.
 */
class WhirCarrierTest {
    final WhirPcs pcs = new WhirPcs(WhirParameters.CONJECTURED);

    record Fixture(List<PcsOpening> openings, List<PcsClaim> claims, WhirProof proof) {}

    /** Witness (9 variables, member 0), the weights (10, top) with their g carried, M (9, narrow), and a plain table. */
    Fixture fixture(boolean carried, Carrier.Edits edits) {
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
                    new WhirHidingCommitment.Carried(m, 1, -1, true)), cw, new SplittableRandom(2), pcs.parameters(), MerkleNode.PADDED, edits);
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

    /** The honest prover's run over {@code os} (the claims not re-checked: the fibres' adversaries make them on altered words). */
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
        Fixture f = fixture(true, Carrier.Edits.HONEST);
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
        Fixture plain = fixture(false, Carrier.Edits.HONEST);
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
        Fixture f = fixture(true, Carrier.Edits.HONEST);
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
        Fixture f = fixture(true, Carrier.Edits.HONEST);
        WhirProof.CarrierOpening c = batch(f.proof()).maskedBatch().carrier();
        int width = c.leaves().fibres()[0].length;
        for (int at : new int[] {0, width - 1}) { // the top's (the weights' g)
            WhirProof p = withCarrier(f.proof(), o -> {
                long[][] fibres = Arrays.stream(o.leaves().fibres()).map(long[]::clone).toArray(long[][]::new);
                fibres[0][at] = fibres[0][at] == 0 ? 1 : 0;
                return new WhirProof.CarrierOpening(o.root(), o.members(), new WhirProof.Opened(fibres, o.leaves().salts(), o.leaves().paths()), o.injected());
            });
            assertThrows(PcsRejectedException.class, () -> verify(f, p), "value " + at);
        }
        assertEquals(2, c.injected().size(), "the witness's and M's pairs are injected");
        for (int part = 0; part < c.injected().size(); part++) { // an injected fibre's first and last value: the witness's pair, M's pair
            for (int last = 0; last < 2; last++) {
                int which = part;
                boolean end = last == 1;
                WhirProof p = withCarrier(f.proof(), o -> {
                    List<long[][]> injected = new ArrayList<>(o.injected());
                    long[][] fibres = Arrays.stream(injected.get(which)).map(long[]::clone).toArray(long[][]::new);
                    int at = end ? fibres[0].length - 1 : 0;
                    fibres[fibres.length - 1][at] = fibres[fibres.length - 1][at] == 0 ? 1 : 0;
                    injected.set(which, fibres);
                    return new WhirProof.CarrierOpening(o.root(), o.members(), o.leaves(), List.copyOf(injected));
                });
                assertThrows(PcsRejectedException.class, () -> verify(f, p), "injected part " + part + (end ? " last" : " first") + " value");
            }
        }
        WhirProof lessInjected = withCarrier(f.proof(), o -> new WhirProof.CarrierOpening(o.root(), o.members(), o.leaves(), o.injected().subList(0, 1)));
        assertThrows(PcsRejectedException.class, () -> verify(f, lessInjected), "an injected part missing");
        WhirProof salt = withCarrier(f.proof(), o -> {
            long[] s = o.leaves().salts().clone();
            s[s.length - 1] ^= 1;
            return new WhirProof.CarrierOpening(o.root(), o.members(), new WhirProof.Opened(o.leaves().fibres(), s, o.leaves().paths()), o.injected());
        });
        assertThrows(PcsRejectedException.class, () -> verify(f, salt));
        WhirProof root = withCarrier(f.proof(), o -> {
            byte[] r = o.root().clone();
            r[0] ^= 1;
            return new WhirProof.CarrierOpening(r, o.members(), o.leaves(), o.injected());
        });
        assertThrows(PcsRejectedException.class, () -> verify(f, root));
        WhirProof swapped = withCarrier(f.proof(), o -> new WhirProof.CarrierOpening(o.root(), new int[] {2, 0, 1}, o.leaves(), o.injected()));
        assertThrows(PcsRejectedException.class, () -> verify(f, swapped));
        WhirProof dropped = withCarrier(f.proof(), o -> new WhirProof.CarrierOpening(o.root(), new int[] {0, 2}, o.leaves(), o.injected()));
        assertThrows(PcsRejectedException.class, () -> verify(f, dropped));
        WhirProof twice = withCarrier(f.proof(), o -> new WhirProof.CarrierOpening(o.root(), new int[] {0, 2, 2}, o.leaves(), o.injected()));
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
     * An adversarial prover that overwrites witness fibres (part 0, injected at its height) in a set S of its fibres and runs the
     * rest honestly: the carrier commits each fibre once, so the verifier reads the word of a table that differs from the honest
     * one on S's points. Accepted exactly when no query reads a fibre of S (every value read is then the honest one), rejected
     * when one does (the altered value enters F's fibre there and its fold no longer matches the next oracle). S is one fibre
     * (almost always accepted) or every eighth (almost always rejected); both outcomes must occur.
     */
    @Test
    void anOverwrittenInjectedFibreIsAcceptedExactlyWhenNoQueryReadsIt() {
        acceptedExactlyWhenUnread(0, 37, 5, -1, 1, edits -> fixture(true, edits));
    }

    /**
     * Eight trials of a cheating prover overwriting part {@code part}'s fibres (every value of the fibre, {@code value} −1, or
     * that one): fibre step·trial + offset (even trials) or every eighth (odd trials). The proof is rejected exactly when a query
     * reads an altered fibre (altered as committed, {@code hashes} times — twice for a pair on top, whose leaf halves are hashed
     * apart — and again when opened), accepted otherwise, and both outcomes occur.
     */
    private void acceptedExactlyWhenUnread(int part, int step, int offset, int value, int hashes, java.util.function.Function<Carrier.Edits, Fixture> build) {
        int accepted = 0;
        int rejected = 0;
        for (int t = 0; t < 8; t++) {
            int trial = t;
            int one = step * trial + offset;
            boolean spread = trial % 2 == 1;
            java.util.Map<Integer, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();
            Carrier.Edits edits = (p, j, values) -> {
                if (p == part && (spread ? j % 8 == trial : j == one)) {
                    calls.merge(j, 1, Integer::sum); // when committed (hashes times), again when opened
                    for (int i = Math.max(value, 0); i < (value < 0 ? values.length : value + 1); i++) {
                        values[i] = values[i] + 1 == dev.verinfer.field.Goldilocks.P ? 0 : values[i] + 1;
                    }
                }
            };
            Fixture f = build.apply(edits);
            assertTrue(calls.values().stream().allMatch(n -> n == hashes || n == hashes + 1), "trial " + trial + ": each fibre committed once (and opened at most once)");
            if (calls.values().stream().anyMatch(n -> n == hashes + 1)) {
                assertThrows(PcsRejectedException.class, () -> verify(f, f.proof()), "trial " + trial + ": an altered fibre that a query reads");
                rejected++;
            } else {
                assertDoesNotThrow(() -> verify(f, f.proof()), "trial " + trial + ": altered fibres no query reads");
                accepted++;
            }
        }
        assertTrue(accepted > 0 && rejected > 0, accepted + " accepted, " + rejected + " rejected");
    }

    /**
     * The upper half of the witness's fibres carry another witness's (w2's fibres j there): the committed word is far from every
     * codeword, and the proof is rejected whatever the claims.
     */
    @Test
    void fibresOfAnotherTableAreRejected() {
        long[] other = randomTable(9, new SplittableRandom(99));
        WhirHidingCommitment w2 = (WhirHidingCommitment) pcs.commitHidingOnce(other, 1, false, new SplittableRandom(4));
        WhirSchedule.Round r0 = w2.schedule.rounds().getFirst();
        Carrier.Edits edits = (part, j, values) -> {
            if (part == 0 && j >= r0.fibres() / 2) {
                long[] f = Codewords.fibre(w2.codeword(), w2.onceMaskCode, r0.logDomain(), r0.fold(), j);
                System.arraycopy(f, 0, values, 0, values.length);
            }
        };
        Fixture f = fixture(true, edits);
        assertThrows(PcsRejectedException.class, () -> verify(f, f.proof()));
    }

    /**
     * The witness on top (carrier28, as on ch_ppocr_mobile_v2.0_cls, embedding_model and melspectrogram): the witness of 12
     * variables in its tail with the plain first fold (member 0, the top, part 0), the weights (8 variables, their per-proof g
     * part 2) and M (7, narrow, part 1) below it, and a plain table. The carrier has the witness's leaf count; the weights' g
     * and M sit at q mod their own counts. {@code carried}: the carrier, else each in its own tree.
     */
    Fixture topFixture(boolean carried, Carrier.Edits edits) {
        return topFixture(8, carried, edits);
    }

    /**
     * {@link #topFixture} with weights of {@code weightsVars} variables (11, budget 2: v = 12 and k₀ = 4 as the witness's, their g
     * on top beside it, as melspectrogram's).
     */
    Fixture topFixture(int weightsVars, boolean carried, Carrier.Edits edits) {
        SplittableRandom rng = new SplittableRandom(78);
        int d = HidingLayout.tail(pcs.parameters(), 12, 2).tailVars();
        long[] witness = WhirZeroKnowledgeTest.tailTable(12, d, rng);
        long[] weights = randomTable(weightsVars, rng);
        long[] m = randomTable(7, rng);
        long[] plain = randomTable(8, rng);
        WhirHidingCommitment cw = (WhirHidingCommitment) pcs.commitHiding(weights, weightsBudget(weightsVars), new SplittableRandom(1));
        WhirHidingCommitment cx;
        WhirHidingCommitment cm;
        WhirHidingCommitment view = cw;
        if (carried) {
            List<WhirHidingCommitment> cs = WhirHidingCommitment.commitCarried(List.of(new WhirHidingCommitment.Carried(witness, 2, d, false),
                    new WhirHidingCommitment.Carried(m, 1, -1, true)), cw, new SplittableRandom(2), pcs.parameters(), MerkleNode.PADDED, edits);
            cx = cs.get(0);
            cm = cs.get(1);
            view = cs.get(2);
        } else {
            cx = (WhirHidingCommitment) pcs.commitHidingOnceInTail(witness, 2, d, false, null, new SplittableRandom(2));
            cm = (WhirHidingCommitment) pcs.commitHidingOnce(m, 1, true, new SplittableRandom(3));
        }
        PcsCommitment cp = pcs.commit(plain);
        List<PcsOpening> os = new ArrayList<>();
        Ext2[] px = randomPoint(12, rng);
        os.add(new PcsOpening(cx, px, cx.evaluate(px)));
        Ext2[] pw = randomPoint(weightsVars + 1, rng); // off the weights' face, as a zero-knowledge proof's merged weight claim
        os.add(new PcsOpening(view, pw, view.evaluate(pw)));
        Ext2[] pp = randomPoint(8, rng);
        os.add(new PcsOpening(cp, pp, Mle.evaluate(plain, pp)));
        for (int k = 0; k < 8; k++) { // n_M + 1 claims, as a proof's M
            Ext2[] p = randomPoint(7, rng);
            os.add(new PcsOpening(cm, p, Mle.evaluate(m, p)));
        }
        return opened(os);
    }

    private static int weightsBudget(int weightsVars) {
        return weightsVars == 11 ? 2 : 4;
    }

    @Test
    void aCarrierUnderAWitnessOnTopCarriesItsLeavesAndVerifies() throws Exception {
        Fixture f = topFixture(true, Carrier.Edits.HONEST);
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
        Fixture own = topFixture(false, Carrier.Edits.HONEST);
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
        Fixture own = topFixture(false, Carrier.Edits.HONEST);
        assertEquals(3, batch(own.proof()).maskedBatch().others().size() + 1, "the opening's rule, uncarried, forms the same run");
    }

    /** A carried member that also sends leaves of its own — the top's round 0, the weights' g, M's pairs — is refused. */
    @Test
    void aCarriedMemberSendingItsOwnLeavesIsRejected() {
        Fixture f = topFixture(true, Carrier.Edits.HONEST);
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
        Fixture f = topFixture(true, Carrier.Edits.HONEST);
        for (int[] members : new int[][] {{2, 0, 1}, {0, 1, 2}, {0, 2}, {0, 2, 2}, {0, 2, 3}, {0, 2, -1}, {1, 2, 0}}) {
            WhirProof p = withCarrier(f.proof(), o -> new WhirProof.CarrierOpening(o.root(), members, o.leaves(), o.injected()));
            assertThrows(PcsRejectedException.class, () -> verify(f, p), Arrays.toString(members));
        }
    }

    /**
     * Under a witness on top, a cheating prover overwrites the weights' per-proof g (part 2, injected: its fibre j once, in the
     * node over the carrier leaves q ≡ j mod its count) in one fibre or in every eighth: accepted exactly when no query reads an
     * altered fibre, rejected whenever one is read; both outcomes occur. And the witness's own part (the top, in the leaves)
     * altered in every eighth leaf is rejected.
     */
    @Test
    void underAWitnessOnTopAnOverwrittenInjectedFibreIsAcceptedExactlyWhenNoQueryReadsIt() {
        acceptedExactlyWhenUnread(2, 41, 3, 0, 1, edits -> topFixture(true, edits));
        Carrier.Edits top = (part, j, values) -> {
            if (part == 0 && j % 8 == 0) {
                values[0] = values[0] + 1 == dev.verinfer.field.Goldilocks.P ? 0 : values[0] + 1;
            }
        };
        Fixture f = topFixture(true, top);
        assertThrows(PcsRejectedException.class, () -> verify(f, f.proof()), "the top's own values altered");
    }

    /**
     * The reserve's carrier ({@link WhirPcs#prepareHiding}, the weights on top): the heights below the tables' lowest — the weights'
     * g leaves with their salts and the nodes under M's height — are hashed ahead, and the carrier committed from the
     * prepared stream hashes only the heights above them, over that very subtree, to the root the unprepared commit finds. Control:
     * the same subtree handed over with one leaf's salt changed gives another root (the prepared heights are used, not rehashed).
     */
    @Test
    void aPreparedCarrierHashesTheHeightsBelowTheTablesAheadToTheSameRoot() {
        SplittableRandom rng = new SplittableRandom(77);
        long[] weights = randomTable(10, rng);
        List<WhirHidingCommitment.Carried> tables = List.of(new WhirHidingCommitment.Carried(randomTable(9, rng), 1, -1, false),
                new WhirHidingCommitment.Carried(randomTable(9, rng), 1, -1, true));
        WhirHidingCommitment cw = (WhirHidingCommitment) pcs.commitHiding(weights, 8, new SplittableRandom(1));
        List<dev.verinfer.pcs.MultilinearPcs.HidingShape> shapes = List.of(new dev.verinfer.pcs.MultilinearPcs.HidingShape(9, 1, -1, false),
                new dev.verinfer.pcs.MultilinearPcs.HidingShape(9, 1, -1, true));
        Carrier honest = WhirHidingCommitment.commitCarried(tables, cw, new SplittableRandom(2), pcs.parameters(), MerkleNode.PADDED, Carrier.Edits.HONEST).getFirst().carrier;
        int lowest = Math.min(honest.height(0), honest.height(1));
        assertEquals(List.of(3, 2, 0), List.of(honest.height(0), honest.height(1), honest.height(2)), "the witness at 3, M (narrow) at 2, the weights' g on top");
        for (boolean changed : new boolean[] {false, true}) {
            MaskStream stream = ((PreparedMasks) pcs.prepareHiding(shapes, cw, new SplittableRandom(2))).take();
            Carrier.Ahead ahead = stream.carrierAhead();
            assertNull(ahead.halves(), "no pair on top: no leaf halves");
            dev.verinfer.merkle.InjectedMerkleTree below = ahead.below();
            assertNotNull(below, "the reserve hashed the carrier's lower heights");
            assertEquals(lowest - 1, below.hashed(), "hashed up to just below the lowest table's height (M's)");
            if (changed) { // the subtree of other salts in place of the prepared one
                below = Carrier.below(List.of(honest.parts.get(2)), honest.logLeaves, java.util.stream.LongStream.range(0, 2L << honest.logLeaves).toArray(),
                        lowest - 1, pcs.parameters(), MerkleNode.PADDED);
            }
            stream.carrierAhead(new Carrier.Ahead(below, null));
            Carrier prepared = WhirHidingCommitment.commitCarried(tables, cw, new PreparedMasks(stream), pcs.parameters(), MerkleNode.PADDED, Carrier.Edits.HONEST).getFirst().carrier;
            assertSame(below, prepared.tree, "the prepared subtree is the carrier's tree");
            assertEquals(!changed, Arrays.equals(honest.tree.root(), prepared.tree.root()), changed ? "other salts, another root" : "the same root");
        }
    }

    /**
     * The carrier's leaf in two halves (carrier30), melspectrogram's shape: the witness's pair and the weights' g on top, M
     * injected. A leaf is H(0x00 ‖ the witness's f′ fibre ‖ R_q[0, d)), R_q = H(0x03 ‖ the witness's g fibre ‖ the weights' g fibre
     * ‖ salt_q): the reserve ({@link WhirPcs#prepareHiding}) hashes every R_q ahead, from the masks and salts alone, and the
     * carrier committed from the prepared stream hashes only f′ and R_q, to the root the unprepared commit finds, and verifies.
     * Control: halves made with other salts give another root (the prepared halves are used, not rehashed).
     */
    @Test
    void aPairOnTopHasItsMaskHalvesHashedAheadToTheSameRoot() {
        Fixture f = topFixture(11, true, Carrier.Edits.HONEST);
        assertDoesNotThrow(() -> verify(f, f.proof()));
        WhirHidingCommitment cx = (WhirHidingCommitment) f.openings().getFirst().commitment();
        Carrier honest = cx.carrier;
        assertEquals(List.of(0, 1, 0), List.of(honest.height(0), honest.height(1), honest.height(2)), "the witness and the weights' g on top, M below");
        assertTrue(Carrier.split(honest.parts, honest.logLeaves), "a pair on top: leaves in two halves");
        SplittableRandom rng = new SplittableRandom(78);
        int d = HidingLayout.tail(pcs.parameters(), 12, 2).tailVars();
        long[] witness = WhirZeroKnowledgeTest.tailTable(12, d, rng);
        long[] weights = randomTable(11, rng);
        long[] m = randomTable(7, rng);
        WhirHidingCommitment cw = (WhirHidingCommitment) pcs.commitHiding(weights, weightsBudget(11), new SplittableRandom(1));
        List<WhirHidingCommitment.Carried> tables = List.of(new WhirHidingCommitment.Carried(witness, 2, d, false), new WhirHidingCommitment.Carried(m, 1, -1, true));
        List<dev.verinfer.pcs.MultilinearPcs.HidingShape> shapes = List.of(new dev.verinfer.pcs.MultilinearPcs.HidingShape(12, 2, d, false),
                new dev.verinfer.pcs.MultilinearPcs.HidingShape(7, 1, -1, true));
        Carrier unprepared = WhirHidingCommitment.commitCarried(tables, cw, new SplittableRandom(2), pcs.parameters(), MerkleNode.PADDED, Carrier.Edits.HONEST).getFirst().carrier;
        for (boolean changed : new boolean[] {false, true}) {
            MaskStream stream = ((PreparedMasks) pcs.prepareHiding(shapes, cw, new SplittableRandom(2))).take();
            Carrier.Ahead ahead = stream.carrierAhead();
            assertNull(ahead.below(), "a table on top: no height is input-independent");
            byte[] halves = ahead.halves();
            assertEquals(dev.verinfer.merkle.MerkleHasher.DIGEST_BYTES << unprepared.logLeaves, halves.length, "one half per leaf");
            if (changed) {
                halves = Carrier.halves(unprepared.parts, unprepared.logLeaves, java.util.stream.LongStream.range(0, 2L << unprepared.logLeaves).toArray(), pcs.parameters());
            }
            stream.carrierAhead(new Carrier.Ahead(null, halves));
            Carrier prepared = WhirHidingCommitment.commitCarried(tables, cw, new PreparedMasks(stream), pcs.parameters(), MerkleNode.PADDED, Carrier.Edits.HONEST).getFirst().carrier;
            assertEquals(!changed, Arrays.equals(unprepared.tree.root(), prepared.tree.root()), changed ? "other salts, another root" : "the same root");
        }
    }

    /**
     * Soundness of the two halves: every value of an opened leaf is bound by the carrier root through its half — each of the top's
     * values (the witness's f′ and g, the weights' g: the first and last of each fibre) and each salt byte flipped in the opening is
     * rejected at the carrier's Merkle check ("recomputed root does not match"), before any fold reads it. And a cheating prover
     * overwriting, as committed, the witness's f′ (the online half) or its g (the half hashed ahead) in some fibres, everything
     * else honest: accepted exactly when no query reads an overwritten fibre.
     */
    @Test
    void everyValueOfASplitLeafIsBoundByTheRoot() {
        Fixture f = topFixture(11, true, Carrier.Edits.HONEST);
        WhirProof.CarrierOpening c = batch(f.proof()).maskedBatch().carrier();
        int width = c.leaves().fibres()[0].length;
        assertEquals(3 * 16, width, "the witness's pair (32 values) and the weights' g (16)");
        for (int at : new int[] {0, 1, 30, 31, 32, width - 1}) {
            WhirProof p = withCarrier(f.proof(), o -> {
                long[][] fibres = Arrays.stream(o.leaves().fibres()).map(long[]::clone).toArray(long[][]::new);
                fibres[0][at] = fibres[0][at] == 0 ? 1 : 0;
                return new WhirProof.CarrierOpening(o.root(), o.members(), new WhirProof.Opened(fibres, o.leaves().salts(), o.leaves().paths()), o.injected());
            });
            PcsRejectedException e = assertThrows(PcsRejectedException.class, () -> verify(f, p), "value " + at);
            assertTrue(e.getMessage().contains("recomputed root does not match"), "value " + at + ": " + e.getMessage());
        }
        for (int bit = 0; bit < 128; bit += 9) {
            int b = bit;
            WhirProof p = withCarrier(f.proof(), o -> {
                long[] s = o.leaves().salts().clone();
                s[b / 64] ^= 1L << (b % 64);
                return new WhirProof.CarrierOpening(o.root(), o.members(), new WhirProof.Opened(o.leaves().fibres(), s, o.leaves().paths()), o.injected());
            });
            PcsRejectedException e = assertThrows(PcsRejectedException.class, () -> verify(f, p), "salt bit " + bit);
            assertTrue(e.getMessage().contains("recomputed root does not match"), "salt bit " + bit + ": " + e.getMessage());
        }
        acceptedExactlyWhenUnread(0, 53, 7, 0, 2, edits -> topFixture(11, true, edits)); // f′'s first value: the online half
        acceptedExactlyWhenUnread(0, 53, 7, 1, 2, edits -> topFixture(11, true, edits)); // g's first value: the half hashed ahead
    }

    WhirProof withGroup(WhirProof p, WhirProof.Group changed) {
        List<WhirProof.Group> groups = new ArrayList<>(p.groups());
        groups.set(groups.indexOf(batch(p)), changed);
        return new WhirProof(groups);
    }
}
