package dev.verinfer.market;

import dev.verinfer.ledger.TxOutcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random sequences mixing honest and adversarial actors under the default parameters (fees
 * included): an honest client (every mode, SAMPLED with commit–reveal), an honest prover, an
 * honest watcher, a griefing client (unprovable inputs, short deadlines, unprovable committed
 * inputs, others' cancels), a cheating prover with a sybil that challenges its own wrong optimistic
 * results first, a silent prover and a spammer (provers lock one request or several at once); the
 * operator withdraws from the treasury; time passes at random, sometimes as node downtime (whose
 * clocks are excused). Each honest party reacts
 * after every action (results, proofs, challenges, reveals, unprovable-input claims). After every
 * block the market's invariants hold (value conserved); at the end no honest party holds less than
 * the rules promise it and no attacker holds more than its accounting allows.
 */
class AdversarialMarketPropertyTest {
    private static final byte[] KEY = "model-adv-p".getBytes(StandardCharsets.US_ASCII);
    private static final long START = 10_000_000;

    /** One action: kind (who acts how), which request it picks, a variant, an amount. */
    record Action(int kind, int pick, int variant, long amount) {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Integer> kind = Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(3, 1), Tuple.of(4, 2), Tuple.of(4, 3), Tuple.of(2, 4), Tuple.of(2, 5),
                Tuple.of(4, 6));
        return Combinators.combine(kind, Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 3), Arbitraries.longs().between(100, 40_000))
                .as(Action::new).list().ofMinSize(10).ofMaxSize(60);
    }

    /** The market and its actors, with what each has paid in transaction fees. */
    private static final class World {
        final Signer op = MarketDriver.operator();
        final MarketParams params = MarketParams.defaults(MarketDriver.CHAIN, op.accountId());
        final MarketDriver m = MarketDriver.inMemory(new Market(params, new FakeVerifier()), op);
        final String model = new FakeVerifier().modelId(KEY);
        final Signer owner = m.account(START);
        final Signer client = m.account(START);
        final Signer honest = m.account(START);
        final Signer watcher = m.account(START);
        final Signer griefer = m.account(START);
        final Signer cheater = m.account(START);
        final Signer sybil = m.account(START);
        final Signer silent = m.account(START);
        final Signer spammer = m.account(START);
        final Map<String, Long> fees = new HashMap<>();
        int sent;
        final Map<Long, byte[]> secrets = new HashMap<>();
        /** Committed inputs' values, handed to the locking prover off the market. */
        final Map<Long, byte[]> committedValues = new HashMap<>();

        World() {
            send(owner, new Tx.RegisterModel(KEY, 10));
            send(honest, new Tx.RegisterProver(START / 2));
            send(cheater, new Tx.RegisterProver(START / 2));
            send(silent, new Tx.RegisterProver(START / 2));
            fees.clear();
        }

        TxOutcome send(Signer s, Tx body) {
            byte[] bytes = m.sign(s, body).toBytes();
            fees.merge(s.accountId(), params.txFeeFor(bytes.length), Long::sum);
            sent++;
            return m.submit(bytes);
        }

        long fees(Signer s) {
            return fees.getOrDefault(s.accountId(), 0L);
        }

        long holdings(Signer s) {
            return m.state().balance(s.accountId()) + m.state().prover(s.accountId()).map(p -> p.stake() + p.collateral()).orElse(0L);
        }

        static byte[] input(int i) {
            return new byte[] {(byte) (i + 1)};
        }

        static byte[] honestOutput(byte[] input) {
            return new byte[] {(byte) (input.length == 0 ? 0 : input[0] + 100)};
        }

        static byte[] wrongOutput(byte[] input) {
            return new byte[] {(byte) (honestOutput(input)[0] + 1)};
        }

        byte[] proof(Request r, byte[] output) {
            return FakeVerifier.proofOf(new Statement(model, r.input(), r.inputRoots(), output, List.of()));
        }

        /** The values a request's input stands for: the public input, or the committed values. */
        byte[] values(Request r) {
            return r.inputCommitted() ? committedValues.get(r.id()) : r.input();
        }

        List<Request> inStatus(Request.Status s) {
            return m.state().requests().stream().filter(r -> r.status() == s).toList();
        }

        boolean lockedBy(Request r, Signer s) {
            return r.lock() != null && r.lock().prover().equals(s.accountId());
        }
    }

    @Property(tries = 120)
    void noHonestPartyLosesAndNoAttackerGains(@ForAll("actions") List<Action> actions) {
        World w = new World();
        MarketDriver m = w.m;
        long[] start = {w.holdings(w.client), w.holdings(w.honest), w.holdings(w.watcher), w.holdings(w.griefer), w.holdings(w.cheater) + w.holdings(w.sybil),
                w.holdings(w.silent), w.holdings(w.spammer), w.holdings(w.owner)};
        for (Action a : actions) {
            act(w, a);
            for (int round = 0; round < 6 && react(w); round++) {
                // every party answers at once: a result, its challenge, a reveal, a demanded proof
            }
        }
        MarketState s = m.state();

        assertTrue(s.slashes().stream().noneMatch(x -> x.prover().equals(w.honest.accountId())), "the honest prover was slashed: " + s.slashes());
        assertTrue(w.holdings(w.honest) >= start[1] - w.fees(w.honest), "the honest prover lost value");
        long watcherBonds = s.requests().stream().filter(r -> r.status() == Request.Status.PROOF_DUE && r.dispute().challenger().equals(w.watcher.accountId()))
                .mapToLong(r -> r.dispute().bond()).sum();
        assertTrue(w.holdings(w.watcher) + watcherBonds >= start[2] - w.fees(w.watcher), "the honest watcher lost value");
        assertTrue(w.holdings(w.owner) >= start[7] - w.fees(w.owner), "the model owner lost value");
        long clientEscrow = s.requests().stream().filter(r -> r.client().equals(w.client.accountId())).mapToLong(Request::escrow).sum();
        long clientPaid = s.payments().stream().filter(p -> s.request(p.requestId()).orElseThrow().client().equals(w.client.accountId()))
                .mapToLong(Payment::price).sum();
        assertTrue(w.holdings(w.client) + clientEscrow >= start[0] - w.fees(w.client) - clientPaid, "the honest client lost more than the prices it paid");
        for (Request r : s.requests()) {
            if (r.client().equals(w.client.accountId()) && r.status() == Request.Status.SETTLED && !(r.mode() instanceof Mode.Sampled)) {
                assertArrayEquals(World.honestOutput(r.input()), r.result().output(), "a ZK or optimistic request settled with a wrong output: " + r);
            }
        }

        long grieferCompensation = s.slashes().stream().filter(x -> x.victim().equals(w.griefer.accountId())).mapToLong(Slash::toVictim).sum();
        assertTrue(w.holdings(w.griefer) <= start[3] - w.fees(w.griefer) + grieferCompensation,
                "the griefing client gained beyond what dishonest provers' slashes paid it");
        assertTrue(s.slashes().stream().filter(x -> x.victim().equals(w.griefer.accountId()))
                .allMatch(x -> x.prover().equals(w.cheater.accountId()) || x.prover().equals(w.silent.accountId())));

        assertTrue(s.payments().stream().filter(p -> p.prover().equals(w.cheater.accountId()))
                .allMatch(p -> s.request(p.requestId()).orElseThrow().mode() instanceof Mode.Sampled), "a wrong ZK or optimistic result was paid");
        for (Slash x : s.slashes()) {
            if (x.challenger().equals(w.sybil.accountId())) {
                Statistics.label("self-challenge").collect("caught by its own sybil");
                assertTrue(x.amount() - x.toChallenger() > s.request(x.requestId()).orElseThrow().maxFee(), "a self-challenge cost less than the max fee: " + x);
            }
        }
        long cheaterIncome = s.payments().stream().filter(p -> p.prover().equals(w.cheater.accountId()))
                .mapToLong(p -> p.price() - p.royalty() - p.protocolFee()).sum();
        long cheaterLoss = s.slashes().stream().filter(x -> x.prover().equals(w.cheater.accountId()))
                .mapToLong(x -> x.amount() - (x.challenger().equals(w.sybil.accountId()) ? x.toChallenger() : 0)).sum();
        assertTrue(w.holdings(w.cheater) + w.holdings(w.sybil) <= start[4] - w.fees(w.cheater) - w.fees(w.sybil) + cheaterIncome - cheaterLoss,
                "the cheater and its sybil hold more than their payments less their slashes");

        assertTrue(w.holdings(w.silent) <= start[5] - w.fees(w.silent), "the silent prover gained");
        assertEquals(start[6] - w.fees(w.spammer), w.holdings(w.spammer), "every spam transaction cost its fee");
        Statistics.label("claims").collect(s.requests().stream().anyMatch(r -> r.status() == Request.Status.REFUNDED && w.committedValues.containsKey(r.id())));
    }

    private static void act(World w, Action a) {
        MarketDriver m = w.m;
        long deadline = m.now() + 600_000;
        switch (a.kind()) {
            case 0 -> {
                long fee = Math.max(100, a.amount() % 2_000);
                byte[] in = World.input(a.pick());
                long id = m.state().nextRequestId();
                switch (a.variant()) {
                    case 0 -> w.send(w.client, new Tx.SubmitRequest(w.model, in, fee, deadline, new Mode.Zk()));
                    case 1 -> w.send(w.client, new Tx.SubmitRequest(w.model, in, fee, deadline, new Mode.Optimistic(20_000)));
                    default -> {
                        byte[] secret = SampleDraw.newSecret();
                        w.secrets.put(id, secret);
                        int bps = a.variant() == 2 ? 5_000 : 2_500;
                        w.send(w.client, new Tx.SubmitRequest(w.model, in, fee, deadline, new Mode.Sampled(bps, 30_000), Tx.Attestation.NONE,
                                SampleDraw.commitment(secret)));
                    }
                }
            }
            case 1 -> {
                switch (a.variant()) {
                    case 0 -> w.send(w.griefer, new Tx.SubmitRequest(w.model, new byte[] {FakeVerifier.OUT_OF_RANGE, 1}, 2_000, deadline, new Mode.Sampled(1_000, 30_000)));
                    case 1 -> w.send(w.griefer, new Tx.SubmitRequest(w.model, World.input(1), 2_000, m.now() + 300, new Mode.Zk()));
                    case 2 -> {
                        byte[] values = {FakeVerifier.OUT_OF_RANGE, (byte) a.pick()};
                        long id = m.state().nextRequestId();
                        if (w.send(w.griefer, new Tx.SubmitCommittedRequest(w.model, List.of(FakeVerifier.root(values)), 1_000, deadline, new Mode.Zk(),
                                Tx.Attestation.NONE)).accepted()) {
                            w.committedValues.put(id, values);
                        }
                    }
                    default -> {
                        List<Request> open = w.inStatus(Request.Status.OPEN);
                        if (!open.isEmpty()) {
                            w.send(w.griefer, new Tx.CancelRequest(open.get(a.pick() % open.size()).id()));
                        }
                    }
                }
            }
            case 2, 3, 4 -> {
                Signer prover = a.kind() == 2 ? w.honest : a.kind() == 3 ? w.cheater : w.silent;
                List<Request> open = w.inStatus(Request.Status.OPEN);
                if (!open.isEmpty() && a.variant() == 1) {
                    // several at once, as a batching prover locks
                    w.send(prover, new Tx.LockRequests(open.stream().map(Request::id).limit(1 + a.pick() % 3).toList()));
                } else if (!open.isEmpty()) {
                    w.send(prover, new Tx.LockRequest(open.get(a.pick() % open.size()).id()));
                }
            }
            case 5 -> {
                if (a.variant() == 3 && m.state().treasury() > 0) {
                    m.ok(w.op, new Tx.WithdrawTreasury(Math.min(a.amount(), m.state().treasury())));
                } else {
                    w.send(w.spammer, a.variant() % 2 == 0 ? new Tx.LockRequest(1_000_000 + a.pick()) : new Tx.Withdraw(Transitions.MAX_TOTAL));
                }
            }
            default -> {
                if (a.variant() == 0) {
                    m.down(a.amount()); // the node was down: excused if more than Timers.DOWNTIME_MILLIS
                } else {
                    m.advance(a.amount());
                }
            }
        }
    }

    /**
     * What the reacting parties do after each action, in this order: the cheater posts, its sybil
     * challenges first, the watcher, the honest prover, the client reveals. Whether anyone sent anything.
     */
    private static boolean react(World w) {
        int before = w.sent;
        for (Request r : w.inStatus(Request.Status.LOCKED)) {
            if (w.lockedBy(r, w.cheater)) {
                byte[] wrong = World.wrongOutput(w.values(r));
                w.send(w.cheater, new Tx.SubmitResult(r.id(), wrong, r.mode() instanceof Mode.Zk ? w.proof(r, World.honestOutput(w.values(r))) : new byte[0]));
            }
        }
        for (Request r : w.inStatus(Request.Status.POSTED)) {
            if (w.lockedBy(r, w.cheater) && r.mode() instanceof Mode.Optimistic) {
                w.send(w.sybil, new Tx.Challenge(r.id()));
            }
        }
        for (Request r : w.inStatus(Request.Status.POSTED)) {
            if (r.mode() instanceof Mode.Optimistic && !Arrays.equals(r.result().output(), World.honestOutput(w.values(r)))) {
                w.send(w.watcher, new Tx.Challenge(r.id()));
            }
        }
        for (Request r : w.m.state().requests()) {
            if (!w.lockedBy(r, w.honest)) {
                continue;
            }
            byte[] values = w.values(r);
            if (r.status() == Request.Status.LOCKED) {
                if (values[0] == FakeVerifier.OUT_OF_RANGE) {
                    w.send(w.honest, new Tx.ClaimUnprovable(r.id(), r.inputCommitted() ? values : new byte[0]));
                } else {
                    byte[] out = World.honestOutput(values);
                    w.send(w.honest, new Tx.SubmitResult(r.id(), out, r.mode() instanceof Mode.Zk ? w.proof(r, out) : new byte[0]));
                }
            } else if (r.status() == Request.Status.PROOF_DUE) {
                w.send(w.honest, new Tx.SubmitProof(r.id(), w.proof(r, r.result().output())));
            }
        }
        for (Request r : w.inStatus(Request.Status.POSTED)) {
            if (r.client().equals(w.client.accountId()) && w.m.state().awaitsReveal(r.id())) {
                w.send(w.client, new Tx.RevealSample(r.id(), w.secrets.get(r.id())));
            }
        }
        return w.sent != before;
    }
}
