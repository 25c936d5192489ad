package dev.verinfer.whir;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recomputes the soundness of the preset schedules from their parameters alone — the closed forms of
 * WHIR's round-by-round errors (ACFY24 Thm 5.2) as {@link WhirParameters} states them, with the rate and
 * domain of each iteration re-derived from (n, ρ₀, k, the domain reduction) — and checks that the bits
 * {@link WhirSchedule#securityBits()} claims (and {@code PcsSecurity} advertises, ≈ 100) are those, for
 * every n the presets allow and for hiding schedules too.
 */
class WhirSecurityBitsTest {
    private static final double LOG_K = 2 * Math.log(0xFFFFFFFF00000001L + 0x1p64) / Math.log(2); // log2 |F_p²|

    @Test
    void theClaimedBitsFollowFromTheParameters() {
        for (WhirParameters p : List.of(WhirParameters.PROVEN, WhirParameters.PROVEN_EVM, WhirParameters.PROVEN_UNIQUE, WhirParameters.CONJECTURED,
                WhirParameters.CONJECTURED_EVM)) {
            for (int n = 0; n <= p.maxNumVars(); n++) {
                double plain = recompute(p, p.schedule(n), false, 1);
                assertEquals(plain, p.schedule(n).securityBits(), 1e-6, p.soundness() + " n=" + n);
                assertTrue(plain >= p.securityBits(), p.soundness() + " n=" + n + ": " + plain + " bits");
                for (int k0 = WhirParameters.HIDING_FIRST_FOLD; n > 0 && k0 <= p.foldingFactor(); k0++) {
                    WhirSchedule s = p.hidingSchedule(n, k0);
                    double bits = recompute(p, s, true, 1);
                    assertEquals(bits, s.securityBits(), 1e-6, p.soundness() + " n=" + n + " k0=" + k0);
                    assertTrue(bits >= p.securityBits(), p.soundness() + " n=" + n + " k0=" + k0 + ": " + bits + " bits");
                }
            }
        }
    }

    /**
     * The Johnson presets (PROVEN at rate 1/8, PROVEN_EVM at 1/32) at every n they allow, batches of up to 256 included: ≥ 100 bits from BCHKS25's
     * bound recomputed here from the multiplicity alone. The schedules have no slack to spare: under a
     * proximity-gap count twice BCHKS25's they fall below 100 bits, and one query fewer in any iteration
     * would too; with {@link #theClaimedBitsFollowFromTheParameters} (the code's bits equal these), a
     * weakened formula in the code fails here.
     */
    @Test
    void theJohnsonPresetsReachTheirTargetAndOnlyJust() {
        for (WhirParameters p : List.of(WhirParameters.PROVEN, WhirParameters.PROVEN_EVM)) {
            assertEquals(WhirParameters.Soundness.JOHNSON_BOUND, p.soundness());
            reachesItsTargetAndOnlyJust(p);
        }
        assertEquals(25, WhirParameters.PROVEN.maxNumVars());
        assertEquals(23, WhirParameters.PROVEN_EVM.maxNumVars());
    }

    /**
     * CONJECTURED_EVM (the up-to-capacity conjectures at rate 1/128, 25 bits of query grinding, 25-byte Keccak-256 digests) at
     * every n it allows, batches of up to 256 included: ≥ 100 bits with the conjectured list size and line count |L|/η
     * recomputed here, and one query fewer in any iteration would fall below. Its fold and combination errors are ground to the
     * target as CONJECTURED's are. 25 bits is the least grinding that draws alexa_v0.1's run (18 variables) its 11, 9, 8
     * queries: a query carries 6.83, 8.42, 9.42 bits there (η = 2^−10), so 21–24 bits leave 20 bits' 12, 10, 9.
     */
    @Test
    void theConjecturedEvmPresetReachesItsTargetAndOnlyJust() {
        WhirParameters p = WhirParameters.CONJECTURED_EVM;
        assertEquals(WhirParameters.Soundness.CAPACITY_CONJECTURE, p.soundness());
        assertEquals(7, p.logInverseRate());
        assertEquals(25, p.queryPowBits());
        assertEquals(25, p.digestBytes());
        assertEquals(dev.verinfer.merkle.MerkleHash.KECCAK256, p.merkleHash());
        assertEquals(21, p.maxNumVars());
        reachesItsTargetAndOnlyJust(p);
        assertEquals(java.util.List.of(11, 9, 8), p.schedule(18).rounds().stream().map(WhirSchedule.Round::queries).toList());
        for (int bits = 20; bits < 25; bits++) {
            WhirParameters less = new WhirParameters(p.soundness(), p.logInverseRate(), p.foldingFactor(), p.finalVars(), p.securityBits(), bits,
                    p.digestBytes(), p.merkleHash());
            assertEquals(java.util.List.of(12, 10, 9), less.schedule(18).rounds().stream().map(WhirSchedule.Round::queries).toList(), bits + " bits");
        }
    }

    /**
     * ≥ 100 bits at every n, batches included, and one query fewer in any iteration below 100; at the Johnson radius also below
     * 100 under a proximity-gap count twice BCHKS25's.
     */
    private static void reachesItsTargetAndOnlyJust(WhirParameters p) {
        for (int n = 0; n <= p.maxNumVars(); n++) {
            WhirSchedule s = p.schedule(n);
            assertTrue(recompute(p, s, false, 1) >= 100, "rate 1/" + (1 << p.logInverseRate()) + " n=" + n);
            for (int m : new int[] {2, 3, 4, 16, 256}) {
                assertTrue(s.securityBits(m) >= 100, "rate 1/" + (1 << p.logInverseRate()) + " n=" + n + " batch of " + m + ": " + s.securityBits(m));
                assertTrue(batchBits(p, s, m) + s.batchPowBits(m) >= 100, "rate 1/" + (1 << p.logInverseRate()) + " n=" + n + " batch of " + m);
            }
            if (n >= 8 && p.soundness() == WhirParameters.Soundness.JOHNSON_BOUND) {
                assertTrue(recompute(p, s, false, 2) < 100, "a doubled proximity-gap count still passes at rate 1/" + (1 << p.logInverseRate()) + " n=" + n);
            }
            for (WhirSchedule.Round r : s.rounds()) {
                double perQuery = -log2(code(p.soundness(), r.vars(), r.logDomain()).far);
                assertTrue((r.queries() - 1) * perQuery + p.queryPowBits() < 100, "one query fewer would do at rate 1/" + (1 << p.logInverseRate()) + " n=" + n);
            }
        }
    }

    /** The unique-decoding preset's per-query bits: −log2((1 + ρ)/2) at ρ = 1/4, 1/16, 1/64, … (never above 1). */
    @Test
    void uniqueDecodingQueriesCarryAtMostOneBitEach() {
        WhirSchedule s = WhirParameters.PROVEN_UNIQUE.schedule(22);
        double rate = 0.25;
        for (WhirSchedule.Round r : s.rounds()) {
            double perQuery = -log2((1 + rate) / 2);
            assertTrue(perQuery < 1);
            assertEquals((int) Math.ceil((100 - WhirParameters.QUERY_POW_BITS) / perQuery), r.queries());
            rate /= 1 << (r.fold() - WhirParameters.DOMAIN_REDUCTION);
        }
    }

    /**
     * The minimum over the round-by-round errors, each recomputed from the regime's closed form, with the
     * line's exceptional count scaled by gapFactor (1 for the bound itself); {@code hiding} for a {@link WhirParameters#hidingSchedule}.
     */
    private static double recompute(WhirParameters p, WhirSchedule s, boolean hiding, double gapFactor) {
        WhirParameters.Soundness regime = p.soundness();
        int vars = s.numVars(), logDomain = s.numVars() + p.logInverseRate();
        double min = Double.POSITIVE_INFINITY;
        int previousOod = regime == WhirParameters.Soundness.UNIQUE_DECODING ? 0 : 2; // the commitment's own out-of-domain samples
        for (int i = 0; i < s.rounds().size(); i++) {
            WhirSchedule.Round r = s.rounds().get(i);
            assertEquals(vars, r.vars());
            assertEquals(logDomain, r.logDomain());
            Code c = code(regime, vars, logDomain);
            double query = -r.queries() * log2(c.far) + p.queryPowBits();
            // Fold: 3ℓ/|K| (degree-2 sumcheck) + a/|K|, a the line's exceptional count.
            double fold = -log2(3 * c.list / Math.pow(2, LOG_K) + gapFactor * c.gap / Math.pow(2, LOG_K)) + r.powBits();
            min = Math.min(min, Math.min(query, fold));
            int nextVars = vars - r.fold();
            // The domain shrinks 4×, but by 2^(k₀ − 1) after a hiding schedule's first fold (the rate halves there), and
            // after a narrow one not at all after the iteration that follows it (bytes28).
            boolean narrow = s.rounds().getFirst().fold() < p.foldingFactor();
            int reduction = hiding && i == 0 ? r.fold() - 1 : hiding && narrow && i == 1 ? 0 : Math.min(2, r.fold());
            int nextDomain = Math.max(nextVars + 1, logDomain - reduction);
            if (i < s.rounds().size() - 1) {
                // γ combines t + ood + 1 constraints on f_{i+1}: ℓ_{i+1}(t + ood + 1)/|K| (never below ℓ_i's).
                double list = Math.max(c.list, code(regime, nextVars, nextDomain).list);
                min = Math.min(min, LOG_K - log2(list) - log2(r.queries() + r.ood() + 1) + r.combinePowBits());
            }
            if (previousOod > 0) {
                // Out of domain: ℓ²·(2^n_i / 2|K|)^s.
                min = Math.min(min, -(2 * log2(c.list) + previousOod * (vars - 1 - LOG_K)));
            }
            previousOod = r.ood();
            vars = nextVars;
            logDomain = nextDomain;
        }
        assertEquals(vars, s.finalVars());
        return min;
    }

    /** One iteration's code at its regime's δ: 1 − δ, the list size ℓ and a line's exceptional count a. */
    private record Code(double far, double list, double gap) {
    }

    private static Code code(WhirParameters.Soundness regime, int vars, int logDomain) {
        double rate = Math.pow(2, vars - logDomain);
        double size = Math.pow(2, logDomain);
        return switch (regime) {
            // δ = (1 − ρ)/2, ℓ = 1, a = |L| (BCIKS20 Thm 1.4).
            case UNIQUE_DECODING -> new Code((1 + rate) / 2, 1, size);
            // δ = 1 − ρ − η, η = max(ρ/16, 2^−10), ℓ = a = |L|/η (conjectured).
            case CAPACITY_CONJECTURE -> {
                double eta = Math.max(rate / 16, 0x1p-10);
                yield new Code(rate + eta, size / eta, size / eta);
            }
            // δ = 1 − √ρ − η, η = √ρ/2m (m ≥ 3), ℓ = 1/(2η√ρ), a from BCHKS25 Thm 4.2.
            case JOHNSON_BOUND -> {
                int m = WhirParameters.johnsonMultiplicity(logDomain, vars - logDomain);
                assertTrue(m >= 3 && m <= 8);
                double eta = Math.sqrt(rate) / (2 * m);
                double delta = 1 - Math.sqrt(rate) - eta;
                double mh = m + 0.5;
                double a = (2 * Math.pow(mh, 5) + 3 * mh * delta * rate) / (3 * Math.pow(rate, 1.5)) * size + mh / Math.sqrt(rate);
                yield new Code(1 - delta, 1 / (2 * eta * Math.sqrt(rate)), a);
            }
        };
    }

    /** The batching step: a curve of degree m − 1, (m − 1)·(3ℓ + a)/|K|, and the constraints' ℓ(m − 1)/|K|. */
    private static double batchBits(WhirParameters p, WhirSchedule s, int m) {
        WhirSchedule.Round r = s.rounds().getFirst();
        Code c = code(p.soundness(), r.vars(), r.logDomain());
        double error = (m - 1) * (3 * c.list + c.gap) / Math.pow(2, LOG_K) + (m - 1) * c.list / Math.pow(2, LOG_K);
        return -log2(error);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
