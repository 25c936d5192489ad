package dev.verinfer.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 for real: a child JVM appends blocks and is killed with SIGKILL at random moments,
 * again and again on the same directory; after every kill the ledger reopens with every block the
 * child acknowledged (same hash) and the state's invariants hold.
 */
class CrashRecoveryTest {
    private static final int ROUNDS = 12;

    @Test
    void everyAcknowledgedBlockSurvivesSigkill(@TempDir Path dir) throws Exception {
        SplittableRandom random = new SplittableRandom(20261125);
        Map<Long, Hash> acknowledged = new ConcurrentSkipListMap<>();
        int tornTails = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(), Long.toString(random.nextLong()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            CountDownLatch opened = new CountDownLatch(1);
            Thread reader = Thread.ofPlatform().start(() -> readAcks(child, acknowledged, opened));
            assertTrue(opened.await(60, TimeUnit.SECONDS), "the child did not open the ledger");
            Thread.sleep(random.nextInt(5, 700));
            child.destroyForcibly();
            child.waitFor();
            reader.join();

            long sizeBefore = Files.size(dir.resolve(EmbeddedLedger.JOURNAL));
            try (EmbeddedLedger<TransferMachine> ledger = EmbeddedLedger.open(dir, new TransferMachine(),
                    new EmbeddedLedger.Options(5, 1_000, System::currentTimeMillis))) {
                if (Files.size(dir.resolve(EmbeddedLedger.JOURNAL)) < sizeBefore) {
                    tornTails++;
                }
                checkRecovered(ledger, acknowledged);
            }
        }
        System.out.printf("%d kills, %d acknowledged blocks, %d torn last records cut off%n", ROUNDS, acknowledged.size(), tornTails);
        assertTrue(acknowledged.size() > ROUNDS, "the children acknowledged too few blocks to test anything");
    }

    private static void checkRecovered(EmbeddedLedger<TransferMachine> ledger, Map<Long, Hash> acknowledged) {
        long height = ledger.height();
        acknowledged.forEach((h, hash) -> {
            assertTrue(h <= height, "acknowledged block " + h + " lost; the ledger reopened at height " + height);
            assertEquals(hash, ledger.blocks(h, 1).getFirst().hash(), "block " + h);
        });
        long accepted = 0;
        Hash parent = Hash.ZERO;
        for (long h = 1; h <= height; h += 64) {
            for (Block b : ledger.blocks(h, 64)) {
                assertEquals(parent, b.parentHash(), "hash chain at block " + b.height());
                parent = b.hash();
                accepted += b.outcomes().stream().filter(TxOutcome::accepted).count();
            }
        }
        long acceptedInBlocks = accepted;
        assertEquals(parent, ledger.head());
        ledger.read(m -> {
            assertEquals(TransferMachine.ACCOUNTS * TransferMachine.INITIAL, m.total(), "value conserved");
            assertEquals(acceptedInBlocks, m.accepted(), "every accepted transfer applied exactly once");
            assertEquals(height, m.blocks(), "every block begun exactly once");
            return null;
        });
    }

    private static void readAcks(Process child, Map<Long, Hash> acknowledged, CountDownLatch opened) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                List<String> f = List.of(line.split(" "));
                if (f.getFirst().equals("OPEN")) {
                    opened.countDown();
                } else if (f.getFirst().equals("ACK") && f.size() == 3) {
                    acknowledged.put(Long.parseLong(f.get(1)), Hash.fromHex(f.get(2)));
                }
            }
        } catch (IOException e) {
            // the pipe breaks when the child is killed; every complete line was recorded
        }
    }
}
