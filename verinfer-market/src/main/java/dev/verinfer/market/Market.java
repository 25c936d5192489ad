package dev.verinfer.market;

import dev.verinfer.ledger.BlockContext;
import dev.verinfer.ledger.Hash;
import dev.verinfer.ledger.StateMachine;
import dev.verinfer.ledger.TxOutcome;

import java.util.List;

/**
 * The market as a ledger state machine. Each transaction is decoded, held to its kind's size cap
 * ({@link #maxBytes}), authenticated (Ed25519 signature of the sender's key over the market's
 * chain id, the sender's next nonce) and handed to the rules. Once authenticated, a transaction
 * consumes its nonce and pays its fee ({@link MarketParams#txFeeFor}, to the treasury; the
 * operator pays none) even if the rules reject it, so a signed transaction is applied at most once,
 * never later in other circumstances, and every transaction that reaches the journal costs its
 * sender. A sender whose balance is below the fee loses its balance and the transaction is refused.
 */
public final class Market implements StateMachine {
    /** Bound on a transaction's size (a proof of the models in use is far smaller). */
    public static final int MAX_TX_BYTES = 16 << 20;
    /** Room for the signed envelope (key, nonce, signature) and a body's fixed fields. */
    private static final int ENVELOPE_BYTES = 4 << 10;

    /**
     * The size cap of a transaction by its kind: {@link #MAX_TX_BYTES} for those that carry proofs
     * (results, proofs, batches) and for workflows (up to 32 inputs); a request or claim, one input
     * ({@link Transitions#MAX_TENSOR_BYTES}) and an attestation; a model registration, its verifying
     * key (4 MiB), and a weight rotation, its link proof (4 MiB); 64 KiB for committed requests and oracle sets (at most 256 roots or keys); 4 KiB for the rest.
     */
    public static int maxBytes(Tx body) {
        return switch (body) {
            case Tx.SubmitResult r -> MAX_TX_BYTES;
            case Tx.SubmitProof p -> MAX_TX_BYTES;
            case Tx.SubmitCommittedResult r -> MAX_TX_BYTES;
            case Tx.SubmitBatchResult b -> MAX_TX_BYTES;
            case Tx.SubmitWorkflow w -> MAX_TX_BYTES;
            case Tx.SubmitRequest r -> Transitions.MAX_TENSOR_BYTES + (64 << 10);
            case Tx.ClaimUnprovable c -> Transitions.MAX_TENSOR_BYTES + ENVELOPE_BYTES;
            case Tx.RegisterModel m -> 4 << 20;
            case Tx.RotateWeights r -> 4 << 20;
            case Tx.SubmitCommittedRequest r -> 64 << 10;
            case Tx.RegisterOracleSet o -> 64 << 10;
            case Tx.Deposit d -> ENVELOPE_BYTES;
            case Tx.Withdraw w -> ENVELOPE_BYTES;
            case Tx.DeprecateModel d -> ENVELOPE_BYTES;
            case Tx.RegisterProver p -> ENVELOPE_BYTES;
            case Tx.AddStake a -> ENVELOPE_BYTES;
            case Tx.WithdrawStake w -> ENVELOPE_BYTES;
            case Tx.LockRequest l -> ENVELOPE_BYTES;
            case Tx.LockRequests l -> ENVELOPE_BYTES + Long.BYTES * TxCodec.MAX_LIST;
            case Tx.Challenge c -> ENVELOPE_BYTES;
            case Tx.RevealSample r -> ENVELOPE_BYTES;
            case Tx.CancelRequest c -> ENVELOPE_BYTES;
            case Tx.WithdrawTreasury t -> ENVELOPE_BYTES;
        };
    }

    private final MarketParams params;
    private final ProofVerifier verifier;
    private final SignatureCache signatures;
    private MarketState state;
    private Transitions transitions;
    private Timers timers;

    /** The genesis state: only the operator's (empty) account exists. */
    public Market(MarketParams params, ProofVerifier verifier) {
        this.params = params;
        this.verifier = new VerdictCache(verifier);
        this.signatures = new SignatureCache(params.chainId());
        MarketState genesis = new MarketState();
        genesis.accounts.put(params.operator(), new Account(0, 0));
        use(genesis);
    }

    private void use(MarketState s) {
        state = s;
        Settlement settlement = new Settlement(s, params);
        transitions = new Transitions(s, params, verifier, settlement);
        timers = new Timers(s, params, settlement);
    }

    public MarketState state() {
        return state;
    }

    /**
     * The proof check a result transaction of {@code sender} will need, as the state stands now: a
     * task that verifies it and remembers the verdict, so that applying the transaction later finds
     * it (a node runs it where the transaction arrives, off the block producer's thread). A no-op
     * for transactions without a proof and for those the rules will refuse before verifying.
     * Call it under the ledger's read lock; run the task outside it.
     */
    public Runnable preverification(String sender, Tx body) {
        try {
            return switch (body) {
                case Tx.SubmitResult s when s.proof().length > 0 -> {
                    Request r = Transitions.lockedBy(state, sender, s.requestId(), Request.Status.LOCKED);
                    Model m = state.models.get(r.modelId());
                    byte[] vk = m.verifyingKey();
                    byte[] chain = m.weightRotations();
                    Statement st = new Statement(Model.modelIdOf(r.modelId()), r.input(), r.inputRoots(), s.output(), List.of())
                            .bound(ProofContext.request(params.chainId(), r.id(), sender));
                    yield () -> verifier.verify(vk, chain, st, s.proof());
                }
                case Tx.SubmitBatchResult b when b.requestIds().size() == b.outputs().size() && b.requestIds().size() >= 2 -> {
                    byte[] context = ProofContext.batch(params.chainId(), b.requestIds(), sender);
                    List<Statement> statements = new java.util.ArrayList<>();
                    for (int i = 0; i < b.requestIds().size(); i++) {
                        Request r = Transitions.lockedBy(state, sender, b.requestIds().get(i), Request.Status.LOCKED);
                        statements.add(new Statement(Model.modelIdOf(r.modelId()), r.input(), r.inputRoots(), b.outputs().get(i), List.of()).bound(context));
                    }
                    Model m = state.models.get(state.requests.get(b.requestIds().getFirst()).modelId());
                    byte[] vk = m.verifyingKey();
                    byte[] chain = m.weightRotations();
                    yield () -> verifier.verifyBatch(vk, chain, statements, b.proof());
                }
                default -> () -> {
                };
            };
        } catch (Rejected e) {
            return () -> {
            };
        }
    }

    /**
     * The signature check of a transaction's bytes: a task that decodes them and verifies the
     * sender's Ed25519 signature for this market, remembering a valid one so that applying the
     * transaction later does not verify it again (a node runs it where the transaction arrives, off
     * the block producer's thread). False for bytes that are no signed transaction.
     * Call it under the ledger's read lock; run the task outside it.
     */
    public java.util.function.BooleanSupplier signatureCheck(byte[] transaction) {
        return () -> {
            try {
                return signatures.valid(Hash.of(transaction), SignedTx.fromBytes(transaction));
            } catch (Wire.MalformedException e) {
                return false;
            }
        };
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
        int cap = maxBytes(tx.body());
        if (transaction.length > cap) {
            return TxOutcome.rejected(hash, "a " + tx.body().getClass().getSimpleName() + " of " + transaction.length + " bytes exceeds its kind's limit of " + cap);
        }
        if (!signatures.valid(hash, tx)) {
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
        long fee = sender.equals(params.operator()) ? 0 : params.txFeeFor(transaction.length);
        if (account.balance() < fee) {
            state.accounts.put(sender, account.nextNonce().withBalance(0));
            state.treasury += account.balance();
            return TxOutcome.rejected(hash, "balance " + account.balance() + " is less than the transaction's fee " + fee + " (the balance was taken)");
        }
        state.accounts.put(sender, account.nextNonce().withBalance(account.balance() - fee));
        state.treasury += fee;
        try {
            String refused = transitions.apply(sender, tx.body(), block);
            return refused == null ? TxOutcome.accepted(hash) : TxOutcome.rejected(hash, refused);
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
