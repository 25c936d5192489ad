package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero-knowledge mode as a per-model choice ({@link ZeroKnowledge}): kept in both keys and the model id,
 * refused by name for nodes whose protocol is not zero-knowledge yet, and refused clearly while the
 * commitment scheme has no hiding variant. The protocol side runs on {@link HidingStandInPcs} (which records
 * the budgets and mask sources); {@link #theHidingWhirCommitmentCarriesZeroKnowledgeProofs} runs the
 * covered models on the real hiding WHIR commitment; the tensor codes have none and refuse zero knowledge.
 */
class ZeroKnowledgeModeTest {
    /** No weights and public input/output: every value is a function of the statement, so zero knowledge covers it. */
    private static final QuantGraph PUBLIC_ONLY = TestGraphs.wideMaxima(41);
    private static final byte[] SEED = new byte[SeededMasks.SEED_BYTES];

    private static Execution run(QuantGraph g, long seed) {
        return IntegerExecutor.execute(g, Map.of("x", TestGraphs.randomInput(seed, g.tensor(g.inputs().getFirst()).size(), 3.9)));
    }

    private static ProvingKey zkKey(QuantGraph g, HidingStandInPcs pcs) {
        return Setup.setup(g, PcsSecurity.PROVEN, true, ZeroKnowledge.WEIGHT_OPENING_BUDGET, pcs, SEED, w -> w);
    }

    @Test
    void zeroKnowledgeProofsOfACoveredModelCompleteAndVerify() {
        HidingStandInPcs pcs = new HidingStandInPcs(PcsSecurity.PROVEN.pcs());
        ProvingKey pk = zkKey(PUBLIC_ONLY, pcs);
        assertTrue(pk.verifyingKey().zeroKnowledge());
        // A model without weight tensors: setup's choice is 1024 (ZeroKnowledge.chosenBudget).
        assertEquals(ZeroKnowledge.reveals(ZeroKnowledge.CODE_2_BUDGET), pk.verifyingKey().reveals());
        assertEquals(List.of(new HidingStandInPcs.Request(pk.verifyingKey().weightVars(), ZeroKnowledge.CODE_2_BUDGET, SeededMasks.class)),
                pcs.requests, "the weights are committed hiding at setup, masks from the key's seed");
        for (long seed = 1; seed <= 3; seed++) {
            Proof proof = Prover.prove(pk, run(PUBLIC_ONLY, seed));
            VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
            assertTrue(r.valid(), r.reason());
        }
        // Each proof's witness and its mask commitment M (the model has look-ups, whose masks M holds) are
        // committed hiding for one opening, with masks from a fresh SecureRandom.
        assertEquals(7, pcs.requests.size());
        for (HidingStandInPcs.Request w : pcs.requests.subList(1, 7)) {
            assertEquals(ZeroKnowledge.PROOF_OPENING_BUDGET, w.openingBudget());
            assertEquals(java.security.SecureRandom.class, w.random());
        }
        // The test seam takes seeded masks instead.
        Proof seeded = Prover.prove(pk, run(PUBLIC_ONLY, 4), Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], new SplittableRandom(9));
        assertTrue(Verifier.verify(pk.verifyingKey(), seeded.bytes()).valid());
        assertEquals(SplittableRandom.class, pcs.requests.getLast().random());
    }

    /** The adversarial prover with zero knowledge on: the first and last message of every kind altered, and forged tables, are rejected. */
    @Test
    void adversarialProversAreRejectedInZeroKnowledgeMode() {
        // Conjectured security: the property (every altered message rejected) does not need proven's queries.
        ProvingKey pk = Setup.setup(PUBLIC_ONLY, PcsSecurity.CONJECTURED, true, ZkMatMulProofTest.SMALL_BUDGET,
                new HidingStandInPcs(PcsSecurity.CONJECTURED.pcs()), SEED, w -> w);
        long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(PUBLIC_ONLY, run(PUBLIC_ONLY, 7)), AdversarialProver.Rewrite.NONE);
        assertTrue(AdversarialProver.assertNoForgery(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, "honest"), "honest proof rejected");
        List<String> labels = new java.util.ArrayList<>();
        AdversarialProver.prove(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> {
            labels.add(label);
            return v;
        });
        assertTrue(labels.size() > 5);
        for (int at : AdversarialProver.firstAndLastOfEachLabel(labels)) {
            Proof p = AdversarialProver.prove(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> seq == at ? v.add(dev.verinfer.field.Ext2.ONE) : v);
            assertFalse(Verifier.verify(pk.verifyingKey(), p.bytes()).valid(), "altered message " + at + " accepted");
        }
        // Every committed tensor's first real slot and a padding slot, raised by one: never an accepted false statement.
        for (int t : AdversarialProver.committedTensors(pk, Visibility.PUBLIC, Visibility.PUBLIC)) {
            var shape = pk.plan().shapes[t];
            for (int slot : new int[] {0, shape.paddedSize() - 1}) {
                long[][] forged = AdversarialProver.trace(pk, AdversarialProver.inputsOf(PUBLIC_ONLY, run(PUBLIC_ONLY, 7)),
                        AdversarialProver.overwrite(t, slot, (honest, tr) -> dev.verinfer.field.Goldilocks.add(honest, 1)));
                AdversarialProver.assertNoForgery(pk, forged, Visibility.PUBLIC, Visibility.PUBLIC, "tensor " + t + " slot " + slot);
            }
        }
    }

    @Test
    void theChoiceIsInBothKeysAndTheModelId() throws Exception {
        ProvingKey plain = Setup.setup(PUBLIC_ONLY, PcsSecurity.PROVEN);
        ProvingKey zk = zkKey(PUBLIC_ONLY, new HidingStandInPcs(PcsSecurity.PROVEN.pcs()));
        assertFalse(plain.verifyingKey().zeroKnowledge());
        assertEquals(ZeroKnowledge.NON_ZK_REVEALS, plain.verifyingKey().reveals());
        assertArrayEquals(plain.verifyingKey().weightRoot(), zk.verifyingKey().weightRoot(), "the stand-in commits in the clear");
        assertNotEquals(plain.verifyingKey().modelIdHex(), zk.verifyingKey().modelIdHex(), "the mode is hashed into the model id");

        VerifyingKey read = VerifyingKey.fromBytes(zk.verifyingKey().toBytes());
        assertTrue(read.zeroKnowledge());
        assertEquals(zk.verifyingKey().modelIdHex(), read.modelIdHex());
        Proof proof = Prover.prove(zk, run(PUBLIC_ONLY, 5));
        assertTrue(Verifier.verify(read, proof.bytes()).valid());
        // A proof under one mode is a proof for another model under the other; the format says which mode wrote it (9 plain, 19 zk).
        byte[] plainProof = Prover.prove(plain, run(PUBLIC_ONLY, 5)).bytes();
        assertEquals(Proof.VERSION, plainProof[Proof.MAGIC.length()]);
        assertEquals(Proof.ZK_VERSION, proof.bytes()[Proof.MAGIC.length()]);
        String notZk = Verifier.verify(plain.verifyingKey(), proof.bytes()).reason();
        assertTrue(notZk.contains("a zero-knowledge proof") && notZk.contains("another model"), notZk);
        assertFalse(Verifier.verify(read, plainProof).valid());
        // A zero-knowledge proof in format 9, 10, 11, 12, 13, 14, 15, 16, 17 or 18 is an older build's (its plan and mask messages differ; 10 sent the Libra
        // masks' pieces and committed the witness's mask above it; 11 committed the weights' per-proof mask in wide leaves; 12 handed
        // each off-face weight claim to the opening, ZkWeightBatching; 13 committed the witness's and M's leaves and the weights'
        // per-proof g in three trees, not one carrier, and kept the rate after a narrow first fold; 14 carried the per-proof leaves only
        // under the weights on top, shrank the domain of a narrow run's second later oracle 4× and salted every later oracle; 15 copied
        // the carrier's smaller parts into every carrier leaf and hashed its per-proof trees' inner nodes over padded digests; 16 hashed
        // a carrier leaf with a pair on top in one piece, f′ and its masks together, and sent out-of-domain points of the witness's
        // and M's masks g; 17 let a witness under the weights fold 1 whatever the weights' fold, so a run under weights of a smaller
        // budget split; 18 re-encoded a hiding run's second oracle at the first one's rate after the plain first fold): refused as
        // such, not as a forgery.
        assertEquals(19, Proof.ZK_VERSION);
        for (int version : new int[] {Proof.VERSION, 10, 11, 12, 13, 14, 15, 16, 17, 18}) {
            byte[] older = proof.bytes().clone();
            older[Proof.MAGIC.length()] = (byte) version;
            String why = Verifier.verify(read, older).reason();
            assertTrue(why.contains("older verinfer") && why.contains("re-prove"), why);
        }

        // The proving key keeps the mode and the mask seed: read back, it rebuilds the same hiding commitment.
        assertEquals(2, zk.toBytes()[4], "proving key format 2");
        ProvingKey real = Setup.setup(PUBLIC_ONLY, PcsSecurity.PROVEN, true);
        assertEquals(ZeroKnowledge.CODE_2_BUDGET, real.verifyingKey().weightOpeningBudget(), "the default budget of a model without weights");
        assertEquals(VerifyingKey.ZK_CODE, real.toBytes()[6], "budget 1024 keeps zero-knowledge code 2");
        ProvingKey back = ProvingKey.fromBytes(real.toBytes());
        assertTrue(back.verifyingKey().zeroKnowledge());
        assertEquals(ZeroKnowledge.CODE_2_BUDGET, back.verifyingKey().weightOpeningBudget());
        assertEquals(real.verifyingKey().modelIdHex(), back.verifyingKey().modelIdHex(), "the seeded masks rebuild the commitment");
        assertTrue(Verifier.verify(real.verifyingKey(), Prover.prove(back, run(PUBLIC_ONLY, 6)).bytes()).valid());
        assertFalse(ProvingKey.fromBytes(plain.toBytes()).verifyingKey().zeroKnowledge());
    }

    /**
     * Verifying keys of versions 3 (no zero-knowledge byte), 4 (the running-hash transcript), 5 (WHIR without batching) and 6 (weight
     * tensors packed whole) are refused as made by an older verinfer, and so are keys of zero-knowledge code 1 (the hiding weight
     * commitment before its first fold was part of it); a proving key of format 1 (no zero-knowledge byte) reads without zero knowledge.
     */
    @Test
    void olderKeysAreRefusedOrReadAsNotZeroKnowledge() throws Exception {
        ProvingKey pk = Setup.setup(TestGraphs.mlp(42), PcsSecurity.CONJECTURED);
        byte[] v5 = pk.verifyingKey().toBytes();
        assertEquals(7, v5[4]);
        for (byte older : new byte[] {3, 4, 5, 6}) {
            byte[] old = v5.clone();
            old[4] = older;
            MalformedProofException e = assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(old));
            assertTrue(e.getMessage().contains("older verinfer"), e.getMessage());
        }
        // The model id of a key without zero knowledge keeps the formula of version 3.
        assertArrayEquals(Digests.sha256("verinfer-model-id-v2", pk.verifyingKey().architectureDigest(), pk.verifyingKey().weightRoot(),
                new byte[] {(byte) PcsSecurity.CONJECTURED.code()}), pk.verifyingKey().modelId());
        // A proving key of format 1 (security code, graph) reads without zero knowledge.
        byte[] pk2 = pk.toBytes();
        assertEquals(0, pk2[6], "no zero knowledge");
        byte[] pk1 = new byte[pk2.length - 1];
        System.arraycopy(pk2, 0, pk1, 0, 6);
        System.arraycopy(pk2, 7, pk1, 6, pk2.length - 7);
        pk1[4] = 1;
        ProvingKey read = ProvingKey.fromBytes(pk1);
        assertFalse(read.verifyingKey().zeroKnowledge());
        assertEquals(pk.verifyingKey().modelIdHex(), read.verifyingKey().modelIdHex());
        ProvingKey zk = ZkMatMulProofTest.zkKey(ZkMatMulProofTest.matmul(1), PcsSecurity.CONJECTURED);
        byte[] zkBytes = zk.verifyingKey().toBytes();
        int zkAt = WeightOpeningBudgetTest.zkByteOffset(zkBytes);
        assertEquals(VerifyingKey.ZK_CODE_BUDGET, zkBytes[zkAt], "a budget other than 1024");
        zkBytes[zkAt] = VerifyingKey.ZK_CODE_BEFORE_FIRST_FOLD;
        MalformedProofException v1 = assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(zkBytes));
        assertTrue(v1.getMessage().contains("older verinfer"), v1.getMessage());
        byte[] zkProving = zk.toBytes();
        assertEquals(VerifyingKey.ZK_CODE_BUDGET, zkProving[6]);
        zkProving[6] = VerifyingKey.ZK_CODE_BEFORE_FIRST_FOLD;
        assertTrue(assertThrows(MalformedProofException.class, () -> ProvingKey.fromBytes(zkProving)).getMessage().contains("older verinfer"));
        byte[] unknown = v5.clone();
        unknown[WeightOpeningBudgetTest.zkByteOffset(v5)] = 7;
        MalformedProofException bad = assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(unknown));
        assertTrue(bad.getMessage().contains("unknown zero-knowledge code 7"), bad.getMessage());
    }

    /**
     * Proofs and model ids without zero knowledge are those of the format without it, byte for byte (a Solidity
     * verifier is written against them): SHA-256 digests recorded with proof format 9 (public tensor values packed at their fewest bits; versions 7 and 8 for the batch proofs' table plan, 9 for the single proofs' plan as a batch's with saturating look-ups cut; model ids unchanged) and the weight layout of verifying key format 7 (mlp's b1 and w2 are cut into pieces).
     */
    @Test
    void proofsWithoutZeroKnowledgeAreUnchanged() {
        Map<String, String[]> golden = Map.of(
                // The proven setting before the Johnson-bound preset (code 2): model ids and proofs unchanged.
                "PROVEN_UNIQUE mlp", new String[] {"bc3c8a510925d91843b955b154ee1c2bcab9400ed7ed5bf552e6f8ddaf682087",
                        "0e2abe12395758d101d3e7d04db25a8eab271c563808d6f65e2ae9114da54337"},
                "PROVEN_UNIQUE wideMaxima", new String[] {"cf02771492428532c2cb57021a86301d4d04d77df9cad578773c88ffb9c3c31a",
                        "44b0ae47ee6e29ed3dcfd04385cdbbc7c3e9904af7b0034c9455004d9133234b"},
                // The Johnson-bound preset (code 4), pinned again when its Merkle digests became 25 bytes.
                "PROVEN mlp", new String[] {"42ca54ad32fb88d903510ad75e6d0a71e28427bb058b17337d8203cde3d45448",
                        "48593e2b48b6f3b85795d70fc27ab6f6a0955e17fe4c9241f1861db9352471d0"},
                "PROVEN wideMaxima", new String[] {"2d83c24582c0a9159dc01a12bdfcb0ac8d60e07f811edd6280091a3677da0bdf",
                        "6a05a0b50407b6466a24e7975fae33bf3194401dc65f2cf8ea765672e597fef2"},
                "TENSOR_PROVEN mlp", new String[] {"7d2ecd0c6a88f8afba2731c652c6afe6ca437980f2859cb96fc44657eb1d512e",
                        "272b910f96e68576dac3516a948d3533e8d006f538ddd0168a6dd4da6f09e981"});
        StringBuilder expected = new StringBuilder(), actual = new StringBuilder();
        for (var e : new java.util.TreeMap<>(golden).entrySet()) {
            String[] name = e.getKey().split(" ");
            QuantGraph g = name[1].equals("mlp") ? TestGraphs.mlp(47) : TestGraphs.wideMaxima(47);
            ProvingKey pk = Setup.setup(g, PcsSecurity.valueOf(name[0]));
            Execution ex = IntegerExecutor.execute(g, Map.of("x", TestGraphs.randomInput(48, g.tensor(g.inputs().getFirst()).size(), 3.9)));
            byte[] proof = Prover.prove(pk, ex, Visibility.PUBLIC, Visibility.COMMITTED, new byte[] {1, 2}).bytes();
            expected.append(e.getKey()).append(": ").append(String.join(" ", e.getValue())).append('\n');
            actual.append(e.getKey()).append(": ").append(pk.verifyingKey().modelIdHex()).append(' ')
                    .append(Digests.hex(Digests.sha256("probe", proof))).append('\n');
        }
        assertEquals(expected.toString(), actual.toString(), "model ids and proof digests");
    }

    @Test
    void nodesTouchingPrivateValuesAreRefusedByName() {
        assertEquals(List.of(), ZeroKnowledge.uncovered(PUBLIC_ONLY));
        // The MLP is covered: gemm1 (public x), the look-ups on private values (masked leaves), gemm2 (a private committed
        // left operand) and the weights' bounds (ZkMaskedLeavesTest proves it).
        assertEquals(List.of(), ZeroKnowledge.uncovered(TestGraphs.mlp(43)));
        // Convolutions are covered (ZkConvProofTest proves them); a Gather of a public and a private source (a concat) is not
        // (ZkConcatTest proves one of private sources), and a look-up reading its output names what its masked leaf claim lacks.
        assertEquals(List.of(), ZeroKnowledge.uncovered(TestGraphs.conv2d(44)));
        TestGraphs b = new TestGraphs(44);
        int z = b.node("gemm", new QOp.MatMul(b.input("x", 8, 12, 2, 8), b.weight("w", 8, 200, 8, 4), -1), 16, 30, 2, 4);
        int p = b.input("p", 16, 20, 2, 4);
        int[] srcInput = new int[16];
        int[] srcIndex = new int[16];
        for (int i = 0; i < 16; i++) { // concat(p, z) along the last axis
            srcInput[i] = (i % 8) / 4;
            srcIndex[i] = (i / 8) * 4 + i % 4;
        }
        int concat = b.node("concat", new QOp.Gather(new int[] {p, z}, srcInput, srcIndex), 16, 30, 2, 8);
        b.output(b.node("rescale", new QOp.Rescale(concat, 12), 4, 18, 2, 8));
        QuantGraph concatenated = b.build();
        List<String> refused = ZeroKnowledge.uncovered(concatenated);
        assertTrue(refused.stream().anyMatch(line -> line.startsWith("node 'rescale' (Rescale) reads private 'concat'")
                && line.contains("its masked leaf claim needs a zero-knowledge MatMul")), refused.toString());
        // Refused at setup, before anything is committed, naming the node.
        UnsupportedGraphException e = assertThrows(UnsupportedGraphException.class,
                () -> zkKey(concatenated, new HidingStandInPcs(PcsSecurity.PROVEN.pcs())));
        assertTrue(e.getMessage().contains("node 'concat' (Gather) reads private 'gemm' and its protocol is not zero-knowledge yet"), e.getMessage());
        // Only the nodes downstream of a weight: arithmetic's weight enters at its last node.
        List<String> arithmetic = ZeroKnowledge.uncovered(TestGraphs.arithmetic(45));
        assertEquals(1, arithmetic.size(), arithmetic.toString()); // the weight's bounds are covered
        assertTrue(arithmetic.getFirst().startsWith("node 'add' (Add) reads private 'bias'"), arithmetic.getFirst());
    }

    /**
     * Committed inputs and outputs in zero knowledge (ZkCommittedIoTest on hiding WHIR): the committed input x is private, so its
     * readers are proven as private ones (x·1000 forwards a masked claim, the ReLU is a masked clamp look-up); each committed
     * tensor gets a hiding commitment for two proofs' off-face openings, one commitment and x's range check its opening.
     */
    /**
     * Committed inputs in zero knowledge (ZkCommittedIoTest has the rest, on a model with weights): the committed input x is
     * private, so its readers are proven as private ones (x·1000 forwards a masked claim, the ReLU is a masked clamp look-up,
     * the maximum a masked one-hot selector); its commitment is hiding for two proofs' off-face openings. A committed output
     * computed from public values alone is refused: it hides nothing.
     */
    @Test
    void committedInputsAreHidingInZeroKnowledge() {
        ProvingKey pk = ZkMatMulProofTest.zkKey(PUBLIC_ONLY, PcsSecurity.CONJECTURED);
        Execution ex = run(PUBLIC_ONLY, 6);
        CommittedTensors made = new CommittedTensors();
        Proof p = Prover.prove(pk, ex, Visibility.COMMITTED, Visibility.PUBLIC, new byte[0], made);
        VerificationResult r = Verifier.verify(pk.verifyingKey(), p.bytes());
        assertTrue(r.valid(), r.reason());
        var c = (dev.verinfer.pcs.HidingCommitment) made.inputCommitment(0);
        assertTrue(c.openingBudget() >= ZeroKnowledge.LINKED_OPENING_BUDGET, "budget " + c.openingBudget());
        UnsupportedGraphException e = assertThrows(UnsupportedGraphException.class, () -> Prover.prove(pk, ex, Visibility.PUBLIC, Visibility.COMMITTED));
        assertTrue(e.getMessage().contains("an output computed from public values alone hides nothing"), e.getMessage());
    }

    /** The default commitment schemes have no hiding variant yet: setup in zero knowledge says so (flips with whir-hiding). */
    @Test
    void withoutAHidingCommitmentZeroKnowledgeIsRefusedClearly() {
        for (PcsSecurity s : List.of(PcsSecurity.TENSOR_PROVEN, PcsSecurity.TENSOR_CONJECTURED)) {
            UnsupportedGraphException e = assertThrows(UnsupportedGraphException.class, () -> Setup.setup(PUBLIC_ONLY, s, true));
            assertTrue(e.getMessage().startsWith("zero-knowledge needs a hiding commitment; PcsSecurity " + s.label() + " has none"), e.getMessage());
        }
    }

    @Test
    void theHidingWhirCommitmentCarriesZeroKnowledgeProofs() {
        for (PcsSecurity s : List.of(PcsSecurity.PROVEN, PcsSecurity.CONJECTURED)) {
            ProvingKey pk = Setup.setup(PUBLIC_ONLY, s, true, ZkMatMulProofTest.SMALL_BUDGET);
            Proof proof = Prover.prove(pk, run(PUBLIC_ONLY, 5));
            VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
            assertTrue(r.valid(), r.reason());
            byte[] flipped = proof.bytes().clone();
            flipped[flipped.length / 2] ^= 1;
            assertFalse(Verifier.verify(pk.verifyingKey(), flipped).valid(), "a flipped byte of a hiding proof is rejected");
        }
    }

    @Test
    void seededMasksAreReproducibleAndSeedDependent() {
        byte[] other = SEED.clone();
        other[31] = 1;
        long[] a = draw(new SeededMasks(SEED)), b = draw(new SeededMasks(SEED)), c = draw(new SeededMasks(other));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertEquals(a.length, Arrays.stream(a).distinct().count());
    }

    private static long[] draw(SeededMasks m) {
        long[] out = new long[9];
        for (int i = 0; i < out.length; i++) {
            out[i] = m.nextLong();
        }
        return out;
    }
}
