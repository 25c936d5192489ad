package dev.verinfer.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * kill -9 for real: a child JVM appends blocks of transfers and is killed with SIGKILL at random
 * moments, again and again on the same directory; after every kill the ledger reopens with every
 * block the child acknowledged (same hash) and the state's invariants hold.
 */
class CrashRecoveryTest {
    @Test
    void everyAcknowledgedBlockSurvivesSigkill(@TempDir Path dir) throws Exception {
        var acknowledged = SigkillRounds.run(CrashChild.class, dir, 12, new SplittableRandom(20261125), 700, acked -> {
            try (EmbeddedLedger<TransferMachine> ledger = EmbeddedLedger.open(dir, new TransferMachine(), CrashChild.OPTIONS)) {
                SigkillRounds.assertAcknowledgedBlocksKept(ledger, ledger.head(), acked);
                long accepted = 0;
                for (long h = 1; h <= ledger.height(); h += 64) {
                    for (Block b : ledger.blocks(h, 64)) {
                        accepted += b.outcomes().stream().filter(TxOutcome::accepted).count();
                    }
                }
                long acceptedInBlocks = accepted;
                ledger.read(m -> {
                    assertEquals(TransferMachine.ACCOUNTS * TransferMachine.INITIAL, m.total(), "value conserved");
                    assertEquals(acceptedInBlocks, m.accepted(), "every accepted transfer applied exactly once");
                    assertEquals(ledger.height(), m.blocks(), "every block begun exactly once");
                    return null;
                });
            }
        });
        System.out.printf("12 kills, %d acknowledged blocks%n", acknowledged.size());
    }
}
