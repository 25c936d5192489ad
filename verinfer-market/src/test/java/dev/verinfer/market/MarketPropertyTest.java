package dev.verinfer.market;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random sequences of transactions (valid and invalid, by all parties, with time passing) keep
 * every invariant after every block, and the state survives a snapshot round trip.
 */
class MarketPropertyTest {
    private static final byte[] KEY = "model-P".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INPUT = {9, 9};
    private static final byte[] OUTPUT = {1};
    private static final byte[] WRONG = {2};

    /** One random action: what, by whom, on what, how much, and a variant (mode, honesty, validity). */
    record Step(int kind, int actor, int target, long amount, int variant) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> kind = Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(2, 1), Tuple.of(2, 2), Tuple.of(2, 3), Tuple.of(2, 4), Tuple.of(12, 5),
                Tuple.of(8, 6), Tuple.of(8, 7), Tuple.of(4, 8), Tuple.of(5, 9), Tuple.of(6, 10), Tuple.of(2, 11), Tuple.of(1, 12), Tuple.of(1, 13), Tuple.of(1, 14));
        return Combinators.combine(kind, Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 7),
                Arbitraries.longs().between(0, 3_000), Arbitraries.integers().between(0, 3)).as(Step::new).list().ofMinSize(5).ofMaxSize(80);
    }

    @Property(tries = 250)
    void randomTransactionsPreserveTheInvariants(@ForAll("steps") List<Step> steps) {
        Signer op = MarketDriver.operator();
        Market market = new Market(MarketDriver.params(op), new FakeVerifier());
        MarketDriver m = MarketDriver.inMemory(market, op);
        List<Signer> actors = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            actors.add(m.account(5_000));
        }
        m.ok(actors.get(4), new Tx.RegisterModel(KEY, 20));
        m.ok(actors.get(0), new Tx.RegisterProver(1_000));
        m.ok(actors.get(1), new Tx.RegisterProver(1_000));
        String model = new FakeVerifier().modelId(KEY);
        byte[] last = null;
        for (Step s : steps) {
            long id = target(m, s);
            // Locks mostly come from the registered provers (actors 0 and 1), results and proofs from the locking prover; variant 3 is anyone.
            Signer actor = s.variant() == 3 ? actors.get(s.actor()) : switch (s.kind()) {
                case 6 -> actors.get(s.actor() % 2);
                case 7, 9 -> m.state().request(id).map(Request::lock)
                        .flatMap(l -> actors.stream().filter(a -> a.accountId().equals(l.prover())).findFirst()).orElse(actors.get(s.actor()));
                default -> actors.get(s.actor());
            };
            Tx tx = switch (s.kind()) {
                case 0 -> new Tx.Deposit(actor.accountId(), s.amount());
                case 1 -> new Tx.Withdraw(s.amount());
                case 2 -> new Tx.RegisterProver(s.amount());
                case 3 -> new Tx.AddStake(s.amount());
                case 4 -> new Tx.WithdrawStake(s.amount());
                case 5 -> new Tx.SubmitRequest(model, INPUT, s.amount() + (s.target() == 0 ? 0 : 50), m.now() + 20_000L * (1 + s.variant()), mode(s.variant()));
                case 6 -> new Tx.LockRequest(id);
                case 7 -> result(m, id, s.variant());
                case 8 -> new Tx.Challenge(id);
                case 9 -> new Tx.SubmitProof(id, s.variant() % 2 == 0 ? proof(model, m, id) : new byte[] {1});
                case 12 -> new Tx.DeprecateModel(model);
                case 13 -> new Tx.RegisterModel(new byte[] {(byte) s.variant()}, s.amount());
                case 14 -> new Tx.RegisterOracleSet(s.variant(), actors.subList(0, 3).stream().map(Signer::publicKey).toList());
                default -> null;
            };
            if (s.kind() == 10) {
                m.advance(s.amount() * 3);
            } else if (s.kind() == 11 && last != null) {
                m.submit(last);
            } else if (tx != null) {
                SignedTx signed = s.kind() == 0 ? m.sign(op, tx) : m.sign(actor, tx);
                last = signed.toBytes();
                Statistics.collect(tx.getClass().getSimpleName(), m.submit(last).accepted());
            }
        }
        byte[] snapshot = market.snapshot();
        Market restored = new Market(market.params(), new FakeVerifier());
        restored.restore(snapshot);
        assertArrayEquals(snapshot, restored.snapshot());
        assertEquals(List.of(), Invariants.violations(restored.state()));
    }

    /** A request in the stage the action needs (open for a lock, locked for a result, ...), picked by the step's target; else any request. */
    private static long target(MarketDriver m, Step s) {
        Request.Status wanted = switch (s.kind()) {
            case 6 -> Request.Status.OPEN;
            case 7 -> Request.Status.LOCKED;
            case 8 -> Request.Status.POSTED;
            case 9 -> Request.Status.PROOF_DUE;
            default -> null;
        };
        List<Request> candidates = m.state().requests().stream().filter(r -> r.status() == wanted).toList();
        if (candidates.isEmpty() || s.variant() == 3) {
            return 1 + s.target() % Math.max(1, m.state().nextRequestId() - 1);
        }
        return candidates.get(s.target() % candidates.size()).id();
    }

    private static Mode mode(int variant) {
        return switch (variant) {
            case 0 -> new Mode.Zk();
            case 1 -> new Mode.Optimistic(5_000);
            case 2 -> new Mode.Sampled(5_000, 5_000);
            default -> new Mode.Sampled(10_000, 5_000);
        };
    }

    /** Honest or wrong output; in ZK mode with the proof of what is posted, or a garbage proof. */
    private static Tx result(MarketDriver m, long id, int variant) {
        byte[] output = variant % 2 == 0 ? OUTPUT : WRONG;
        boolean zk = m.state().request(id).map(r -> r.mode() instanceof Mode.Zk).orElse(false);
        byte[] proof = !zk ? new byte[0] : variant == 3 ? new byte[] {7} : FakeVerifier.proofOf(new Statement(m.state().request(id).orElseThrow().modelId(), INPUT, output));
        return new Tx.SubmitResult(id, output, proof);
    }

    private static byte[] proof(String model, MarketDriver m, long id) {
        byte[] posted = m.state().request(id).map(Request::result).map(Request.Result::output).orElse(OUTPUT);
        return FakeVerifier.proofOf(new Statement(model, INPUT, posted));
    }
}
