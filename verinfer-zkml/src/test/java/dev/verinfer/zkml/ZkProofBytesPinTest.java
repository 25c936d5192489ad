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
 * they are; the digest was computed by main 437b2330 (zero-knowledge format 14: carrier27's carrier tree and zkbytes26's narrow first
 * fold) before branch zktime27's changes were merged (branch zktime27 checked them against format 13's digest on 98aee3de), and
 * re-pinned by branch carrier28 for format 15, whose bytes differ from format 14's in the version byte alone (with byte 14
 * written back the digest is 14's, 60ce1cd5…: the new carrier rule leaves this proof's commitments as they were; branch bytes28's
 * later-oracle rules leave it too: that branch, re-pinning for format 15 alone, found the same digest; 88980e23…), and re-pinned by
 * branch compact29 for format 16, whose per-proof trees hash compact inner nodes (every per-proof root, and so every challenge
 * after the first, changes; with proofPcs() padded and byte 15 written, this build's proof is 88980e23… exactly; format 16's
 * injected carrier, branch inject29, leaves this proof alone: it has no carrier), and re-pinned by branch points30 for format 17,
 * whose commitments for one opening (this proof's witness and M, under {@code proven}) send no out-of-domain points of their mask
 * g (their f̂′(w), ĝ(w) and the points' constraints are gone, so every later byte changes; format 17's carrier leaf in two
 * halves, branch carrier30, leaves this proof alone: it has no carrier), and re-pinned by branch heyfold31 for format 18, whose
 * bytes differ from format 17's in the version byte alone (with byte 17 written back the digest is 17's, 60fae489…: the witness's
 * first fold under the weights at a smaller budget leaves this key's proof as it was), and re-pinned by branch rate35 for format
 * 19, whose hiding runs re-encode their second oracle at half the first one's rate after the plain first fold (this proof's
 * run, topped by a k₀ = 4 commitment, re-encodes on a smaller domain with more queries: every byte after iteration 0 changes). The
 * Gemm with a weight bias reaches every per-proof mask: the witness's and M's commitments for one opening (g in f′'s tree)
 * and the registered weights' fresh g, with two weight claims merged (ZkWeightBatching).
 */
class ZkProofBytesPinTest {
    static final String PIN = "e405bab93a79fdbeffda3e1d407c71539a342b7dc9b7fb6154e618274e4d0c63";

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
