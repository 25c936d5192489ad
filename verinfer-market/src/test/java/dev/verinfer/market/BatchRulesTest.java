package dev.verinfer.market;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch settlement, rule by rule, on the stand-in verifier; the driver checks the invariants after every block. */
class BatchRulesTest {
    private static final byte[] KEY = "model-B".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "model-C".getBytes(StandardCharsets.US_ASCII);
    private static final long FEE = 1_000;

    private final Signer op = MarketDriver.operator();
    private final MarketDriver m = MarketDriver.inMemory(new Market(MarketDriver.params(op), new FakeVerifier()), op);
    private final Signer owner = m.account(1_000);
    private final Signer client = m.account(20_000);
    private final Signer p1 = m.account(5_000);
    private final Signer p2 = m.account(5_000);
    private final String model = new FakeVerifier().modelId(KEY);
    private final String other = new FakeVerifier().modelId(OTHER_KEY);

    BatchRulesTest() {
        m.ok(owner, new Tx.RegisterModel(KEY, 10));
        m.ok(owner, new Tx.RegisterModel(OTHER_KEY, 10));
        m.ok(p1, new Tx.RegisterProver(2_000));
        m.ok(p2, new Tx.RegisterProver(2_000));
    }

    private static byte[] input(long i) {
        return new byte[] {(byte) i};
    }

    private static byte[] output(long i) {
        return new byte[] {(byte) (100 + i)};
    }

    private long request(String modelId, Mode mode, Signer locker) {
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(modelId, input(id), FEE, m.now() + 600_000, mode));
        m.ok(locker, new Tx.LockRequest(id));
        return id;
    }

    private Tx.SubmitBatchResult batch(List<Long> ids, List<Long> proven) {
        List<Statement> statements = proven.stream().map(i -> new Statement(model, input(i), output(i))).toList();
        return new Tx.SubmitBatchResult(ids, ids.stream().map(BatchRulesTest::output).toList(), FakeVerifier.batchProofOf(statements));
    }

    private Request req(long id) {
        return m.state().request(id).orElseThrow();
    }

    private long open(Mode mode) {
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(model, input(id), FEE, m.now() + 600_000, mode));
        return id;
    }

    @Test
    void lockRequestsLocksEachAsItsOwnLockWouldAndSkipsWhatItCannotLock() {
        long a = open(new Mode.Zk()), b = open(new Mode.Zk()), taken = open(new Mode.Zk()), c = open(new Mode.Optimistic(5_000));
        long single = open(new Mode.Zk());
        m.advance(1_000);
        m.ok(p2, new Tx.LockRequest(taken));
        long stake = m.state().prover(p1.accountId()).orElseThrow().stake();
        m.ok(p1, new Tx.LockRequests(List.of(a, taken, b, c)));
        for (long id : List.of(a, b, c)) {
            assertEquals(Request.Status.LOCKED, req(id).status());
            assertEquals(p1.accountId(), req(id).lock().prover());
        }
        assertEquals(p2.accountId(), req(taken).lock().prover(), "taken first by another prover: skipped");
        m.ok(p2, new Tx.LockRequest(single));
        Request.Lock alone = req(single).lock();
        assertEquals(alone.price(), req(a).lock().price(), "the auction price of the same block, as a lock of its own");
        assertEquals(alone.expiresAt(), req(a).lock().expiresAt());
        assertEquals(MarketDriver.params(op).collateral(FEE, new Mode.Zk()), req(a).lock().collateral());
        assertEquals(stake - req(a).lock().collateral() - req(b).lock().collateral() - req(c).lock().collateral(),
                m.state().prover(p1.accountId()).orElseThrow().stake(), "each lock takes its own collateral");

        assertTrue(m.refused(p1, new Tx.LockRequests(List.of(taken, single))).startsWith("none of the 2 requests was locked; the first refusal: request "
                + taken + " is LOCKED, not OPEN"));
        assertEquals("a LockRequests lists a request twice", m.refused(p1, new Tx.LockRequests(List.of(a, a))));
        assertEquals("a LockRequests lists 1..256 requests, not 0", m.refused(p1, new Tx.LockRequests(List.of())));
        long d = open(new Mode.Zk()), e = open(new Mode.Zk());
        m.ok(p1, new Tx.AddStake(1_000));
        m.ok(p1, new Tx.LockRequests(List.of(d, e)));
        m.ok(p1, batch(List.of(d, e), List.of(d, e)));
        assertEquals(Request.Status.SETTLED, req(d).status(), "requests locked together settle in one batch");
        assertEquals(Request.Status.SETTLED, req(e).status());
        assertEquals(List.of(), m.state().slashes());
    }

    @Test
    void aBatchListingIsRefusedUnlessItIsTheSendersZkRequestsOfOneModelInOrder() {
        m.ok(p1, new Tx.AddStake(1_000));
        long a = request(model, new Mode.Zk(), p1);
        long b = request(model, new Mode.Zk(), p1);
        long c = request(model, new Mode.Zk(), p1);
        long theirs = request(model, new Mode.Zk(), p2);
        long otherModel = request(other, new Mode.Zk(), p1);
        long optimistic = request(model, new Mode.Optimistic(5_000), p1);
        assertEquals("a batch settles 2..256 requests, not 1", m.refused(p1, batch(List.of(a), List.of(a))));
        assertEquals("a batch of 2 requests posts as many outputs, not 1", m.refused(p1, new Tx.SubmitBatchResult(List.of(a, b), List.of(output(a)), new byte[] {1})));
        assertEquals("request " + a + " is listed twice in the batch", m.refused(p1, batch(List.of(a, b, a), List.of(a, b, a))));
        assertEquals("a batch lists its requests in increasing id order, the order of the proof's inferences: " + a + " follows " + b,
                m.refused(p1, batch(List.of(b, a), List.of(b, a))));
        assertEquals("request " + theirs + " is locked by " + p2.accountId() + ", not " + p1.accountId(), m.refused(p1, batch(List.of(a, theirs), List.of(a, theirs))));
        assertEquals("request " + otherModel + " is for model " + req(otherModel).modelId() + ", the batch for " + req(a).modelId(),
                m.refused(p1, batch(List.of(a, otherModel), List.of(a, otherModel))));
        assertEquals("request " + optimistic + " is Optimistic[windowMillis=5000]: only ZK requests settle in a batch",
                m.refused(p1, batch(List.of(a, optimistic), List.of(a, optimistic))));
        assertEquals("a batch result comes with its proof", m.refused(p1, new Tx.SubmitBatchResult(List.of(a, b), List.of(output(a), output(b)), new byte[0])));
        assertEquals(List.of(), m.state().slashes(), "refusals change nothing");
        assertEquals(Request.Status.LOCKED, req(c).status());
    }

    @Test
    void aValidBatchProofPaysEveryRequestAtItsOwnPrice() {
        long a = request(model, new Mode.Zk(), p1);
        m.advance(5_000);
        long b = request(model, new Mode.Zk(), p1);
        long c = request(model, new Mode.Zk(), p1);
        m.ok(p1, batch(List.of(a, b, c), List.of(a, b, c)));
        assertEquals(List.of(a, b, c), m.state().payments().stream().map(Payment::requestId).toList());
        assertEquals(List.of(500L, 500L, 500L), m.state().payments().stream().map(Payment::price).toList());
        assertEquals(new Prover(2_000, 0, 3, 0, 0), m.state().prover(p1.accountId()).orElseThrow());
        assertEquals("request " + a + " is SETTLED, not LOCKED", m.refused(p1, batch(List.of(a, b), List.of(a, b))));
    }

    @Test
    void anInvalidBatchProofSlashesEveryRequestOfTheBatch() {
        long a = request(model, new Mode.Zk(), p1);
        long b = request(model, new Mode.Zk(), p1);
        long c = request(model, new Mode.Zk(), p1);
        m.slashed(p1, batch(List.of(a, c), List.of(a, b)));
        assertEquals(List.of(a, c), m.state().slashes().stream().map(Slash::requestId).toList(), "a proof of another batch");
        assertTrue(m.state().slashes().stream().allMatch(s -> s.cause().equals("invalid batch proof with the results: not a proof of this batch")));
        assertEquals(Request.Status.OPEN, req(a).status());
        assertEquals(Request.Status.LOCKED, req(b).status());
        m.ok(p2, new Tx.LockRequest(a));
        m.ok(p2, new Tx.LockRequest(c));
        m.ok(p2, batch(List.of(a, c), List.of(a, c)));
        assertEquals(Request.Status.SETTLED, req(c).status());
    }
}
