package dev.verinfer.market;

import dev.verinfer.ledger.EmbeddedLedger;
import dev.verinfer.ledger.SigkillRounds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kill -9 during a busy market: every acknowledged block survives, the state replays to the same outcomes, and the invariants hold. */
class MarketCrashTest {
    @Test
    void theMarketSurvivesSigkillWithItsInvariants(@TempDir Path dir) throws Exception {
        var acknowledged = SigkillRounds.run(MarketCrashChild.class, dir, 8, new SplittableRandom(7), 1_500, acked -> {
            try (EmbeddedLedger<Market> ledger = EmbeddedLedger.open(dir, MarketCrashChild.market(), MarketCrashChild.OPTIONS)) {
                SigkillRounds.assertAcknowledgedBlocksKept(ledger, ledger.head(), acked);
                assertEquals(List.of(), ledger.read(m -> Invariants.violations(m.state())));
            }
        });
        try (EmbeddedLedger<Market> ledger = EmbeddedLedger.open(dir, MarketCrashChild.market(), MarketCrashChild.OPTIONS)) {
            int[] counts = ledger.read(m -> new int[] {m.state().payments().size(), m.state().slashes().size()});
            System.out.printf("market crash test: %d acknowledged blocks, %d payments, %d slashes%n", acknowledged.size(), counts[0], counts[1]);
            assertTrue(counts[0] > 0 && counts[1] > 0, "the workload both paid and slashed");
        }
    }
}
