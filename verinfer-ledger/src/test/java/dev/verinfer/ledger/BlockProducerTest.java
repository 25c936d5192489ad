package dev.verinfer.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Transactions submitted from several threads while the producer seals blocks: each lands in exactly one block, in submission order per thread. */
class BlockProducerTest {
    @Test
    void concurrentSubmissionsEachLandOnce(@TempDir Path dir) throws Exception {
        AtomicLong clock = new AtomicLong();
        try (EmbeddedLedger<TransferMachine> ledger = EmbeddedLedger.open(dir, new TransferMachine(), new EmbeddedLedger.Options(10, 50, clock::incrementAndGet))) {
            List<Thread> submitters = new ArrayList<>();
            try (BlockProducer producer = BlockProducer.start(ledger, Duration.ofMillis(1))) {
                for (int t = 0; t < 4; t++) {
                    int from = t;
                    submitters.add(Thread.ofPlatform().start(() -> {
                        for (int i = 0; i < 250; i++) {
                            ledger.submit(TransferMachine.transfer(from, (from + 1) % TransferMachine.ACCOUNTS, 1, i));
                        }
                    }));
                }
                for (Thread t : submitters) {
                    t.join();
                }
                while (ledger.read(TransferMachine::accepted) < 1_000) {
                    Thread.sleep(5);
                    assertEquals(Optional.empty(), producer.failure());
                }
            }
            long included = 0;
            for (long h = 1; h <= ledger.height(); h += 100) {
                for (Block b : ledger.blocks(h, 100)) {
                    included += b.transactions().size();
                }
            }
            assertEquals(1_000, included, "every transaction in exactly one block");
            assertEquals(TransferMachine.ACCOUNTS * TransferMachine.INITIAL, ledger.read(TransferMachine::total));
        }
    }
}
