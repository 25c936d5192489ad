package dev.verinfer.whir;

import dev.verinfer.merkle.MerkleNode;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static dev.verinfer.whir.WhirPcsTest.claims;
import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The carrier's non-lifted codeword adversary (docs/proof-system.md, "The per-proof carrier tree", soundness of the copies), and
 * why it is gone since branch inject29 ("The carrier with its parts injected at their own height"): the description below is
 * adv28's carrier, which copied member j's leaf into every carrier leaf q ≡ j; the carrier now holds each fibre once, so the
 * cheater commits one value per slot (Δ's at the slot's own point) and every point of its class reads it.
 * The verifier reads a carried member j's value at the point ω^i of the run's domain L (2^ℓ points, V variables) from one slot
 * of the carrier: leaf i mod 2^c, at the position i reads in j's own leaf, which names i mod 2^(ℓ_j). So the word W_j it reads
 * is a function of i mod 2^max(c, ℓ_j): when c ≤ ℓ_j an exact codeword read so is a function of x^(2^d_j), a lift; when the
 * carrier has more leaves than j's own domain has points (c > ℓ_j: d_j exceeds the first fold of the carrier's widest part,
 * here the top's g), a codeword of P_j = f̃′_j + Δ is read exactly, Δ(x) = x_e·H(x_(d_j), …, x_(V−1)) (+ E lifted) for any
 * ℓ − c ≤ e < d_j: Δ̂(X) = X^(2^e)·Ĥ(X^(2^d_j)) is a function of X^(2^(ℓ−c)), and not of X^(2^d_j), so P_j is not a lift.
 *
 * <p>The cheating prover commits W_j = the lift's word + Δ's codeword in the carrier's copies (now {@link Carrier.Edits}: one per fibre) and builds
 * the cross values, F, the sumchecks, folds, later oracles and answers from P_j ({@link WhirProver.Deviation#batchMember}).
 * Its restriction R_j(p) = P_j(0^(d_j), p) is f′_j + E. The argument: accepted exactly when the run's constraints on j hold of
 * R_j, and then they are claims on R_j. So with E = 0 it is accepted and every claim it proves is the honest table's; with
 * E ≠ 0 it is rejected, whether the claims are the honest table's or R_j's (f̂′_j's answers at its commit-time and g's points
 * then disagree with R_j).
 * Control: the same copies with F and the cross values from the lift are rejected — the non-lifted word is read and checked.
 * Every regime, many seeds, the witness (wide first fold) and M (narrow) as the cheating member.
 */
class WhirNonLiftedCodewordTest {
    static final List<WhirParameters> REGIMES = List.of(WhirParameters.PROVEN_UNIQUE, WhirParameters.PROVEN, WhirParameters.CONJECTURED);
    /** Seeds per regime (alternately the witness and M cheating); the control takes the first two. */
    static final int SEEDS = 6;
    static final int TABLE_VARS = 9;

    /** The adversary: whether R_j = f′_j + E (E ≠ 0), whether F is built from P_j, whether the claims on j are read from P_j. */
    enum Cheat {
        HONEST_RESTRICTION(false, true, true),
        RESTRICTION_DIFFERS(true, true, false),
        CLAIMS_OF_THE_RESTRICTION(true, true, true),
        /** Control: HONEST_RESTRICTION's copies, F and cross values from the lift. */
        COPIES_ONLY(false, false, false);

        final boolean differs;
        final boolean fromP;
        final boolean claimsFromP;

        Cheat(boolean differs, boolean fromP, boolean claimsFromP) {
            this.differs = differs;
            this.fromP = fromP;
            this.claimsFromP = claimsFromP;
        }
    }

    /** The carried parts' layouts: the witness (part 0) and M (part 1, narrow), each for one opening. */
    static List<HidingLayout> carried(WhirParameters params) {
        return List.of(HidingLayout.of(params, TABLE_VARS, 1), HidingLayout.narrow(params, TABLE_VARS, 1, null));
    }

    static WhirSchedule.Round first(HidingLayout l, WhirParameters params) {
        return l.schedule(params).rounds().getFirst();
    }

    /** log2 of the carrier's leaf count with weights of {@code weightsVars} on top: its widest part's fibres. */
    static int logLeaves(WhirParameters params, int weightsVars) {
        return Stream.concat(carried(params).stream(), Stream.of(HidingLayout.of(params, weightsVars, 8)))
                .map(l -> first(l, params)).mapToInt(r -> r.logDomain() - r.fold()).max().orElseThrow();
    }

    /** The smallest weights (on top) whose carrier has more leaves than either carried member's domain has points: c > ℓ_j. */
    static int weightsVars(WhirParameters params) {
        for (int n = 10; ; n++) {
            int c = logLeaves(params, n);
            if (carried(params).stream().allMatch(l -> c > first(l, params).logDomain())) {
                return n;
            }
        }
    }

    record Outcome(boolean accepted, int alteredReads, String rejection) {}

    /** One proof of the cheating prover: witness (member 0, part 0), the weights (member 1, top, g carried), M (member 2, part 1). */
    static Outcome prove(WhirParameters params, long seed, int part, Cheat cheat) {
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(seed);
        int weightsVars = weightsVars(params);
        long[] weights = randomTable(weightsVars, rng);
        long[][] tables = {randomTable(TABLE_VARS, rng), randomTable(TABLE_VARS, rng)};
        WhirHidingCommitment cw = (WhirHidingCommitment) pcs.commitHiding(weights, 8, new SplittableRandom(rng.nextLong()));
        WhirSchedule.Round top = cw.schedule.rounds().getFirst();
        HidingLayout layout = carried(params).get(part);
        WhirSchedule.Round own = first(layout, params);
        int vTop = cw.layout.vars();
        int d = vTop - layout.vars();
        int c = logLeaves(params, weightsVars);
        int l = top.logDomain();
        int lj = own.logDomain();
        assertTrue(c > lj && l - c < d, "the carrier reads member " + part + " on 2^" + c + " slots, its domain has 2^" + lj + " points");

        // Δ over V variables (variable k = bit k): x_e·H(x_d, …) (+ E(x_d, …)), and its codeword on L
        int e = l - c + rng.nextInt(d - (l - c));
        long[] h = randomTable(layout.vars(), rng);
        long[] eTable = randomTable(layout.vars(), rng);
        long[] delta = new long[1 << vTop];
        for (int b = 0; b < delta.length; b++) {
            long v = ((b >>> e) & 1) == 1 ? h[b >>> d] : 0;
            delta[b] = cheat.differs ? Goldilocks.add(v, eTable[b >>> d]) : v;
        }
        long[] deltaCoefficients = delta.clone();
        Codewords.toCoefficients(deltaCoefficients);
        long[] deltaCode = Codewords.encode(deltaCoefficients, l);
        boolean lifted = true;
        for (int i = 0; i < deltaCode.length; i++) {
            assertEquals(deltaCode[i & ((1 << c) - 1)], deltaCode[i], "Δ's word is a function of the slot the verifier reads");
            lifted &= deltaCode[i] == deltaCode[i & ((1 << lj) - 1)];
        }
        assertFalse(lifted, "Δ's word is not a function of x^(2^d_j): P_j is not a lift");

        // The carrier holds member j's fibre once (injected at its height): the cheater's best is one value per slot, Δ's value at
        // the slot's own point i < 2^ℓ_j; every point i′ ≡ i mod 2^ℓ_j of L reads it, so the word read is a lift, not P_j's.
        Map<Integer, Integer> writes = new ConcurrentHashMap<>();
        Carrier.Edits copies = (p, j, values) -> {
            if (p == part) {
                boolean altered = false;
                for (int at = 0; at < 1 << own.fold(); at++) {
                    int i = j + at * own.fibres();
                    values[2 * at] = Goldilocks.add(values[2 * at], deltaCode[i]);
                    altered |= deltaCode[i] != 0;
                }
                if (altered) {
                    writes.merge(j, 1, Integer::sum); // once when committed, again when opened
                }
            }
        };
        List<WhirHidingCommitment> cs = WhirHidingCommitment.commitCarried(List.of(new WhirHidingCommitment.Carried(tables[0], 1, -1, false),
                new WhirHidingCommitment.Carried(tables[1], 1, -1, true)), cw, new SplittableRandom(rng.nextLong()), params, MerkleNode.PADDED, copies);
        assertEquals(c, cs.getFirst().carrier.logLeaves);
        assertEquals(layout, cs.get(part).layout);
        int member = part == 0 ? 0 : 2;
        long[] pTable = lift(cs.get(part).evaluations(), delta, d);

        List<PcsOpening> os = new ArrayList<>();
        Ext2[] px = randomPoint(TABLE_VARS, rng);
        os.add(new PcsOpening(cs.get(0), px, claim(part == 0 && cheat.claimsFromP, tables[0], pTable, px, layout.vars())));
        Ext2[] pw = randomPoint(weightsVars, rng);
        os.add(new PcsOpening(cs.get(2), pw, Mle.evaluate(weights, pw)));
        for (int k = 0; k < 3; k++) {
            Ext2[] pm = randomPoint(TABLE_VARS, rng);
            os.add(new PcsOpening(cs.get(1), pm, claim(part == 1 && cheat.claimsFromP, tables[1], pTable, pm, layout.vars())));
        }
        for (PcsOpening o : os) {
            long[] honest = o.commitment() == cs.get(2) ? weights : o.commitment() == cs.get(0) ? tables[0] : tables[1];
            Ext2 truth = Mle.evaluate(honest, o.point());
            if (cheat == Cheat.HONEST_RESTRICTION) { // j's read from P_j at the lifted points
                assertEquals(truth, o.value(), "a claim the run proves is the honest table's");
            } else if (cheat.differs && o.commitment() == cs.get(part)) {
                assertNotEquals(truth, claim(true, honest, pTable, o.point(), layout.vars()), "R_j differs from the honest table where a claim reads");
            }
        }
        WhirProof proof = WhirProver.open(params, transcript(), os, new WhirProver.Deviation() {
            @Override
            public boolean checksClaims() {
                return false;
            }

            @Override
            public long[] batchMember(int g, int j, long[] table) {
                return cheat.fromP && j == member ? lift(table, delta, d) : table;
            }
        });
        int reads = (int) writes.values().stream().filter(n -> n >= 2).count();
        try {
            pcs.verify(transcript(), claims(os), proof);
            return new Outcome(true, reads, null);
        } catch (PcsRejectedException ex) {
            return new Outcome(false, reads, ex.getMessage());
        }
    }

    /** P_j's table over V variables: f′_j lifted (entry b reads f′_j[b >> d]) plus Δ. */
    static long[] lift(long[] table, long[] delta, int d) {
        long[] out = new long[delta.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = Goldilocks.add(table[b >>> d], delta[b]);
        }
        return out;
    }

    /** The claim at p: P_j's value at the lifted point (0^d, p, 0, …), or the honest table's. */
    static Ext2 claim(boolean fromP, long[] table, long[] pTable, Ext2[] p, int vars) {
        int vTop = Integer.numberOfTrailingZeros(pTable.length);
        return fromP ? Mle.evaluate(pTable, Batching.lift(HidingOpening.embed(p, vars), vTop)) : Mle.evaluate(table, p);
    }

    static void everyRegime(Cheat cheat, int seeds, BiConsumer<String, Outcome> check) {
        for (WhirParameters params : REGIMES) {
            for (int s = 0; s < seeds; s++) {
                int part = s % 2;
                String trial = params.soundness() + " seed " + s + " member " + (part == 0 ? "witness" : "M") + " " + cheat;
                check.accept(trial, prove(params, 1000L * s + part, part, cheat));
            }
        }
    }

    /**
     * E = 0, F built from the non-lifted P_j: rejected since branch inject29 (adv28 found it accepted when the carrier copied
     * member j's leaf into several carrier leaves, each copy free): the carrier now commits each fibre once, the word read is a
     * lift, and F's values at the opened points where P_j differs from it fail the fold.
     */
    @Test
    void aNonLiftedCodewordIsRejectedNowThatEachFibreIsCommittedOnce() {
        everyRegime(Cheat.HONEST_RESTRICTION, SEEDS, (trial, o) -> {
            assertFalse(o.accepted(), trial);
            assertTrue(o.alteredReads() > 0, trial + ": no opened fibre holds an altered value");
        });
    }

    /** E ≠ 0 with the claims on the honest table, or on R_j (false of the committed table): rejected. */
    @Test
    void aNonLiftedCodewordWhoseRestrictionDiffersIsRejected() {
        for (Cheat cheat : List.of(Cheat.RESTRICTION_DIFFERS, Cheat.CLAIMS_OF_THE_RESTRICTION)) {
            everyRegime(cheat, SEEDS, (trial, o) -> assertFalse(o.accepted(), trial));
        }
    }

    /** The altered fibres alone (F and cross values from the lift) are rejected too: the altered word is read and checked. */
    @Test
    void controlTheNonLiftedCopiesAloneAreRejected() {
        everyRegime(Cheat.COPIES_ONLY, 2, (trial, o) -> {
            assertTrue(o.alteredReads() > 0, trial);
            assertFalse(o.accepted(), trial);
        });
    }
}
