package dev.verinfer.whir;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recomputes the soundness of the preset schedules from their parameters alone — the closed forms of
 * WHIR's round-by-round errors (ACFY24 Thm 5.2) as {@link WhirParameters} states them, with the rate and
 * domain of each iteration re-derived from (n, ρ₀, k, the domain reduction) — and checks that the bits
 * {@link WhirSchedule#securityBits()} claims (and {@code PcsSecurity} advertises, ≈ 100) are those.
 */
class WhirSecurityBitsTest {
    private static final double LOG_K = 2 * Math.log(0xFFFFFFFF00000001L + 0x1p64) / Math.log(2); // log2 |F_p²|

    @Test
    void theClaimedBitsFollowFromTheParameters() {
        for (WhirParameters p : List.of(WhirParameters.PROVEN, WhirParameters.CONJECTURED)) {
            for (int n = 0; n <= 24; n++) {
                WhirSchedule s = p.schedule(n);
                double bits = recompute(p, s);
                assertEquals(bits, s.securityBits(), 1e-6, p.soundness() + " n=" + n);
                assertTrue(bits >= p.securityBits(), p.soundness() + " n=" + n + ": " + bits + " bits");
            }
        }
    }

    /** The proven preset's per-query bits: −log2((1 + ρ)/2) at ρ = 1/4, 1/16, 1/64, … (unique decoding, never above 1). */
    @Test
    void provenQueriesCarryAtMostOneBitEach() {
        WhirSchedule s = WhirParameters.PROVEN.schedule(22);
        double rate = 0.25;
        for (WhirSchedule.Round r : s.rounds()) {
            double perQuery = -log2((1 + rate) / 2);
            assertTrue(perQuery < 1);
            assertEquals((int) Math.ceil((100 - WhirParameters.QUERY_POW_BITS) / perQuery), r.queries());
            rate /= 1 << (r.fold() - WhirParameters.DOMAIN_REDUCTION);
        }
    }

    private static double recompute(WhirParameters p, WhirSchedule s) {
        boolean proven = p.soundness() == WhirParameters.Soundness.UNIQUE_DECODING;
        int vars = s.numVars(), logDomain = s.numVars() + p.logInverseRate();
        double min = Double.POSITIVE_INFINITY;
        int previousOod = proven ? 0 : 2; // the commitment's own out-of-domain samples
        for (int i = 0; i < s.rounds().size(); i++) {
            WhirSchedule.Round r = s.rounds().get(i);
            assertEquals(vars, r.vars());
            assertEquals(logDomain, r.logDomain());
            double rate = Math.pow(2, vars - logDomain);
            double eta = Math.max(rate / 16, 0x1p-10);
            // δ: unique decoding (1 − ρ)/2, or capacity 1 − ρ − η with list size ℓ ≤ |L|/η.
            double delta = proven ? (1 - rate) / 2 : 1 - rate - eta;
            double logList = proven ? 0 : logDomain - log2(eta);
            double query = -r.queries() * log2(1 - delta) + p.queryPowBits();
            // Fold: 3ℓ/|K| (degree-2 sumcheck) + the line's proximity gap: |L|/|K| (BCIKS20 Thm 1.4) or ℓ/|K| conjectured.
            double fold = -log2(3 * Math.pow(2, logList - LOG_K) + Math.pow(2, (proven ? logDomain : logList) - LOG_K)) + r.powBits();
            min = Math.min(min, Math.min(query, fold));
            if (i < s.rounds().size() - 1) {
                min = Math.min(min, LOG_K - logList - log2(r.queries() + r.ood() + 1) + r.combinePowBits());
            }
            if (previousOod > 0) {
                min = Math.min(min, -(2 * logList + previousOod * (vars - 1 - LOG_K)));
            }
            previousOod = r.ood();
            vars -= r.fold();
            logDomain = Math.max(vars + 1, logDomain - WhirParameters.DOMAIN_REDUCTION);
        }
        assertEquals(vars, s.finalVars());
        return min;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
