package dev.verinfer.market;

import dev.verinfer.zkml.ProofMaskReserve;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Visibility;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The next zero-knowledge proof's {@link ProofMaskReserve} of each key, prepared in the background after each proof, so that a
 * served request pays only the proof's online part (docs/proof-system.md, "The offline/online split"). One reserve per key is
 * held or under way (its memory: the masks' codewords, trees and tables — docs give the size per model), prepared on one daemon
 * thread for the whole process, whose kernels run on the {@code Parallelism} workers that {@code --threads} bounds. Each reserve
 * serves one proof: {@link #take} hands it out once.
 */
final class ReservesAhead {
    private static final ExecutorService PREPARER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "verinfer-proof-reserves");
        t.setDaemon(true);
        return t;
    });

    private final Map<ProvingKey, Future<ProofMaskReserve>> next = new ConcurrentHashMap<>();

    /**
     * The reserve prepared for {@code key}'s next public-statement proof (waiting for one under way: the wait is at most its
     * preparation, which the proof would otherwise do itself), or null when none was started or its preparation failed.
     */
    ProofMaskReserve take(ProvingKey key) {
        Future<ProofMaskReserve> f = next.remove(key);
        if (f == null) {
            return null;
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            return null; // proven with fresh masks drawn in the proof
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return null;
        }
    }

    /** Starts preparing {@code key}'s next reserve in the background unless one is held or under way (zero-knowledge keys only). */
    void prepareNext(ProvingKey key) {
        if (key.verifyingKey().zeroKnowledge()) {
            next.computeIfAbsent(key, k -> PREPARER.submit(() -> ProofMaskReserve.prepare(k, Visibility.PUBLIC, Visibility.PUBLIC)));
        }
    }
}
