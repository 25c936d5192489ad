package dev.verinfer.zkml;

import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.HidingCommitment;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A zero-knowledge proof from fixed randomness is pinned: the key's mask seed, the weights' opening stream (a view with
 * its own seeded stream, {@link HidingCommitment#withOpeningRandomness}) and the proof's masks all seeded, the bytes are a
 * function of the code alone. A prover-only change (how codewords are computed, cached or scheduled) must leave them as
 * they are; the digest was re-pinned deliberately by branch bytes28 (zero-knowledge format 15: a narrow run's second later oracle
 * keeps its domain, later oracles unsalted where F₁ whole hides the table), format 14's being main 437b2330's. The
 * Gemm with a weight bias reaches every per-proof mask: the witness's and M's commitments for one opening (g in f′'s tree)
 * and the registered weights' fresh g, with two weight claims merged (ZkWeightBatching).
 */
class ZkProofBytesPinTest {
    private static final String PIN = "88980e23e18af4ffa36f792d44566a77c791620a815d3b9636cf4c3d767913eb";

    @Test
    void aSeededZeroKnowledgeProofIsPinned() throws Exception {
        QuantGraph g = ZkMatMulProofTest.gemm(1);
        ProvingKey pk = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN);
        byte[] first = seeded(pk, g);
        assertArrayEquals(first, seeded(pk, g), "the same randomness, the same proof");
        VerificationResult r = Verifier.verify(pk.verifyingKey(), first);
        assertTrue(r.valid(), r.reason());
        assertEquals(PIN, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(first)));
    }

    private static byte[] seeded(ProvingKey pk, QuantGraph g) {
        HidingCommitment weights = ((HidingCommitment) pk.weightCommitment()).withOpeningRandomness(new SplittableRandom(7));
        ProvingKey view = new ProvingKey(pk.graph(), pk.plan(), pk.packedWeights(), weights, pk.verifyingKey());
        return Prover.prove(view, ZkMatMulProofTest.run(g, 3), Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], new SplittableRandom(4)).bytes();
    }
}
