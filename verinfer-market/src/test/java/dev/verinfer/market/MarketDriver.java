package dev.verinfer.market;

import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.BlockContext;
import dev.verinfer.ledger.EmbeddedLedger;
import dev.verinfer.ledger.Hash;
import dev.verinfer.ledger.TxOutcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives a market in tests, one transaction per block, checking the invariants after every
 * block: on the embedded ledger, or directly on the state machine (fast, for property tests).
 */
final class MarketDriver {
    static final String CHAIN = "test-market";

    /** Seals one block at a time with the given transactions. */
    interface Chain {
        List<TxOutcome> block(long time, List<byte[]> txs);

        MarketState state();
    }

    final Signer operator;
    private final Chain chain;
    private final Map<String, Long> nonces = new HashMap<>();
    private long time = 1_000_000;

    private MarketDriver(Chain chain, Signer operator) {
        this.chain = chain;
        this.operator = operator;
    }

    static Signer operator() {
        return Signer.generate(CHAIN);
    }

    static MarketDriver inMemory(Market market, Signer operator) {
        return new MarketDriver(new Chain() {
            private long height;
            private Hash parent = Hash.ZERO;
            private long parentTime = Long.MIN_VALUE;

            @Override
            public List<TxOutcome> block(long time, List<byte[]> txs) {
                height++;
                BlockContext context = new BlockContext(height, time, parent, parentTime == Long.MIN_VALUE ? time : parentTime);
                parentTime = time;
                market.beginBlock(context);
                List<TxOutcome> out = new ArrayList<>();
                for (byte[] tx : txs) {
                    out.add(market.apply(context, tx));
                }
                parent = Hash.of(parent.bytes(), ByteBuffer.allocate(16).putLong(height).putLong(time).array(),
                        Hash.of(txs.toArray(byte[][]::new)).bytes());
                return out;
            }

            @Override
            public MarketState state() {
                return market.state();
            }
        }, operator);
    }

    /** A durable ledger in {@code dir} running the market with the real zkml verifier, its clock {@code clock}. */
    static EmbeddedLedger<Market> openZkmlLedger(Path dir, AtomicLong clock, Signer operator) throws IOException {
        return EmbeddedLedger.open(dir, new Market(params(operator), new ZkmlProofVerifier()), new EmbeddedLedger.Options(5, 100, clock::get));
    }

    static MarketDriver onLedger(EmbeddedLedger<Market> ledger, AtomicLong clock, Signer operator) {
        return new MarketDriver(new Chain() {
            @Override
            public List<TxOutcome> block(long time, List<byte[]> txs) {
                clock.set(time);
                txs.forEach(ledger::submit);
                try {
                    Block b = ledger.produceBlock();
                    return b.outcomes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public MarketState state() {
                return ledger.read(Market::state);
            }
        }, operator);
    }

    /** This driver's accounts (their next nonces) and time on {@code ledger}: the same node restarted from its directory. */
    MarketDriver reopened(EmbeddedLedger<Market> ledger, AtomicLong clock) {
        MarketDriver d = onLedger(ledger, clock, operator);
        d.nonces.putAll(nonces);
        d.time = time;
        return d;
    }

    static MarketParams params(Signer operator) {
        return MarketParams.defaults(CHAIN, operator.accountId()).withoutTxFees();
    }

    MarketState state() {
        return chain.state();
    }

    long now() {
        return time;
    }

    /** A new account funded by the operator. */
    Signer account(long deposit) {
        Signer s = Signer.generate(CHAIN);
        ok(operator, new Tx.Deposit(s.accountId(), deposit));
        return s;
    }

    SignedTx sign(Signer s, Tx body) {
        long nonce = nonces.merge(s.accountId(), 1L, Long::sum) - 1;
        return s.sign(nonce, body);
    }

    TxOutcome send(Signer s, Tx body) {
        return submit(sign(s, body).toBytes());
    }

    /** Sends and expects acceptance. */
    void ok(Signer s, Tx body) {
        TxOutcome o = send(s, body);
        assertEquals("", o.reason(), body + " should be accepted");
    }

    /** Sends and expects rejection; returns the reason. */
    String refused(Signer s, Tx body) {
        TxOutcome o = send(s, body);
        assertFalse(o.accepted(), body + " should be rejected");
        return o.reason();
    }

    /** Sends a result or proof that fails verification: answered as refused, its prover slashed; returns the reason. */
    String slashed(Signer s, Tx body) {
        TxOutcome o = send(s, body);
        assertFalse(o.accepted(), body + " should be answered as refused");
        assertTrue(o.reason().endsWith("prover slashed") || o.reason().endsWith("prover slashed on every request of the batch"), o.reason());
        return o.reason();
    }

    TxOutcome submit(byte[] tx) {
        TxOutcome o = chain.block(time, List.of(tx)).getFirst();
        checkInvariants();
        return o;
    }

    /** Lets time pass with the node up: an empty block at least every second, as an idle node seals them (the timers run). */
    void advance(long millis) {
        long end = time + millis;
        do {
            time = Math.min(end, time + 1_000);
            chain.block(time, List.of());
        } while (time < end);
        checkInvariants();
    }

    /** The node is down for {@code millis}: the next block (empty) comes that much after the last. */
    void down(long millis) {
        time += millis;
        chain.block(time, List.of());
        checkInvariants();
    }

    void checkInvariants() {
        assertEquals(List.of(), Invariants.violations(state()), "market invariants");
    }
}
