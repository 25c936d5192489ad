package dev.verinfer.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The embedded, durable ledger: one process, one journal file of blocks ({@code journal.log}) and
 * snapshots of the state beside it. A block is applied to the state machine, appended to the
 * journal and forced to disk before {@link #produceBlock()} returns; that return is the
 * acknowledgement. On open, the newest snapshot that agrees with the journal's hash chain is
 * restored and the blocks after it are replayed (their recorded outcomes must come out again), so
 * a process killed at any point restarts with every acknowledged block and no half-applied one.
 *
 * <p>Failure is fail-stop: if applying or writing a block fails, the in-memory state may be ahead
 * of the journal, so the ledger refuses further use; reopening rebuilds it from disk.
 *
 * <p>Readers share a fair read–write lock with the sealer: queries run concurrently with each
 * other, and a block waiting to be sealed goes before readers that arrive after it, so readers
 * cannot starve block production. A block holds at most {@link #MAX_BLOCK_BYTES} of transactions
 * (the rest wait for the next), far below the journal's record limit.
 */
public final class EmbeddedLedger<S extends StateMachine> implements Ledger<S> {
    /**
     * @param snapshotEvery a snapshot after every this many blocks (0: never; replay from the first block)
     * @param maxBlockTransactions at most this many queued transactions go into one block
     * @param clock block timestamps (milliseconds); a block's time never goes below its parent's
     */
    public record Options(int snapshotEvery, int maxBlockTransactions, LongSupplier clock) {
        public Options {
            if (snapshotEvery < 0 || maxBlockTransactions < 1) {
                throw new IllegalArgumentException("snapshotEvery >= 0 and maxBlockTransactions >= 1 required");
            }
            Objects.requireNonNull(clock);
        }
    }

    static final String JOURNAL = "journal.log";
    /** Bound on the transaction bytes of one block. */
    public static final long MAX_BLOCK_BYTES = 256L << 20;

    private final S state;
    private final Options options;
    private final Journal journal;
    private final SnapshotStore snapshots;
    private final List<Long> offsets = new ArrayList<>();
    private final Queue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private final List<Consumer<Block>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
    private Hash head = Hash.ZERO;
    private long headTime = Long.MIN_VALUE;
    /**
     * The latest sealed blocks, oldest first, holding at most {@link #RECENT_BYTES} of transactions: clients poll the
     * newest blocks' outcomes ({@link #blocks}), which were otherwise read back from the journal, decoded and hashed
     * again (every transaction, proofs included) for each request — 14 % of the market node's CPU under load. Keyed by
     * height.
     */
    private final NavigableMap<Long, Kept> recent = new TreeMap<>();
    private long recentBytes;
    /** The transaction bytes {@link #recent} keeps (a block larger than this is read from the journal). */
    static final long RECENT_BYTES = 32L << 20;

    /** A block in {@link #recent} and its transactions' bytes. */
    private record Kept(Block block, long bytes) {}
    private String failure;

    private EmbeddedLedger(S state, Options options, Journal journal, SnapshotStore snapshots) {
        this.state = state;
        this.options = options;
        this.journal = journal;
        this.snapshots = snapshots;
    }

    /** Opens (or creates) the ledger in {@code dir}, rebuilding {@code state} (fresh, genesis state) from disk. */
    public static <S extends StateMachine> EmbeddedLedger<S> open(Path dir, S state, Options options) throws IOException {
        Files.createDirectories(dir);
        List<Hash> hashes = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        long[] lastTime = {Long.MIN_VALUE};
        Journal journal = Journal.open(dir.resolve(JOURNAL), (offset, payload) -> {
            Block b = BlockCodec.decode(payload);
            Hash parent = hashes.isEmpty() ? Hash.ZERO : hashes.getLast();
            if (b.height() != hashes.size() + 1 || !b.parentHash().equals(parent)) {
                throw new CorruptLedgerException("block " + b.height() + " at byte " + offset + " does not extend the chain at height "
                        + hashes.size() + " (" + parent + ")");
            }
            hashes.add(b.hash());
            offsets.add(offset);
            lastTime[0] = b.timeMillis();
        });
        SnapshotStore.forceDirectory(dir);
        EmbeddedLedger<S> ledger = new EmbeddedLedger<>(state, options, journal, new SnapshotStore(dir));
        try {
            ledger.recover(hashes, offsets, lastTime[0]);
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
        return ledger;
    }

    private void recover(List<Hash> hashes, List<Long> journalOffsets, long lastTime) throws IOException {
        long from = snapshots.newest(s -> s.height() >= 1 && s.height() <= hashes.size() && hashes.get((int) s.height() - 1).equals(s.blockHash()))
                .map(s -> {
                    state.restore(s.state());
                    return s.height();
                })
                .orElse(0L);
        offsets.addAll(journalOffsets);
        long parentTime = from == 0 ? Long.MIN_VALUE : BlockCodec.decode(journal.read(offsets.get((int) from - 1))).timeMillis();
        for (long h = from + 1; h <= hashes.size(); h++) {
            Block b = BlockCodec.decode(journal.read(offsets.get((int) h - 1)));
            List<TxOutcome> replayed = run(b.context(parentTime), b.transactions());
            parentTime = b.timeMillis();
            if (!replayed.equals(b.outcomes())) {
                throw new CorruptLedgerException("replaying block " + h + " gives other outcomes than recorded: the state machine is not deterministic"
                        + " or the snapshot does not match (recorded " + b.outcomes() + ", replayed " + replayed + ")");
            }
        }
        head = hashes.isEmpty() ? Hash.ZERO : hashes.getLast();
        headTime = lastTime;
    }

    @Override
    public Hash submit(byte[] transaction) {
        byte[] tx = transaction.clone();
        pending.add(tx);
        return Hash.of(tx);
    }

    /**
     * Seals the queued transactions (up to the limit) into the next block and makes it durable.
     * Returns it once it is on disk. An exception whose message says the block is durable means only
     * the snapshot failed; the ledger stays usable.
     */
    public Block produceBlock() throws IOException {
        Block b = seal();
        for (Consumer<Block> l : listeners) {
            l.accept(b);
        }
        return b;
    }

    /** Whether transactions wait for a block. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /**
     * Seals under the write lock; a snapshot due at this height is then encoded under the read lock
     * (the write lock downgraded: queries go on, no block is sealed meanwhile, so it is the state as
     * of this block) and written and forced to disk outside any lock, so that readers never wait for
     * a snapshot's disk write (the state, with every request's input, grows to megabytes).
     */
    private Block seal() throws IOException {
        Block b;
        byte[] snapshot = null;
        lock.writeLock().lock();
        try {
            b = sealLocked();
            if (options.snapshotEvery() > 0 && b.height() % options.snapshotEvery() == 0) {
                lock.readLock().lock();
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (options.snapshotEvery() > 0 && b.height() % options.snapshotEvery() == 0) {
            try {
                snapshot = state.snapshot();
            } finally {
                lock.readLock().unlock();
            }
        }
        if (snapshot != null) {
            writeSnapshot(new SnapshotStore.Snapshot(b.height(), b.hash(), snapshot));
        }
        return b;
    }

    /** One snapshot file at a time (blocks may be sealed by more than one thread). */
    private synchronized void writeSnapshot(SnapshotStore.Snapshot s) throws IOException {
        try {
            snapshots.write(s);
        } catch (IOException e) {
            throw new IOException("block " + s.height() + " is durable, but its snapshot failed: " + e.getMessage(), e);
        }
    }

    private Block sealLocked() throws IOException {
        if (failure != null) {
            throw new IllegalStateException("the ledger stopped after a failure (" + failure + "); reopen it to recover from disk");
        }
        long height = offsets.size() + 1L;
        long time = Math.max(headTime, options.clock().getAsLong());
        List<byte[]> txs = new ArrayList<>();
        long bytes = 0;
        for (byte[] tx; txs.size() < options.maxBlockTransactions() && (tx = pending.peek()) != null
                && (txs.isEmpty() || bytes + tx.length <= MAX_BLOCK_BYTES); ) {
            txs.add(pending.poll());
            bytes += tx.length;
        }
        Hash hash = BlockCodec.hash(height, time, head, txs);
        Block b;
        try {
            b = new Block(height, time, head, hash, txs, run(new BlockContext(height, time, head, headTime == Long.MIN_VALUE ? time : headTime), txs));
            offsets.add(journal.append(BlockCodec.encode(b)));
        } catch (IOException | RuntimeException e) {
            failure = "block " + height + ": " + e;
            throw e;
        }
        head = hash;
        headTime = time;
        remember(b, bytes);
        return b;
    }

    /** Keeps a sealed block in {@link #recent}, dropping the oldest ones beyond {@link #RECENT_BYTES}. */
    private void remember(Block b, long bytes) {
        synchronized (recent) {
            recent.put(b.height(), new Kept(b, bytes));
            recentBytes += bytes;
            while (recentBytes > RECENT_BYTES) {
                recentBytes -= recent.pollFirstEntry().getValue().bytes();
            }
        }
    }

    private Block recentBlock(long height) {
        synchronized (recent) {
            Kept k = recent.get(height);
            return k == null ? null : k.block();
        }
    }

    private List<TxOutcome> run(BlockContext context, List<byte[]> txs) {
        state.beginBlock(context);
        List<TxOutcome> outcomes = new ArrayList<>(txs.size());
        for (byte[] tx : txs) {
            outcomes.add(state.apply(context, tx));
        }
        return outcomes;
    }

    /** {@inheritDoc} Extract values inside {@code query}: the state may change as soon as it returns. */
    @Override
    public <R> R read(Function<? super S, R> query) {
        lock.readLock().lock();
        try {
            return query.apply(state);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long height() {
        return read(s -> (long) offsets.size());
    }

    /** The hash of the latest block ({@link Hash#ZERO} before the first). */
    public Hash head() {
        return read(s -> head);
    }

    @Override
    public List<Block> blocks(long fromHeight, int max) {
        if (fromHeight < 1) {
            throw new IllegalArgumentException("heights start at 1, not " + fromHeight);
        }
        List<Long> at = read(s -> List.copyOf(offsets.subList((int) Math.min(fromHeight - 1, offsets.size()),
                (int) Math.min(offsets.size(), fromHeight - 1 + (long) max))));
        List<Block> out = new ArrayList<>();
        try {
            for (int i = 0; i < at.size(); i++) {
                Block kept = recentBlock(fromHeight + i);
                out.add(kept != null ? kept : BlockCodec.decode(journal.read(at.get(i))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public AutoCloseable subscribe(Consumer<Block> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            journal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
