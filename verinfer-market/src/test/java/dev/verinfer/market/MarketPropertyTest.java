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
 * every invariant after every block, and the state survives a snapshot round trip. The sequences
 * include committed-input requests, workflows (chains, joins, broken references, refused modes)
 * whose steps are served honestly or not, and batches (honest, with a wrong output, in the wrong
 * order, with a garbage proof); coverage checks make sure each of these is both accepted and
 * refused, and that workflows both settle and fail.
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
                Tuple.of(16, 6), Tuple.of(8, 7), Tuple.of(4, 8), Tuple.of(5, 9), Tuple.of(6, 10), Tuple.of(2, 11), Tuple.of(1, 12), Tuple.of(1, 13), Tuple.of(1, 14),
                Tuple.of(4, 15), Tuple.of(6, 16), Tuple.of(4, 17), Tuple.of(1, 18));
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
            if ((s.kind() == 16 || s.kind() == 17) && s.variant() != 3) {
                // Serving a workflow step or a batch: the prover first locks what it serves (the step, or up to three open ZK requests).
                Signer prover = actors.get(s.actor() % 2);
                List<Long> open = m.state().requests().stream().filter(r -> r.status() == Request.Status.OPEN
                        && (s.kind() == 16 ? r.id() == id : r.mode() instanceof Mode.Zk && !r.inputCommitted() && r.workflowId() == 0)).map(Request::id).limit(3).toList();
                for (long lock : open) {
                    Statistics.label("tx").collect("LockRequest", m.submit(m.sign(prover, new Tx.LockRequest(lock)).toBytes()).accepted());
                }
            }
            // Locks mostly come from the registered provers (actors 0 and 1), results and proofs from the locking prover; variant 3 is anyone.
            Signer actor = s.variant() == 3 ? actors.get(s.actor()) : switch (s.kind()) {
                case 6, 17 -> actors.get(s.actor() % 2);
                case 7, 9, 16 -> m.state().request(id).map(Request::lock)
                        .flatMap(l -> actors.stream().filter(a -> a.accountId().equals(l.prover())).findFirst()).orElse(actors.get(s.actor()));
                default -> actors.get(s.actor());
            };
            Tx tx = switch (s.kind()) {
                case 0 -> new Tx.Deposit(actor.accountId(), s.amount());
                case 1 -> new Tx.Withdraw(s.amount());
                case 2 -> new Tx.RegisterProver(s.amount());
                case 3 -> new Tx.AddStake(s.amount());
                case 4 -> new Tx.WithdrawStake(s.amount());
                case 5 -> new Tx.SubmitRequest(model, INPUT, s.amount() + (s.target() == 0 ? 0 : 50), m.now() + 20_000L * (1 + s.variant()),
                        s.target() % 2 == 0 ? new Mode.Zk() : mode(s.variant()));
                case 6 -> new Tx.LockRequest(id);
                case 7 -> result(m, id, s.variant());
                case 8 -> new Tx.Challenge(id);
                case 9 -> new Tx.SubmitProof(id, s.variant() % 2 == 0 ? proof(model, m, id) : new byte[] {1});
                case 12 -> new Tx.DeprecateModel(model);
                case 13 -> new Tx.RegisterModel(new byte[] {(byte) s.variant()}, s.amount());
                case 14 -> new Tx.RegisterOracleSet(s.variant(), actors.subList(0, 3).stream().map(Signer::publicKey).toList());
                case 15 -> workflow(model, m, s);
                case 16 -> stepResult(m, id, s.variant());
                case 17 -> batch(m, actor.accountId(), s);
                case 18 -> new Tx.SubmitCommittedRequest(model, List.of(FakeVerifier.root(INPUT)), 100 + s.amount(), m.now() + 20_000L * (1 + s.variant()),
                        mode(s.variant()), Tx.Attestation.NONE);
                default -> null;
            };
            if (s.kind() == 10) {
                m.advance(s.amount() * 3);
            } else if (s.kind() == 11 && last != null) {
                m.submit(last);
            } else if (tx != null) {
                SignedTx signed = s.kind() == 0 ? m.sign(op, tx) : m.sign(actor, tx);
                last = signed.toBytes();
                Statistics.label("tx").collect(tx.getClass().getSimpleName(), m.submit(last).accepted());
            }
        }
        m.state().workflows().forEach(w -> Statistics.label("workflow").collect(w.status()));
        Statistics.label("tx").coverage(c -> {
            for (String kind : List.of("SubmitWorkflow", "SubmitCommittedResult", "SubmitBatchResult", "SubmitCommittedRequest")) {
                c.check(kind, true).count(n -> n > 0);
                c.check(kind, false).count(n -> n > 0);
            }
        });
        Statistics.label("workflow").coverage(c -> {
            c.check(Workflow.Status.SETTLED).count(n -> n > 0);
            c.check(Workflow.Status.FAILED).count(n -> n > 0);
        });
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
        // Kind 16 serves a workflow step (open or locked); other results go to requests with public outputs.
        List<Request> candidates = m.state().requests().stream().filter(r -> s.kind() == 16
                ? r.workflowId() != 0 && (r.status() == Request.Status.OPEN || r.status() == Request.Status.LOCKED)
                : r.status() == wanted && !r.outputCommitted()).toList();
        // Half the locks go to workflow steps when there are open ones.
        List<Request> steps = candidates.stream().filter(r -> r.workflowId() != 0).toList();
        if (s.kind() == 6 && s.variant() < 2 && !steps.isEmpty()) {
            return steps.get(s.target() % steps.size()).id();
        }
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
        Request r = m.state().request(id).orElse(null);
        boolean zk = r != null && r.mode() instanceof Mode.Zk;
        byte[] proof = !zk ? new byte[0] : variant == 3 ? new byte[] {7} : FakeVerifier.proofOf(new Statement(Model.modelIdOf(r.modelId()), r.input(), r.inputRoots(), output, List.of()));
        return new Tx.SubmitResult(id, output, proof);
    }

    /** A workflow step's result: its committed output root (honest or wrong) or its public output, with its proof; or a garbage proof. */
    private static Tx stepResult(MarketDriver m, long id, int variant) {
        Request r = m.state().request(id).orElse(null);
        if (r != null && !r.outputCommitted()) {
            return result(m, id, variant);
        }
        byte[] root = FakeVerifier.root(variant % 2 == 0 ? OUTPUT : WRONG);
        byte[] proof = r == null || variant == 3 ? new byte[] {7} : FakeVerifier.proofOf(new Statement(Model.modelIdOf(r.modelId()), r.input(), r.inputRoots(), new byte[0], List.of(root)));
        return new Tx.SubmitCommittedResult(id, List.of(root), proof);
    }

    /**
     * Up to three ZK requests locked by {@code prover}, as a batch: honest (variants 0 and 1),
     * with one output wrong or in reverse order (variant 2, by the target's parity), or with a garbage proof.
     */
    private static Tx batch(MarketDriver m, String prover, Step s) {
        List<Request> members = new ArrayList<>(m.state().requests().stream()
                .filter(r -> r.status() == Request.Status.LOCKED && r.lock().prover().equals(prover)
                        && r.mode() instanceof Mode.Zk && !r.inputCommitted() && !r.outputCommitted()).limit(3).toList());
        boolean reversed = s.variant() == 2 && s.target() % 2 == 0;
        boolean wrong = s.variant() == 2 && !reversed;
        if (reversed) {
            java.util.Collections.reverse(members);
        }
        List<byte[]> outputs = new ArrayList<>(members.stream().map(r -> OUTPUT).toList());
        List<Statement> statements = members.stream().map(r -> new Statement(Model.modelIdOf(r.modelId()), r.input(), r.inputRoots(), OUTPUT, List.of())).toList();
        byte[] proof = s.variant() == 3 ? new byte[] {7} : FakeVerifier.batchProofOf(statements);
        if (wrong && !members.isEmpty()) {
            outputs.set(0, WRONG);
        }
        return new Tx.SubmitBatchResult(members.stream().map(Request::id).toList(), outputs, proof);
    }

    /**
     * Two or three ZK steps: a chain (variant 0), a join of two public steps (1), a join with a
     * client root that names a missing output of its predecessor (2), or a step refused for its mode (3).
     */
    private static Tx workflow(String model, MarketDriver m, Step s) {
        long deadline = m.now() + 10_000L * (1 + s.target());
        long fee = 60 + s.amount() / 4;
        Tx.Step first = new Tx.Step(model, fee, deadline, new Mode.Zk(), new Tx.StepInput.Public(INPUT));
        Tx.Step second = new Tx.Step(model, fee, deadline + 10_000, new Mode.Zk(), new Tx.StepInput.Public(INPUT));
        return new Tx.SubmitWorkflow(switch (s.variant()) {
            case 0 -> List.of(first, new Tx.Step(model, fee, deadline + 20_000, new Mode.Zk(), new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, 0)))));
            case 1 -> List.of(first, second, new Tx.Step(model, fee, deadline + 30_000, new Mode.Zk(),
                    new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, 0), new Tx.TensorRef.Output(1, 0)))));
            case 2 -> List.of(first, new Tx.Step(model, fee, deadline, new Mode.Zk(),
                    new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Root(FakeVerifier.root(INPUT)), new Tx.TensorRef.Output(0, s.target() % 2)))));
            default -> List.of(first, new Tx.Step(model, fee, deadline, new Mode.Optimistic(5_000), new Tx.StepInput.Public(INPUT)));
        });
    }

    private static byte[] proof(String model, MarketDriver m, long id) {
        Request r = m.state().request(id).orElse(null);
        byte[] posted = r == null || r.result() == null ? OUTPUT : r.result().output();
        return FakeVerifier.proofOf(new Statement(model, r == null ? INPUT : r.input(), r == null ? List.of() : r.inputRoots(), posted, List.of()));
    }
}
