package dev.verinfer.server;

import com.fasterxml.jackson.core.JacksonException;
import dev.verinfer.api.Json;
import dev.verinfer.api.TxBatch;
import dev.verinfer.api.TxResult;
import dev.verinfer.api.TxResults;
import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.Hash;
import dev.verinfer.ledger.Ledger;
import dev.verinfer.market.Account;
import dev.verinfer.market.Market;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.SignedTx;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code POST /v1/transactions}: signed transactions, checked before they reach the ledger
 * (decodable, within their kind's size cap, signed by their key for this market, from a known
 * account whose balance covers the transaction fee, with an unused nonce), admitted in nonce order
 * ({@link Admission}: later nonces wait in memory, not in the journal), and answered once their
 * block is durable. The market checks everything again when it applies them; what it rejects is
 * answered 422 with its reason (and has cost its sender the fee).
 */
final class Submissions {
    static final int MAX_BATCH = 1_000;

    private final Ledger<Market> ledger;
    private final Commits commits;
    private final String chainId;
    private final Duration timeout;
    private final Supplier<Optional<Throwable>> failure;
    private final MarketParams params;
    private final Admission admission;

    Submissions(Ledger<Market> ledger, Commits commits, MarketParams params, Duration timeout, Supplier<Optional<Throwable>> failure) {
        this.ledger = ledger;
        this.commits = commits;
        this.chainId = params.chainId();
        this.params = params;
        this.timeout = timeout;
        this.failure = failure;
        this.admission = new Admission(ledger);
    }

    /** Called with every durable block (after {@link Commits#onBlock}). */
    void onBlock(Block b) {
        admission.onBlock(b);
    }

    Object submit(Call call) throws Exception {
        failure.get().ifPresent(e -> {
            throw new ApiException(503, "the node stopped producing blocks (" + e + "); restart it on its data directory");
        });
        return switch (call.contentType()) {
            case "application/octet-stream" -> {
                TxResult r = submitAll(List.of(call.body(Market.MAX_TX_BYTES)), false).getFirst();
                yield Router.Answer.json(r.accepted() ? 200 : 422, r);
            }
            case "application/json" -> new TxResults(submitAll(batch(call.body(4 * Market.MAX_TX_BYTES)), true));
            case TxBatch.BINARY -> new TxResults(submitAll(binaryBatch(call.body(4 * Market.MAX_TX_BYTES)), true));
            default -> throw new ApiException(415, "a transaction is sent as application/octet-stream (one, its binary encoding),"
                    + " application/json ({\"transactions\": [base64, ...]}) or " + TxBatch.BINARY + " (several, binary), not '" + call.contentType() + "'");
        };
    }

    private static List<byte[]> batch(byte[] body) {
        TxBatch batch;
        try {
            batch = Json.MAPPER.readValue(body, TxBatch.class);
        } catch (JacksonException e) {
            throw new ApiException(400, "malformed JSON batch: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "unreadable JSON batch: " + e.getMessage());
        }
        if (batch.transactions() == null || batch.transactions().isEmpty() || batch.transactions().size() > MAX_BATCH) {
            throw new ApiException(400, "a batch holds 1.." + MAX_BATCH + " transactions");
        }
        if (batch.transactions().stream().anyMatch(t -> t == null || t.length > Market.MAX_TX_BYTES)) {
            throw new ApiException(400, "a batch's transactions are base64 strings of at most " + Market.MAX_TX_BYTES + " bytes");
        }
        return batch.transactions();
    }

    private static List<byte[]> binaryBatch(byte[] body) {
        List<byte[]> txs;
        try {
            txs = TxBatch.fromBinary(body, MAX_BATCH).transactions();
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        if (txs.stream().anyMatch(t -> t.length > Market.MAX_TX_BYTES)) {
            throw new ApiException(400, "a batch's transactions are at most " + Market.MAX_TX_BYTES + " bytes each");
        }
        return txs;
    }

    /** Checks every transaction, then queues them in order and waits for their blocks; none is queued if one fails its check. */
    private List<TxResult> submitAll(List<byte[]> txs, boolean batch) throws InterruptedException {
        List<SignedTx> checked = new ArrayList<>();
        for (int i = 0; i < txs.size(); i++) {
            checked.add(check(txs.get(i), batch ? "transaction " + i + " of the batch: " : ""));
        }
        // Proofs are checked here, on the caller's thread, before their transactions reach the ledger, so that the block
        // producer finds their verdicts instead of checking them under the ledger's lock (one it reaches while the check
        // runs waits for it); one that admission would refuse (a used or queued nonce, too far ahead) is not checked.
        for (int i = 0; i < checked.size(); i++) {
            SignedTx tx = checked.get(i);
            if (admission.admissible(tx.sender(), tx.nonce(), txs.get(i).length)) {
                ledger.read(m -> m.preverification(tx.sender(), tx.body())).run();
            }
        }
        List<Hash> hashes = new ArrayList<>();
        List<CompletableFuture<TxResult>> pending = new ArrayList<>();
        for (int i = 0; i < txs.size(); i++) {
            Hash h = Hash.of(txs.get(i));
            CompletableFuture<TxResult> waiter = commits.expect(h);
            try {
                admission.admit(checked.get(i).sender(), checked.get(i).nonce(), txs.get(i));
            } catch (ApiException e) {
                commits.abandon(h, waiter);
                if (i == 0) {
                    throw batch ? new ApiException(e.status, "transaction 0 of the batch: " + e.getMessage()) : e;
                }
                throw new ApiException(e.status, "transaction " + i + " of the batch: " + e.getMessage() + " (transactions 0.." + (i - 1)
                        + " were queued: see GET /v1/accounts/{id} for the account's nonce)");
            }
            hashes.add(h);
            pending.add(waiter);
        }
        List<TxResult> results = new ArrayList<>();
        long end = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < pending.size(); i++) {
            try {
                results.add(pending.get(i).get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                for (int j = i; j < pending.size(); j++) {
                    commits.abandon(hashes.get(j), pending.get(j));
                }
                throw new ApiException(504, "transaction " + hashes.get(i) + " was not committed within " + timeout.toSeconds()
                        + " s; it may still be: see GET /v1/accounts/{id} for the account's nonce");
            } catch (ExecutionException e) {
                throw new IllegalStateException("a commit waiter failed", e.getCause());
            }
        }
        return results;
    }

    private SignedTx check(byte[] bytes, String where) {
        SignedTx tx;
        try {
            tx = SignedTx.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, where + e.getMessage());
        }
        int cap = Market.maxBytes(tx.body());
        if (bytes.length > cap) {
            throw new ApiException(413, where + "a " + tx.body().getClass().getSimpleName() + " of " + bytes.length + " bytes exceeds its kind's limit of " + cap);
        }
        if (!ledger.read(m -> m.signatureCheck(bytes)).getAsBoolean()) {
            throw new ApiException(401, where + "invalid signature: the transaction is not signed by its key for market " + chainId);
        }
        String sender = tx.sender();
        Optional<Account> account = ledger.read(m -> m.state().account(sender));
        if (account.isEmpty()) {
            throw new ApiException(403, where + "unknown account " + sender + " (an account begins with a deposit by the operator)");
        }
        if (tx.nonce() < account.get().nonce()) {
            throw new ApiException(409, where + "nonce " + tx.nonce() + " was already used: account " + sender + "'s next nonce is "
                    + account.get().nonce() + " (a replayed transaction)");
        }
        long fee = sender.equals(params.operator()) ? 0 : params.txFeeFor(bytes.length);
        if (account.get().balance() < fee) {
            throw new ApiException(402, where + "account " + sender + "'s balance " + account.get().balance() + " does not cover the transaction's fee " + fee);
        }
        return tx;
    }
}
