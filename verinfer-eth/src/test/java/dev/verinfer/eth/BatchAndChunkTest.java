package dev.verinfer.eth;

import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.Address;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch settlement (one proof for several ZK requests of one model) and proofs uploaded in chunks
 * to the market's proof buffer, on anvil; value conservation from chain state after every scenario.
 * Verdicts come from the test-only verifier: a batch is valid exactly when every (input, output)
 * pair in its statement was declared correct and the statement counts its inferences right.
 */
class BatchAndChunkTest extends MarketOnAnvilTest {
    private static final BigInteger FEE = BigInteger.valueOf(10_000);
    private static final BigInteger BPS = BigInteger.valueOf(10_000);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] input(int k) {
        return bytes("input tensor " + k);
    }

    private static byte[] output(int k) {
        return bytes("output tensor " + k);
    }

    /** {@code n} ZK requests with inputs 0..n-1, each marked correct with outputs 0..n-1, locked by {@code p}. */
    private List<Long> lockedRequests(int n, ChainAccount p) {
        List<Long> ids = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            long id = w.request(input(k), FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
            w.markCorrect(input(k), output(k));
            w.as(p).lock(id);
            ids.add(id);
        }
        return ids;
    }

    private static List<byte[]> inputs(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(BatchAndChunkTest::input).toList();
    }

    private static List<byte[]> outputs(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(BatchAndChunkTest::output).toList();
    }

    private BigInteger balance(ChainAccount a) {
        return w.market.balanceOf(a.address());
    }

    @Test
    void batchIsVerifiedOnceAndEveryRequestPaidAtItsLockedPrice() {
        int n = 4;
        List<Long> ids = lockedRequests(n, w.prover);
        BigInteger pay = BigInteger.ZERO;
        BigInteger refund = BigInteger.ZERO;
        for (long id : ids) {
            BigInteger price = w.market.request(id).price();
            BigInteger fee = price.subtract(World.ROYALTY).multiply(BigInteger.valueOf(w.params.protocolFeeBps())).divide(BPS);
            pay = pay.add(price.subtract(World.ROYALTY).subtract(fee));
            refund = refund.add(FEE.subtract(price));
        }
        BigInteger proverBefore = balance(w.prover);
        BigInteger clientBefore = balance(w.client);
        BigInteger ownerBefore = balance(w.owner);
        Receipt r = GAS.step("submitBatchResult of 4 (verified)", w.as(w.prover).submitBatchResult(ids, inputs(n), outputs(n), bytes("one batch proof")));
        assertEquals(n, w.market.events(r, "Settled").size());
        assertEquals(n, w.market.events(r, "ResultPosted").size());
        assertEquals(1, w.market.events(r, "BatchVerified").size());
        for (int k = 0; k < n; k++) {
            EthMarket.RequestView v = w.market.request(ids.get(k));
            assertEquals(EthMarket.Status.SETTLED, v.status());
            assertArrayEquals(org.web3j.crypto.Hash.sha3(output(k)), v.outputHash());
        }
        assertEquals(proverBefore.add(pay), balance(w.prover), "the prover is paid each request's locked price less royalty and fee");
        assertEquals(clientBefore.add(refund), balance(w.client), "the client gets max fee - price back on each");
        assertEquals(ownerBefore.add(World.ROYALTY.multiply(BigInteger.valueOf(n))), balance(w.owner), "a royalty per inference");
        EthMarket.ProverView p = w.market.prover(w.prover.address());
        assertEquals(World.STAKE, p.stake(), "every collateral back to the stake");
        assertEquals(n, p.served());
    }

    @Test
    void cheaterInABatchIsSlashedOnEveryRequestOfTheBatch() {
        int n = 3;
        List<Long> ids = lockedRequests(n, w.prover);
        BigInteger collateral = ids.stream().map(id -> w.market.request(id).collateral()).reduce(BigInteger.ZERO, BigInteger::add);
        BigInteger clientBefore = balance(w.client);
        List<byte[]> outputs = new ArrayList<>(outputs(n));
        outputs.set(1, bytes("a wrong output"));
        Receipt r = GAS.step("submitBatchResult of 3 (invalid: slashed)", w.as(w.prover).submitBatchResult(ids, inputs(n), outputs, bytes("one batch proof")));
        assertEquals(n, w.market.events(r, "Slashed").size(), "one wrong output slashes the whole batch");
        EthMarket.ProverView cheater = w.market.prover(w.prover.address());
        assertEquals(World.STAKE.subtract(collateral), cheater.stake());
        assertEquals(n, cheater.slashed());
        assertEquals(BigInteger.ZERO, cheater.collateral());
        BigInteger toClient = BigInteger.ZERO;
        for (long id : ids) {
            assertEquals(EthMarket.Status.OPEN, w.market.request(id).status(), "re-opened");
            assertTrue(w.market.slashedOn(id, w.prover.address()));
            assertEquals("SlashedBefore", assertThrows(ChainException.class, () -> w.as(w.prover).lock(id)).error());
        }
        for (EthMarket.SlashView s : w.market.slashes()) {
            assertEquals(EthMarket.Cause.INVALID_PROOF, s.cause());
            assertEquals(s.collateral().multiply(BigInteger.valueOf(w.params.slashVictimBps())).divide(BPS), s.toClient());
            toClient = toClient.add(s.toClient());
        }
        assertEquals(clientBefore.add(toClient), balance(w.client), "the client's share of each collateral");
        w.checkConservation();
        // Another prover serves the batch afresh.
        ids.forEach(id -> w.as(w.prover2).lock(id));
        w.as(w.prover2).submitBatchResult(ids, inputs(n), outputs(n), bytes("an honest batch proof"));
        ids.forEach(id -> assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status()));
    }

    @Test
    void aBatchIsRefusedWithoutEffectUnlessItsListingHolds() {
        List<Long> ids = lockedRequests(3, w.prover);
        long optimistic = w.request(input(9), FEE, new EthMarket.Terms.Optimistic(60), "submitRequest OPTIMISTIC");
        w.as(w.prover).lock(optimistic);
        long others = w.request(input(8), FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
        w.as(w.prover2).lock(others);
        byte[] proof = bytes("one batch proof");
        EthMarket p = w.as(w.prover);
        assertEquals("BadBatch", assertThrows(ChainException.class, () -> p.submitBatchResult(ids.subList(0, 1), inputs(1), outputs(1), proof)).error(),
                "a batch settles 2..64 requests");
        assertEquals("BadBatch", assertThrows(ChainException.class, () -> p.submitBatchResult(ids, inputs(2), outputs(3), proof)).error(),
                "one input per request");
        assertEquals("BatchOrder", assertThrows(ChainException.class,
                () -> p.submitBatchResult(List.of(ids.get(1), ids.get(0)), List.of(input(1), input(0)), List.of(output(1), output(0)), proof)).error(),
                "increasing id order");
        assertEquals("BatchOrder", assertThrows(ChainException.class,
                () -> p.submitBatchResult(List.of(ids.get(0), ids.get(0)), inputs(1).stream().mapMulti((x, sink) -> { sink.accept(x); sink.accept(x); })
                        .map(byte[].class::cast).toList(), List.of(output(0), output(0)), proof)).error(), "a request listed twice");
        assertEquals("WrongMode", assertThrows(ChainException.class,
                () -> p.submitBatchResult(List.of(ids.get(0), optimistic), List.of(input(0), input(9)), List.of(output(0), output(9)), proof)).error(),
                "only ZK requests settle in a batch");
        assertEquals("NotLockHolder", assertThrows(ChainException.class,
                () -> p.submitBatchResult(List.of(ids.get(0), others), List.of(input(0), input(8)), List.of(output(0), output(8)), proof)).error());
        assertEquals("WrongInput", assertThrows(ChainException.class,
                () -> p.submitBatchResult(ids, List.of(input(0), input(2), input(1)), outputs(3), proof)).error(), "inputs checked by hash");
        assertEquals("ProofRequired", assertThrows(ChainException.class, () -> p.submitBatchResult(ids, inputs(3), outputs(3), new byte[0])).error());
        ids.forEach(id -> assertEquals(EthMarket.Status.LOCKED, w.market.request(id).status()));
        // A lock that has expired refuses the batch; the keeper then slashes the silent prover on each.
        chain.advanceTime(w.params.lockSeconds() + 1);
        assertEquals("LockExpired", assertThrows(ChainException.class, () -> p.submitBatchResult(ids, inputs(3), outputs(3), proof)).error());
        ids.forEach(id -> w.market.advance(id));
        w.market.advance(optimistic);
        w.market.advance(others);
    }

    @Test
    void theBatchContextIsTheContractsAndNamesTheProver() {
        List<Long> ids = List.of(3L, 7L, 9L);
        byte[] onChain = Numeric.hexStringToByteArray(w.deployer.call(w.market.address(), FunctionEncoder.encode(new Function("batchContextOf",
                List.of(new DynamicArray<>(Uint256.class, ids.stream().map(Uint256::new).toList()), new Address(w.prover.address())), List.of())), d -> d));
        assertArrayEquals(onChain, w.market.batchProofContext(ids, w.prover.address()));
        assertTrue(!java.util.Arrays.equals(onChain, w.market.batchProofContext(ids, w.prover2.address())), "another prover, another context");
        assertTrue(!java.util.Arrays.equals(onChain, w.market.batchProofContext(List.of(3L, 7L), w.prover.address())), "another batch, another context");
    }

    /** A proof of {@code size} pseudo-random bytes. */
    private static byte[] bigProof(int size, long seed) {
        byte[] proof = new byte[size];
        new Random(seed).nextBytes(proof);
        return proof;
    }

    @Test
    void chunkedProofIsAcceptedAndATamperedChunkRefused() {
        byte[] in = input(0);
        byte[] out = output(0);
        long id = w.request(in, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
        w.as(w.prover).lock(id);
        byte[] proof = bigProof(60_000, 1);
        w.markValid(id, in, out, proof);
        byte[] hash = EthMarket.proofHash(proof);
        EthMarket p = w.as(w.prover);
        List<Receipt> chunks = p.uploadProof(proof, EthMarket.MAX_CHUNK);
        assertEquals(3, chunks.size());
        chunks.forEach(r -> GAS.step("ProofBuffer.store (chunk of <= 24,575 bytes)", r));
        // Chunk 1 replaced by other bytes: the buffer no longer hashes to the key, and the submission is refused without effect.
        byte[] other = bigProof(EthMarket.MAX_CHUNK, 2);
        w.prover.send(w.market.proofBuffer(), FunctionEncoder.encode(new Function("store",
                List.of(new Bytes32(hash), new Uint256(1), new DynamicBytes(other)), List.of())), EthMarket::describeBuffer);
        ChainException e = assertThrows(ChainException.class, () -> p.submitZkResultBuffered(id, out, in, hash));
        assertEquals("ProofIncomplete", e.error(), e.getMessage());
        assertEquals(EthMarket.Status.LOCKED, w.market.request(id).status());
        // Started afresh: the same chunking replaces the piece.
        w.prover.send(w.market.proofBuffer(), FunctionEncoder.encode(new Function("store",
                List.of(new Bytes32(hash), new Uint256(1), new DynamicBytes(java.util.Arrays.copyOfRange(proof, EthMarket.MAX_CHUNK, 2 * EthMarket.MAX_CHUNK))),
                List.of())), EthMarket::describeBuffer);
        assertEquals(0, p.uploadProof(proof, EthMarket.MAX_CHUNK).size(), "an upload already complete sends nothing");
        BigInteger proverBefore = balance(w.prover);
        Receipt r = GAS.step("submitResultBuffered 60 KB proof (verified)", p.submitZkResultBuffered(id, out, in, hash));
        assertEquals(1, w.market.events(r, "Settled").size());
        assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status());
        assertTrue(balance(w.prover).compareTo(proverBefore) > 0);
    }

    @Test
    void chunkedTamperedProofIsVerifiedAndSlashed() {
        byte[] in = input(0);
        byte[] out = output(0);
        long id = w.request(in, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
        w.as(w.prover).lock(id);
        byte[] proof = bigProof(30_000, 3);
        w.markValid(id, in, out, proof);
        byte[] tampered = proof.clone();
        tampered[27_000] ^= 1;
        w.as(w.prover).uploadProof(tampered, EthMarket.MAX_CHUNK);
        Receipt r = w.as(w.prover).submitZkResultBuffered(id, out, in, EthMarket.proofHash(tampered));
        assertEquals(1, w.market.events(r, "Slashed").size(), "a complete upload of a tampered proof is an invalid proof");
        assertEquals(EthMarket.Status.OPEN, w.market.request(id).status());
        assertEquals(1, w.market.prover(w.prover.address()).slashed());
    }

    @Test
    void chunkedBatchProofAndChunkedProofOfAChallengeSettle() {
        List<Long> ids = lockedRequests(2, w.prover);
        byte[] batchProof = bigProof(40_000, 4);
        w.as(w.prover).uploadProof(batchProof, 20_000);
        GAS.step("submitBatchResultBuffered of 2, 40 KB proof", w.as(w.prover).submitBatchResultBuffered(ids, inputs(2), outputs(2), EthMarket.proofHash(batchProof)));
        ids.forEach(id -> assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status()));

        long id = w.request(input(5), FEE, new EthMarket.Terms.Optimistic(120), "submitRequest OPTIMISTIC");
        w.as(w.prover).lock(id);
        w.as(w.prover).submitResult(id, output(5));
        w.as(w.watcher).challenge(id);
        BigInteger bond = w.market.request(id).bond();
        BigInteger watcherBefore = balance(w.watcher);
        byte[] proof = bigProof(50_000, 5);
        w.markValid(id, input(5), output(5), proof);
        w.as(w.prover).uploadProof(proof, EthMarket.MAX_CHUNK);
        GAS.step("submitProofBuffered 50 KB proof (valid)", w.as(w.prover).submitProofBuffered(id, input(5), output(5), EthMarket.proofHash(proof)));
        assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status());
        assertEquals(watcherBefore, balance(w.watcher), "the frivolous challenger's bond went to the prover");
        assertTrue(bond.signum() > 0);
    }

    @Test
    void gasOfAProofOfAlexaSizeInChunks() {
        // 312 KB: today's alexa_v0.1 ZK proof, too large for geth's 128 KB transaction pool in one transaction.
        byte[] in = input(0);
        byte[] out = output(0);
        long id = w.request(in, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
        w.markCorrect(in, out);
        w.as(w.prover).lock(id);
        byte[] proof = bigProof(312_000, 6);
        List<Receipt> chunks = w.as(w.prover).uploadProof(proof, EthMarket.MAX_CHUNK);
        long upload = chunks.stream().mapToLong(Receipt::gasUsed).sum();
        Receipt r = w.as(w.prover).submitZkResultBuffered(id, out, in, EthMarket.proofHash(proof));
        assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status());
        System.out.printf("a 312,000-byte proof in %d chunks: upload %,d gas (largest transaction %,d), submitResultBuffered %,d gas, total %,d%n",
                chunks.size(), upload, chunks.stream().mapToLong(Receipt::gasUsed).max().orElseThrow(), r.gasUsed(), upload + r.gasUsed());
    }
}
