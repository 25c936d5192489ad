package dev.verinfer.whir;

import dev.verinfer.merkle.MerkleNode;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
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
import java.util.stream.IntStream;

import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero-knowledge of hiding openings as a rank test. Every value an opening sends is a linear functional of
 * the table f and the masks (ĥ of the commitment, g of each opening), written by
 * {@link WhirOpeningExtractor} and checked against the true values. The values are then uniform subject to
 * the public claims exactly when the rows gain no rank on f beyond the claims' own once the masks are
 * eliminated: any combination of rows free of masks is a combination of the claims. So two tables with the
 * same claimed values give identically distributed openings (and a simulator samples the values as
 * uniform solutions of the claims). Plain openings of the same table gain full rank: the test can fail.
 * Small parameters (rate 1/2, folding 2, few queries) keep the matrices small; the count of functionals
 * per opening ({@link HidingLayout}) is the same as for the real ones.
 */
class WhirZeroKnowledgeTest {
    static WhirParameters tiny(WhirParameters.Soundness soundness) {
        return new WhirParameters(soundness, 1, 2, 2, soundness == WhirParameters.Soundness.UNIQUE_DECODING ? 3 : 5);
    }

    /** One opening's rows and its unknowns (f′'s coefficients, then g's for a hiding group), and its group as sent. */
    record Opening(List<WhirOpeningExtractor.Row> rows, long[] unknowns, List<PcsClaim> claims, WhirVerifier.Coins coins, WhirProof.Group group) {}

    static Opening open(WhirParameters params, PcsCommitment c, long[] table, int points, SplittableRandom rng) throws PcsRejectedException {
        return open(params, c, table, points, null, rng);
    }

    /** {@link #open}, with g's coefficients off {@code support} set to zero before g is committed (null: the built g). */
    static Opening open(WhirParameters params, PcsCommitment c, long[] table, int points, boolean[] support, SplittableRandom rng)
            throws PcsRejectedException {
        return open(params, c, table, points, support, true, rng);
    }

    /** {@link #open}; {@code checksHiding} false: claims the layout does not hide are opened anyway (a control). */
    static Opening open(WhirParameters params, PcsCommitment c, long[] table, int points, boolean[] support, boolean checksHiding,
                        SplittableRandom rng) throws PcsRejectedException {
        List<PcsOpening> openings = new ArrayList<>();
        for (int k = 0; k < points; k++) {
            Ext2[] p = randomPoint(c.numVars(), rng);
            openings.add(new PcsOpening(c, p, Mle.evaluate(table, p)));
        }
        long[][] mask = new long[1][];
        WhirProof proof = WhirProver.open(params, transcript(), openings, new WhirProver.Deviation() {
            @Override
            public boolean checksHiding() {
                return checksHiding;
            }

            @Override
            public void mask(int g, long[] coefficients) {
                for (int i = 0; support != null && i < coefficients.length; i++) {
                    if (!support[i]) {
                        coefficients[i] = 0;
                    }
                }
                mask[0] = coefficients.clone();
            }
        });
        List<PcsClaim> claims = WhirPcsTest.claims(openings);
        List<WhirVerifier.Coins> coins = new ArrayList<>();
        WhirVerifier.verify(params, MerkleNode.PADDED, transcript(), claims, proof, coins);
        List<WhirOpeningExtractor.Row> rows = WhirOpeningExtractor.extract(params, claims, proof.groups().getFirst(), coins.getFirst());
        WhirCommitment wc = (WhirCommitment) c;
        long[] f = wc.coefficients; // a hiding commitment's f′; a plain one keeps none: f's from its table
        if (f == null) {
            f = wc.table.clone();
            Codewords.toCoefficients(f);
        }
        long[] unknowns = f;
        if (c instanceof WhirHidingCommitment h && h.once()) {
            mask[0] = h.onceMask; // drawn at commit time, in f′'s tree
        }
        if (mask[0] != null) {
            unknowns = new long[2 * f.length];
            System.arraycopy(f, 0, unknowns, 0, f.length);
            System.arraycopy(mask[0], 0, unknowns, f.length, f.length);
        }
        for (WhirOpeningExtractor.Row row : rows) {
            assertEquals(row.value(), row.apply(unknowns), "the extractor's functional of " + row.what());
        }
        return new Opening(rows, unknowns, claims, coins.getFirst(), proof.groups().getFirst());
    }

    /**
     * Rank gained on f (2^n coefficients) by the openings, beyond the claims, with every mask eliminated:
     * f′'s coefficients past 2^n are the shared ĥ; each hiding opening's g has columns of its own.
     */
    static int rankGained(int tableVars, List<Opening> openings) {
        int size = 1 << tableVars;
        int vars = Integer.numberOfTrailingZeros(openings.getFirst().unknowns().length) - (openings.getFirst().unknowns().length > size ? 1 : 0);
        boolean hiding = vars > tableVars;
        int h = hiding ? (1 << vars) - size : 0;
        int g = hiding ? 1 << vars : 0;
        int nuisance = h + openings.size() * g;
        Echelon all = new Echelon(nuisance, size);
        Echelon statement = new Echelon(nuisance, size);
        for (int o = 0; o < openings.size(); o++) {
            for (PcsClaim c : openings.get(o).claims()) {
                Ext2[] mono = WhirOpeningExtractor.monomials(c.point());
                long[] re = new long[nuisance + size];
                long[] im = new long[nuisance + size];
                for (int i = 0; i < size; i++) {
                    re[nuisance + i] = mono[i].c0();
                    im[nuisance + i] = mono[i].c1();
                }
                for (long[] row : new long[][] {re, im}) {
                    all.add(row.clone());
                    statement.add(row);
                }
            }
            for (WhirOpeningExtractor.Row row : openings.get(o).rows()) {
                for (long[] part : new long[][] {row.c0(), row.c1()}) {
                    long[] r = new long[nuisance + size];
                    for (int i = 0; i < part.length; i++) {
                        if (part[i] == 0) {
                            continue;
                        }
                        int column = i < size ? nuisance + i : i < (1 << vars) ? i - size : h + o * g + (i - (1 << vars));
                        r[column] = part[i];
                    }
                    all.add(r);
                }
            }
        }
        return all.privateRank - statement.privateRank;
    }

    /** Incremental Gaussian elimination over Goldilocks, nuisance columns first. */
    static final class Echelon {
        final int nuisance;
        final List<long[]> rows = new ArrayList<>();
        final List<Integer> pivots = new ArrayList<>();
        int privateRank;

        Echelon(int nuisance, int privateDim) {
            this.nuisance = nuisance;
        }

        void add(long[] v) {
            for (int k = 0; k < rows.size(); k++) {
                int p = pivots.get(k);
                long f = v[p];
                if (f != 0) {
                    long[] row = rows.get(k);
                    for (int c = p; c < v.length; c++) {
                        if (row[c] != 0) {
                            v[c] = Goldilocks.sub(v[c], Goldilocks.mul(f, row[c]));
                        }
                    }
                }
            }
            int pivot = 0;
            while (pivot < v.length && v[pivot] == 0) {
                pivot++;
            }
            if (pivot == v.length) {
                return;
            }
            long inv = Goldilocks.inverse(v[pivot]);
            for (int c = pivot; c < v.length; c++) {
                v[c] = Goldilocks.mul(v[c], inv);
            }
            rows.add(v);
            pivots.add(pivot);
            if (pivot >= nuisance) {
                privateRank++;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void hidingOpeningsGainNoRankUpToTheBudgetWherePlainOnesRevealTheTable(WhirParameters.Soundness soundness) throws Exception {
        WhirParameters params = tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(soundness.ordinal());
        for (int n : new int[] {0, 1, 3, 4}) {
            assertHidingOpeningsGainNoRank(params, pcs, n, 3, rng);
        }
        int n = 3;
        // A budget the plain first fold does not cover at the smallest arity: f′'s first iteration folds one variable.
        int wide = smallestBudgetFoldingOne(params, n);
        assertEquals(1, assertHidingOpeningsGainNoRank(params, pcs, n, wide, rng).firstFold());
        long[] table = randomTable(n, rng);
        List<Opening> plain = List.of(open(params, pcs.commit(table), table, 1, rng));
        int gained = rankGained(n, plain);
        assertEquals((1 << n) - 2, gained, "a plain opening reveals the whole table beyond its claim (two base functionals)");
    }

    /**
     * A commitment made for one opening ({@link WhirHidingCommitment#commitOnce}: g in f′'s tree, its leaves the
     * (f′, g) pairs) gains on f exactly what an opening with its own g's tree gains, and no rank at all; a second
     * opening is refused. With the plain first fold and with a first fold of one. Claims that nearly fix a small
     * table are refused by both layouts ({@link HidingLayout#claimsHide}; swept in
     * {@link #claimsThatNearlyFixASmallTableAreRefusedAndEveryOtherCountGainsNothing}).
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void aCommitmentForOneOpeningGainsNoMoreThanAnOpeningWithItsOwnMaskTree(WhirParameters.Soundness soundness) throws Exception {
        WhirParameters params = tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(10 + soundness.ordinal());
        int wide = smallestBudgetFoldingOne(params, 3);
        for (int[] nAndUnits : new int[][] {{0, 1}, {1, 1}, {3, 1}, {3, 2}, {3, wide}, {4, 1}}) {
            int n = nAndUnits[0];
            long[] table = randomTable(n, rng);
            for (int claims = 1; claims <= 3; claims++) {
                WhirHidingCommitment separate = (WhirHidingCommitment) pcs.commitHiding(table, nAndUnits[1], new SplittableRandom(rng.nextLong()));
                WhirHidingCommitment once = (WhirHidingCommitment) pcs.commitHidingOnce(table, nAndUnits[1], false, new SplittableRandom(rng.nextLong()));
                assertTrue(once.once());
                assertEquals(1, once.openingBudget());
                assertEquals(separate.layout.vars(), once.layout.vars());
                assertEquals(separate.layout.firstFold(), once.layout.firstFold());
                if (nAndUnits[1] == wide) {
                    assertEquals(1, once.layout.firstFold());
                }
                String what = soundness + ", " + claims + " claims, " + once.layout;
                // A once opening has no mask points of its own in the list regimes (HidingLayout.maskOod), so its face count is its own.
                boolean separateHides = separate.layout.claimsHide(params, claims, false);
                if (!once.layout.claimsHide(params, claims, false, true)) {
                    int c = claims;
                    if (!separateHides) {
                        assertThrows(IllegalArgumentException.class, () -> open(params, separate, table, c, rng), what);
                    }
                    assertThrows(IllegalArgumentException.class, () -> open(params, once, table, c, rng), what);
                    continue;
                }
                assertTrue(separateHides, "the once count is the stricter: " + what);
                int reference = rankGained(n, List.of(open(params, separate, table, claims, rng)));
                int gained = rankGained(n, List.of(open(params, once, table, claims, rng)));
                assertEquals(reference, gained, "once as with g's own tree, " + what);
                assertEquals(0, gained, what);
                assertEquals(0, once.openingsLeft());
                assertThrows(IllegalStateException.class, () -> open(params, once, table, 1, rng));
            }
        }
    }

    /**
     * Every claim count on tables of 2–16 entries, in every regime, with the plain first fold and with a first fold
     * of one: an opening either gains rank 0 on f beyond its claims or is refused because the claims nearly fix f
     * ({@link HidingLayout#faceFunctionals}). Before the refusal, iteration 0's sumcheck and the later oracles' face
     * parts gained f's last 2 functionals in one opening: 1 claim on 4 entries, 3 on 8, 6 and 7 on 16 (unique
     * decoding, first fold 2), 7 on 16 (conjectured, first fold 1) — each case below asserts rank 0 or a refusal.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void claimsThatNearlyFixASmallTableAreRefusedAndEveryOtherCountGainsNothing(WhirParameters.Soundness soundness) throws Exception {
        WhirParameters params = tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(20 + soundness.ordinal());
        int refused = 0;
        for (int n = 1; n <= 4; n++) {
            int wide = smallestBudgetFoldingOne(params, n);
            for (int units : new int[] {1, wide}) {
                long[] table = randomTable(n, rng);
                for (int claims = 1; 2 * claims <= (1 << n) + 2; claims++) {
                    WhirHidingCommitment once = (WhirHidingCommitment) pcs.commitHidingOnce(table, units, false, new SplittableRandom(rng.nextLong()));
                    String what = soundness + ", " + claims + " claims, " + once.layout;
                    if (once.layout.claimsHide(params, claims, false, true)) {
                        assertEquals(0, rankGained(n, List.of(open(params, once, table, claims, rng))), what);
                    } else {
                        int c = claims;
                        assertThrows(IllegalArgumentException.class, () -> open(params, once, table, c, rng), what);
                        assertTrue(2 * claims < (1 << n), "refused only while the claims leave f something to hide: " + what);
                        refused++;
                    }
                }
            }
        }
        assertTrue(refused > 0, "the sweep reaches the claim counts that nearly fix a table");
    }

    /**
     * A first fold wider than the face (k₀ &gt; n; 2026-12-06, branch zkcorner29, {@link HidingLayout#faceFunctionals}): iteration
     * 0's sumcheck binds every face variable and k₀ − n mask variables, and with F₁ (the final polynomial, or the later fibres
     * that read it whole) it reaches all of the face. Under {@link WhirParameters#PROVEN_UNIQUE} one claim on a 4-entry table
     * (v 11, k₀ 3; a commitment for one opening and one for a single opening alike) revealed the table whole: rank 2 beyond
     * the claim's own 2 functionals, from iteration 0's sumcheck and the values after it alone. Every shipped preset and the
     * rate-1/2, fold-4 parameters of every regime (where bytes28 met it: unique decoding, k₀ 3 and 4), tables of 0–4
     * variables, a commitment for one opening and commitments for 1 and 4 openings, 1–2 claims: with k₀ &gt; n an opening is
     * refused unless its claims fix f; every other opening is refused by the old count or gains rank 0 on f beyond its claims
     * — from iteration 0's sumcheck and everything after it ({@link #sumcheckAndLater}) in every case, from all its rows where
     * f′ has at most 2^9 coefficients (the larger presets' 2^10–2^12 make the whole elimination minutes long). The control opens
     * the refused ones anyway: the unique-decoding ones gain rank (proven-unique's 4-entry table 2), so the refusal is what
     * keeps them hidden.
     */
    @Test
    void aFirstFoldWiderThanTheFaceIsRefusedUnlessTheClaimsFixTheTable() throws Exception {
        // conjectured-evm's regime, rate, digests and Keccak trees at the presets' 14 bits of query grinding, not its 25: the layout
        // rule is the same, and 2^25 hashes an opening made this sweep's 30 openings most of its time
        WhirParameters evm = WhirParameters.CONJECTURED_EVM;
        WhirParameters evmGrindingLess = new WhirParameters(evm.soundness(), evm.logInverseRate(), evm.foldingFactor(), evm.finalVars(), evm.securityBits(),
                WhirParameters.QUERY_POW_BITS, evm.digestBytes(), evm.merkleHash());
        List<WhirParameters> all = new ArrayList<>(List.of(WhirParameters.PROVEN, WhirParameters.PROVEN_EVM, evmGrindingLess,
                WhirParameters.PROVEN_UNIQUE, WhirParameters.CONJECTURED));
        for (WhirParameters.Soundness soundness : WhirParameters.Soundness.values()) {
            all.add(new WhirParameters(soundness, 1, 4, 2, soundness == WhirParameters.Soundness.UNIQUE_DECODING ? 3 : 5));
        }
        SplittableRandom rng = new SplittableRandom(50);
        List<String> gaining = new ArrayList<>();
        int wide = 0;
        int whole = 0;
        for (WhirParameters params : all) {
            WhirPcs pcs = new WhirPcs(params);
            for (int n = 0; n <= 4; n++) {
                for (int units : new int[] {0, 1, 4}) { // 0: a commitment for one opening
                    for (int claims = 1; claims <= 2; claims++) {
                        long[] table = randomTable(n, rng);
                        WhirHidingCommitment c = (WhirHidingCommitment) (units == 0
                                ? pcs.commitHidingOnce(table, 1, false, new SplittableRandom(rng.nextLong()))
                                : pcs.commitHiding(table, units, new SplittableRandom(rng.nextLong())));
                        String what = params + ", " + claims + " claims, " + c.layout;
                        int k = claims;
                        if (c.layout.firstFold() > n && 2 * claims < 1 << n) {
                            wide++;
                            assertThrows(IllegalArgumentException.class, () -> open(params, c, table, k, rng), what);
                            int gained = sumcheckAndLater(n, open(params, c, table, claims, null, false, rng));
                            if (gained > 0) {
                                gaining.add(params.soundness() + " rate 2^-" + params.logInverseRate() + " n " + n + " k0 " + c.layout.firstFold() + " claims " + claims + ": " + gained);
                            }
                        } else if (!c.layout.claimsHide(params, claims, false, c.once())) {
                            assertThrows(IllegalArgumentException.class, () -> open(params, c, table, k, rng), what);
                        } else {
                            Opening o = open(params, c, table, claims, rng);
                            assertEquals(0, sumcheckAndLater(n, o), what);
                            if (c.layout.vars() <= 9) {
                                assertEquals(0, rankGained(n, List.of(o)), what);
                                whole++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(wide > 0 && whole > 0, "the sweep meets first folds wider than the face, and ranks whole openings: " + wide + ", " + whole);
        assertTrue(gaining.contains("UNIQUE_DECODING rate 2^-2 n 2 k0 3 claims 1: 2"), "proven-unique's 4-entry table, refusal skipped: " + gaining);
        assertTrue(gaining.stream().anyMatch(g -> g.startsWith("UNIQUE_DECODING rate 2^-1 n 2 k0 4")), "bytes28's corner, refusal skipped: " + gaining);
    }

    /**
     * Rank gained on f by an opening's iteration-0 sumcheck and every value after it (the functionals of F alone, without the
     * iteration-0 leaves and the values sent before ρ): a lower bound of {@link #rankGained}, quick where f′ is large.
     */
    static int sumcheckAndLater(int tableVars, Opening o) {
        List<WhirOpeningExtractor.Row> rows = o.rows().stream()
                .filter(r -> (r.what().startsWith("iteration ") && !r.what().startsWith("iteration 0 fibre")) || r.what().startsWith("final "))
                .toList();
        return rankGained(tableVars, List.of(new Opening(rows, o.unknowns(), o.claims(), o.coins(), o.group())));
    }

    private static HidingLayout assertHidingOpeningsGainNoRank(WhirParameters params, WhirPcs pcs, int n, int budget, SplittableRandom rng) throws Exception {
        long[] table = randomTable(n, rng);
        PcsCommitment hiding = pcs.commitHiding(table, budget, new SplittableRandom(7 + n));
        HidingLayout layout = ((WhirHidingCommitment) hiding).layout;
        assertTrue(layout.budget() >= budget, layout.toString());
        List<Opening> hidden = new ArrayList<>();
        for (int k = 0; k < 3; k++) { // the elimination grows with the openings; 3 keep the test quick
            int claims = 1 + k;
            while (claims > 1 && !layout.claimsHide(params, claims, false)) {
                claims--; // claims that nearly fix a small table are refused (claimsThatNearlyFixASmallTable…)
            }
            if (!layout.claimsHide(params, claims, false)) {
                int c = claims;
                assertThrows(IllegalArgumentException.class, () -> open(params, hiding, table, c, rng));
                continue;
            }
            hidden.add(open(params, hiding, table, claims, rng));
            assertEquals(0, rankGained(n, hidden), "hiding, " + (k + 1) + " openings of " + layout);
        }
        return layout;
    }

    /**
     * The mask in the table's own tail ({@link HidingLayout#tail}): f′ is f with uniform values in its last 2^d slots, v = n.
     * Unknowns: f′'s 2^n coefficients — the first 2^n − 2^d are f's (monomials without all top n − d variables, f's values off
     * the block), the rest f̂'s plus ĥ's, uniform — and g's 2^n. One opening, 1–3 claims: (a) at generic points, which read the
     * block as the zkml witness's one claim f′(ρ) does: its value is masked too, so the claims count as revealed, not as the
     * statement, and the opening gains <b>rank 0 on f</b>; (b) at points whose top n − d coordinates are boolean and not all 1
     * (an item's subcube, off the block): rank 0 beyond the claims. Negative control: a block of 2^k₀ slots, too small for the
     * fibres revealed, gains rank.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void aMaskInTheTablesTailGainsNoRankWhereATooSmallOneDoes(WhirParameters.Soundness soundness) throws Exception {
        WhirParameters params = tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(30 + soundness.ordinal());
        int tested = 0;
        for (int n = 1; n <= 9; n++) {
            for (int units = 1; units <= 2; units++) {
                HidingLayout layout = HidingLayout.tail(params, n, units);
                if (layout == null) {
                    continue;
                }
                assertEquals(n, layout.vars());
                assertTrue(layout.budget() >= units && layout.tailVars() >= layout.firstFold() && layout.tailVars() < n, layout.toString());
                for (int claims = 1; claims <= 3; claims++) {
                    for (boolean offBlock : new boolean[] {false, true}) {
                        long[] table = tailTable(n, layout.tailVars(), rng);
                        WhirHidingCommitment c = (WhirHidingCommitment) pcs.commitHidingOnceInTail(table, units, layout.tailVars(), false, null, new SplittableRandom(rng.nextLong()));
                        String what = soundness + ", " + claims + (offBlock ? " off-block" : " generic") + " claims, " + layout;
                        if (!layout.claimsHide(params, claims, false) || HidingLayout.openingUnits(layout.schedule(params), claims) > layout.budget()) {
                            int k = claims; // refused: too many claims for g, or each claim's 2 functionals of ĥ beyond the budget
                            assertThrows(RuntimeException.class, () -> openTail(params, c, k, offBlock, rng), what);
                            continue;
                        }
                        assertEquals(0, tailRankGained(n, layout.tailVars(), List.of(openTail(params, c, claims, offBlock, rng)), offBlock), what);
                        tested++;
                    }
                }
            }
        }
        assertTrue(tested > 0, "some small table takes the tail layout");
        // A block of 2^k₀ slots holds one fibre's worth of ĥ: an opening's t₀ fibres reveal more than it masks.
        int n = 9;
        HidingLayout small = new HidingLayout(n, n, 100, params.foldingFactor(), params.foldingFactor()); // its budget a lie
        long[] table = tailTable(n, small.tailVars(), rng);
        WhirHidingCommitment c = WhirHidingCommitment.commit(table, small, true, new SplittableRandom(rng.nextLong()), null, params, MerkleNode.PADDED);
        int gained = tailRankGained(n, small.tailVars(), List.of(openTail(params, c, 1, false, rng)), false);
        assertTrue(gained > 0, "a mask of 2^k₀ slots gains rank, " + soundness + ": " + gained);
    }

    /** A random table of n variables, zero on its last 2^d slots. */
    static long[] tailTable(int n, int d, SplittableRandom rng) {
        long[] table = randomTable(n, rng);
        java.util.Arrays.fill(table, table.length - (1 << d), table.length, 0);
        return table;
    }

    /** One opening of a tail commitment with claims at generic points, or at points off its block (an item's subcube). */
    static Opening openTail(WhirParameters params, WhirHidingCommitment c, int points, boolean offBlock, SplittableRandom rng) throws PcsRejectedException {
        List<PcsOpening> openings = new ArrayList<>();
        int n = c.numVars();
        for (int k = 0; k < points; k++) {
            Ext2[] p = randomPoint(n, rng);
            if (offBlock) {
                for (int j = c.layout.tailVars(); j < n; j++) {
                    p[j] = j == n - 1 ? Ext2.ZERO : rng.nextBoolean() ? Ext2.ONE : Ext2.ZERO;
                }
            }
            openings.add(new PcsOpening(c, p, Mle.evaluate(c.table, p)));
        }
        WhirProof proof = WhirProver.open(params, transcript(), openings, new WhirProver.Deviation() {});
        List<PcsClaim> claims = WhirPcsTest.claims(openings);
        List<WhirVerifier.Coins> coins = new ArrayList<>();
        WhirVerifier.verify(params, MerkleNode.PADDED, transcript(), claims, proof, coins);
        List<WhirOpeningExtractor.Row> rows = WhirOpeningExtractor.extract(params, claims, proof.groups().getFirst(), coins.getFirst());
        long[] unknowns = new long[2 << n];
        System.arraycopy(c.coefficients, 0, unknowns, 0, 1 << n);
        System.arraycopy(c.onceMask, 0, unknowns, 1 << n, 1 << n);
        for (WhirOpeningExtractor.Row row : rows) {
            assertEquals(row.value(), row.apply(unknowns), "the extractor's functional of " + row.what());
        }
        return new Opening(rows, unknowns, claims, coins.getFirst(), proof.groups().getFirst());
    }

    /**
     * Rank gained on f (f′'s first 2^n − 2^d coefficients) by tail openings, ĥ's columns (the rest of f′'s) and g's
     * eliminated; the claims are the statement when {@code claimsAreStatement}, else revealed values like the rest.
     */
    static int tailRankGained(int n, int d, List<Opening> openings, boolean claimsAreStatement) {
        int size = 1 << n;
        int priv = size - (1 << d);
        int nuisance = (1 << d) + openings.size() * size;
        Echelon all = new Echelon(nuisance, priv);
        Echelon statement = new Echelon(nuisance, priv);
        for (int o = 0; o < openings.size(); o++) {
            List<long[]> rows = new ArrayList<>();
            for (PcsClaim c : openings.get(o).claims()) {
                Ext2[] mono = WhirOpeningExtractor.monomials(c.point());
                long[] re = new long[nuisance + priv];
                long[] im = new long[nuisance + priv];
                for (int i = 0; i < size; i++) {
                    int column = i < priv ? nuisance + i : i - priv;
                    re[column] = mono[i].c0();
                    im[column] = mono[i].c1();
                }
                for (long[] row : new long[][] {re, im}) {
                    all.add(row.clone());
                    if (claimsAreStatement) {
                        statement.add(row);
                    }
                }
            }
            for (WhirOpeningExtractor.Row row : openings.get(o).rows()) {
                for (long[] part : new long[][] {row.c0(), row.c1()}) {
                    long[] r = new long[nuisance + priv];
                    for (int i = 0; i < part.length; i++) {
                        if (part[i] != 0) {
                            r[i < priv ? nuisance + i : i < size ? i - priv : (1 << d) + o * size + (i - size)] = part[i];
                        }
                    }
                    all.add(r);
                }
            }
        }
        return all.privateRank - statement.privateRank;
    }

    /** The smallest opening budget whose hiding layout of an n-variable table folds one variable first. */
    /**
     * An opening's oracles after iteration 0 go unsalted where {@link HidingLayout#unsaltedLaterOracles} holds (2026-12-06, branch
     * bytes28): every later oracle, its tree and what is read from it are functions of F₁ (F folded by iteration 0) and public
     * coins, so an unsalted tree reveals at most F₁. With the folding factor 4 (first folds 1 to 4 as the budget asks), where the
     * rule holds the proof's later rounds carry no salts, and the rows of everything the opening sends plus F₁ whole (one row per
     * coefficient) gain <b>no rank</b> on f beyond the opening's own; where it does not (a first fold of one: F₁ alone has as many
     * base functionals as g) the later rounds stay salted, and F₁ whole does gain rank under unique decoding (the control: the
     * count matters, the test can fail). The same for a commitment for one opening with its mask in the table's tail (the zkml
     * witness's layout, melspectrogram's top): F₁ whole gains nothing beyond the opening ({@link #tailRankGained}).
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void revealingTheFirstFoldWholeGainsNoRankWhereTheRuleDropsTheSalts(WhirParameters.Soundness soundness) throws Exception {
        WhirParameters params = new WhirParameters(soundness, 1, 4, 2, soundness == WhirParameters.Soundness.UNIQUE_DECODING ? 3 : 5);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(40 + soundness.ordinal());
        int unsalted = 0;
        int leaks = 0;
        for (int n : new int[] {2, 3, 4}) {
            for (int units : new int[] {1, 4, 16, smallestBudgetFoldingOne(params, n)}) {
                long[] table = randomTable(n, rng);
                WhirHidingCommitment c = (WhirHidingCommitment) pcs.commitHiding(table, units, new SplittableRandom(rng.nextLong()));
                if (c.schedule.rounds().size() < 2 || !c.layout.claimsHide(params, 1, false)) {
                    continue;
                }
                boolean rule = HidingLayout.unsaltedLaterOracles(c.schedule, 1 + c.schedule.commitOod() + HidingLayout.maskOod(c.schedule));
                Opening o = open(params, c, table, 1, rng);
                int sent = rankGained(n, List.of(o));
                int withF1 = rankGained(n, List.of(withFirstFold(params, o)));
                String what = soundness + ", n " + n + ", " + c.layout + ", rule " + rule + ", rank gained " + sent + " → " + withF1;
                for (int i = 1; i < o.group().rounds().size(); i++) {
                    WhirProof.Round r = o.group().rounds().get(i);
                    assertEquals(rule ? 0 : 2 * r.fibres().length, r.salts().length, "later salts as the rule says, " + what);
                }
                if (rule) {
                    assertEquals(sent, withF1, what);
                    unsalted++;
                } else if (withF1 > sent) {
                    leaks++;
                }
            }
        }
        // A commitment for one opening with its mask in the table's tail (the zkml witness's layout, melspectrogram's top): the same.
        int tails = 0;
        for (int n = 9; n <= 11; n++) { // the smallest tables that take the tail layout with these parameters
            HidingLayout layout = HidingLayout.tail(params, n, 2);
            if (layout == null || layout.schedule(params).rounds().size() < 2 || !layout.claimsHide(params, 1, false)
                    || HidingLayout.openingUnits(layout.schedule(params), 1) > layout.budget()) {
                continue;
            }
            long[] table = tailTable(n, layout.tailVars(), rng);
            WhirHidingCommitment c = (WhirHidingCommitment) pcs.commitHidingOnceInTail(table, 2, layout.tailVars(), false, null, new SplittableRandom(rng.nextLong()));
            boolean rule = HidingLayout.unsaltedLaterOracles(c.schedule, 1 + c.schedule.commitOod() + HidingLayout.maskOod(c.schedule, true));
            Opening o = openTail(params, c, 1, false, rng);
            String what = soundness + ", tail, n " + n + ", " + layout + ", rule " + rule;
            for (int i = 1; i < o.group().rounds().size(); i++) {
                assertEquals(rule ? 0 : 2 * o.group().rounds().get(i).fibres().length, o.group().rounds().get(i).salts().length, what);
            }
            if (rule) {
                assertEquals(tailRankGained(n, layout.tailVars(), List.of(o), false),
                        tailRankGained(n, layout.tailVars(), List.of(withFirstFold(params, o)), false), what);
                tails++;
            }
        }
        assertTrue(unsalted > 0 && tails > 0, soundness + ": unsalted openings met, " + unsalted + " and " + tails + " in the tail");
        if (soundness == WhirParameters.Soundness.UNIQUE_DECODING) {
            assertTrue(leaks > 0, "after a first fold of one F₁ whole gains rank: the rule's count is needed");
        }
    }

    /** The opening's rows with F₁ whole added ({@link WhirOpeningExtractor#extract} with {@code firstFold}). */
    private static Opening withFirstFold(WhirParameters params, Opening o) {
        List<WhirOpeningExtractor.Row> rows = new ArrayList<>(o.rows());
        rows.addAll(WhirOpeningExtractor.extract(params, o.claims(), o.group(), o.coins(), true).stream().filter(r -> r.what().startsWith("F1 ")).toList());
        return new Opening(rows, o.unknowns(), o.claims(), o.coins(), o.group());
    }

    static int smallestBudgetFoldingOne(WhirParameters params, int n) {
        return IntStream.rangeClosed(1, 1 << 12).filter(b -> HidingLayout.of(params, n, b).firstFold() == 1).findFirst().orElseThrow();
    }
}
