package dev.verinfer.client;

import dev.verinfer.api.AccountView;
import dev.verinfer.api.TxResult;
import dev.verinfer.ledger.Hash;
import dev.verinfer.market.SignedTx;
import dev.verinfer.market.Signer;
import dev.verinfer.market.Tx;
import dev.verinfer.market.TxSender;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

/**
 * A market account acting through a node: signs with its key for the node's market and numbers its
 * transactions with its nonces. {@link #send} queues (for the automata, which send several per
 * block), {@link #flush} submits the queue as one ordered batch; {@link #submit} sends one at once.
 * The nonce is read from the node before the first transaction and again after a failed call.
 */
public final class RemoteAccount implements TxSender {
    private final MarketClient client;
    private final Signer signer;
    private final List<SignedTx> queued = new ArrayList<>();
    /** The next nonce; -1 until read from the node. */
    private long nextNonce = -1;

    private RemoteAccount(MarketClient client, Signer signer) {
        this.client = client;
        this.signer = signer;
    }

    /** The account of {@code keys} on the node's market (its chain id read from the node). */
    public static RemoteAccount of(MarketClient client, KeyPair keys) {
        return new RemoteAccount(client, new Signer(keys, client.market().chainId()));
    }

    @Override
    public String id() {
        return signer.accountId();
    }

    /** Signs with the next nonce and queues until {@link #flush}. */
    @Override
    public synchronized Hash send(Tx body) {
        SignedTx tx = signer.sign(nextNonce(), body);
        queued.add(tx);
        return Hash.of(tx.toBytes());
    }

    /** A transaction sent and what became of it. */
    public record Sent(Tx body, TxResult result) {
        /** E.g. "LockRequest #5 accepted at block 120". */
        public String describe() {
            String what = body.getClass().getSimpleName() + switch (body) {
                case Tx.LockRequest l -> " #" + l.requestId();
                case Tx.LockRequests l -> " of " + l.requestIds().size() + " #" + l.requestIds().getFirst() + "..#" + l.requestIds().getLast();
                case Tx.SubmitResult r -> " #" + r.requestId();
                case Tx.SubmitProof p -> " #" + p.requestId();
                case Tx.Challenge c -> " #" + c.requestId();
                case Tx.SubmitBatchResult b -> " of " + b.requestIds().size() + " #" + b.requestIds().getFirst() + "..#" + b.requestIds().getLast();
                default -> "";
            };
            return what + (result.accepted() ? " accepted" : " rejected (" + result.reason() + ")") + " at block " + result.height();
        }
    }

    /** Submits the queued transactions in order; returns them with their results once committed (none if nothing was queued). */
    public synchronized List<Sent> flush() {
        if (queued.isEmpty()) {
            return List.of();
        }
        List<SignedTx> batch = List.copyOf(queued);
        queued.clear();
        try {
            List<TxResult> results = client.submitAll(batch);
            return java.util.stream.IntStream.range(0, batch.size()).mapToObj(i -> new Sent(batch.get(i).body(), results.get(i))).toList();
        } catch (NodeException e) {
            resync();
            throw e;
        }
    }

    /** Signs and submits one transaction; returns its result once committed. */
    public synchronized TxResult submit(Tx body) {
        try {
            return client.submit(signer.sign(nextNonce(), body));
        } catch (NodeException e) {
            resync();
            throw e;
        }
    }

    private long nextNonce() {
        if (nextNonce < 0) {
            nextNonce = client.account(id()).map(AccountView::nonce).orElse(0L);
        }
        return nextNonce++;
    }

    /** Forgets the nonce (the node is asked again before the next transaction) and anything queued. */
    private void resync() {
        queued.clear();
        nextNonce = -1;
    }
}
