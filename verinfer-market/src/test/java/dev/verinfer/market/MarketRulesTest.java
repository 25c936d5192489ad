package dev.verinfer.market;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The market's rules, one by one, on a stand-in verifier; the driver checks the invariants after every block. */
class MarketRulesTest {
    private static final byte[] KEY = "model-A".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INPUT = {1, 2, 3};
    private static final byte[] OUTPUT = {4, 5, 6};
    private static final byte[] WRONG = {4, 5, 7};
    private static final long FEE = 1_000;

    private final Signer op = MarketDriver.operator();
    private final MarketDriver m = MarketDriver.inMemory(new Market(MarketDriver.params(op), new FakeVerifier()), op);
    private final Signer owner = m.account(1_000);
    private final Signer client = m.account(10_000);
    private final Signer p1 = m.account(5_000);
    private final Signer p2 = m.account(5_000);
    private final Signer watcher = m.account(5_000);
    private final String model = new FakeVerifier().modelId(KEY);

    MarketRulesTest() {
        m.ok(owner, new Tx.RegisterModel(KEY, 10));
        m.ok(p1, new Tx.RegisterProver(1_000));
        m.ok(p2, new Tx.RegisterProver(1_000));
    }

    private long request(Mode mode) {
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(model, INPUT, FEE, m.now() + 600_000, mode));
        return id;
    }

    private Request req(long id) {
        return m.state().request(id).orElseThrow();
    }

    private Prover prover(Signer p) {
        return m.state().prover(p.accountId()).orElseThrow();
    }

    private byte[] proof(byte[] output) {
        return FakeVerifier.proofOf(new Statement(model, INPUT, output));
    }

    private long balance(Signer s) {
        return m.state().balance(s.accountId());
    }

    @Test
    void onlyTheOperatorDepositsAndAccountsWithdrawTheirOwn() {
        assertTrue(m.refused(client, new Tx.Deposit(client.accountId(), 5)).startsWith("only the operator"));
        m.ok(client, new Tx.Withdraw(400));
        assertEquals(9_600, balance(client));
        assertEquals("balance 9600 is less than the 9601 needed for the withdrawal", m.refused(client, new Tx.Withdraw(9_601)));
        Signer stranger = Signer.generate(MarketDriver.CHAIN);
        assertTrue(m.send(stranger, new Tx.Withdraw(1)).reason().startsWith("unknown account"));
    }

    @Test
    void theRegistryRefusesDuplicatesUnknownAndDeprecatedModels() {
        assertEquals("model " + model + " is already listed by " + owner.accountId() + " as " + Model.key(model, owner.accountId()),
                m.refused(owner, new Tx.RegisterModel(KEY, 0)));
        assertEquals("malformed verifying key: empty", m.refused(client, new Tx.RegisterModel(new byte[0], 0)));
        assertEquals("no model abc", m.refused(client, new Tx.SubmitRequest("abc", INPUT, FEE, m.now() + 1_000, new Mode.Zk())));
        assertEquals("max fee 10 is too low: the auction floor 5 must cover the model's royalty 10",
                m.refused(client, new Tx.SubmitRequest(model, INPUT, 10, m.now() + 1_000, new Mode.Zk())));
        assertTrue(m.refused(client, new Tx.DeprecateModel(Model.key(model, owner.accountId()))).startsWith("only the owner"));
        assertEquals("no model " + model + " listed by " + client.accountId(), m.refused(client, new Tx.DeprecateModel(model)));
        m.ok(owner, new Tx.DeprecateModel(model));
        assertEquals("model " + Model.key(model, owner.accountId()) + " is deprecated",
                m.refused(client, new Tx.SubmitRequest(model, INPUT, FEE, m.now() + 1_000, new Mode.Zk())));
    }

    @Test
    void thePriceRisesFromTheFloorToTheMaxFeeAndTheFirstLockWins() {
        long a = request(new Mode.Zk());
        long b = request(new Mode.Zk());
        m.advance(5_000);
        m.ok(p1, new Tx.LockRequest(a));
        assertEquals(750, req(a).lock().price(), "halfway up the 10 s ramp from 500 to 1000");
        assertEquals("request " + a + " is LOCKED, not OPEN", m.refused(p2, new Tx.LockRequest(a)));
        assertEquals(new Prover(800, 200, 0, 0, 0), prover(p1), "20% of the max fee moved from stake to collateral");
        m.advance(20_000);
        m.ok(p2, new Tx.LockRequest(b));
        assertEquals(FEE, req(b).lock().price());
        assertTrue(m.refused(client, new Tx.LockRequest(b)).endsWith("is not a registered prover"));
    }

    @Test
    void aVerifiedZkResultPaysProverOwnerAndTreasuryAndRefundsTheRest() {
        long id = request(new Mode.Zk());
        m.advance(5_000);
        m.ok(p1, new Tx.LockRequest(id));
        assertTrue(m.refused(p1, new Tx.WithdrawStake(1)).contains("holds 200 collateral"), "stake withdrawal waits for collateral");
        assertEquals("a ZK request's result comes with its proof", m.refused(p1, new Tx.SubmitResult(id, OUTPUT, new byte[0])));
        assertTrue(m.refused(p2, new Tx.SubmitResult(id, OUTPUT, proof(OUTPUT))).contains("is locked by " + p1.accountId()));
        long clientBefore = balance(client);
        m.ok(p1, new Tx.SubmitResult(id, OUTPUT, proof(OUTPUT)));
        assertEquals(Request.Status.SETTLED, req(id).status());
        long fee = (750 - 10) * 200 / 10_000;
        assertEquals(5_000 - 1_000 + 750 - 10 - fee, balance(p1));
        assertEquals(1_000 + 10, balance(owner));
        assertEquals(fee, m.state().treasury());
        assertEquals(clientBefore + 250, balance(client));
        assertEquals(new Prover(1_000, 0, 1, 0, 0), prover(p1));
        assertEquals(new Payment(id, p1.accountId(), 750, 10, fee, m.state().payments().getFirst().height()), m.state().payments().getFirst());
        assertEquals("request " + id + " is SETTLED, not LOCKED", m.refused(p1, new Tx.SubmitResult(id, OUTPUT, proof(OUTPUT))));
        m.ok(p1, new Tx.WithdrawStake(1_000));
    }

    @Test
    void anInvalidZkProofIsSlashedAndTheRequestReassigned() {
        long id = request(new Mode.Zk());
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, WRONG, proof(WRONG)));
        // proof(WRONG) proves WRONG, which is fine for the fake verifier; a proof of another output is not:
        assertEquals(Request.Status.SETTLED, req(id).status());
        long clientBefore = balance(client);
        long id2 = request(new Mode.Zk());
        m.ok(p1, new Tx.LockRequest(id2));
        assertEquals("invalid proof with the result: not a proof of this statement; prover slashed", m.slashed(p1, new Tx.SubmitResult(id2, WRONG, proof(OUTPUT))));
        assertEquals(Request.Status.OPEN, req(id2).status());
        Slash s = m.state().slashes().getFirst();
        assertEquals(id2, s.requestId());
        assertEquals(200, s.amount());
        assertEquals(client.accountId(), s.victim());
        assertEquals("invalid proof with the result: not a proof of this statement", s.cause());
        assertEquals(new Prover(800, 0, 1, 1, 1), prover(p1));
        assertEquals("prover " + p1.accountId() + " was slashed on request " + id2 + " and may not lock it again", m.refused(p1, new Tx.LockRequest(id2)));
        assertEquals(clientBefore - FEE + 100, balance(client), "half the collateral to the client, half to the treasury");
        m.ok(p2, new Tx.LockRequest(id2));
        m.ok(p2, new Tx.SubmitResult(id2, OUTPUT, proof(OUTPUT)));
        assertEquals(Request.Status.SETTLED, req(id2).status());
        assertEquals(p2.accountId(), m.state().payments().getLast().prover());
    }

    @Test
    void aSilentProverIsSlashedAtLockExpiryAndAnotherServes() {
        long id = request(new Mode.Zk());
        m.ok(p1, new Tx.LockRequest(id));
        m.advance(60_000);
        assertEquals(Request.Status.LOCKED, req(id).status(), "the lock lasts 60 s");
        m.advance(1);
        assertEquals(Request.Status.OPEN, req(id).status());
        assertTrue(m.state().slashes().getFirst().cause().startsWith("silent prover"));
        assertTrue(m.refused(p1, new Tx.SubmitResult(id, OUTPUT, proof(OUTPUT))).contains("is OPEN, not LOCKED"));
        m.ok(p2, new Tx.LockRequest(id));
        assertEquals(500, req(id).lock().price(), "the auction restarts from the floor when the request re-opens");
        m.ok(p2, new Tx.SubmitResult(id, OUTPUT, proof(OUTPUT)));
        assertEquals(Request.Status.SETTLED, req(id).status());
    }

    @Test
    void anOpenRequestPastItsDeadlineIsRefunded() {
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(model, INPUT, FEE, m.now() + 5_000, new Mode.Zk()));
        assertEquals(10_000 - FEE, balance(client));
        m.advance(5_000);
        assertEquals(Request.Status.REFUNDED, req(id).status());
        assertEquals(10_000, balance(client));
        assertTrue(m.refused(p1, new Tx.LockRequest(id)).contains("REFUNDED"));
    }

    @Test
    void anUnchallengedOptimisticResultSettlesAfterItsWindow() {
        m.ok(p1, new Tx.AddStake(1_000));
        long id = request(new Mode.Optimistic(20_000));
        m.ok(p1, new Tx.LockRequest(id));
        assertTrue(m.refused(p1, new Tx.SubmitResult(id, OUTPUT, proof(OUTPUT))).contains("without a proof"));
        m.ok(p1, new Tx.SubmitResult(id, OUTPUT, new byte[0]));
        m.advance(19_999);
        assertEquals(Request.Status.POSTED, req(id).status());
        m.advance(1);
        assertEquals(Request.Status.SETTLED, req(id).status());
        assertTrue(m.refused(watcher, new Tx.Challenge(id)).contains("is SETTLED, not POSTED"));
    }

    @Test
    void aWrongOptimisticResultIsChallengedAndTheSilentProverSlashed() {
        m.ok(p1, new Tx.AddStake(1_000));
        m.ok(p2, new Tx.AddStake(1_000));
        long id = request(new Mode.Optimistic(20_000));
        assertEquals(1_334, MarketDriver.params(op).collateral(FEE, new Mode.Optimistic(20_000)), "(1 - 25%) of the collateral exceeds the max fee");
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, WRONG, new byte[0]));
        assertEquals("a prover does not challenge its own result", m.refused(p1, new Tx.Challenge(id)));
        m.ok(watcher, new Tx.Challenge(id));
        assertEquals(5_000 - 100, balance(watcher), "bond: 10% of the max fee");
        assertEquals(Request.Status.PROOF_DUE, req(id).status());
        long respondBy = req(id).dispute().respondBy();
        m.advance(30_001);
        assertEquals(Request.Status.OPEN, req(id).status());
        Slash s = m.state().slashes().getFirst();
        assertEquals(watcher.accountId(), s.challenger());
        assertEquals(client.accountId(), s.victim());
        assertEquals(667, s.toVictim());
        assertEquals(333, s.toChallenger());
        assertEquals("no proof by " + respondBy + " after a challenge", s.cause());
        assertEquals(5_000 + 333, balance(watcher), "bond back and a quarter of the collateral");
        m.ok(p2, new Tx.LockRequest(id));
        m.ok(p2, new Tx.SubmitResult(id, OUTPUT, new byte[0]));
        m.advance(20_000);
        assertEquals(Request.Status.SETTLED, req(id).status());
    }

    @Test
    void anInvalidProofAnsweringAChallengeIsSlashed() {
        m.ok(p1, new Tx.AddStake(1_000));
        long id = request(new Mode.Optimistic(20_000));
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, WRONG, new byte[0]));
        m.ok(watcher, new Tx.Challenge(id));
        m.slashed(p1, new Tx.SubmitProof(id, proof(OUTPUT)));
        assertEquals(Request.Status.OPEN, req(id).status());
        assertEquals("invalid proof when demanded: not a proof of this statement", m.state().slashes().getFirst().cause());
    }

    @Test
    void aFrivolousChallengerLosesTheBondToTheProver() {
        m.ok(p1, new Tx.AddStake(1_000));
        long id = request(new Mode.Optimistic(20_000));
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, OUTPUT, new byte[0]));
        m.advance(19_999);
        m.ok(watcher, new Tx.Challenge(id));
        long proverBefore = balance(p1);
        m.ok(p1, new Tx.SubmitProof(id, proof(OUTPUT)));
        assertEquals(Request.Status.SETTLED, req(id).status());
        assertEquals(5_000 - 100, balance(watcher));
        assertTrue(balance(p1) > proverBefore + 100);
        assertEquals(0, m.state().slashes().size());
        long late = request(new Mode.Optimistic(20_000));
        m.ok(p1, new Tx.LockRequest(late));
        m.ok(p1, new Tx.SubmitResult(late, OUTPUT, new byte[0]));
        m.advance(20_000);
        assertTrue(m.refused(watcher, new Tx.Challenge(late)).contains("is SETTLED, not POSTED"), "the window closed");
        long zk = request(new Mode.Zk());
        assertTrue(m.refused(watcher, new Tx.Challenge(zk)).contains("only optimistic results are challenged"));
    }

    private long sampledRequest(int bps, byte[] secret) {
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(model, INPUT, FEE, m.now() + 600_000, new Mode.Sampled(bps, 30_000), Tx.Attestation.NONE,
                secret == null ? new byte[0] : SampleDraw.commitment(secret)));
        return id;
    }

    @Test
    void sampledResultsAreDrawnByTheClientsRevealedSecretAndTheLockSeed() {
        long always = request(new Mode.Sampled(10_000, 30_000));
        m.ok(p1, new Tx.LockRequest(always));
        m.ok(p1, new Tx.SubmitResult(always, OUTPUT, new byte[0]));
        assertEquals(Request.Status.PROOF_DUE, req(always).status(), "without a commitment every result owes its proof");
        m.ok(p1, new Tx.SubmitProof(always, proof(OUTPUT)));
        assertEquals(Request.Status.SETTLED, req(always).status());

        long cheat = request(new Mode.Sampled(10_000, 30_000));
        m.ok(p1, new Tx.LockRequest(cheat));
        m.ok(p1, new Tx.SubmitResult(cheat, WRONG, new byte[0]));
        m.advance(30_001);
        assertEquals(Request.Status.OPEN, req(cheat).status());
        assertEquals(client.accountId(), m.state().slashes().getFirst().victim());
        assertTrue(m.state().slashes().getFirst().cause().endsWith("after the sampling draw"));

        m.ok(op, new Tx.Deposit(client.accountId(), 20_000));
        m.ok(op, new Tx.Deposit(p2.accountId(), 3_000));
        assertEquals("free stake 1000 is less than the collateral 2000 this lock needs", m.refused(p2, new Tx.LockRequest(request(new Mode.Sampled(5_000, 30_000)))),
                "at q = 1/2 the collateral is twice the max fee");
        m.ok(p2, new Tx.AddStake(3_000));

        byte[] secret = SampleDraw.newSecret();
        long id = sampledRequest(5_000, secret);
        assertTrue(m.refused(client, new Tx.RevealSample(id, secret)).contains("is OPEN"), "no reveal before the result: it would tell the prover its draw");
        m.ok(p2, new Tx.LockRequest(id));
        byte[] seed = m.state().samples.get(id).seed();
        m.ok(p2, new Tx.SubmitResult(id, OUTPUT, new byte[0]));
        assertEquals(Request.Status.POSTED, req(id).status(), "the draw waits for the client's secret");
        assertEquals("the secret does not open request " + id + "'s commitment", m.refused(client, new Tx.RevealSample(id, SampleDraw.newSecret())));
        assertTrue(m.refused(p2, new Tx.RevealSample(id, secret)).startsWith("only the client"));
        m.ok(client, new Tx.RevealSample(id, secret));
        boolean drawn = SampleDraw.drawn(secret, seed, id, 5_000);
        assertEquals(drawn ? Request.Status.PROOF_DUE : Request.Status.SETTLED, req(id).status());

        long silent = sampledRequest(5_000, SampleDraw.newSecret());
        m.ok(p2, new Tx.LockRequest(silent));
        m.ok(p2, new Tx.SubmitResult(silent, OUTPUT, new byte[0]));
        m.advance(MarketDriver.params(op).revealMillis() - 1);
        assertEquals(Request.Status.POSTED, req(silent).status());
        m.advance(1);
        assertEquals(Request.Status.PROOF_DUE, req(silent).status(), "a withheld secret counts as drawn");
    }

    @Test
    void anAttestedInputNeedsTheThresholdOfItsOracleSet() {
        List<Signer> oracles = List.of(Signer.generate(MarketDriver.CHAIN), Signer.generate(MarketDriver.CHAIN), Signer.generate(MarketDriver.CHAIN));
        List<byte[]> keys = oracles.stream().map(Signer::publicKey).toList();
        assertEquals("an oracle set of 3 keys needs a threshold in 1..3, not 4", m.refused(client, new Tx.RegisterOracleSet(4, keys)));
        assertEquals("an oracle set's keys must be distinct", m.refused(client, new Tx.RegisterOracleSet(1, List.of(keys.get(0), keys.get(0)))));
        m.ok(client, new Tx.RegisterOracleSet(2, keys));
        String set = OracleSet.idOf(2, keys);
        assertEquals(2, m.state().oracleSet(set).orElseThrow().threshold());
        assertEquals("oracle set " + set + " is already registered", m.refused(watcher, new Tx.RegisterOracleSet(2, keys)));

        byte[] none = new byte[0];
        byte[] sig0 = oracles.get(0).attest(set, model, INPUT);
        byte[] sig2 = oracles.get(2).attest(set, model, INPUT);
        long id = m.state().nextRequestId();
        m.ok(client, attested(new Tx.Attestation(set, List.of(sig0, none, sig2))));
        assertEquals(Request.Status.OPEN, req(id).status());
        assertEquals("1 of the 3 oracles of set " + set + " attested this input; 2 needed", m.refused(client, attested(new Tx.Attestation(set, List.of(sig0, none, none)))));
        byte[] otherInput = oracles.get(2).attest(set, model, OUTPUT);
        assertTrue(m.refused(client, attested(new Tx.Attestation(set, List.of(sig0, none, otherInput)))).startsWith("1 of the 3"), "a signature on another input counts for nothing");
        assertTrue(m.refused(client, attested(new Tx.Attestation(set, List.of(sig2, none, sig0)))).startsWith("0 of the 3"), "each signature belongs to its key");
        assertTrue(m.refused(client, attested(new Tx.Attestation(set, List.of(sig0, sig2)))).endsWith("(empty for an oracle that did not sign)"));
        assertEquals("no oracle set abc", m.refused(client, attested(new Tx.Attestation("abc", List.of(sig0)))));
    }

    private Tx attested(Tx.Attestation a) {
        return new Tx.SubmitRequest(model, INPUT, FEE, m.now() + 60_000, new Mode.Zk(), a);
    }

    @Test
    void replayedForgedAndForeignTransactionsAreRefused() throws Exception {
        SignedTx withdraw = m.sign(client, new Tx.Withdraw(10));
        assertEquals("", m.submit(withdraw.toBytes()).reason());
        assertTrue(m.submit(withdraw.toBytes()).reason().contains("replayed or out of order"));

        SignedTx next = m.sign(client, new Tx.Withdraw(1));
        SignedTx forged = new SignedTx(next.publicKey(), next.nonce(), new Tx.Withdraw(5_000), next.signature());
        assertTrue(m.submit(forged.toBytes()).reason().startsWith("invalid signature"));

        KeyPair attacker = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        SignedTx byAttacker = new Signer(attacker, MarketDriver.CHAIN).sign(next.nonce(), new Tx.Withdraw(5_000));
        SignedTx impersonation = new SignedTx(next.publicKey(), next.nonce(), byAttacker.body(), byAttacker.signature());
        assertTrue(m.submit(impersonation.toBytes()).reason().startsWith("invalid signature"));

        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Signer here = new Signer(keys, MarketDriver.CHAIN);
        m.ok(op, new Tx.Deposit(here.accountId(), 50));
        SignedTx foreign = new Signer(keys, "another-market").sign(0, new Tx.Withdraw(50));
        assertTrue(m.submit(foreign.toBytes()).reason().startsWith("invalid signature"));

        assertTrue(m.submit(new byte[] {1, 2, 3}).reason().startsWith("malformed transaction"));
        assertEquals(10_000 - 10, balance(client), "only the genuine withdrawal happened");
        assertEquals(50, balance(here));
    }
}
