package dev.verinfer.market;

import dev.verinfer.ledger.EmbeddedLedger;
import dev.verinfer.ledger.SigkillRounds;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The process {@link MarketCrashTest} kills: a market on the embedded ledger in {@code args[0]}
 * under a busy random workload (requests in every mode, locks, honest and wrong results, silence,
 * challenges, proofs, deposits, withdrawals), acknowledging each block once it is durable. Block
 * times are wall-clock, and the market's windows are a few hundred milliseconds, so its timers fire.
 */
public final class MarketCrashChild {
    static final EmbeddedLedger.Options OPTIONS = new EmbeddedLedger.Options(7, 1_000, System::currentTimeMillis);
    static final byte[] KEY = "crash-model".getBytes(StandardCharsets.US_ASCII);
    static final byte[] INPUT = {1};
    static final byte[] OUTPUT = {2};
    static final byte[] WRONG = {3};

    private MarketCrashChild() {
    }

    /** Keys derived from names, so that every child and the test agree on the accounts. */
    static Signer signer(String name) {
        try {
            SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
            seeded.setSeed(name.getBytes(StandardCharsets.UTF_8));
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, seeded);
            return new Signer(g.generateKeyPair(), MarketDriver.CHAIN);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Market market() {
        // Short times (a 300 ms lock, windows and reveal) so that every transition happens within a few kill rounds.
        MarketParams params = new MarketParams(MarketDriver.CHAIN, signer("operator").accountId(), 5_000, 200, 300, 2_000, 1_000, 300, 200, 5_000, 100,
                300, Mode.MAX_WINDOW_MILLIS, 300, 300, 2_500, 1_000, 10, 1);
        return new Market(params, new FakeVerifier());
    }

    public static void main(String[] args) throws Exception {
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        Signer op = signer("operator");
        List<Signer> clients = List.of(signer("client-1"), signer("client-2"));
        List<Signer> provers = List.of(signer("prover-1"), signer("prover-2"));
        String model = new FakeVerifier().modelId(KEY);
        try (EmbeddedLedger<Market> ledger = EmbeddedLedger.open(Path.of(args[0]), market(), OPTIONS)) {
            SigkillRounds.opened(ledger.height());
            Map<Signer, Long> nonces = new HashMap<>();
            for (Signer s : List.of(op, clients.get(0), clients.get(1), provers.get(0), provers.get(1))) {
                nonces.put(s, ledger.read(m -> m.state().account(s.accountId()).map(Account::nonce).orElse(0L)));
            }
            Sender send = (s, body) -> ledger.submit(s.sign(nonces.merge(s, 1L, Long::sum) - 1, body).toBytes());
            if (ledger.read(m -> m.state().model(Model.key(model, clients.get(0).accountId())).isEmpty())) {
                for (Signer s : List.of(clients.get(0), clients.get(1), provers.get(0), provers.get(1))) {
                    send.send(op, new Tx.Deposit(s.accountId(), 100_000));
                }
                SigkillRounds.acknowledged(ledger.produceBlock());
                send.send(clients.get(0), new Tx.RegisterModel(KEY, 5));
                for (Signer p : provers) {
                    send.send(p, new Tx.RegisterProver(50_000));
                }
                SigkillRounds.acknowledged(ledger.produceBlock());
            }
            while (true) {
                List<Request> live = ledger.read(m -> m.state().requests().stream().filter(r -> !r.status().isFinal()).toList());
                for (Signer c : clients) {
                    if (random.nextInt(3) == 0) {
                        Mode mode = switch (random.nextInt(3)) {
                            case 0 -> new Mode.Zk();
                            case 1 -> new Mode.Optimistic(300);
                            default -> new Mode.Sampled(5_000, 300);
                        };
                        send.send(c, new Tx.SubmitRequest(model, INPUT, 100, System.currentTimeMillis() + 2_000, mode));
                    }
                    if (random.nextInt(20) == 0) {
                        send.send(c, new Tx.Withdraw(random.nextLong(1, 500)));
                    }
                    if (random.nextInt(20) == 0) {
                        send.send(op, new Tx.Deposit(c.accountId(), random.nextLong(1, 500)));
                    }
                }
                for (Request r : live) {
                    act(r, random, provers, clients, model, send);
                }
                SigkillRounds.acknowledged(ledger.produceBlock());
            }
        }
    }

    /** What the parties do about one live request this block. */
    private static void act(Request r, SplittableRandom random, List<Signer> provers, List<Signer> clients, String model, Sender send) {
        Signer holder = r.lock() == null ? null : provers.stream().filter(p -> p.accountId().equals(r.lock().prover())).findFirst().orElseThrow();
        switch (r.status()) {
            case OPEN -> send.send(provers.get(random.nextInt(provers.size())), new Tx.LockRequest(r.id()));
            case LOCKED -> {
                if (random.nextInt(5) > 0) {
                    byte[] output = random.nextInt(4) == 0 ? WRONG : OUTPUT;
                    byte[] proof = r.mode() instanceof Mode.Zk ? FakeVerifier.proofOf(new Statement(model, INPUT, random.nextBoolean() ? output : OUTPUT)) : new byte[0];
                    send.send(holder, new Tx.SubmitResult(r.id(), output, proof));
                }
            }
            case POSTED -> {
                if (r.mode() instanceof Mode.Optimistic && random.nextInt(3) == 0) {
                    send.send(clients.get(1), new Tx.Challenge(r.id()));
                }
            }
            case PROOF_DUE -> {
                if (random.nextInt(3) > 0) {
                    send.send(holder, new Tx.SubmitProof(r.id(), FakeVerifier.proofOf(new Statement(model, INPUT, OUTPUT))));
                }
            }
            case SETTLED, REFUNDED -> throw new IllegalStateException("only live requests are acted on");
        }
    }

    private interface Sender {
        void send(Signer s, Tx body);
    }
}
