package dev.verinfer.market;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The economic table of the package docs, computed from {@link MarketParams}: for every mode the
 * cheating prover's best expected gain is negative — at the defaults (the table's rows, checked
 * exactly) and under any parameters the constructor accepts — and a griefing client gains nothing.
 */
class CheatingGainTest {
    private static final MarketParams DEFAULTS = MarketParams.defaults("c", "0".repeat(40));

    /** The rows of the package docs' table (max fee 2,000 at the defaults). */
    @Property(tries = 1)
    void theDocumentedTableHolds() {
        long f = 2_000;
        assertEquals(List.of(-400L, -2_001L, -200L, -1_000L, -2_000L),
                List.of(DEFAULTS.bestCheatingGain(f, new Mode.Zk()), DEFAULTS.bestCheatingGain(f, new Mode.Optimistic(60_000)),
                        DEFAULTS.bestCheatingGain(f, new Mode.Sampled(1_000, 60_000)), DEFAULTS.bestCheatingGain(f, new Mode.Sampled(5_000, 60_000)),
                        DEFAULTS.bestCheatingGain(f, new Mode.Sampled(10_000, 60_000))));
        assertEquals(List.of(400L, 2_667L, 20_000L, 4_000L, 2_000L),
                List.of(DEFAULTS.collateral(f, new Mode.Zk()), DEFAULTS.collateral(f, new Mode.Optimistic(60_000)),
                        DEFAULTS.collateral(f, new Mode.Sampled(1_000, 60_000)), DEFAULTS.collateral(f, new Mode.Sampled(5_000, 60_000)),
                        DEFAULTS.collateral(f, new Mode.Sampled(10_000, 60_000))));
        assertEquals(-211, DEFAULTS.griefingClientGain(f, 100));
    }

    @Provide
    Arbitrary<MarketParams> params() {
        return Combinators.combine(Arbitraries.integers().between(1, 10_000), Arbitraries.integers().between(0, 5_000),
                        Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 10_000))
                .as((collateral, reward, victim, fault) -> new MarketParams("c", "0".repeat(40), 5_000, 10_000, 60_000, collateral, 1_000, 30_000, 200,
                        Math.min(victim, 10_000 - reward), 100, 1_000, Mode.MAX_WINDOW_MILLIS, 1_000, 10_000, reward, fault, 10, 1));
    }

    @Provide
    Arbitrary<Mode> modes() {
        return Arbitraries.oneOf(Arbitraries.just(new Mode.Zk()), Arbitraries.longs().between(1_000, 600_000).map(Mode.Optimistic::new),
                Combinators.combine(Arbitraries.integers().between(1, 10_000), Arbitraries.longs().between(1_000, 600_000)).as(Mode.Sampled::new));
    }

    @Property(tries = 2_000)
    void cheatingNeverPaysInExpectation(@ForAll("params") MarketParams p, @ForAll("modes") Mode mode, @ForAll @LongRange(min = 1, max = 1_000_000_000_000L) long maxFee) {
        assertTrue(p.bestCheatingGain(maxFee, mode) < 0, p + " " + mode + " " + maxFee);
        if (mode instanceof Mode.Optimistic) {
            long k = p.collateral(maxFee, mode);
            assertTrue(k - MarketParams.fraction(k, p.challengeRewardBps()) > maxFee, "a self-challenge loses more than the max fee");
        }
    }

    @Property(tries = 200)
    void aGriefingClientGainsNothing(@ForAll("params") MarketParams p, @ForAll @LongRange(min = 1, max = 1_000_000_000L) long maxFee,
                                     @ForAll @IntRange(min = 1, max = 1 << 20) int bytes) {
        assertTrue(p.griefingClientGain(maxFee, bytes) < 0);
    }
}
