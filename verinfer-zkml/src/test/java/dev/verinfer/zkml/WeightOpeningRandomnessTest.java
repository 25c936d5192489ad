package dev.verinfer.zkml;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A zero-knowledge proving key is read afresh by every process that proves with it (each {@code verinfer prove}), and the
 * weights' hiding commitment is recomputed from the key's seed so that its root is the registered one. Each opening of it
 * must still draw a fresh mask g (docs/proof-system.md, "Hiding commitments" item 3: the zero-knowledge argument takes g
 * uniform and independent per opening; two openings under one g and two ρ give f′ away). Before the fix the openings'
 * randomness was the seed's stream too, so the first proof of every process — and the bounds proof in the verifying key —
 * drew the same g.
 */
class WeightOpeningRandomnessTest {
    @Test
    void twoLoadsOfOneKeyOpenTheWeightsWithDifferentMasksAndReproduceTheBoundsProof() throws Exception {
        ProvingKey key = ZkMatMulProofTest.zkKey(ZkMatMulProofTest.matmul(3), PcsSecurity.CONJECTURED);
        byte[] stored = key.toBytes();
        ProvingKey a = ProvingKey.fromBytes(stored), b = ProvingKey.fromBytes(stored);
        assertArrayEquals(a.weightCommitment().root(), b.weightCommitment().root(), "the registered root, recomputed from the seed");

        byte[] first = openWeights(a), second = openWeights(b);
        assertFalse(Arrays.equals(first, second), "two processes' first openings of the weights drew the same randomness");

        // The bounds proof is a function of the key alone (regenerating it reveals nothing new), and differs from both openings.
        assertArrayEquals(a.verifyingKey().toBytes(), b.verifyingKey().toBytes(), "the verifying key (with its bounds proof) is reproducible");
        assertArrayEquals(key.verifyingKey().toBytes(), a.verifyingKey().toBytes());
    }

    /** One opening of the key's weight commitment at a fixed point, on a fixed transcript: its bytes. */
    private static byte[] openWeights(ProvingKey key) {
        SplittableRandom r = new SplittableRandom(7);
        Ext2[] point = new Ext2[key.weightCommitment().numVars()];
        Arrays.setAll(point, i -> Ext2.random(r));
        PcsOpening claim = new PcsOpening(key.weightCommitment(), point, Mle.evaluate(key.packedWeights(), point));
        ProofWriter out = ProofWriter.begin("TEST", 1);
        key.verifyingKey().pcs().open(new Transcript("weight-opening-randomness-test"), List.of(claim)).write(out);
        return out.toByteArray();
    }
}
