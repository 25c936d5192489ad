package dev.verinfer.node;

import dev.verinfer.api.TxResult;
import dev.verinfer.client.AgentBackend;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.client.RemoteAgent;
import dev.verinfer.eth.ChainException;
import dev.verinfer.eth.EthMarket;
import dev.verinfer.eth.Receipt;
import dev.verinfer.eth.VerifierSession;
import dev.verinfer.ledger.Hash;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.Mode;
import dev.verinfer.market.Model;
import dev.verinfer.market.Request;
import dev.verinfer.market.Tx;
import dev.verinfer.market.TxSender;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link AgentBackend} on a {@code VerinferMarket} contract: the prover's and watcher's automata run
 * unchanged on the contract's requests, seen as the embedded market's {@link Request}s (seconds
 * become milliseconds, a model id becomes the listing key {@code vkHash@owner}, a cancelled request
 * is final like a refunded one), and their transactions become contract calls.
 *
 * <p>On a chain nothing moves by itself: the embedded node's timers are the contract's
 * {@code advance(id)}, which anyone may call. So the agent is also a keeper of its models' requests:
 * after its own transactions it advances every one whose transition is due at the newest block
 * (refund past the deadline, slash a silent prover or a missing proof, settle an unchallenged
 * result, demand the proof of an unrevealed sample), as the embedded node would have.
 *
 * <p>A batch result ({@link Tx.SubmitBatchResult}) is the contract's {@code submitBatchResult}. A
 * proof longer than the agent's limit (a chain whose transaction pool takes at most 128 KB) is
 * uploaded in chunks to the market's proof buffer first and then named by its hash. A proof for a model
 * whose verifier is a {@code ZkmlVerifierSession} is verified by the session in one transaction when that fits
 * the per-transaction gas cap, else in four, each carrying its part of the proof, then submitted by its hash (the session does not verify batch proofs: the
 * prover proves such a listing's requests one by one, {@link SessionInference}).
 */
final class ChainAgentBackend implements AgentBackend {
    private static final long POLL_MILLIS = 100;

    private final ChainMarket chain;
    private final EthMarket market;
    private final Sender sender = new Sender();
    private final Map<String, EthMarket.ModelView> modelsById = new HashMap<>();
    /** Per verifier address: the verification session there, or empty for another verifier. */
    private final Map<String, java.util.Optional<VerifierSession>> sessions = new HashMap<>();
    private final Set<Long> ended = new HashSet<>();
    private final Map<Long, byte[]> inputs = new HashMap<>();
    /** A posted output and the block it was posted in (a re-opened request's next result is another). */
    private record Posted(long block, byte[] output) {
    }

    private final Map<Long, Posted> outputs = new HashMap<>();
    private final List<Long> due = new ArrayList<>();
    private final Set<Long> tooLarge = new HashSet<>();
    private final List<String> notes = new ArrayList<>();
    private EthMarket.Params params;
    private long lowestLive = 1;

    /** Proofs longer than this go through the proof buffer in chunks. */
    private final int inlineProofBytes;
    /** The most gas a transaction may take (a session's proof in one transaction when it fits, else in four). */
    private final long maxTxGas;

    /** Every proof in its transaction's calldata; transactions under Ethereum's cap (EIP-7825). */
    ChainAgentBackend(ChainMarket chain) {
        this(chain, Integer.MAX_VALUE, VerifierSession.TX_GAS_CAP);
    }

    /** Proofs longer than {@code inlineProofBytes} uploaded in chunks first; a session's transactions of at most {@code maxTxGas} gas each. */
    ChainAgentBackend(ChainMarket chain, int inlineProofBytes, long maxTxGas) {
        this.chain = chain;
        this.market = chain.market();
        this.inlineProofBytes = inlineProofBytes;
        this.maxTxGas = maxTxGas;
    }

    @Override public String where() {
        return "chain " + chain.url() + " market " + market.address();
    }

    @Override public TxSender account() {
        return sender;
    }

    @Override public MarketParams params() {
        params = reach(market::params);
        return new MarketParams("eth:" + market.account().chainId() + ":" + market.address(), reach(market::treasury), params.floorBps(),
                params.rampSeconds() * 1000, params.lockSeconds() * 1000, params.collateralBps(), params.challengeBondBps(),
                params.responseSeconds() * 1000, params.protocolFeeBps(), params.slashVictimBps(), params.minProverStake().longValueExact(),
                params.minLockSeconds() * 1000, params.maxDeadlineSeconds() * 1000, params.minWindowSeconds() * 1000,
                params.revealSeconds() * 1000, params.challengeRewardBps(), 0, 0, 0);
    }

    @Override public Tip tipAfter(long height, long waitMillis) {
        long giveUp = System.nanoTime() + waitMillis * 1_000_000;
        while (true) {
            long head = reach(() -> rpc(() -> market.account().web3j().ethBlockNumber().send().getBlockNumber().longValueExact()));
            if (head > height || System.nanoTime() >= giveUp) {
                long time = reach(() -> rpc(() -> market.account().web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()
                        .getBlock().getTimestamp().longValueExact()));
                return new Tip(head, time * 1000);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Tip(head, 0);
            }
        }
    }

    @Override public List<Request> live(Set<String> models, Predicate<Request> needsInput) {
        return reach(() -> {
            long now = rpc(() -> market.account().web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()
                    .getBlock().getTimestamp().longValueExact());
            long next = market.nextRequestId();
            List<Request> live = new ArrayList<>();
            due.clear();
            for (long id = lowestLive; id < next; id++) {
                if (ended.contains(id)) {
                    continue;
                }
                EthMarket.RequestView v = market.request(id);
                if (v.escrow().signum() == 0) {
                    ended.add(id);
                    inputs.remove(id);
                    outputs.remove(id);
                    continue;
                }
                EthMarket.ModelView model = modelsById.computeIfAbsent(Numeric.toHexString(v.modelId()), k -> market.model(v.modelId()));
                String vk = Numeric.toHexStringNoPrefix(model.vkHash());
                if (!models.contains(vk)) {
                    continue;
                }
                if (isDue(v, now)) {
                    due.add(id);
                }
                if (!fitsALong(v)) {
                    // The automata count in longs (the embedded market's units): such a request is kept (advanced) but not served.
                    if (tooLarge.add(id)) {
                        notes.add("request #" + id + " has an amount above 2^63 - 1 units: this agent keeps it but does not serve it");
                    }
                    continue;
                }
                Request bare = toRequest(v, Model.key(vk, model.owner()), new byte[0], new byte[0]);
                if (needsInput.test(bare)) {
                    byte[] output = v.status() == EthMarket.Status.POSTED || v.status() == EthMarket.Status.PROOF_DUE ? posted(v) : new byte[0];
                    live.add(toRequest(v, bare.modelId(), inputs.computeIfAbsent(id, market::input), output));
                } else {
                    live.add(bare);
                }
            }
            while (lowestLive < next && ended.remove(lowestLive)) {
                lowestLive++;
            }
            return live;
        });
    }

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static boolean fitsALong(EthMarket.RequestView v) {
        return v.maxFee().compareTo(LONG_MAX) <= 0 && v.price().compareTo(LONG_MAX) <= 0 && v.collateral().compareTo(LONG_MAX) <= 0
                && v.bond().compareTo(LONG_MAX) <= 0;
    }

    /** The output posted in the request's current round (its last {@code ResultPosted}), read once per round. */
    private byte[] posted(EthMarket.RequestView v) {
        Posted p = outputs.get(v.id());
        if (p == null || p.block() != v.postedBlock()) {
            p = new Posted(v.postedBlock(), market.output(v.id()).orElse(new byte[0]));
            outputs.put(v.id(), p);
        }
        return p.output();
    }

    /** Whether {@code advance} would make a transition at time {@code now} (the contract's conditions). */
    private boolean isDue(EthMarket.RequestView r, long now) {
        return switch (r.status()) {
            case OPEN -> now >= r.deadline();
            case LOCKED -> now > r.lockExpiresAt();
            case POSTED -> now >= r.postedAt() + (r.mode() == EthMarket.Mode.OPTIMISTIC ? r.window() : revealSeconds());
            case PROOF_DUE -> now > r.respondBy();
            case NONE, SETTLED, REFUNDED, CANCELLED -> false;
        };
    }

    private long revealSeconds() {
        if (params == null) {
            params = market.params();
        }
        return params.revealSeconds();
    }

    private static Request toRequest(EthMarket.RequestView v, String modelKey, byte[] input, byte[] output) {
        Mode mode = switch (v.mode()) {
            case ZK -> new Mode.Zk();
            case OPTIMISTIC -> new Mode.Optimistic(v.window() * 1000);
            case SAMPLED -> new Mode.Sampled(v.sampleBps(), v.window() * 1000);
        };
        Request.Status status = switch (v.status()) {
            case OPEN -> Request.Status.OPEN;
            case LOCKED -> Request.Status.LOCKED;
            case POSTED -> Request.Status.POSTED;
            case PROOF_DUE -> Request.Status.PROOF_DUE;
            case SETTLED -> Request.Status.SETTLED;
            case NONE, REFUNDED, CANCELLED -> Request.Status.REFUNDED;
        };
        boolean held = status.holdsCollateral();
        Request.Lock lock = held ? new Request.Lock(v.prover(), v.price().longValueExact(), v.collateral().longValueExact(), v.lockExpiresAt() * 1000) : null;
        Request.Result result = status == Request.Status.POSTED || status == Request.Status.PROOF_DUE
                ? new Request.Result(output, List.of(), v.postedAt() * 1000, v.postedBlock()) : null;
        Request.Dispute dispute = status == Request.Status.PROOF_DUE
                ? new Request.Dispute(v.challenger().equals(ZERO) ? "" : v.challenger(), v.bond().longValueExact(), v.respondBy() * 1000) : null;
        return new Request(v.id(), v.client(), modelKey, input, v.maxFee().longValueExact(), v.deadline() * 1000, mode, status,
                v.openedAt() * 1000, lock, result, dispute, List.of(), false, 0);
    }

    private static final String ZERO = "0x0000000000000000000000000000000000000000";

    @Override public void flush(RemoteAgent.Log log) {
        notes.forEach(log::note);
        notes.clear();
        List<Tx> queued = sender.drain();
        for (Tx tx : queued) {
            send(tx, log);
        }
        for (long id : due) {
            try {
                Receipt r = market.advance(id);
                log.note("advance #" + id + " -> " + market.request(id).status() + " at block " + r.block() + ", gas " + r.gasUsed());
            } catch (ChainException e) {
                if (e.unreachable()) {
                    throw new Unreachable(e.getMessage(), e);
                }
                // another keeper (or the parties) made the transition first: nothing is due any more
            }
        }
        due.clear();
    }

    private void send(Tx tx, RemoteAgent.Log log) {
        if (tx instanceof Tx.LockRequests many) {
            // the contract locks one request per call: each lock is sent (and succeeds or fails) on its own
            many.requestIds().forEach(id -> send(new Tx.LockRequest(id), log));
            return;
        }
        try {
            Receipt r = switch (tx) {
                case Tx.LockRequest l -> market.lock(l.requestId());
                case Tx.SubmitResult s when s.proof().length == 0 -> market.submitResult(s.requestId(), s.output());
                case Tx.SubmitResult s when session(s.requestId()) != null -> {
                    byte[] input = input(s.requestId());
                    byte[] sessionProof = verifiedOnChain(s.requestId(), input, s.output(), s.proof(), log,
                            inline -> market.estimateZkResult(s.requestId(), s.output(), input, inline));
                    yield market.submitZkResult(s.requestId(), s.output(), input, sessionProof);
                }
                case Tx.SubmitResult s -> chunked(s.proof(), log)
                        ? market.submitZkResultBuffered(s.requestId(), s.output(), input(s.requestId()), EthMarket.proofHash(s.proof()))
                        : market.submitZkResult(s.requestId(), s.output(), input(s.requestId()), s.proof());
                case Tx.SubmitBatchResult b -> {
                    List<byte[]> batchInputs = b.requestIds().stream().map(this::input).toList();
                    yield chunked(b.proof(), log)
                            ? market.submitBatchResultBuffered(b.requestIds(), batchInputs, b.outputs(), EthMarket.proofHash(b.proof()))
                            : market.submitBatchResult(b.requestIds(), batchInputs, b.outputs(), b.proof());
                }
                case Tx.SubmitProof p when session(p.requestId()) != null -> {
                    byte[] output = posted(market.request(p.requestId()));
                    byte[] input = input(p.requestId());
                    byte[] sessionProof = verifiedOnChain(p.requestId(), input, output, p.proof(), log,
                            inline -> market.estimateProof(p.requestId(), input, output, inline));
                    yield market.submitProof(p.requestId(), input, output, sessionProof);
                }
                case Tx.SubmitProof p -> {
                    byte[] output = posted(market.request(p.requestId()));
                    yield chunked(p.proof(), log)
                            ? market.submitProofBuffered(p.requestId(), input(p.requestId()), output, EthMarket.proofHash(p.proof()))
                            : market.submitProof(p.requestId(), input(p.requestId()), output, p.proof());
                }
                case Tx.Challenge c -> market.challenge(c.requestId());
                // ClaimUnprovable: the contract has no unprovable-input claim yet; the lock expires and the prover is slashed.
                default -> null;
            };
            if (r == null) {
                log.note(tx.getClass().getSimpleName() + " is not a transaction of the market contract: not sent");
            } else {
                log.sent(new RemoteAccount.Sent(tx, new TxResult(r.txHash(), r.block(), true, "")));
            }
        } catch (ChainException e) {
            if (e.unreachable()) {
                throw new Unreachable(e.getMessage(), e);
            }
            log.sent(new RemoteAccount.Sent(tx, new TxResult("", -1, false, e.getMessage())));
        }
    }

    /** Whether {@code proof} goes through the proof buffer; if so, uploads it (chunks already stored are not sent again). */
    private boolean chunked(byte[] proof, RemoteAgent.Log log) {
        if (proof.length <= inlineProofBytes) {
            return false;
        }
        List<Receipt> chunks = market.uploadProof(proof, EthMarket.MAX_CHUNK);
        log.note("proof of " + proof.length + " bytes uploaded in " + chunks.size() + " chunks, gas " + chunks.stream().mapToLong(Receipt::gasUsed).sum());
        return true;
    }

    /** The verification session of request {@code id}'s model, or null when its verifier is another contract (checked once per verifier). */
    private VerifierSession session(long id) {
        EthMarket.ModelView m = market.model(market.request(id).modelId());
        return sessions.computeIfAbsent(m.verifier(), v -> VerifierSession.at(market.account(), v)).orElse(null);
    }

    /**
     * What the market passes the session for {@code proof} of request {@code id}'s statement with this input and
     * output. When the parts verify (eth_call) and the market's transaction carrying them ({@code marketGas}'s
     * estimate) fits the cap, the parts themselves: the session verifies them inside the market's call, one
     * transaction in all. Else the session is run first — in one transaction when its estimated gas fits the cap,
     * else in four, each carrying its part of the proof — so that the market's call finds it accepted, and the
     * proof's hash is what the market passes.
     */
    private byte[] verifiedOnChain(long id, byte[] input, byte[] output, byte[] proof, RemoteAgent.Log log, java.util.function.ToLongFunction<byte[]> marketGas) {
        byte[] vkHash = market.model(market.request(id).modelId()).vkHash();
        VerifierSession session = session(id).as(market.account());
        VerifierSession.Parts parts = session.split(vkHash, proof);
        byte[] statement = market.statementOf(id, input, output);
        byte[] inline = VerifierSession.inlineProof(parts);
        if (inlineFits(session, vkHash, statement, inline, marketGas)) {
            log.note("proof of request " + id + " (" + proof.length + " bytes) verified inside the market's call");
            return inline;
        }
        List<VerifierSession.Step> steps = session.verifyOnChain(vkHash, statement, parts, maxTxGas);
        log.note("proof of request " + id + " (" + proof.length + " bytes) verified by the session in " + (steps.size() == 1 ? "one transaction" : steps.size() + " transactions") + ", gas "
                + steps.stream().mapToLong(st -> st.receipt().gasUsed()).sum());
        return parts.proofHash();
    }

    /** Whether the parts verify and the market's transaction carrying them fits the cap (a contract's refusal throws). */
    private boolean inlineFits(VerifierSession session, byte[] vkHash, byte[] statement, byte[] inline, java.util.function.ToLongFunction<byte[]> marketGas) {
        try {
            return session.verify(vkHash, statement, inline) && marketGas.applyAsLong(inline) <= maxTxGas;
        } catch (ChainException e) {
            if (e.unreachable() || !e.error().isEmpty()) {
                throw e; // the node is down, or the contract refused the proof: the session's transactions would refuse it too
            }
            return false; // more gas than the node lets one call take: the session's transactions
        }
    }

    private byte[] input(long id) {
        return inputs.computeIfAbsent(id, market::input);
    }

    /** The agent's account on the contract: queues what the automaton sends until {@link #flush}. */
    private final class Sender implements TxSender {
        private final List<Tx> queued = new ArrayList<>();
        private long sent;

        @Override public String id() {
            return market.account().address();
        }

        @Override public synchronized Hash send(Tx body) {
            queued.add(body);
            // A handle only: the chain's transaction hash is known once flush has signed it.
            return Hash.of(id().getBytes(java.nio.charset.StandardCharsets.US_ASCII), java.nio.ByteBuffer.allocate(8).putLong(++sent).array());
        }

        /** The contract's batch context (chain id, market, requests, prover), which its batch statement names. */
        @Override public byte[] batchProofContext(MarketParams params, List<Long> requestIds) {
            return market.batchProofContext(requestIds, id());
        }

        /** The contract's bound on a batch (VerinferMarket.MAX_BATCH). */
        @Override public int maxBatch() {
            return EthMarket.MAX_BATCH;
        }

        /** The contract's proof context (chain id, market, request, prover), which its statement names. */
        @Override public byte[] proofContext(MarketParams params, long requestId) {
            return market.proofContext(requestId, id());
        }

        synchronized List<Tx> drain() {
            List<Tx> all = List.copyOf(queued);
            queued.clear();
            return all;
        }
    }

    private interface Rpc<T> {
        T call() throws IOException;
    }

    private static <T> T rpc(Rpc<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new Unreachable("the chain's node did not answer: " + e.getMessage(), e);
        }
    }

    /** A call to the chain; a node that does not answer is {@link Unreachable}. */
    private static <T> T reach(Supplier<T> call) {
        try {
            return call.get();
        } catch (ChainException e) {
            if (e.unreachable()) {
                throw new Unreachable(e.getMessage(), e);
            }
            throw e;
        }
    }
}
