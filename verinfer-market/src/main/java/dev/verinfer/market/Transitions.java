package dev.verinfer.market;

import dev.verinfer.ledger.BlockContext;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The market's rules for each transaction body. Every handler checks everything first and then
 * changes state, so a {@link Rejected} transaction changes nothing. A result or proof that fails
 * verification is the exception: its prover is slashed, and the transaction is answered as not
 * accepted with the reason ({@link #apply} returns it).
 */
final class Transitions {
    /** Bound on any amount and on all value ever deposited, so that sums and basis-point products never overflow. */
    static final long MAX_TOTAL = 100_000_000_000_000L;
    static final int MAX_TENSOR_BYTES = 1 << 20;
    /** Bound on a commitment root's size (verinfer-zkml's are 32 bytes). */
    static final int MAX_ROOT_BYTES = 64;

    private final MarketState state;
    private final MarketParams params;
    private final ProofVerifier verifier;
    private final Settlement settlement;
    private final Workflows workflows;
    private final Batches batches;

    Transitions(MarketState state, MarketParams params, ProofVerifier verifier, Settlement settlement) {
        this.state = state;
        this.params = params;
        this.verifier = verifier;
        this.settlement = settlement;
        this.workflows = new Workflows(state, params, verifier);
        this.batches = new Batches(state, params, verifier, settlement);
    }

    /** Applies {@code body}; returns null if accepted, or why it is answered as refused although it took effect (a failed proof's slash). */
    String apply(String sender, Tx body, BlockContext block) {
        return switch (body) {
            case Tx.SubmitResult r -> submitResult(sender, r, block);
            case Tx.SubmitProof p -> submitProof(sender, p, block);
            case Tx.SubmitCommittedResult r -> submitCommittedResult(sender, r, block);
            case Tx.SubmitBatchResult b -> batches.submit(sender, b, block);
            default -> {
                applyOther(sender, body, block);
                yield null;
            }
        };
    }

    private void applyOther(String sender, Tx body, BlockContext block) {
        switch (body) {
            case Tx.Deposit d -> deposit(sender, d);
            case Tx.Withdraw w -> withdraw(sender, w);
            case Tx.RegisterModel m -> registerModel(sender, m);
            case Tx.DeprecateModel d -> deprecateModel(sender, d);
            case Tx.RotateWeights r -> rotateWeights(sender, r);
            case Tx.RegisterProver p -> registerProver(sender, p);
            case Tx.AddStake a -> addStake(sender, a);
            case Tx.WithdrawStake w -> withdrawStake(sender, w);
            case Tx.SubmitRequest r -> submitRequest(sender, r, block);
            case Tx.LockRequest l -> lock(sender, l, block);
            case Tx.LockRequests l -> lockAll(sender, l, block);
            case Tx.Challenge c -> challenge(sender, c, block);
            case Tx.RegisterOracleSet o -> registerOracleSet(sender, o);
            case Tx.SubmitCommittedRequest r -> submitCommittedRequest(sender, r, block);
            case Tx.SubmitWorkflow w -> workflows.submit(sender, w, block);
            case Tx.RevealSample r -> revealSample(sender, r, block);
            case Tx.CancelRequest c -> cancel(sender, c, block);
            case Tx.ClaimUnprovable c -> claimUnprovable(sender, c, block);
            case Tx.WithdrawTreasury t -> withdrawTreasury(sender, t);
            case Tx.SubmitResult r -> throw new IllegalStateException("handled by apply");
            case Tx.SubmitProof p -> throw new IllegalStateException("handled by apply");
            case Tx.SubmitCommittedResult r -> throw new IllegalStateException("handled by apply");
            case Tx.SubmitBatchResult b -> throw new IllegalStateException("handled by apply");
        }
    }

    static void positive(long amount, String what) {
        Rejected.unless(amount > 0 && amount <= MAX_TOTAL, what + " must lie in 1.." + MAX_TOTAL + ", not " + amount);
    }

    private void deposit(String sender, Tx.Deposit d) {
        Rejected.unless(sender.equals(params.operator()), "only the operator " + params.operator() + " signs deposits, not " + sender);
        positive(d.amount(), "a deposit");
        Rejected.unless(d.account().matches("[0-9a-f]{40}"), "'" + d.account() + "' is not an account id (40 hex digits)");
        Rejected.unless(state.netDeposits() + d.amount() <= MAX_TOTAL, "the market would hold more than its bound of " + MAX_TOTAL
                + " (deposits less withdrawals: " + state.netDeposits() + ")");
        state.accounts.putIfAbsent(d.account(), new Account(0, 0));
        state.credit(d.account(), d.amount());
        state.deposited = Math.addExact(state.deposited, d.amount());
    }

    private void withdrawTreasury(String sender, Tx.WithdrawTreasury t) {
        Rejected.unless(sender.equals(params.operator()), "only the operator " + params.operator() + " withdraws the treasury, not " + sender);
        positive(t.amount(), "a treasury withdrawal");
        Rejected.unless(t.amount() <= state.treasury, "the treasury holds " + state.treasury + ", less than " + t.amount());
        state.treasury -= t.amount();
        state.credit(sender, t.amount());
    }

    private void withdraw(String sender, Tx.Withdraw w) {
        positive(w.amount(), "a withdrawal");
        state.debit(sender, w.amount(), "the withdrawal");
        state.withdrawn += w.amount();
    }

    /** Lists the model under the sender's account ({@link Model#key}): anyone may list any model, each under its own key. */
    private void registerModel(String sender, Tx.RegisterModel m) {
        String id;
        try {
            id = verifier.modelId(m.verifyingKey());
        } catch (IllegalArgumentException e) {
            throw new Rejected(e.getMessage());
        }
        String key = Model.key(id, sender);
        Rejected.unless(!state.models.containsKey(key), "model " + id + " is already listed by " + sender + " as " + key);
        Rejected.unless(m.royalty() >= 0 && m.royalty() <= MAX_TOTAL, "royalty must lie in 0.." + MAX_TOTAL + ", not " + m.royalty());
        state.models.put(key, new Model(key, sender, m.verifyingKey(), m.royalty(), false));
    }

    /**
     * The listing a request names: a listing key {@code modelId@owner}, or a bare model id listed by
     * exactly one owner (with several, the client must name the owner).
     */
    static Model resolve(MarketState state, String name) {
        if (name.indexOf('@') >= 0) {
            Model m = state.models.get(name);
            Rejected.unless(m != null, "no model " + name);
            return m;
        }
        // Keys of the listings of model id `name` lie between "name@" and "nameA" ('A' follows '@').
        List<Model> listings = List.copyOf(state.models.subMap(name + "@", name + "A").values());
        Rejected.unless(!listings.isEmpty(), "no model " + name);
        Rejected.unless(listings.size() == 1, "model " + name + " is listed by " + listings.size() + " owners ("
                + String.join(", ", listings.stream().map(Model::owner).toList()) + "): name one, as " + name + "@owner");
        return listings.getFirst();
    }

    private void deprecateModel(String sender, Tx.DeprecateModel d) {
        Model m = state.models.get(d.modelId().indexOf('@') >= 0 ? d.modelId() : Model.key(d.modelId(), sender));
        Rejected.unless(m != null, "no model " + d.modelId() + " listed by " + sender);
        Rejected.unless(m.owner().equals(sender), "only the owner " + m.owner() + " may deprecate model " + m.id());
        Rejected.unless(!m.deprecated(), "model " + m.id() + " is already deprecated");
        state.models.put(m.id(), m.deprecate());
    }

    /**
     * The owner of a private model's listing extends its weight commitment's rotation chain by one link, verified against the
     * chain's current root (verinfer-zkml {@code WeightRotations.extend}: a proof, at a point drawn after both roots, that the
     * next commitment holds the same weight table). Only the owner: the listing's owner signs it ({@link SignedTx}). The chain
     * is the listing's state (snapshot and replay), so every verifier of the market accepts proofs under each of its roots.
     */
    private void rotateWeights(String sender, Tx.RotateWeights t) {
        Model m = state.models.get(t.modelId().indexOf('@') >= 0 ? t.modelId() : Model.key(t.modelId(), sender));
        Rejected.unless(m != null, "no model " + t.modelId() + " listed by " + sender);
        Rejected.unless(m.owner().equals(sender), "only the owner " + m.owner() + " rotates model " + m.id() + "'s weight commitment, not " + sender);
        Rejected.unless(verifier.zeroKnowledge(m.verifyingKey()), "model " + m.id() + " is not private: its weight commitment is not hiding and does not rotate");
        checkRoot(t.fromRoot(), "a rotation's from root");
        checkRoot(t.nextRoot(), "a rotation's next root");
        byte[] chain;
        try {
            chain = verifier.rotate(m.verifyingKey(), m.weightRotations(), t.fromRoot(), t.nextRoot(), t.proof());
        } catch (IllegalArgumentException e) {
            throw new Rejected("weight rotation of model " + m.id() + " refused: " + e.getMessage());
        }
        state.models.put(m.id(), m.rotated(chain));
    }

    private void registerProver(String sender, Tx.RegisterProver p) {
        Rejected.unless(!state.provers.containsKey(sender), "account " + sender + " is already a prover");
        Rejected.unless(p.stake() >= params.minProverStake() && p.stake() <= MAX_TOTAL,
                "a prover registers with a stake of at least " + params.minProverStake() + ", not " + p.stake());
        state.debit(sender, p.stake(), "the stake");
        state.provers.put(sender, new Prover(p.stake(), 0, 0, 0, 0));
    }

    private void addStake(String sender, Tx.AddStake a) {
        Prover p = state.requireProver(sender);
        positive(a.amount(), "added stake");
        state.debit(sender, a.amount(), "the added stake");
        state.provers.put(sender, p.withStake(p.stake() + a.amount()));
    }

    private void withdrawStake(String sender, Tx.WithdrawStake w) {
        Prover p = state.requireProver(sender);
        positive(w.amount(), "a stake withdrawal");
        Rejected.unless(p.collateral() == 0, "prover " + sender + " holds " + p.collateral()
                + " collateral on locked requests; stake can be withdrawn once they settle");
        Rejected.unless(w.amount() <= p.stake(), "stake " + p.stake() + " is less than the " + w.amount() + " to withdraw");
        state.provers.put(sender, p.withStake(p.stake() - w.amount()));
        state.credit(sender, w.amount());
    }

    /**
     * The terms every request (and workflow step) must meet: a live model, a fee whose auction floor
     * covers its royalty, a deadline at least {@code minLockMillis} and at most
     * {@code maxDeadlineMillis} after the block.
     */
    static Model checkTerms(MarketState state, MarketParams params, String modelId, long maxFee, long deadline, BlockContext block) {
        Model m = resolve(state, modelId);
        Rejected.unless(!m.deprecated(), "model " + m.id() + " is deprecated");
        positive(maxFee, "the max fee");
        long floor = Auction.floor(maxFee, params);
        Rejected.unless(floor >= m.royalty(), "max fee " + maxFee + " is too low: the auction floor " + floor
                + " must cover the model's royalty " + m.royalty());
        Rejected.unless(deadline - block.timeMillis() >= params.minLockMillis(), "deadline " + deadline + " leaves " + (deadline - block.timeMillis())
                + " ms after the block time " + block.timeMillis() + "; a prover needs at least " + params.minLockMillis() + " ms");
        Rejected.unless(deadline - block.timeMillis() <= params.maxDeadlineMillis(), "deadline " + deadline + " lies more than "
                + params.maxDeadlineMillis() + " ms after the block time " + block.timeMillis());
        return m;
    }

    /** A challenge or proof window long enough for watchers and provers to act. */
    static void checkMode(MarketParams params, Mode mode) {
        switch (mode) {
            case Mode.Zk() -> {
            }
            case Mode.Optimistic(long window) -> Rejected.unless(window >= params.minWindowMillis(),
                    "a challenge window of " + window + " ms is shorter than the market's minimum of " + params.minWindowMillis() + " ms");
            case Mode.Sampled(int bps, long window) -> Rejected.unless(window >= params.minWindowMillis(),
                    "a proof window of " + window + " ms is shorter than the market's minimum of " + params.minWindowMillis() + " ms");
        }
    }

    /** How an owner offers a model to OPTIMISTIC and SAMPLED requests: a plain key, listed on its own (its own model id). */
    static final String PUBLIC_KEY_FOR_UNPROVEN_MODES = "for OPTIMISTIC or SAMPLED requests its owner lists a plain key of the model, compiled with 'verinfer compile --no-zk'"
            + " (zero knowledge is compile's default; a plain key's proofs reveal linear information about the weights)";

    /**
     * A private model (a zero-knowledge key) takes ZK requests only: an OPTIMISTIC or SAMPLED result settles unproven
     * unless someone who re-ran the model challenges it or the draw demands a proof, and nobody but the owner holds
     * the weights to re-run it, so an unproven wrong output would be paid (docs/proof-system.md, "Zero-knowledge mode").
     */
    static void checkPrivacy(ProofVerifier verifier, Model m, Mode mode) {
        Rejected.unless(mode instanceof Mode.Zk || !verifier.zeroKnowledge(m.verifyingKey()), "model " + m.id()
                + " is private (its proofs are zero-knowledge): nobody but its owner can re-run it to challenge a result, so it takes ZK requests only, not "
                + mode + "; " + PUBLIC_KEY_FOR_UNPROVEN_MODES);
    }

    /** A public input of the model's tensor count, sizes and declared input bounds (the verifier's check). */
    static void checkModelInput(ProofVerifier verifier, Model m, byte[] input) {
        checkInput(input);
        Verdict v = verifier.checkInput(m.verifyingKey(), input);
        Rejected.unless(v.valid(), "input refused for model " + m.id() + ": " + v.reason());
    }

    static void checkInput(byte[] input) {
        Rejected.unless(input.length > 0 && input.length <= MAX_TENSOR_BYTES, "input must have 1.." + MAX_TENSOR_BYTES + " bytes, not " + input.length);
    }

    /** One commitment root per tensor: 1..{@link TxCodec#MAX_LIST} roots of 1..{@link #MAX_ROOT_BYTES} bytes. */
    static void checkRoots(List<byte[]> roots, String what) {
        Rejected.unless(!roots.isEmpty() && roots.size() <= TxCodec.MAX_LIST, what + " must have 1.." + TxCodec.MAX_LIST + " commitment roots, not " + roots.size());
        roots.forEach(root -> checkRoot(root, what));
    }

    static void checkRoot(byte[] root, String what) {
        Rejected.unless(root.length > 0 && root.length <= MAX_ROOT_BYTES, what + ": a commitment root has 1.." + MAX_ROOT_BYTES + " bytes, not " + root.length);
    }

    static void checkOutput(byte[] output) {
        Rejected.unless(output.length > 0 && output.length <= MAX_TENSOR_BYTES, "output must have 1.." + MAX_TENSOR_BYTES + " bytes, not " + output.length);
    }

    private void submitRequest(String sender, Tx.SubmitRequest r, BlockContext block) {
        Model m = checkTerms(state, params, r.modelId(), r.maxFee(), r.deadline(), block);
        checkMode(params, r.mode());
        checkPrivacy(verifier, m, r.mode());
        checkModelInput(verifier, m, r.input());
        byte[] commitment = r.sampleCommitment();
        Rejected.unless(commitment.length == 0 || (r.mode() instanceof Mode.Sampled && commitment.length == SampleDraw.COMMITMENT_BYTES),
                "a sampling commitment (" + SampleDraw.COMMITMENT_BYTES + " bytes) goes with a SAMPLED request only, not " + commitment.length + " bytes with " + r.mode());
        checkAttestation(state, r.attestation(), set -> Signer.attestationMessage(params.chainId(), set, r.modelId(), r.input()));
        long id = open(sender, m, r.input(), List.of(), r.maxFee(), r.deadline(), r.mode(), block);
        if (commitment.length > 0) {
            state.samples.put(id, new Sample(commitment, new byte[0]));
        }
    }

    private void submitCommittedRequest(String sender, Tx.SubmitCommittedRequest r, BlockContext block) {
        Model m = checkTerms(state, params, r.modelId(), r.maxFee(), r.deadline(), block);
        checkMode(params, r.mode());
        checkPrivacy(verifier, m, r.mode());
        checkRoots(r.inputRoots(), "a committed input");
        checkAttestation(state, r.attestation(), set -> Signer.committedAttestationMessage(params.chainId(), set, r.modelId(), r.inputRoots()));
        open(sender, m, new byte[0], r.inputRoots(), r.maxFee(), r.deadline(), r.mode(), block);
    }

    private long open(String client, Model m, byte[] input, List<byte[]> inputRoots, long maxFee, long deadline, Mode mode, BlockContext block) {
        state.debit(client, maxFee, "the request's escrow");
        long id = state.nextRequestId++;
        state.requests.put(id, new Request(id, client, m.id(), input, maxFee, deadline, mode,
                Request.Status.OPEN, block.timeMillis(), null, null, null, inputRoots, false, 0));
        return id;
    }

    private void cancel(String sender, Tx.CancelRequest c, BlockContext block) {
        Request r = state.requireRequest(c.requestId());
        Rejected.unless(r.client().equals(sender), "only the client " + r.client() + " cancels request " + r.id());
        Rejected.unless(r.status() == Request.Status.OPEN || r.status() == Request.Status.WAITING,
                "request " + r.id() + " is " + r.status() + ": only a request nobody has locked is cancelled");
        settlement.refund(r, block);
    }

    private void registerOracleSet(String sender, Tx.RegisterOracleSet o) {
        int n = o.publicKeys().size();
        Rejected.unless(o.threshold() >= 1 && o.threshold() <= n, "an oracle set of " + n + " keys needs a threshold in 1.." + n + ", not " + o.threshold());
        Rejected.unless(o.publicKeys().stream().map(SignedTx::accountId).distinct().count() == n, "an oracle set's keys must be distinct");
        String id = OracleSet.idOf(o.threshold(), o.publicKeys());
        Rejected.unless(!state.oracleSets.containsKey(id), "oracle set " + id + " is already registered");
        state.oracleSets.put(id, new OracleSet(id, sender, o.threshold(), o.publicKeys()));
    }

    /** An attested request needs {@code threshold} valid signatures of its oracle set on the message of (chain, set, model, input). */
    static void checkAttestation(MarketState state, Tx.Attestation a, Function<String, byte[]> message) {
        if (a.oracleSet().isEmpty() && a.signatures().isEmpty()) {
            return;
        }
        OracleSet set = state.oracleSets.get(a.oracleSet());
        Rejected.unless(set != null, "no oracle set " + a.oracleSet());
        Rejected.unless(a.signatures().size() == set.publicKeys().size(), "oracle set " + set.id() + " has " + set.publicKeys().size()
                + " keys; the attestation lists " + a.signatures().size() + " signatures (empty for an oracle that did not sign)");
        int attesters = set.attesters(message.apply(set.id()), a.signatures());
        Rejected.unless(attesters >= set.threshold(), attesters + " of the " + set.publicKeys().size() + " oracles of set " + set.id()
                + " attested this input; " + set.threshold() + " needed");
    }

    private void lock(String sender, Tx.LockRequest l, BlockContext block) {
        Request r = state.requireRequest(l.requestId());
        Prover p = state.requireProver(sender);
        Rejected.unless(r.status() == Request.Status.OPEN, "request " + r.id() + " is " + r.status() + ", not OPEN");
        Rejected.unless(r.deadline() - block.timeMillis() >= params.minLockMillis(), "request " + r.id() + " has " + (r.deadline() - block.timeMillis())
                + " ms left before its deadline, less than the " + params.minLockMillis() + " ms a lock needs");
        Rejected.unless(!state.slashedOn(r.id(), sender), "prover " + sender + " was slashed on request " + r.id() + " and may not lock it again");
        long collateral = params.collateral(r.maxFee(), r.mode());
        Rejected.unless(p.stake() >= collateral, "free stake " + p.stake() + " is less than the collateral " + collateral + " this lock needs");
        long expires = Math.min(r.deadline(), block.timeMillis() + params.lockMillis());
        state.provers.put(sender, p.lockCollateral(collateral));
        state.requests.put(r.id(), r.locked(new Request.Lock(sender, Auction.price(r, block.timeMillis(), params), collateral, expires)));
        Sample sample = state.samples.get(r.id());
        if (sample != null) {
            state.samples.put(r.id(), sample.seeded(block.parentHash().bytes()));
        }
    }

    /** Each listed request locked as by its own {@link Tx.LockRequest}; one that cannot be is skipped (a refused lock changes nothing). */
    private void lockAll(String sender, Tx.LockRequests l, BlockContext block) {
        List<Long> ids = l.requestIds();
        Rejected.unless(!ids.isEmpty() && ids.size() <= TxCodec.MAX_LIST, "a LockRequests lists 1.." + TxCodec.MAX_LIST + " requests, not " + ids.size());
        Rejected.unless(ids.stream().distinct().count() == ids.size(), "a LockRequests lists a request twice");
        String first = null;
        int locked = 0;
        for (long id : ids) {
            try {
                lock(sender, new Tx.LockRequest(id), block);
                locked++;
            } catch (Rejected e) {
                first = first == null ? e.getMessage() : first;
            }
        }
        Rejected.unless(locked > 0, "none of the " + ids.size() + " requests was locked; the first refusal: " + first);
    }

    static Request lockedBy(MarketState state, String sender, long requestId, Request.Status expected) {
        Request r = state.requireRequest(requestId);
        Rejected.unless(r.status() == expected, "request " + r.id() + " is " + r.status() + ", not " + expected);
        Rejected.unless(r.lock().prover().equals(sender), "request " + r.id() + " is locked by " + r.lock().prover() + ", not " + sender);
        return r;
    }

    private String submitResult(String sender, Tx.SubmitResult s, BlockContext block) {
        Request r = lockedBy(state, sender, s.requestId(), Request.Status.LOCKED);
        Rejected.unless(!r.outputCommitted(), "request " + r.id() + " commits its output: its result is a SubmitCommittedResult with the roots");
        checkOutput(s.output());
        return post(r, new Request.Result(s.output(), List.of(), block.timeMillis(), block.height()), s.proof(), block);
    }

    private String submitCommittedResult(String sender, Tx.SubmitCommittedResult s, BlockContext block) {
        Request r = lockedBy(state, sender, s.requestId(), Request.Status.LOCKED);
        Rejected.unless(r.outputCommitted(), "request " + r.id() + " has a public output: its result is a SubmitResult with the values");
        checkRoots(s.outputRoots(), "a committed output");
        return post(r, new Request.Result(new byte[0], s.outputRoots(), block.timeMillis(), block.height()), s.proof(), block);
    }

    /**
     * A ZK result is verified at once (valid pays, invalid slashes and is answered as refused); any
     * other is posted without a proof. A SAMPLED result without a pending commitment (none given,
     * or already drawn on in an earlier round) owes its proof at once.
     */
    private String post(Request r, Request.Result result, byte[] proof, BlockContext block) {
        if (r.mode() instanceof Mode.Zk) {
            Rejected.unless(proof.length > 0, "a ZK request's result comes with its proof");
            Request posted = r.posted(result);
            Verdict v = verify(posted, proof);
            if (v.valid()) {
                settlement.verified(posted, block);
                return null;
            }
            String cause = "invalid proof with the result: " + v.reason();
            if (opensHidingInput(r)) {
                settlement.slashAndRefund(posted, cause, block);
                return cause + "; " + SPENT + "; prover slashed";
            }
            settlement.slash(posted, cause, block);
            return cause + "; prover slashed";
        }
        Rejected.unless(proof.length == 0, "a " + r.mode() + " result is posted without a proof; the proof follows only if demanded");
        Request posted = r.posted(result);
        if (r.mode() instanceof Mode.Sampled(int bps, long window) && (bps == 10_000 || !state.samples.containsKey(r.id()))) {
            state.samples.remove(r.id());
            posted = posted.disputed(new Request.Dispute("", 0, block.timeMillis() + window));
        }
        state.requests.put(r.id(), posted);
        return null;
    }

    static final String SPENT = "the request is refunded, not re-opened: its committed input is a hiding commitment whose"
            + " opening budget (ZeroKnowledge.LINKED_OPENING_BUDGET: a producer's proof and one consumer's) the posted proof may have"
            + " spent; a fresh seed, in a new request, commits it afresh";

    /**
     * Whether a proof of {@code r} opens a hiding commitment the request names: a private model's committed input. Its mask
     * covers the openings of two proofs (the producer's and one consumer's, {@code ZeroKnowledge.LINKED_OPENING_BUDGET});
     * every posted proof is public, so one that failed verification may have spent the consumer's share, and a second
     * consumer's proof would open it beyond what the mask hides. Such a request is therefore refunded, not re-opened, after
     * an invalid proof (a silent prover posts nothing, so its lock's expiry re-opens it as any other).
     */
    private boolean opensHidingInput(Request r) {
        return r.inputCommitted() && verifier.zeroKnowledge(state.models.get(r.modelId()).verifyingKey());
    }

    /** The client reveals its secret: the draw on it and the lock's seed settles the result or demands its proof. */
    private void revealSample(String sender, Tx.RevealSample rs, BlockContext block) {
        Request r = state.requireRequest(rs.requestId());
        Rejected.unless(r.client().equals(sender), "only the client " + r.client() + " reveals request " + r.id() + "'s sampling secret");
        Sample sample = state.samples.get(r.id());
        Rejected.unless(sample != null, "request " + r.id() + " has no sampling commitment waiting for its secret");
        Rejected.unless(r.status() == Request.Status.POSTED, "request " + r.id() + " is " + r.status()
                + ": the secret is revealed once the result is posted (revealed earlier, it would tell the prover its draw)");
        Rejected.unless(rs.secret().length == SampleDraw.SECRET_BYTES, "a sampling secret has " + SampleDraw.SECRET_BYTES + " bytes, not " + rs.secret().length);
        Rejected.unless(Arrays.equals(SampleDraw.commitment(rs.secret()), sample.commitment()), "the secret does not open request " + r.id() + "'s commitment");
        Mode.Sampled mode = (Mode.Sampled) r.mode();
        state.samples.remove(r.id());
        if (SampleDraw.drawn(rs.secret(), sample.seed(), r.id(), mode.probabilityBps())) {
            state.requests.put(r.id(), r.disputed(new Request.Dispute("", 0, block.timeMillis() + mode.windowMillis())));
        } else {
            settlement.verified(r, block);
        }
    }

    /**
     * The locking prover shows the input unprovable: the verifier's input check fails on it (for a
     * committed input, on the values it reveals, which must commit to the request's roots — a private
     * model's with the seeds of its hiding roots, {@link Openings}, which makes that input public). Upheld,
     * it is the client's fault ({@link Settlement#clientFault}); refused, the lock stands.
     */
    private void claimUnprovable(String sender, Tx.ClaimUnprovable c, BlockContext block) {
        Request r = lockedBy(state, sender, c.requestId(), Request.Status.LOCKED);
        byte[] vk = state.models.get(r.modelId()).verifyingKey();
        byte[] values;
        if (r.inputCommitted()) {
            // A private model's hiding roots are opened with their seeds (Openings): revealed here, the input is public.
            checkInput(c.values());
            try {
                values = verifier.zeroKnowledge(vk) ? Openings.decode(c.values(), r.inputRoots().size(), true).input() : c.values();
            } catch (IllegalArgumentException e) {
                throw new Rejected("the claim's values are not an opening of the request's " + r.inputRoots().size() + " input tensors and their seeds: "
                        + e.getMessage());
            }
            List<byte[]> roots;
            try {
                roots = verifier.inputRoots(vk, c.values());
            } catch (IllegalArgumentException e) {
                throw new Rejected("the claim's values are not the model's input tensors: " + e.getMessage());
            }
            List<byte[]> expected = r.inputRoots();
            boolean same = roots.size() == expected.size();
            for (int i = 0; same && i < roots.size(); i++) {
                same = Arrays.equals(roots.get(i), expected.get(i));
            }
            Rejected.unless(same, "the claim's values do not commit to request " + r.id() + "'s input roots");
        } else {
            Rejected.unless(c.values().length == 0, "request " + r.id() + "'s input is public: the claim carries no values");
            values = r.input();
        }
        Verdict v = verifier.checkInput(vk, values);
        Rejected.unless(!v.valid(), "request " + r.id() + "'s input passes model " + r.modelId() + "'s input check: the claim is refused and the lock stands");
        settlement.clientFault(r, block);
    }

    private void challenge(String sender, Tx.Challenge c, BlockContext block) {
        Request r = state.requireRequest(c.requestId());
        Rejected.unless(r.mode() instanceof Mode.Optimistic, "request " + r.id() + " is " + r.mode() + ", not optimistic: only optimistic results are challenged");
        Rejected.unless(r.status() == Request.Status.POSTED, "request " + r.id() + " is " + r.status() + ", not POSTED");
        Rejected.unless(!sender.equals(r.lock().prover()), "a prover does not challenge its own result");
        // No window check needed: the timers settle an unchallenged result at the window's end, before the block's transactions.
        long bond = MarketParams.fractionRoundedUp(r.maxFee(), params.challengeBondBps());
        state.debit(sender, bond, "the challenge bond");
        state.requests.put(r.id(), r.disputed(new Request.Dispute(sender, bond, block.timeMillis() + params.responseMillis())));
    }

    private String submitProof(String sender, Tx.SubmitProof p, BlockContext block) {
        Request r = lockedBy(state, sender, p.requestId(), Request.Status.PROOF_DUE);
        Verdict v = verify(r, p.proof());
        if (v.valid()) {
            Request.Dispute d = r.dispute();
            state.credit(sender, d.bond());
            settlement.verified(r, block);
            return null;
        }
        String cause = "invalid proof when demanded: " + v.reason();
        settlement.slash(r, cause, block);
        return cause + "; prover slashed";
    }

    private Verdict verify(Request r, byte[] proof) {
        Model m = state.models.get(r.modelId());
        if (proof.length == 0) {
            return Verdict.invalid("no proof");
        }
        // Bound to this request and its locking prover: a proof copied from another request or prover does not verify.
        return verifier.verify(m.verifyingKey(), m.weightRotations(), r.statement().bound(ProofContext.request(params.chainId(), r.id(), r.lock().prover())), proof);
    }
}
