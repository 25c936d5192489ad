package dev.verinfer.market;

import dev.verinfer.ledger.BlockContext;
import dev.verinfer.ledger.Hash;
import dev.verinfer.ledger.StateMachine;
import dev.verinfer.ledger.TxOutcome;

/**
 * The market as a ledger state machine. Each transaction is decoded, authenticated (Ed25519
 * signature of the sender's key over the market's chain id, the sender's next nonce) and handed to
 * the rules. Once authenticated, a transaction consumes its nonce even if the rules reject it, so a
 * signed transaction is applied at most once and never later in other circumstances.
 */
public final class Market implements StateMachine {
    /** Bound on a transaction's size (a proof of the models in use is far smaller). */
    public static final int MAX_TX_BYTES = 16 << 20;

    private final MarketParams params;
    private final ProofVerifier verifier;
    private MarketState state;
    private Transitions transitions;
    private Timers timers;

    /** The genesis state: only the operator's (empty) account exists. */
    public Market(MarketParams params, ProofVerifier verifier) {
        this.params = params;
        this.verifier = verifier;
        MarketState genesis = new MarketState();
        genesis.accounts.put(params.operator(), new Account(0, 0));
        use(genesis);
    }

    private void use(MarketState s) {
        state = s;
        Settlement settlement = new Settlement(s, params);
        transitions = new Transitions(s, params, verifier, settlement);
        timers = new Timers(s, settlement);
    }

    public MarketState state() {
        return state;
    }

    public MarketParams params() {
        return params;
    }

    @Override
    public void beginBlock(BlockContext block) {
        timers.beginBlock(block);
    }

    @Override
    public TxOutcome apply(BlockContext block, byte[] transaction) {
        Hash hash = Hash.of(transaction);
        if (transaction.length > MAX_TX_BYTES) {
            return TxOutcome.rejected(hash, "transaction of " + transaction.length + " bytes exceeds the limit of " + MAX_TX_BYTES);
        }
        SignedTx tx;
        try {
            tx = SignedTx.fromBytes(transaction);
        } catch (Wire.MalformedException e) {
            return TxOutcome.rejected(hash, "malformed transaction: " + e.getMessage());
        }
        if (!tx.signatureValid(params.chainId())) {
            return TxOutcome.rejected(hash, "invalid signature: not signed by its key for market " + params.chainId());
        }
        String sender = tx.sender();
        Account account = state.accounts.get(sender);
        if (account == null) {
            return TxOutcome.rejected(hash, "unknown account " + sender + " (an account begins with a deposit)");
        }
        if (tx.nonce() != account.nonce()) {
            return TxOutcome.rejected(hash, "nonce " + tx.nonce() + " is not account " + sender + "'s next nonce " + account.nonce() + " (replayed or out of order)");
        }
        state.accounts.put(sender, account.nextNonce());
        try {
            transitions.apply(sender, tx.body(), block);
            return TxOutcome.accepted(hash);
        } catch (Rejected r) {
            return TxOutcome.rejected(hash, r.getMessage());
        }
    }

    @Override
    public byte[] snapshot() {
        return StateCodec.encode(state);
    }

    @Override
    public void restore(byte[] snapshot) {
        use(StateCodec.decode(snapshot));
    }
}
