package dev.verinfer.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedLedgerTest {
    private final AtomicLong clock = new AtomicLong(1_000);

    private EmbeddedLedger<TransferMachine> open(Path dir, int snapshotEvery) throws IOException {
        return EmbeddedLedger.open(dir, new TransferMachine(), new EmbeddedLedger.Options(snapshotEvery, 100, clock::get));
    }

    @Test
    void blocksChainAndCarryOutcomes(@TempDir Path dir) throws IOException {
        try (var ledger = open(dir, 0)) {
            Hash ok = ledger.submit(TransferMachine.transfer(0, 1, 10, 0));
            Hash tooMuch = ledger.submit(TransferMachine.transfer(2, 3, 5_000, 0));
            Block b1 = ledger.produceBlock();
            clock.set(500);
            Block b2 = ledger.produceBlock();
            assertEquals(List.of(TxOutcome.accepted(ok), TxOutcome.rejected(tooMuch, "account 2 holds 1000 < 5000")), b1.outcomes());
            assertEquals(Hash.ZERO, b1.parentHash());
            assertEquals(b1.hash(), b2.parentHash());
            assertEquals(1_000, b2.timeMillis(), "block time never goes backwards");
            assertEquals(2, ledger.height());
            assertEquals(List.of(b1.hash(), b2.hash()), ledger.blocks(1, 10).stream().map(Block::hash).toList());
        }
    }

    /** The newest blocks are answered from memory; they are the blocks the journal holds, as a reopened ledger reads them. */
    @Test
    void recentBlocksReadFromMemoryEqualTheJournals(@TempDir Path dir) throws IOException {
        List<Block> kept;
        try (var ledger = open(dir, 0)) {
            for (int i = 0; i < 3; i++) {
                ledger.submit(TransferMachine.transfer(0, 1, 10 + i, i));
                ledger.submit(TransferMachine.transfer(2, 3, 5_000, 0));
                ledger.produceBlock();
            }
            kept = ledger.blocks(1, 10);
        }
        try (var reopened = open(dir, 0)) {
            List<Block> read = reopened.blocks(1, 10);
            assertEquals(kept.size(), read.size());
            for (int i = 0; i < read.size(); i++) {
                assertEquals(read.get(i).hash(), kept.get(i).hash());
                assertEquals(read.get(i).outcomes(), kept.get(i).outcomes());
                assertEquals(read.get(i).timeMillis(), kept.get(i).timeMillis());
                assertEquals(read.get(i).transactions().size(), kept.get(i).transactions().size());
                for (int t = 0; t < read.get(i).transactions().size(); t++) {
                    assertArrayEquals(read.get(i).transactions().get(t), kept.get(i).transactions().get(t));
                }
            }
        }
    }

    @Test
    void subscribersSeeEveryDurableBlock(@TempDir Path dir) throws Exception {
        try (var ledger = open(dir, 0)) {
            List<Long> seen = new ArrayList<>();
            AutoCloseable subscription = ledger.subscribe(b -> seen.add(b.height()));
            ledger.produceBlock();
            ledger.produceBlock();
            subscription.close();
            ledger.produceBlock();
            assertEquals(List.of(1L, 2L), seen);
        }
    }

    @Test
    void reopeningReplaysTheJournalAndRestoresSnapshots(@TempDir Path dir) throws IOException {
        for (int snapshotEvery : new int[] {0, 3}) {
            Path d = dir.resolve("every-" + snapshotEvery);
            byte[] state;
            Hash head;
            try (var ledger = open(d, snapshotEvery)) {
                for (int i = 0; i < 10; i++) {
                    ledger.submit(TransferMachine.transfer(i % 8, (i * 3) % 8, 100 + i, 0));
                    ledger.produceBlock();
                }
                state = ledger.read(TransferMachine::snapshot);
                head = ledger.head();
            }
            try (Stream<Path> files = Files.list(d)) {
                assertEquals(snapshotEvery == 0 ? 0 : 2, files.filter(p -> p.getFileName().toString().startsWith("snapshot-")).count(),
                        "the two newest snapshots are kept");
            }
            try (var ledger = open(d, snapshotEvery)) {
                assertEquals(10, ledger.height());
                assertEquals(head, ledger.head());
                assertArrayEquals(state, ledger.read(TransferMachine::snapshot));
            }
        }
    }

    @Test
    void aTornLastRecordIsCutOffAtEveryPossibleLength(@TempDir Path dir) throws IOException {
        Path master = dir.resolve("master");
        long sizeAfterTwo;
        byte[] stateAfterTwo;
        try (var ledger = open(master, 0)) {
            for (int i = 0; i < 2; i++) {
                ledger.submit(TransferMachine.transfer(i, i + 1, 7, 40));
                ledger.produceBlock();
            }
            sizeAfterTwo = Files.size(master.resolve(EmbeddedLedger.JOURNAL));
            stateAfterTwo = ledger.read(TransferMachine::snapshot);
            ledger.submit(TransferMachine.transfer(2, 3, 7, 40));
            ledger.produceBlock();
        }
        byte[] journal = Files.readAllBytes(master.resolve(EmbeddedLedger.JOURNAL));
        for (long cut = sizeAfterTwo; cut < journal.length; cut++) {
            Path d = dir.resolve("cut-" + cut);
            Files.createDirectories(d);
            Files.write(d.resolve(EmbeddedLedger.JOURNAL), Arrays.copyOf(journal, (int) cut));
            try (var ledger = open(d, 0)) {
                assertEquals(2, ledger.height(), "cut at " + cut);
                assertArrayEquals(stateAfterTwo, ledger.read(TransferMachine::snapshot));
                assertEquals(sizeAfterTwo, Files.size(d.resolve(EmbeddedLedger.JOURNAL)), "the torn record is truncated away");
                ledger.produceBlock();
            }
            try (var ledger = open(d, 0)) {
                assertEquals(3, ledger.height(), "appends after a cut tail are intact");
            }
        }
    }

    @Test
    void aZeroFilledTailIsTornButDamageBeforeIntactRecordsIsRefused(@TempDir Path dir) throws IOException {
        try (var ledger = open(dir, 0)) {
            for (int i = 0; i < 3; i++) {
                ledger.submit(TransferMachine.transfer(i, i + 1, 7, 40));
                ledger.produceBlock();
            }
        }
        Path journal = dir.resolve(EmbeddedLedger.JOURNAL);
        long size = Files.size(journal);
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
            f.setLength(size + 4096);
        }
        try (var ledger = open(dir, 0)) {
            assertEquals(3, ledger.height());
        }
        assertEquals(size, Files.size(journal));
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
            f.seek(30);
            int b = f.read();
            f.seek(30);
            f.write(b ^ 0x01);
        }
        CorruptLedgerException e = assertThrows(CorruptLedgerException.class, () -> open(dir, 0));
        assertTrue(e.getMessage().contains("damaged record at byte 0 with intact data after it"), e.getMessage());
        assertFalse(Files.size(journal) < size, "a refused journal is left untouched");
    }
}
