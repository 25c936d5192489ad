package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.verinfer.whir.WhirPcsTest.claims;
import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A commitment for one opening sends no out-of-domain points of its mask g in the list regimes (docs/proof-system.md, "Fewer
 * constraint points per member", branch points30; {@link HidingLayout#maskOod(WhirSchedule, boolean)}): f′'s commit points, drawn
 * from the root that binds g's word, are g's. A hiding batch of the shape a zero-knowledge proof opens (the reusable weights,
 * a witness and M for one opening) in the unique-decoding, capacity and Johnson regimes: the counts, and a prover that chooses
 * g after ρ so that every constraint the run checks still holds — rejected, by g's committed leaves.
 */
class WhirMaskPointsTest {
    static final List<WhirParameters> REGIMES = List.of(WhirParameters.PROVEN_UNIQUE, WhirParameters.CONJECTURED, WhirParameters.PROVEN);

    /** The batch's openings: the witness (once, member 0), the weights (reusable, two claims, one off the face), M (once, narrow, 3 claims). */
    static List<PcsOpening> openings(WhirPcs pcs, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] weights = randomTable(10, rng);
        long[] witness = randomTable(9, rng);
        long[] m = randomTable(9, rng);
        PcsCommitment cw = pcs.commitHiding(weights, 8, new SplittableRandom(rng.nextLong()));
        PcsCommitment cx = pcs.commitHidingOnce(witness, 1, false, new SplittableRandom(rng.nextLong()));
        PcsCommitment cm = pcs.commitHidingOnce(m, 1, true, new SplittableRandom(rng.nextLong()));
        List<PcsOpening> out = new ArrayList<>();
        Ext2[] x = randomPoint(9, rng);
        out.add(new PcsOpening(cx, x, Mle.evaluate(witness, x)));
        Ext2[] pw = randomPoint(10, rng);
        out.add(new PcsOpening(cw, pw, Mle.evaluate(weights, pw)));
        Ext2[] off = randomPoint(11, rng);
        out.add(new PcsOpening(cw, off, ((WhirHidingCommitment) cw).evaluate(off)));
        for (int k = 0; k < 3; k++) {
            Ext2[] p = randomPoint(9, rng);
            out.add(new PcsOpening(cm, p, Mle.evaluate(m, p)));
        }
        return out;
    }

    @Test
    void aCommitmentForOneOpeningSendsNoMaskPointsInTheListRegimes() throws PcsRejectedException {
        for (WhirParameters params : REGIMES) {
            WhirPcs pcs = new WhirPcs(params);
            List<PcsOpening> openings = openings(pcs, 5);
            WhirProof proof = WhirProver.open(params, transcript(), openings);
            pcs.verify(transcript(), claims(openings), proof);
            WhirProof.Group batch = proof.groups().getFirst();
            List<WhirProof.Mask> masks = new ArrayList<>(List.of(batch.mask()));
            batch.maskedBatch().others().forEach(o -> masks.add(o.mask()));
            assertEquals(3, masks.size(), params.toString());
            for (WhirProof.Mask mask : masks) {
                WhirSchedule s = params.hidingSchedule(9, 1); // any: commitOod is the regime's
                boolean once = mask.root().length == 0;
                int gPoints = params.soundness() == WhirParameters.Soundness.UNIQUE_DECODING ? 1 : once ? 0 : s.commitOod();
                assertEquals(s.commitOod() + 2 * gPoints, mask.ood().length, params + (once ? ", once" : ", reusable"));
            }
            assertTrue(masks.get(0).root().length == 0 && masks.get(1).root().length > 0 && masks.get(2).root().length == 0, "witness, weights, M");
        }
        // The points that stand in for g's are a function of the root that binds g: the same table with another g, other points.
        WhirParameters params = WhirParameters.PROVEN;
        WhirPcs pcs = new WhirPcs(params);
        long[] table = randomTable(9, new SplittableRandom(1));
        WhirHidingCommitment a = (WhirHidingCommitment) pcs.commitHidingOnce(table, 1, false, new SplittableRandom(2));
        WhirHidingCommitment b = (WhirHidingCommitment) pcs.commitHidingOnce(table, 1, false, new SplittableRandom(3));
        assertFalse(Arrays.equals(a.onceMask, b.onceMask));
        int v = a.layout.vars();
        assertNotEquals(List.of(WhirTranscript.commitOodPoints(params, v, a.merkleRoot(), a.schedule.commitOod())),
                List.of(WhirTranscript.commitOodPoints(params, v, b.merkleRoot(), b.schedule.commitOod())));
    }

    /**
     * Why only a commitment for one opening drops g's points. A reusable commitment's commit points are the key's, public before any
     * per-proof g is drawn: a g′ = g + Δ with Δ vanishing at them is another polynomial that no commit point tells from g, so its
     * opening needs points drawn after g's root (its w). A once commitment's commit points are drawn from the root that holds g:
     * another g moves them (above), so no g can be fitted to them.
     */
    @Test
    void theKeysCommitPointsDoNotBindAReusableCommitmentsMask() {
        for (WhirParameters params : List.of(WhirParameters.CONJECTURED, WhirParameters.PROVEN)) {
            WhirPcs pcs = new WhirPcs(params);
            WhirHidingCommitment weights = (WhirHidingCommitment) pcs.commitHiding(randomTable(8, new SplittableRandom(1)), 8, new SplittableRandom(2));
            int v = weights.layout.vars();
            List<Ext2[]> commitPoints = new ArrayList<>();
            for (Ext2 z : WhirTranscript.commitOodPoints(params, v, weights.merkleRoot(), weights.schedule.commitOod())) {
                commitPoints.add(Codewords.powers(z, v));
            }
            assertEquals(2, commitPoints.size());
            long[] g = randomTable(v, new SplittableRandom(3));
            long[] delta = solve(commitPoints, v, new Ext2[] {Ext2.ZERO, Ext2.ZERO}, new SplittableRandom(4));
            long[] other = g.clone();
            for (int i = 0; i < other.length; i++) {
                other[i] = Goldilocks.add(other[i], delta[i]);
            }
            for (Ext2[] z : commitPoints) {
                assertEquals(new Batching.Evaluator(g).at(z), new Batching.Evaluator(other).at(z), params.toString());
            }
            Ext2[] w = Codewords.powers(Ext2.random(new SplittableRandom(5)), v);
            assertNotEquals(new Batching.Evaluator(g).at(w), new Batching.Evaluator(other).at(w), "a point drawn after g tells them apart");
        }
    }

    /**
     * A prover that chooses a once member's g after ρ: g′ = g + Δ with Δ ≠ 0 chosen once ρ and the run's constraint points are
     * known, so that g′ agrees with the values of g sent before ρ at every constraint point of the run — its claims, f′'s commit
     * points and the other members' points — (or, to prove a false claim y + e, has Δ = e/ρ at that claim), and F, the cross
     * values, every sumcheck and later oracle derived honestly from g′. No constraint sees Δ, and g's own out-of-domain points
     * would not either (drawn before ρ, they are among the points Δ is made to vanish at); what rejects it is g's committed word,
     * read at iteration 0's queries. Control: the same seam with Δ = 0 is accepted.
     */
    @Test
    void aMaskChosenAfterRhoIsRejectedByItsCommittedLeaves() {
        for (WhirParameters params : REGIMES) {
            WhirPcs pcs = new WhirPcs(params);
            for (int member : new int[] {0, 2}) {
                for (String kind : List.of("honest", "vanishing", "false claim")) {
                    List<PcsOpening> openings = openings(pcs, 11 + member);
                    if (kind.equals("false claim")) { // the member's first claim made false by e = 1
                        int at = member == 0 ? 0 : 3;
                        PcsOpening o = openings.get(at);
                        openings.set(at, new PcsOpening(o.commitment(), o.point(), o.value().add(1)));
                    }
                    List<PcsClaim> claims = claims(openings);
                    Ext2 e = kind.equals("false claim") ? Ext2.ONE : Ext2.ZERO;
                    boolean[] checked = {false};
                    WhirProver.Deviation after = new WhirProver.Deviation() {
                        @Override
                        public boolean checksClaims() {
                            return false;
                        }

                        @Override
                        public long[] batchMask(int g, int j, long[] table, Ext2 rho, List<Ext2[]> points) {
                            if (j != member || kind.equals("honest")) {
                                return table;
                            }
                            int vars = Integer.numberOfTrailingZeros(table.length);
                            Ext2[] targets = new Ext2[points.size()];
                            Arrays.fill(targets, Ext2.ZERO);
                            targets[firstClaimOf(j, params)] = e.mul(rho.inverse());
                            long[] delta = solve(points, vars, targets, new SplittableRandom(g + 31L * j));
                            long[] out = table.clone();
                            for (int i = 0; i < out.length; i++) {
                                out[i] = Goldilocks.add(out[i], delta[i]);
                            }
                            Batching.Evaluator before = new Batching.Evaluator(table);
                            Batching.Evaluator now = new Batching.Evaluator(out);
                            for (int p = 0; p < points.size(); p++) { // every constraint sees g′ as g, but for e/ρ at the claim
                                Ext2[] tail = Batching.tail(points.get(p), vars);
                                assertEquals(before.at(tail).add(targets[p]), now.at(tail), "g′ at constraint " + p);
                            }
                            Ext2[] w = randomPoint(vars, new SplittableRandom(99));
                            assertNotEquals(before.at(w), now.at(w), "g′ is another polynomial");
                            checked[0] = true;
                            return out;
                        }
                    };
                    WhirProof proof = WhirProver.open(params, transcript(), openings, after);
                    String what = params + ", member " + member + ", " + kind;
                    if (kind.equals("honest")) {
                        assertDoesNotThrow(() -> pcs.verify(transcript(), claims, proof), what);
                    } else {
                        assertTrue(checked[0], what);
                        String why = assertThrows(PcsRejectedException.class, () -> pcs.verify(transcript(), claims, proof), what).getMessage();
                        assertFalse(why.contains("cross value") || why.contains("mask"), what + ": " + why);
                    }
                }
            }
        }
    }

    /** The index, among the run's constraint points, of member j's first claim (members' points follow in member order). */
    static int firstClaimOf(int j, WhirParameters params) {
        // Member 0 (the witness): its 1 claim is point 0. Member 2 (M): after the witness's 1 + its out-of-domain points and the
        // weights' 2 claims + theirs.
        if (j == 0) {
            return 0;
        }
        int commit = params.hidingSchedule(9, 1).commitOod();
        int once = HidingLayout.maskOod(params.hidingSchedule(9, 1), true);
        int reusable = HidingLayout.maskOod(params.hidingSchedule(9, 1), false);
        return (1 + commit + once) + (2 + commit + reusable);
    }

    /**
     * A base-field table Δ of {@code vars} variables with Δ(tail of p_k) = targets[k] at every point (two base equations each), a
     * combination of random tables with coefficients solved by elimination over F_p, its free ones random (so Δ ≠ 0).
     */
    static long[] solve(List<Ext2[]> points, int vars, Ext2[] targets, SplittableRandom rng) {
        int rows = 2 * points.size();
        int cols = rows + 2;
        long[][] basis = new long[cols][];
        long[][] a = new long[rows][cols + 1];
        for (int c = 0; c < cols; c++) {
            basis[c] = randomTable(vars, rng);
            Batching.Evaluator ev = new Batching.Evaluator(basis[c]);
            for (int p = 0; p < points.size(); p++) {
                Ext2 value = ev.at(Batching.tail(points.get(p), vars));
                a[2 * p][c] = value.c0();
                a[2 * p + 1][c] = value.c1();
            }
        }
        for (int p = 0; p < points.size(); p++) {
            a[2 * p][cols] = targets[p].c0();
            a[2 * p + 1][cols] = targets[p].c1();
        }
        int[] pivotCol = new int[rows];
        int rank = 0;
        for (int c = 0; c < cols && rank < rows; c++) {
            int pivot = -1;
            for (int r = rank; r < rows; r++) {
                if (Goldilocks.canonical(a[r][c]) != 0) {
                    pivot = r;
                    break;
                }
            }
            if (pivot < 0) {
                continue;
            }
            long[] tmp = a[pivot];
            a[pivot] = a[rank];
            a[rank] = tmp;
            long inv = Goldilocks.inverse(a[rank][c]);
            for (int k = 0; k <= cols; k++) {
                a[rank][k] = Goldilocks.mul(a[rank][k], inv);
            }
            for (int r = 0; r < rows; r++) {
                if (r != rank && Goldilocks.canonical(a[r][c]) != 0) {
                    long f = a[r][c];
                    for (int k = 0; k <= cols; k++) {
                        a[r][k] = Goldilocks.sub(a[r][k], Goldilocks.mul(f, a[rank][k]));
                    }
                }
            }
            pivotCol[rank++] = c;
        }
        long[] x = new long[cols];
        boolean[] pivot = new boolean[cols];
        for (int r = 0; r < rank; r++) {
            pivot[pivotCol[r]] = true;
        }
        for (int c = 0; c < cols; c++) {
            if (!pivot[c]) {
                x[c] = Goldilocks.canonical(rng.nextLong());
            }
        }
        for (int r = 0; r < rank; r++) {
            long value = a[r][cols];
            for (int c = 0; c < cols; c++) {
                if (c != pivotCol[r]) {
                    value = Goldilocks.sub(value, Goldilocks.mul(a[r][c], x[c]));
                }
            }
            x[pivotCol[r]] = value;
        }
        long[] delta = new long[1 << vars];
        for (int c = 0; c < cols; c++) {
            for (int i = 0; i < delta.length; i++) {
                delta[i] = Goldilocks.add(delta[i], Goldilocks.mul(x[c], basis[c][i]));
            }
        }
        return delta;
    }
}
