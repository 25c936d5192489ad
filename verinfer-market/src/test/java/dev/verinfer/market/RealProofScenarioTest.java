package dev.verinfer.market;

import dev.verinfer.ledger.EmbeddedLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market on the embedded ledger with real alexa_v0.1 proofs: honest flows in each mode, wrong
 * outputs caught and slashed, a silent prover replaced, a frivolous challenger, replays and forgeries.
 * Invariants are checked after every block; after each test the ledger is reopened from disk and
 * must rebuild the same state (re-verifying every proof on replay).
 */
class RealProofScenarioTest {
    private static Alexa alexa;
    private static byte[] verifyingKey;
    private static byte[] input;
    private static byte[] output;
    private static byte[] wrongOutput;

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong();
    private final Signer op = MarketDriver.operator();
    private EmbeddedLedger<Market> ledger;
    private ZkmlLedger store;
    private MarketDriver m;
    private Signer client;
    private Signer p1;
    private Signer p2;
    private Signer watcher;
    private String model;

    @BeforeAll
    static void proveOnce() throws Exception {
        Alexa a = Alexa.get();
        alexa = a;
        verifyingKey = a.verifyingKey;
        input = a.input;
        output = a.output;
        wrongOutput = a.wrongOutput;
        assertFalse(Arrays.equals(output, wrongOutput), "the cheat changed the output");
    }

    @BeforeEach
    void market() throws IOException {
        store = new ZkmlLedger(dir, op, clock);
        ledger = store.open();
        m = MarketDriver.onLedger(ledger, clock, op);
        Signer owner = m.account(1_000);
        client = m.account(100_000);
        p1 = m.account(10_000);
        p2 = m.account(10_000);
        watcher = m.account(10_000);
        m.ok(owner, new Tx.RegisterModel(verifyingKey, 50));
        model = new ZkmlProofVerifier().modelId(verifyingKey);
        m.ok(p1, new Tx.RegisterProver(5_000));
        m.ok(p2, new Tx.RegisterProver(5_000));
    }


    @AfterEach
    void reopenRebuildsTheSameState() throws IOException {
        store.assertReopensTheSame(ledger);
    }

    private long request(Mode mode) {
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(model, input, 2_000, m.now() + 600_000, mode));
        return id;
    }

    private Request req(long id) {
        return m.state().request(id).orElseThrow();
    }

    private void servedBy(Signer p, long id) {
        assertEquals(Request.Status.SETTLED, req(id).status());
        assertEquals(p.accountId(), m.state().payments().getLast().prover());
        assertEquals(1, m.state().payments().stream().filter(x -> x.requestId() == id).count());
    }

    @Test
    void honestZk() {
        long id = request(new Mode.Zk());
        m.advance(2_000);
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, output, alexa.proof(id, p1)));
        servedBy(p1, id);
        assertEquals(0, m.state().slashes().size());
    }

    /**
     * Issue 14 §1 with the real verifier: 64 random bytes, a tensor of the wrong length and a value
     * beyond the calibrated bound are refused where they enter, with the reason; the honest input
     * passes; a committed input's roots are recomputed from its values.
     */
    @Test
    void unprovableInputsAreRefusedAgainstTheVerifyingKey() {
        ZkmlProofVerifier v = new ZkmlProofVerifier();
        assertTrue(v.checkInput(verifyingKey, input).valid());
        byte[] random = new byte[64];
        new java.util.Random(14).nextBytes(random);
        long[] values = StatementCodec.decode(input).getFirst();
        long[] outOfRange = values.clone();
        outOfRange[3] = 1L << 40;
        assertFalse(v.checkInput(verifyingKey, random).valid(), "random bytes are no encoding of the model's tensors");
        assertTrue(v.checkInput(verifyingKey, StatementCodec.encode(List.of(Arrays.copyOf(values, values.length - 1)))).reason().contains("values, not"));
        assertTrue(v.checkInput(verifyingKey, StatementCodec.encode(List.of(outOfRange))).reason().contains("outside its calibrated bound"));
        for (byte[] bad : List.of(random, StatementCodec.encode(List.of(outOfRange)))) {
            assertTrue(m.refused(client, new Tx.SubmitRequest(model, bad, 2_000, m.now() + 600_000, new Mode.Sampled(1_000, 60_000))).startsWith("input refused for model"));
        }
        assertEquals(1, v.inputRoots(verifyingKey, input).size());
        assertArrayEquals(v.inputRoots(verifyingKey, input).getFirst(), v.inputRoots(verifyingKey, input).getFirst(), "deterministic");
        assertTrue(m.state().requests().isEmpty());
    }

    @Test
    void honestOptimistic() {
        long id = request(new Mode.Optimistic(10_000));
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, output, new byte[0]));
        m.advance(10_000);
        servedBy(p1, id);
    }

    @Test
    void honestSampledProvesWhenDrawn() {
        long id = request(new Mode.Sampled(10_000, 20_000));
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, output, new byte[0]));
        m.advance(1);
        m.advance(1);
        assertEquals(Request.Status.PROOF_DUE, req(id).status());
        m.ok(p1, new Tx.SubmitProof(id, alexa.proof(id, p1)));
        servedBy(p1, id);
    }

    @Test
    void wrongOutputInZkIsSlashedAndAnotherProverServes() {
        long id = request(new Mode.Zk());
        m.ok(p1, new Tx.LockRequest(id));
        m.slashed(p1, new Tx.SubmitResult(id, wrongOutput, alexa.wrongProof(id, p1)));
        assertEquals(Request.Status.OPEN, req(id).status());
        assertTrue(m.state().slashes().getFirst().cause().startsWith("invalid proof with the result: proof rejected"), m.state().slashes().getFirst().cause());
        m.ok(p2, new Tx.LockRequest(id));
        m.slashed(p2, new Tx.SubmitResult(id, wrongOutput, alexa.proof(id, p2)));
        assertEquals("invalid proof with the result: the proof is of another output than the posted result", m.state().slashes().getLast().cause());
        assertTrue(m.refused(p1, new Tx.LockRequest(id)).contains("may not lock it again"));
        Signer p3 = m.account(10_000);
        m.ok(p3, new Tx.RegisterProver(5_000));
        m.ok(p3, new Tx.LockRequest(id));
        m.ok(p3, new Tx.SubmitResult(id, output, alexa.proof(id, p3)));
        servedBy(p3, id);
        assertEquals(new Prover(5_000 - 400, 0, 0, 1, 1), m.state().prover(p2.accountId()).orElseThrow(), "20% of the 2000 max fee slashed");
    }

    @Test
    void wrongOutputInOptimisticIsChallengedAndSlashed() {
        long id = request(new Mode.Optimistic(10_000));
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, wrongOutput, new byte[0]));
        // The watcher re-runs the model and sees another output.
        assertFalse(Arrays.equals(output, req(id).result().output()));
        long watcherBefore = m.state().balance(watcher.accountId());
        m.ok(watcher, new Tx.Challenge(id));
        m.slashed(p1, new Tx.SubmitProof(id, alexa.wrongProof(id, p1)));
        Slash s = m.state().slashes().getFirst();
        assertEquals(watcher.accountId(), s.challenger());
        assertEquals(watcherBefore + s.toChallenger(), m.state().balance(watcher.accountId()), "bond back plus the challenger's reward");
        m.ok(p2, new Tx.LockRequest(id));
        m.ok(p2, new Tx.SubmitResult(id, output, new byte[0]));
        m.advance(10_000);
        servedBy(p2, id);
    }

    @Test
    void wrongOutputInSampledIsSlashedWhenDrawn() {
        long id = request(new Mode.Sampled(10_000, 20_000));
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, wrongOutput, new byte[0]));
        m.advance(1);
        m.advance(1);
        m.slashed(p1, new Tx.SubmitProof(id, alexa.proof(id, p1)));
        assertEquals(Request.Status.OPEN, req(id).status());
        assertEquals("invalid proof when demanded: the proof is of another output than the posted result", m.state().slashes().getFirst().cause());
        assertEquals(client.accountId(), m.state().slashes().getFirst().victim());
    }

    @Test
    void aSilentProverIsSlashedAndTheRequestReassignedAndServed() {
        long id = request(new Mode.Zk());
        m.ok(p1, new Tx.LockRequest(id));
        m.advance(60_001);
        assertTrue(m.state().slashes().getFirst().cause().startsWith("silent prover"));
        m.ok(p2, new Tx.LockRequest(id));
        m.ok(p2, new Tx.SubmitResult(id, output, alexa.proof(id, p2)));
        servedBy(p2, id);
    }

    @Test
    void aFrivolousChallengerLosesTheBond() {
        long id = request(new Mode.Optimistic(10_000));
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, output, new byte[0]));
        m.ok(watcher, new Tx.Challenge(id));
        long bond = req(id).dispute().bond();
        m.ok(p1, new Tx.SubmitProof(id, alexa.proof(id, p1)));
        servedBy(p1, id);
        assertEquals(10_000 - bond, m.state().balance(watcher.accountId()));
    }

    @Test
    void replayedAndForgedResultsAreRefused() {
        long id = request(new Mode.Zk());
        m.ok(p1, new Tx.LockRequest(id));
        byte[] proof = alexa.proof(id, p1);
        SignedTx result = m.sign(p1, new Tx.SubmitResult(id, output, proof));
        assertEquals("", m.submit(result.toBytes()).reason());
        assertTrue(m.submit(result.toBytes()).reason().contains("replayed or out of order"));
        long id2 = request(new Mode.Zk());
        m.ok(p1, new Tx.LockRequest(id2));
        SignedTx genuine = m.sign(p1, new Tx.Withdraw(1));
        SignedTx forged = new SignedTx(genuine.publicKey(), genuine.nonce(), new Tx.SubmitResult(id2, output, proof), genuine.signature());
        assertTrue(m.submit(forged.toBytes()).reason().startsWith("invalid signature"));
        assertEquals(Request.Status.LOCKED, req(id2).status());
        assertEquals(1, m.state().payments().size());
    }

    /**
     * Issue 17: a proof is bound to its request and prover. A second prover that locks a duplicate
     * request (same model, same input) and posts the first prover's proof, copied from the ledger,
     * is slashed and never paid; so is the first prover replaying its own proof on the duplicate.
     * Challenged and sampled proofs are bound the same way.
     */
    @Test
    void aProofCopiedFromTheLedgerIntoAnotherRequestOrByAnotherProverIsSlashed() {
        long id = request(new Mode.Zk());
        m.ok(p1, new Tx.LockRequest(id));
        byte[] onTheLedger = alexa.proof(id, p1); // the bytes of p1's SubmitResult, public on the ledger
        m.ok(p1, new Tx.SubmitResult(id, output, onTheLedger));
        servedBy(p1, id);

        long duplicate = request(new Mode.Zk());
        m.ok(p2, new Tx.LockRequest(duplicate));
        m.slashed(p2, new Tx.SubmitResult(duplicate, output, onTheLedger));
        assertEquals(Request.Status.OPEN, req(duplicate).status());
        Slash copy = m.state().slashes().getLast();
        assertEquals(p2.accountId(), copy.prover());
        assertTrue(copy.cause().contains("context differs"), copy.cause());
        m.ok(p1, new Tx.LockRequest(duplicate));
        m.slashed(p1, new Tx.SubmitResult(duplicate, output, onTheLedger));
        assertEquals(p1.accountId(), m.state().slashes().getLast().prover(), "its own proof of another request");
        assertEquals(1, m.state().payments().size(), "no copy was paid");

        // A sampled request demands a proof: one made for the other request does not answer it.
        long sampled = request(new Mode.Sampled(10_000, 20_000));
        m.ok(p2, new Tx.LockRequest(sampled));
        m.ok(p2, new Tx.SubmitResult(sampled, output, new byte[0]));
        m.advance(1);
        m.advance(1);
        assertEquals(Request.Status.PROOF_DUE, req(sampled).status());
        m.slashed(p2, new Tx.SubmitProof(sampled, onTheLedger));
        assertTrue(m.state().slashes().getLast().cause().startsWith("invalid proof when demanded: the proof is bound to another request or prover"),
                m.state().slashes().getLast().cause());

        // Both copiers were slashed on the duplicate and may not lock it again: a third prover serves it.
        assertTrue(m.refused(p2, new Tx.LockRequest(duplicate)).contains("may not lock it again"));
        Signer p3 = m.account(10_000);
        m.ok(p3, new Tx.RegisterProver(5_000));
        m.ok(p3, new Tx.LockRequest(duplicate));
        m.ok(p3, new Tx.SubmitResult(duplicate, output, alexa.proof(duplicate, p3)));
        servedBy(p3, duplicate);
    }
}
