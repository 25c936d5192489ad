package dev.verinfer.server;

import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.Hash;
import dev.verinfer.ledger.Ledger;
import dev.verinfer.ledger.TxOutcome;
import dev.verinfer.market.Account;
import dev.verinfer.market.Market;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Admission of checked transactions to the ledger in nonce order. Per account it knows the next
 * nonce to forward (the ledger's, plus those forwarded and not yet in a block): a transaction with
 * that nonce goes to the ledger at once, one with a used or already forwarded nonce is refused
 * (409: the same signed bytes sent twice reach the journal once), and one with a later nonce is
 * held in memory — never journaled — in a bounded per-account queue until its predecessors have
 * been forwarded, so transactions sent concurrently by one account are applied in nonce order.
 * Held transactions that wait longer than {@link #HOLD_MILLIS} are dropped.
 */
final class Admission {
    /** At most this many held transactions per account, each at most this far ahead of the next nonce. */
    static final int MAX_HELD = 1_024;
    static final long MAX_HELD_BYTES_PER_ACCOUNT = 32L << 20;
    static final long MAX_HELD_BYTES = 512L << 20;
    static final long HOLD_MILLIS = 60_000;

    private record Held(byte[] tx, long since) {
    }

    private static final class Queue {
        long next;
        final Set<Hash> inFlight = new HashSet<>();
        final TreeMap<Long, Held> held = new TreeMap<>();
        long heldBytes;

        Queue(long next) {
            this.next = next;
        }
    }

    private final Ledger<Market> ledger;
    private final Map<String, Queue> accounts = new HashMap<>();
    private long heldBytes;

    Admission(Ledger<Market> ledger) {
        this.ledger = ledger;
    }

    /**
     * Whether {@link #admit} would take a transaction of {@code sender} with {@code nonce} and {@code bytes} now (not
     * refuse it as used, already queued or too far ahead): a proof is checked before admission only then.
     */
    synchronized boolean admissible(String sender, long nonce, int bytes) {
        Queue q = accounts.get(sender);
        long next = Math.max(q == null ? 0 : q.next, ledgerNonce(sender));
        if (nonce < next) {
            return false;
        }
        if (nonce == next) {
            return true;
        }
        int held = q == null ? 0 : q.held.size();
        long accountBytes = q == null ? 0 : q.heldBytes;
        return (q == null || !q.held.containsKey(nonce)) && nonce - next <= MAX_HELD && held < MAX_HELD
                && accountBytes + bytes <= MAX_HELD_BYTES_PER_ACCOUNT && heldBytes + bytes <= MAX_HELD_BYTES;
    }

    /** Forwards or holds {@code tx} (checked: signed, from a known account, nonce not below the ledger's). */
    synchronized void admit(String sender, long nonce, byte[] tx) {
        long ledgerNonce = ledgerNonce(sender);
        Queue q = accounts.computeIfAbsent(sender, s -> new Queue(ledgerNonce));
        q.next = Math.max(q.next, ledgerNonce);
        if (nonce < q.next) {
            throw new ApiException(409, "nonce " + nonce + " of account " + sender + " is used or already queued (next: " + q.next + ")");
        }
        if (nonce == q.next) {
            forward(q, tx);
            drain(q);
            return;
        }
        if (q.held.containsKey(nonce)) {
            throw new ApiException(409, "a transaction with nonce " + nonce + " of account " + sender + " is already waiting for its predecessors");
        }
        if (nonce - q.next > MAX_HELD || q.held.size() >= MAX_HELD || q.heldBytes + tx.length > MAX_HELD_BYTES_PER_ACCOUNT
                || heldBytes + tx.length > MAX_HELD_BYTES) {
            throw new ApiException(429, "nonce " + nonce + " is " + (nonce - q.next) + " ahead of account " + sender + "'s next " + q.next
                    + "; at most " + MAX_HELD + " transactions (" + (MAX_HELD_BYTES_PER_ACCOUNT >> 20) + " MiB) wait per account: send the missing nonces first");
        }
        q.held.put(nonce, new Held(tx, System.currentTimeMillis()));
        q.heldBytes += tx.length;
        heldBytes += tx.length;
    }

    /** After every durable block: forwarded transactions have landed; held ones whose turn came are forwarded, stale ones dropped. */
    synchronized void onBlock(Block b) {
        Set<Hash> landed = new HashSet<>();
        for (TxOutcome o : b.outcomes()) {
            landed.add(o.txHash());
        }
        long now = System.currentTimeMillis();
        for (Iterator<Map.Entry<String, Queue>> it = accounts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Queue> e = it.next();
            Queue q = e.getValue();
            q.inFlight.removeAll(landed);
            long ledgerNonce = ledgerNonce(e.getKey());
            q.next = q.inFlight.isEmpty() ? ledgerNonce : Math.max(q.next, ledgerNonce);
            for (Iterator<Map.Entry<Long, Held>> h = q.held.entrySet().iterator(); h.hasNext(); ) {
                Map.Entry<Long, Held> held = h.next();
                if (held.getKey() < q.next || now - held.getValue().since() > HOLD_MILLIS) {
                    h.remove();
                    q.heldBytes -= held.getValue().tx().length;
                    heldBytes -= held.getValue().tx().length;
                }
            }
            drain(q);
            if (q.inFlight.isEmpty() && q.held.isEmpty()) {
                it.remove();
            }
        }
    }

    private void drain(Queue q) {
        for (Held h; (h = q.held.remove(q.next)) != null; ) {
            q.heldBytes -= h.tx().length;
            heldBytes -= h.tx().length;
            forward(q, h.tx());
        }
    }

    private void forward(Queue q, byte[] tx) {
        q.inFlight.add(ledger.submit(tx));
        q.next++;
    }

    private long ledgerNonce(String sender) {
        return ledger.read(m -> m.state().account(sender).map(Account::nonce).orElse(0L));
    }
}
