package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.HidingCommitment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zero-knowledge weight opening budget is a statement of the keys ({@link VerifyingKey#weightOpeningBudget}): it
 * round-trips through both keys' bytes, it is bound into the model id, and a commitment opened past it is refused. One
 * small key (x·W, conjectured security, budget 5) for the class.
 */
class WeightOpeningBudgetTest {
    private static final int BUDGET = 5;
    private static final QuantGraph GRAPH = ZkMatMulProofTest.matmul(11);
    private static ProvingKey key;
    private static byte[] verifyingBytes;

    @BeforeAll
    static void setUp() {
        key = ZkMatMulProofTest.zkKey(GRAPH, PcsSecurity.CONJECTURED, BUDGET);
        verifyingBytes = key.verifyingKey().toBytes(); // makes the bounds proof: two units
    }

    @Test
    void theBudgetRoundTripsThroughBothKeys() throws Exception {
        assertEquals(BUDGET, key.verifyingKey().weightOpeningBudget());
        assertTrue(key.verifyingKey().reveals().contains("hides for " + BUDGET + " openings"), key.verifyingKey().reveals());
        int at = zkByteOffset(verifyingBytes);
        assertEquals(VerifyingKey.ZK_CODE_BUDGET, verifyingBytes[at]);
        assertEquals(BUDGET, java.nio.ByteBuffer.wrap(verifyingBytes, at + 1, 4).getInt());
        VerifyingKey read = VerifyingKey.fromBytes(verifyingBytes);
        assertEquals(BUDGET, read.weightOpeningBudget());
        assertEquals(key.verifyingKey().modelIdHex(), read.modelIdHex());
        assertArrayEquals(verifyingBytes, read.toBytes());

        ProvingKey back = ProvingKey.fromBytes(key.toBytes());
        assertEquals(BUDGET, back.verifyingKey().weightOpeningBudget());
        assertEquals(key.verifyingKey().modelIdHex(), back.verifyingKey().modelIdHex(), "the seed and the budget rebuild the commitment");
        VerificationResult r = Verifier.verify(read, Prover.prove(back, ZkMatMulProofTest.run(GRAPH, 1)).bytes());
        assertTrue(r.valid(), r.reason());
        assertEquals(0, Setup.setup(GRAPH, PcsSecurity.CONJECTURED).verifyingKey().weightOpeningBudget(), "no budget without zero knowledge");
    }

    @Test
    void aChangedBudgetIsAnotherModelOrRefused() throws Exception {
        int at = zkByteOffset(verifyingBytes);
        byte[] other = verifyingBytes.clone();
        java.nio.ByteBuffer.wrap(other, at + 1, 4).putInt(BUDGET + 1);
        VerifyingKey changed = VerifyingKey.fromBytes(other);
        assertEquals(BUDGET + 1, changed.weightOpeningBudget());
        assertNotEquals(key.verifyingKey().modelIdHex(), changed.modelIdHex(), "the budget is hashed into the model id");
        assertFalse(Verifier.verify(changed, Prover.prove(key, ZkMatMulProofTest.run(GRAPH, 2)).bytes()).valid(),
                "a proof under the stated budget is for another model under a changed one");

        for (int outside : new int[] {0, ZeroKnowledge.MIN_WEIGHT_OPENING_BUDGET - 1, ZeroKnowledge.MAX_WEIGHT_OPENING_BUDGET + 1, -1}) {
            byte[] bad = verifyingBytes.clone();
            java.nio.ByteBuffer.wrap(bad, at + 1, 4).putInt(outside);
            MalformedProofException e = assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(bad));
            assertTrue(e.getMessage().startsWith("verifying key: zero-knowledge weight opening budget " + Integer.toUnsignedLong(outside) + " outside [4, 1048576]"),
                    e.getMessage());
        }
        byte[] default3 = verifyingBytes.clone();
        java.nio.ByteBuffer.wrap(default3, at + 1, 4).putInt(ZeroKnowledge.CODE_2_BUDGET);
        assertTrue(assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(default3)).getMessage().contains("written as code 2"));

        // Code 2 without its budget bytes: budget 1024, a different model id from the same root.
        byte[] code2 = new byte[verifyingBytes.length - 4];
        System.arraycopy(verifyingBytes, 0, code2, 0, at);
        code2[at] = VerifyingKey.ZK_CODE;
        System.arraycopy(verifyingBytes, at + 5, code2, at + 1, verifyingBytes.length - at - 5);
        VerifyingKey asDefault = VerifyingKey.fromBytes(code2);
        assertEquals(ZeroKnowledge.CODE_2_BUDGET, asDefault.weightOpeningBudget());
        assertNotEquals(key.verifyingKey().modelIdHex(), asDefault.modelIdHex());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Setup.setup(GRAPH, PcsSecurity.CONJECTURED, true, 3));
        assertTrue(refused.getMessage().startsWith("zero-knowledge weight opening budget 3 outside [4, 1048576]"), refused.getMessage());
    }

    /**
     * Proofs spend the weight commitment until the prover refuses the next, cleanly: x·W with W of 2×2 (its mask face
     * covers 2 off-face claims, one per proof) and x·W of {@link #GRAPH} (W of 8×4: the units run out first, two per proof).
     */
    @Test
    void aCommitmentOpenedPastItsBudgetIsRefused() {
        for (QuantGraph g : java.util.List.of(ZkMatMulProofTest.layer(12, 2, 2, false), GRAPH)) {
            ProvingKey pk = ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, ZeroKnowledge.MIN_WEIGHT_OPENING_BUDGET);
            HidingCommitment weights = (HidingCommitment) pk.weightCommitment();
            int covered = weights.openingBudget();
            assertTrue(covered >= ZeroKnowledge.MIN_WEIGHT_OPENING_BUDGET, "covers at least the stated budget: " + covered);
            int expected = Math.min(covered / ZeroKnowledge.OFF_FACE_OPENING_BUDGET, weights.offFaceClaimsLeft());
            int proofs = 0;
            WeightBudgetSpentException spent = null;
            while (spent == null && proofs <= expected) {
                try {
                    VerificationResult r = Verifier.verify(pk.verifyingKey(), Prover.prove(pk, ZkMatMulProofTest.run(g, proofs)).bytes());
                    assertTrue(r.valid(), r.reason());
                    proofs++;
                } catch (WeightBudgetSpentException e) {
                    spent = e;
                }
            }
            assertTrue(spent != null, "still proving after " + proofs + " proofs of a budget of " + covered);
            assertEquals(expected, proofs, "two units and one off-face claim per proof");
            assertTrue(spent.getMessage().startsWith("the weight commitment's zero-knowledge opening budget of " + covered + " is spent"), spent.getMessage());
        }
    }

    /** Where the zero-knowledge byte sits in a verifying key: after magic, version, architecture, root, variables, security. */
    static int zkByteOffset(byte[] key) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(key);
        int at = 5 + 4 + b.getInt(5);
        return at + 4 + b.getInt(at) + 4 + 1;
    }
}
