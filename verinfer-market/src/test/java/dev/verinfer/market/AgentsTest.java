package dev.verinfer.market;

import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.EmbeddedLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provers and a watcher as automata on the embedded ledger with real alexa_v0.1 proofs: a cheating
 * prover with a low ask takes every request first and is slashed in each mode (ZK by the ledger's
 * verifier, OPTIMISTIC by the watcher's challenge, SAMPLED by the draw); an honest prover then
 * serves them all. Invariants are checked after every block.
 */
class AgentsTest {
    /** Always the altered output and its (invalid) proof. */
    private record Cheating(Alexa alexa) implements InferenceService {
        @Override
        public byte[] output(String modelId, byte[] input) {
            return alexa.wrongOutput;
        }

        @Override
        public byte[] prove(String modelId, byte[] input, byte[] context) {
            return alexa.wrongProof(context);
        }

        @Override
        public byte[] proveBatch(String modelId, List<byte[]> inputs, byte[] context) {
            return alexa.wrongProof(context);
        }
    }

    @Test
    void aCheaterIsSlashedInEveryModeAndAnHonestProverServesEverything(@TempDir Path dir) throws Exception {
        Alexa alexa = Alexa.get();
        AtomicLong clock = new AtomicLong();
        Signer op = MarketDriver.operator();
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir, clock, op)) {
            MarketDriver setup = MarketDriver.onLedger(ledger, clock, op);
            Signer owner = setup.account(1_000);
            Signer client = setup.account(100_000);
            Signer honest = setup.account(10_000);
            Signer cheater = setup.account(10_000);
            Signer watching = setup.account(10_000);
            setup.ok(owner, new Tx.RegisterModel(alexa.verifyingKey, 50));
            setup.ok(honest, new Tx.RegisterProver(5_000));
            setup.ok(cheater, new Tx.RegisterProver(8_000));
            String model = alexa.provingKey.verifyingKey().modelIdHex();

            ZkmlInference zkml = new ZkmlInference(List.of(alexa.provingKey));
            ProverWorker good = new ProverWorker(new MarketAccount(honest, ledger), zkml, Set.of(model), 6_000);
            ProverWorker bad = new ProverWorker(new MarketAccount(cheater, ledger), new Cheating(alexa), Set.of(model), 5_000);
            Watcher watcher = new Watcher(new MarketAccount(watching, ledger), zkml, Set.of(model));
            MarketAccount buyer = new MarketAccount(client, ledger);
            long first = setup.state().nextRequestId();
            for (Mode mode : List.of(new Mode.Zk(), new Mode.Optimistic(5_000), new Mode.Sampled(10_000, 20_000))) {
                buyer.send(new Tx.SubmitRequest(model, alexa.input, 2_000, setup.now() + 300_000, mode));
            }
            for (int tick = 0; tick < 40 && (setup.state().requests().size() < 3 || !setup.state().requests().stream().allMatch(r -> r.status().isFinal())); tick++) {
                clock.addAndGet(1_000);
                Block b = ledger.produceBlock();
                assertEquals("", b.outcomes().stream().filter(o -> !o.accepted() && !o.reason().endsWith("prover slashed")).map(o -> o.reason() + "; ").reduce("", String::concat), "block " + b.height());
                setup.checkInvariants();
                good.onBlock(ledger, b);
                bad.onBlock(ledger, b);
                watcher.onBlock(ledger);
            }
            MarketState s = setup.state();
            for (long id = first; id < first + 3; id++) {
                Request r = s.request(id).orElseThrow();
                assertEquals(Request.Status.SETTLED, r.status(), "request " + id + " (" + r.mode() + ")");
                assertEquals(honest.accountId(), r.lock().prover());
            }
            List<String> causes = s.slashes().stream().map(x -> x.requestId() + ": " + x.cause()).toList();
            assertEquals(3, causes.size(), causes.toString());
            assertTrue(s.slashes().stream().allMatch(x -> x.prover().equals(cheater.accountId())), causes.toString());
            assertTrue(causes.get(0).startsWith(first + ": invalid proof with the result"), causes.toString());
            assertEquals(watching.accountId(), s.slashes().stream().filter(x -> x.requestId() == first + 1).findFirst().orElseThrow().challenger(),
                    "the watcher caught the optimistic cheat");
            assertEquals(client.accountId(), s.slashes().stream().filter(x -> x.requestId() == first + 2).findFirst().orElseThrow().victim());
            assertTrue(s.balance(watching.accountId()) > 10_000, "the watcher earned its share");
        }
    }
}
