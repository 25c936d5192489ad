package dev.verinfer.market;

import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.EmbeddedLedger;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.WeightOpeningLedger;
import dev.verinfer.zkml.WeightRotations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A private model's weight commitment rotated in the embedded market ({@link Tx.RotateWeights}): its owner posts each link,
 * the node verifies it against the listing's current root and keeps the chain in the listing (durable as the rest of the
 * state), and results verify under every root of the chain. Real zero-knowledge keys and proofs (x·W, W of 8×4), no stand-in
 * verifier.
 */
class WeightRotationMarketTest {
    @TempDir Path dir;

    /** x [1,8] → x·W with W [8,4] (32 weights: a table wide enough for a rotation to hide it, {@code HidingLayout.rotationHides}). */
    private static QuantGraph graph(long shift) {
        long[] w = new long[32];
        for (int i = 0; i < w.length; i++) {
            w[i] = ((i * 37L + shift) % 127) - 63;
        }
        List<QTensor> tensors = List.of(new QTensor(0, "x", new int[] {1, 8}, 8, 12, QTensor.Kind.INPUT, null),
                new QTensor(1, "w", new int[] {8, 4}, 6, 6, QTensor.Kind.WEIGHT, w),
                new QTensor(2, "y", new int[] {1, 4}, 14, 20, QTensor.Kind.ACTIVATION, null));
        return new QuantGraph(tensors, List.of(new QNode("matmul", new QOp.MatMul(0, 1, -1), 2)), List.of(0), List.of(2));
    }

    private static final QuantGraph GRAPH = graph(5);

    private static Execution run(float first) {
        return IntegerExecutor.execute(GRAPH, Map.of("x", new float[] {first, -0.25f, 1f, 0.125f, 0.5f, -1f, 0.75f, 0f}));
    }

    private static ProvingKey zkKey(QuantGraph g) {
        return Setup.setup(g, PcsSecurity.PROVEN, true, 16);
    }

    /** The link e → e + 1 of {@code chain} as its owner posts it. */
    private static Tx.RotateWeights link(String model, WeightRotations chain, int epoch) {
        return new Tx.RotateWeights(model, chain.root(epoch), chain.root(epoch + 1), chain.linkProof(epoch));
    }

    /** A ZK request on {@code run}'s input, locked by {@code prover}, answered with {@code key}'s proof: the outcome's reason ("" if accepted). */
    private static String serve(MarketDriver m, Signer client, Signer prover, String model, ProvingKey key, Execution run, boolean slashed) {
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(model, StatementCodec.encode(List.of(run.values()[0])), 2_000, m.now() + 600_000, new Mode.Zk()));
        m.advance(2_000);
        m.ok(prover, new Tx.LockRequest(id));
        Proof proof = Prover.prove(key, run, ProofContext.request(MarketDriver.CHAIN, id, prover.accountId()));
        Tx.SubmitResult result = new Tx.SubmitResult(id, StatementCodec.encode(proof.statement().outputs()), proof.bytes());
        if (slashed) {
            return m.slashed(prover, result);
        }
        m.ok(prover, result);
        assertEquals(Request.Status.SETTLED, m.state().request(id).orElseThrow().status());
        assertTrue(m.state().payments().stream().anyMatch(p -> p.requestId() == id && p.prover().equals(prover.accountId())), "request " + id + " paid");
        return "";
    }

    @Test
    void anHonestRotationLetsProofsUnderTheNewRootSettleAndItsChainSurvivesARestart() throws Exception {
        ProvingKey pk = zkKey(GRAPH);
        byte[] vk = pk.verifyingKey().toBytes();
        String model = pk.verifyingKey().modelIdHex();
        WeightRotations.Rotated rotated = WeightRotations.none(pk.verifyingKey()).rotate(pk);
        AtomicLong clock = new AtomicLong();
        Signer op = MarketDriver.operator();
        MarketDriver before;
        byte[] chain;
        Signer owner, client, prover;
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir, clock, op)) {
            MarketDriver m = MarketDriver.onLedger(ledger, clock, op);
            owner = m.account(1_000);
            client = m.account(100_000);
            prover = m.account(10_000);
            m.ok(owner, new Tx.RegisterModel(vk, 50));
            m.ok(prover, new Tx.RegisterProver(5_000));
            String listing = Model.key(model, owner.accountId());
            assertEquals(0, m.state().model(listing).orElseThrow().weightRotations().length);

            long proverBalance = m.state().balance(prover.accountId());
            m.ok(owner, link(model, rotated.chain(), 0));
            chain = m.state().model(listing).orElseThrow().weightRotations();
            assertEquals(1, WeightRotations.fromBytes(chain, pk.verifyingKey()).epoch(), "the listing's chain holds the link");
            assertEquals("", serve(m, client, prover, model, rotated.key(), run(0.5f), false), "a proof under the new root settles");
            assertEquals("", serve(m, client, prover, model, pk, run(-0.5f), false), "and one under the registered root still does");
            assertTrue(m.state().balance(prover.accountId()) > proverBalance, "the prover was paid");
            assertEquals(List.of(), m.state().slashes());
            before = m;
        }
        // The node restarted from its directory (a snapshot every 5 blocks: the chain comes back from one, StateCodec v4, and the
        // blocks after it are replayed): the chain is back, and a fresh verifier reads it to accept epoch 1's proofs.
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir, clock, op)) {
            MarketDriver m = before.reopened(ledger, clock);
            assertArrayEquals(chain, m.state().model(Model.key(model, owner.accountId())).orElseThrow().weightRotations(), "the chain survives the restart");
            assertEquals("", serve(m, client, prover, model, rotated.key(), run(0.25f), false));
            assertTrue(m.refused(owner, link(model, rotated.chain(), 0)).contains("not the current weight root"), "the link is not posted twice");
        }
    }

    @Test
    void aNonOwnersForgedOrOutOfOrderLinkIsRefusedAndAProofUnderAnUnlinkedRootIsSlashed() {
        ProvingKey pk = zkKey(GRAPH);
        byte[] vk = pk.verifyingKey().toBytes();
        String model = pk.verifyingKey().modelIdHex();
        WeightRotations.Rotated first = WeightRotations.none(pk.verifyingKey()).rotate(pk);
        WeightRotations.Rotated second = first.chain().rotate(first.key());
        // Another table of the same shape (other weights): its own rotation, and its roots.
        ProvingKey otherPk = zkKey(graph(11));
        WeightRotations.Rotated other = WeightRotations.none(otherPk.verifyingKey()).rotate(otherPk);

        Signer op = MarketDriver.operator();
        MarketDriver m = MarketDriver.inMemory(new Market(MarketDriver.params(op), new ZkmlProofVerifier()), op);
        Signer owner = m.account(1_000);
        Signer stranger = m.account(1_000);
        Signer client = m.account(100_000);
        Signer prover = m.account(10_000);
        m.ok(owner, new Tx.RegisterModel(vk, 50));
        m.ok(prover, new Tx.RegisterProver(5_000));
        String listing = Model.key(model, owner.accountId());

        String refused = m.refused(stranger, link(listing, first.chain(), 0));
        assertTrue(refused.contains("only the owner"), refused);
        refused = m.refused(stranger, link(model, first.chain(), 0));
        assertTrue(refused.contains("no model") && refused.contains("listed by " + stranger.accountId()), refused);

        WeightRotations honest = first.chain();
        refused = m.refused(owner, new Tx.RotateWeights(model, honest.root(0), other.chain().root(1), honest.linkProof(0)));
        assertTrue(refused.contains("weight rotation 0 → 1 is rejected"), "another table's root: " + refused);
        refused = m.refused(owner, new Tx.RotateWeights(model, honest.root(0), other.chain().root(1), other.chain().linkProof(0)));
        assertTrue(refused.contains("is rejected"), "another table's link: " + refused);
        byte[] tampered = honest.linkProof(0);
        tampered[tampered.length / 2] ^= 1;
        refused = m.refused(owner, new Tx.RotateWeights(model, honest.root(0), honest.root(1), tampered));
        assertTrue(refused.startsWith("weight rotation of model " + listing + " refused: "), "tampered proof bytes: " + refused);
        refused = m.refused(owner, link(model, second.chain(), 1));
        assertTrue(refused.contains("not the current weight root"), "a link not starting from the current root: " + refused);
        assertEquals(0, m.state().model(listing).orElseThrow().weightRotations().length, "no refused link entered the chain");

        m.ok(owner, link(model, honest, 0));
        // A proof under epoch 2's root, which the market's chain does not link: invalid, its prover slashed.
        String slashed = serve(m, client, prover, model, second.key(), run(0.5f), true);
        assertTrue(slashed.contains("proof rejected"), slashed);
        assertEquals(1, m.state().slashes().size());
        // Once the owner posts the next link, the same key's proofs settle.
        m.ok(owner, link(model, second.chain(), 1));
        assertEquals("", serve(m, client, prover, model, second.key(), run(0.75f), false));
    }

    /**
     * The prover process's side: a key whose opening count (kept beside it, as a model directory's) is spent down to the
     * rotation's units is refused by the inference, naming how to rotate, and the prover locks none of the model's requests
     * (rather than lock one it cannot prove and lose its collateral); once the owner rotated and posted the link, a prover on
     * the rotated key serves the waiting request, settled.
     */
    @Test
    void aProverWithASpentCountLocksNothingUntilTheOwnerRotatesAndPostsTheLink() throws Exception {
        ProvingKey pk = zkKey(GRAPH);
        Path count = dir.resolve("proving.key" + WeightOpeningLedger.SUFFIX);
        WeightOpeningLedger.create(count, pk);
        ZkmlInference spent = new ZkmlInference(List.of(pk));
        String model = pk.verifyingKey().modelIdHex();
        for (int i = 0; i < 64 && spent.refusal(model).isEmpty(); i++) {
            Prover.prove(pk, run(i / 64f));
        }
        String refusal = spent.refusal(model).orElseThrow();
        assertTrue(refusal.contains("verinfer rotate -m " + dir.toAbsolutePath()) && refusal.contains("verinfer market rotate"), refusal);

        AtomicLong clock = new AtomicLong();
        Signer op = MarketDriver.operator();
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir.resolve("ledger"), clock, op)) {
            MarketDriver m = MarketDriver.onLedger(ledger, clock, op);
            Signer owner = m.account(1_000);
            Signer client = m.account(100_000);
            Signer prover = m.account(10_000);
            m.ok(owner, new Tx.RegisterModel(pk.verifyingKey().toBytes(), 50));
            m.ok(prover, new Tx.RegisterProver(5_000));
            long id = m.state().nextRequestId();
            m.ok(client, new Tx.SubmitRequest(model, StatementCodec.encode(List.of(run(0.5f).values()[0])), 2_000, m.now() + 600_000, new Mode.Zk()));
            ProverWorker refusing = new ProverWorker(new MarketAccount(prover, ledger), spent, Set.of(model), 0);
            for (int tick = 0; tick < 5; tick++) {
                clock.addAndGet(1_000);
                Block b = ledger.produceBlock();
                refusing.onBlock(ledger, b);
            }
            assertEquals(Request.Status.OPEN, m.state().request(id).orElseThrow().status(), "the spent key's prover locked nothing");
            assertEquals(List.of(), m.state().slashes());

            // The owner rotates (the count's kept units), moves the count to the new epoch and posts the link.
            WeightRotations.Rotated rotated = WeightRotations.none(pk.verifyingKey()).rotate(pk);
            WeightOpeningLedger.advance(count, rotated.key());
            MarketAccount ownerAccount = new MarketAccount(owner, ledger);
            ownerAccount.send(link(model, rotated.chain(), 0));
            ZkmlInference renewed = new ZkmlInference(List.of(rotated.key()));
            assertFalse(renewed.refusal(model).isPresent(), "the new epoch's count is fresh");
            ProverWorker serving = new ProverWorker(new MarketAccount(prover, ledger), renewed, Set.of(model), 0);
            for (int tick = 0; tick < 20 && !m.state().request(id).orElseThrow().status().isFinal(); tick++) {
                clock.addAndGet(1_000);
                Block b = ledger.produceBlock();
                serving.onBlock(ledger, b);
            }
            assertEquals(1, WeightRotations.fromBytes(m.state().model(Model.key(model, owner.accountId())).orElseThrow().weightRotations(), pk.verifyingKey()).epoch());
            assertEquals(Request.Status.SETTLED, m.state().request(id).orElseThrow().status());
            assertEquals(prover.accountId(), m.state().request(id).orElseThrow().lock().prover());
            assertEquals(List.of(), m.state().slashes());
        }
    }
}
