package dev.verinfer.server;

import dev.verinfer.api.Changes;
import dev.verinfer.api.Head;
import dev.verinfer.api.RequestView;
import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.EmbeddedLedger;
import dev.verinfer.market.BoundedCache;
import dev.verinfer.market.Market;
import dev.verinfer.market.MarketState;
import dev.verinfer.market.Request;
import dev.verinfer.market.RequestFeedCodec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@code GET /v1/requests/changes}: which requests each block changed, so that agents and clients
 * long-poll for what changed since the height they last saw instead of re-reading request lists
 * every block (under load, serving those lists was the node's largest cost).
 *
 * <p>After each durable block it compares every request that was live after the previous block
 * with the market's record now (a {@link Request} is immutable: a transition replaces it, so a
 * changed request is a different object) and adds the requests submitted since; it keeps the ids
 * each of the last {@link #HISTORY} blocks changed. An answer lists the current view of every
 * matching request changed in the blocks after the caller's height, read at or after the head it
 * reports, so a caller that asks again from that head misses no change (it may see one twice). A
 * height it no longer remembers (older than its history, or from before the node started) is
 * answered with {@code reset}: every live matching request, which replaces what the caller held.
 */
final class RequestFeed {
    /** Blocks whose changes are remembered (at a block every 20 ms, 80 s). */
    static final int HISTORY = 4_096;

    private record Changed(long height, long[] ids) {
    }

    private final EmbeddedLedger<Market> ledger;
    /** The live requests after the last block, as the market held them then. */
    private final Map<Long, Request> live = new HashMap<>();
    private long lastId;
    private final ArrayDeque<Changed> history = new ArrayDeque<>();
    /** The last block folded in, its head, and the lowest height a caller may give without a reset. */
    private Head head;
    private long since;

    RequestFeed(EmbeddedLedger<Market> ledger, Head initial) {
        this.ledger = ledger;
        this.head = initial;
        this.since = initial.height();
        ledger.read(m -> {
            for (Request r : m.state().requests()) {
                lastId = r.id();
                if (!r.status().isFinal()) {
                    live.put(r.id(), r);
                }
            }
            return null;
        });
    }

    /** Requests' binary parts with their inputs ({@link RequestFeedCodec#encodeRequest}), by record: every agent asks for the same ones. */
    private final BoundedCache<Request, byte[]> encoded = new BoundedCache<>(ENCODED);
    /** Parts kept: more than the requests a block changes under load, a few megabytes of alexa inputs. */
    static final int ENCODED = 2_048;

    /** A binary answer ({@link RequestFeedCodec}); the parts with inputs are encoded once per request record. */
    byte[] binary(Answer a, boolean inputs) {
        List<byte[]> parts = new ArrayList<>(a.requests().size());
        for (Request r : a.requests()) {
            if (!inputs) {
                parts.add(RequestFeedCodec.encodeRequest(r, false));
                continue;
            }
            byte[] part = encoded.get(r);
            if (part == null) {
                part = RequestFeedCodec.encodeRequest(r, true);
                encoded.put(r, part);
            }
            parts.add(part);
        }
        return RequestFeedCodec.assemble(a.head().height(), a.head().hash(), a.head().timeMillis(), a.reset(), parts);
    }

    /** Called with every durable block, before any later block is sealed (the block producer's thread). */
    synchronized void onBlock(Block b) {
        history.addLast(new Changed(b.height(), ledger.read(m -> changed(m.state()))));
        if (history.size() > HISTORY) {
            since = history.removeFirst().height();
        }
        head = new Head(b.height(), b.hash().hex(), b.timeMillis());
        notifyAll();
    }

    private long[] changed(MarketState state) {
        List<Long> ids = new ArrayList<>();
        for (var it = live.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Request now = state.request(e.getKey()).orElse(null);
            if (now != e.getValue()) {
                ids.add(e.getKey());
                if (now == null || now.status().isFinal()) {
                    it.remove();
                } else {
                    e.setValue(now);
                }
            }
        }
        for (Request r : state.requestsAfter(lastId)) {
            ids.add(r.id());
            lastId = r.id();
            if (!r.status().isFinal()) {
                live.put(r.id(), r);
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /** An answer: the head it was read at, whether it replaces what the caller held, and the matching requests as the market holds them. */
    record Answer(Head head, boolean reset, List<Request> requests) {
        Changes views(boolean inputs) {
            return new Changes(head, reset, requests.stream().map(r -> RequestView.of(r, inputs)).toList());
        }
    }

    /**
     * The matching requests changed after height {@code after}, once there is one (or, with
     * {@code everyBlock}, once any block follows {@code after}), or what there is after {@code maxMillis}.
     */
    Answer after(long after, long maxMillis, boolean everyBlock, Predicate<Request> filter) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMillis;
        long from = after;
        while (true) {
            Head h;
            TreeSet<Long> ids = new TreeSet<>();
            boolean reset;
            synchronized (this) {
                h = head;
                reset = from < since || from > h.height();
                if (reset) {
                    ids.addAll(live.keySet());
                } else {
                    // Newest first, up to the caller's height (the history is in height order: a poll reads the blocks it missed, not all 4,096).
                    for (var it = history.descendingIterator(); it.hasNext(); ) {
                        Changed c = it.next();
                        if (c.height() <= from) {
                            break;
                        }
                        for (long id : c.ids()) {
                            ids.add(id);
                        }
                    }
                }
            }
            List<Request> found = ledger.read(m -> ids.stream().map(id -> m.state().request(id)).flatMap(Optional::stream)
                    .filter(r -> !reset || !r.status().isFinal()).filter(filter).toList());
            long left = end - System.currentTimeMillis();
            if (reset || !found.isEmpty() || left <= 0 || everyBlock && h.height() > after) {
                return new Answer(h, reset, found);
            }
            // Nothing of the caller's changed up to h: wait for a later block.
            from = h.height();
            synchronized (this) {
                while (head.height() <= from && left > 0) {
                    wait(left);
                    left = end - System.currentTimeMillis();
                }
            }
        }
    }
}
