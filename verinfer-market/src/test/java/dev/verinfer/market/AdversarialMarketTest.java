package dev.verinfer.market;

import dev.verinfer.ledger.TxOutcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacks of issue 14 that are purely rules, each played by the attacker against the state
 * machine with the market's default parameters (transaction fees included): in every one the
 * attacker ends with less than it started with, and the honest parties with what the rules
 * promise them. (The attacks on the node and the worker are played over HTTP in verinfer-node's
 * {@code MarketAttacksProcessesTest}.)
 */
class AdversarialMarketTest {
    private static final byte[] KEY = "model-adv".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INPUT = {1, 2, 3};
    private static final byte[] BAD_INPUT = {FakeVerifier.OUT_OF_RANGE, 2, 3};
    private static final byte[] OUTPUT = {4, 5, 6};
    private static final byte[] WRONG = {4, 5, 7};
    private static final long FEE = 1_000;

    private final Signer op = MarketDriver.operator();
    private final MarketParams params = MarketParams.defaults(MarketDriver.CHAIN, op.accountId());
    private final MarketDriver m = MarketDriver.inMemory(new Market(params, new FakeVerifier()), op);
    private final Signer owner = m.account(1_000);
    private final Signer client = m.account(100_000);
    private final Signer honest = m.account(100_000);
    private final Signer attacker = m.account(100_000);
    private final Signer sybil = m.account(100_000);
    private final Signer watcher = m.account(100_000);
    private final String model = new FakeVerifier().modelId(KEY);

    AdversarialMarketTest() {
        m.ok(owner, new Tx.RegisterModel(KEY, 10));
        m.ok(honest, new Tx.RegisterProver(20_000));
        m.ok(attacker, new Tx.RegisterProver(20_000));
    }

    private long balance(Signer s) {
        return m.state().balance(s.accountId());
    }

    /** Balance, stake and collateral: all an account holds in the market. */
    private long holdings(Signer s) {
        return balance(s) + m.state().prover(s.accountId()).map(p -> p.stake() + p.collateral()).orElse(0L);
    }

    /** The fee the market charged for the transaction {@code body} signed by {@code s} with its next nonce. */
    private long feeOf(Signer s, Tx body) {
        return params.txFeeFor(s.sign(0, body).toBytes().length);
    }

    private long request(Signer who, byte[] input, Mode mode) {
        long id = m.state().nextRequestId();
        m.ok(who, new Tx.SubmitRequest(model, input, FEE, m.now() + 600_000, mode));
        return id;
    }

    private Request req(long id) {
        return m.state().request(id).orElseThrow();
    }

    private static byte[] proof(byte[] input, byte[] output) {
        return FakeVerifier.proofOf(new Statement(new FakeVerifier().modelId(KEY), input, output));
    }

    /** Issue 14 §1: unprovable inputs paid the client 200 each (10,000 in SAMPLED); now they are refused where they enter. */
    @Test
    void anUnprovableInputIsRefusedWhereItEntersAndCostsItsSenderTheFee() {
        long before = holdings(client);
        long spent = 0;
        for (Mode mode : List.of(new Mode.Zk(), new Mode.Optimistic(20_000), new Mode.Sampled(1_000, 30_000))) {
            Tx bad = new Tx.SubmitRequest(model, BAD_INPUT, 2_000, m.now() + 600_000, mode);
            assertEquals("input refused for model " + Model.key(model, owner.accountId()) + ": input value out of its calibrated range", m.refused(client, bad));
            spent += feeOf(client, bad);
            Tx badStep = new Tx.SubmitWorkflow(List.of(new Tx.Step(model, 2_000, m.now() + 600_000, new Mode.Zk(), new Tx.StepInput.Public(BAD_INPUT))));
            assertTrue(m.refused(client, badStep).startsWith("step 0: input refused"));
            spent += feeOf(client, badStep);
        }
        assertEquals(before - spent, holdings(client), "the griefing client lost its fees and nothing else");
        assertEquals(List.of(), m.state().requests());
        assertEquals(List.of(), m.state().slashes(), "no prover could be slashed for them");
        assertTrue(params.griefingClientGain(2_000, 100) < 0);
    }

    /**
     * An input the entry check cannot see (a committed one whose values the client hands over off
     * the market) that is unprovable is shown so on the ledger by the prover: the client's fault,
     * paid by the client; a false claim is refused and the lock stands.
     */
    @Test
    void aCommittedInputShownUnprovableIsTheClientsFaultAndAFalseClaimIsRefused() {
        byte[] badRoot = FakeVerifier.root(BAD_INPUT);
        long id = m.state().nextRequestId();
        long clientBefore = holdings(client);
        long honestBefore = holdings(honest);
        Tx submit = new Tx.SubmitCommittedRequest(model, List.of(badRoot), FEE, m.now() + 600_000, new Mode.Zk(), Tx.Attestation.NONE);
        m.ok(client, submit);
        m.ok(honest, new Tx.LockRequest(id));
        Tx lie = new Tx.ClaimUnprovable(id, INPUT);
        assertEquals("the claim's values do not commit to request " + id + "'s input roots", m.refused(honest, lie));
        Tx claim = new Tx.ClaimUnprovable(id, BAD_INPUT);
        m.ok(honest, claim);
        assertEquals(Request.Status.REFUNDED, req(id).status());
        long compensation = FEE * params.clientFaultBps() / 10_000;
        assertEquals(clientBefore - feeOf(client, submit) - compensation, holdings(client), "the client pays for its unprovable input");
        assertEquals(honestBefore - feeOf(honest, new Tx.LockRequest(id)) - feeOf(honest, lie) - feeOf(honest, claim) + compensation, holdings(honest),
                "the prover keeps its collateral and is compensated");
        assertEquals(List.of(), m.state().slashes());

        long good = request(client, INPUT, new Mode.Zk());
        m.ok(attacker, new Tx.LockRequest(good));
        assertTrue(m.refused(attacker, new Tx.ClaimUnprovable(good, new byte[0])).endsWith("the claim is refused and the lock stands"));
        assertEquals(Request.Status.LOCKED, req(good).status(), "a prover cannot walk away from a provable input by claiming");
        m.advance(params.lockMillis() + 1);
        assertEquals(attacker.accountId(), m.state().slashes().getLast().prover());
    }

    /** Issue 14 §2 and §7: a 300 ms deadline was locked and its prover slashed; deadlines up to Long.MAX_VALUE were accepted. */
    @Test
    void deadlinesNoProverCanMeetOrThatParkEscrowForeverAreRefused() {
        assertTrue(m.refused(client, new Tx.SubmitRequest(model, INPUT, FEE, m.now() + 300, new Mode.Zk())).endsWith("a prover needs at least 1000 ms"));
        assertTrue(m.refused(client, new Tx.SubmitRequest(model, INPUT, FEE, Long.MAX_VALUE, new Mode.Zk())).contains("lies more than"));
        assertTrue(m.refused(client, new Tx.SubmitRequest(model, INPUT, FEE, m.now() + 600_000, new Mode.Optimistic(10))).startsWith("a challenge window of 10 ms"));
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(model, INPUT, FEE, m.now() + 1_500, new Mode.Zk()));
        m.advance(600);
        assertTrue(m.refused(honest, new Tx.LockRequest(id)).endsWith("less than the 1000 ms a lock needs"), "too little time left to serve");
        m.advance(900);
        assertEquals(Request.Status.REFUNDED, req(id).status());
        assertEquals(List.of(), m.state().slashes());
    }

    /** Issue 14 §7: no cancel (escrow stuck); now the client cancels before a lock, and only then. */
    @Test
    void aClientCancelsAnUnlockedRequestOnlyAndOnlyItsOwn() {
        long open = request(client, INPUT, new Mode.Zk());
        long before = balance(client);
        assertTrue(m.refused(attacker, new Tx.CancelRequest(open)).startsWith("only the client"));
        Tx cancel = new Tx.CancelRequest(open);
        m.ok(client, cancel);
        assertEquals(before + FEE - feeOf(client, cancel), balance(client));
        long locked = request(client, INPUT, new Mode.Zk());
        m.ok(honest, new Tx.LockRequest(locked));
        assertTrue(m.refused(client, new Tx.CancelRequest(locked)).contains("only a request nobody has locked"), "a lock's prover is not robbed of its work");
    }

    /**
     * Issue 14 §3: the draw was the next block's hash, which the prover steered. Now it depends only
     * on the client's secret (committed before the lock), the lock's seed and the request: two runs
     * that differ only in what the prover puts into every block after its lock draw the same.
     */
    @Test
    void whatAProverPutsIntoBlocksAfterItsLockDoesNotChangeTheDraw() {
        Signer operator = MarketDriver.operator();
        List<Signer> parties = List.of(Signer.generate(MarketDriver.CHAIN), Signer.generate(MarketDriver.CHAIN), Signer.generate(MarketDriver.CHAIN));
        List<byte[]> secrets = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            secrets.add(SampleDraw.newSecret());
        }
        List<Boolean> quiet = secrets.stream().map(secret -> drawWithJunk(operator, parties, secret, 0)).toList();
        List<Boolean> steered = secrets.stream().map(secret -> drawWithJunk(operator, parties, secret, 3)).toList();
        assertEquals(quiet, steered, "the prover's junk changed no draw");
        int drawn = Collections.frequency(quiet, true);
        assertTrue(drawn > 0 && drawn < secrets.size(), drawn + " of " + secrets.size() + " drawn at q = 1/2");
    }

    /**
     * Runs a request on a fresh market (the same history up to the lock for the same parties); the
     * prover (parties[1]) sends {@code junk} transactions of its own choosing between posting and
     * the reveal. Whether the result was drawn.
     */
    private static boolean drawWithJunk(Signer operator, List<Signer> parties, byte[] secret, int junk) {
        MarketParams p = MarketParams.defaults(MarketDriver.CHAIN, operator.accountId());
        MarketDriver d = MarketDriver.inMemory(new Market(p, new FakeVerifier()), operator);
        Signer c = parties.get(0), prover = parties.get(1), owner = parties.get(2);
        d.ok(operator, new Tx.Deposit(c.accountId(), 1_000_000));
        d.ok(operator, new Tx.Deposit(prover.accountId(), 1_000_000));
        d.ok(operator, new Tx.Deposit(owner.accountId(), 1_000));
        d.ok(owner, new Tx.RegisterModel(KEY, 10));
        d.ok(prover, new Tx.RegisterProver(500_000));
        String model = new FakeVerifier().modelId(KEY);
        long id = d.state().nextRequestId();
        d.ok(c, new Tx.SubmitRequest(model, INPUT, FEE, d.now() + 600_000, new Mode.Sampled(5_000, 30_000), Tx.Attestation.NONE, SampleDraw.commitment(secret)));
        d.ok(prover, new Tx.LockRequest(id));
        d.ok(prover, new Tx.SubmitResult(id, OUTPUT, new byte[0]));
        for (int j = 0; j < junk; j++) {
            d.refused(prover, new Tx.Withdraw(Transitions.MAX_TOTAL));
        }
        d.ok(c, new Tx.RevealSample(id, secret));
        return d.state().request(id).orElseThrow().status() == Request.Status.PROOF_DUE;
    }

    /** A secret revealed in one round is public: a later round of the same request owes its proof whatever the secret drew. */
    @Test
    void aRevealedSecretDrawsOnlyOnce() {
        m.ok(attacker, new Tx.AddStake(50_000));
        for (int tries = 0; ; tries++) {
            assertTrue(tries < 64, "no drawn round in 64 tries at q = 1/2");
            byte[] secret = SampleDraw.newSecret();
            long id = m.state().nextRequestId();
            m.ok(client, new Tx.SubmitRequest(model, INPUT, FEE, m.now() + 600_000, new Mode.Sampled(5_000, 30_000), Tx.Attestation.NONE, SampleDraw.commitment(secret)));
            m.ok(attacker, new Tx.LockRequest(id));
            m.ok(attacker, new Tx.SubmitResult(id, WRONG, new byte[0]));
            m.ok(client, new Tx.RevealSample(id, secret));
            if (req(id).status() == Request.Status.PROOF_DUE) {
                m.advance(30_001);
                assertEquals(Request.Status.OPEN, req(id).status(), "the cheat was drawn and slashed");
                m.ok(honest, new Tx.LockRequest(id));
                m.ok(honest, new Tx.SubmitResult(id, OUTPUT, new byte[0]));
                assertEquals(Request.Status.PROOF_DUE, req(id).status(), "the next round owes its proof: the old secret is public");
                m.ok(honest, new Tx.SubmitProof(id, proof(INPUT, OUTPUT)));
                assertEquals(Request.Status.SETTLED, req(id).status());
                return;
            }
        }
    }

    /**
     * Issue 14 §6: a cheating prover challenged its own wrong OPTIMISTIC result from a second
     * account, losing 200 instead of 400, and honest watchers earned nothing. Now the collateral is
     * such that the pair still loses more than the max fee, and the client is paid its share.
     */
    @Test
    void aSelfChallengingProverStillLosesMoreThanTheMaxFee() {
        long pairBefore = holdings(attacker) + holdings(sybil);
        long clientBefore = holdings(client);
        long id = request(client, INPUT, new Mode.Optimistic(20_000));
        Tx lock = new Tx.LockRequest(id);
        m.ok(attacker, lock);
        long collateral = req(id).lock().collateral();
        assertEquals(params.collateral(FEE, new Mode.Optimistic(20_000)), collateral);
        Tx post = new Tx.SubmitResult(id, WRONG, new byte[0]);
        m.ok(attacker, post);
        Tx challenge = new Tx.Challenge(id);
        m.ok(sybil, challenge);
        assertTrue(m.refused(watcher, new Tx.Challenge(id)).contains("is PROOF_DUE"), "the honest watcher came second");
        m.advance(params.responseMillis() + 1);
        Slash s = m.state().slashes().getLast();
        assertEquals(sybil.accountId(), s.challenger());
        long fees = feeOf(attacker, lock) + feeOf(attacker, post) + feeOf(sybil, challenge);
        long pairLoss = pairBefore - holdings(attacker) - holdings(sybil);
        assertEquals(collateral - s.toChallenger() + fees, pairLoss);
        assertTrue(pairLoss > FEE, "the pair lost " + pairLoss + ", more than any max fee it could have earned");
        assertEquals(-(collateral - s.toChallenger()), params.bestCheatingGain(FEE, new Mode.Optimistic(20_000)));
        assertEquals(clientBefore - feeOf(client, new Tx.SubmitRequest(model, INPUT, FEE, m.now(), new Mode.Optimistic(20_000))) - FEE + s.toVictim(),
                holdings(client), "the client's escrow waits for the re-opened request, and it holds its share of the slash");
        assertTrue(s.toVictim() > 0);
    }

    /** An honest watcher that catches a cheat is paid for it: bond back and the challenger's reward. */
    @Test
    void anHonestWatcherIsPaidForACatch() {
        long before = holdings(watcher);
        long id = request(client, INPUT, new Mode.Optimistic(20_000));
        m.ok(attacker, new Tx.LockRequest(id));
        m.ok(attacker, new Tx.SubmitResult(id, WRONG, new byte[0]));
        Tx challenge = new Tx.Challenge(id);
        m.ok(watcher, challenge);
        m.advance(params.responseMillis() + 1);
        long reward = MarketParams.fraction(params.collateral(FEE, new Mode.Optimistic(20_000)), params.challengeRewardBps());
        assertEquals(before - feeOf(watcher, challenge) + reward, holdings(watcher));
        assertTrue(reward > feeOf(watcher, challenge));
    }

    /** Issue 14 §4: rejected and oversized transactions were free. Now every transaction that reaches the ledger costs its sender. */
    @Test
    void spamCostsItsSenderAndOversizedKindsAreRefused() {
        Signer spammer = m.account(1_000);
        long before = balance(spammer);
        Tx junk = new Tx.LockRequest(999);
        long treasury = m.state().treasury();
        int sent = 20;
        for (int i = 0; i < sent; i++) {
            assertEquals("no request 999", m.refused(spammer, junk));
        }
        assertEquals(before - sent * feeOf(spammer, junk), balance(spammer));
        assertEquals(treasury + sent * feeOf(spammer, junk), m.state().treasury());

        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(new byte[1_024]);
        }
        TxOutcome big = m.send(spammer, new Tx.RegisterOracleSet(1, keys));
        assertTrue(big.reason().contains("exceeds its kind's limit of 65536"), big.reason());

        Signer poor = m.account(5);
        TxOutcome broke = m.send(poor, new Tx.Withdraw(1));
        assertFalse(broke.accepted());
        assertTrue(broke.reason().startsWith("balance 5 is less than the transaction's fee"), broke.reason());
        assertEquals(0, balance(poor), "a sender that cannot pay loses what it has");
        assertEquals(1, m.state().account(poor.accountId()).orElseThrow().nonce(), "and its nonce: the bytes cannot be sent again");
    }

    /**
     * Issue 14 §5: anyone registered a public model first, at a royalty up to 10^14, and its owner
     * could never register it. Now a listing is the owner's own: the squatter's listing does not
     * stop the owner's, and a client that names the owner pays the owner's royalty.
     */
    @Test
    void aSquatterCannotTakeAModelFromItsOwner() {
        byte[] publicModel = "a-public-model".getBytes(StandardCharsets.US_ASCII);
        String id = new FakeVerifier().modelId(publicModel);
        Signer squatter = m.account(10_000);
        Signer realOwner = m.account(10_000);
        m.ok(squatter, new Tx.RegisterModel(publicModel, 100_000_000_000_000L));
        m.ok(realOwner, new Tx.RegisterModel(publicModel, 10));
        assertEquals("model " + id + " is listed by 2 owners (" + String.join(", ", List.of(squatter.accountId(), realOwner.accountId()).stream().sorted().toList())
                + "): name one, as " + id + "@owner", m.refused(client, new Tx.SubmitRequest(id, INPUT, FEE, m.now() + 600_000, new Mode.Zk())),
                "a bare model id no longer reaches whoever listed it first");
        long rid = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(Model.key(id, realOwner.accountId()), INPUT, FEE, m.now() + 600_000, new Mode.Zk()));
        m.ok(honest, new Tx.LockRequest(rid));
        long ownerBefore = balance(realOwner);
        m.ok(honest, new Tx.SubmitResult(rid, OUTPUT, FakeVerifier.proofOf(new Statement(id, INPUT, OUTPUT))));
        assertEquals(Request.Status.SETTLED, req(rid).status());
        assertEquals(ownerBefore + 10, balance(realOwner), "the royalty went to the owner the client chose");
        assertTrue(m.refused(client, new Tx.SubmitRequest(Model.key(id, squatter.accountId()), INPUT, FEE, m.now() + 600_000, new Mode.Zk()))
                .startsWith("max fee 1000 is too low"), "and the squatter's royalty prices its own listing out");
    }

    /** Issue 14 §7: the treasury could not be withdrawn; deposits counted all ever made. */
    @Test
    void theTreasuryIsTheOperatorsAndTheDepositBoundCountsWhatTheMarketHolds() {
        long id = request(client, INPUT, new Mode.Zk());
        m.ok(honest, new Tx.LockRequest(id));
        m.ok(honest, new Tx.SubmitResult(id, OUTPUT, proof(INPUT, OUTPUT)));
        assertTrue(m.refused(attacker, new Tx.WithdrawTreasury(1)).startsWith("only the operator"));
        long treasury = m.state().treasury();
        assertTrue(treasury > 0);
        m.ok(op, new Tx.WithdrawTreasury(treasury));
        assertEquals(0, m.state().treasury());
        assertEquals(treasury, balance(op));
        m.ok(op, new Tx.Withdraw(treasury));

        Signer whale = m.account(Transitions.MAX_TOTAL - m.state().netDeposits());
        assertTrue(m.refused(op, new Tx.Deposit(whale.accountId(), 1)).startsWith("the market would hold more than its bound"));
        m.ok(whale, new Tx.Withdraw(1_000_000));
        m.ok(op, new Tx.Deposit(whale.accountId(), 1_000_000));
    }
}
