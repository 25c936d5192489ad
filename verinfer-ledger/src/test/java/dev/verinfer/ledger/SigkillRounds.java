package dev.verinfer.ledger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * kill -9 for real, round after round: starts a child JVM ({@code main(dir, seed)}) that opens a
 * ledger in {@code dir}, calls {@link #opened} and then {@link #acknowledged} after each durable
 * block; kills it with SIGKILL ({@link Process#destroyForcibly()}) at a random moment after its first
 * acknowledged block (timed from then, not from the open: a loaded machine may take longer than the
 * whole random span to reopen the ledger and write a block, and a round without a new block tests
 * nothing); and hands the blocks acknowledged so far to a check, which reopens the ledger.
 */
public final class SigkillRounds {
    /** Checks the directory after a kill, given every block any child acknowledged. */
    public interface Check {
        void afterKill(Map<Long, Hash> acknowledged) throws Exception;
    }

    private SigkillRounds() {
    }

    public static void opened(long height) {
        System.out.println("OPEN " + height);
        System.out.flush();
    }

    public static void acknowledged(Block b) {
        System.out.println("ACK " + b.height() + " " + b.hash());
        System.out.flush();
    }

    /** Runs the rounds; returns every acknowledged block (height to hash). */
    public static Map<Long, Hash> run(Class<?> childMain, Path dir, int rounds, SplittableRandom random, int maxLifeMillis, Check check) throws Exception {
        Map<Long, Hash> acknowledged = new ConcurrentSkipListMap<>();
        for (int round = 0; round < rounds; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), childMain.getName(), dir.toString(), Long.toString(random.nextLong()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            CountDownLatch opened = new CountDownLatch(1), firstBlock = new CountDownLatch(1);
            Thread reader = Thread.ofPlatform().start(() -> readLines(child, acknowledged, opened, firstBlock));
            assertTrue(opened.await(60, TimeUnit.SECONDS), "the child did not open the ledger");
            assertTrue(firstBlock.await(60, TimeUnit.SECONDS), "the child acknowledged no block after opening the ledger");
            Thread.sleep(random.nextInt(5, maxLifeMillis));
            child.destroyForcibly();
            child.waitFor();
            reader.join();
            check.afterKill(acknowledged);
        }
        assertTrue(acknowledged.size() > rounds, "the children acknowledged too few blocks (" + acknowledged.size() + ") to test anything");
        return acknowledged;
    }

    /** Every acknowledged block is on the reopened ledger, with its hash, and the chain links up to the head. */
    public static void assertAcknowledgedBlocksKept(Ledger<?> ledger, Hash head, Map<Long, Hash> acknowledged) {
        long height = ledger.height();
        acknowledged.forEach((h, hash) -> {
            assertTrue(h <= height, "acknowledged block " + h + " lost; the ledger reopened at height " + height);
            assertEquals(hash, ledger.blocks(h, 1).getFirst().hash(), "block " + h);
        });
        Hash parent = Hash.ZERO;
        for (long h = 1; h <= height; h += 64) {
            for (Block b : ledger.blocks(h, 64)) {
                assertEquals(parent, b.parentHash(), "hash chain at block " + b.height());
                parent = b.hash();
            }
        }
        assertEquals(parent, head);
    }

    private static void readLines(Process child, Map<Long, Hash> acknowledged, CountDownLatch opened, CountDownLatch firstBlock) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                List<String> f = List.of(line.split(" "));
                if (f.getFirst().equals("OPEN")) {
                    opened.countDown();
                } else if (f.getFirst().equals("ACK") && f.size() == 3) {
                    acknowledged.put(Long.parseLong(f.get(1)), Hash.fromHex(f.get(2)));
                    firstBlock.countDown();
                }
            }
        } catch (IOException e) {
            // the pipe breaks when the child is killed; every complete line was recorded
        }
    }
}
