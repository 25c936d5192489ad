package dev.verinfer.market;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Excused downtime ({@link Timers}): a gap of more than {@link Timers#DOWNTIME_MILLIS} between two
 * blocks stops every running clock of a live request, so nobody is slashed, and no window closes,
 * for time in which nobody could send anything; a shorter gap excuses nothing, and a prover still
 * silent once the moved clock runs out is slashed as before. The driver checks the invariants
 * (value conservation among them) after every block.
 */
class DowntimeRulesTest {
    private static final byte[] KEY = "model-A".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INPUT = {1, 2, 3};
    private static final byte[] OUTPUT = {4, 5, 6};
    private static final byte[] WRONG = {4, 5, 7};
    private static final long FEE = 1_000;
    private static final long DOWN = 20_000;

    private final Signer op = MarketDriver.operator();
    private final MarketParams params = MarketDriver.params(op);
    private final MarketDriver m = MarketDriver.inMemory(new Market(params, new FakeVerifier()), op);
    private final Signer owner = m.account(1_000);
    private final Signer client = m.account(10_000);
    private final Signer p1 = m.account(5_000);
    private final Signer watcher = m.account(5_000);
    private final String model = new FakeVerifier().modelId(KEY);

    DowntimeRulesTest() {
        m.ok(owner, new Tx.RegisterModel(KEY, 10));
        m.ok(p1, new Tx.RegisterProver(3_000));
    }

    private long request(Mode mode, long deadlineIn) {
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(model, INPUT, FEE, m.now() + deadlineIn, mode));
        return id;
    }

    private Request req(long id) {
        return m.state().request(id).orElseThrow();
    }

    private byte[] proof(byte[] output) {
        return FakeVerifier.proofOf(new Statement(model, INPUT, output));
    }

    @Test
    void aLockRunningOutWhileTheNodeIsDownMovesByTheDowntimeAndItsProverIsPaid() {
        long id = request(new Mode.Zk(), 600_000);
        m.ok(p1, new Tx.LockRequest(id));
        long expires = req(id).lock().expiresAt();
        m.advance(params.lockMillis() - 1_000);
        m.down(DOWN);
        assertEquals(Request.Status.LOCKED, req(id).status(), "no slash for a lock that ran out while nobody could send");
        assertEquals(expires + DOWN, req(id).lock().expiresAt());
        m.ok(p1, new Tx.SubmitResult(id, OUTPUT, proof(OUTPUT)));
        assertEquals(Request.Status.SETTLED, req(id).status());
        assertEquals(0, m.state().slashes().size());
    }

    @Test
    void aProverStillSilentOnceItsMovedLockRunsOutIsSlashed() {
        long id = request(new Mode.Zk(), 600_000);
        m.ok(p1, new Tx.LockRequest(id));
        m.down(DOWN);
        m.advance(params.lockMillis() - 1_000);
        assertEquals(Request.Status.LOCKED, req(id).status(), "the lock's clock stopped for the downtime");
        m.advance(1_001);
        assertEquals(Request.Status.OPEN, req(id).status(), "downtime delays the slash of a silent prover, never spares it");
        assertTrue(m.state().slashes().getFirst().cause().startsWith("silent prover"));
    }

    @Test
    void aGapOfAtMostTheThresholdIsNoDowntime() {
        long id = request(new Mode.Zk(), 600_000);
        m.ok(p1, new Tx.LockRequest(id));
        m.advance(params.lockMillis() - Timers.DOWNTIME_MILLIS + 1);
        m.down(Timers.DOWNTIME_MILLIS);
        assertEquals(Request.Status.OPEN, req(id).status(), "a slow block excuses nothing");
        assertTrue(m.state().slashes().getFirst().cause().startsWith("silent prover"));
    }

    @Test
    void aSampledProofDueWhileTheNodeIsDownMayStillBeGivenAndTheRevealWindowMovesToo() {
        Mode.Sampled sampled = new Mode.Sampled(10_000, 30_000);
        long drawn = request(sampled, 600_000);
        m.ok(p1, new Tx.LockRequest(drawn));
        m.ok(p1, new Tx.SubmitResult(drawn, OUTPUT, new byte[0]));
        assertEquals(Request.Status.PROOF_DUE, req(drawn).status());
        long due = req(drawn).dispute().respondBy();
        m.advance(29_000);
        m.down(DOWN);
        assertEquals(Request.Status.PROOF_DUE, req(drawn).status(), "the proof window ran out while the node was down: not slashed");
        assertEquals(due + DOWN, req(drawn).dispute().respondBy());
        m.ok(p1, new Tx.SubmitProof(drawn, proof(OUTPUT)));
        assertEquals(Request.Status.SETTLED, req(drawn).status());

        byte[] secret = SampleDraw.newSecret();
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(model, INPUT, FEE, m.now() + 600_000, new Mode.Sampled(5_000, 30_000), Tx.Attestation.NONE, SampleDraw.commitment(secret)));
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, OUTPUT, new byte[0]));
        m.advance(params.revealMillis() - 1_000);
        m.down(DOWN);
        assertEquals(Request.Status.POSTED, req(id).status(), "the client could not reveal while the node was down: its window moved");
        m.ok(client, new Tx.RevealSample(id, secret));
        assertTrue(req(id).status() == Request.Status.SETTLED || req(id).status() == Request.Status.PROOF_DUE);
        assertEquals(0, m.state().slashes().size());
    }

    @Test
    void aWrongOptimisticResultCannotOutwaitItsChallengeWindowInDowntime() {
        long id = request(new Mode.Optimistic(10_000), 600_000);
        m.ok(p1, new Tx.LockRequest(id));
        m.ok(p1, new Tx.SubmitResult(id, WRONG, new byte[0]));
        m.advance(9_000);
        m.down(DOWN);
        assertEquals(Request.Status.POSTED, req(id).status(), "the challenge window stopped for the downtime: the watchers keep their time");
        m.ok(watcher, new Tx.Challenge(id));
        m.advance(params.responseMillis() + 1);
        assertEquals(Request.Status.OPEN, req(id).status());
        assertEquals(p1.accountId(), m.state().slashes().getFirst().prover());
    }

    @Test
    void anOpenRequestsDeadlineDoesNotMoveItIsRefunded() {
        long before = m.state().balance(client.accountId());
        long id = request(new Mode.Zk(), 10_000);
        m.down(DOWN);
        assertEquals(Request.Status.REFUNDED, req(id).status(), "nobody held it: the client has its escrow back, nobody is slashed");
        assertEquals(before, m.state().balance(client.accountId()));
        assertEquals(0, m.state().slashes().size());
    }
}
